"""Claims that changing one attribute of a convolution changes a quantity by a factor, decided over a domain.

"Doubling the stride of a 2-D convolution halves its multiply-accumulates", "halving the output channels
halves the cost", "going from stride 1 to stride 2 cuts the MACs of a padded 3×3 convolution on a 56×56
input by a factor of four". The change (which attribute, by what factor) and the effect (which quantity, by
what factor, or unchanged) are read from the sentence; the layer is what the sentence describes
(:mod:`proofs.claims.layer_reading`), and every attribute it leaves open ranges over a small domain
(kernels 1, 3, 5; channels 1–16; inputs 5–24; padding 0 or 'same'). ``derive.layers.Conv2d`` computes the
quantity before and after the change for every configuration:

* the factor holds for every configuration → CORRECT;
* it holds for none → INCORRECT, with the smallest configuration as counterexample;
* it holds for some only → INCORRECT when the sentence claims it always ("always", "any", "exactly",
  "whatever"), with the smallest configuration where it fails; otherwise not decided.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("Doubling the stride of a 2-D convolution halves its number of multiply-accumulates."))[0]
>>> o = s.decide(); o.verdict.value, o.counterexample["ratio"]
('INCORRECT', '9/25')
>>> find(normalise("Halving the number of output channels of a convolution halves its multiply-accumulate count."))[0].decide().verdict.value
'CORRECT'
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from fractions import Fraction

from ...findings import Verdict
from ..decide import Outcome
from ..layer_reading import LayerReading, prepare, read_layer
from ..truth import TruthUnavailable

__all__ = ["find", "ChangeEffect"]

_FACTOR_WORDS = {"doubling": Fraction(2), "halving": Fraction(1, 2), "tripling": Fraction(3), "quadrupling": Fraction(4)}
_ATTRIBUTE = (r"(?P<attr>stride|kernel size|kernel|number of input and (?:the )?output channels|input and (?:the )?output channels|"
              r"input and (?:the )?output channel counts?|"
              r"number of output channels|output channels|output channel count|number of input channels|input channels|input channel count|"
              r"number of (?:filters|channels)|channel count|"
              r"filters|channels|input size|input resolution|resolution|spatial size)")
_CHANGE = [
    re.compile(r"\b(?P<verb>doubling|halving|tripling|quadrupling) (?:both )?(?:the )?" + _ATTRIBUTE),
    re.compile(r"\bgoing from (?P<attr>stride) (?P<a>\d) to (?:stride )?(?P<b>\d)\b"),
    re.compile(r"\b(?:increasing|raising|changing) the (?P<attr>stride) from (?P<a>\d) to (?P<b>\d)\b"),
    re.compile(r"\b(?:using|with|choosing|taking|switching to|giving (?:it|a convolution|the convolution|the layer) ) ?(?:a )?(?P<attr>stride) (?:of )?(?P<b>\d) instead of (?:a )?(?:stride )?(?:of )?(?P<a>\d)\b"),
    re.compile(r"\bswitching (?:a |the )?(?:convolution|conv|layer)? ?from (?P<attr>stride) (?P<a>\d) to (?:stride )?(?P<b>\d)\b"),
]
_EFFECT = re.compile(
    r"\b(?P<eff>halves|doubles|quarters|triples|quadruples|keeps|does not change|doesn't change|leaves unchanged|leaves|"
    r"(?:cuts|reduces|divides|shrinks)(?: [^.;]{0,100}?)? by (?:a factor of )?(?P<down>\d{1,3})(?:×|x| times)?|"
    r"multiplies(?: [^.;]{0,60}?)? by (?P<up>\d{1,3})|increases(?: [^.;]{0,60}?)? by (?:a factor of )?(?P<up2>\d{1,3}))\b"
    r"(?P<rest>[^.;]{0,80})")
_QUANTITY = [
    ("macs", re.compile(r"multiply[- ]accumulat\w*|\bmacs?\b|multiply[- ]adds?|\bflops\b|\bcost\b|computation|multiplications|operations")),
    ("params", re.compile(r"\bparameters\b|\bweights\b|\bparams\b|\bparameter count\b")),
    ("output", re.compile(r"\boutput (?:size|width|resolution)|\bspatial size|\bfeature map size|\bsize of the output")),
]
_ALWAYS = re.compile(r"\b(?:always|any|every|exactly|whatever|regardless|for all|in general|no matter)\b")
_NOT_THIS = re.compile(r"\bthan\b|\bif\b|\bunless\b|\bonly\b|\bnot\b(?! change)|\bnetwork\b|\bmodel\b|\bbottleneck|\bblock\b|\bdepthwise|\bseparable|\bgroups?\b|\bpool\w*|\btransposed")

#: the domain an unstated attribute ranges over
DOMAIN = {"kernel": (1, 3, 5), "c_in": (1, 2, 3, 4, 8, 16), "c_out": (1, 2, 4, 6, 16), "size": (5, 6, 7, 8, 12, 16, 24),
          "stride": (1, 2), "padding": (0, "same")}


def _layers():
    try:
        from derive import layers
    except Exception as exc:  # pragma: no cover
        raise TruthUnavailable(f"derive.layers cannot be imported: {exc}") from exc
    return layers


@dataclass
class ChangeEffect:
    """"changing ``attr`` by ``change`` multiplies ``what`` by ``effect``" for the layer ``reading`` (open attributes range)."""

    reading: LayerReading
    attr: str
    change: tuple  # (factor,) or (from, to)
    what: str
    effect: Fraction
    always: bool
    quantity: str = "macs"

    def __post_init__(self):
        self.quantity = {"macs": "macs", "params": "params", "output": "output_size"}[self.what]

    def _configs(self):
        r = self.reading
        fixed = {"kernel": r.kernel, "c_in": r.c_in, "c_out": r.c_out, "size": r.size, "stride": r.stride,
                 "padding": (r.padding if r.padding is not None else None)}
        if self.attr == "stride" and len(self.change) == 2:
            fixed["stride"] = self.change[0]
        elif self.attr == "stride" and fixed["stride"] is None:
            fixed["stride"] = 1
        keys = list(DOMAIN)
        pools = [[fixed[k]] if fixed[k] is not None else list(DOMAIN[k]) for k in keys]
        for values in itertools.product(*pools):
            yield dict(zip(keys, values))

    def _changed(self, cfg: dict) -> dict | None:
        new = dict(cfg)
        if len(self.change) == 2:
            new[self.attr] = self.change[1]
            return new
        f = self.change[0]
        names = {"stride": ["stride"], "kernel": ["kernel"], "c_in": ["c_in"], "c_out": ["c_out"], "both": ["c_in", "c_out"],
                 "size": ["size"]}[self.attr]
        for name in names:
            value = Fraction(cfg[name]) * f
            if value.denominator != 1 or value < 1:
                return None
            new[name] = int(value)
        if self.attr == "kernel" and new["kernel"] % 2 == 0 and new["padding"] == "same":
            return None
        return new

    def _value(self, cfg: dict) -> int:
        L = _layers()
        if cfg["padding"] == "same" and cfg["kernel"] % 2 == 0:
            raise ValueError("even kernel")
        layer = L.Conv2d(cfg["c_in"], cfg["c_out"], cfg["kernel"], stride=cfg["stride"], padding=cfg["padding"], bias=False)
        if self.what == "params":
            return int(layer.params)
        shape = (1, cfg["c_in"], cfg["size"], cfg["size"])
        if self.what == "output":
            return int(layer.output_shape(shape)[-1])
        return int(layer.macs(shape))

    def decide(self) -> Outcome:
        held, failed, tried = [], [], 0
        for cfg in self._configs():
            new = self._changed(cfg)
            if new is None:
                continue
            try:
                before, after = self._value(cfg), self._value(new)
            except ValueError:
                continue
            if before <= 0:
                continue
            tried += 1
            ratio = Fraction(after, before)
            (held if ratio == self.effect else failed).append((cfg, new, before, after, ratio))
            if tried > 4000:
                break
        if not tried:
            raise ValueError("no configuration of the domain admits the change")
        what = {"macs": "multiply-accumulates", "params": "parameters", "output": "output side"}[self.what]
        claim = f"{what} × {self.effect}"
        if not failed:
            return Outcome(Verdict.CORRECT, f"derive.layers.Conv2d on {tried} configurations: the change gives {claim} in every one.",
                           expected=str(self.effect))
        if held and not self.always:
            return Outcome(Verdict.UNRECOGNIZED, f"recognised as a change of {what}: it holds for {len(held)} of {tried} "
                                                 "configurations only, and the sentence does not say which")
        cfg, new, before, after, ratio = min(failed, key=lambda t: (t[0]["c_in"] * t[0]["c_out"] * t[0]["size"], t[0]["kernel"]))
        evidence = {"before": _show(cfg), "after": _show(new), f"{what} before": before, f"{what} after": after,
                    "ratio": str(ratio), "claimed": str(self.effect)}
        how = "holds in none of" if not held else f"fails in {len(failed)} of"
        return Outcome(Verdict.INCORRECT, f"derive.layers.Conv2d: {claim} {how} {tried} configurations; smallest: "
                                          f"{_show(cfg)} → {_show(new)} gives {before} → {after} (× {ratio}).",
                       expected=str(ratio), counterexample=evidence)


def _show(cfg: dict) -> str:
    return (f"k={cfg['kernel']}, C_in={cfg['c_in']}, C_out={cfg['c_out']}, {cfg['size']}×{cfg['size']} input, "
            f"stride {cfg['stride']}, padding {cfg['padding']!r}")


def _attr(text: str) -> str:
    if "stride" in text:
        return "stride"
    if "kernel" in text:
        return "kernel"
    if "input and" in text:
        return "both"
    if "output" in text or "filters" in text:
        return "c_out"
    if "input channel" in text:
        return "c_in"
    if "size" in text or "resolution" in text:
        return "size"
    return ""


def _effect(m: re.Match) -> Fraction | None:
    eff = m.group("eff")
    table = {"halves": Fraction(1, 2), "doubles": Fraction(2), "quarters": Fraction(1, 4), "triples": Fraction(3),
             "quadruples": Fraction(4), "keeps": Fraction(1), "does not change": Fraction(1), "doesn't change": Fraction(1),
             "leaves unchanged": Fraction(1)}
    if eff in table:
        return table[eff]
    if eff == "leaves":
        return Fraction(1) if re.search(r"\bunchanged\b", m.group("rest")) else None
    if m.group("down"):
        return Fraction(1, int(m.group("down")))
    up = m.group("up") or m.group("up2")
    return Fraction(int(up)) if up else None


def find(norm: str, section: str | None = None) -> list:
    """Change-effect statements of a normalised sentence (empty when none)."""
    text = prepare(norm)
    if _NOT_THIS.search(text) or not re.search(r"\bconv", text):
        return []
    change = None
    for pattern in _CHANGE:
        change = pattern.search(text)
        if change:
            break
    if change is None:
        return []
    attr = _attr(change.group("attr"))
    if not attr:
        return []
    effect = _EFFECT.search(text, change.end())
    if effect is None:
        return []
    factor = _effect(effect)
    if factor is None:
        return []
    tail = text[effect.start():]
    what = next((name for name, rx in _QUANTITY if rx.search(tail)), None)
    if what is None:
        return []
    if "a" in change.groupdict() and change.groupdict().get("a"):
        ch = (int(change.group("a")), int(change.group("b")))
    else:
        ch = (_FACTOR_WORDS[change.group("verb")],)
    reading = read_layer(text[:change.start()] + " " + text[change.end():effect.start()] + " " + tail)
    if attr == "stride":
        reading = LayerReading(**{**reading.stated(), "stride": None})
    return [ChangeEffect(reading, attr, ch, what, factor, bool(_ALWAYS.search(text)))]
