"""Shift operators on the spatial axes of an array: circular and zero-fill.

Convention: a shift by ``δ`` moves content towards larger indices,
``(T_δ x)[i] = x[i − δ]`` — as :func:`numpy.roll`. The circular shift wraps
around (indices mod the size); the zero-fill shift lets zeros enter and drops
what leaves. By default the spatial axes are those after batch and channel
(``NCHW`` → H, W); a 1-D or 2-D array is all spatial.

Examples
--------
>>> import numpy as np
>>> x = np.arange(1.0, 5.0)
>>> circular_shift(x, 1)
array([4., 1., 2., 3.])
>>> zero_shift(x, -2)
array([3., 4., 0., 0.])
>>> shift(np.arange(4.0).reshape(1, 1, 2, 2), (1, 0), boundary="zero")[0, 0]
array([[0., 0.],
       [0., 1.]])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["spatial_axes", "normalize_shift", "circular_shift", "zero_shift", "shift", "BOUNDARIES"]

BOUNDARIES = ("circular", "zero")


def spatial_axes(ndim: int) -> tuple[int, ...]:
    """The spatial axes of an ``ndim``-array: after N and C for ndim >= 3, else all.

    >>> spatial_axes(4), spatial_axes(3), spatial_axes(2)
    ((2, 3), (2,), (0, 1))
    """
    if ndim >= 3:
        return tuple(range(2, ndim))
    return tuple(range(ndim))


def normalize_shift(delta: int | Sequence[int], n_axes: int) -> tuple[int, ...]:
    """One integer shift per axis (an int is used on every axis).

    Raises
    ------
    TypeError
        When a shift is not an integer.
    ValueError
        When the number of shifts does not match the number of axes.

    >>> normalize_shift(2, 2)
    (2, 2)
    >>> normalize_shift((1, 2, 3), 2)
    Traceback (most recent call last):
    ValueError: shift has 3 entries (1, 2, 3) but there are 2 spatial axes
    """
    if isinstance(delta, (int, np.integer)) and not isinstance(delta, bool):
        return (int(delta),) * n_axes
    try:
        values = tuple(delta)
    except TypeError:
        raise TypeError(f"shift must be an int or a sequence of ints, got {delta!r}") from None
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"shift entries must be integers, got {v!r} in {values!r}")
    if len(values) != n_axes:
        raise ValueError(f"shift has {len(values)} entries {values!r} but there are {n_axes} spatial axes")
    return tuple(int(v) for v in values)


def _axes(x: np.ndarray, axes: Sequence[int] | None) -> tuple[int, ...]:
    axes = spatial_axes(x.ndim) if axes is None else tuple(int(a) % x.ndim for a in axes)
    return axes


def circular_shift(x: np.ndarray, delta: int | Sequence[int], axes: Sequence[int] | None = None) -> np.ndarray:
    """``(T_δ x)[i] = x[(i − δ) mod n]`` on every spatial axis (a new array).

    >>> circular_shift(np.arange(3), -1)
    array([1, 2, 0])
    """
    x = np.asarray(x)
    ax = _axes(x, axes)
    return np.roll(x, normalize_shift(delta, len(ax)), axis=ax)


def zero_shift(x: np.ndarray, delta: int | Sequence[int], axes: Sequence[int] | None = None) -> np.ndarray:
    """``(T_δ x)[i] = x[i − δ]`` where ``0 <= i − δ < n``, else 0 (a new array).

    >>> zero_shift(np.arange(1, 4), 5)
    array([0, 0, 0])
    """
    x = np.asarray(x)
    ax = _axes(x, axes)
    deltas = normalize_shift(delta, len(ax))
    out = np.zeros_like(x)
    dst = [slice(None)] * x.ndim
    src = [slice(None)] * x.ndim
    for a, d in zip(ax, deltas):
        n = x.shape[a]
        if abs(d) >= n:
            return out
        dst[a] = slice(max(d, 0), n + min(d, 0))
        src[a] = slice(max(-d, 0), n - max(d, 0))
    out[tuple(dst)] = x[tuple(src)]
    return out


def shift(
    x: np.ndarray, delta: int | Sequence[int], *, boundary: str = "circular", axes: Sequence[int] | None = None
) -> np.ndarray:
    """Shift by ``δ`` with the given boundary, ``"circular"`` or ``"zero"``.

    Raises
    ------
    ValueError
        For an unknown boundary.

    >>> shift(np.arange(3), 1, boundary="reflect")
    Traceback (most recent call last):
    ValueError: boundary must be one of ('circular', 'zero'), got 'reflect'
    """
    if boundary == "circular":
        return circular_shift(x, delta, axes)
    if boundary == "zero":
        return zero_shift(x, delta, axes)
    raise ValueError(f"boundary must be one of {BOUNDARIES}, got {boundary!r}")
