"""Pooling backward passes against central finite differences (float64).

For a random cotangent ``g`` the scalar ``f(x) = <g, pool(x)>`` has gradient
``pool_backward(g, x)``; it is checked along random directions ``v``:
``(f(x + εv) − f(x − εv)) / 2ε ≈ <∇f, v>``. Max pooling uses well-separated
values (a shuffled ramp) so that no window's argmax moves within ``±ε``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import numeric
from tests.numeric.test_pool_kernels import _unwrap, pool_configs

EPS = 1e-6


def directional_check(f, grad, x, rng, n_dirs=3):
    for _ in range(n_dirs):
        v = rng.standard_normal(x.shape)
        fd = (f(x + EPS * v) - f(x - EPS * v)) / (2 * EPS)
        an = float(np.sum(grad * v))
        assert abs(fd - an) <= 1e-6 * max(1.0, abs(an)), (fd, an)


SPACING = 1e-2


def separated_input(shape, rng):
    """Distinct values ``SPACING`` apart, in ``[0, SPACING·size)``: a ±εv perturbation cannot change any argmax.

    Small magnitudes on purpose: the central difference of a piecewise-linear
    function is exact up to rounding, ``~ u·Σ|g·y| / ε``, which grows with the
    size of the values (a ramp up to 600 lost 2e-6 at ε = 1e-6).
    """
    return rng.permutation(np.arange(np.prod(shape), dtype=np.float64)).reshape(shape) * SPACING


def _padding_only(size, k, s, p, d, n_out):
    """Per output position along one dimension: does its window miss every input position?"""
    return np.array([all(not 0 <= i * s - p + t * d < size for t in range(k)) for i in range(n_out)])


def padding_only_windows(cfg, out_shape):
    """Outputs whose window is made only of padding, from the window definition (independent of the kernels)."""
    nd = len(cfg["shape"]) - 2
    per_dim = [_padding_only(cfg["shape"][2 + a], cfg["kernel_size"][a], cfg["stride"][a], cfg["padding"][a],
                             cfg["dilation"][a], out_shape[2 + a]) for a in range(nd)]
    mask = per_dim[0] if nd == 1 else per_dim[0][:, None] | per_dim[1][None, :]
    return np.broadcast_to(mask, out_shape)


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_max_pool_backward_is_the_gradient(nd, data, seed):
    """Finite differences on the windows that see the input; the documented behaviour on those that do not.

    A window made only of padding (e.g. ``L=1, k=2, p=1, d=2``) has no input
    to differentiate: its output is ``-inf``, its index ``-1``, and it sends
    no gradient anywhere. Those outputs are asserted as such and left out of
    the finite-difference loss (``0·(−inf)`` would be NaN).
    """
    rng = np.random.default_rng(seed)
    cfg = data.draw(pool_configs(nd=nd))
    kw = _unwrap(cfg)
    fwd, bwd = (numeric.max_pool1d, numeric.max_pool1d_backward) if nd == 1 else (numeric.max_pool2d, numeric.max_pool2d_backward)
    x = separated_input(cfg["shape"], rng)
    y, idx = fwd(x, return_indices=True, **kw)
    empty = padding_only_windows(cfg, y.shape)
    np.testing.assert_array_equal(np.isneginf(y), empty)
    np.testing.assert_array_equal(idx[empty], -1)
    assert np.isfinite(y[~empty]).all()
    np.testing.assert_array_equal(bwd(np.where(empty, 1.0, 0.0), x, **kw), 0.0)  # no gradient from them

    g = np.where(empty, 0.0, rng.standard_normal(y.shape))
    f = lambda z: float(np.sum(g[~empty] * fwd(z, **kw)[~empty]))  # noqa: E731
    directional_check(f, bwd(g, x, **kw), x, rng)


def test_a_window_of_padding_only_is_minus_infinity_with_no_gradient():
    """``L=1, k=2, p=1, d=2``: the only window, ⌊(1 + 2 − 2 − 1)/1⌋ + 1 = 1, reads positions −1 and 1: padding."""
    x = np.array([[[5.0]]])
    y, idx = numeric.max_pool1d(x, 2, stride=1, padding=1, dilation=2, return_indices=True)
    assert y.tolist() == [[[-np.inf]]] and idx.tolist() == [[[-1]]]
    assert padding_only_windows(dict(shape=(1, 1, 1), kernel_size=(2,), stride=(1,), padding=(1,), dilation=(2,)),
                                y.shape).tolist() == [[[True]]]
    np.testing.assert_array_equal(numeric.max_pool1d_backward(np.ones((1, 1, 1)), x, 2, 1, 1, 2), [[[0.0]]])


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(data=st.data(), seed=st.integers(0, 2**16), include=st.booleans(), divisor=st.one_of(st.none(), st.integers(1, 5)))
def test_avg_pool_backward_is_the_gradient(nd, data, seed, include, divisor):
    rng = np.random.default_rng(seed)
    cfg = data.draw(pool_configs(nd=nd, dilation=False))
    kw = _unwrap(cfg)
    kw.pop("dilation")
    kw.update(count_include_pad=include, divisor_override=divisor)
    fwd, bwd = (numeric.avg_pool1d, numeric.avg_pool1d_backward) if nd == 1 else (numeric.avg_pool2d, numeric.avg_pool2d_backward)
    x = rng.standard_normal(cfg["shape"])
    g = rng.standard_normal(fwd(x, **kw).shape)
    directional_check(lambda z: float(np.sum(g * fwd(z, **kw))), bwd(g, x, **kw), x, rng)


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_adaptive_avg_pool_backward_is_the_gradient(nd, data, seed):
    rng = np.random.default_rng(seed)
    sizes = tuple(data.draw(st.integers(1, 8)) for _ in range(nd))
    osz = tuple(data.draw(st.integers(1, 2 * s)) for s in sizes)
    osz = osz[0] if nd == 1 else osz
    fwd, bwd = (
        (numeric.adaptive_avg_pool1d, numeric.adaptive_avg_pool1d_backward)
        if nd == 1
        else (numeric.adaptive_avg_pool2d, numeric.adaptive_avg_pool2d_backward)
    )
    x = rng.standard_normal((2, 2, *sizes))
    g = rng.standard_normal(fwd(x, osz).shape)
    directional_check(lambda z: float(np.sum(g * fwd(z, osz))), bwd(g, x, osz), x, rng)


def test_global_avg_pool_backward_is_the_gradient():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4, 5))
    g = rng.standard_normal((2, 3, 1, 1))
    directional_check(
        lambda z: float(np.sum(g * numeric.global_avg_pool2d(z))), numeric.global_avg_pool2d_backward(g, x), x, rng
    )
