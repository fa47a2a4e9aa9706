"""Evaluate a formula *as written* — sums, products, tensor entries, floors — at concrete values.

A document's index formula (a convolution definition, a gradient, a pooling
window) is compiled once into nested Python closures (no ``eval``/``exec``/
``lambdify``) and evaluated on small arrays. Tensors are read with the
convention documents use: an entry outside the array, or at a non-integer
index, is 0. Sums with a bare index set (``∑_{u,v}``) run over every integer
where a tensor could be non-zero: the axis it indexes on its own, if any
(pass ``"#lo:u"``/``"#hi:u"`` among the scalars), else ``[-R, R]``.

Examples
--------
>>> import numpy as np, sympy as sp
>>> i, u = sp.symbols("i u")
>>> X, K = sp.IndexedBase("X"), sp.IndexedBase("K")
>>> f = compile_expr(sp.Sum(X[i + u] * K[u], (u, 0, 1)))
>>> f({"i": 0}, {"X": np.array([3., 4., 5.]), "K": np.array([1., 2.])})
11.0
"""

from __future__ import annotations

import math
from ..clock import now as _clock

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = ["EvalLimit", "compile_expr", "tensor_name", "access_args", "is_access"]


class EvalLimit(ValueError):
    """The formula cannot be evaluated (unsupported form, unbound name, too much work)."""


#: maximum number of terms a single evaluation may visit
MAX_TERMS = 2_000_000


def tensor_name(node) -> str | None:
    """The tensor a node reads, or None: ``X[i, j]`` -> "X", ``I(i+m, j+n)`` -> "I", ``∂L/∂Y[...]`` -> "dL/dY".

    >>> import sympy as sp
    >>> i = sp.Symbol("i")
    >>> tensor_name(sp.IndexedBase("X")[i]), tensor_name(sp.Function("I")(i)), tensor_name(i)
    ('X', 'I', None)
    """
    if isinstance(node, sp.Indexed):
        base = node.base.label
        if isinstance(base, sp.Derivative):
            return _derivative_name(base)
        return str(base)
    if isinstance(node, AppliedUndef):
        fname = str(node.func.__name__)
        if fname == "at" and node.args:
            inner = node.args[0]
            if isinstance(inner, sp.Derivative):
                return _derivative_name(inner)
            if isinstance(inner, AppliedUndef):
                return str(inner.func.__name__)
            return str(inner)
        if fname in _NOT_TENSORS:
            return None
        return fname
    if isinstance(node, sp.Derivative):
        return _derivative_name(node)
    return None


#: applied functions of the parser that are operations, not tensor reads
_NOT_TENSORS = {"max_over", "min_over", "conv", "xcorr", "argmax_over", "sum_over"}


def _derivative_name(d) -> str:
    num = d.expr
    wrt = d.variables[0] if d.variables else None
    wname = tensor_name(wrt) if wrt is not None and tensor_name(wrt) else str(wrt)
    return f"d{num}/d{wname}"


def access_args(node) -> tuple:
    """The index expressions of a tensor access (empty for a whole tensor)."""
    if isinstance(node, sp.Indexed):
        return tuple(node.indices)
    if isinstance(node, AppliedUndef):
        if str(node.func.__name__) == "at":
            return tuple(node.args[1:])
        return tuple(node.args)
    if isinstance(node, sp.Derivative):
        wrt = node.variables[0] if node.variables else None
        return access_args(wrt) if wrt is not None else ()
    return ()


def is_access(node) -> bool:
    """True for a tensor read (``X[i]``, ``I(i, j)``, ``∂L/∂Y[i]``)."""
    return tensor_name(node) is not None


class _Budget:
    def __init__(self, deadline: float):
        self.deadline = deadline
        self.terms = 0

    def tick(self, n: int = 1) -> None:
        self.terms += n
        if self.terms > MAX_TERMS or (self.terms % 4096 == 0 and _clock() > self.deadline):
            raise EvalLimit("evaluation exceeded its work bound")


def _read(arr: np.ndarray, idx: tuple) -> float:
    out = []
    for v, n in zip(idx, arr.shape):
        if isinstance(v, float):
            if not v.is_integer():
                return 0.0
            v = int(v)
        if v < 0 or v >= n:
            return 0.0
        out.append(v)
    if len(idx) != arr.ndim:
        raise EvalLimit(f"tensor read with {len(idx)} indices but it has {arr.ndim} axes")
    return float(arr[tuple(out)])


def compile_expr(expr, *, bare_range: int = 8, time_limit: float = 2.0, aliases: dict | None = None,
                 deadline: float | None = None):
    """Compile ``expr`` into ``f(scalars, tensors) -> float``.

    Parameters
    ----------
    expr : SymPy expression (Add, Mul, Pow, Sum, Product, Indexed, applied functions,
        floor, ceiling, Max, Min, Piecewise, KroneckerDelta, Derivative-as-tensor).
    bare_range : a sum with a bare index set runs over ``[-bare_range, bare_range]``.
    time_limit : seconds one call may take.
    aliases : tensor name -> name in ``tensors`` (``{"delta": "dL/dY"}``).
    deadline : a ``_clock()`` instant no call may run past (the budget of a whole judgement).

    Raises
    ------
    EvalLimit
        At compile time for unsupported nodes; at call time for unbound names or too much work.
    """
    aliases = dict(aliases or {})
    state = {"budget": None}

    def c(e):
        if e.is_Integer or e.is_Rational or e.is_Float:
            val = float(e)
            return lambda s, t: val
        if e.is_Symbol:
            name = e.name

            def sym(s, t):
                try:
                    return s[name]
                except KeyError:
                    raise EvalLimit(f"no value for {name}") from None

            return sym
        if is_access(e):
            name = tensor_name(e)
            name = aliases.get(name, name)
            args = [c(a) for a in access_args(e)]

            def acc(s, t):
                arr = t.get(name)
                if arr is None:
                    raise EvalLimit(f"no tensor {name}")
                state["budget"].tick()
                if isinstance(arr, dict):
                    key = tuple(_as_int(a(s, t)) for a in args)
                    return float(arr.get(key[0] if len(key) == 1 else key, 0.0))
                return _read(arr, tuple(a(s, t) for a in args))

            return acc
        if e.is_Add:
            parts = [c(a) for a in e.args]
            return lambda s, t: math.fsum(p(s, t) for p in parts)
        if e.is_Mul:
            parts = [c(a) for a in e.args]

            def mul(s, t):
                out = 1.0
                for p in parts:
                    out *= p(s, t)
                    if out == 0.0:
                        return 0.0
                return out

            return mul
        if e.is_Pow:
            b, x = c(e.base), c(e.exp)

            def pw(s, t):
                bb, xx = b(s, t), x(s, t)
                if bb == 0 and xx < 0:
                    raise EvalLimit("division by zero")
                if abs(xx) > 64:
                    raise EvalLimit("power too large")
                return bb**xx

            return pw
        if isinstance(e, (sp.Sum, sp.Product)):
            body = c(e.function)
            limits = [(str(v), None if lo in (-sp.oo, sp.oo) else c(lo), None if hi in (-sp.oo, sp.oo) else c(hi), lo, hi)
                      for v, lo, hi in e.limits]
            is_sum = isinstance(e, sp.Sum)

            def loop(s, t, k=0):
                if k == len(limits):
                    state["budget"].tick()
                    return body(s, t)
                name, lo, hi, lo_e, hi_e = limits[k]
                a = s.get("#lo:" + name, -bare_range) if lo is None else _as_int(lo(s, t))
                b = s.get("#hi:" + name, bare_range) if hi is None else _as_int(hi(s, t))
                acc = 0.0 if is_sum else 1.0
                old = s.get(name, None)
                for v in range(a, b + 1):
                    s[name] = v
                    val = loop(s, t, k + 1)
                    acc = acc + val if is_sum else acc * val
                if old is None:
                    s.pop(name, None)
                else:
                    s[name] = old
                return acc

            return loop
        if isinstance(e, AppliedUndef) and str(e.func.__name__) in ("max_over", "min_over") and len(e.args) >= 2:
            body = c(e.args[0])
            lims = []
            for lim in e.args[1:]:
                if not isinstance(lim, sp.Tuple) or len(lim) != 3:
                    raise EvalLimit("max over a window without explicit bounds")
                v, lo, hi = lim
                lims.append((str(v), _window_bound(str(v), "#lo:", lo, c), _window_bound(str(v), "#hi:", hi, c)))
            pick = max if str(e.func.__name__) == "max_over" else min

            def mx(s, t, k=0):
                if k == len(lims):
                    state["budget"].tick()
                    return body(s, t)
                name, lo, hi = lims[k]
                old = s.get(name, None)
                vals = []
                for v in range(_as_int(lo(s, t)), _as_int(hi(s, t)) + 1):
                    s[name] = v
                    vals.append(mx(s, t, k + 1))
                if old is None:
                    s.pop(name, None)
                else:
                    s[name] = old
                if not vals:
                    raise EvalLimit("max over an empty window")
                return pick(vals)

            return mx
        if isinstance(e, sp.floor):
            a = c(e.args[0])
            return lambda s, t: float(math.floor(a(s, t) + 1e-12))
        if isinstance(e, sp.ceiling):
            a = c(e.args[0])
            return lambda s, t: float(math.ceil(a(s, t) - 1e-12))
        if isinstance(e, sp.Abs):
            a = c(e.args[0])
            return lambda s, t: abs(a(s, t))
        if isinstance(e, (sp.Max, sp.Min)):
            parts = [c(a) for a in e.args]
            f = max if isinstance(e, sp.Max) else min
            return lambda s, t: f(p(s, t) for p in parts)
        if isinstance(e, sp.KroneckerDelta):
            a, b = c(e.args[0]), c(e.args[1])
            return lambda s, t: 1.0 if a(s, t) == b(s, t) else 0.0
        if isinstance(e, sp.Piecewise):
            pieces = [(c(v), _cond(cnd)) for v, cnd in e.args]

            def pw_(s, t):
                for v, cnd in pieces:
                    if cnd(s, t):
                        return v(s, t)
                return 0.0

            return pw_
        if isinstance(e, sp.exp):
            a = c(e.args[0])
            return lambda s, t: math.exp(min(a(s, t), 700.0))
        if isinstance(e, sp.log):
            a = c(e.args[0])
            return lambda s, t: math.log(a(s, t)) if a(s, t) > 0 else _fail("log of a non-positive number")
        raise EvalLimit(f"cannot evaluate {type(e).__name__}")

    def _cond(cnd):
        if cnd is sp.true or cnd == True:  # noqa: E712
            return lambda s, t: True
        if cnd is sp.false:
            return lambda s, t: False
        if isinstance(cnd, sp.And):
            parts = [_cond(a) for a in cnd.args]
            return lambda s, t: all(p(s, t) for p in parts)
        if isinstance(cnd, sp.Or):
            parts = [_cond(a) for a in cnd.args]
            return lambda s, t: any(p(s, t) for p in parts)
        if isinstance(cnd, sp.Rel):
            a, b = c(cnd.lhs), c(cnd.rhs)
            op = cnd.rel_op
            ops = {"==": lambda x, y: x == y, "!=": lambda x, y: x != y, "<": lambda x, y: x < y,
                   "<=": lambda x, y: x <= y, ">": lambda x, y: x > y, ">=": lambda x, y: x >= y}
            f = ops[op]
            return lambda s, t: f(a(s, t), b(s, t))
        raise EvalLimit(f"cannot evaluate the condition {type(cnd).__name__}")

    compiled = c(expr)

    def run(scalars: dict, tensors: dict) -> float:
        now = _clock()
        end = now + time_limit if deadline is None else min(now + time_limit, deadline)
        if now > end:
            raise EvalLimit("the formula's time budget is spent")
        state["budget"] = _Budget(end)
        return compiled(dict(scalars), tensors)

    return run


def _window_bound(name: str, key: str, bound, c):
    """A bound of ``max_{u ∈ window}``: the expression, or, when the document names no range, the
    window the caller passes as the scalar ``"#lo:u"``/``"#hi:u"`` (else the evaluation stops)."""
    if bound not in (-sp.oo, sp.oo):
        return c(bound)

    def given(s, t):
        if key + name not in s:
            raise EvalLimit("max over an unbounded index set (the window's range is not given)")
        return s[key + name]

    return given


def _fail(msg):
    raise EvalLimit(msg)


def _as_int(x) -> int:
    if isinstance(x, float):
        if not x.is_integer():
            raise EvalLimit(f"summation limit {x} is not an integer")
        return int(x)
    return int(x)
