r"""The role and the *part* a library/specification name gives: ``pad_along_height`` is the total padding of
an axis, ``pad_top`` its first side, ``strides[1]`` a stride, ``kernel_shape[i]`` a kernel size.

API references and specifications (TensorFlow, ONNX, oneDNN, Caffe, PyTorch) write hyperparameters as
identifiers made of words: a quantity word (``in``/``input``/``src``, ``out``/``output``/``dst``,
``filter``/``kernel``/``window``, ``stride(s)``, ``pad(ding)(s)``, ``dil(ation)(s)``), an axis word
(``height``/``width``/``h``/``w`` or an index ``[i]``, ``[1]``) and, for padding, the part of the axis's
padding meant: the *total* (``along``, ``total``, ``sum``, ``shape``, ``needed``), the *first* side
(``top``, ``left``, ``begin``, ``start``, ``front``, ``_L``) or the *last* side (``bottom``, ``right``,
``end``, ``back``, ``_R``). Indexed names read their base for the role and their index for the side
(``pads[start_i]``). Only the vocabulary is data; no sentence of any document is.

Examples
--------
>>> [spec_role(n) for n in ("pad_along_height", "pad_top", "pad_bottom", "in_height", "filter_width", "out_w")]
[('padding', 'total'), ('padding', 'begin'), ('padding', 'end'), ('input_size', None), ('kernel', None), ('output_size', None)]
>>> [spec_role(n) for n in ("strides[1]", "pads[start_i]", "total_padding[i]", "PH_R", "dilations[i]", "output_padding[i]")]
[('stride', None), ('padding', 'begin'), ('padding', 'total'), ('padding', 'end'), ('dilation', None), ('output_padding', None)]
>>> spec_role("P_total"), spec_role("p_top"), spec_role("P_x")
(('padding', 'total'), ('padding', 'begin'), (None, None))
>>> spec_role("banana"), spec_role("in"), spec_role("dil"), spec_role("src_h"), spec_role("in_channels")
((None, None), ('input_size', None), ('dilation', None), ('input_size', None), (None, None))
>>> axis_of("pad_along_width"), axis_of("strides[1]"), axis_of("IH"), axis_of("kernel_shape[i]"), axis_of("k")
('w', '1', 'h', 'i', None)
"""

from __future__ import annotations

import re

from .names import abbreviation_role, name_parts, side_of

__all__ = ["spec_role", "axis_of", "split_indexed"]

#: words naming the total padding of an axis (both sides together)
_TOTAL = {"along", "total", "sum", "shape", "needed", "overall"}
#: words naming the first / the last side of an axis
_BEGIN = {"top", "left", "begin", "beg", "start", "front", "l", "t", "before", "lo", "low", "lower"}
_END = {"bottom", "right", "end", "back", "r", "b", "after", "hi", "high", "upper"}
#: a short word standing alone for a role (code names: ``in``, ``out``, ``dil``, ``src``, ``dst``)
_SHORT = {"in": "input_size", "input": "input_size", "src": "input_size", "inp": "input_size",
          "out": "output_size", "output": "output_size", "dst": "output_size",
          "dil": "dilation", "dilation": "dilation", "dilations": "dilation", "rate": "dilation",
          "pad": "padding", "pads": "padding", "padding": "padding",
          "stride": "stride", "strides": "stride", "kernel": "kernel", "filter": "kernel", "ksize": "kernel"}
_AXIS_WORDS = {"height": "h", "h": "h", "rows": "h", "y": "h", "width": "w", "w": "w", "cols": "w", "x": "w",
               "depth": "d3"}
_QUANTITY_STEMS = (("output_padding", None), ("padding", ("pad",)), ("stride", ("stride", "step")),
                   ("dilation", ("dilat", "dil")), ("kernel", ("kernel", "filter", "ksize", "window", "weights")),
                   ("output_size", ("out", "dst")), ("input_size", ("in", "input", "src")))


def split_indexed(name: str) -> tuple[str, str]:
    """``("strides", "1")`` for ``"strides[1]"``; ``(name, "")`` for a plain name."""
    m = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\[\s*([^\]]*)\]\s*", name)
    return (m.group(1), m.group(2).strip()) if m else (name.strip(), "")


def _words(name: str) -> list[str]:
    return [w.lower() for w in name_parts(name) if re.fullmatch(r"[A-Za-z]+", w)]


def _role_of_base(base: str) -> str | None:
    abbrev = abbreviation_role(base) or abbreviation_role(name_parts(base)[0])  # PH_L, or PH_total
    if abbrev is not None:
        return abbrev
    words = _words(base)
    if not words or any(w.startswith(("channel", "group", "batch", "feature")) for w in words):
        return None  # in_channels, num_groups: not a size along a spatial axis
    if len(words) == 1 and words[0] in _SHORT:
        return _SHORT[words[0]]
    if any(w.startswith("out") for w in words) and any(w.startswith("pad") for w in words):
        return "output_padding"
    quantity = [w for w in words if w not in _AXIS_WORDS and w not in _TOTAL | _BEGIN | _END
                and w not in ("size", "shape", "spatial", "dim", "dims", "len", "length", "effective", "eff")]
    for role, stems in _QUANTITY_STEMS[1:]:
        if any(w.startswith(stems) if len(w) >= 3 else w in stems for w in quantity):
            return role
    return None


def spec_role(name: str) -> tuple[str | None, str | None]:
    """``(role, part)`` of a specification name; ``part`` is ``"total"``, ``"begin"``, ``"end"`` or None."""
    base, index = split_indexed(name)
    role = _role_of_base(base)
    parts = name_parts(base)
    if role is None and len(parts) >= 2 and parts[0] in ("P", "p") and \
            all(w.lower() in _TOTAL | _BEGIN | _END for w in parts[1:] if w.isalpha()):
        role = "padding"  # P_total, P_top, p_left: the padding letter with the part it is for
    if role != "padding":
        return role, None
    words = _words(base) + _words(index)
    if abbreviation_role(base) and side_of(base):  # PH_L, PW_R
        return role, side_of(base)
    if any(w in _TOTAL for w in words):
        return role, "total"
    tail = [w for w in words if w not in ("pad", "pads", "padding", "paddings", "i", "j", "n")]
    if any(w in _BEGIN for w in tail) and not any(w in _END for w in tail):
        return role, "begin"
    if any(w in _END for w in tail) and not any(w in _BEGIN for w in tail):
        return role, "end"
    return role, None


def axis_of(name: str) -> str | None:
    """The axis a name is for: ``"h"``, ``"w"``, an index as written (``"1"``, ``"i"``), or None."""
    base, index = split_indexed(name)
    if index:
        return index if re.fullmatch(r"[A-Za-z]|\d+", index) else None
    if abbreviation_role(base) and len(base) >= 2 and base[1] in "HWD":
        return {"H": "h", "W": "w", "D": "d3"}[base[1]]
    words = _words(base)
    found = {_AXIS_WORDS[w] for w in words[1:] if w in _AXIS_WORDS}
    return found.pop() if len(found) == 1 else None
