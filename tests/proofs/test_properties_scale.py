"""check_equivariance on the user's own strided and upsampling maps: the stride is checked against the shapes,
measured when not given, an upsampler shifts its output by U·δ, a condition needs a tested nonzero shift, and a
function that raises is reported as its own error."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofs import check_equivariance, check_invariance
from proofs.properties.scale import measure_ratio, shape_refutes

NESTED = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.nested_given])


def strided_circular_conv(stride, weights):
    """A user's circular conv (1-D kernel along both axes via np.roll), then every stride-th output."""
    def fn(x):
        out = np.zeros_like(x)
        for p, w in enumerate(weights):
            out += w * np.roll(x, (-p, -p), axis=(2, 3))
        return out[..., ::stride, ::stride]
    fn.__qualname__ = f"conv_stride{stride}"
    return fn


def nearest_upsample(factor):
    def fn(x):
        return np.repeat(np.repeat(x, factor, axis=-1), factor, axis=-2)
    fn.__qualname__ = f"upsample{factor}"
    return fn


weights = st.lists(st.floats(0.1, 2.0), min_size=1, max_size=3)


@NESTED
@given(stride=st.integers(1, 4), multiple=st.integers(2, 3), w=weights, wrong=st.integers(2, 5))
def test_a_stride_the_shapes_refute_is_refused(stride, multiple, w, wrong):
    h = stride * multiple
    fn = strided_circular_conv(stride, w)
    out = -(-h // stride)
    if out > -(-h // wrong):  # the output is too large for a map of stride `wrong`
        with pytest.raises(ValueError, match=f"stride={wrong} does not fit the shapes of conv_stride{stride}"):
            check_equivariance(fn, input_shape=(1, 1, h, h), stride=wrong, max_examples=3)
    else:
        assert shape_refutes(in_size=h, out_size=out, ratio=Fraction(1, wrong)) is None


@NESTED
@given(size=st.integers(2, 9), stride=st.integers(2, 4))
def test_the_identity_has_no_stride_above_one(size, stride):
    with pytest.raises(ValueError, match="does not fit the shapes"):
        check_equivariance(lambda x: x, input_shape=(1, 1, size, size), stride=stride, max_examples=3)


@NESTED
@given(stride=st.integers(1, 4), multiple=st.integers(4, 5), w=weights)
def test_the_stride_is_measured_when_not_given(stride, multiple, w):
    h = stride * multiple
    fn = strided_circular_conv(stride, w)
    shape = fn(np.zeros((1, 1, h, h))).shape
    assert measure_ratio(fn, (1, 1, h, h), (2, 3), shape, circular=True) == (Fraction(1, stride),) * 2
    r = check_equivariance(fn, input_shape=(1, 1, h, h), shift=range(-h, h + 1), max_examples=15)
    if stride == 1:
        assert r.label == "CORRECT", r.summary()
    else:  # shifts that are not multiples of the stride fail; the multiples hold
        assert r.label == "CONDITIONAL" and f"S = ({stride}, {stride})" in r.condition, r.summary()
        assert "with δ ≠ 0" in r.evidence


@NESTED
@given(stride=st.integers(2, 4), multiple=st.integers(1, 3), w=weights)
def test_no_condition_without_a_tested_nonzero_multiple(stride, multiple, w):
    h = stride * multiple
    fn = strided_circular_conv(stride, w)
    r = check_equivariance(fn, input_shape=(1, 1, h, h), stride=stride, shift=range(-(stride - 1), stride),
                           max_examples=15)
    assert r.condition is None and r.label == "INCORRECT", r.summary()
    assert "no shift δ ≠ 0 that is a multiple of S could be tried" in r.evidence


@NESTED
@given(factor=st.integers(2, 3), size=st.integers(2, 5))
def test_an_upsampler_shifts_its_output_by_u_delta(factor, size):
    fn = nearest_upsample(factor)
    shape = (1, 1, size, size)
    measured = check_equivariance(fn, input_shape=shape, shift=range(-size, size + 1), max_examples=10)
    given_u = check_equivariance(fn, input_shape=shape, shift=range(-size, size + 1), upsample=factor, max_examples=10)
    assert measured.label == given_u.label == "CORRECT", measured.summary()
    assert f"{factor}·δ" in measured.evidence
    wrong = check_equivariance(fn, input_shape=shape, shift=range(-size, size + 1), upsample=factor + 1,
                               max_examples=10)
    assert wrong.label == "INCORRECT"
    with pytest.raises(ValueError, match="larger than the input"):
        check_equivariance(fn, input_shape=shape, stride=1, max_examples=3)


def test_stride_and_upsample_together_are_refused():
    with pytest.raises(ValueError, match="not both"):
        check_equivariance(lambda x: x, input_shape=(1, 1, 4, 4), stride=1, upsample=1)


@pytest.mark.parametrize("check", [check_equivariance, check_invariance], ids=["equivariance", "invariance"])
@given(message=st.text(min_size=1, max_size=20))
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.nested_given])
def test_a_function_that_raises_is_reported_as_its_error(check, message):
    def my_layer(x):
        raise RuntimeError(message)

    r = check(my_layer, input_shape=(1, 1, 4, 4), shift=1, max_examples=3)
    assert r.label == "ERROR" and r.error == f"my_layer raised RuntimeError: {message}"
    assert "[ERROR]" in r.summary() and "UNRECOGNIZED" not in r.summary()


@NESTED
@given(stride=st.integers(1, 4), multiple=st.integers(1, 5), w=weights, circular=st.booleans())
def test_a_measured_stride_is_right_or_absent_never_wrong(stride, multiple, w, circular):
    h = stride * multiple
    fn = strided_circular_conv(stride, w)
    got = measure_ratio(fn, (1, 1, h, h), (2, 3), fn(np.zeros((1, 1, h, h))).shape, circular=circular)
    assert all(r in (None, Fraction(1, stride)) for r in got), got
