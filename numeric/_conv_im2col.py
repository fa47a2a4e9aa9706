"""Numba kernels that unfold an image into patch columns and fold them back (private).

``im2col`` turns a convolution into matrix products: for every sample ``n``,
the column ``l = i·W_out + j`` of ``cols[n]`` holds the input patch that output
pixel ``(i, j)`` sees, one row per ``(c, p, q)`` (channel, kernel row, kernel
column), so that ``Y[n] = W.reshape(C_out, -1) @ cols[n]`` (per group).
``col2im`` is its adjoint: it adds every column entry back into the input
pixel it came from, which is exactly what the input-gradient needs.

The kernels do arithmetic only, on contiguous arrays prepared by the callers.
``circular=True`` reads the padding by wrapping around (index modulo the size)
instead of as zeros.
"""

from __future__ import annotations

from numba import njit, prange

__all__ = ["im2col2d", "col2im2d"]


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


@njit(parallel=True, cache=True)
def im2col2d(x, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, cols):
    """Unfold ``x`` (N, C, H, W) into ``cols`` (N, C·kh·kw, ho·wo).

    .. math:: \\mathrm{cols}[n, (c k_h + p) k_w + q, i w_o + j] =
              X[n, c, s_h i + d_h p - P_h, s_w j + d_w q - P_w]

    (zero outside the image, or wrapped around when ``circular``).
    """
    n_batch, n_chan, h_in, w_in = x.shape
    for t in prange(n_batch * n_chan):
        n = t // n_chan
        c = t % n_chan
        for p in range(kh):
            for q in range(kw):
                row = cols[n, (c * kh + p) * kw + q]
                w0 = q * dw - pw
                j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
                for i in range(ho):
                    h = i * sh + p * dh - ph
                    # views indexed from 0: no negative-index wrap-around checks, the loops vectorise
                    dst = row[i * wo:(i + 1) * wo]
                    if circular:
                        xrow = x[n, c, h % h_in]
                        for j in range(wo):
                            dst[j] = xrow[(w0 + j * sw) % w_in]
                    elif h < 0 or h >= h_in:
                        for j in range(wo):
                            dst[j] = 0.0
                    else:
                        for j in range(j_lo):
                            dst[j] = 0.0
                        inside = dst[j_lo:j_hi]
                        if sw == 1:
                            src = x[n, c, h, w0 + j_lo:w0 + j_hi]
                            for j in range(inside.shape[0]):
                                inside[j] = src[j]
                        elif j_hi > j_lo:
                            src_s = x[n, c, h, w0 + j_lo * sw:w0 + (j_hi - 1) * sw + 1:sw]
                            for j in range(inside.shape[0]):
                                inside[j] = src_s[j]
                        for j in range(j_hi, wo):
                            dst[j] = 0.0


@njit(parallel=True, cache=True)
def col2im2d(cols, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gx):
    """Fold ``cols`` (N, C·kh·kw, ho·wo) back into ``gx`` (N, C, H, W), adding overlaps.

    The adjoint of :func:`im2col2d`:

    .. math:: G[n, c, a, b] = \\sum_{p, q, i, j \\,:\\, s_h i + d_h p - P_h = a,\\;
              s_w j + d_w q - P_w = b} \\mathrm{cols}[n, (c k_h + p) k_w + q, i w_o + j]

    (indices taken modulo the size when ``circular``). ``gx`` is overwritten.
    """
    n_batch, n_chan, h_in, w_in = gx.shape
    for t in prange(n_batch * n_chan):
        n = t // n_chan
        c = t % n_chan
        plane = gx[n, c]
        plane[:, :] = 0.0
        for p in range(kh):
            for q in range(kw):
                row = cols[n, (c * kh + p) * kw + q]
                w0 = q * dw - pw
                j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
                for i in range(ho):
                    h = i * sh + p * dh - ph
                    src = row[i * wo:(i + 1) * wo]
                    if circular:
                        prow = plane[h % h_in]
                        for j in range(wo):
                            prow[(w0 + j * sw) % w_in] += src[j]
                    elif h >= 0 and h < h_in and j_hi > j_lo:
                        inside = src[j_lo:j_hi]
                        if sw == 1:
                            dst = plane[h, w0 + j_lo:w0 + j_hi]
                            for j in range(inside.shape[0]):
                                dst[j] += inside[j]
                        else:
                            dst_s = plane[h, w0 + j_lo * sw:w0 + (j_hi - 1) * sw + 1:sw]
                            for j in range(inside.shape[0]):
                                dst_s[j] += inside[j]
