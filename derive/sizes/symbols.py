r"""Shared SymPy symbols for sizes, with the assumptions every formula relies on.

Sizes, kernel sizes, strides, dilations and channel counts are positive
integers; paddings and output paddings are nonnegative integers. Every module
of :mod:`derive` and every helper that builds a "truth" to compare with uses
these constructors, so that ``derive.symbols.H`` here and ``H`` parsed from a
document share their assumptions (SymPy symbols are equal only when their
names *and* assumptions are).

Examples
--------
>>> from derive.sizes.symbols import H, P, size_symbol, symbol_for
>>> H.is_positive, H.is_integer, P.is_nonnegative
(True, True, True)
>>> size_symbol("H") == H
True
>>> symbol_for("padding", "P") == P
True
>>> symbol_for("colour", "c")
Traceback (most recent call last):
...
ValueError: unknown role 'colour'; expected one of ['channels', 'dilation', 'kernel', 'output_padding', 'padding', 'size', 'stride']
"""

from __future__ import annotations

import sympy as sp

__all__ = [
    "size_symbol",
    "padding_symbol",
    "symbol_for",
    "as_size_expr",
    "plain",
    "H",
    "W",
    "L",
    "N",
    "k",
    "k_h",
    "k_w",
    "s",
    "d",
    "P",
    "P_l",
    "P_r",
    "o_p",
    "C",
    "C_in",
    "C_out",
    "g",
    "ROLES",
]


def size_symbol(name: str) -> sp.Symbol:
    """A positive-integer symbol (size, kernel, stride, dilation, channels)."""
    return sp.Symbol(name, integer=True, positive=True)


def padding_symbol(name: str) -> sp.Symbol:
    """A nonnegative-integer symbol (padding, output padding)."""
    return sp.Symbol(name, integer=True, nonnegative=True)


#: role -> constructor (positive for everything but paddings)
ROLES = {
    "size": size_symbol,
    "kernel": size_symbol,
    "stride": size_symbol,
    "dilation": size_symbol,
    "channels": size_symbol,
    "padding": padding_symbol,
    "output_padding": padding_symbol,
}


def symbol_for(role: str, name: str) -> sp.Symbol:
    """The symbol called ``name`` with the assumptions of ``role``."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {sorted(ROLES)}")
    return ROLES[role](name)


def as_size_expr(value, role: str, what: str) -> sp.Expr:
    """Turn an int, a SymPy expression or a symbol name into a SymPy expression.

    Numeric values must be integers, positive (or nonnegative for paddings);
    a string is a symbol *name* (an identifier), never parsed as an expression.

    >>> as_size_expr(3, "kernel", "kernel_size")
    3
    >>> as_size_expr("k", "kernel", "kernel_size").is_positive
    True
    >>> as_size_expr(0, "stride", "stride")
    Traceback (most recent call last):
    ...
    ValueError: stride must be a positive integer, got 0
    >>> as_size_expr(2.5, "size", "size")
    Traceback (most recent call last):
    ...
    ValueError: size must be a positive integer, got 2.5
    """
    nonneg = role in ("padding", "output_padding")
    rule = "a nonnegative integer" if nonneg else "a positive integer"
    if isinstance(value, bool):
        raise TypeError(f"{what} must be {rule}, got the bool {value!r}")
    if isinstance(value, str):
        if not value.isidentifier():
            raise ValueError(f"{what}: {value!r} is neither an integer nor a symbol name")
        return symbol_for(role, value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{what} must be {rule}, got {value}")
        value = int(value)
    if hasattr(value, "__index__") and not isinstance(value, sp.Basic):
        value = int(value)
    if isinstance(value, int):
        value = sp.Integer(value)
    if not isinstance(value, sp.Basic):
        raise TypeError(f"{what} must be an int or a SymPy expression, got {type(value).__name__}")
    if value.is_number:
        if not value.is_integer:
            raise ValueError(f"{what} must be {rule}, got {value}")
        if (nonneg and value < 0) or (not nonneg and value < 1):
            raise ValueError(f"{what} must be {rule}, got {value}")
    return value


def plain(value):
    """A result as users want it: a plain ``int`` when it is an integer, the SymPy expression otherwise.

    Counts and sizes that are numbers go through ``json.dumps`` and ``f"{n:,}"``;
    formulas stay SymPy.

    >>> plain(sp.Integer(11689512)), type(plain(sp.Integer(3)))
    (11689512, <class 'int'>)
    >>> plain(sp.Symbol("H") - 2), plain(sp.Rational(1, 2))
    (H - 2, 1/2)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, sp.Basic) and value.is_Integer:
        return int(value)
    return value


H = size_symbol("H")
W = size_symbol("W")
L = size_symbol("L")
N = size_symbol("N")
k = size_symbol("k")
k_h = size_symbol("k_h")
k_w = size_symbol("k_w")
s = size_symbol("s")
d = size_symbol("d")
P = padding_symbol("P")
P_l = padding_symbol("P_l")
P_r = padding_symbol("P_r")
o_p = padding_symbol("o_p")
C = size_symbol("C")
C_in = size_symbol("C_in")
C_out = size_symbol("C_out")
g = size_symbol("g")
