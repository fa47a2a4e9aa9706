r"""Exhaustive checks of a step on a stated bounded grid, vectorised with NumPy.

Where SymPy cannot decide an identity with floors and ceilings, a derivation
step is not tried at a few random points: it is evaluated at *every*
admissible point of a grid stated in the derivation (say every ``H ≤ 64,
k ≤ 7, s ≤ 4, P ≤ 3, d ≤ 3``), all at once as NumPy arrays.
:func:`evaluate` walks the SymPy tree itself (``Add``, ``Mul``, ``Pow``,
``floor``, ``ceiling``, ``Min``, ``Max``, ``Piecewise``, the Iverson bracket,
relations, ``And``/``Or``/``Not`` and finite ``Sum`` s, whose bounds may vary
over the grid). Values are float64; the quantities are ratios of small
integers, so ``floor`` and ``ceiling`` are taken with a tolerance of ``1e-9``
(a ratio ``a/b`` with ``b ≤ 10⁶`` is that far from the next integer or on it).

Examples
--------
>>> import sympy as sp
>>> H, s = sp.symbols("H s", integer=True, positive=True)
>>> pts = grid_points({"H": (1, 64), "s": (1, 4)}, ["H", "s"])
>>> len(pts["H"])
256
>>> check(sp.floor((H - 1) / s) + 1, sp.ceiling(H / s), "=", pts)
(True, None)
>>> ok, where = check(sp.floor(H / s), sp.ceiling(H / s), "=", pts)
>>> ok, where
(False, {'H': 1, 's': 2, 'lhs': 0, 'rhs': 1})
"""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np
import sympy as sp

from .iverson import Iverson

__all__ = ["grid_points", "iter_grid", "evaluate", "check", "check_on_grid", "grid_text", "Unsupported", "EPS"]

#: tolerance of floor/ceiling and of comparisons
EPS = 1e-9
#: largest grid a step may be checked on
MAX_POINTS = 20_000_000
#: points evaluated at once (the grid is walked in chunks of about this many)
CHUNK = 200_000


class Unsupported(TypeError):
    """An expression the vectorised evaluator does not handle (the caller falls back to sampling)."""


def iter_grid(grid: dict[str, tuple[int, int]], names: Iterable[str],
              constraints: Iterable[Callable] = (), chunk: int = CHUNK):
    """The admissible points of the grid over ``names`` (inclusive integer ranges), in chunks.

    Yields ``{name: int64 array}``. A constraint is called with such a dict and
    must work elementwise (``&``, ``np.maximum``, comparisons); one that names a
    symbol the step does not have (``KeyError``) is skipped.

    Raises
    ------
    Unsupported
        A name without a range, or a grid larger than :data:`MAX_POINTS`.
    """
    names = sorted(names)
    missing = [n for n in names if n not in grid]
    if missing:
        raise Unsupported(f"no grid range for {missing}")
    ranges = [np.arange(grid[n][0], grid[n][1] + 1, dtype=np.int64) for n in names]
    total = int(np.prod([len(r) for r in ranges])) if ranges else 1
    if total > MAX_POINTS:
        raise Unsupported(f"grid of {total} points is larger than {MAX_POINTS}")
    constraints = list(constraints)
    if not ranges:
        yield {}
        return
    inner = total // len(ranges[0])
    step = max(1, chunk // max(inner, 1))
    for start in range(0, len(ranges[0]), step):
        parts = [ranges[0][start:start + step], *ranges[1:]]
        mesh = np.meshgrid(*parts, indexing="ij")
        points = {n: m.ravel() for n, m in zip(names, mesh)}
        keep = np.ones(points[names[0]].shape, dtype=bool)
        for c in constraints:
            try:
                keep &= np.broadcast_to(np.asarray(c(points), dtype=bool), keep.shape)
            except KeyError:
                continue
        yield {n: v[keep] for n, v in points.items()}


def grid_points(grid: dict[str, tuple[int, int]], names: Iterable[str],
                constraints: Iterable[Callable] = ()) -> dict[str, np.ndarray]:
    """Every admissible point of the grid over ``names``, in one dict of arrays (see :func:`iter_grid`)."""
    chunks = list(iter_grid(grid, names, constraints))
    names = sorted(names)
    return {n: np.concatenate([c[n] for c in chunks]) for n in names}


def evaluate(expr, values: dict[str, np.ndarray]):
    """``expr`` at every point (``values``: symbol name → array); arrays of floats or booleans."""
    if isinstance(expr, (bool, int, float)):
        return expr
    e = expr
    if e is sp.true or e is sp.false:
        return bool(e)
    if e.is_Symbol:
        if e.name not in values:
            raise Unsupported(f"no value for {e.name}")
        v = values[e.name]
        return v if v.dtype == float else v.astype(float)
    if e.is_Number:
        if not e.is_Rational:
            raise Unsupported(f"non-rational number {e}")
        return float(e)
    args = e.args
    if isinstance(e, sp.Add):
        return sum(evaluate(a, values) for a in args)
    if isinstance(e, sp.Mul):
        out = 1.0
        for a in args:
            out = out * evaluate(a, values)
        return out
    if isinstance(e, sp.Pow):
        if not args[1].is_Integer:
            raise Unsupported(f"non-integer power {e}")
        return evaluate(args[0], values) ** int(args[1])
    for kind, fn in _UNARY.items():
        if isinstance(e, kind):
            return fn(evaluate(args[0], values))
    for kind, fn in _NARY.items():
        if isinstance(e, kind):
            return _reduce(fn, args, values)
    if isinstance(e, sp.Piecewise):
        conds = [np.broadcast_to(evaluate(c, values), _shape(values)) for _, c in args]
        vals = [np.broadcast_to(evaluate(v, values), _shape(values)) for v, _ in args]
        return np.select(conds, vals, default=np.nan)
    if isinstance(e, sp.Rel):
        a, b = evaluate(e.lhs, values), evaluate(e.rhs, values)
        return _RELATIONS[type(e)](a, b)
    if isinstance(e, sp.Sum):
        return _sum(e, values)
    raise Unsupported(f"cannot evaluate {type(e).__name__} on a grid")


#: one-argument nodes (floor and ceiling with the tolerance :data:`EPS`)
_UNARY = {
    sp.floor: lambda a: np.floor(a + EPS),
    sp.ceiling: lambda a: np.ceil(a - EPS),
    sp.Abs: np.abs,
    sp.Not: np.logical_not,
    Iverson: lambda a: np.where(a, 1.0, 0.0),
}
#: nodes folded over their arguments
_NARY = {sp.Min: np.minimum, sp.Max: np.maximum, sp.And: np.logical_and, sp.Or: np.logical_or}

_RELATIONS = {
    sp.Eq: lambda a, b: np.abs(a - b) < EPS,
    sp.Ne: lambda a, b: np.abs(a - b) >= EPS,
    sp.Le: lambda a, b: a <= b + EPS,
    sp.Lt: lambda a, b: a < b - EPS,
    sp.Ge: lambda a, b: a >= b - EPS,
    sp.Gt: lambda a, b: a > b + EPS,
}


def _shape(values) -> tuple:
    for v in values.values():
        return v.shape
    return ()


def _reduce(fn, args, values):
    out = evaluate(args[0], values)
    for a in args[1:]:
        out = fn(out, evaluate(a, values))
    return out


def _sum(e: sp.Sum, values):
    body, *limits = e.args
    if len(limits) != 1:
        raise Unsupported("only single sums")
    var, lo, hi = limits[0]
    lo_v = np.broadcast_to(evaluate(lo, values), _shape(values))
    hi_v = np.broadcast_to(evaluate(hi, values), _shape(values))
    if lo_v.size == 0:
        return np.zeros(0)
    total = np.zeros(_shape(values))
    for i in range(int(np.floor(lo_v.min() + EPS)), int(np.floor(hi_v.max() + EPS)) + 1):
        inner = dict(values)
        inner[var.name] = np.full(_shape(values), float(i))
        term = evaluate(body, inner)
        total = total + np.where((i >= lo_v - EPS) & (i <= hi_v + EPS), term, 0.0)
    return total


def check(lhs, rhs, relation: str, points: dict[str, np.ndarray]) -> tuple[bool, dict | None]:
    """Does ``lhs <relation> rhs`` hold at every point? ``(True, None)`` or ``(False, first failing point)``."""
    floats = {n: v.astype(float) for n, v in points.items()}  # converted once, not at every use
    a = np.broadcast_to(evaluate(lhs, floats), _shape(points))
    b = np.broadcast_to(evaluate(rhs, floats), _shape(points))
    tests = {"=": lambda: np.abs(a - b) < 1e-6, "<=": lambda: a <= b + EPS, "<": lambda: a < b - EPS,
             ">=": lambda: a >= b - EPS, ">": lambda: a > b + EPS, "iff": lambda: a.astype(bool) == b.astype(bool)}
    ok = tests[relation]()
    bad = np.flatnonzero(~ok)
    if bad.size == 0:
        return True, None
    n = bad[0]
    where = {name: int(v[n]) for name, v in points.items()}
    where.update(lhs=_scalar(a[n]), rhs=_scalar(b[n]))
    return False, where


def check_on_grid(lhs, rhs, relation: str, grid: dict[str, tuple[int, int]], names: Iterable[str],
                  constraints: Iterable[Callable] = ()) -> tuple[bool, dict | None, int]:
    """:func:`check` on every admissible point of the grid, chunk by chunk: ``(holds, failure, points)``.

    >>> import sympy as sp
    >>> H, s = sp.symbols("H s", integer=True, positive=True)
    >>> check_on_grid(sp.floor((H + s - 1) / s), sp.ceiling(H / s), "=", {"H": (1, 64), "s": (1, 4)}, ["H", "s"])
    (True, None, 256)
    """
    constraints = list(constraints)
    count = 0
    for points in iter_grid(grid, names, constraints):
        n = len(next(iter(points.values()))) if points else 1
        if n == 0:
            continue
        ok, where = check(lhs, rhs, relation, points)
        if not ok:
            return False, where, count
        count += n
    return True, None, count


def _scalar(v):
    v = v.item() if hasattr(v, "item") else v
    return int(v) if isinstance(v, float) and v.is_integer() else v


def grid_text(grid: dict[str, tuple[int, int]]) -> str:
    """How a step states its grid (ASCII, so that it typesets in LaTeX's ``\\text``).

    >>> grid_text({"H": (1, 64), "k": (1, 7)})
    'H = 1..64, k = 1..7'
    """
    return ", ".join(f"{n} = {lo}..{hi}" for n, (lo, hi) in grid.items())
