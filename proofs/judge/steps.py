r"""Steps of a derivation with index sums: both sides evaluated at random admissible values.

A chain such as ``Σ_{i=1}^{n} (x_i + 1) = Σ_{i=1}^{n} x_i + n`` is a step SymPy cannot always decide
symbolically once the sums hold sequences. Here each ``x_i`` under a sum over ``i`` becomes the entry
``x[i]`` of a sequence, the sums' symbolic bounds get small random sizes, every entry a random integer,
and the two sides are computed exactly. A step is CORRECT when both sides agree at every draw, and
INCORRECT at the first draw where they differ (the values are the counterexample). Derivatives and
unknown functions are not evaluated (None: not judged here).

Examples
--------
>>> from proofs.document import parse_math
>>> p = parse_math(r"\sum_{i=1}^{n} (x_i + 1) = \sum_{i=1}^{n} x_i + n")
>>> judge_sum_step(p.sides[0], p.sides[1]).verdict
'CORRECT'
>>> p = parse_math(r"\sum_{i=1}^{n} 2 x_i = \sum_{i=1}^{n} x_i + 2")
>>> j = judge_sum_step(p.sides[0], p.sides[1])
>>> j.verdict, j.counterexample["left"] != j.counterexample["right"]
('INCORRECT', True)
"""

from __future__ import annotations

import random
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef

from .judgement import Judgement
from .subscripts import subscripts_as_indices

__all__ = ["judge_sum_step", "judge_sum_steps"]

_MAX_TERMS = 400


def _evaluable(e) -> bool:
    if not e.has(sp.Sum):
        return False
    return not any(isinstance(n, (sp.Derivative, AppliedUndef, sp.Integral, sp.Piecewise)) for n in sp.preorder_traversal(e))


def _bounds(e) -> set:
    out = set()
    for node in sp.preorder_traversal(e):
        if isinstance(node, (sp.Sum, sp.Product)):
            for _, lo, hi in node.limits:
                out |= lo.free_symbols | hi.free_symbols
    return out


def _value(e, sizes: dict, entries: dict, scalars: dict, rng: random.Random):
    e = e.xreplace(sizes)
    e = e.doit()
    reads = {n for n in sp.preorder_traversal(e) if isinstance(n, sp.Indexed)}
    if len(reads) > _MAX_TERMS:
        raise ValueError("too many terms")
    for r in reads:
        if not all(ix.is_Integer for ix in r.indices):
            raise ValueError("an entry with a symbolic index survives")
        entries.setdefault(r, sp.Integer(rng.randint(-5, 5)))
    e = e.xreplace(entries).xreplace(scalars)
    if e.free_symbols:
        raise ValueError("a symbol without a value")
    v = sp.nsimplify(e) if e.is_Float else e
    if not v.is_Rational:
        raise ValueError("not a rational value")
    return Fraction(int(v.p), int(v.q))


def _names(e) -> set[str]:
    """Free scalar names and sequence names of ``e`` (bound summation variables excluded)."""
    out = {str(x) for x in e.free_symbols}
    out |= {str(n.base.label) for n in sp.preorder_traversal(e) if isinstance(n, sp.Indexed)}
    out -= {str(v) for n in sp.preorder_traversal(e) if isinstance(n, (sp.Sum, sp.Product)) for v, *_ in n.limits}
    return out


def judge_sum_steps(sides, relations) -> Judgement | None:
    """Every ``=`` link of a chain between two computations with sums; the first broken one, or all CORRECT."""
    done = 0
    for n, rel in enumerate(relations):
        if rel != "=":
            continue
        j = judge_sum_step(sides[n], sides[n + 1])
        if j is None:
            continue
        if j.verdict == "INCORRECT":
            j.explanation = f"step {n + 1}: {j.explanation}"
            j.counterexample["link"] = n + 1
            return j
        done += 1
    if done:
        return Judgement("CORRECT", "identity", f"{done} derivation step(s) with index sums hold (evaluated exactly at "
                         "random sizes and entries)")
    return None


def judge_sum_step(a, b, *, draws: int = 8, seed: int = 0) -> Judgement | None:
    """Judge ``a = b`` (sides with index sums) by exact evaluation at random sizes and entries, or None."""
    if not (_evaluable(a) or _evaluable(b)) or any(
            isinstance(n, (sp.Derivative, AppliedUndef)) for s in (a, b) for n in sp.preorder_traversal(s)):
        return None
    if a.is_Atom or b.is_Atom or isinstance(a, sp.Indexed) or isinstance(b, sp.Indexed):
        return None  # "S = Σ x_i" defines S: not a step between two computations
    a, b = subscripts_as_indices(a, b)
    if _names(a) != _names(b):
        return None  # a side with a name the other lacks is a definition or a change of notation
    rng = random.Random(seed)
    sizes_syms = _bounds(a) | _bounds(b)
    bases = {n.base for s in (a, b) for n in sp.preorder_traversal(s) if isinstance(n, sp.Indexed)}
    others = ((a.free_symbols | b.free_symbols) - sizes_syms) - {x for s in (a, b) for n in sp.preorder_traversal(s)
                                                                   if isinstance(n, (sp.Sum, sp.Product))
                                                                   for x in [v for v, *_ in n.limits]}
    others = {o for o in others if not isinstance(o, sp.Indexed) and o not in bases and o.is_Symbol}
    agree = 0
    for _ in range(draws):
        sizes = {s: sp.Integer(rng.randint(1, 5)) for s in sizes_syms}
        scalars = {s: sp.Integer(rng.randint(-4, 6)) for s in others}
        entries: dict = {}
        try:
            va = _value(a, sizes, entries, scalars, rng)
            vb = _value(b, sizes, entries, scalars, rng)
        except (ValueError, TypeError, ZeroDivisionError, RecursionError, AttributeError):
            continue
        if va != vb:
            shown = {str(k): int(v) for k, v in {**sizes, **scalars}.items()}
            shown.update({str(k): int(v) for k, v in list(entries.items())[:8]})
            return Judgement("INCORRECT", "identity", f"derivation step fails at {shown}: the left side is "
                             f"{va}, the right side {vb}", counterexample={"values": shown, "left": str(va),
                                                                              "right": str(vb)})
        agree += 1
    if agree >= 3:
        return Judgement("CORRECT", "identity", f"derivation step: both sides equal at {agree} random sizes and "
                         "entries (index sums evaluated exactly)")
    return None
