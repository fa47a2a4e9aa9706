"""A plain NumPy im2col convolution, forward and backward: the benchmark's third column.

What a careful NumPy user would write without Numba: ``sliding_window_view``
gives the patches without copying, ``einsum(..., optimize=True)`` hands the
contractions to BLAS, and the input-gradient adds one strided slice per
kernel tap. Zero padding only (the benchmark shapes need nothing else).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["conv2d_np", "conv2d_backward_np"]


def _windows(x, kh, kw, s, p):
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    return sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::s, ::s]  # (N, C, Ho, Wo, kh, kw)


def conv2d_np(x, w, b, stride=1, padding=0, groups=1):
    """``Y[n,o,i,j] = b[o] + Σ_{c,p,q} W[o,c,p,q]·Xpad[n, g·C_g + c, s·i + p, s·j + q]``."""
    o_total, cg, kh, kw = w.shape
    win = _windows(x, kh, kw, stride, padding)
    og = o_total // groups
    parts = [
        np.einsum("nchwpq,ocpq->nohw", win[:, g * cg:(g + 1) * cg], w[g * og:(g + 1) * og], optimize=True)
        for g in range(groups)
    ]
    y = parts[0] if groups == 1 else np.concatenate(parts, axis=1)
    return y + b.reshape(1, -1, 1, 1)


def conv2d_backward_np(go, x, w, stride=1, padding=0, groups=1):
    """``(∂L/∂X, ∂L/∂W, ∂L/∂b)``; the input-gradient scatters one slice per tap ``(p, q)``."""
    o_total, cg, kh, kw = w.shape
    n, c, h, wd = x.shape
    og = o_total // groups
    ho, wo = go.shape[2:]
    win = _windows(x, kh, kw, stride, padding)
    gw = np.concatenate([
        np.einsum("nohw,nchwpq->ocpq", go[:, g * og:(g + 1) * og], win[:, g * cg:(g + 1) * cg], optimize=True)
        for g in range(groups)
    ], axis=0)
    gxp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding), dtype=x.dtype)
    s = stride
    for g in range(groups):
        gog, wg = go[:, g * og:(g + 1) * og], w[g * og:(g + 1) * og]
        for p in range(kh):
            for q in range(kw):
                gxp[:, g * cg:(g + 1) * cg, p:p + s * (ho - 1) + 1:s, q:q + s * (wo - 1) + 1:s] += np.einsum(
                    "nohw,oc->nchw", gog, wg[:, :, p, q], optimize=True)
    gx = gxp[:, :, padding:padding + h, padding:padding + wd]
    return gx, gw, go.sum(axis=(0, 2, 3))
