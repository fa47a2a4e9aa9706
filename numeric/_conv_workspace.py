"""A reusable scratch buffer for the unfolded patch columns (private).

The im2col buffers of the benchmark shapes hold tens of megabytes; allocating
them afresh each call costs a page fault per 4 KiB page when the memory is
first touched, which is comparable to the arithmetic itself. Each thread
keeps one buffer per dtype and grows it when a larger one is needed, so
concurrent callers never share scratch memory.

Examples
--------
>>> a = workspace((2, 3), np.float64)
>>> a.shape, a.dtype
((2, 3), dtype('float64'))
>>> b = workspace((3, 2), np.float64)
>>> np.shares_memory(a, b)
True
"""

from __future__ import annotations

import threading

import numpy as np

__all__ = ["workspace"]

_local = threading.local()


def workspace(shape: tuple[int, ...], dtype) -> np.ndarray:
    """An uninitialised C-contiguous array of ``shape``, backed by this thread's reusable buffer.

    The content is overwritten by the next call with the same dtype: use the
    result before asking for another workspace.
    """
    dtype = np.dtype(dtype)
    size = int(np.prod(shape))
    buffers = getattr(_local, "buffers", None)
    if buffers is None:
        buffers = _local.buffers = {}
    buf = buffers.get(dtype)
    if buf is None or buf.size < size:
        buf = buffers[dtype] = np.empty(max(size, 1), dtype=dtype)
    return buf[:size].reshape(shape)
