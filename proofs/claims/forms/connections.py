"""Claims about one neuron's connections: "each neuron has weights to a [5×5×3] region, a total of 75 weights".

Recognised wording (after :func:`~proofs.claims.numbers_words.normalise`), e.g.
"each neuron in the conv layer will have weights to a [5x5x3] region in the
input volume, for a total of 5*5*3 = 75 weights", "every neuron would have a
total of 3*3*20 = 180 connections to the input volume", "each output neuron is
connected to a 3×3×64 region of the input, i.e. 576 weights". A region
``k×k×C`` and a stated total are needed (a region alone restates its size).

Decision: the weights of one output neuron are those of one filter,
``derive.layers.Conv2d(C, 1, k, bias=False).params``, with or without the
bias. Equal → CORRECT, else INCORRECT with both.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("Each neuron is connected to a 3×3×64 region of the input, i.e. 576 weights."))[0]
>>> (s.kernel, s.channels, s.claimed), s.decide().verdict.value
((3, 64, 576), 'CORRECT')
>>> find(normalise("Each neuron sees a 3×3×64 region."))
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..numbers_words import parse_number
from ..truth import conv_params

__all__ = ["find", "NeuronConnections"]

_TRIPLE = re.compile(r"\b(\d{1,4})×(\d{1,4})×(\d{1,5})\b")
_TOTAL_AFTER = re.compile(r"^\]?[^.;=×]{0,60}?(?:=|\bi\.e\.,?|\btotal of|\bthat is,?|\bgiving|\bor)\s*(?:only |just |exactly )?(\d{1,7})\s+(weights|connections|parameters|params)\b")
_FILTERS = re.compile(r"\b(\d{1,5}) (?:filters|kernels|neurons|units|feature detectors|output channels)\b")
_NEURON = re.compile(r"\b(?:neurons?|units?|outputs?|output (?:pixels?|values?|elements?)|filters?)\b")


@dataclass
class NeuronConnections:
    """"one neuron of a ``kernel``×``kernel`` conv over ``channels`` inputs has ``claimed`` weights (``what``)"."""

    kernel: int
    channels: int
    claimed: int
    what: str = "weights"
    filters: int | None = None
    quantity: str = "connections"

    def decide(self) -> Outcome:
        weights = conv_params(self.channels, 1, self.kernel, bias=False)
        with_bias = conv_params(self.channels, 1, self.kernel, bias=True)
        text = (f"a neuron connected to a {self.kernel}×{self.kernel}×{self.channels} region has "
                f"derive.layers.Conv2d({self.channels}, 1, {self.kernel}).params = {weights} weights ({with_bias} with its bias)")
        accepted = {weights, with_bias}  # with or without its bias: prose often calls every parameter a "weight"
        if self.filters is not None:  # "96 filters of size 11×11×3, i.e. 34,848 weights": the total of the layer
            layer = conv_params(self.channels, self.filters, self.kernel, bias=False)
            layer_bias = conv_params(self.channels, self.filters, self.kernel, bias=True)
            text += f"; {self.filters} filters: derive.layers.Conv2d({self.channels}, {self.filters}, {self.kernel}).params = {layer} ({layer_bias} with biases)"
            accepted |= {layer, layer_bias}
        if self.claimed in accepted:
            return Outcome(Verdict.CORRECT, f"{text}: {self.claimed} {self.what}, as stated.", expected=str(weights))
        return Outcome(Verdict.INCORRECT, f"{text}, not {self.claimed}.", expected=str(weights),
                       counterexample={"kernel": self.kernel, "channels": self.channels, "derived": weights, "claimed": self.claimed})


def find(norm: str, section: str | None = None) -> list:
    """Connection-count statements of a normalised sentence (empty when none)."""
    if not _NEURON.search(norm):
        return []
    out = []
    for m in _TRIPLE.finditer(norm):
        k1, k2, c = (parse_number(g) for g in m.groups())
        if k1 != k2:
            continue
        total = _TOTAL_AFTER.search(norm[m.end(): m.end() + 120])
        if not total:
            continue
        claimed = parse_number(total.group(1))
        fm = _FILTERS.search(norm[: m.start()])
        filters = parse_number(fm.group(1)) if fm else None
        out.append(NeuronConnections(k1, c, claimed, total.group(2), filters))
        break
    return out
