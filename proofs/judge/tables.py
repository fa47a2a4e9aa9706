r"""Tables of layers: every total and every per-row count checked, with the row named in the finding.

A Markdown table (``| … |`` rows), a LaTeX ``tabular`` or an HTML ``<table>``
(:mod:`proofs.document.html_tables`) is read into rows of cells. These statements come out of it:

* a **total** row ("total", "sum", "overall") asserts, in each column where it has a number, the sum of
  the rows above it (back to the previous total) — checked exactly, decimals within their rounding;
* a row of a **parameters** column asserts the parameter count of the layer the rest of the row
  describes (``3→16, 3×3``; ``Conv2d(3, 16, 3)``): a :class:`~proofs.statement.Statement` decided by
  :func:`proofs.statement.decide` when the row gives the whole configuration;
* in a table with one column per hyperparameter (kernel, stride, padding, filters, output size), each
  row's output size and parameter count from the row before it (:mod:`proofs.judge.table_layers`).

Examples
--------
>>> rows = ["| layer | shape | params |", "|---|---|---:|", "| conv1 | 3→16, 3×3 | 448 |",
...         "| conv2 | 16→32, 3×3 | 4,640 |", "| total | | 5,098 |"]
>>> [(n, j.verdict, j.quantity) for n, _, j in table_findings(rows)]
[(3, 'CORRECT', 'param_count'), (4, 'CORRECT', 'param_count'), (5, 'INCORRECT', 'table_total')]
>>> table_findings(["| a | b |", "|---|---|", "| 1 | 2 |"])
[]
"""

from __future__ import annotations

import re
from fractions import Fraction

from ..notation.configuration import read_configuration
from ..statement import Statement, decide
from .judgement import Judgement

__all__ = ["tables_in", "table_findings"]

_TOTAL = re.compile(r"(?i)^\W*(?:total|sum|overall|all layers|network total|grand total)\b")
_EMPTY = {"", "-", "—", "–", "0", "n/a", "none", "·"}
_SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?$")


def _cell_text(c: str) -> str:
    """A cell without its emphasis and LaTeX number macros (``\\num{61100}``, ``\\SI{1.2}{M}``, ``61\\,100``).

    >>> _cell_text(r"\\textbf{\\num{2168298}}"), _cell_text(r"$61\\,100$"), _cell_text("**1,663,706**")
    ('2168298', '61100', '1,663,706')
    """
    c = re.sub(r"\\(?:textbf|mathbf|bm|emph|textit|num|numprint)\{([^{}]*)\}|\*\*([^*]*)\*\*|__([^_]*)__",
               lambda m: next(g for g in m.groups() if g is not None), c)
    c = re.sub(r"\\(?:textbf|mathbf|bm|emph|textit|num|numprint)\{([^{}]*)\}", r"\1", c)  # \\textbf{\\num{…}}
    c = re.sub(r"\\SI\{([^{}]*)\}\{\\?([^{}]*)\}", r"\1\2", c)
    c = re.sub(r"(?<=\d)(?:\\[,;: ]|~|\{,\}|[\u2009\u202f\u00a0])(?=\d{3}(?!\d))", "", c)
    return c.replace("$", "").replace("{,}", ",").replace("\\,", "").strip()


def _number(c: str) -> Fraction | None:
    t = _cell_text(c).replace("\u2009", "").replace(" ", "")
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", t):
        return None
    return Fraction(t.replace(",", ""))


def tables_in(lines: list[str]) -> list[list[tuple[int, list[str]]]]:
    """Each table as its rows ``(line, cells)``; the first row is the header; separator rows dropped: Markdown pipe
    tables, LaTeX tabulars and the plain-text tables of :mod:`proofs.document.text_tables` (rST, grid)."""
    from ..document.text_tables import latex_rows, text_tables

    drawn = text_tables(lines)
    inside = {n for rows in drawn for n, _ in rows}
    inside |= {n for rows in drawn for n in range(rows[0][0], rows[-1][0] + 1)}
    tables, cur = [], []
    bare = False  # inside a pipe table written without its outer pipes (``a | b`` over ``--- | ---``)
    for n, raw in enumerate(lines, start=1):
        s = raw.strip()
        if n in inside or re.match(r"^\+(?:[-=]+\+)+$", s):
            if cur:
                tables.append(cur)
            cur, bare = [], False
            continue
        if not s.startswith("|") and "|" in s and (bare or (n < len(lines) and _SEPARATOR.match(lines[n].strip()))):
            if not bare and cur:
                tables.append(cur)
                cur = []
            bare = True
            if not _SEPARATOR.match(s):
                cur.append((n, [c.strip() for c in s.strip("|").split("|")]))
            continue
        if bare and not s.startswith("|"):
            bare = False
            if cur:
                tables.append(cur)
            cur = []
            continue
        if s.startswith("|") and s.count("|") >= 2:
            cells = [c.strip() for c in s.strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?|", c) for c in cells):
                continue
            cur.append((n, cells))
        elif cur:
            tables.append(cur)
            cur = []
    if cur:
        tables.append(cur)
    return sorted(tables + latex_rows(lines) + drawn, key=lambda rows: rows[0][0])


def _decimals(c: str) -> int:
    m = re.search(r"\.(\d+)", _cell_text(c))
    return len(m.group(1)) if m else 0


def _amount(c: str) -> tuple[Fraction, Fraction] | None:
    """``(value, rounding half-width)`` of a cell: ``1,234`` (exact), ``0.25`` (±0.005), ``3.2M`` / ``800K`` (±0.05M)."""
    v = _number(c)
    if v is not None:
        d = _decimals(c)
        return v, (Fraction(1, 2 * 10**d) if d else Fraction(0))
    from .layer_chain import _value

    t = _cell_text(c)
    return _value(t) if re.fullmatch(r"[\d.,]+\s*[KkMG]", t) else None


def _total_label(cells: list[str]) -> int | None:
    """The column of a total row's label ("total", "sum", …): before its first number, or anywhere in a row whose
    other cells are all numbers or empty (``| **1,663,706** | **Total** | |``); None for other rows."""
    for i, c in enumerate(cells):
        if _TOTAL.match(_cell_text(c)):
            return i
        if _amount(c) is not None:
            break
    labels = [i for i, c in enumerate(cells) if _TOTAL.match(_cell_text(c))]
    if len(labels) == 1 and all(_amount(c) is not None or _cell_text(c).lower() in _EMPTY
                                for i, c in enumerate(cells) if i != labels[0]):
        return labels[0]
    return None


def _is_total(cells: list[str]) -> bool:
    """A total row (:func:`_total_label`)."""
    return _total_label(cells) is not None


def _totals(rows, exact: dict | None = None) -> list[tuple[int, str, Judgement]]:
    """The total rows checked column by column; ``exact`` maps ``(line, cell)`` of a rounded cell (``1.6M``) to the
    exact value its row was verified to hold, which the sum then uses."""
    header = rows[0][1]
    exact = exact or {}
    out = []
    start = 1
    for i in range(1, len(rows)):
        line, cells = rows[i]
        label = _total_label(cells) if cells else None
        if label is None:
            continue
        body = rows[start:i]
        start = i + 1
        for c, cell in enumerate(cells):
            total = _amount(cell) if c != label else None
            if total is None:
                continue
            values, tol, ok = [], total[1], True
            for n, other in body:
                t = _cell_text(other[c]) if c < len(other) else ""
                v = _amount(t)
                if v is not None and v[1] and (n, t) in exact:
                    v = (Fraction(exact[(n, t)]), Fraction(0))
                if v is None and t.lower() not in _EMPTY:
                    ok = False
                    break
                values.append(v[0] if v else 0)
                tol += v[1] if v else 0
            if not ok or sum(1 for v in values if v) < 2:
                continue
            s = sum(values)
            name = _cell_text(header[c]) if c < len(header) else f"column {c + 1}"
            shown = int(s) if s.denominator == 1 else float(s)
            if abs(s - total[0]) <= tol:
                out.append((line, "|".join(cells), Judgement("CORRECT", "table_total", f"table: the total of column "
                            f"{name!r} is the sum of its {len(values)} row(s) ({shown:,})", expected=str(shown))))
            else:
                out.append((line, "|".join(cells), Judgement(
                    "INCORRECT", "table_total", f"table: the rows of column {name!r} sum to {shown:,}, not "
                    f"{_cell_text(cell)}", counterexample={"values": {"rows": len(values)}, "document": _cell_text(cell),
                                                           "expected": shown}, expected=str(shown))))
    return out


def _row_params(rows, roles) -> list[tuple[int, str, Judgement]]:
    header = [_cell_text(h).lower() for h in rows[0][1]]
    cols = [c for c, h in enumerate(header) if re.search(r"param|#\s*weights|weights", h)]
    if len(cols) != 1:
        return []
    c = cols[0]
    out = []
    for line, cells in rows[1:]:
        if c >= len(cells) or _is_total(cells):
            continue
        value = _number(cells[c])
        if value is None:
            continue
        rest = ", ".join(_cell_text(x) for k, x in enumerate(cells) if k != c)
        conf = read_configuration(rest, roles=roles)
        if conf.conflicts or not {"channels_in", "channels_out", "kernel"} <= set(conf.values):
            continue
        j = decide(Statement("param_count", dict(conf.values), value, bias=conf.bias, evidence=f"row {cells[0]!r}"))
        if j.verdict == "UNRECOGNIZED":
            continue
        j.explanation = f"table row {_cell_text(cells[0])!r}: {j.explanation}"
        out.append((line, "|".join(cells), j))
    return out


def table_findings(lines: list[str], roles: dict | None = None) -> list[tuple[int, str, Judgement]]:
    """``(line, row text, judgement)`` for every checked total and per-row parameter count of every table."""
    from ..document.html_tables import html_tables
    from .layer_chain import chain_findings
    from .table_context import table_context, with_context
    from .table_layers import chain_rows, layer_table_findings

    out = []
    for rows in tables_in(lines) + html_tables(lines):
        if len(rows) < 2:
            continue
        counted = _row_params(rows, roles)
        out += counted
        seen = {(n, j.quantity) for n, _, j in counted}
        out += [f for f in layer_table_findings(rows, roles) if (f[0], f[2].quantity) not in seen]
        seen = {(n, j.quantity) for n, _, j in out}
        described = next((r for k in range(min(3, len(rows) - 2)) if (r := chain_rows(rows[k:], roles))), [])
        described = with_context(described, table_context(lines, rows[0][0], rows[-1][0]), rows[0][0])
        out += _noted(described, [f for f in chain_findings(described, roles) if (f[0], f[2].quantity) not in seen])
        verified = {(n, _cell_text(src)): j.expected for n, src, j in out if j.quantity == "param_count"
                    and j.verdict == "CORRECT" and j.expected and j.expected.isdigit() and n in {r[0] for r in rows}}
        out += _totals(rows, verified)
    from .figures import figure_findings

    out = [(_at_cell(lines, n, src), src, j) for n, src, j in out]
    out += figure_findings(lines)
    from .layer_lists import list_findings

    out += list_findings(lines, roles)
    return sorted(out, key=lambda t: t[0])


def _noted(rows: list, found: list) -> list:
    """``found`` with the hyperparameters a row took from the text (:func:`proofs.judge.table_context.with_context`)
    said in the explanation of its findings."""
    used = {r.line: r.notes["defaults"] for r in rows if r.notes.get("defaults")}
    for line, _, j in found:
        if line in used and j.quantity in ("output_size", "param_count", "macs", "flops"):
            j.explanation += " — " + ", ".join(f"{k} {v}" for k, v in used[line].items()) + " as the text states for every such layer"
    return found


def _at_cell(lines: list[str], line: int, cell: str) -> int:
    """The line of a row spanning lines (LaTeX, grid tables) where the judged cell is written; the row's line else."""
    cell = cell.strip()
    if not cell or "|" in cell or line > len(lines):
        return line
    whole = re.compile(r"(?<![\w.,])" + re.escape(cell) + r"(?![\w.,])")  # "0" is not the 0 of "3072"
    if whole.search(lines[line - 1]):
        return line
    for k in range(line + 1, min(line + 12, len(lines) + 1)):
        if k > line + 3 and re.match(r"\s*<tr\b|\s*</table", lines[k - 1], re.I):
            break  # an HTML row spans lines up to the next row
        if whole.search(lines[k - 1]):
            return k
    return line
