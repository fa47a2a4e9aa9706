"""Local response normalisation (numeric.lrn): a naive window loop, PyTorch, finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numeric.lrn import local_response_norm, local_response_norm_backward


def _naive(x, n, alpha, beta, k, over_n=True):
    """The sum of the definition, channel by channel: j from c − ⌊n/2⌋ to c + ⌈n/2⌉ − 1, inside [0, C − 1]."""
    out = np.empty_like(x, dtype=np.float64)
    c_total = x.shape[1]
    a = alpha / n if over_n else alpha
    for c in range(c_total):
        lo, hi = max(0, c - n // 2), min(c_total - 1, c + (n - 1) // 2)
        s = sum(x[:, j] ** 2 for j in range(lo, hi + 1))
        out[:, c] = x[:, c] / (k + a * s) ** beta
    return out


shapes = st.tuples(st.integers(1, 2), st.integers(1, 9), st.integers(1, 3))
params = st.tuples(st.integers(1, 7), st.floats(0.01, 2.0), st.floats(0.1, 1.5), st.floats(0.5, 3.0), st.booleans())


@settings(max_examples=40, deadline=None)
@given(shape=shapes, p=params, seed=st.integers(0, 2**16))
def test_forward_equals_the_window_sum(shape, p, seed):
    n, alpha, beta, k, over_n = p
    x = np.random.default_rng(seed).normal(size=shape)
    np.testing.assert_allclose(local_response_norm(x, n, alpha, beta, k, alpha_over_n=over_n),
                               _naive(x, n, alpha, beta, k, over_n), rtol=1e-12, atol=1e-14)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, p=params, seed=st.integers(0, 2**16))
def test_backward_equals_finite_differences(shape, p, seed):
    n, alpha, beta, k, over_n = p
    rng = np.random.default_rng(seed)
    x, g = rng.normal(size=shape), rng.normal(size=shape)
    got = local_response_norm_backward(g, x, n, alpha, beta, k, alpha_over_n=over_n)
    h, num = 1e-6, np.empty_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        num[idx] = np.sum(g * (local_response_norm(x + e, n, alpha, beta, k, alpha_over_n=over_n)
                               - local_response_norm(x - e, n, alpha, beta, k, alpha_over_n=over_n))) / (2 * h)
    np.testing.assert_allclose(got, num, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_agrees_with_torch(n):
    torch = pytest.importorskip("torch", reason="PyTorch is the cross-check of the conventions (α/n, window)")
    rng = np.random.default_rng(n)
    x, g = rng.normal(size=(2, 7, 3, 2)), rng.normal(size=(2, 7, 3, 2))
    t = torch.tensor(x, requires_grad=True)
    y = torch.nn.functional.local_response_norm(t, n, alpha=0.3, beta=0.75, k=2.0)
    y.backward(torch.tensor(g))
    np.testing.assert_allclose(local_response_norm(x, n, 0.3, 0.75, 2.0), y.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(local_response_norm_backward(g, x, n, 0.3, 0.75, 2.0), t.grad.numpy(), rtol=1e-10)


def test_float32_stays_float32():
    x = np.ones((1, 4, 2), dtype=np.float32)
    assert local_response_norm(x, 3).dtype == np.float32


@pytest.mark.parametrize("args, match", [
    ((np.ones(3), 3), "shape \\(N, C, \\*\\)"),
    ((np.ones((1, 3)), 0), "size n = 0"),
    ((np.ones((1, 3)), 2.5), "size n = 2.5"),
], ids=["1-d input", "zero size", "fractional size"])
def test_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        local_response_norm(*args)
    with pytest.raises(ValueError, match="grad_out shape"):
        local_response_norm_backward(np.ones((1, 2)), np.ones((1, 3)), 3)
