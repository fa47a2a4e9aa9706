"""Judge activations, batch norm and losses by evaluating them *as written* against :mod:`numeric`.

Recognised statements (the quantity comes from the function's name, else from the prose):

* an activation ``f(x) = …`` — ReLU, leaky ReLU (slope named by the formula or a
  number in it), sigmoid — and its derivative ``f'(x) = …`` / ``df/dx``: evaluated
  at sample points against ``numeric.relu``/``leaky_relu``/``sigmoid`` and their
  ``_backward`` (a ``f(x)`` on the right side is the true activation);
* batch normalisation in training: the normalisation ``x̂ = (x − μ_B)/√(σ_B² + ε)``,
  with scale and shift ``γ x̂ + β``, the batch mean ``μ_B = 1/m ∑ x_i`` and the
  batch variance ``σ_B² = 1/m ∑ (x_i − μ_B)²``, against ``numeric.batch_norm``;
* the mean squared error ``1/N ∑ (y_i − ŷ_i)²`` against ``numeric.mse``;
* cross-entropy ``−∑ y_i log ŷ_i`` (one-hot ``y``, softmax output ``ŷ``) against
  ``numeric.softmax_cross_entropy`` and its gradient ``∂L/∂z_i = ŷ_i − y_i`` against
  ``softmax_cross_entropy_backward``.

Anything else returns None (the dispatcher goes on).

Examples
--------
>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> judge_elementwise(sp.Function("ReLU")(x), sp.Max(0, x)).verdict
'CORRECT'
>>> j = judge_elementwise(sp.Function("f")(x), 1/(1 + sp.exp(x)), "The sigmoid squashes its input:")
>>> j.verdict, j.counterexample["x"]
('INCORRECT', -2.5)
"""

from __future__ import annotations

import re

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .evaluate import EvalLimit, compile_expr
from .sizes import Judgement
from .subscripts import index_base, subscripts_as_indices

__all__ = ["judge_elementwise", "activation_named"]

#: sample points (no 0: the derivative of ReLU is a convention there)
POINTS = (-2.5, -1.3, -0.4, 0.3, 0.9, 2.1)

_EXPECTED = {
    "relu": ("max(0, x)", "1 if x > 0 else 0"),
    "leaky_relu": ("x if x > 0 else α·x", "1 if x > 0 else α"),
    "sigmoid": ("1/(1 + e^(−x))", "σ(x)·(1 − σ(x))"),
}


def _numeric():
    import numeric

    return numeric


def activation_named(name: str, context: str = "") -> str | None:
    """Which activation a function name (or, for a generic name, the prose nearest to it) denotes.

    >>> activation_named("sigma"), activation_named("f", "Leaky ReLU keeps a small slope:"), activation_named("f")
    ('sigmoid', 'leaky_relu', None)
    """
    low = name.lower().replace("'", "").replace("_", "").replace(" ", "")
    if low in ("leakyrelu", "lrelu", "leaky", "prelu"):
        return "leaky_relu"
    if low in ("relu", "rectifier"):
        return "relu"
    if low in ("sigmoid", "logistic", "sigm"):
        return "sigmoid"
    if low not in ("f", "g", "h", "phi", "sigma", "a", "act", "activation"):
        return None
    from .activations import in_table_cell

    if in_table_cell(context):  # the rows above are not this cell's prose
        return None
    parts = [p for p in re.split(r"(?<=[.!?:])\s+|\n\s*\n", context.strip()) if p.strip()]
    for text in reversed(parts[-2:] if parts else []):  # the prose just before the formula, then its heading
        t = text.lower()
        if "leaky" in t:
            return "leaky_relu"
        if re.search(r"\brelu\b|rectified linear", t):
            return "relu"
        if re.search(r"sigmoid|logistic", t):
            return "sigmoid"
    return "sigmoid" if low == "sigma" else None


def _act_truth(act: str, x: np.ndarray, slope: float, derivative: bool) -> np.ndarray:
    nm = _numeric()
    if act == "leaky_relu":
        return nm.leaky_relu_backward(np.ones_like(x), x, slope) if derivative else nm.leaky_relu(x, slope)
    fwd = getattr(nm, act)
    back = getattr(nm, f"{act}_backward")
    return back(np.ones_like(x), x) if derivative else fwd(x)


def _activation_lhs(lhs):
    """``(name, variable, derivative?)`` of ``f(x)``, ``f'(x)``, ``df/dx`` — or None."""
    if isinstance(lhs, sp.Derivative) and len(lhs.variables) == 1:
        inner, var = lhs.expr, lhs.variables[0]
        if isinstance(inner, AppliedUndef) and inner.args == (var,) and var.is_Symbol:
            return str(inner.func.__name__), var, True
        return None
    if isinstance(lhs, AppliedUndef) and len(lhs.args) == 1 and lhs.args[0].is_Symbol:
        name = str(lhs.func.__name__)
        return name.rstrip("'"), lhs.args[0], name.endswith("'")
    return None


def _judge_activation(lhs, rhs, context: str):
    got = _activation_lhs(lhs)
    if got is None:
        return None
    name, var, derivative = got
    act = activation_named(name, context)
    if act is None:
        return None
    # f(x) on the right (σ'(x) = σ(x)(1 − σ(x))) is the true activation at x
    fx = sp.Symbol("#act")
    body = rhs.xreplace({a: fx for a in rhs.atoms(AppliedUndef) if a.args == (var,) and
                         str(a.func.__name__).rstrip("'") == name})
    others = sorted((s for s in body.free_symbols if s not in (var, fx)), key=str)
    slope, slope_sym = 0.1, None
    if act == "leaky_relu":
        if len(others) == 1:
            slope_sym = others[0]
            others = []
        else:
            consts = {float(n) for n in body.atoms(sp.Number) if 0 < n < 1}
            if len(consts) != 1:
                return None
            slope = consts.pop()
    if others:
        return None
    what = f"{'derivative of ' if derivative else ''}{act.replace('_', ' ')}"
    try:
        f = compile_expr(body, time_limit=0.5)
        xs = np.array(POINTS)
        fwd = _act_truth(act, xs, slope, False)
        want = _act_truth(act, xs, slope, derivative)
        if act != "sigmoid" and not body.has(sp.Max, sp.Min, sp.Piecewise, sp.Heaviside, sp.Abs):
            # "f(x) = x" / "f'(x) = 1": one branch, stated for one side of 0 (the prose says which)
            ok = [np.isclose(f({str(var): float(x), "#act": float(fv), str(slope_sym): slope}, {}), w)
                  for x, fv, w in zip(xs, fwd, want)]
            if all(o for o, x in zip(ok, xs) if x > 0) or all(o for o, x in zip(ok, xs) if x < 0):
                return Judgement("UNRECOGNIZED", "activation", f"one branch of the {what} (it agrees with numeric "
                                 "on one side of 0): the side it is stated for is not part of the formula")
        for x, fv, w in zip(xs, fwd, want):
            scal = {str(var): float(x), "#act": float(fv)}
            if slope_sym is not None:
                scal[str(slope_sym)] = slope
            v = f(scal, {})
            if not np.isclose(v, w, rtol=1e-9, atol=1e-12):
                from .activations import GENERIC, other_activation

                if name.lower() in GENERIC and other_activation(rhs, var, int(derivative), but=act):
                    return None  # a generic name defined as another activation (f(x) = tanh(x) under "ReLU")
                cex = {"x": float(x), "document": v, "expected": float(w)}
                if slope_sym is not None:
                    cex[str(slope_sym)] = slope
                return Judgement("INCORRECT", "activation", f"{what} evaluated as written: at x = {x:g} the formula "
                                 f"gives {v:.6g}, numeric gives {w:.6g}", counterexample=cex,
                                 expected=_EXPECTED[act][derivative])
    except (EvalLimit, ValueError, TypeError, ZeroDivisionError, OverflowError):
        return None
    return Judgement("CORRECT", "activation", f"{what}: evaluated as written at x = {', '.join(f'{p:g}' for p in POINTS)}"
                     f", equal to numeric.{act}{'_backward' if derivative else ''}", expected=_EXPECTED[act][derivative])


# --------------------------------------------------------------------------- batch norm, losses

def _scalars(e) -> set:
    """Plain symbols of ``e`` that are neither tensor names nor summation variables."""
    labels = {b.label for b in e.atoms(sp.IndexedBase)}
    return {s for s in e.free_symbols if isinstance(s, sp.Symbol) and s not in labels}


def _name(e) -> str:
    if isinstance(e, sp.Indexed):
        return str(e.base.label)
    if isinstance(e, sp.Pow) and e.exp == 2:
        return _name(e.base) + "^2"
    if isinstance(e, AppliedUndef):
        return str(e.func.__name__)
    return str(e) if e.is_Symbol else ""


def _role(name: str) -> str | None:
    base = re.sub(r"_.*|\^.*", "", name)
    base = re.sub(r"^(hat|tilde|bar)\((\w+)\)$", r"\2", base) if base.startswith(("hat(", "tilde(", "bar(")) else base
    return {"mu": "mean", "sigma": "std", "epsilon": "eps", "gamma": "scale", "beta": "shift"}.get(base)


def _bn_kind(lhs, rhs, low: str) -> str | None:
    names = {_name(lhs)} | {s.name for s in _scalars(rhs)} | {str(b.label) for b in rhs.atoms(sp.IndexedBase)}
    roles = {_role(n) for n in names}
    if not (re.search(r"batch ?norm|\bbn\b", low) or ("mean" in roles and "std" in roles)):
        return None
    ln = _name(lhs)
    if _role(ln) == "mean":
        return "mean"
    if ln.endswith("^2") and _role(ln) == "std":
        return "var"
    if "mean" in roles and "std" in roles:
        return "affine" if {"scale", "shift"} <= roles else "normalise"
    return None


def _judge_batch_norm(lhs, rhs, low: str):
    lhs, rhs = subscripts_as_indices(lhs, rhs, extra="i")
    kind = _bn_kind(lhs, rhs, low)
    if kind is None:
        return None
    m, gamma, beta, eps = 5, 1.7, -0.4, 0.1
    rng = np.random.default_rng(6)
    batch = rng.normal(0.5, 2.0, size=m)
    has_eps = any(_role(s.name) == "eps" for s in _scalars(rhs))
    nm = _numeric()
    y, mean, var = nm.batch_norm(batch.reshape(m, 1), None, None, np.array([gamma if kind == "affine" else 1.0]),
                                 np.array([beta if kind == "affine" else 0.0]), training=True,
                                 eps=eps if has_eps else 0.0, return_stats=True)
    mean, var, y = float(mean[0]), float(var[0]), y[:, 0]
    values = {"mean": mean, "std": float(np.sqrt(var)),
              "eps": eps, "scale": gamma, "shift": beta}
    tensors, scalars = {}, {}
    for s in _scalars(rhs):
        role = _role(s.name)
        if role:
            scalars[s.name] = values[role]
        elif s.name in ("m", "N", "n", "B", "M"):
            scalars[s.name] = m
    xs = [b for b in rhs.atoms(sp.IndexedBase)]
    free_x = [s for s in _scalars(rhs) if s.name not in scalars and not (isinstance(s, sp.Symbol) and
                                                                             len(s.name) == 1 and s.name in "ijkn")]
    if kind in ("mean", "var"):
        if len(xs) != 1 or free_x:
            return None
        base = index_base(rhs, str(next(iter(rhs.atoms(sp.Indexed))).indices[0]))
        tensors[str(xs[0].label)] = np.concatenate([np.zeros(base), batch])
        want = mean if kind == "mean" else var
        try:
            got = compile_expr(rhs, time_limit=0.5)(scalars, tensors)
        except (EvalLimit, ValueError, TypeError, ZeroDivisionError, OverflowError):
            return None
        what = "batch mean" if kind == "mean" else "batch variance (biased, as batch norm uses in training)"
        expected = "(1/m)·∑ x_i" if kind == "mean" else "(1/m)·∑ (x_i − μ_B)²"
        if np.isclose(got, want, rtol=1e-9):
            return Judgement("CORRECT", "batch_norm", f"{what}: evaluated on a batch of {m}, equal to numeric.batch_norm's "
                             "statistics", expected=expected)
        return Judgement("INCORRECT", "batch_norm", f"{what}: on a batch of {m} the formula gives {got:.6g}, numeric "
                         f"gives {want:.6g}", counterexample={"batch": [round(float(b), 6) for b in batch],
                                                              "document": got, "expected": want}, expected=expected)
    # normalisation (with or without scale and shift), one batch entry at a time
    if len(free_x) != 1 and not xs:
        return None
    expected = "γ·(x − μ_B)/√(σ_B² + ε) + β" if kind == "affine" else "(x − μ_B)/√(σ_B² + ε)"
    try:
        f = compile_expr(rhs, time_limit=0.5)
        for n, (xv, want) in enumerate(zip(batch, y)):
            if xs:
                idx = next(iter(rhs.atoms(sp.Indexed))).indices
                if len(idx) != 1 or not idx[0].is_Symbol:
                    return None
                tensors = {str(b.label): batch for b in xs}
                sc = dict(scalars, **{str(idx[0]): n})
            else:
                sc = dict(scalars, **{free_x[0].name: float(xv)})
            got = f(sc, tensors)
            if not np.isclose(got, want, rtol=1e-9, atol=1e-12):
                return Judgement("INCORRECT", "batch_norm", f"batch normalisation evaluated as written: for x = {xv:.4g} "
                                 f"in a batch of {m} the formula gives {got:.6g}, numeric.batch_norm gives {want:.6g}",
                                 counterexample={"batch": [round(float(b), 6) for b in batch], "x": float(xv),
                                                 "document": got, "expected": float(want)}, expected=expected)
    except (EvalLimit, ValueError, TypeError, ZeroDivisionError, OverflowError):
        return None
    layer = _name(lhs).upper().startswith("LN") or "layer norm" in low
    what = "layer normalisation (the batch-norm formula over the layer's statistics)" if layer else "batch normalisation"
    step = "scale and shift" if kind == "affine" else "normalise"
    return Judgement("CORRECT", "layer_norm" if layer else "batch_norm", f"{what} ({step}): evaluated on a sample of "
                     f"{m}, equal to numeric.batch_norm", expected=expected)


def _read_args(node):
    if isinstance(node, sp.Indexed):
        return tuple(node.indices)
    if isinstance(node, AppliedUndef):
        return tuple(node.args)
    return None


def _entrywise(lhs, rhs):
    """``dst(n, c, h, w) = γ(c)·(src(n, c, h, w) − μ(c))/… `` as one entry: ``y = γ·(x − μ)/…``.

    The parser reads a per-channel parameter ``μ(c)`` as the product ``μ·c`` (its name is not a function's);
    where the channel letter ``c`` is an index of the tensor entries and stands only beside such a
    parameter, the product is the parameter of channel ``c``, one number per channel. Anything else is
    returned unchanged.

    >>> import sympy as sp
    >>> n, c, mu = sp.symbols("n c mu")
    >>> _entrywise(sp.Function("dst")(n, c), sp.Function("src")(n, c) - c*mu)
    (y, -mu + x)
    """
    args = _read_args(lhs)
    if not args or not all(a.is_Symbol for a in args) or rhs.has(sp.Sum):
        return lhs, rhs
    reads = {r for r in sp.preorder_traversal(rhs) if _read_args(r) is not None and not isinstance(r, sp.Indexed)
             or isinstance(r, sp.Indexed)}
    reads = {r for r in reads if set(_read_args(r)) == set(args)}
    if len(reads) != 1:
        return lhs, rhs
    x, y = sp.Symbol("x"), sp.Symbol("y")
    body = rhs.xreplace({next(iter(reads)): x})
    letters = [a for a in args if a in body.free_symbols]
    for c in letters:
        for node in sp.preorder_traversal(body):
            if isinstance(node, sp.Mul) and c in node.args:
                others = [f for f in node.args if f != c and not f.is_Number]
                if not any(_role(_name(f)) for f in others):
                    return lhs, rhs
            elif isinstance(node, sp.Basic) and c in node.args and not isinstance(node, sp.Mul):
                return lhs, rhs
        body = body.xreplace({c: sp.Integer(1)})
    if body.free_symbols & set(args):
        return lhs, rhs
    return y, body


def _prediction_target(names: list[str]):
    """Split two tensor names into (prediction, target): ``ŷ``/``p``/``a`` predict, ``y``/``t`` are targets."""
    pred = [n for n in names if n.startswith("hat(") or n in ("p", "q", "a", "s", "o", "yhat", "y_pred")]
    targ = [n for n in names if n not in pred]
    if len(pred) == 1 and len(targ) == 1:
        return pred[0], targ[0]
    return None


def _judge_loss(lhs, rhs, low: str):
    lname = _name(lhs)
    is_grad = isinstance(lhs, sp.Derivative)
    if is_grad:
        var = lhs.variables[0]
        lhs_i, rhs_i = subscripts_as_indices(var, rhs, extra="ijk")
    else:
        lhs_i, rhs_i = subscripts_as_indices(lhs, rhs)
    bases = sorted(str(b.label) for b in rhs_i.atoms(sp.IndexedBase))
    mse = re.search(r"mean squared|squared error|\bmse\b|l2 loss|euclidean loss|sum of squares|sum-of-squares", low) or lname.lower() == "mse"
    ce = re.search(r"cross[- ]?entropy|log[- ]loss|negative log", low) or lname.lower() in ("ce", "l_ce")
    if not (mse or ce) or len(bases) != 2:
        return None
    pt = _prediction_target(bases)
    if pt is None:
        return None
    pred, targ = pt
    n, label = 4, 2
    rng = np.random.default_rng(7)
    nm = _numeric()
    sums = [x for x in sp.preorder_traversal(rhs_i) if isinstance(x, sp.Sum)]
    letters = {str(v) for s in sums for v, *_ in s.limits}
    if is_grad:
        if not (ce and isinstance(lhs_i, sp.Indexed) and len(lhs_i.indices) == 1 and not sums):
            return None
        letter = str(lhs_i.indices[0])
        z = rng.normal(size=(1, n))
        grad = nm.softmax_cross_entropy_backward(np.ones(()), z, np.array([label]), reduction="sum")[0]
        onehot = np.eye(n)[label]
        p = grad + onehot
        tensors = {pred: p, targ: onehot}
        quantity, expected = "cross_entropy", "ŷ_i − y_i (softmax output minus one-hot target)"
        try:
            f = compile_expr(rhs_i, time_limit=0.5)
            for i in range(n):
                got = f({letter: i}, tensors)
                if not np.isclose(got, grad[i], rtol=1e-9, atol=1e-12):
                    return Judgement("INCORRECT", quantity, f"gradient of softmax cross-entropy w.r.t. the logits, "
                                     f"evaluated as written: entry {i} is {got:.6g}, numeric gives {grad[i]:.6g}",
                                     counterexample={"logits": [round(float(v), 6) for v in z[0]], "target": label,
                                                     "entry": i, "document": got, "expected": float(grad[i])},
                                     expected=expected)
        except (EvalLimit, ValueError, TypeError, ZeroDivisionError, OverflowError):
            return None
        return Judgement("CORRECT", quantity, "gradient of softmax cross-entropy w.r.t. the logits: evaluated as "
                         "written, equal to numeric.softmax_cross_entropy_backward", expected=expected)
    if len(sums) != 1 or len(letters) != 1 or {str(s) for s in _scalars(lhs_i)} & letters:
        return None
    letter = letters.pop()
    base = index_base(rhs_i, letter)
    size_syms = [s for s in _scalars(rhs_i) if s.name != letter]
    if any(len(s.name) > 1 for s in size_syms):
        return None
    scalars = {s.name: n for s in size_syms}
    pad = np.zeros(base)
    if mse and not ce:
        a, b = rng.normal(size=n), rng.normal(size=n)
        want = float(nm.mse(a, b))
        tensors = {pred: np.concatenate([pad, a]), targ: np.concatenate([pad, b])}
        quantity, expected = "mse", "(1/N)·∑ (y_i − ŷ_i)²"
    else:
        z = rng.normal(size=(1, n))
        want = float(nm.softmax_cross_entropy(z, np.array([label]), reduction="sum"))
        onehot = np.eye(n)[label]
        p = nm.softmax_cross_entropy_backward(np.ones(()), z, np.array([label]), reduction="sum")[0] + onehot
        tensors = {pred: np.concatenate([pad, p]), targ: np.concatenate([pad, onehot])}
        quantity, expected = "cross_entropy", "−∑ y_i·log ŷ_i"
    try:
        got = compile_expr(rhs_i, time_limit=0.5)(scalars, tensors)
    except (EvalLimit, ValueError, TypeError, ZeroDivisionError, OverflowError):
        return None
    if np.isclose(got, want, rtol=1e-9):
        return Judgement("CORRECT", quantity, f"{quantity.replace('_', '-')} evaluated as written on {n} entries, equal "
                         f"to numeric", expected=expected)
    if quantity == "mse" and np.isclose(got, want / 2, rtol=1e-9):
        return Judgement("CORRECT", quantity, "mean squared error with the usual factor ½ (for a clean gradient): "
                         "evaluated as written, half of numeric.mse", expected=expected)
    if quantity == "mse" and np.isclose(got, want * n, rtol=1e-9) and not re.search(r"\bmean\b|\bmse\b", low):
        return Judgement("CORRECT", quantity, "sum of squared errors (the prose does not call it a mean): evaluated "
                         "as written, N × numeric.mse", expected="∑ (y_i − ŷ_i)²")
    return Judgement("INCORRECT", quantity, f"{quantity.replace('_', '-')} evaluated as written on {n} entries: the "
                     f"formula gives {got:.6g}, numeric gives {want:.6g}",
                     counterexample={"prediction": [round(float(v), 6) for v in tensors[pred][base:]],
                                     "target": [round(float(v), 6) for v in tensors[targ][base:]],
                                     "document": got, "expected": want}, expected=expected)


def judge_elementwise(lhs, rhs, context: str = "", *, known: dict | None = None, section: str = "") -> Judgement | None:
    """Judge ``lhs = rhs`` as an activation, batch-norm or loss formula; None when it is none of them.

    Parameters
    ----------
    lhs, rhs : SymPy objects from :func:`proofs.document.parse_math`.
    context : the section heading and the prose before the formula (names the activation or loss).
    known : the document's own function definitions (see :func:`proofs.judge.activations.judge_activation`).
    section : the section the formula sits in (a document's definition holds in its section).
    """
    from .activations import judge_activation
    from .normalization import judge_lrn
    from .softmax import judge_softmax

    low = context.lower()
    for judge in (lambda: judge_lrn(lhs, rhs, low), lambda: judge_softmax(lhs, rhs, low),
                  lambda: _judge_activation(lhs, rhs, context), lambda: _judge_batch_norm(*_entrywise(lhs, rhs), low),
                  lambda: _judge_loss(lhs, rhs, low), lambda: judge_activation(lhs, rhs, context, known, section)):
        try:
            out = judge()
        except (EvalLimit, ValueError, TypeError, ZeroDivisionError, OverflowError, AttributeError, IndexError):
            out = None
        if out is not None:
            return out
    return None
