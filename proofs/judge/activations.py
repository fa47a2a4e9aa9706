r"""Activation functions and their derivatives, decided with SymPy from their definitions.

The definitions below are the *definitions* of the activations (the only typed part; each with the
conventions in use); every other truth — a derivative, an identity, a value — is computed from them
with SymPy (``diff``, exact evaluation). A document's own definition ``g(x) = x·σ(x)`` in the same
section wins over the standard one: ``g'(x) = …`` is then checked by differentiating the document's
``g``. Statements are evaluated at sample points away from every kink (``0``, ``±1``, ``±2.5``, ``±3``, ``6``);
the first point where the two sides differ is the counterexample.

Examples
--------
>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> judge_activation(sp.Function("tanh'")(x), 1 - sp.tanh(x)**2).verdict
'CORRECT'
>>> j = judge_activation(sp.Function("tanh'")(x), 1 - sp.tanh(x))
>>> j.verdict, j.counterexample["x"]
('INCORRECT', -3.7)
>>> judge_activation(sp.Function("softsign")(x), x / (1 + sp.Abs(x))).verdict
'CORRECT'
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef

from .judgement import Judgement

__all__ = ["judge_activation", "DEFINITIONS", "function_name", "derivative_target", "in_table_cell", "other_activation"]

_x = sp.Symbol("x", real=True)
_a, _l, _b = sp.Symbol("alpha", positive=True), sp.Symbol("lambda", positive=True), sp.Symbol("beta", positive=True)
_sig = 1 / (1 + sp.exp(-_x))
_clip = lambda e: sp.Max(0, sp.Min(1, e))  # noqa: E731 - a one-line helper of the table

#: name -> (definitions in use (conventions), parameters with their defaults)
DEFINITIONS = {
    "sigmoid": ([_sig], {}),
    "tanh": ([sp.tanh(_x)], {}),
    "relu": ([sp.Max(0, _x)], {}),
    "leaky_relu": ([sp.Piecewise((_x, _x > 0), (_a * _x, True))], {_a: sp.Rational(1, 100)}),
    "elu": ([sp.Piecewise((_x, _x > 0), (_a * (sp.exp(_x) - 1), True))], {_a: 1}),
    "selu": ([_l * sp.Piecewise((_x, _x > 0), (_a * (sp.exp(_x) - 1), True))],
             {_l: sp.Float("1.0507009873554805"), _a: sp.Float("1.6732632423543772")}),
    "softplus": ([sp.log(1 + sp.exp(_x))], {}),
    "softsign": ([_x / (1 + sp.Abs(_x))], {}),
    "swish": ([_x / (1 + sp.exp(-_b * _x))], {_b: 1}),
    "gelu": ([_x / 2 * (1 + sp.erf(_x / sp.sqrt(2))),
              _x / 2 * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (_x + sp.Rational(44715, 1000000) * _x ** 3))),
              _x / (1 + sp.exp(-sp.Rational(1702, 1000) * _x))], {}),
    "mish": ([_x * sp.tanh(sp.log(1 + sp.exp(_x)))], {}),
    "hard_sigmoid": ([_clip(_x / 5 + sp.Rational(1, 2)), _clip(_x / 6 + sp.Rational(1, 2)), _clip((_x + 1) / 2)], {}),
    "hard_tanh": ([sp.Max(-1, sp.Min(1, _x))], {}),
    "relu6": ([sp.Min(sp.Max(0, _x), 6)], {}),
    "log_sigmoid": ([-sp.log(1 + sp.exp(-_x))], {}),
    "hard_swish": ([_x * sp.Min(sp.Max(0, _x + 3), 6) / 6], {}),
    "celu": ([sp.Max(0, _x) + sp.Min(0, _a * (sp.exp(_x / _a) - 1))], {_a: 1}),
    "tanhshrink": ([_x - sp.tanh(_x)], {}),
}

_NAMES = {
    "sigmoid": "sigmoid", "logistic": "sigmoid", "sigm": "sigmoid", "sigma": "sigmoid",
    "tanh": "tanh", "relu": "relu", "rectifier": "relu", "leakyrelu": "leaky_relu", "lrelu": "leaky_relu",
    "prelu": "leaky_relu", "elu": "elu", "selu": "selu", "softplus": "softplus", "softsign": "softsign",
    "swish": "swish", "silu": "swish", "gelu": "gelu", "mish": "mish", "hardsigmoid": "hard_sigmoid",
    "hsigmoid": "hard_sigmoid", "hardtanh": "hard_tanh", "htanh": "hard_tanh", "relu6": "relu6",
    "logsigmoid": "log_sigmoid", "hardswish": "hard_swish", "hswish": "hard_swish", "celu": "celu",
    "tanhshrink": "tanhshrink",
}

_PROSE = (
    (r"log[- ]?sigmoid", "log_sigmoid"), (r"hard[- ]?swish|\bh-?swish\b", "hard_swish"), (r"\bcelu\b", "celu"),
    (r"tanh[- ]?shrink", "tanhshrink"), (r"leaky", "leaky_relu"), (r"\bselu\b|scaled exponential", "selu"), (r"\belu\b|exponential linear", "elu"),
    (r"relu6|relu 6", "relu6"), (r"\brelu\b|rectified linear|rectifier", "relu"), (r"hard[- ]?sigmoid", "hard_sigmoid"),
    (r"hard[- ]?tanh", "hard_tanh"), (r"\bgelu\b|gaussian error", "gelu"), (r"\bswish\b|\bsilu\b", "swish"),
    (r"\bmish\b", "mish"), (r"softplus", "softplus"), (r"softsign", "softsign"),
    (r"\btanh\b|hyperbolic tangent", "tanh"), (r"sigmoid|logistic", "sigmoid"),
)

#: names a document gives a generic activation (the prose says which one it is)
GENERIC = ("f", "g", "h", "phi", "varphi", "sigma", "a", "act", "activation", "psi")

#: sample points, away from every kink of the table
POINTS = tuple(sp.Rational(p) for p in ("-3.7", "-2.2", "-1.3", "-0.4", "0.3", "0.9", "2.1", "3.4", "7.3"))


def function_name(name: str, context: str = "") -> str | None:
    """The activation a function name denotes; a generic name (``f``, ``φ``) by the prose just before it.

    >>> function_name("\\\\mathrm{ELU}"), function_name("phi", "The hyperbolic tangent squashes:"), function_name("f")
    ('elu', 'tanh', None)
    """
    low = re.sub(r"\\(mathrm|text|operatorname|mathit)|[{}\\'_ \-]", "", name).lower()
    if low in _NAMES and low != "sigma":
        return _NAMES[low]
    if low not in GENERIC or in_table_cell(context):
        return None
    parts = [p for p in re.split(r"(?<=[.!?:])\s+|\n\s*\n", prose_only(context).strip()) if p.strip()]
    for text in reversed(parts[-2:] if parts else []):
        t = text.lower()
        for pattern, act in _PROSE:
            if re.search(pattern, t):
                return act
    return "sigmoid" if low == "sigma" else None


_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\\[.*?\\\]|\\\(.*?\\\)|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S)


def prose_only(context: str) -> str:
    r"""The words of ``context`` without its math: a ``\tanh`` inside the derivation above is not prose naming tanh.

    >>> prose_only(r"For tanh: $$\frac{d}{dz}\tanh(z) = 1 - \tanh^2(z)$$ The sigmoid chain:")
    'For tanh:   The sigmoid chain:'
    """
    return re.sub(r"\\[A-Za-z]+", " ", _MATH.sub(" ", context))


def in_table_cell(context: str) -> bool:
    """Does the prose before a formula end inside a table row (Markdown ``… |``, LaTeX ``… &``)?

    The rows above are then not the formula's prose: a generic ``f`` in a cell is the function its own row
    names (:mod:`proofs.judge.activation_claims` reads rows whole), not the last one named above it.

    >>> in_table_cell("| Logistic | $f(x) = 1/(1+e^{-x})$ | | tanh |"), in_table_cell("The sigmoid squashes:")
    (True, False)
    """
    tail = context.rstrip()[-400:]
    return (tail.endswith("|") and tail.count("|") >= 2) or tail.endswith("&")


def other_activation(expr, var, order: int = 0, but: str | None = None) -> str | None:
    """The activation other than ``but`` whose definition (or derivative) ``expr`` is, at every sample point.

    A generic name whose formula is another standard activation (``f(x) = tanh(x)`` under a heading on
    ReLU) is that activation's definition, not a wrong ReLU.

    >>> import sympy as sp
    >>> t = sp.Symbol("t")
    >>> other_activation(sp.tanh(t), t, but="relu"), other_activation(t**3, t)
    ('tanh', None)
    """
    e = _known_calls(expr, var, "", None, {})
    if e.has(AppliedUndef) or e.free_symbols - {_x}:
        return None
    for act, (truths, params) in DEFINITIONS.items():
        if act == but:
            continue
        for t in truths:
            t = t.xreplace(params)
            t = sp.diff(t, _x, order) if order else t
            try:
                if _compare(e, t, 1e-9) is None:
                    return act
            except (ValueError, TypeError, ZeroDivisionError, OverflowError):
                continue
    return None


def derivative_target(lhs):
    """``(function name, variable, order)`` of ``f(x)``, ``f'(x)``, ``df/dx``, ``d·tanh(x)/dx`` — or None."""
    if isinstance(lhs, sp.Derivative) and len(lhs.variables) == 1 and lhs.variables[0].is_Symbol:
        inner, var = lhs.expr, lhs.variables[0]
        got = _applied(inner, var)
        return (got, var, 1) if got else None
    if isinstance(lhs, sp.Mul):  # \frac{d}{dx} tanh(x) read as d·tanh(x)/dx
        d = [f for f in lhs.args if f.is_Symbol and f.name == "d"]
        dx = [f for f in lhs.args if f.is_Pow and f.exp == -1 and f.base.is_Symbol and f.base.name.startswith("d")
              and len(f.base.name) > 1]
        rest = [f for f in lhs.args if f not in d and f not in dx]
        if len(d) == 1 and len(dx) == 1 and len(rest) == 1:
            var = sp.Symbol(dx[0].base.name[1:])
            got = _applied(rest[0], var)
            return (got, var, 1) if got else None
        return None
    if isinstance(lhs, sp.Function) and len(lhs.args) == 1 and lhs.args[0].is_Symbol:
        name = str(lhs.func.__name__) if isinstance(lhs, AppliedUndef) else lhs.func.__name__
        primes = len(name) - len(name.rstrip("'"))
        return name.rstrip("'"), lhs.args[0], primes
    return None


def _applied(e, var):
    if isinstance(e, sp.Function) and e.args == (var,):
        return str(e.func.__name__)
    return None


def _known_calls(expr, var, own: str, own_def, params):
    """Replace calls of named activations (``σ(x)``, ``tanh(x)``, the function itself) by their definitions."""
    reps = {}
    for node in sp.preorder_traversal(expr):
        if isinstance(node, AppliedUndef) and len(node.args) == 1:
            name = str(node.func.__name__)
            arg = node.args[0]
            if name.rstrip("'") == own and not name.endswith("'") and own_def is not None:
                reps[node] = own_def.xreplace({_x: arg})
                continue
            act = _NAMES.get(name.lower())
            if act and len(DEFINITIONS[act][0]) == 1 and not DEFINITIONS[act][1]:
                reps[node] = DEFINITIONS[act][0][0].xreplace({_x: arg})
            elif name == "Phi":
                reps[node] = (1 + sp.erf(arg / sp.sqrt(2))) / 2
    out = expr.xreplace(reps)
    return out.xreplace({var: _x}) if var != _x else out


def _value(e, at):
    v = sp.N(e.xreplace({_x: at}), 30)
    if not v.is_real:
        raise ValueError("not a real value")
    return float(v)


def _compare(doc, truth, tol):
    """The first sample point where doc and truth differ, with their values, or None."""
    for p in POINTS:
        a, b = _value(doc, p), _value(truth, p)
        if abs(a - b) > tol * max(1.0, abs(b)):
            return float(p), a, b
    return None


def _one_branch(doc, truth, tol) -> bool:
    """Does ``doc`` (no case split) agree with ``truth`` on one side of 0 only?"""
    if doc.has(sp.Piecewise, sp.Max, sp.Min, sp.Abs, sp.Heaviside):
        return False
    ok = [abs(_value(doc, p) - _value(truth, p)) <= tol * max(1.0, abs(_value(truth, p))) for p in POINTS]
    neg = [o for o, p in zip(ok, POINTS) if p < 0]
    pos = [o for o, p in zip(ok, POINTS) if p > 0]
    return all(neg) != all(pos)


def _bind_params(doc, params: dict, var):
    """Doc symbols -> the definition's parameters (by name, else the only one); None when a symbol is unknown."""
    free = sorted((s for s in doc.free_symbols if s != var), key=str)
    binding = {}
    left = [p for p in params]
    for s in free:
        base = re.sub(r"_.*", "", s.name)
        hit = [p for p in left if p.name == base]
        if not hit and len(free) == 1 and len(left) == 1:
            hit = left
        if not hit:
            return None
        binding[s] = hit[0]
        left.remove(hit[0])
    return binding


def judge_activation(lhs, rhs, context: str = "", known: dict | None = None, section: str = "") -> Judgement | None:
    """Judge ``lhs = rhs`` as an activation or its derivative; None when it is not one.

    ``known`` holds the document's own function definitions (filled here: ``"fn:name"`` ->
    ``(section, definition in x)``); a definition in the same section wins over the standard one.
    """
    got = derivative_target(lhs)
    if got is None:
        return None
    name, var, order = got
    if order > 2 or not var.is_Symbol:
        return None
    known = known if known is not None else {}
    act = function_name(name, context)
    own = known.get(f"fn:{name}")
    own_def = own[1] if own and own[0] == section else None
    if order == 0 and act is None:
        if isinstance(lhs, AppliedUndef) and not rhs.has(AppliedUndef) and rhs.free_symbols == {var}:
            known[f"fn:{name}"] = (section, rhs.xreplace({var: _x}))  # the document defines a function of its own
            return Judgement("UNRECOGNIZED", "notation", f"definition of the function {name}: statements about it "
                             "in this section (its derivatives, steps) are checked against it")
        return None
    if own_def is not None and order > 0:
        truths, params, what = [own_def], {}, f"the document's {name}"
    elif act is not None:
        truths, params = DEFINITIONS[act]
        what = act.replace("_", " ")
    else:
        return None
    doc = _known_calls(rhs, var, name, truths[0] if len(truths) == 1 else None, params)
    if doc.has(AppliedUndef, sp.Derivative, sp.Indexed, sp.Sum):
        return None
    binding = _bind_params(doc, params, _x)
    if binding is None:
        return None
    values = {p: sp.Rational(7, 10) if p.name == "alpha" else sp.Rational(13, 10) for p in binding.values()}
    doc = doc.xreplace(binding).xreplace(values)
    label = f"{'derivative of ' if order == 1 else 'second derivative of ' if order == 2 else ''}{what}"
    tol = 1e-9
    try:
        candidates = []
        for t in truths:
            t = t.xreplace(values).xreplace({p: d for p, d in params.items() if p not in values})
            candidates.append(sp.diff(t, _x, order) if order else t)
        misses = []
        for t in candidates:
            miss = _compare(doc, t, tol)
            if miss is None:
                if order == 0 and own_def is None and len(truths) == 1:
                    known[f"fn:{name}"] = (section, truths[0].xreplace(params))  # σ(z) = 1/(1+e^{−z}) names σ here
                how = "symbolically" if sp.simplify(doc - t) == 0 else "at " + ", ".join(f"{float(p):g}" for p in POINTS)
                return Judgement("CORRECT", "activation", f"{label}: equal to the definition"
                                 f"{' (differentiated with SymPy)' if order else ''} {how}",
                                 expected=sp.sstr(t.xreplace({_x: var})))
            misses.append((miss, t))
        if _one_branch(doc, candidates[0], tol):
            return Judgement("UNRECOGNIZED", "activation", f"one branch of the {label} (it agrees on one side of 0): "
                             "the side it is stated for is not part of the formula")
        free_default = [p for p in params if p not in binding.values()]
        if free_default and _fits_other_parameter(doc, candidates[0], truths[0], free_default, order):
            return Judgement("UNRECOGNIZED", "activation", f"{label} with a parameter other than the default: "
                             "the document does not name it")
        if len(truths) > 1 and re.search(r"approx", context.lower()):
            return None
        if own_def is None and re.sub(r"[{}\\'_ \-]", "", name).lower() in GENERIC and \
                other_activation(rhs, var, order, but=act):
            return None  # a generic name defined as another activation: the prose's name is not its name
        (p, a, b), t = misses[0]
        return Judgement("INCORRECT", "activation", f"{label}: at x = {p:g} the formula gives {a:.6g}, the definition"
                         f"{' differentiated' if order else ''} gives {b:.6g}",
                         counterexample={"x": p, "document": a, "expected": b,
                                         **{str(s): float(values[binding[s]]) for s in binding}},
                         expected=sp.sstr(t.xreplace({_x: var})))
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, RecursionError):
        return None


def _fits_other_parameter(doc, truth_t, truth, free, order) -> bool:
    """Would some other value of the (unnamed) parameter make the formula right? Then its value is the question."""
    if len(free) != 1:
        return False
    p = free[0]
    t = sp.diff(truth, _x, order) if order else truth
    for at in POINTS:
        eq = sp.nsimplify(_value(doc, at)) - t.xreplace({_x: at})
        val = _positive_root(eq, p)  # numerically: sp.solve on exp/erf equations can run for minutes
        if val is not None:
            return _compare(doc, t.xreplace({p: val}), 1e-6) is None
    return False


def _positive_root(eq, p, lo: float = 1e-3, hi: float = 100.0, steps: int = 400):
    """The smallest root of ``eq(p) = 0`` in ``[lo, hi]`` found by a sign change on a log grid and bisection, or None.

    >>> a = sp.Symbol("a")
    >>> round(float(_positive_root(a**2 - 2, a)), 9)
    1.414213562
    >>> _positive_root(a**2 + 1, a) is None
    True
    """
    import math

    try:
        f = sp.lambdify(p, eq, modules="math")
    except (TypeError, ValueError, SyntaxError, NameError):
        return None

    def value(v):
        try:
            y = complex(f(v))
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return None
        return y.real if abs(y.imag) < 1e-12 and math.isfinite(y.real) else None

    grid = [lo * (hi / lo) ** (k / steps) for k in range(steps + 1)]
    prev_v, prev_y = None, None
    for v in grid:
        y = value(v)
        if y is not None and y == 0:
            return sp.Float(v)
        if y is not None and prev_y is not None and (y < 0) != (prev_y < 0):
            a, b, ya = prev_v, v, prev_y
            for _ in range(80):
                m = (a + b) / 2
                ym = value(m)
                if ym is None:
                    break
                if (ym < 0) == (ya < 0):
                    a, ya = m, ym
                else:
                    b = m
            return sp.Float((a + b) / 2)
        prev_v, prev_y = v, y
    return None
