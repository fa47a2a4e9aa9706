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
divisible by 2") and the smallest H where it fails.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("A stride-2 pooling halves the spatial resolution."), None)[0]
>>> s.op, s.kernel, s.stride, s.padding, s.factor
('max_pool', 2, 2, 0, 2)
>>> find(normalise("Pooling reduces spatial dimensions."), None)
[]
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
    quantity: str = "output_size"

    def decide(self) -> Outcome:
        if self.kernel > 64 or self.stride > 64 or self.factor < 2:
            raise ValueError(f"kernel {self.kernel}, stride {self.stride} or factor {self.factor} outside the decided range")
        sizes = [h for h in SIZES if h + 2 * self.padding >= self.kernel and (not self.divisible or h % self.factor == 0)]
        table = {h: output_size(self.op, h, self.kernel, stride=self.stride, padding=self.padding) for h in sizes}
        good = [h for h in sizes if table[h] * self.factor == h]
        bad = [h for h in sizes if table[h] * self.factor != h]
        name = {"max_pool": "max pooling", "avg_pool": "average pooling", "conv": "convolution"}[self.op]
        what = f"{self.kernel}×{self.kernel} {name}, stride {self.stride}, padding {self.padding}{self.assumed}"
        text = f"derive.output_size of a {what}: " + ", ".join(f"{h}→{table[h]}" for h in sizes[:8]) + ", …"
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
    context = norm if (_POOL.search(norm) or _CONV.search(norm) or _STRIDE.search(norm)) else norm + " " + normalise(section or "")
    pm = _POOL.search(context)
    sm = _STRIDE.search(context)
    km = re.search(KERNEL, context)
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
                             divisible)]
