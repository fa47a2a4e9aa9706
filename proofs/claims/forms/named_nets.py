r"""Claims about named architectures: "EfficientNet-B0 has 5.3M parameters", "ResNet-50 needs ~4.1 GFLOPs",
"ResNet-18 has fewer parameters than VGG-16", "VGG-16 has about 5× more parameters than ResNet-50".

The network is built by :func:`derive.nets.get_network` (torchvision's
definition) and counted there; nothing is looked up. A count is compared
with the rounding the sentence writes: ``5.3M`` stands for
``[5.25M, 5.35M)``, ``138,357,544`` for itself, and a hedge ("about", "~")
widens it to 5 %. Published figures of one architecture differ by a few
percent between implementations (the paper's AlexNet has 60.97M parameters,
torchvision's 61.10M; MobileNetV2's paper says 3.4M, torchvision has
3.50M) and many counts leave out the classifier, so:

- CORRECT when the claim matches the whole network or the network without its
  last fully-connected layer, within the sentence's rounding;
- INCORRECT only when it is more than :data:`VARIANT_TOLERANCE` away from both;
- otherwise UNRECOGNIZED, saying the difference is within what implementations differ by.

FLOPs/MACs claims accept either convention (a "FLOP" is often a
multiply-add): CORRECT within 5 % of the MACs or of ``2·MACs`` at the
resolution the sentence names (224×224 when it names none, said in the
finding); INCORRECT only when more than :data:`FLOP_TOLERANCE` away from both.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> [s.decide().verdict.value for s in find(normalise("EfficientNet-B0 has 5.3M parameters."))]
['CORRECT']
>>> [s.decide().verdict.value for s in find(normalise("ResNet-18 has 21.8 million parameters."))]
['INCORRECT']
>>> [s.decide().verdict.value for s in find(normalise("ResNet-50 has fewer parameters than VGG-16."))]
['CORRECT']
>>> find(normalise("The first fully connected layer of VGG-16 holds about 102.8 million parameters."))
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from ...findings import Verdict
from ..decide import Outcome
from ..numbers_words import HEDGE

__all__ = ["find", "NetCount", "NetComparison", "mentions", "VARIANT_TOLERANCE", "FLOP_TOLERANCE"]

#: a claimed parameter count further than this from every variant of the network is INCORRECT
VARIANT_TOLERANCE = Fraction(1, 10)
#: a claimed FLOP/MAC count further than this from both MACs and 2·MACs is INCORRECT
FLOP_TOLERANCE = Fraction(3, 10)
#: a hedged count ("about 25M") within this of the exact one is CORRECT
HEDGE_TOLERANCE = Fraction(1, 20)

#: (regex over the normalised sentence, key of derive.nets.NETWORKS); a width multiplier other than 1.0,
#: a "wide"/"-bn"-like variant or a family name without its depth is not matched
_NETS = [
    (r"vgg[-_ ]?(11|13|16|19)(?!\d|\.\d)", "vgg{}"),
    (r"(?<!wide )(?<!wide-)res-?net[-_ ]?(18|34|50|101|152)(?!\d|\.\d|-?v2)", "resnet{}"),
    (r"dense-?net[-_ ]?(121)(?!\d)", "densenet{}"),
    (r"mobile-?net[-_ ]?v2(?!\d|\.\d)(?! ?(?:[x×] ?(?:0\.\d|1\.[1-9]|[2-9])|\(?(?:0\.\d+|1\.[1-9]\d*|[2-9](?:\.\d+)?) ?[x×)]))",
     "mobilenetv2"),
    (r"efficient-?net[-_ ]?b0\b", "efficientnetb0"),
    (r"shuffle-?net[-_ ]?v2(?:[-_ ]?(?:[x×_] ?1\.0|1\.0 ?[x×]|1x))?(?!\d|\.\d)(?! ?(?:[x×] ?(?:0\.|1\.5|2)|0\.5|1\.5|2\.0))",
     "shufflenetv2x10"),
    (r"googlenet|inception[-_ ]?v1\b", "googlenet"),
    (r"alexnet", "alexnet"),
]
_NET_RE = re.compile("|".join(f"(?P<n{i}>{p})" for i, (p, _) in enumerate(_NETS)))

_SCALE = {"": 1, "k": 10**3, "thousand": 10**3, "m": 10**6, "million": 10**6, "mil": 10**6,
          "b": 10**9, "g": 10**9, "billion": 10**9, "bn": 10**9}
_NUMBER = r"(\d+(?:\.\d+)?)\s?(k|thousand|million|mil|m|billion|bn|b)?"
_PARAMS = re.compile(r"(?:~|≈|about |around |roughly |approximately |nearly |only |just |over |under )?"
                     + _NUMBER + r"\s?(?:learnable |trainable |total )?(?:parameters|params|weights)\b")
_FLOPS = re.compile(r"(?:~|≈|about |around |roughly |approximately |only |just )?" + r"(\d+(?:\.\d+)?)\s?"
                    r"(k|thousand|million|m|billion|b|g|t)?\s?(flops|macs|mult-adds|multiply-adds|multiply-accumulates"
                    r"|madds|mult-add operations)\b")
_COMPARE = re.compile(r"(?:(\d+(?:\.\d+)?)\s?(?:×|x|times)\s)?(fewer|less|more|larger|smaller)\s(?:learnable |trainable )?"
                      r"(?:parameters|params|weights)\s(?:than|compared to|compared with)\s")
_RESOLUTION = re.compile(r"\b(?:at|on|for|with)\s(?:an? )?(\d{2,4})×(\d{2,4})\b|\b(\d{2,4})\s?px\b")
#: words between the network and the number that make the count one of a part ("ResNet-50's fc layer has 2M …")
_PART = re.compile(r"\b(?:layers?|blocks?|stages?|conv\w*|fc|classifier|head|stem|branch\w*|module|backbone|without|"
                   r"except|excluding|per|each|first|last|encoder|decoder|bottleneck)\b")

#: a part of the network named before it: "the first layer of", "the classifier in", "blocks of the"
_PART_OF = re.compile(_PART.pattern + r".*\b(?:of|in|inside|within|from)\s+(?:the\s+|a\s+|an\s+)?$")


def mentions(norm: str) -> list[tuple[int, int, str]]:
    """``(start, end, key)`` of every named network in a normalised sentence.

    >>> mentions("resnet-50 and vgg16 but not wide resnet-50 or mobilenetv2 0.5x")
    [(0, 9, 'resnet50'), (14, 19, 'vgg16')]
    """
    out = []
    for m in _NET_RE.finditer(norm):
        i = int(m.lastgroup[1:])
        template = _NETS[i][1]
        digits = re.search(r"\d+$", re.sub(r"[^\d]", " ", m.group(0)).strip() or "")
        key = template.format(digits.group(0) if digits and "{}" in template else "")
        out.append((m.start(), m.end(), key))
    return out


@lru_cache(maxsize=64)
def _counts(key: str, size: int = 224) -> dict:
    from derive.layers import Linear
    from derive.nets import NETWORKS
    from derive.sizes.network import Network

    net = NETWORKS[key](input_shape=(3, size, size))
    last = net.layers[-1][1]
    while isinstance(last, Network):
        last = last.layers[-1][1]
    backbone = net.params - last.params if isinstance(last, Linear) else None
    return {"name": net.name, "params": int(net.params), "backbone": None if backbone is None else int(backbone),
            "macs": int(net.macs()) if size else None}


def _interval(number: str, unit: str) -> tuple[Fraction, Fraction, Fraction]:
    """The claimed value and the interval its written rounding stands for."""
    scale = _SCALE[unit or ""]
    d = Decimal(number)
    value = Fraction(str(d)) * scale
    exp = d.as_tuple().exponent
    if unit or exp < 0 or len(number) <= 3:
        half = Fraction(1, 2) * Fraction(10) ** exp * scale
    else:  # "61100840" written out: exact
        half = Fraction(0)
    return value, value - half, value + half


def _human(n: int) -> str:
    return f"{n:,} ({n / 1e6:.2f}M)" if n >= 10**5 else f"{n:,}"


@dataclass
class NetCount:
    """"``net`` has ``number unit`` parameters" (``what="params"``) or FLOPs/MACs (``what="flops"``)."""

    net: str
    number: str
    unit: str
    hedged: bool
    what: str = "params"
    flop_word: str = ""
    resolution: int | None = None
    quantity: str = "params"

    def decide(self) -> Outcome:
        return self._params() if self.what == "params" else self._flops()

    def _params(self) -> Outcome:
        c = _counts(self.net)
        value, lo, hi = _interval(self.number, self.unit)
        variants = {"the whole network": c["params"]}
        if c["backbone"]:
            variants["the network without its classifier"] = c["backbone"]
        written = f"{self.number}{self.unit and ' ' + self.unit} parameters"
        where = f"derive.nets: torchvision's {c['name']} has {_human(c['params'])} parameters"
        if c["backbone"]:
            where += f" ({_human(c['backbone'])} without its last fully-connected layer)"
        for label, n in variants.items():
            if lo <= n < hi or lo == hi == n or (self.hedged and abs(n - value) <= HEDGE_TOLERANCE * n):
                return Outcome(Verdict.CORRECT, f"{where}: {written} matches {label} at the sentence's rounding.",
                               expected=str(n))
        if all(abs(n - value) > VARIANT_TOLERANCE * n for n in variants.values()):
            return Outcome(Verdict.INCORRECT, f"{where}, not {written} (more than "
                           f"{int(VARIANT_TOLERANCE * 100)} % off every variant).", expected=str(c["params"]),
                           counterexample={"network": c["name"], "params": c["params"],
                                           "without classifier": c["backbone"], "claimed": float(value)})
        return Outcome(Verdict.UNRECOGNIZED, f"{where}; {written} is off by less than {int(VARIANT_TOLERANCE * 100)} %, "
                       "within what implementations of one architecture differ by.")

    def _flops(self) -> Outcome:
        size = self.resolution or 224
        c = _counts(self.net, size)
        value, lo, hi = _interval(self.number, self.unit if self.unit != "t" else "")
        if self.unit == "t":
            value, lo, hi = value * 10**12, lo * 10**12, hi * 10**12
        macs = c["macs"]
        default = "" if self.resolution else " (at 224×224, the input size the sentence leaves unstated)"
        where = (f"derive.nets: torchvision's {c['name']} at {size}×{size} needs {_human(macs)} multiply-accumulates "
                 f"({_human(2 * macs)} FLOPs counting the multiply and the add){default}")
        written = f"{self.number}{self.unit and ' ' + self.unit} {self.flop_word}"
        for n in (macs, 2 * macs):
            if lo <= n < hi or abs(n - value) <= HEDGE_TOLERANCE * n:
                return Outcome(Verdict.CORRECT, f"{where}: {written} matches.", expected=str(n))
        if all(abs(n - value) > FLOP_TOLERANCE * n for n in (macs, 2 * macs)):
            return Outcome(Verdict.INCORRECT, f"{where}, not {written}.", expected=str(macs),
                           counterexample={"network": c["name"], "input": f"{size}×{size}", "MACs": macs,
                                           "FLOPs": 2 * macs, "claimed": float(value)})
        return Outcome(Verdict.UNRECOGNIZED, f"{where}; {written} is near but not within the rounding of either "
                       "convention (counters differ on what counts).")


@dataclass
class NetComparison:
    """"``a`` has [``times``×] fewer/more parameters than ``b``"."""

    a: str
    b: str
    direction: str  # "fewer" or "more"
    times: str | None
    hedged: bool
    quantity: str = "param_ratio"

    def decide(self) -> Outcome:
        ca, cb = _counts(self.a), _counts(self.b)
        pa, pb = ca["params"], cb["params"]
        text = f"derive.nets: {ca['name']} has {_human(pa)} parameters, {cb['name']} {_human(pb)}"
        holds = pa < pb if self.direction == "fewer" else pa > pb
        if not holds and Fraction(max(pa, pb), min(pa, pb)) < Fraction(5, 4):
            return Outcome(Verdict.UNRECOGNIZED, f"{text}: the counts are within 25 % of each other, closer than "
                           "implementations of one architecture may differ.")
        if not holds:
            return Outcome(Verdict.INCORRECT, f"{text}: {ca['name']} has {'more' if pa > pb else 'fewer'}, "
                           f"not {self.direction}.", counterexample={ca["name"]: pa, cb["name"]: pb})
        if self.times is None:
            return Outcome(Verdict.CORRECT, f"{text}: {self.direction}, as stated.")
        ratio = Fraction(max(pa, pb), min(pa, pb))
        claimed, lo, hi = _interval(self.times, "")
        shown = f"{float(ratio):.2f}×"
        if lo <= ratio < hi or (self.hedged and abs(ratio - claimed) <= Fraction(1, 10) * ratio):
            return Outcome(Verdict.CORRECT, f"{text}: ratio {shown}, {self.times}× as stated.", expected=shown)
        # published ratios use other implementations (and counts without the classifier): every combination of the
        # variants, each within VARIANT_TOLERANCE, bounds what the sentence may mean
        big, small = (ca, cb) if pa > pb else (cb, ca)
        combos = [Fraction(x, y) for x in (big["params"], big["backbone"] or big["params"])
                  for y in (small["params"], small["backbone"] or small["params"])]
        low = min(combos) * (1 - VARIANT_TOLERANCE) / (1 + VARIANT_TOLERANCE)
        high = max(combos) * (1 + VARIANT_TOLERANCE) / (1 - VARIANT_TOLERANCE)
        if claimed < low / Fraction(5, 4) or claimed > high * Fraction(5, 4):
            return Outcome(Verdict.INCORRECT, f"{text}: the ratio is {shown} ({float(min(combos)):.2f}–{float(max(combos)):.2f}× "
                           "with or without the classifiers), not {self.times}×.".replace("{self.times}", self.times), expected=shown,
                           counterexample={ca["name"]: pa, cb["name"]: pb, "ratio": round(float(ratio), 3)})
        return Outcome(Verdict.UNRECOGNIZED, f"{text}: the ratio is {shown}, near {self.times}× but not at its rounding.")


def _clause_of(norm: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``norm[start:end]``: bounded by ``;``, sentence ends and the next network mention."""
    left = max(norm.rfind(";", 0, start), norm.rfind(". ", 0, start))
    right = min([i for i in (norm.find(";", end), norm.find(". ", end)) if i >= 0] or [len(norm)])
    return left + 1, right


_ASIDE = re.compile(r"(?:^|,)\s*(?:just |much )?(like|unlike|as with|as for|similar to)\s+(?:the\s+)?$")


def _subjects(norm: str, found: list, i: int) -> list[str]:
    """Whose count a count after mention ``i`` is: "ResNet-18, like ResNet-50, has N" is a claim about both;
    "ResNet-18, unlike ResNet-50, has N" only about ResNet-18.

    Examples
    --------
    >>> t = "resnet-18, like resnet-50, has 25.6 million parameters"
    >>> _subjects(t, [(0, 9, "a"), (16, 25, "b")], 1)
    ['a', 'b']
    >>> _subjects(t.replace("like", "unlike"), [(0, 9, "a"), (18, 27, "b")], 1)
    ['a']
    """
    key = found[i][2]
    if i == 0:
        return [key]
    aside = _ASIDE.search(norm[found[i - 1][1]:found[i][0]])
    if aside is None:
        return [key]
    earlier = found[i - 1][2]
    return [earlier] if aside.group(1) == "unlike" else list(dict.fromkeys([earlier, key]))


def find(norm: str, section: str | None = None) -> list:
    """Statements about named networks in a normalised sentence (empty when none)."""
    found = mentions(norm)
    if not found:
        return []
    out: list = []
    resolution = None
    r = _RESOLUTION.search(norm)
    if r:
        a, b, c = r.groups()
        if c or a == b:
            resolution = int(c or a)
        else:
            resolution = -1  # a non-square input: not decided
    for i, (start, end, key) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(norm)
        clause_start, clause_end = _clause_of(norm, start, end)
        if _PART_OF.search(norm[clause_start:start]):
            continue  # "the first fully connected layer of VGG-16 has ...": a part, not the network
        _, clause_end = _clause_of(norm, start, end)
        span = norm[end:min(stop, clause_end)]
        cmp = _COMPARE.search(span)
        if cmp and i + 1 < len(found) and found[i + 1][0] == end + cmp.end():
            other = found[i + 1][2]
            if other != key:
                direction = "fewer" if cmp.group(2) in ("fewer", "less", "smaller") else "more"
                out.append(NetComparison(key, other, direction, cmp.group(1), bool(HEDGE.search(span[:cmp.end()]))))
            continue
        if cmp:
            continue
        for m in _PARAMS.finditer(span):
            if m.start() > 60 or _PART.search(span[:m.start()]):
                break
            number, unit = m.group(1), m.group(2) or ""
            if not unit and "." in number:
                continue
            hedged = bool(HEDGE.search(span[max(0, m.start() - 12):m.end()]))
            for subject in _subjects(norm, found, i):
                out.append(NetCount(subject, number, unit, hedged))
            break
        else:
            m = _FLOPS.search(span)
            if m and m.start() <= 60 and resolution != -1 and not _PART.search(span[:m.start()]):
                unit = m.group(2) or ""
                unit = {"g": "b"}.get(unit, unit)
                if unit or "." not in m.group(1):
                    out.append(NetCount(key, m.group(1), unit, bool(HEDGE.search(span[max(0, m.start() - 12):m.end()])),
                                        what="flops", flop_word=m.group(3), resolution=resolution, quantity="macs"))
    return out
