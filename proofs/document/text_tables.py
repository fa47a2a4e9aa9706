r"""Tables drawn in plain text — reStructuredText grid, simple, ``list-table`` and ``csv-table``, Markdown grid
tables — and LaTeX ``tabular`` rows that span lines or use ``\multicolumn``: as rows of cell texts, each row
at the line where it starts (the first row is the header).

>>> grid = ["+-------+--------+", "| layer | params |", "+=======+========+", "| conv1 | 448    |",
...         "|       | (bias) |", "+-------+--------+"]
>>> text_tables(grid)
[[(2, ['layer', 'params']), (4, ['conv1', '448 (bias)'])]]
>>> simple = ["=====  ======", "layer  output", "=====  ======", "conv1  32x32", "pool   16x16", "=====  ======"]
>>> text_tables(simple)
[[(2, ['layer', 'output']), (4, ['conv1', '32x32']), (5, ['pool', '16x16'])]]
>>> lt = [".. list-table:: Layers", "   :header-rows: 1", "", "   * - Layer", "     - Shape", "   * - conv1", "     - 8x8"]
>>> text_tables(lt)
[[(4, ['Layer', 'Shape']), (6, ['conv1', '8x8'])]]
>>> csv = [".. csv-table:: Layers", '   :header: "Layer", "Params"', "", '   conv1, "1,728"']
>>> text_tables(csv)
[[(2, ['Layer', 'Params']), (4, ['conv1', '1,728'])]]
>>> latex_rows([r"\begin{tabular}{lcc}", r"Layer & \multicolumn{2}{c}{Output} \\", "conv1 &", r"  3 & 4 \\", r"\end{tabular}"])
[[(2, ['Layer', 'Output', '']), (3, ['conv1', '3', '4'])]]
"""

from __future__ import annotations

import csv
import re

__all__ = ["text_tables", "latex_rows"]

_BORDER = re.compile(r"^\s*\+(?:[-=]+\+)+\s*$")
_SIMPLE = re.compile(r"^\s*=+(?:\s+=+)+\s*$")


def _grid(lines: list[str], i: int) -> tuple[list, int]:
    """The grid table whose top border is line ``i`` (0-based): rows and the index after it."""
    border = lines[i].rstrip()
    cuts = [k for k, ch in enumerate(border) if ch == "+"]
    rows, cur, start = [], None, None
    j = i + 1
    while j < len(lines):
        s = lines[j].rstrip()
        if _BORDER.match(s):
            if cur is not None:
                rows.append((start, [re.sub(r"\s+", " ", c).strip() for c in cur]))
            cur = None
            j += 1
            continue
        if not s.lstrip().startswith("|"):
            break
        cells = [s[a + 1:b] if b <= len(s) else s[a + 1:] for a, b in zip(cuts, cuts[1:])]
        if cur is None:
            cur, start = cells, j + 1
        else:
            cur = [x + " " + y for x, y in zip(cur, cells)]
        j += 1
    return rows, j


def _simple(lines: list[str], i: int) -> tuple[list, int]:
    """The simple table whose first ``=== ===`` line is line ``i``."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"=+", lines[i])]
    rows, j, rules = [], i + 1, 1
    while j < len(lines) and rules < 3:
        s = lines[j].rstrip()
        if _SIMPLE.match(s):
            rules += 1
        elif not s.strip():
            if rules >= 2 and j + 1 < len(lines) and not lines[j + 1].strip():
                break
        elif re.match(r"^\s*-+(?:\s+-+)+\s*$", s):
            pass
        else:
            cells = [s[a:b if k + 1 < len(spans) else None].strip() for k, (a, b) in enumerate(
                (a, spans[k + 1][0]) for k, (a, _) in enumerate(spans[:-1]))] + [s[spans[-1][0]:].strip()]
            if rows and not cells[0] and rules >= 2:
                rows[-1] = (rows[-1][0], [(x + " " + y).strip() for x, y in zip(rows[-1][1], cells)])
            else:
                rows.append((j + 1, cells))
        j += 1
    return rows, j


def _directive(lines: list[str], i: int) -> tuple[list, int]:
    """A ``list-table`` or ``csv-table`` directive starting at line ``i``."""
    kind = "list" if "list-table" in lines[i] else "csv"
    j = i + 1
    header: list = []
    body: list[tuple[int, str]] = []
    while j < len(lines) and (not lines[j].strip() or lines[j].startswith((" ", "\t"))):
        s = lines[j].strip()
        if s.startswith(":header:") and kind == "csv":
            header = [(j + 1, next(csv.reader([s[len(":header:"):]], skipinitialspace=True)))]
        elif s and not s.startswith(":"):
            body.append((j + 1, lines[j]))
        j += 1
    rows = list(header)
    if kind == "csv":
        for n, s in body:
            rows.append((n, [c.strip() for c in next(csv.reader([s.strip()], skipinitialspace=True))]))
        return rows, j
    for n, s in body:
        m = re.match(r"^(\s*)\*\s+-\s+(.*)$", s)
        if m:
            rows.append((n, [m.group(2).strip()]))
            continue
        m = re.match(r"^\s*-\s+(.*)$", s)
        if m and rows:
            rows[-1][1].append(m.group(1).strip())
        elif rows and rows[-1][1]:
            rows[-1][1][-1] += " " + s.strip()
    return rows, j


def text_tables(lines: list[str]) -> list[list[tuple[int, list[str]]]]:
    """Each rST/Markdown grid, rST simple, ``list-table`` and ``csv-table`` table of ``lines``."""
    out, i = [], 0
    while i < len(lines):
        s = lines[i]
        rows, j = [], i + 1
        if _BORDER.match(s):
            rows, j = _grid(lines, i)
        elif _SIMPLE.match(s):
            rows, j = _simple(lines, i)
        elif re.match(r"^\s*\.\.\s+(?:list|csv)-table::", s):
            rows, j = _directive(lines, i)
        if len(rows) >= 2:
            out.append(rows)
        i = max(j, i + 1)
    return out


def _row_ends(s: str) -> list[str]:
    """``s`` split at the ``\\\\`` that end rows (not those inside braces: ``\\makecell{a \\\\ b}``)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and s.startswith("\\\\", i) and depth == 0:
            parts.append(s[start:i])
            i += 2
            m = re.match(r"\s*\[[^\]]*\]", s[i:])
            i += m.end() if m else 0
            start = i
            continue
        if ch == "\\":
            i += 2
            continue
        depth += ch == "{"
        depth -= ch == "}" and depth > 0
        i += 1
    return parts + [s[start:]]


def _multicolumn(cell: str) -> list[str]:
    cell = re.sub(r"\\multirow\{[^{}]*\}\{[^{}]*\}\{((?:[^{}]|\{[^{}]*\})*)\}", r"\1", cell)
    cell = re.sub(r"\\makecell(?:\[[^\]]*\])?\{((?:[^{}]|\{[^{}]*\})*)\}", lambda m: m.group(1).replace("\\\\", " "), cell)
    m = re.fullmatch(r"\s*\\multicolumn\{(\d+)\}\{[^{}]*\}\{(.*)\}\s*", cell)
    if not m:
        return [cell.strip()]
    return [m.group(2).strip()] + [""] * (int(m.group(1)) - 1)


def latex_rows(lines: list[str]) -> list[list[tuple[int, list[str]]]]:
    """Each ``tabular``/``tabularx``/``tabular*``/``longtable`` as rows ended by ``\\\\`` (a row may span lines)."""
    out, cur, buf, start, depth = [], [], "", None, 0
    for n, raw in enumerate(lines, start=1):
        s = re.sub(r"(?<!\\)%.*", "", raw)
        if re.search(r"\\begin\{(?:tabular|longtable)", s):
            depth, cur, buf, start = 1, [], "", None
            s = re.sub(r"^.*?\\begin\{(?:tabularx?\*?|longtable)\}(?:\{[^{}]*\})?(?:\{(?:[^{}]|\{[^{}]*\})*\})?", "", s)
        elif not depth:
            continue
        end = re.search(r"\\end\{(?:tabular|longtable)", s)
        if end:
            s = s[:end.start()]
        s = re.sub(r"\\(?:hline|toprule|midrule|bottomrule|endhead|endfirsthead)\b|\\(?:cline|cmidrule)(?:\([^)]*\))?\{[^}]*\}", "", s)
        for k, part in enumerate(_row_ends(s)):
            if k:
                if buf.strip() and "&" in buf:
                    cur.append((start, [c for cell in buf.split("&") for c in _multicolumn(cell)]))
                buf, start = "", None
            if part.strip():
                start = start or n
                buf += " " + part
        if end:
            if buf.strip() and "&" in buf:
                cur.append((start, [c for cell in buf.split("&") for c in _multicolumn(cell)]))
            if cur:
                out.append(cur)
            depth, cur, buf, start = 0, [], "", None
    return out
