"""Direct convolution as weighted sums of shifted input rows, for few output channels (private).

With the input laid out batch-last, ``X^t`` of shape ``(C, H_p, W_p, N)``
(zero padding already in place, flattened), every output pixel of a stride-1
convolution reads, for the reduction index ``k = (c, p, q)``, the input at a
fixed offset from its own position:

.. math:: Y^t[o, i, j, n] = \\sum_k W[o, k]\\, X^t_{flat}[\\mathrm{off}_k + (i W_p + j) N + n],
          \\qquad \\mathrm{off}_k = ((c H_p + d_h p) W_p + d_w q)\\, N

so a whole output row of all samples, ``(j, n)`` for ``j < W_out``, is one
contiguous run ``a`` that reads the contiguous run ``off_k + i·W_p·N + a`` of
the input. :func:`shifted_rows` computes ``out[o, a] += Σ_k W[o, k] x[b_k + a]``
on such runs, four output channels and four reduction indices at a time, so
that each loaded input vector feeds four multiply-adds and each accumulator
is loaded and stored once per four: no unfolded copy (im2col writes ``k_h k_w``
times the input) and no packing (with ``C_out`` = 6 or 16 rows, OpenBLAS packs
its operands for a product that uses each packed number only 6 or 16 times;
measured on LeNet conv2: 0.45 ms for the product alone, 0.58 ms for this
kernel including the wasted columns below).

Short rows (``W_out·N`` below :data:`MIN_RUN`, e.g. a single LeNet image)
are computed as one run over whole padded rows, ``a = (i W_p + j) N + n`` for
``j < W_p``; the ``W_p − W_out`` columns past the output's end read the next
row (or the buffer's zero tail) and are cropped.

Examples
--------
>>> import numpy as np
>>> x = np.arange(16.0).reshape(1, 1, 4, 4)
>>> w = np.ones((1, 1, 2, 2))
>>> y = np.empty((1, 1, 3, 3))
>>> rows_forward(x, w, (2, 2), (1, 1), (0, 0), (0, 0), (3, 3), y)
>>> y[0, 0]
array([[10., 14., 18.],
       [26., 30., 34.],
       [42., 46., 50.]])
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numba import njit, uint64

from ._conv_workspace import workspace

__all__ = ["MAX_OUT_CHANNELS", "MAX_GRAD_WEIGHT_TAPS", "MIN_RUN", "rows_applies", "rows_grad_weight_applies",
           "rows_forward", "rows_grad_weight", "shifted_rows",
           "shifted_dots"]

#: Largest ``C_out`` for which the forward pass runs here: each input vector then feeds at most this many
#: output channels, where a matrix product's packing cost is not yet amortised (measured: see the module).
MAX_OUT_CHANNELS = 16
#: Shortest contiguous output run (``W_out·N`` numbers) computed row by row; shorter rows are computed
#: over whole padded rows and cropped.
MIN_RUN = 64
#: Batch-last layout for output rows shorter than this (``W_out``) and batches of at least ``MIN_BATCH``:
#: an NCHW run is then too short for the vector loop, or its cropped columns waste too much.
MIN_ROW = 16
MIN_BATCH = 8
#: Accumulator block: four output channels × this many numbers stay in the L1 cache while the reduction runs.
_BLOCK = 512


#: Largest reduction length ``C_in·kh·kw`` for which the weight-gradient runs here too (:func:`shifted_dots`):
#: BLAS's product for it, (C_in·kh·kw × N·L)·(N·L × C_out), then has two short sides, and packing its long
#: operands costs more than the sixteen register sums (measured: LeNet conv1, 25, 0.78 → 0.60 ms; conv2,
#: 150, 0.8 → 1.3 ms, so not there).
MAX_GRAD_WEIGHT_TAPS = 32


def rows_grad_weight_applies(geo, groups: int, weight_shape: tuple[int, ...]) -> bool:
    """Whether the weight-gradient runs as shifted-row dot products: :func:`rows_applies` and a short reduction."""
    return (rows_applies(geo, groups, weight_shape)
            and weight_shape[1] * weight_shape[2] * weight_shape[3] <= MAX_GRAD_WEIGHT_TAPS)


def rows_applies(geo, groups: int, weight_shape: tuple[int, ...]) -> bool:
    """Whether the forward pass runs as shifted rows: stride 1, zero padding, ungrouped, few output channels."""
    return (geo.stride == (1, 1) and not geo.circular and groups == 1
            and weight_shape[0] <= MAX_OUT_CHANNELS)


@njit(cache=True, nogil=True, fastmath=True)
def shifted_rows(xf, offs, wk, seg_in, seg_out, seg_len, out):
    """``out[o, seg_out[s] + a] = Σ_k wk[o, k] · xf[seg_in[s] + offs[k] + a]`` for ``a < seg_len``, every segment ``s``.

    .. math:: \\mathrm{out}[o, t_s + a] = \\sum_k W[o, k]\\, x[u_s + \\mathrm{off}_k + a]

    ``out`` is (C_out, total); the segments' output runs must not overlap.
    Output channels go four, two or one at a time, reduction indices four at a time.
    Offsets are non-negative by construction (unsigned arithmetic lets LLVM vectorise the runs).
    """
    n_out, n_k = wk.shape
    total = out.shape[1]
    of = out.ravel()
    stride = uint64(total)
    k4 = n_k - n_k % 4
    for s in range(seg_in.shape[0]):
        for a0 in range(0, seg_len, _BLOCK):
            n_a = uint64(min(_BLOCK, seg_len - a0))
            src = uint64(seg_in[s] + a0)
            o = 0
            while o < n_out:
                nb = 4 if o + 4 <= n_out else (2 if o + 2 <= n_out else 1)
                d0 = uint64(o) * stride + uint64(seg_out[s] + a0)
                d1 = d0 + stride
                d2 = d1 + stride
                d3 = d2 + stride
                for r in range(nb):
                    dr = d0 + uint64(r) * stride
                    for a in range(n_a):
                        of[dr + a] = 0.0
                for k in range(0, k4, 4):
                    b0 = src + uint64(offs[k])
                    b1 = src + uint64(offs[k + 1])
                    b2 = src + uint64(offs[k + 2])
                    b3 = src + uint64(offs[k + 3])
                    w00, w01, w02, w03 = wk[o, k], wk[o, k + 1], wk[o, k + 2], wk[o, k + 3]
                    if nb == 4:
                        w10, w11, w12, w13 = wk[o + 1, k], wk[o + 1, k + 1], wk[o + 1, k + 2], wk[o + 1, k + 3]
                        w20, w21, w22, w23 = wk[o + 2, k], wk[o + 2, k + 1], wk[o + 2, k + 2], wk[o + 2, k + 3]
                        w30, w31, w32, w33 = wk[o + 3, k], wk[o + 3, k + 1], wk[o + 3, k + 2], wk[o + 3, k + 3]
                        for a in range(n_a):
                            x0 = xf[b0 + a]
                            x1 = xf[b1 + a]
                            x2 = xf[b2 + a]
                            x3 = xf[b3 + a]
                            of[d0 + a] += w00 * x0 + w01 * x1 + w02 * x2 + w03 * x3
                            of[d1 + a] += w10 * x0 + w11 * x1 + w12 * x2 + w13 * x3
                            of[d2 + a] += w20 * x0 + w21 * x1 + w22 * x2 + w23 * x3
                            of[d3 + a] += w30 * x0 + w31 * x1 + w32 * x2 + w33 * x3
                    elif nb == 2:
                        v0, v1, v2, v3 = wk[o + 1, k], wk[o + 1, k + 1], wk[o + 1, k + 2], wk[o + 1, k + 3]
                        for a in range(n_a):
                            x0, x1, x2, x3 = xf[b0 + a], xf[b1 + a], xf[b2 + a], xf[b3 + a]
                            of[d0 + a] += w00 * x0 + w01 * x1 + w02 * x2 + w03 * x3
                            of[d1 + a] += v0 * x0 + v1 * x1 + v2 * x2 + v3 * x3
                    else:
                        for a in range(n_a):
                            of[d0 + a] += w00 * xf[b0 + a] + w01 * xf[b1 + a] + w02 * xf[b2 + a] + w03 * xf[b3 + a]
                for k in range(k4, n_k):
                    b0 = src + uint64(offs[k])
                    for r in range(nb):
                        wv = wk[o + r, k]
                        dr = d0 + uint64(r) * stride
                        for a in range(n_a):
                            of[dr + a] += wv * xf[b0 + a]
                o += nb


def layout(n: int, wo: int) -> str:
    """``"nchw"`` (one run per sample), ``"last rows"`` (batch last, one run per output row) or ``"last wide"``
    (batch last, one run over whole padded rows) for a batch of ``n`` with ``W_out = wo``."""
    if wo >= MIN_ROW or n < MIN_BATCH:
        return "nchw"
    return "last rows" if wo * n >= MIN_RUN else "last wide"


@lru_cache(maxsize=64)
def _plan(c: int, hp: int, wp: int, n: int, kh: int, kw: int, dh: int, dw: int, ho: int, wo: int, lay: str):
    """The reduction offsets and the segments of one shape and layout: ``(offs, seg_in, seg_out, seg_len)`` (cached)."""
    last = lay != "nchw"
    step = n if last else 1  # the distance of horizontal neighbours in the input
    cc, pp, qq = np.meshgrid(np.arange(c), np.arange(kh) * dh, np.arange(kw) * dw, indexing="ij")
    offs = (((cc * hp + pp) * wp + qq) * step).ravel().astype(np.int64)
    if not last:  # NCHW: one run per sample over its whole padded rows
        seg_in = np.arange(n, dtype=np.int64) * (c * hp * wp)
        seg_out, seg_len = np.arange(n, dtype=np.int64) * (ho * wp), ho * wp
    elif lay == "last wide":  # batch last, one run over whole padded rows
        seg_in, seg_out, seg_len = np.zeros(1, np.int64), np.zeros(1, np.int64), ho * wp * n
    else:  # batch last, one run per output row
        seg_in = np.arange(ho, dtype=np.int64) * (wp * n)
        seg_out, seg_len = np.arange(ho, dtype=np.int64) * (wo * n), wo * n
    for a in (offs, seg_in, seg_out):
        a.flags.writeable = False
    return offs, seg_in, seg_out, seg_len


def _input_runs(x: np.ndarray, kernel, dilation, pad_lo, pad_hi, out_size):
    """``x`` laid out for the runs (zero-padded, NCHW or batch last, with the tail the cropped columns read)
    and the shape's plan: ``(flat input, offs, seg_in, seg_out, seg_len, layout, W_p)``."""
    n, c, h, w = x.shape
    (kh, kw), (dh, dw), (ho, wo) = kernel, dilation, out_size
    hp, wp = h + pad_lo[0] + pad_hi[0], w + pad_lo[1] + pad_hi[1]
    lay = layout(n, wo)
    offs, seg_in, seg_out, seg_len = _plan(c, hp, wp, n, kh, kw, dh, dw, ho, wo, lay)
    last = lay != "nchw"
    tail = 0 if lay == "last rows" else (kw - 1) * dw * (n if last else 1)  # read past the end by cropped columns
    if not last and not tail and hp == h and wp == w:
        return x.reshape(-1), offs, seg_in, seg_out, seg_len, lay, wp
    size = c * hp * wp * n
    buf = workspace((size + tail,), x.dtype, "xt")
    if hp != h or wp != w:
        buf.fill(0)
    elif tail:
        buf[size:] = 0
    if last:
        xt = buf[:size].reshape(c, hp, wp, n)
        np.copyto(xt[:, pad_lo[0]:pad_lo[0] + h, pad_lo[1]:pad_lo[1] + w], x.transpose(1, 2, 3, 0))
    else:
        xt = buf[:size].reshape(n, c, hp, wp)
        np.copyto(xt[:, :, pad_lo[0]:pad_lo[0] + h, pad_lo[1]:pad_lo[1] + w], x)
    return buf, offs, seg_in, seg_out, seg_len, lay, wp


def _runs_view(runs: np.ndarray, lay: str, n: int, ho: int, wo: int) -> np.ndarray:
    """The (N, C, H_out, W_out) view of an output-shaped ``runs`` array (C, total) of layout ``lay``."""
    c = runs.shape[0]
    if lay == "nchw":
        return runs.reshape(c, n, ho, -1)[..., :wo].transpose(1, 0, 2, 3)
    return runs.reshape(c, ho, -1, n)[:, :, :wo].transpose(3, 0, 1, 2)


def rows_forward(x: np.ndarray, weight: np.ndarray, kernel, dilation, pad_lo, pad_hi, out_size,
                 y: np.ndarray) -> None:
    """``y`` (N, C_out, H_out, W_out) ← the stride-1 zero-padded convolution of ``x`` (N, C, H, W), no bias."""
    xf, offs, seg_in, seg_out, seg_len, lay, _ = _input_runs(x, kernel, dilation, pad_lo, pad_hi, out_size)
    c_out = weight.shape[0]
    out = workspace((c_out, seg_out[-1] + seg_len), x.dtype, "out")
    shifted_rows(xf, offs, weight.reshape(c_out, -1), seg_in, seg_out, seg_len, out)
    np.copyto(y, _runs_view(out, lay, x.shape[0], *out_size))


def rows_grad_weight(grad_output: np.ndarray, x: np.ndarray, kernel, dilation, pad_lo, pad_hi,
                     weight_shape: tuple[int, ...]) -> np.ndarray:
    """``∂L/∂W`` (C_out, C, kh, kw) of the stride-1 zero-padded convolution: :func:`shifted_dots` of
    ``grad_output``, laid out as the forward's output runs (zeros in the cropped columns), with the input's runs."""
    n, c_out = grad_output.shape[:2]
    out_size = grad_output.shape[2:]
    xf, offs, seg_in, seg_out, seg_len, lay, _ = _input_runs(x, kernel, dilation, pad_lo, pad_hi, out_size)
    g = workspace((c_out, seg_out[-1] + seg_len), x.dtype, "grows")
    if lay != "last rows":
        g.fill(0)
    np.copyto(_runs_view(g, lay, n, *out_size), grad_output)
    gw = np.empty((c_out, offs.shape[0]), np.float64)
    shifted_dots(xf, offs, g, seg_in, seg_out, seg_len, gw)
    return gw.astype(x.dtype).reshape(weight_shape)


@njit(cache=True, nogil=True, fastmath=True)
def shifted_dots(xf, offs, g, seg_in, seg_out, seg_len, gw):
    """``gw[o, k] = Σ_s Σ_a g[o, seg_out[s] + a] · xf[seg_in[s] + offs[k] + a]``: the adjoint of
    :func:`shifted_rows` in the weights (the weight-gradient).

    .. math:: \\frac{\\partial L}{\\partial W}[o, k] = \\sum_s \\sum_a G[o, t_s + a]\\, x[u_s + \\mathrm{off}_k + a]

    Four output channels × four reduction indices at a time: sixteen dot products in registers share each
    loaded vector; each segment's sums are added in ``gw``'s dtype (float64).
    """
    n_out, n_k = gw.shape
    gf = g.ravel()
    stride = uint64(g.shape[1])
    o4, k4 = n_out - n_out % 4, n_k - n_k % 4
    gw[:] = 0.0
    n_a = uint64(seg_len)
    z = np.zeros(1, gf.dtype)[0]  # zero of the data's dtype (gf[0] * 0 would be float64)
    for s in range(seg_in.shape[0]):
        src = uint64(seg_in[s])
        for o in range(0, o4, 4):
            d0 = uint64(o) * stride + uint64(seg_out[s])
            d1, d2, d3 = d0 + stride, d0 + 2 * stride, d0 + 3 * stride
            for k in range(0, k4, 4):
                b0, b1 = src + uint64(offs[k]), src + uint64(offs[k + 1])
                b2, b3 = src + uint64(offs[k + 2]), src + uint64(offs[k + 3])
                s00 = s01 = s02 = s03 = s10 = s11 = s12 = s13 = z
                s20 = s21 = s22 = s23 = s30 = s31 = s32 = s33 = z
                for a in range(n_a):
                    x0, x1, x2, x3 = xf[b0 + a], xf[b1 + a], xf[b2 + a], xf[b3 + a]
                    g0, g1, g2, g3 = gf[d0 + a], gf[d1 + a], gf[d2 + a], gf[d3 + a]
                    s00 += g0 * x0
                    s01 += g0 * x1
                    s02 += g0 * x2
                    s03 += g0 * x3
                    s10 += g1 * x0
                    s11 += g1 * x1
                    s12 += g1 * x2
                    s13 += g1 * x3
                    s20 += g2 * x0
                    s21 += g2 * x1
                    s22 += g2 * x2
                    s23 += g2 * x3
                    s30 += g3 * x0
                    s31 += g3 * x1
                    s32 += g3 * x2
                    s33 += g3 * x3
                gw[o, k] += s00
                gw[o, k + 1] += s01
                gw[o, k + 2] += s02
                gw[o, k + 3] += s03
                gw[o + 1, k] += s10
                gw[o + 1, k + 1] += s11
                gw[o + 1, k + 2] += s12
                gw[o + 1, k + 3] += s13
                gw[o + 2, k] += s20
                gw[o + 2, k + 1] += s21
                gw[o + 2, k + 2] += s22
                gw[o + 2, k + 3] += s23
                gw[o + 3, k] += s30
                gw[o + 3, k + 1] += s31
                gw[o + 3, k + 2] += s32
                gw[o + 3, k + 3] += s33
        for o in range(n_out):  # the remaining (o, k) pairs, one dot product each
            d0 = uint64(o) * stride + uint64(seg_out[s])
            for k in range(k4 if o < o4 else 0, n_k):
                b0 = src + uint64(offs[k])
                acc = z
                for a in range(n_a):
                    acc += gf[d0 + a] * xf[b0 + a]
                gw[o, k] += acc
