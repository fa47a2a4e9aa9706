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
