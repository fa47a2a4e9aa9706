"""Validation of user input for the public functions of :mod:`numeric`.

Kernels never check anything; the public functions call these helpers first.
Each raises ``TypeError``/``ValueError`` naming the argument, the constraint
and the numbers.

Examples
--------
>>> as_tuple(3, 2, "stride")
(3, 3)
>>> as_tuple((1, 2), 2, "padding", minimum=0)
(1, 2)
>>> as_tuple(0, 2, "stride")
Traceback (most recent call last):
...
ValueError: stride must be >= 1, got 0
>>> as_tuple((1, 2, 3), 2, "kernel_size")
Traceback (most recent call last):
...
ValueError: kernel_size must be an int or a tuple of 2 ints, got (1, 2, 3)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["as_tuple", "as_float_array", "check_array", "check_same_dtype", "FLOAT_DTYPES"]

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _as_int(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and not np.isfinite(value):
            raise ValueError(f"{name} must be a finite integer, got {value!r}")
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    return int(value)


def as_tuple(value: Any, n: int, name: str, *, minimum: int = 1) -> tuple[int, ...]:
    """Normalise an int or a length-``n`` sequence of ints to a tuple, each ``>= minimum``."""
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"{name} must be an int or a tuple of {n} ints, got {tuple(value)!r}")
        items = tuple(_as_int(v, name) for v in value)
    else:
        items = (_as_int(value, name),) * n
    for v in items:
        if v < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {v}")
    return items


def as_float_array(x: Any, name: str) -> np.ndarray:
    """``x`` as a float32/float64 array of any shape (``TypeError`` otherwise).

    >>> as_float_array([1.0, 2.0], "x").dtype
    dtype('float64')
    >>> as_float_array(np.zeros(2, np.int32), "x")
    Traceback (most recent call last):
    ...
    TypeError: x must be float32 or float64, got int32
    """
    if not isinstance(x, np.ndarray):
        try:
            x = np.asarray(x)
        except Exception as exc:  # noqa: BLE001 - any conversion failure is a type error for the user
            raise TypeError(f"{name} must be a NumPy array, got {type(x).__name__}") from exc
    if x.dtype not in FLOAT_DTYPES:
        raise TypeError(f"{name} must be float32 or float64, got {x.dtype}")
    return x


def check_array(x: Any, name: str, ndim: int, layout: str) -> np.ndarray:
    """Return ``x`` as a C-contiguous float32/float64 array of rank ``ndim``.

    >>> check_array(np.zeros((1, 2, 3)), "input", 3, "(N, C, L)").shape
    (1, 2, 3)
    >>> check_array(np.zeros((2, 3)), "input", 3, "(N, C, L)")
    Traceback (most recent call last):
    ...
    ValueError: input must have 3 dimensions (N, C, L), got shape (2, 3)
    >>> check_array(np.zeros(3, dtype=np.int64), "x", 1, "(L,)")
    Traceback (most recent call last):
    ...
    TypeError: x must be float32 or float64, got int64
    """
    x = as_float_array(x, name)
    if x.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions {layout}, got shape {x.shape}")
    if any(s == 0 for s in x.shape):
        raise ValueError(f"{name} must not be empty, got shape {x.shape}")
    return np.ascontiguousarray(x)


def check_same_dtype(**arrays: np.ndarray | None) -> np.dtype:
    """All given arrays share one dtype; return it.

    >>> check_same_dtype(a=np.zeros(1), b=np.zeros(1, np.float32))
    Traceback (most recent call last):
    ...
    TypeError: dtypes differ: a is float64, b is float32
    """
    present = {k: v for k, v in arrays.items() if v is not None}
    dtypes = {v.dtype for v in present.values()}
    if len(dtypes) > 1:
        desc = ", ".join(f"{k} is {v.dtype}" for k, v in present.items())
        raise TypeError(f"dtypes differ: {desc}")
    return dtypes.pop()
