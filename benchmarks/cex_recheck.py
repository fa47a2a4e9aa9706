"""Re-evaluate a finding's counterexample outside the judge: does it really fail?

What can be re-evaluated, and how (nothing here calls :mod:`proofs.judge` or :mod:`proofs.claims`):

- **formulas** (``{"values": {...}, "document": d, "expected": t}``): the finding's source is read again
  with proofs' own reader and grammar (:func:`proofs.document.read_document`, :func:`parse_math` —
  never eval/sympify of text), the counterexample's values are substituted by symbol name, and the
  document's side is evaluated. It *really fails* when that value differs from ``expected`` (an
  undefined or non-finite value, e.g. a division by zero, counts as differing). When the finding also
  states ``document``, the re-evaluated value must agree with it, or the counterexample is *not
  reproduced* (counted as not failing); when it states ``document: null`` (undefined there), the
  re-evaluated value must be undefined or not an integer. A counterexample with other keys (a note saying
  the comparison is of another quantity, an index entry) is not re-evaluated.
- **arithmetic** (``{"values", "left", "right"}`` or a formula without symbols): the sides are re-evaluated
  and must differ.
- **arrays** (``{"lhs": ..., "rhs": ...}``, e.g. an equivariance counterexample): the two arrays must
  differ somewhere by more than 1e-9.
- anything else (a claim's own dictionary, an index formula's entry) is *not re-evaluable* here and is
  reported as such, not counted either way.

The ``expected`` value itself comes from the checker (derive/numeric). It is confirmed independently only
through the answer key: a finding INCORRECT/CONDITIONAL on a statement the key says is CORRECT never
counts as really failing (``checker_eval`` applies that rule).

Examples
--------
>>> recheck({"source": "$W_2 = (W_1 - F)/S + 1$", "counterexample":
...          {"values": {"W_1": 2, "F": 1, "S": 2}, "document": "3/2", "expected": 1}})
'fails'
>>> recheck({"source": "$W_2 = (W_1 - F)/S + 1$", "counterexample":
...          {"values": {"W_1": 3, "F": 1, "S": 2}, "document": "2", "expected": 2}})
'does-not-fail'
>>> recheck({"source": "64 × 64 × 3 × 3 + 64 = 36,927", "counterexample": {"values": {}}})
'fails'
>>> recheck({"source": "pooling is invariant", "counterexample": {"lhs": [[0, 1]], "rhs": [[1, 0]]}})
'fails'
>>> recheck({"source": "a claim", "counterexample": {"H": 3, "claimed": "1.5"}})
'not-re-evaluable'
"""

from __future__ import annotations

import re

__all__ = ["recheck", "OUTCOMES"]

OUTCOMES = ("fails", "does-not-fail", "not-re-evaluable")
_FORMULA_KEYS = {"values", "document", "expected", "left", "right", "link", "roles"}


def _number(text):
    """A number the report wrote (``3``, ``"3/2"``, ``"2.5"``) as a SymPy number, via our grammar; None if not one."""
    import sympy as sp

    if text is None:
        return None
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return sp.Integer(text)
    if isinstance(text, float):
        return sp.Float(text)
    if isinstance(text, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?(\s*/\s*-?\d+)?\s*", text):
        from proofs.document import parse_math

        try:
            sides = parse_math(text).sides
        except ValueError:
            return None
        return sides[0] if len(sides) == 1 and sides[0].is_number else None
    return None


def _sides(source: str):
    """The formula of a finding's source, parsed with proofs' reader and grammar; None if unreadable."""
    from proofs.document import parse_math, read_document

    texts = []
    try:
        doc = read_document(source.strip() + "\n")
        texts = [s.tex for s in doc.spans]
    except ValueError:
        pass
    stripped = re.sub(r"^\s*(\$\$?|\\\\?\(|\\\\?\[)|(\$\$?|\\\\?\)|\\\\?\])\s*$", "", source.strip())
    texts.append(stripped.replace("&", ""))
    for tex in texts:
        try:
            pm = parse_math(tex)
        except ValueError:
            continue
        if pm.relations:
            return pm.sides
    return None


def _value(expr, values):
    import sympy as sp

    subs = {s: sp.Integer(values[str(s)]) if isinstance(values[str(s)], int) else sp.nsimplify(values[str(s)])
            for s in expr.free_symbols if str(s) in values and isinstance(values[str(s)], (int, float))}
    try:
        v = sp.simplify(expr.xreplace(subs))
    except (TypeError, ValueError, ZeroDivisionError):
        return "undefined"
    if v.free_symbols:
        return None
    if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return "undefined"
    try:
        complex(v)
    except (TypeError, ValueError):
        return None  # no definite number (an unevaluated function of the values): not re-evaluable
    return v


def _differ(a, b) -> bool:
    if a == "undefined" or b == "undefined":
        return a != b
    a, b = complex(a), complex(b)  # a document's formula can leave the reals (a root of a negative number)
    return abs(a - b) > 1e-9 * max(1.0, abs(b))


def _arrays_differ(a, b) -> bool | None:
    import numpy as np

    try:
        x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return None
    if x.shape != y.shape:
        return True
    return bool(np.max(np.abs(x - y), initial=0.0) > 1e-9)


def recheck(finding: dict) -> str:
    """``"fails"``, ``"does-not-fail"`` or ``"not-re-evaluable"`` for one finding of the JSON report."""
    cex = finding.get("counterexample")
    if not isinstance(cex, dict):
        return "not-re-evaluable"
    if "lhs" in cex and "rhs" in cex:
        d = _arrays_differ(cex["lhs"], cex["rhs"])
        return "not-re-evaluable" if d is None else ("fails" if d else "does-not-fail")
    values = cex.get("values", {}) if isinstance(cex.get("values", {}), dict) else {}
    if ("values" not in cex and "expected" not in cex) or set(cex) - _FORMULA_KEYS:
        return "not-re-evaluable"  # a differently shaped counterexample (a note, a derived quantity, an entry)
    sides = _sides(finding.get("source") or "")
    if not sides:
        return "not-re-evaluable"
    evaluated = [_value(s, values) for s in sides]
    numbers = [v for v in evaluated if v is not None]
    expected = _number(cex.get("expected"))
    if expected is None:  # arithmetic: the sides themselves must disagree
        if len(numbers) < 2:
            return "not-re-evaluable"
        return "fails" if any(_differ(numbers[0], v) for v in numbers[1:]) else "does-not-fail"
    # the document's side: the value-bearing side that is not a bare symbol being defined
    doc_sides = [v for s, v in zip(sides, evaluated) if v is not None and not s.is_Symbol]
    if not doc_sides:
        return "not-re-evaluable"
    doc_value = doc_sides[-1]
    stated = cex.get("document", "absent")
    if stated != "absent":
        stated_n = _number(stated)
        if stated is None:  # the judge found the document's side undefined or not an integer there
            ok = doc_value == "undefined" or not doc_value.is_integer
            return "fails" if ok else "does-not-fail"
        if stated_n is not None and doc_value != "undefined" and _differ(doc_value, stated_n):
            return "does-not-fail"  # not reproduced
    return "fails" if _differ(doc_value, expected) else "does-not-fail"
