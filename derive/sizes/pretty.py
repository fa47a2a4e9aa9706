r"""One-line Unicode rendering of size formulas: ``⌊(H + 2·P − d·(k − 1) − 1)/s⌋ + 1``.

Used by tables and the command line; LaTeX goes through ``sympy.latex``.

Examples
--------
>>> from derive.sizes.symbols import H, P, d, k, s
>>> import sympy as sp
>>> unicode_formula(sp.floor((H + 2*P - d*(k - 1) - 1)/s) + 1)
'⌊(H + 2·P − d·(k − 1) − 1)/s⌋ + 1'
>>> unicode_formula(sp.floor(H/2 - sp.Rational(1, 2)) + 1)
'⌊(H − 1)/2⌋ + 1'
>>> unicode_formula(sp.Integer(138357544))
'138,357,544'
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.str import StrPrinter

from .output_size import tidy

__all__ = ["unicode_formula", "shape_text"]


class _UnicodePrinter(StrPrinter):
    def _print_floor(self, expr):
        return "⌊" + self._print(expr.args[0]) + "⌋"

    def _print_ceiling(self, expr):
        return "⌈" + self._print(expr.args[0]) + "⌉"

    def _print_Min(self, expr):
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Max(self, expr):
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"


def unicode_formula(expr) -> str:
    """A compact Unicode string: ⌊ ⌋ ⌈ ⌉, ``·`` for products, ``−`` for minus, thousands separators."""
    expr = sp.sympify(expr)
    if expr.is_Integer:
        return f"{int(expr):,}"
    text = _UnicodePrinter().doprint(tidy(expr))
    return text.replace("**", "^").replace("*", "·").replace("-", "−")


def shape_text(shape) -> str:
    """``(64, ⌊(H − 1)/2⌋ + 1, …)`` — a shape tuple with each entry rendered.

    >>> shape_text((3, 224, 224)), shape_text((1000,))
    ('(3, 224, 224)', '(1000,)')
    """
    if len(shape) == 1:
        return "(" + shape_text((shape[0], 0))[1:].split(",")[0] + ",)"
    return "(" + ", ".join(unicode_formula(v).replace(",", "") if sp.sympify(v).is_Integer else unicode_formula(v)
                           for v in shape) + ")"
