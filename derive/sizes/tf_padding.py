r"""TensorFlow/JAX ``"SAME"``, ``"VALID"`` and ``"SAME_LOWER"`` padding, derived.

Definitions (typed): with ``SAME`` there is one output position per stride
step whose anchor ``s·i`` lies inside the input, ``s·i ≤ H − 1``; the total
padding ``T`` is the least ``T ≥ 0`` for which the last window fits,
``(o−1)s + d(k−1) ≤ H + T − 1``; it is split ``⌊T/2⌋`` before and the rest
after (``SAME``: the odd pixel at the end, as TensorFlow) or the other way
round (``SAME_LOWER``, as ONNX/JAX). ``VALID`` is no padding at all.

Derived: ``o = ⌈H/s⌉`` and ``T = max((⌈H/s⌉ − 1)s + d(k−1) + 1 − H, 0)``; a
numeric step checks that the convolution with the split padding indeed has
``⌈H/s⌉`` outputs.

Examples
--------
>>> tf_same_padding(224, 7, 2)
(2, 3)
>>> tf_same_padding(224, 7, 2, lower=True)
(3, 2)
>>> tf_same_padding(5, 1, 1)
(0, 0)
>>> from derive.sizes.symbols import H
>>> tf_output_size(H, 3, 2, 1, "VALID")
ceiling(H/2) - 1
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ..derivation import Derivation
from ..iverson import Iverson
from .counting import count_positions, solve_for
from .symbols import H, as_size_expr, d, k, s

__all__ = ["tf_same_padding", "tf_padding_derivation", "tf_output_size"]

_i = sp.Symbol("i", integer=True, nonnegative=True)
_T = sp.Symbol("T", integer=True, nonnegative=True)
_DOMAIN = {"H": (1, 24), "k": (1, 6), "s": (1, 4), "d": (1, 3), "i": (0, 30), "T": (0, 30)}
#: the stated grid on which the floor/ceiling steps are checked exhaustively (T ≤ s − 1 + d(k − 1) ≤ 21 suffices)
GRID = {"H": (1, 64), "k": (1, 7), "s": (1, 4), "d": (1, 3), "i": (0, 63), "T": (0, 30)}


def _fits_valid(v):
    return v.get("d", 1) * (v.get("k", 1) - 1) + 1 <= v.get("H", 1)


def _same(der: Derivation, lower: bool):
    fit = s * _i <= H - 1
    der.define(sp.Symbol("H_out"), sp.Sum(Iverson(fit), (_i, 0, H - 1)),
               "definition (SAME): one output per stride step whose anchor s i is inside the input")
    count = count_positions(der, _i, [fit], H - 1)
    out = sp.ceiling(H / s)
    der.step(count, out, "floor((H - 1)/s) + 1 = ceil(H/s) for integers")
    last_fits = (out - 1) * s + d * (k - 1) <= H + _T - 1
    bound = sp.solve(last_fits, _T)
    t_low = bound.lhs if isinstance(bound, (sp.LessThan, sp.StrictLessThan)) else bound.rhs
    der.step(last_fits, _T >= t_low, "solve for the total padding T (sympy.solve)", relation="iff")
    t_pretty = (out - 1) * s + d * (k - 1) + 1 - H
    der.step(t_low, t_pretty, "regroup")
    total = sp.Max(t_pretty, 0)
    before = sp.ceiling(total / 2) if lower else sp.floor(total / 2)
    after = total - before
    side = "start (SAME_LOWER)" if lower else "end (SAME)"
    der.define(sp.Tuple(sp.Symbol("P_before"), sp.Symbol("P_after")), sp.Tuple(before, after),
               f"definition: split T, the odd pixel at the {side}")
    conv = sp.floor((H + before + after - d * (k - 1) - 1) / s) + 1
    der.step(conv, out, "check: the convolution with this padding has ceil(H/s) outputs")
    return out, total, before, after


@lru_cache(maxsize=None)
def _same_formulas(lower: bool):
    der = _checked_tf("SAME_LOWER" if lower else "SAME")
    return der._tf_formulas  # type: ignore[attr-defined]


def tf_padding_derivation(padding: str = "SAME") -> Derivation:
    r"""Derivation of the output size (and for SAME, the padding split) of TF/JAX padding, checked.

    Built and checked once per process (every floor/ceiling step at every point
    of :data:`GRID`); each call returns a copy.

    >>> der = tf_padding_derivation("SAME")
    >>> der.result, sorted({st.status for st in der.steps})
    (ceiling(H/s), ['definition', 'exhaustive', 'symbolic'])
    >>> tf_padding_derivation("FULL")
    Traceback (most recent call last):
    ...
    ValueError: unknown TF/JAX padding 'FULL'; expected 'SAME', 'VALID' or 'SAME_LOWER'
    """
    pad = padding.upper() if isinstance(padding, str) else padding
    if pad not in ("SAME", "VALID", "SAME_LOWER"):
        raise ValueError(f"unknown TF/JAX padding {padding!r}; expected 'SAME', 'VALID' or 'SAME_LOWER'")
    return _checked_tf(pad).copy()


@lru_cache(maxsize=None)
def _checked_tf(pad: str) -> Derivation:
    return _build_tf(pad).checked(record=True)


def _build_tf(padding: str) -> Derivation:
    """Build (unchecked) the derivation for ``padding``."""
    pad = padding.upper()
    if pad not in ("SAME", "VALID", "SAME_LOWER"):
        raise ValueError(f"unknown TF/JAX padding {padding!r}; expected 'SAME', 'VALID' or 'SAME_LOWER'")
    if pad == "VALID":
        der = Derivation("Output size with VALID padding (TensorFlow/JAX)",
                         assumptions=["no padding", "the dilated kernel fits: d(k-1) + 1 <= H"],
                         domain=_DOMAIN, constraints=[_fits_valid], samples=16, grid=GRID)
        fit = s * _i + d * (k - 1) <= H - 1
        der.define(sp.Symbol("H_out"), sp.Sum(Iverson(fit), (_i, 0, H - 1)),
                   "definition: count the windows that fit in the unpadded input")
        count = count_positions(der, _i, [fit], H - 1)
        der.step(count, sp.ceiling((H - d * (k - 1)) / s), "floor((x - 1)/s) + 1 = ceil(x/s): TensorFlow's form")
        der._tf_formulas = (der.result, sp.Integer(0), sp.Integer(0), sp.Integer(0))  # type: ignore[attr-defined]
        return der
    der = Derivation(f"Output size and padding with {pad} padding (TensorFlow/JAX)",
                     assumptions=["H, k, s, d positive integers", "padding is added so that ceil(H/s) windows fit"],
                     domain=_DOMAIN, samples=16, grid=GRID)
    out, total, before, after = _same(der, pad == "SAME_LOWER")
    der._tf_formulas = (out, total, before, after)  # type: ignore[attr-defined]
    return der


def tf_output_size(size, kernel_size, stride, dilation, padding: str) -> sp.Expr:
    """Output size for a TF/JAX padding string (``SAME``/``SAME_LOWER``: ⌈H/s⌉).

    >>> tf_output_size(7, 3, 2, 1, "SAME")
    4
    >>> tf_output_size(2, 3, 1, 1, "VALID")
    Traceback (most recent call last):
    ...
    ValueError: VALID: H_out = ⌈(2 − 1·(3 − 1))/1⌉ = 0 < 1 (kernel larger than the unpadded input)
    """
    pad = padding.upper()
    if pad not in ("SAME", "VALID", "SAME_LOWER"):
        raise ValueError(f"unknown TF/JAX padding {padding!r}; expected 'SAME', 'VALID' or 'SAME_LOWER'")
    values = {H: as_size_expr(size, "size", "size"), k: as_size_expr(kernel_size, "kernel", "kernel_size"),
              s: as_size_expr(stride, "stride", "stride"), d: as_size_expr(dilation, "dilation", "dilation")}
    if pad == "VALID":
        general = _valid_formula()
        result = general.xreplace(values)
        if result.is_number and result < 1:
            raise ValueError(f"VALID: H_out = ⌈({values[H]} − {values[d]}·({values[k]} − 1))/{values[s]}⌉ = {result} < 1 "
                             "(kernel larger than the unpadded input)")
        return result
    out = _same_formulas(pad == "SAME_LOWER")[0]
    return out.xreplace(values)


@lru_cache(maxsize=None)
def _valid_formula():
    return _checked_tf("VALID").result


def tf_same_padding(size, kernel_size, stride, dilation=1, lower=False):
    r"""The ``(before, after)`` padding of TensorFlow/JAX ``SAME`` (``lower=True``: ``SAME_LOWER``).

    Total ``T = max((⌈H/s⌉ − 1)s + d(k−1) + 1 − H, 0)``; ``SAME`` puts
    ``⌊T/2⌋`` before, ``SAME_LOWER`` puts ``⌈T/2⌉`` before.

    >>> tf_same_padding(10, 3, 2)
    (0, 1)
    >>> from derive.sizes.symbols import H
    >>> tf_same_padding(H, 3, 1)
    (1, 1)
    >>> tf_same_padding(0, 3, 1)
    Traceback (most recent call last):
    ...
    ValueError: size must be a positive integer, got 0
    """
    values = {H: as_size_expr(size, "size", "size"), k: as_size_expr(kernel_size, "kernel", "kernel_size"),
              s: as_size_expr(stride, "stride", "stride"), d: as_size_expr(dilation, "dilation", "dilation")}
    _, _, before, after = _same_formulas(bool(lower))
    return (sp.simplify(before.xreplace(values)), sp.simplify(after.xreplace(values)))
