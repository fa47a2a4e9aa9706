"""Claims about the effect of stride and pooling on the output size: "a stride-2 pooling halves the resolution".

Recognised wording, e.g. "a stride-2 pooling halves the spatial resolution",
"2×2 max pooling with stride 2 halves the width and height", "a convolution
with stride 2 reduces the feature map by a factor of 2", "Pooling with stride 2:
halves spatial resolution". Unstated parts take the usual defaults, which the
explanation states: a pooling window equal to its stride, a stride equal to
the pooling window (as ``torch.nn.MaxPool2d``), a 3×3 convolution with
padding 1.

Decision: ``derive.output_size`` for every input size H in a range; the claim
"divides by f" holds where ``f · H_out = H``. Everywhere: CORRECT; nowhere:
INCORRECT; on part of the range: CONDITIONAL with the condition (e.g. "H
divisible by 2") and the smallest H where it fails. When the sentence names the
input size ("halves a 32×32 feature map", "a 28×28 input"), the claim is
decided for that size alone: CORRECT when ``f · H_out = H`` (or the output it
states, "to 16×16", is the derived one), else INCORRECT with that size as the
counterexample.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("A stride-2 pooling halves the spatial resolution."), None)[0]
>>> s.op, s.kernel, s.stride, s.padding, s.factor
('max_pool', 2, 2, 0, 2)
>>> find(normalise("Pooling reduces spatial dimensions."), None)
[]
>>> s = find(normalise("A 3×3 max pool with stride 2 halves a 32×32 feature map."), None)[0]
>>> s.kernel, s.sizes, s.decide().verdict.value
(3, (32,), 'INCORRECT')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..numbers_words import KERNEL, normalise, parse_number
from ..truth import output_size

__all__ = ["find", "ResolutionFactor", "SIZES"]

#: input sizes over which a "divides the size by f" claim is decided
SIZES = range(2, 41)

_SIZE_WORDS = r"(?:spatial )?(?:resolution|size|sizes|dimensions?|width|height|feature maps?|maps?|output|input|h and w|height and width|width and height|spatial extent)"
_HALVES = re.compile(r"\b(?:halv(?:es|e|ing|ed)|cuts? (?:\w+ ){0,4}in half|reduc\w* (?:\w+ ){0,4}by half|divides? (?:\w+ ){0,4}by (?:2|two))\b")
_FACTOR = re.compile(r"\b(?:reduc\w*|downsampl\w*|shrinks?|divid\w*|decreas\w*)\b[^.;]{0,40}?\bby (?:a factor of |a factor )?(\d{1,3}|two|three|four)\b")
_STRIDE = re.compile(r"\bstride[- ]?(?:of\s+|=\s*|s\s*=\s*)?(\d{1,4})\b|\b(\d{1,4})[- ]strided?\b")
_POOL = re.compile(r"\b(?:(max|average|avg|mean)[- ]?)?pool\w*")
_CONV = re.compile(r"\bconv\w*")
_PAD = re.compile(r"\bpadding (?:of )?(?:p\s*=\s*)?(\d{1,3})\b|\b(\d{1,3})[- ]pixel padding|\bsame padding|\bpadding\s*=\s*(\d{1,3})")
#: "a 32×32 feature map", "input of 28×28", "from 64×64 (to 32×32)": a stated spatial size, not a kernel
_MAP_SIZE = re.compile(
    r"\b(\d{1,5})×(\d{1,5})(?:×\d{1,5})?(?=(?:\s+|-)(?:(?:rgb|grayscale|gr[ae]y|colou?r|input|spatial|single-channel)\s+)?"
    r"(?:input|image|feature[- ]?maps?|maps?|activations?|grids?|tensors?|resolution)\b)"
    r"|\b(?:from|of size|size of|resolution of|input of|map of|image of|inputs? is|maps? is)\s+(?:a\s+|an\s+)?(\d{1,5})×(\d{1,5})\b")
#: "filters of size 2×2", "a window of size 3×3": the size that follows is the window's
_WINDOW_BEFORE = re.compile(r"\b(?:filters?|kernels?|windows?|pool\w*|receptive fields?|patch(?:es)?|regions?|neighbou?rhoods?)\s*$")
#: the output the sentence states after the input size: "to 16×16", "into 16×16", "→ 16×16", "gives 16×16"
_OUT_SIZE = re.compile(r"^[^.;]{0,60}?(?:\bto|\binto|→|->|\bgives?|\byields?|\bbecomes?|\bproduces?|\bresults? in)\s+(?:a\s+|an\s+)?(\d{1,5})×(\d{1,5})\b")
#: stated sizes are decided up to this bound (bounded work per sentence)
MAX_STATED_SIZE = 100000
_KSIZE = re.compile(r"\b(?:kernel|window|pool|filter)(?: size)?(?: of)?\s*(?:k\s*=\s*)?(\d{1,3})\b")


@dataclass
class ResolutionFactor:
    """"a ``op`` with this kernel/stride/padding divides the spatial size by ``factor``"."""

    op: str
    kernel: int
    stride: int
    padding: int
    factor: int
    assumed: str = ""
    divisible: bool = False
    sizes: tuple = ()  # the input sizes the sentence names (decided for those alone)
    stated_output: tuple = ()  # the output sizes it states for them, if any
    quantity: str = "output_size"

    def decide(self) -> Outcome:
        if self.kernel > 64 or self.stride > 64 or self.factor < 2:
            raise ValueError(f"kernel {self.kernel}, stride {self.stride} or factor {self.factor} outside the decided range")
        if self.sizes:
            return self._decide_stated()
        sizes = [h for h in SIZES if h + 2 * self.padding >= self.kernel and (not self.divisible or h % self.factor == 0)]
        table = {h: output_size(self.op, h, self.kernel, stride=self.stride, padding=self.padding) for h in sizes}
        good = [h for h in sizes if table[h] * self.factor == h]
        bad = [h for h in sizes if table[h] * self.factor != h]
        text = f"derive.output_size of a {self._what()}: " + ", ".join(f"{h}→{table[h]}" for h in sizes[:8]) + ", …"
        if not bad:
            scope = f" divisible by {self.factor} (as the sentence states)" if self.divisible else ""
            return Outcome(Verdict.CORRECT, f"{text}: divided by {self.factor} for every H{scope} in {sizes[0]}..{sizes[-1]}.",
                           expected=f"H/{self.factor}")
        h = bad[0]
        evidence = {"H": h, "output": table[h], "claimed": f"{h}/{self.factor} = {h / self.factor:g}",
                    "kernel": self.kernel, "stride": self.stride, "padding": self.padding}
        if not good:
            return Outcome(Verdict.INCORRECT, f"{text}: never H/{self.factor} for H in {sizes[0]}..{sizes[-1]}.",
                           expected=f"{table[h]} at H = {h}", counterexample=evidence)
        if all((x % self.factor == 0) == (x in good) for x in sizes):
            cond = "H even" if self.factor == 2 else f"H divisible by {self.factor}"
        else:
            cond = "H in {" + ", ".join(map(str, good[:10])) + (", …}" if len(good) > 10 else "}")
        return Outcome(Verdict.CONDITIONAL, f"{text}: exactly H/{self.factor} only when {cond}; at H = {h} the output is {table[h]}.",
                       condition=cond, expected=f"{table[h]} at H = {h}", counterexample=evidence)

    def _what(self) -> str:
        name = {"max_pool": "max pooling", "avg_pool": "average pooling", "conv": "convolution"}[self.op]
        return f"{self.kernel}×{self.kernel} {name}, stride {self.stride}, padding {self.padding}{self.assumed}"

    def _decide_stated(self) -> Outcome:
        """The claim for the input sizes the sentence names: H_out · factor = H, or H_out = the stated output."""
        if any(not 1 <= h <= MAX_STATED_SIZE for h in self.sizes):
            raise ValueError(f"stated size {self.sizes} outside 1..{MAX_STATED_SIZE}")
        if len(self.stated_output) not in (0, len(self.sizes)):
            raise ValueError(f"{len(self.sizes)} input sizes but {len(self.stated_output)} stated output sizes")
        for h in self.sizes:
            if h + 2 * self.padding < self.kernel:
                raise ValueError(f"input size {h} + 2·{self.padding} is smaller than the {self.kernel}×{self.kernel} window")
        outs = [output_size(self.op, h, self.kernel, stride=self.stride, padding=self.padding) for h in self.sizes]
        shown = "×".join(map(str, self.sizes)) + " → " + "×".join(map(str, outs))
        text = f"derive.output_size of a {self._what()} at the stated size: {shown}"
        for i, (h, o) in enumerate(zip(self.sizes, outs)):
            stated = self.stated_output[i] if self.stated_output else None
            exact = o * self.factor == h
            if exact if stated is None else (o == stated and abs(h - self.factor * o) < self.factor):
                continue
            claimed = f"{h}/{self.factor} = {h / self.factor:g}" if stated is None else f"the stated {stated}"
            return Outcome(Verdict.INCORRECT, f"{text}: {h} → {o}, not {claimed}.", expected=f"{o} at H = {h}",
                           counterexample={"H": h, "output": o, "claimed": claimed, "kernel": self.kernel,
                                           "stride": self.stride, "padding": self.padding})
        return Outcome(Verdict.CORRECT, f"{text}: divided by {self.factor}, as stated.", expected="×".join(map(str, outs)))


def _stated_sizes(norm: str) -> tuple[tuple, tuple, list]:
    """The input sizes a sentence names, the output sizes it states for them, and the spans of those sizes."""
    m = next((x for x in _MAP_SIZE.finditer(norm) if not _WINDOW_BEFORE.search(norm[max(0, x.start() - 30): x.start()])), None)
    if not m:
        return (), (), []
    a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    sizes = tuple(dict.fromkeys((parse_number(a), parse_number(b))))
    spans = [m.span()]
    om = _OUT_SIZE.search(norm[m.end():])
    outs: tuple = ()
    if om:
        o = (parse_number(om.group(1)), parse_number(om.group(2)))
        spans.append((m.end() + om.start(1), m.end() + om.end(2)))
        if len(sizes) == 1 and o[0] == o[1]:
            outs = (o[0],)
        else:  # "from 64×48 to 32×24", or "32×32 to 16×8": each side on its own
            sizes, outs = (parse_number(a), parse_number(b)), o
    return sizes, outs, spans


def _blank(norm: str, spans: list) -> str:
    """``norm`` with the given spans replaced by spaces (offsets kept)."""
    for a, b in spans:
        norm = norm[:a] + " " * (b - a) + norm[b:]
    return norm


def find(norm: str, section: str | None) -> list:
    """Output-size statements of a normalised sentence (``section``: its heading, for the subject)."""
    hm = _HALVES.search(norm)
    factor = 2 if hm else None
    if not hm:
        fm = _FACTOR.search(norm)
        if not fm or not re.search(_SIZE_WORDS, norm):
            return []
        factor = parse_number(fm.group(1))
    elif not re.search(r"\b" + _SIZE_WORDS + r"\b", norm):
        return []
    sizes, outs, spans = _stated_sizes(norm)
    context = norm if (_POOL.search(norm) or _CONV.search(norm) or _STRIDE.search(norm)) else norm + " " + normalise(section or "")
    pm = _POOL.search(context)
    sm = _STRIDE.search(context)
    km = re.search(KERNEL, _blank(context, spans))  # a stated map size is not the window
    kernel = parse_number(km.group(1)) if km and km.group(1) == km.group(2) else None
    if kernel is None:
        ks = _KSIZE.search(context)
        kernel = parse_number(ks.group(1)) if ks else None
    stride = parse_number(sm.group(1) or sm.group(2)) if sm else None
    assumed = []
    if pm:
        op = "avg_pool" if pm.group(1) in ("average", "avg", "mean") else "max_pool"
        if stride is None and kernel is None:
            return []
        if kernel is None:
            kernel = stride
            assumed.append("window = stride")
        if stride is None:
            stride = kernel
            assumed.append("stride = window, as torch.nn.MaxPool2d")
        padding = 0
    elif _CONV.search(context):
        op = "conv"
        if stride is None:
            return []
        if kernel is None:
            kernel = 3
            assumed.append("3×3 kernel")
        pd = _PAD.search(context)
        if pd and (pd.group(1) or pd.group(2) or pd.group(3)):
            padding = parse_number(pd.group(1) or pd.group(2) or pd.group(3))
        else:
            padding = kernel // 2
            if not pd:
                assumed.append(f"padding {padding} ('same' style)")
    else:
        return []
    divisible = bool(re.search(r"\beven(?:[- ]sized?| sizes?| dimensions?| height| width| resolution)?\b|\bdivisible by (?:the stride|" + str(factor) + r")\b", norm))
    return [ResolutionFactor(op, kernel, stride, padding, factor, (" (assumed: " + ", ".join(assumed) + ")") if assumed else "",
                             divisible, sizes, outs)]
