"""Facts about single layers stated in words: no parameters, size kept, parameters vs input size, stride and cost.

Recognised wording (after :func:`~proofs.claims.numbers_words.normalise`), e.g.
"max pooling has no learnable parameters", "global average pooling has no
parameters", "a 3×3 conv with padding 1 preserves the spatial size", "with
padding (k-1)/2 and stride 1 the output has the same size as the input", "the
number of parameters of a conv layer does not depend on the input size",
"stride 2 reduces the computation by 4×". Each is decided by :mod:`derive`:

* :class:`NoParameters` — ``derive.layers.<Layer>(...).params`` is 0 (or not);
* :class:`SizePreserved` — ``derive.output_size`` equals the input size for every
  H in :data:`SIZES` (CONDITIONAL with the sizes where it holds, e.g. odd kernels);
* :class:`ParametersIndependentOfInput` — the parameter count of the layer built
  for input sizes 8 and 32 (a dense layer on the flattened map depends on it);
* :class:`StrideCost` — ``derive.layers.Conv2d.macs`` at stride 1 over stride s.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("Max pooling has no learnable parameters."), None)[0]
>>> s.layer, s.decide().verdict.value
('max_pool', 'CORRECT')
>>> s = find(normalise("A 3×3 conv with padding 1 preserves the spatial size."), None)[0]
>>> (s.kernel, s.padding), s.decide().verdict.value
((3, '1'), 'CORRECT')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ...findings import Verdict
from ..decide import Outcome, within
from ..layer_reading import DILATION, spell_digits
from ..numbers_words import KERNEL, is_hedged, parse_number
from ..symbolic import leading_expression, parse_expression
from ..truth import LayerSpec, TruthUnavailable, conv_macs, output_size, receptive_field

__all__ = ["find", "NoParameters", "SizePreserved", "ParametersIndependentOfInput", "StrideCost", "DilationWithoutParameters",
           "SIZES", "LARGE_SIZES", "MAX_SIDE"]

#: input sizes over which size and cost claims are decided
SIZES = range(4, 41)
#: kernels, strides and paddings above this are not decided (bounded work, sizes beyond SIZES)
MAX_SIDE = 15
#: sizes over which a hedged cost ratio ("roughly 4×") must hold
LARGE_SIZES = range(32, 65)

_LAYERS = [
    ("global_avg_pool", r"global (?:average|avg|mean) pool\w*|\bgap\b"),
    ("max_pool", r"max[- ]?pool\w*"),
    ("avg_pool", r"(?:average|avg|mean)[- ]?pool\w*"),
    ("pool", r"pool\w*"),
    ("relu", r"relu|activation functions?"),
    ("flatten", r"flatten(?:ing)?\b"),
    ("dropout", r"dropout"),
    ("conv", r"conv\w*|filters?|kernels?"),
    ("linear", r"fully[- ]connected|fc layers?|dense layers?|linear layers?"),
    ("batch_norm", r"batch[- ]?norm\w*"),
]
_LAYER = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _LAYERS) + r")")
_CONTRAST = re.compile(r"(?:unlike|than|instead of|except|as opposed to|compared (?:to|with)|whereas|not|rather than|need for|replac\w*|removes?|eliminat\w*|avoids?)\s+(?:\w+\s+){0,2}$")
_NO_PARAMS = re.compile(
    r"\b(?:ha(?:s|ve) no|has zero|have zero|contains? no|introduces? no|adds? no|without(?: any)?|with no|do(?:es)? not have(?: any)?|"
    r"doesn't have(?: any)?|don't have(?: any)?|no)\s+(?:learnable |trainable |learned |free )?(?:parameters|params|weights)\b"
    r"|\bparameter[- ]free\b|\bno (?:parameters|weights) to (?:learn|train)\b"
    r"|\b(?:there (?:is|are) )?nothing to learn\b")
_DILATION_FREE = re.compile(r"\b(?:without|with no|no|not add(?:ing)?|adds? no|at no|for no)\s+(?:(?:adding|any|extra|additional|more|new|added|increase in(?: the number of)?)\s+)*(?:parameters|params|weights|parameter cost)\b")
_NEGATION = re.compile(r"\b(?:not|never|doesn't|don't|cannot|can't|isn't|aren't|won't|no longer|fails? to)\s+(?:\w+\s+){0,2}$")
_HAS_PARAMS = re.compile(r"\bha(?:s|ve) (?:learnable|trainable) (?:parameters|params|weights)\b")
_PRESERVE = re.compile(
    r"\b(?:preserv\w*|keeps?|keeping|maintains?|retains?|unchanged|leaves? unchanged)\b[^.;]{0,25}?\b(?:spatial |feature map |output )?(?:size|dimensions?|resolution|shape|height and width|width and height)\b"
    r"|\b(?:output|feature map|result)s?\b[^.;]{0,40}?\b(?:same|identical|equal) (?:spatial )?(?:size|dimensions?|resolution|shape|height and width)\b(?:[^.;]{0,10}\bas (?:the )?input)?"
    r"|\bsame[- ](?:spatial[- ])?(?:size|dimensions?|resolution)\b[^.;]{0,20}\b(?:input|output)"
    r"|\b(?:output|feature map|map|result)s?\b[^.;]{0,40}?\bas (?:large|big|wide) as (?:its|the) input\b"
    r"|\b(?:size|dimensions?|resolution|shape|height and width)\b (?:is|are|stays?|remains?) (?:preserved|kept|unchanged|maintained|retained|the same)\b")
_PAD_VALUE = re.compile(r"\b(?:zero[- ])?padding(?: of| by)?(?:\s*p\s*=|\s*=)?\s*(?=\(|\d|[a-z](?![a-z]))|\bp\s*=\s*(?=\d)")
_STRIDE = re.compile(r"\bstride(?: of|\s*=|\s*s\s*=)?\s*(\d{1,3})\b|\b(\d{1,3})[- ]strided?\b|\bs\s*=\s*(\d{1,3})\b")
_KSIZE = re.compile(r"\b(?:kernel|filter|window)(?: size)?(?: of)?\s*(?:k\s*=\s*)?(\d{1,3})\b|\b[fk]\s*=\s*(\d{1,3})\b")
_INPUT_SIZE = re.compile(r"\b(?:input|image)(?: image)? (?:size|resolution|dimensions?|height and width|width and height)|\bsize of (?:the|its) (?:input|image)|"
                         r"\bnumber of (?:input )?pixels\b|\bpixels (?:of|in) (?:the|its) (?:input|image)|\bspatial (?:size|dimensions?|resolution) of the input")
_INDEPENDENT = re.compile(r"\b(?:do(?:es)? not|doesn't|don't|never) (?:depend|change|grow|vary|scale)\b|\bindependent of\b|\bregardless of\b|\bno matter\b|\bnot (?:a function of|tied to)\b|\bsame (?:number of )?(?:parameters|weights) for any")
_DEPENDS = re.compile(r"\b(?:depends? on|grows? (?:linearly )?with|scales? with|increases? with|is a function of|proportional(?:ly)? to|(?:grows? )?in proportion to)\b")
_COMPUTE = re.compile(r"\b(?:computation|compute|computational cost|cost|flops?|macs?|multiplications?|multiply-adds?|operations)\b")
_COST_PERCENT = re.compile(r"\b(?:reduc\w*|cuts?|decreas\w*|lowers?|saves?)\b[^.;]{0,60}?\bby (?:about |roughly |approximately |~)?(\d{1,2}(?:\.\d)?)\s*(?:%|percent)")
_COST_FACTOR = re.compile(r"\b(?:reduc\w*|cuts?|decreas\w*|lowers?|divid\w*|saves?)\b[^.;]{0,60}?\bby (?:a factor of |a factor )?(?:about |roughly |approximately |~)?(\d{1,3}|two|four|nine|sixteen)(?!\d|\.\d|\s*(?:%|percent))(?:×|x| times)?\b"
                          r"|\b(\d{1,3})\s*(?:×|x|times)\s+(?:less|fewer|cheaper|lower)\b")


def _layer_before(norm: str, end: int) -> str | None:
    """The layer the sentence speaks about: the last layer noun before ``end`` not in a contrast."""
    for m in reversed(list(_LAYER.finditer(norm[:end]))):
        if not _CONTRAST.search(norm[max(0, m.start() - 30): m.start()]):
            return m.lastgroup
    return None


def _derive_layers():
    try:
        import derive

        return derive.layers
    except Exception as exc:  # pragma: no cover - derive is part of the package
        raise TruthUnavailable(f"derive cannot be imported: {exc}") from exc


def _params_of(layer: str, size: int = 8, channels: int = 4) -> int:
    """Learnable parameters of a representative layer of the kind named, from ``derive.layers``."""
    L = _derive_layers()
    built = {
        "global_avg_pool": lambda: L.AdaptiveAvgPool2d(1),
        "max_pool": lambda: L.MaxPool2d(2),
        "avg_pool": lambda: L.AvgPool2d(2),
        "pool": lambda: L.MaxPool2d(2),
        "relu": lambda: L.ReLU(),
        "flatten": lambda: L.Flatten(),
        "dropout": lambda: L.Dropout(0.5),
        "conv": lambda: L.Conv2d(channels, channels, 3, padding=1),
        "linear": lambda: L.Linear(channels * size * size, 10),
        "batch_norm": lambda: L.BatchNorm2d(channels),
    }[layer]
    try:
        return int(built().params)
    except (AttributeError, TypeError, NotImplementedError) as exc:
        raise TruthUnavailable(f"derive cannot count the parameters of {layer} ({exc})") from exc


_NAMES = {"global_avg_pool": "AdaptiveAvgPool2d(1)", "max_pool": "MaxPool2d(2)", "avg_pool": "AvgPool2d(2)", "pool": "MaxPool2d(2)",
          "relu": "ReLU()", "flatten": "Flatten()", "dropout": "Dropout(0.5)", "conv": "Conv2d(4, 4, 3)", "linear": "Linear(4·8·8, 10)",
          "batch_norm": "BatchNorm2d(4)"}


@dataclass
class NoParameters:
    """"a ``layer`` has no learnable parameters" (``claimed_zero``) or "has learnable parameters"."""

    layer: str
    claimed_zero: bool = True
    quantity: str = "params"

    def decide(self) -> Outcome:
        p = _params_of(self.layer)
        text = f"derive.layers.{_NAMES[self.layer]}.params = {p}"
        if (p == 0) == self.claimed_zero:
            return Outcome(Verdict.CORRECT, f"{text}: {'no' if p == 0 else 'it has'} learnable parameters, as stated.", expected=str(p))
        return Outcome(Verdict.INCORRECT, f"{text}: the claim says it has {'none' if self.claimed_zero else 'some'}.",
                       expected=str(p), counterexample={"layer": _NAMES[self.layer], "params": p})


@dataclass
class SizePreserved:
    """"a ``kernel``×``kernel`` conv with ``padding`` (a number or an expression in k) and ``stride`` keeps H"."""

    kernel: int | None
    padding: str
    stride: int = 1
    odd_only: bool = False
    negated: bool = False
    dilation: int = 1
    quantity: str = "output_size"

    def decide(self) -> Outcome:
        expression = parse_expression(self.padding)
        kernels = [self.kernel] if self.kernel is not None else [k for k in range(1, 8) if k % 2 or not self.odd_only]
        symbols = expression.symbols - {"k", "f", "d"}
        if symbols:
            raise ValueError(f"the padding {self.padding!r} uses the symbol(s) {', '.join(sorted(symbols))}, not the kernel size")
        if any(k > MAX_SIDE for k in kernels) or not 1 <= self.stride <= MAX_SIDE or not 1 <= self.dilation <= MAX_SIDE:
            raise ValueError(f"kernel {self.kernel} or stride {self.stride} outside 1..{MAX_SIDE}")
        held, failed = [], []
        for k in kernels:
            p = expression({"k": k, "f": k, "d": self.dilation})
            if p.denominator != 1 or p < 0:
                failed.append((k, None, None, p))
                continue
            if p > MAX_SIDE:
                raise ValueError(f"padding {p} outside 0..{MAX_SIDE}")
            for h in SIZES:
                if h + 2 * int(p) < self.dilation * (k - 1) + 1:
                    continue  # the kernel does not fit: no output to compare
                out = output_size("conv", h, k, stride=self.stride, padding=int(p), dilation=self.dilation)
                if out != h:
                    failed.append((k, h, out, p))
                    break
            else:
                held.append(k)
        what = (f"{self.kernel}×{self.kernel} conv" if self.kernel is not None
                else "k×k conv, k = " + ("1, 3, 5, 7 (odd, as stated)" if self.odd_only else "1..7"))
        if self.dilation != 1:
            what += f" with dilation {self.dilation}"
        text = f"derive.output_size of a {what}, stride {self.stride}, padding {self.padding}, for H in {SIZES[0]}..{SIZES[-1]}"
        if self.negated:
            if held:
                return Outcome(Verdict.INCORRECT, f"{text}: the size is kept for k = {held[0]}, against the claim that it is not.",
                               expected="H", counterexample={"kernel": held[0], "stride": self.stride, "padding": self.padding})
            k, h, out, p = failed[0]
            return Outcome(Verdict.CORRECT, f"{text}: not kept, as stated (k = {k}, H = {h} gives {out}).", expected=f"{out} at H = {h}")
        if not failed:
            return Outcome(Verdict.CORRECT, f"{text}: the output size equals H every time.", expected="H")
        k, h, out, p = failed[0]
        evidence = {"kernel": k, "padding": str(p), "stride": self.stride, "H": h, "output": out}
        reason = (f"at k = {k} the padding {p} is not a whole number" if h is None
                  else f"at k = {k} (padding {p}), H = {h} gives {out}")
        if held:
            cond = "k in {" + ", ".join(map(str, held)) + "}"
            if all(x % 2 for x in held) and all(x % 2 == 0 for x, *_ in failed):
                cond = "k odd"
            return Outcome(Verdict.CONDITIONAL, f"{text}: kept only for {cond}; {reason}.", condition=cond,
                           expected=f"{out} at H = {h}" if h else None, counterexample=evidence)
        return Outcome(Verdict.INCORRECT, f"{text}: {reason}.", expected=f"{out} at H = {h}" if h else None, counterexample=evidence)


@dataclass
class ParametersIndependentOfInput:
    """"the parameters of a ``layer`` do (not) depend on the input size"."""

    layer: str
    independent: bool = True
    quantity: str = "params"

    def decide(self) -> Outcome:
        small, large = _params_of(self.layer, size=8), _params_of(self.layer, size=32)
        name = {"linear": "a dense layer on the flattened 4×H×H map"}.get(self.layer, f"derive.layers.{_NAMES[self.layer]}")
        text = f"parameters of {name} at input size 8: {small}; at 32: {large}"
        same = small == large
        if same == self.independent:
            return Outcome(Verdict.CORRECT, f"{text}: {'independent of' if same else 'dependent on'} the input size, as stated.",
                           expected=f"{small} vs {large}")
        return Outcome(Verdict.INCORRECT, f"{text}: {'independent of' if same else 'dependent on'} the input size.",
                       expected=f"{small} vs {large}", counterexample={"size_8": small, "size_32": large})


@dataclass
class StrideCost:
    """"a stride-``stride`` conv reduces the computation by ``factor``×" (against stride 1, 'same' padding)."""

    stride: int
    factor: Fraction
    kernel: int = 3
    hedged: bool = False
    quantity: str = "macs_ratio"

    def decide(self) -> Outcome:
        if not 2 <= self.stride <= 8 or self.factor <= 0 or not 1 <= self.kernel <= MAX_SIDE:
            raise ValueError(f"stride {self.stride} outside 2..8, kernel {self.kernel} outside 1..{MAX_SIDE} "
                             f"or factor {self.factor} not positive")
        k, pad = self.kernel, self.kernel // 2
        ratios = {h: Fraction(conv_macs(1, 1, k, h, stride=1, padding=pad), conv_macs(1, 1, k, h, stride=self.stride, padding=pad))
                  for h in SIZES}
        exact = self.stride ** 2
        tol = Fraction(1, 10) if self.hedged else Fraction(0)
        good = [h for h, r in ratios.items() if within(r, self.factor, tol)]
        if self.hedged:
            large = [Fraction(conv_macs(1, 1, k, h, stride=1, padding=pad), conv_macs(1, 1, k, h, stride=self.stride, padding=pad))
                     for h in LARGE_SIZES]
            if all(within(r, self.factor, tol) for r in large):
                return Outcome(Verdict.CORRECT,
                               f"derive.layers.Conv2d.macs of a {k}×{k} conv with padding {pad}, stride 1 over stride {self.stride}: "
                               f"within {float(tol):.0%} of {float(self.factor):g}× for every H in {LARGE_SIZES[0]}..{LARGE_SIZES[-1]} "
                               f"(exactly {exact}× when H is divisible by {self.stride}).", expected=f"{exact}×")
        text = (f"derive.layers.Conv2d.macs of a {k}×{k} conv with padding {pad}: stride 1 over stride {self.stride} = "
                + ", ".join(f"H={h}: {float(r):.3g}" for h, r in list(ratios.items())[:4]) + ", …")
        if len(good) == len(ratios):
            return Outcome(Verdict.CORRECT, f"{text}: {float(self.factor):g}× for every H in {SIZES[0]}..{SIZES[-1]}.",
                           expected=f"{exact}×")
        bad = next(h for h in ratios if h not in good)
        evidence = {"H": bad, "ratio": str(ratios[bad]), "claimed": str(self.factor), "stride": self.stride}
        if good:
            cond = f"H divisible by {self.stride}" if all((h % self.stride == 0) == (h in good) for h in ratios) else \
                "H in {" + ", ".join(map(str, good[:8])) + (", …}" if len(good) > 8 else "}")
            return Outcome(Verdict.CONDITIONAL, f"{text}: exactly {float(self.factor):g}× only for {cond}; at H = {bad} it is {float(ratios[bad]):.3g}.",
                           condition=cond, expected=f"{exact}× for H divisible by {self.stride}", counterexample=evidence)
        return Outcome(Verdict.INCORRECT, f"{text}: about {exact}× (the output shrinks in both height and width), not {float(self.factor):g}×.",
                       expected=f"{exact}×", counterexample=evidence)


def _negated(norm: str, start: int) -> bool:
    """True when the words just before ``start`` negate what follows ("does not preserve", "are not parameter-free")."""
    return bool(_NEGATION.search(norm[max(0, start - 25): start]))


@dataclass
class DilationWithoutParameters:
    """"dilation enlarges the receptive field without extra parameters" (for a ``kernel``×``kernel`` conv)."""

    kernel: int = 3
    assumed: bool = False
    quantity: str = "params"

    def decide(self) -> Outcome:
        if not 1 < self.kernel <= MAX_SIDE:
            raise ValueError(f"kernel {self.kernel} outside 2..{MAX_SIDE}")
        L = _derive_layers()
        k = self.kernel
        rows = [(d, int(L.Conv2d(4, 4, k, dilation=d).params), receptive_field([LayerSpec("conv", k, dilation=d)]))
                for d in (1, 2, 4)]
        text = (f"derive for a {k}×{k} conv{' (3×3 assumed)' if self.assumed else ''}, C = 4: "
                + "; ".join(f"dilation {d}: {p} parameters, receptive field {rf}×{rf}" for d, p, rf in rows))
        same = len({p for _, p, _ in rows}) == 1
        grows = all(a[2] < b[2] for a, b in zip(rows, rows[1:]))
        if same and grows:
            return Outcome(Verdict.CORRECT, f"{text}: the field grows, the parameter count does not.", expected=f"{rows[0][1]} parameters")
        return Outcome(Verdict.INCORRECT, f"{text}.", expected=f"{rows[0][1]} parameters",
                       counterexample={"rows": [{"dilation": d, "params": p, "rf": rf} for d, p, rf in rows]})


def _no_parameters(norm: str) -> list:
    m = _NO_PARAMS.search(norm) or _HAS_PARAMS.search(norm)
    if not m or re.search(r"\b(?:fewer|less|more|reduce\w*)\b", norm[max(0, m.start() - 20): m.end()]) or _negated(norm, m.start()):
        return []
    layer = _layer_before(norm, m.start())
    if layer is None:
        return []
    return [NoParameters(layer, claimed_zero=bool(_NO_PARAMS.search(m.group(0))))]


def _size_preserved(norm: str, section: str | None) -> list:
    keep = _PRESERVE.search(norm)
    if not keep or not re.search(r"\bconv\w*|\bfilters?\b|\bkernels?\b|\b[fk]\s*=\s*\d", norm):
        return []
    if re.search(r"\bpool\w*", norm):
        return []
    pm = _PAD_VALUE.search(norm)
    if re.search(r"\b(?:without (?:any )?(?:zero[- ])?padding|no (?:zero[- ])?padding)\b", norm):
        padding = "0"
    elif not pm:
        return []
    else:
        padding = leading_expression(norm[pm.end():], symbolic=False)
    if padding is None:
        return []
    km = re.search(KERNEL, norm)
    kernel = parse_number(km.group(1)) if km and km.group(1) == km.group(2) else None
    if kernel is None:
        ks = _KSIZE.search(norm)
        kernel = parse_number(ks.group(1) or ks.group(2)) if ks else None
    sm = _STRIDE.search(norm)
    stride = parse_number(sm.group(1) or sm.group(2) or sm.group(3)) if sm else 1
    try:
        symbols = parse_expression(padding).symbols
    except ValueError:
        return []
    if kernel is None and not symbols:
        return []
    if kernel is not None and symbols:
        kernel = None  # "(k-1)/2 for a 3×3 kernel": decided for every k
    odd = bool(re.search(r"\bodd\b", norm))
    dm = DILATION.search(spell_digits(norm))
    dilation = int(next(g for g in dm.groups() if g is not None)) if dm else 1
    return [SizePreserved(kernel, padding, stride, odd, negated=_negated(norm, keep.start()), dilation=dilation)]


def _input_independence(norm: str) -> list:
    if not re.search(r"\b(?:param(?:eter)?s?|weights)\b", norm) or not _INPUT_SIZE.search(norm):
        return []
    ind, dep = _INDEPENDENT.search(norm), _DEPENDS.search(norm)
    if not ind and not dep:
        return []
    verb = ind or dep
    layer = _layer_before(norm, verb.start()) or ("conv" if re.search(r"\bcnns?\b|convolutional", norm) else None)
    if layer is None or layer in ("relu", "flatten", "dropout"):
        return []
    return [ParametersIndependentOfInput(layer, independent=bool(ind))]


def _stride_cost(norm: str) -> list:
    sm = _STRIDE.search(norm)
    if not sm or not _COMPUTE.search(norm) or re.search(r"\b(?:not|never|doesn't|don't|cannot)\b", norm):
        return []
    if re.search(r"\b(?:param\w*|weights|memory|output size|resolution|spatial)\b", norm):
        return []
    fm = _COST_FACTOR.search(norm)
    pm = _COST_PERCENT.search(norm)
    factor = None
    if pm:
        saved = Fraction(pm.group(1))
        if not 0 < saved < 100:
            return []
        factor = 1 / (1 - saved / 100)
    elif fm:
        factor = Fraction(parse_number(fm.group(1) or fm.group(2)))
    elif re.search(r"\b(?:halv\w*|by half|in half)\b", norm):
        factor = Fraction(2)
    elif re.search(r"\bquarter\w*\b|\bby 75 ?%", norm):
        factor = Fraction(4)
    if factor is None:
        return []
    km = re.search(KERNEL, norm)
    kernel = parse_number(km.group(1)) if km and km.group(1) == km.group(2) else 3
    return [StrideCost(parse_number(sm.group(1) or sm.group(2) or sm.group(3)), factor, kernel, is_hedged(norm))]


def _dilation_free(norm: str) -> list:
    if not re.search(r"\bdilat\w*", norm) or not _DILATION_FREE.search(norm):
        return []
    km = re.search(KERNEL, norm)
    kernel = parse_number(km.group(1)) if km and km.group(1) == km.group(2) else 3
    return [DilationWithoutParameters(kernel, assumed=not km)]


def find(norm: str, section: str | None) -> list:
    """Single-layer statements of a normalised sentence (empty when none)."""
    if _DILATION_FREE.search(norm) and re.search(r"\bdilat\w*", norm):
        return _dilation_free(norm)
    return (_no_parameters(norm) + _size_preserved(norm, section) + _input_independence(norm) + _stride_cost(norm))[:3]
