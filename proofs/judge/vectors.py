r"""1-D worked examples given as explicit vectors: ``x = [1, 2, 0, 3]``, ``w = [1, −1]``, ``y = [-1, 2, -3]``.

A document that writes its input and kernel as lists and then the result states the output of a 1-D
convolution. The roles come from the names (an input ``x``/``input``/``a``, a kernel ``w``/``k``/``h``/
``kernel``/``filter``, an output ``y``/``z``/``o``/``out``), the nearest definitions above the result
in the same section; the result is computed by :func:`numeric.conv1d` (cross-correlation, and the
flipped kernel for a document that convolves in the mathematical sense), with the padding that gives
the stated length (none, "same", "full") and the stride the prose states. CORRECT when the stated
vector is one of those outputs (the reading is named), INCORRECT when its length fits a reading but
the values fit none (the first differing entry is the counterexample); otherwise not judged.

Examples
--------
>>> lines = ["x = [1, 2, 0, 3] and w = [1, -1]", "", "so y = [-1, 2, -3]"]
>>> [(n, j.verdict) for n, _, j in vector_findings(lines)]
[(3, 'CORRECT')]
>>> [(n, j.verdict, j.counterexample["position"]) for n, _, j in vector_findings(["x = [1, 2, 0, 3], w = [1, -1]", "y = [-1, 2, 3]"])]
[(2, 'INCORRECT', 2)]
>>> vector_findings(["x = [1, 2, 0, 3], w = [1, -1]", "if ∂L/∂y = [1, -1, 1]"])  # a gradient, not the output
[]
>>> rows = ["K = [1, 2], X = [3, 4, 5], ∂L/∂Y = [1, -1]", "∂L/∂K = [-1, -1]", "∂L/∂X = [1, 1, 2]"]
>>> [(n, j.verdict, j.quantity) for n, _, j in vector_findings(rows)]
[(2, 'CORRECT', 'backward_index'), (3, 'INCORRECT', 'backward_index')]
"""

from __future__ import annotations

import re
from fractions import Fraction

from .judgement import Judgement

__all__ = ["vector_findings"]

_NUM = r"[-−–]?\s*\d+(?:\.\d+)?"
_VEC = re.compile(rf"(?<![\w\\∂/'’])(\\mathbf\{{\w+\}}|\\vec\{{\w+\}}|[A-Za-z]\w{{0,8}})\s*=\s*[\[(]\s*({_NUM}(?:\s*,\s*{_NUM})+)\s*[\])]")
_GRAD = re.compile(rf"(?:∂\s*L\s*/\s*∂|dL\s*/\s*d|\\frac\{{\\partial L\}}\{{\\partial\s*|\\partial L\s*/\s*\\partial\s*|grad_?|d)"
                   rf"([A-Za-z]\w{{0,6}})\}}?\s*=\s*[\[(]\s*({_NUM}(?:\s*,\s*{_NUM})*)\s*[\])]")
_IN = {"x", "input", "a", "i", "inp", "signal", "f", "u"}
_KERNEL = {"w", "k", "h", "g", "kernel", "filter", "weights", "weight", "ker"}
_OUT = {"y", "z", "o", "out", "output", "s", "result", "v"}


def _role(name: str) -> str | None:
    n = re.sub(r"\\(?:mathbf|vec)\{(\w+)\}", r"\1", name).lower()
    for role, names in (("input", _IN), ("kernel", _KERNEL), ("output", _OUT)):
        if n in names:
            return role
    return None


def _values(text: str) -> list[Fraction]:
    return [Fraction(v.replace("−", "-").replace("–", "-").replace(" ", "")) for v in re.split(r"\s*,\s*", text.strip())]


def _readings(x, w, stride: int):
    import numpy as np

    from numeric import conv1d

    xs = np.asarray([float(v) for v in x]).reshape(1, 1, -1)
    out = []
    for flipped in (False, True):
        ker = list(reversed(w)) if flipped else list(w)
        ws = np.asarray([float(v) for v in ker]).reshape(1, 1, -1)
        for pad, label in ((0, "valid"), ((len(w) - 1) // 2, "same"), (len(w) - 1, "full")):
            if label == "same" and len(w) % 2 == 0:
                continue
            y = conv1d(xs, ws, stride=stride, padding=pad).reshape(-1)
            out.append((f"{'flipped kernel (convolution)' if flipped else 'cross-correlation'}, {label}"
                        f"{f', stride {stride}' if stride > 1 else ''}", [Fraction(float(v)).limit_denominator(10**6) for v in y]))
    return out


def _assignments(lines: list[str], pattern) -> list[tuple]:
    """``(line, role, name, values, source)`` for every vector ``pattern`` finds whose name has a role."""
    out = []
    for n, raw in enumerate(lines, start=1):
        for m in pattern.finditer(raw):
            role = _role(m.group(1))
            if role:
                out.append((n, role, m.group(1), _values(m.group(2)), m.group(0)))
    return out


def _gradients(found, grads, sections):
    """Gradients worked by hand: ``∂L/∂w = [...]`` from ``∂L/∂y = [...]``, the input and the kernel (numeric's backward)."""
    import numpy as np

    from numeric import conv1d_backward

    out = []
    for i, (n, role, name, vals, src) in enumerate(grads):
        if role not in ("input", "kernel"):
            continue
        same = lambda f: sections is None or sections[f[0] - 1] == sections[n - 1]  # noqa: E731
        ups = [g for g in grads[:i] + grads[i + 1:] if g[1] == "output" and abs(g[0] - n) <= 15 and same(g)]
        xs = [f for f in found if f[1] == "input" and 0 <= n - f[0] <= 20 and same(f)]
        ws = [f for f in found if f[1] == "kernel" and 0 <= n - f[0] <= 20 and same(f)]
        if len(ups) != 1 or not xs or not ws:
            continue
        x, w, g = xs[-1][3], ws[-1][3], ups[0][3]
        if len(g) != len(x) - len(w) + 1:
            continue
        gi, gw, _ = conv1d_backward(np.asarray([float(v) for v in g]).reshape(1, 1, -1),
                                    np.asarray([float(v) for v in x]).reshape(1, 1, -1),
                                    np.asarray([float(v) for v in w]).reshape(1, 1, -1))
        want = [Fraction(float(v)).limit_denominator(10**6) for v in (gw if role == "kernel" else gi).reshape(-1)]
        if len(want) != len(vals):
            continue
        given = f"{xs[-1][2]} = {[str(v) for v in x]}, {ws[-1][2]} = {[str(v) for v in w]}, upstream {[str(v) for v in g]}"
        if want == vals:
            out.append((n, src, Judgement("CORRECT", "backward_index", f"1-D example: the gradient of the loss with "
                                          f"respect to {name} for {given} (numeric.conv1d_backward)", expected=str(vals))))
            continue
        pos = next(k for k, (a, b) in enumerate(zip(want, vals)) if a != b)
        out.append((n, src, Judgement(
            "INCORRECT", "backward_index", f"1-D example: for {given} the gradient with respect to {name} is "
            f"{[str(v) for v in want]} (numeric.conv1d_backward), not {[str(v) for v in vals]}: entry {pos} differs",
            counterexample={"values": {"input": [str(v) for v in x], "kernel": [str(v) for v in w],
                                       "upstream": [str(v) for v in g]}, "position": pos, "document": str(vals[pos]),
                            "expected": str(want[pos])}, expected=str([str(v) for v in want]))))
    return out


def vector_findings(lines: list[str], *, sections: list | None = None, operation: str | None = None):
    """``(line, source, judgement)`` for every stated output vector of a 1-D example."""
    found, grads = _assignments(lines, _VEC), _assignments(lines, _GRAD)
    out = _gradients(found, grads, sections)
    for i, (n, role, name, vals, src) in enumerate(found):
        if role != "output":
            continue
        before = [f for f in found[:i] if n - f[0] <= 15 and (sections is None or sections[f[0] - 1] == sections[n - 1])]
        xs = [f for f in before if f[1] == "input"]
        ws = [f for f in before if f[1] == "kernel"]
        if not xs or not ws:
            continue
        x, w = xs[-1][3], ws[-1][3]
        if len(w) > len(x):
            continue
        near = " ".join(lines[max(0, n - 6):n])
        sm = re.search(r"(?i)stride\s*(?:of\s*|=\s*)?(\d+)", near)
        stride = int(sm.group(1)) if sm else 1
        readings = _readings(x, w, stride)
        if operation == "cross-correlation":
            readings = [r for r in readings if r[0].startswith("cross")]
        elif operation == "convolution":
            readings = [r for r in readings if r[0].startswith("flipped")]
        same_len = [(lab, y) for lab, y in readings if len(y) == len(vals)]
        if not same_len:
            continue
        match = [lab for lab, y in same_len if y == vals]
        given = f"{xs[-1][2]} = {[str(v) for v in x]}, {ws[-1][2]} = {[str(v) for v in w]}"
        if match:
            out.append((n, src, Judgement("CORRECT", "forward_index", f"1-D example: {name} is the output of {given} "
                                          f"({match[0]}; numeric.conv1d)", expected=str(vals))))
            continue
        lab, y = same_len[0]
        pos = next(k for k, (a, b) in enumerate(zip(y, vals)) if a != b)
        out.append((n, src, Judgement(
            "INCORRECT", "forward_index", f"1-D example: with {given} the output is {[str(v) for v in y]} ({lab}; "
            f"numeric.conv1d), not {[str(v) for v in vals]}: entry {pos} differs"
            f"{' (no other reading of the same length fits either)' if len(same_len) > 1 else ''}",
            counterexample={"values": {"input": [str(v) for v in x], "kernel": [str(v) for v in w]}, "position": pos,
                            "document": str(vals[pos]), "expected": str(y[pos])}, expected=str([str(v) for v in y]))))
    return out
