r"""What a print or a displayed value looks like, as a pattern over the output line, and the shapes read back.

A ``print`` is a list of parts (literal text, values). Literal text must appear as written (runs of
whitespace are free); a shape part matches the ways libraries print shapes — ``torch.Size([1, 6, 28, 28])``,
``TensorShape([None, 26, 26, 32])``, ``(1, 26, 26, 32)``, ``[1, 26, 26, 32]`` — and an integer part a number;
other values match anything. The line must match the whole pattern, which is how an output line is known
to belong to the print; the shapes and numbers the line holds are then the document's claims.

>>> from proofs.code.values import Tensor
>>> from proofs.code.interpret import Shape
>>> s = Shape.of(Tensor((1, 6, 28, 28), "torch"))
>>> read_line(["Conv2d", " ", "output shape:\t", " ", s], "Conv2d output shape:\t torch.Size([1, 6, 28, 28])")
[((1, 6, 28, 28), (1, 6, 28, 28), 'torch.Size([1, 6, 28, 28])')]
>>> read_line(["out: ", s], "something else") is None
True
>>> parse_shape("(None, 13, 13, 32)"), parse_shape("N x 64 x 112 x 112"), parse_shape("14×14")
((None, 13, 13, 32), ('N', 64, 112, 112), (14, 14))
"""

from __future__ import annotations

import re

from .interpret import Count, Dim, Shape
from .values import Tensor, is_int

__all__ = ["read_line", "parse_shape", "shapes_in_comment", "SHAPE_TEXT"]

_ENTRY = r"\s*(?:-?\d+|None|\?|[A-Za-z_]\w{0,11})\s*"
_LIST = rf"(?:{_ENTRY}(?:,{_ENTRY})*,?\s*)?"
#: one printed shape, in any library's form
SHAPE_TEXT = (rf"(?:torch\.Size\(\[{_LIST}\]\)|TensorShape\(\[{_LIST}\]\)|\({_LIST}\)|\[{_LIST}\])")
_X_FORM = r"(?:(?:\d+|[A-Za-z]\w{0,5})\s*[x×]\s*)+\d+"


def parse_shape(text: str) -> tuple | None:
    """The entries of a written shape: ints, ``None`` and names (symbolic sizes) kept as strings."""
    t = text.strip()
    m = re.fullmatch(r"(?:torch\.Size|TensorShape)\(\[(.*)\]\)|\((.*)\)|\[(.*)\]", t, re.S)
    if m:
        inner = next(g for g in m.groups() if g is not None)
        items = [i.strip() for i in inner.split(",")]
        if items and items[-1] == "":
            items = items[:-1]
    elif re.fullmatch(_X_FORM, t):
        items = [i.strip() for i in re.split(r"[x×]", t)]
    else:
        return None
    out = []
    for i in items:
        if re.fullmatch(r"-?\d+", i):
            out.append(int(i))
        elif i in ("None", "?"):
            out.append(None)
        elif re.fullmatch(r"[A-Za-z_]\w*", i):
            out.append(i)
        else:
            return None
    return tuple(out)


def _pattern(parts: list) -> tuple[str, list] | None:
    regex, kinds = [], []
    for p in parts:
        if isinstance(p, str):
            chunks = [re.escape(c) for c in re.split(r"\s+", p)]
            regex.append(r"\s*".join(chunks) if p.strip() else r"\s*")
        elif isinstance(p, Shape):
            regex.append(f"({SHAPE_TEXT})")
            kinds.append(p)
        elif isinstance(p, Tensor) and p.lib == "tf":  # an eager tensor's repr: <tf.Tensor: shape=(1, 4, 4, 1), …
            regex.append(rf"<tf\.(?:Tensor|Variable)[^>]*?shape=({SHAPE_TEXT}),.*")
            kinds.append(Shape.of(p))
        elif isinstance(p, (Dim, Count)):
            regex.append(r"(-?\d{1,3}(?:,\d{3})+|-?\d+)")
            kinds.append(p)
        elif is_int(p) or isinstance(p, float) or p is None or isinstance(p, bool):
            regex.append(re.escape(str(p)))
        elif isinstance(p, tuple) and all(is_int(v) for v in p):
            regex.append(re.escape(str(p)))
        else:
            regex.append(r".*?")
    return r"\s*" + "".join(regex) + r"\s*", kinds


def read_line(parts: list, line: str) -> list | None:
    """``[(value, claimed, text)]`` for each shape or size part when ``line`` is what ``parts`` print; else None."""
    pat, kinds = _pattern(parts)
    m = re.fullmatch(pat, line, re.S) if "\n" in line else re.fullmatch(pat, line)
    if m is None:
        return None
    out = []
    for value, text in zip(kinds, m.groups()):
        claimed = parse_shape(text) if isinstance(value, Shape) else (int(text.replace(",", "")),)
        if claimed is None:
            return None
        out.append((value, claimed, text))
    return out


def shapes_in_comment(text: str) -> list[tuple[tuple, str]]:
    """The shapes a comment states (``# -> (N, 64, 112, 112)``, ``# torch.Size([1, 6, 28, 28])``, ``# 14x14``)."""
    out = []
    for m in re.finditer(rf"{SHAPE_TEXT}|(?<![\w.]){_X_FORM}(?![\w.])", text):
        shape = parse_shape(m.group(0))
        if shape and any(is_int(v) for v in shape) and (len(shape) > 1 or m.group(0).endswith(",)")):
            out.append((shape, m.group(0)))
    return out


