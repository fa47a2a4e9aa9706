"""One threading policy for numeric's kernels and matrix products (private).

Two thread pools serve numeric: its own (:mod:`numeric._batch_split`, which
runs the serial ``nogil`` kernels of pooling and depthwise convolution over
ranges of planes, and large convolutions as batch chunks; its size is the
caller's Numba thread count) and the BLAS that NumPy's products call
(OpenBLAS). No kernel uses Numba's ``prange`` pool: a serial kernel compiles
about 4 times faster on a cold cache (measured: 1.0 s against 3.8 s for the
depthwise kernel), and one pool cannot fight another.
Waking either pool's worker threads costs tens of microseconds on a quiet
machine and milliseconds on a loaded one — a waiting thread has to be
scheduled on a core that another process holds — far more than small work
needs: a LeNet training step on 2 cores shared with other processes took
360 ms with 2 threads per pool and 22 ms with one (measured). So the policy
is, by the number of inner-loop operations ``work`` of one call:

============================  =================================================
``work``                      threads
============================  =================================================
``< PARALLEL_MIN_WORK``       the calling thread only: Numba's count set to 1
                              for this thread (``numba.set_num_threads`` is
                              thread-local; restored afterwards) and BLAS at
                              one thread
``>= PARALLEL_MIN_WORK``      the caller's Numba setting and the BLAS count
                              numeric found
large batched convolutions    concurrent batch chunks, each single-threaded
                              (:mod:`numeric._batch_split`)
============================  =================================================

BLAS's count is sticky: see :func:`use_blas_threads` for why it is not
restored after each small call.

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
>>> with serial_below(10, PARALLEL_MIN_WORK):
...     blas_threads()
[1]
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import numba
import numpy as np  # noqa: F401  (loaded first, so that the controller finds NumPy's BLAS)
from threadpoolctl import ThreadpoolController

__all__ = ["PARALLEL_MIN_WORK", "call_kernel", "serial_below", "use_blas_threads", "blas_threads", "controller"]

#: Below this many inner-loop operations (multiply-adds, or outputs × window) a call runs on the
#: calling thread only. 2^24 ≈ 17 M: LeNet's layers at batch 64 (5-15 M multiply-adds) and a whole
#: LeNet training step run serially — after a multi-threaded product OpenBLAS's worker spins for a
#: while, and on a loaded machine a training step alternating serial and threaded calls took 5-20
#: times longer than an all-serial one (measured) — while a ResNet layer (0.5-0.9 G) uses every core.
PARALLEL_MIN_WORK = 1 << 24

#: NumPy's BLAS (and whatever else was loaded by then), found once: ~0.7 ms.
controller = ThreadpoolController()
_blas = [lib for lib in controller.lib_controllers if lib.user_api == "blas"]


def blas_threads() -> list[int]:
    """The thread count of each BLAS library that NumPy loaded."""
    return [lib.get_num_threads() for lib in _blas]


_lock = threading.Lock()
#: The BLAS thread counts numeric found before it lowered them to one, or None when it has not.
_found: list[int] | None = None


def use_blas_threads(serial: bool) -> None:
    """BLAS at one thread (``serial``) or back at the counts numeric found before lowering them.

    Sticky on purpose: the count stays as set until a call needs the other.
    Raising OpenBLAS's count wakes its idle workers, which then spin for a
    while; restoring it after every small call kept a spinning worker on a
    core: a LeNet training step on a loaded 2-core machine took 6 times the
    CPU time (86 ms against 13 ms, measured). So after a small numeric call
    NumPy's own products run on one BLAS thread too, until the next large
    numeric call (or ``threadpoolctl``) raises the count again. A count the
    caller changed in between is respected (it becomes the one found).
    """
    global _found
    with _lock:
        now = blas_threads()
        if _found is not None and any(k != 1 for k in now):
            _found = None  # the caller changed it since: theirs now
        if serial and _found is None and any(k != 1 for k in now):
            _found = now
            for lib in _blas:
                lib.set_num_threads(1)
        elif not serial and _found is not None:
            for lib, k in zip(_blas, _found):
                lib.set_num_threads(k)
            _found = None


@contextmanager
def serial_below(work: int, threshold: int | None = None):
    """Numba (for this thread) and BLAS at one thread inside the block when ``work < threshold``.

    ``threshold`` defaults to :data:`PARALLEL_MIN_WORK` (read at call time).
    Otherwise BLAS gets back the count numeric found (:func:`use_blas_threads`).
    Numba's count is restored on leaving the block.
    """
    serial = work < (PARALLEL_MIN_WORK if threshold is None else threshold)
    use_blas_threads(serial)
    if not serial:
        yield
        return
    n_threads = numba.get_num_threads()
    if n_threads == 1:  # already serial (each set costs ~2 µs, a tenth of a small call's overhead)
        yield
        return
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(n_threads)


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
    with serial_below(work):
        return kernel(*args)
