"""Direct-loop Numba kernels for depthwise convolution (private).

Depthwise means ``groups = C_in = C_out``: channel ``c`` is convolved with its
own ``kh × kw`` filter only. A matrix-product formulation would multiply a
1 × k² row by k² × L columns per channel, so a direct loop over (sample,
channel) planes is faster and needs no unfolded copy. The kernels are serial
``nogil`` loops over a range of planes; :func:`numeric._batch_split.run_range`
shares the planes among threads (one thread pool for all of numeric, and a
serial kernel compiles about 4 times faster than a ``prange`` one).

.. math:: Y[n, c, i, j] = \\sum_{p, q} W[c, 0, p, q]\\, X[n, c, s_h i + d_h p - P_h, s_w j + d_w q - P_w]

Zero padding skips the out-of-image terms (the valid range of ``j`` is
computed once per row); circular padding wraps indices modulo the size.
As in :mod:`numeric._conv_im2col`, in-image rows are addressed through
unsigned offsets into flattened arrays so that the row loops vectorise.
"""

from __future__ import annotations

import numpy as np
from numba import njit, uint64

from ._batch_split import run_range
from ._conv_im2col import _valid_range

__all__ = ["depthwise_forward", "depthwise_grad_input", "depthwise_grad_weight"]


@njit(cache=True, nogil=True)
def _depthwise_pass(image, grid, weight, kh, kw, sh, sw, dh, dw, ph, pw, circular, adjoint, t_lo, t_hi):
    """The depthwise convolution (``adjoint=False``) or its adjoint (``adjoint=True``).

    ``image`` is (N, C, H, W), ``grid`` is (N, C, ho, wo). Forward: ``grid`` ←
    ``Σ_{p,q} W[c,0,p,q]·image[…]``; adjoint: ``image`` ← ``Σ_{p,q,i,j}
    W[c,0,p,q]·grid[n,c,i,j]`` over the taps that read each pixel. The same
    index pairs are visited either way, only the direction of the update
    changes. Planes ``t_lo … t_hi − 1`` (``t = n·C + c``) of the written array
    are overwritten, so that threads can share the planes (:func:`run_range`).
    """
    n_batch, n_chan, h_in, w_in = image.shape
    ho, wo = grid.shape[2], grid.shape[3]
    xf = image.ravel()
    yf = grid.ravel()
    for t in range(t_lo, t_hi):  # plane t = n·C + c
        c = t % n_chan
        if adjoint:
            x0 = uint64(t * h_in * w_in)
            for a in range(uint64(h_in * w_in)):
                xf[x0 + a] = 0.0
        else:
            y0 = uint64(t * ho * wo)
            for a in range(uint64(ho * wo)):
                yf[y0 + a] = 0.0
        for p in range(kh):
            for q in range(kw):
                wv = weight[c, 0, p, q]
                w0 = q * dw - pw
                j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
                for i in range(ho):
                    h = i * sh + p * dh - ph
                    yr = uint64(t * ho * wo + i * wo)
                    if circular:
                        x_row = (t * h_in + h % h_in) * w_in
                        if adjoint:
                            for j in range(wo):
                                xf[x_row + (w0 + j * sw) % w_in] += wv * yf[yr + uint64(j)]
                        else:
                            for j in range(wo):
                                yf[yr + uint64(j)] += wv * xf[x_row + (w0 + j * sw) % w_in]
                    elif h >= 0 and h < h_in and j_hi > j_lo:
                        s0 = uint64((t * h_in + h) * w_in + w0 + j_lo * sw)
                        d0 = yr + uint64(j_lo)
                        n_in = uint64(j_hi - j_lo)
                        usw = uint64(sw)
                        if adjoint and sw == 1:
                            for j in range(n_in):
                                xf[s0 + j] += wv * yf[d0 + j]
                        elif adjoint:
                            for j in range(n_in):
                                xf[s0 + j * usw] += wv * yf[d0 + j]
                        elif sw == 1:
                            for j in range(n_in):
                                yf[d0 + j] += wv * xf[s0 + j]
                        else:
                            for j in range(n_in):
                                yf[d0 + j] += wv * xf[s0 + j * usw]


def depthwise_forward(x, weight, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, y):
    """``y`` (N, C, ho, wo) ← depthwise convolution of ``x`` (N, C, H, W) with ``weight`` (C, 1, kh, kw).

    .. math:: Y[n, c, i, j] = \\sum_{p, q} W[c, 0, p, q]\\, X[n, c, s_h i + d_h p - P_h, s_w j + d_w q - P_w]
    """
    run_range(_depthwise_pass, x.shape[0] * x.shape[1], x, y, weight, kh, kw, sh, sw, dh, dw, ph, pw, circular, False)


def depthwise_grad_input(gy, weight, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gx):
    """``gx`` (N, C, H, W) ← ``Σ_{p,q,i,j} W[c,0,p,q]·G[n,c,i,j]`` over the taps that read each pixel."""
    run_range(_depthwise_pass, gx.shape[0] * gx.shape[1], gx, gy, weight, kh, kw, sh, sw, dh, dw, ph, pw, circular,
              True)


def depthwise_grad_weight(gy, x, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gw):
    """``gw`` (C, 1, kh, kw) ← ``Σ_{n,i,j} G[n,c,i,j]·X[n,c,s_h i + d_h p − P_h, s_w j + d_w q − P_w]``."""
    run_range(_depthwise_grad_weight, x.shape[1], gy, x, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gw)


@njit(cache=True, nogil=True)
def _depthwise_grad_weight(gy, x, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gw, c_lo, c_hi):
    """:func:`depthwise_grad_weight` for channels ``c_lo … c_hi − 1``.

    Partial sums are kept per output column (a vector the row loop updates
    element-wise, so it vectorises) in float64, and added up at the end.
    """
    n_batch, n_chan, h_in, w_in = x.shape
    gf = gy.ravel()
    xf = x.ravel()
    for c in range(c_lo, c_hi):
        acc = np.zeros(wo, dtype=np.float64)
        for p in range(kh):
            for q in range(kw):
                w0 = q * dw - pw
                j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
                acc[:] = 0.0
                for n in range(n_batch):
                    t = n * n_chan + c
                    for i in range(ho):
                        h = i * sh + p * dh - ph
                        gr = uint64(t * ho * wo + i * wo)
                        if circular:
                            x_row = (t * h_in + h % h_in) * w_in
                            for j in range(wo):
                                acc[j] += gf[gr + uint64(j)] * xf[x_row + (w0 + j * sw) % w_in]
                        elif h >= 0 and h < h_in and j_hi > j_lo:
                            s0 = uint64((t * h_in + h) * w_in + w0 + j_lo * sw)
                            d0 = gr + uint64(j_lo)
                            n_in = uint64(j_hi - j_lo)
                            a0 = uint64(j_lo)
                            if sw == 1:
                                for j in range(n_in):
                                    acc[a0 + j] += gf[d0 + j] * xf[s0 + j]
                            else:
                                usw = uint64(sw)
                                for j in range(n_in):
                                    acc[a0 + j] += gf[d0 + j] * xf[s0 + j * usw]
                gw[c, 0, p, q] = acc.sum()
