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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import numeric
from numeric import _batch_split, _conv_engine, _threads
from numeric import _conv_winograd as winograd
from numeric._conv_geometry import conv_geometry
from tests.numeric.test_threads import blas_two  # noqa: F401  (a fixture)


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


def test_run_chunks_runs_blas_on_one_thread_until_a_large_call(blas_two):
    assert _blas_threads() == [2]  # NumPy's BLAS is found
    seen = _batch_split.run_chunks(lambda s: (_blas_threads(), threading.get_ident()), [slice(0, 1), slice(1, 2)])
    assert all(t == [1] for t, _ in seen)
    assert seen[0][1] == threading.get_ident() != seen[1][1]
    assert _blas_threads() == [1]  # sticky (numeric._threads): no wake-up of idle workers per call
    with _threads.serial_below(_threads.PARALLEL_MIN_WORK):
        assert _blas_threads() == [2]  # a large call gets the count numeric found


def test_run_chunks_waits_for_every_chunk_then_raises(blas_two):
    done = []

    def work(s):
        if s.start == 0:
            raise RuntimeError("chunk 0 failed")
        done.append(s.start)
        return s.start

    with pytest.raises(RuntimeError, match="chunk 0 failed"):
        _batch_split.run_chunks(work, [slice(0, 1), slice(1, 2), slice(2, 3)])
    assert sorted(done) == [1, 2]
    with _threads.serial_below(_threads.PARALLEL_MIN_WORK):
        assert _blas_threads() == [2]


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
        calls.clear()
        monkeypatch.setattr(_batch_split, "_thread_count", lambda: request.param)
        monkeypatch.setattr(_batch_split, "SPLIT_MIN_WORK", 0 if split else 1 << 62)
        return calls
    return use


# --- Error bounds -------------------------------------------------------------------------------
# Both paths compute the same sums of products; only the order in which BLAS adds the terms of a
# matrix product differs (it blocks the product by its size, and a chunk is a smaller product),
# the unfolding, the tile transforms and the folding being the same operations on the same numbers.
# A sum of m terms computed in any order is within γ_m·Σ|terms| of the exact sum (Higham,
# "Accuracy and Stability of Numerical Algorithms", §3.1, γ_m = m·u/(1 − m·u), u the unit
# roundoff), so the two results differ by at most 2·γ_m·S, S the sum of the |terms| that the path
# adds up:
# * im2col: the same operation on |inputs| (the product of absolute values);
# * Winograd F(2×2, 3×3): the matrix products act on the transformed tiles U = G w Gᵀ and
#   V = Bᵀ d B, and the output transform Aᵀ M A is applied after them, so S is the Winograd
#   computation with every matrix and every input replaced by its absolute value.

A_T = np.array([[1.0, 1.0, 1.0, 0.0], [0.0, 1.0, -1.0, -1.0]])
B_T = np.array([[1.0, 0.0, -1.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, -1.0, 1.0, 0.0], [0.0, 1.0, 0.0, -1.0]])


def _gamma(m: int, dtype) -> float:
    u = np.finfo(dtype).eps / 2
    return m * u / (1 - m * u)


def _abs_tiles(x, offset, th, tw):
    """``|x|`` in the 4×4 tiles that start at ``(2a + off_h, 2b + off_w)``, zero outside: (N, C, th, tw, 4, 4)."""
    n, c, h, w = x.shape
    z = np.zeros((n, c, 2 * th + 2, 2 * tw + 2))
    rows = np.arange(2 * th + 2) + offset[0]
    cols = np.arange(2 * tw + 2) + offset[1]
    r_ok, c_ok = (rows >= 0) & (rows < h), (cols >= 0) & (cols < w)
    z[:, :, np.flatnonzero(r_ok)[:, None], np.flatnonzero(c_ok)] = np.abs(x)[:, :, rows[r_ok][:, None], cols[c_ok]]
    return np.lib.stride_tricks.sliding_window_view(z, (4, 4), axis=(2, 3))[:, :, ::2, ::2]


def _winograd_correlation_bound(x, w, offset, out_hw):
    """S of ``y = Aᵀ[(G w Gᵀ) ⊙ (Bᵀ d B)]A`` summed over channels, in absolute values."""
    th, tw = -(-out_hw[0] // 2), -(-out_hw[1] // 2)
    g, b_t, a_t = np.abs(winograd.G), np.abs(B_T), np.abs(A_T)
    v = np.einsum("ia,nchwab,jb->nchwij", b_t, _abs_tiles(x, offset, th, tw), b_t)
    u = np.einsum("ip,ocpq,jq->ocij", g, np.abs(w), g)
    m = np.einsum("ocij,nchwij->nohwij", u, v)
    y = np.einsum("ai,nohwij,bj->nohawb", a_t, m, a_t)
    n, o = y.shape[:2]
    return y.reshape(n, o, 2 * th, 2 * tw)[:, :, :out_hw[0], :out_hw[1]]


def _flipped(w):
    return w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)


def _winograd_weight_bound(go, x, pad):
    """S of ``∂L/∂W = Gᵀ [Σ_tiles (A γ Aᵀ) ⊙ (Bᵀ d B)] G``, in absolute values."""
    n, o, ho, wo = go.shape
    th, tw = -(-ho // 2), -(-wo // 2)
    gp = np.zeros((n, o, 2 * th, 2 * tw))
    gp[:, :, :ho, :wo] = np.abs(go)
    gam = gp.reshape(n, o, th, 2, tw, 2).transpose(0, 1, 2, 4, 3, 5)
    g, b_t, a_t = np.abs(winograd.G), np.abs(B_T), np.abs(A_T)
    dm = np.einsum("ai,nohwab,bj->nohwij", a_t, gam, a_t)
    v = np.einsum("ia,nchwab,jb->nchwij", b_t, _abs_tiles(x, (-pad, -pad), th, tw), b_t)
    return np.einsum("ip,ocij,jq->ocpq", g, np.einsum("nohwij,nchwij->ocij", dm, v), g)


def _bounds(x, w, b, go, xt, got, s, p, g):
    """S for each result of :func:`_results`, in the same order."""
    if winograd.winograd_applies(conv_geometry("conv2d", 2, x, w, None, s, p, 1, g, "zeros")[4], g, w.shape):
        in_hw, out_hw = x.shape[2:], go.shape[2:]
        y = _winograd_correlation_bound(x, w, (-p, -p), out_hw) + np.abs(b).reshape(1, -1, 1, 1)
        gx = _winograd_correlation_bound(go, _flipped(w), (p - 2, p - 2), in_hw)
        gw = _winograd_weight_bound(go, x, p)
        yt = _winograd_correlation_bound(xt, _flipped(w), (p - 2, p - 2), in_hw)
        tgx = _winograd_correlation_bound(got, w, (-p, -p), out_hw)
        tgw = _winograd_weight_bound(xt, got, p)  # roles exchanged: the input is the convolution's output
        gb, tgb = np.abs(go).sum(axis=(0, 2, 3)), np.abs(got).sum(axis=(0, 2, 3))
        return y, gx, gw, gb, yt, tgx, tgw, tgb
    return _results(np.abs(x), np.abs(w), np.abs(b), np.abs(go), np.abs(xt), np.abs(got), s, p, g)


def _results(x, w, b, go, xt, got, s, p, g):
    """conv2d, its backward, the transposed convolution and its backward, on fixed inputs."""
    y = numeric.conv2d(x, w, b, stride=s, padding=p, groups=g)
    grads = numeric.conv2d_backward(go, x, w, stride=s, padding=p, groups=g)
    # the transposed convolution reuses grad_input / forward / grad_weight with the roles exchanged
    yt = numeric.conv_transpose2d(xt, w, stride=s, padding=p, groups=g)
    tgrads = numeric.conv_transpose2d_backward(got, xt, w, stride=s, padding=p, groups=g)
    return (y, *grads, yt, *tgrads)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
@pytest.mark.parametrize("shape, c_out, k, s, p, g", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_chunked_convolution_matches_serial(chunked, shape, c_out, k, s, p, g, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    w = rng.standard_normal((c_out, shape[1] // g, k, k))
    b = rng.standard_normal(c_out)
    y_shape = numeric.conv2d(x, w, stride=s, padding=p, groups=g).shape
    go, xt = rng.standard_normal(y_shape), rng.standard_normal(y_shape)
    got = rng.standard_normal(numeric.conv_transpose2d(xt, w, stride=s, padding=p, groups=g).shape)
    results = {}
    for split in (False, True):
        calls = chunked(split)
        results[split] = _results(x, w, b, go, xt, got, s, p, g)
        # conv2d, its backward, the transposed forward and its backward (input and weight gradients in one
        # chunked call: engine.forward_and_grad_weight)
        assert len(calls) == (4 if split else 0)
    # the longest sum: a window of all input channels, the output channels, or all positions of a batch
    m = max(shape[1] // g * k * k, c_out // g, shape[0] * y_shape[2] * y_shape[3], got.shape[0] * got.shape[2] * got.shape[3])
    tol = 2 * _gamma(m, x.dtype)
    for serial, split, bound in zip(results[False], results[True], _bounds(x, w, b, go, xt, got, s, p, g),
                                    strict=True):
        assert serial.shape == split.shape == bound.shape
        assert np.all(np.abs(split - serial) <= tol * bound * (1 + tol))
