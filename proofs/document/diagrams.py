r"""Diagrams written as text in Markdown — Mermaid flowcharts and Graphviz ``dot`` graphs — as the nodes and edges they
draw, each at its line (the same :class:`~proofs.document.tikz.Picture` a TikZ drawing gives).

Mermaid: ``A[Input<br>32×32×3] --> B["Conv 3×3<br/>32×32×16"]``, ``A -->|max pool 2×2| B``, ``A -- conv --> B``;
Graphviz: ``conv1 [label="Conv1\n6@24x24"]``, ``input -> conv1 [label="conv 5x5"]``. Line breaks in labels
(``<br>``, ``\n``) become `` | ``. Nothing is evaluated.

>>> m = ["```mermaid", "graph LR", "  A[Input<br>28x28x1] -->|conv 3x3| B[26x26x8]", "  B --> C[pool 2x2<br>13x13x8]", "```"]
>>> p, = diagrams(m)
>>> [(n.line, n.name, n.text) for n in p.nodes], [(e.source, e.target, e.text) for e in p.edges]
([(3, 'A', 'Input | 28x28x1'), (3, 'B', '26x26x8'), (4, 'C', 'pool 2x2 | 13x13x8')], [('A', 'B', 'conv 3x3'), ('B', 'C', '')])
>>> d = ['digraph g {', '  input [label="Input\\n1x28x28"];', '  c1 [label="Conv 5x5\\n6@24x24"];', '  input -> c1;', '}']
>>> [(n.name, n.text) for n in diagrams(d)[0].nodes]
[('input', 'Input | 1x28x28'), ('c1', 'Conv 5x5 | 6@24x24')]
"""

from __future__ import annotations

import re

from .tikz import Edge, Node, Picture, label_text

__all__ = ["diagrams"]

_MNODE = re.compile(r"""(\w+)\s*(\[\[|\[\(|\(\(|\[|\(|\{\{|\{|>)\s*"?(.*?)"?\s*(\]\]|\)\]|\)\)|\]|\)|\}\}|\})""")
_MEDGE = re.compile(r"(?:--|==|-\.)(?:-*|\.*-*)>?\s*(?:\|([^|]*)\|)?")


def _clean(text: str) -> str:
    return label_text(re.sub(r"(?i)<br\s*/?>|\\n", r"\\\\", text.strip().strip('"')))


def _mermaid(block: list[tuple[int, str]]) -> Picture | None:
    nodes: dict[str, Node] = {}
    order: list[Node] = []
    edges: list[Edge] = []
    for n, raw in block:
        line = raw.strip()
        if not line or re.match(r"(?i)(graph|flowchart)\b|%%|classDef|class\b|style\b|linkStyle|subgraph|end\b", line):
            continue
        points: list[str] = []
        labels: list[str] = []
        pos = 0
        for m in _MNODE.finditer(line):
            between = line[pos:m.start()]
            for name in re.findall(r"(?<![\w|])(\w+)(?=\s*(?:--|==|-\.|$))", between):
                points.append(name)
            name, text = m.group(1), _clean(m.group(3))
            if name not in nodes:
                nodes[name] = Node(n, name, text)
                order.append(nodes[name])
            points.append(name)
            pos = m.end()
        for name in re.findall(r"(?<![\w|])(\w+)\s*;?\s*$", line[pos:]):
            points.append(name)
        parts = _MEDGE.findall(line)
        inline = re.findall(r"--\s+([^->|][^->]*?)\s+-->", line)
        labels = [(a or "").strip() for a in parts] if not inline else inline
        for k in range(len(points) - 1):
            text = _clean(labels[k]) if k < len(labels) else ""
            edges.append(Edge(n, points[k], points[k + 1], text))
    return Picture(block[0][0], order, edges) if order else None


def _dot(block: list[tuple[int, str]]) -> Picture | None:
    nodes: list[Node] = []
    edges: list[Edge] = []
    for n, raw in block:
        for m in re.finditer(r'"?(\w+)"?\s*\[([^\]]*)\]', raw):
            lab = re.search(r'label\s*=\s*(?:"((?:[^"\\]|\\.)*)"|<(.*)>|(\w+))', m.group(2))
            text = _clean(next((g for g in lab.groups() if g is not None), "")) if lab else ""
            head = raw[:m.start()]
            chain = re.findall(r'"?(\w+)"?\s*->', head)
            if chain:  # an edge with attributes: a -> b [label=…]
                points = chain + [m.group(1)]
                for a, b in zip(points, points[1:]):
                    edges.append(Edge(n, a, b, text))
            elif not re.match(r"(?i)(node|edge|graph)$", m.group(1)):
                nodes.append(Node(n, m.group(1), text))
        if not re.search(r"\[[^\]]*\]", raw):
            for stmt in raw.split(";"):  # a -> b -> c; d -> e
                if "->" in stmt:
                    points = re.findall(r'"?(\w+)"?\s*(?=->|$)', stmt.strip())
                    for a, b in zip(points, points[1:]):
                        edges.append(Edge(n, a, b, ""))
    return Picture(block[0][0], nodes, edges) if nodes else None


def diagrams(lines: list[str]) -> list[Picture]:
    """Every Mermaid block (a ``mermaid`` code fence) and ``digraph``/``graph`` of ``lines``."""
    out: list[Picture] = []
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if re.match(r"^(```|~~~)\s*mermaid\b", s) or re.match(r"^<div class=.mermaid", s):
            j = i + 1
            while j < len(lines) and not re.match(r"^(```|~~~)|^</div>", lines[j].strip()):
                j += 1
            pic = _mermaid([(k + 1, lines[k]) for k in range(i + 1, j)])
            out += [pic] if pic else []
            i = j + 1
            continue
        if re.match(r"^(?:strict\s+)?(?:di)?graph\b[^{]*\{", s):
            j, depth = i, 0
            while j < len(lines):
                depth += lines[j].count("{") - lines[j].count("}")
                if depth <= 0 and j > i:
                    break
                j += 1
            pic = _dot([(k + 1, lines[k]) for k in range(i + 1, min(j, len(lines)))])
            out += [pic] if pic else []
            i = j + 1
            continue
        i += 1
    return out
