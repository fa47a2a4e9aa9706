"""im2col with the batch as the innermost axis, for many small images (private).

The NCHW unfolding of :mod:`numeric._conv_im2col` copies one output row
(``W_out`` numbers) at a time; on LeNet's 10- and 24-pixel rows the copy
loops barely run their vector bodies and the unfolding cost more than the
matrix product. Here the input is first transposed to ``(C, H, W, N)``
("batch last"): the patch entry ``(c, p, q)`` of output pixel ``(i, j)`` is
then the same for all ``N`` samples side by side, so a whole output row of
all samples — ``W_out·N`` numbers, contiguous at stride 1 — is one copy:

.. math:: \\mathrm{cols}[(c k_h + p) k_w + q,\\; i,\\; j,\\; n] =
          X^{t}[c,\\; s_h i + d_h p - P_h,\\; s_w j + d_w q - P_w,\\; n]

(zero outside the image). ``cols`` read as the matrix
``(C·kh·kw) × (H_out·W_out·N)`` gives the three products of the convolution
as in the im2col path, on this column order:

.. math:: Y^{t} = W \\,\\mathrm{cols}, \\qquad
          \\frac{\\partial L}{\\partial W}^T = \\mathrm{cols}\\, (G^{t})^T, \\qquad
          \\frac{\\partial L}{\\partial X^{t}} = \\mathrm{col2im}(W^T G^{t})

with ``Y^t``, ``G^t`` the output and its gradient as ``(C_out, H_out, W_out, N)``.
The transpositions to and from the batch-last layout copy the input and the
output once (small next to the patches, which are ``kh·kw`` times the input).

Examples
--------
>>> import numpy as np
>>> xt = np.arange(9.0).reshape(1, 3, 3, 1)            # one channel, 3×3, one sample
>>> cols = np.empty((4, 2, 2, 1))
>>> im2col_last(xt, 2, 2, 1, 1, 1, 1, 0, 0, 2, 2, cols)
>>> cols[:, 0, 0, 0]                                    # the 2×2 patch of output pixel (0, 0)
array([0., 1., 3., 4.])
>>> gxt = np.empty_like(xt)
>>> col2im_last(np.ones_like(cols), 2, 2, 1, 1, 1, 1, 0, 0, 2, 2, gxt)
>>> gxt[0, :, :, 0]                                     # how many patches read each pixel
array([[1., 2., 1.],
       [2., 4., 2.],
       [1., 2., 1.]])
"""

from __future__ import annotations

import numpy as np
from numba import njit, uint64

from ._conv_im2col import _valid_range

__all__ = ["MIN_BATCH", "MAX_ROW", "batch_last_applies", "im2col_last", "col2im_last", "to_batch_last",
           "from_batch_last"]

#: Smallest batch for which the batch-last layout is used: each copied run is ``N`` numbers at least.
MIN_BATCH = 8
#: Largest output row (``W_out``) for which it is used: rows of a vector's length (16 float32) or more
#: already copy well in NCHW, and the two transpositions then cost as much as they save (measured:
#: LeNet conv2, 10-pixel rows, forward 1.5 → 1.0 ms; 24-, 28- and 32-pixel rows: no gain or a loss).
MAX_ROW = 16


def batch_last_applies(geo, n: int) -> bool:
    """Whether a batch of ``n`` with this geometry is unfolded batch-last (zero padding, short rows, many samples)."""
    return not geo.circular and n >= MIN_BATCH and geo.out_size[1] <= MAX_ROW


def to_batch_last(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``a`` (N, C, …) copied into ``out`` (C, …, N) and returned."""
    np.copyto(out, np.moveaxis(a, 0, -1))
    return out


def from_batch_last(at: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``at`` (C, …, N) copied into ``out`` (N, C, …) and returned.

    (A tiled Numba transpose was no faster: its scalar loop did not vectorise, measured.)
    """
    np.copyto(out, np.moveaxis(at, -1, 0))
    return out


@njit(cache=True, nogil=True)
def im2col_last(xt, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, cols):
    """Unfold ``xt`` (C, H, W, N) into ``cols`` (C·kh·kw, ho, wo, N) (the module's formula), front to back."""
    n_chan, h_in, w_in, n_batch = xt.shape
    xf = xt.ravel()
    cf = cols.ravel()
    nb = uint64(n_batch)
    for r in range(n_chan * kh * kw):  # row r = (c·kh + p)·kw + q
        c, p, q = r // (kh * kw), (r // kw) % kh, r % kw
        w0 = q * dw - pw
        j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
        for i in range(ho):
            h = i * sh + p * dh - ph
            d0 = uint64((r * ho + i) * wo) * nb
            if h < 0 or h >= h_in or j_hi <= j_lo:
                for a in range(uint64(wo) * nb):
                    cf[d0 + a] = 0.0
                continue
            for a in range(uint64(j_lo) * nb):
                cf[d0 + a] = 0.0
            s_row = uint64((c * h_in + h) * w_in) * nb
            if sw == 1:  # the valid part of the row, all samples: one contiguous copy
                s0 = s_row + uint64(w0 + j_lo) * nb
                dd = d0 + uint64(j_lo) * nb
                for a in range(uint64(j_hi - j_lo) * nb):
                    cf[dd + a] = xf[s0 + a]
            else:
                for j in range(j_lo, j_hi):
                    s0 = s_row + uint64(w0 + j * sw) * nb
                    dd = d0 + uint64(j) * nb
                    for a in range(nb):
                        cf[dd + a] = xf[s0 + a]
            for a in range(uint64(j_hi) * nb, uint64(wo) * nb):
                cf[d0 + a] = 0.0


@njit(cache=True, nogil=True)
def col2im_last(cols, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, gxt):
    """Fold ``cols`` (C·kh·kw, ho, wo, N) back into ``gxt`` (C, H, W, N), adding overlaps: the adjoint of :func:`im2col_last`.

    ``gxt`` is overwritten.
    """
    n_chan, h_in, w_in, n_batch = gxt.shape
    gf = gxt.ravel()
    cf = cols.ravel()
    gf[:] = 0.0
    nb = uint64(n_batch)
    for r in range(n_chan * kh * kw):
        c, p, q = r // (kh * kw), (r // kw) % kh, r % kw
        w0 = q * dw - pw
        j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
        for i in range(ho):
            h = i * sh + p * dh - ph
            if h < 0 or h >= h_in or j_hi <= j_lo:
                continue
            d0 = uint64((r * ho + i) * wo) * nb
            s_row = uint64((c * h_in + h) * w_in) * nb
            if sw == 1:
                s0 = s_row + uint64(w0 + j_lo) * nb
                dd = d0 + uint64(j_lo) * nb
                for a in range(uint64(j_hi - j_lo) * nb):
                    gf[s0 + a] += cf[dd + a]
            else:
                for j in range(j_lo, j_hi):
                    s0 = s_row + uint64(w0 + j * sw) * nb
                    dd = d0 + uint64(j) * nb
                    for a in range(nb):
                        gf[s0 + a] += cf[dd + a]
