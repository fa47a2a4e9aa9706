r"""Binding by evidence, with honest uncertainty: the role assignments a formula's unbound letters allow.

When the quantity is known (an output size) but some letters have no role from names, definitions or
declared notation, every assignment of the missing roles to those letters is judged:

* CORRECT only when exactly one assignment makes the formula exact (it is reported);
* CONDITIONAL when none does, exactly one holds under a condition and every other one fails;
* INCORRECT only when every assignment fails (the counterexample is the first assignment's);
* otherwise UNRECOGNIZED, listing the assignments that would make it right.

A stride divides: when some unbound letter sits in a denominator, only those letters may be the stride.

Examples
--------
>>> import sympy as sp
>>> a, b, u = sp.symbols("a b u")
>>> j = search_output_size(sp.floor((a - b) / u) + 1, {"a": "input_size"}, time_limit=30)
>>> j.verdict, "b=kernel" in j.explanation
('CORRECT', True)
>>> search_output_size(sp.floor((a - b) / u), {"a": "input_size"}, time_limit=30).verdict
'INCORRECT'
"""

from __future__ import annotations

import itertools
from ..clock import now as _clock

import sympy as sp

from .judgement import Judgement
from .sizes import judge_output_size

__all__ = ["search_output_size"]

_SIZE_ROLES = ("input_size", "kernel", "stride", "padding", "dilation")


def _in_denominator(expr) -> set[str]:
    out = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.exp.is_negative:
            out |= {str(s) for s in node.base.free_symbols}
    return out


#: letters whose role in a size formula is conventional although the name rules leave them open (an index
#: elsewhere): ``i`` is the input size of Dumoulin & Visin's relationships
_CONVENTIONAL = {"i": "input_size", "I": "input_size", "i'": "input_size"}


def _conventional(names, roles: dict) -> dict:
    """Conventional roles of a size formula's unbound letters, where no other letter already plays the role.

    A conventional letter keeps its role: the search over assignments is only for letters with no evidence,
    so ``(q + 2i − k)/u + 1`` is not re-read with ``i`` the padding and ``q`` the input to make it right.

    >>> _conventional(["i", "k", "q"], {"k": "kernel"}), _conventional(["i", "n"], {"n": "input_size"})
    ({'i': 'input_size'}, {})
    """
    taken = {roles[n] for n in names if n in roles}
    out = {}
    for n in names:
        role = _CONVENTIONAL.get(n)
        if n not in roles and role and role not in taken and role not in out.values():
            out[n] = role
    return out


def search_output_size(defining, roles: dict, *, context: str = "", convention: str | None = None, op: str = "conv",
                       time_limit: float = 2.0, max_unbound: int = 3) -> Judgement | None:
    """Judge an output-size formula over the plausible assignments of its unbound letters; None if not applicable."""
    names = sorted(str(s) for s in defining.free_symbols)
    if not [n for n in names if n not in roles]:
        return None
    usual = _conventional(names, roles)
    roles = {**roles, **usual}
    unbound = [n for n in names if n not in roles]
    if not unbound:  # the conventional letters bind every symbol: judged as bound
        j = judge_output_size(defining, roles, context=context, convention=convention, op=op, time_limit=time_limit)
        j.explanation += "; with " + ", ".join(f"{n}={r}" for n, r in usual.items()) + " by convention"
        return j
    if len(unbound) > max_unbound:
        return None
    taken = {roles[n] for n in names if n in roles}
    missing = [r for r in _SIZE_ROLES if r not in taken]
    if len(missing) < len(unbound):
        return None
    divides = _in_denominator(defining)
    plans = []
    for perm in itertools.permutations(missing, len(unbound)):
        plan = dict(zip(unbound, perm))
        if divides & set(unbound) and "stride" in plan.values() and not any(
                r == "stride" and n in divides for n, r in plan.items()):
            continue
        if not ({"input_size", "kernel"} <= taken | set(plan.values())):
            continue
        plans.append(plan)
    if not plans:
        return None
    start = _clock()
    per = max(0.2, time_limit / len(plans))
    results = []
    for plan in plans:
        if _clock() - start > time_limit * 3:
            return None  # not every assignment could be tried: no verdict
        j = judge_output_size(defining, {**roles, **plan}, context=context, convention=convention, op=op, time_limit=per)
        results.append((plan, j))
    show = lambda plan: ", ".join(f"{n}={r}" for n, r in plan.items())  # noqa: E731
    correct = [(p, j) for p, j in results if j.verdict == "CORRECT"]
    if len(correct) == 1:
        p, j = correct[0]
        j.explanation = f"{j.explanation}; with {show(p)}, the only assignment of the unbound letters that makes it exact"
        return j
    if correct:
        return Judgement("UNRECOGNIZED", "output_size", "the letters are not bound, and several assignments make the "
                         f"formula right: {'; '.join(show(p) for p, _ in correct)}")
    conditional = [(p, j) for p, j in results if j.verdict == "CONDITIONAL"]
    if len(conditional) == 1 and all(j.verdict in ("CONDITIONAL", "INCORRECT") for _, j in results):
        p, j = conditional[0]  # no reading makes it exact; the one that comes closest holds under a condition
        j.explanation = (f"{j.explanation}; with {show(p)}, the only assignment of the unbound letters under which it "
                         f"holds at all ({len(results)} tried)")
        return j
    if all(j.verdict == "INCORRECT" for _, j in results):
        p, j = results[0]
        j.explanation = (f"{j.explanation}; the letters {', '.join(unbound)} are not bound, and every assignment of the "
                         f"missing roles fails ({len(results)} tried; the counterexample uses {show(p)})")
        return j
    cands = [f"{show(p)} ({j.verdict}{': ' + j.condition if j.condition else ''})" for p, j in results
             if j.verdict != "INCORRECT"]
    return Judgement("UNRECOGNIZED", "output_size", "the letters are not bound; candidates: " + "; ".join(cands[:6]))
