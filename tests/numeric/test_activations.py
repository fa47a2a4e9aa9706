"""ReLU, leaky ReLU and sigmoid: PyTorch agreement, finite differences, dtypes and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

import numeric
from tests.helpers import requires_torch
from tests.numeric.test_pool_gradients import directional_check
from tests.numeric.test_pool_torch import rel_err, torch_fwd_bwd

# values kept away from the kink at 0 (finite differences need |x| > eps)
AWAY_FROM_ZERO = st.floats(0.01, 30.0).flatmap(lambda v: st.sampled_from([v, -v]))
ARRAYS = nps.arrays(np.float64, nps.array_shapes(min_dims=1, max_dims=4, max_side=5), elements=AWAY_FROM_ZERO)
SLOPES = st.floats(-2.0, 2.0, allow_nan=False)


def _cases(slope=0.01):
    return {
        "relu": (numeric.relu, numeric.relu_backward, (), "relu", ()),
        "leaky_relu": (numeric.leaky_relu, numeric.leaky_relu_backward, (slope,), "leaky_relu", (slope,)),
        "sigmoid": (numeric.sigmoid, numeric.sigmoid_backward, (), "sigmoid", ()),
    }


NAMES = ["relu", "leaky_relu", "sigmoid"]


@requires_torch
@pytest.mark.parametrize("name", NAMES)
@given(x=ARRAYS, slope=SLOPES, seed=st.integers(0, 2**16))
def test_activation_vs_torch(name, x, slope, seed):
    import torch
    import torch.nn.functional as F

    fwd, bwd, args, tname, targs = _cases(slope)[name]
    g = np.random.default_rng(seed).standard_normal(x.shape)
    theirs = torch.sigmoid if tname == "sigmoid" else getattr(F, tname)
    y_t, gx_t = torch_fwd_bwd(theirs, x, g, *targs)
    assert rel_err(fwd(x, *args), y_t) < 1e-8
    assert rel_err(bwd(g, x, *args), gx_t) < 1e-8


@pytest.mark.parametrize("name", NAMES)
@given(x=ARRAYS, slope=SLOPES, seed=st.integers(0, 2**16))
def test_activation_backward_is_the_gradient(name, x, slope, seed):
    fwd, bwd, args, _, _ = _cases(slope)[name]
    rng = np.random.default_rng(seed)
    g = rng.standard_normal(x.shape)
    directional_check(lambda z: float(np.sum(g * fwd(z, *args))), bwd(g, x, *args), x, rng)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_keeps_dtype_and_shape(name, dtype):
    fwd, bwd, args, _, _ = _cases()[name]
    x = np.linspace(-3, 3, 24, dtype=dtype).reshape(2, 3, 4)
    y = fwd(x, *args)
    gx = bwd(np.ones_like(x), x, *args)
    assert y.dtype == dtype and gx.dtype == dtype and y.shape == gx.shape == x.shape


def test_activation_values_at_special_points():
    x = np.array([-np.inf, -800.0, 0.0, 800.0, np.inf])
    np.testing.assert_array_equal(numeric.relu(x), [0, 0, 0, 800, np.inf])
    np.testing.assert_array_equal(numeric.sigmoid(x), [0, 0, 0.5, 1, 1])  # no overflow warning, no NaN
    np.testing.assert_array_equal(numeric.relu_backward(np.ones(5), x), [0, 0, 0, 1, 1])
    np.testing.assert_array_equal(numeric.leaky_relu_backward(np.ones(5), x, 0.2), [0.2, 0.2, 0.2, 1, 1])


@pytest.mark.parametrize("name, kw", [("relu", {}), ("leaky_relu", {"negative_slope": 0.3})])
def test_inplace_writes_into_the_input(name, kw):
    x = np.array([-2.0, 0.0, 3.0])
    want = getattr(numeric, name)(x.copy(), **kw)
    y = getattr(numeric, name)(x, inplace=True, **kw)
    assert y is x
    np.testing.assert_array_equal(x, want)


BAD = [
    ("integer input", lambda: numeric.relu(np.arange(3)), TypeError, "relu: input has dtype int64; expected float32 or float64"),
    ("bool input", lambda: numeric.sigmoid(np.array([True])), TypeError, "sigmoid: input has dtype bool; expected float32 or float64"),
    ("grad of wrong shape", lambda: numeric.sigmoid_backward(np.ones(3), np.ones(4)), ValueError,
     "sigmoid_backward: grad_output must have the forward output's shape (4,), got (3,)"),
    ("grad of other dtype", lambda: numeric.relu_backward(np.ones(3, np.float32), np.ones(3)), TypeError,
     "relu_backward: dtypes differ: grad_output is float32, input is float64"),
    ("NaN slope", lambda: numeric.leaky_relu(np.ones(3), float("nan")), ValueError, "negative_slope must be finite, got nan"),
    ("infinite slope", lambda: numeric.leaky_relu_backward(np.ones(3), np.ones(3), float("inf")), ValueError,
     "negative_slope must be finite, got inf"),
    ("inplace on a list", lambda: numeric.relu([1.0, -1.0], inplace=True), TypeError,
     "relu: inplace=True needs a NumPy array input (the result is written into it), got list"),
    ("inplace not a bool", lambda: numeric.leaky_relu(np.ones(3), 0.1, "yes"), TypeError,
     "leaky_relu: inplace must be True or False, got str 'yes'"),
    ("string slope", lambda: numeric.leaky_relu(np.ones(3), "0.1"), TypeError, "negative_slope must be a real number, got str"),
]


@pytest.mark.parametrize("call, exc, fragment", [pytest.param(c, e, m, id=i) for i, c, e, m in BAD])
def test_bad_activation_input(call, exc, fragment):
    import re

    with pytest.raises(exc, match=re.escape(fragment)):
        call()
