r"""A formula the prose announces as a transposed convolution's output size, judged as one — with honest uncertainty.

The prose says "transposed convolution" and the formula grows with the kernel (``o' = i' + (k - 1)``): it is
no forward output size, so a forward verdict must not stand for it. Letters the document leaves unbound
(``i'``, ``a``) are bound by evidence: every assignment of the roles still missing is judged against
``derive.output_size("conv_transpose", …)``:

* CORRECT only when exactly one assignment makes the formula exact (it is reported);
* INCORRECT only when every assignment fails;
* otherwise UNRECOGNIZED, listing the candidates.

A formula without a stride is the stride-1 case (Dumoulin & Visin's relationships state ``s = 1``).

Examples
--------
>>> import sympy as sp
>>> i, k, p, s, a = sp.symbols("i' k p s a")
>>> judge_announced_transposed(i + (k - 1), {"k": "kernel"}).verdict
'CORRECT'
>>> j = judge_announced_transposed(s*(i - 1) + a + k - 2*p, {"k": "kernel", "s": "stride", "p": "padding"})
>>> j.verdict, "a=output_padding" in j.explanation
('CORRECT', True)
>>> judge_announced_transposed(s*(i - 1) + k + 2*p, {"k": "kernel", "s": "stride", "p": "padding"}).verdict
'INCORRECT'
"""

from __future__ import annotations

import itertools
from ..clock import now as _clock

from .judgement import Judgement
from .transposed import judge_transposed_output_size

__all__ = ["judge_announced_transposed"]

_ROLES = ("input_size", "kernel", "stride", "padding", "dilation", "output_padding")


def _show(plan: dict) -> str:
    return ", ".join(f"{n}={r}" for n, r in plan.items())


def judge_announced_transposed(defining, roles: dict, *, convention: str | None = None, time_limit: float = 2.0,
                               max_unbound: int = 3) -> Judgement:
    """Judge ``defining`` as a transposed convolution's output size over the plausible bindings of its letters."""
    names = sorted(str(x) for x in defining.free_symbols)
    known = {n: roles[n] for n in names if roles.get(n) in _ROLES}
    for n in names:  # a primed letter plays the role of the unprimed one (k' is a kernel size when k is)
        if n not in known and n.endswith("'") and roles.get(n.rstrip("'")) in _ROLES:
            known[n] = roles[n.rstrip("'")]
    unbound = [n for n in names if n not in known]
    if len(unbound) > max_unbound:
        return Judgement("UNRECOGNIZED", "output_size", "transposed convolution output size: too many letters without "
                         f"a role ({', '.join(unbound)})")
    taken = set(known.values())
    missing = [r for r in _ROLES if r not in taken]
    plans = [dict(zip(unbound, perm)) for perm in itertools.permutations(missing, len(unbound))]
    plans = [p for p in plans if "input_size" in taken | set(p.values())]
    if not plans:
        return Judgement("UNRECOGNIZED", "output_size", "transposed convolution output size: no input size among the "
                         "letters")
    start, per = _clock(), max(0.2, time_limit / len(plans))
    results = []
    for plan in plans:
        if _clock() - start > time_limit * 3:
            return Judgement("UNRECOGNIZED", "output_size", "transposed convolution output size: not every binding "
                             "of the letters could be tried in time")
        j = judge_transposed_output_size(defining, {**roles, **known, **plan}, time_limit=per, convention=convention,
                                         unit_stride=True)
        results.append((plan, j))
    correct = [(p, j) for p, j in results if j.verdict == "CORRECT"]
    if len(correct) == 1:
        p, j = correct[0]
        if p:
            j.explanation += f"; with {_show(p)}, the only binding of the unbound letters that makes it exact"
        return j
    if correct:
        return Judgement("UNRECOGNIZED", "output_size", "transposed convolution output size: several bindings of the "
                         f"letters make it right: {'; '.join(_show(p) for p, _ in correct)}")
    if all(j.verdict == "INCORRECT" for _, j in results):
        p, j = results[0]
        if p:
            j.explanation += (f"; the letters {', '.join(unbound)} are not bound, and every binding fails "
                              f"({len(results)} tried; the counterexample uses {_show(p)})")
        return j
    cands = [f"{_show(p)} ({j.verdict}{': ' + j.condition if j.condition else ''})" for p, j in results
             if j.verdict != "INCORRECT"]
    return Judgement("UNRECOGNIZED", "output_size", "transposed convolution output size: letters not bound; "
                     "candidates: " + "; ".join(cands[:6]))
