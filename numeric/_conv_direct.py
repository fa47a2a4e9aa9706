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

Stride 1 with zero padding (the common depthwise layer) takes a faster pass,
:func:`_depthwise_rows`: each plane is copied once into a zero-padded scratch
plane, and the output, computed over whole padded rows and cropped, adds four
taps per pass (``acc[a] += Σ_{4 taps} w·x[off + a]``) — one accumulator load
and store per four multiply-adds instead of one per tap. The input-gradient is
the same pass on the output-gradient padded by ``d(k−1) − P`` with the flipped
kernel (:mod:`numeric._conv_rows` does the same for few output channels).
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


@njit(cache=True, inline="always")
def _padded_plane(ho, wo, kh, kw, dh, dw, like):
    """``(W_p, xp, offs)``: the padded plane's width, a zeroed padded plane (with the tail that the cropped
    columns read) of ``like``'s dtype, and the offset ``d_h p·W_p + d_w q`` of each tap ``(p, q)``."""
    hp, wp = ho + dh * (kh - 1), wo + dw * (kw - 1)
    offs = np.empty(kh * kw, np.int64)
    for p in range(kh):
        for q in range(kw):
            offs[p * kw + q] = p * dh * wp + q * dw
    return wp, np.zeros(hp * wp + dw * (kw - 1), like.dtype), offs


@njit(cache=True, inline="always")
def _into_padded(sf, t, h, w, ph, pw, wp, xp):
    """Plane ``t`` (h × w) of the flat array ``sf`` into the padded plane ``xp`` (width ``wp``) at ``(ph, pw)``."""
    for r in range(h):
        d0 = uint64((r + ph) * wp + pw)
        s0 = uint64((t * h + r) * w)
        for j in range(uint64(w)):
            xp[d0 + j] = sf[s0 + j]


@njit(cache=True, nogil=True, fastmath=True)
def _depthwise_rows(src, weight, kh, kw, dh, dw, ph, pw, flip, dst, t_lo, t_hi):
    """Stride 1, zero padding: ``dst[t] ← Σ_{p,q} W[c,0,p,q]·src_pad[t, i + d_h p, j + d_w q]`` for planes ``t_lo … t_hi − 1``.

    ``src_pad`` is ``src`` (N, C, h, w) shifted by ``(ph, pw)`` into zeros; ``dst`` is (N, C, ho, wo) with the
    padded size ``ho + d_h(k_h − 1)`` × ``wo + d_w(k_w − 1)``; ``flip`` reads the kernel rotated by 180°.
    """
    n_batch, n_chan, h, w = src.shape
    ho, wo = dst.shape[2], dst.shape[3]
    wp, xp, offs = _padded_plane(ho, wo, kh, kw, dh, dw, src)  # xp's borders stay 0
    acc = np.empty(ho * wp, src.dtype)
    sf = src.ravel()
    df = dst.ravel()
    n_k = kh * kw
    taps = np.empty(n_k, src.dtype)
    n_a = uint64(ho * wp)
    for t in range(t_lo, t_hi):
        c = t % n_chan
        for p in range(kh):
            for q in range(kw):
                taps[p * kw + q] = weight[c, 0, kh - 1 - p, kw - 1 - q] if flip else weight[c, 0, p, q]
        _into_padded(sf, t, h, w, ph, pw, wp, xp)
        for a in range(n_a):
            acc[a] = 0.0
        k = 0
        while k < n_k:
            if k + 4 <= n_k:
                b0, b1, b2, b3 = uint64(offs[k]), uint64(offs[k + 1]), uint64(offs[k + 2]), uint64(offs[k + 3])
                v0, v1, v2, v3 = taps[k], taps[k + 1], taps[k + 2], taps[k + 3]
                for a in range(n_a):
                    acc[a] += v0 * xp[b0 + a] + v1 * xp[b1 + a] + v2 * xp[b2 + a] + v3 * xp[b3 + a]
                k += 4
            else:
                b0 = uint64(offs[k])
                v0 = taps[k]
                for a in range(n_a):
                    acc[a] += v0 * xp[b0 + a]
                k += 1
        for i in range(ho):
            d0 = uint64((t * ho + i) * wo)
            s0 = uint64(i * wp)
            for j in range(uint64(wo)):
                df[d0 + j] = acc[s0 + j]


@njit(cache=True, nogil=True, fastmath=True)
def _depthwise_grad_weight_rows(gy, x, kh, kw, dh, dw, ph, pw, gw, c_lo, c_hi):
    """Stride 1, zero padding: ``gw[c,0,p,q] ← Σ_{n,i,j} G[n,c,i,j]·X_pad[n,c,i + d_h p, j + d_w q]``, channels ``c_lo … c_hi − 1``.

    Per plane, ``G`` is laid out over whole padded rows (zeros in the cropped columns) so that each tap is
    one dot product with the zero-padded plane at the tap's offset, four taps per pass; the planes' sums
    are added in float64.
    """
    n_batch, n_chan, h, w = x.shape
    ho, wo = gy.shape[2], gy.shape[3]
    wp, xp, offs = _padded_plane(ho, wo, kh, kw, dh, dw, x)
    gp = np.zeros(ho * wp, x.dtype)  # the cropped columns stay 0
    zero = gp[0]  # of the data's dtype (a product with the literal 0 would be float64)
    n_k = kh * kw
    xf, gf = x.ravel(), gy.ravel()
    sums = np.empty(n_k, np.float64)
    n_a = uint64(ho * wp)
    for c in range(c_lo, c_hi):
        sums[:] = 0.0
        for n in range(n_batch):
            t = n * n_chan + c
            _into_padded(xf, t, h, w, ph, pw, wp, xp)
            for i in range(ho):
                d0 = uint64(i * wp)
                s0 = uint64((t * ho + i) * wo)
                for j in range(uint64(wo)):
                    gp[d0 + j] = gf[s0 + j]
            k = 0
            while k < n_k:
                if k + 4 <= n_k:
                    b0, b1, b2, b3 = uint64(offs[k]), uint64(offs[k + 1]), uint64(offs[k + 2]), uint64(offs[k + 3])
                    s_0 = s_1 = s_2 = s_3 = zero
                    for a in range(n_a):
                        g = gp[a]
                        s_0 += g * xp[b0 + a]
                        s_1 += g * xp[b1 + a]
                        s_2 += g * xp[b2 + a]
                        s_3 += g * xp[b3 + a]
                    sums[k] += s_0
                    sums[k + 1] += s_1
                    sums[k + 2] += s_2
                    sums[k + 3] += s_3
                    k += 4
                else:
                    b0 = uint64(offs[k])
                    s_0 = zero
                    for a in range(n_a):
                        s_0 += gp[a] * xp[b0 + a]
                    sums[k] += s_0
                    k += 1
        for p in range(kh):
            for q in range(kw):
                gw[c, 0, p, q] = sums[p * kw + q]


def _rows_padding(kh, kw, dh, dw, ph, pw, h, w, ho, wo):
    """The adjoint pass's padding ``(d(k−1) − P_lo, d(k−1) − P_hi)`` per axis, from the forward's (stride 1)."""
    lo = (dh * (kh - 1) - ph, dw * (kw - 1) - pw)
    hi = (dh * (kh - 1) - (ho + dh * (kh - 1) - h - ph), dw * (kw - 1) - (wo + dw * (kw - 1) - w - pw))
    return lo, hi


def _rows_fit(kh, kw, dh, dw, ph, pw, h, w, ho, wo) -> bool:
    """The scratch-plane passes hold only paddings 0 ≤ P ≤ d(k − 1) on both sides (no cropping, no extra border)."""
    far = (ho + dh * (kh - 1) - h - ph, wo + dw * (kw - 1) - w - pw)
    return all(0 <= v <= d * (k - 1) for v, d, k in ((ph, dh, kh), (pw, dw, kw), (far[0], dh, kh), (far[1], dw, kw)))


def depthwise_forward(x, weight, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, y):
    """``y`` (N, C, ho, wo) ← depthwise convolution of ``x`` (N, C, H, W) with ``weight`` (C, 1, kh, kw).

    .. math:: Y[n, c, i, j] = \\sum_{p, q} W[c, 0, p, q]\\, X[n, c, s_h i + d_h p - P_h, s_w j + d_w q - P_w]
    """
    if sh == sw == 1 and not circular and _rows_fit(kh, kw, dh, dw, ph, pw, x.shape[2], x.shape[3], ho, wo):
        run_range(_depthwise_rows, x.shape[0] * x.shape[1], x, weight, kh, kw, dh, dw, ph, pw, False, y)
        return
    run_range(_depthwise_pass, x.shape[0] * x.shape[1], x, y, weight, kh, kw, sh, sw, dh, dw, ph, pw, circular, False)


def depthwise_grad_input(gy, weight, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gx):
    """``gx`` (N, C, H, W) ← ``Σ_{p,q,i,j} W[c,0,p,q]·G[n,c,i,j]`` over the taps that read each pixel."""
    if sh == sw == 1 and not circular:
        lo, hi = _rows_padding(kh, kw, dh, dw, ph, pw, gx.shape[2], gx.shape[3], ho, wo)
        if min(lo + hi) >= 0:
            run_range(_depthwise_rows, gx.shape[0] * gx.shape[1], gy, weight, kh, kw, dh, dw, *lo, True, gx)
            return
    run_range(_depthwise_pass, gx.shape[0] * gx.shape[1], gx, gy, weight, kh, kw, sh, sw, dh, dw, ph, pw, circular,
              True)


def depthwise_grad_weight(gy, x, kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular, gw):
    """``gw`` (C, 1, kh, kw) ← ``Σ_{n,i,j} G[n,c,i,j]·X[n,c,s_h i + d_h p − P_h, s_w j + d_w q − P_w]``."""
    if sh == sw == 1 and not circular and _rows_fit(kh, kw, dh, dw, ph, pw, x.shape[2], x.shape[3], ho, wo):
        run_range(_depthwise_grad_weight_rows, x.shape[1], gy, x, kh, kw, dh, dw, ph, pw, gw)
        return
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
