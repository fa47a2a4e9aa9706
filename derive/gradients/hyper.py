r"""Hyperparameters of an operator as SymPy values, one per spatial dimension.

A hyperparameter may be given as an int (``stride=2``), a tuple
(``stride=(2, 1)``), a SymPy expression, a name (``stride="s"``: a symbol
with that name) or ``None`` (the general symbol, ``s_h``/``s_w`` in 2-D, ``s``
in 1-D). Bad values raise ``ValueError`` naming the rule.

Examples
--------
>>> per_dim(2, "stride", "s", 2)
(2, 2)
>>> per_dim(None, "stride", "s", 2)
(s_h, s_w)
>>> per_dim((1, 3), "dilation", "d", 2)
(1, 3)
>>> per_dim(0, "stride", "s", 1)
Traceback (most recent call last):
...
ValueError: stride must be >= 1, got 0
>>> check_wrt("weights", ("input", "weight", "bias"), "conv_backward")
Traceback (most recent call last):
...
ValueError: conv_backward: wrt must be one of 'input', 'weight', 'bias'; got 'weights'
"""

from __future__ import annotations

import sympy as sp

__all__ = ["per_dim", "size_symbol", "index_symbol", "check_wrt", "check_dims", "SUFFIX"]

SUFFIX = {1: ("",), 2: ("h", "w")}


def size_symbol(name: str, *, nonnegative: bool = False) -> sp.Symbol:
    """An integer size symbol: positive, or non-negative for paddings."""
    if nonnegative:
        return sp.Symbol(name, integer=True, nonnegative=True)
    return sp.Symbol(name, integer=True, positive=True)


def index_symbol(name: str) -> sp.Symbol:
    """An integer index symbol (no sign assumed: substituted values may be negative)."""
    return sp.Symbol(name, integer=True)


def check_dims(dims: int) -> int:
    """``dims`` must be 1 or 2."""
    if dims not in (1, 2):
        raise ValueError(f"dims must be 1 or 2 (spatial dimensions), got {dims!r}")
    return dims


def check_wrt(wrt: str, allowed: tuple, where: str, what: str = "wrt") -> str:
    """``wrt`` (or another choice named ``what``) must be one of ``allowed``."""
    if not isinstance(wrt, str) or wrt not in allowed:
        raise ValueError(f"{where}: {what} must be one of {', '.join(repr(a) for a in allowed)}; got {wrt!r}")
    return wrt


def per_dim(value, name: str, letter: str, dims: int, *, minimum: int = 1) -> tuple:
    """The hyperparameter ``name`` as one SymPy value per spatial dimension."""
    if value is None or isinstance(value, str):
        base = letter if value is None else value
        if not base.isidentifier():
            raise ValueError(f"{name}: a symbol name must be an identifier, got {value!r}")
        sfx = SUFFIX[dims]
        return tuple(
            size_symbol(f"{base}_{x}" if x else base, nonnegative=minimum == 0) for x in sfx
        )
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * dims
    if len(values) != dims:
        raise ValueError(f"{name} needs {dims} values (one per spatial dimension), got {value!r}")
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, sp.Basic)):
            raise TypeError(f"{name} must be an int, a SymPy expression or a symbol name, got {type(v).__name__}")
        v = sp.Integer(v) if isinstance(v, int) else v
        if v.is_number and (not v.is_integer or v < minimum):
            raise ValueError(f"{name} must be >= {minimum}, got {v}")
        out.append(v)
    return tuple(out)
