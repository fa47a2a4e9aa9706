"""Which output positions the boundary cannot touch: margins from the receptive field.

An output position ``j`` of a map with receptive field size ``r``, jump ``J``
and start ``u₀`` (the input coordinate of the first pixel seen by output 0,
``u₀ = −P_eff``) sees the input pixels ``[u₀ + J·j, u₀ + J·j + r − 1]``. It is
*interior* when that window lies inside ``[0, H)``:

.. math:: \\lceil -u_0 / J \\rceil \\le j \\le \\lfloor (H - r - u_0) / J \\rfloor .

On interior positions, padding never enters the computation, so the map
commutes with shifts there (Araujo et al., "Computing Receptive Fields of
Convolutional Neural Networks", Distill 2019). The receptive field comes from
:func:`derive.receptive_field` (:func:`receptive_field_of`), or, for a black
box, is estimated by perturbing one input pixel (:func:`probe_margin`).

Examples
--------
>>> interior_range(in_size=8, out_size=8, size=3, jump=1, start=-1)   # 3x3 conv, padding 1
(1, 6)
>>> interior_range(in_size=8, out_size=4, size=2, jump=2, start=0)    # 2x2 pool, stride 2
(0, 3)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Callable

import numpy as np

from .calling import call_user

__all__ = ["interior_range", "receptive_field_of", "margins_from_spec", "probe_margin"]


def interior_range(*, in_size: int, out_size: int, size: int, jump: int, start: int) -> tuple[int, int]:
    """Inclusive range ``(lo, hi)`` of output indices whose receptive field is inside the input.

    ``hi < lo`` when no position is interior.
    """
    lo = max(0, math.ceil(-start / jump))
    hi = min(out_size - 1, math.floor((in_size - size - start) / jump))
    return lo, hi


def _as_int_tuple(value: Any, n: int) -> tuple[int, ...]:
    if isinstance(value, (tuple, list)):
        vals = tuple(value)
    else:
        vals = (value,) * n
    if len(vals) == 1 and n > 1:
        vals = vals * n
    return tuple(int(v) for v in vals)


def receptive_field_of(layers: Sequence[Any], n_axes: int) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """``(size, jump, start)`` per spatial axis, from :func:`derive.receptive_field`.

    ``start`` is returned as the offset ``u₀`` of the first input pixel seen by
    output 0 (negative with padding).

    Raises
    ------
    ValueError
        When derive cannot give a numeric receptive field for ``layers``.
    """
    import derive

    rf = derive.receptive_field(list(layers))
    try:
        size = _as_int_tuple(rf.size, n_axes)
        jump = _as_int_tuple(rf.jump, n_axes)
        start = _as_int_tuple(rf.start, n_axes)
    except TypeError as exc:
        raise ValueError(f"the receptive field of {layers!r} is not numeric: {exc}") from exc
    return size, jump, start


def margins_from_spec(
    margin: int | Sequence, in_sizes: Sequence[int], out_sizes: Sequence[int]
) -> list[tuple[int, int]]:
    """Interior ranges from a user margin: an int, one int per axis, or ``(lo, hi)`` pairs.

    >>> margins_from_spec(1, [8, 8], [8, 8])
    [(1, 6), (1, 6)]
    >>> margins_from_spec([(0, 2), 1], [8, 8], [6, 6])
    [(0, 3), (1, 4)]
    >>> margins_from_spec(-1, [8], [8])
    Traceback (most recent call last):
    ValueError: margin must be non-negative, got -1
    """
    n = len(out_sizes)
    items = list(margin) if isinstance(margin, (tuple, list)) else [margin] * n
    if len(items) == 1 and n > 1:
        items = items * n
    if len(items) != n:
        raise ValueError(f"margin has {len(items)} entries but there are {n} spatial axes")
    out = []
    for item, m in zip(items, out_sizes):
        lo, hi = (item, item) if not isinstance(item, (tuple, list)) else item
        if int(lo) < 0 or int(hi) < 0:
            raise ValueError(f"margin must be non-negative, got {item!r}")
        out.append((int(lo), m - 1 - int(hi)))
    return out


def probe_margin(
    fn: Callable[[np.ndarray], np.ndarray], input_shape: Sequence[int], axes: Sequence[int], *, seed: int = 0
) -> list[int]:
    """Estimate, per spatial axis, how many output positions one input pixel influences.

    The centre pixel of a random input is changed by a large amount; the output
    positions that change give the extent of the receptive field in output
    units, a conservative margin for a black box whose layers are unknown.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(tuple(input_shape))
    y = call_user(fn, x)
    bumped = x.copy()
    centre = tuple(s // 2 if a in axes else slice(None) for a, s in enumerate(x.shape))
    bumped[centre] += 10.0
    changed = np.abs(call_user(fn, bumped) - y) > 1e-9 * max(1.0, float(np.abs(y).max()))
    widths = []
    for a in axes:
        other = tuple(i for i in range(changed.ndim) if i != a)
        hit = np.flatnonzero(changed.any(axis=other))
        widths.append(int(hit.max() - hit.min() + 1) if hit.size else 0)
    return widths
