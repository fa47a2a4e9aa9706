"""batch_norm in evaluation and training mode, and its backward: PyTorch agreement, finite differences, bad input."""

from __future__ import annotations

import inspect
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
    """``(x, running_mean, running_var, weight, bias, momentum, eps, grad_output)``, float64."""
    n = draw(st.integers(1, 4))
    c = draw(st.integers(1, 4))
    spatial = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=2)))
    if n * int(np.prod(spatial)) < 2:
        n = 2
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.standard_normal((n, c, *spatial)) * draw(st.sampled_from([0.1, 1.0, 10.0])) + 3.0
    rm = rng.standard_normal(c)
    rv = rng.uniform(0.1, 4.0, c)
    w = rng.standard_normal(c) if draw(st.booleans()) else None
    b = rng.standard_normal(c) if draw(st.booleans()) else None
    momentum = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))
    eps = draw(st.sampled_from([1e-5, 1e-3, 0.5]))
    return x, rm, rv, w, b, momentum, eps, rng.standard_normal(x.shape)


def _torch_bn(x, rm, rv, w, b, training, momentum, eps, g):
    """PyTorch's output, running statistics after the call and gradients (input, weight, bias)."""
    import torch
    import torch.nn.functional as F

    c = x.shape[1]
    xt = torch.from_numpy(x).requires_grad_()
    wt = torch.from_numpy(np.ones(c) if w is None else w.copy()).requires_grad_()
    bt = torch.from_numpy(np.zeros(c) if b is None else b.copy()).requires_grad_()
    rmt, rvt = torch.from_numpy(rm.copy()), torch.from_numpy(rv.copy())
    yt = F.batch_norm(xt, rmt, rvt, wt, bt, training, momentum, eps)
    yt.backward(torch.from_numpy(g))
    return (yt.detach().numpy(), rmt.numpy(), rvt.numpy(), xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy())


def test_signature_is_pytorchs():
    """Same parameter names, order and defaults as ``torch.nn.functional.batch_norm`` (which has no ``return_stats``)."""
    params = list(inspect.signature(numeric.batch_norm).parameters.values())
    assert [(p.name, p.default) for p in params[:8]] == [
        ("input", inspect.Parameter.empty), ("running_mean", inspect.Parameter.empty),
        ("running_var", inspect.Parameter.empty), ("weight", None), ("bias", None), ("training", False),
        ("momentum", 0.1), ("eps", 1e-5),
    ]
    assert params[8].kind is inspect.Parameter.KEYWORD_ONLY


def test_the_positional_call_of_pytorch_means_the_same_here():
    """``batch_norm(x, running_mean, running_var)`` normalises with those statistics (the issue's probe)."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((6, 3)) * 3 + 5
    rm, rv = np.array([4.0, 5.0, 6.0]), np.array([9.0, 4.0, 1.0])
    np.testing.assert_allclose(numeric.batch_norm(x, rm, rv, eps=0.0), (x - rm) / np.sqrt(rv), rtol=1e-12)


@requires_torch
@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@given(problem=bn_problems())
def test_batch_norm_vs_torch(training, problem):
    x, rm, rv, w, b, momentum, eps, g = problem
    want = _torch_bn(x, rm, rv, w, b, training, momentum, eps, g)
    rm_np, rv_np = rm.copy(), rv.copy()
    y = numeric.batch_norm(x, rm_np, rv_np, w, b, training, momentum, eps)
    assert rel_err(y, want[0]) < 1e-8
    np.testing.assert_allclose(rm_np, want[1], rtol=1e-12, atol=1e-14)  # updated in place (training) or untouched
    np.testing.assert_allclose(rv_np, want[2], rtol=1e-12, atol=1e-14)
    if not training:
        assert np.array_equal(rm_np, rm) and np.array_equal(rv_np, rv)
    grads = numeric.batch_norm_backward(g, x, rm, rv, w, training=training, eps=eps)
    for got, expected in zip(grads, want[3:]):
        assert rel_err(got, expected) < 1e-8


@given(problem=bn_problems())
def test_training_mode_without_running_statistics_returns_the_batch_statistics(problem):
    x, _, _, w, b, _, eps, _ = problem
    y, mean, var = numeric.batch_norm(x, None, None, w, b, training=True, eps=eps, return_stats=True)
    axes = (0, *range(2, x.ndim))
    assert rel_err(mean, x.mean(axis=axes)) < 1e-12 and rel_err(var, x.var(axis=axes)) < 1e-12  # biased variance
    with_stats = numeric.batch_norm(x, np.zeros(x.shape[1]), np.ones(x.shape[1]), w, b, True, 0.1, eps)
    np.testing.assert_array_equal(y, with_stats)  # the running statistics do not change the training output


@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@given(problem=bn_problems(), seed=st.integers(0, 2**16))
def test_batch_norm_backward_is_the_gradient(training, problem, seed):
    x, rm, rv, w, b, _, eps, g = problem
    c = x.shape[1]
    w = np.ones(c) if w is None else w
    b = np.zeros(c) if b is None else b
    rng = np.random.default_rng(seed)
    gx, gw, gb = numeric.batch_norm_backward(g, x, rm, rv, w, training=training, eps=eps)

    def f(z=x, wz=w, bz=b):  # the forward at fixed running statistics (copies: training mode updates them)
        return float(np.sum(g * numeric.batch_norm(z, rm.copy(), rv.copy(), wz, bz, training, 0.1, eps)))

    directional_check(lambda z: f(z=z), gx, x, rng)
    directional_check(lambda z: f(wz=z), gw, w, rng)
    directional_check(lambda z: f(bz=z), gb, b, rng)


def test_needs_input_grad_skips_gradients():
    rng = np.random.default_rng(3)
    x, g, w = rng.standard_normal((5, 2, 3)), rng.standard_normal((5, 2, 3)), rng.standard_normal(2)
    full = numeric.batch_norm_backward(g, x, None, None, w, training=True)
    for mask in [(True, False, False), (False, True, False), (False, False, True), (False, False, False)]:
        part = numeric.batch_norm_backward(g, x, None, None, w, training=True, needs_input_grad=mask)
        for want, got, needed in zip(full, part, mask):
            if needed:
                np.testing.assert_array_equal(got, want)
            else:
                assert got is None


def test_empty_batch_gives_empty_results_and_keeps_running_statistics():
    x = np.zeros((0, 3, 2, 2))
    rm, rv = np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 2.0])
    for training in (False, True):
        assert numeric.batch_norm(x, rm, rv, training=training).shape == (0, 3, 2, 2)
        gx, gw, gb = numeric.batch_norm_backward(x, x, rm, rv, np.ones(3), training=training)
        assert gx.shape == (0, 3, 2, 2)
        np.testing.assert_array_equal(gw, 0)
        np.testing.assert_array_equal(gb, 0)
    np.testing.assert_array_equal(rm, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(rv, [1.0, 1.0, 2.0])


def test_batch_norm_output_is_normalised_and_keeps_float32():
    x = (np.random.default_rng(0).standard_normal((8, 3, 5, 5)) * 4 + 7).astype(np.float32)
    y = numeric.batch_norm(x, None, None, training=True, eps=0.0)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, rtol=1e-5)
    rm, rv = np.zeros(3, np.float32), np.ones(3, np.float32)
    numeric.batch_norm(x, rm, rv, training=True)
    assert rm.dtype == rv.dtype == np.float32
    grads = numeric.batch_norm_backward(np.ones_like(x), x, None, None, training=True)
    assert all(a.dtype == np.float32 for a in grads)


X = np.ones((2, 3, 4))
RM, RV = np.zeros(3), np.ones(3)
BAD = [
    ("eval without running stats", lambda: numeric.batch_norm(X, None, None), ValueError,
     "evaluation mode (training=False) normalises with running_mean and running_var, got None"),
    ("only one running stat", lambda: numeric.batch_norm(X, RM, None, training=True), ValueError,
     "running_mean and running_var must both be given or both be None"),
    ("one value per channel", lambda: numeric.batch_norm(np.ones((1, 3)), None, None, training=True), ValueError,
     "training mode needs more than 1 value per channel, got M = N·(spatial) = 1·1 = 1"),
    ("rank 1", lambda: numeric.batch_norm(np.ones(5), RM, RV), ValueError,
     "input must have at least 2 dimensions (N, C, *), got shape (5,)"),
    ("running mean of wrong length", lambda: numeric.batch_norm(X, np.zeros(4), np.ones(4)), ValueError,
     "running_mean must have shape (3,) (one value per channel), got (4,)"),
    ("negative running variance", lambda: numeric.batch_norm(X, RM, np.array([1.0, -0.5, 1.0])), ValueError,
     "running_var must be >= 0 (a variance), got -0.5 for channel 1"),
    ("weight of wrong length", lambda: numeric.batch_norm(X, RM, RV, np.ones(4)), ValueError,
     "weight must have shape (3,) (one value per channel), got (4,)"),
    ("bias of other dtype", lambda: numeric.batch_norm(X, RM, RV, None, np.ones(3, np.float32)), TypeError,
     "batch_norm: dtypes differ: input is float64, bias is float32"),
    ("training not a bool", lambda: numeric.batch_norm(X, RM, RV, None, None, 1), TypeError,
     "training must be True or False, got int 1"),
    ("running stats as a list in training", lambda: numeric.batch_norm(X, [0.0] * 3, [1.0] * 3, training=True),
     TypeError, "running_mean must be a NumPy array in training mode, which updates it in place; got list"),
    ("negative momentum", lambda: numeric.batch_norm(X, RM.copy(), RV.copy(), training=True, momentum=-0.1),
     ValueError, "momentum must be finite and >= 0, got -0.1"),
    ("negative eps", lambda: numeric.batch_norm(X, RM, RV, eps=-1e-5), ValueError,
     "eps must be finite and >= 0, got -1e-05"),
    ("NaN eps", lambda: numeric.batch_norm_backward(X, X, RM, RV, eps=float("nan")), ValueError,
     "eps must be finite and >= 0, got nan"),
    ("integer input", lambda: numeric.batch_norm(np.ones((2, 3), int), RM, RV), TypeError,
     "batch_norm: input has dtype int64; expected float32 or float64"),
    ("grad of wrong shape", lambda: numeric.batch_norm_backward(np.ones((2, 3)), X, RM, RV), ValueError,
     "grad_output must have the forward output's shape (2, 3, 4), got (2, 3)"),
    ("bad needs_input_grad", lambda: numeric.batch_norm_backward(X, X, RM, RV, needs_input_grad=(True,)), ValueError,
     "needs_input_grad must be 3 bools, one per gradient (input, weight, bias), got (True,)"),
]


@pytest.mark.parametrize("call, exc, fragment", [pytest.param(c, e, m, id=i) for i, c, e, m in BAD])
def test_bad_batch_norm_input(call, exc, fragment):
    with pytest.raises(exc, match=re.escape(fragment)):
        call()
