"""softmax_cross_entropy and mse with their backward: PyTorch agreement, finite differences, bad input."""

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

REDUCTIONS = st.sampled_from(["mean", "sum", "none"])


@st.composite
def ce_problems(draw):
    n, c = draw(st.integers(1, 5)), draw(st.integers(1, 6))
    spatial = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=2)))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    logits = rng.standard_normal((n, c, *spatial)) * draw(st.sampled_from([1.0, 30.0]))  # 30: large logits, no overflow
    target = rng.integers(0, c, size=(n, *spatial))
    reduction = draw(REDUCTIONS)
    g = rng.standard_normal(target.shape) if reduction == "none" else np.float64(rng.standard_normal())
    return logits, target, reduction, g


@requires_torch
@given(problem=ce_problems())
def test_cross_entropy_vs_torch(problem):
    import torch
    import torch.nn.functional as F

    logits, target, reduction, g = problem
    zt = torch.from_numpy(logits).requires_grad_()
    lt = F.cross_entropy(zt, torch.from_numpy(target), reduction=reduction)
    lt.backward(torch.as_tensor(g))
    assert rel_err(numeric.softmax_cross_entropy(logits, target, reduction=reduction), lt.detach().numpy()) < 1e-8
    assert rel_err(numeric.softmax_cross_entropy_backward(g, logits, target, reduction=reduction), zt.grad.numpy()) < 1e-8


@given(problem=ce_problems(), seed=st.integers(0, 2**16))
def test_cross_entropy_backward_is_the_gradient(problem, seed):
    logits, target, reduction, g = problem
    logits = logits / 30.0  # keep the second derivative modest for the finite differences
    f = lambda z: float(np.sum(g * numeric.softmax_cross_entropy(z, target, reduction=reduction)))  # noqa: E731
    grad = numeric.softmax_cross_entropy_backward(g, logits, target, reduction=reduction)
    directional_check(f, grad, logits, np.random.default_rng(seed))


@st.composite
def mse_problems(draw):
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    reduction = draw(REDUCTIONS)
    g = rng.standard_normal(shape) if reduction == "none" else np.float64(rng.standard_normal())
    return rng.standard_normal(shape), rng.standard_normal(shape), reduction, g


@requires_torch
@given(problem=mse_problems())
def test_mse_vs_torch(problem):
    import torch
    import torch.nn.functional as F

    a, b, reduction, g = problem
    at, bt = torch.from_numpy(a).requires_grad_(), torch.from_numpy(b).requires_grad_()
    lt = F.mse_loss(at, bt, reduction=reduction)
    lt.backward(torch.as_tensor(g))
    assert rel_err(numeric.mse(a, b, reduction=reduction), lt.detach().numpy()) < 1e-8
    ga = numeric.mse_backward(g, a, b, reduction=reduction)
    assert rel_err(ga, at.grad.numpy()) < 1e-8
    assert rel_err(-ga, bt.grad.numpy()) < 1e-8  # the target's gradient is the negation


@given(problem=mse_problems(), seed=st.integers(0, 2**16))
def test_mse_backward_is_the_gradient(problem, seed):
    a, b, reduction, g = problem
    f = lambda z: float(np.sum(g * numeric.mse(z, b, reduction=reduction)))  # noqa: E731
    directional_check(f, numeric.mse_backward(g, a, b, reduction=reduction), a, np.random.default_rng(seed))


@requires_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_empty_batch_gives_pytorchs_results(reduction):
    import torch
    import torch.nn.functional as F

    z, t, a = np.zeros((0, 3)), np.zeros(0, np.int64), np.zeros((0, 2))
    want_ce = F.cross_entropy(torch.from_numpy(z), torch.from_numpy(t), reduction=reduction).numpy()
    want_mse = F.mse_loss(torch.from_numpy(a), torch.from_numpy(a), reduction=reduction).numpy()
    np.testing.assert_array_equal(numeric.softmax_cross_entropy(z, t, reduction=reduction), want_ce)  # nan == nan here
    np.testing.assert_array_equal(numeric.mse(a, a, reduction=reduction), want_mse)
    g = np.zeros(0) if reduction == "none" else 1.0
    assert numeric.softmax_cross_entropy_backward(g, z, t, reduction=reduction).shape == (0, 3)
    assert numeric.mse_backward(np.zeros((0, 2)) if reduction == "none" else 1.0, a, a, reduction=reduction).shape == (0, 2)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_losses_keep_float32(reduction):
    z = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    t = np.array([0, 3, 1])
    g = np.ones(3, np.float32) if reduction == "none" else 1.0
    assert np.asarray(numeric.softmax_cross_entropy(z, t, reduction=reduction)).dtype == np.float32
    assert numeric.softmax_cross_entropy_backward(g, z, t, reduction=reduction).dtype == np.float32
    g2 = np.ones_like(z) if reduction == "none" else 1.0
    assert np.asarray(numeric.mse(z, z, reduction=reduction)).dtype == np.float32
    assert numeric.mse_backward(g2, z, z, reduction=reduction).dtype == np.float32


Z, T = np.zeros((2, 3)), np.array([0, 2])
BAD = [
    ("target above range", lambda: numeric.softmax_cross_entropy(Z, np.array([0, 3])), ValueError,
     "target values must be class indices in [0, C) = [0, 3), got 3 at position (1,)"),
    ("negative target", lambda: numeric.softmax_cross_entropy_backward(1.0, Z, np.array([-1, 0])), ValueError,
     "in [0, C) = [0, 3), got -1 at position (0,)"),
    ("float target", lambda: numeric.softmax_cross_entropy(Z, np.array([0.0, 1.0])), TypeError,
     "target must hold integer class indices, got dtype float64"),
    ("target of wrong shape", lambda: numeric.softmax_cross_entropy(Z, np.array([0, 1, 2])), ValueError,
     "target must have shape (2,) (logits (2, 3) without the class axis), got (3,)"),
    ("logits of rank 1", lambda: numeric.softmax_cross_entropy(np.zeros(3), np.array(0)), ValueError,
     "logits must have at least 2 dimensions (N, C, *), got shape (3,)"),
    ("integer logits", lambda: numeric.softmax_cross_entropy(np.zeros((2, 3), int), T), TypeError,
     "softmax_cross_entropy: logits has dtype int64; expected float32 or float64"),
    ("unknown reduction", lambda: numeric.softmax_cross_entropy(Z, T, reduction="avg"), ValueError,
     "reduction must be one of ('mean', 'sum', 'none'), got 'avg'"),
    ("array grad for mean", lambda: numeric.softmax_cross_entropy_backward(np.ones(2), Z, T), ValueError,
     "with reduction='mean' grad_output must be a scalar (shape ()), got shape (2,)"),
    ("grad of wrong shape for none", lambda: numeric.softmax_cross_entropy_backward(np.ones(3), Z, T, reduction="none"), ValueError,
     "grad_output must have the forward output's shape (2,), got (3,)"),
    ("mse shape mismatch", lambda: numeric.mse(np.ones(2), np.ones((2, 1))), ValueError,
     "target shape (2, 1) must equal input shape (2,)"),
    ("mse dtype mismatch", lambda: numeric.mse(np.ones(2), np.ones(2, np.float32)), TypeError,
     "mse: dtypes differ: input is float64, target is float32"),
    ("PyTorch's positional weight", lambda: numeric.softmax_cross_entropy(Z, T, np.ones(3)), TypeError,
     "takes 2 positional arguments but 3 were given"),
    ("PyTorch's positional size_average", lambda: numeric.mse(np.ones(2), np.ones(2), None), TypeError,
     "takes 2 positional arguments but 3 were given"),
    ("mse unknown reduction", lambda: numeric.mse_backward(1.0, np.ones(2), np.ones(2), reduction="batchmean"), ValueError,
     "reduction must be one of ('mean', 'sum', 'none'), got 'batchmean'"),
    ("mse string grad", lambda: numeric.mse_backward("1", np.ones(2), np.ones(2)), TypeError,
     "grad_output must be a real number, got dtype <U1"),
]


@pytest.mark.parametrize("call, exc, fragment", [pytest.param(c, e, m, id=i) for i, c, e, m in BAD])
def test_bad_loss_input(call, exc, fragment):
    with pytest.raises(exc, match=re.escape(fragment)):
        call()
