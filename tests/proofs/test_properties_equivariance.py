"""check_equivariance / check_invariance on user functions: hand-written convs, broken ones, torch.

The counterexamples returned are recomputed here: a failure must really fail.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import numeric
from proofs import Verdict, check_equivariance, check_invariance
from proofs.properties.shifts import shift
from proofs.strategies import conv2d_configs
from tests.helpers import requires_torch

RNG = np.random.default_rng(1)
W3 = RNG.standard_normal((2, 1, 3, 3))

@pytest.fixture(autouse=True)
def serial_numba():
    """Tiny arrays: one Numba thread (parallel launches cost more than the work, on a loaded machine)."""
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(before)



def hand_conv_circular(x, w=W3):
    """A user's circular 'same' convolution, written with np.roll (no numeric)."""
    out = np.zeros((x.shape[0], w.shape[0], *x.shape[2:]))
    k = w.shape[-1] // 2
    for o in range(w.shape[0]):
        for c in range(w.shape[1]):
            for p in range(w.shape[2]):
                for q in range(w.shape[3]):
                    out[:, o] += w[o, c, p, q] * np.roll(x[:, c], (k - p, k - q), axis=(1, 2))
    return out


def hand_conv_with_position_bias(x):
    """Conv plus a bias that depends on the row: not equivariant."""
    return hand_conv_circular(x) + 0.1 * np.arange(x.shape[2])[:, None]


def recompute(fn, ce, boundary="circular"):
    """fn(shift(x)) and shift'(fn(x)) from scratch."""
    lhs = fn(shift(ce.input, ce.shift, boundary=boundary))
    rhs = shift(fn(ce.input), ce.output_shift, boundary=boundary)
    return lhs, rhs


def test_hand_written_circular_conv_is_equivariant_for_every_shift():
    r = check_equivariance(hand_conv_circular, input_shape=(1, 1, 5, 6), shift=range(-12, 13), max_examples=15)
    assert r.holds and r.verdict is Verdict.CORRECT and r.counterexample is None
    assert r.measurements["compared_positions"] == 2 * 5 * 6


def test_position_dependent_bias_gets_a_counterexample_that_really_fails():
    r = check_equivariance(hand_conv_with_position_bias, input_shape=(1, 1, 5, 5), shift=range(-2, 3),
                           max_examples=15)
    assert r.holds is False and r.verdict is Verdict.INCORRECT and r.error is None
    ce = r.counterexample
    assert ce.shift[0] % 5 != 0  # only a vertical shift can expose a row-dependent bias
    lhs, rhs = recompute(hand_conv_with_position_bias, ce)
    assert not np.allclose(lhs, rhs)
    np.testing.assert_allclose(lhs, ce.lhs)
    np.testing.assert_allclose(rhs, ce.rhs)
    assert ce.where and all(not np.isclose(lhs[w], rhs[w]) for w in ce.where)


@settings(max_examples=6, suppress_health_check=[HealthCheck.nested_given])
@given(conv2d_configs(max_size=6, max_channels=2, strides=(1,), padding_modes=("circular",), same_size=True))
def test_numeric_conv2d_circular_is_equivariant(cfg):
    w = RNG.standard_normal(cfg.weight_shape)

    def conv(x):
        return numeric.conv2d(x, w, padding_mode="circular", **cfg.kwargs())

    r = check_equivariance(conv, input_shape=cfg.input_shape, shift=range(-6, 7), max_examples=8)
    assert r.holds, r.summary()


def test_subsampling_shift_by_one_has_a_counterexample_and_a_computed_condition():
    def subsample(x):
        return x[..., ::2, ::2]

    r = check_equivariance(subsample, input_shape=(1, 1, 6, 6), shift=range(-3, 4), stride=2, max_examples=20)
    assert r.verdict is Verdict.CONDITIONAL and "mod S" in r.condition
    ce = r.counterexample
    assert any(d % 2 for d in ce.shift)
    for out_shift in {(d // 2 for d in ce.shift), tuple(-(-d // 2) for d in ce.shift)}:  # both roundings fail
        out_shift = tuple(out_shift)
        assert not np.allclose(subsample(shift(ce.input, ce.shift)), shift(subsample(ce.input), out_shift))


@pytest.mark.parametrize(
    "fn, shape, message",
    [
        pytest.param(lambda x: x.reshape(7, 7), (1, 1, 4, 4), "raised ValueError", id="raises"),
        pytest.param(lambda x: x / (x - x), (1, 1, 3, 3), "non-finite", id="nan"),
        pytest.param(lambda x: "text", (1, 1, 3, 3), "not a numeric", id="not-an-array"),
        pytest.param(lambda x: x.sum(axis=-1), (1, 1, 3, 3), "axes", id="drops-an-axis"),
        pytest.param(lambda x: x[..., : int(x.sum() > 0) + 1, :], (1, 1, 3, 3), "returned shape", id="shape-changes"),
    ],
)
def test_a_misbehaving_function_gets_a_result_that_says_so(fn, shape, message):
    r = check_equivariance(fn, input_shape=shape, shift=range(-1, 2), max_examples=10)
    assert r.holds is False and r.error is not None and message in r.error
    assert r.verdict is Verdict.UNRECOGNIZED


def test_invariance_of_a_global_sum_and_failure_of_a_corner_read():
    assert check_invariance(lambda x: x.sum(axis=(2, 3)), input_shape=(1, 2, 4, 4), shift=range(-4, 5),
                            max_examples=10).holds
    r = check_invariance(lambda x: x[:, :, 0, 0], input_shape=(1, 1, 4, 4), shift=(1, 0), max_examples=10)
    ce = r.counterexample
    assert not r.holds and ce.input[0, 0, 3, 0] != ce.input[0, 0, 0, 0]  # the corner after the shift differs


def test_invariance_error_when_function_raises():
    r = check_invariance(lambda x: 1 / 0, input_shape=(2, 2), shift=1)
    assert r.error == "<lambda> raised ZeroDivisionError: division by zero" and r.verdict is Verdict.UNRECOGNIZED
    assert r.label == "ERROR"


def test_zero_boundary_margin_probed_for_a_black_box():
    def box(x):  # zero-padded 3-tap box filter along W
        p = np.pad(x, ((0, 0), (0, 0), (0, 0), (1, 1)))
        return p[..., :-2] + p[..., 1:-1] + p[..., 2:]

    r = check_equivariance(box, input_shape=(1, 1, 1, 8), shift=range(-2, 3), boundary="zero", axes=(3,),
                           max_examples=15)
    assert r.holds and "estimated by perturbing" in r.evidence
    wrong = check_equivariance(box, input_shape=(1, 1, 1, 8), shift=range(-2, 3), boundary="zero", axes=(3,),
                               margin=0, max_examples=15)
    assert not wrong.holds  # without a margin the padding shows


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        pytest.param(dict(boundary="mirror"), ValueError, "boundary", id="boundary"),
        pytest.param(dict(input_shape=(0, 3)), ValueError, "input_shape", id="empty-shape"),
        pytest.param(dict(stride=0), ValueError, "stride", id="stride"),
        pytest.param(dict(shift=range(0)), ValueError, "empty", id="empty-range"),
        pytest.param(dict(max_examples=0), ValueError, "max_examples", id="max-examples"),
        pytest.param(dict(margin=-1), ValueError, "margin", id="margin"),
    ],
)
def test_bad_arguments_of_the_checker(kwargs, error, match):
    args = dict(input_shape=(1, 1, 4, 4), shift=1) | kwargs
    with pytest.raises(error, match=match):
        check_equivariance(lambda x: x, **args)


@requires_torch
def test_a_wrapped_torch_module_with_circular_padding_is_equivariant():
    import torch

    torch.manual_seed(0)
    module = torch.nn.Conv2d(1, 2, 3, padding=1, padding_mode="circular", dtype=torch.float64)

    def fn(x):
        with torch.no_grad():
            return module(torch.from_numpy(x)).numpy()

    assert check_equivariance(fn, input_shape=(1, 1, 6, 6), shift=range(-6, 7), max_examples=10).holds
    zeros = torch.nn.Conv2d(1, 2, 3, padding=1, dtype=torch.float64)

    def fz(x):
        with torch.no_grad():
            return zeros(torch.from_numpy(x)).numpy()

    assert not check_equivariance(fz, input_shape=(1, 1, 6, 6), shift=range(-2, 3), max_examples=10).holds
