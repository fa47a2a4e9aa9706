r"""Worked examples written as code: the values a code block gives its names, and the number a comment states
for a computed line, checked against what the line computes.

Guides show a formula at work on concrete sizes inside a code block::

    in_height, filter_height = 5, 3
    strides = [1, 2, 2, 1]
    out_height = ceil(in_height / strides[1])   # 3
    int P = (H + 2*pad_h - R) / stride_h + 1;   // P = 3

This module reads the numeric assignments (plain, chained ``H = W = 32``, tuples ``a, b = 5, 3``, C
declarations ``int H = 7, R = 3;`` and lists ``strides = [1, 2, 2, 1]`` as ``strides[0..3]``) in order, and
the number a trailing comment states (``# 3``, ``# = 3``, ``// P = 3``, ``# -> 3``). A computed line whose
formula, evaluated with the block's values (every reading of ``/``), never gives the stated number is
INCORRECT: the document's own code refutes its comment. Agreement alone proves nothing about the formula
and gives no verdict here (the formula itself is judged by :mod:`proofs.judge.spec_block`).

Examples
--------
>>> lines = ["in_height, k = 5, 3", "strides = [1, 2, 2, 1]", "out = ceil(in_height / strides[1])  # 3",
...          "pad = max((out - 1) * strides[1] + k - in_height, 0)  # = 1"]
>>> [(c.line, c.stated, c.computed) for c in comment_checks(lines)]
[(3, Fraction(3, 1), {Fraction(3, 1)}), (4, Fraction(1, 1), {Fraction(2, 1)})]
>>> stated_in_comment("int P = (H - R) / s + 1;  // P = 3"), stated_in_comment("x = a // 2"), stated_in_comment("y = f(x)  # see 3.2")
(Fraction(3, 1), None, None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["CommentCheck", "stated_in_comment", "strip_comment", "numeric_values", "comment_checks"]

_COMMENT = re.compile(r"(?:(?<=\S)\s+#|^\s*#|;\s*//|^\s*//)(?!\s*include)(.*)$")
_STATED = re.compile(r"^\s*(?:[A-Za-z_]\w*(?:\[[^\]]*\])?\s*(?:==?|->|→|:|\bis\b)\s*|(?:==?|->|→|:)\s*)?"
                     r"(-?\d+(?:\.\d+)?)\s*\.?\s*$")
_IDENT = r"[A-Za-z_]\w*"
_NUMBER = r"-?\d+(?:\.\d+)?"


def strip_comment(line: str) -> tuple[str, str | None]:
    """``(code, comment)``: a ``# …`` comment, or ``// …`` after a ``;`` or alone on its line (C; elsewhere
    ``//`` is Python's floor division)."""
    m = _COMMENT.search(line)
    if not m:
        return line, None
    code = line[: m.start()]
    if m.group(0).lstrip().startswith(";"):
        code += ";"
    return code, m.group(1)


def stated_in_comment(line: str) -> Fraction | None:
    """The one number a trailing comment states for its line (``# 3``, ``// P = 3``, ``# -> 3``), or None."""
    _, comment = strip_comment(line)
    if comment is None:
        return None
    m = _STATED.match(comment.strip().lstrip("/#").strip())
    return Fraction(m.group(1)) if m else None


def numeric_values(code: str) -> dict[str, Fraction]:
    """The names a line of code sets to numbers: ``H = W = 32``, ``a, b = 5, 3``, ``int H = 7, R = 3;``,
    ``s = [1, 2, 2, 1]`` (as ``s[0]`` … ``s[3]``).

    >>> sorted(numeric_values("int H = 7, R = 3, pad_h = 0;").items())
    [('H', Fraction(7, 1)), ('R', Fraction(3, 1)), ('pad_h', Fraction(0, 1))]
    >>> numeric_values("H = W = 32") == {"H": 32, "W": 32}, numeric_values("a, b = 5, 3"), numeric_values("x = y + 1")
    (True, {'a': Fraction(5, 1), 'b': Fraction(3, 1)}, {})
    """
    out: dict[str, Fraction] = {}
    body = re.sub(r"^\s*(?:const\s+)?(?:int|long|size_t|auto|float|double|unsigned)\s+", "", code).rstrip().rstrip(";")
    if (m := re.fullmatch(rf"\s*({_IDENT}(?:\s*,\s*{_IDENT})+)\s*=\s*\(?\s*({_NUMBER}(?:\s*,\s*{_NUMBER})+)\s*\)?\s*", body)):
        names, nums = re.split(r"\s*,\s*", m.group(1).strip()), re.split(r"\s*,\s*", m.group(2).strip())
        return {n: Fraction(v) for n, v in zip(names, nums)} if len(names) == len(nums) else {}
    if (m := re.fullmatch(rf"\s*({_IDENT})\s*=\s*[\[(]\s*({_NUMBER}(?:\s*,\s*{_NUMBER})*)\s*,?\s*[\])]\s*", body)):
        return {f"{m.group(1)}[{i}]": Fraction(v) for i, v in enumerate(re.split(r"\s*,\s*", m.group(2).strip()))}
    for part in re.split(r",\s*(?=[A-Za-z_]\w*\s*=)", body):
        if (m := re.fullmatch(rf"\s*((?:{_IDENT}\s*=\s*)+)({_NUMBER})\s*", part)):
            for name in re.findall(_IDENT, m.group(1)):
                out[name] = Fraction(m.group(2))
        else:
            return {} if out and "=" in part else out
    return out


@dataclass
class CommentCheck:
    """A computed line with the number its comment states and the values its formula gives (one per reading)."""

    line: int
    name: str
    stated: Fraction
    computed: set


def _value(expr, known: dict) -> Fraction | None:
    import sympy as sp

    from .exact import EvalError, exact_value

    swap = {}
    for node in expr.atoms(sp.Indexed):
        key = f"{node.base}[{','.join(str(i) for i in node.indices)}]"
        if key not in known:
            return None
        swap[node] = sp.Symbol(f"_v{len(swap)}")
    values = {str(v): known[f"{k.base}[{','.join(str(i) for i in k.indices)}]"] for k, v in swap.items()}
    expr = expr.xreplace(swap)
    for s in expr.free_symbols:
        if str(s) not in values:
            if str(s) not in known:
                return None
            values[str(s)] = known[str(s)]
    try:
        return exact_value(expr, values)
    except (EvalError, ZeroDivisionError, TypeError, ValueError):
        return None


def comment_checks(lines, assignments=None) -> list[CommentCheck]:
    """Every computed assignment of ``lines`` with a stated number in its comment and all its names valued by
    the same code block (a fence, or a paragraph of code between prose lines).

    >>> [c.line for c in comment_checks(["```", "H = 5", "```", "Another example, with H = 7:", "```",
    ...                                  "out = H - 2  # 5", "```"])]
    []
    """
    from .spec_block import assignments_in

    assigns = {a.line: a for a in (assignments if assignments is not None else assignments_in(lines))}
    known: dict[str, Fraction] = {}
    out = []
    in_fence = False
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if re.match(r"\s*(?:```|~~~)", raw):
            in_fence, known = not in_fence, {}  # a block's values are its own
            continue
        if re.match(r"\s*\.\. (?:code-block|code|sourcecode)::|.*::\s*$", raw):
            known = {}  # an rST literal block begins (indented: the prose rule below keeps it together)
            continue
        if not in_fence and not raw[:1].isspace() and "=" not in raw:
            known = {}  # prose between two examples
            continue
        code, _ = strip_comment(raw)
        a = assigns.get(n)
        if a is None:
            known.update(numeric_values(code))
            continue
        values = {v for v in (_value(r, known) for r in a.readings) if v is not None}
        if len(values) != len(a.readings):
            known.pop(a.name, None)
            continue
        stated = stated_in_comment(raw)
        if stated is None:
            stated = getattr(a, "stated", None)  # P = (H - R) / s + 1 = 16
        if stated is not None:
            out.append(CommentCheck(n, a.name, stated, values))
        if len(values) == 1:
            known[a.name] = next(iter(values))
        else:
            known.pop(a.name, None)
    return out
