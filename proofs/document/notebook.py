r"""Read a Jupyter notebook (nbformat v4 ``.ipynb``) as the Markdown of its Markdown cells.

The notebook's JSON is parsed with the standard library (``nbformat`` is not needed). Markdown cells
are joined, one blank line apart, into a Markdown text that the checker reads like any ``.md`` file;
code and raw cells, outputs and attachments are ignored (the checker skips code in Markdown too).
Each line of that text remembers where it came from: the line of the ``.ipynb`` file that holds it
(the JSON string of the cell's source), the cell (1-based, counting every cell) and the line inside
the cell — so a finding reports ``line`` in the file and ``cell N, line M``.

A cell's ``source`` is a list of lines (what Jupyter and ``nbformat`` write, one JSON line each) or one
string; in a one-line (minified) notebook every source line sits on file line 1.

Examples
--------
>>> nb = '{"cells": [\n {"cell_type": "markdown", "metadata": {},\n  "source": ["# Pooling\\n",\n' \
...      '   "$o = (i - p)/s + 1$"]},\n {"cell_type": "code", "source": "x = 1", "outputs": []}\n],\n' \
...      ' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
>>> text, origins = notebook_markdown(nb)
>>> text
'# Pooling\n$o = (i - p)/s + 1$\n'
>>> origins
((3, 1, 1), (4, 1, 2))
>>> notebook_markdown('{"cells": 3, "nbformat": 4}')
Traceback (most recent call last):
...
ValueError: <notebook>: "cells" must be a list of cells, got int
"""

from __future__ import annotations

import bisect
import json
from json.decoder import scanstring

__all__ = ["notebook_markdown", "looks_like_notebook", "relocate", "Origin"]

#: ``(file_line, cell, cell_line)`` — where a line of the notebook's Markdown text comes from
Origin = tuple

_WS = " \t\n\r"


class _Located(str):
    """A JSON string that remembers the offset of its opening quote."""

    pos: int


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _value(text: str, i: int, decoder: json.JSONDecoder):
    """Parse one JSON value at ``text[i]`` (after whitespace): ``(value, end)``; strings are :class:`_Located`."""
    i = _skip(text, i)
    if i >= len(text):
        raise ValueError("unexpected end of the notebook's JSON")
    ch = text[i]
    if ch == '"':
        s, end = scanstring(text, i + 1)
        out = _Located(s)
        out.pos = i
        return out, end
    if ch == "{":
        obj, i = {}, _skip(text, i + 1)
        if text[i:i + 1] == "}":
            return obj, i + 1
        while True:
            key, i = _value(text, i, decoder)
            if not isinstance(key, str):
                raise ValueError(f"a JSON object key must be a string (offset {i})")
            i = _skip(text, i)
            if text[i:i + 1] != ":":
                raise ValueError(f"expected ':' at offset {i} of the notebook's JSON")
            obj[str(key)], i = _value(text, i + 1, decoder)
            i = _skip(text, i)
            if text[i:i + 1] == "}":
                return obj, i + 1
            if text[i:i + 1] != ",":
                raise ValueError(f"expected ',' or '}}' at offset {i} of the notebook's JSON")
            i += 1
    if ch == "[":
        arr, i = [], _skip(text, i + 1)
        if text[i:i + 1] == "]":
            return arr, i + 1
        while True:
            item, i = _value(text, i, decoder)
            arr.append(item)
            i = _skip(text, i)
            if text[i:i + 1] == "]":
                return arr, i + 1
            if text[i:i + 1] != ",":
                raise ValueError(f"expected ',' or ']' at offset {i} of the notebook's JSON")
            i += 1
    value, end = decoder.raw_decode(text, i)  # numbers, true, false, null
    return value, end


def looks_like_notebook(text: str) -> bool:
    """Is ``text`` a Jupyter notebook's JSON (an object with ``"cells"`` and ``"nbformat"``)?

    >>> looks_like_notebook('{"cells": [], "nbformat": 4}'), looks_like_notebook("# Title")
    (True, False)
    """
    head = text.lstrip()[:200000]
    return head.startswith("{") and '"cells"' in head and '"nbformat"' in text


def notebook_markdown(text: str, name: str = "<notebook>") -> tuple[str, tuple[Origin, ...]]:
    """The Markdown cells of the notebook ``text`` as one Markdown text, and each line's origin.

    Parameters
    ----------
    text : str
        The ``.ipynb`` file's text (nbformat 4).
    name : str
        The file's name, for error messages.

    Returns
    -------
    (str, tuple of (file_line, cell, cell_line))
        ``origins[n - 1]`` is where line ``n`` of the Markdown text comes from; the blank line between two
        cells has the origin of the line before it.

    Raises
    ------
    ValueError
        Not JSON, not an nbformat 4 notebook (``nbformat`` other than 4, ``cells`` not a list, a source that
        is neither a string nor a list of strings), or no Markdown cell with text.
    """
    try:
        nb, end = _value(text, 0, json.JSONDecoder())
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"{name} is not a notebook's JSON: {exc}") from None
    if _skip(text, end) != len(text):
        raise ValueError(f"{name} is not a notebook's JSON: extra data at offset {_skip(text, end)}")
    if not isinstance(nb, dict):
        raise ValueError(f"{name}: a notebook is a JSON object, got {type(nb).__name__}")
    version = nb.get("nbformat")
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise ValueError(f'{name}: "cells" must be a list of cells, got {type(cells).__name__}')
    if version != 4:
        raise ValueError(f"{name}: nbformat {version!r} is not supported (nbformat 4 notebooks are read)")
    starts = [0] + [k + 1 for k, c in enumerate(text) if c == "\n"]

    def file_line(pos: int) -> int:
        return bisect.bisect_right(starts, pos)

    lines: list[str] = []
    origins: list[Origin] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            raise ValueError(f"{name}: cell {number} is a {type(cell).__name__}, not a JSON object")
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        pieces = [source] if isinstance(source, str) else source
        if not isinstance(pieces, list) or not all(isinstance(p, str) for p in pieces):
            raise ValueError(f'{name}: cell {number}: "source" must be a string or a list of strings')
        body: list[tuple[str, int]] = []  # (line text, file line where it starts)
        open_line: list | None = None
        for piece in pieces:
            # an escaped "\n" inside one JSON string keeps every part on that string's file line
            base = file_line(piece.pos) if isinstance(piece, _Located) else 1
            for j, part in enumerate(piece.split("\n")):
                if j:
                    body.append((open_line[0], open_line[1]))
                    open_line = None
                if open_line is None:
                    open_line = [part, base]
                else:
                    open_line[0] += part
            if piece.endswith("\n"):
                open_line = None  # the next piece starts a new line, on its own file line
        if open_line is not None:
            body.append((open_line[0], open_line[1]))
        if not any(t.strip() for t, _ in body):
            continue
        if lines:
            lines.append("")
            origins.append(origins[-1])
        for k, (t, b) in enumerate(body, 1):
            lines.append(t)
            origins.append((b, number, k))
    if not lines:
        raise ValueError(f"{name} has no Markdown cell with text: nothing to read")
    return "\n".join(lines) + "\n", tuple(origins)


def relocate(findings: list, origins: tuple[Origin, ...]) -> None:
    """Point each finding (found at a line of the notebook's Markdown text) at the ``.ipynb`` file's line,
    and set its ``cell`` and ``cell_line``, in place.

    >>> from proofs.findings import Finding
    >>> f = Finding(2, "x", "formula", "UNRECOGNIZED")
    >>> relocate([f], ((3, 1, 1), (7, 2, 1)))
    >>> f.line, f.cell, f.cell_line
    (7, 2, 1)
    """
    for f in findings:
        file_line, cell, cell_line = origins[min(max(f.line, 1), len(origins)) - 1]
        f.line, f.cell, f.cell_line = file_line, cell, cell_line
