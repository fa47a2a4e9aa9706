r"""Evaluate an index-sum expression on NumPy arrays, entry by entry.

This is how a derived gradient is *run*: the SymPy expression itself (sums,
``Piecewise`` guards, ``Mod`` divisibility tests, ``Indexed`` reads) is walked
and computed with NumPy over a grid of free indices — no hand-written kernel
stands in for it. Every index gets its own axis of a fixed-rank broadcast
grid, a ``Sum`` adds an axis and sums it away.

A read ``X[e]`` whose index ``e`` is not an integer inside ``X``'s shape gives
``NaN``: if a derived formula forgot a guard (a divisibility or range
condition), the NaN leaks into the result and every check fails loudly.

Examples
--------
>>> import numpy as np, sympy as sp
>>> a, i = sp.symbols("a i", integer=True)
>>> X = sp.IndexedBase("X")
>>> expr = sp.Sum(sp.Piecewise((X[(a - i) / 2], sp.Eq(sp.Mod(a - i, 2), 0)), (0, True)), (i, 0, 1))
>>> evaluate(expr, {"X": np.array([10.0, 20.0, 30.0])}, grid=[(a, 5)])
array([10., 10., 20., 20., 30.])
>>> evaluate(X[a + 1], {"X": np.array([1.0, 2.0])}, grid=[(a, 2)])
array([ 2., nan])
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np
import sympy as sp

from ..iverson import Iverson

__all__ = ["evaluate", "as_int"]

_RANK = 24  # fixed rank of the broadcast grid: one axis per index symbol


def as_int(value) -> int:
    """A concrete integer from an int or an integer-valued SymPy number.

    >>> as_int(sp.Integer(3)), as_int(4)
    (3, 4)
    >>> as_int(sp.Rational(1, 2))
    Traceback (most recent call last):
    ...
    ValueError: expected an integer size, got 1/2
    """
    v = sp.sympify(value)
    if not (v.is_number and v.is_integer):
        raise ValueError(f"expected an integer size, got {value}")
    return int(v)


class _Evaluator:
    def __init__(self, arrays, functions, env):
        self.arrays = {k: np.asarray(v, dtype=np.float64) for k, v in arrays.items()}
        self.functions = dict(functions)
        self.env = dict(env)
        self.next_axis = 0

    def new_axis(self, sym: sp.Symbol, lo: int, hi: int) -> int:
        if self.next_axis >= _RANK:
            raise ValueError(f"more than {_RANK} nested indices")
        axis = self.next_axis
        self.next_axis += 1
        shape = [1] * _RANK
        shape[axis] = max(hi - lo + 1, 0)
        self.env[sym] = np.arange(lo, hi + 1, dtype=np.float64).reshape(shape)
        return axis

    def scalar(self, expr) -> int:
        v = self.ev(expr)
        if np.ndim(v) != 0:
            raise ValueError(f"summation limit {expr} depends on an index")
        return int(round(float(v)))

    def ev(self, e):  # noqa: C901 - one branch per node type reads best
        if isinstance(e, (int, float)):
            return float(e)
        if e.is_Number:
            return float(e)
        if isinstance(e, sp.Symbol):
            if e in self.env:
                return self.env[e]
            raise ValueError(f"no value for the symbol {e}")
        if isinstance(e, sp.Indexed):
            return self.read(e)
        if isinstance(e, sp.Sum):
            return self.sum(e)
        if isinstance(e, sp.Add):
            out = 0.0
            for a in e.args:
                out = out + self.ev(a)
            return out
        if isinstance(e, sp.Mul):
            guards = [a for a in e.args if isinstance(a, Iverson)]
            out = 1.0
            for a in e.args:
                if not isinstance(a, Iverson):
                    out = out * self.ev(a)
            for g in guards:  # strongly zero: [false]·undefined = 0
                out = np.where(np.asarray(self.ev(g.args[0]), dtype=bool), out, 0.0)
            return out
        if isinstance(e, Iverson):
            return np.where(np.asarray(self.ev(e.args[0]), dtype=bool), 1.0, 0.0)
        if isinstance(e, sp.Pow):
            base, ex = self.ev(e.base), self.ev(e.exp)
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.power(base, ex)
        if isinstance(e, sp.Piecewise):
            return self.piecewise(e)
        if isinstance(e, sp.KroneckerDelta):
            return np.where(np.isclose(self.ev(e.args[0]), self.ev(e.args[1])), 1.0, 0.0)
        if isinstance(e, sp.Mod):
            return np.mod(self.ev(e.args[0]), self.ev(e.args[1]))
        if isinstance(e, sp.floor):
            return np.floor(self.ev(e.args[0]) + 1e-9)
        if isinstance(e, sp.ceiling):
            return np.ceil(self.ev(e.args[0]) - 1e-9)
        if isinstance(e, sp.Min):
            vals = [self.ev(a) for a in e.args]
            out = vals[0]
            for v in vals[1:]:
                out = np.minimum(out, v)
            return out
        if isinstance(e, sp.Max):
            vals = [self.ev(a) for a in e.args]
            out = vals[0]
            for v in vals[1:]:
                out = np.maximum(out, v)
            return out
        if isinstance(e, sp.exp):
            return np.exp(self.ev(e.args[0]))
        if isinstance(e, sp.log):
            return np.log(self.ev(e.args[0]))
        if isinstance(e, sp.Abs):
            return np.abs(self.ev(e.args[0]))
        if e is sp.true:
            return True
        if e is sp.false:
            return False
        if isinstance(e, sp.Eq):
            return np.isclose(self.ev(e.lhs), self.ev(e.rhs))
        if isinstance(e, sp.Ne):
            return ~np.isclose(self.ev(e.lhs), self.ev(e.rhs))
        if isinstance(e, (sp.Le, sp.Ge, sp.Lt, sp.Gt)):
            lhs, rhs = self.ev(e.lhs), self.ev(e.rhs)
            tol = 1e-9
            return {
                sp.Le: lambda: lhs <= rhs + tol,
                sp.Ge: lambda: lhs >= rhs - tol,
                sp.Lt: lambda: lhs < rhs - tol,
                sp.Gt: lambda: lhs > rhs + tol,
            }[type(e)]()
        if isinstance(e, sp.And):
            out = True
            for a in e.args:
                out = np.logical_and(out, self.ev(a))
            return out
        if isinstance(e, sp.Or):
            out = False
            for a in e.args:
                out = np.logical_or(out, self.ev(a))
            return out
        if isinstance(e, sp.Not):
            return np.logical_not(self.ev(e.args[0]))
        if isinstance(e, sp.Function) and e.func.__name__ in self.functions:
            return self.functions[e.func.__name__](*[self.ev(a) for a in e.args])
        if isinstance(e, sp.Derivative):
            raise ValueError("a formal derivative cannot be evaluated entrywise; use finite differences")
        raise ValueError(f"cannot evaluate {type(e).__name__} node {e}")

    def read(self, e: sp.Indexed):
        name = str(e.base.label)
        if name not in self.arrays:
            raise ValueError(f"no array given for {name}")
        arr = self.arrays[name]
        if len(e.indices) != arr.ndim:
            raise ValueError(f"{name} has {arr.ndim} axes but is read with {len(e.indices)} indices")
        idx, ok = [], True
        for k, ix in enumerate(e.indices):
            v = np.asarray(self.ev(ix), dtype=np.float64)
            r = np.rint(v)
            ok = ok & (np.abs(v - r) < 1e-9) & (r >= 0) & (r <= arr.shape[k] - 1)
            idx.append(r)
        ok = np.asarray(ok)
        safe = [np.where(ok, r, 0).astype(np.int64) for r in idx]
        if arr.size == 0:
            return np.full(np.broadcast(*safe).shape if safe else (), np.nan)
        return np.where(ok, arr[tuple(safe)], np.nan)

    def sum(self, e: sp.Sum):
        saved_env, saved_axis = dict(self.env), self.next_axis
        axes = [self.new_axis(sym, self.scalar(lo), self.scalar(hi)) for sym, lo, hi in e.limits]
        val = np.asarray(self.ev(e.function), dtype=np.float64)
        val = np.broadcast_arrays(val, *[self.env[sym] for sym, _, _ in e.limits])[0]
        out = np.sum(val, axis=tuple(axes), keepdims=True)
        self.env, self.next_axis = saved_env, saved_axis
        return out

    def piecewise(self, e: sp.Piecewise):
        conds = [np.asarray(self.ev(cond), dtype=bool) for _, cond in e.args]
        vals = [np.asarray(self.ev(expr), dtype=np.float64) for expr, _ in e.args]
        out, matched = np.nan, False
        for c, v in zip(reversed(conds), reversed(vals)):
            out = np.where(c, v, out)
        for c in conds:
            matched = np.logical_or(matched, c)
        return np.where(matched, out, np.nan)


def evaluate(
    expr: sp.Basic,
    arrays: Mapping[str, np.ndarray],
    *,
    grid: Sequence[tuple[sp.Symbol, int]] = (),
    values: Mapping[sp.Symbol, int] | None = None,
    functions: Mapping[str, Callable] | None = None,
) -> np.ndarray:
    """Evaluate ``expr`` for every point of ``grid``.

    Parameters
    ----------
    expr : sympy expression
        Built from ``Indexed`` reads of the arrays, sums, ``Piecewise``, ``Mod``,
        ``floor``, ``Min``/``Max``, ``KroneckerDelta``, ``exp``, ``log``.
    arrays : mapping
        ``{IndexedBase name: ndarray}``.
    grid : sequence of ``(symbol, size)``
        The free indices, each running over ``0 … size-1``; the result has
        shape ``(size, …)`` in this order.
    values : mapping, optional
        Concrete integers for the size symbols (``H``, ``s``, ``P`` …), floats
        for real-valued ones (``ε``).
    functions : mapping, optional
        ``{name: callable}`` for undefined functions in ``expr`` (e.g. the
        arg-max of a pooling window), called with broadcast float arrays.

    Returns
    -------
    numpy.ndarray
        float64, NaN where an unguarded read fell outside an array.

    Raises
    ------
    ValueError
        A symbol without a value, an array missing, or an unsupported node.
    """
    env = {s: float(as_int(v)) if s.is_integer else float(v) for s, v in (values or {}).items()}
    ev = _Evaluator(arrays, functions or {}, env)
    axes = [ev.new_axis(sym, 0, int(size) - 1) for sym, size in grid]
    out = np.asarray(ev.ev(sp.sympify(expr)), dtype=np.float64)
    shape = [1] * _RANK
    for (sym, size), ax in zip(grid, axes):
        shape[ax] = int(size)
    out = np.broadcast_to(out.reshape(out.shape + (1,) * (_RANK - out.ndim)) if 0 < out.ndim < _RANK else out, shape)
    return np.array(out.reshape([int(size) for _, size in grid]))
