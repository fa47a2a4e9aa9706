"""Compare a document's size/count formula with the truth over the admissible integer domain.

Three steps, each computed:

1. symbolic equivalence (``simplify(doc − truth) == 0``) when SymPy can decide it;
2. an exhaustive-then-sampled search of the admissible integers for a point where
   the two differ (the counterexample, both values shown);
3. when they agree on part of the domain only, the simplest candidate condition
   (``S divides (H + 2P − k)``, ``pool size = stride``, ``k is odd``...) that holds
   at every point of agreement and fails at the counterexample.

Examples
--------
>>> import sympy as sp
>>> H, k, S = sp.symbols("H k S")
>>> truth = sp.floor((H - k)/S) + 1
>>> domain = {"H": range(1, 12), "k": range(1, 6), "S": range(1, 4)}
>>> admissible = lambda v: v["k"] <= v["H"]
>>> r = compare_scalar(sp.floor((H - k)/S + 1), truth, domain, admissible=admissible)
>>> r.agree
True
>>> cand = [Condition("S divides (H − k)", lambda v: (v["H"] - v["k"]) % v["S"] == 0)]
>>> r = compare_scalar((H - k)/S + 1, truth, domain, admissible=admissible, conditions=cand)
>>> r.agree, r.condition, r.counterexample["values"]
(False, 'S divides (H − k)', {'H': 2, 'k': 1, 'S': 2})
"""

from __future__ import annotations

import itertools
import random
from ..clock import now as _clock
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import sympy as sp

from .exact import EvalError, exact_value

__all__ = ["Condition", "Comparison", "compare_scalar", "compare_values", "fmt_number"]


@dataclass(frozen=True)
class Condition:
    """A candidate condition: text (in the document's symbols) and a predicate on values.

    ``trivial`` marks conditions that switch a parameter of the formula off
    (``s = 1``): a formula that involves ``s`` but holds only at ``s = 1`` is wrong.
    """

    text: str
    holds: Callable[[dict], bool]
    trivial: bool = False


@dataclass
class Comparison:
    """Outcome of a comparison: agreement, counterexample, condition and evidence."""

    agree: bool
    symbolic: bool = False
    counterexample: dict | None = None
    condition: str | None = None
    condition_trivial: bool = False
    points: int = 0
    reason: str = ""
    agreeing: list = field(default_factory=list, repr=False)


def fmt_number(x) -> int | str:
    """An exact number for a report: an int when integral, else ``"a/b"``.

    >>> fmt_number(Fraction(4, 1)), fmt_number(Fraction(5, 2))
    (4, '5/2')
    """
    x = Fraction(x)
    return int(x) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _points(domain: dict[str, range], limit: int, seed: int):
    names = list(domain)
    total = 1
    for r in domain.values():
        total *= len(r)
    if total <= limit:
        for combo in itertools.product(*domain.values()):
            yield dict(zip(names, combo))
        return
    rng = random.Random(seed)
    # small corner first (smallest values, where counterexamples are readable), then random
    small = {n: list(r)[: max(2, min(4, len(r)))] for n, r in domain.items()}
    for combo in itertools.product(*small.values()):
        yield dict(zip(names, combo))
    for _ in range(limit):
        yield {n: rng.choice(r) for n, r in domain.items()}


def _simpler(a: dict, b: dict) -> bool:
    return sum(a.values()) < sum(b.values())


def compare_values(
    doc: Callable[[dict], Fraction],
    truth: Callable[[dict], Fraction],
    domain: dict[str, range],
    *,
    admissible: Callable[[dict], bool] = lambda v: True,
    conditions: list[Condition] = (),
    limit: int = 3000,
    seed: int = 0,
    time_limit: float = 2.0,
) -> Comparison:
    """Compare two callables of a value dict over ``domain``; see :func:`compare_scalar`."""
    start = _clock()
    agree_pts, fail_pts = [], []
    best = None
    n = 0
    for v in _points(domain, limit, seed):
        if _clock() - start > time_limit:
            break
        try:
            if not admissible(v):
                continue
            t = truth(v)
        except (EvalError, ValueError, ZeroDivisionError, OverflowError):
            continue
        n += 1
        try:
            d = doc(v)
        except (EvalError, ZeroDivisionError, OverflowError):
            d = None
        if d is not None and d == t:
            agree_pts.append(v)
        else:
            fail_pts.append((v, d, t))
            # a counterexample where the document has a value beats one where it is undefined (a division by 0)
            if best is None or (best[1] is None and d is not None) or (
                    (best[1] is None) == (d is None) and _simpler(v, best[0])):
                best = (v, d, t)
    if n == 0:
        return Comparison(False, points=0, reason="no admissible point could be evaluated")
    if not fail_pts:
        return Comparison(True, points=n, reason=f"equal at all {n} admissible points tested")
    v, d, t = best
    cex = {"values": dict(v), "document": None if d is None else fmt_number(d), "expected": fmt_number(t)}
    if not agree_pts:
        return Comparison(False, counterexample=cex, points=n, reason="differs everywhere tested")
    for cond in conditions:
        try:
            if all(cond.holds(a) for a in agree_pts) is False:
                continue
            inside = [f for f in fail_pts if cond.holds(f[0])]
            outside_agree = [a for a in agree_pts if not cond.holds(a)]
        except (ZeroDivisionError, ValueError, KeyError):
            continue
        if not inside and not outside_agree and len(agree_pts) >= 1:
            # agreement exactly where the condition holds
            fails = sorted(fail_pts, key=lambda f: (f[1] is None, sum(f[0].values())))[0]
            v, d, t = fails
            cex = {"values": dict(v), "document": None if d is None else fmt_number(d), "expected": fmt_number(t)}
            return Comparison(False, counterexample=cex, condition=cond.text, condition_trivial=cond.trivial,
                              points=n, reason=f"equal exactly where {cond.text} ({len(agree_pts)} of {n} points)")
    for cond in conditions:
        try:
            inside = [f for f in fail_pts if cond.holds(f[0])]
        except (ZeroDivisionError, ValueError, KeyError):
            continue
        if not inside and any(cond.holds(a) for a in agree_pts):
            return Comparison(False, counterexample=cex, condition=cond.text, condition_trivial=cond.trivial,
                              points=n, reason=f"equal wherever {cond.text} ({len(agree_pts)} of {n} points agree)")
    return Comparison(False, counterexample=cex, points=n,
                      reason=f"differs at {len(fail_pts)} of {n} admissible points")


def compare_scalar(
    doc_expr,
    truth_expr,
    domain: dict[str, range],
    *,
    admissible: Callable[[dict], bool] = lambda v: True,
    conditions: list[Condition] = (),
    limit: int = 3000,
    seed: int = 0,
    time_limit: float = 2.0,
) -> Comparison:
    """Compare two SymPy expressions in the same symbols over an integer ``domain``.

    Parameters
    ----------
    doc_expr, truth_expr : SymPy expressions (symbols named as the keys of ``domain``).
    domain : symbol name -> range of admissible integers.
    admissible : filter on a point (e.g. kernel no larger than the padded input).
    conditions : candidate conditions, simplest first.

    Returns
    -------
    Comparison
    """
    symbolic = False
    try:
        if sp.count_ops(doc_expr) + sp.count_ops(truth_expr) <= 60:  # bounded symbolic work
            diff = sp.simplify(sp.expand(doc_expr - truth_expr))
            symbolic = diff == 0
    except Exception:  # noqa: BLE001 - SymPy may fail on exotic input; the numeric search decides
        symbolic = False
    res = compare_values(
        lambda v: exact_value(doc_expr, v),
        lambda v: exact_value(truth_expr, v),
        domain,
        admissible=admissible,
        conditions=conditions,
        limit=limit,
        seed=seed,
        time_limit=time_limit,
    )
    res.symbolic = symbolic and res.agree
    return res
