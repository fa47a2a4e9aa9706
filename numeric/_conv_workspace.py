"""Reusable scratch buffers for the unfolded patch columns and transposed gradients (private).

The im2col buffers of the benchmark shapes hold tens of megabytes; allocating
them afresh each call costs a page fault per 4 KiB page when the memory is
first touched, which is comparable to the arithmetic itself. Each thread
keeps one buffer per (slot, dtype) and grows it when a larger one is needed,
so concurrent callers never share scratch memory; different slots never
share memory either.

Examples
--------
>>> a = workspace((2, 3), np.float64)
>>> a.shape, a.dtype
((2, 3), dtype('float64'))
>>> b = workspace((3, 2), np.float64)
>>> np.shares_memory(a, b)
True
>>> np.shares_memory(a, workspace((2, 3), np.float64, slot="other"))
False
"""

from __future__ import annotations

import math
import threading

import numpy as np

__all__ = ["workspace"]

_local = threading.local()


def workspace(shape: tuple[int, ...], dtype, slot: str = "cols") -> np.ndarray:
    """An uninitialised C-contiguous array of ``shape``, backed by this thread's reusable buffer ``slot``.

    The content is overwritten by the next call with the same slot and dtype:
    use the result before asking for another workspace of that slot.
    """
    dtype = np.dtype(dtype)
    size = math.prod(shape)  # math.prod: np.prod of a short tuple costs microseconds per call
    buffers = getattr(_local, "buffers", None)
    if buffers is None:
        buffers = _local.buffers = {}
    buf = buffers.get((slot, dtype))
    if buf is None or buf.size < size:
        buf = buffers[(slot, dtype)] = np.empty(max(size, 1), dtype=dtype)
    return buf[:size].reshape(shape)
