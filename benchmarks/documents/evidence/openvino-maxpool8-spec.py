"""Evidence for openvino-maxpool8-spec.md (OpenVINO MaxPool-8): windows enumerated by brute force, torch cross-check."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from _brute import window_count, window_starts

NEG = -np.inf


def pool_axis_starts(n, k, s, pb, pe, d, ceil_mode):
    return window_starts(n, k, s, pb, pe, d, ceil_mode)


def maxpool(x, k, s, pb, pe, d=(1, 1), ceil_mode=False, axis0=True):
    """Max pooling of an (N, C, H, W) array with -inf padding; returns values and flat indices
    (over N*C*H*W when axis0, else over H*W), window by window."""
    N, C, H, W = x.shape
    hs = pool_axis_starts(H, k[0], s[0], pb[0], pe[0], d[0], ceil_mode)
    ws = pool_axis_starts(W, k[1], s[1], pb[1], pe[1], d[1], ceil_mode)
    out = np.zeros((N, C, len(hs), len(ws)))
    idx = np.zeros((N, C, len(hs), len(ws)), dtype=int)
    for n in range(N):
        for c in range(C):
            for i, t in enumerate(hs):
                for j, u in enumerate(ws):
                    best, arg = NEG, -1
                    for a in range(k[0]):
                        for b in range(k[1]):
                            r, q = t + a * d[0] - pb[0], u + b * d[1] - pb[1]
                            if 0 <= r < H and 0 <= q < W and x[n, c, r, q] > best:
                                best, arg = x[n, c, r, q], ((n * C + c) * H + r) * W + q if axis0 else r * W + q
                    out[n, c, i, j], idx[n, c, i, j] = best, arg
    return out, idx


def same_pads(n, k, s, d, upper):
    out = math.ceil(n / s)
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    small, big = total // 2, total - total // 2
    return (small, big) if upper else (big, small)


A = np.array([[[[-1, 2, 3], [4, 5, -6], [-7, 8, 9]]]], float)


def example1():
    o, i = maxpool(A, (2, 2), (1, 1), (1, 1), (1, 1))
    assert o.tolist() == [[[[-1, 2, 3, 3], [4, 5, 5, 3], [4, 8, 9, 9], [-7, 8, 9, 9]]]]
    assert o[0, 0, 1, 3] == 3 != -6           # window rows 0-1, column 2 holds 3 and -6
    assert i[0, 0, 1, 3] == 2 != 5
    t = F.max_pool2d(torch.tensor(A), 2, 1, padding=1)
    assert np.array_equal(t.numpy(), o)


def example2():
    x = np.array([[[[-1, 2, 3, 5, -7, 9, 1]]]], float)
    o, i = maxpool(x, (1, 3), (1, 1), (0, 0), (0, 0))
    assert o.ravel().tolist() == [3, 5, 5, 9, 9] and i.ravel().tolist() == [2, 3, 3, 5, 5]


def example3_4():
    pb, pe = same_pads(3, 2, 1, 1, upper=False)
    o, i = maxpool(A, (2, 2), (1, 1), (pb, pb), (pe, pe))
    assert o.tolist() == [[[[-1, 2, 3], [4, 5, 5], [4, 8, 9]]]] and i.tolist() == [[[[0, 1, 2], [3, 4, 4], [3, 7, 8]]]]
    B = np.concatenate([A, np.array([[[[2, -1, 5], [6, -7, 1], [8, 2, -3]]]], float)], axis=1)
    pb, pe = same_pads(3, 2, 1, 1, upper=True)
    o, i = maxpool(B, (2, 2), (1, 1), (pb, pb), (pe, pe))
    assert o.tolist() == [[[[5, 5, 3], [8, 9, 9], [8, 9, 9]], [[6, 5, 5], [8, 2, 1], [8, 2, -3]]]]
    assert i.tolist() == [[[[4, 4, 2], [7, 8, 8], [7, 8, 8]], [[12, 11, 11], [15, 16, 14], [15, 16, 17]]]]


def example5_valid():
    o, i = maxpool(A, (2, 2), (2, 2), (0, 0), (0, 0), ceil_mode=True)
    assert o.tolist() == [[[[5, 3], [8, 9]]]] and i.tolist() == [[[[4, 2], [7, 8]]]]
    # the page's 'valid' formula ignores rounding_type: ceil((3 - 2 + 1) / 2) = 1, the example has 2
    assert math.ceil((3 - 2 + 1) / 2) == 1 and o.shape[-1] == 2
    for n in range(1, 30):
        for k in range(1, 5):
            for s in range(1, 4):
                for d in (1, 2):
                    span = (k - 1) * d + 1
                    if n >= span:
                        assert math.ceil((n - span + 1) / s) == window_count(n, k, s, 0, 0, d)


def example6_7():
    x = np.arange(1, 10, dtype=float).reshape(1, 1, 3, 3)
    o, i = maxpool(x, (2, 2), (1, 1), (1, 1), (1, 1), d=(2, 2))
    assert o.tolist() == [[[[5, 6, 5], [8, 9, 8], [5, 6, 5]]]] and i.tolist() == [[[[4, 5, 4], [7, 8, 7], [4, 5, 4]]]]
    y = np.arange(1, 19, dtype=float).reshape(1, 2, 3, 3)
    o, i = maxpool(y, (2, 2), (1, 1), (0, 0), (0, 0), axis0=False)
    assert o.tolist() == [[[[5, 6], [8, 9]], [[14, 15], [17, 18]]]] and i.tolist() == [[[[4, 5], [7, 8]], [[4, 5], [7, 8]]]]


def index_ranges():
    x = np.random.default_rng(0).normal(size=(2, 3, 4, 5))
    _, i0 = maxpool(x, (2, 2), (1, 1), (0, 0), (0, 0), axis0=True)
    _, i2 = maxpool(x, (2, 2), (1, 1), (0, 0), (0, 0), axis0=False)
    assert i0.min() >= 0 and i0.max() < x.size and i0.max() >= 4 * 5 and i2.max() < 4 * 5


def formulas():
    for n in range(1, 25):
        for k in range(1, 5):
            for s in range(1, 4):
                for d in (1, 2):
                    for pb in range(0, 3):
                        for pe in range(0, 3):
                            span = (k - 1) * d + 1
                            if n + pb + pe < span:
                                continue
                            assert math.floor((n + pb + pe - span) / s + 1) == window_count(n, k, s, pb, pe, d)
    # ceil formula: a last window lying wholly in the end padding is counted
    assert math.ceil((3 + 1 + 1 - 2) / 2 + 1) == 3 and window_count(3, 2, 2, 1, 1, 1, ceil_mode=True) == 2
    assert F.max_pool1d(torch.zeros(1, 1, 3), 2, 2, padding=1, ceil_mode=True).shape[-1] == 2
    # same_upper / same_lower: output ceil(H / s), not H, once s > 1
    pb, pe = same_pads(32, 2, 2, 1, upper=True)
    assert window_count(32, 2, 2, pb, pe) == 16 != 32
    assert window_count(32, 2, 2, 1, 1) == 17 and window_count(32, 2, 2, 0, 0) == 16
    # divisibility with the undilated kernel: H=5, k=2, d=2, s=2: 5-2=3 odd, but (5-3)/2 is exact
    assert (5 - 2) % 2 == 1 and (5 - 3) % 2 == 0 and window_count(5, 2, 2, 0, 0, 2) == window_count(5, 2, 2, 0, 0, 2, True)


if __name__ == "__main__":
    for fn in (example1, example2, example3_4, example5_valid, example6_7, index_ranges, formulas):
        fn()
    print("openvino-maxpool8-spec: all evidence checks pass")
