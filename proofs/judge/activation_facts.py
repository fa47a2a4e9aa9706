r"""Facts about an activation (or its derivative) computed from its definition: range, values, kinks, shape.

Nothing here is a typed answer: every fact is computed from the definitions in
:data:`proofs.judge.activations.DEFINITIONS` (the only typed part) — limits at ±∞ with SymPy, the
extremes on a dense grid refined by Newton's method on the derivative, one-sided difference
quotients at 0 in 40-digit arithmetic, monotonicity from the signs of the differences.

* ``inf``/``sup`` and whether they are attained (the range ``(0, 1)`` of the sigmoid, ``[0, ∞)`` of ReLU);
* ``at0`` (the value at 0), ``left0``/``right0`` (one-sided derivatives at 0);
* ``monotone``: ``"increasing"`` (strictly), ``"non-decreasing"``, or None (neither);
* ``odd``: ``f(−x) = −f(x)`` (zero-centred outputs);
* ``lim_neg``/``lim_pos``: the limits at −∞ and +∞.

Examples
--------
>>> f = facts("sigmoid")
>>> (f.inf, f.inf_attained, f.sup, f.sup_attained, f.at0)
(0.0, False, 1.0, False, 0.5)
>>> d = facts("sigmoid", order=1)
>>> round(d.sup, 12), d.sup_attained
(0.25, True)
>>> r = facts("relu"); (r.inf, r.inf_attained, r.left0, r.right0, r.monotone)
(0.0, True, 0.0, 1.0, 'non-decreasing')
>>> s = facts("swish"); round(s.inf, 4), s.monotone
(-0.2785, None)
>>> facts("softmax")
Traceback (most recent call last):
...
ValueError: no definition of the activation 'softmax' (known: sigmoid, tanh, relu, ...)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import sympy as sp

from .activations import DEFINITIONS, _x

__all__ = ["Facts", "facts"]

_GRID = tuple(i / 20 for i in range(-400, 401))  # −20 … 20, step 0.05 (0 and every kink of the table on it)
_H = mpmath.mpf("1e-15")


@dataclass(frozen=True)
class Facts:
    """Computed facts of one function (an activation or one of its derivatives)."""

    inf: float
    inf_attained: bool
    sup: float
    sup_attained: bool
    at0: float | None
    left0: float | None
    right0: float | None
    monotone: str | None
    odd: bool
    lim_neg: float = math.nan
    lim_pos: float = math.nan

    @property
    def differentiable0(self) -> bool | None:
        """Is the function differentiable at 0 (equal one-sided derivatives)?"""
        if self.left0 is None or self.right0 is None:
            return None
        return abs(self.left0 - self.right0) <= 1e-9 * max(1.0, abs(self.right0))


def _branch(expr, side):
    """The piece of a case split that holds towards ``side`` (±∞)."""
    if not isinstance(expr, sp.Piecewise):
        return expr
    far = sp.Integer(10) ** 6 * (1 if side == sp.oo else -1)
    for e, cond in expr.args:
        if cond == sp.true or bool(cond.xreplace({_x: far})):
            return e
    raise ValueError(f"no piece of {expr} holds towards {side}")


def _limit(expr, side) -> float:
    v = sp.limit(_branch(expr, side), _x, side)
    if v in (sp.oo, -sp.oo):
        return math.inf if v == sp.oo else -math.inf
    if not v.is_real:
        raise ValueError(f"no real limit at {side}")
    return mpmath.mpf(str(sp.N(v, 45)))


def _refine(f, df, x0: float) -> float:
    """The extremum next to the grid point ``x0`` (a root of ``f'``), else ``x0`` itself."""
    try:
        root = float(mpmath.findroot(df, mpmath.mpf(x0)))
    except (ValueError, ZeroDivisionError):
        return x0
    return root if abs(root - x0) < 0.1 else x0


def _extreme(f, df, values, lim, sign: int, grid=_GRID):
    """``(value, attained)`` of the infimum (sign 1) or supremum (sign −1)."""
    best = min(range(len(values)), key=lambda i: sign * values[i])
    if sign * float(values[best]) < sign * lim - 1e-12:  # an interior extremum below the limit
        x = _refine(f, df, grid[best])
        return float(f(mpmath.mpf(x))), True
    if mpmath.isinf(lim):
        return float(lim), False
    attained = any(abs(v - lim) <= mpmath.mpf("1e-30") for v in values)
    return float(lim), attained


@lru_cache(maxsize=128)
def facts(name: str, order: int = 0, convention: int = 0, params: tuple = ()) -> Facts:
    """Facts of the activation ``name`` (``order``: 0 the function, 1 its derivative) at its default parameters.

    ``params`` overrides parameters as ``(("alpha", value), …)``; ``convention`` picks one of the
    definitions in use (GELU's exact form or its approximations).
    """
    if name not in DEFINITIONS:
        raise ValueError(f"no definition of the activation {name!r} (known: {', '.join(list(DEFINITIONS)[:3])}, ...)")
    if order not in (0, 1):
        raise ValueError(f"facts of the function (order 0) or its derivative (order 1) only, not order {order}")
    defs, defaults = DEFINITIONS[name]
    if not 0 <= convention < len(defs):
        raise ValueError(f"{name} has {len(defs)} definition(s); convention {convention} is not one")
    given = dict(params)
    values = {p: sp.nsimplify(given.get(p.name, d)) for p, d in defaults.items()}
    expr = defs[convention].xreplace(values)
    if expr.has(sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.Piecewise):
        expr = sp.piecewise_fold(expr.rewrite(sp.Piecewise))
    expr = sp.diff(expr, _x) if order else expr
    fm = sp.lambdify(_x, expr, modules="mpmath")
    dfm = sp.lambdify(_x, sp.diff(expr, _x), modules="mpmath")
    with mpmath.workdps(40):
        ys = [fm(mpmath.mpf(g)) for g in _GRID]
        lo, hi = _limit(expr, -sp.oo), _limit(expr, sp.oo)
        inf, inf_at = _extreme(fm, dfm, ys, min(lo, hi), 1)
        sup, sup_at = _extreme(fm, dfm, ys, max(lo, hi), -1)
        if order == 1 and expr.has(sp.Piecewise):
            # a derivative with jumps: at a kink its value is a convention; off the kinks the extremes must agree,
            # else they are not known here (nan: no claim about them is judged)
            off = tuple(g + 0.0123 for g in _GRID)
            ys_off = [fm(mpmath.mpf(g)) for g in off]
            inf2, inf_at2 = _extreme(fm, dfm, ys_off, min(lo, hi), 1, off)
            sup2, sup_at2 = _extreme(fm, dfm, ys_off, max(lo, hi), -1, off)
            inf_at, sup_at = inf_at and inf_at2, sup_at and sup_at2
            if abs(inf2 - inf) > 1e-6 or math.isinf(inf) != math.isinf(inf2):
                inf = math.nan
            if abs(sup2 - sup) > 1e-6 or math.isinf(sup) != math.isinf(sup2):
                sup = math.nan
        at0 = float(fm(mpmath.mpf(0)))
        if order == 1:  # f'(0) from the one-sided quotients of f, where they agree
            base = facts(name, 0, convention, params)
            at0 = base.right0 if base.differentiable0 else math.nan
        left0 = float((fm(mpmath.mpf(0)) - fm(-_H)) / _H)
        right0 = float((fm(_H) - fm(mpmath.mpf(0))) / _H)
        odd = all(abs(float(fm(mpmath.mpf(g)) + fm(mpmath.mpf(-g)))) <= 1e-12 for g in _GRID[::7])
        steps = [b - a for a, b in zip(ys, ys[1:])]
    monotone = "increasing" if all(s > 0 for s in steps) else "non-decreasing" if all(s >= 0 for s in steps) else None
    return Facts(inf, inf_at, sup, sup_at, at0, round(left0, 9), round(right0, 9), monotone, odd, float(lo), float(hi))
