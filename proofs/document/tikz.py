r"""TikZ pictures as what they draw: labelled nodes, labelled edges between them, PlotNeuralNet boxes — each at its line.

:func:`tikz_pictures` returns, per ``tikzpicture``, a :class:`Picture`: its nodes in drawing order
(``\node[…] (name) at (x,y) {label};``, ``node (name) {label}`` inside a path, PlotNeuralNet's
``\pic{Box={name=…, caption=…, xlabel={{64,}}, zlabel=224}}``) and its edges (``(a) -- node {label} (b)``,
``(a) edge node {label} (b)``, ``(a) to (b)``). Labels are returned as plain text: ``\times`` becomes ``×``,
``\\`` a `` | `` separator, math delimiters and font commands are dropped. Nothing is evaluated.

>>> pic = ["\\begin{tikzpicture}", "\\node (a) at (0,0) {$28\\times 28$};", "\\node[right=of a] (b) {$24\\times24\\times6$};",
...        "\\draw[->] (a) -- node[above] {conv $5\\times5$} (b);", "\\end{tikzpicture}"]
>>> p, = tikz_pictures(pic)
>>> [(n.line, n.name, n.text) for n in p.nodes]
[(2, 'a', '28×28'), (3, 'b', '24×24×6')]
>>> [(e.line, e.source, e.target, e.text) for e in p.edges]
[(4, 'a', 'b', 'conv 5×5')]
>>> box = ["\\begin{tikzpicture}", "\\pic[shift={(1,0,0)}] at (0,0,0) {Box={name=conv1, caption=conv1,",
...        "  xlabel={{64, }}, zlabel=224, fill=\\ConvColor}};", "\\end{tikzpicture}"]
>>> [(n.line, n.name, n.text, n.box) for n in tikz_pictures(box)[0].nodes]
[(2, 'conv1', 'conv1', {'x': '64', 'z': '224'})]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Node", "Edge", "Picture", "tikz_pictures", "label_text"]


@dataclass
class Node:
    line: int
    name: str
    text: str
    at: tuple | None = None  # numeric (x, y) when given
    box: dict = field(default_factory=dict)  # PlotNeuralNet labels: x (channels), y, z (sizes)


@dataclass
class Edge:
    line: int
    source: str
    target: str
    text: str


@dataclass
class Picture:
    line: int
    nodes: list[Node]
    edges: list[Edge]


def label_text(tex: str) -> str:
    """A node's label as plain text (``$24\\times24$`` → ``24×24``; ``a\\\\b`` → ``a | b``)."""
    t = re.sub(r"\\\\(?:\[[^\]]*\])?|\\newline\b|\\par\b", " | ", tex)
    t = re.sub(r"\s*\\(?:times|cross)(?![A-Za-z])\s*", "×", t)
    t = re.sub(r"\\cdot(?![A-Za-z])", "·", t)
    t = re.sub(r"\\(?:textbf|textit|texttt|textrm|textsf|mathrm|mathbf|text|emph|small|footnotesize|scriptsize|tiny|"
               r"large|Large|bf|it|rm|tt|sf|centering|strut)\b", " ", t)
    t = re.sub(r"\\[,;:!]|~|\\quad|\\qquad", " ", t)
    t = re.sub(r"[{}$]", "", t)
    t = re.sub(r"\s+", " ", re.sub(r"\s*×\s*", "×", t)).strip(" |")
    return re.sub(r"\s*\|\s*(?:\|\s*)*", " | ", t)


def _balanced(s: str, i: int, open_: str, close: str) -> int:
    """Index after the group opened at ``s[i] == open_`` (or -1 when it does not close)."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == open_:
            depth += 1
        elif s[j] == close:
            depth -= 1
            if depth == 0:
                return j + 1
    return -1


def _statements(body: str) -> list[tuple[int, str]]:
    """The picture's statements (split at ``;`` outside braces), with their offsets."""
    out, depth, start = [], 0, 0
    for j, ch in enumerate(body):
        if ch == "\\" and depth == 0 and _COMMAND.match(body, j) and body[start:j].strip():
            out.append((start, body[start:j]))  # a new command: the one before had no ';' (\tikzstyle)
            start = j
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            out.append((start, body[start:j]))
            start = j + 1
    if body[start:].strip():
        out.append((start, body[start:]))
    return out


_COMMAND = re.compile(r"\\(?:node|draw|path|pic|coordinate|tikzstyle|tikzset|filldraw|fill|shade|foreach|matrix)\b")
_LABEL = re.compile(r"\blabel\s*=\s*\{?\s*(?:\[[^\]]*\])?\s*(?:(?:above|below|left|right|north|south|east|west|center|"
                    r"above left|above right|below left|below right|\d+)\s*:)?\s*(\{(?:[^{}]|\{[^{}]*\})*\}|[^,\]{}]+)")
_NUM = r"\s*(-?\d+(?:\.\d+)?)\s*"


def _coord(text: str) -> tuple | None:
    m = re.fullmatch(r"\(" + _NUM + r"," + _NUM + r"(?:," + _NUM + r")?\)", text.strip())
    return (float(m.group(1)), float(m.group(2))) if m else None


def _box(spec: str) -> dict:
    """PlotNeuralNet ``Box={…}`` keys: name, caption and the x/y/z labels."""
    out = {}
    for key in ("name", "caption"):
        m = re.search(rf"\b{key}\s*=\s*([^,}}]*)", spec)
        if m:
            out[key] = m.group(1).strip()
    for axis in "xyz":
        m = re.search(rf"\b{axis}label\s*=\s*(\{{\{{[^{{}}]*\}}\}}|\{{[^{{}}]*\}}|[^,}}]*)", spec)
        if m:
            vals = [v.strip(' "') for v in re.sub(r"[{}]", "", m.group(1)).split(",")]
            vals = [v for v in vals if re.fullmatch(r"\d+", v)]
            if vals:
                out[axis] = vals[-1]
    return out


def _path(stmt: str, offset: int, line_of, nodes: list[Node], edges: list[Edge]) -> None:
    """The nodes and edges of one ``\\node`` / ``\\draw`` / ``\\path`` / ``\\pic`` statement."""
    s = stmt
    if re.match(r"\s*\\pic\b", s):
        m = re.search(r"\{\s*\w+\s*=\s*\{", s)
        if m:
            end = _balanced(s, m.end() - 1, "{", "}")
            spec = s[m.end() - 1:end if end > 0 else len(s)]
            b = _box(spec)
            at = re.search(r"\bat\s*(\([^)]*\))", s)
            nodes.append(Node(line_of(offset + m.start()), b.get("name", ""), label_text(b.get("caption", "")),
                              _coord(at.group(1)) if at else None, {k: v for k, v in b.items() if k in "xyz"}))
        return
    is_node = re.match(r"\s*\\(?:node|coordinate)\b", s)
    i = re.match(r"\s*\\\w+", s).end() if re.match(r"\s*\\\w+", s) else 0
    last: str | None = None  # the last point of the path (a node name)
    pending: tuple | None = None  # an edge label waiting for its target: (line, text)
    pos_last, shift = 0, 0
    if is_node:
        s, shift = s[:i] + " node" + s[i:], 5
    while i < len(s):
        c = s[i]
        if c == "[":
            j = _balanced(s, i, "[", "]")
            i = j if j > 0 else len(s)
            continue
        if c == "(":
            j = _balanced(s, i, "(", ")")
            j = j if j > 0 else len(s)
            ref = s[i + 1:j - 1].strip()
            name = re.sub(r"[.-](?:north|south|east|west|center|anchor|north east|north west|south east|south west|"
                          r"nearnortheast|nearsoutheast|nearnorthwest|nearsouthwest|farnortheast|farsoutheast|"
                          r"farnorthwest|farsouthwest|\d+)$", "", ref).strip()
            if _coord(s[i:j]) is None and re.fullmatch(r"[\w\-. ]+", name):
                if last is not None and pending is not None:
                    edges.append(Edge(pending[0], last, name, pending[1]))
                elif last is not None and re.search(r"--|\bto\b|\bedge\b|->", s[pos_last:i]):
                    edges.append(Edge(line_of(offset + i - shift), last, name, ""))
                last, pending, pos_last = name, None, j
            i = j
            continue
        m = re.match(r"node\b\s*", s[i:])
        if m and (i == 0 or not s[i - 1].isalnum()):
            k = i + m.end()
            name = ""
            at = None
            extra: list[str] = []  # ``label=below:{…}`` options: text drawn beside the node
            while k < len(s) and s[k] in "[( a":
                if s[k] == "[":
                    e = _balanced(s, k, "[", "]")
                    extra += [label_text(t) for t in _LABEL.findall(s[k:e if e > 0 else len(s)])]
                    k = e if e > 0 else len(s)
                elif s[k] == "(":
                    e = _balanced(s, k, "(", ")")
                    name, k = s[k + 1:e - 1].strip(), (e if e > 0 else len(s))
                elif s.startswith("at", k):
                    mm = re.match(r"at\s*", s[k:])
                    k += mm.end()
                    if k < len(s) and s[k] == "(":
                        e = _balanced(s, k, "(", ")")
                        at, k = _coord(s[k:e]), (e if e > 0 else len(s))
                elif s[k] == " ":
                    k += 1
                else:
                    break
            if k < len(s) and s[k] == "{":
                e = _balanced(s, k, "{", "}")
                text = " | ".join(t for t in [label_text(s[k + 1:(e - 1) if e > 0 else len(s)])] + extra if t)
                line = line_of(offset + k - shift)
                if name or is_node:
                    nodes.append(Node(line, name, text, at))
                    if last is not None and re.search(r"--|\bto\b|\bedge\b", s[pos_last:i]) and name:
                        edges.append(Edge(line, last, name, ""))
                    last, pos_last = (name or last), (e if e > 0 else len(s))
                elif text and last is not None:  # labels of one segment (above: the layer, below: its count) join
                    pending = (pending[0], pending[1] + " | " + text) if pending is not None else (line, text)
                k = e if e > 0 else len(s)
            i = k
            continue
        i += 1
    if pending is not None and edges and edges[-1].target == last and not edges[-1].text:
        edges[-1].text = pending[1]  # ``(a) -- (b) node[midway] {label}``: the label of the segment just drawn
        edges[-1].line = pending[0]


def tikz_pictures(lines: list[str]) -> list[Picture]:
    """Every ``tikzpicture`` of ``lines`` with its nodes and edges, each at its line (1-based)."""
    text = "\n".join(re.sub(r"(?<!\\)%.*", "", ln) for ln in lines)
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    import bisect

    def line_of(pos: int) -> int:
        return bisect.bisect_right(starts, pos)

    out = []
    for pm in re.finditer(r"\\begin\{tikzpicture\}(.*?)\\end\{tikzpicture\}", text, flags=re.S):
        body, base = pm.group(1), pm.start(1)
        nodes: list[Node] = []
        edges: list[Edge] = []
        for off, stmt in _statements(body):
            if re.match(r"\s*\\(?:node|draw|path|pic|coordinate)\b", stmt):
                _path(stmt, base + off, line_of, nodes, edges)
        out.append(Picture(line_of(pm.start()), nodes, edges))
    return out
