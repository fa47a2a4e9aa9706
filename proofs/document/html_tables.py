r"""HTML tables (``<table> <tr> <th>/<td>``) as rows of cell texts, each row at the line where it starts.

Tags inside a cell are dropped (``<br />`` becomes a space, links keep their text), entities are
decoded; a row may span several lines. The first row is the header (``<th>`` cells or not).

>>> rows = html_tables(["<table>", "<tr><th>layer</th><th>params</th></tr>", "<tr>", "<td>conv1</td>",
...                     "<td>4<b>48</b></td></tr>", "</table>"])
>>> rows
[[(2, ['layer', 'params']), (3, ['conv1', '448'])]]
>>> html_tables(["<table><tr><th>block</th><th>layer</th><th colspan=2>output</th></tr>",
...              "<tr><td rowspan=2>1</td><td>conv</td><td>8</td><td>8</td></tr>", "<tr><td>pool</td><td>4</td><td>4</td></tr>",
...              "</table>"])
[[(1, ['block', 'layer', 'output', '']), (2, ['1', 'conv', '8', '8']), (3, ['1', 'pool', '4', '4'])]]
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


def _carry(spans: dict, col: int) -> str:
    left, text = spans[col]
    if left <= 1:
        del spans[col]
    else:
        spans[col][0] = left - 1
    return text


def html_tables(lines: list[str]) -> list[list[tuple[int, list[str]]]]:
    """Each ``<table>`` of ``lines`` as its rows ``(line, cells)``."""
    text = "\n".join(lines)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out = []
    for t in re.finditer(r"(?is)<table\b.*?</table\s*>", text):
        rows = []
        spans: dict[int, list] = {}  # column -> [rows left, text] of a rowspan cell above
        for r in _ROW.finditer(t.group(0)):
            cells: list[str] = []
            for c in _CELL.finditer(r.group(1)):
                while len(cells) in spans:  # a cell spanning down from a row above takes its column
                    cells.append(_carry(spans, len(cells)))
                text_ = _text(c.group(2))
                attrs = c.group(0)[:c.group(0).find(">")]
                width = int(m.group(1)) if (m := re.search(r"(?i)colspan\s*=\s*[\"']?(\d+)", attrs)) else 1
                height = int(m.group(1)) if (m := re.search(r"(?i)rowspan\s*=\s*[\"']?(\d+)", attrs)) else 1
                for k in range(min(width, 50)):
                    if height > 1:
                        spans[len(cells)] = [height - 1, text_ if k == 0 else ""]
                    cells.append(text_ if k == 0 else "")
            while len(cells) in spans:
                cells.append(_carry(spans, len(cells)))
            if cells:
                pos = t.start() + r.start()
                line = sum(1 for s in starts if s <= pos)
                rows.append((line, cells))
        if rows:
            out.append(rows)
    return out
