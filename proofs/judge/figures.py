r"""Architecture drawings (TikZ) read as a described network and checked by :mod:`proofs.judge.layer_chain`.

A picture (:func:`proofs.document.tikz.tikz_pictures`) is read in the order it draws the network: along its
labelled edges when its shape nodes are joined by edges (``(a) -- node {conv 5×5} (b)``), else in drawing
order. Each label is split into the layer it names (``conv 3×3``, ``max pool /2``, ``fc 4096``, ``C1``) and
the shape it states (``24×24×20``, ``6@28×28``, ``[55×55×96]``; ``28×28`` only in a label naming no
convolution or pooling, where it cannot be the kernel). A shape is the output of the layer named in the
same label, else of the layer named on the edge or in the label just before it; a shape with no layer
before it starts a new chain (figures omit layers: a transition whose layer is not determined is not
judged). PlotNeuralNet boxes give their channels (``xlabel``) and size (``zlabel``).

Only determined verdicts are reported (CORRECT / INCORRECT / CONDITIONAL), at the line of the label stating
the shape, the explanation starting with "figure".

>>> pic = r'''\begin{tikzpicture}
... \node (in) at (0,0) {input $28\times28\times1$};
... \node (c1) at (3,0) {$24\times24\times20$};
... \node (p1) at (6,0) {$12\times12\times20$};
... \node (c2) at (9,0) {$10\times10\times50$};
... \draw[->] (in) -- node[above] {conv $5\times5$, 20} (c1);
... \draw[->] (c1) -- node[above] {max pool $2\times2$} (p1);
... \draw[->] (p1) -- node[above] {conv $5\times5$, 50} (c2);
... \end{tikzpicture}'''
>>> [(n, j.verdict, j.quantity) for n, _, j in figure_findings(pic.splitlines())]
[(3, 'CORRECT', 'output_size'), (4, 'CORRECT', 'output_size'), (5, 'CONDITIONAL', 'output_size')]
"""

from __future__ import annotations

import re

from ..document.tikz import Node, Picture, tikz_pictures
from .judgement import Judgement
from .layer_chain import LayerRow, chain_findings, describe, kind_of, parse_shape

__all__ = ["figure_findings", "label_parts", "arrow_chains"]

_SHAPE3 = re.compile(r"\[?\(?\b(\d+)\s*@\s*(\d+)\s*[×xX]\s*(\d+)\b\)?\]?|\[?\(?\b(\d+)\s*[×xX*]\s*(\d+)\s*[×xX*]\s*(\d+)\b\)?\]?")
_END = "\x00end of a chain"
_SHAPE2 = re.compile(r"(?<![\d×])\b(\d+)\s*[×xX]\s*(\d+)\b(?!\s*[×xX@]\s*\d)")


def label_parts(text: str, after: str | None = None) -> tuple[str, tuple | None, str]:
    """``(layer text, shape, shape text)`` of a label; ``after`` is the kind of the layer before it (a bare number
    after a dense layer is its units).

    >>> label_parts("conv1 | 24×24×20"), label_parts("conv 5×5"), label_parts("28×28")
    (('conv1', ('?', (24, 24, 20)), '24×24×20'), ('conv 5×5', None, ''), ('', ('?', (28, 28)), '28×28'))
    >>> label_parts("C1: feature maps 6@28×28")
    ('C1: feature maps', ('chw', (6, 28, 28)), '6@28×28')
    """
    layer_words = kind_of(text)
    found = list(_SHAPE3.finditer(text))
    m = found[-1] if found else None  # "conv 5×5×3 | 24×24×20": the kernel first, the output last
    if len(found) == 1 and layer_words == "conv":
        a = re.findall(r"\d+", m.group(0))
        if a[0] == a[1] and int(a[0]) <= 5 and "@" not in m.group(0):
            m = None  # "conv 3×3×64" alone: a kernel with its depth or filters, not an output
    if m is None and layer_words not in ("conv", "max_pool", "avg_pool"):
        m = _SHAPE2.search(text)
        if m and re.search(r"(?i)kernel|filter|window|patch|receptive", text):
            m = None
    if m is None:
        if after == "dense" and re.fullmatch(r"\d+", text.strip()):
            return "", ("flat", (int(text.strip()),)), text.strip()
        return text.strip(" |:,"), None, ""
    shape_text = m.group(0).strip("[]() ")
    layer = (text[:m.start()] + " " + text[m.end():]).strip(" |:,-")
    layer = re.sub(r"(?:\s*\|\s*)+", " | ", layer).strip(" |")
    return layer, parse_shape(shape_text), shape_text


_COUNT = re.compile(r"(?i)(?:#\s*)?(?:param(?:eter)?s|weights)\s*[:=]?\s*([\d.,]+\s*[KkMG]?)\b|"
                    r"([\d][\d.,]*\s*[KkMG]?)\s*(?:trainable\s+)?(?:param(?:eter)?s|weights)\b")


def counted(label: str) -> tuple[str, str | None]:
    """``(label without it, count)`` of a parameter count written in a label (``896 params``, ``params: 1.2M``).

    >>> counted("conv 3×3, 32 | 896 params"), counted("fc-4096 (params: 102.8M)"), counted("conv3-64")
    (('conv 3×3, 32', '896'), ('fc-4096', '102.8M'), ('conv3-64', None))
    """
    m = _COUNT.search(label)
    if m is None:
        return label, None
    rest = (label[:m.start()] + label[m.end():]).strip()
    rest = re.sub(r"\(\s*\)|\[\s*\]", "", rest).strip(" |,;:-")
    return rest, (m.group(1) or m.group(2)).strip().rstrip(".,")


def _order(p: Picture) -> list[tuple[int, str, Node | None]]:
    """The picture's items ``(line, label, node)`` along its edges (a chain of out-degree one), else drawn order."""
    by_name = {n.name: n for n in p.nodes if n.name}
    labelled = [e for e in p.edges if e.source in by_name and e.target in by_name]
    on_edges = {e.source for e in labelled} | {e.target for e in labelled}
    if not any(label_parts(by_name[n].text)[1] or by_name[n].box for n in on_edges):
        return [(n.line, n.text, n) for n in p.nodes]  # the edges join no shapes: the drawing order tells the story
    out_edges: dict = {}
    targets = set()
    for e in labelled:
        out_edges.setdefault(e.source, []).append(e)
        targets.add(e.target)
    items: list = []
    for start in [n for n in p.nodes if n.name in out_edges and n.name not in targets]:
        cur, seen = start, set()
        items.append((cur.line, cur.text, cur))
        while cur.name in out_edges and len(out_edges[cur.name]) == 1 and cur.name not in seen:
            seen.add(cur.name)
            e = out_edges[cur.name][0]
            items.append((e.line, e.text, None))
            cur = by_name[e.target]
            items.append((cur.line, cur.text, cur))
        items.append((cur.line, _END, None))
    return items


def _box_shape(n: Node, kind: str | None) -> tuple | None:
    c, z = n.box.get("x"), n.box.get("z")
    if z is None:
        return None
    if kind == "dense":
        return "flat", (int(z),)
    if c is None:
        return None
    return "chw", (int(c), int(n.box.get("y", z)), int(z))


def _rows(items) -> list[list[LayerRow]]:
    chains: list[list[LayerRow]] = [[]]
    pending = ""
    for line, text, node in items:
        if node is None and text is _END:
            chains.append([])
            pending = ""
            continue
        if node is not None and node.box:
            kind = kind_of(node.text or node.name)
            shape = _box_shape(node, kind)
            name = node.text or node.name
            if shape is None:
                if kind is not None:
                    chains.append([])
                continue
            chains[-1].append(LayerRow(line, name, shape=shape, shape_text=f"{shape[1]}"))
            continue
        layer, shape, shape_text = label_parts(text, after=kind_of(pending) if pending else None)
        units = describe(counted(layer)[0])[3] if shape is None and not pending and kind_of(layer) == "dense" else None
        if units is not None and counted(layer)[1] is not None:  # "fc-4096 (102.8M params)": its units are its shape
            chains[-1].append(LayerRow(line, counted(layer)[0], shape=("flat", (units,)), shape_text=str(units),
                                       params=counted(layer)[1]))
            continue
        if shape is None:
            if layer and kind_of(layer) is not None:
                if pending and kind_of(pending) is not None:
                    chains.append([])  # two layers and no shape between them: the chain breaks
                pending = layer
            continue
        name = layer if kind_of(layer) is not None else pending
        if layer and kind_of(layer) is not None and pending and kind_of(pending) is not None:
            name = pending + " " + layer
        name, count = counted(name)
        chains[-1].append(LayerRow(line, name, shape=shape, shape_text=shape_text, params=count))
        pending = ""
    return [c for c in chains if len(c) >= 2]


_ARROW = re.compile(r"\s*(?:→|⟶|->|-->|=>|⇒|\$?\\(?:to|rightarrow|longrightarrow|Rightarrow)\b\$?)\s*")


def arrow_chains(lines: list[str]) -> list[list[tuple[int, str, None]]]:
    """Networks written as arrow chains — ``32×32×3 → conv 5×5 → 28×28×6 → max pool 2×2 → 14×14×6`` — on one line
    (two arrows or more), and the items of figure captions (``\\caption{…}`` split at arrows, commas and semicolons).

    >>> [[t for _, t, _ in c] for c in arrow_chains(["Net: 28x28x1 -> conv 3x3 -> 26x26x8 -> pool 2x2 -> 13x13x8."])]
    [['Net: 28x28x1', 'conv 3x3', '26x26x8', 'pool 2x2', '13x13x8']]
    """
    out = []
    for n, raw in enumerate(lines, start=1):
        text = raw.strip().rstrip(".")
        m = re.search(r"\\caption\{(.*)\}", text)
        if m:
            parts = re.split(_ARROW.pattern + r"|[,;]\s+", m.group(1))
        elif len(_ARROW.findall(text)) >= 2:
            parts = _ARROW.split(text)
        else:
            continue
        from ..document.tikz import label_text

        items = [(n, label_text(p), None) for p in parts if p and p.strip()]
        if sum(1 for _, t, _ in items if label_parts(t)[1]) >= 2:
            out.append(items)
    return out


def figure_findings(lines: list[str]) -> list[tuple[int, str, Judgement]]:
    """``(line, label, judgement)`` for the determined shapes and counts of every TikZ architecture drawing, Mermaid
    or Graphviz diagram (:mod:`proofs.document.diagrams`) and arrow chain or caption listing layers
    (:func:`arrow_chains`); and the shape labels of figures of a network the document names, compared with that
    network (:mod:`proofs.judge.named_shapes`) where the figure's own layers do not decide them."""
    out = []
    from ..document.diagrams import diagrams

    sequences = [_order(p) for p in tikz_pictures(lines) + diagrams(lines)] + arrow_chains(lines)
    for items in sequences:
        for chain in _rows(items):
            for line, src, j in chain_findings(chain):
                if j.verdict == "UNRECOGNIZED":
                    continue
                j.explanation = f"figure: {j.explanation}"
                out.append((_written(lines, line, src), src, j))
    from .named_shapes import named_figure_findings

    judged = {(n, _dims(src)) for n, src, j in out if j.quantity == "output_size"}
    out += [f for f in named_figure_findings(lines) if (f[0], _dims(f[1])) not in judged]
    return sorted(out, key=lambda t: t[0])


def _dims(text: str) -> tuple:
    return tuple(sorted(re.findall(r"\d+", text or "")))


def _written(lines: list[str], line: int, text: str) -> int:
    """The line nearest ``line`` (within 6) where ``text`` is written: a count on an edge below its shape's node."""
    if not text or line > len(lines) or text in lines[line - 1]:
        return line
    near = sorted(range(max(1, line - 6), min(len(lines), line + 6) + 1), key=lambda k: abs(k - line))
    return next((k for k in near if text in lines[k - 1]), line)
