"""Numba kernels that unfold an image into patch columns and fold them back (private).

``im2col`` turns a convolution into one matrix product over the whole batch:
the column ``(n, l)``, ``l = i·W_out + j``, of ``cols`` (shape
``(C·kh·kw, N, L)``, read as a ``C·kh·kw × N·L`` matrix) holds the input patch
that output pixel ``(i, j)`` of sample ``n`` sees, one row per ``(c, p, q)``
(channel, kernel row, kernel column), so that
``Y[:, n] = W.reshape(C_out, -1) @ cols[:, n]`` for all ``n`` at once (per group).
One large product keeps BLAS's threads busy with few synchronisations, where
a product per sample paid them ``N`` times.
``col2im`` is its adjoint: it adds every column entry back into the input
pixel it came from, which is exactly what the input-gradient needs.

The kernels do arithmetic only, on contiguous arrays prepared by the callers.
``circular=True`` reads the padding by wrapping around (index modulo the size)
instead of as zeros.

The kernels are serial on purpose: they are memory-bound and cost a fraction
of the matrix products, which BLAS runs on all cores. Running Numba's OpenMP
threads between BLAS calls made the two thread pools spin against each other
(measured on 2 cores: a 0.4 ms unfold took 7 ms, a 9 ms product 180 ms).
They release the GIL (``nogil=True``) so that :mod:`numeric._batch_split`
can run the chunks of a large batch on several threads at once.

The two kernels walk the same (row, sample, output row) loops and differ in
the update only. They stay two functions on purpose: merged into one with a
direction flag (as the depthwise kernels are), the per-row branches cost
5-60 % on the benchmark shapes (measured; most on LeNet's 10-pixel rows).

Implementation note: the kernels address flattened arrays with unsigned
offsets. An index that Numba cannot prove non-negative gets a wrap-around
check (Python's negative indexing) on every access, which stops LLVM from
vectorising the row copies; unsigned offsets remove the check. Each offset is
non-negative by construction (only in-image positions are addressed).
"""

from __future__ import annotations

import numpy as np
from numba import njit, uint64

__all__ = ["im2col2d", "im2col2d_phases", "column_phases", "merge_column_phases", "col2im2d", "col2im2d_add",
           "col2im2d_phases"]


@njit(cache=True, inline="always")
def _valid_range(start: int, step: int, size: int, n_out: int):
    """Indices ``j`` in ``[0, n_out)`` with ``0 <= start + step·j < size`` as ``[lo, hi)``."""
    lo = 0
    if start < 0:
        lo = (-start + step - 1) // step
    hi = n_out
    last = size - 1 - start
    if last < 0:
        hi = 0
    else:
        hi = min(n_out, last // step + 1)
    if hi < lo:
        hi = lo
    return lo, hi


@njit(cache=True, nogil=True)
def im2col2d(x, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, cols):
    """Unfold ``x`` (N, C, H, W) into ``cols`` (C·kh·kw, N, ho·wo).

    .. math:: \\mathrm{cols}[(c k_h + p) k_w + q, n, i w_o + j] =
              X[n, c, s_h i + d_h p - P_h, s_w j + d_w q - P_w]

    (zero outside the image, or wrapped around when ``circular``). ``cols`` is
    written front to back.
    """
    n_batch, n_chan, h_in, w_in = x.shape
    xf = x.ravel()
    cf = cols.ravel()
    for r in range(n_chan * kh * kw):  # row r = (c·kh + p)·kw + q
        c, p, q = r // (kh * kw), (r // kw) % kh, r % kw
        w0 = q * dw - pw
        j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
        for n in range(n_batch):
            t = n * n_chan + c  # the input plane (n, c)
            for i in range(ho):
                h = i * sh + p * dh - ph
                d0 = uint64(((r * n_batch + n) * ho + i) * wo)
                if circular:
                    x_row = (t * h_in + h % h_in) * w_in
                    for j in range(wo):
                        cf[d0 + uint64(j)] = xf[x_row + (w0 + j * sw) % w_in]
                elif h < 0 or h >= h_in:
                    for j in range(uint64(wo)):
                        cf[d0 + j] = 0.0
                else:
                    for j in range(uint64(j_lo)):
                        cf[d0 + j] = 0.0
                    s0 = uint64((t * h_in + h) * w_in + w0 + j_lo * sw)
                    dd = d0 + uint64(j_lo)
                    n_in = uint64(j_hi - j_lo)
                    if sw == 1:  # a contiguous copy
                        for j in range(n_in):
                            cf[dd + j] = xf[s0 + j]
                    else:
                        usw = uint64(sw)
                        for j in range(n_in):
                            cf[dd + j] = xf[s0 + j * usw]
                    for j in range(uint64(j_hi), uint64(wo)):
                        cf[d0 + j] = 0.0


@njit(cache=True, nogil=True)
def col2im2d(cols, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gx):
    """Fold ``cols`` (C·kh·kw, N, ho·wo) back into ``gx`` (N, C, H, W), adding overlaps.

    The adjoint of :func:`im2col2d`:

    .. math:: G[n, c, a, b] = \\sum_{p, q, i, j \\,:\\, s_h i + d_h p - P_h = a,\\;
              s_w j + d_w q - P_w = b} \\mathrm{cols}[(c k_h + p) k_w + q, n, i w_o + j]

    (indices taken modulo the size when ``circular``). ``gx`` is overwritten;
    ``cols`` is read front to back.
    """
    gx.ravel()[:] = 0.0
    col2im2d_add(cols, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gx)


@njit(cache=True, nogil=True)
def col2im2d_add(cols, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gx):
    """:func:`col2im2d` without clearing ``gx`` first: adds the fold to it (tile by tile)."""
    n_batch, n_chan, h_in, w_in = gx.shape
    gf = gx.ravel()
    cf = cols.ravel()
    for r in range(n_chan * kh * kw):  # row r = (c·kh + p)·kw + q
        c, p, q = r // (kh * kw), (r // kw) % kh, r % kw
        w0 = q * dw - pw
        j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
        for n in range(n_batch):
            t = n * n_chan + c  # the plane (n, c)
            for i in range(ho):
                h = i * sh + p * dh - ph
                d0 = uint64(((r * n_batch + n) * ho + i) * wo)
                if circular:
                    x_row = (t * h_in + h % h_in) * w_in
                    for j in range(wo):
                        gf[x_row + (w0 + j * sw) % w_in] += cf[d0 + uint64(j)]
                elif h >= 0 and h < h_in and j_hi > j_lo:
                    s0 = uint64((t * h_in + h) * w_in + w0 + j_lo * sw)
                    dd = d0 + uint64(j_lo)
                    n_in = uint64(j_hi - j_lo)
                    if sw == 1:
                        for j in range(n_in):
                            gf[s0 + j] += cf[dd + j]
                    else:
                        usw = uint64(sw)
                        for j in range(n_in):
                            gf[s0 + j * usw] += cf[dd + j]


def column_phases(x, sw: int, out=None):
    """``x`` (N, C, H, W) split into its ``sw`` column phases: (N, C, H, sw, ⌈W/sw⌉) with
    ``xs[n, c, h, r, m] = x[n, c, h, m·sw + r]`` (zero past the last column).

    A stride-``sw`` row of :func:`im2col2d` (columns ``w0, w0 + sw, w0 + 2 sw, …``) is then one
    contiguous run of phase ``w0 mod sw`` (see :func:`im2col2d_phases`).

    >>> column_phases(np.arange(5.0).reshape(1, 1, 1, 5), 2)[0, 0, 0]
    array([[0., 2., 4.],
           [1., 3., 0.]])
    """
    n, c, h, w = x.shape
    wq = -(-w // sw)
    if out is None:
        out = np.empty((n, c, h, sw, wq), x.dtype)
    for r in range(sw):
        m = len(range(r, w, sw))
        out[:, :, :, r, :m] = x[:, :, :, r::sw]
        out[:, :, :, r, m:] = 0
    return out


@njit(cache=True, nogil=True)
def im2col2d_phases(xs, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, cols):
    """:func:`im2col2d` (zero padding) of ``x`` given as its column phases ``xs`` = :func:`column_phases` ``(x, sw)``:
    every row copy is contiguous, where the strided gather of :func:`im2col2d` did not vectorise.

    .. math:: \\mathrm{cols}[(c k_h + p) k_w + q, n, i w_o + j] = X[n, c, s_h i + d_h p - P_h, s_w j + d_w q - P_w]
              = X_s[n, c, s_h i + d_h p - P_h, (d_w q - P_w) \\bmod s_w, \\lfloor (d_w q - P_w)/s_w \\rfloor + j]
    """
    n_batch, n_chan, h_in, _, wq = xs.shape
    w_in = sw * wq  # columns past the input's end are zeros in xs, and _valid_range keeps within the image
    xf = xs.ravel()
    cf = cols.ravel()
    for r in range(n_chan * kh * kw):  # row r = (c·kh + p)·kw + q
        c, p, q = r // (kh * kw), (r // kw) % kh, r % kw
        w0 = q * dw - pw
        j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
        first = w0 + j_lo * sw  # the first in-image column: phase first mod sw, position first // sw
        phase, m0 = first % sw, first // sw
        for n in range(n_batch):
            t = n * n_chan + c  # the input plane (n, c)
            for i in range(ho):
                h = i * sh + p * dh - ph
                d0 = uint64(((r * n_batch + n) * ho + i) * wo)
                if h < 0 or h >= h_in:
                    for j in range(uint64(wo)):
                        cf[d0 + j] = 0.0
                else:
                    for j in range(uint64(j_lo)):
                        cf[d0 + j] = 0.0
                    s0 = uint64(((t * h_in + h) * sw + phase) * wq + m0)
                    dd = d0 + uint64(j_lo)
                    for j in range(uint64(j_hi - j_lo)):
                        cf[dd + j] = xf[s0 + j]
                    for j in range(uint64(j_hi), uint64(wo)):
                        cf[d0 + j] = 0.0


def merge_column_phases(xs, out):
    """The inverse of :func:`column_phases`: ``out`` (N, C, H, W) ← the phases ``xs`` (N, C, H, sw, ⌈W/sw⌉).

    >>> out = np.empty((1, 1, 1, 5))
    >>> merge_column_phases(column_phases(np.arange(5.0).reshape(1, 1, 1, 5), 2), out)[0, 0, 0]
    array([0., 1., 2., 3., 4.])
    """
    sw, w = xs.shape[3], out.shape[3]
    for r in range(sw):
        out[:, :, :, r::sw] = xs[:, :, :, r, :len(range(r, w, sw))]
    return out


@njit(cache=True, nogil=True)
def col2im2d_phases(cols, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, gs):
    """:func:`col2im2d` (zero padding, adding into ``gs``, not clearing it) of an input held as its column phases
    ``gs`` (N, C, H, sw, ⌈W/sw⌉) (see :func:`column_phases`): every row's additions are contiguous.

    .. math:: G_s[n, c, a, (s_w j + w_0) \\bmod s_w, \\lfloor (s_w j + w_0)/s_w \\rfloor]
              \\mathrel{+}= \\mathrm{cols}[(c k_h + p) k_w + q, n, i w_o + j], \\quad a = s_h i + d_h p - P_h,\\;
              w_0 = d_w q - P_w

    Entries at columns past the input's end (phase padding) receive sums too; :func:`merge_column_phases`
    drops them.
    """
    n_batch, n_chan, h_in, _, wq = gs.shape
    w_in = sw * wq
    gf = gs.ravel()
    cf = cols.ravel()
    for r in range(n_chan * kh * kw):  # row r = (c·kh + p)·kw + q
        c, p, q = r // (kh * kw), (r // kw) % kh, r % kw
        w0 = q * dw - pw
        j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
        first = w0 + j_lo * sw
        phase, m0 = first % sw, first // sw
        for n in range(n_batch):
            t = n * n_chan + c
            for i in range(ho):
                h = i * sh + p * dh - ph
                if h >= 0 and h < h_in and j_hi > j_lo:
                    d0 = uint64(((r * n_batch + n) * ho + i) * wo + j_lo)
                    s0 = uint64(((t * h_in + h) * sw + phase) * wq + m0)
                    for j in range(uint64(j_hi - j_lo)):
                        gf[s0 + j] += cf[d0 + j]
