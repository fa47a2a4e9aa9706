r"""Shapes stated in prose around layer calls: "an input (1,28,28) … ``nn.Conv2d(1, 10, 3)`` … a shape of (10,26,26)".

A tutorial walks a tensor through layers in sentences: a shape tuple, a constructor call, the shape it
gives. Each call with literal arguments (:mod:`proofs.document.summary_code`; a signature such as
``nn.Conv2d(in_channels, out_channels, …)`` is not a layer) takes as input the nearest shape stated
before it — or the shape the call before it gave — and as its stated output the first shape after it
whose channel count is the layer's (the evidence that the tuple is this layer's output), both within
:data:`NEAR` lines. ``derive`` recomputes the output (:func:`proofs.judge.summary_layers.effect`); the
framework's layout decides which entry is the channels (PyTorch first, Keras last).

>>> text = ["An input (1,28,28) goes through `nn.Conv2d(1, 10, 3)`,", "which gives (10,26,26).",
...         "Then `nn.MaxPool2d(2, 2)` gives (10,12,12)."]
>>> [(n, src, j.verdict, j.expected) for n, src, j in prose_shape_findings(list(enumerate(text, 1)))]
[(2, '(10,26,26)', 'CORRECT', '(10, 26, 26)'), (3, '(10,12,12)', 'INCORRECT', '(10, 13, 13)')]
"""

from __future__ import annotations

import re

from ..document.summary_code import UNKNOWN, layer_calls
from .judgement import Judgement
from .summary_layers import canonical, effect

__all__ = ["NEAR", "prose_shape_findings", "flatten_findings"]

#: how many lines apart a call and the shapes it is bound to may be
NEAR = 6
_TUPLE = re.compile(r"(?<![\w)\]])\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)")


def _events(lines: list[tuple[int, str]]):
    """Calls and standalone 3-tuples in reading order: ``(line, column, kind, payload, text)``."""
    out = []
    for n, t in lines:
        spans = []
        for c in layer_calls([(n, t)]):
            col = t.find(c.text)
            if col < 0 or not c.args or all(a is UNKNOWN for a in c.args):
                continue
            spans.append((col, col + len(c.text)))
            out.append((n, col, "call", c, c.text))
        for m in _TUPLE.finditer(t):
            if any(a <= m.start() < b for a, b in spans):
                continue
            out.append((n, m.start(), "shape", tuple(int(g) for g in m.groups()), m.group(0)))
    return sorted(out, key=lambda e: (e[0], e[1]))


_FLAT = re.compile(r"(?i)\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)`?\s*(?:\w+\s+){0,3}?(?:are|is|were|was|gets?|got|being)?\s*"
                   r"flatten(?:ed|s)?\s+(?:in)?to\s+(?:a\s+)?(?:\w+\s+){0,2}?(?:vectors?|tensors?|arrays?)\s+(?:of\s+"
                   r"(?:(?:shape|size|length)\s+)?)?`?(\(\s*(\d+)\s*,?\s*\)|\d+)")


def flatten_findings(lines: list[tuple[int, str]]) -> list[tuple[int, str, Judgement]]:
    """"our (3, 3, 64) outputs were flattened into vectors of shape (576,)": the length is the product (derive).

    >>> [(j.verdict, j.expected) for _, _, j in flatten_findings([(1, "the (3, 3, 64) maps are flattened into a vector of 567")])]
    [('INCORRECT', '576')]
    """
    from derive.layers import Flatten

    out = []
    for n, t in lines:
        for m in _FLAT.finditer(t):
            shape = tuple(int(g) for g in m.group(1, 2, 3))
            stated = int(m.group(5) or m.group(4))
            want = int(Flatten().output_shape(shape)[0])
            ok = stated == want
            out.append((n, m.group(0), Judgement(
                "CORRECT" if ok else "INCORRECT", "output_shape",
                f"worked example: flattening {shape} gives {want} values" + ("" if ok else f", not {stated}"),
                expected=str(want), counterexample=None if ok else {"values": {"shape": shape}, "document": stated,
                                                                    "expected": want})))
    return out


def prose_shape_findings(lines: list[tuple[int, str]]) -> list[tuple[int, str, Judgement]]:
    """``(line, shape text, judgement)`` for every shape bound to a layer call in prose, and every flattening."""
    events = _events(lines)
    out = flatten_findings(lines)
    current = None  # (line, shape) the next call takes as input
    for i, (n, _, kind, payload, text) in enumerate(events):
        if kind == "shape":
            current = (n, payload)
            continue
        call = payload
        if canonical(call.kind) not in ("conv2d", "maxpool2d", "avgpool2d") or current is None or n - current[0] > NEAR:
            current = None
            continue
        e = effect(call, current[1])
        if e is None:
            current = None
            continue
        chan = (lambda s: s[0]) if call.framework == "torch" else (lambda s: s[-1])
        stated = next(((m, p, t) for m, _, k, p, t in events[i + 1:] if k == "shape" and m - n <= NEAR
                       and chan(p) == chan(e.shape)), None)
        nxt_call = next((m for m, _, k, _, _ in events[i + 1:] if k == "call"), None)
        if stated is None or (nxt_call is not None and nxt_call < stated[0]):
            current = None
            continue
        m, shape, src = stated
        want = ", ".join(map(str, e.shape))
        how = f"{call.text} on the stated input {current[1]} ({e.config}; derive)"
        if tuple(shape) == tuple(e.shape):
            out.append((m, src, Judgement("CORRECT", "output_shape", f"worked example: {how} gives ({want})",
                                          expected=f"({want})")))
        else:
            out.append((m, src, Judgement("INCORRECT", "output_shape", f"worked example: {how} gives ({want}), not "
                                          f"{src}", counterexample={"values": {"layer": call.text, "input": current[1]},
                                                                     "document": src, "expected": f"({want})"},
                                          expected=f"({want})")))
        current = (m, tuple(e.shape))
    return out
