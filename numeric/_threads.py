"""Run a parallel Numba kernel on the calling thread alone when its work is small (private).

Waking Numba's worker threads for a ``prange`` loop costs tens of
microseconds on a quiet machine and milliseconds on a loaded one, far more
than a kernel on a tiny input needs (a (1, 1, 8, 8) pooling is a few hundred
operations). The property checkers call the kernels thousands of times on
such inputs, so below :data:`PARALLEL_MIN_WORK` operations the kernel runs
with Numba's thread count set to 1 for the calling thread — the parallel
region then executes inline, with no hand-off — and the count is restored
afterwards. ``numba.set_num_threads`` is thread-local, so concurrent callers
do not see each other's setting.

Examples
--------
>>> from numba import njit, prange
>>> @njit(parallel=True)
... def double(x, out):
...     for i in prange(x.shape[0]):
...         out[i] = 2 * x[i]
>>> out = np.empty(3)
>>> call_kernel(double, 3, np.arange(3.0), out)
>>> out
array([0., 2., 4.])
"""

from __future__ import annotations

import numba
import numpy as np  # noqa: F401  (used by the doctest)

__all__ = ["PARALLEL_MIN_WORK", "call_kernel"]

#: Below this many inner-loop operations a kernel runs on the calling thread only.
PARALLEL_MIN_WORK = 1 << 16


def call_kernel(kernel, work: int, *args):
    """``kernel(*args)``, single-threaded when ``work < PARALLEL_MIN_WORK``.

    Parameters
    ----------
    kernel : a Numba dispatcher, usually compiled with ``parallel=True``
    work : int
        An estimate of the inner-loop operations (e.g. outputs × window size).
    *args
        The kernel's arguments.

    Returns
    -------
    Whatever ``kernel`` returns.
    """
    if work >= PARALLEL_MIN_WORK:
        return kernel(*args)
    n_threads = numba.get_num_threads()
    if n_threads == 1:
        return kernel(*args)
    numba.set_num_threads(1)
    try:
        return kernel(*args)
    finally:
        numba.set_num_threads(n_threads)
