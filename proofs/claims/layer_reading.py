"""A description of ONE layer read from prose: kind, kernel, channels, input size, stride, padding, bias, dtype.

A sentence and the sentences before it describe a layer piece by piece ("Consider a padded 3×3
convolution from 64 to 64 channels on a 56×56 feature map. It costs … multiply-adds."). :func:`read_layer`
reads what one text states (each attribute None when not stated); :meth:`LayerReading.merged` fills what a
sentence leaves out from its context, and records which attributes came from where, so that a finding can
say so. Arithmetic written in the sentence ("56 × 56 × 64 × 9 = …") is the author's computation, not a
description: it is blanked before reading (:func:`strip_arithmetic`).

Works on text already passed through :func:`proofs.claims.numbers_words.normalise`; number words
("sixty-four", "two hundred and twenty-four") are turned into digits here (:func:`spell_digits`).

Examples
--------
>>> r = read_layer(prepare("a padded 3×3 convolution from 64 to 128 channels on a 56×56 feature map"))
>>> r.kind, r.kernel, r.c_in, r.c_out, r.size, r.padding
('conv', 3, 64, 128, 56, 'same')
>>> r = read_layer(prepare("a conv layer with sixty-four 3×3 filters on an rgb input, biases included"))
>>> r.c_in, r.c_out, r.bias
(3, 64, True)
>>> read_layer(prepare("a fully connected layer from 7×7×512 inputs to 4096 units")).c_in
25088
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace

from .roles import stated_channels, stated_roles

__all__ = ["LayerReading", "read_layer", "prepare", "spell_digits", "strip_arithmetic", "DTYPE_BYTES", "DILATION"]

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD = r"(?:" + "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True)) + r")"
_SMALL = _WORD + r"(?:[- ]" + _WORD + r")?"
_NUMBER_PHRASE = re.compile(r"\b(" + _SMALL + r")(?:[- ]hundred(?:(?:[- ]and)?[- ](" + _SMALL + r"))?)?\b")

#: bytes per element of the number formats prose names
DTYPE_BYTES = {"float32": 4, "fp32": 4, "single precision": 4, "float16": 2, "fp16": 2, "half precision": 2,
               "bfloat16": 2, "bf16": 2, "float64": 8, "double precision": 8, "int8": 1, "uint8": 1,
               "32-bit float": 4, "32-bit floats": 4, "16-bit float": 2, "16-bit floats": 2, "64-bit float": 8, "64-bit floats": 8,
               "8-bit integer": 1, "8-bit integers": 1, "half-precision": 2, "single-precision": 4, "double-precision": 8}


#: "12 thousand 800" (from "twelve thousand eight hundred"): one exact number; "240 thousand" alone stays a rounding
_THOUSANDS = re.compile(r"\b(\d{1,3}) thousand(?: and)? (\d{1,3})\b(?![.,]\d)")


def _small(text: str) -> int:
    parts = re.split(r"[- ]", text)
    return sum(_UNITS.get(p, _TENS.get(p, 0)) for p in parts)


def spell_digits(norm: str) -> str:
    """Number words as digits: "sixty-four" → 64, "two hundred and twenty-four" → 224, "seven" → 7.

    "zero" stays a word ("zero padding" is a kind of padding, not a count).

    Examples
    --------
    >>> spell_digits("a seven by seven kernel maps two-hundred-and-twenty-four pixels to one hundred and twelve")
    'a 7×7 kernel maps 224 pixels to 112'
    >>> spell_digits("sixty-four 3×3 filters")
    '64 3×3 filters'
    >>> spell_digits("twelve thousand eight hundred weights, about eleven point seven million in all")
    '12800 weights, about 11.7 million in all'
    """
    def repl(m: re.Match) -> str:
        head = _small(m.group(1))
        if "hundred" in m.group(0):
            return str(head * 100 + (_small(m.group(2)) if m.group(2) else 0))
        return str(head)

    out = _NUMBER_PHRASE.sub(repl, norm)
    out = re.sub(r"\b(\d{1,3}) point (\d{1,3})\b(?= (?:thousand|million|billion)\b)", r"\1.\2", out)
    out = _THOUSANDS.sub(lambda m: str(int(m.group(1)) * 1000 + int(m.group(2))), out)
    return re.sub(r"(\d)\s*(?:×|x|\s+by\s+|-by-)\s*(?=\d)", r"\1×", out)


#: "56×56×64×9 ≈ 1.8", "73728 + 64 = 73792", "2·13 + 1 = 27": an expression of numbers, then = or ≈, then a number
_ARITH = re.compile(r"(?<![\w.])(\(?\d[\d.]*\)?(?:\s*[×·*+\-/^]\s*\(?\d[\d.]*\)?)+)\s*(=|≈|~)\s*(?=\d)")


def strip_arithmetic(norm: str) -> str:
    """The sentence with its written computations blanked, their results kept.

    Examples
    --------
    >>> strip_arithmetic("it costs 56×56×64×9 ≈ 1.8 million macs")
    'it costs ≈ 1.8 million macs'
    >>> strip_arithmetic("the layer has 73728 + 64 = 73792 parameters")
    'the layer has = 73792 parameters'
    """
    return _ARITH.sub(lambda m: m.group(2) + " ", norm)


def prepare(norm: str) -> str:
    """Digits for number words, computations blanked: the text :func:`read_layer` reads."""
    return strip_arithmetic(spell_digits(norm))


@dataclass(frozen=True)
class LayerReading:
    """What a text states about one layer; None where it says nothing.

    ``padding`` is an int (per side), ``"same"`` or None; ``bias`` True/False/None; ``size`` is the input's
    spatial side (square), ``out_size`` a stated output side; ``dtype_bytes`` the element size;
    ``origin`` maps an attribute to ``"context"`` when :meth:`merged` took it from the sentences before.
    """

    kind: str | None = None
    kernel: int | None = None
    c_in: int | None = None
    c_out: int | None = None
    size: int | None = None
    stride: int | None = None
    padding: int | str | None = None
    dilation: int | None = None
    groups: int | None = None
    bias: bool | None = None
    batch: int | None = None
    dtype_bytes: int | None = None
    ceil_mode: bool | None = None
    output_padding: int | None = None
    layers_named: int = 0
    origin: dict = field(default_factory=dict, compare=False)

    def merged(self, context: "LayerReading") -> "LayerReading":
        """This reading with the attributes it leaves out taken from ``context`` (recorded in ``origin``).

        A context of another kind (a pooling layer for a conv sentence) gives nothing.

        Examples
        --------
        >>> here = LayerReading(kind="conv", padding=1)
        >>> r = here.merged(LayerReading(kind="conv", kernel=3, c_in=64, c_out=64, size=56))
        >>> r.kernel, r.padding, sorted(r.origin)
        (3, 1, ['c_in', 'c_out', 'kernel', 'size'])
        """
        if self.kind is not None and context.kind is not None and _family(self.kind) != _family(context.kind):
            return self
        values, origin = {}, dict(self.origin)
        for f in fields(self):
            if f.name in ("origin", "layers_named"):
                continue
            mine = getattr(self, f.name)
            if mine is None and getattr(context, f.name) is not None:
                values[f.name] = getattr(context, f.name)
                origin[f.name] = "context"
        return replace(self, **values, origin=origin)

    def stated(self) -> dict:
        """The attributes that are not None (``origin``/``layers_named`` left out)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in ("origin", "layers_named") and getattr(self, f.name) is not None}


def _family(kind: str) -> str:
    return "pool" if kind.endswith("pool") else kind


_KINDS = [
    ("separable", re.compile(r"\bdepthwise[- ]separable\b|\bseparable conv")),
    ("depthwise", re.compile(r"\bdepthwise\b|\bgroups? equal to the number of (?:input )?channels\b")),
    ("transposed", re.compile(r"\btransposed conv\w*|\bdeconvolution|\bconv\w*[- ]transpose|\bfractionally[- ]strided")),
    ("max_pool", re.compile(r"\bmax[- ]?pool\w*")),
    ("avg_pool", re.compile(r"\b(?:avg|average|mean)[- ]?pool\w*")),
    ("dense", re.compile(r"\bfully[- ]connected\b|\bdense layer|\bfc layer|\blinear layer|\bdense\b")),
    ("conv", re.compile(r"\bconv\w*|\bfilters?\b|\bkernels?\b")),
    ("batchnorm", re.compile(r"\bbatch[- ]?norm\w*|\bbn layers?\b")),  # last: "a conv followed by batch norm" is a conv
]
_LAYER_NOUN = r"(?:conv\w*|kernels?|filters?|windows?|depthwise|max[- ]?pool\w*|avg[- ]?pool\w*|average[- ]?pool\w*|pool\w*|transposed|dilated|layers?|stem|receptive fields?)"
_KERNEL = [
    re.compile(r"(?<![\d×])(\d{1,3})×\1(?![\d×])(?:[- ](?:sized?|wide))?,?\s+(?:(?:stride-\d+|strided|dilated|padded|unpadded|same|valid|'same'|'valid'|depthwise|spatial|learn(?:ed|able)|plain|standard)\s+){0,2}" + _LAYER_NOUN),
    re.compile(r"(?<![\d×])(\d{1,3})×\1×(\d{1,5})\s+(?:kernels?|filters?|receptive fields?|windows?)"),
    re.compile(r"\b(?:kernels?|filters?)\s+(?:\w+\s+){0,5}?(?:is|are|of shape|of size) (?:a |an )?(\d{1,3})×\1×(\d{1,5})(?![\d×])"),
    re.compile(r"\bkernel(?: size)?(?: of| =|:)?\s+(\d{1,3})(?!\s*×|\d)"),
    re.compile(r"\b(\d{1,3})[- ](?:wide|tap) (?:kernel|filter|window)"),
    re.compile(r"\b(?:kernel|filter|window) (?:of )?(?:width|size) (\d{1,3})\b(?!\s*×)"),
    re.compile(r"\b(?:kernels?|filters?|windows?|pooling) of size (\d{1,3})×\1\b"),
    re.compile(r"\b(?:kernels?|filters?|windows?) of size (\d{1,3})(?![×\d])"),
    re.compile(r"\bwith (?:a |an )?(\d{1,3})×\1 (?:window|kernels?|filters?)\b"),
]
_CHANNELS = [
    (re.compile(r"\b(\d{1,5}) input channels?,?(?: and| to| into)? (?:\w+ )?(\d{1,5}) output channels?\b"), "both"),
    (re.compile(r"\b(\d{1,5}) input and (\d{1,5}) output channels\b"), "both"),
    (re.compile(r"\bfrom (\d{1,5}) (?:input )?(?:channels )?(?:down |up )?to (\d{1,5}) (?:output )?(?:channels|feature maps|filters|maps)\b"), "both"),
    (re.compile(r"\b(?:takes?|taking|receives?|receiving|reads?|consumes?|accepts?|maps?) (?:in )?(?:an? |the )?(\d{1,5})[- ](?:input )?channels?\b"), "in"),
    (re.compile(r"\b(\d{1,5})\s*(?:→|->)\s*(\d{1,5})(?: channels)?\b"), "both"),
    (re.compile(r"\bc_?in\s*=\s*(\d{1,5}),? (?:and )?c_?out\s*=\s*(\d{1,5})\b"), "both"),
    (re.compile(r"\b(\d{1,5}) (?:\d{1,3}×\d{1,3} )?(?:filters|kernels|output channels|feature maps)\b"), "out"),
    (re.compile(r"\b(\d{1,5})[- ]channels? (?:input|image|map|tensor|feature map)"), "in"),
    (re.compile(r"\b(?:rgb|colou?r|3-channel) (?:input|image|picture)"), "rgb"),
    (re.compile(r"\b(\d{1,5}) input channels\b"), "in"),
    (re.compile(r"\b(?:on|over|across|for|with) (\d{1,5}) (?:input |feature )?channels\b"), "depth"),
    (re.compile(r"\bnumber of (?:input )?channels,? \(?(\d{1,5})\)?"), "depth"),
]
_DENSE = [
    re.compile(r"\bfrom (?:an? |the )?(?:flattened )?(?:(\d{1,4})×(\d{1,4})×)?(\d{1,6}) (?:inputs?|features|units|neurons|dimensions|feature maps?|volume|tensor|activations?|maps?)? ?to (\d{1,6}) (?:units|neurons|outputs?|classes|features)\b"),
    re.compile(r"\b(?:mapping|maps|connecting|takes?)(?: the flattened)? (?:(\d{1,4})×(\d{1,4})×)?(\d{1,6}) (?:inputs?|features|units|neurons|volume)? ?to (\d{1,6}) (?:units|neurons|outputs?|classes|features)\b"),
    re.compile(r"\b(?:()())(\d{1,6}) inputs? (?:to|and) (\d{1,6}) outputs?\b"),
]
_VOLUME = re.compile(r"(?<![\d×])(\d{1,5})×\1×(\d{1,5})(?![\d×])\s+(inputs?|input volume|volume|tensor|activations?|activation map|feature maps?|maps?|outputs?|output volume|image)")
_SIZE = [
    re.compile(r"(?<![\d×])(\d{1,5})×\1(?![\d×])\s+(?:input|image|feature map|map|activation|grid|feature|tensor|picture)"),
    re.compile(r"\b(?:input|image|map)s? (?:of (?:size|width) |width |size |= ?)(\d{1,5})(?:×\1)?\b"),
    re.compile(r"\bw\s*=\s*(\d{1,5})\b"),
    re.compile(r"\b(\d{1,5})[- ](?:pixel|px)(?:[- ]wide)?(?: square)? (?:input|image|row|map)"),
    re.compile(r"\b(?:on|to|applied to|over) an? (\d{1,5})×\1\b(?!×)"),
    re.compile(r"\b(?:images?|inputs?|pictures?|feature maps?|maps?) of (?:size )?(\d{1,5})×\1\b(?!×)"),
]
_STRIDE = re.compile(r"\bstride(?:s)?(?: of| =|=|:)?\s*[- ]?(\d{1,3})\b|\bs\s*=\s*(\d{1,3})\b|(?<![×\d])\b(\d{1,3})[- ]strided?\b|\b(unit) stride\b|\bmoved (\d{1,3}) pixels? at a time")
_PADDING = re.compile(r"\bpadding(?: of| =|=|:)?\s*(\d{1,3})\b|\bp\s*=\s*(\d{1,3})\b|\b(\d{1,3}) (?:pixels? |rows? |zeros? )?(?:of )?(?:zero[- ])?padding\b|\b(no|without|zero) padding\b|\b(unpadded|'valid'|valid padding|padding='valid')|([\"']same[\"'] padding|'same'|\bsame padding|\bpadding='same'|\bpadded)")
_DILATION = re.compile(r"\bdilation(?: rate| factor)?(?: of| =|=|:)?\s*(\d{1,3})\b|\bdilated by (?:a factor of )?(\d{1,3})\b|\b(\d{1,3})-dilated\b")
#: the dilation a text states ("dilation 2", "dilated by 2", "2-dilated"), for the forms that read it alone
DILATION = _DILATION
_GROUPS = re.compile(r"\b(\d{1,5}) groups\b|\bgroups\s*=\s*(\d{1,5})\b")
_BIAS_ON = re.compile(r"\bbias(?:es)? (?:included|counted)\b|\bincluding (?:the )?bias|\bwith (?:a |the |their |its )?bias|\bbias terms? (?:are |is )?counted|\bplus (?:a |the |one )?bias|\band (?:a |the |one )?bias\b|\bbias per (?:filter|output|channel)")
_BIAS_OFF = re.compile(r"\bwithout (?:a |any |the )?bias|\bno bias|\bignoring (?:the )?bias|\bbias(?:es)? (?:are |is )?(?:omitted|excluded|ignored|not counted|not included|left out|dropped|disregarded)|\b(?:leaving out|leave out|omitting|disregarding|not counting) (?:the )?bias|\bbias-free|\bexcluding (?:the )?bias|\bbias=false")
_BATCH = re.compile(r"\b(?:a )?batch of (\d{1,5})\b|\bbatch size (?:of )?(\d{1,5})\b")
_DTYPE = re.compile(r"\b(" + "|".join(sorted(DTYPE_BYTES, key=len, reverse=True)) + r")\b")
_CEIL = re.compile(r"\bceil[ _]mode(?:\s*=\s*(true|false))?")
_OUTPUT_PADDING = re.compile(r"\boutput[ _]padding\s*=?\s*(\d{1,2})\b")
#: a count of layers ("three 3×3 convs", "two layers"): the text describes a stack, not one layer
_MANY = re.compile(r"\b(?:[2-9]|1\d|two|three|four|five|six|seven|eight|nine|ten)\s+(?:(?:successive|stacked|consecutive|sequential)\s+)?(?:\d{1,3}×\d{1,3}\s+)?(?:conv\w*\s+)?(?:layers|convs|convolutions)\b|\bstack|\bblock|\bbottleneck|\bthen a\b"
                   r"|\bfollowed by(?! (?:an? )?(?:batch[- ]?norm\w*|bn\b|relu|activation|non-?linearity|dropout|softmax))")


def _first(pattern: re.Pattern, text: str) -> re.Match | None:
    return pattern.search(text)


def _one(roles: dict, role: str) -> int | None:
    """The value of ``role`` when the text states exactly one."""
    values = roles.get(role, ())
    return next(iter(values)) if len(values) == 1 else None


def read_layer(text: str) -> LayerReading:
    """The attributes of one layer ``text`` states (text from :func:`prepare`).

    Examples
    --------
    >>> r = read_layer(prepare("a 3×3 kernel with stride two, padding one and dilation 2 on a 7×7 input"))
    >>> r.kernel, r.stride, r.padding, r.dilation, r.size
    (3, 2, 1, 2, 7)
    >>> read_layer(prepare("ignoring biases")).bias, read_layer(prepare("with biases")).bias
    (False, True)
    """
    kind = next((name for name, pattern in _KINDS if pattern.search(text)), None)
    kernel = c_in = c_out = size = None
    for pattern in _KERNEL:
        m = pattern.search(text)
        if m:
            kernel = int(m.group(1))
            if pattern.groups >= 2 and m.group(2):  # "11×11×3 receptive fields/filters": the input depth
                c_in = int(m.group(2))
            break
    for pattern, role in _CHANNELS:
        m = pattern.search(text)
        if not m:
            continue
        if role == "both" and c_out is None:
            c_in, c_out = int(m.group(1)), int(m.group(2))
        elif role == "out" and c_out is None:
            c_out = int(m.group(1))
        elif role == "in" and c_in is None:
            c_in = int(m.group(1))
        elif role == "rgb" and c_in is None:
            c_in = 3
        elif role == "depth" and c_in is None:
            c_in = int(m.group(1))
    if kind == "dense":
        for pattern in _DENSE:
            m = pattern.search(text)
            if m:
                spatial = int(m.group(1)) * int(m.group(2)) if m.group(1) else 1
                c_in, c_out = spatial * int(m.group(3)), int(m.group(4))
                break
    for m in _VOLUME.finditer(text):
        side, depth, noun = int(m.group(1)), int(m.group(2)), m.group(3)
        if noun.startswith("output"):
            c_out = c_out if c_out is not None else depth
        elif kind != "dense":
            size = size if size is not None else side
            c_in = c_in if c_in is not None else depth
    if size is None:
        for pattern in _SIZE:
            m = pattern.search(text)
            if m and (kernel is None or int(m.group(1)) != kernel or pattern is _SIZE[1]):
                size = int(m.group(1))
                break
    stride = padding = dilation = groups = bias = None
    m = _STRIDE.search(text)
    if m:
        stride = 1 if m.group(4) else int(next(g for g in m.groups() if g is not None))
    m = _PADDING.search(text)
    if m:
        if m.group(6):
            padding = "same"
        elif m.group(4) or m.group(5):
            padding = 0
        else:
            padding = int(next(g for g in m.groups()[:3] if g is not None))
    m = _DILATION.search(text)
    if m:
        dilation = int(next(g for g in m.groups() if g is not None))
    m = _GROUPS.search(text)
    if m:
        groups = int(m.group(1) or m.group(2))
    if _BIAS_OFF.search(text):
        bias = False
    elif _BIAS_ON.search(text):
        bias = True
    m = _BATCH.search(text)
    batch = int(m.group(1) or m.group(2)) if m else None
    m = _DTYPE.search(text)
    dtype = DTYPE_BYTES[m.group(1)] if m else None
    m = _CEIL.search(text)
    ceil_mode = None if not m else m.group(1) != "false"
    m = _OUTPUT_PADDING.search(text)
    output_padding = int(m.group(1)) if m else None
    triggers = {m.group(0) for m in _MANY.finditer(text)}
    if triggers == {"block"} and len(re.findall(r"(?<![\d×])\d{1,3}×\d{1,3}(?![\d×])", text)) <= 1:
        triggers = set()  # "the block is a 3×3 convolution followed by batch norm": one layer with parameters of its kind
    many = 2 if triggers else 0
    roles = {**stated_roles(text), **stated_channels(text)}  # values the patterns above did not catch, by their role words
    c_in = c_in if c_in is not None else _one(roles, "c_in")
    c_out = c_out if c_out is not None else _one(roles, "c_out")
    kernel = kernel if kernel is not None else _one(roles, "kernel")
    stride = stride if stride is not None else _one(roles, "stride")
    padding = padding if padding is not None else _one(roles, "padding")
    dilation = dilation if dilation is not None else _one(roles, "dilation")
    return LayerReading(kind, kernel, c_in, c_out, size, stride, padding, dilation, groups, bias, batch, dtype,
                        ceil_mode, output_padding, many)
