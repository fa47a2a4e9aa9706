"""Pooling kernels (numeric.pooling) against the slow loops of numeric.reference_pool.

Hypothesis draws valid configurations (kernel, stride, padding <= k // 2,
dilation for max, ceil_mode, count_include_pad, divisor_override) and small
inputs; both 1-D and 2-D, forward and backward, float64 and float32.
"""

from __future__ import annotations

import numpy as np
import numpy.testing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

import numeric
from numeric import reference_pool as ref

# ------------------------------------------------------------------------------------------ strategies


@st.composite
def pool_configs(draw, *, nd, dilation=True, max_extra=6):
    """A valid pooling configuration and input shape (ceil_mode may or may not add a window)."""
    k = tuple(draw(st.integers(1, 4)) for _ in range(nd))
    s = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    p = tuple(draw(st.integers(0, ki // 2)) for ki in k)
    d = tuple(draw(st.integers(1, 3)) for _ in range(nd)) if dilation else (1,) * nd
    ceil_mode = draw(st.booleans())
    # smallest size with at least one full window: d(k-1) + 1 - 2p
    sizes = tuple(max(1, di * (ki - 1) + 1 - 2 * pi) + draw(st.integers(0, max_extra)) for ki, pi, di in zip(k, p, d))
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    return dict(shape=(n, c, *sizes), kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil_mode)


def _unwrap(cfg):
    """1-D functions take ints; 2-D ones take pairs."""
    return {k: (v[0] if isinstance(v, tuple) and len(cfg["shape"]) == 3 else v) for k, v in cfg.items() if k != "shape"}


def random_input(shape, dtype, seed):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


DTYPES = st.sampled_from([np.float64, np.float32])
SEEDS = st.integers(0, 2**16)


def _tol(dtype):
    return dict(rtol=1e-12, atol=1e-12) if dtype == np.float64 else dict(rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------------------- max


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(data=st.data(), dtype=DTYPES, seed=SEEDS, ties=st.booleans())
def test_max_pool_matches_reference(nd, data, dtype, seed, ties):
    cfg = data.draw(pool_configs(nd=nd))
    x = random_input(cfg["shape"], dtype, seed)
    if ties:  # small integers: many ties, which must go to the first maximum in row-major order
        x = np.round(x).astype(dtype)
    kw = _unwrap(cfg)
    fwd, fwd_ref = (numeric.max_pool1d, ref.max_pool1d_ref) if nd == 1 else (numeric.max_pool2d, ref.max_pool2d_ref)
    bwd, bwd_ref = (
        (numeric.max_pool1d_backward, ref.max_pool1d_backward_ref)
        if nd == 1
        else (numeric.max_pool2d_backward, ref.max_pool2d_backward_ref)
    )
    y, idx = fwd(x, **kw, return_indices=True)
    y_ref, idx_ref = fwd_ref(x, **kw)
    assert y.dtype == x.dtype and y.shape == y_ref.shape
    npt.assert_array_equal(y, y_ref)
    npt.assert_array_equal(idx, idx_ref)
    npt.assert_array_equal(fwd(x, **kw), y)
    g = random_input(y.shape, dtype, seed + 1)
    gx = bwd(g, x, **kw)
    assert gx.dtype == x.dtype and gx.shape == x.shape
    npt.assert_allclose(gx, bwd_ref(g, x, **kw), **_tol(dtype))


def test_max_pool_nan_wins_and_padding_never_wins():
    x = np.array([[[-5.0, np.nan, -7.0, np.nan, -1.0]]])
    y, idx = numeric.max_pool1d(x, 3, stride=1, padding=1, return_indices=True)
    y_ref, idx_ref = ref.max_pool1d_ref(x, 3, stride=1, padding=1)
    npt.assert_array_equal(idx, idx_ref)
    npt.assert_array_equal(y, y_ref)
    assert np.isnan(y[0, 0, :4]).all() and idx[0, 0, 2] == 3  # the last NaN of the window (PyTorch's rule)
    npt.assert_array_equal(numeric.max_pool1d(x, 3, stride=1, padding=1), y)  # values-only path: same NaNs
    neg = -np.ones((1, 1, 3, 3)) * 10
    assert numeric.max_pool2d(neg, 3, stride=1, padding=1).max() == -10  # padding is not a zero


@pytest.mark.parametrize("return_indices", [True, False], ids=["indices", "values"])
def test_max_pool_windows_of_minus_inf_pick_the_first_real_element(return_indices):
    x = np.full((1, 2, 4, 5), -np.inf)
    x[0, 1, 3, 4] = 2.0
    out = numeric.max_pool2d(x, 3, stride=2, padding=1, return_indices=True)
    y_ref, idx_ref = ref.max_pool2d_ref(x, 3, stride=2, padding=1)
    npt.assert_array_equal(out[0], y_ref)
    npt.assert_array_equal(out[1], idx_ref)
    assert idx_ref[0, 0, 0, 0] == 0 and idx_ref[0, 0, 1, 2] == 5 + 3  # first real tap, not the padding
    if not return_indices:
        npt.assert_array_equal(numeric.max_pool2d(x, 3, stride=2, padding=1), y_ref)
    g = np.ones_like(y_ref)
    npt.assert_array_equal(numeric.max_pool2d_backward(g, x, 3, 2, 1), ref.max_pool2d_backward_ref(g, x, 3, 2, 1))


def test_max_pool_all_padding_window_gives_minus_inf_and_no_gradient():
    # L=1, k=2, p=1, d=2: the single window's taps are at -1 and 1, both outside the input
    x = np.array([[[3.0]]])
    y, idx = numeric.max_pool1d(x, 2, stride=1, padding=1, dilation=2, return_indices=True)
    assert y.shape == (1, 1, 1) and y[0, 0, 0] == -np.inf and idx[0, 0, 0] == -1
    npt.assert_array_equal(numeric.max_pool1d_backward(np.ones((1, 1, 1)), x, 2, 1, 1, 2), [[[0.0]]])


# ---------------------------------------------------------------------------------------------- avg


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(
    data=st.data(),
    dtype=DTYPES,
    seed=SEEDS,
    count_include_pad=st.booleans(),
    divisor_override=st.one_of(st.none(), st.integers(1, 7)),
)
def test_avg_pool_matches_reference(nd, data, dtype, seed, count_include_pad, divisor_override):
    cfg = data.draw(pool_configs(nd=nd, dilation=False))
    x = random_input(cfg["shape"], dtype, seed)
    kw = _unwrap(cfg)
    kw.pop("dilation")
    kw.update(count_include_pad=count_include_pad, divisor_override=divisor_override)
    if nd == 1:
        fwd, fwd_ref, bwd, bwd_ref = numeric.avg_pool1d, ref.avg_pool1d_ref, numeric.avg_pool1d_backward, ref.avg_pool1d_backward_ref
    else:
        fwd, fwd_ref, bwd, bwd_ref = numeric.avg_pool2d, ref.avg_pool2d_ref, numeric.avg_pool2d_backward, ref.avg_pool2d_backward_ref
    y = fwd(x, **kw)
    assert y.dtype == x.dtype
    npt.assert_allclose(y, fwd_ref(x, **kw), **_tol(dtype))
    g = random_input(y.shape, dtype, seed + 1)
    gx = bwd(g, x, **kw)
    assert gx.dtype == x.dtype and gx.shape == x.shape
    npt.assert_allclose(gx, bwd_ref(g, x, **kw), **_tol(dtype))


# ----------------------------------------------------------------------------------- ceil-mode table

CEIL_CASES = [  # (L, k, s, p, floor count, ceil count): where ceil_mode adds a window and where it must not
    pytest.param(5, 2, 2, 0, 2, 3, id="L5-k2-s2: ceil adds a partial window"),
    pytest.param(4, 2, 2, 1, 3, 3, id="L4-k2-s2-p1: 4th window would start in the right padding"),
    pytest.param(6, 3, 2, 1, 3, 4, id="L6-k3-s2-p1: adds a window starting inside the input"),
    pytest.param(4, 2, 2, 0, 2, 2, id="L4-k2-s2: exact fit, nothing to add"),
    pytest.param(4, 5, 2, 0, 0, 1, id="L4-k5-s2: kernel > input, ceil gives one clipped window"),
    pytest.param(7, 3, 3, 1, 3, 3, id="L7-k3-s3-p1: last step complete"),
]


@pytest.mark.parametrize("L, k, s, p, n_floor, n_ceil", CEIL_CASES)
def test_ceil_mode_window_count(L, k, s, p, n_floor, n_ceil):
    x = random_input((1, 2, L), np.float64, L)
    for ceil, expected in [(False, n_floor), (True, n_ceil)]:
        assert ref.pool_output_size_ref(L, k, s, p, 1, ceil) == expected
        if expected == 0:
            with pytest.raises(ValueError, match="kernel larger than padded input"):
                numeric.avg_pool1d(x, k, s, p, ceil_mode=ceil)
            continue
        for include in (True, False):
            y = numeric.avg_pool1d(x, k, s, p, ceil_mode=ceil, count_include_pad=include)
            assert y.shape == (1, 2, expected)
            npt.assert_allclose(y, ref.avg_pool1d_ref(x, k, s, p, ceil, include), rtol=1e-13)
        npt.assert_array_equal(numeric.max_pool1d(x, k, s, p, ceil_mode=ceil), ref.max_pool1d_ref(x, k, s, p, 1, ceil)[0])


# ----------------------------------------------------------------------------------------- adaptive


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(data=st.data(), dtype=DTYPES, seed=SEEDS)
def test_adaptive_avg_pool_matches_reference(nd, data, dtype, seed):
    sizes = tuple(data.draw(st.integers(1, 9)) for _ in range(nd))
    out = tuple(data.draw(st.integers(1, 2 * s)) for s in sizes)  # includes output > input (overlapping windows)
    x = random_input((2, 2, *sizes), dtype, seed)
    osz = out[0] if nd == 1 else out
    fwd, fwd_ref, bwd, bwd_ref = (
        (numeric.adaptive_avg_pool1d, ref.adaptive_avg_pool1d_ref, numeric.adaptive_avg_pool1d_backward, ref.adaptive_avg_pool1d_backward_ref)
        if nd == 1
        else (numeric.adaptive_avg_pool2d, ref.adaptive_avg_pool2d_ref, numeric.adaptive_avg_pool2d_backward, ref.adaptive_avg_pool2d_backward_ref)
    )
    y = fwd(x, osz)
    assert y.shape == (2, 2, *out) and y.dtype == x.dtype
    npt.assert_allclose(y, fwd_ref(x, osz), **_tol(dtype))
    g = random_input(y.shape, dtype, seed + 1)
    npt.assert_allclose(bwd(g, x, osz), bwd_ref(g, x, osz), **_tol(dtype))


@given(dtype=DTYPES, seed=SEEDS, h=st.integers(1, 6), w=st.integers(1, 6))
def test_global_avg_pool_matches_reference(dtype, seed, h, w):
    x = random_input((2, 3, h, w), dtype, seed)
    y = numeric.global_avg_pool2d(x)
    assert y.shape == (2, 3, 1, 1) and y.dtype == x.dtype
    npt.assert_allclose(y, ref.global_avg_pool2d_ref(x), **_tol(dtype))
    npt.assert_allclose(y, numeric.adaptive_avg_pool2d(x, 1), **_tol(dtype))
    g = random_input(y.shape, dtype, seed + 1)
    gx = numeric.global_avg_pool2d_backward(g, x)
    assert gx.dtype == x.dtype
    npt.assert_allclose(gx, ref.global_avg_pool2d_backward_ref(g, x), **_tol(dtype))


def test_large_planes_run_in_parallel_and_agree_with_reference():
    """The fast path (many planes, stride 2) agrees with the reference on a plane big enough to vectorise."""
    x = random_input((2, 3, 23, 37), np.float32, 7)
    kw = dict(kernel_size=3, stride=2, padding=1)
    y, idx = numeric.max_pool2d(x, **kw, return_indices=True)
    y_ref, idx_ref = ref.max_pool2d_ref(x, **kw)
    npt.assert_array_equal(y, y_ref)
    npt.assert_array_equal(idx, idx_ref)
    g = random_input(y.shape, np.float32, 8)
    npt.assert_allclose(numeric.max_pool2d_backward(g, x, **kw), ref.max_pool2d_backward_ref(g, x, **kw), rtol=1e-6)


@pytest.mark.parametrize(
    "fn, kwargs",
    [
        pytest.param(numeric.max_pool2d, dict(kernel_size=2, stride=1, dilation=2), id="max"),
        pytest.param(numeric.avg_pool2d, dict(kernel_size=3, padding=1, ceil_mode=True), id="avg"),
        pytest.param(numeric.adaptive_avg_pool2d, dict(output_size=(3, 2)), id="adaptive"),
    ],
)
def test_non_contiguous_input_gives_the_contiguous_result(fn, kwargs):
    base = random_input((3, 4, 11, 14), np.float64, 11)
    view = base.transpose(1, 0, 2, 3)[:, :, ::2, 1::2]  # strided, transposed view
    assert not view.flags.c_contiguous
    npt.assert_array_equal(fn(view, **kwargs), fn(np.ascontiguousarray(view), **kwargs))
