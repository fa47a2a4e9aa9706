"""A description of a network — its layers in order — read from prose, and the layer a sentence points at.

Prose describes a stack in two ways, and often across sentences:

* as a **sequence**: "a 7×7 stride-2 convolution, then a 3×3 stride-2 max pool", "a 5×5 conv followed by a
  3×3 conv", "a 3×3 convolution with dilation 2 stacked on a plain 3×3 convolution";
* as a **uniform stack with per-layer exceptions**: "four 3×3 convolutions; the second and fourth layers have
  stride 2", "13 3×3 convolutions with 2×2 max pooling after the 2nd, 4th, 7th and 10th", "four 3×3
  convolutions at stride 1, with a single 2×2 stride-2 pooling after the second one".

:func:`read_network` returns the layers (:class:`~proofs.claims.truth.LayerSpec`) or None; unstated
attributes take the usual defaults (stride 1, no dilation; a 2×2 pooling without a stride has stride 2, as
in PyTorch), listed in ``defaults``. :func:`layer_referred` finds which prefix of the network a sentence
speaks of: "the last layer", "the second layer's units", "conv5_3", "pool5", "the pair".

Works on text from :func:`proofs.claims.layer_reading.prepare`.

Examples
--------
>>> from proofs.claims.layer_reading import prepare
>>> from proofs.claims.numbers_words import normalise
>>> n = read_network(prepare(normalise("A network has four 3×3 convolutions; the second and fourth layers have stride 2.")))
>>> [l.stride for l in n.layers]
[1, 2, 1, 2]
>>> n = read_network(prepare(normalise("a 7×7 stride-2 convolution and a 3×3 stride-2 max pool")))
>>> [(l.kind, l.kernel, l.stride) for l in n.layers]
[('conv', 7, 2), ('max_pool', 3, 2)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .truth import LayerSpec

__all__ = ["Network", "read_network", "layer_referred", "MAX_DESCRIBED_LAYERS"]

#: a described network has at most this many layers (bounded work per sentence)
MAX_DESCRIBED_LAYERS = 64

_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
        "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3}
_ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))"
_ORD_LIST = r"(" + _ORDINAL + r"(?:\s*(?:,\s*and|,|and)\s*(?:the\s+)?" + _ORDINAL + r")*)"

_CONV_NOUN = r"(?:conv\w*|layers?|filters?|kernels?)"
_POOL_NOUN = r"(?:(?:max|avg|average|mean)[- ]?)?pool\w*"
_ADJ = r"(?:(?:stacked|consecutive|successive|sequential|identical|more|additional|small|further)\s+)*"
_ITEM = re.compile(
    r"(?<![\d×])(?:(?P<n>\d{1,2})\s+" + _ADJ + r")?(?:(?:stride-(?P<pre>\d)|plain|ordinary|standard|dilated|strided)\s+)?(?P<k>\d{1,2})×(?P=k)(?![\d×])\s+"
    r"(?:(?:stride-(?P<pre2>\d)|plain|dilated|strided)\s+)?"
    r"(?P<noun>" + _POOL_NOUN + r"|" + _CONV_NOUN + r")")
_SEPARATOR = re.compile(r"\bthen\b|\bfollowed by\b|→|->|,\s*and\b|\band\b|\bafter which\b|;|,")
_STRIDE = re.compile(r"^[^;]{0,40}?(?:(?:with|at|of|using)\s+(?:a\s+)?)?\bstride(?:\s+of)?\s*[- ]?(\d)\b|^[^;]{0,25}?\b(\d)-strided?\b")
_DILATION = re.compile(r"^[^;]{0,40}?\bdilation(?: rate| factor)?(?:\s+of)?\s*[- ]?(\d{1,2})\b")
_DILATION_LIST = re.compile(r"\bdilations?(?: rates?| factors?)?(?:\s+of)?\s*:?\s*\(?(\d{1,2}(?:\s*(?:,\s*and|,|and)\s*\d{1,2})+)")
_STRIDE_ORDINALS = re.compile(r"\bthe " + _ORD_LIST + r"(?: (?:conv\w* )?(?:layers?|ones?|convolutions?))? (?:have|has|use|uses|with|are at|at) (?:a )?stride (\d)")
_POOL_AFTER = re.compile(
    r"\b(?:with |and |plus )?(?:a single |one |an? )?(?:(?P<k>\d)×(?P=k) )?(?:stride-(?P<s>\d) )?(?P<kind>" + _POOL_NOUN + r")"
    r"(?:\s+with stride (?P<s2>\d))?(?:\s+layers?)? (?:after|following) (?:the |each of the |every )?(?P<which>" + _ORD_LIST
    + r"|last|each|every one|each one|every layer|each layer)")
_SINGLE_ITEM_POOL_EACH = re.compile(r"\beach (?:one |of them )?followed by (?:an? )?(?:(\d)×\1 )?(?:stride-(\d) )?(" + _POOL_NOUN + r")")
_REVERSED = re.compile(r"\bstacked on(?: top of)?\b|\bafter\b|\bon top of\b")


@dataclass
class Network:
    """Layers in order, with the defaults used for what the text leaves unstated."""

    layers: list
    defaults: list = field(default_factory=list)

    def describe(self) -> str:
        return " → ".join(layer.describe() for layer in self.layers)

    def convs(self) -> list[int]:
        """Indices of the conv layers."""
        return [i for i, layer in enumerate(self.layers) if layer.kind == "conv"]

    def pools(self) -> list[int]:
        return [i for i, layer in enumerate(self.layers) if layer.kind != "conv"]


def _ordinals(text: str) -> list[int]:
    out = []
    for word in re.findall(_ORDINAL, text):
        if word in _ORD:
            out.append(_ORD[word])
        else:
            out.append(int(re.match(r"\d+", word).group(0)))
    return out


def _kind(noun: str) -> str:
    if "pool" not in noun:
        return "conv"
    return "avg_pool" if re.match(r"(?:avg|average|mean)", noun) else "max_pool"


def _item_layer(m: re.Match, after: str, defaults: list) -> LayerSpec:
    kind = _kind(m.group("noun"))
    k = int(m.group("k"))
    stride = m.group("pre") or m.group("pre2")
    s = _STRIDE.search(after)
    if stride is None and s:
        stride = s.group(1) or s.group(2)
    d = _DILATION.search(after)
    dilation = int(d.group(1)) if d else 1
    if stride is None:
        stride = k if kind != "conv" else 1
        if kind != "conv":
            defaults.append(f"the {k}×{k} pooling's stride is not stated: {k} (PyTorch's default)")
    return LayerSpec(kind, k, stride=int(stride), dilation=dilation)


#: a count the reader cannot use ("L stacked 3×3 convolutions", "several 3×3 layers"): the stack's depth is unknown
_UNKNOWN_COUNT = re.compile(r"\b(?:[b-hj-z]|several|many|multiple|some|n|deeper|more)\s+" + _ADJ + r"(?:\d{1,2}×\d{1,2}\s+)?(?:conv\w*|layers)\b")
#: "each of three 3×3 convolutions is followed by a 2×2, stride-2 max-pooling layer"
_EACH_POOL = re.compile(r"\beach\b[^.;]{0,60}?\bfollowed by (?:an? |one )?(?P<k>\d)×(?P=k),?\s*(?:stride-(?P<s>\d)\s+)?(?P<kind>" + _POOL_NOUN + r")"
                        r"(?:[^.;]{0,12}?\bstride (?P<s2>\d))?")


#: "3 layers of 3×3 conv", "two conv layers of 5×5": the count of a stack written before its kernel
_LAYERS_OF = re.compile(r"\b(\d{1,2})\s+(?:conv(?:olutional)?\s+)?(?:layers|convs|convolutions)\s+of\s+(?:a\s+)?(\d{1,2}×\d{1,2})(?:\s+(conv\w*|max[- ]?pool\w*|filters|kernels))?")
#: a count of layers anywhere in the text ("two layers", "5 stride-2 layers")
_COUNTED_NOUN = re.compile(r"(?<![×\d])\b(\d{1,2})\s+(?:[\w×-]+\s+){0,2}?(?:layers|convs|convolutions|filters)\b")


def first_item(text: str) -> int:
    """Where the first layer the text describes starts (``len(text)`` when none).

    Examples
    --------
    >>> first_item("a unit in the last layer, as for any 4 3×3 layers")
    37
    """
    m = _ITEM.search(text)
    return m.start() if m else len(text)


def read_network(text: str) -> Network | None:
    """The layers ``text`` describes (see the module docstring), or None when it describes no stack.

    Examples
    --------
    >>> from proofs.claims.layer_reading import prepare
    >>> n = read_network(prepare("vgg-16 has 13 3×3 convolutions with 2×2 max pooling after the 2nd, 4th, 7th and 10th"))
    >>> len(n.layers), [i for i, l in enumerate(n.layers) if l.kind != "conv"]
    (17, [2, 5, 9, 13])
    >>> [l.kernel for l in read_network(prepare("a 3×3 convolution with dilation 2 stacked on a plain 3×3 convolution")).layers]
    [3, 3]
    >>> read_network(prepare("the weather is nice")) is None
    True
    """
    text = _LAYERS_OF.sub(lambda m: f"{m.group(1)} {m.group(2)} {m.group(3) or 'conv'}", text)
    items = list(_ITEM.finditer(text))
    if not items or _UNKNOWN_COUNT.search(text):
        return None
    counts = [int(m.group("n")) for m in items if m.group("n")]
    for m in _COUNTED_NOUN.finditer(text):
        if int(m.group(1)) >= 2 and int(m.group(1)) not in counts and (counts or int(m.group(1)) != len(items)):
            return None  # "two layers: …", "a stack of 3 layers": a count no layer reading accounts for
    for m in items:
        if not m.group("n") and re.fullmatch(r"(?:conv\w*s|layers|filters|kernels|convolutions)", m.group("noun")) \
                and not re.search(r"\b(?:each|every|both|all)\b", text[max(0, m.start() - 20):m.start()]):
            return None  # "a stack of 3×3 convolutions": plural without a count, the depth is unknown
    defaults: list[str] = []
    each = _EACH_POOL.search(text)
    if each is not None:
        convs = [m for m in items if _kind(m.group("noun")) == "conv"]
        if len(convs) != 1 or not convs[0].group("n"):
            return None
        k = int(each.group("k"))
        pool = LayerSpec(_kind(each.group("kind")), k, stride=int(each.group("s") or each.group("s2") or k))
        conv = _item_layer(convs[0], text[convs[0].end():convs[0].end() + 30], defaults)
        n = int(convs[0].group("n"))
        if not 1 <= n <= MAX_DESCRIBED_LAYERS // 2:
            return None
        return Network([conv, pool] * n, defaults)
    counted = [m for m in items if m.group("n") and int(m.group("n")) >= 2 and _kind(m.group("noun")) == "conv"]
    if len(counted) == 1 and len(items) - (1 if _POOL_AFTER.search(text) else 0) <= 1:
        return _uniform(text, counted[0], defaults)
    if any(m.group("n") and int(m.group("n")) >= 2 for m in items):
        return None  # several counted groups: the order of the layers would be a guess
    layers = []
    for i, m in enumerate(items):
        nxt = items[i + 1].start() if i + 1 < len(items) else len(text)
        layers.append(_item_layer(m, text[m.end():nxt], defaults))
    if len(items) == 2 and _REVERSED.search(text[items[0].end():items[1].start()]):
        layers.reverse()  # "A stacked on B", "A after B": B comes first
    if len(layers) == 1:
        each = _SINGLE_ITEM_POOL_EACH.search(text)
        if each is None:
            return Network(layers, defaults)
    return Network(layers, defaults)


def _uniform(text: str, m: re.Match, defaults: list) -> Network | None:
    n = int(m.group("n"))
    if not 1 <= n <= MAX_DESCRIBED_LAYERS:
        return None
    after = text[m.end():m.end() + 40]
    cut = re.search(r"[;:(]|\bthe\b|\bexcept\b|\bbut\b|" + _ORDINAL, after)
    base = _item_layer(m, after[:cut.start()] if cut else after, defaults)
    strides = [base.stride] * n
    dilations = [base.dilation] * n
    dl = _DILATION_LIST.search(text)
    if dl:
        values = [int(x) for x in re.findall(r"\d{1,2}", dl.group(1))]
        if len(values) != n:
            return None
        dilations = values
    for so in _STRIDE_ORDINALS.finditer(text):
        for k in _ordinals(so.group(1)):
            if not 1 <= k <= n:
                return None
            strides[k - 1] = int(so.group(2))
    layers = [LayerSpec("conv", base.kernel, stride=s, dilation=d) for s, d in zip(strides, dilations)]
    pa = _POOL_AFTER.search(text)
    if pa:
        k = int(pa.group("k") or 2)
        if not pa.group("k"):
            defaults.append("the pooling's window is not stated: 2×2")
        stride = int(pa.group("s") or pa.group("s2") or k)
        pool = LayerSpec(_kind(pa.group("kind")), k, stride=stride)
        which = pa.group("which")
        if which in ("each", "every one", "each one", "every layer", "each layer"):
            after = list(range(1, n + 1))
        elif which == "last":
            after = [n]
        else:
            after = _ordinals(which)
        if any(not 1 <= a <= n for a in after):
            return None
        out = []
        for i, layer in enumerate(layers, start=1):
            out.append(layer)
            if i in after:
                out.append(pool)
        layers = out
    return Network(layers, defaults)


_CONV_NAME = re.compile(r"\bconv(\d)[_ ]?(\d)\b")
_POOL_NAME = re.compile(r"\bpool(\d)\b")
_LAST = re.compile(r"\b(?:last|final|top|output|deepest)\b(?! pooling)(?: (?:conv\w* )?(?:layer|units?|stack)\b)?|\bthe pair\b|\bthe stack\b|\bthe (?:whole |entire )?network\b|\bthe stem\b|\bcombined\b|\boverall\b")
_NTH_LAYER = re.compile(r"\b(?:the |a unit (?:of|in) the )?(" + _ORDINAL + r") (?:conv\w* )?layer(?:'s|s)?\b")
_LAST_POOL = re.compile(r"\b(?:the )?last pool\w*(?: layer)?\b")


def layer_referred(text: str, net: Network) -> tuple[int, str] | None:
    """``(end, name)``: the network's layers ``[:end]`` the sentence speaks of, or None when it names none.

    Examples
    --------
    >>> n = Network([LayerSpec("conv", 3), LayerSpec("conv", 3), LayerSpec("max_pool", 2, stride=2), LayerSpec("conv", 3)])
    >>> layer_referred("the receptive field of the second layer's units", n)
    (2, 'the second layer')
    >>> layer_referred("a unit in the last layer", n)
    (4, 'the last layer')
    >>> layer_referred("pool1 units", n)
    (3, 'pool1')
    """
    m = _POOL_NAME.search(text) or _LAST_POOL.search(text)
    if m:
        pools = net.pools()
        index = int(m.group(1)) if m.re is _POOL_NAME else len(pools)
        if not 1 <= index <= len(pools):
            return None
        return pools[index - 1] + 1, m.group(0).strip()
    m = _CONV_NAME.search(text)
    if m:  # VGG's names: convB_I is the I-th conv of block B (blocks are separated by the poolings)
        block, index = int(m.group(1)), int(m.group(2))
        blocks, current = [], []
        for i, layer in enumerate(net.layers):
            if layer.kind == "conv":
                current.append(i)
            elif current:
                blocks.append(current)
                current = []
        if current:
            blocks.append(current)
        if not (1 <= block <= len(blocks) and 1 <= index <= len(blocks[block - 1])):
            return None
        return blocks[block - 1][index - 1] + 1, m.group(0)
    m = _NTH_LAYER.search(text)
    if m and not _LAST.search(text[m.start():m.end()]):
        k = _ordinals(m.group(1))[0]
        convs = net.convs()
        if not 1 <= k <= len(convs):
            return None
        return convs[k - 1] + 1, f"the {m.group(1)} layer"
    m = _LAST.search(text)
    if m:
        return len(net.layers), m.group(0) if m.group(0).startswith("the") else f"the {m.group(0)}"
    return None
