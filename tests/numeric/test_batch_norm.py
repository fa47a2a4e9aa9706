"""batch_norm (training mode) and its backward: PyTorch agreement, finite differences, bad input."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import numeric
from tests.helpers import requires_torch
from tests.numeric.test_pool_gradients import directional_check
from tests.numeric.test_pool_torch import rel_err


@st.composite
def bn_problems(draw):
    n = draw(st.integers(1, 4))
    c = draw(st.integers(1, 4))
    spatial = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=2)))
    if n * int(np.prod(spatial)) < 2:
        n = 2
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.standard_normal((n, c, *spatial)) * draw(st.sampled_from([0.1, 1.0, 10.0])) + 3.0
    w = rng.standard_normal(c) if draw(st.booleans()) else None
    b = rng.standard_normal(c) if draw(st.booleans()) else None
    eps = draw(st.sampled_from([1e-5, 1e-3, 0.5]))
    return x, w, b, eps, rng.standard_normal(x.shape)


@requires_torch
@given(problem=bn_problems())
def test_batch_norm_vs_torch(problem):
    import torch
    import torch.nn.functional as F

    x, w, b, eps, g = problem
    c = x.shape[1]
    xt = torch.from_numpy(x).requires_grad_()
    wt = torch.from_numpy(np.ones(c) if w is None else w).requires_grad_()
    bt = torch.from_numpy(np.zeros(c) if b is None else b).requires_grad_()
    yt = F.batch_norm(xt, None, None, wt, bt, training=True, eps=eps)
    yt.backward(torch.from_numpy(g))
    y, mean, var = numeric.batch_norm(x, w, b, eps, return_stats=True)
    assert rel_err(y, yt.detach().numpy()) < 1e-8
    axes = (0, *range(2, x.ndim))
    assert rel_err(mean, x.mean(axis=axes)) < 1e-12 and rel_err(var, x.var(axis=axes)) < 1e-12  # biased variance
    gx, gw, gb = numeric.batch_norm_backward(g, x, w, eps)
    assert rel_err(gx, xt.grad.numpy()) < 1e-8
    assert rel_err(gw, wt.grad.numpy()) < 1e-8
    assert rel_err(gb, bt.grad.numpy()) < 1e-8


@given(problem=bn_problems(), seed=st.integers(0, 2**16))
def test_batch_norm_backward_is_the_gradient(problem, seed):
    x, w, b, eps, g = problem
    c = x.shape[1]
    w = np.ones(c) if w is None else w
    b = np.zeros(c) if b is None else b
    rng = np.random.default_rng(seed)
    gx, gw, gb = numeric.batch_norm_backward(g, x, w, eps)
    directional_check(lambda z: float(np.sum(g * numeric.batch_norm(z, w, b, eps))), gx, x, rng)
    directional_check(lambda z: float(np.sum(g * numeric.batch_norm(x, z, b, eps))), gw, w, rng)
    directional_check(lambda z: float(np.sum(g * numeric.batch_norm(x, w, z, eps))), gb, b, rng)


def test_batch_norm_output_is_normalised_and_keeps_float32():
    x = (np.random.default_rng(0).standard_normal((8, 3, 5, 5)) * 4 + 7).astype(np.float32)
    y = numeric.batch_norm(x, eps=0.0)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, rtol=1e-5)
    assert all(a.dtype == np.float32 for a in numeric.batch_norm_backward(np.ones_like(x), x))


X = np.ones((2, 3, 4))
BAD = [
    ("one value per channel", lambda: numeric.batch_norm(np.ones((1, 3))), ValueError,
     "training mode needs more than 1 value per channel, got M = N·(spatial) = 1·1 = 1"),
    ("rank 1", lambda: numeric.batch_norm(np.ones(5)), ValueError, "x must have at least 2 dimensions (N, C, *), got shape (5,)"),
    ("weight of wrong length", lambda: numeric.batch_norm(X, np.ones(4)), ValueError,
     "weight must have shape (3,) (one value per channel), got (4,)"),
    ("bias of other dtype", lambda: numeric.batch_norm(X, None, np.ones(3, np.float32)), TypeError,
     "dtypes differ: x is float64, bias is float32"),
    ("negative eps", lambda: numeric.batch_norm(X, eps=-1e-5), ValueError, "eps must be finite and >= 0, got -1e-05"),
    ("NaN eps", lambda: numeric.batch_norm_backward(X, X, eps=float("nan")), ValueError, "eps must be finite and >= 0, got nan"),
    ("integer x", lambda: numeric.batch_norm(np.ones((2, 3), int)), TypeError, "x must be float32 or float64, got int64"),
    ("grad of wrong shape", lambda: numeric.batch_norm_backward(np.ones((2, 3)), X), ValueError,
     "grad_output must have the forward output's shape (2, 3, 4), got (2, 3)"),
]


@pytest.mark.parametrize("call, exc, fragment", [pytest.param(c, e, m, id=i) for i, c, e, m in BAD])
def test_bad_batch_norm_input(call, exc, fragment):
    with pytest.raises(exc, match=re.escape(fragment)):
        call()
