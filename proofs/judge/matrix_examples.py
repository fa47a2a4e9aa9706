r"""2-D worked examples written as matrices: ``\begin{bmatrix}…\end{bmatrix} * \begin{bmatrix}…\end{bmatrix} =
\begin{bmatrix}…\end{bmatrix}`` in one display (the 2-D counterpart of :mod:`proofs.judge.vectors`).

An input matrix, an operator (``*``, ``\ast``, ``\star``, ``\circledast``, ``\otimes``) and a kernel matrix, then ``=``
and the result: the result is computed by :func:`numeric.conv2d` as a cross-correlation and as a convolution (the
kernel flipped), without padding ("valid", the usual worked example), also "full" (padding k − 1) when the result
has that size. CORRECT when the result is one of those readings (named); INCORRECT when its size fits a reading
but its entries fit none, with the first differing entry of the reading the document's words name (the
cross-correlation when they name none). Other sizes are not judged.

>>> text = r"$$\begin{bmatrix}1 & 2 & 0\\ 0 & 1 & 3\\ 2 & 1 & 0\end{bmatrix} * \begin{bmatrix}1 & -1\\ 0 & 2\end{bmatrix}"
>>> text += r" = \begin{bmatrix}1 & 8\\ 1 & -2\end{bmatrix}$$"
>>> [(n, j.verdict) for n, _, j in matrix_findings([text])]
[(1, 'CORRECT')]
>>> [(n, j.verdict, j.counterexample["index"]) for n, _, j in matrix_findings([text.replace("-2\\end", "2\\end")])]
[(1, 'INCORRECT', '(1, 1)')]
"""

from __future__ import annotations

import re
from itertools import groupby

import numpy as np

from .judgement import Judgement

__all__ = ["matrix_findings", "latex_matrices"]

_ENV = re.compile(r"\\begin\{([bpvBV]?matrix|array)\}(?:\{[^{}]*\})?(.*?)\\end\{\1\}", re.S)
_NUM = re.compile(r"^[-−–+]?\s*\d+(?:\.\d+)?$")
_OP = re.compile(r"^\s*(?:\*|\\ast|\\star|\\circledast|\\otimes)\s*$")
_EQ = re.compile(r"^\s*=\s*$")


def latex_matrices(text: str) -> list:
    r"""``(start, end, values, written)`` for each all-number matrix environment in ``text``.

    >>> [(m[2].tolist(), m[3]) for m in latex_matrices(r"\begin{pmatrix}1 & -2\\ 3.5 & 4\end{pmatrix}")]
    [([[1.0, -2.0], [3.5, 4.0]], ['1', '-2', '3.5', '4'])]
    """
    out = []
    for m in _ENV.finditer(text):
        rows = [r for r in re.split(r"\\\\(?:\[[^\]]*\])?", m.group(2)) if r.strip() and r.strip() != r"\hline"]
        cells = [[c.strip().replace("−", "-").replace("–", "-").replace(" ", "") for c in r.replace(r"\hline", "").split("&")]
                 for r in rows]
        if not cells or len({len(r) for r in cells}) != 1 or not all(_NUM.match(c) for r in cells for c in r):
            continue
        written = [c for r in cells for c in r]
        out.append((m.start(), m.end(), np.array([[float(c) for c in r] for r in cells]), written))
    return out


def _readings(x: np.ndarray, k: np.ndarray) -> list:
    from numeric import conv2d

    out = []
    for flipped, name in ((False, "cross-correlation"), (True, "convolution (kernel flipped)")):
        ker = k[::-1, ::-1] if flipped else k
        for pad, label in ((0, "valid"), ((k.shape[0] - 1, k.shape[1] - 1), "full")):
            if k.shape[0] > x.shape[0] or k.shape[1] > x.shape[1]:
                continue
            y = conv2d(x[None, None], np.ascontiguousarray(ker)[None, None], padding=pad)[0, 0]
            out.append((name, f"{name}, {label}", np.asarray(y, dtype=float)))
    return out


def _judge(x, k, y, written, words: str):
    from ..code.node_examples import close_to_written

    fits = [(name, label, r) for name, label, r in _readings(x, k) if r.shape == y.shape]
    if not fits:
        return None
    given = f"input {x.shape[0]}×{x.shape[1]}, kernel {k.shape[0]}×{k.shape[1]}"
    for name, label, r in fits:
        if all(close_to_written(t, float(v)) for t, v in zip(written, r.ravel())):
            return Judgement("CORRECT", "forward_index", f"2-D example: the result is the {label} of the {given} "
                             "(numeric.conv2d)", expected="the stated matrix")
    low = words.lower()
    named = "convolution (kernel flipped)" if re.search(r"flip|rotat", low) else "cross-correlation"
    name, label, r = next((f for f in fits if f[0] == named), fits[0])
    i = next(i for i, (t, v) in enumerate(zip(written, r.ravel())) if not close_to_written(t, float(v)))
    idx = tuple(int(a) for a in np.unravel_index(i, r.shape))
    shown = f"{r.ravel()[i]:.6g}"
    return Judgement("INCORRECT", "forward_index", f"2-D example: the {label} of the {given} has {shown} at "
                     f"row {idx[0] + 1}, column {idx[1] + 1}, not {written[i]} (no reading of this size — cross-correlation "
                     "or convolution — gives the stated matrix; numeric.conv2d)",
                     counterexample={"index": str(idx), "stated": written[i], "computed": shown, "reading": label},
                     expected=shown)


def matrix_findings(lines: list[str], *, sections: list | None = None):
    """``(line, source, judgement)`` for each ``A op K = Y`` of all-number matrices within one paragraph."""
    out = []
    paragraphs = groupby(enumerate(lines, start=1), key=lambda t: bool(t[1].strip()))
    for block in ([n for n, _ in run] for filled, run in paragraphs if filled):
        text = "\n".join(lines[n - 1] for n in block)
        if "\\begin" not in text:
            continue
        offsets = [0]
        for n in block:
            offsets.append(offsets[-1] + len(lines[n - 1]) + 1)
        mats = latex_matrices(text)
        for a, b, c in zip(mats, mats[1:], mats[2:]):
            if not (_OP.match(text[a[1]:b[0]]) and _EQ.match(text[b[1]:c[0]])):
                continue
            words = " ".join(lines[max(0, block[0] - 4): block[-1]])  # the sentence that introduces the display too
            j = _judge(a[2], b[2], c[2], c[3], words)
            if j is not None:
                line = block[next(i for i in range(len(block)) if offsets[i + 1] > c[0])]
                out.append((line, lines[line - 1].strip(), j))
    return out
