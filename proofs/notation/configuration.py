r"""The configuration a sentence gives: numbers tied to roles by the lexicon ("128 filters of size 3×3 on a 64-channel input").

A number belongs to the role word right after it ("128 **filters**", "a 64-**channel** input") or right
before it ("**stride** 2", "filters of **size** 3×3"); a pair ``3→16`` is channels in and out; a symbol the
document defined and a value (``$a = 32$`` with ``a`` the input size) is read through the symbol table. A
role given two different values is ambiguous and left out (reported in ``conflicts``).

Examples
--------
>>> c = read_configuration("A layer with 128 filters of size 3×3 on a 64-channel input, each with its bias")
>>> c.values, c.bias
({'channels_out': 128, 'kernel': (3, 3), 'channels_in': 64}, True)
>>> read_configuration("conv2 | 16→32, 3×3, stride 2").values
{'channels_in': 16, 'channels_out': 32, 'stride': 2, 'kernel': (3, 3)}
>>> read_configuration("nn.Conv2d(3, 64, kernel_size=3, stride=2, padding=1, bias=False)").values
{'channels_in': 3, 'channels_out': 64, 'kernel': 3, 'stride': 2, 'padding': 1}
>>> read_configuration("Take $a = 32$, $b = 5$", roles={"a": "input_size", "b": "kernel"}).values
{'input_size': 32, 'kernel': 5}
>>> read_configuration("If n = 6, f = 3, and p = 1 then", roles={"n": "input_size", "f": "kernel", "p": "padding"}).values
{'input_size': 6, 'kernel': 3, 'padding': 1}
>>> read_configuration("3 input channels and 4 input channels").conflicts
['channels_in']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .definitions import symbol_name
from .lexicon import role_words

__all__ = ["Configuration", "read_configuration"]


@dataclass
class Configuration:
    """Role values read from prose; ``bias`` is True/False when the text says so, else None."""

    values: dict = field(default_factory=dict)
    bias: bool | None = None
    conflicts: list = field(default_factory=list)
    evidence: dict = field(default_factory=dict)  # role -> the words that gave it


_NUM = r"\d+(?:\.\d+)?"
_TOKEN = re.compile(rf"(?<![\w.,])({_NUM})(?:\s*[×x]\s*({_NUM}))?(?:\s*[×x]\s*({_NUM}))?(?!\w|\.\d|,\d)")
_PAIR = re.compile(r"(?<![\w.])(\d+)\s*(?:→|->|⟶|\\to|\\rightarrow|to)\s*(\d+)(?![\w.])(?!\s*(?:×|x\b))")
_CALL = re.compile(r"(?i)\bconv([123])d\s*\(\s*(?:in_channels\s*=\s*)?(\d+)\s*,\s*(?:out_channels\s*=\s*)?(\d+)\s*,\s*"
                   r"(?:kernel_size\s*=\s*)?(\d+)")
_ASSIGN = re.compile(r"\$\s*([^$=]{1,20}?)\s*=\s*(\d+)\s*\$")
_PLAIN_ASSIGN = re.compile(r"(?<![\w`$\\])([A-Za-z](?:_\{?\w{1,4}\}?)?)\s*=\s*(\d+)(?![\d.]\d|[\w×])")
_NO_PADDING = re.compile(r"(?i)\b(?:no|without|without any) (?:zero[- ])?padding\b|\bunpadded\b|\bpadding[- ]free\b")
_BIAS_YES = re.compile(r"(?i)\b(?:each|with|plus|and|its|one|a) (?:its |a |one )?bias(?:es)?\b|\bbias\s*=\s*true\b|\bbiases\b(?! are not| not)")
_BIAS_NO = re.compile(r"(?i)\b(?:without|no|excluding|ignoring|ignore|omit\w*|not counting) (?:the )?bias(?:es)?\b|"
                      r"\bbias\s*=\s*false\b|\bbias-free\b|\bweights only\b|\bonly the weights\b")

#: role words that may follow a number, mapped to the role that number plays (channels decided by direction)
_AFTER_ROLE = {"channels_out": "channels_out", "channels_in": "channels_in", "channels": "channels",
               "kernel": "kernel", "pool": "pool", "layers": "layers"}
_BEFORE_ROLE = {"stride": "stride", "padding": "padding", "dilation": "dilation", "kernel": "kernel", "pool": "pool",
                "input_size": "input_size", "output_size": "output_size"}


def _clean(text: str) -> str:
    t = re.sub(r"\\times|\\cdot(?=\s*\d)|\u00d7", "×", text)
    t = re.sub(r"(?<=\d)\s*\*\s*(?=\d)", "×", t)
    t = t.replace("\\,", "").replace("{,}", ",")
    return t


def _role_after(text: str, end: int, whole: bool) -> str | None:
    nxt = text[end:end + 40]
    m = re.match(r"\s*(?:-|\s)?\s*(?:\w+\s+){0,1}?", nxt)
    window = nxt[: (m.end() if m else 0) + 28]
    hits = [h for h in role_words(window) if h.start <= 14]
    if re.match(r"\s*-?\s*channels?\b", nxt, re.I):
        # "64-channel input", "3 channels", "16 output channels" / "channels out"
        return "channels_out" if re.match(r"\s*-?\s*channels?\s+(?:out|going out|coming out)\b", nxt, re.I) else "channels_in"
    if re.match(r"\s*(?:input|in)\s+channels?\b", nxt, re.I):
        return "channels_in"
    if re.match(r"\s*(?:output|out)\s+channels?\b|\s*(?:filters|kernels|feature maps|output feature maps)\b", nxt, re.I):
        return "channels_out" if whole else "kernel"
    if re.match(r"\s*(?:kernel|filter|conv\w*|window)s?\b", nxt, re.I) and not whole:
        return "kernel"
    if re.match(r"\s*-?\s*(?:wide|tap|pixel|px|long)\s+(?:kernel|filter|window)s?\b", nxt, re.I):
        return "kernel"  # "a 5-wide filter", "a 3-tap kernel"
    if re.match(r"\s*(?:-?pixel\s+|-?px\s+)?(?:rgb\s+|gr[ae]yscale\s+|colou?r\s+)?(?:input|image)\b", nxt, re.I) and not whole:
        return "input_size"
    for h in hits:
        role = _AFTER_ROLE.get(h.role)
        if role in ("layers",) and whole:
            return role
    return None


def _role_before(text: str, start: int, whole: bool) -> str | None:
    prev = text[max(0, start - 36):start]
    m = re.search(r"(?i)(stride|padding|pad|dilation(?: rate)?|(?:kernel|filter|window|pool(?:ing)?)(?: size)?|size|input(?: size| of size)?|"
                  r"image(?: size)?|of)\s*(?:of\s+|=\s*|:\s*|is\s+)?(?:(?:size|width|height|length|side)\s+)?$", prev)
    if not m:
        return None
    word = m.group(1).lower()
    if word.startswith("stride"):
        return "stride" if whole else None
    if word.startswith("pad"):
        return "padding" if whole else None
    if word.startswith("dilation"):
        return "dilation" if whole else None
    if word.startswith("pool"):
        return "pool"
    if word.startswith(("kernel", "filter", "window")):
        return "kernel"
    if word.startswith(("input", "image")):
        return "input_size"
    if word in ("size", "of"):
        ahead = text[max(0, start - 60):start].lower()
        if re.search(r"(kernel|filter|window)s?(?: of)?(?: size)?\s*(?:of\s+)?(?:size\s+)?$", ahead):
            return "kernel"
        if re.search(r"(input|image)s?(?: of)?(?: size)?\s*(?:of\s+)?(?:size\s+)?$", ahead):
            return "input_size"
    return None


def read_configuration(text: str, *, roles: dict | None = None) -> Configuration:
    """Read the configuration ``text`` states (see the module's examples); ``roles`` is the symbol table in scope."""
    conf = Configuration()
    t = _clean(text)

    def put(role, value, words):
        if role in conf.conflicts:
            return
        if role in conf.values and conf.values[role] != value:
            del conf.values[role]
            conf.conflicts.append(role)
            return
        conf.values[role] = value
        conf.evidence.setdefault(role, words.strip())

    for m in _ASSIGN.finditer(t):
        name = symbol_name(m.group(1))
        role = (roles or {}).get(name) if name else None
        if role:
            put(role, int(m.group(2)), m.group(0))
    t_plain = _ASSIGN.sub(" ", t)
    if roles:  # "If n = 6, f = 3 and p = 1": plain assignments of letters the document defined
        for m in _PLAIN_ASSIGN.finditer(t_plain):
            role = roles.get(m.group(1))
            if role:
                put(role, int(m.group(2)), m.group(0))
        t_plain = _PLAIN_ASSIGN.sub(lambda m: " " * len(m.group(0)) if roles.get(m.group(1)) else m.group(0), t_plain)
    used: list[tuple[int, int]] = []
    for m in _CALL.finditer(t_plain):  # a framework layer: Conv2d(C_in, C_out, k, ...)
        put("channels_in", int(m.group(2)), m.group(0))
        put("channels_out", int(m.group(3)), m.group(0))
        put("kernel", int(m.group(4)), m.group(0))
        used.append((m.start(), m.end()))
    for m in _PAIR.finditer(t_plain):
        put("channels_in", int(m.group(1)), m.group(0))
        put("channels_out", int(m.group(2)), m.group(0))
        used.append((m.start(), m.end()))
    t_plain = re.sub(r"\$[^$]*\$", lambda m: " " * len(m.group(0)), t_plain)
    unlabeled = []
    for m in _TOKEN.finditer(t_plain):
        if any(a <= m.start() < b for a, b in used) or "." in m.group(1):
            continue
        dims = tuple(int(g) for g in m.groups() if g is not None)
        whole = len(dims) == 1
        role = _role_after(t_plain, m.end(), whole) or _role_before(t_plain, m.start(), whole)
        if role is None:
            if len(dims) == 2:
                unlabeled.append(dims)
            continue
        if role in ("channels_in", "channels_out", "channels", "stride", "padding", "dilation", "layers"):
            if not whole:
                continue
            put(role, dims[0], t_plain[max(0, m.start() - 20):m.end() + 20])
        elif role == "input_size" and len(dims) == 3:
            put(role, dims[:2], m.group(0))
            put("channels_in", dims[2], m.group(0))
        else:
            put(role, dims if len(dims) > 1 else dims[0], t_plain[max(0, m.start() - 20):m.end() + 20])
    # a layer written "3→16, 3×3": with the channels given as a pair, the one small square N×N is the kernel
    if used and len(unlabeled) == 1 and "kernel" not in conf.values and unlabeled[0][0] == unlabeled[0][1] <= 11:
        put("kernel", unlabeled[0], "×".join(map(str, unlabeled[0])))
    if "padding" not in conf.values and "padding" not in conf.conflicts and _NO_PADDING.search(t_plain):
        put("padding", 0, _NO_PADDING.search(t_plain).group(0))
    if _BIAS_NO.search(t):
        conf.bias = False
    elif _BIAS_YES.search(t):
        conf.bias = True
    return conf
