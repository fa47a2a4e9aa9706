"""The batch-last unfolding kernels against the NCHW ones, on random geometries (stride, dilation, padding)."""

from __future__ import annotations

import numpy as np
import numpy.testing as npt
from hypothesis import given, settings
from hypothesis import strategies as st

from numeric._conv_batch_last import col2im_last, from_batch_last, im2col_last, to_batch_last
from numeric._conv_im2col import col2im2d, im2col2d


@st.composite
def geometries(draw):
    n, c = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    ph, pw = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    h = draw(st.integers(max(1, dh * (kh - 1) + 1 - 2 * ph), 9))
    w = draw(st.integers(max(1, dw * (kw - 1) + 1 - 2 * pw), 9))
    ho, wo = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    return (n, c, h, w), (kh, kw, sh, sw, dh, dw, ph, pw, ho, wo), draw(st.integers(0, 2**32 - 1))


def _unpack(geo):
    """(shape, kernel arguments, rows of the patch matrix, H_out·W_out, random generator)."""
    shape, args, seed = geo
    return shape, args, shape[1] * args[0] * args[1], args[8] * args[9], np.random.default_rng(seed)


@settings(max_examples=60, deadline=None)
@given(geometries())
def test_batch_last_unfolding_is_the_nchw_one_transposed(geo):
    shape, args, rows, cells, rng = _unpack(geo)
    n, c = shape[:2]
    x = rng.standard_normal(shape)
    want = np.empty((rows, n, cells))
    im2col2d(x, *args, False, want)
    got = np.empty((rows, *args[8:], n))
    im2col_last(to_batch_last(x, np.empty((c, *shape[2:], n))), *args, got)
    npt.assert_array_equal(got.reshape(rows, cells, n).transpose(0, 2, 1), want)


@settings(max_examples=60, deadline=None)
@given(geometries())
def test_batch_last_folding_is_the_nchw_one_transposed(geo):
    shape, args, rows, cells, rng = _unpack(geo)
    n, c = shape[:2]
    cols = rng.standard_normal((rows, *args[8:], n))
    want = np.empty(shape)
    col2im2d(np.ascontiguousarray(cols.reshape(rows, cells, n).transpose(0, 2, 1)), *args, False, want)
    gxt = np.full((c, *shape[2:], n), np.nan)  # overwritten entirely
    col2im_last(cols, *args, gxt)
    npt.assert_allclose(from_batch_last(gxt, np.empty(shape)), want, rtol=1e-12, atol=1e-12)
