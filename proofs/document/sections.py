r"""Find the headings of a document, per format, to tell which section a line is in.

* Markdown/text: ``#``-headings, setext underlines (``===``/``---`` under a text line),
  numbered title lines (``2. Stride and Padding`` alone between blank lines) and
  lines that are only bold text (``**Max Pooling**:``) as the lowest level.
* LaTeX: ``\chapter``, ``\section``, ``\subsection``, ``\subsubsection``, ``\paragraph`` (starred too).
* reST: a title line over an underline of one repeated punctuation character.
* HTML: ``<h1>`` … ``<h6>`` (tags inside removed, entities decoded).

Code fences are skipped. Titles are cleaned of markup (``**``, ``\textbf{}``, labels).

>>> [(h.line, h.level, h.title) for h in find_headings("# A\n\ntext\n\n## B *b*\n", "markdown")]
[(1, 1, 'A'), (5, 2, 'B b')]
>>> [(h.line, h.title) for h in find_headings("\\section{Padding}\nx\n\\subsection*{Half padding}\n", "latex")]
[(1, 'Padding'), (3, 'Half padding')]
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from ..lines import line_of, line_starts, split_lines
from .formats import decode_entities
from .pairs import closed_pairs

__all__ = ["Heading", "find_headings", "heading_at", "code_fence_lines"]


@dataclass(frozen=True)
class Heading:
    """One heading: 1-based ``line``, ``level`` (1 = top, 7 = bold pseudo-heading), ``title``."""

    line: int
    level: int
    title: str


_MD_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")  # closing '#'s dropped in code: "(.*?)\s*#*\s*$" is cubic
_MD_NUMBERED = re.compile(r"^\s{0,3}(\d+(?:\.\d+)*)\.?\s+([A-Z][^=≈<>|$\\]{1,60})$")
_MD_BOLD = re.compile(r"^\s{0,3}(?:\*\*|__)([^*_]{2,60})(?:\*\*|__)\s*:?\s*$")
# titles and options bounded (a heading is short): no unclosed "\section{" can make the scan quadratic
_TEX = re.compile(r"\\(chapter|section|subsection|subsubsection|paragraph)\*?\s*(?:\[[^\]]{0,500}\])?\s*"
                  r"\{((?:[^{}]|\{[^{}]{0,500}\}){0,1000})\}")
_TEX_LEVEL = {"chapter": 1, "section": 2, "subsection": 3, "subsubsection": 4, "paragraph": 5}
_RST_UNDER = re.compile(r"^([=\-^\"~*#+`':.])\1{2,}\s*$")
_HTML_H_OPEN = re.compile(r"<h([1-6])\b[^>]{0,2000}>", re.I)


def _clean(title: str) -> str:
    title = re.sub(r"<[^>]+>", "", title)
    title = re.sub(r"\\(?:textbf|textit|emph|texttt|text)\s*\{([^{}]*)\}", r"\1", title)
    title = re.sub(r"\\label\{[^{}]*\}", "", title)
    title = re.sub(r"[*_`]+", "", title)
    title = re.sub(r"\{#[^}]*\}", "", title)
    return " ".join(decode_entities(title).split()).strip(" :")


def code_fence_lines(lines: list[str]) -> set[int]:
    """0-based indices of lines inside (or delimiting) Markdown code fences."""
    inside: set[int] = set()
    fence = None
    for i, line in enumerate(lines):
        m = re.match(r"^\s{0,3}(`{3,}|~{3,})", line)
        if fence is None and m:
            fence = m.group(1)[0] * 3
            inside.add(i)
        elif fence is not None:
            inside.add(i)
            if line.strip().startswith(fence):
                fence = None
    return inside


def _markdown(lines: list[str]) -> list[Heading]:
    out: list[Heading] = []
    code = code_fence_lines(lines)
    for i, line in enumerate(lines):
        if i in code:
            continue
        m = _MD_ATX.match(line)
        if m:
            out.append(Heading(i + 1, len(m.group(1)), _clean(m.group(2).rstrip().rstrip("#"))))
            continue
        prev = lines[i - 1] if i else ""
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if re.match(r"^\s{0,3}(=+|-+)\s*$", nxt) and line.strip() and i + 1 not in code \
                and not re.match(r"^\s*([-*+>|]|\d+\.)\s", line) and len(line.strip()) < 100:
            if nxt.strip().startswith("=") or len(nxt.strip()) >= 3:
                out.append(Heading(i + 1, 1 if nxt.strip().startswith("=") else 2, _clean(line)))
                continue
        if not prev.strip() and not nxt.strip():
            m = _MD_NUMBERED.match(line)
            if m and not re.search(r"[.:;]$", line.strip()):
                out.append(Heading(i + 1, 2 + m.group(1).count("."), _clean(m.group(2))))
                continue
        m = _MD_BOLD.match(line)
        if m:
            out.append(Heading(i + 1, 7, _clean(m.group(1))))
    return out


def _latex(text: str) -> list[Heading]:
    out = []
    starts = line_starts(text)
    for m in _TEX.finditer(text):
        line = line_of(starts, m.start())
        before = text[text.rfind("\n", 0, m.start()) + 1: m.start()]
        if "%" in before.replace("\\%", ""):
            continue
        out.append(Heading(line, _TEX_LEVEL[m.group(1)], _clean(m.group(2))))
    return out


def _rst(lines: list[str]) -> list[Heading]:
    out = []
    order: list[str] = []
    for i in range(1, len(lines)):
        m = _RST_UNDER.match(lines[i])
        title = lines[i - 1].strip()
        if not m or not title or _RST_UNDER.match(lines[i - 1]) or lines[i - 1].startswith((" ", "\t", "..")):
            continue
        if len(lines[i].strip()) < min(len(title), 3):
            continue
        ch = m.group(1)
        if ch not in order:
            order.append(ch)
        out.append(Heading(i, order.index(ch) + 1, _clean(title)))
    return out


def _html(text: str) -> list[Heading]:
    out = []
    starts = line_starts(text)
    for o, c in closed_pairs(text, _HTML_H_OPEN, lambda o: _html_close(o.group(1))):
        line = line_of(starts, o.start())
        out.append(Heading(line, int(o.group(1)), _clean(text[o.end():c.start()])))
    return out


@functools.lru_cache(maxsize=8)
def _html_close(level: str) -> re.Pattern:
    return re.compile(rf"</h{level}\s*>", re.I)


def find_headings(text: str, fmt: str) -> list[Heading]:
    """Headings of ``text`` (a document in format ``fmt``), in line order."""
    lines = split_lines(text)
    if fmt == "latex":
        found = _latex(text)
    elif fmt == "rst":
        found = _rst(lines)
    elif fmt == "html":
        found = _html(text)
    else:
        found = _markdown(lines)
    return sorted(found, key=lambda h: h.line)


def heading_at(headings: list[Heading], line: int) -> Heading | None:
    """The nearest heading at or above ``line`` (1-based), or ``None``.

    >>> hs = [Heading(1, 1, "A"), Heading(5, 2, "B")]
    >>> heading_at(hs, 4).title, heading_at(hs, 5).title, heading_at(hs, 0)
    ('A', 'B', None)
    """
    keys = [h.line for h in headings]
    k = bisect.bisect_right(keys, line) - 1
    return headings[k] if k >= 0 else None
