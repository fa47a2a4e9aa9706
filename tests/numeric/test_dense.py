"""linear / linear_backward: PyTorch agreement, finite differences, dtypes and bad input."""

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
def dense_problems(draw):
    lead = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=2)))
    fin, fout = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.standard_normal((*lead, fin))
    w = rng.standard_normal((fout, fin))
    b = rng.standard_normal(fout) if draw(st.booleans()) else None
    g = rng.standard_normal((*lead, fout))
    return x, w, b, g


@requires_torch
@given(problem=dense_problems())
def test_linear_vs_torch(problem):
    import torch
    import torch.nn.functional as F

    x, w, b, g = problem
    xt, wt = torch.from_numpy(x).requires_grad_(), torch.from_numpy(w).requires_grad_()
    bt = None if b is None else torch.from_numpy(b).requires_grad_()
    yt = F.linear(xt, wt, bt)
    yt.backward(torch.from_numpy(g))
    assert rel_err(numeric.linear(x, w, b), yt.detach().numpy()) < 1e-8
    gx, gw, gb = numeric.linear_backward(g, x, w)
    assert rel_err(gx, xt.grad.numpy()) < 1e-8
    assert rel_err(gw, wt.grad.numpy()) < 1e-8
    if b is not None:
        assert rel_err(gb, bt.grad.numpy()) < 1e-8


@given(problem=dense_problems(), seed=st.integers(0, 2**16))
def test_linear_backward_is_the_gradient(problem, seed):
    x, w, b, g = problem
    b = np.zeros(w.shape[0]) if b is None else b
    rng = np.random.default_rng(seed)
    gx, gw, gb = numeric.linear_backward(g, x, w)
    directional_check(lambda z: float(np.sum(g * numeric.linear(z, w, b))), gx, x, rng)
    directional_check(lambda z: float(np.sum(g * numeric.linear(x, z, b))), gw, w, rng)
    directional_check(lambda z: float(np.sum(g * numeric.linear(x, w, z))), gb, b, rng)


def test_linear_keeps_float32():
    x, w, b = np.ones((2, 3), np.float32), np.ones((4, 3), np.float32), np.ones(4, np.float32)
    assert numeric.linear(x, w, b).dtype == np.float32
    assert all(a.dtype == np.float32 for a in numeric.linear_backward(np.ones((2, 4), np.float32), x, w))


def test_linear_backward_needs_input_grad_skips_gradients():
    rng = np.random.default_rng(2)
    x, w, g = rng.standard_normal((5, 3)), rng.standard_normal((4, 3)), rng.standard_normal((5, 4))
    full = numeric.linear_backward(g, x, w)
    for mask in [(True, False, False), (False, True, False), (False, False, True)]:
        part = numeric.linear_backward(g, x, w, needs_input_grad=mask)
        for want, got, needed in zip(full, part, mask):
            assert (got is None) != needed
            if needed:
                np.testing.assert_array_equal(got, want)


X, W = np.ones((2, 3)), np.ones((4, 3))
BAD = [
    ("feature mismatch", lambda: numeric.linear(np.ones((2, 5)), W), ValueError,
     "linear: input has 5 input features (its last dimension) but weight (4, 3) expects 3"),
    ("weight of rank 1", lambda: numeric.linear(X, np.ones(3)), ValueError,
     "weight must have 2 dimensions (out_features, in_features), got shape (3,)"),
    ("scalar x", lambda: numeric.linear(np.float64(1.0), W), ValueError, "input must have at least 1 dimension"),
    ("bias of wrong length", lambda: numeric.linear(X, W, np.ones(3)), ValueError,
     "bias must have shape (4,) (out_features), got (3,)"),
    ("mixed dtypes", lambda: numeric.linear(X, W.astype(np.float32)), TypeError,
     "linear: dtypes differ: input is float64, weight is float32"),
    ("integer x", lambda: numeric.linear(np.ones((2, 3), int), W), TypeError,
     "linear: input has dtype int64; expected float32 or float64"),
    ("grad of wrong shape", lambda: numeric.linear_backward(np.ones((2, 3)), X, W), ValueError,
     "grad_output must have the forward output's shape (2, 4), got (2, 3)"),
]


@pytest.mark.parametrize("call, exc, fragment", [pytest.param(c, e, m, id=i) for i, c, e, m in BAD])
def test_bad_linear_input(call, exc, fragment):
    with pytest.raises(exc, match=re.escape(fragment)):
        call()
