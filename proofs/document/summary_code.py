r"""Layer constructor calls in a document's code (``layers.Conv2D(32, (3, 3), input_shape=(28, 28, 1))``,
``nn.Conv2d(1, 10, 3)``) and the lines a notebook holds in its code cells and outputs.

The calls are read with our own small grammar — a name from the known layer vocabulary of Keras and
PyTorch, then balanced parentheses whose top-level arguments are literals (integers, decimals, strings,
``True``/``False``/``None``, tuples and lists of those) or ``keyword=literal``. Nothing is evaluated; an
argument that is not a literal (a variable, an expression) is :data:`UNKNOWN`, and what depends on it is
left undecided by the judge.

Examples
--------
>>> [(c.line, c.framework, c.kind, c.args, c.kwargs) for c in layer_calls([(4, "model.add(layers.Conv2D(32, (3, 3), "
...   "activation='relu', input_shape=(28, 28, 1)))"), (5, "nn.MaxPool2d(2, 2)")])]
[(4, 'keras', 'Conv2D', (32, (3, 3)), {'activation': 'relu', 'input_shape': (28, 28, 1)}), (5, 'torch', 'MaxPool2d', (2, 2), {})]
>>> layer_calls([(1, "layers.Dense(n_units)")])[0].args
(UNKNOWN,)
>>> input_size_calls([(9, "summary(model, (1, 28, 28))")])
[(9, (1, 28, 28), False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["UNKNOWN", "LayerCall", "layer_calls", "input_size_calls", "notebook_code_lines", "KERAS", "TORCH"]


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


#: an argument that is not a literal
UNKNOWN = _Unknown()

#: layer classes by framework (the names that appear in code and in summaries)
KERAS = ("Conv1D", "Conv2D", "Conv2DTranspose", "DepthwiseConv2D", "SeparableConv2D", "MaxPooling1D", "MaxPooling2D",
         "MaxPool2D", "MaxPool1D", "AveragePooling2D", "AvgPool2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D",
         "Dense", "Flatten", "Dropout", "SpatialDropout2D", "BatchNormalization", "Activation", "ReLU", "LeakyReLU",
         "InputLayer", "Input", "ZeroPadding2D")
TORCH = ("Conv1d", "Conv2d", "ConvTranspose2d", "MaxPool1d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "Linear",
         "Flatten", "Dropout", "Dropout2d", "BatchNorm1d", "BatchNorm2d", "ReLU", "ReLU6", "LeakyReLU", "Tanh",
         "Sigmoid", "Softmax", "Identity")
_BOTH = set(KERAS) & set(TORCH)
_NAMES = sorted(set(KERAS) | set(TORCH), key=len, reverse=True)
_CALL = re.compile(r"(?<![\w.])((?:tf\.)?keras\.(?:layers\.)?|layers\.|(?:torch\.)?nn\.)?(" + "|".join(_NAMES) + r")\s*\(")
_SUMMARY = re.compile(r"(?<![\w.])summary\s*\(")
_BUILD = re.compile(r"\.build\s*\(")


@dataclass(frozen=True)
class LayerCall:
    """One constructor call: where, which framework and class, and its literal arguments."""

    line: int
    framework: str
    kind: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    text: str = ""


def _scan(text: str, start: int = 0, limit: int | None = None):
    """``(index, char, depth)`` of each character outside string quotes, the bracket depth after it."""
    depth, quote = 0, None
    for i in range(start, len(text) if limit is None else min(len(text), start + limit)):
        ch = text[i]
        if quote:
            quote = None if ch == quote else quote
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        yield i, ch, depth


def _split_top(s: str) -> list[str]:
    cuts = [i for i, ch, depth in _scan(s) if ch == "," and depth == 0]
    parts = [s[a + 1: b] for a, b in zip([-1, *cuts], [*cuts, len(s)])]
    return parts if parts[-1].strip() else parts[:-1]


def _literal(s: str):
    s = s.strip()
    if re.fullmatch(r"[+-]?\d+", s):
        return int(s)
    if re.fullmatch(r"[+-]?(?:\d+\.\d*|\.\d+)(?:e[+-]?\d+)?", s):
        return float(s)
    if re.fullmatch(r"'[^']*'|\"[^\"]*\"", s):
        return s[1:-1]
    if s in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[s]
    if len(s) >= 2 and s[0] + s[-1] in ("()", "[]"):
        items = [_literal(p) for p in _split_top(s[1:-1])]
        return UNKNOWN if any(i is UNKNOWN for i in items) else tuple(items)
    return UNKNOWN


def _balanced(text: str, start: int) -> int | None:
    """Index just past the ``)`` closing the ``(`` at ``start``, or None."""
    return next((i + 1 for i, ch, depth in _scan(text, start, 2000) if depth == 0 and ch in ")]}"), None)


def _arguments(inner: str) -> tuple[tuple, dict]:
    args, kwargs = [], {}
    for part in _split_top(inner):
        kw = re.match(r"\s*([A-Za-z_]\w*)\s*=(?!=)(.*)$", part, re.S)
        if kw:
            kwargs[kw.group(1)] = _literal(kw.group(2))
        else:
            args.append(_literal(part))
    return tuple(args), kwargs


def _joined(lines: list[tuple[int, str]]) -> tuple[str, list[tuple[int, int]]]:
    text, starts = [], []
    pos = 0
    for n, t in lines:
        starts.append((pos, n))
        text.append(t)
        pos += len(t) + 1
    return "\n".join(text), starts


def _line_at(starts, pos: int) -> int:
    line = starts[0][1] if starts else 1
    for p, n in starts:
        if p > pos:
            break
        line = n
    return line


def layer_calls(lines: list[tuple[int, str]]) -> list[LayerCall]:
    """Every layer constructor call among ``lines`` (``(line number, text)``), in order."""
    text, starts = _joined(lines)
    out = []
    for m in _CALL.finditer(text):
        open_at = m.end() - 1
        end = _balanced(text, open_at)
        if end is None:
            continue
        prefix, kind = m.group(1) or "", m.group(2)
        if prefix.startswith(("nn", "torch")):
            fw = "torch"
        elif "layers" in prefix or "keras" in prefix:
            fw = "keras"
        elif kind in _BOTH:
            fw = "?"
        else:
            fw = "keras" if kind in KERAS else "torch"
        if fw == "keras" and kind not in KERAS or fw == "torch" and kind not in TORCH:
            continue
        args, kwargs = _arguments(text[open_at + 1: end - 1])
        out.append(LayerCall(_line_at(starts, m.start()), fw, kind, args, kwargs, text[m.start(): end]))
    frameworks = {c.framework for c in out} - {"?"}
    if len(frameworks) == 1:
        fw = frameworks.pop()
        out = [c if c.framework != "?" else LayerCall(c.line, fw, c.kind, c.args, c.kwargs, c.text) for c in out]
    return out


def input_size_calls(lines: list[tuple[int, str]]) -> list[tuple[int, tuple, bool]]:
    """``(line, input size, batch included)`` of every ``summary(model, (1, 28, 28))`` call (torchsummary:
    ``input_size`` without the batch; torchinfo's ``input_size``/``input_data`` shapes include it) and of every
    Keras ``model.build((None, 28, 28, 1))`` (batch ``None``)."""
    text, starts = _joined(lines)
    out = []
    for m in _BUILD.finditer(text):  # Keras: model.build((None, 28, 28, 1)) — the batch dimension is None
        end = _balanced(text, m.end() - 1)
        args, kwargs = _arguments(text[m.end(): end - 1]) if end else ((), {})
        size = kwargs.get("input_shape", args[0] if args else UNKNOWN)
        if isinstance(size, tuple) and len(size) >= 2 and size[0] is None and all(
                isinstance(v, int) and v > 0 for v in size[1:]):
            out.append((_line_at(starts, m.start()), size, True))
    for m in _SUMMARY.finditer(text):
        end = _balanced(text, m.end() - 1)
        if end is None:
            continue
        args, kwargs = _arguments(text[m.end(): end - 1])
        size = kwargs.get("input_size", args[1] if len(args) > 1 else UNKNOWN)
        if isinstance(size, tuple) and size and all(isinstance(v, int) and v > 0 for v in size):
            out.append((_line_at(starts, m.start()), size, "torchinfo" in text or len(size) == 4))
    return out


def notebook_code_lines(text: str) -> list[tuple[int, str]]:
    r"""``(file line, text)`` of every line of a notebook's code cells and of their text outputs, in file order.

    >>> nb = '{"cells": [\n {"cell_type": "code", "source": ["x = 1\\n", "model.summary()"],\n' \
    ...      '  "outputs": [{"output_type": "stream", "text": ["Total params: 3\\n"]}]}\n], "nbformat": 4}\n'
    >>> notebook_code_lines(nb)
    [(2, 'x = 1'), (2, 'model.summary()'), (3, 'Total params: 3')]
    """
    import bisect
    import json

    from .notebook import _value  # the notebook reader's located JSON strings

    try:
        nb, _ = _value(text, 0, json.JSONDecoder())
    except (ValueError, RecursionError):
        return []
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return []
    starts = [0] + [k + 1 for k, c in enumerate(text) if c == "\n"]
    out: list[tuple[int, str]] = []

    def add(pieces) -> None:
        pieces = [pieces] if isinstance(pieces, str) else pieces
        if not isinstance(pieces, list):
            return
        for piece in pieces:
            if not isinstance(piece, str):
                continue
            base = bisect.bisect_right(starts, getattr(piece, "pos", 0))
            for part in piece.rstrip("\n").split("\n"):
                out.append((base, part))

    for cell in nb["cells"]:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        add(cell.get("source", ""))
        for o in cell.get("outputs") or []:
            if isinstance(o, dict):
                add(o.get("text", ""))
                data = o.get("data")
                if isinstance(data, dict):
                    add(data.get("text/plain", ""))
    return out
