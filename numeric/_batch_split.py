"""Run a large convolution as concurrent batch chunks, each with single-threaded BLAS (private).

The convolution's unfolding and tile transforms are serial Numba code, and
only its matrix products use several threads (OpenBLAS's), so on 2 cores the
serial part stays serial. Making those kernels Numba-parallel instead made
OpenBLAS's idle spinning threads fight Numba's (20 times slower). This
module splits the batch into ``k`` chunks (``k`` = the caller's
``numba.get_num_threads()``), runs the whole convolution of each chunk on its
own thread — the kernels are compiled ``nogil=True`` and NumPy's products
release the GIL — and limits BLAS to one thread meanwhile (:mod:`numeric._threads`), so
exactly ``k`` threads work and none spins. Small convolutions (below
:data:`SPLIT_MIN_WORK` multiply-adds), a single sample, or one thread keep
the plain serial call.

Examples
--------
>>> import numba
>>> chunks = batch_chunks(5, SPLIT_MIN_WORK)
>>> chunks is None or [c.stop - c.start for c in chunks][0] >= 2
True
>>> batch_chunks(64, 10) is None
True
>>> run_chunks(lambda s: s.stop - s.start, [slice(0, 2), slice(2, 5)])
[2, 3]
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numba

from ._threads import controller, use_blas_threads

__all__ = ["SPLIT_MIN_WORK", "batch_chunks", "run_chunks", "run_range"]

#: Below this many multiply-adds a convolution runs as one call. Measured on 2 cores: the
#: ResNet 3×3 layers (0.5-0.9 G) and the stem (0.9 G) gain 15-30 %; LeNet conv1 (5.5 M)
#: gains nothing; LeNet conv2 (15 M) gained in a tight loop but not reproducibly in the
#: benchmark (wake-ups after idle pauses), so millisecond-sized work stays on one call.
SPLIT_MIN_WORK = 1 << 26

_controller = controller  # the one of numeric._threads
_executors: dict[int, ThreadPoolExecutor] = {}
_lock = threading.Lock()


def _thread_count() -> int:
    """The calling thread's Numba thread count (the caller's setting, e.g. a benchmark's ``--threads``)."""
    return numba.get_num_threads()


def batch_chunks(n: int, work: int) -> list[slice] | None:
    """``k`` near-equal slices of a batch of ``n``, or ``None`` when the work should not be split.

    Parameters
    ----------
    n : int
        The batch size.
    work : int
        The convolution's multiply-adds.

    Returns
    -------
    list of slice, or None
        ``None`` when ``work < SPLIT_MIN_WORK``, ``n < 2`` or the calling
        thread's ``numba.get_num_threads()`` is 1.
    """
    k = min(_thread_count(), n)
    if k < 2 or work < SPLIT_MIN_WORK:
        return None
    bounds = [n * i // k for i in range(k + 1)]
    return [slice(bounds[i], bounds[i + 1]) for i in range(k)]


def _executor(workers: int) -> ThreadPoolExecutor:
    with _lock:
        pool = _executors.get(workers)
        if pool is None:
            pool = _executors[workers] = ThreadPoolExecutor(workers, thread_name_prefix="numeric-conv")
        return pool


def _concurrently(fn, chunks: list[slice]) -> list:
    """``[fn(c) for c in chunks]`` on as many threads, the first on the calling one; waits for all, then raises."""
    futures = [_executor(len(chunks) - 1).submit(fn, c) for c in chunks[1:]]
    try:
        first = fn(chunks[0])
    finally:
        rest = [f.exception() for f in futures]  # waits for all of them
    for exc in rest:
        if exc is not None:
            raise exc
    return [first] + [f.result() for f in futures]


def run_chunks(fn, chunks: list[slice]) -> list:
    """``[fn(c) for c in chunks]``, the chunks run concurrently with BLAS at one thread (left so: sticky).

    The first chunk runs on the calling thread. Every chunk has finished when
    this returns or raises (the first exception is re-raised).
    """
    use_blas_threads(serial=True)  # sticky: see numeric._threads
    return _concurrently(fn, chunks)


def run_range(kernel, n: int, *args) -> None:
    """``kernel(*args, lo, hi)`` over ``[0, n)`` cut into one range per thread of the caller's Numba count.

    For the serial ``nogil`` kernels that loop over independent planes or
    channels ``lo … hi − 1``: they run concurrently on the threads of this
    module's pool, or inline when the count is 1 (as
    :func:`numeric._threads.serial_below` sets it for small work) or ``n < 2``.

    >>> seen = []
    >>> run_range(lambda tag, lo, hi: seen.append((lo, hi)), 1, "x")
    >>> seen
    [(0, 1)]
    """
    k = min(_thread_count(), n)
    if k < 2:
        kernel(*args, 0, n)
        return
    bounds = [n * i // k for i in range(k + 1)]
    _concurrently(lambda s: kernel(*args, s.start, s.stop), [slice(bounds[i], bounds[i + 1]) for i in range(k)])
