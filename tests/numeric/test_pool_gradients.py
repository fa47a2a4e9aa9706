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


def separated_input(shape, rng):
    """Distinct values at least 1 apart: a ±εv perturbation cannot change any argmax."""
    return rng.permutation(np.arange(np.prod(shape), dtype=np.float64)).reshape(shape)


@pytest.mark.parametrize("nd", [1, 2], ids=["1d", "2d"])
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_max_pool_backward_is_the_gradient(nd, data, seed):
    rng = np.random.default_rng(seed)
    cfg = data.draw(pool_configs(nd=nd))
    kw = _unwrap(cfg)
    fwd, bwd = (numeric.max_pool1d, numeric.max_pool1d_backward) if nd == 1 else (numeric.max_pool2d, numeric.max_pool2d_backward)
    x = separated_input(cfg["shape"], rng)
    y = fwd(x, **kw)
    g = rng.standard_normal(y.shape)
    g[~np.isfinite(y)] = 0.0  # windows of padding only carry no value to differentiate
    f = lambda z: float(np.sum(g * np.where(np.isfinite(y), fwd(z, **kw), 0.0)))  # noqa: E731
    directional_check(f, bwd(g, x, **kw), x, rng)


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
