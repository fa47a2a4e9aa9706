"""Direct-loop Numba kernels for depthwise convolution (private).

Depthwise means ``groups = C_in = C_out``: channel ``c`` is convolved with its
own ``kh × kw`` filter only. A matrix-product formulation would multiply a
1 × k² row by k² × L columns per channel, so a direct loop, parallel over
(sample, channel) planes, is faster and needs no unfolded copy.

.. math:: Y[n, c, i, j] = \\sum_{p, q} W[c, 0, p, q]\\, X[n, c, s_h i + d_h p - P_h, s_w j + d_w q - P_w]

Zero padding skips the out-of-image terms (the valid range of ``j`` is
computed once per row); circular padding wraps indices modulo the size.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._conv_im2col import _valid_range

__all__ = ["depthwise_forward", "depthwise_grad_input", "depthwise_grad_weight"]


@njit(parallel=True, cache=True)
def depthwise_forward(x, weight, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, y):
    """``y`` (N, C, ho, wo) ← depthwise convolution of ``x`` (N, C, H, W) with ``weight`` (C, 1, kh, kw)."""
    n_batch, n_chan, h_in, w_in = x.shape
    for t in prange(n_batch * n_chan):
        n = t // n_chan
        c = t % n_chan
        xp = x[n, c]
        yp = y[n, c]
        yp[:, :] = 0.0
        for p in range(kh):
            for q in range(kw):
                wv = weight[c, 0, p, q]
                w0 = q * dw - pw
                j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
                for i in range(ho):
                    h = i * sh + p * dh - ph
                    if circular:
                        h = h % h_in
                        for j in range(wo):
                            yp[i, j] += wv * xp[h, (w0 + j * sw) % w_in]
                    elif h >= 0 and h < h_in:
                        if sw == 1:  # unit stride: contiguous, vectorisable
                            ys = yp[i, j_lo:j_hi]
                            xs = xp[h, w0 + j_lo:w0 + j_hi]
                            for j in range(ys.shape[0]):  # j >= 0: no wrap-around check, vectorises
                                ys[j] += wv * xs[j]
                        else:
                            for j in range(j_lo, j_hi):
                                yp[i, j] += wv * xp[h, w0 + j * sw]


@njit(parallel=True, cache=True)
def depthwise_grad_input(gy, weight, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gx):
    """``gx`` (N, C, H, W) ← ``Σ_{p,q,i,j} W[c,0,p,q]·G[n,c,i,j]`` over the taps that read each pixel."""
    n_batch, n_chan, h_in, w_in = gx.shape
    for t in prange(n_batch * n_chan):
        n = t // n_chan
        c = t % n_chan
        gp = gy[n, c]
        xp = gx[n, c]
        xp[:, :] = 0.0
        for p in range(kh):
            for q in range(kw):
                wv = weight[c, 0, p, q]
                w0 = q * dw - pw
                j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
                for i in range(ho):
                    h = i * sh + p * dh - ph
                    if circular:
                        h = h % h_in
                        for j in range(wo):
                            xp[h, (w0 + j * sw) % w_in] += wv * gp[i, j]
                    elif h >= 0 and h < h_in:
                        if sw == 1:
                            xs = xp[h, w0 + j_lo:w0 + j_hi]
                            gs = gp[i, j_lo:j_hi]
                            for j in range(gs.shape[0]):
                                xs[j] += wv * gs[j]
                        else:
                            for j in range(j_lo, j_hi):
                                xp[h, w0 + j * sw] += wv * gp[i, j]


@njit(parallel=True, cache=True)
def depthwise_grad_weight(gy, x, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gw):
    """``gw`` (C, 1, kh, kw) ← ``Σ_{n,i,j} G[n,c,i,j]·X[n,c,s_h i + d_h p − P_h, s_w j + d_w q − P_w]``."""
    n_batch, n_chan, h_in, w_in = x.shape
    for c in prange(n_chan):
        for p in range(kh):
            for q in range(kw):
                w0 = q * dw - pw
                j_lo, j_hi = _valid_range(w0, sw, w_in, wo)
                acc = np.zeros(wo, dtype=np.float64)  # one partial sum per column: vectorisable
                for n in range(n_batch):
                    xp = x[n, c]
                    gp = gy[n, c]
                    for i in range(ho):
                        h = i * sh + p * dh - ph
                        if circular:
                            h = h % h_in
                            for j in range(wo):
                                acc[j] += gp[i, j] * xp[h, (w0 + j * sw) % w_in]
                        elif h >= 0 and h < h_in:
                            grow = gp[i]
                            xrow = xp[h]
                            if sw == 1:
                                gs = grow[j_lo:j_hi]
                                xs = xrow[w0 + j_lo:w0 + j_hi]
                                acs = acc[j_lo:j_hi]
                                for j in range(gs.shape[0]):
                                    acs[j] += gs[j] * xs[j]
                            else:
                                for j in range(j_lo, j_hi):
                                    acc[j] += grow[j] * xrow[w0 + j * sw]
                gw[c, 0, p, q] = acc.sum()

