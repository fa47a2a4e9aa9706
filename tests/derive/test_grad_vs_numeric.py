"""Acceptance: the derived backward formulas, *evaluated as derived*, agree with the
numeric engine's backward passes and with central finite differences (float64).

The derived side is ``derive.*_backward(...).evaluate(...)`` — the SymPy expression
walked over NumPy arrays; the witnesses are ``numeric``'s kernels and finite
differences of ``numeric``'s forward passes along random directions.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from hypothesis import given, strategies as st

import derive
import numeric

# -- derived results, built once (general in sizes and hyperparameters) -----------------------


@lru_cache(maxsize=None)
def conv_result(wrt: str, dims: int, grouped: bool):
    return derive.conv_backward(wrt, groups=None if grouped else 1, dims=dims)


@lru_cache(maxsize=None)
def pool_result(kind: str, ceil_mode: bool, count_include_pad: bool, dims: int):
    return derive.pool_backward(kind, None, stride="s", padding="P", dilation=1 if kind == "avg" else "d",
                                ceil_mode=ceil_mode, count_include_pad=count_include_pad, dims=dims)


@lru_cache(maxsize=None)
def conv_transpose_result(wrt: str, groups: int):
    return derive.conv_transpose_backward(wrt, groups=groups)


def directional_fd(f, x, rng, h=1e-5, directions=3):
    """Central differences of the scalar ``f`` at ``x`` along random unit directions."""
    out = []
    for _ in range(directions):
        v = rng.standard_normal(x.shape)
        out.append((v, (f(x + h * v) - f(x - h * v)) / (2 * h)))
    return out


def assert_fd(grad, f, x, rng, rel=1e-6):
    for v, fd in directional_fd(f, x, rng):
        assert abs(float(np.sum(grad * v)) - fd) <= rel * max(1.0, abs(fd)) + 1e-8, (float(np.sum(grad * v)), fd)


# -- convolution ----------------------------------------------------------------------------------


@st.composite
def conv_configs(draw, dims=2):
    groups = draw(st.integers(1, 3))
    cgi, cgo = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    k = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    s = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    d = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    P = tuple(draw(st.integers(0, 2)) for _ in range(dims))
    size = tuple(draw(st.integers(max(1, d[t] * (k[t] - 1) + 1 - 2 * P[t]), 8)) for t in range(dims))
    n = draw(st.integers(1, 2))
    seed = draw(st.integers(0, 2**16))
    return dict(groups=groups, cgi=cgi, cgo=cgo, k=k, s=s, d=d, P=P, size=size, n=n, seed=seed)


@pytest.mark.parametrize("wrt", ["input", "weight", "bias"])
@given(cfg=conv_configs())
def test_conv2d_backward_matches_numeric_and_finite_differences(wrt, cfg):
    rng = np.random.default_rng(cfg["seed"])
    g = cfg["groups"]
    x = rng.standard_normal((cfg["n"], g * cfg["cgi"], *cfg["size"]))
    w = rng.standard_normal((g * cfg["cgo"], cfg["cgi"], *cfg["k"]))
    hp = dict(stride=cfg["s"], padding=cfg["P"], dilation=cfg["d"])
    y = numeric.conv2d(x, w, None, groups=g, **hp)
    go = rng.standard_normal(y.shape)
    gx, gw, gb = numeric.conv2d_backward(go, x, w, groups=g, **hp)
    derived = conv_result(wrt, 2, g != 1).evaluate(grad_output=go, input=x, weight=w, **hp)
    witness = {"input": gx, "weight": gw, "bias": gb}[wrt]
    np.testing.assert_allclose(derived, witness, rtol=1e-10, atol=1e-10)
    if wrt == "input":
        assert_fd(derived, lambda xx: float(np.sum(go * numeric.conv2d(xx, w, None, groups=g, **hp))), x, rng)
    elif wrt == "weight":
        assert_fd(derived, lambda ww: float(np.sum(go * numeric.conv2d(x, ww, None, groups=g, **hp))), w, rng)
    else:
        bias = np.zeros(w.shape[0])
        assert_fd(derived, lambda bb: float(np.sum(go * numeric.conv2d(x, w, bb, groups=g, **hp))), bias, rng)


@given(cfg=conv_configs(dims=1))
def test_conv1d_input_gradient_matches_numeric(cfg):
    rng = np.random.default_rng(cfg["seed"])
    g = cfg["groups"]
    x = rng.standard_normal((cfg["n"], g * cfg["cgi"], *cfg["size"]))
    w = rng.standard_normal((g * cfg["cgo"], cfg["cgi"], *cfg["k"]))
    hp = dict(stride=cfg["s"][0], padding=cfg["P"][0], dilation=cfg["d"][0])
    go = rng.standard_normal(numeric.conv1d(x, w, None, groups=g, **hp).shape)
    gx, _, _ = numeric.conv1d_backward(go, x, w, groups=g, **hp)
    derived = conv_result("input", 1, g != 1).evaluate(grad_output=go, input=x, weight=w, **hp)
    np.testing.assert_allclose(derived, gx, rtol=1e-10, atol=1e-10)


def test_conv2d_stride1_groups1_derivation_matches_numeric():
    """The specialised (groups=1, stride=1) derivation, not only the general one."""
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 6, 5)), rng.standard_normal((4, 3, 3, 2))
    go = rng.standard_normal(numeric.conv2d(x, w, None, 1, 1, 2).shape)
    gx, gw, _ = numeric.conv2d_backward(go, x, w, 1, 1, 2)
    r = derive.conv_backward("input", stride=1, padding=1, dilation=2)
    np.testing.assert_allclose(r.evaluate(grad_output=go, input=x, weight=w), gx, atol=1e-10)
    r = derive.conv_backward("weight", stride=1, padding=1, dilation=2)
    np.testing.assert_allclose(r.evaluate(grad_output=go, input=x, weight=w), gw, atol=1e-10)


# -- pooling --------------------------------------------------------------------------------------------


@st.composite
def pool_configs(draw, kind):
    k = tuple(draw(st.integers(1, 3)) for _ in range(2))
    s = tuple(draw(st.integers(1, 3)) for _ in range(2))
    d = tuple(draw(st.integers(1, 2)) for _ in range(2)) if kind == "max" else (1, 1)
    P = tuple(draw(st.integers(0, k[t] // 2)) for t in range(2))
    size = tuple(draw(st.integers(max(1, d[t] * (k[t] - 1) + 1 - 2 * P[t]), 7)) for t in range(2))
    return dict(k=k, s=s, d=d, P=P, size=size, ceil_mode=draw(st.booleans()),
                count_include_pad=draw(st.booleans()), seed=draw(st.integers(0, 2**16)))


@given(cfg=pool_configs("max"))
def test_max_pool2d_backward_matches_numeric_and_finite_differences(cfg):
    rng = np.random.default_rng(cfg["seed"])
    # distinct values 0.1 apart: max is differentiable only away from ties (a near-tie within the finite-difference
    # step, as random normals give now and then, makes the difference quotient jump); ties are tested below
    shape = (2, 2, *cfg["size"])
    x = rng.permutation(int(np.prod(shape))).reshape(shape) / 10.0
    hp = dict(stride=cfg["s"], padding=cfg["P"], dilation=cfg["d"], ceil_mode=cfg["ceil_mode"])
    y = numeric.max_pool2d(x, cfg["k"], **hp)
    go = rng.standard_normal(y.shape)
    r = pool_result("max", cfg["ceil_mode"], True, 2)
    kw = dict(input=x, kernel_size=cfg["k"], stride=cfg["s"], padding=cfg["P"], dilation=cfg["d"])
    # With dilation a window can hold padding only (e.g. taps at −1 and 1 of a 1-pixel input): its max is −inf,
    # as in PyTorch, and it passes no gradient back, whatever its grad_output.
    empty = np.isneginf(y)
    if empty.any():
        moved = r.evaluate(grad_output=np.where(empty, 1e3, go), **kw)
        np.testing.assert_array_equal(moved, r.evaluate(grad_output=np.where(empty, 0.0, go), **kw))
        go = np.where(empty, 0.0, go)  # then the finite differences below stay finite
    witness = numeric.max_pool2d_backward(go, x, cfg["k"], **hp)
    derived = r.evaluate(grad_output=go, **kw)
    np.testing.assert_allclose(derived, witness, rtol=1e-12, atol=1e-12)
    assert_fd(derived, lambda xx: float(np.sum(go * np.where(empty, 0.0, numeric.max_pool2d(xx, cfg["k"], **hp)))),
              x, rng)


def test_max_pool_window_of_padding_only_passes_no_gradient():
    """Kernel 2, dilation 2, padding 1 on a 1-pixel row: the window's taps are both padding (found by Hypothesis)."""
    x = np.full((1, 1, 1, 1), 3.0)
    y = numeric.max_pool2d(x, (1, 2), padding=(0, 1), dilation=(1, 2))
    assert y.shape == (1, 1, 1, 1) and np.isneginf(y).all()
    derived = pool_result("max", False, True, 2).evaluate(grad_output=np.ones_like(y), input=x, kernel_size=(1, 2),
                                                          stride=(1, 2), padding=(0, 1), dilation=(1, 2))
    np.testing.assert_array_equal(derived, np.zeros_like(x))


def test_max_pool_ties_go_to_the_first_maximum_in_row_major_order():
    x = np.zeros((1, 1, 2, 2))  # all four tie
    go = np.ones((1, 1, 1, 1))
    derived = derive.pool_backward("max", 2).evaluate(grad_output=go, input=x)
    np.testing.assert_array_equal(derived, numeric.max_pool2d_backward(go, x, 2))
    np.testing.assert_array_equal(derived[0, 0], [[1.0, 0.0], [0.0, 0.0]])


@given(cfg=pool_configs("avg"))
def test_avg_pool2d_backward_matches_numeric_and_finite_differences(cfg):
    rng = np.random.default_rng(cfg["seed"])
    x = rng.standard_normal((1, 2, *cfg["size"]))
    hp = dict(stride=cfg["s"], padding=cfg["P"], ceil_mode=cfg["ceil_mode"], count_include_pad=cfg["count_include_pad"])
    y = numeric.avg_pool2d(x, cfg["k"], **hp)
    go = rng.standard_normal(y.shape)
    witness = numeric.avg_pool2d_backward(go, x, cfg["k"], **hp)
    r = pool_result("avg", cfg["ceil_mode"], cfg["count_include_pad"], 2)
    derived = r.evaluate(grad_output=go, input=x, kernel_size=cfg["k"], stride=cfg["s"], padding=cfg["P"])
    np.testing.assert_allclose(derived, witness, rtol=1e-12, atol=1e-12)
    assert_fd(derived, lambda xx: float(np.sum(go * numeric.avg_pool2d(xx, cfg["k"], **hp))), x, rng)


# -- dense, batch norm, softmax cross-entropy ---------------------------------------------------------------


@pytest.mark.parametrize("wrt", ["input", "weight", "bias"])
@given(n=st.integers(1, 4), f_in=st.integers(1, 5), f_out=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_dense_backward_matches_numeric_and_finite_differences(wrt, n, f_in, f_out, seed):
    rng = np.random.default_rng(seed)
    x, w, b = rng.standard_normal((n, f_in)), rng.standard_normal((f_out, f_in)), rng.standard_normal(f_out)
    go = rng.standard_normal((n, f_out))
    witness = dict(zip(("input", "weight", "bias"), numeric.linear_backward(go, x, w)))[wrt]
    derived = derive.dense_backward(wrt).evaluate(grad_output=go, input=x, weight=w)
    np.testing.assert_allclose(derived, witness, rtol=1e-12, atol=1e-12)
    f = {
        "input": (lambda v: float(np.sum(go * numeric.linear(v, w, b))), x),
        "weight": (lambda v: float(np.sum(go * numeric.linear(x, v, b))), w),
        "bias": (lambda v: float(np.sum(go * numeric.linear(x, w, v))), b),
    }[wrt]
    assert_fd(derived, *f, rng)


@pytest.mark.parametrize("wrt", ["input", "weight", "bias"])
@given(shape=st.sampled_from([(4, 3), (2, 2, 5), (2, 3, 3, 2), (3, 1, 2, 2)]), seed=st.integers(0, 2**16))
def test_batch_norm_backward_matches_numeric_and_finite_differences(wrt, shape, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    gamma, beta = rng.standard_normal(shape[1]), rng.standard_normal(shape[1])
    go = rng.standard_normal(shape)
    witness = dict(zip(("input", "weight", "bias"), numeric.batch_norm_backward(go, x, None, None, gamma, training=True, eps=1e-5)))[wrt]
    derived = derive.batch_norm_backward(wrt, dims=len(shape) - 2).evaluate(grad_output=go, input=x, weight=gamma)
    np.testing.assert_allclose(derived, witness, rtol=1e-9, atol=1e-10)
    f = {
        "input": (lambda v: float(np.sum(go * numeric.batch_norm(v, None, None, gamma, beta, training=True, eps=1e-5))), x),
        "weight": (lambda v: float(np.sum(go * numeric.batch_norm(x, None, None, v, beta, training=True, eps=1e-5))), gamma),
        "bias": (lambda v: float(np.sum(go * numeric.batch_norm(x, None, None, gamma, v, training=True, eps=1e-5))), beta),
    }[wrt]
    assert_fd(derived, *f, rng, rel=1e-5)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@given(n=st.integers(1, 4), k=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_softmax_ce_backward_matches_numeric_and_finite_differences(reduction, n, k, seed):
    rng = np.random.default_rng(seed)
    z, t = rng.standard_normal((n, k)), rng.integers(0, k, n)
    witness = numeric.softmax_cross_entropy_backward(1.0, z, t, reduction=reduction)
    derived = derive.softmax_ce_backward(reduction).evaluate(input=z, target=t)
    np.testing.assert_allclose(derived, witness, rtol=1e-12, atol=1e-12)
    assert_fd(derived, lambda v: float(numeric.softmax_cross_entropy(v, t, reduction=reduction)), z, rng)


# -- transposed convolution ------------------------------------------------------------------------------


@pytest.mark.parametrize("wrt", ["input", "weight", "bias"])
@given(s=st.integers(1, 3), d=st.integers(1, 2), k=st.integers(1, 3), P=st.integers(0, 1), H=st.integers(1, 4),
       groups=st.integers(1, 2), seed=st.integers(0, 2**16))
def test_conv_transpose2d_backward_matches_numeric(wrt, s, d, k, P, H, groups, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((1, 2 * groups, H, H + 1))
    w = rng.standard_normal((2 * groups, 2, k, k))
    op = max(s, d) - 1
    hp = dict(stride=s, padding=P, dilation=d, groups=groups, output_padding=op)
    try:
        y = numeric.conv_transpose2d(x, w, None, **hp)
    except ValueError:  # a negative output size: not a valid configuration
        return
    go = rng.standard_normal(y.shape)
    witness = dict(zip(("input", "weight", "bias"), numeric.conv_transpose2d_backward(go, x, w, **hp)))[wrt]
    r = conv_transpose_result(wrt, groups)
    derived = r.evaluate(grad_output=go, input=x, weight=w, stride=s, padding=P, dilation=d)
    np.testing.assert_allclose(derived, witness, rtol=1e-10, atol=1e-10)
