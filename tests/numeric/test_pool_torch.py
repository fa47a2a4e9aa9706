"""Pooling against PyTorch (float64, relative error < 1e-8), forward and backward.

Inputs are standard normal draws, so max-pool windows have no ties (PyTorch's
tie rule is not part of its contract). Configurations whose windows hold only
padding are excluded: PyTorch returns -inf with an index outside the plane there.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import numeric
from tests.helpers import requires_torch
from tests.numeric.test_pool_kernels import _unwrap, pool_configs, random_input

pytestmark = requires_torch

SEEDS = st.integers(0, 2**16)


def rel_err(ours, theirs):
    theirs = np.asarray(theirs)
    return float(np.max(np.abs(ours - theirs)) / max(1.0, float(np.max(np.abs(theirs)))))


def torch_fwd_bwd(fn, x, g, *args, **kwargs):
    """PyTorch's output of fn(x, ...) and the gradient of <g, output> w.r.t. x."""
    import torch

    xt = torch.from_numpy(x).requires_grad_(True)
    yt = fn(xt, *args, **kwargs)
    yt.backward(torch.from_numpy(g))
    return yt.detach().numpy(), xt.grad.numpy()


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(data=st.data(), seed=SEEDS)
def test_max_pool_vs_torch(nd, data, seed):
    import torch
    import torch.nn.functional as F

    cfg = data.draw(pool_configs(nd=nd))
    kw = _unwrap(cfg)
    x = random_input(cfg["shape"], np.float64, seed)
    ours_f, ours_b, theirs = (
        (numeric.max_pool1d, numeric.max_pool1d_backward, F.max_pool1d)
        if nd == 1
        else (numeric.max_pool2d, numeric.max_pool2d_backward, F.max_pool2d)
    )
    y, idx = ours_f(x, **kw, return_indices=True)
    assume(np.all(idx >= 0))  # no window made only of padding
    g = random_input(y.shape, np.float64, seed + 1)
    y_t, gx_t = torch_fwd_bwd(theirs, x, g, **kw)
    _, idx_t = theirs(torch.from_numpy(x), **kw, return_indices=True)
    assert y.shape == y_t.shape
    assert rel_err(y, y_t) < 1e-8
    np.testing.assert_array_equal(idx, idx_t.numpy())
    assert rel_err(ours_b(g, x, **kw), gx_t) < 1e-8


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(data=st.data(), seed=SEEDS, count_include_pad=st.booleans(), divisor=st.one_of(st.none(), st.integers(1, 7)))
def test_avg_pool_vs_torch(nd, data, seed, count_include_pad, divisor):
    import torch.nn.functional as F

    cfg = data.draw(pool_configs(nd=nd, dilation=False))
    kw = _unwrap(cfg)
    kw.pop("dilation")
    kw["count_include_pad"] = count_include_pad
    x = random_input(cfg["shape"], np.float64, seed)
    if nd == 1:  # PyTorch's avg_pool1d has no divisor_override
        ours_f, ours_b, theirs = numeric.avg_pool1d, numeric.avg_pool1d_backward, F.avg_pool1d
    else:
        kw["divisor_override"] = divisor
        ours_f, ours_b, theirs = numeric.avg_pool2d, numeric.avg_pool2d_backward, F.avg_pool2d
    y = ours_f(x, **kw)
    g = random_input(y.shape, np.float64, seed + 1)
    y_t, gx_t = torch_fwd_bwd(theirs, x, g, **kw)
    assert y.shape == y_t.shape
    assert rel_err(y, y_t) < 1e-8
    assert rel_err(ours_b(g, x, **kw), gx_t) < 1e-8


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(data=st.data(), seed=SEEDS)
def test_adaptive_avg_pool_vs_torch(nd, data, seed):
    import torch.nn.functional as F

    sizes = tuple(data.draw(st.integers(1, 12)) for _ in range(nd))
    out = tuple(data.draw(st.integers(1, 2 * s)) for s in sizes)
    osz = out[0] if nd == 1 else out
    x = random_input((2, 3, *sizes), np.float64, seed)
    ours_f, ours_b, theirs = (
        (numeric.adaptive_avg_pool1d, numeric.adaptive_avg_pool1d_backward, F.adaptive_avg_pool1d)
        if nd == 1
        else (numeric.adaptive_avg_pool2d, numeric.adaptive_avg_pool2d_backward, F.adaptive_avg_pool2d)
    )
    y = ours_f(x, osz)
    g = random_input(y.shape, np.float64, seed + 1)
    y_t, gx_t = torch_fwd_bwd(theirs, x, g, osz)
    assert rel_err(y, y_t) < 1e-8
    assert rel_err(ours_b(g, x, osz), gx_t) < 1e-8


def test_global_avg_pool_vs_torch():
    import torch.nn.functional as F

    x = random_input((3, 4, 7, 5), np.float64, 0)
    g = random_input((3, 4, 1, 1), np.float64, 1)
    y_t, gx_t = torch_fwd_bwd(F.adaptive_avg_pool2d, x, g, 1)
    assert rel_err(numeric.global_avg_pool2d(x), y_t) < 1e-8
    assert rel_err(numeric.global_avg_pool2d_backward(g, x), gx_t) < 1e-8


@pytest.mark.parametrize(
    "L, k, s, p, ceil",
    [
        pytest.param(5, 2, 2, 0, True, id="ceil adds a window"),
        pytest.param(4, 2, 2, 1, True, id="ceil window would start in right padding"),
        pytest.param(6, 3, 2, 1, True, id="ceil window clipped at padded edge"),
        pytest.param(4, 5, 2, 0, True, id="kernel > input, ceil"),
        pytest.param(112, 3, 2, 1, False, id="resnet stem pool"),
    ],
)
def test_ceil_mode_edges_vs_torch(L, k, s, p, ceil):
    import torch.nn.functional as F

    x = random_input((2, 2, L, L), np.float64, L)
    for include in (True, False):
        y = numeric.avg_pool2d(x, k, s, p, ceil, include)
        g = random_input(y.shape, np.float64, 3)
        y_t, gx_t = torch_fwd_bwd(F.avg_pool2d, x, g, k, s, p, ceil, include)
        assert y.shape == y_t.shape and rel_err(y, y_t) < 1e-8
        assert rel_err(numeric.avg_pool2d_backward(g, x, k, s, p, ceil, include), gx_t) < 1e-8
    y = numeric.max_pool2d(x, k, s, p, 1, ceil)
    g = random_input(y.shape, np.float64, 4)
    y_t, gx_t = torch_fwd_bwd(F.max_pool2d, x, g, k, s, p, 1, ceil)
    assert y.shape == y_t.shape and rel_err(y, y_t) < 1e-8
    assert rel_err(numeric.max_pool2d_backward(g, x, k, s, p, 1, ceil), gx_t) < 1e-8


def test_float32_max_pool_matches_torch_exactly():
    import torch
    import torch.nn.functional as F

    x = random_input((2, 4, 17, 20), np.float32, 5)
    y, idx = numeric.max_pool2d(x, 3, 2, 1, return_indices=True)
    y_t, idx_t = F.max_pool2d(torch.from_numpy(x), 3, 2, 1, return_indices=True)
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, y_t.numpy())
    np.testing.assert_array_equal(idx, idx_t.numpy())
