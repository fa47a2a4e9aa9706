r"""The simplest equal form of a one-variable size formula with floors, ceilings, min and max.

With numbers for kernel, stride, padding and dilation, the ceil-mode pooling
size is ``min(⌈(H − 1)/2⌉, ⌊H/2⌋) + 1`` and the like; SymPy keeps the ``min``.
:func:`simplest_equal` finds an equal form ``⌊(H + a)/T⌋ + b`` or
``⌈(H + a)/T⌉ + b`` and *proves* the equality for every integer ``H``:

1. every floor/ceiling argument is ``(H + c)/q`` up to a factor; with ``T``
   the least common multiple of the ``q``, ``H → H + T`` moves each argument
   by an integer, so each floor/ceiling grows by exactly that integer, a sum
   by the sum, and a ``min``/``max`` whose arguments grow alike by the same
   amount: the formula grows by a computed ``Δ`` (here ``Δ = 1``);
2. the candidate grows by 1 when ``H`` grows by ``T`` too, so the difference
   is periodic with period ``T``;
3. the two agree at ``T`` consecutive integers: they agree at every integer.

Among the equal candidates the one with the shortest printed form is kept.

Examples
--------
>>> import sympy as sp
>>> H = sp.Symbol("H", integer=True, positive=True)
>>> simplest_equal(sp.Min(sp.ceiling((H - 1) / 2), sp.floor(H / 2)) + 1, H)
(floor(H/2) + 1, 'H -> H + 2 moves both sides by 1 (every floor/ceiling argument by an integer), and they agree at H = 1..2: equal for every integer H')
>>> simplest_equal(sp.Min(sp.ceiling(H / 2) - 1, sp.floor((H - 1) / 2)) + 1, H)[0]
ceiling(H/2)
>>> simplest_equal(sp.floor(H / 3) + sp.floor((H + 1) / 2), H)   # two periods: no single floor, left alone
(floor(H/3) + floor(H/2 + 1/2), None)
"""

from __future__ import annotations

from math import lcm

import sympy as sp

__all__ = ["simplest_equal", "period_growth"]


def period_growth(expr: sp.Expr, var: sp.Symbol) -> tuple[int, sp.Expr] | None:
    """``(T, Δ)`` with ``expr(var + T) = expr(var) + Δ`` for every integer ``var``, read off the tree; or None.

    >>> H = sp.Symbol("H", integer=True)
    >>> period_growth(sp.Min(sp.ceiling((H - 3) / 2), sp.floor((H - 1) / 2)) + 1, H)
    (2, 1)
    >>> period_growth(sp.Min(sp.floor(H / 2), H), H) is None   # min of arguments growing differently
    True
    """
    period = _period(expr, var)
    if period is None:
        return None
    growth = _growth(expr, var, period)
    return None if growth is None else (period, growth)


def _period(expr, var) -> int | None:
    q = 1
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.floor, sp.ceiling)):
            coeff = sp.expand(node.args[0]).coeff(var)
            if not coeff.is_Rational or coeff.has(var):
                return None
            q = lcm(q, int(sp.Rational(coeff).q))
    return q


def _growth(expr, var, period: int):
    """Increase of ``expr`` when ``var`` grows by ``period`` (exact, for every integer ``var``), or None."""
    if not expr.has(var):
        return sp.Integer(0)
    if expr == var:
        return sp.Integer(period)
    if isinstance(expr, (sp.floor, sp.ceiling)):
        inner = _growth(expr.args[0], var, period)
        return inner if inner is not None and inner.is_Integer else None
    if isinstance(expr, sp.Add):
        parts = [_growth(a, var, period) for a in expr.args]
        return None if any(p is None for p in parts) else sp.Add(*parts)
    if isinstance(expr, sp.Mul):
        const = [a for a in expr.args if not a.has(var)]
        varying = [a for a in expr.args if a.has(var)]
        if len(varying) != 1:
            return None
        inner = _growth(varying[0], var, period)
        return None if inner is None else sp.Mul(*const) * inner
    if isinstance(expr, (sp.Min, sp.Max)):
        parts = {_growth(a, var, period) for a in expr.args}
        return parts.pop() if len(parts) == 1 and None not in parts else None
    return None


def _candidates(t: int, a: int, b: int, var):
    """Forms equal to ``⌊(var + a)/t⌋ + b``: shift ``j`` periods between the constant and the argument."""
    for j in sorted({-1, 0, 1, b}):
        yield sp.floor((var + a + j * t) / t) + (b - j)
        yield sp.ceiling((var + a - t + 1 + j * t) / t) + (b - j)


def _printed(expr) -> str:
    from .pretty import unicode_formula

    return unicode_formula(expr)


def simplest_equal(expr: sp.Expr, var: sp.Symbol) -> tuple[sp.Expr, str | None]:
    """The shortest printed form equal to ``expr`` at every integer ``var``, and the reason it is equal.

    Applies to expressions in ``var`` alone that grow by 1 over one period;
    anything else is returned unchanged with reason None.
    """
    if expr.free_symbols != {var} or not expr.has(sp.floor, sp.ceiling, sp.Min, sp.Max):
        return expr, None
    found = period_growth(expr, var)
    if found is None or found[1] != 1:
        return expr, None
    t, _ = found
    values = [int(expr.subs(var, h)) for h in range(1, t + 1)]
    for a in range(t):
        offsets = {v - (h + a) // t for h, v in zip(range(1, t + 1), values)}
        if len(offsets) == 1:
            b = offsets.pop()
            break
    else:
        return expr, None
    best, shortest = expr, len(_printed(expr))
    for cand in _candidates(t, a, b, var):
        if [int(cand.subs(var, h)) for h in range(1, t + 1)] != values:
            continue  # (cannot happen: every candidate is ⌊(var + a)/t⌋ + b rewritten; kept as a check)
        length = len(_printed(cand))
        if length < shortest:
            best, shortest = cand, length
    if best == expr:
        return expr, None
    reason = (f"{var} -> {var} + {t} moves both sides by 1 (every floor/ceiling argument by an integer), "
              f"and they agree at {var} = 1..{t}: equal for every integer {var}")
    return best, reason
