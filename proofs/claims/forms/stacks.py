"""Stacks of layers as prose names them: "three 3×3 convs", "3 layers of 3×3 conv", "one 7×7 layer".

Shared by the receptive-field, parameter and growth forms. Works on text
already passed through :func:`proofs.claims.numbers_words.normalise`.

Examples
--------
>>> [(s.count, s.layer.kernel) for s in find_stacks("3 layers of 3×3 conv vs 1 layer of 7×7")]
[(3, 3), (1, 7)]
>>> [(s.count, s.layer.kernel, s.layer.stride) for s in find_stacks("two stride-2 3×3 convolutions")]
[(2, 3, 2)]
>>> s = find_stacks("stacking 3×3 convs with dilation 2")[0]
>>> s.count is None, s.layer.dilation
(True, 2)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..numbers_words import COUNT, KERNEL, parse_count, parse_number
from ..truth import LayerSpec

__all__ = ["Stack", "find_stacks", "sequence_of", "MAX_LAYERS", "MAX_KERNEL"]

#: bounds on what a sentence may ask for (bounded work per sentence)
MAX_LAYERS = 64
MAX_KERNEL = 512

_ADJ = r"(?:(?:stacked|consecutive|successive|sequential|subsequent|additional|more|standard|regular|plain|ordinary|small|separate|identical)\s+)?"
_PRE = r"(?:(?P<pre>stride[- ]?\d{1,6}|\d{1,6}[- ]strided?|strided|dilated|\d{1,6}-dilated)\s+)?"
_NOUN = (
    r"(?P<noun>(?:(?P<pool>max[- ]?pool\w*|avg[- ]?pool\w*|average[- ]?pool\w*|pool\w*)(?:\s+layers?)?)"
    r"|(?:conv(?:olution(?:al)?)?s?(?:\s+(?:layers?|filters?|kernels?))?)|filters?|kernels?|layers?)\b"
)
_OF = r"(?P<n>" + COUNT + r")\s+" + _ADJ + r"(?:conv(?:olution(?:al)?)?\s+)?(?:layers?|convs?|convolutions?)\s+of\s+(?:a\s+)?(?:(?:size|shape)\s+)?" + _PRE + KERNEL + r"(?:\s+" + _NOUN + r")?"
_BARE = r"(?:(?P<n>" + COUNT + r")\s+)?" + _ADJ + _PRE + KERNEL + r"\s+" + _ADJ + _NOUN
_STACKING = r"(?P<stacking>stack(?:ing|ed|s)?\s+(?:of\s+)?)"
_NUMERAL = r"(?:\d{1,6}|one|two|three|four|five|six|seven|eight|nine|ten|single)"
# "one 5×5", "two 3×3": an explicit count before a kernel is a stack even without a noun
_COUNTED = (r"(?P<c_n>" + _NUMERAL + r")\s+" + KERNEL
            + r"(?!\s*(?:×|region|patch|area|window|view|neighbou?rhood|receptive|rf\b|field|input|image|output|feature|pixels?|grid|matrix|matrices|tensor|block|map))")
_PATTERN = re.compile(r"\b(?:" + _OF.replace("(?P<", "(?P<a_") + r"|" + r"(?:" + _STACKING + r")?" + _BARE + r"|" + _COUNTED + r")")
_STRIDE_AFTER = re.compile(r"^[^.;:]{0,30}?\b(?:with\s+)?(?:a\s+)?stride(?:\s+of|\s*=|\s*:)?\s*[- ]?(\d{1,6})\b|^[^.;:]{0,30}?\b(\d{1,6})[- ]strided?\b")
_LIST = r"(\d{1,3}(?:\s*(?:,\s*and|,|and)\s*\d{1,3})+)"
_DILATION_LIST = re.compile(r"^[^.;:]{0,30}?\b(?:dilations?|dilation rates?|dilation factors?|rates?|dilated by)(?:\s+of)?\s*[:=]?\s*\(?" + _LIST)
_STRIDE_LIST = re.compile(r"^[^.;:]{0,30}?\bstrides?(?:\s+of)?\s*[:=]?\s*\(?" + _LIST)
_DILATION_AFTER = re.compile(r"^[^.;:]{0,30}?\b(?:dilation(?:\s+rate|\s+factor)?(?:\s+of|\s*=|\s*:)?|dilated\s+by|rate)\s*[- ]?(\d{1,6})\b")


@dataclass(frozen=True)
class Stack:
    """``count`` identical layers (``count`` is None when the prose does not say how many)."""

    count: int | None
    layer: LayerSpec
    start: int
    end: int
    stacking: bool = False
    schedule: tuple = ()  # per-layer specs when the prose lists dilations or strides ("dilation 1, 2 and 4")

    def layers(self, count: int | None = None) -> list[LayerSpec]:
        n = self.count if count is None else count
        if n is None:
            raise ValueError("the number of layers is not stated")
        if not 1 <= n <= MAX_LAYERS:
            raise ValueError(f"{n} layers is outside 1..{MAX_LAYERS}")
        if self.schedule:
            if n != len(self.schedule):
                raise ValueError(f"{n} layers but {len(self.schedule)} per-layer values are listed")
            return list(self.schedule)
        return [self.layer] * n

    def describe(self) -> str:
        n = "" if self.count is None else f"{self.count} × "
        if self.schedule:
            return n + f"{self.layer.kernel}×{self.layer.kernel} {self.layer.kind.replace('_', ' ')} (" + "; ".join(
                f"stride {x.stride}, dilation {x.dilation}" for x in self.schedule) + ")"
        return n + self.layer.describe()


def _kind(pool: str | None) -> str:
    if not pool:
        return "conv"
    return "max_pool" if pool.startswith("max") else ("avg_pool" if pool.startswith(("avg", "average")) else "max_pool")


def find_stacks(norm: str) -> list[Stack]:
    """Every stack of identical layers the (normalised) text names, in order.

    Raises
    ------
    ValueError
        if a kernel size or a count exceeds its bound, or a kernel is not square.
    """
    out: list[Stack] = []
    for m in _PATTERN.finditer(norm):
        g = {k[2:] if k[:2] in ("a_", "c_") else k: v for k, v in m.groupdict().items() if v is not None}
        kernels = [v for v in m.groups() if v is not None and re.fullmatch(r"\d{1,6}", v)]
        # the kernel is the first two digit groups of KERNEL in the match
        km = re.search(KERNEL, m.group(0))
        k1, k2 = parse_number(km.group(1)), parse_number(km.group(2))
        del kernels
        if k1 != k2:
            continue  # rectangular kernels are not claims about one receptive-field size
        if not 1 <= k1 <= MAX_KERNEL:
            raise ValueError(f"kernel size {k1} is outside 1..{MAX_KERNEL}")
        count = parse_count(g["n"]) if "n" in g else None
        if count is not None and count > MAX_LAYERS:
            raise ValueError(f"{count} layers exceeds the bound {MAX_LAYERS}")
        noun = g.get("noun", "")
        if count is None and noun and not noun.endswith("s") and "stacking" not in g:
            count = 1 if not re.search(r"\b(convs|convolutions|layers|filters|kernels)\b", noun) else None
        kind = _kind(g.get("pool"))
        stride, dilation = (k1 if kind != "conv" else 1), 1  # pooling: stride = window, as torch.nn.MaxPool2d
        pre = g.get("pre", "")
        if pre:
            digits = re.search(r"\d{1,6}", pre)
            if "dilat" in pre:
                dilation = parse_number(digits.group(0)) if digits else 0
            elif digits:
                stride = parse_number(digits.group(0))
            else:
                stride = 0  # "strided" without a number
        after = norm[m.end(): m.end() + 60]
        following = re.search(r"(?<![\d×])\d{1,6}×\d{1,6}", after)
        if following:  # "a 5×5 conv on top of a 3×3 conv with stride 2": the stride is the next layer's
            after = after[:following.start()]
        sm = _STRIDE_AFTER.search(after)
        if sm:
            stride = parse_number(sm.group(1) or sm.group(2))
        dm = _DILATION_AFTER.search(after)
        if dm:
            dilation = parse_number(dm.group(1))
        if stride > MAX_KERNEL or dilation > MAX_KERNEL:
            raise ValueError(f"stride {stride} or dilation {dilation} exceeds the bound {MAX_KERNEL}")
        chosen = _SELECTED.search(norm[m.end(): m.end() + 90])
        if chosen:  # "the second and the fourth with stride 2": only those layers; the others keep the default
            if sm and sm.start(1 if sm.group(1) else 2) >= chosen.start("which"):
                stride = k1 if kind != "conv" else 1
            if dm and dm.start(1) >= chosen.start("which"):
                dilation = 1
        layer = LayerSpec(kind, k1, stride=stride, dilation=dilation)
        if chosen:
            schedule = _selected_schedule(chosen, layer, count)
        else:
            schedule = _schedule(after, layer) or _schedule_before(norm[max(0, m.start() - 60): m.start()], layer)
        if schedule and count is None:
            count = len(schedule)
        out.append(Stack(count, layer, m.start(), m.end(), stacking="stacking" in g, schedule=schedule))
    return out


def _schedule(after: str, layer: LayerSpec) -> tuple:
    """Per-layer specs when the text after a stack lists dilations or strides ("with dilation 1, 2 and 4")."""
    dl, sl = _DILATION_LIST.search(after), _STRIDE_LIST.search(after)
    if not dl and not sl:
        return ()
    values = {name: [parse_number(v) for v in re.findall(r"\d{1,3}", m.group(1))] for name, m in (("dilation", dl), ("stride", sl)) if m}
    n = max(len(v) for v in values.values())
    if any(len(v) != n for v in values.values()) or n > MAX_LAYERS or any(x < 1 or x > MAX_KERNEL for v in values.values() for x in v):
        raise ValueError("the listed per-layer dilations or strides do not match each other or exceed their bounds")
    return tuple(LayerSpec(layer.kind, layer.kernel, stride=values.get("stride", [layer.stride] * n)[i],
                           dilation=values.get("dilation", [layer.dilation] * n)[i]) for i in range(n))


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
             "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "ninth": 9, "tenth": 10,
             "last": -1, "final": -1}
_ORD = r"(?:" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")"
_SELECTED = re.compile(r"^[^.;:]{0,8}?\b(?:but |except |where |with |and )?(?:only )?(?P<which>(?:the )?" + _ORD
                       + r"(?:\s*(?:,\s*and|,|and)\s*(?:the )?" + _ORD + r")*)\s+(?:(?:one|ones|layers?|convs?|convolutions?)\s+)?"
                       r"(?:with|having|has|have|uses?|using|at)\s+(?:a\s+)?(?P<what>stride|dilation)(?:\s+of|\s*=)?\s*[- ]?(?P<v>\d{1,3})\b")


def _selected_schedule(m: re.Match, layer: LayerSpec, count: int | None) -> tuple:
    """Per-layer specs for "the second and the fourth with stride 2": those layers get the value, the others
    ``layer``'s (the stated or usual default: stride 1, dilation 1)."""
    if count is None:
        raise ValueError("layers are chosen by position but the number of layers is not stated")
    picks = {_ORDINALS[w] for w in re.findall(_ORD, m.group("which"))}
    picks = {count if p == -1 else p for p in picks}
    if not picks or max(picks) > count:
        raise ValueError(f"layer {max(picks)} of a stack of {count} is named")
    value = parse_number(m.group("v"))
    if not 1 <= value <= MAX_KERNEL:
        raise ValueError(f"{m.group('what')} {value} is outside 1..{MAX_KERNEL}")
    key = m.group("what")
    return tuple(LayerSpec(layer.kind, layer.kernel,
                           stride=value if key == "stride" and i in picks else layer.stride,
                           dilation=value if key == "dilation" and i in picks else layer.dilation)
                 for i in range(1, count + 1))


_LIST_BEFORE = re.compile(r"\b(?:dilations?|dilation rates?|dilation factors?|rates?|dilated by|strides?)(?:\s+of)?\s*[:=]?\s*\(?"
                          + _LIST + r"\)?\s*,?\s*(?:the\s+)?$")


def _schedule_before(before: str, layer: LayerSpec) -> tuple:
    """"With dilation rates 1, 2, 4, 8, four 3×3 layers …": a list just before the stack."""
    m = _LIST_BEFORE.search(before)
    return _schedule(m.group(0), layer) if m else ()


_SEQUENCE = re.compile(r"^\s*(?:,\s*)?(?:(?:and\s+)?(?:then|followed by|on top of|after|before|into|feeding)|→|->|\+|,|and|then)\s*(?:by\s+)?(?:a\s+|an\s+|one\s+)?$")


def sequence_of(norm: str, stacks: list[Stack]) -> bool:
    """True when consecutive stacks are joined as one network ("a 3×3 conv followed by a 2×2 max pool").

    Examples
    --------
    >>> from proofs.claims.numbers_words import normalise
    >>> t = normalise("a 3×3 conv followed by a 2×2 max pool")
    >>> sequence_of(t, find_stacks(t))
    True
    >>> t = normalise("two 3×3 convs vs one 5×5 conv")
    >>> sequence_of(t, find_stacks(t))
    False
    """
    return len(stacks) >= 2 and all(_SEQUENCE.match(norm[a.end: b.start]) for a, b in zip(stacks, stacks[1:]))
