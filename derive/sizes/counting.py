r"""Counting the integers that satisfy linear conditions — the engine of every size formula.

An output size is *defined* as a count: the number of window positions
``i = 0, 1, 2, …`` that satisfy some linear inequalities (the window fits,
it starts inside the input, …). :func:`count_positions` turns that
definition into a closed form with SymPy and records each move as a step of a
:class:`~derive.derivation.Derivation`:

1. each inequality is solved for ``i`` (``sympy.solve`` on a linear
   inequality with positive coefficients) — checked numerically as an ``⟺``;
2. ``i`` being an integer, ``i ≤ x ⟺ i ≤ ⌊x⌋`` — checked numerically;
3. the sum of the indicator collapses to ``Σ_{i=0}^{⌊x⌋} 1`` — numeric;
4. ``Σ_{i=0}^{m} 1 = m + 1`` by ``sympy.summation`` — symbolic.

Examples
--------
>>> import sympy as sp
>>> from derive.derivation import Derivation
>>> H, k = sp.symbols("H k", integer=True, positive=True)
>>> i = sp.Symbol("i", integer=True, nonnegative=True)
>>> der = Derivation("valid windows", constraints=[lambda v: v["k"] <= v["H"]])
>>> count_positions(der, i, [i + k - 1 <= H - 1], H - 1)
H - k + 1
>>> der.verify()
True
"""

from __future__ import annotations

import sympy as sp

from ..derivation import Derivation
from ..iverson import Iverson

__all__ = ["count_positions", "solve_for"]


def solve_for(var: sp.Symbol, inequality: sp.Rel) -> sp.Expr:
    """Solve a linear inequality ``… ≤ …`` in ``var`` to ``var ≤ bound``; return the bound.

    >>> import sympy as sp
    >>> s, H = sp.symbols("s H", integer=True, positive=True)
    >>> i = sp.Symbol("i", integer=True, nonnegative=True)
    >>> solve_for(i, s * i <= H - 1)
    (H - 1)/s
    >>> solve_for(i, i >= 2)
    Traceback (most recent call last):
    ...
    ValueError: cannot bring 2 <= i into the form i <= bound
    """
    solved = sp.solve(inequality, var)
    rels = list(solved.args) if isinstance(solved, sp.And) else [solved]
    for rel in rels:
        if isinstance(rel, (sp.LessThan, sp.StrictLessThan)) and rel.lhs == var:
            return rel.rhs
        if isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)) and rel.rhs == var:
            return rel.lhs
    raise ValueError(f"cannot bring {solved} into the form {var} <= bound")


def count_positions(der: Derivation, i: sp.Symbol, conditions: list[sp.Rel], upper: sp.Expr) -> sp.Expr:
    """Count ``i`` in ``0..upper`` satisfying every condition; record the steps in ``der``.

    The definition ``Σ_{i=0}^{upper} [conditions]`` is added to ``der`` by the
    caller (it is what was typed); this function derives its closed form.

    Parameters
    ----------
    der : Derivation
        Receives the steps.
    i : Symbol
        The nonnegative integer position index.
    conditions : list of relationals
        Linear inequalities in ``i`` with positive coefficient of ``i``.
    upper : Expr
        An upper bound of the summation, large enough to contain every solution.

    Returns
    -------
    Expr
        The count, ``min(⌊bound⌋, …) + 1``.
    """
    cond = sp.And(*conditions)
    definition = sp.Sum(Iverson(cond), (i, 0, upper))
    bounds = []
    for c in conditions:
        b = solve_for(i, c)
        der.step(c, i <= b, f"solve the inequality for {i} (sympy.solve, linear)", relation="iff")
        bounds.append(b)
    floors = [sp.floor(b) for b in bounds]
    i_max = floors[0] if len(floors) == 1 else sp.Min(*floors)
    der.step(
        sp.And(*(i <= b for b in bounds)),
        i <= i_max,
        f"{i} is an integer: {i} <= x iff {i} <= floor(x)",
        relation="iff",
    )
    collapsed = sp.Sum(1, (i, 0, i_max))
    der.step(definition, collapsed, "only the terms with i <= i_max survive (and i_max <= the upper limit)")
    count = sp.summation(1, (i, 0, i_max))
    der.step(collapsed, count, "count the terms (sympy.summation)")
    return count
