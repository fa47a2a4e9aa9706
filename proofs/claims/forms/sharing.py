"""Totals of parameter sharing: "without parameter sharing, the 55×55×96 output neurons, each with an 11×11×3
filter, would need 105,705,600 parameters"; "with sharing the layer has only 34,944".

The sentence names the output volume ``H'×W'×K`` (neurons, outputs, feature
maps, activations) and the filter ``F×F×D`` (filters, kernels, weights,
receptive field). The truth is ``derive.layers.Conv2d(D, K, F).params`` with
sharing, and one filter per output position without it: ``H'·W'·K·(F·F·D + 1)``
(``H'·W'·K·F·F·D`` when the biases are not counted; prose often calls every
parameter a weight, so both are accepted).

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s, = find(normalise("Without parameter sharing, the 55×55×96 neurons, each looking at an 11×11×3 region, "
...                     "would have 105,705,600 parameters."))
>>> s.shared, s.decide().verdict.value
(False, 'CORRECT')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..layer_reading import prepare, read_layer
from ..truth import output_size

__all__ = ["find", "SharingTotal"]

_UNSHARED = re.compile(r"\bwithout (?:parameter |weight )?sharing\b|\bunshared\b|\blocally[- ]connected\b|"
                       r"\bno (?:parameter |weight )sharing\b|\b(?:weights|parameters|filters) (?:were|are|is|was) not shared\b"
                       r"|\b(?:were|are|was|is) not shared\b|\bif (?:they|the \w+) (?:were|was) not shared\b")
_SHARED = re.compile(r"\bwith (?:parameter |weight )?sharing\b|\bshared (?:weights|parameters|filters)\b")
_TRIPLE = r"(\d{1,5})×(\d{1,5})×(\d{1,5})"
_OUT = re.compile(_TRIPLE + r"\s*(?:=\s*\d+\s*)?(?:output |hidden )?(?:neurons|outputs?|output volume|units|feature maps?|"
                  r"activations?|volume|positions)\b")
_FILTER = re.compile(r"\b(?:an? |each |one )?" + _TRIPLE + r"\s*(?:=\s*\d+\s*)?(?:filters?|kernels?|weights|region|receptive field|"
                     r"windows?|regions|patch(?:es)?|inputs?)\b")
_TOTAL = re.compile(r"(\d{1,12})\s+(?:learnable |trainable )?(parameters|weights|params)\b")


@dataclass
class SharingTotal:
    """A total of parameters with (``shared``) or without parameter sharing."""

    out: tuple[int, int, int]
    filt: tuple[int, int, int]
    claimed: int
    shared: bool
    quantity: str = "params"

    def decide(self) -> Outcome:
        from derive.layers import Conv2d

        h, w, k = self.out
        f1, f2, d = self.filt
        conv = Conv2d(d, k, (f1, f2))
        shared = {int(conv.params), int(Conv2d(d, k, (f1, f2), bias=False).params)}
        unshared_bias, unshared = h * w * k * (f1 * f2 * d + 1), h * w * k * f1 * f2 * d
        accepted = shared if self.shared else {unshared_bias, unshared}
        how = (f"with sharing, derive.layers.Conv2d({d}, {k}, {f1}×{f2}).params = {int(conv.params)}" if self.shared else
               f"without sharing, one {f1}×{f2}×{d} filter and bias per output neuron: {h}·{w}·{k}·({f1}·{f2}·{d} + 1) = "
               f"{unshared_bias:,} ({unshared:,} without the biases)")
        if self.claimed in accepted:
            return Outcome(Verdict.CORRECT, f"{how}: {self.claimed:,}, as stated.", expected=str(self.claimed))
        expected = int(conv.params) if self.shared else unshared_bias
        return Outcome(Verdict.INCORRECT, f"{how}, not {self.claimed:,}.", expected=str(expected),
                       counterexample={"output": f"{h}×{w}×{k}", "filter": f"{f1}×{f2}×{d}", "expected": expected,
                                       "claimed": self.claimed})


def find(norm: str, section: str | None = None) -> list:
    """Sharing totals of a normalised sentence: each total with the nearest of the sentence's sharing markers,
    about the one output volume and filter it names (or the one layer it describes)."""
    markers = sorted([(m.start(), m.end(), False) for m in _UNSHARED.finditer(norm)] + [(m.start(), m.end(), True) for m in _SHARED.finditer(norm)])
    if not markers or len({shared for _, _, shared in markers}) == 1 and len(markers) > 1:
        return []
    totals = list(_TOTAL.finditer(norm))
    if not totals or len(totals) > 2 or len(totals) > len(markers):
        return []
    volume = _volume(norm)
    if volume is None:
        return []
    out, filt = volume
    statements = []
    for t in totals:
        nearest = min(markers, key=lambda m: min(abs(t.start() - m[1]), abs(m[0] - t.end())))
        statements.append(SharingTotal(out, filt, int(t.group(1)), shared=nearest[2]))
    if len({st.shared for st in statements}) != len(statements):
        return []  # two totals for one marker: which is which is not clear
    return statements


def _volume(norm: str) -> tuple | None:
    """(output volume, filter) the sentence names as triples, else computed from the one layer it describes."""
    outs, filts = _OUT.findall(norm), _FILTER.findall(norm)
    if len(outs) == 1 and len(filts) == 1:
        out = tuple(int(v) for v in outs[0])
        filt = tuple(int(v) for v in filts[0])
        if out == filt or max(out + filt) > 100_000:
            return None
        return out, filt
    if outs or filts:
        return None
    r = read_layer(prepare(norm))
    if r.kernel is None or r.c_in is None or r.c_out is None or r.size is None or (r.kind or "conv") != "conv" or r.groups not in (None, 1):
        return None
    if r.padding is None or r.padding == "same" and r.kernel % 2 == 0:
        return None  # the output positions depend on the padding, which the sentence leaves open
    padding = r.padding if r.padding != "same" else (r.dilation or 1) * (r.kernel - 1) // 2
    side = output_size("conv", r.size, r.kernel, stride=r.stride or 1, padding=padding, dilation=r.dilation or 1)
    if not 1 <= side <= 100_000 or max(r.c_in, r.c_out, r.kernel) > 100_000:
        return None
    return (side, side, r.c_out), (r.kernel, r.kernel, r.c_in)
