"""Large convolutions run as concurrent batch chunks (numeric._batch_split).

The chunked path must give the serial path's numbers (the weight-gradient
up to summation order), follow the caller's thread count, leave BLAS's
thread count as it found it, and propagate a chunk's exception only after
every chunk has finished.
"""

from __future__ import annotations

import threading

import numba
import numpy as np
import numpy.testing as npt
import pytest

import numeric
from numeric import _batch_split, _conv_engine


@pytest.mark.parametrize("n, work, threads, sizes", [
    (8, _batch_split.SPLIT_MIN_WORK, 2, [4, 4]),
    (5, _batch_split.SPLIT_MIN_WORK, 2, [2, 3]),
    (7, _batch_split.SPLIT_MIN_WORK, 3, [2, 2, 3]),
    (2, _batch_split.SPLIT_MIN_WORK, 4, [1, 1]),
    (8, _batch_split.SPLIT_MIN_WORK - 1, 2, None),
    (1, _batch_split.SPLIT_MIN_WORK, 2, None),
    (8, _batch_split.SPLIT_MIN_WORK, 1, None),
], ids=["even", "odd", "three-threads", "more-threads-than-samples", "small-work", "one-sample", "one-thread"])
def test_batch_chunks(monkeypatch, n, work, threads, sizes):
    monkeypatch.setattr(_batch_split, "_thread_count", lambda: threads)
    chunks = _batch_split.batch_chunks(n, work)
    if sizes is None:
        assert chunks is None
    else:
        assert [c.stop - c.start for c in chunks] == sizes
        assert chunks[0].start == 0 and chunks[-1].stop == n
        assert all(a.stop == b.start for a, b in zip(chunks, chunks[1:]))


def test_batch_chunks_follows_the_callers_numba_setting():
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        assert _batch_split.batch_chunks(64, 1 << 40) is None
    finally:
        numba.set_num_threads(before)


def _blas_threads():
    """Thread counts of the BLAS libraries loaded with NumPy (those numeric's products use)."""
    return [i["num_threads"] for i in _batch_split._controller.info() if i["user_api"] == "blas"]


def test_run_chunks_limits_blas_to_one_thread_and_restores_it():
    before = _blas_threads()
    assert before  # NumPy's BLAS is found
    seen = _batch_split.run_chunks(lambda s: (_blas_threads(), threading.get_ident()), [slice(0, 1), slice(1, 2)])
    assert all(t == [1] * len(before) for t, _ in seen)
    assert seen[0][1] == threading.get_ident() != seen[1][1]
    assert _blas_threads() == before


def test_run_chunks_waits_for_every_chunk_then_raises():
    done = []

    def work(s):
        if s.start == 0:
            raise RuntimeError("chunk 0 failed")
        done.append(s.start)
        return s.start

    before = _blas_threads()
    with pytest.raises(RuntimeError, match="chunk 0 failed"):
        _batch_split.run_chunks(work, [slice(0, 1), slice(1, 2), slice(2, 3)])
    assert sorted(done) == [1, 2]
    assert _blas_threads() == before


CASES = [
    # id, x shape, C_out, kernel, stride, padding, groups
    ("im2col-k5", (5, 3, 9, 9), 4, 5, 1, 0, 1),
    ("im2col-strided-padded", (4, 4, 11, 10), 6, 3, 2, 1, 1),
    ("im2col-grouped", (3, 4, 8, 8), 6, 3, 1, 1, 2),
    ("winograd", (3, 48, 7, 6), 48, 3, 1, 1, 1),
]


@pytest.fixture(params=[2, 3], ids=["2-chunks", "3-chunks"])
def chunked(request, monkeypatch):
    """A switch between the serial path and ``request.param`` concurrent chunks for every size."""
    calls = []

    def counted(fn, chunks):
        calls.append(len(chunks))
        return _batch_split.run_chunks(fn, chunks)

    monkeypatch.setattr(_conv_engine, "run_chunks", counted)

    def use(split: bool):
        monkeypatch.setattr(_batch_split, "_thread_count", lambda: request.param)
        monkeypatch.setattr(_batch_split, "SPLIT_MIN_WORK", 0 if split else 1 << 62)
        return calls
    return use


@pytest.mark.parametrize("shape, c_out, k, s, p, g", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_chunked_convolution_matches_serial(chunked, shape, c_out, k, s, p, g):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape)
    w = rng.standard_normal((c_out, shape[1] // g, k, k))
    b = rng.standard_normal(c_out)
    results = {}
    for split in (False, True):
        calls = chunked(split)
        y = numeric.conv2d(x, w, b, stride=s, padding=p, groups=g)
        grads = numeric.conv2d_backward(np.cos(y), x, w, stride=s, padding=p, groups=g)
        # the transposed convolution reuses grad_input / forward / grad_weight with the roles exchanged
        yt = numeric.conv_transpose2d(y, w, stride=s, padding=p, groups=g)
        tgrads = numeric.conv_transpose2d_backward(np.sin(yt), y, w, stride=s, padding=p, groups=g)
        results[split] = (y, *grads, yt, *tgrads)
        # conv2d, its backward, the transposed forward and its backward (input and weight gradients)
        assert len(calls) == (5 if split else 0)
    for serial, split in zip(results[False], results[True]):
        assert serial.shape == split.shape
        npt.assert_allclose(split, serial, rtol=1e-12, atol=1e-12)
