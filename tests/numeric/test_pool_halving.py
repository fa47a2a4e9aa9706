"""The 2×2 / stride-2 max-pooling kernels against the general ones (ties, NaN, -inf, odd sizes) and PyTorch."""

from __future__ import annotations

import numpy as np
import numpy.testing as npt
from hypothesis import given, settings
from hypothesis import strategies as st

import numeric
from numeric._pool_halving import halving_applies
from numeric._pool_kernels import _max_pool_backward_pass, _max_pool_pass
from tests.helpers import requires_torch

VALUES = [0.0, 1.0, -1.0, 2.0, -np.inf, np.inf, np.nan]  # few values: many ties, NaNs and infinities


@st.composite
def planes(draw):
    p, h, w = draw(st.integers(1, 3)), draw(st.integers(2, 7)), draw(st.integers(2, 7))
    x = np.array(draw(st.lists(st.sampled_from(VALUES), min_size=p * h * w, max_size=p * h * w))).reshape(p, h, w)
    g = np.arange(1.0, 1.0 + p * (h // 2) * (w // 2)).reshape(p, h // 2, w // 2)
    return x, g


@settings(max_examples=80, deadline=None)
@given(planes())
def test_halving_kernels_match_the_general_ones(xg):
    x, g = xg
    assert halving_applies(2, 2, 2, 2, 0, 0, 1, 1, x.shape[1:], g.shape[1:])
    want_y, idx = np.empty(g.shape), np.empty(g.shape, np.int64)
    _max_pool_pass(x, 2, 2, 0, 1, 2, 2, 0, 1, want_y, idx, True, 0, x.shape[0])
    want_gx = np.empty_like(x)
    _max_pool_backward_pass(g, x, 2, 2, 2, 2, 0, 0, 1, 1, want_gx, 0, x.shape[0])
    got_y = numeric.max_pool2d(x[None], 2)[0]
    got_gx = numeric.max_pool2d_backward(g[None], x[None], 2)[0]
    npt.assert_array_equal(got_y, want_y)  # NaN where NaN
    npt.assert_array_equal(got_gx, want_gx)


def test_other_windows_keep_the_general_kernel():
    assert not halving_applies(2, 2, 2, 2, 1, 1, 1, 1, (8, 8), (5, 5))  # padded
    assert not halving_applies(3, 3, 2, 2, 0, 0, 1, 1, (8, 8), (3, 3))  # 3×3
    assert not halving_applies(2, 2, 2, 2, 0, 0, 1, 1, (7, 7), (4, 4))  # ceil mode: a window past the edge


@requires_torch
@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_halving_matches_pytorch(seed, ceil):
    import torch

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 3, int(rng.integers(2, 12)), int(rng.integers(2, 12))))
    y = numeric.max_pool2d(x, 2, ceil_mode=ceil)
    go = rng.standard_normal(y.shape)
    xt = torch.tensor(x, requires_grad=True)
    yt = torch.nn.functional.max_pool2d(xt, 2, ceil_mode=ceil)
    (gt,) = torch.autograd.grad(yt, xt, torch.from_numpy(go))
    npt.assert_array_equal(y, yt.detach().numpy())
    npt.assert_array_equal(numeric.max_pool2d_backward(go, x, 2, ceil_mode=ceil), gt.numpy())
