r"""Model summaries printed as text: Keras ``model.summary()``, torchsummary and torchinfo tables.

A summary is recognised by its header line (``Layer (type) … Output Shape … Param #``, also with
``Layer (type:depth-idx)``); each following row gives a layer's name and type, its output shape
(``(None, 26, 26, 32)``, ``[-1, 64, 112, 112]``, ``[1, 10, 24, 24]``) and its parameter count; the
footer gives ``Total params``, ``Trainable params``, ``Non-trainable params`` (Keras 3 adds the size
in bytes, ``34,826 (136.04 KB)``) and, for the PyTorch tools, ``Params size (MB)`` and the like.
Every row keeps its line, so a finding names the row. Reading only: nothing is judged here.

Examples
--------
>>> text = '''Layer (type)                 Output Shape              Param #
... =================================================================
... conv2d_1 (Conv2D)            (None, 26, 26, 32)        320
... max_pooling2d_1 (MaxPooling2 (None, 13, 13, 32)        0
... =================================================================
... Total params: 320
... Trainable params: 320
... Non-trainable params: 0'''
>>> s = find_summaries(list(enumerate(text.splitlines(), 1)))[0]
>>> [(r.line, r.name, r.kind, r.shape, r.params) for r in s.rows]
[(3, 'conv2d_1', 'Conv2D', (None, 26, 26, 32), 320), (4, 'max_pooling2d_1', 'MaxPooling2', (None, 13, 13, 32), 0)]
>>> s.style, s.footer["total params"].value, s.footer["non-trainable params"].line
('keras', 320, 8)
>>> t = find_summaries([(1, "        Layer (type)               Output Shape         Param #"),
...                     (2, "            Conv2d-1         [-1, 64, 112, 112]           9,408"),
...                     (3, "Total params: 9,408"), (4, "Params size (MB): 0.04")])[0]
>>> t.style, t.rows[0].kind, t.rows[0].shape, t.rows[0].params, t.footer["params size (mb)"].value
('torchsummary', 'Conv2d', (None, 64, 112, 112), 9408, Fraction(1, 25))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = ["SummaryRow", "FooterItem", "ModelSummary", "find_summaries"]

_HEADER = re.compile(r"(?i)\bLayer\s*\(type[^)]*\).*\bOutput\s+Shape\b.*\bParam\s*#")
_BOX = str.maketrans({c: " " for c in "│┃║|┏┓┗┛┡┩┢┪╇┳┻━─═╍"})
_INT = r"\d{1,3}(?:,\d{3})+|\d+"
#: ``(None, 26, 26, 32)`` / ``[(None, 28, 28, 1)]`` / ``[-1, 64, 112, 112]`` / ``[1, 10]``
_SHAPE = re.compile(r"\[?\(\s*(?:None|\d+|-1)(?:\s*,\s*(?:None|\d+|-1))*\s*,?\s*\)\]?"
                    r"|\[\s*(?:-1|\d+)(?:\s*,\s*\d+)*\s*\]")
_FOOT = re.compile(r"(?i)^\s*((?:total|trainable|non-trainable|optimizer) params|total mult-adds\s*\((?:[kmgt])\)"
                   r"|input size \(mb\)|forward/backward pass size \(mb\)|params size \(mb\)"
                   r"|estimated total size \(mb\))\s*:\s*(" + _INT + r"(?:\.\d+)?)\s*(?:\((\d+(?:\.\d+)?)\s*([KMGT]?B)\))?")


@dataclass(frozen=True)
class SummaryRow:
    """One layer row: ``shape`` has ``None`` for the batch dimension (``-1`` and ``None`` both read so)."""

    line: int
    name: str
    kind: str
    shape: tuple | None
    params: int | None
    depth: int = 0
    shape_text: str = ""
    params_text: str = ""
    text: str = ""


@dataclass(frozen=True)
class FooterItem:
    """A footer value (``Total params: 55,744``); ``size`` is the bytes shown beside it by Keras 3 (value, unit)."""

    line: int
    value: Fraction | int
    text: str
    size: tuple | None = None


@dataclass
class ModelSummary:
    """A summary: its style (``keras``, ``torchsummary``, ``torchinfo``), header line, rows and footer."""

    style: str
    header_line: int
    rows: list = field(default_factory=list)
    footer: dict = field(default_factory=dict)
    batch: int | None = None  # torchinfo prints the batch size in every shape
    connected: bool = False  # a Keras "Connected to" column: a functional model, not necessarily a chain


def _shape(text: str) -> tuple | None:
    inner = re.sub(r"[\[\]()\s]", "", text)
    parts = [p for p in inner.split(",") if p]
    out = []
    for p in parts:
        out.append(None if p in ("None", "-1") else int(p))
    return tuple(out) if out else None


def _name_kind(head: str, style: str) -> tuple[str, str, int]:
    """``(name, type, depth)`` from the text before the shape."""
    depth = 0
    m = re.match(r"^([\s│|]*)(?:[├└]─+)?", head)
    if style == "torchinfo":
        depth = len(re.findall(r"[├└│|]", m.group(0))) if m else 0
        h = head[m.end():].strip() if m else head.strip()
        t = re.match(r"([A-Za-z_][\w.]*)\s*(?:\(([^)]*)\))?\s*:\s*(\d+)-(\d+)", h)
        if t:
            return (t.group(2) or t.group(1)), t.group(1), int(t.group(3))
        return h, h.split()[0] if h.split() else "", depth
    h = head.strip()
    k = re.match(r"(\S+)\s+\(([A-Za-z_]\w*)\)?", h)  # Keras: name (Type) — the type may be cut by the column
    if k:
        return k.group(1), k.group(2), 0
    t = re.match(r"([A-Za-z_]\w*)-(\d+)$", h)  # torchsummary: Type-index
    if t:
        return h, t.group(1), 0
    return h, h, 0


def _number(text: str):
    t = text.replace(",", "")
    return Fraction(t) if "." in t else int(t)


def find_summaries(lines: list[tuple[int, str]]) -> list[ModelSummary]:
    """Every model summary among ``lines`` (``(line number, text)`` pairs, in order)."""
    out: list[ModelSummary] = []
    cur: ModelSummary | None = None
    for n, raw in lines:
        text = raw.rstrip("\n")
        if _HEADER.search(text):
            style = "torchinfo" if re.search(r"(?i)type:depth-idx", text) else "keras"
            cur = ModelSummary(style, n, connected=bool(re.search(r"(?i)connected\s+to", text)))
            out.append(cur)
            continue
        if cur is None:
            continue
        plain = text.translate(_BOX)
        f = _FOOT.match(plain)
        if f:
            key = re.sub(r"\s+", " ", f.group(1).lower())
            size = (Fraction(f.group(3)), f.group(4)) if f.group(3) else None
            cur.footer.setdefault(key, FooterItem(n, _number(f.group(2)), plain.strip(), size))
            continue
        if cur.footer or not plain.strip():
            continue  # after the footer only footer lines belong to the summary
        m = _SHAPE.search(plain)
        if not m:
            continue
        after = plain[m.end():]
        p = re.match(r"\s*(" + _INT + r"|--|0)(?!\S)", after)
        params = int(p.group(1).replace(",", "")) if p and p.group(1) != "--" else None
        head = plain[: m.start()]
        if cur.style == "keras" and re.search(r"-\d+\s*$", head) and not re.search(r"\(", head):
            cur.style = "torchsummary"
        shape = _shape(m.group(0))
        if cur.style == "torchinfo" and shape and shape[0] is not None:
            cur.batch = shape[0] if cur.batch is None else cur.batch
            shape = (None, *shape[1:])
        name, kind, depth = _name_kind(head if cur.style != "torchinfo" else text[: len(head)], cur.style)
        cur.rows.append(SummaryRow(n, name, kind, shape, params, depth, m.group(0).strip(),
                                   p.group(1) if p else "", plain.strip()))
    return [s for s in out if s.rows]
