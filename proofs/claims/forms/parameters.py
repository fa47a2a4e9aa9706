"""Claims comparing parameter counts (or computation): stacks of small kernels against a large one,
and depthwise-separable against standard convolution.

Recognised wording, e.g. "two 3×3 layers have the receptive field of one 5×5
with 28% fewer parameters", "3 layers of 3×3 vs 1 layer of 7×7: fewer params",
"replacing a 5×5 conv with two 3×3 convs saves 28% of the weights",
"depthwise-separable convolution needs about 1/9 of the parameters",
"separable convs use 8 to 9 times less computation". Counts come from
``derive.layers.Conv2d(...).params`` / ``DepthwiseSeparableConv2d`` (and
``.macs`` for computation). Percentages are compared with the rounding the
sentence uses; a ratio that is only approached for many channels is
CONDITIONAL with the channel bound and a counterexample.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("Two 3×3 layers use 28% fewer parameters than one 5×5 layer."))[0]
>>> s.relation, s.percent, s.subject.describe()
('fewer', '28', '2 × 3×3 conv')
>>> d = find(normalise("Depthwise-separable convolution needs about 1/9 of the parameters."))[0]
>>> d.claimed, d.kernel, d.hedged
(Fraction(1, 9), None, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction

from ...findings import Verdict
from ..decide import Outcome, percent, rounds_to, within
from ..clauses import group_by_clause, has_boundary, object_marker
from ..numbers_words import KERNEL, is_hedged, parse_fraction, parse_number
from ..truth import conv_params, separable_macs, separable_params, conv_macs
from ..truth import LayerSpec
from .stacks import Stack, find_stacks

__all__ = ["find", "StackParameters", "SeparableRatio"]

_PARAMS = re.compile(r"\b(?:param(?:eter)?s?|weights?|learnable)\b")
_COMPUTE = re.compile(r"\b(?:computation|compute|flops?|macs?|multiplications?|multiply-adds?|operations|ops|costs?|cheaper|expensive)\b")
_SEPARABLE = re.compile(r"\b(?:depth-?wise[- ]separable|separable conv\w*|depthwise conv\w* followed by|mobilenet)")
_PCT = r"(\d{1,3}(?:\.\d{1,3})?)\s*(?:%|percent|per cent)"
_FEWER = r"(?:fewer|less|smaller|reduction|reduced|reduces|reduce|saves?|saving|savings|cheaper|lower)"
_MORE = r"(?:more|extra|larger|greater|additional|increase)"
_TIMES_WORD = r"(\d{1,4}(?:\.\d{1,2})?)(?:\s*(?:-|to|–)\s*(\d{1,4}(?:\.\d{1,2})?))?\s*(?:×|x|times)"
_TIMES = _TIMES_WORD + r"\s+"
_FRACTION = r"(\d{1,5}\s*/\s*\d{1,5}|(?:a|one|two|three)[\s-]+(?:half|third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth|sixteenth|twenty-fifth|forty-ninth)s?|0?\.\d{1,4})"
_SAME_AS = re.compile(r"\bsame (?:receptive field|rf)\s*(?:\(|as (?:a |an |one )?(?:single )?)(\d{1,4})×(\d{1,4})\b")
_CHANNELS = re.compile(r"\b(\d{1,6}) (?:input and output |input |output )?(?:channels|filters|feature maps)\b|\bc(?: ?in| ?out)?\s*=\s*(\d{1,6})\b")

_CHANNEL_CHANGE = re.compile(r"\b\d{1,6}\s+(?:input\s+|output\s+)?(?:channels|filters|feature maps)?\s*(?:to|→|->|down to|into)\s+\d{1,6}\b|\bfrom \d{1,6} to \d{1,6}\b")
#: channel counts searched for the region where a ratio claim holds
CHANNEL_RANGE = (1, 4096)
#: relative tolerance of a hedged ("about 1/9") and of a plain ratio claim
HEDGED_TOLERANCE = Fraction(1, 10)
PLAIN_TOLERANCE = Fraction(1, 20)


def _channels(norm: str) -> int | None:
    m = _CHANNELS.search(norm)
    if not m:
        return None
    return parse_number(m.group(1) or m.group(2))


def _output_channels(norm: str) -> int | None:
    """The output channel count a sentence states ("256 output channels", "512 filters"), else its one channel count."""
    m = re.search(r"\b(\d{1,6}) (?:output channels|filters|feature maps|output maps)\b", norm)
    if m:
        return parse_number(m.group(1))
    counts = {parse_number(m.group(1) or m.group(2)) for m in _CHANNELS.finditer(norm)}
    return counts.pop() if len(counts) == 1 else None


@dataclass
class StackParameters:
    """"``subject`` has fewer/more parameters than ``other``" (optionally by ``percent`` % or a factor)."""

    subject: Stack
    other: Stack
    relation: str  # "fewer" | "more" | "fraction"
    percent: str | None = None
    times: Fraction | None = None
    hedged: bool = False
    channels: int | None = None
    quantity: str = "param_ratio"

    def _count(self, stack: Stack, c: int, bias: bool) -> int:
        if stack.layer.kind != "conv":
            raise ValueError("parameter claims are decided for convolution stacks")
        return len(stack.layers()) * conv_params(c, c, stack.layer.kernel, bias=bias)

    def decide(self) -> Outcome:
        c = self.channels or 64
        pa, pb = self._count(self.subject, c, False), self._count(self.other, c, False)
        ratio = Fraction(pa, pb)  # weights only: independent of the channel count C_in = C_out = C
        pa_b, pb_b = self._count(self.subject, c, True), self._count(self.other, c, True)
        ratio_bias = Fraction(pa_b, pb_b)
        da, db = self.subject.describe(), self.other.describe()
        facts = (f"derive.layers.Conv2d with C_in = C_out = {'C' if self.channels is None else c}: {da} has {pa} weights, "
                 f"{db} has {pb} (ratio {ratio}; with biases at C = {c}: {pa_b} vs {pb_b})")
        evidence = {"C_in=C_out": c, "params_subject": pa, "params_other": pb, "ratio": str(ratio),
                    "params_subject_with_bias": pa_b, "params_other_with_bias": pb_b}
        if self.relation == "fewer":
            change = [1 - ratio, 1 - ratio_bias]
            direction = pa < pb
        elif self.relation == "more":
            change = [ratio - 1, ratio_bias - 1]
            direction = pa > pb
        else:
            change = [ratio, ratio_bias]
            direction = True
        if not direction:
            return Outcome(Verdict.INCORRECT, f"{facts}: {da} has {'more' if self.relation == 'fewer' else 'fewer'} parameters, not {self.relation}.",
                           expected=f"{percent(abs(1 - ratio))} {'more' if pa > pb else 'fewer'}", counterexample=evidence)
        if self.percent is None and self.times is None:
            return Outcome(Verdict.CORRECT, f"{facts}: {self.relation} parameters, as stated ({percent(abs(1 - ratio))}).",
                           expected=f"{percent(abs(1 - ratio))} {self.relation}")
        if self.times is not None:
            actual = 1 / ratio if self.relation == "fewer" else ratio
            ok = within(actual, self.times, HEDGED_TOLERANCE if self.hedged else PLAIN_TOLERANCE)
            claim = f"{float(self.times):g} times {self.relation}"
            expected = f"{float(actual):.3g} times {self.relation}"
        else:
            claimed = Fraction(self.percent)
            tol = max(Fraction(2), claimed / 10) if self.hedged else None
            ok = any(rounds_to(x, self.percent) if tol is None else abs(x * 100 - claimed) <= tol for x in change)
            word = "of the parameters" if self.relation == "fraction" else self.relation
            claim = f"{self.percent}% {word}"
            expected = f"{percent(change[0])} {word}"
        if ok:
            return Outcome(Verdict.CORRECT, f"{facts}: {expected}, which matches '{claim}'.", expected=expected)
        return Outcome(Verdict.INCORRECT, f"{facts}: {expected}, not {claim}.", expected=expected, counterexample=evidence)


@dataclass
class SeparableRatio:
    """"depthwise-separable needs ``claimed`` of the parameters (or computation) of a standard conv"."""

    claimed: Fraction
    kernel: int | None
    hedged: bool
    computation: bool = False
    channels: int | None = None  # the output channels the sentence states: the ratio at that count, not a search
    quantity: str = "separable_ratio"

    def _ratio(self, k: int, c: int) -> Fraction:
        if self.computation:
            size = 4 * k
            return Fraction(separable_macs(c, c, k, size, padding=k // 2), conv_macs(c, c, k, size, padding=k // 2))
        return Fraction(separable_params(c, c, k, bias=False), conv_params(c, c, k, bias=False))

    def decide(self) -> Outcome:
        k = self.kernel
        assumed = ""
        if k is None:
            root = round((1 / self.claimed) ** 0.5) if self.claimed > 0 else 0
            if root < 2 or Fraction(1, root * root) != self.claimed:
                raise ValueError("the kernel size is not stated and the ratio does not name one (1/k²)")
            k = root
            assumed = f" (kernel {k}×{k}, as the ratio 1/{k * k} implies)"
        tol = HEDGED_TOLERANCE if self.hedged else PLAIN_TOLERANCE
        what = "MACs" if self.computation else "weights"

        def holds(c: int) -> bool:
            return within(self._ratio(k, c), self.claimed, tol)

        if self.channels is not None:
            c = self.channels
            if not CHANNEL_RANGE[0] <= c <= CHANNEL_RANGE[1]:
                raise ValueError(f"{c} channels is outside {CHANNEL_RANGE[0]}..{CHANNEL_RANGE[1]}")
            r = self._ratio(k, c)
            facts = (f"derive: {what} of a depthwise-separable {k}×{k} conv over those of a standard one at "
                     f"C_out = {c} (as stated){assumed}: {r} ≈ {float(r):.4f}")
            if holds(c):
                return Outcome(Verdict.CORRECT, f"{facts}, within {float(tol):.0%} of {'about ' if self.hedged else ''}{self.claimed}.",
                               expected=str(r))
            return Outcome(Verdict.INCORRECT, f"{facts}, not {'about ' if self.hedged else ''}{self.claimed} "
                           f"(≈ {float(self.claimed):.4f}).", expected=str(r),
                           counterexample={"C": c, "kernel": k, "ratio": str(r), "claimed": str(self.claimed)})
        lo, hi = CHANNEL_RANGE
        # the ratio falls monotonically with the channel count: binary search for the first channel count that holds
        if holds(lo):
            first = lo
        elif not holds(hi):
            first = None
        else:
            a, b = lo, hi
            while b - a > 1:
                mid = (a + b) // 2
                if holds(mid):
                    b = mid
                else:
                    a = mid
            first = b
        big = self._ratio(k, hi)
        facts = (f"derive: {what} of a depthwise-separable {k}×{k} conv over those of a standard one, "
                 f"with C_in = C_out = C{assumed}")
        claim = f"{'about ' if self.hedged else ''}{self.claimed}"
        if first is None:
            c = 64
            r = self._ratio(k, c)
            return Outcome(Verdict.INCORRECT, f"{facts}: at C = {c} the ratio is {r} ≈ {float(r):.4f}; it tends to {float(big):.4f} "
                           f"for large C and is never within {float(tol):.0%} of {claim} for C in {lo}..{hi}.",
                           expected=f"{r} at C = {c}", counterexample={"C": c, "kernel": k, "ratio": str(r), "claimed": str(self.claimed)})
        if first == lo and holds(hi):
            return Outcome(Verdict.CORRECT, f"{facts}: within {float(tol):.0%} of {claim} for every C in {lo}..{hi}.",
                           expected=str(self._ratio(k, 64)))
        bad = 16 if not holds(16) else first - 1
        r = self._ratio(k, bad)
        return Outcome(
            Verdict.CONDITIONAL,
            f"{facts}: the exact ratio is {r} ≈ {float(r):.4f} at C = {bad} and approaches {claim} only as C grows "
            f"(within {float(tol):.0%} from C = {first} on).",
            condition=f"C_out ≥ {first} (ratio within {float(tol):.0%} of {self.claimed})",
            expected=f"{self._ratio(k, 64)} at C = 64",
            counterexample={"C": bad, "kernel": k, "ratio": str(r), "ratio_float": float(r), "claimed": str(self.claimed)},
        )


def _separable(norm: str) -> list:
    if not _SEPARABLE.search(norm) or not (_PARAMS.search(norm) or _COMPUTE.search(norm)):
        return []
    computation = bool(_COMPUTE.search(norm)) and not _PARAMS.search(norm)
    km = re.search(KERNEL, norm)
    kernel = None
    if km and km.group(1) == km.group(2) and km.group(1) != "1":
        kernel = parse_number(km.group(1))
    hedged = is_hedged(norm)
    channels = _output_channels(norm)
    sm = re.search(r"(?<![\d/])(\d{1,5}\s*/\s*\d{1,5}(?:\s*\+\s*\d{1,5}\s*/\s*\d{1,5})+)\s+(?:of|the)\b", norm)
    if sm:  # "1/256 + 1/9 of a standard conv": the sum the sentence writes
        total = sum((parse_fraction(part) for part in sm.group(1).split("+")), Fraction(0))
        return [SeparableRatio(total, kernel, hedged, computation, channels)]
    fm = re.search(r"\b" + _FRACTION + r"\s+(?:of|the)\b", norm)
    if fm:
        return [SeparableRatio(parse_fraction(fm.group(1)), kernel, hedged, computation, channels)]
    tm = (re.search(r"\b" + _TIMES + _FEWER, norm) or re.search(r"\bby a factor of (?:about |roughly |approximately |~)?(\d{1,4})()", norm)
          or re.search(r"\b" + _FEWER + r"\b[^.;]{0,40}?\bby (?:about |roughly |approximately |~)?" + _TIMES_WORD, norm))
    if tm:
        a = Fraction(tm.group(1))
        b = Fraction(tm.group(2)) if tm.group(2) else a
        if a <= 0:
            return []
        mid = (a + b) / 2
        return [SeparableRatio(1 / mid, kernel, hedged or b != a, computation, channels)]
    return []


def _stacks(norm: str) -> list:
    """Stack comparisons, one per claim of the sentence (subject and object from the same clause group)."""
    if not _PARAMS.search(norm):
        return []
    if _CHANNEL_CHANGE.search(norm):
        return []  # "1×1 conv reducing 256 channels to 64 before a 3×3": layers with different channel counts
    stacks = [s for s in find_stacks(norm) if s.count is not None and s.layer.kind == "conv"]
    channels = _channels(norm)
    out = []
    for group in group_by_clause(norm, stacks):
        text = norm[group.start: group.end]
        local = [replace(s, start=s.start - group.start, end=s.end - group.start) for s in group.items]
        statement = _compare(text, local, channels)
        if statement is not None:
            out.append(statement)
    return out


def _pair(text: str, stacks: list[Stack]) -> tuple[Stack, Stack] | None:
    """Subject and object of one claim: the object follows "than"/"instead of"/"vs" when the text says so."""
    if len(stacks) == 1:
        same = _SAME_AS.search(text)
        if same and same.group(1) == same.group(2):
            # "two 3×3 layers … the same receptive field (5×5)": compared with the single layer of that field
            k = parse_number(same.group(1))
            stacks = [stacks[0], Stack(1, LayerSpec("conv", k), same.start(1), same.end(2))]
    if len(stacks) < 2:
        return None
    marked = object_marker(text, stacks)
    if marked is not None:
        return marked
    a, b = stacks[0], stacks[1]
    if ((has_boundary(text[a.end: b.start]) or re.search(r"\bin contrast\b", text[a.end: b.start]))
            and not re.search(r"\b(?:" + _FEWER + "|" + _MORE + r")\b|%", text[: b.start])):
        a, b = b, a  # "A has 27C² weights, whereas (or ;) B requires 49C², i.e. 81% more": the comparison is about B
    if re.search(r"\breplac\w*\b", text[: a.start + 1]) and re.search(r"\b(?:with|by)\b", text[a.end: b.start + 1]):
        a, b = b, a  # "replacing A with B": the claim is about B
    return a, b


def _compare(norm: str, stacks: list[Stack], channels: int | None) -> StackParameters | None:
    """The comparison one claim (``norm``: its text, ``stacks`` with offsets into it) makes, or None."""
    if not _PARAMS.search(norm):
        return None
    pair = _pair(norm, stacks)
    if pair is None:
        return None
    a, b = pair
    hedged = is_hedged(norm)
    m = re.search(_PCT + r"\s+(?:\w+\s+){0,2}?(" + _FEWER + "|" + _MORE + r")\b", norm)
    if not m:
        m2 = re.search(r"\b(" + _FEWER + "|" + _MORE + r")\b[^.;]{0,30}?\bby\s+(?:about |roughly |~|approximately )?" + _PCT, norm)
        if m2:
            rel = "more" if re.fullmatch(_MORE, m2.group(1)) else "fewer"
            return StackParameters(a, b, rel, percent=m2.group(2), hedged=hedged, channels=channels)
        m3 = re.search(r"\b(?:only |just )?" + _PCT + r"\s+of\s+(?:the\s+)?(?:param|weight)", norm)
        if m3:
            saving = re.search(_FEWER + r"\s+(?:\w+\s+){0,2}$", norm[: m3.start()])
            rel = "fewer" if saving else "fraction"
            return StackParameters(a, b, rel, percent=m3.group(1), hedged=hedged, channels=channels)
        t = re.search(r"\b" + _TIMES + r"(" + _FEWER + "|" + _MORE + r")\s+(?:param|weight)", norm)
        f = re.search(r"\b(" + _FEWER + "|" + _MORE + r")\b[^.;]{0,60}?\bby (?:a factor of |a factor )(?:about |roughly |approximately |~)?(\d{1,4}(?:\.\d{1,2})?)\b", norm)
        if f and not t:
            rel = "more" if re.fullmatch(_MORE, f.group(1)) else "fewer"
            return StackParameters(a, b, rel, times=Fraction(f.group(2)), hedged=hedged, channels=channels)
        if t:
            rel = "more" if re.fullmatch(_MORE, t.group(3)) else "fewer"
            return StackParameters(a, b, rel, times=Fraction(t.group(1)), hedged=hedged, channels=channels)
        w = re.search(r"\b(" + _FEWER + "|" + _MORE + r")\s+(?:\w+\s+){0,2}?(?:param(?:eter)?s?|weights)\b", norm)
        if not w:
            return None
        rel = "more" if re.fullmatch(_MORE, w.group(1)) else "fewer"
        return StackParameters(a, b, rel, hedged=hedged, channels=channels)
    rel = "more" if re.fullmatch(_MORE, m.group(2)) else "fewer"
    return StackParameters(a, b, rel, percent=m.group(1), hedged=hedged, channels=channels)


def find(norm: str) -> list:
    """Parameter statements of a normalised sentence (empty when none)."""
    return _separable(norm) or _stacks(norm)
