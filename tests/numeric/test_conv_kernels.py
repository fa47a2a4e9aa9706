"""The fast convolutions agree with the slow NumPy references, on random valid configurations.

The Hypothesis strategies here (``conv_cases``, ``conv_transpose_cases``) are
reused by the finite-difference and PyTorch tests of the same folder.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import numeric
import numeric.reference as ref

PAD_KINDS = ("int", "per-dim", "per-side", "same", "valid")
PADDING_MODES = ("zeros", "circular", "reflect", "replicate")


def _arrays(seed, x_shape, w_shape, n_bias, dtype):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(n_bias).astype(dtype)
    return x, w, b


def _padding_value(kind, nd, lo, hi):
    """The user-facing ``padding`` for per-dimension amounts ``lo``/``hi`` of the given kind."""
    if kind == "int":
        return lo[0]
    if kind == "per-dim":
        return tuple(lo)
    if nd == 1:
        return (lo[0], hi[0])
    return tuple(zip(lo, hi))


@st.composite
def conv_cases(draw, nd: int, dtype=np.float64, max_side: int = 8):
    """A valid convolution call: ``(x, w, b, kwargs)`` with every padding form, groups, dilation, mode."""
    depthwise = draw(st.booleans())
    groups = draw(st.integers(1, 4 if depthwise else 3))
    c_g = 1 if depthwise else draw(st.integers(1, 3))
    o_g = 1 if depthwise else draw(st.integers(1, 3))
    k = [draw(st.integers(1, 3)) for _ in range(nd)]
    s = [draw(st.integers(1, 3)) for _ in range(nd)]
    d = [draw(st.integers(1, 3)) for _ in range(nd)]
    kind = draw(st.sampled_from(PAD_KINDS))
    lo = [draw(st.integers(0, 3)) for _ in range(nd)]
    if kind == "int":
        lo = [lo[0]] * nd
    hi = [draw(st.integers(0, 3)) for _ in range(nd)] if kind == "per-side" else list(lo)
    if kind in ("same", "valid"):
        lo = hi = [0] * nd
    mode = draw(st.sampled_from(PADDING_MODES))
    sizes = []
    for i in range(nd):  # smallest size with an output of at least one pixel
        need = 1 if kind == "same" else max(1, d[i] * (k[i] - 1) + 1 - lo[i] - hi[i])
        # padding that copies pixels needs enough of them: circular wraps at most once (pad <= size),
        # reflect does not repeat the edge (pad < size); 'same' pads at most ⌈d·(k−1)/2⌉ per side
        pad = -(-d[i] * (k[i] - 1) // 2) if kind == "same" else max(lo[i], hi[i])
        need = max(need, pad + (mode == "reflect")) if mode in ("circular", "reflect") else need
        sizes.append(draw(st.integers(need, need + max_side - 1)))
    padding = kind if kind in ("same", "valid") else _padding_value(kind, nd, lo, hi)
    if kind == "same" and draw(st.booleans()):
        padding = "SAME"  # any case, as derive.layers
    n = draw(st.integers(1, 2))
    x, w, b = _arrays(draw(st.integers(0, 2**32 - 1)), (n, c_g * groups, *sizes), (o_g * groups, c_g, *k),
                      o_g * groups, dtype)
    kwargs = dict(stride=tuple(s), padding=padding, dilation=tuple(d), groups=groups, padding_mode=mode)
    return x, w, b, kwargs


@st.composite
def conv_transpose_cases(draw, nd: int, dtype=np.float64):
    """A valid transposed-convolution call ``(x, w, b, kwargs)``, output_padding included."""
    depthwise = draw(st.booleans())
    groups = draw(st.integers(1, 4 if depthwise else 3))
    c_g = 1 if depthwise else draw(st.integers(1, 3))
    o_g = 1 if depthwise else draw(st.integers(1, 3))
    sizes, k, s, d, p, op = [], [], [], [], [], []
    for _ in range(nd):
        sizes.append(draw(st.integers(1, 5)))
        k.append(draw(st.integers(1, 3)))
        s.append(draw(st.integers(1, 3)))
        d.append(draw(st.integers(1, 3)))
        op.append(draw(st.integers(0, max(s[-1], d[-1]) - 1)))
        full = (sizes[-1] - 1) * s[-1] + d[-1] * (k[-1] - 1) + op[-1]  # output size − 1 before cropping
        p.append(draw(st.integers(0, full // 2)))
    n = draw(st.integers(1, 2))
    x, w, b = _arrays(draw(st.integers(0, 2**32 - 1)), (n, c_g * groups, *sizes), (c_g * groups, o_g, *k),
                      o_g * groups, dtype)
    kwargs = dict(stride=tuple(s), padding=tuple(p), output_padding=tuple(op), groups=groups, dilation=tuple(d))
    return x, w, b, kwargs


CONV = {1: (numeric.conv1d, numeric.conv1d_backward, ref.conv1d_ref, ref.conv1d_backward_ref),
        2: (numeric.conv2d, numeric.conv2d_backward, ref.conv2d_ref, ref.conv2d_backward_ref)}
CONV_T = {1: (numeric.conv_transpose1d, numeric.conv_transpose1d_backward, ref.conv_transpose1d_ref,
              ref.conv_transpose1d_backward_ref),
          2: (numeric.conv_transpose2d, numeric.conv_transpose2d_backward, ref.conv_transpose2d_ref,
              ref.conv_transpose2d_backward_ref)}


def _check_against_reference(table, case, rtol):
    fwd, bwd, fwd_ref, bwd_ref = table
    x, w, b, kw = case
    y = fwd(x, w, b, **kw)
    y_ref = fwd_ref(x, w, b, **kw)
    assert y.dtype == x.dtype and y.shape == y_ref.shape
    np.testing.assert_allclose(y, y_ref, rtol=rtol, atol=rtol)
    go = np.random.default_rng(1).standard_normal(y.shape).astype(x.dtype)
    for got, want, name in zip(bwd(go, x, w, **kw), bwd_ref(go, x, w, **kw), ("grad_input", "grad_weight",
                                                                             "grad_bias")):
        assert got.shape == want.shape and got.dtype == x.dtype, name
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol, err_msg=name)


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(data=st.data())
def test_conv_matches_reference(nd, data):
    _check_against_reference(CONV[nd], data.draw(conv_cases(nd)), 1e-10)


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(data=st.data())
def test_conv_transpose_matches_reference(nd, data):
    _check_against_reference(CONV_T[nd], data.draw(conv_transpose_cases(nd)), 1e-10)


@given(case=conv_cases(2, dtype=np.float32))
def test_conv2d_float32_matches_reference(case):
    _check_against_reference(CONV[2], case, 2e-4)


@given(case=conv_transpose_cases(2, dtype=np.float32))
def test_conv_transpose2d_float32_matches_reference(case):
    _check_against_reference(CONV_T[2], case, 2e-4)


SHAPE_TABLE = [
    # id, x shape, w shape, kwargs, expected output shape
    ("lenet-conv1", (2, 1, 28, 28), (6, 1, 5, 5), {}, (2, 6, 24, 24)),
    ("stem-7x7-s2-p3", (1, 3, 32, 32), (8, 3, 7, 7), dict(stride=2, padding=3), (1, 8, 16, 16)),
    ("same-s1-even-kernel", (1, 1, 6, 6), (1, 1, 4, 4), dict(padding="same"), (1, 1, 6, 6)),
    ("same-s2-odd-size", (1, 1, 7, 8), (1, 1, 3, 3), dict(padding="same", stride=2), (1, 1, 4, 4)),
    ("valid-dilated", (1, 2, 9, 9), (4, 2, 3, 3), dict(padding="valid", dilation=3), (1, 4, 3, 3)),
    ("per-side", (1, 1, 5, 5), (1, 1, 3, 3), dict(padding=((0, 2), (1, 0))), (1, 1, 5, 4)),
    ("depthwise", (2, 4, 6, 6), (4, 1, 3, 3), dict(groups=4, padding=1), (2, 4, 6, 6)),
    ("depthwise-multiplier", (2, 4, 6, 6), (8, 1, 3, 3), dict(groups=4), (2, 8, 4, 4)),
]


@pytest.mark.parametrize("x_shape, w_shape, kwargs, expected", [r[1:] for r in SHAPE_TABLE],
                         ids=[r[0] for r in SHAPE_TABLE])
def test_conv2d_shapes_and_values(x_shape, w_shape, kwargs, expected):
    x, w, b = _arrays(0, x_shape, w_shape, w_shape[0], np.float64)
    y = numeric.conv2d(x, w, b, **kwargs)
    assert y.shape == expected
    np.testing.assert_allclose(y, ref.conv2d_ref(x, w, b, **kwargs), rtol=1e-12, atol=1e-12)


def test_same_padding_puts_the_odd_pixel_at_the_end():
    """TensorFlow's rule: for H=8, k=3, s=2 the total padding is 1, all of it after the image."""
    x = np.zeros((1, 1, 1, 8))
    x[0, 0, 0, -1] = 1.0  # only the last pixel is non-zero
    y = numeric.conv2d(x, np.ones((1, 1, 1, 3)), stride=(1, 2), padding="same")
    # outputs read columns [0..2], [2..4], [4..6], [6..8] with column 8 the padding
    np.testing.assert_array_equal(y[0, 0, 0], [0.0, 0.0, 0.0, 1.0])


def test_circular_padding_wraps_around():
    x = np.arange(4.0).reshape(1, 1, 4)
    y = numeric.conv1d(x, np.array([[[1.0, 0.0, 0.0]]]), padding=1, padding_mode="circular")
    np.testing.assert_array_equal(y[0, 0], [3.0, 0.0, 1.0, 2.0])


def test_non_contiguous_and_list_inputs_are_accepted():
    x = np.random.default_rng(0).standard_normal((2, 3, 8, 8))[:, :, ::2, ::2]
    w = np.ones((2, 3, 2, 2)).tolist()
    np.testing.assert_allclose(numeric.conv2d(x, w), ref.conv2d_ref(np.ascontiguousarray(x), np.asarray(w)))


def test_repeated_calls_with_different_shapes_do_not_share_results():
    """The reusable scratch buffer must never leak one call's columns into another's result."""
    x1, w1, _ = _arrays(0, (2, 3, 9, 9), (4, 3, 3, 3), 4, np.float64)
    x2, w2, _ = _arrays(1, (1, 2, 5, 5), (3, 2, 2, 2), 3, np.float64)
    y1 = numeric.conv2d(x1, w1)
    y2 = numeric.conv2d(x2, w2)
    np.testing.assert_allclose(y1, ref.conv2d_ref(x1, w1), rtol=1e-12)
    np.testing.assert_allclose(y2, ref.conv2d_ref(x2, w2), rtol=1e-12)
    np.testing.assert_allclose(numeric.conv2d(x1, w1), y1, rtol=0, atol=0)


@given(n=st.integers(1, 2), c=st.integers(1, 3), h=st.integers(1, 12), w=st.integers(1, 12),
       kh=st.integers(1, 4), kw=st.integers(1, 4), sh=st.integers(1, 3), sw=st.integers(2, 4),
       dh=st.integers(1, 2), dw=st.integers(1, 3), ph=st.integers(0, 3), pw=st.integers(0, 3),
       seed=st.integers(0, 2**32 - 1))
def test_unfolding_from_column_phases_equals_the_strided_unfolding(n, c, h, w, kh, kw, sh, sw, dh, dw, ph, pw, seed):
    """im2col2d_phases on column_phases(x) copies exactly what im2col2d gathers with a horizontal stride."""
    from numeric._conv_im2col import column_phases, im2col2d, im2col2d_phases

    ho, wo = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if ho < 1 or wo < 1:
        return
    x = np.random.default_rng(seed).standard_normal((n, c, h, w))
    want, got = np.full((2, c * kh * kw, n, ho * wo), np.nan)
    im2col2d(x, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, False, want)
    im2col2d_phases(column_phases(x, sw), kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, got)
    np.testing.assert_array_equal(got, want)
