"""Small inputs run the parallel kernels on the calling thread (numeric._threads).

The serial path must give the same numbers as the parallel one, leave the
thread count as it found it, and really be single-threaded below the work
threshold.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.testing as npt
import pytest
from numba import njit

import numeric
from numeric import _threads


@njit
def _threads_seen():
    return numba.get_num_threads()


@pytest.mark.parametrize("work, serial", [(1, True), (_threads.PARALLEL_MIN_WORK - 1, True),
                                          (_threads.PARALLEL_MIN_WORK, False)],
                         ids=["tiny", "just-below", "at-threshold"])
def test_thread_count_inside_and_after_the_kernel(work, serial):
    before = numba.get_num_threads()
    seen = _threads.call_kernel(_threads_seen, work)
    assert seen == (1 if serial else before)
    assert numba.get_num_threads() == before


def test_thread_count_is_restored_when_the_kernel_raises():
    before = numba.get_num_threads()

    def boom():
        raise RuntimeError("kernel failed")

    with pytest.raises(RuntimeError, match="kernel failed"):
        _threads.call_kernel(boom, 1)
    assert numba.get_num_threads() == before


CALLS = {
    "max_pool2d": lambda x: numeric.max_pool2d(x, 3, stride=2, padding=1, return_indices=True),
    "max_pool2d_backward": lambda x: numeric.max_pool2d_backward(
        np.ones((2, 3, 5, 5)), x, 3, stride=2, padding=1),
    "avg_pool2d": lambda x: numeric.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False),
    "avg_pool2d_backward": lambda x: numeric.avg_pool2d_backward(np.ones((2, 3, 5, 5)), x, 3, stride=2, padding=1),
    "adaptive_avg_pool2d": lambda x: numeric.adaptive_avg_pool2d(x, (4, 3)),
    "adaptive_avg_pool2d_backward": lambda x: numeric.adaptive_avg_pool2d_backward(np.ones((2, 3, 4, 3)), x, (4, 3)),
    "depthwise conv2d": lambda x: numeric.conv2d(x, np.arange(27.0).reshape(3, 1, 3, 3), padding=1, groups=3),
    "depthwise conv2d_backward": lambda x: numeric.conv2d_backward(
        np.ones((2, 3, 9, 9)), x, np.arange(27.0).reshape(3, 1, 3, 3), padding=1, groups=3),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_serial_and_parallel_paths_agree(name, monkeypatch):
    x = np.random.default_rng(7).standard_normal((2, 3, 9, 9))
    monkeypatch.setattr(_threads, "PARALLEL_MIN_WORK", 0)  # always parallel
    parallel = CALLS[name](x)
    monkeypatch.setattr(_threads, "PARALLEL_MIN_WORK", 1 << 62)  # always serial
    serial = CALLS[name](x)
    as_tuple = (lambda r: r if isinstance(r, tuple) else (r,))
    for a, b in zip(as_tuple(parallel), as_tuple(serial), strict=True):
        npt.assert_array_equal(a, b)


@pytest.fixture
def blas_two():
    """NumPy's BLAS at two threads, as numeric found it; the previous count restored afterwards."""
    before = _threads.blas_threads()
    _threads.use_blas_threads(serial=False)
    for lib in _threads._blas:
        lib.set_num_threads(2)
    yield
    _threads.use_blas_threads(serial=False)
    for lib, k in zip(_threads._blas, before):
        lib.set_num_threads(k)


def test_small_work_runs_blas_and_numba_on_one_thread(blas_two):
    numba_before = numba.get_num_threads()
    with _threads.serial_below(_threads.PARALLEL_MIN_WORK - 1):
        assert _threads.blas_threads() == [1]
        assert _threads_seen() == 1
    assert numba.get_num_threads() == numba_before
    assert _threads.blas_threads() == [1]  # sticky until a large call
    with _threads.serial_below(_threads.PARALLEL_MIN_WORK):
        assert _threads.blas_threads() == [2]
        assert _threads_seen() == numba_before


def test_a_count_the_caller_sets_in_between_is_kept(blas_two):
    with _threads.serial_below(1):
        pass
    for lib in _threads._blas:
        lib.set_num_threads(3)  # the caller's own choice, after numeric lowered it
    with _threads.serial_below(_threads.PARALLEL_MIN_WORK):
        assert _threads.blas_threads() == [3]
    with _threads.serial_below(1):
        assert _threads.blas_threads() == [1]
    with _threads.serial_below(_threads.PARALLEL_MIN_WORK):
        assert _threads.blas_threads() == [3]


@pytest.mark.parametrize("call", [
    lambda: numeric.conv2d(np.ones((2, 3, 8, 8)), np.ones((4, 3, 3, 3))),
    lambda: numeric.linear(np.ones((4, 5)), np.ones((3, 5))),
], ids=["conv2d", "linear"])
def test_small_operators_leave_blas_on_one_thread(blas_two, call):
    call()
    assert _threads.blas_threads() == [1]
