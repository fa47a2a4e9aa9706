"""Brute-force helpers shared by the evidence scripts (never imports proofs, derive or numeric).

Everything is counted or computed directly: window positions are enumerated, convolutions are loops
over NumPy arrays, receptive fields are the sets of input indices an output index reads.

>>> window_count(5, 3, 2, 0, 0)
2
>>> window_count(5, 2, 2, 1, 1, ceil_mode=True)
3
>>> rf_size([(3, 1, 0), (3, 1, 0)])
5
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["window_starts", "window_count", "corr1d", "corr2d", "maxpool2d", "rf_size", "conv_params",
           "transposed_size", "close"]


def window_starts(n: int, k: int, s: int, pad_lo: int, pad_hi: int, d: int = 1, ceil_mode: bool = False) -> list[int]:
    """Starts (in padded coordinates) of the windows of a k-tap kernel with dilation d sliding by s.

    Floor mode: the whole window lies in the padded input. Ceil mode (PyTorch/ONNX rule): a last window may
    hang over the right end if it starts inside the input or the left padding.
    """
    total = n + pad_lo + pad_hi
    span = d * (k - 1) + 1
    starts, t = [], 0
    while t + span <= total:
        starts.append(t)
        t += s
    if ceil_mode and t < n + pad_lo and t - s < total - span:
        starts.append(t)
    return starts


def window_count(n, k, s, pad_lo, pad_hi, d=1, ceil_mode=False) -> int:
    """Output size, by enumerating the window positions."""
    return len(window_starts(n, k, s, pad_lo, pad_hi, d, ceil_mode))


def corr1d(x, w, s=1, pad=(0, 0), d=1):
    """Cross-correlation of a 1-D signal, computed window by window."""
    xp = np.concatenate([np.zeros(pad[0]), np.asarray(x, float), np.zeros(pad[1])])
    starts = window_starts(len(x), len(w), s, pad[0], pad[1], d)
    return np.array([sum(w[j] * xp[t + d * j] for j in range(len(w))) for t in starts])


def corr2d(x, w, s=1, pad=0):
    """2-D cross-correlation (one channel), by loops."""
    x = np.pad(np.asarray(x, float), pad)
    kh, kw = w.shape
    ho = len(window_starts(x.shape[0], kh, s, 0, 0))
    wo = len(window_starts(x.shape[1], kw, s, 0, 0))
    out = np.zeros((ho, wo))
    for i in range(ho):
        for j in range(wo):
            out[i, j] = np.sum(x[i * s:i * s + kh, j * s:j * s + kw] * w)
    return out


def maxpool2d(x, k, s):
    """Max pooling of a 2-D map, no padding, floor mode."""
    ho = window_count(x.shape[0], k, s, 0, 0)
    wo = window_count(x.shape[1], k, s, 0, 0)
    return np.array([[x[i * s:i * s + k, j * s:j * s + k].max() for j in range(wo)] for i in range(ho)])


def rf_size(layers) -> int:
    """Receptive field of output index 0 of a 1-D stack [(k, s, d), ...] (padding does not change the size):
    the number of input indices it reads, found by following index sets backwards."""
    idx = {0}
    for k, s, d in reversed(layers):
        d = d or 1
        idx = {i * s + d * j for i in idx for j in range(k)}
    return max(idx) - min(idx) + 1


def conv_params(c_in: int, c_out: int, kh: int, kw: int, bias: bool = True) -> int:
    """Parameters of a conv layer, by building its weight and bias arrays and counting entries."""
    return np.zeros((c_out, c_in, kh, kw)).size + (np.zeros(c_out).size if bias else 0)


def transposed_size(n, k, s, pad_lo, pad_hi, output_padding=0, d=1) -> int:
    """Output length of a transposed convolution: scatter each input position's k taps into a buffer,
    then crop pad_lo at the start and pad_hi at the end and add output_padding at the end."""
    full = max(i * s + d * j for i in range(n) for j in range(k)) + 1
    return full - pad_lo - pad_hi + output_padding


def close(a, b, rel=1e-9) -> bool:
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=rel)


if __name__ == "__main__":  # self-check against PyTorch when it is installed
    try:
        import torch
    except ImportError:
        raise SystemExit(0)
    for n in range(1, 12):
        for k in range(1, 5):
            for s in range(1, 4):
                for p in range(0, 3):
                    if n + 2 * p < k:
                        continue
                    got = torch.nn.functional.max_pool1d(torch.zeros(1, 1, n), k, s, min(p, k // 2), ceil_mode=True).shape[-1] \
                        if p <= k // 2 else None
                    if got is not None:
                        assert got == window_count(n, k, s, min(p, k // 2), min(p, k // 2), ceil_mode=True), (n, k, s, p)
                    y = torch.nn.functional.conv1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=s, padding=p)
                    assert y.shape[-1] == window_count(n, k, s, p, p), (n, k, s, p)
                    if transposed_size(n, k, s, p, p) > 0:
                        t = torch.nn.functional.conv_transpose1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=s, padding=p)
                        assert t.shape[-1] == transposed_size(n, k, s, p, p), (n, k, s, p)
    print("brute helpers agree with PyTorch")
