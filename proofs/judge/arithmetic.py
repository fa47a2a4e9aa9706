"""Worked examples and numeric chains: ``⌊(224 − 7 + 2·3)/2⌋ + 1 = ⌊223/2⌋ + 1 = 112``.

Each link between two numeric sides of a chain is checked exactly (rational
arithmetic); a decimal written with *d* places is accepted when it is the exact
value rounded to *d* places; ``≈`` accepts a relative error up to 5 % (or the
rounding of the digits written). Chains of symbolic sides (``C·C·k² + C =
C²k² + C``) are checked as identities at random positive integers.

Examples
--------
>>> import sympy as sp
>>> judge_chain([sp.Integer(112), sp.Integer(112)], ["="]).verdict
'CORRECT'
>>> j = judge_chain([sp.Integer(36864) + 64, sp.Integer(36927)], ["="])
>>> j.verdict, j.counterexample
('INCORRECT', {'link': 1, 'left': 36928, 'right': 36927})
>>> judge_chain([sp.Rational(1, 3), sp.Rational(33, 100)], ["="]).verdict  # 0.33 is 1/3 rounded
'CORRECT'
>>> C, k = sp.symbols("C k")
>>> judge_identity([C*C*k**2 + C, C**2*k**2 + C], ["="]).verdict
'CORRECT'
"""

from __future__ import annotations

import random
import re
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef

from .compare import fmt_number
from .exact import EvalError, exact_value
from .sizes import Judgement, pretty

__all__ = ["numeric_value", "judge_chain", "judge_identity", "is_structural", "scientific_numbers"]

_REL_OK = {
    "<": lambda a, b: a < b,
    "≤": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "≥": lambda a, b: a >= b,
    "≠": lambda a, b: a != b,
}


def numeric_value(side) -> Fraction | float | None:
    """The exact value of a side without symbols (a float for irrational ones), or None."""
    try:
        if side.free_symbols or is_structural(side):
            return None
        try:
            return exact_value(side, {})
        except EvalError:
            v = complex(sp.N(side, 30))
            if v.imag != 0:
                return None
            return float(v.real)
    except (TypeError, ValueError, AttributeError, OverflowError):
        return None


def is_structural(e) -> bool:
    """True when ``e`` holds tensor reads, sums, derivatives or applied functions (not plain algebra)."""
    return any(isinstance(n, (sp.Indexed, sp.Sum, sp.Product, sp.Derivative, AppliedUndef, sp.Piecewise))
               for n in sp.preorder_traversal(e))


def _decimals(x: Fraction) -> int | None:
    d = x.denominator
    for n in range(0, 9):
        if (10**n) % d == 0:
            return n
    return None


def _link_ok(rel: str, a, b) -> tuple[bool, str]:
    """Is ``a rel b`` right? (b is the value as written on the right)."""
    if rel in _REL_OK:
        return _REL_OK[rel](a, b), ""
    if rel in ("=", "≈", "≃", "≅"):
        if a == b:
            return True, ""
        tol_note = ""
        for written, exact in ((b, a), (a, b)):
            if isinstance(written, Fraction):
                nd = _decimals(written)
                if nd is not None and nd > 0 and abs(Fraction(exact) - written) <= Fraction(1, 2 * 10**nd) + Fraction(1, 10**12):
                    return True, f" ({fmt_number(written)} is rounded to {nd} decimals)"
        if isinstance(a, float) or isinstance(b, float):
            if abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a))):
                return True, ""
        if rel != "=":
            fa, fb = float(a), float(b)
            rel_err = abs(fa - fb) / max(abs(fa), abs(fb), 1e-300)
            if rel_err <= 0.05:
                return True, f" (approximation within {rel_err:.1%})"
            tol_note = f" (relative error {rel_err:.1%})"
        return False, tol_note
    raise ValueError(f"relation {rel!r} is not checked")


_E_NOTE = re.compile(r"e-notation (\S+) read as .* \(last digit 10\^(-?\d+)\)")


def scientific_numbers(notes) -> dict:
    """Numbers a formula wrote in e-notation (``7.4e4``), from the reader's notes: value → half a unit of their last digit.

    >>> scientific_numbers(["e-notation 7.4e4 read as 7.4·10^4, a number written to 2 significant digit(s) (last digit 10^3)"])
    {Fraction(74000, 1): Fraction(500, 1)}
    """
    out = {}
    for n in notes:
        m = _E_NOTE.fullmatch(n)
        if m:
            mantissa, _, exponent = m.group(1).lower().partition("e")
            out[Fraction(mantissa) * Fraction(10) ** int(exponent)] = Fraction(10) ** int(m.group(2)) / 2
    return out


def judge_chain(sides, relations, *, word_numbers: bool = False, rounded: dict | None = None) -> Judgement | None:
    """Check every link between two numeric sides; None when the chain has no such link.

    Parameters
    ----------
    sides : SymPy objects (the parser's sides of the chain).
    relations : the relations between consecutive sides.
    word_numbers : a side was written in words ("196 million"): such a number is a rounded
        statement, accepted within 1 % (rounding or truncation to the words' precision).
    rounded : numbers written in e-notation (see :func:`scientific_numbers`): value → half a unit of the
        last digit written; ``73728 = 7.4e4`` holds (rounded to the digits written), ``73728 = 7.3e4`` does not.
    """
    values = [numeric_value(s) for s in sides]
    links = [(n, relations[n], values[n], values[n + 1]) for n in range(len(relations))
             if values[n] is not None and values[n + 1] is not None and relations[n] in (set(_REL_OK) | {"=", "≈", "≃", "≅"})]
    if not links:
        return None
    notes = []
    for n, rel, a, b in links:
        ok, note = _link_ok(rel, a, b)
        if not ok and rounded and rel in ("=", "≈"):
            for written, exact in ((b, a), (a, b)):
                half = rounded.get(written) if isinstance(written, Fraction) else None
                if half is not None and abs(Fraction(exact) - written) <= half:
                    ok, note = True, f" ({fmt_number(written)} is the value rounded to the digits written)"
                    break
        if not ok and word_numbers and rel == "=":
            fa, fb = float(a), float(b)
            err = abs(fa - fb) / max(abs(fa), abs(fb), 1e-300)
            ok, note = err <= 0.01, f" (a number in words, read as rounded: {err:.2%} off)"
            if not ok and n == len(relations) - 1 and _scale_of_every_term(a, b):
                # "6 + 3 = 9 million bytes": the words after the result are the unit of every term
                ok, note = True, f" (the words' scale ×{_show(Fraction(b) / Fraction(a))} read as the unit of every term)"
        if not ok:
            cex = {"link": n + 1, "left": _show(a), "right": _show(b)}
            return Judgement("INCORRECT", "arithmetic",
                             f"link {n + 1}: {_show(a)} {rel} {_show(b)} is false{note}", counterexample=cex,
                             expected=str(_show(a)))
        notes.append(note)
    extra = "".join(sorted(set(x for x in notes if x)))
    return Judgement("CORRECT", "arithmetic", f"{len(links)} numeric step(s) checked exactly{extra}",
                     expected=str(_show(links[-1][2])))


def _scale_of_every_term(a, b) -> bool:
    """True when ``b`` is exactly ``a`` times a thousand, million, billion or trillion (``9`` and ``9 million``).

    >>> _scale_of_every_term(Fraction(9), Fraction(9_000_000)), _scale_of_every_term(Fraction(9), Fraction(8_000_000))
    (True, False)
    >>> _scale_of_every_term(Fraction(6_000_000), Fraction(6_000))   # the scale missing on the right is no unit
    False
    """
    if not isinstance(a, Fraction) or not isinstance(b, Fraction) or a == 0:
        return False
    return Fraction(b) / Fraction(a) in {Fraction(10) ** (3 * k) for k in range(1, 5)}


def _show(x):
    if isinstance(x, Fraction):
        if x.denominator == 1:
            return int(x)
        return f"{x.numerator}/{x.denominator} ≈ {float(x):.6g}"
    return round(x, 9)


def judge_identity(sides, relations, *, points: int = 12, seed: int = 0) -> Judgement | None:
    """Check the links between two algebraic sides in the same symbols as identities.

    Only links whose two sides are both compound (not a bare symbol being defined), free of
    tensor reads, and in the same symbols, are checked; None when there is no such link.
    """
    rng = random.Random(seed)
    checked = 0
    for n, rel in enumerate(relations):
        a, b = sides[n], sides[n + 1]
        if rel not in ("=", "≈"):
            continue
        if a.is_Atom or b.is_Atom or is_structural(a) or is_structural(b):
            continue
        if not a.free_symbols or a.free_symbols != b.free_symbols:
            continue
        names = sorted(str(s) for s in a.free_symbols)
        if len(names) < 1:
            continue
        diff_at = None
        good = 0
        for _ in range(points):
            v = {x: rng.randint(2, 9) for x in names}
            try:
                va, vb = exact_value(a, v), exact_value(b, v)
            except EvalError:
                continue
            if rel == "=" and va != vb:
                diff_at = (v, va, vb)
                break
            if rel == "≈" and va != vb:
                diff_at = (v, va, vb)
                break
            good += 1
        if diff_at is None and good == 0:
            continue
        if diff_at is not None:
            if rel == "≈":
                return Judgement("UNRECOGNIZED", "identity", f"link {n + 1} is an approximation ({pretty(a)} ≈ "
                                 f"{pretty(b)}); its regime is not stated, so it is not judged")
            v, va, vb = diff_at
            return Judgement("INCORRECT", "identity",
                             f"link {n + 1}: {pretty(a)} = {pretty(b)} fails at {v}: {fmt_number(va)} ≠ {fmt_number(vb)}",
                             counterexample={"values": v, "left": fmt_number(va), "right": fmt_number(vb), "link": n + 1},
                             expected=pretty(a), expected_latex=sp.latex(a))
        checked += 1
    if checked:
        return Judgement("CORRECT", "identity", f"{checked} algebraic step(s) hold identically (checked at "
                         f"{points} random points each)")
    return None
