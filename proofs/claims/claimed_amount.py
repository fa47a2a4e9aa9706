"""The amount a sentence claims for a named quantity: "≈ 1.8 million multiply-adds", "12.8 MB", "73,792 parameters".

A sentence may show its arithmetic ("56 × 56 × 64 × 9 ≈ 1.8 million multiply-adds"); the arithmetic being
right says nothing about the quantity. :func:`claimed_amounts` finds what the sentence asserts *about the
quantity* — the number written before the quantity's noun, with its magnitude word and its rounding — so that
the quantity itself can be computed and compared (:mod:`proofs.claims.forms.layer_quantity`).

An :class:`Amount` knows the interval its writing allows: "1.8 million" is [1.75 M, 1.85 M); "73792" is
exact; a hedge ("about", "≈") widens the interval to ±5 % for a CORRECT and leaves a grey zone up to ±10 %
in which nothing is decided.

Examples
--------
>>> a = claimed_amounts("it costs ≈ 1.8 million multiply-adds")[0]
>>> a.quantity, float(a.value), a.hedged
('macs', 1800000.0, True)
>>> a.agrees(1_790_000), a.agrees(115_605_504)
(True, False)
>>> [(x.quantity, x.value) for x in claimed_amounts("the layer has = 73792 parameters")]
[('params', Fraction(73792, 1))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .numbers_words import HEDGE

__all__ = ["Amount", "claimed_amounts", "QUANTITY_NOUNS"]

_MAGNITUDE = {"thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mln": 10**6, "billion": 10**9, "b": 10**9, "g": 10**9}
#: the noun of each quantity (after the number and its magnitude)
QUANTITY_NOUNS = {
    "params": r"(?:learnable |trainable |free )?(?:parameters|params|weights)",
    "macs": r"(?:multiply[- ]adds?|multiply[- ]accumulates?|multiply[- ]accumulate operations|mult[- ]adds|macs|multiplications)",
    "flops": r"(?:flops|floating[- ]point operations)",
    "bytes": r"(?:bytes|kb|mb|gb|kib|mib|gib)",
    "values": r"(?:values|elements|activations|numbers|floats)",
}
_NUMBER = r"(?<![\w.×])(\d{1,12}(?:\.\d{1,6})?)\s*(thousand|million|billion|mln|[kmbg](?=\s|$|[a-z]))?\s*"


@dataclass(frozen=True)
class Amount:
    """A claimed amount: ``value`` (exact Fraction), its ``quantity``, the unit word, rounding ``half`` width."""

    quantity: str
    value: Fraction
    half: Fraction
    hedged: bool
    unit: str
    start: int
    written: str

    def agrees(self, truth: int | Fraction) -> bool | None:
        """True when ``truth`` is what the writing allows, False when it is clearly not, None in between.

        Examples
        --------
        >>> Amount("params", Fraction(102800000), Fraction(50000), True, "parameters", 0, "102.8 million").agrees(102764544)
        True
        >>> Amount("params", Fraction(1728), Fraction(0), False, "parameters", 0, "1728").agrees(1792)
        False
        """
        truth = Fraction(truth)
        if abs(truth - self.value) <= self.half:
            return True
        if not self.hedged:
            return False
        rel = abs(truth - self.value) / max(abs(self.value), Fraction(1))
        if rel <= Fraction(5, 100):
            return True
        return False if rel > Fraction(10, 100) else None


def _half(number: str, scale: int, exact: bool) -> Fraction:
    """Half the last written digit's unit: "1.8" million → 0.05 M; "73792" (no magnitude) → 0 (exact)."""
    if exact:
        return Fraction(0)
    exponent = Decimal(number).as_tuple().exponent
    return Fraction(1, 2) * Fraction(10) ** exponent * scale


def claimed_amounts(text: str) -> list[Amount]:
    """Every "number [magnitude] noun" of a quantity in ``text`` (prepared, lower-case), in order.

    Examples
    --------
    >>> [(a.quantity, a.value, a.half) for a in claimed_amounts("roughly 231 mflops")]
    [('flops', Fraction(231000000, 1), Fraction(500000, 1))]
    >>> [(a.unit, a.value) for a in claimed_amounts("about 12.8 mb in float32")]
    [('mb', Fraction(64, 5))]
    """
    out: list[Amount] = []
    for quantity, noun in QUANTITY_NOUNS.items():
        for m in re.finditer(_NUMBER + r"(" + noun + r")\b(?!\s+(?:per|for each|each)\b(?! (?:input[- ]output )?(?:channel pair|pair of)))", text):  # "2 flops per mac": a rate
            # ("9 weights per channel pair" is one 2-D kernel's count: read by layer_quantity)
            number, magnitude, unit = m.group(1), m.group(2), m.group(3)
            scale = _MAGNITUDE.get(magnitude or "", 1)
            value = Fraction(Decimal(number)) * scale
            exact = magnitude is None and "." not in number and quantity != "bytes"
            if quantity == "bytes":
                exact = unit == "bytes" and "." not in number
            hedged = HEDGE.search(text[max(0, m.start() - 25): m.start() + 1]) is not None
            out.append(Amount(quantity, value, _half(number, scale, exact), hedged, unit, m.start(), m.group(0).strip()))
    return sorted(out, key=lambda a: a.start)
