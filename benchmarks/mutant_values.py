r"""Decide by value whether a mutated formula still means the same as the original (never by the checker).

Both texts are parsed with proofs' own grammar (:func:`proofs.document.parse_math`; never eval/sympify of
text). Every side is evaluated at points of the admissible domain: each free symbol a positive integer
(1…9; sizes, kernels, strides, paddings, dilations and channel counts of CNN formulas; all 81
points for at most two symbols, else 120 random ones, within a time budget), sums with numeric
bounds expanded, every indexed entry ``x[i, j]`` or unknown function value ``f(i)`` replaced by a fixed
pseudo-random number of its indices (the same on both sides, so two index formulas agree only if they
read the same entries with the same weights). The mutant is *equivalent* when every side gives the same
value (or both are undefined) at every point; *different* when some point separates them; *undecided*
when a side never becomes a number (the formula could not be evaluated).

Examples
--------
>>> compare(r"o = \lfloor (i - k)/s \rfloor + 1", r"o = \lfloor (i - k + s)/s \rfloor")
'equivalent'
>>> compare(r"o = \lfloor (i - k)/s \rfloor + 1", r"o = \lceil (i - k)/s \rceil + 1")
'different'
>>> compare(r"y_i = \sum_{u=0}^{2} w_u x_{i+u}", r"y_i = \sum_{u=0}^{2} w_u x_{i-u}")
'different'
>>> compare("64 \\times 3 + 64 = 256", "64 \\times 3 = 256")
'different'
>>> compare("a = b", "a = (")
'unparseable'
"""

from __future__ import annotations

import hashlib
import itertools
import random

__all__ = ["compare", "side_values"]

_GRID = range(1, 10)


def _pseudo(*key) -> float:
    h = hashlib.sha256(repr(key).encode()).digest()
    return int.from_bytes(h[:6], "big") / 2 ** 48 + 0.5


def _number(expr):
    """The value of a closed SymPy expression: a rounded float, ``"undef"``, or None if it is not a number."""
    import sympy as sp
    from sympy.core.function import AppliedUndef

    try:
        e = expr
        if not e.is_Number:
            if e.has(sp.Sum, sp.Product):
                e = e.doit()
            if e.has(sp.Indexed):
                e = e.replace(lambda a: isinstance(a, sp.Indexed) and all(i.is_number for i in a.indices),
                              lambda a: sp.Float(_pseudo(str(a.base), *[str(i) for i in a.indices])))
            if e.has(AppliedUndef):
                e = e.replace(lambda a: isinstance(a, AppliedUndef) and all(x.is_number for x in a.args),
                              lambda a: sp.Float(_pseudo(str(a.func), *[str(x) for x in a.args])))
        if e.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            return "undef"
        if not e.is_number:
            return None
        v = complex(e) if e.is_Number else complex(e.evalf(20))
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, RecursionError, OverflowError):
        return "undef"
    if abs(v.imag) > 1e-9:
        return "undef"
    return round(v.real, 9)


def side_values(sides, point: dict):
    """Each side's value with the symbols named in ``point`` replaced by the given integers."""
    import sympy as sp

    out = []
    for s in sides:
        subs = {x: sp.Integer(point[str(x)]) for x in getattr(s, "free_symbols", ()) if str(x) in point}
        try:
            out.append(_number(s.xreplace(subs)))
        except (TypeError, ValueError, AttributeError, RecursionError):
            out.append("undef")
    return out


def _points(names: list[str], n: int, seed: int):
    if len(names) <= 2:
        yield from (dict(zip(names, vals)) for vals in itertools.product(_GRID, repeat=len(names)))
        return
    rng = random.Random(seed)
    for _ in range(n):
        yield {x: rng.choice(_GRID) for x in names}


def compare(original: str, mutant: str, *, points: int = 120, seed: int = 0, budget: float = 5.0) -> str:
    """``"equivalent"``, ``"different"``, ``"undecided"`` or ``"unparseable"`` (mutant first, then original).

    At most ``points`` random points (all 81 when there are at most two symbols) and ``budget`` CPU seconds; a
    comparison cut short by the budget with no separating point is ``"undecided"``.
    """
    import time

    t0 = time.process_time()
    from proofs.document import parse_math

    try:
        b = parse_math(mutant)
    except (ValueError, TypeError, RecursionError):
        return "unparseable"
    try:
        a = parse_math(original)
    except (ValueError, TypeError, RecursionError):
        return "unparseable"
    if list(a.relations) != list(b.relations) or len(a.sides) != len(b.sides):
        return "different"
    names = sorted({str(x) for s in list(a.sides) + list(b.sides) for x in getattr(s, "free_symbols", ())})
    decided = False
    for pt in _points(names, points, seed):
        if time.process_time() - t0 > budget:
            return "undecided"
        va, vb = side_values(a.sides, pt), side_values(b.sides, pt)
        if any(v is None for v in va + vb):
            continue
        decided = True
        if va != vb:
            return "different"
    return "equivalent" if decided else "undecided"
