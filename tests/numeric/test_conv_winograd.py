"""The Winograd F(2×2, 3×3) path of 3×3 stride-1 convolutions (numeric._conv_winograd).

The path is taken only for many channels; here the channel threshold is
lowered so that small random configurations go through it, and every result
is compared with the slow loops of numeric.reference (float64, tight) and the
im2col path (float32).
"""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import numpy.testing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

import numeric
import numeric.reference as ref
from numeric import _conv_winograd as winograd
from numeric._conv_geometry import conv_geometry
from tests.helpers import requires_torch


def always_winograd():
    return patch.object(winograd, "MIN_CHANNEL_PRODUCT", 1)


@st.composite
def winograd_cases(draw):
    """A 3×3 stride-1 convolution: small channels, odd and even sizes, symmetric, per-side or 'same' padding."""
    n, c_in, c_out = draw(st.integers(1, 2)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    kind = draw(st.sampled_from(["int", "per-side", "same"]))
    if kind == "int":
        padding = draw(st.integers(0, 4))
        lo = hi = (padding, padding)
    elif kind == "per-side":
        lo = (draw(st.integers(0, 3)), draw(st.integers(0, 3)))
        hi = (draw(st.integers(0, 3)), draw(st.integers(0, 3)))
        padding = ((lo[0], hi[0]), (lo[1], hi[1]))
    else:
        padding, lo, hi = "same", (1, 1), (1, 1)
    h = draw(st.integers(max(1, 3 - lo[0] - hi[0]), 9))
    w = draw(st.integers(max(1, 3 - lo[1] - hi[1]), 9))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal((n, c_in, h, w))
    weight = rng.standard_normal((c_out, c_in, 3, 3))
    bias = rng.standard_normal(c_out) if draw(st.booleans()) else None
    return x, weight, bias, padding


@given(winograd_cases())
def test_forward_and_backward_match_the_reference(case):
    x, weight, bias, padding = case
    with always_winograd():
        y = numeric.conv2d(x, weight, bias, padding=padding)
        go = np.random.default_rng(1).standard_normal(y.shape)
        grads = numeric.conv2d_backward(go, x, weight, padding=padding)
    npt.assert_allclose(y, ref.conv2d_ref(x, weight, bias, padding=padding), rtol=1e-10, atol=1e-10)
    for got, want in zip(grads, ref.conv2d_backward_ref(go, x, weight, padding=padding), strict=True):
        npt.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


@given(st.integers(0, 1), st.integers(2, 7), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_transposed_convolution_matches_the_reference(padding, size, c, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, c, size, size + 1))
    weight = rng.standard_normal((c, 2, 3, 3))
    with always_winograd():
        y = numeric.conv_transpose2d(x, weight, padding=padding)
        go = rng.standard_normal(y.shape)
        grads = numeric.conv_transpose2d_backward(go, x, weight, padding=padding)
    npt.assert_allclose(y, ref.conv_transpose2d_ref(x, weight, padding=padding), rtol=1e-10, atol=1e-10)
    for got, want in zip(grads, ref.conv_transpose2d_backward_ref(go, x, weight, padding=padding), strict=True):
        npt.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


def _geometry(shape, c_out, **kwargs):
    x, w = np.zeros(shape, np.float32), np.zeros((c_out, shape[1] // kwargs.get("groups", 1), 3, 3), np.float32)
    _, _, _, groups, geo = conv_geometry("conv2d", 2, x, w, None, kwargs.get("stride", 1), kwargs.get("padding", 1),
                                         kwargs.get("dilation", 1), groups=kwargs.get("groups", 1),
                                         padding_mode=kwargs.get("padding_mode", "zeros"))
    return geo, groups, w.shape


@pytest.mark.parametrize("shape, c_out, kwargs, expected", [
    ((8, 64, 56, 56), 64, {}, True),
    ((8, 128, 28, 28), 128, {"padding": 0}, True),
    ((8, 16, 28, 28), 16, {}, False),
    ((8, 64, 56, 56), 64, {"stride": 2}, False),
    ((8, 64, 56, 56), 64, {"dilation": 2}, False),
    ((8, 64, 56, 56), 64, {"groups": 2}, False),
    ((8, 64, 56, 56), 64, {"padding_mode": "circular"}, False),
], ids=["resnet-64", "resnet-128-valid", "few-channels", "stride-2", "dilated", "grouped", "circular"])
def test_the_path_is_taken_only_where_it_applies_and_pays(shape, c_out, kwargs, expected):
    geo, groups, w_shape = _geometry(shape, c_out, **kwargs)
    assert winograd.winograd_applies(geo, groups, w_shape) is expected


def test_float32_agrees_with_the_im2col_path():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 64, 11, 10), dtype=np.float32)
    w = rng.standard_normal((64, 64, 3, 3), dtype=np.float32) * 0.1
    go = rng.standard_normal((2, 64, 11, 10), dtype=np.float32)
    fast = numeric.conv2d(x, w, padding=1), *numeric.conv2d_backward(go, x, w, padding=1)
    with patch.object(winograd, "MIN_CHANNEL_PRODUCT", 1 << 62):
        slow = numeric.conv2d(x, w, padding=1), *numeric.conv2d_backward(go, x, w, padding=1)
    for a, b in zip(fast, slow, strict=True):
        assert a.dtype == np.float32
        npt.assert_allclose(a, b, rtol=1e-4, atol=1e-4 * np.abs(b).max())


@requires_torch
def test_matches_pytorch_in_float64():
    import torch

    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 48, 9, 8))
    w = rng.standard_normal((56, 48, 3, 3))
    go = rng.standard_normal((2, 56, 9, 8))
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    yt = torch.nn.functional.conv2d(xt, wt, padding=1)
    gxt, gwt = torch.autograd.grad(yt, (xt, wt), torch.tensor(go))
    geo, groups, w_shape = _geometry(x.shape, 56)
    assert winograd.winograd_applies(geo, groups, w.shape)
    npt.assert_allclose(numeric.conv2d(x, w, padding=1), yt.detach().numpy(), rtol=1e-8, atol=1e-10)
    gx, gw, _ = numeric.conv2d_backward(go, x, w, padding=1)
    npt.assert_allclose(gx, gxt.numpy(), rtol=1e-8, atol=1e-10)
    npt.assert_allclose(gw, gwt.numpy(), rtol=1e-8, atol=1e-10)
