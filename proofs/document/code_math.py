r"""Formulas written inside Markdown inline code: ```output_dim = (W - F + 2*P) / S + 1```.

Authors often put a formula in back-quotes. An inline code span is read as a formula only
when it is mathematics, not program code:

* no sign of a program: no string quotes, no attribute or method access (``torch.zeros``,
  ``model.add``; a math function of a module, ``numpy.sqrt``, is mathematics), no keyword
  argument or assignment inside brackets (``f(x, k=3)``), no ``==``/``+=``/``->``/``;``/``#``,
  and every applied word is a mathematical function (``ceil(…)``, ``max(…)``; not ``conv2d(…)``
  or ``len(…)``);
* the whole span read in program notation (:mod:`proofs.document.code_notation`: identifiers
  whole, ``*`` a product, ``//`` a floor division) is a chain of ``=``, ``≈``, ``≤``, ``≥`` with an
  arithmetic operator; a ``/`` between names gives two readings (exact, rounded down) unless
  the document says which one it means; else the plain formulas found in the span
  (:func:`proofs.document.plain.find_plain_formulas`), read as mathematics (``2P`` is ``2·P``);
* it is not a setting ``name = <numbers>`` (``y = 2 + 3``, ``batch = 32 * 4``);
* our grammar reads every reading (:func:`proofs.document.parser.parse_math`).

>>> code_formulas("n+2p-f+1 = 6+2-3+1 = 6")
[(0, 22, ('n+2p-f+1 = 6+2-3+1 = 6',))]
>>> [r for *_, r in code_formulas("output_dim = (Width - Filter) / Stride + 1")][0][1]
'\\mathrm{output_dim} = \\lfloor (\\mathrm{Width} - \\mathrm{Filter}) / \\mathrm{Stride} \\rfloor + 1'
>>> code_formulas("output_dim = (Width - Filter) / Stride + 1", division="floor")[0][2]
('\\mathrm{output_dim} = \\lfloor (\\mathrm{Width} - \\mathrm{Filter}) / \\mathrm{Stride} \\rfloor + 1',)
>>> code_formulas("output_shape[i] = ceil(input_shape[i] / strides[i])")[0][:2]
(0, 51)
>>> code_formulas("x = torch.zeros(3) + 1"), code_formulas("axis = 0"), code_formulas("y = len(x) + 1")
([], [], [])
>>> code_formulas("y = 2 + 3"), code_formulas("26 / 2 = 13")
([], [(0, 11, ('26 / 2 = 13',))])
>>> code_formulas("out = F.conv2d(x, w, stride=2)"), code_formulas("name = 'a' + b")
([], [])
"""

from __future__ import annotations

import re

import sympy as sp

from .code_notation import MATH_CALLS, code_readings
from .errors import MathParseError
from .plain import FUNCTION_WORDS, find_plain_formulas

__all__ = ["code_formulas"]

_PROGRAM = re.compile(
    r"['\"`#;]|==|\+=|-=|\*=|/=|->|=>|!="
    r"|[A-Za-z_)\]]\.[A-Za-z_]"  # attribute / method access: torch.zeros, x.shape, f().sum
    r"|\b(?:def|return|import|lambda|self|None|True|False|print|for|in|if|else|while|and|or|not)\b"
)
_KEYWORD_ARG = re.compile(r"[(,]\s*[A-Za-z_]\w*\s*=(?!=)")
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_ARITH = re.compile(r"[+\-−*/×·÷^⌊⌈√∑∏]")
_MAX_LEN = 400
_RELATION = re.compile(r"=|≈|≤|≥|<=|>=")
_EQUALITY = {"=", "≈", "≤", "≥"}


_MATH_MODULE = re.compile(r"\b(?:numpy|np|math|torch)\.(?=(?:" + "|".join(sorted(MATH_CALLS)) + r")\s*\()")


def _looks_like_program(code: str) -> bool:
    code = _MATH_MODULE.sub("", code)  # numpy.sqrt(…) is the square root
    if _PROGRAM.search(code) or _KEYWORD_ARG.search(code):
        return True
    for m in _CALL.finditer(code):
        name = m.group(1)
        if len(name) > 1 and name.lower() not in FUNCTION_WORDS and name not in MATH_CALLS:
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


def _relations_ok(parsed) -> bool:
    return bool(parsed.relations) and all(r in _EQUALITY for r in parsed.relations) and not _assignment(parsed)


def _program_formula(code: str, division: str | None) -> list[tuple[int, int, tuple[str, ...]]]:
    """The whole span read in program notation (:mod:`.code_notation`), when it is a relation chain."""
    from .parser import parse_math

    readings = code_readings(code, division)
    if not readings or not _ARITH.search(code) or not _RELATION.search(code):
        return []
    try:
        parsed = [parse_math(r) for r in readings]
    except MathParseError:
        return []
    if not all(_relations_ok(p) for p in parsed):
        return []
    start = len(code) - len(code.lstrip())
    return [(start, len(code.rstrip()), readings)]


def code_formulas(code: str, division: str | None = None) -> list[tuple[int, int, tuple[str, ...]]]:
    """``(start, end, readings)`` of the formulas in ``code`` (the text of one inline code span).

    Parameters
    ----------
    code : str
        The text between the back-quotes.
    division : {"floor", "exact"} or None
        What the document says a ``/`` between names means (see
        :func:`proofs.document.code_notation.division_convention`); None: not said, both readings are given.

    Returns
    -------
    list of (int, int, tuple of str)
        Ranges of ``code`` and the LaTeX reading(s) of each (the first is the main one; a second one
        reads ``/`` between names rounded down). Empty when the span is program code, has no
        relation, or our grammar cannot read it.
    """
    if not isinstance(code, str):
        raise TypeError(f"code must be a str, got {type(code).__name__}")
    if "\n" in code or len(code) > _MAX_LEN or _looks_like_program(code):
        return []
    found = _program_formula(code, division)
    if found:
        return found
    from .parser import parse_math  # lazy: the parser builds its grammar on first use

    start = len(code) - len(code.lstrip())
    whole = [(start, len(code.rstrip()))]  # in code, words are names: the whole span is the candidate first
    for ranges in (whole, find_plain_formulas(code)):
        found = []
        for a, b in ranges:
            piece = code[a:b]
            if not _ARITH.search(piece) or not _RELATION.search(piece) or _integer_division_possible(piece):
                continue
            readings = code_readings(piece, division)
            if readings is None and ranges is whole:
                continue  # not program notation ("Where n[l] = … 2p[l] …"): the plain-text cut finds the formula
            readings = readings or (piece,)
            try:
                parsed = [parse_math(r) for r in readings]
            except MathParseError:
                continue
            if all(_relations_ok(p) for p in parsed):
                found.append((a, b, readings))
        if found:
            return found
    return []
