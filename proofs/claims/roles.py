"""Every value a sentence gives a layer role, and whether a reading of the sentence used them all.

The claim forms read a sentence with patterns built for the wording they know; on a sentence worded
otherwise a form can read *part* of the configuration and fill the rest with defaults ("slides with
``stride=2`` … gives a 2×2 output" read at stride 1) or from the sentences before ("each of the 96
filters is 11×11×3" read with the 1×1 kernel of the previous sentence). Such a reading must not yield a
verdict. This module reads the sentence a second way — by *roles*: every number attached to a role word
(stride, kernel/filter/window size, padding, dilation), wherever it stands and in whatever order — and
:func:`unused_roles` says which stated values a statement's configuration does not contain.

Values are collected with every occurrence (a sentence naming a 3×3 conv and a 2×2 pool states the
window sizes {3, 2}); a value of the sentence that the statement does not use is a sign that the
statement is about something else than what the sentence says.

Works on text from :func:`proofs.claims.numbers_words.normalise`.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> stated_roles(normalise("The window slides with `stride=2` over a `6x6` input with a `3x3` kernel."))
{'stride': {2}, 'kernel': {3}}
>>> stated_roles(normalise("convolutions with 3×3 kernels and 2×2 max pooling with a stride of 2"))
{'stride': {2}, 'kernel': {2, 3}}
>>> stated_roles(normalise("each of the 96 filters is 11×11×3, with padding of 1"))
{'padding': {1}, 'kernel': {11}}
"""

from __future__ import annotations

import dataclasses
import re

from .clauses import clause_spans

__all__ = ["shapes_as_sizes", "stated_roles", "stated_channels", "sized_roles", "used_roles", "unused_roles", "ROLES", "KERNEL_SPANS"]

#: the roles compared (attribute names of the claim forms' statements and readings); ``size`` is the input's side
ROLES = ("stride", "padding", "dilation", "kernel", "size")

_N = r"(\d{1,3})"
_EQ = r"(?:\s+of\s+|\s*[=:]\s*|\s+is\s+|\s+equal to\s+|\s+set to\s+|\s+)\(?"
_LAYER_WORD = (r"(?:conv(?!olved\b|olving\b)\w*|kernels?|filters?|windows?|max[- ]?pool\w*|avg[- ]?pool\w*|average[- ]?pool\w*|mean[- ]?pool\w*|"
               r"pool\w*|stems?|layers?)")
#: TensorFlow's per-dimension list of four (NHWC [1, s, s, 1] or NCHW [1, 1, s, s]): the spatial value, both dimensions equal
_NHWC = r"[\[(]\s*1\s*,\s*(?:1\s*,\s*)?" + _N + r"\s*,\s*\1\s*(?:,\s*1\s*)?[\])]"
_PATTERNS = {
    "stride": [
        re.compile(r"(?<!effective )(?<!total )(?<!overall )(?<!output )(?<!cumulative )(?<!combined )\bstrides?" + _EQ + _N + r"\b(?!\s*(?:×|%|pixels? (?:wide|tall)))"),
        re.compile(r"\bstride[- ]" + _N + r"\b"),
        re.compile(r"\bstrides?\s*[=:]\s*" + _NHWC),
        re.compile(r"(?<![×\d])\b" + _N + r"[- ]strided?\b"),
        re.compile(r"\bstep(?: size)?" + _EQ + _N + r"\b(?!\s*×)"),
        re.compile(r"\bmov(?:es|ed|ing) (?:by )?" + _N + r" (?:pixels?|steps?|positions?)(?: at a time)?"),
        re.compile(r"\bskip(?:s|ping)? (?:every )?" + _N + r"\b"),
    ],
    "padding": [
        re.compile(r"\bpad(?:ding)?(?:_?size)?" + _EQ + _N + r"\b(?!\s*×)"),
        re.compile(r"\b" + _N + r" (?:pixels? |rows? (?:and columns? )?|zeros? |cells? )?(?:of )?(?:zero[- ])?padding\b"),
        re.compile(r"\bpad(?:s|ded)? (?:it |the input |each side |each border |both sides )?(?:by|with) " + _N + r"\b(?!\s*×)"),
        re.compile(r"\bpad(?:s|ded|ding)? (?:[a-z]+ ){0,3}?(?:by |with )?" + _N + r" (?:pixels?|zeros?|rows?|cells?|columns?)\b(?! wide| tall| high| across)"),
        re.compile(r"\bzero[- ]pad(?:ded|ding|s)? (?:of |by |with )?" + _N + r"\b(?!\s*×)"),
        re.compile(r"\b(?:no|without|without any) (?:zero[- ])?(?:padding|pad)()\b|(?:\bunpadded|'?\bvalid'? padding|\bpadding\s*=\s*'?valid\b)()"),
    ],
    "dilation": [
        re.compile(r"\bdilation(?:[ _]rate| factor)?" + _EQ + _N + r"\b(?!\s*×)"),
        re.compile(r"\bdilated by (?:a factor of )?" + _N + r"\b"),
        re.compile(r"\b" + _N + r"-dilated\b"),
    ],
    "kernel": [
        re.compile(r"\b(?:ksize|pool_size|window_shape)\s*[=:]\s*" + _NHWC),
        re.compile(r"\bconv(?:olution)?[123]d\(\s*(?:in_channels\s*=\s*)?\d{1,5}\s*,\s*(?:out_channels\s*=\s*)?\d{1,5}\s*,\s*(?:kernel_size\s*=\s*)?" + _N + r"\b(?!\s*,\s*\d)"),
        re.compile(r"(?<![\d×.])" + _N + r"×\1(?:×\d{1,5})?(?![\d×])(?:[- ](?:sized?|wide|large))?\s+(?:[\w'-]+\s+){0,2}?" + _LAYER_WORD + r"\b"),
        re.compile(r"\b(?:(?:kernel|filter|window)s?|(?:kernel|filter|window|pool|patch)[ _](?:size|shape|width)s?)" + _EQ + r"(?:of (?:size |shape )?)?" + _N + r"(?:×\1)?(?![\d×])"),
        re.compile(r"\b(?:kernels?|filters?|windows?|patch(?:es)?|pooling|receptive fields?) (?:of|with) (?:a )?(?:size|shape|width|spatial size|spatial extent) (?:of )?" + _N + r"(?:×\1)?(?![\d×])"),
        re.compile(r"\b(?:kernels?|filters?|windows?|patch(?:es)?)\s+(?:(?!inputs?\b|images?\b|outputs?\b|maps?\b|volumes?\b|tensors?\b)\w+\s+){0,5}?(?:is|are|of) (?:a |an |size |shape )?" + _N + r"×\1(?:×\d{1,5})?(?![\d×])"),
        re.compile(r"\b" + _N + r"[- ](?:wide|tap|pixel|point) (?:kernels?|filters?|windows?)\b"),
        re.compile(r"\b(?:kernels?|filters?|windows?) (?:has|have|with|of) (?:a )?(?:width|size|side|extent) (?:of )?" + _N + r"\b(?![×\d])"),
    ],
}


#: the patterns of every role value (its number is the last group), for readers that must skip those numbers
KERNEL_SPANS = tuple(p for patterns in _PATTERNS.values() for p in patterns)

#: the other term of a comparison ("than at stride 1", "unlike a 5×5 conv,"): values of another configuration
_COMPARAND = re.compile(r"\b(?:than|instead of|compared (?:to|with)|unlike|versus|vs\.?|as (?:at|with|for|in|on)|as (?:many|much|few|little|large|big) as|rather than|whereas|"
                        r"in place of|replac(?:es|ing|ed)|equivalent to|same as|(?:just |exactly |much )?like|as does|as do)\b[^,;:()]*")


#: words before a square size that make it the region a unit sees (the claim), not a layer's window
_SEEN = re.compile(r"\b(?:sees?|seeing|covers?|covering|spans?|spanning|views?|looks? at|receptive fields?|rf|depends? on|depending on"
                   r"|(?:is |are )?a function of|(?:is |are )?(?:connected to|influenced by|affected by))\b[^,;]*$")


def stated_roles(norm: str) -> dict[str, set[int]]:
    """Every value the sentence attaches to a role word, per role (roles without a value left out).

    Examples
    --------
    >>> stated_roles("a 7×7 conv with stride 2 and padding 3, then a 3×3 max pool with stride 2")
    {'stride': {2}, 'padding': {3}, 'kernel': {3, 7}}
    >>> stated_roles("the filter is 5×5 and we pad by 2; the dilation rate is 2")
    {'padding': {2}, 'dilation': {2}, 'kernel': {5}}
    >>> stated_roles("a 3×3 conv with stride 2 has the receptive field of one at stride 1")
    {'stride': {1, 2}, 'kernel': {3}}
    >>> stated_roles("two 3×3 convs with stride 2 see 5 pixels, the same as at stride 1")
    {'stride': {2}, 'kernel': {3}}
    >>> stated_roles("five stride-2 layers have an effective stride of 32; 7×7 stride-2 stem; pool5 units")
    {'stride': {2}, 'kernel': {7}}
    >>> stated_roles("three stacked 5×5 convs see a 15×15 window of the input")
    {'kernel': {5}}
    >>> stated_roles("a 5×5 filter with no padding; an unpadded 3×3 conv")
    {'padding': {0}, 'kernel': {3, 5}}
    >>> stated_roles("our input is 32×32, the filter size is 5×5")
    {'kernel': {5}}
    >>> stated_roles("ten 3×3 filters on an input of shape 24×24×3")
    {'kernel': {3}}
    >>> stated_roles("tf.nn.max_pool(x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding='same')")
    {'stride': {2}, 'kernel': {3}}
    >>> stated_roles("the weather is nice")
    {}
    """
    out: dict[str, set[int]] = {}
    norm = _COMPARAND.sub(" ", norm)
    for role, patterns in _PATTERNS.items():
        for pattern in patterns:
            for m in pattern.finditer(norm):
                if m.lastindex is None or not m.group(m.lastindex):  # "no padding", "unpadded": none, 0
                    out.setdefault(role, set()).add(0)
                    continue
                if role == "kernel" and _SEEN.search(norm[max(0, m.start() - 40):m.start()]):
                    continue  # "sees a 7×7 window": the region claimed, not a kernel
                out.setdefault(role, set()).add(int(m.group(m.lastindex)))
    return out


#: a spatial size: "7×7", "[224×224×64]", "(32, 32)" is not read; "32 pixels wide"
_SIZE = re.compile(r"\[?(?<![\d×.])(\d{1,4})×\1(?:×\d{1,5})?(?![\d×])\]?|\b(\d{1,4}) ?(?:pixels?|px)(?: wide| across| tall| high)?\b"
                   r"|\b(?:height|width|side length)(?: of|\s*=|:)?\s*(\d{1,4})\b(?![×.]\d)")
_INPUT_BEFORE = re.compile(r"\b(?:inputs?|images?|pictures?|from|on|over|to an?|applied to|takes?|feed(?:ing)?|given)\b(?:\s+(?:volume|map|tensor|image|is|of|size|shape|width|has|a|an|the|with|spatial))*\s*\[?$")
_INPUT_AFTER = re.compile(r"^\]?\s*(?:rgb |colou?r |grayscale |greyscale |input )?(?:inputs?|images?|pictures?|input volume)\b")
_OUTPUT_BEFORE = re.compile(r"\b(?:outputs?|results?|gives?|giving|yields?|yielding|produces?|producing|gets?|get|into|becomes?|becoming|returns?|"
                            r"leaves?|leaving|creates?|creating|down to|reduces? (?:it )?to|shrinks? (?:it )?to|end up with|obtain|"
                            r"is reduced to|are reduced to|remains?|stays?)\b(?:\s+(?:volume|map|tensor|is|of|size|shape|width|has|a|an|the|will be|would be|be|an? output|spatial|feature))*\s*\[?$")
_OUTPUT_AFTER = re.compile(r"^\]?\s*(?:outputs?|output volume|output map|results?)\b")


#: a tensor shape written as a tuple or list of 3 or 4 entries after "shape"/"size" (batch and channels may be letters)
_SHAPE = re.compile(r"(?:(?<=shape )|(?<=size ))[\[(](\w{1,6})\s*,\s*(\w{1,6})\s*,\s*(\w{1,6})(?:\s*,\s*(\w{1,6}))?[\])]")


def shapes_as_sizes(norm: str) -> str:
    """``norm`` with every tensor shape whose spatial side is certain written ``S×S``.

    The layout is not guessed: the batch (first of four) left out, of HWC/CHW the spatial pair must be the
    one square pair of the shape; a shape with two square readings of different sides or none ((2, 3, 4, 5))
    is left as written, and so is a weight tensor's shape (its layouts differ).

    >>> shapes_as_sizes("an input of shape [1, 5, 5, 1] gives an output of shape (n, 16, 15, 15)")
    'an input of shape 5×5 gives an output of shape 15×15'
    >>> shapes_as_sizes("a tensor of shape (2, 3, 4, 5) and a filter of shape [3, 3, 1, 1]")
    'a tensor of shape (2, 3, 4, 5) and a filter of shape [3, 3, 1, 1]'
    """
    def side(m: re.Match) -> str:
        if re.search(r"\b(?:filters?|kernels?|weights?)\b[^,;]*$", norm[max(0, m.start() - 30):m.start()]):
            return m.group(0)  # a weight tensor (HWIO, OIHW): no batch to drop, another layout
        parts = [g for g in m.groups() if g is not None]
        lead = parts[1:] if len(parts) == 4 else parts  # the batch left out
        readings = {a for a, b in ((lead[0], lead[1]), (lead[1], lead[2])) if a == b}
        if len(readings) != 1 or not next(iter(readings)).isdigit():
            return m.group(0)
        n = int(next(iter(readings)))
        return f"{n}×{n}"
    return _SHAPE.sub(side, norm)


def sized_roles(norm: str) -> tuple[list[int], list[int], int]:
    """``(inputs, outputs, unassigned)``: the sizes next to an input word, next to an output word, and how many
    sizes neither (the values of a role — a window size, "2 pixels of padding" — are not sizes here).

    Examples
    --------
    >>> sized_roles("for a 7×7 input and a 3×3 filter we would get a 5×5 output")
    ([7], [5], 0)
    >>> sized_roles("if the input is 32 pixels wide and the filter 5 wide, the output is 28 pixels wide")
    ([32], [28], 0)
    >>> sized_roles("an input of height 5 gives an output of height 3")
    ([5], [3], 0)
    >>> sized_roles("a 3×3 window moves over 9×9 and 4×4")
    ([9], [], 1)
    """
    kernels = [m.span(m.lastindex) for pattern in KERNEL_SPANS for m in pattern.finditer(norm) if m.lastindex and m.group(m.lastindex)]
    inputs, outputs, other = [], [], 0
    for m in _SIZE.finditer(norm):
        g = next(i for i in (1, 2, 3) if m.group(i))
        start = m.start(g)
        if any(a <= start < b for a, b in kernels):
            continue
        if re.search(r"\b(?:kernel|filter|window|stride|padding|pad|dilation)(?:[ _](?:size|width|shape))?(?: of| =| is)?\s*$", norm[:m.start()]):
            continue
        side = int(m.group(g))
        before, after = norm[max(0, m.start() - 60):m.start()], norm[m.end():m.end() + 30]
        is_in = bool(_INPUT_BEFORE.search(before) or _INPUT_AFTER.match(after))
        is_out = bool(_OUTPUT_BEFORE.search(before) or _OUTPUT_AFTER.match(after))
        if is_out and not is_in:
            outputs.append(side)
        elif is_in and not is_out:
            inputs.append(side)
        else:
            other += 1
    return inputs, outputs, other


_MAPS = r"(?:channels?|feature maps?|maps|planes|filters|kernels)"
#: channel counts by role: (pattern, which groups are c_in / c_out)
_CHANNEL_ROLES = (
    (re.compile(r"\b(\d{1,5}) (?:input|incoming|in) " + _MAPS + r"\b"), "in"),
    (re.compile(r"\b(\d{1,5}) (?:output|outgoing|out) " + _MAPS + r"\b"), "out"),
    (re.compile(r"\b(\d{1,5}) (?:input )?" + _MAPS + r" (?:\w+ ){0,2}?(?:to|into|onto|→) (\d{1,5})(?: output)?(?: " + _MAPS + r")?\b"), "both"),
    (re.compile(r"\bfrom (\d{1,5}) (?:to|into) (\d{1,5}) " + _MAPS + r"\b"), "both"),
    (re.compile(r"(?<![\d×])(\d{1,4})×\1×(\d{1,5})(?![\d×])\]?\s+(?:input|volume|image|picture|tensor|feature map|activation)"), "depth"),
    (re.compile(r"\b(\d{1,5}) (?:(?:\d{1,3})×\d{1,3}(?:×\d{1,5})? )?(?:filters|kernels)\b"), "out"),
    (re.compile(r"\b(?:input|volume|image|picture|tensor)s?\b(?:\s+(?:of|with|has|is|shape|size|dimensions?|a|an|the))*\s+\[?(\d{1,4})×\1×(\d{1,5})(?![\d×])"), "depth"),
)


def stated_channels(norm: str) -> dict[str, set[int]]:
    """The input and output channel counts a text states, by role (``c_in``, ``c_out``), every occurrence.

    Examples
    --------
    >>> stated_channels("a 3×3 conv layer mapping 64 channels to 128 channels")
    {'c_in': {64}, 'c_out': {128}}
    >>> stated_channels("32 filters on a 28×28×3 input")
    {'c_in': {3}, 'c_out': {32}}
    >>> stated_channels("ten filters on an input of shape 24×24×3".replace("ten", "10"))
    {'c_out': {10}, 'c_in': {3}}
    >>> stated_channels("with 16 input channels and 8 output channels")
    {'c_in': {16}, 'c_out': {8}}
    """
    out: dict[str, set[int]] = {}
    for pattern, role in _CHANNEL_ROLES:
        for m in pattern.finditer(norm):
            if role == "both":
                out.setdefault("c_in", set()).add(int(m.group(1)))
                out.setdefault("c_out", set()).add(int(m.group(2)))
            elif role == "depth":
                out.setdefault("c_in", set()).add(int(m.group(2)))
            else:
                out.setdefault("c_" + role, set()).add(int(m.group(1)))
    return out


def used_roles(statement, depth: int = 4) -> dict[str, set[int]]:
    """The role values a statement's configuration holds, gathered from its fields (recursively).

    Padding names are read as numbers where they are one ("none"/"valid" → 0); "same" and other
    names are left out (they stand for a value that depends on the kernel).

    Examples
    --------
    >>> from proofs.claims.truth import LayerSpec
    >>> used_roles((LayerSpec("conv", 3, stride=2), LayerSpec("max_pool", 2, stride=2)))
    {'kernel': {2, 3}, 'stride': {2}, 'dilation': {1}}
    """
    out: dict[str, set[int]] = {}
    _collect(statement, out, depth)
    own = getattr(statement, "size", None)
    if dataclasses.is_dataclass(statement) and isinstance(own, int) and not isinstance(own, bool):
        out["size"] = {own}  # the statement's own input size is the one it computes with, not its reading's
    return out


def _collect(obj, out: dict, depth: int) -> None:
    if depth < 0 or obj is None or isinstance(obj, (str, int, float, bool)):
        return
    if isinstance(obj, (tuple, list, set, frozenset)):
        for item in list(obj)[:64]:
            _collect(item, out, depth - 1)
        return
    if not dataclasses.is_dataclass(obj):
        if hasattr(obj, "__dict__") and depth > 0:
            for name, value in list(vars(obj).items())[:64]:
                _field(name, value, out, depth)
        return
    for f in dataclasses.fields(obj):
        _field(f.name, getattr(obj, f.name, None), out, depth)


def _field(name: str, value, out: dict, depth: int) -> None:
    role = name if name in ROLES else ("padding" if name in ("paddings", "pad") else
                                       "stride" if name == "strides" else None)
    if role is not None:
        for v in value if isinstance(value, (tuple, list, set, frozenset)) else (value,):
            number = _as_number(role, v)
            if number is not None:
                out.setdefault(role, set()).add(number)
        return
    _collect(value, out, depth - 1)


def _as_number(role: str, value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if role == "padding" and isinstance(value, str) and value.lower() in ("none", "valid", "no", "0"):
        return 0
    return None


#: values a statement may hold implicitly: the 1×1 layer of a bottleneck or separable block is part of its form
_IMPLIED = {"kernel": {1}}


def unused_roles(norm: str, statement) -> list[str]:
    """The values the sentence states for a role that the statement's configuration does not use.

    Only roles the statement has values for are compared (a receptive-field statement that holds no
    padding says nothing about the sentence's padding). Each item reads ``"stride 2 (the reading used
    1)"``.

    Examples
    --------
    >>> from proofs.claims.truth import LayerSpec
    >>> unused_roles("with stride=2 over a 6×6 input with a 3×3 kernel", (LayerSpec("conv", 3),))
    ['stride 2 (the reading used 1)']
    >>> unused_roles("a 3×3 kernel with stride 2", (LayerSpec("conv", 3, stride=2),))
    []
    >>> unused_roles("a 1×1 conv before a 3×3 conv", (LayerSpec("conv", 3),))
    []
    >>> unused_roles("one 5×5 conv costs more, but three 3×3 convs see 7×7", (LayerSpec("conv", 3),))
    []
    >>> from proofs.claims.layer_reading import LayerReading
    >>> unused_roles("our input is 32×32, the filter size is 5×5", LayerReading(kernel=5, size=5))
    ['size 32 (the reading used 5)']
    """
    used = used_roles(statement)
    spans = clause_spans(norm)
    if len(spans) > 1:  # a sentence of several claims: the statement's own clause is one that fits it
        for a, b in spans:
            here = _with_input(norm[a:b], stated_roles(norm[a:b]))
            mentions = any(here.get(role, set()) & used.get(role, set()) for role in ROLES)
            if mentions and not _unused(here, used):
                return []
    return _unused(_with_input(norm, stated_roles(norm)), used)


def _with_input(norm: str, stated: dict) -> dict:
    """The stated roles with the input sizes the text names (:func:`sized_roles`) as ``size``."""
    inputs = sized_roles(_COMPARAND.sub(" ", norm))[0]
    return {**stated, "size": set(inputs)} if inputs else stated


def _unused(stated: dict, used: dict) -> list[str]:
    out = []
    for role in ROLES:
        if role not in stated or role not in used:
            continue
        missing = sorted(stated[role] - used[role] - _IMPLIED.get(role, set()))
        if missing:
            shown = ", ".join(map(str, missing))
            out.append(f"{role} {shown} (the reading used {', '.join(map(str, sorted(used[role])))})")
    return out
