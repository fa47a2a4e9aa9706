r"""The recipe every backward derivation follows, written once.

1. *Definition* of the forward pass as an index sum, ``Y[…] = …`` (typed).
2. *Definition* of the loss as seen through ``Y``: ``L = Σ G[…]·Y[…]`` with
   ``G = ∂L/∂Y`` (any loss, by the chain rule, at the point of evaluation).
3. ``∂L/∂X[e]`` by SymPy's ``diff`` of the index sum: every read ``X[f]``
   contributes ``δ(f, e)`` (checked by finite differences of step 2).
4. One step per sum that a delta collapses (:func:`eliminate_deltas`), each
   with its condition: range, and divisibility when the index has a stride.
5. Conditions that hold for every value of the free indices are dropped.

Every step after the definitions is checked by :class:`TensorDerivation`
at random sizes and tensors.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import sympy as sp

from .index_sum import eliminate_deltas
from .result import GradientResult, Role
from .tensor_derivation import TensorDerivation

__all__ = ["derive_by_elimination", "CHAIN_RULE"]

CHAIN_RULE = "chain rule: dL/dX[e] = sum of G * dY/dX[e], with dX[f]/dX[e] = delta(f, e) (SymPy diff of the index sum)"


def derive_by_elimination(
    *,
    name: str,
    title: str,
    y_entry: sp.Indexed,
    y_def: sp.Expr,
    y_why: str,
    loss: sp.Symbol,
    loss_sum: sp.Expr,
    entry: sp.Indexed,
    prefer: Sequence[sp.Symbol],
    free: Sequence[tuple[sp.Symbol, sp.Expr]],
    roles: Sequence[Role],
    sizes: Sequence[sp.Symbol],
    derived: Mapping[sp.Symbol, Callable[[dict], int]] | None = None,
    params: Mapping[str, tuple] | None = None,
    assumptions: Sequence[str] = (),
    domain: Mapping[str, tuple[int, int]] | None = None,
    constraints: Sequence[Callable] = (),
    check_sizes: Callable[[dict], None] | None = None,
    functions: Mapping[str, Callable] | None = None,
    extra_definitions: Sequence[tuple[sp.Basic, sp.Basic, str]] = (),
    eval_derived: Mapping[sp.Symbol, Callable[[dict], int]] | None = None,
    computed: list | None = None,
    generators: Mapping[str, Callable] | None = None,
    defaults: Mapping[str, object] | None = None,
    fd_step: float = 0.5,
    rtol: float = 1e-7,
) -> GradientResult:
    """Run the recipe of the module docstring; return the :class:`GradientResult`."""
    tensors = {r.base: r.shape for r in roles}
    loss_full = loss_sum.xreplace({y_entry: y_def})
    d = TensorDerivation(
        title,
        tensors=tensors,
        indices=dict(free),
        sizes=list(sizes),
        derived=derived,
        definitions={loss: loss_full},
        functions=functions,
        assumptions=assumptions,
        domain=dict(domain or {}),
        constraints=constraints,
        computed=computed,
        generators=generators,
        fd_step=fd_step,
        rtol=rtol,
    )
    for lhs, rhs, why in extra_definitions:
        d.define(lhs, rhs, why)
    d.define(y_entry, y_def, y_why)
    d.define(loss, loss_sum, "definition of G = dL/dY: near the point of evaluation L changes as sum G*Y")
    dloss = sp.Derivative(loss, entry)
    raw = sp.diff(loss_full, entry)
    d.step(dloss, raw, CHAIN_RULE)
    free_ranges = {s: (sp.Integer(0), sp.sympify(n) - 1) for s, n in free}
    elim = eliminate_deltas(raw, prefer, free_ranges=free_ranges)
    for expr, why in elim.terms:
        d.step(dloss, expr, why)
    return GradientResult(
        name=name,
        lhs=dloss,
        expr=elim.expr,
        derivation=d,
        roles=tuple(roles),
        free=tuple(free),
        params=dict(params or {}),
        derived_sizes={**(eval_derived or {}), **(derived or {})},
        functions=dict(functions or {}),
        check_sizes=check_sizes,
        computed=list(computed or []),
        defaults=dict(defaults or {}),
    )
