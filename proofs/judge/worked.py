r"""Worked examples judged as what they compute: a :class:`~proofs.statement.Statement` from the sentence around them.

``64 · 128 · 9 + 64 = 73,792`` in "a layer with 128 filters of size 3×3 on a 64-channel input, each with
its bias, holds … parameters" is a parameter count of that layer. The quantity comes from the words of
the sentence (parameters/weights, MACs, output size), the configuration from
:func:`proofs.notation.configuration.read_configuration` (with the symbol table in scope, so
``$a = 32$`` counts when ``a`` is the input size), and :func:`proofs.statement.decide` computes the
verdict. The example is taken as that quantity only when every number of its expression is a number of
the configuration (or a product of two of them, 1 or 2): "3 · 3 · 64 = 576 weights per filter" is not the
layer's count, and is left to the arithmetic.

Examples
--------
>>> import sympy as sp
>>> from fractions import Fraction
>>> e = sp.Add(sp.Mul(64, 128, 9, evaluate=False), 64, evaluate=False)
>>> st = example_statement([e, sp.Integer(73792)], "A layer with 128 filters of size 3×3 on a 64-channel input, each with its bias, holds", " parameters.")
>>> st.quantity, st.asserted, st.bias
('param_count', Fraction(73792, 1), True)
>>> example_statement([sp.Mul(3, 3, 64, evaluate=False), sp.Integer(576)], "128 filters of size 3×3 on a 64-channel input: each filter has", " weights") is None
True
"""

from __future__ import annotations

import re

import sympy as sp

from ..notation.configuration import read_configuration
from fractions import Fraction

from derive.layers import Flatten

from ..statement import Statement
from .arithmetic import numeric_value

__all__ = ["example_statement"]

_QUANTITY_WORDS = (
    ("memory", r"\b(?:bytes?|[kmg]i?b)\b"),
    ("param_count", r"\b(?:parameters|params|learnable|trainable|weights)\b"),
    ("macs", r"\b(?:macs?|multiply[- ]accumulates?|mult[- ]adds|multiplications)\b"),
    ("output_size", r"\boutput (?:size|width|height|length|side|is)\b|\bwindows?\b|\boutputs?\b"),
)
#: the example is a part of the layer's count, not the count
_PART = re.compile(r"(?i)\b(?:per|each|every|one|a single|single) (?:filter|kernel|output channel|neuron|channel|unit|position|pixel|window)\b"
                   r"(?! *,? each with)|\bper-\w+\b|\bbias(?:es)? alone\b|\bbiases\s*:?\s*$")


def _sentence(before: str, after: str) -> tuple[str, str]:
    head = re.split(r"(?<=[.!?])\s+(?=[A-Z$\\])|\n\s*\n", before.strip())[-1] if before.strip() else ""
    tail = re.split(r"(?<=[.!?])\s|\n\s*\n", after.strip(), maxsplit=1)[0] if after.strip() else ""
    return head, tail


#: a sentence that continues the one before it ("Its output is …", "Then the output has …")
_CONTINUES = re.compile(r"(?i)^\W*(?:it|its|this|that|these|those|then|so|hence|thus|therefore|the (?:output|result|layer)|"
                        r"with (?:these|this|that)|here|now|we (?:get|obtain|have))\b")


def _previous_sentence(before: str, head: str) -> str:
    """The sentence before ``head`` in the same paragraph, or ""."""
    text = before.strip()
    at = text.rfind(head) if head else -1
    if at <= 0:
        return ""
    rest = text[:at]
    if re.search(r"\n\s*\n\s*$", rest):
        return ""  # a new paragraph: what came before is about something else
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z$\\])|\n\s*\n", rest.strip())
    return parts[-1] if parts else ""


def _configuration_before(conf, before: str, head: str, roles) -> None:
    """A configuration stated in one sentence and computed with in the next: "Take an input of width 32 with a
    5-wide filter. The output then has width $32 - 5 + 1 = 28$." The sentence before counts only when the
    example's own sentence states no configuration or continues it (*its*, *then*, *the output*), and only
    for the roles it leaves open; a role both sentences give differently leaves the configuration alone.

    >>> from proofs.notation.configuration import read_configuration
    >>> c = read_configuration("The output then has width")
    >>> _configuration_before(c, "Take an input of width 32 with a 5-wide filter and stride 1. The output then has width", "The output then has width", None)
    >>> c.values
    {'input_size': 32, 'kernel': 5, 'stride': 1}
    """
    if conf.values and not _CONTINUES.search(head):
        return
    prev = _previous_sentence(before, head)
    if not prev:
        return
    earlier = read_configuration(prev, roles=roles)
    if earlier.conflicts:
        return
    for role, value in earlier.values.items():
        if role not in conf.values:
            conf.values[role] = value
            conf.evidence.setdefault(role, f"the sentence before: {earlier.evidence.get(role, prev[:40])}")
    if conf.bias is None:
        conf.bias = earlier.bias


def _quantity(head: str, tail: str) -> str | None:
    text = f"{head} {tail}".lower()
    unit = [q for q, rx in _QUANTITY_WORDS if re.search(rx, tail[:25].lower()) and q != "output_size"]
    if len(unit) == 1:  # the noun right after the value names what it counts ("= 77,070,336 MACs")
        return unit[0]
    near = f"{head[-60:]} {tail[:40]}".lower()
    found = [q for q, rx in _QUANTITY_WORDS if re.search(rx, near)] or [q for q, rx in _QUANTITY_WORDS if re.search(rx, text)]
    found = list(dict.fromkeys(found))
    if len(found) != 1:
        return None
    return found[0]


def _atoms(expr) -> list[int]:
    out = []
    for node in sp.preorder_traversal(expr):
        if node.is_Integer:
            out.append(abs(int(node)))
        elif node.is_Rational and not node.is_Integer:
            out += [abs(int(node.p)), abs(int(node.q))]
        elif node.is_Float:
            return [-1]
    return out


def _allowed(values: dict) -> set[int]:
    base = {1, 2}
    for v in values.values():
        base |= set(v) if isinstance(v, tuple) else {v}
    base |= {a * b for a in list(base) for b in list(base)}
    base |= {v - 1 for v in base if v > 1}
    return base


#: bytes of one value, by the type the sentence names
_DTYPES = ((8, r"float64|fp64|double(?: precision)?|64-bit float"), (4, r"float32|fp32|single[- ]precision|32-bit float"),
           (2, r"float16|fp16|bfloat16|bf16|half[- ]precision|16-bit float"), (1, r"u?int8|8-bit"))
_UNIT = {"byte": 1, "bytes": 1, "b": 1, "kb": 1024, "kib": 1024, "mb": 1024 ** 2, "mib": 1024 ** 2, "gb": 1024 ** 3,
         "gib": 1024 ** 3}
_SHAPE3 = re.compile(r"(?<![\d.])(\d+)\s*[×x]\s*(\d+)(?:\s*[×x]\s*(\d+))?(?![\d.])")


def _memory_statement(sides, final, head: str, tail: str) -> Statement | None:
    """A memory example: the tensor's shape from the sentence ("64 channels at 56×56", "a 56×56×64 map"), the
    bytes of a value from its type (float32: 4) — stated, or assumed float32 only where that matches."""
    text = _clean_times(head)
    if re.search(r"(?i)\bbatch\b|\bimages\b|\bsamples\b|\bweights?\b|\bparam", text):
        return None
    shapes = _SHAPE3.findall(text)
    if len(shapes) != 1:
        return None
    dims = tuple(int(x) for x in shapes[0] if x)
    chans = re.findall(r"(?i)(\d+)\s*(?:-\s*)?(?:channels?|feature maps|filters)\b", text)
    if len(dims) == 2 and len(set(chans)) == 1:
        dims = (int(chans[0]), *dims)
    elif len(dims) == 2 and chans:
        return None
    unit = re.match(r"\s*([KMG]i?B|bytes?)\b", tail, re.I)
    if unit is None:
        return None
    scale = _UNIT[unit.group(1).lower()]
    stated = [b for b, rx in _DTYPES if re.search(rf"(?i)\b(?:{rx})\b", f"{head} {tail[:60]}")]
    per = re.findall(r"(?i)(\d)[- ]bytes?\s+(?:per|each|a|for each)\b", f"{head} {tail[:60]}")
    stated += [int(b) for b in per]
    if len(set(stated)) > 1:
        return None
    nbytes = stated[0] if stated else 4
    if not stated and final * scale != Fraction(Flatten().output_shape((1, *dims))[-1]) * nbytes:
        return None  # no type stated: only the float32 reading that matches is taken
    exprs = [x for x in sides[:-1] if numeric_value(x) is not None and not x.is_Number]
    allowed = _allowed({"shape": dims, "bytes": nbytes, "unit": scale})
    if any(a not in allowed for e in exprs for a in _atoms(e)):
        return None
    return Statement("memory", {"tensor_shape": dims, "bytes": nbytes}, final * scale,
                     evidence=f"shape {'×'.join(map(str, dims))} from the sentence, {nbytes} bytes per value"
                              + ("" if stated else " (float32 assumed)"))


def _clean_times(text: str) -> str:
    return re.sub(r"\\times|\\cdot|\u00d7|\*", "×", text)


def _macs_from_output(conf, head: str) -> None:
    """MACs given per output position: a stride-1 convolution whose output is the stated size (``on a 56×56
    output``) is one with that input and padding ⌊k/2⌋ per side (odd k) — the configuration derive takes."""
    v = conf.values
    k = v.get("kernel")
    k = k[0] if isinstance(k, tuple) and len(set(k)) == 1 else k
    m = re.search(r"(?i)(\d+)\s*[×x]\s*(\d+)\s+output|output (?:of |size (?:of |is )?)?(\d+)\s*[×x]\s*(\d+)",
                  _clean_times(head))
    if "input_size" in v or m is None or not isinstance(k, int) or k % 2 == 0 or v.get("stride", 1) != 1 or "padding" in v:
        return
    size = tuple(int(x) for x in m.groups() if x)
    v["input_size"] = size
    v["padding"] = k // 2
    conf.evidence["input_size"] = f"output {size[0]}×{size[1]} of a stride-1 layer with padding {k // 2} per side"


def example_statement(sides, before: str, after: str, *, roles: dict | None = None,
                      padding: str | None = None) -> Statement | None:
    """The :class:`Statement` a numeric worked example makes, or None when the sentence does not settle one."""
    if len(sides) < 2:
        return None
    final = numeric_value(sides[-1])
    if final is None or (hasattr(final, "denominator") and final.denominator != 1):
        return None
    head, tail = _sentence(before, after)
    if _PART.search(f"{head[-80:]} {tail[:60]}"):
        return None
    quantity = _quantity(head, tail)
    if quantity is None:
        return None
    if quantity == "memory":
        return _memory_statement(sides, final, head, tail)
    conf = read_configuration(head, roles=roles)
    if conf.conflicts:
        return None
    _configuration_before(conf, before, head, roles)
    if quantity == "macs":
        _macs_from_output(conf, head)
    exprs = [s for s in sides[:-1] if numeric_value(s) is not None and not s.is_Number]
    allowed = _allowed(conf.values)
    if any(a not in allowed for e in exprs for a in _atoms(e)):
        return None
    bias = conf.bias
    if quantity == "param_count" and re.search(r"(?i)\bweights\b", f"{head[-60:]} {tail[:40]}") and not re.search(
            r"(?i)param", f"{head} {tail}"):
        bias = False
    if str(conf.evidence.get("input_size", "")).startswith("output"):
        padding = "per_side"
    return Statement(quantity, dict(conf.values), final, bias=bias, padding=padding,
                     evidence=", ".join(f"{k} from {v!r}" for k, v in conf.evidence.items())[:200])
