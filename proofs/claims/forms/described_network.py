"""Receptive-field and effective-stride claims about a network the sentence or its neighbours describe.

"A network has four 3×3 convolutions; the second and fourth layers have stride 2. The effective stride of
the last layer is 2." The second sentence names no layer sizes: it speaks of "the last layer" of the network
the first one describes. The network is read with :func:`~proofs.claims.network_reading.read_network` from
the sentence itself, or, when the sentence points at a layer ("the last layer", "the second layer's units",
"conv5_3", "pool5", "the pair") and describes no stack of its own, from the sentences before it. The claim
is decided with ``derive.receptive_field`` (size and jump) for the prefix of the network it points at.

A reading that leaves something the text mentions unplaced (a pooling, a dilation, a stride other than 1
that no layer has) is not used: a network read wrongly would decide the claim about the wrong thing.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> ctx = [normalise("A network has four 3×3 convolutions; the second and fourth layers have stride 2.")]
>>> s = find(normalise("The effective stride of the last layer is 2."), None, ctx)[0]
>>> o = s.decide(); o.verdict.value, o.expected
('INCORRECT', '4')
>>> find(normalise("After a 7×7 stride-2 convolution and a 3×3 stride-2 max pool, each unit sees an 11 × 11 window."))[0].decide().verdict.value
'CORRECT'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..layer_reading import prepare
from ..network_reading import Network, layer_referred, read_network
from ..truth import LayerSpec, receptive_field_and_jump

__all__ = ["find", "NetworkReceptiveField"]

_RF = r"(?:receptive[- ]fields?|rfs?\b|field of view)"
_EQ = r"\s*(?:is|of|=|equals?|:|becomes|is now|is only|is exactly|reaches)\s*(?:=\s*)?(?:a |an |only |exactly |just |size |of |about )*"
_RF_VALUES = [
    re.compile(r"\b" + _RF + r"(?: size)?(?: of [^.;=]{0,45}?)?" + _EQ + r"(\d{1,4})(?:×(\d{1,4}))?" + r"(?!\d|\.\d|[a-z]|\s*[×·+\-/^*(]|\s+[a-z]\b|\s+\d|\s+(?:[\w-]+\s+)?(?:conv|layer|kernel|filter|pool))"),
    re.compile(r"\b(\d{1,4})(?:×(\d{1,4}))?[- ](?:pixels?[- ])?(?:wide )?(?:receptive field|rf)\b"),
    re.compile(r"\b(?:sees?|covers?|spans?|views?|looks? at|depends? on|is a function of|(?:is |are )?(?:connected to|influenced by|affected by))"
               r"\s+(?:=\s*)?(?:a |an |only |exactly |just |effectively )?(\d{1,4})(?:×(\d{1,4}))?\s+"
               r"(?:input |pixel |image )?(?:region|patch|area|window|neighbou?rhood|pixels?|part|portion|square|block|field)\b"),
]
_JUMP_VALUES = [
    re.compile(r"\b(?:effective stride|overall stride|total stride|cumulative stride|output stride|jump)(?: of [^.;=]{0,40}?)?" + _EQ + r"(\d{1,4})" + r"(?!\d|\.\d|[a-z]|\s*[×·+\-/^*(]|\s+[a-z]\b|\s+\d|\s+(?:[\w-]+\s+)?(?:conv|layer|kernel|filter|pool))"),
    re.compile(r"\b(\d{1,4}) pixels? apart\b"),
]
#: the sentence points at a layer of a network described elsewhere
_POINTS = re.compile(r"\bthe (?:last|final|top|output|second|third|fourth|fifth|\d(?:st|nd|rd|th)) (?:conv\w* )?(?:layer|units?|pooling)|\bconv\d[_ ]?\d\b|\bpool\d\b|\bthe pair\b|\bthe stack\b|\bthe network\b|\bthe stem\b|\bits\b|\bthis stack\b")
#: a sentence that names no layers of its own but continues the description before it ("these layers", "therefore")
_CONTINUES = re.compile(r"\b(?:these|those|this|such) (?:\w+ )?(?:layers?|convolutions?|convs?|stack|network|encoder|block|design)\b"
                        r"|\b(?:therefore|thus|hence|consequently|so)\b|\bin (?:the|this) (?:end|stack|network)\b")
_MENTIONS_POOL = re.compile(r"\bpool\w*")
#: "without any pooling or striding", "no pooling": a mention that places no layer
_NEGATED_MENTION = re.compile(r"\b(?:without|no|nor|not any)\s+(?:any\s+)?(?:\w+\s+)?(?:pool\w*|strid\w*|dilat\w*)(?:\s+(?:or|and|nor)\s+(?:pool\w*|strid\w*|dilat\w*))?")
_MENTIONS_DILATION = re.compile(r"\bdilat\w*")
_STRIDE_NUMBERS = re.compile(r"\bstride(?:s)?(?: of)?\s*[- ]?(\d)\b|\b(\d)-strided?\b|\bstride-(\d)\b")
_SAME = re.compile(r"\b(?:same|identical|equal|equivalent|matching|as large|as big|as wide|as much as|just like|like (?:a|an|one|1) )\b|\bha(?:s|ve) the (?:receptive field|rf) of\b")
_GENERAL = re.compile(r"\b(?:always|any|every(?! (?:output |single |final |last )?(?:unit|neuron|pixel|position|value|location|activation)s?\b)"
                      r"|in general|whatever|regardless|for all)\b")


@dataclass
class NetworkReceptiveField:
    """"the layers ``net.layers[:end]`` (``name``) have a receptive field / jump of ``claimed``"."""

    net: Network
    end: int
    name: str
    what: str  # "rf" or "jump"
    claimed: int
    from_context: bool = False
    quantity: str = "receptive_field"

    def __post_init__(self):
        if self.what == "jump":
            self.quantity = "jump"

    def decide(self) -> Outcome:
        layers = self.net.layers[:self.end]
        rf, jump = receptive_field_and_jump(layers)
        value = rf if self.what == "rf" else jump
        label = "receptive field" if self.what == "rf" else "jump (effective stride)"
        what = " → ".join(layer.describe() for layer in layers)
        where = f"{self.name}: " if self.name else ""
        note = " (the network as the sentences before describe it)" if self.from_context else ""
        defaults = f" Defaults used: {'; '.join(self.net.defaults)}." if self.net.defaults else ""
        shown = f"{value}×{value}" if self.what == "rf" else str(value)
        if value == self.claimed:
            return Outcome(Verdict.CORRECT, f"derive.receptive_field of {where}{what}{note}: {label} {shown}, as stated.{defaults}",
                           expected=str(value))
        return Outcome(Verdict.INCORRECT, f"derive.receptive_field of {where}{what}{note}: {label} {shown}, not {self.claimed}.{defaults}",
                       expected=str(value), counterexample={"layers": what, "claimed": self.claimed, "derived": value,
                                                      "receptive_field": rf, "jump": jump})


def _values(patterns, text: str) -> list[tuple[int, int]]:
    out = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            a = int(m.group(1))
            b = int(m.group(2)) if m.lastindex and m.lastindex >= 2 and m.group(2) else a
            if a == b:
                out.append((m.start(1), a))
    return sorted(set(out))


def _consistent(text: str, net: Network) -> bool:
    """Everything the text says about the layers is placed in the reading (else the reading is not used)."""
    layers = net.layers
    if _MENTIONS_POOL.search(_NEGATED_MENTION.sub(" ", text)) and not any(layer.kind != "conv" for layer in layers):
        return False
    if _MENTIONS_DILATION.search(text) and all(layer.dilation == 1 for layer in layers) and not re.search(r"\bdilation (?:of )?1\b|\bno dilation", text):
        return False
    strides = {layer.stride for layer in layers}
    for m in _STRIDE_NUMBERS.finditer(text):
        if re.search(r"(?:effective|overall|total|cumulative|output)\s+$", text[:m.start()]):
            continue  # the claimed jump, not a layer's stride
        s = int(next(g for g in m.groups() if g is not None))
        if s not in strides:
            return False
    return True


def _ITEMS_START(text: str) -> int:
    from ..network_reading import first_item

    return first_item(text)


def _network(text: str) -> Network | None:
    net = read_network(text)
    if net is None or not net.layers or not _consistent(text, net):
        return None
    return net


def _uniform_strides(text: str) -> Network | None:
    """"a stack of five stride-2 layers", "five layers of stride two": the jump needs no kernel size."""
    m = re.search(r"\b(\d{1,2}) (?:stride-(\d) layers|layers (?:of|with|at) stride (\d))\b", text)
    if not m or not 1 <= int(m.group(1)) <= 32:
        return None
    stride = int(m.group(2) or m.group(3))
    return Network([LayerSpec("conv", stride, stride=stride)] * int(m.group(1)), ["the kernel size is not stated and does not matter for the jump"])


_LAYER_NAME = re.compile(r"\bconv\d[_ ]?\d\b|\bpool\d\b")


def _named_network(norm: str) -> Network | None:
    """The trunk of the one plain named network a sentence mentions ("VGG-16's conv5_3"), from ``derive.nets``.

    Networks with branches (residual blocks, inception modules) are not flattened: None.
    """
    from .named_nets import mentions

    found = {key for _, _, key in mentions(norm)}
    if len(found) != 1:
        return None
    key = found.pop()
    try:
        from derive.nets import get_network

        trunk = get_network(key).rf_layers()
    except Exception:  # noqa: BLE001 - an unknown or unbuildable net is simply not used
        return None
    layers = []
    for layer in trunk:
        kind = type(layer).__name__
        if kind in ("ReLU", "BatchNorm2d", "Dropout"):
            continue
        if kind not in ("Conv2d", "MaxPool2d", "AvgPool2d"):
            return None
        k, stride, dilation = (_first(getattr(layer, a, 1)) for a in ("kernel_size", "stride", "dilation"))
        if kind != "Conv2d" and k is None:
            return None
        layers.append(LayerSpec({"Conv2d": "conv", "MaxPool2d": "max_pool", "AvgPool2d": "avg_pool"}[kind], k, stride=stride or k,
                                dilation=dilation or 1))
    return Network(layers, [f"the trunk of {key} as derive.nets builds it"]) if layers else None


def _first(value):
    if isinstance(value, (tuple, list)):
        value = value[0]
    return int(value) if value is not None else None


def find(norm: str, section: str | None = None, context: list[str] | None = None) -> list:
    """Receptive-field and jump statements about a described network (``context``: the sentences before)."""
    text = prepare(norm)
    rf_values = _values(_RF_VALUES, text)
    jump_values = _values(_JUMP_VALUES, text)
    if not rf_values and not jump_values:
        return []
    if _SAME.search(text):
        return []  # "the same receptive field as one 5×5": a comparison (forms/receptive_field.py)
    if re.search(r"\bfrom (\d{1,4})(?:×\d{1,4})? to (\d{1,4})", text) or _GENERAL.search(text) and not _POINTS.search(text):
        return []  # "enlarges it from 5 to 8": a change, not a size; "any stack": a general claim
    own = _network(text)
    net, from_context = own, False
    points = _POINTS.search(text)
    if own is not None and points is not None and _ITEMS_START(text) < points.start():
        context = None  # "in a stack of three 3×3 convs, the last layer …": the sentence's own network
    if (points is not None or own is None and _CONTINUES.search(text)) and context:
        for before in reversed(context):
            ctx_text = prepare(before)
            candidate = _network(ctx_text)
            if candidate is not None and (layer_referred(text, candidate) is not None or points is None):
                net, from_context = candidate, True
                break
            if read_network(ctx_text) is not None:
                break  # the nearest description is not readable: an earlier one would be about another network
    if net is None and jump_values:
        net = _uniform_strides(text)
    if _LAYER_NAME.search(text) and not from_context:
        named = _named_network(norm)  # "a unit of VGG-16's conv5_3": the named network's own layers
        if named is not None:
            net = named
    if net is None:
        return []
    ref = layer_referred(text, net)
    end, name = ref if ref is not None else (len(net.layers), "")
    if not from_context and ref is not None and end != len(net.layers) and own is net:
        pass  # "the second layer of a stack of three": a prefix of the sentence's own network
    out = [NetworkReceptiveField(net, end, name, "rf", v, from_context) for _, v in rf_values[:2]]
    out += [NetworkReceptiveField(net, end, name, "jump", v, from_context) for _, v in jump_values[:2]]
    return out
