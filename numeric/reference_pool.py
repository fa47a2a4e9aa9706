"""Slow, obviously correct pooling: plain NumPy loops that read against the formulas.

The oracle of the pooling kernel tests, not the fast path (use :mod:`numeric`).
Arguments are assumed valid (the public functions check them); every size is
given explicitly per dimension so each loop reads as its formula. 1-D functions
are the 2-D ones on planes of height 1.

Window positions, per dimension, for output ``o``:

    start(o) = o·s − p,    taps  start(o) + t·d,  t = 0 … k−1,

and the number of outputs (PyTorch's rule):

    O = ⌊(L + 2p − d(k−1) − 1 + (s−1 if ceil_mode))/s⌋ + 1,
    and in ceil mode O −= 1 if (O−1)·s ≥ L + p (the last window must start
    inside the input or the left padding).

Examples
--------
>>> import numpy as np
>>> max_pool2d_ref(np.arange(16.0).reshape(1, 1, 4, 4), 2)[0][0, 0]
array([[ 5.,  7.],
       [13., 15.]])
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "pool_output_size_ref",
    "max_pool1d_ref",
    "max_pool2d_ref",
    "max_pool1d_backward_ref",
    "max_pool2d_backward_ref",
    "avg_pool1d_ref",
    "avg_pool2d_ref",
    "avg_pool1d_backward_ref",
    "avg_pool2d_backward_ref",
    "adaptive_avg_pool1d_ref",
    "adaptive_avg_pool2d_ref",
    "adaptive_avg_pool1d_backward_ref",
    "adaptive_avg_pool2d_backward_ref",
    "global_avg_pool2d_ref",
    "global_avg_pool2d_backward_ref",
]


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def pool_output_size_ref(L, k, s, p, d, ceil_mode):
    """Count the windows one by one (no closed form), so that the kernels' closed form is checked.

    A window starting at padded position ``o·s`` fits if its last tap does,
    ``o·s + d(k−1) <= L + 2p − 1``. Ceil mode also counts the windows of the
    last, incomplete stride step (``o·s <= span + s − 1``) as long as they start
    inside the input or the left padding (``o·s − p < L``).

    >>> pool_output_size_ref(5, 2, 2, 0, 1, False), pool_output_size_ref(5, 2, 2, 0, 1, True)
    (2, 3)
    >>> pool_output_size_ref(4, 2, 2, 1, 1, True)  # a 4th window would start in the right padding
    3
    """
    span = L + 2 * p - d * (k - 1) - 1  # last padded position at which a full window may start
    candidates = range(L + 2 * p + 2)
    if not ceil_mode:
        return sum(1 for o in candidates if o * s <= span)
    return sum(1 for o in candidates if o * s <= span + s - 1 and o * s - p < L)


def _windows_1d(L, k, s, p, d, ceil_mode):
    """For each output: the list of input positions its taps hit (padding taps dropped)."""
    O = pool_output_size_ref(L, k, s, p, d, ceil_mode)
    return [[o * s - p + t * d for t in range(k) if 0 <= o * s - p + t * d < L] for o in range(O)]


# ---------------------------------------------------------------------------------------------- max


def max_pool2d_ref(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Max pooling; returns ``(values, flat indices)``. Ties: first maximum in row-major window order.

    y[n, c, i, j] = max over taps (t, u) of x[n, c, i·sh − ph + t·dh, j·sw − pw + u·dw],
    padding taps excluded; a window of padding only gives (-inf, -1).
    """
    kh, kw = _pair(kernel_size)
    sh, sw = _pair(kernel_size if stride is None else stride)
    ph, pw = _pair(padding)
    dh, dw = _pair(dilation)
    N, C, H, W = x.shape
    rows = _windows_1d(H, kh, sh, ph, dh, ceil_mode)
    cols = _windows_1d(W, kw, sw, pw, dw, ceil_mode)
    y = np.full((N, C, len(rows), len(cols)), -np.inf, dtype=x.dtype)
    idx = np.full((N, C, len(rows), len(cols)), -1, dtype=np.int64)
    for n in range(N):
        for c in range(C):
            for i, hs in enumerate(rows):
                for j, ws in enumerate(cols):
                    for h in hs:  # row-major window order
                        for w in ws:
                            v = x[n, c, h, w]
                            if idx[n, c, i, j] < 0 or v > y[n, c, i, j] or (math.isnan(v) and not math.isnan(y[n, c, i, j])):
                                y[n, c, i, j] = v
                                idx[n, c, i, j] = h * W + w
                            elif math.isnan(v):  # among NaNs the last wins (PyTorch's CPU rule)
                                idx[n, c, i, j] = h * W + w
    return y, idx


def max_pool1d_ref(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """1-D max pooling; returns ``(values, indices)``."""
    y, idx = max_pool2d_ref(
        x[:, :, None, :], (1, kernel_size), (1, kernel_size if stride is None else stride), (0, padding), (1, dilation), ceil_mode
    )
    return y[:, :, 0, :], idx[:, :, 0, :]


def max_pool2d_backward_ref(grad_output, x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """dL/dx[h, w] = sum of grad_output[i, j] over the windows whose maximum is at (h, w)."""
    _, idx = max_pool2d_ref(x, kernel_size, stride, padding, dilation, ceil_mode)
    N, C, H, W = x.shape
    gx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(idx.shape[2]):
                for j in range(idx.shape[3]):
                    flat = idx[n, c, i, j]
                    if flat >= 0:
                        gx[n, c, flat // W, flat % W] += grad_output[n, c, i, j]
    return gx


def max_pool1d_backward_ref(grad_output, x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """1-D version of :func:`max_pool2d_backward_ref`."""
    return max_pool2d_backward_ref(
        grad_output[:, :, None, :], x[:, :, None, :], (1, kernel_size),
        (1, kernel_size if stride is None else stride), (0, padding), (1, dilation), ceil_mode,
    )[:, :, 0, :]


# ---------------------------------------------------------------------------------------------- avg


def _divisor_1d(o, L, k, s, p, count_include_pad):
    """Size of window o along one dimension: clipped to [−p, L+p) if counting padding, else to [0, L)."""
    start = o * s - p
    if count_include_pad:
        return min(start + k, L + p) - start
    return min(start + k, L) - max(start, 0)


def avg_pool2d_ref(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    """y[i, j] = (sum of x over the input part of window (i, j)) / D_ij.

    D_ij = divisor_override, else the product of the per-dimension window sizes
    (:func:`_divisor_1d`).
    """
    kh, kw = _pair(kernel_size)
    sh, sw = _pair(kernel_size if stride is None else stride)
    ph, pw = _pair(padding)
    N, C, H, W = x.shape
    rows = _windows_1d(H, kh, sh, ph, 1, ceil_mode)
    cols = _windows_1d(W, kw, sw, pw, 1, ceil_mode)
    y = np.zeros((N, C, len(rows), len(cols)), dtype=x.dtype)
    for i, hs in enumerate(rows):
        for j, ws in enumerate(cols):
            if divisor_override:
                D = divisor_override
            else:
                D = _divisor_1d(i, H, kh, sh, ph, count_include_pad) * _divisor_1d(j, W, kw, sw, pw, count_include_pad)
            for n in range(N):
                for c in range(C):
                    total = 0.0
                    for h in hs:
                        for w in ws:
                            total += float(x[n, c, h, w])
                    y[n, c, i, j] = total / D
    return y


def avg_pool2d_backward_ref(
    grad_output, x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """dL/dx[h, w] = sum over windows (i, j) containing (h, w) of grad_output[i, j] / D_ij."""
    kh, kw = _pair(kernel_size)
    sh, sw = _pair(kernel_size if stride is None else stride)
    ph, pw = _pair(padding)
    N, C, H, W = x.shape
    rows = _windows_1d(H, kh, sh, ph, 1, ceil_mode)
    cols = _windows_1d(W, kw, sw, pw, 1, ceil_mode)
    gx = np.zeros(x.shape, dtype=np.float64)
    for i, hs in enumerate(rows):
        for j, ws in enumerate(cols):
            if divisor_override:
                D = divisor_override
            else:
                D = _divisor_1d(i, H, kh, sh, ph, count_include_pad) * _divisor_1d(j, W, kw, sw, pw, count_include_pad)
            for h in hs:
                for w in ws:
                    gx[:, :, h, w] += grad_output[:, :, i, j] / D
    return gx.astype(x.dtype)


def avg_pool1d_ref(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    """1-D version of :func:`avg_pool2d_ref`."""
    return avg_pool2d_ref(
        x[:, :, None, :], (1, kernel_size), (1, kernel_size if stride is None else stride), (0, padding),
        ceil_mode, count_include_pad, divisor_override,
    )[:, :, 0, :]


def avg_pool1d_backward_ref(
    grad_output, x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """1-D version of :func:`avg_pool2d_backward_ref`."""
    return avg_pool2d_backward_ref(
        grad_output[:, :, None, :], x[:, :, None, :], (1, kernel_size), (1, kernel_size if stride is None else stride),
        (0, padding), ceil_mode, count_include_pad, divisor_override,
    )[:, :, 0, :]


# ----------------------------------------------------------------------------------------- adaptive


def _adaptive_windows(L, O):
    """Window of output o: [⌊o·L/O⌋, ⌈(o+1)·L/O⌉)."""
    return [range(math.floor(o * L / O), math.ceil((o + 1) * L / O)) for o in range(O)]


def adaptive_avg_pool2d_ref(x, output_size):
    """y[i, j] = mean of x over rows [⌊iH/OH⌋, ⌈(i+1)H/OH⌉) and columns [⌊jW/OW⌋, ⌈(j+1)W/OW⌉)."""
    OH, OW = _pair(output_size)
    N, C, H, W = x.shape
    rows, cols = _adaptive_windows(H, OH), _adaptive_windows(W, OW)
    y = np.zeros((N, C, OH, OW), dtype=x.dtype)
    for i, hs in enumerate(rows):
        for j, ws in enumerate(cols):
            block = x[:, :, hs.start:hs.stop, ws.start:ws.stop].astype(np.float64)
            y[:, :, i, j] = block.sum(axis=(2, 3)) / (len(hs) * len(ws))
    return y


def adaptive_avg_pool2d_backward_ref(grad_output, x, output_size):
    """dL/dx[h, w] = sum over windows (i, j) containing (h, w) of grad_output[i, j] / |window (i, j)|."""
    OH, OW = _pair(output_size)
    N, C, H, W = x.shape
    rows, cols = _adaptive_windows(H, OH), _adaptive_windows(W, OW)
    gx = np.zeros(x.shape, dtype=np.float64)
    for i, hs in enumerate(rows):
        for j, ws in enumerate(cols):
            for h in hs:
                for w in ws:
                    gx[:, :, h, w] += grad_output[:, :, i, j] / (len(hs) * len(ws))
    return gx.astype(x.dtype)


def adaptive_avg_pool1d_ref(x, output_size):
    """1-D version of :func:`adaptive_avg_pool2d_ref`."""
    return adaptive_avg_pool2d_ref(x[:, :, None, :], (1, output_size))[:, :, 0, :]


def adaptive_avg_pool1d_backward_ref(grad_output, x, output_size):
    """1-D version of :func:`adaptive_avg_pool2d_backward_ref`."""
    return adaptive_avg_pool2d_backward_ref(grad_output[:, :, None, :], x[:, :, None, :], (1, output_size))[:, :, 0, :]


# ------------------------------------------------------------------------------------------- global


def global_avg_pool2d_ref(x):
    """y[n, c, 0, 0] = (1 / (H·W)) · sum over h, w of x[n, c, h, w]."""
    N, C, H, W = x.shape
    y = np.zeros((N, C, 1, 1), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            y[n, c, 0, 0] = sum(float(x[n, c, h, w]) for h in range(H) for w in range(W)) / (H * W)
    return y


def global_avg_pool2d_backward_ref(grad_output, x):
    """dL/dx[n, c, h, w] = grad_output[n, c, 0, 0] / (H·W)."""
    N, C, H, W = x.shape
    gx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            gx[n, c, :, :] = grad_output[n, c, 0, 0] / (H * W)
    return gx
