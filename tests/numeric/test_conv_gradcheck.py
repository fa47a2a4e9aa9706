"""Backward passes against central finite differences of the forward passes, in float64.

For ``L = Σ Y·R`` with a fixed random ``R``, ``∂L/∂θ`` from the backward pass
(called with ``grad_output = R``) must match ``(L(θ + εE) − L(θ − εE)) / 2ε``:
entry by entry on a table of small cases (fast and reference functions), and
along random directions ``E`` on Hypothesis-drawn configurations.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import numeric
import numeric.reference as ref
from tests.numeric.test_conv_kernels import CONV, CONV_T, conv_cases, conv_transpose_cases

EPS = 1e-6


def _loss(fwd, x, w, b, kw, r):
    return float(np.sum(fwd(x, w, b, **kw) * r))


def _entrywise_fd(fwd, x, w, b, kw, r):
    grads = []
    for target in (x, w, b):
        g = np.zeros_like(target)
        for idx in np.ndindex(target.shape):
            old = target[idx]
            target[idx] = old + EPS
            plus = _loss(fwd, x, w, b, kw, r)
            target[idx] = old - EPS
            minus = _loss(fwd, x, w, b, kw, r)
            target[idx] = old
            g[idx] = (plus - minus) / (2 * EPS)
        grads.append(g)
    return grads


FD_TABLE = [
    # id, transposed, nd, x shape, w shape, kwargs
    ("conv2d-stride2-pad1", False, 2, (1, 2, 5, 5), (2, 2, 3, 3), dict(stride=2, padding=1)),
    ("conv2d-dilated-per-side", False, 2, (1, 2, 5, 4), (2, 1, 2, 2),
     dict(dilation=2, padding=((1, 0), (0, 2)), groups=2)),
    ("conv2d-circular-same-s2", False, 2, (1, 1, 5, 4), (2, 1, 3, 3),
     dict(padding="same", stride=2, padding_mode="circular")),
    ("conv2d-depthwise", False, 2, (2, 3, 4, 4), (3, 1, 3, 3), dict(groups=3, padding=1)),
    ("conv1d-circular-pad-equal-to-size", False, 1, (1, 2, 3), (2, 2, 2),
     dict(padding=(3, 1), padding_mode="circular")),
    ("conv2d-reflect-per-side", False, 2, (1, 2, 4, 3), (2, 2, 3, 2),
     dict(padding=((3, 1), (0, 2)), padding_mode="reflect")),
    ("conv2d-replicate-large-pad-s2", False, 2, (1, 1, 3, 4), (2, 1, 2, 3),
     dict(padding=(5, 2), stride=2, padding_mode="replicate")),
    ("conv1d-reflect-same-dilated", False, 1, (2, 2, 5), (4, 1, 3), dict(padding="SAME", dilation=2, groups=2,
                                                                        padding_mode="reflect")),
    ("convT2d-stride2-outpad", True, 2, (1, 2, 3, 3), (2, 2, 3, 3), dict(stride=2, padding=1, output_padding=1)),
    ("convT2d-dilated-groups", True, 2, (1, 4, 2, 3), (4, 1, 2, 2), dict(dilation=3, output_padding=(2, 1),
                                                                         groups=2)),
    ("convT1d-depthwise", True, 1, (2, 3, 4), (3, 1, 3), dict(groups=3, stride=3, padding=1)),
]


@pytest.mark.parametrize("use_reference", [False, True], ids=["fast", "reference"])
@pytest.mark.parametrize("transposed, nd, x_shape, w_shape, kw", [r[1:] for r in FD_TABLE],
                         ids=[r[0] for r in FD_TABLE])
def test_backward_matches_entrywise_finite_differences(transposed, nd, x_shape, w_shape, kw, use_reference):
    table = (CONV_T if transposed else CONV)[nd]
    fwd, bwd = (table[2], table[3]) if use_reference else (table[0], table[1])
    rng = np.random.default_rng(7)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    c_out = w_shape[1] * kw.get("groups", 1) if transposed else w_shape[0]
    b = rng.standard_normal(c_out)
    r = rng.standard_normal(fwd(x, w, b, **kw).shape)
    analytic = bwd(r, x, w, **kw)
    numeric_fd = _entrywise_fd(fwd, x, w, b, kw, r)
    for got, want, name in zip(analytic, numeric_fd, ("grad_input", "grad_weight", "grad_bias")):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7, err_msg=name)


def _directional_check(table, case):
    fwd, bwd = table[0], table[1]
    x, w, b, kw = case
    rng = np.random.default_rng(3)
    r = rng.standard_normal(fwd(x, w, b, **kw).shape)
    grads = bwd(r, x, w, **kw)
    for k, g in enumerate(grads):
        e = rng.standard_normal(g.shape)
        args_plus = [x, w, b]
        args_minus = [x, w, b]
        args_plus[k] = args_plus[k] + EPS * e
        args_minus[k] = args_minus[k] - EPS * e
        fd = (_loss(fwd, *args_plus, kw, r) - _loss(fwd, *args_minus, kw, r)) / (2 * EPS)
        assert fd == pytest.approx(float(np.sum(g * e)), rel=1e-6, abs=1e-6)


@settings(max_examples=15)
@given(nd=st.sampled_from([1, 2]), data=st.data())
def test_conv_backward_matches_directional_finite_differences(nd, data):
    _directional_check(CONV[nd], data.draw(conv_cases(nd)))


@settings(max_examples=15)
@given(nd=st.sampled_from([1, 2]), data=st.data())
def test_conv_transpose_backward_matches_directional_finite_differences(nd, data):
    _directional_check(CONV_T[nd], data.draw(conv_transpose_cases(nd)))


def test_transposed_convolution_is_the_adjoint_of_convolution():
    """⟨conv2d(x, w), y⟩ = ⟨x, conv_transpose2d(y, w)⟩ — the definition the backward pass relies on."""
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal((2, 4, 7, 6)), rng.standard_normal((6, 2, 3, 2))
    kw = dict(stride=2, padding=1, dilation=(1, 2), groups=2)
    y = rng.standard_normal(numeric.conv2d(x, w, **kw).shape)
    lhs = np.sum(numeric.conv2d(x, w, **kw) * y)
    xt = numeric.conv_transpose2d(y, w, output_padding=(0, 1), **kw)
    assert xt.shape == x.shape
    assert lhs == pytest.approx(np.sum(x * xt), rel=1e-12)
    np.testing.assert_allclose(numeric.conv2d_backward(y, x, w, **kw)[0], xt, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ref.conv_transpose2d_ref(y, w, output_padding=(0, 1), **kw), xt, rtol=1e-12,
                               atol=1e-12)
