"""Exact evaluation of a SymPy expression at integer values, without SymPy's evaluator.

Document formulas are SymPy trees built by our own parser; to test one at many
points quickly and safely we walk the tree with :class:`fractions.Fraction`
arithmetic (never ``eval``, ``lambdify`` or ``sympify``). Sizes of intermediate
numbers are bounded so that ``10^{10^{10}}`` cannot exhaust memory.

Examples
--------
>>> import sympy as sp
>>> H, P, k, S = sp.symbols("H P k S")
>>> exact_value(sp.floor((H + 2*P - k)/S) + 1, {"H": 224, "P": 3, "k": 7, "S": 2})
Fraction(112, 1)
>>> exact_value((H - k)/S + 1, {"H": 5, "k": 2, "S": 2})
Fraction(5, 2)
>>> exact_value(H/S, {"H": 1, "S": 0})
Traceback (most recent call last):
...
proofs.judge.exact.EvalError: division by zero
"""

from __future__ import annotations

import math
from fractions import Fraction

import sympy as sp

__all__ = ["EvalError", "exact_value", "MAX_BITS"]

#: largest magnitude (in bits) of any intermediate number
MAX_BITS = 4096


class EvalError(ValueError):
    """The expression cannot be evaluated exactly at these values (unknown symbol, 1/0, too large...)."""


def _check(x: Fraction) -> Fraction:
    if abs(x.numerator).bit_length() > MAX_BITS or abs(x.denominator).bit_length() > MAX_BITS:
        raise EvalError(f"number too large (more than {MAX_BITS} bits)")
    return x


def exact_value(expr, values: dict[str, int | Fraction]) -> Fraction:
    """The exact rational value of ``expr`` with symbols (by name) set from ``values``.

    Parameters
    ----------
    expr : SymPy expression built from Add, Mul, Pow (integer exponents), floor, ceiling,
        Abs, Max, Min, Integer/Rational and Symbols.
    values : symbol name -> integer or Fraction.

    Raises
    ------
    EvalError
        For an unbound symbol, an unsupported node, division by zero or a number too large.
    """
    if isinstance(expr, (int,)):
        return Fraction(expr)
    if isinstance(expr, Fraction):
        return expr
    if expr.is_Integer:
        return _check(Fraction(int(expr)))
    if expr.is_Rational:
        return _check(Fraction(int(expr.p), int(expr.q)))
    if expr.is_Symbol:
        if expr.name not in values:
            raise EvalError(f"no value for symbol {expr.name}")
        return Fraction(values[expr.name])
    if expr.is_Add:
        return _check(sum((exact_value(a, values) for a in expr.args), Fraction(0)))
    if expr.is_Mul:
        out = Fraction(1)
        for a in expr.args:
            out = _check(out * exact_value(a, values))
        return out
    if expr.is_Pow:
        base = exact_value(expr.base, values)
        e = exact_value(expr.exp, values)
        if e.denominator != 1:
            if e == Fraction(1, 2) and base >= 0:
                r = math.isqrt(base.numerator), math.isqrt(base.denominator)
                if r[0] ** 2 == base.numerator and r[1] ** 2 == base.denominator:
                    return Fraction(r[0], r[1])
            raise EvalError("non-integer power")
        n = int(e)
        if abs(n) > 64 or (abs(base.numerator).bit_length() * abs(n) > MAX_BITS):
            raise EvalError("power too large")
        if base == 0 and n < 0:
            raise EvalError("division by zero")
        return _check(base**n)
    if isinstance(expr, sp.floor):
        return Fraction(math.floor(exact_value(expr.args[0], values)))
    if isinstance(expr, sp.ceiling):
        return Fraction(math.ceil(exact_value(expr.args[0], values)))
    if isinstance(expr, sp.Abs):
        return abs(exact_value(expr.args[0], values))
    if isinstance(expr, sp.Max):
        return max(exact_value(a, values) for a in expr.args)
    if isinstance(expr, sp.Min):
        return min(exact_value(a, values) for a in expr.args)
    if isinstance(expr, sp.Mod):
        a, b = (exact_value(x, values) for x in expr.args)
        if b == 0:
            raise EvalError("division by zero")
        return a % b
    if expr is sp.zoo or expr is sp.nan or expr in (sp.oo, -sp.oo):
        raise EvalError("division by zero")
    raise EvalError(f"cannot evaluate {type(expr).__name__}")
