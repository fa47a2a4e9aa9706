"""Claims of the output size of ONE described layer: "a 2×2 max pool with stride 2 turns a 15×15 map into 8×8".

The layer (kind, kernel, stride, padding, dilation, ceil mode, output padding) is read from the sentence and,
when the sentence continues an earlier one ("Its output is exactly 55 × 55."), from the sentences before it
(:mod:`proofs.claims.layer_reading`). The claim is a pair of sizes — the input and the output the sentence
states — or one output size with the input stated in the description. The truth is
``derive.layers.<Layer>.output_shape`` (floor rule, ``ceil_mode``, TensorFlow ``'same'``, transposed
convolution with ``output_padding``).

What the description leaves open is not guessed: a convolution whose padding is not stated is tried without
padding and with 'same' padding (INCORRECT only when neither gives the claimed size); a pooling layer
without a stated stride has stride = window and padding 0 (PyTorch's defaults, said in the finding); a
transposed convolution without a stated padding is not decided.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("A 2×2 max-pooling with stride 2 applied to a 15×15 map gives an 8×8 map."))[0]
>>> o = s.decide(); o.verdict.value, o.expected
('INCORRECT', '7')
>>> find(normalise("A seven by seven convolution with stride two and padding three maps a 224-pixel image to 112 pixels."))[0].decide().verdict.value
'CORRECT'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..layer_reading import LayerReading, prepare, read_layer
from ..truth import TruthUnavailable

__all__ = ["find", "LayerOutputSize"]

#: a square size that is a kernel or window, not a map ("3×3 kernel", "2×2 max pooling")
_KERNEL_AFTER = re.compile(r"^\s*(?:,\s*)?(?:[\w'-]+\s+){0,2}?(?:conv\w*|kernels?|filters?|windows?|pool\w*|max|avg|average|transposed|dilated|depthwise|stem|receptive|region|area|footprint|patch)\b")
_SQUARE = re.compile(r"(?<![\d×.])(\d{1,4})×\1(?![\d×])")
_WIDTH = re.compile(r"\b(?:width|height|size|side)(?: of| is| =|:)?\s+(\d{1,4})\b(?!\s*×)|\b(\d{1,4})[- ]pixels?(?:[- ]wide)?\b|\b(\d{1,4}) pixels?(?: per side| wide)?\b")
_RESULT = re.compile(r"\b(?:gives?|yields?|produces?|returns?|outputs?|results? in|becomes?|comes? out as|turns?|maps?|reduces?|shrinks?|upsamples?|halves?|downsamples?|brings?|into|to|is|are|=|equals?|has|have)\b")
_OUTPUT_IS = re.compile(r"\boutput(?: volume| map| size| width| height| side| feature map)?(?: has| is| =| equals| of| stays)?(?: then| now| exactly| only)?(?: (?:size|width|height|side))?\s*$")
_FROM = re.compile(r"\bfrom\s+(?:an?\s+|the\s+)?$")
#: not one layer: stacks, comparisons, general claims, changes of a formula
_NOT_ONE = re.compile(r"\b(?:receptive[- ]fields?|rfs?|field of view|always|any|every|in general|whatever|for all|than|instead of|versus|compared|if|unless|would|each of|successive|stacked|stacking|two|three|four|five|\d{1,2} (?:\w+ )?(?:layers|convolutions|convs))\b|\bn\b|\bceil\(|\bfloor\(|⌊|(?<![a-z])[a-z]\s*[+\-/·]\s*[a-z0-9](?![a-z])")
_NEW_LAYER = re.compile(r"\b(?:an?|one|1)\s+(?:[\w'×-]+\s+){0,4}?(?:conv\w*|layer|kernel|filter|max[- ]?pool\w*|avg[- ]?pool\w*|pool\w*)\b")


def _derive_layers():
    try:
        from derive import layers
    except Exception as exc:  # pragma: no cover - derive is part of the package
        raise TruthUnavailable(f"derive.layers cannot be imported: {exc}") from exc
    return layers


def _sizes(text: str) -> list[tuple[int, int]]:
    """(position, side) of the map sizes the text states, in order (kernels and windows left out)."""
    out = []
    for m in _SQUARE.finditer(text):
        if _KERNEL_AFTER.match(text[m.end():]) or re.search(r"\b(?:kernel|filter|window|pool\w*)(?: size)?(?: of)?\s*$", text[:m.start()]):
            continue
        if re.match(r"^\s*×", text[m.end():]) and not re.search(r"\boutput\b[^.;]{0,25}$", text[:m.start()]):
            continue  # "28×28×64 tensor": an input volume; "the output volume is 55×55×96": its side
        out.append((m.start(), int(m.group(1))))
    for m in _WIDTH.finditer(text):
        g = next(x for x in m.groups() if x is not None)
        if re.search(r"\b(?:kernel|filter|window|stride|padding|dilation)(?: of| =|:)?(?: size| width)?(?: of)?\s*$", text[:m.start()]):
            continue
        if re.match(r"^\s*(?:of\s+)?(?:zero[- ])?(?:padding|at a time|apart)", text[m.end():]):
            continue  # "1 pixel of zero padding", "2 pixels at a time": not a size
        if _KERNEL_AFTER.match(text[m.end():]):
            continue
        out.append((m.start(), int(g)))
    return sorted(set(out))


@dataclass
class LayerOutputSize:
    """"the layer ``reading`` describes maps a ``size``-wide input to ``claimed``"."""

    reading: LayerReading
    size: int
    claimed: int
    quantity: str = "output_size"

    def _candidates(self) -> list[tuple[int, str]]:
        r = self.reading
        L = _derive_layers()
        kind = r.kind or "conv"
        if r.kernel is None:
            raise ValueError("the kernel size is not stated")
        k, s, d = r.kernel, r.stride, r.dilation or 1
        out = []
        if kind in ("max_pool", "avg_pool"):
            stride = s or k
            padding = r.padding if isinstance(r.padding, int) else 0
            if r.padding == "same":
                raise ValueError("'same' padding of a pooling layer is not computed")
            cls = L.MaxPool2d if kind == "max_pool" else L.AvgPool2d
            layer = cls(k, stride, padding=padding, ceil_mode=bool(r.ceil_mode)) if kind == "max_pool" else \
                cls(k, stride, padding=padding, ceil_mode=bool(r.ceil_mode))
            name = f"{cls.__name__}({k}, stride={stride}, padding={padding}" + (", ceil_mode=True" if r.ceil_mode else "") + ")"
            out.append((self._side(layer), name + ("" if s else f" (stride not stated: {k}, the window)")))
            return out
        if kind == "transposed":
            if r.padding is None or r.padding == "same":
                raise ValueError("the transposed convolution's padding is not stated")
            layer = L.ConvTranspose2d(1, 1, k, stride=s or 1, padding=r.padding, output_padding=r.output_padding or 0, dilation=d)
            return [(self._side(layer), f"ConvTranspose2d(k={k}, stride={s or 1}, padding={r.padding}, output_padding={r.output_padding or 0})")]
        if kind not in ("conv", "depthwise", "separable"):
            raise ValueError(f"the output size of a {kind} layer is not computed here")
        paddings = [r.padding] if r.padding is not None else [0, "same"]
        for p in paddings:
            layer = L.Conv2d(1, 1, k, stride=s or 1, padding=p, dilation=d)
            out.append((self._side(layer), f"Conv2d(k={k}, stride={s or 1}, padding={p!r}, dilation={d})"
                        + ("" if r.padding is not None else " (padding not stated)")))
        return out

    def _side(self, layer) -> int:
        shape = layer.output_shape((1, 1, self.size, self.size))
        return int(shape[-1])

    def decide(self) -> Outcome:
        candidates = self._candidates()
        came = sorted(k for k, v in self.reading.origin.items() if v == "context")
        note = f" ({', '.join(came)} from the sentences before)" if came else ""
        for side, name in candidates:
            if side == self.claimed:
                return Outcome(Verdict.CORRECT, f"derive.layers: {name} maps {self.size} to {side}, as stated{note}.",
                               expected=str(side))
        shown = "; ".join(f"{name} maps {self.size} to {side}" for side, name in candidates)
        return Outcome(Verdict.INCORRECT, f"derive.layers: {shown}, not {self.claimed}{note}.", expected=str(candidates[0][0]),
                       counterexample={"input": self.size, "claimed": self.claimed,
                                       "computed": {name: side for side, name in candidates}})


def find(norm: str, section: str | None = None, context: list[str] | None = None) -> list:
    """Output-size statements of one layer in a normalised sentence (``context``: the sentences before)."""
    text = prepare(norm)
    if _NOT_ONE.search(text) or "output_padding" in norm and "output_padding=" not in norm.replace(" ", ""):
        return []
    sizes = _sizes(text)
    if not sizes or len(sizes) > 2:
        return []
    described = text
    if len(sizes) == 1:  # the one size is the claimed output: the input comes from elsewhere
        pos = sizes[0][0]
        described = text[:pos] + re.sub(r"^\d{1,4}(?:×\d{1,4})*", "", text[pos:])
    reading = read_layer(described)
    if reading.layers_named:
        return []
    for before in reversed(context or []):
        ctx_text = prepare(before)
        ctx = read_layer(ctx_text)
        if ctx.layers_named or _NOT_ONE.search(ctx_text) and not re.search(r"\bceil", ctx_text):
            break
        if _NEW_LAYER.search(text):  # the sentence names its own layer: only the input may come from before
            if ctx.kernel is None and ctx.size is not None and reading.size is None:
                reading = reading.merged(LayerReading(kind=reading.kind, size=ctx.size))
            break
        reading = reading.merged(ctx)
        if ctx.kernel is not None:
            break
    if reading.kernel is None:
        return []
    if len(sizes) == 2:
        (p1, a), (p2, b) = sizes
        between = text[p1:p2]
        if _FROM.search(text[:p2]):
            size, claimed = b, a  # "produces 111×111 maps from 224×224 images"
        elif _RESULT.search(between):
            size, claimed = a, b
        else:
            return []
    else:
        (p, claimed), = sizes
        if not _OUTPUT_IS.search(text[:p]) and not re.search(r"\b(?:yields?|gives?|produces?|returns?)\s+(?:an?\s+)?$", text[:p]):
            return []
        if reading.size is None or reading.origin.get("size") != "context" and (
                not _OUTPUT_IS.search(text[:p]) or reading.size == claimed):
            return []  # the input must be stated apart from the one size the sentence claims
        size = reading.size
    return [LayerOutputSize(reading, size, claimed)]
