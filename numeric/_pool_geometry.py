"""Pooling geometry: validated window parameters and PyTorch's output-size rule.

One :class:`PoolGeometry` describes a pooling layer along each spatial
dimension (``L`` in 1-D, ``H`` and ``W`` in 2-D). It is built by
:func:`pool_geometry`, which checks every argument and raises
``ValueError``/``TypeError`` naming the constraint and the numbers.

Output size, per dimension (PyTorch's ``pooling_output_shape``):

.. math::

    O = \\left\\lfloor \\frac{L + 2p - d(k-1) - 1}{s} \\right\\rfloor + 1
    \\quad\\text{(floor mode)}, \\qquad
    O = \\left\\lceil \\frac{L + 2p - d(k-1) - 1}{s} \\right\\rceil + 1
    \\quad\\text{(ceil mode)},

and in ceil mode the last window must start inside the input or the left
padding: if ``(O - 1)·s >= L + p`` then ``O`` is decreased by one.

Examples
--------
>>> g = pool_geometry("max_pool2d", (1, 1, 112, 112), 3, 2, 1, 1, False)
>>> g.out_size
(56, 56)
>>> pool_geometry("max_pool1d", (1, 1, 6), 3, 2, 1, 1, True).out_size
(4,)
>>> pool_geometry("max_pool2d", (1, 1, 4, 4), 5, 1, 0, 1, False)
Traceback (most recent call last):
...
ValueError: max_pool2d: H_out = ⌊(4 + 2·0 − 1·(5−1) − 1)/1⌋ + 1 = 0 < 1 (kernel larger than padded input)
>>> pool_geometry("avg_pool2d", (1, 1, 8, 8), 3, 1, 2, 1, False)
Traceback (most recent call last):
...
ValueError: avg_pool2d: padding must be at most half the kernel size, got padding 2 > kernel_size 3 // 2 = 1
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._layouts import LAYOUTS, SPATIAL_NAMES
from .validation import as_tuple, check_array

__all__ = [
    "PoolGeometry",
    "pool_geometry",
    "pool_output_size",
    "check_pool_input",
    "check_grad_output",
    "check_bool",
    "check_divisor_override",
    "adaptive_output_size",
    "DIM_NAMES",
]

DIM_NAMES = SPATIAL_NAMES  # the spatial dimension names, by number of spatial dimensions


@dataclass(frozen=True)
class PoolGeometry:
    """Validated pooling parameters, one entry per spatial dimension."""

    in_size: tuple[int, ...]
    kernel_size: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    dilation: tuple[int, ...]
    ceil_mode: bool
    out_size: tuple[int, ...]

    def as_2d(self) -> "PoolGeometry":
        """The same geometry seen as 2-D (a 1-D layer is a 2-D layer of height 1)."""
        if len(self.in_size) == 2:
            return self
        return PoolGeometry(
            (1, *self.in_size),
            (1, *self.kernel_size),
            (1, *self.stride),
            (0, *self.padding),
            (1, *self.dilation),
            self.ceil_mode,
            (1, *self.out_size),
        )


def pool_output_size(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """Number of windows along one dimension, PyTorch's rule (may be < 1).

    >>> pool_output_size(112, 3, 2, 1, 1, False)
    56
    >>> pool_output_size(5, 2, 2, 0, 1, False), pool_output_size(5, 2, 2, 0, 1, True)
    (2, 3)
    >>> pool_output_size(4, 2, 2, 1, 1, True)  # a 4th window would start in the right padding
    3
    """
    span = size + 2 * p - d * (k - 1) - 1
    out = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def check_bool(value: Any, name: str) -> bool:
    """``value`` must be a bool (``True``/``False``, NumPy bools accepted)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def check_divisor_override(value: Any, op: str) -> int | None:
    """``divisor_override`` is ``None`` or a positive integer.

    >>> check_divisor_override(0, "avg_pool2d")
    Traceback (most recent call last):
    ...
    ValueError: avg_pool2d: divisor_override must be >= 1, got 0
    """
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        raise TypeError(f"{op}: divisor_override must be None or a positive integer, got {value!r}")
    return as_tuple(value, 1, f"{op}: divisor_override", minimum=1)[0]


def check_pool_input(x: Any, op: str, nd: int) -> np.ndarray:
    """``x`` as a C-contiguous float array of rank ``nd + 2`` (N, C, spatial...); ``N`` may be 0."""
    return check_array(x, f"{op}: input", nd + 2, LAYOUTS[nd], empty_batch=True)


def pool_geometry(
    op: str,
    shape: tuple[int, ...],
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: Any,
) -> PoolGeometry:
    """Validate pooling arguments for an input of ``shape`` (N, C, *spatial).

    Parameters
    ----------
    op : str
        Name of the public function, used in messages.
    shape : tuple of int
        Shape of the (already validated) input.
    kernel_size, stride, padding, dilation : int or tuple of int
        As in ``torch.nn.functional``; ``stride=None`` means ``kernel_size``.
    ceil_mode : bool

    Returns
    -------
    PoolGeometry

    Raises
    ------
    TypeError
        Non-integer sizes, non-bool ``ceil_mode``.
    ValueError
        Non-positive kernel/stride/dilation, negative padding, padding above
        half the kernel, or an output size below 1 (the arithmetic is shown).
    """
    nd = len(shape) - 2
    names = DIM_NAMES[nd]
    k = as_tuple(kernel_size, nd, f"{op}: kernel_size", minimum=1)
    s = k if stride is None else as_tuple(stride, nd, f"{op}: stride", minimum=1)
    p = as_tuple(padding, nd, f"{op}: padding", minimum=0)
    d = as_tuple(dilation, nd, f"{op}: dilation", minimum=1)
    ceil = check_bool(ceil_mode, f"{op}: ceil_mode")
    for pi, ki in zip(p, k):
        if pi > ki // 2:
            raise ValueError(
                f"{op}: padding must be at most half the kernel size, got padding {pi} > kernel_size {ki} // 2 = {ki // 2}"
            )
    sizes = tuple(shape[2:])
    out = []
    for name, size, ki, si, pi, di in zip(names, sizes, k, s, p, d):
        o = pool_output_size(size, ki, si, pi, di, ceil)
        if o < 1:
            lb, rb = ("⌈", "⌉") if ceil else ("⌊", "⌋")
            raise ValueError(
                f"{op}: {name}_out = {lb}({size} + 2·{pi} − {di}·({ki}−1) − 1)/{si}{rb} + 1 = {o} < 1 "
                "(kernel larger than padded input)"
            )
        out.append(o)
    return PoolGeometry(sizes, k, s, p, d, ceil, tuple(out))


def adaptive_output_size(output_size: Any, shape: tuple[int, ...], op: str) -> tuple[int, ...]:
    """Validate ``output_size`` of adaptive pooling; ``None`` entries keep the input size.

    >>> adaptive_output_size((None, 3), (1, 1, 7, 9), "adaptive_avg_pool2d")
    (7, 3)
    >>> adaptive_output_size(0, (1, 1, 7), "adaptive_avg_pool1d")
    Traceback (most recent call last):
    ...
    ValueError: adaptive_avg_pool1d: output_size must be >= 1, got 0
    """
    nd = len(shape) - 2
    spatial = tuple(shape[2:])
    if isinstance(output_size, (list, tuple)):
        if len(output_size) != nd:
            raise ValueError(f"{op}: output_size must be an int or a tuple of {nd} ints, got {tuple(output_size)!r}")
        items = [spatial[i] if v is None else v for i, v in enumerate(output_size)]
    else:
        items = [output_size] * nd
    return as_tuple(tuple(items), nd, f"{op}: output_size", minimum=1)


def check_grad_output(grad_output: Any, expected: tuple[int, ...], dtype: np.dtype, op: str) -> np.ndarray:
    """``grad_output`` must be a float array of the forward output's shape and the input's dtype.

    >>> check_grad_output(np.zeros((1, 2, 3)), (1, 2, 4), np.dtype("float64"), "max_pool1d_backward")
    Traceback (most recent call last):
    ...
    ValueError: max_pool1d_backward: grad_output must have the forward output's shape (1, 2, 4), got (1, 2, 3)
    """
    g = check_array(grad_output, f"{op}: grad_output", len(expected), f"{expected}", empty_batch=True)
    if g.shape != tuple(expected):
        raise ValueError(f"{op}: grad_output must have the forward output's shape {tuple(expected)}, got {g.shape}")
    if g.dtype != dtype:
        raise TypeError(f"{op}: grad_output has dtype {g.dtype}; expected the input's dtype {dtype}")
    return g

