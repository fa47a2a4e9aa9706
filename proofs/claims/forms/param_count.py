"""Claims of an exact parameter count: "a 3×3 conv with 64 input and 128 output channels has 73,856 parameters".

Recognised wording (after :func:`~proofs.claims.numbers_words.normalise`): a
square kernel ``k×k``, both channel counts stated unambiguously ("64 input
channels and 128 output channels", "from 64 to 128 channels", "64 → 128
channels", "c_in = 64, c_out = 128") and a total "has/with/needs N
parameters|weights|params". A sentence naming several kernels or one channel
count only is not read (which layer, which channels, would be a guess).

Decision: ``derive.layers.Conv2d(C_in, C_out, k).params`` with and without the
bias; the claim may count the biases or not (prose often calls every
parameter a "weight"). Equal → CORRECT, else INCORRECT with both counts.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("A 3×3 conv layer with 64 input channels and 128 output channels has 73,856 parameters."))[0]
>>> (s.kernel, s.c_in, s.c_out, s.claimed), s.decide().verdict.value
((3, 64, 128, 73856), 'CORRECT')
>>> find(normalise("A 3×3 kernel with 64 channels has only ~1.8K params."))
[]
>>> find(normalise("The block has 69,632 weights, against 589,824 for a 3×3 conv from 256 to 256 channels."))
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..numbers_words import KERNEL, parse_number
from ..layer_reading import prepare, read_layer
from ..truth import conv_params

__all__ = ["find", "ConvParameterCount"]

_CHANNEL_PAIRS = [
    re.compile(r"\b(\d{1,5}) input channels?,? and (\d{1,5}) output channels?\b"),
    re.compile(r"\b(\d{1,5}) input and (\d{1,5}) output channels\b"),
    re.compile(r"\bfrom (\d{1,5}) to (\d{1,5}) (?:channels|feature maps|filters)\b"),
    re.compile(r"\b(\d{1,5})\s*(?:→|->)\s*(\d{1,5}) channels\b"),
    re.compile(r"\bc_?in\s*=\s*(\d{1,5}),? (?:and )?c_?out\s*=\s*(\d{1,5})\b"),
]
_TOTAL = re.compile(r"\b(?:has|have|with|needs?|requires?|contains?|uses?|holds?|=|is|of)\s+(?:only |exactly |a total of |in total )?(\d{1,7})\s+(?:learnable |trainable )?(parameters|params|weights)\b")

#: any other number of three or more digits (a second count the sentence compares with)
_COUNT = re.compile(r"(?<![\d.])\d{3,9}(?![\d.])")


@dataclass
class ConvParameterCount:
    """"a ``kernel``×``kernel`` conv from ``c_in`` to ``c_out`` channels has ``claimed`` ``what``"."""

    kernel: int
    c_in: int
    c_out: int
    claimed: int
    what: str = "parameters"
    bias: bool | None = None  # the sentence says the biases are counted (True) or not (False)
    quantity: str = "param_count"

    def decide(self) -> Outcome:
        weights = conv_params(self.c_in, self.c_out, self.kernel, bias=False)
        with_bias = conv_params(self.c_in, self.c_out, self.kernel, bias=True)
        text = (f"derive.layers.Conv2d({self.c_in}, {self.c_out}, {self.kernel}).params = {with_bias} "
                f"({weights} weights + {with_bias - weights} biases)")
        accepted = {weights, with_bias}  # prose often calls every parameter a "weight"
        if self.bias is not None:  # "… with its biases", "ignoring the biases": only that count
            accepted = {with_bias if self.bias else weights}
        if self.claimed in accepted:
            return Outcome(Verdict.CORRECT, f"{text}: {self.claimed} {self.what}, as stated.", expected=str(self.claimed))
        return Outcome(Verdict.INCORRECT, f"{text}, not {self.claimed} {self.what}.",
                       expected=str(weights if self.bias is False or self.bias is None and self.what == "weights" else with_bias),
                       counterexample={"C_in": self.c_in, "C_out": self.c_out, "kernel": self.kernel,
                                       "params": with_bias, "weights": weights, "claimed": self.claimed})


def find(norm: str, section: str | None = None) -> list:
    """Exact parameter-count statements of a normalised sentence (empty when none)."""
    kernels = {(a, b) for a, b in re.findall(KERNEL, norm)}
    if len(kernels) != 1:
        return []
    (k1, k2), = kernels
    if k1 != k2 or not re.search(r"\bconv\w*|\bfilters?\b|\bkernels?\b", norm):
        return []
    pairs = [m for p in _CHANNEL_PAIRS for m in p.finditer(norm)]
    totals = list(_TOTAL.finditer(norm))
    if len(pairs) != 1 or len(totals) != 1 or re.search(r"\b(?:separable|depthwise|grouped|groups?|transpose\w*)\b", norm):
        return []
    c_in, c_out = parse_number(pairs[0].group(1)), parse_number(pairs[0].group(2))
    claimed = parse_number(totals[0].group(1))
    stated = {c_in, c_out, parse_number(k1), claimed}
    if any(int(n) not in stated for n in _COUNT.findall(norm)):
        return []  # another count in the sentence: which number belongs to this layer would be a guess
    what = "weights" if totals[0].group(2) == "weights" else "parameters"
    bias = read_layer(prepare(norm)).bias
    return [ConvParameterCount(parse_number(k1), c_in, c_out, claimed, what, bias)]
