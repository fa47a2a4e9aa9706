r"""Lists of layers — one bullet per layer, naming it and stating its output shape — checked as a described network.

A run of consecutive list items (``-``, ``*``, ``+``, ``1.``) each naming a layer (``CONV1 (f=5, s=1)``,
``max pool 2×2``, ``FC 120``) and stating a shape (``(28, 28, 8)``, ``28×28×8``, ``6@28×28``) — and, if it says
so, a parameter count (``608 parameters``) — is read like a table's rows (:func:`proofs.judge.figures.label_parts`
splits each item into its layer and its shape) and checked by :func:`proofs.judge.layer_chain.chain_findings`,
with the letters of the document's notation (``roles``). Items that name no layer or state no shape end the run.

>>> lines = ["- Input: (32, 32, 3)", "- CONV1 (f=5, s=1): (28, 28, 8), 608 parameters",
...          "- POOL1 (f=2, s=2): (14, 14, 8)", "- CONV2 (f=5, s=1): (10, 10, 16), 3,300 parameters"]
>>> [(n, j.quantity, j.verdict) for n, _, j in list_findings(lines)]  # doctest: +NORMALIZE_WHITESPACE
[(2, 'output_size', 'CORRECT'), (2, 'param_count', 'CORRECT'), (3, 'output_size', 'CORRECT'),
 (4, 'output_size', 'CORRECT'), (4, 'param_count', 'INCORRECT')]
"""

from __future__ import annotations

import re

from .judgement import Judgement

__all__ = ["list_findings"]

_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")


def _item(text: str):
    from .figures import counted, label_parts
    from .layer_chain import kind_of

    from .layer_chain import parse_shape

    text = re.sub(r"\*\*|__|`", "", text).strip()
    rest, count = counted(text)
    tuples = list(re.finditer(r"\(\s*\d+\s*(?:,\s*\d+\s*){0,2}\)", rest))
    if tuples and "," not in tuples[-1].group(0) and kind_of(rest[:tuples[-1].start()]) != "dense":
        tuples = []  # "(10)" is a shape only after a dense layer's name
    if tuples:  # a shape written as a tuple: (28, 28, 8), (120, 1)
        m = tuples[-1]
        layer, shape, shape_text = rest[:m.start()].strip(" :=→-,|"), parse_shape(m.group(0)), m.group(0)
    else:
        layer, shape, shape_text = label_parts(re.sub(r"\s*[:→=]+\s*(?=\d)", " | ", rest, count=1))
    if shape is None or not layer or kind_of(layer) is None or len(layer) > 60:
        return None  # a sentence about a layer is not a list item naming one
    return layer.strip(" |:,"), shape, shape_text, count


def list_findings(lines: list[str], roles: dict | None = None) -> list[tuple[int, str, Judgement]]:
    """``(line, text, judgement)`` for the determined sizes and counts of every list of layers in ``lines``."""
    from .layer_chain import LayerRow, chain_findings

    runs: list[list] = [[]]
    for n, raw in enumerate(lines, start=1):
        m = _ITEM.match(raw)
        got = _item(m.group(1)) if m else None
        if got is None:
            if runs[-1]:
                runs.append([])
            continue
        name, shape, shape_text, count = got
        runs[-1].append(LayerRow(n, name, shape=shape, shape_text=shape_text, params=count))
    out = []
    for rows in runs:
        if len(rows) < 3:
            continue
        for line, src, j in chain_findings(rows, roles):
            if j.verdict != "UNRECOGNIZED":
                j.explanation = f"table (list of layers): {j.explanation}"
                out.append((line, src, j))
    return out
