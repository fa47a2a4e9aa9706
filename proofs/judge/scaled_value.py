r"""A worked number whose scale continues in words after the formula: ``… = 1.8`` billion, ``= 118`` M MACs, ``= 3.2`` MB.

A cost or memory example often ends its formula on a rounded number and writes the scale after it, outside
the math: ``$56 \cdot 56 \cdot 256 \cdot 256 \cdot 9 \approx 1.8$ billion MACs``, ``$\ldots = 3.2$ MB``,
``$2 \cdot 118 = 236$ MFLOPs, that is 0.236 GFLOPs``. Read as the bare number, such a chain is false
(1,719,926,784 ≠ 1.8). Here the words right after the formula are read as a scale — a number word
(thousand … trillion), a metric prefix (K/M/G/T, fused or not with the unit: ``MFLOPs``, ``GMACs``,
``Mparams``) or a byte unit (KB/MB/GB in their decimal and binary readings, KiB/MiB/GiB) — and the stated
number, times the scale, is compared with the computed one at the precision the document wrote it with.

A value is CORRECT when some reading of the scale matches within the rounding of its last written digit
(within 1 %, or 5 % after ``≈``/"about"); INCORRECT only when every reading is more than 5 % off
(10 % after ``≈``), with the computed value and the stated one as the counterexample; otherwise None
(the caller reports the scale as not read). A second value in the same unit family after "that is",
"i.e." or "or" (``= 236 MFLOPs, i.e. 0.236 GFLOPs``) is checked the same way.

Examples
--------
>>> import sympy as sp
>>> e = sp.Mul(56, 56, 256, 256, 9, evaluate=False)
>>> judge_scaled_value([e, sp.Float("1.85")], ["="], " billion MACs per image.").verdict
'CORRECT'
>>> j = judge_scaled_value([e, sp.Float("0.9")], ["≈"], " billion MACs.")
>>> j.verdict, j.counterexample["computed"]
('INCORRECT', 1849688064)
>>> judge_scaled_value([sp.Mul(56, 56, 256, 4, evaluate=False), sp.Float("3.2")], ["="], " MB of float32.").verdict
'CORRECT'
>>> judge_scaled_value([sp.Integer(4), sp.Integer(4)], ["="], " apples") is None
True
>>> judge_scaled_value([sp.Mul(2, 118, evaluate=False), sp.Integer(236)], ["="], " MFLOPs") is None  # all in MFLOPs
True
>>> judge_scaled_value([sp.Integer(401408), sp.Integer(400) * sp.Symbol("K")], ["="], "").verdict  # 28*28*512=400K
'CORRECT'
>>> judge_scaled_value([sp.Integer(401408), sp.Integer(40) * sp.Symbol("K")], ["="], "").counterexample["stated"]
40.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .arithmetic import _decimals, judge_chain, numeric_value
from .judgement import Judgement

__all__ = ["Scale", "read_scale", "judge_scaled_value"]

_WORDS = {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12,
          "mil": 10 ** 6, "mio": 10 ** 6, "mln": 10 ** 6, "mn": 10 ** 6, "bn": 10 ** 9, "bil": 10 ** 9}
_PREFIX = {"k": 10 ** 3, "K": 10 ** 3, "M": 10 ** 6, "G": 10 ** 9, "B": 10 ** 9, "T": 10 ** 12}
#: byte units: every reading a document may mean (KB/MB/GB are written for both 1000ⁿ and 1024ⁿ)
_BYTES = {"kb": (10 ** 3, 2 ** 10), "kib": (2 ** 10,), "mb": (10 ** 6, 2 ** 20), "mib": (2 ** 20,),
          "gb": (10 ** 9, 2 ** 30), "gib": (2 ** 30,), "tb": (10 ** 12, 2 ** 40), "tib": (2 ** 40,)}
#: the unit families a scaled number counts (two values are compared only within one family)
_UNITS = (("flops", r"flops?|floating[- ]point operations"), ("macs", r"macs?|multiply[- ]accumulates?|mult[- ]adds|madds|multiply[- ]adds"),
          ("params", r"param(?:eter)?s|weights"), ("bytes", r"bytes?"))
_UNIT_RX = "|".join(rx for _, rx in _UNITS)
_SCALE = re.compile(
    r"\s*(?:\\,|~|\s)*"
    r"(?:(?P<word>thousand|million|billion|trillion|mil|mio|mln|mn|bn|bil)s?\b"
    r"|(?P<bytes>[kKMGT]i?B)\b"
    r"|(?P<prefix>(?-i:[kKMGBT]))(?=\s*(?:" + _UNIT_RX + r")\b|\b))"
    r"\s*(?P<unit>" + _UNIT_RX + r")?\b", re.I)
_MORE = re.compile(r"\s*[,;(]?\s*(?:that is|i\.e\.,?|or|which is|so|roughly|about|approximately|≈|~)\s+"
                   r"(?:about |roughly |approximately |≈\s*|~\s*)?(?P<num>\d+(?:[.,]\d+)*)", re.I)


@dataclass(frozen=True)
class Scale:
    """What the words after a number multiply it by: every reading (``MB``: 10⁶ and 2²⁰), the unit family
    (``flops``, ``macs``, ``params``, ``bytes`` or None) and the words as written."""

    factors: tuple[int, ...]
    unit: str | None
    text: str


def _family(unit: str | None) -> str | None:
    if not unit:
        return None
    for name, rx in _UNITS:
        if re.fullmatch(rx, unit, re.I):
            return name
    return None


def read_scale(after: str) -> tuple[Scale, int] | None:
    """The scale written right after a number, and where it ends in ``after``; None when there is none.

    >>> read_scale(" billion MACs.")[0]
    Scale(factors=(1000000000,), unit='macs', text='billion MACs')
    >>> read_scale(" MFLOPs, i.e.")[0].factors, read_scale(" MiB")[0].factors, read_scale(" M parameters")[0].unit
    ((1000000,), (1048576,), 'params')
    >>> read_scale(" Mbit"), read_scale(" bytes"), read_scale(" Many"), read_scale(" t")   # 3t is not 3 tera
    (None, None, None, None)
    """
    m = _SCALE.match(after or "")
    if m is None:
        return None
    if m.group("word"):
        factors = (_WORDS[m.group("word").lower()],)
        unit = _family(m.group("unit"))
    elif m.group("bytes"):
        if m.group("unit"):
            return None  # "MB bytes": not a scale we read
        factors, unit = _BYTES[m.group("bytes").lower()], "bytes"
    elif m.group("prefix"):
        p = m.group("prefix")
        unit = _family(m.group("unit"))
        if p == "B" and unit is None:
            return None  # a bare "B": bytes or billions
        if p in "kK" and unit is None and not re.match(r"\s*[kK]\s*(?:[.,;:)]|$)", after):
            return None
        factors = (_PREFIX[p],)
    else:
        return None
    return Scale(factors, unit, m.group(0).strip()), m.end()


def _suffix_scale(side):
    """``400·K``, ``1.6·M``, ``3.2·MB``: a number times a name that is a scale → (number, Scale), else None."""
    if not isinstance(side, sp.Mul) or len(side.args) != 2:
        return None
    nums = [a for a in side.args if a.is_Number]
    names = [a for a in side.args if isinstance(a, sp.Symbol)]
    if len(nums) != 1 or len(names) != 1 or nums[0] <= 0:
        return None
    read = read_scale(f" {names[0].name}")
    if read is None or read[1] != len(names[0].name) + 1:
        return None
    return nums[0], read[0]


def _digits_tolerance(stated: Fraction, text_value) -> Fraction:
    """Half a unit of the last digit the document wrote (``1.8``: 0.05; ``118``: 0.5)."""
    if isinstance(text_value, sp.Float):
        s = str(text_value)
        decimals = len(s.split(".")[1].rstrip("0")) if "." in s else 0
    else:
        decimals = _decimals(stated)
        if decimals is None:
            return Fraction(0)
    return Fraction(1, 2 * 10 ** decimals)


def _compare(computed: Fraction, stated: Fraction, tolerance: Fraction, scale: Scale, hedged: bool):
    """(verdict, factor, relative error of the best reading): CORRECT, INCORRECT or None (too close to call)."""
    best = None
    for f in scale.factors:
        value = stated * f
        err = abs(Fraction(computed) - value)
        rel = float(err / max(abs(Fraction(computed)), abs(value), Fraction(1, 10 ** 12)))
        if err <= tolerance * f + Fraction(1, 10 ** 9) or rel <= (0.05 if hedged else 0.01):
            return "CORRECT", f, rel
        if best is None or rel < best[1]:
            best = (f, rel)
    f, rel = best
    if rel > (0.10 if hedged else 0.05):
        return "INCORRECT", f, rel
    return None, f, rel


def _show(x) -> str:
    x = Fraction(x)
    return f"{int(x):,}" if x.denominator == 1 else f"{float(x):,.6g}" if abs(x) < 1000 else f"{float(x):,.0f}"


def judge_scaled_value(sides, relations, after: str, *, context: str = "") -> Judgement | None:
    """Judge a numeric chain whose last number is scaled by the words after the formula, or None.

    ``sides``/``relations`` are the parser's chain; ``after`` the text right after the formula;
    ``context`` the text before it (a hedge such as "about" there widens the tolerance).
    """
    if not sides or len(sides) < 2 or relations[-1] not in ("=", "≈", "≃", "≅"):
        return None
    suffix = _suffix_scale(sides[-1])
    if suffix is not None:  # "28*28*512=400K": the scale written inside the formula, after the number
        number, scale = suffix
        sides = [*sides[:-1], number]
        end = len(after or "")
        after = after or ""
    else:
        read = read_scale(after)
        if read is None:
            return None
        scale, end = read
    if scale.factors == (1,):
        return None
    values = [numeric_value(s) for s in sides]
    if values[-1] is None or values[-2] is None:
        return None
    if len(sides) > 2:
        head = judge_chain(sides[:-1], relations[:-1])
        if head is not None and head.verdict == "INCORRECT":
            return head
    computed, stated = (Fraction(repr(v)) if isinstance(v, float) else Fraction(v) for v in values[-2:])
    hedged = relations[-1] != "=" or bool(re.search(r"(?i)\b(?:about|roughly|approximately|around|nearly|some)\s*$",
                                                     context or ""))
    tolerance = _digits_tolerance(stated, sides[-1])
    if _compare(computed, stated, tolerance, Scale((1,), scale.unit, ""), False)[0] == "CORRECT":
        return None  # "2 · 118 = 236 MFLOPs": both sides count in the scaled unit, plain arithmetic
    verdict, factor, rel = _compare(computed, stated, tolerance, scale, hedged)
    written = f"{_show(stated)} {scale.text}"
    if verdict == "INCORRECT":
        return Judgement("INCORRECT", "arithmetic", f"{_show(computed)} {relations[-1]} {written} is false: "
                         f"{written} is {_show(stated * factor)}, {rel:.0%} off",
                         counterexample={"computed": int(computed) if Fraction(computed).denominator == 1 else float(computed),
                                         "stated": float(stated), "scale": scale.text, "factor": factor},
                         expected=f"{float(Fraction(computed) / factor):.3g} {scale.text}")
    if verdict is None:
        return None
    explanation = f"{_show(computed)} {relations[-1]} {written} ({_show(stated * factor)}, rounded as written)"
    more = _MORE.match(after[end:])
    if more is not None:
        second = read_scale(after[end + more.end():])
        number = more.group("num").replace(",", "")
        if second is not None and second[0].unit == scale.unit and re.fullmatch(r"\d+(?:\.\d+)?", number):
            value2 = Fraction(number)
            tol2 = Fraction(1, 2 * 10 ** len(number.split(".")[1])) if "." in number else Fraction(1, 2)
            v2, f2, rel2 = _compare(computed, value2, tol2, second[0], True)
            text2 = f"{number} {second[0].text}"
            if v2 == "INCORRECT":
                return Judgement("INCORRECT", "arithmetic", f"{_show(computed)} is {written}, but the restatement "
                                 f"'{text2}' is {_show(value2 * f2)}, {rel2:.0%} off",
                                 counterexample={"computed": float(computed), "stated": float(value2),
                                                 "scale": second[0].text, "factor": f2},
                                 expected=f"{float(Fraction(computed) / f2):.3g} {second[0].text}")
            if v2 == "CORRECT":
                explanation += f"; restated as {text2}, which agrees"
    return Judgement("CORRECT", "arithmetic", explanation, expected=_show(computed))
