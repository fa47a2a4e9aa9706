r"""Differentiate ``L = Σ G·Y`` with respect to one ``Indexed`` entry, then
eliminate the Kronecker deltas — keeping every divisibility and range condition.

SymPy differentiates an index sum with respect to an entry ``X[a]`` by the
rule ``∂X[e]/∂X[a] = δ(e, a)``; what remains is to let each delta collapse a
sum. SymPy's own ``deltasummation`` solves ``δ(s·i + d·p, a)`` for ``i`` and
substitutes ``i = (a − d·p)/s`` *without* asking whether that is an integer —
exactly the mistake documents make. :func:`eliminate_deltas` therefore
collapses the sums itself: solving ``c·k + r = 0`` for a summation index ``k``
(``k`` linear, ``c`` an integer or a positive size) gives

* ``k = −r/c`` substituted into the summand,
* the **range** condition ``lo ≤ −r/c ≤ hi`` (the sum's limits),
* and, when ``c ≠ ±1``, the **divisibility** condition ``(−r) mod c = 0``,

and the collapsed sum is ``Σ_rest Piecewise((summand, conditions), (0, True))``.

Examples
--------
>>> import sympy as sp
>>> i, p, a = sp.symbols("i p a", integer=True)
>>> H, K, s = sp.symbols("H K s", integer=True, positive=True)
>>> X, W, G = sp.IndexedBase("X"), sp.IndexedBase("W"), sp.IndexedBase("G")
>>> L = sp.Sum(G[i] * sp.Sum(W[p] * X[s*i + p], (p, 0, K - 1)), (i, 0, H - 1))
>>> dL = sp.diff(L, X[a])
>>> res = eliminate_deltas(dL, prefer=[i])
>>> res.collapsed[0][0]
i
>>> res.expr
Sum(Piecewise((G[(a - p)/s]*W[p], Eq(Mod(a - p, s), 0) & ((a - p)/s >= 0) & (H >= 1 + (a - p)/s)), (0, True)), (p, 0, K - 1))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import sympy as sp
from sympy.core.parameters import distribute

from ..iverson import Iverson

__all__ = ["flatten_sums", "eliminate_deltas", "Elimination", "drop_implied"]


def flatten_sums(expr: sp.Basic) -> list[tuple[sp.Expr, list[tuple]]]:
    """Expand ``expr`` into terms ``(summand, limits)`` with all sums outermost.

    Products of sums become one sum over all their indices (the indices are
    distinct symbols, so the sums commute and distribute). Only the parts that
    hold a Kronecker delta are taken apart; the rest stays whole.

    >>> import sympy as sp
    >>> i, j = sp.symbols("i j", integer=True)
    >>> x = sp.IndexedBase("x")
    >>> j = sp.Symbol("j", integer=True)
    >>> flatten_sums(sp.Sum(x[i] * sp.KroneckerDelta(i, j), (i, 0, 2)) * 3 + x[0])
    [(3*KroneckerDelta(i, j)*x[i], [(i, 0, 2)]), (x[0], [])]
    """
    expr = sp.sympify(expr)
    if not expr.has(sp.KroneckerDelta):  # nothing to collapse: keep it whole
        return [] if expr == 0 else [(expr, [])]
    if isinstance(expr, sp.Sum):
        return [(f, list(expr.limits) + lims) for f, lims in flatten_sums(expr.function)]
    if isinstance(expr, sp.Add):
        out = []
        for a in expr.args:
            out.extend(flatten_sums(a))
        return out
    if isinstance(expr, sp.Mul):
        terms = [(sp.Integer(1), [])]
        for factor in expr.args:
            new = []
            for f, lims in flatten_sums(factor):
                new.extend((t * f, tl + lims) for t, tl in terms)
            terms = new
        return [(f, lims) for f, lims in terms if f != 0]
    if expr == 0:
        return []
    return [(expr, [])]


@dataclass
class Elimination:
    """The result of collapsing sums against Kronecker deltas.

    ``collapsed`` lists ``(index, value, divisibility, range, coefficient, numerator)`` for each sum
    that collapsed (``divisibility`` is ``None`` when the coefficient is ±1),
    in order; ``expr`` is the resulting expression.
    """

    expr: sp.Expr
    collapsed: list[tuple] = field(default_factory=list)
    terms: list[tuple] = field(default_factory=list)


def _solvable(delta_arg: sp.Expr, k: sp.Symbol):
    """``(coefficient, rest)`` when ``delta_arg = coefficient·k + rest`` is linear in ``k``."""
    if k not in delta_arg.free_symbols:
        return None
    c = sp.expand(delta_arg).coeff(k)
    rest = sp.expand(delta_arg - c * k)
    if c == 0 or k in c.free_symbols or k in rest.free_symbols:
        return None
    if not (c.is_integer and c.is_nonzero):
        return None
    if c.could_extract_minus_sign():
        c, rest = -c, -rest
    return c, rest


def _collapse_one(summand, limits, conditions, prefer, log):
    deltas = [f for f in sp.Mul.make_args(summand) if isinstance(f, sp.KroneckerDelta)]
    order = [lim[0] for lim in sorted(limits, key=lambda l: prefer.index(l[0]) if l[0] in prefer else len(prefer))]
    for k in order:
        for delta in deltas:
            sol = _solvable(delta.args[0] - delta.args[1], k)
            if sol is None:
                continue
            c, rest = sol
            if c in (1, -1):
                value = sp.expand(-rest / c)
            else:
                with distribute(False):  # keep (a + P - d*p)/s as one fraction
                    value = sp.Mul(sp.expand(-rest), 1 / c)
            lim = next(l for l in limits if l[0] == k)
            divisible = None if c in (1, -1) else sp.Eq(sp.Mod(sp.expand(-rest), c), 0)
            in_range = sp.And(sp.Ge(value, lim[1], evaluate=False), sp.Le(value, lim[2], evaluate=False))
            rest_factors = sp.Mul(*[f for f in sp.Mul.make_args(summand) if f is not delta])
            new_summand = rest_factors.subs(k, value)  # subs leaves bound indices of inner sums alone
            new_limits = [l for l in limits if l[0] != k]
            new_conditions = [cond.xreplace({k: value}) for cond in conditions]
            if divisible is not None:
                new_conditions.append(divisible)
            new_conditions.append(in_range)
            log.append((k, value, divisible, in_range, c, sp.expand(-rest)))
            return new_summand, new_limits, new_conditions, True
    return summand, limits, conditions, False


def _decided_true(rel: sp.Basic) -> bool:
    """True when SymPy decides ``rel`` from assumptions (positive integers written as ``t + 1``)."""
    if rel is sp.true:
        return True
    if not rel.is_Relational:
        return False
    shift = {}
    for sym in rel.free_symbols:
        if isinstance(sym, sp.Symbol) and sym.is_integer and sym.is_positive:
            shift[sym] = sp.Symbol(sym.name + "_m1", integer=True, nonnegative=True) + 1
    return rel.xreplace(shift) is sp.true


def drop_implied(conditions: Iterable[sp.Basic], ranges: dict) -> list[sp.Basic]:
    """Drop conditions that hold for every value of the free indices.

    A condition linear in the free indices holds on their box ``ranges``
    (``{index: (lo, hi)}``) when it holds at every corner, which SymPy decides
    from the size symbols' assumptions (e.g. ``a + P ≥ 0`` for ``a = 0, P ≥ 0``).
    Conditions SymPy cannot decide are kept.

    >>> import sympy as sp
    >>> a = sp.Symbol("a", integer=True); P = sp.Symbol("P", integer=True, nonnegative=True)
    >>> H = sp.Symbol("H", integer=True, positive=True)
    >>> drop_implied([a + P >= 0, a + P <= H + 2*P - 1, a <= 0], {a: (0, H - 1)})
    [a <= 0]
    """
    kept = []
    for cond in conditions:
        parts = sp.And.make_args(cond)
        remaining = []
        for part in parts:
            syms = [s for s in ranges if s in part.free_symbols]
            if not syms or not part.is_Relational or not all(
                sp.diff(part.lhs - part.rhs, s).free_symbols.isdisjoint(ranges) for s in syms
            ):
                remaining.append(part)
                continue
            corners = [{}]
            for s in syms:
                corners = [{**c, s: v} for c in corners for v in ranges[s]]
            holds = all(_decided_true(part.xreplace(corner)) for corner in corners)
            if not holds:
                remaining.append(part)
        if remaining:
            kept.append(sp.And(*remaining))
    return kept


def _iverson_implied(summand: sp.Expr, ranges: dict) -> sp.Expr:
    """Replace Iverson guards ``[cond]`` that always hold by 1."""
    factors = []
    for f in sp.Mul.make_args(summand):
        if isinstance(f, Iverson):
            kept = drop_implied([f.args[0]], ranges)
            f = sp.Integer(1) if not kept else Iverson(sp.And(*kept))
        factors.append(f)
    return sp.Mul(*factors)


def _assemble(terms) -> sp.Expr:
    total = sp.Integer(0)
    for summand, limits, conditions in terms:
        cond = sp.And(*conditions) if conditions else sp.true
        if cond is sp.false or summand == 0:
            continue
        body = summand if cond is sp.true else sp.Piecewise((summand, cond), (0, True), evaluate=False)
        total += sp.Sum(body, *limits) if limits else body
    return total


def _why(k, value, divisible, in_range, den, num) -> str:
    if divisible is None:
        return f"the delta collapses the sum over {k} at {k} = {sp.sstr(value)}, kept when {sp.sstr(in_range)}"
    return (
        f"the sum over {k} collapses where {sp.sstr(den)}*{k} = {sp.sstr(num)}: "
        f"only when ({sp.sstr(num)}) mod {sp.sstr(den)} = 0 and {sp.sstr(in_range.args[0])}, {sp.sstr(in_range.args[1])}"
    )


def eliminate_deltas(
    expr: sp.Basic,
    prefer: Sequence[sp.Symbol] = (),
    *,
    free_ranges: dict | None = None,
) -> Elimination:
    """Collapse every sum of ``expr`` that a Kronecker delta pins down.

    Parameters
    ----------
    expr : sympy expression
        Typically ``sp.diff(L, X[e])``: sums of products containing deltas.
    prefer : sequence of symbols
        Which summation indices to solve for first (``i`` before ``p`` in
        ``δ(s·i + d·p, a)`` gives the familiar sum over the kernel offsets).
    free_ranges : dict, optional
        ``{free index: (lo, hi)}``; conditions that hold on this whole box are
        dropped (see :func:`drop_implied`).

    Returns
    -------
    Elimination
        ``expr``: a sum of ``Σ_rest Piecewise((summand, conditions), (0, True))``;
        ``collapsed``: ``(index, value, divisibility, range)`` per collapse;
        ``terms``: ``(expression after the step, justification)`` per step.
    """
    prefer = list(prefer)
    terms = [[summand, limits, []] for summand, limits in flatten_sums(expr)]
    log: list[tuple] = []
    steps: list[tuple] = []
    for term in terms:
        changed = True
        while changed:
            before = len(log)
            term[0], term[1], term[2], changed = _collapse_one(term[0], term[1], term[2], prefer, log)
            if changed:
                steps.append((_assemble(terms), _why(*log[before])))
    if free_ranges:
        dropped = False
        for term in terms:
            box = {**free_ranges, **{lim[0]: (lim[1], lim[2]) for lim in term[1]}}
            kept = drop_implied(term[2], box)
            summand = _iverson_implied(term[0], box)
            if kept != term[2] or summand != term[0]:
                dropped = True
            term[0], term[2] = summand, kept
        if dropped:
            names = ", ".join(f"{sp.sstr(lo)} <= {s} <= {sp.sstr(hi)}" for s, (lo, hi) in free_ranges.items())
            steps.append((_assemble(terms), f"conditions that hold for every {names} are dropped"))
    return Elimination(_assemble(terms), log, steps)
