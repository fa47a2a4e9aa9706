r"""Formulas written inside Markdown inline code: ```output_dim = (W - F + 2*P) / S + 1```.

Authors often put a formula in back-quotes. An inline code span is read as a formula only
when it is mathematics, not program code:

* the plain-text finder (:func:`proofs.document.plain.find_plain_formulas`) finds a relation
  with math on both sides, holding at least one arithmetic operator (``a = b`` and
  ``axis = 0`` state nothing to check);
* no sign of a program: no string quotes, no attribute or method access (``torch.zeros``,
  ``model.add``), no keyword argument or assignment inside brackets (``f(x, k=3)``), no
  ``==``/``+=``/``//``/``->``/``;``/``#``, and every applied word is a mathematical function
  (``ceil(…)``, ``max(…)``; not ``conv2d(…)`` or ``len(…)``);
* when it is also a valid program expression (ASCII, no implicit product like ``2P``), no ``/``
  with a named operand outside ``floor(…)``/``ceil(…)``: in C-family code ``a / b`` truncates,
  in Python it does not, so such a formula has no single reading and is left unread;
* it is not a setting ``name = <numbers>`` (``y = 2 + 3``, ``batch = 32 * 4``);
* our grammar reads it (:func:`proofs.document.parser.parse_math`) as a chain of ``=``,
  ``≈``, ``≤``, ``≥``: the whole span when it reads, else the plain formulas found in it.

>>> code_formulas("n+2p-f+1 = 6+2-3+1 = 6"), code_formulas("output_dim = (Width - Filter) / Stride + 1")
([(0, 22)], [])
>>> code_formulas("output_shape[i] = ceil(input_shape[i] / strides[i])")
[(0, 51)]
>>> code_formulas("x = torch.zeros(3) + 1"), code_formulas("axis = 0"), code_formulas("y = len(x) + 1")
([], [], [])
>>> code_formulas("y = 2 + 3"), code_formulas("26 / 2 = 13")
([], [(0, 11)])
>>> code_formulas("out = F.conv2d(x, w, stride=2)"), code_formulas("name = 'a' + b")
([], [])
"""

from __future__ import annotations

import re

import sympy as sp

from .errors import MathParseError
from .plain import FUNCTION_WORDS, find_plain_formulas

__all__ = ["code_formulas"]

_PROGRAM = re.compile(
    r"['\"`#;]|==|\+=|-=|\*=|/=|//|->|=>|\*\*|!="
    r"|[A-Za-z_)\]]\.[A-Za-z_]"  # attribute / method access: torch.zeros, x.shape, f().sum
    r"|\b(?:def|return|import|lambda|self|None|True|False|print|for|in|if|else|while|and|or|not)\b"
)
_KEYWORD_ARG = re.compile(r"[(,]\s*[A-Za-z_]\w*\s*=(?!=)")
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_ARITH = re.compile(r"[+\-−*/×·÷^⌊⌈√∑∏]")
_MAX_LEN = 400
_RELATION = re.compile(r"=|≈|≤|≥|<=|>=")
_EQUALITY = {"=", "≈", "≤", "≥"}


def _looks_like_program(code: str) -> bool:
    if _PROGRAM.search(code) or _KEYWORD_ARG.search(code):
        return True
    for m in _CALL.finditer(code):
        name = m.group(1)
        if len(name) > 1 and name.lower() not in FUNCTION_WORDS:
            return True
    return False


_READS_AS_CODE = re.compile(r"[A-Za-z0-9_\s+\-*/%()\[\],.=<>]*")  # ASCII expression characters only
_IMPLICIT_PRODUCT = re.compile(r"\d[A-Za-z(]|\)\s*[A-Za-z0-9(]|[A-Za-z0-9_\])]\s+[A-Za-z0-9(]")


def _without_rounding_calls(code: str) -> str:
    """``code`` with the arguments of ``floor(…)``/``ceil(…)`` calls removed (balanced brackets)."""
    out, k = [], 0
    for m in re.finditer(r"\b(?:floor|ceil)\s*\(", code):
        if m.start() < k:
            continue
        depth, j = 1, m.end()
        while j < len(code) and depth:
            depth += {"(": 1, ")": -1}.get(code[j], 0)
            j += 1
        out.append(code[k:m.start()])
        k = j
    out.append(code[k:])
    return "".join(out)


def _integer_division_possible(piece: str) -> bool:
    """A ``/`` with a named operand outside ``floor``/``ceil``: C-family code divides integers with truncation.

    >>> _integer_division_possible("h_o = (h_i - k) / s + 1"), _integer_division_possible("o = ceil(i / s)")
    (True, False)
    >>> _integer_division_possible("26 / 2 = 13"), _integer_division_possible("o = (W - F + 2P)/S + 1")
    (False, False)
    """
    if not _READS_AS_CODE.fullmatch(piece) or _IMPLICIT_PRODUCT.search(piece):
        return False  # "(W - F + 2P)/S": implicit products, math signs: mathematics, not a program
    rest = _without_rounding_calls(piece)
    return "/" in rest and bool(re.search(r"[A-Za-z]", rest))


def _assignment(parsed) -> bool:
    """``name = <numbers only>`` (``batch = 32 * 4``): a program setting, nothing stated about names."""
    if len(parsed.sides) != 2:
        return False
    left, right = parsed.sides
    return isinstance(left, sp.Symbol) and not getattr(right, "free_symbols", {None})


def code_formulas(code: str) -> list[tuple[int, int]]:
    """``(start, end)`` ranges of ``code`` (the text of one inline code span) that are formulas.

    Parameters
    ----------
    code : str
        The text between the back-quotes.

    Returns
    -------
    list of (int, int)
        Empty when the span is program code, has no relation, or our grammar cannot read it.
    """
    if not isinstance(code, str):
        raise TypeError(f"code must be a str, got {type(code).__name__}")
    if "\n" in code or len(code) > _MAX_LEN or _looks_like_program(code):
        return []
    from .parser import parse_math  # lazy: the parser builds its grammar on first use

    start = len(code) - len(code.lstrip())
    whole = [(start, len(code.rstrip()))]  # in code, words are names: the whole span is the candidate first
    for ranges in (whole, find_plain_formulas(code)):
        found = []
        for a, b in ranges:
            piece = code[a:b]
            if not _ARITH.search(piece) or not _RELATION.search(piece) or _integer_division_possible(piece):
                continue
            try:
                parsed = parse_math(piece)
            except MathParseError:
                continue
            if parsed.relations and all(r in _EQUALITY for r in parsed.relations) and not _assignment(parsed):
                found.append((a, b))
        if found:
            return found
    return []
