"""Shift operators: group laws of the circular shift, and the zero-fill shift against it."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from proofs.properties.shifts import circular_shift, normalize_shift, shift, spatial_axes, zero_shift

images = nps.arrays(np.float64, nps.array_shapes(min_dims=4, max_dims=4, max_side=5),
                    elements=st.floats(-1, 1, allow_subnormal=False))
deltas = st.tuples(st.integers(-7, 7), st.integers(-7, 7))


@given(images, deltas, deltas)
def test_circular_shift_composes_additively(x, a, b):
    both = circular_shift(circular_shift(x, a), b)
    np.testing.assert_array_equal(both, circular_shift(x, (a[0] + b[0], a[1] + b[1])))


@given(images, deltas)
def test_circular_shift_is_inverted_by_the_opposite_shift_and_periodic(x, d):
    np.testing.assert_array_equal(circular_shift(circular_shift(x, d), (-d[0], -d[1])), x)
    np.testing.assert_array_equal(circular_shift(x, (d[0] + x.shape[2], d[1] + x.shape[3])), circular_shift(x, d))


@given(images, deltas)
def test_zero_shift_agrees_with_circular_shift_where_nothing_wrapped(x, d):
    z, c = zero_shift(x, d), circular_shift(x, d)
    h, w = x.shape[2:]
    rows = [i for i in range(h) if 0 <= i - d[0] < h]
    cols = [j for j in range(w) if 0 <= j - d[1] < w]
    np.testing.assert_array_equal(z[:, :, rows][:, :, :, cols], c[:, :, rows][:, :, :, cols])
    assert np.count_nonzero(z) <= np.count_nonzero(x)


def test_zero_shift_by_more_than_the_size_is_zero():
    assert not zero_shift(np.ones((1, 1, 3, 3)), (3, 0)).any()


@pytest.mark.parametrize(
    "call, error, match",
    [
        pytest.param(lambda: shift(np.ones(3), 1, boundary="reflect"), ValueError, "boundary must be one of", id="boundary"),
        pytest.param(lambda: normalize_shift((1, 2, 3), 2), ValueError, "3 entries", id="too-many-shifts"),
        pytest.param(lambda: normalize_shift(1.5, 1), TypeError, "int or a sequence", id="float-shift"),
        pytest.param(lambda: normalize_shift((1, 0.5), 2), TypeError, "integers", id="float-entry"),
    ],
)
def test_bad_shifts(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_spatial_axes_follow_nchw():
    assert spatial_axes(4) == (2, 3) and spatial_axes(3) == (2,) and spatial_axes(1) == (0,)
