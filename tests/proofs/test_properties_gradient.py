"""check_gradient on users' backward passes: right ones hold, wrong ones get a counterexample."""

import numpy as np
import pytest
from hypothesis import strategies as st

import numeric
from proofs import Verdict, check_gradient


@pytest.fixture(autouse=True)
def serial_numba():
    """Tiny arrays: one Numba thread (parallel launches cost more than the work, on a loaded machine)."""
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(before)


W = np.random.default_rng(0).standard_normal((2, 1, 3, 3))


def conv(x):
    return numeric.conv2d(x, W, stride=2, padding=1)


def conv_backward_right(g, x):
    return numeric.conv2d_backward(g, x, W, stride=2, padding=1)[0]


def conv_backward_without_flipping(g, x):
    """A classic mistake: the kernel is not flipped when the gradient is sent back."""
    return numeric.conv2d_backward(g, x, W[..., ::-1, ::-1].copy(), stride=2, padding=1)[0]


def distinct(shape):
    """Inputs with distinct entries spaced 0.01 apart: no ties for max pooling, no kinks for ReLU."""
    n = int(np.prod(shape))
    return st.permutations(range(n)).map(lambda p: (np.array(p, dtype=np.float64) - n / 2 + 0.5) / 100).map(
        lambda a: a.reshape(shape))


def test_numeric_conv_backward_holds():
    r = check_gradient(conv, conv_backward_right, input_shape=(1, 1, 5, 5), max_examples=5)
    assert r.holds and r.verdict is Verdict.CORRECT


def test_a_wrong_backward_gets_a_counterexample_that_really_differs():
    r = check_gradient(conv, conv_backward_without_flipping, input_shape=(1, 1, 5, 5), max_examples=5)
    assert r.holds is False and r.verdict is Verdict.INCORRECT
    ce = r.counterexample
    analytic = conv_backward_without_flipping(ce["grad_output"], ce["input"])
    true = conv_backward_right(ce["grad_output"], ce["input"])
    assert not np.allclose(analytic, true)
    assert np.allclose(ce["finite_difference"], true, atol=1e-6)


def test_max_pool_backward_holds_on_distinct_inputs():
    r = check_gradient(lambda x: numeric.max_pool2d(x, 2),
                       lambda g, x: numeric.max_pool2d_backward(g, x, 2),
                       input_shape=(1, 1, 4, 4), inputs=distinct((1, 1, 4, 4)), max_examples=5)
    assert r.holds, r.summary()


def test_relu_backward_that_passes_negative_gradients_is_caught():
    r = check_gradient(lambda x: np.maximum(x, 0), lambda g, x: g, input_shape=(6,), inputs=distinct((6,)),
                       max_examples=10)
    assert not r.holds and any(r.counterexample["input"][w] < 0 for w in r.counterexample["where"])


def test_directional_mode_for_large_inputs():
    r = check_gradient(np.sin, lambda g, x: g * np.cos(x), input_shape=(20, 20), max_full=10, max_examples=3)
    assert r.holds and "directional" in r.evidence
    bad = check_gradient(np.sin, lambda g, x: g * np.sin(x), input_shape=(20, 20), max_full=10, max_examples=3)
    assert not bad.holds and bad.counterexample["compared"] == "directional derivatives"


@pytest.mark.parametrize(
    "fn, backward, message",
    [
        pytest.param(lambda x: x, lambda g, x: g[:1], "fn_backward returned shape", id="backward-shape"),
        pytest.param(lambda x: x, lambda g, x: 1 / 0, "fn_backward raised ZeroDivisionError", id="backward-raises"),
        pytest.param(lambda x: np.full_like(x, np.nan), lambda g, x: g, "non-finite", id="forward-nan"),
    ],
)
def test_misbehaving_functions_are_reported(fn, backward, message):
    r = check_gradient(fn, backward, input_shape=(3,), max_examples=3)
    assert r.error and message in r.error and r.verdict is Verdict.UNRECOGNIZED


def test_finite_difference_helper_is_exact_on_quadratics():
    from proofs.properties import finite_difference_gradient

    x = np.array([0.5, -1.0, 2.0, 0.0])
    np.testing.assert_allclose(finite_difference_gradient(lambda a: a ** 2, x, np.ones(4)), 2 * x, atol=1e-8)
