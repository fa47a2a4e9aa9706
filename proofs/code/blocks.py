r"""The code a document holds, as cells with the lines they come from and the output lines shown after them.

Read: HTML ``<pre>`` blocks; Markdown fences (`````python``, ``py``, ``ipython3``, ``pycon``, MyST ``{code-cell}``, and unlabelled fences
that parse as Python) with an output fence right after them; reStructuredText ``.. code-block::``/``.. code::``/
``.. jupyter-execute::``/``.. testcode::`` and ``::`` literal blocks; LaTeX ``lstlisting``/``minted``/``verbatim``;
doctest sessions (``>>>``/``...`` lines, the lines after them up to a blank line being their output) anywhere;
and a notebook's code cells with their ``stdout`` streams and displayed ``text/plain`` results, every line at
its line of the ``.ipynb`` file. IPython magics (``%matplotlib``, ``!pip``) are read as blank lines.

>>> text = "Text\n\n```python\nx = 1\nprint(x)\n```\n\n```\n1\n```\n>>> y = 2\n>>> y\n2\n"
>>> [(c.kind, [n for n, _ in c.source], [(n, t) for n, t, _ in c.outputs]) for c in document_cells(text.splitlines())]
[('fence', [4, 5], [(9, '1')]), ('doctest', [11], []), ('doctest', [12], [(13, '2')])]
"""

from __future__ import annotations

import contextlib
import re
import textwrap
from dataclasses import dataclass, field

__all__ = ["Cell", "document_cells", "notebook_cells", "json_outputs", "source_text"]


@dataclass
class Cell:
    """Code lines ``(line, text)``, output lines ``(line, text, kind)`` (``stream`` or ``result``), and how it runs."""

    kind: str
    source: list
    outputs: list = field(default_factory=list)
    display_last: bool = True
    #: a notebook cell's ``execution_count`` (the order it ran in), when recorded
    executed: int | None = None


_MAGIC = re.compile(r"^\s*(?:[%!?]|\$ )")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*\{?([\w+\-.]*)\}?\s*(.*)$")
_PY_LABELS = {"python", "py", "python3", "ipython", "ipython3", "pycon", "code-cell", "jupyter-execute", "py3", "pytorch",
              "tensorflow", "jax"}
_OUT_LABELS = {"", "text", "output", "console", "none", "plaintext", "txt", "out", "stdout"}
_RST = re.compile(r"^(\s*)\.\.\s+(code-block|code|sourcecode|jupyter-execute|testcode|ipython|doctest|testoutput)::\s*(\S*)")


def source_text(lines: list) -> str:
    """The cell's code as one text, magics blanked, common indentation removed."""
    return textwrap.dedent("\n".join("" if _MAGIC.match(t) else t for _, t in lines))


def _doctests(lines: list) -> list[Cell]:
    cells: list[Cell] = []
    i = 0
    while i < len(lines):
        n, t = lines[i]
        m = re.match(r"^(\s*)>>> ?(.*)$", t)
        if not m:
            i += 1
            continue
        indent = len(m.group(1))
        src = [(n, m.group(2))]
        i += 1
        while i < len(lines) and re.match(r"^\s*\.\.\.(?: |$)", lines[i][1]):
            src.append((lines[i][0], re.sub(r"^\s*\.\.\. ?", "", lines[i][1])))
            i += 1
        outs = []
        while i < len(lines) and lines[i][1].strip() and not re.match(r"^\s*>>>", lines[i][1]) \
                and not lines[i][1].strip().startswith("```"):
            outs.append((lines[i][0], lines[i][1][indent:] if len(lines[i][1]) > indent else lines[i][1], "any"))
            i += 1
        cells.append(Cell("doctest", src, outs, True))
    return cells


def _is_code(lines: list) -> bool:
    """Does a block read as statements (an assignment, an import, a definition, a print) rather than printed output?"""
    return any(re.search(r"(?:^|[^=!<>])=(?:$|[^=])|\bimport\b|^\s*(?:def|class|for|with)\b|\bprint\(", t)
               for _, t in lines)


def _parses(lines: list) -> bool:
    import ast

    try:
        ast.parse(source_text(lines))
        return True
    except (SyntaxError, ValueError):
        return False


def _markdown(lines: list[str]) -> list[Cell]:
    cells: list[Cell] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        mark, label, rest = m.group(2), m.group(3).lower().lstrip("."), m.group(4).lower()
        body, j = [], i + 1
        while j < len(lines) and not lines[j].strip().startswith(mark[0] * len(mark)):
            body.append((j + 1, lines[j]))
            j += 1
        i = j + 1
        if label == "pycon" or any(re.match(r"^\s*>>>", t) for _, t in body):
            cells.extend(_doctests(body))
            continue
        if label in _PY_LABELS or (label in ("code-cell", "") and ("python" in rest or "ipython" in rest)) or (
                label == "" and _parses(body) and re.search(r"\w\(", "\n".join(t for _, t in body))):
            cell = Cell("fence", [(n, t) for n, t in body if not re.match(r"^:\w[\w-]*:", t)])
            cells.append(cell)
            # an output fence right after it (only blank lines or one short line of prose between)
            k = i
            while k < len(lines) and k < i + 3 and not _FENCE.match(lines[k]) and len(lines[k].strip()) < 80:
                k += 1
            if k < len(lines):
                m2 = _FENCE.match(lines[k])
                if m2 and m2.group(3).lower().lstrip(".") == "json" and ".output" in m2.group(4):
                    out, j2 = [], k + 1
                    while j2 < len(lines) and not lines[j2].strip().startswith(m2.group(2)):
                        out.append((j2 + 1, lines[j2]))
                        j2 += 1
                    cell.outputs, i = json_outputs(out), j2 + 1
                elif m2 and m2.group(3).lower() in _OUT_LABELS:
                    out, j2 = [], k + 1
                    while j2 < len(lines) and not lines[j2].strip().startswith(m2.group(2)):
                        out.append((j2 + 1, lines[j2], "stream"))
                        j2 += 1
                    if not (m2.group(3) == "" and _is_code([(n, t) for n, t, _ in out])):
                        cell.outputs = out
                        i = j2 + 1
    return cells


def _indented_block(lines: list[str], start: int) -> tuple[list, int]:
    body, j = [], start
    while j < len(lines) and not lines[j].strip():
        j += 1
    base = None
    while j < len(lines):
        t = lines[j]
        if t.strip():
            ind = len(t) - len(t.lstrip())
            if base is None:
                base = ind
            if ind < (base or 0) or base == 0:
                break
        body.append((j + 1, t))
        j += 1
    while body and not body[-1][1].strip():
        body.pop()
    return body, j


def _rst(lines: list[str]) -> list[Cell]:
    cells: list[Cell] = []
    i = 0
    while i < len(lines):
        t = lines[i]
        m = _RST.match(t)
        literal = not m and t.rstrip().endswith("::") and not t.lstrip().startswith("..")
        if not (m or literal):
            i += 1
            continue
        j = i + 1
        while m and j < len(lines) and re.match(r"^\s+:\w[\w-]*:", lines[j]):  # directive options
            j += 1
        body, end = _indented_block(lines, j)
        i = max(end, i + 1)
        if not body:
            continue
        if any(re.match(r"^\s*>>>", b) for _, b in body):
            cells.extend(_doctests(body))
            continue
        directive = m.group(2) if m else ""
        lang = (m.group(3) if m else "").lower()
        is_output = directive == "testoutput" or (m and lang in ("none", "text", "console", "output"))
        if is_output or (literal and not _parses(body)):
            if cells and cells[-1].kind == "rst" and not cells[-1].outputs and body[0][0] - cells[-1].source[-1][0] < 8:
                cells[-1].outputs = [(n, b.strip(), "stream") for n, b in body]
            continue
        if (m and lang in ("", "python", "py", "python3", "ipython", "ipython3")) or (literal and _parses(body)):
            cells.append(Cell("rst", body))
    return cells


def _latex(lines: list[str]) -> list[Cell]:
    cells, i = [], 0
    while i < len(lines):
        m = re.match(r"^\s*\\begin\{(lstlisting|minted|verbatim|Verbatim|python)\}", lines[i])
        if not m:
            i += 1
            continue
        env, body, j = m.group(1), [], i + 1
        while j < len(lines) and not re.match(rf"^\s*\\end\{{{env}\}}", lines[j]):
            body.append((j + 1, lines[j]))
            j += 1
        i = j + 1
        if any(re.match(r"^\s*>>>", b) for _, b in body):
            cells.extend(_doctests(body))
        elif _parses(body):
            cells.append(Cell("latex", body))
    return cells


def _html(lines: list[str]) -> list[Cell]:
    """``<pre>`` blocks (tags removed, entities decoded, each line kept at its line): code, doctest sessions, and a
    block that is not Python right after code as its output."""
    import html

    cells: list[Cell] = []
    i = 0
    while i < len(lines):
        m = re.search(r"<pre\b[^>]*>", lines[i], re.I)
        if not m:
            i += 1
            continue
        body, j, first = [], i, lines[i][m.end():]
        while j < len(lines):
            text = first if j == i else lines[j]
            end = re.search(r"</pre\s*>", text, re.I)
            body.append((j + 1, html.unescape(re.sub(r"<[^>]+>", "", text[: end.start()] if end else text))))
            if end:
                break
            j += 1
        i = j + 1
        body = [(n, t) for n, t in body if t.strip() or body.index((n, t)) not in (0, len(body) - 1)]
        if not body:
            continue
        follows = cells and cells[-1].kind == "html" and not cells[-1].outputs and body[0][0] - cells[-1].source[-1][0] < 8
        if any(re.match(r"^\s*>>>", t) for _, t in body):
            cells.extend(_doctests(body))
        elif follows and not _is_code(body):
            cells[-1].outputs = [(n, t, "stream") for n, t in body]
        elif _parses(body) and re.search(r"\w\(", "\n".join(t for _, t in body)):
            cells.append(Cell("html", body))
    return cells


def document_cells(lines: list[str], fmt: str = "markdown") -> list[Cell]:
    """The code cells of a document's lines (``lines[n - 1]`` is line ``n``), in order."""
    if fmt == "html":
        return _html(lines)
    if fmt == "rst":
        cells = _rst(lines)
        covered = {n for c in cells for n, _ in c.source} | {n for c in cells for n, _, _ in c.outputs}
        cells += _doctests([(k, t) for k, t in enumerate(lines, 1) if k not in covered])
        return sorted(cells, key=lambda c: c.source[0][0] if c.source else 0)
    if fmt == "latex":
        return _latex(lines)
    cells = _markdown(lines)
    if fmt not in ("markdown", "text"):
        return cells
    covered = {n for c in cells for n, _ in c.source} | {n for c in cells for n, _, _ in c.outputs}
    fenced = _fenced_lines(lines)
    loose = [(k, t) for k, t in enumerate(lines, 1) if k not in covered and k not in fenced]
    cells.extend(_doctests(loose))
    return sorted(cells, key=lambda c: c.source[0][0] if c.source else 0)


def _fenced_lines(lines: list[str]) -> set:
    inside, out, mark = False, set(), ""
    for k, t in enumerate(lines, 1):
        m = _FENCE.match(t)
        if m and (not inside or t.strip().startswith(mark)):
            inside, mark = (not inside), m.group(2)
            out.add(k)
        elif inside:
            out.add(k)
    return out


def _parse_json(text: str):
    """``text`` parsed with the notebook reader's located JSON strings (each remembers its offset), or None."""
    import json

    from ..document.notebook import _value

    with contextlib.suppress(ValueError, RecursionError):
        return _value(text, 0, json.JSONDecoder())[0]
    return None


def _located(pieces, starts: list, first_line: int = 1) -> list:
    """``(line, text)`` of each line of a JSON string or list of strings; ``starts``: offsets of the text's lines."""
    import bisect

    pieces = [pieces] if isinstance(pieces, str) else pieces
    out: list = []
    if not isinstance(pieces, list):
        return out
    pending = None
    for piece in pieces:
        if not isinstance(piece, str):
            continue
        base = bisect.bisect_right(starts, getattr(piece, "pos", 0)) + first_line - 1
        parts = piece.split("\n")
        for j, part in enumerate(parts):
            pending = (pending[0], pending[1] + part) if pending is not None else (base, part)
            if j < len(parts) - 1:
                out.append(pending)
                pending = None
        if piece.endswith("\n"):
            pending = None  # the next piece starts a new line, on its own file line
    if pending is not None and pending[1]:
        out.append(pending)
    return out


def _outputs(outputs, starts: list, first_line: int = 1) -> list:
    """``(line, text, kind)`` of the ``stdout`` streams and displayed ``text/plain`` of a cell's outputs."""
    outs: list = []
    for o in outputs if isinstance(outputs, list) else []:
        if not isinstance(o, dict):
            continue
        if o.get("output_type") == "stream" and o.get("name", "stdout") == "stdout":
            outs += [(n, t, "stream") for n, t in _located(o.get("text", ""), starts, first_line)]
        elif o.get("output_type") == "execute_result" and isinstance(o.get("data"), dict):
            outs += [(n, t, "result") for n, t in _located(o["data"].get("text/plain", ""), starts, first_line)]
    return outs


def _line_starts(text: str) -> list:
    return [0] + [k + 1 for k, c in enumerate(text) if c == "\n"]


def json_outputs(body: list) -> list:
    r"""The outputs of a Markdown ``{.json .output}`` fence (notedown's form of a notebook cell's outputs), at their lines.

    >>> json_outputs([(7, '[{"name": "stdout", "output_type": "stream",'), (8, ' "text": "(1, 2)\\n(3,)\\n"}]')])
    [(8, '(1, 2)', 'stream'), (8, '(3,)', 'stream')]
    """
    if not body:
        return []
    text = "\n".join(t for _, t in body)
    return _outputs(_parse_json(text), _line_starts(text), body[0][0])


def notebook_cells(text: str) -> list[Cell]:
    """The code cells of a notebook's JSON ``text``, each line at its line of the file."""
    nb = _parse_json(text)
    cells_in = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells_in, list):
        return []
    starts = _line_starts(text)
    cells = []
    for cell in cells_in:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = _located(cell.get("source", ""), starts)
        if src and src[0][1].lstrip().startswith("%%"):
            continue
        count = cell.get("execution_count")
        cells.append(Cell("notebook", src, _outputs(cell.get("outputs"), starts), True,
                          count if isinstance(count, int) and not isinstance(count, bool) else None))
    return cells
