"""How far the output moves when the input moves: the stride (or upsampling factor) of a map, per axis.

A map with stride ``S`` along an axis turns an input shift ``δ`` into an
output shift ``δ/S``; an upsampler by ``U`` turns it into ``U·δ``. Either is a
*ratio* ``r`` (a :class:`~fractions.Fraction`: ``1/S`` or ``U``), and
equivariance states ``fn(T_δ x) = T_{r·δ} fn(x)``.

The ratio must agree with the shapes. A stride-``S`` map (padding at most half
its window, as every "valid" and "same" layer) gives
``M = ⌊(H + 2P − d(k−1) − 1)/S⌋ + 1 ≤ ⌈H/S⌉`` outputs for ``H`` inputs, so
``M > ⌈H/S⌉`` refutes ``S`` (a size-keeping map cannot have stride 2); an
upsampler by ``U`` (nearest, or a transposed convolution with ``k ≤ U + 2P``)
gives at most ``U·H`` outputs, so ``M > U·H`` refutes ``U``.

When the ratio is not given it is *measured*: each input slice along the axis
is raised in turn, and the smallest move ``t`` for which every slice and the one
``t`` further change output sets that differ by the same whole move ``o ≠ 0``
gives ``r = o/t`` (a stride-2 map: ``t = 2, o = 1``). The measured ratio must
agree with the shapes too.

Examples
--------
>>> from fractions import Fraction
>>> shape_refutes(in_size=8, out_size=8, ratio=Fraction(1, 2))
'an output of 8 positions for 8 inputs is more than ⌈8/2⌉ = 4: a map of stride 2 has at most 4'
>>> shape_refutes(in_size=8, out_size=4, ratio=Fraction(1, 2)) is None
True
>>> import numpy as np
>>> measure_ratio(lambda x: x[..., ::2], (1, 1, 8), (2,), (1, 1, 4))
(Fraction(1, 2),)
>>> measure_ratio(lambda x: np.repeat(x, 3, axis=-1), (1, 1, 6), (2,), (1, 1, 18))
(Fraction(3, 1),)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Callable

import numpy as np

from .calling import UserFunctionError, call_user

__all__ = ["shape_refutes", "measure_ratio", "ratio_text", "ratios_from"]


def ratio_text(r: Fraction) -> str:
    """``δ``, ``δ/2`` or ``3·δ``: the output shift for an input shift δ.

    >>> ratio_text(Fraction(1, 2)), ratio_text(Fraction(3)), ratio_text(Fraction(1))
    ('δ/2', '3·δ', 'δ')
    """
    if r == 1:
        return "δ"
    if r.numerator == 1:
        return f"δ/{r.denominator}"
    if r.denominator == 1:
        return f"{r.numerator}·δ"
    return f"{r.numerator}·δ/{r.denominator}"


def shape_refutes(*, in_size: int, out_size: int, ratio: Fraction) -> str | None:
    """Why ``out_size`` outputs for ``in_size`` inputs rule out ``ratio`` (None when they allow it)."""
    if ratio < 1:
        s = ratio.denominator // ratio.numerator if ratio.numerator == 1 else None
        bound = math.ceil(in_size * ratio)
        if out_size > bound:
            what = f"a map of stride {s}" if s else f"a map of output/input ratio {ratio}"
            return (f"an output of {out_size} positions for {in_size} inputs is more than "
                    f"⌈{in_size}/{s or 1 / ratio}⌉ = {bound}: {what} has at most {bound}")
        return None
    bound = math.floor(in_size * ratio)
    if ratio > 1 and out_size > bound:
        return (f"an output of {out_size} positions for {in_size} inputs is more than {ratio}·{in_size} = "
                f"{bound}: an upsampler by {ratio} has at most {bound}")
    if ratio == 1 and out_size > in_size:
        return (f"an output of {out_size} positions for {in_size} inputs is larger than the input: "
                f"a map of stride 1 does not upsample (pass upsample=)")
    return None


def ratios_from(stride, upsample, n_axes: int) -> tuple[Fraction, ...] | None:
    """Per-axis ratios from ``stride`` (``1/S``) or ``upsample`` (``U``); None when neither is given.

    Raises
    ------
    ValueError
        When both are given, or a value is not a positive integer (one, or one per axis).

    >>> ratios_from(2, None, 2), ratios_from(None, (1, 3), 2)
    ((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 1), Fraction(3, 1)))
    >>> ratios_from(2, 2, 1)
    Traceback (most recent call last):
    ValueError: give stride= (a downsampling map) or upsample= (an upsampling one), not both: 2 and 2
    """
    if stride is not None and upsample is not None:
        raise ValueError(f"give stride= (a downsampling map) or upsample= (an upsampling one), not both: "
                         f"{stride!r} and {upsample!r}")
    for name, value in (("stride", stride), ("upsample", upsample)):
        if value is None:
            continue
        vals = tuple(value) if isinstance(value, (tuple, list)) else (value,) * n_axes
        if len(vals) != n_axes or any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1
                                      for v in vals):
            raise ValueError(f"{name} must be a positive integer or one per spatial axis ({n_axes}), got {value!r}")
        return tuple(Fraction(1, int(v)) if name == "stride" else Fraction(int(v)) for v in vals)
    return None


def _same_shape(out: np.ndarray, expected, in_shape, name) -> np.ndarray:
    if out.shape != tuple(expected):
        raise UserFunctionError(f"{name} returned shape {out.shape} where it returned {tuple(expected)} before, "
                                f"for the same input shape {tuple(in_shape)}")
    return out


def _profile(fn, x, base, axis, at, name) -> np.ndarray:
    """Output positions along ``axis`` that change when the input slice ``at`` (on that axis) is raised
    (a whole slice: a single pixel could sit where another axis' stride skips it)."""
    bumped = x.copy()
    bumped[(slice(None),) * axis + (at,)] += 10.0
    out = _same_shape(call_user(fn, bumped, name=name), base.shape, x.shape, name)
    changed = np.abs(out - base) > 1e-9 * max(1.0, float(np.abs(base).max()))
    other = tuple(i for i in range(changed.ndim) if i != axis)
    return changed.any(axis=other)


def _displacement(p0: np.ndarray, p1: np.ndarray, circular: bool) -> int | None:
    """The whole number ``o ≠ 0`` with ``p1 = p0`` moved by ``o`` (None if there is none, or it is ambiguous);
    with ``circular`` the move wraps around and ``o`` is taken in ``(−n/2, n/2]``."""
    n = p0.size
    if p0.sum() != p1.sum() or p0.all():
        return None
    found = set()
    for o in range(-(n - 1), n):
        if not np.array_equal(np.roll(p0, o), p1):
            continue
        idx = np.flatnonzero(p0) + o
        if circular:  # o and o ± n are the same move
            found.add(o % n if o % n <= n / 2 else o % n - n)
        elif idx.min() >= 0 and idx.max() < n:
            found.add(o)
    found.discard(0)
    return found.pop() if len(found) == 1 else None


def measure_ratio(fn: Callable, input_shape: Sequence[int], axes: Sequence[int], out_shape: Sequence[int], *,
                  name: str = "fn", seed: int = 0, circular: bool = False) -> tuple[Fraction | None, ...]:
    """The ratio per axis measured by moving a raised input slice (None where it cannot be measured).

    Every input slice ``i`` along the axis is raised in turn; the ratio is ``o/t`` for the smallest move
    ``t`` such that *every* pair ``(i, i + t)`` of slices moves the changed outputs by the same ``o ≠ 0``
    (a slice that changes nothing pairs only with one that changes nothing). Without ``circular``, output
    sets that touch the output's border (clipped by the boundary) are left out of the comparison.

    Raises
    ------
    UserFunctionError
        When ``fn`` raises, returns NaN or changes its output shape on the probes.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(tuple(input_shape))
    base = _same_shape(call_user(fn, x, name=name), out_shape, x.shape, name)
    out = []
    for axis in axes:
        h = x.shape[axis]
        profiles = [_profile(fn, x, base, axis, i, name) for i in range(h)]

        def usable(p):
            return p.any() and (circular or (not p[0] and not p[-1]))

        ratio = None
        for t in range(1, h):
            moves, consistent = set(), True
            for a, b in zip(profiles, profiles[t:]):
                if usable(a) and usable(b):
                    o = _displacement(a, b, circular)
                    if o is None:
                        consistent = False
                        break
                    moves.add(o)
                elif (usable(a) and not b.any()) or (usable(b) and not a.any()):
                    consistent = False  # the slice t further changes nothing: t is not a period
                    break
            if consistent and len(moves) == 1:
                o = moves.pop()
                ratio = Fraction(o, t) if o > 0 else None  # a map that reverses the axis has no such ratio
                break
        out.append(ratio)
    return tuple(out)
