r"""The shape labels of a document's figures, grouped by figure, each at its line.

A figure states the tensors of a network as labels — ``224×224×64``, ``112x112x128``, ``64@56×56`` — in a TikZ
drawing or a Mermaid/Graphviz diagram (:mod:`proofs.document.tikz`, :mod:`proofs.document.diagrams`), an ASCII
drawing in a code block (fenced or ``<pre>``), the alternative text or caption of an image (``alt="…"``,
``<figcaption>``, ``![…](…)``, ``\caption{…}``, a line starting ``Figure 3:``), or a chain of arrows in prose
(``224×224×3 → 112×112×64 → …``, two arrows or more). Only 3-D shapes written with ``×``/``x`` or ``@`` count
(``512*7*7`` in code is a product, ``1x3x224x224`` has a batch axis); nothing is evaluated.

>>> doc = ["Some text", "```", "[224x224x3]", "    |", "[112x112x64]", "```", "",
...        '<img src="a.png" alt="VGG: 56x56x256, 28x28x512">']
>>> [(g.start, g.end, g.labels) for g in figure_labels(doc)]
[(2, 6, [(3, '224x224x3'), (5, '112x112x64')]), (8, 8, [(8, '56x56x256'), (8, '28x28x512')])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tikz import label_text, tikz_pictures

__all__ = ["LabelGroup", "figure_labels", "shape_labels"]

_SHAPE = re.compile(r"(?<![\d×xX*.])(?:\d+\s*@\s*\d+\s*[×xX]\s*\d+|\d+\s*[×xX]\s*\d+\s*[×xX]\s*\d+)(?!\s*[×xX*]\s*\d|[\d.])")
_ARROWS = re.compile(r"→|⟶|->|-->|=>|⇒|\\(?:to|rightarrow|longrightarrow|Rightarrow)\b")
_CAPTION = re.compile(r"""(?isx)
      \balt\s*=\s*"([^"]*)"                      # <img alt="...">
    | \balt\s*=\s*'([^']*)'
    | <figcaption[^>]*>(.*?)</figcaption>
    | !\[([^\]]*)\]\(                             # ![alt](src)
    | \\caption\{(.*)\}
    | ^\s*(?:\*\*|_)?(?:figure|fig\.)\s*\d+[.:]?(.*)$""")


_TABLE_ROW = re.compile(r"^\s*\|.*\||\|.*\|.*\||&.*(?:\\\\|&)|<t[dh]\b|<tr\b", re.I)


@dataclass
class LabelGroup:
    """The shape labels ``(line, text)`` of one figure, drawn between lines ``start`` and ``end``."""

    start: int
    end: int
    labels: list
    kind: str


#: a batched tensor printed by a framework: ``torch.Size([1, 64, 56, 56])``, ``(batch, 64, 112, 112)``, ``(None, 56, 56, 256)``
_BATCHED = re.compile(r"(?:torch\.Size\(\[|\(|\[)\s*(?:1|None|batch(?:_size)?|N|B|bs|\?|-1)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*[\])]")


def shape_labels(text: str, batched: bool = False) -> list[str]:
    """The 3-D shapes written in ``text`` (LaTeX ``\\times`` read as ×); with ``batched``, also the tensors a framework
    prints with their batch axis first (``torch.Size([1, 64, 56, 56])``, ``(None, 56, 56, 256)``), as ``C@H×W`` /
    ``H×W×C`` by where the square pair stands.

    >>> shape_labels(r"conv1 $55\\times55\\times96$, then 27x27x96; not 512*7*7 nor 1x3x224x224; 6@28×28")
    ['55×55×96', '27x27x96', '6@28×28']
    >>> shape_labels("out: torch.Size([1, 64, 56, 56]); keras (None, 28, 28, 32); (batch, 3, 5, 7)", batched=True)
    ['64@56×56', '28×28×32']
    """
    text = re.sub(r"\s*\\(?:times|cross)(?![A-Za-z])\s*", "×", text)
    found = [(m.start(), m.group(0)) for m in _SHAPE.finditer(text)]
    if batched:
        for m in _BATCHED.finditer(text):
            a, b, c = (int(g) for g in m.groups())
            if b == c != a:
                found.append((m.start(), f"{a}@{b}×{c}"))
            elif a == b != c:
                found.append((m.start(), f"{a}×{b}×{c}"))
    return [t for _, t in sorted(found)]


def _code_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """``(first, last)`` lines of fenced code blocks and ``<pre>`` blocks, except Mermaid and Graphviz ones."""
    out, start, fence = [], None, None
    for n, raw in enumerate(lines, start=1):
        s = raw.strip()
        if start is None:
            m = re.match(r"(```+|~~~+)\s*([\w-]*)", s)
            if m:
                start, fence = n, m.group(1)
                if m.group(2).lower() in ("mermaid", "dot", "graphviz"):
                    start = -n
            elif re.match(r"(?i)<pre\b", s):
                start, fence = n, "</pre>"
                if re.search(r"(?i)</pre>", s):
                    out.append((n, n))
                    start = None
            continue
        if s.startswith(fence) or (fence == "</pre>" and re.search(r"(?i)</pre>", s)):
            if start > 0:
                out.append((start, n))
            start = None
    return out


def figure_labels(lines: list[str]) -> list[LabelGroup]:
    """Every figure of the document with two shape labels or more (a caption or alternative text: one or more),
    in the order of their first lines."""
    from .diagrams import diagrams

    groups = []
    for p in tikz_pictures(lines) + diagrams(lines):
        items = sorted([(n.line, n.text) for n in p.nodes] + [(e.line, e.text) for e in p.edges])
        labels = [(n, s) for n, t in items for s in shape_labels(label_text(t))]
        if len(labels) >= 2:
            span = [n for n, _ in items] or [p.line]
            groups.append(LabelGroup(min(p.line, *span), max(span), labels, "drawing"))
    drawn = {n for g in groups for n in range(g.start, g.end + 1)}
    for a, b in _code_blocks(lines):
        labels = [(n, s) for n in range(a + 1, b + (a == b)) for s in shape_labels(lines[n - 1], batched=True)]
        if len(labels) >= 2 and not drawn & set(range(a, b + 1)):
            groups.append(LabelGroup(a, b, labels, "code block"))
    inside = {n for g in groups for n in range(g.start, g.end + 1)}
    for n, raw in enumerate(lines, start=1):
        if n in inside:
            continue
        texts = [next(g for g in m.groups() if g is not None) for m in _CAPTION.finditer(raw)]
        kind = "caption"
        if not texts and len(_ARROWS.findall(raw)) >= 2:
            texts, kind = [raw], "arrow chain"
        labels = [(n, s) for t in texts for s in shape_labels(label_text(t))]
        if labels:
            groups.append(LabelGroup(n, n, labels, kind))
    groups += _shape_lines(lines, {n for g in groups for n in range(g.start, g.end + 1)})
    return sorted(groups, key=lambda g: g.start)


def _shape_lines(lines: list[str], taken: set) -> list[LabelGroup]:
    """Runs of lines that read as the labels of a drawing exported to text (slides, lists): a line with two shapes
    or more, or a line that is one shape and few words (``– 224×224×3``, ``output: 112×112×64``); lines at most
    three apart make one run, and a run needs two shapes."""
    runs: list[list] = []
    last = -10
    for n, raw in enumerate(lines, start=1):
        if n in taken or _TABLE_ROW.search(raw):
            continue  # a table's rows are read as a table (proofs.judge.tables)
        text = label_text(raw) if "\\" in raw or "$" in raw else raw
        found = shape_labels(text)
        rest = _SHAPE.sub(" ", re.sub(r"\s*\\(?:times|cross)(?![A-Za-z])\s*", "×", text))
        if len(found) >= 2 or (found and len(re.findall(r"[A-Za-z]{2,}", rest)) <= 3):
            if n - last > 3 or not runs:
                runs.append([])
            runs[-1] += [(n, s) for s in found]
            last = n
    return [LabelGroup(r[0][0], r[-1][0], r, "shape list") for r in runs if len(r) >= 2]
