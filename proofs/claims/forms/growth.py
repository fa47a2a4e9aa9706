"""Claims about how the receptive field grows with depth: linear, geometric, exponential, "by 2 per layer", √depth.

Recognised wording, e.g. "stacking 3×3 convs grows the receptive field
geometrically", "the receptive field grows linearly with depth", "dilated
convolutions give an exponentially growing receptive field", "with exponentially
increasing dilation the receptive field grows exponentially", "stacking 3×3
convs grows the receptive field by 2 per layer", "the effective receptive field
grows as O(√depth)". The subject may come from the section heading ("Dilated
Convolution" → "Benefits: exponentially growing receptive field").

Decision: compute the sequence RF(1), …, RF(L) with ``derive.receptive_field``
for the stated configuration, classify its growth (:func:`classify_growth`)
and compare with the word. A configuration the sentence leaves open (the
dilation schedule of "dilated convolutions") is decided for each reading: a
word that fits only some is CONDITIONAL, with the condition and the sequence
of a reading where it fails as counterexample. The effective receptive field is
measured (``proofs.properties`` ERF measurement) when available.

Examples
--------
>>> classify_growth([3, 5, 7, 9, 11])
('linear', 2)
>>> classify_growth([3, 7, 15, 31, 63])
('geometric', 2)
>>> classify_growth([1, 4, 9, 16, 25])
('quadratic', 2)
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("Stacking 3×3 convs grows the receptive field geometrically."), None)[0]
>>> s.word, s.readings[0][0]
('geometric', 'stride 1, dilation 1')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ...findings import Verdict
from ..decide import Outcome
from ..numbers_words import normalise, parse_number
from ..truth import LayerSpec, receptive_field
from .stacks import find_stacks

__all__ = ["find", "classify_growth", "GrowthWord", "GrowthIncrement", "EffectiveGrowth", "DEPTHS"]

#: depths at which the receptive field is computed to classify its growth
DEPTHS = range(1, 7)

_RF = r"(?:receptive[- ]fields?|rfs?|field of view|context(?: size)?)"
_WORDS = {
    "linear": "linear", "linearly": "linear",
    "quadratic": "quadratic", "quadratically": "quadratic",
    "geometric": "geometric", "geometrically": "geometric",
    "exponential": "geometric", "exponentially": "geometric",
    "logarithmic": "logarithmic", "logarithmically": "logarithmic",
}
_GROWTH_WORD = re.compile(
    r"\b(linear(?:ly)?|quadratic(?:ally)?|geometric(?:ally)?|exponential(?:ly)?|logarithmic(?:ally)?)\b"
    r"(?=[^.;]{0,40}\b(?:grow|growth|growing|increas|expand|larger|bigger|rf|receptive|field|context|with depth))"
    r"|\b(?:grow\w*|increas\w*|expand\w*|scal\w*)\s+(?:\w+\s+){0,5}?(linear(?:ly)?|quadratic(?:ally)?|geometric(?:ally)?|exponential(?:ly)?|logarithmic(?:ally)?)\b"
)
_SQRT = re.compile(r"(?:o\()?\s*(?:√|sqrt\s*\(?|square root of\s+(?:the\s+)?)\s*(?:\(|)\s*(?:depth|n|l|layers|the number of layers)")
_PER_LAYER = re.compile(r"\b(?:grows?|grow|increases?|expands?)\b[^.;]{0,40}?\bby\s+(\d{1,4})\s+(?:pixels?\s+)?(?:per|each|every|with each|for each)\s+(?:additional\s+|extra\s+|new\s+)?layer"
                        r"|\b(?:each|every)\s+(?:additional|extra|new|further|subsequent)\s+(?:\d{1,3}×\d{1,3}\s+)?(?:conv\w*\s+)?(?:layer|conv\w*)\s+"
                        r"(?:grows?|increases?|expands?|enlarges?|adds?)\b[^.;]{0,30}?\bby\s+(\d{1,4})\b(?!\s*(?:%|×|x\b|times))")
_DOUBLING = re.compile(
    r"(?:exponentially|geometrically) (?:increasing|growing|larger) dilation|dilation(?:s| rates?| factors?)? (?:that )?(?:doubl|grows? exponentially|increas\w* exponentially)"
    r"|doubling (?:the )?dilation|dilations? (?:of )?1, ?2, ?4|2\^\(?(?:l|i|ℓ)"
)
_DILATED = re.compile(r"\bdilated|atrous|dilation")
#: "without stride or dilation", "no dilation", "with no striding": the attribute is absent, not varied
_UNSTATED = re.compile(r"\b(?:without|no|with no|nor)\s+(?:any\s+)?(?:strid\w*|dilat\w*|pool\w*)(?:\s*(?:,|or|and|nor)\s*(?:strid\w*|dilat\w*|pool\w*))*")
#: one dilation for every layer
_CONSTANT = re.compile(r"\b(?:fixed|constant|same|single|uniform|unchanging)\s+(?:dilation|rate)|\bdilation (?:rate |factor )?(?:of )?\d{1,2} (?:everywhere|in every layer|throughout|for (?:all|every) layers?)")
_STRIDED = re.compile(r"\bstrided\b|\bstride[- ]?(\d{1,3})\b|\bstride (?:of |s ?= ?)?(\d{1,3})\b|\bdownsampl")
_NEGATION = re.compile(r"\b(?:not|never|rather than|instead of|no longer|isn't|doesn't|don't)\b")


def classify_growth(seq: list[int]) -> tuple[str, Fraction | int | None]:
    """The growth class of a sequence: ``linear`` (constant differences), ``geometric`` (differences with a
    constant ratio > 1), ``quadratic`` (constant second differences), else ``other``; with the step/ratio."""
    d = [b - a for a, b in zip(seq, seq[1:])]
    if len(set(d)) == 1:
        return "linear", d[0]
    if all(x > 0 for x in d):
        ratios = {Fraction(b, a) for a, b in zip(d, d[1:])}
        if len(ratios) == 1 and next(iter(ratios)) > 1:
            r = next(iter(ratios))
            return "geometric", int(r) if r.denominator == 1 else r
    d2 = [b - a for a, b in zip(d, d[1:])]
    if len(set(d2)) == 1:
        return "quadratic", d2[0]
    return "other", None


def _sequence(kernel: int, stride: int, dilation: int | str) -> list[int]:
    out = []
    for depth in DEPTHS:
        if dilation == "doubling":
            layers = [LayerSpec("conv", kernel, stride=stride, dilation=2 ** i) for i in range(depth)]
        else:
            layers = [LayerSpec("conv", kernel, stride=stride, dilation=int(dilation))] * depth
        out.append(receptive_field(layers))
    return out


@dataclass
class GrowthWord:
    """"the receptive field of ``readings`` grows ``word``" — each reading is (label, kernel, stride, dilation)."""

    word: str
    readings: list[tuple[str, int, int, int | str]]
    quantity: str = "receptive_field_growth"

    def decide(self) -> Outcome:
        results = []
        for label, k, s, d in self.readings:
            seq = _sequence(k, s, d)
            cls, step = classify_growth(seq)
            results.append((label, k, seq, cls, step))
        fits = [r for r in results if r[3] == self.word]
        text = "; ".join(f"{label} ({k}×{k}): RF = {', '.join(map(str, seq))} for depth {DEPTHS.start}..{DEPTHS.stop - 1} → {cls}"
                         for label, k, seq, cls, _ in results)
        text = f"derive.receptive_field: {text}"
        if len(fits) == len(results):
            return Outcome(Verdict.CORRECT, f"{text}: {self.word}, as stated.", expected=self.word)
        bad = next(r for r in results if r[3] != self.word)
        evidence = {"configuration": bad[0], "kernel": bad[1], "depths": list(DEPTHS), "receptive_field": bad[2],
                    "growth": bad[3], "claimed": self.word}
        if fits:
            return Outcome(Verdict.CONDITIONAL, f"{text}: {self.word} only for {', '.join(r[0] for r in fits)}.",
                           condition=" or ".join(r[0] for r in fits), counterexample=evidence, expected=bad[3])
        return Outcome(Verdict.INCORRECT, f"{text}: not {self.word}.", counterexample=evidence, expected=bad[3])


@dataclass
class GrowthIncrement:
    """"the receptive field grows by ``step`` per layer" for a stride-1 stack."""

    step: int
    kernel: int
    stride: int
    dilation: int
    quantity: str = "receptive_field_growth"

    def decide(self) -> Outcome:
        seq = _sequence(self.kernel, self.stride, self.dilation)
        d = [b - a for a, b in zip(seq, seq[1:])]
        text = f"derive.receptive_field of {self.kernel}×{self.kernel} convs (stride {self.stride}, dilation {self.dilation}): RF = {', '.join(map(str, seq))}"
        if set(d) == {self.step}:
            return Outcome(Verdict.CORRECT, f"{text}: +{self.step} per layer, as stated.", expected=f"+{self.step} per layer")
        return Outcome(Verdict.INCORRECT, f"{text}: increments {d}, not {self.step} per layer.",
                       expected=f"increments {d}", counterexample={"depths": list(DEPTHS), "receptive_field": seq, "claimed_step": self.step})


@dataclass
class EffectiveGrowth:
    """"the effective receptive field grows as √depth" — measured, not derived."""

    exponent: float
    quantity: str = "effective_receptive_field"

    def decide(self) -> Outcome:
        from ..evidence import erf_exponent

        measured, how = erf_exponent()
        ok = abs(measured - self.exponent) <= 0.15
        text = f"{how}: fitted exponent {measured:.3f} (claimed {self.exponent:g})"
        if ok:
            return Outcome(Verdict.CORRECT, text + ", within 0.15.", expected=f"depth^{measured:.2f}")
        return Outcome(Verdict.INCORRECT, text + ".", expected=f"depth^{measured:.2f}",
                       counterexample={"measured_exponent": measured, "claimed_exponent": self.exponent})


def _kernel(norm: str) -> int | None:
    stacks = find_stacks(norm)
    return stacks[0].layer.kernel if stacks else None


def find(norm: str, section: str | None) -> list:
    """Growth statements of a normalised sentence (``section``: its heading, for the subject)."""
    if not re.search(r"\b" + _RF + r"\b", norm):
        return []
    erf = re.search(r"\beffective (?:receptive field|rf)|\berf\b", norm)
    if erf:
        rest = norm[erf.end():]
        if _NEGATION.search(rest):
            return []
        sq = _SQRT.search(rest)
        wm = re.search(r"\b(linear(?:ly)?|quadratic(?:ally)?)\b", rest)
        if sq and (not wm or sq.start() < wm.start()):
            return [EffectiveGrowth(0.5)]
        if wm:
            return [EffectiveGrowth(1.0 if wm.group(1).startswith("linear") else 2.0)]
        return []
    context = norm if (_DILATED.search(norm) or _STRIDED.search(norm) or find_stacks(norm)) else norm + " " + normalise(section or "")
    context = _UNSTATED.sub(" ", context)  # "without stride or dilation", "no dilation": plain layers
    kernel = _kernel(context) or 3
    assumed = "" if _kernel(context) else " (kernel 3×3 assumed)"
    out: list = []
    pm = _PER_LAYER.search(norm)
    if pm and not _DILATED.search(context) and not _STRIDED.search(context) and not re.search(r"\bpool", norm):
        out.append(GrowthIncrement(parse_number(pm.group(1) or pm.group(2)), kernel, 1, 1))
    wm = _GROWTH_WORD.search(norm)
    if not wm or _NEGATION.search(norm[max(0, wm.start() - 20): wm.end() + 5]):
        return out
    word = _WORDS[(wm.group(1) or wm.group(2))]
    if word == "logarithmic":
        return out
    if _DILATED.search(context):
        if _DOUBLING.search(context):
            readings = [("dilation doubling per layer (1, 2, 4, …)" + assumed, kernel, 1, "doubling")]
        elif _CONSTANT.search(context):
            fixed = re.search(r"\bdilation (?:rate |factor )?(?:of )?(\d{1,2})\b", context)
            d = int(fixed.group(1)) if fixed else 2
            readings = [(f"constant dilation {d}" + ("" if fixed else " (any fixed dilation grows alike; 2 tried)") + assumed, kernel, 1, d)]
        else:
            readings = [("dilation doubling per layer (1, 2, 4, …)" + assumed, kernel, 1, "doubling"),
                        ("constant dilation 2" + assumed, kernel, 1, 2)]
    elif _STRIDED.search(context):
        sm = _STRIDED.search(context)
        s = int(sm.group(1) or sm.group(2) or 0) if (sm.group(1) or sm.group(2)) else 2
        if s < 2:
            readings = [(f"stride {s}" + assumed, kernel, max(s, 1), 1)]
        else:
            readings = [(f"stride {s} in every layer" + assumed, kernel, s, 1)]
    elif find_stacks(context) or re.search(r"\b(?:stack\w*|deeper|depth|layers?)\b", norm):
        if not find_stacks(context):
            return out  # the configuration is not stated
        readings = [("stride 1, dilation 1" + assumed, kernel, 1, 1)]
    else:
        return out
    out.append(GrowthWord(word, readings))
    return out
