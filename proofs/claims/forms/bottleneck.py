"""Bottleneck claims: "a 1×1 conv that reduces 256 channels to 64 before the 3×3 conv cuts its cost by 4×",
"reducing 192 channels to 16 before a 5×5 conv with 32 filters saves about 10× the multiplications".

The sentence names the input channels ``C``, the reduced width ``C'`` and the
``k×k`` conv after the ``1×1`` reduction, possibly its output channels ``C_out``,
and a factor. MACs per output position are derived with ``derive.layers.Conv2d``
(``.macs`` on a 1×1 map): without the bottleneck ``k²·C·C_out``; with it
``C·C'`` (the 1×1) ``+ k²·C'·C_out``. What "the cost" covers is not always said,
so the readings are: the ``k×k`` conv alone (factor ``C/C'``), the whole
bottleneck path with the ``C_out`` stated (else ``C_out = C`` and ``C_out = C'``),
and, when no ``C_out`` is stated, a ResNet-style block (1×1 down, ``k×k`` at
``C'``, 1×1 back up) against one ``k×k`` conv ``C → C``.
CORRECT when the factor matches one reading at the sentence's rounding (or
within 10 % when hedged); INCORRECT with the derived factors when it is more
than 25 % from every reading; otherwise UNRECOGNIZED.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s, = find(normalise("A 1×1 conv that reduces 256 channels to 64 before the 3×3 conv cuts its cost by 4×."))
>>> s.decide().verdict.value
'CORRECT'
>>> s, = find(normalise("A 1×1 conv that reduces 256 channels to 64 before the 3×3 conv cuts its cost by 16×."))
>>> s.decide().verdict.value
'INCORRECT'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ...findings import Verdict
from ..decide import Outcome
from ..numbers_words import HEDGE

__all__ = ["find", "BottleneckSaving"]

_REDUCE = re.compile(r"\b(?:reduc\w*|compress\w*|shrink\w*|squeez\w*|project\w*|cut\w*|bring\w*|lower\w*)\s+(?:the\s+)?"
                     r"(?:(?:number of\s+)?(?:input\s+)?channels\s+)?(?:from\s+)?(\d{1,5})(?:\s+(?:input\s+)?channels)?\s+(?:down\s+)?to\s+(\d{1,5})\b"
                     r"|\b(\d{1,5})\s*(?:→|->)\s*(\d{1,5})\b")
_KXK = re.compile(r"\b(?:before|ahead of|preceding|prior to|in front of|then|followed by)\s+(?:a|an|the|each)?\s*(\d{1,2})×\1\s+conv\w*")
_COUT = re.compile(r"\b(?:with|of|producing|into|has|having)\s+(\d{1,5})\s+(?:filters|output channels|outputs|kernels)\b")
_FACTOR = re.compile(r"\b(?:by|of|saves?|about|roughly|approximately|~|≈)\s*(?:a factor of\s+|about\s+|roughly\s+|~\s*|≈\s*)?"
                     r"(\d{1,4}(?:\.\d{1,3})?)\s*(?:×|x|times|-fold|fold)(?!\d)"
                     r"|\bfactor of\s+(?:about\s+|roughly\s+|~\s*)?(\d{1,4}(?:\.\d{1,3})?)\b(?!\s*(?:×|x|times))")
_COST = re.compile(r"\b(?:cost|computation\w*|compute|macs|flops|multiplications|multiply-adds|operations|mult-adds)\b")


def _macs(c_in: int, c_out: int, k: int) -> int:
    from derive.layers import Conv2d

    return int(Conv2d(c_in, c_out, k, bias=False).macs((c_in, k, k)))  # one output position


@dataclass
class BottleneckSaving:
    """``C → C'`` by a 1×1 conv before a ``k×k`` conv (``c_out`` or None), claimed to save ``factor``×."""

    c_in: int
    c_mid: int
    kernel: int
    c_out: int | None
    factor: str
    hedged: bool
    quantity: str = "macs"

    def readings(self) -> dict[str, Fraction]:
        k, c, m = self.kernel, self.c_in, self.c_mid
        out = {f"the {k}×{k} conv alone ({k}²·{c}·C_out → {k}²·{m}·C_out)": Fraction(c, m)}
        for c_out in ([self.c_out] if self.c_out else [c, m]):
            direct = _macs(c, c_out, k)
            path = _macs(c, m, 1) + _macs(m, c_out, k)
            out[f"the whole path with C_out = {c_out} ({direct:,} → {m * c:,} + {path - m * c:,} = {path:,} MACs per position)"] = Fraction(direct, path)
        if not self.c_out:  # a ResNet-style block: 1×1 down, k×k at C', 1×1 back up to C, against one k×k conv C → C
            direct, block = _macs(c, c, k), _macs(c, m, 1) + _macs(m, m, k) + _macs(m, c, 1)
            out[f"a block 1×1 ({c}→{m}), {k}×{k} ({m}→{m}), 1×1 ({m}→{c}) against one {k}×{k} conv {c}→{c} "
                f"({direct:,} → {block:,} MACs per position)"] = Fraction(direct, block)
        return out

    def decide(self) -> Outcome:
        claimed = Fraction(Decimal(self.factor))
        exp = Decimal(self.factor).as_tuple().exponent
        half = Fraction(1, 2) * Fraction(10) ** exp
        readings = self.readings()
        text = "derive.layers.Conv2d MACs: " + "; ".join(f"{name}: {float(r):.2f}×" for name, r in readings.items())
        for name, r in readings.items():
            if claimed - half <= r < claimed + half or (self.hedged and abs(r - claimed) <= r / 10):
                return Outcome(Verdict.CORRECT, f"{text}. {self.factor}× matches {name.rsplit(' (', 1)[0]}.",
                               expected=f"{float(r):.2f}×")
        if all(abs(r - claimed) > r / 4 for r in readings.values()):
            return Outcome(Verdict.INCORRECT, f"{text}; {self.factor}× matches none.",
                           expected=" or ".join(f"{float(r):.2f}×" for r in readings.values()),
                           counterexample={"C": self.c_in, "C'": self.c_mid, "kernel": self.kernel, "C_out": self.c_out,
                                           "factors": [round(float(r), 3) for r in readings.values()],
                                           "claimed": float(claimed)})
        return Outcome(Verdict.UNRECOGNIZED, f"{text}; {self.factor}× is near one of them but not at its rounding.")


def find(norm: str, section: str | None = None) -> list:
    """A bottleneck-saving statement of a normalised sentence (else none)."""
    if not re.search(r"\b1×1\b|\bbottleneck\b|\bpointwise\b", norm) or not _COST.search(norm):
        return []
    reds, kxk, facts = list(_REDUCE.finditer(norm)), list(_KXK.finditer(norm)), list(_FACTOR.finditer(norm))
    if len(reds) != 1 or len(kxk) != 1 or len(facts) != 1:
        return []
    g = [v for v in reds[0].groups() if v is not None]
    c_in, c_mid = int(g[0]), int(g[1])
    k = int(kxk[0].group(1))
    if not (1 <= c_mid < c_in <= 100_000) or k < 2:
        return []
    couts = _COUT.findall(norm)
    c_out = int(couts[0]) if len(couts) == 1 else None
    hedged = bool(HEDGE.search(norm[max(0, facts[0].start() - 15):facts[0].end()]))
    return [BottleneckSaving(c_in, c_mid, k, c_out, facts[0].group(1) or facts[0].group(2), hedged)]
