r"""HTML tables (``<table> <tr> <th>/<td>``) as rows of cell texts, each row at the line where it starts.

Tags inside a cell are dropped (``<br />`` becomes a space, links keep their text), entities are
decoded; a row may span several lines. The first row is the header (``<th>`` cells or not).

>>> rows = html_tables(["<table>", "<tr><th>layer</th><th>params</th></tr>", "<tr>", "<td>conv1</td>",
...                     "<td>4<b>48</b></td></tr>", "</table>"])
>>> rows
[[(2, ['layer', 'params']), (3, ['conv1', '448'])]]
"""

from __future__ import annotations

import html
import re

__all__ = ["html_tables"]

_ROW = re.compile(r"(?is)<tr\b[^>]*>(.*?)</tr\s*>")
_CELL = re.compile(r"(?is)<t([hd])\b[^>]*>(.*?)</t[hd]\s*>")


def _text(cell: str) -> str:
    t = re.sub(r"(?i)<br\s*/?>", " ", cell)
    t = re.sub(r"<[^>]*>", "", t)
    return re.sub(r"\s+", " ", html.unescape(t)).strip()


def html_tables(lines: list[str]) -> list[list[tuple[int, list[str]]]]:
    """Each ``<table>`` of ``lines`` as its rows ``(line, cells)``."""
    text = "\n".join(lines)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out = []
    for t in re.finditer(r"(?is)<table\b.*?</table\s*>", text):
        rows = []
        for r in _ROW.finditer(t.group(0)):
            cells = [_text(c.group(2)) for c in _CELL.finditer(r.group(1))]
            if cells:
                pos = t.start() + r.start()
                line = sum(1 for s in starts if s <= pos)
                rows.append((line, cells))
        if rows:
            out.append(rows)
    return out
