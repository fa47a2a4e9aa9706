"""Output sizes of a described stack: "three 3×3 conv layers with stride 2 reduce a 224×224 input to 28×28",
"four 3×3 convs, the second and the fourth with stride 2, map a 64×64 image to 16×16".

The stack is read by :mod:`~proofs.claims.forms.stacks` (per-layer strides and
dilations included, layers joined by "then"/"followed by"); the input size and
the claimed output size from the sentence. Each layer's output is
``derive.output_size``. Padding the sentence does not state takes the usual
conventions — no padding (PyTorch's default) and "same" padding (TensorFlow's,
output ``⌈H/s⌉``, what prose about shapes usually assumes) — and the finding
says which one matches: CORRECT when one does,
INCORRECT (with both derived sizes) when none does. A stated padding ("padding
1", "no padding", "same padding") is the only one tried.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s, = find(normalise("Three 3×3 conv layers with stride 2 reduce a 224×224 input to 28×28."))
>>> s.decide().verdict.value
'CORRECT'
>>> s, = find(normalise("Three 3×3 conv layers with stride 2 reduce a 224×224 input to 56×56."))
>>> s.decide().verdict.value
'INCORRECT'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from .stacks import find_stacks, sequence_of

__all__ = ["find", "StackOutputSize"]

_INPUT = re.compile(r"\b(?:an? |the )?(\d{1,4})×(\d{1,4})(?:×\d{1,4})? (?:input|image|feature map|map|picture)s?\b"
                    r"|\binputs? of (?:size )?(\d{1,4})×(\d{1,4})\b")
_OUTPUT = re.compile(r"\b(?:to|into|gives?|yields?|produces?|outputs?|results? in|leaves?|ends? (?:up )?(?:with|at))\s+(?:an? |the )?"
                     r"(\d{1,4})×(\d{1,4})(?:×\d{1,4})?(?! (?:input|image|kernel|filter|conv|pool))\b")
_PADDING = re.compile(r"\bpadding\s*(?:of\s+|=\s*|:\s*|\s)(\d{1,2})\b|\bpad(?:ded)? (?:by )?(\d{1,2})\b|\b(no|without|valid)\b[- ]?padding\b|"
                      r"\b(same)[- ]padding\b|\bunpadded\b")
_FLOOR = re.compile(r"\bfloor(?:[- ]mode|[- ]rounding|ed)?\b|\b(?:rounds?|rounding|rounded) (?:it |the size |sizes )?down\b|\bceil[ _]mode\s*=\s*false\b")
_VERB = re.compile(r"\b(?:reduces?|shrinks?|downsamples?|maps?|turns?|takes?|brings?|transforms?|gives?|yields?|produces?|outputs?|"
                   r"results? in|leaves?)\b")


@dataclass
class StackOutputSize:
    """The output size of ``layers`` (LayerSpec list) on an ``size``×``size`` input, claimed ``claimed``."""

    layers: tuple
    description: str
    size: int
    claimed: int
    paddings: tuple  # conventions tried: "none", "same", or an int
    quantity: str = "output_size"

    def _run(self, convention) -> list[int] | None:
        """Sizes through the stack under one padding convention (None when a layer does not fit)."""
        from derive import output_size

        h, trace = self.size, [self.size]
        for layer in self.layers:
            if convention == "none":
                pad = 0
            elif convention == "same":
                pad = "SAME"  # TensorFlow's: ceil(H / stride) for convolutions and pools alike
            elif isinstance(convention, tuple):  # a stated padding: on the convs, and on the pools or not
                pad = convention[0] if layer.kind == "conv" else convention[1]
            else:
                pad = convention
            try:
                h = int(output_size(layer.kind, h, layer.kernel, stride=layer.stride, padding=pad, dilation=layer.dilation))
            except ValueError:
                return None
            trace.append(h)
        return trace

    def decide(self) -> Outcome:
        conventions = []
        for c in self.paddings:
            if isinstance(c, int) and any(layer.kind != "conv" for layer in self.layers):
                conventions += [(c, c), (c, 0)]
            else:
                conventions.append(c)
        runs = {c: t for c in conventions if (t := self._run(c)) is not None}
        if not runs:
            raise ValueError("no padding convention lets every layer's window fit")
        names = {"none": "no padding", "same": "'same' padding (TensorFlow's, output ⌈H/s⌉)"}
        for c in conventions:
            if isinstance(c, tuple):
                names[c] = f"padding {c[0]}" + (" on every layer" if c[1] else " on the convolutions, none on the pools")
        shown = "; ".join(f"with {names.get(c, f'padding {c}')}: " + " → ".join(map(str, t)) for c, t in runs.items())
        text = f"derive.output_size through {self.description} on {self.size}×{self.size}: {shown}"
        stated = len(self.paddings) == 1
        for c, t in runs.items():
            if t[-1] == self.claimed:
                note = "" if stated else f" (the sentence does not state the padding; {names.get(c, c)} matches)"
                return Outcome(Verdict.CORRECT, f"{text}: {self.claimed}×{self.claimed}, as stated{note}.",
                               expected=str(self.claimed))
        finals = sorted({t[-1] for t in runs.values()})
        return Outcome(Verdict.INCORRECT, f"{text}: not {self.claimed}×{self.claimed} under any padding tried.",
                       expected=" or ".join(f"{v}×{v}" for v in finals),
                       counterexample={"input": self.size, "claimed": self.claimed,
                                       **{f"output ({names.get(c, f'padding {c}')})": t[-1] for c, t in runs.items()}})


def find(norm: str, section: str | None = None) -> list:
    """A stack output-size statement of a normalised sentence (one stack or one sequence, one input, one output)."""
    if not _VERB.search(norm) or re.search(r"\b(?:transpose\w*|deconv\w*|upsampl\w*|ceil|receptive|rf|halv\w*|doubl\w*|"
                                          r"factor|quarter\w*)\b", norm):  # halving/doubling: forms/resolution.py
        return []
    stacks = find_stacks(norm)
    if not stacks or (len(stacks) > 1 and not sequence_of(norm, stacks)):
        return []
    ins, outs = list(_INPUT.finditer(norm)), list(_OUTPUT.finditer(norm))
    if len(ins) != 1 or len(outs) != 1 or outs[0].start() < ins[0].start():
        return []
    a, b = [v for v in ins[0].groups() if v is not None][:2]
    c, d = outs[0].group(1), outs[0].group(2)
    if a != b or c != d:
        return []
    layers = []
    for s in stacks:
        layers.extend(s.layers())
    if not layers or len(layers) > 64:
        return []
    pm = _PADDING.search(norm)
    if pm is None and _FLOOR.search(norm):
        paddings = ("none",)  # "in floor mode", "rounding down": PyTorch's floor rule, not TensorFlow's ⌈H/s⌉
    elif pm is None:
        paddings = ("none", "same")
    elif pm.group(1) or pm.group(2):
        paddings = (int(pm.group(1) or pm.group(2)),)
    elif pm.group(4):
        paddings = ("same",)
    else:
        paddings = ("none",)
    description = " → ".join(s.describe() for s in stacks)
    return [StackOutputSize(tuple(layers), description, int(a), int(c), paddings)]
