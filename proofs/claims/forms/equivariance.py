"""Claims about shifts: equivariance of convolution, invariance from pooling, FC layers and global pooling.

Recognised wording, e.g. "convolution is translation equivariant", "if the
input shifts, the output shifts by the same amount", "if we shift the input by
δ, the output shifts by δ/S where S is the stride", "pooling makes the output
invariant to small shifts", "max pooling provides local translation
invariance", "an FC layer gives global invariance", "global average pooling
provides translation invariance", "pooling and stride break exact
equivariance". The subject may come from the section heading. Arrow chains
("Convolve (equivariant) → Pool (local invariance) → FC (global invariance)")
are read clause by clause.

Decision: the properties of :mod:`proofs.properties` are run on
:mod:`numeric` operators (:mod:`proofs.claims.evidence`). A statement that
holds only for circular padding / away from the border, or only for shifts the
stride divides, is CONDITIONAL with the failing run as counterexample.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> [type(s).__name__ for s in find(normalise("Convolutional layers are translation equivariant."), None)]
['ConvEquivariance']
>>> find(normalise("if we shift the input by δ, the output shifts by δ/S where S is the stride"), None)[0].scaled
True
>>> [s.op for s in find(normalise("Pooling makes the output invariant to small shifts."), None)]
['max_pool']
>>> find(normalise("No pooling: no spatial invariance"), None)
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..evidence import SIZE, conv_equivariance, pool_equivariance, pool_invariance
from ..numbers_words import normalise

__all__ = ["find", "ConvEquivariance", "BreaksEquivariance", "Invariance"]

_CONV = re.compile(r"\bconv\w*|\bconvolution\w*|\bcnns?\b|\bconvnets?\b|\b(?:weight|parameter) sharing\b|\bconvolve\w*")
_GAP = re.compile(r"\bglobal (?:average |avg |mean |max )?pool\w*|\bgap\b"
                  r"|\bpool\w* (?:operation )?(?:over|across) (?:all |the |every )?(?:\w+ and )?(?:spatial|space|positions)"
                  r"|\bpool\w* (?:over|across) (?:the )?(?:whole|entire|full) (?:feature map|input|image|map)")
_POOL = re.compile(r"\b(?:(max|average|avg|mean)[- ]?)?pool\w*")
_FC = re.compile(r"\bfc\b|\bfully[- ]connected\b|\bdense layers?\b|\blinear (?:classifier|layers?)\b")
_STRIDE = re.compile(r"\bstrides?\b|\bstrided\b|\bsubsampl\w*|\bdownsampl\w*")
_PADDING = re.compile(r"\bpadding\b|\bboundary\b|\bborders?\b")
_EQUI = re.compile(r"\bequivarian(?:t|ce)\b")
_INV = re.compile(r"\binvarian(?:t|ce)\b|\b(?:output|prediction)s? (?:is |are |stays? |remains? )?unchanged\b|\bdoes(?:n't| not) change\b|\bdon't change\b")
_SHIFT = re.compile(
    r"\binputs? (?:image )?(?:is |are )?(?:shift|translat|mov)\w*[^.;]{0,60}?\b(?:outputs?|feature maps?|activations?|responses?)\b[^.;]{0,25}?\b(?:shift|translat|mov)\w*"
    r"|\bshift\w* (?:of )?the input[^.;]{0,60}?\b(?:outputs?|feature maps?|responses?)\b[^.;]{0,25}?\b(?:shift|translat|mov)\w*"
    r"|\b(?:outputs?|feature maps?|responses?) (?:shift|translat|mov)\w* (?:with|along with|together with|like) (?:the )?input"
    r"|\b(?:shift|translat)\w* (?:of )?the input[^.;]{0,60}?\b(?:shift|translat)\w* (?:of )?the (?:outputs?|feature maps?|responses?)"
)
_SCALED = re.compile(r"/\s*s\b|/\s*s[,)]|divided by (?:the )?stride|/\s*stride|δ\w*/s|δ/s|Δ/s")
_BREAK = re.compile(r"\b(?:break|breaks|broke|broken|breaking|destroy\w*|violat\w*|affect\w*|los(?:e|es|t))\b[^.;]{0,30}?\bequivarian|\bnot (?:exactly |strictly )?(?:shift[- ]|translation[- ])?equivariant")
_NEGATED = re.compile(r"\b(?:no|not|never|without|lack\w*|isn't|aren't|doesn't|don't|cannot|can't|fails? to|lose|loses|break\w*|destroy\w*)\b")
_VAGUE = re.compile(r"\b(?:increas\w*|more|improv\w*|helps?|robust\w*|some|partial\w*|approximate\w*|somewhat|degree of|encourag\w*|drastically|much)\b")
_STRONG = re.compile(r"\b(?:exact\w*|complete\w*|full\w*|perfect\w*|any shifts?|all shifts?|every shift|arbitrary)\b")
_VERB = r"\b(?:is|are|becomes?|provides?|introduces?|gives?|makes?|achiev\w*|ensures?|guarantees?|brings?|adds?|yields?|results? in|leads? to|encodes?|creates?|enforces?|delivers?|offers?|produces?|remains?|stays?)\b"
_ASSERT = re.compile(_VERB + r"|\bvia\b|\bby\b|\bachieved\b|\((?:local |global |translation |shift )?(?:equivarian|invarian)\w*\)|(?:equivarian|invarian)\w*\s*\((?:by |via |from )?[a-z]")
_STATED = {
    "circular": re.compile(r"\bcircular|\bperiodic|\bwrap[- ]?around|\bcyclic"),
    "interior": re.compile(r"\binterior|away from (?:the )?(?:border|boundar|edge)|ignoring (?:the )?(?:border|boundar|edge)|far from (?:the )?(?:border|boundar|edge)|(?:up to|except (?:at|near)) (?:the )?(?:border|boundar|edge)"),
    "unbounded": re.compile(r"mathbb ?r\b|ℝ|\binfinite (?:domain|plane|grid|signals?)|\bunbounded\b|"
                            r"\bcontinuous (?:domain|signals?|functions?|plane)"),
    "multiple": re.compile(r"\bmultiples? of (?:the )?(?:stride|s)\b|divisible by (?:the )?(?:stride|s)\b|\b(?:s|stride) divides|integer multiple"),
}
_NOT_INVARIANT = re.compile(r"\b(?:is|are)\s+not\s+(?:\w+\s+){0,2}?invariant|\b(?:isn't|aren't)\s+(?:\w+\s+){0,2}?invariant|\bbut not (?:\w+[- ])?invariant")
_OTHER_TRANSFORM = re.compile(r"\brotat\w*|\bflip\w*|\breflect\w*|\bmirror\w*|\bscal(?:e|ing)\b")
_QUALIFIED = re.compile(r"\b(?:if|when|as long as|provided|only)\b")


def _counterexample(result) -> dict | None:
    """The failing run, readable: the shift, the input as a small grid, the two outputs that differ (2-D slices,
    rounded) and the first position where they differ."""
    ce = getattr(result, "counterexample", None)
    if ce is None:
        return None
    d = ce.to_dict() if hasattr(ce, "to_dict") else ce
    if not isinstance(d, dict):
        return d
    out = {k: d[k] for k in ("shift", "output_shift") if d.get(k) is not None}
    if "input" in d:
        out["input x"] = _grid(d["input"])
    for key in ("lhs", "rhs"):  # the two outputs that differ, as small 2-D grids (re-evaluable by value)
        if key in d:
            out[key] = _rows(d[key])
    if "lhs" in d:
        out["lhs, rhs"] = "op(shifted x), and the shifted op(x) (equivariance) or op(x) (invariance)"
    if d.get("where"):
        out["first differing position"] = list(d["where"][0])
    if d.get("max_abs_difference") is not None:
        out["max |difference|"] = round(float(d["max_abs_difference"]), 4)
    return out


def _rows(value) -> list[list[float]]:
    """The first 2-D slice of a nested list, values rounded to 4 significant digits."""
    import numpy as np

    a = np.asarray(value, dtype=float)
    while a.ndim > 2:
        a = a[0]
    return [[float(f"{v:.4g}") for v in row] for row in np.atleast_2d(a)]


def _grid(value) -> str:
    """The first 2-D slice of a nested list as rows ``a b c / d e f`` (values rounded to 4 significant digits)."""
    return " / ".join(" ".join(f"{v:g}" for v in row) for row in _rows(value))


def _undecided(result) -> str | None:
    if getattr(result, "error", None):
        return f"the property could not be run: {result.error}"
    return None


def _decided(*results):
    """The property results, after checking each could be run (else ValueError: the claim stays UNRECOGNIZED)."""
    for result in results:
        if _undecided(result):
            raise ValueError(_undecided(result))
    return results


@dataclass
class ConvEquivariance:
    """"convolution is translation equivariant" (``scaled``: the output shifts by δ/S); ``stated``: the
    conditions the sentence itself gives ("circular", "interior", "multiple")."""

    scaled: bool = False
    stated: tuple[str, ...] = ()
    quantity: str = "translation_equivariance"
    stride: int | None = None  # the stride the sentence names ("with a stride of three")
    shift: int | None = None  # the shift it names ("translations by two pixels")

    def _border_ok(self, stride: int, shift: int, size: int = SIZE):
        """The run that decides the border: circular padding, or the interior with zero padding, if stated."""
        if "circular" in self.stated:
            return conv_equivariance(stride, shift, "circular", size=size), "circular padding (as stated)"
        if "unbounded" in self.stated:
            return conv_equivariance(stride, shift, "circular", size=size), ("on the unbounded domain the sentence names (no border; "
                                                                            "run with circular padding, which has none either)")
        if "interior" in self.stated:
            return conv_equivariance(stride, shift, "zero", True, size=size), "zero padding, compared away from the border (as stated)"
        return None, ""

    def _as_stated(self) -> Outcome | None:
        """The configuration the sentence names — its stride S and shift δ — tested as named (not at stride 1)."""
        if self.stride is None and self.shift is None:
            return None
        stride, shift = self.stride or 1, self.shift or 1
        if not (1 <= stride <= 4 and 1 <= shift <= 8):
            raise ValueError(f"stride {stride} or shift {shift} outside the tested range (stride 1..4, shift 1..8)")
        size = 4 * stride * (1 if stride * 4 >= 8 else 2)
        run, how = self._border_ok(stride, shift, size)
        if run is None:
            return None
        _decided(run)
        what = f"a 3×3 numeric.conv2d with stride {stride}, shift δ = {shift}, {size}×{size} inputs, {how}"
        if run.holds:
            return Outcome(Verdict.CORRECT, f"check_equivariance on {what}: holds" + (f" (output shift δ/S = {shift // stride})." if stride > 1 else "."),
                           expected="equivariant")
        why = f" ({shift} is not a multiple of the stride {stride})" if shift % stride else ""
        return Outcome(Verdict.INCORRECT, f"check_equivariance fails on {what}{why}.", counterexample=_counterexample(run))

    def decide(self) -> Outcome:
        stated = self._as_stated() if not self.scaled else None
        if stated is not None:
            return stated
        if self.scaled and "multiple" in self.stated:
            run, how = self._border_ok(2, 2)
            if run is not None:
                _decided(run)
                if run.holds:
                    return Outcome(Verdict.CORRECT, f"check_equivariance on a 3×3 numeric.conv2d with stride S = 2, δ = 2, {how}: "
                                   "the output shifts by δ/S = 1.", expected="output shift δ/S when S | δ")
                return Outcome(Verdict.INCORRECT, f"check_equivariance fails with stride 2, δ = 2, {how}.",
                               counterexample=_counterexample(run))
            ok, border = conv_equivariance(2, 2, "circular"), conv_equivariance(2, 2, "zero")
            if ok.holds and not border.holds:
                return Outcome(Verdict.CONDITIONAL, "check_equivariance on a 3×3 numeric.conv2d with stride 2, δ = 2: holds with "
                               "circular padding, fails at the zero-padded border.",
                               condition="circular padding, or output positions away from the zero-padded border",
                               counterexample=_counterexample(border), expected="equivariant on the interior")
        if not self.scaled and self.stated:
            run, how = self._border_ok(1, 1)
            if run is not None:
                _decided(run)
                if run.holds:
                    return Outcome(Verdict.CORRECT, f"check_equivariance on a 3×3 numeric.conv2d, stride 1, {how}: holds.",
                                   expected="equivariant")
                return Outcome(Verdict.INCORRECT, f"check_equivariance fails for a 3×3 numeric.conv2d, stride 1, {how}.",
                               counterexample=_counterexample(run))
        if self.scaled:
            ok = conv_equivariance(2, 2, "circular")
            bad = conv_equivariance(2, 1, "circular")
            _decided(ok, bad)
            if ok.holds and not bad.holds:
                return Outcome(Verdict.CONDITIONAL,
                               "check_equivariance on a 3×3 numeric.conv2d with stride S = 2 (circular padding): holds for δ = 2 "
                               "(output shift 1) but fails for δ = 1, where δ/S is not an integer.",
                               condition="S divides δ (and circular padding, or away from the zero-padded border)",
                               counterexample=_counterexample(bad), expected="output shift δ/S only when S | δ")
            if ok.holds and bad.holds:  # pragma: no cover - would contradict the index substitution
                return Outcome(Verdict.CORRECT, "check_equivariance holds for δ = 1 and δ = 2 with stride 2.")
            return Outcome(Verdict.INCORRECT, "check_equivariance fails even for shifts the stride divides.",
                           counterexample=_counterexample(ok))
        circ = conv_equivariance(1, 1, "circular")
        zero = conv_equivariance(1, 1, "zero")
        _decided(circ, zero)
        if circ.holds and not zero.holds:
            return Outcome(Verdict.CONDITIONAL,
                           "check_equivariance on a 3×3 numeric.conv2d, stride 1: holds with circular padding; with zero "
                           "padding it fails at the border (positions whose receptive field reaches the padding).",
                           condition="circular padding, or output positions away from the zero-padded border (stride 1; "
                                     "with stride S only shifts S divides)",
                           counterexample=_counterexample(zero), expected="equivariant on the interior")
        if circ.holds and zero.holds:  # pragma: no cover
            return Outcome(Verdict.CORRECT, "check_equivariance holds with circular and zero padding.")
        return Outcome(Verdict.INCORRECT, "check_equivariance fails even with circular padding.",
                       counterexample=_counterexample(circ))


@dataclass
class BreaksEquivariance:
    """"``what`` (stride, pooling, padding) breaks (exact) equivariance" — true when the property fails."""

    what: tuple[str, ...]
    quantity: str = "translation_equivariance"

    def decide(self) -> Outcome:
        runs = {"stride": lambda: conv_equivariance(2, 1, "circular"), "pooling": lambda: pool_equivariance("max_pool", 1),
                "padding": lambda: conv_equivariance(1, 1, "zero")}
        texts, evidence = [], {}
        how = {"stride": "a stride-2 3×3 conv, 1-pixel shift", "pooling": "a 2×2 stride-2 max pool, 1-pixel shift",
               "padding": "a zero-padded 3×3 conv at the border"}
        for w in self.what:
            (r,) = _decided(runs[w]())
            if r.holds:
                return Outcome(Verdict.INCORRECT, f"check_equivariance holds for {w}: it does not break equivariance.")
            texts.append(f"{w} ({how[w]})")
            evidence[w] = _counterexample(r)
        return Outcome(Verdict.CORRECT,
                       "check_equivariance fails for " + "; ".join(texts) + ": it does break exact equivariance.",
                       counterexample=evidence)


_OP_TEXT = {"conv": "a 3×3 convolution (circular padding)", "max_pool": "2×2 max pooling (stride 2)", "avg_pool": "2×2 average pooling (stride 2)",
            "dense": "a dense (fully connected) layer", "max_pool+dense": "2×2 max pooling followed by a dense layer",
            "global_avg_pool": "global average pooling"}


@dataclass
class Invariance:
    """"``op`` makes the output (translation) invariant" (``strong``: to every shift, exactly)."""

    op: str
    strong: bool = False
    qualified: bool = False
    negated: bool = False
    circular: bool = False  # the sentence names circular (wrap-around) shifts
    quantity: str = "translation_invariance"

    def decide(self) -> Outcome:
        name = _OP_TEXT[self.op]
        (r,) = _decided(pool_invariance(self.op, 1, "circular"))
        if self.negated:
            if r.holds:
                return Outcome(Verdict.INCORRECT, f"check_invariance of {name} holds for 1-pixel circular shifts: it is invariant.",
                               expected="invariant")
            return Outcome(Verdict.CORRECT, f"check_invariance of {name}: a 1-pixel circular shift changes the output, "
                           "so it is indeed not invariant.", counterexample=_counterexample(r), expected="not invariant")
        if self.op == "global_avg_pool":
            zero = pool_invariance(self.op, 1, "zero")
            if r.holds and self.circular:
                return Outcome(Verdict.CORRECT, f"check_invariance of {name} holds for circular shifts (as stated).",
                               expected="invariant to circular shifts")
            if r.holds and not zero.holds:
                return Outcome(Verdict.CONDITIONAL,
                               f"check_invariance of {name}: holds for circular shifts; fails for a zero-fill shift that pushes content out of the frame.",
                               condition="circular shifts, or shifts that keep all the content inside the frame",
                               counterexample=_counterexample(zero), expected="invariant to circular shifts")
            if r.holds:
                return Outcome(Verdict.CORRECT, f"check_invariance of {name} holds.")
        if r.holds:
            return Outcome(Verdict.CORRECT, f"check_invariance of {name} holds for 1-pixel shifts.")
        text = f"check_invariance of {name}: a 1-pixel circular shift changes the output"
        if self.op in ("dense", "max_pool+dense") or self.strong:
            return Outcome(Verdict.INCORRECT, text + ("; a dense layer weighs each position differently, so it is not translation invariant."
                                                      if "dense" in self.op else "; it is not invariant in general."),
                           counterexample=_counterexample(r), expected="not translation invariant")
        cond = getattr(r, "condition", None) or (
            "only for inputs and shifts that leave every pooling window's "
            + ("maximum" if self.op == "max_pool" else "mean") + " unchanged (e.g. the maximum stays inside its window)")
        return Outcome(Verdict.CONDITIONAL,
                       text + ("; the sentence's own condition is not checked, the property fails for arbitrary inputs." if self.qualified
                               else "; invariance is local and approximate, not a property of every input."),
                       condition=cond, counterexample=_counterexample(r), expected="invariant only under a condition")


_NAMED_STRIDE = re.compile(r"\bstride(?: of| =|=)?\s*[- ]?(\d{1,2})\b|\b(\d{1,2})[- ]strided?\b")
_NAMED_SHIFT = re.compile(r"\b(?:translat\w*|shift\w*|mov\w*)\s+(?:of|by)\s+(\d{1,2})\s+(?:pixels?|positions?|samples?)\b")


def _named_config(text: str) -> dict:
    """The stride and shift a clause names in numbers ("a stride of three", "translations by two pixels").

    Examples
    --------
    >>> _named_config("a convolution with a stride of three is equivariant to translations by two pixels")
    {'stride': 3, 'shift': 2}
    >>> _named_config("convolution is translation equivariant")
    {}
    """
    from ..layer_reading import spell_digits

    digits = spell_digits(text)
    out = {}
    m = _NAMED_STRIDE.search(digits)
    if m:
        out["stride"] = int(m.group(1) or m.group(2))
    m = _NAMED_SHIFT.search(digits)
    if m:
        out["shift"] = int(m.group(1))
    return out


def _clause(clause: str, section: str) -> list:
    text = clause
    subject_text = text if (_CONV.search(text) or _POOL.search(text) or _FC.search(text) or _STRIDE.search(text)) else text + " " + section
    if re.search(r"^\s*(?:prove|show|derive|explain|verify|compute|why|what|how|does|is|are|can)\b|\?\s*$", text):
        return []
    out: list = []
    if _OTHER_TRANSFORM.search(text) and not re.search(r"\btranslat\w*|\bshift\w*", text):
        return out  # rotations and flips: forms/rotations.py tests the transformation named
    brk = _BREAK.search(text)
    if brk:
        what = tuple(w for w, rx in (("stride", _STRIDE), ("pooling", _POOL), ("padding", _PADDING)) if rx.search(subject_text))
        if what:
            out.append(BreaksEquivariance(what))
        return out
    shift = _SHIFT.search(text)
    equi = _EQUI.search(text)
    if (shift or equi) and (not _INV.search(text) or (equi and _NOT_INVARIANT.search(text))):
        stated = tuple(k for k, rx in _STATED.items() if rx.search(text))
        if shift and _SCALED.search(text):
            return [ConvEquivariance(scaled=True, stated=stated)]
        if _POOL.search(text[: (shift or equi).start()]) or _FC.search(text):
            return []
        if shift:
            return [ConvEquivariance(scaled=False, stated=stated, **_named_config(text))]
        if not _CONV.search(subject_text) or _NEGATED.search(text[max(0, equi.start() - 30): equi.start()]):
            return []
        if not _ASSERT.search(text):
            return []
        out = [ConvEquivariance(scaled=False, stated=stated, **_named_config(text))]
        if _NOT_INVARIANT.search(text):
            out.append(Invariance("conv", negated=True))
        return out
    inv = _INV.search(text)
    neg = _NOT_INVARIANT.search(text)
    if neg and not _FC.search(subject_text):
        m = _POOL.search(subject_text)
        if _GAP.search(subject_text):
            return out
        if m:
            return [Invariance("avg_pool" if m.group(1) in ("average", "avg", "mean") else "max_pool", negated=True)]
        if _CONV.search(subject_text):
            return [Invariance("conv", negated=True)]
        return out
    if not inv or _NEGATED.search(text[max(0, inv.start() - 25): inv.start()]) or _VAGUE.search(text[max(0, inv.start() - 25): inv.end()]):
        return out
    if re.search(r"\bcnns?\b|\bconvnets?\b|\bconvolutional (?:neural )?networks?\b", text) and not (_POOL.search(text) or _FC.search(text)):
        return out  # "CNNs exploit translation invariance": a design principle, not a claim about an operator
    if not _ASSERT.search(text):
        return out
    strong = bool(_STRONG.search(text))
    qualified = bool(_QUALIFIED.search(text[inv.end():]))
    if _GAP.search(subject_text):  # global pooling, even when a dense layer follows it
        out.append(Invariance("global_avg_pool", strong, qualified, circular=bool(_STATED["circular"].search(text))))
    elif _FC.search(subject_text):
        op = "max_pool+dense" if _POOL.search(subject_text) else "dense"
        out.append(Invariance(op, strong=True))
    elif _GAP.search(subject_text):
        out.append(Invariance("global_avg_pool", strong, qualified))
    elif _POOL.search(subject_text):
        m = _POOL.search(subject_text)
        kind = "avg_pool" if m.group(1) in ("average", "avg", "mean") else "max_pool"
        out.append(Invariance(kind, strong, qualified))
    return out


def find(norm: str, section: str | None) -> list:
    """Shift statements of a normalised sentence (``section``: its heading, for the subject)."""
    if not (_EQUI.search(norm) or _INV.search(norm) or "shift" in norm):
        return []
    sec = normalise(section or "")
    clauses = re.split(r"\s*(?:→|->|⟶|;)\s*|\s+to\s+(?=[a-z]+ \()", norm)
    out: list = []
    for c in clauses:
        out.extend(_clause(c, sec))
    return out[:4]
