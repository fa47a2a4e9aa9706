r"""Judge update rules: gradient descent, moving averages (momentum, Adam's moments, running statistics), bias correction.

An update rule writes a new value of a variable from its old value: ``W_{t+1} = W_t − η∇L(W_t)``,
``m_t = β₁ m_{t−1} + (1 − β₁) g_t``, ``\hat μ := α \hat μ + (1 − α) μ``. The judge reads the *structure*
of the right side rather than the letters: the old value (the same name one step earlier, or the same
expression on both sides of ``:=``), the gradient (``∇L(…)``, ``∂L/∂W``, ``g_t``), the moments
``m``/``v`` and their bias-corrected ``\hat m``/``\hat v``; the coefficients are what the formula
multiplies them by. Each kind is then compared, symbolically with SymPy, with its definition:

* a **gradient step** ``θ ← θ − c·g`` (``c`` the learning rate, free of θ and g) — the step of
  :class:`numeric.optim.SGD` without momentum; ``θ + c·g`` (ascent) in a text about descent is wrong;
* a **moving average** ``x ← a·x + b·y``: a weighted average needs ``a + b = 1`` (a constant signal
  must stay constant). Adam's first moment averages the gradient, its second moment the squared
  gradient; a running *variance* that averages the biased batch variance is CONDITIONAL, since
  :func:`numeric.batch_norm` (as PyTorch) averages the unbiased one;
* Adam's **bias correction** ``\hat m_t = m_t/(1 − β₁^t)`` (the β of the moment it corrects);
* Adam's **step** ``θ_t = θ_{t−1} − α \hat m_t/(\sqrt{\hat v_t} + ε)``; the raw moments in the step
  when the text promises bias correction are wrong (they differ at t = 1 by the factor 1 − β₁).

A rule the judge cannot place with certainty returns None (the dispatcher goes on).

Examples
--------
>>> from proofs.document import parse_math
>>> p = parse_math(r"W_{t+1} = W_t - \eta \nabla L(W_t)")
>>> judge_update(p.sides[0], p.sides[1]).verdict
'CORRECT'
>>> p = parse_math(r"m_t = \beta_1 m_{t-1} + \beta_1 g_t")
>>> j = judge_update(p.sides[0], p.sides[1], "Adam keeps moving averages of the gradient:")
>>> j.verdict, j.quantity
('INCORRECT', 'optimizer')
"""

from __future__ import annotations

import random
import re

import sympy as sp
from sympy.core.function import AppliedUndef

from .judgement import Judgement

__all__ = ["judge_update", "update_parts", "linear_part"]

#: placeholders of the structure the rule is read into
OLD, G = sp.Symbol("#old"), sp.Symbol("#g")
_GRAD_BASES = {"g", "grad", "G", "dW", "dw", "dtheta", "gradient"}
_TIME = ("t", "k", "n", "i", "tau", "T")


def _split(node):
    """``(base, offset, time letter)`` of a stepped name — ``m_t``, ``m[t − 1]``, ``hat(m)_t``, ``W_{t+1}`` — or None."""
    if isinstance(node, sp.Indexed) and len(node.indices) == 1:
        ix = node.indices[0]
        letters = [s for s in ix.free_symbols if str(s) in _TIME]
        if len(letters) == 1 and (ix - letters[0]).is_Integer:
            return str(node.base.label), int(ix - letters[0]), str(letters[0])
        return None
    if isinstance(node, sp.Symbol):
        m = re.fullmatch(r"(.+?)_\{?(t|k|n|tau|T)\}?", node.name)
        if m:
            return m.group(1), 0, m.group(2)
    return None


def _is_grad(node) -> bool:
    if isinstance(node, sp.Derivative):
        return True
    if isinstance(node, AppliedUndef) and str(node.func.__name__) in ("nabla", "grad"):
        return True
    s = _split(node)
    return s is not None and s[0] in _GRAD_BASES


def update_parts(lhs, rhs):
    r"""Read ``lhs = rhs`` as an update: ``(name, rhs with #old and #g, {state name: symbol})`` or None.

    >>> from proofs.document import parse_math
    >>> p = parse_math(r"\theta_t = \theta_{t-1} - \alpha g_t")
    >>> name, body, _ = update_parts(p.sides[0], p.sides[1])
    >>> name, body
    ('theta', -#g*alpha + #old)
    """
    head = _split(lhs)
    if head is None:
        if lhs.is_Atom or lhs.free_symbols == set():
            if not (lhs.is_Symbol and lhs in rhs.free_symbols):
                return None
        if not rhs.has(lhs):
            return None
        body = rhs.xreplace({lhs: OLD})  # x := a·x + b·y: the same expression on both sides
        name = str(lhs)
        step = None
    else:
        name, off, step = head
        body = rhs
    grads = [n for n in sp.preorder_traversal(body) if _is_grad(n)]
    outer = [g for g in grads if not any(g != h and h.has(g) for h in grads)]
    if len({str(g) for g in outer}) > 1:
        return None
    body = body.xreplace({g: G for g in outer})
    states = {}
    reps = {}
    for node in list(sp.preorder_traversal(body)):
        s = _split(node)
        if s is None or step is None or s[2] != step:
            continue
        base, o, _ = s
        if base == name and o == off - 1:
            reps[node] = OLD
        elif base == name:
            return None  # the same name at another step: not a one-step rule
        elif o == off or (o == off - 1 and base in ("m", "v", "s", "u", "hat(m)", "hat(v)")):
            states[base] = sp.Symbol(f"#{base}")
            reps[node] = states[base]
    body = body.xreplace(reps)
    if OLD not in body.free_symbols and not name.startswith(("hat(", "\\hat")):
        return None
    if any(isinstance(n, (sp.Indexed, AppliedUndef, sp.Derivative, sp.Sum)) for n in sp.preorder_traversal(body)):
        return None
    return name, body, states


def _rand_point(symbols, rng) -> dict:
    """Admissible values: coefficients in (0, 1), other quantities positive and distinct."""
    return {s: sp.Rational(rng.randint(1, 9), 10) if not str(s).startswith("#") else sp.Rational(rng.randint(11, 40), 7)
            for s in symbols}


def _differs(a, b, rng, extra=()):
    """A point where ``a`` and ``b`` differ (exactly), or None when they agree symbolically / at 12 points."""
    if sp.simplify(a - b) == 0:
        return None
    syms = sorted((a.free_symbols | b.free_symbols | set(extra)), key=str)
    for _ in range(12):
        v = _rand_point(syms, rng)
        try:
            va, vb = sp.nsimplify(a.xreplace(v)), sp.nsimplify(b.xreplace(v))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if va.is_number and vb.is_number and sp.N(va - vb, 30) != 0:
            return v, va, vb
    return None


def _show(v: dict) -> dict:
    names = {"#old": "old value", "#g": "gradient"}
    return {names.get(str(k), str(k).lstrip("#")): float(x) for k, x in v.items()}


def linear_part(body, x):
    """``(a, rest)`` with ``body = a·x + rest``, both free of ``x``, or None.

    >>> import sympy as sp
    >>> a, x, b = sp.symbols("a x b")
    >>> linear_part(a*x + b, x)
    (a, b)
    """
    poly = sp.expand(body)
    a = poly.coeff(x, 1)
    rest = sp.simplify(poly - a * x)
    if x in a.free_symbols or x in rest.free_symbols:
        return None
    return sp.simplify(a), rest


_DESCENT = r"gradient descent|\bsgd\b|learning rate|descent|optimi[sz]|minimi[sz]|update|adam|momentum|rmsprop"


def judge_update(lhs, rhs, context: str = "", known: dict | None = None) -> Judgement | None:
    """Judge ``lhs = rhs`` as an update rule (gradient step, moving average, Adam); None when it is not one.

    ``known`` (the document's notation so far) remembers a momentum buffer ``v ← μv ± c·g``, so that the
    step that uses it (``θ ← θ − ηv`` or ``θ ← θ + v``) is checked together with it.
    """
    parts = update_parts(lhs, rhs)
    if parts is None:
        return None
    name, body, states = parts
    low = context.lower()
    rng = random.Random(0)
    adam = bool(re.search(r"\badam\b", low))
    known = known if known is not None else {}
    if not adam and re.search(r"momentum|velocity", low) and G in body.free_symbols and not states:
        lin = linear_part(body, OLD)
        if lin is not None and lin[0] != 1:
            known[VELOCITY] = (name, body)
            return Judgement("UNRECOGNIZED", "optimizer", f"momentum buffer {name} (a convention of its own); the "
                             "step that uses it is checked against numeric.optim.SGD with it")
    if not adam and states and OLD in body.free_symbols and VELOCITY in known:
        return _momentum_step(body, states, known[VELOCITY])
    if name.startswith("hat(") and OLD not in body.free_symbols:
        return _bias_correction(name, body, states, low, rng)
    if G in body.free_symbols and not states:
        lin = linear_part(body, OLD)
        if lin is None:
            return None
        a, rest = lin
        if a == 1:
            return _gradient_step(rest, low, rng)
        return _moving_average(name, a, rest, low, rng, adam)
    if not states and OLD in body.free_symbols:
        lin = linear_part(body, OLD)
        if lin is None or lin[0] == 1:
            return None
        return _moving_average(name, lin[0], lin[1], low, rng, adam)
    if OLD in body.free_symbols and states:
        return _adam_step(body, states, low, rng, adam)
    return None


#: key of the momentum buffer in the document's notation (the formula context's aliases)
VELOCITY = "optim:velocity"


def _momentum_step(body, states, velocity):
    """The buffer rule and this step, run for three steps, against :class:`numeric.optim.SGD` with momentum."""
    import numpy as np

    from numeric.optim import SGD

    vname, vbody = velocity
    if set(states) != {vname}:
        return None
    v = states[vname]
    consts = sorted((vbody.free_symbols | body.free_symbols) - {OLD, G, v}, key=str)
    mom = linear_part(vbody, OLD)[0]
    values = {c: sp.Rational(9, 10) if c in mom.free_symbols else sp.Rational(1, 10) for c in consts}
    mu = float(mom.xreplace(values))
    grads = [1.0, -0.5, 2.0, 0.25]
    theta, buf, path = 1.0, 0.0, []
    for g in grads:
        buf = float(vbody.xreplace(values).xreplace({OLD: buf, G: g}))
        theta = float(body.xreplace(values).xreplace({OLD: theta, v: buf}))
        path.append(theta)
    lr = -(path[0] - 1.0) / grads[0]
    shown = {str(c): float(x) for c, x in values.items()}
    if lr <= 0:
        return Judgement("INCORRECT", "optimizer", f"momentum step with the buffer {vname}: the first step moves "
                         f"along the gradient (θ goes from 1 to {path[0]:.6g} for g = 1 at {shown}), an ascent",
                         counterexample={"values": shown, "gradient": 1.0, "document": path[0], "expected": "< 1"},
                         expected="θ ← θ − η·v with v ← μ·v + g (numeric.optim.SGD)")
    if not 0 <= mu < 1:
        return None
    for nesterov in (False, True):
        p = {"w": np.array([1.0])}
        opt = SGD(p, lr=lr, momentum=mu, nesterov=nesterov)
        want = []
        for g in grads:
            opt.step({"w": np.array([g])})
            want.append(float(p["w"][0]))
        if np.allclose(path, want, rtol=1e-9):
            kind = "Nesterov momentum" if nesterov else "momentum"
            return Judgement("CORRECT", "optimizer", f"SGD with {kind}, the buffer {vname} and this step run for "
                             f"{len(grads)} steps at {shown}: equal to numeric.optim.SGD(momentum={mu:g}, "
                             f"lr={lr:g}{', nesterov=True' if nesterov else ''})",
                             expected="θ ← θ − η·v with v ← μ·v + g (numeric.optim.SGD)")
    return None


def _at_half(e) -> float:
    """``e`` with every coefficient at 1/2 (inside the usual range (0, 1) of rates and decays): its sign."""
    return float(e.xreplace({x: sp.Rational(1, 2) for x in e.free_symbols}))


def _gradient_step(rest, low, rng):
    """``θ_new = θ_old + rest`` with ``rest = −c·g``."""
    lin = linear_part(rest, G)
    if lin is None or lin[1] != 0:
        return None
    c = -lin[0]
    if not c.free_symbols or c.free_symbols & {OLD, G}:
        return None
    if _at_half(c) < 0:
        if not re.search(_DESCENT, low) or re.search(r"ascent|maximi[sz]|adversarial|attack|likelihood|reward", low):
            return None
        v = _rand_point(c.free_symbols | {OLD, G}, rng)
        return Judgement("INCORRECT", "optimizer", "gradient step: the formula adds the gradient (ascent); descent "
                         "subtracts it, θ ← θ − η·g (numeric.optim.SGD)",
                         counterexample={"values": _show(v), "document": float((OLD - c * G).xreplace(v)),
                                         "expected": float((OLD + c * G).xreplace(v))}, expected="θ − η·∇L(θ)")
    return Judgement("CORRECT", "optimizer", f"gradient step θ ← θ − ({sp.sstr(c)})·g: the step of numeric.optim.SGD "
                     "without momentum", expected="θ − η·∇L(θ)")


def _moving_average(name, a, rest, low, rng, adam):
    """``x_new = a·x_old + rest``: a weighted average of the old value and one new term."""
    if not re.search(r"moving average|running (mean|average|variance|estimate|statistic)|exponential(ly)? (weighted )?"
                     r"(moving )?average|\bmoments?\b|\badam\b|rmsprop|\bema\b|momentum", low):
        return None  # "decay", "average" alone: weight decay, an average of a batch … are not moving averages
    terms = sp.Add.make_args(sp.expand(rest))
    if len(terms) == 0:
        return None
    new = None
    for cand in (G ** 2, G):
        lin = linear_part(rest, cand) if cand in rest.free_symbols or rest.has(cand) else None
        if lin is not None and lin[1] == 0:
            new, b = cand, lin[0]
            break
    if new is None:
        ys = [s for s in rest.free_symbols if s not in a.free_symbols]
        if len(ys) != 1 and not (len(ys) == 1 or (rest.is_Mul and len(rest.free_symbols - a.free_symbols) >= 1)):
            return None
        y = sp.Mul(*[f for f in sp.Mul.make_args(sp.factor(rest)) if not (f.free_symbols <= a.free_symbols)])
        if not y.free_symbols or y.free_symbols & a.free_symbols:
            return None
        b = sp.simplify(rest / y)
        new = y
    if b.free_symbols & new.free_symbols or a.free_symbols & {OLD, G}:
        return None
    if _at_half(b) < 0:
        return None  # x ← a·x − η·g: a descent step (with weight decay), not an average
    if "velocity" in low or (re.search(r"momentum", low) and not adam and sp.simplify(a + b) != 1):
        return None  # momentum buffers v = μv + g, v = μv − ηg are conventions, not averages
    total = sp.simplify(a + b)
    what = _average_name(name, new, adam)
    if total != 1:
        v = _rand_point(total.free_symbols, rng)
        val = float(total.xreplace(v))
        return Judgement("INCORRECT", "optimizer", f"{what}: the weights {sp.sstr(a)} and {sp.sstr(b)} sum to "
                         f"{sp.sstr(total)}, not 1, so a constant signal does not stay constant (at {_show(v)} a constant "
                         f"1 becomes {val:g})", counterexample={"values": _show(v), "document": val, "expected": 1.0},
                         expected="β·x + (1 − β)·y")
    if adam and name in ("v", "hat(v)", "s") and new == G:
        return Judgement("INCORRECT", "optimizer", "Adam's second moment averages the squared gradient g², not g",
                         counterexample={"values": {"gradient": -1.0}, "document": -1.0, "expected": 1.0},
                         expected="β₂·v + (1 − β₂)·g²")
    if adam and name == "m" and new == G ** 2:
        return Judgement("INCORRECT", "optimizer", "Adam's first moment averages the gradient g, not g²",
                         counterexample={"values": {"gradient": -1.0}, "document": 1.0, "expected": -1.0},
                         expected="β₁·m + (1 − β₁)·g")
    variance = "sigma" in name and "2" in name or "var" in name.lower()
    if variance and re.search(r"batch ?norm|running|population", low) and new.is_Pow and "sigma" in str(new):
        return _running_variance(a, rng)
    return Judgement("CORRECT", "optimizer" if adam or new in (G, G ** 2) else "batch_norm",
                     f"{what}: an exponential moving average (the weights {sp.sstr(a)} and {sp.sstr(b)} sum to 1)",
                     expected="β·x + (1 − β)·y")


def _average_name(name, new, adam) -> str:
    if adam and new == G:
        return "Adam's first moment"
    if adam and new == G ** 2:
        return "Adam's second moment"
    return f"moving average {name}"


def _beta_of(expr):
    """The β of ``1 − β^t`` in a bias correction."""
    for node in sp.preorder_traversal(expr):
        if node.is_Pow and node.exp.is_Symbol and str(node.exp) in _TIME:
            return node.base, node.exp
    return None, None


def _bias_correction(name, body, states, low, rng):
    r"""``\hat m_t = m_t / (1 − β₁^t)``."""
    raw = name[4:-1]
    if set(states) != {raw} or not re.search(r"adam|bias", low):
        return None
    m = states[raw]
    lin = linear_part(body, m)
    if lin is None or lin[1] != 0:
        return None
    factor = lin[0]
    beta, t = _beta_of(factor)
    if beta is None:
        betas = [s for s in factor.free_symbols if "beta" in str(s)]
        if len(betas) != 1:
            return None
        beta, t = betas[0], sp.Symbol("t")
        want = 1 / (1 - beta ** t)
        v = {beta: sp.Rational(9, 10), t: 2}
        return Judgement("INCORRECT", "optimizer", f"bias correction of {raw}: divides by {sp.sstr(1 / factor)} "
                         f"instead of 1 − {beta}^t (at t = 2, β = 0.9 the factor is {float(factor.xreplace(v)):.6g}, "
                         f"should be {float(want.xreplace(v)):.6g})",
                         counterexample={"t": 2, str(beta): 0.9, "document": float(factor.xreplace(v)),
                                         "expected": float(want.xreplace(v))}, expected=f"{raw}_t/(1 − β^t)")
    own = {"m": "1", "v": "2"}.get(raw)
    other = str(beta).rsplit("_", 1)[-1] if "_" in str(beta) else None
    if own and other in ("1", "2") and other != own:
        v = {beta: sp.Rational(999, 1000) if other == "2" else sp.Rational(9, 10), t: 1}
        good = sp.Rational(9, 10) if own == "1" else sp.Rational(999, 1000)
        return Judgement("INCORRECT", "optimizer", f"bias correction of {raw}: it uses {beta}, the decay rate of the "
                         f"other moment; {raw} is corrected with its own β_{own} (at t = 1 the factors are "
                         f"{float(1 / (1 - v[beta])):.6g} and {float(1 / (1 - good)):.6g})",
                         counterexample={"t": 1, "document": float(1 / (1 - v[beta])), "expected": float(1 / (1 - good))},
                         expected=f"{raw}_t/(1 − β_{own}^t)")
    want = 1 / (1 - beta ** t)
    diff = _differs(factor, want, rng, extra=(t,))
    if diff is None:
        return Judgement("CORRECT", "optimizer", f"Adam's bias correction of {raw}: {raw}_t/(1 − {beta}^t)",
                         expected=f"{raw}_t/(1 − {beta}^t)")
    v, va, vb = diff
    return Judgement("INCORRECT", "optimizer", f"bias correction of {raw}: the factor is {sp.sstr(factor)}, Adam "
                     f"divides by 1 − {beta}^t", counterexample={"values": _show(v), "document": float(va),
                                                                 "expected": float(vb)},
                     expected=f"{raw}_t/(1 − {beta}^t)")


def _adam_step(body, states, low, rng, adam):
    """``θ_t = θ_{t−1} − α m̂/(√v̂ + ε)`` (or with the raw moments)."""
    if not adam:
        return None
    hats = {k for k in states if k.startswith("hat(")}
    first = states.get("hat(m)") or states.get("m")
    second = states.get("hat(v)") or states.get("v")
    if first is None or second is None or len(states) != 2:
        return None
    lin = linear_part(body, OLD)
    if lin is None or lin[0] != 1:
        return None
    step = -lin[1]
    eps = [s for s in step.free_symbols if re.match(r"(var)?epsilon|eps", str(s))]
    lr = [s for s in step.free_symbols if s not in (first, second) and s not in eps]
    if len(eps) > 1 or len(lr) != 1:
        return None
    e = eps[0] if eps else sp.Integer(0)
    want = lr[0] * first / (sp.sqrt(second) + e)
    diff = _differs(step, want, rng)
    if diff is not None:
        if eps and _differs(step.xreplace({e: 0}), want.xreplace({e: 0}), rng) is None:
            return None  # only ε enters differently (inside the root): a variant, not judged
        v, va, vb = diff
        return Judgement("INCORRECT", "optimizer", f"Adam step: the formula moves by {sp.sstr(step)}, Adam by "
                         f"{sp.sstr(want)}", counterexample={"values": _show(v), "document": float(va),
                                                             "expected": float(vb)},
                         expected="θ − α·m̂/(√v̂ + ε)")
    if len(hats) == 2:
        return Judgement("CORRECT", "optimizer", "Adam step with the bias-corrected moments: θ − α·m̂/(√v̂ + ε)",
                         expected="θ − α·m̂/(√v̂ + ε)")
    if re.search(r"bias[- ]correct", low) and not hats:
        return _raw_moments(step, first, second, lr[0], e)
    return None


def _raw_moments(step, m, v, lr, eps):
    """The step with the raw moments against the bias-corrected one, at t = 1 (where they differ most)."""
    b1, b2, g = sp.Rational(9, 10), sp.Rational(999, 1000), sp.Integer(1)
    m1, v1 = (1 - b1) * g, (1 - b2) * g ** 2  # one step of the moving averages from m_0 = v_0 = 0
    at = {m: m1, v: v1, lr: 1, eps: 0} if eps != 0 else {m: m1, v: v1, lr: 1}
    raw = float(step.xreplace(at))
    corrected = float((m1 / (1 - b1)) / sp.sqrt(v1 / (1 - b2)))
    return Judgement("INCORRECT", "optimizer", "Adam step with bias correction promised, but it uses the raw moments "
                     f"m_t, v_t: at t = 1 (β₁ = 0.9, β₂ = 0.999, g = 1, ε = 0, learning rate 1) the step is {raw:.6g}, "
                     f"with the bias-corrected moments {corrected:.6g}",
                     counterexample={"t": 1, "beta_1": 0.9, "beta_2": 0.999, "gradient": 1.0, "document": raw,
                                     "expected": corrected},
                     expected="θ − α·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁^t), v̂ = v/(1 − β₂^t)")


def _running_variance(a, rng):
    """A running variance averaging the biased batch variance, against numeric.batch_norm's running update."""
    import numpy as np

    import numeric

    batch = np.array([0.0, 0.0, 2.0, 2.0]).reshape(4, 1)
    keep = sp.Rational(1, 2)  # the weight of the old value
    rm, rv = np.zeros(1), np.ones(1)
    numeric.batch_norm(batch, rm, rv, training=True, momentum=float(1 - keep))
    biased = float(batch.var())
    document = float(keep * 1 + (1 - keep) * biased)
    return Judgement("CONDITIONAL", "batch_norm", "running variance as an exponential moving average of the batch "
                     "variance σ²: holds for a population (biased) running variance; numeric.batch_norm, as PyTorch, "
                     f"averages the unbiased batch variance σ²·m/(m − 1) (batch {batch.ravel().tolist()}, old value 1, "
                     f"weight {keep} on it: the formula gives {document:g}, numeric {float(rv[0]):.6g})",
                     condition="the running variance averages the biased batch variance (not σ²·m/(m − 1))",
                     counterexample={"batch": batch.ravel().tolist(), "old value": 1.0, "weight of the old value": 0.5,
                                     "document": document, "expected": float(rv[0])},
                     expected="α·σ̂² + (1 − α)·σ²·m/(m − 1)")
