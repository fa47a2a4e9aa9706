"""Evidence for heaton-cnn-module6.ipynb (J. Heaton, T81-558 module 6.2): brute force and PyTorch, no checker code."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from _brute import conv_params, window_count


def weights():
    # weights of a conv layer = f*f*c_in*k; the document's f*f*k only when c_in = 1
    for f in (1, 3, 5):
        for k in (1, 10, 64):
            for c_in in (1, 3, 64):
                true = conv_params(c_in, k, f, f, bias=False)
                assert (true == f * f * k) == (c_in == 1)
    assert 5 * 5 * 10 == 250 and conv_params(3, 10, 5, 5, bias=False) == 750
    assert conv_params(64, 64, 3, 3, bias=False) == 36864 != 3 * 3 * 64


def padded_size():
    x = np.zeros((8, 7))
    assert np.pad(x, 1).shape == (10, 9) != (9, 8)


def stride_claims():
    # stride larger than the grid is legal: one window position
    assert window_count(5, 3, 10, 0, 0) == 1
    assert F.conv2d(torch.zeros(1, 1, 5, 5), torch.zeros(1, 1, 3, 3), stride=10).shape[-1] == 1


def steps():
    for w in range(1, 40):
        for f in range(1, 8):
            for s in range(1, 5):
                for p in range(0, 4):
                    if w + 2 * p < f or (w - f + 2 * p) % s:
                        continue
                    assert (w - f + 2 * p) // s + 1 == window_count(w, f, s, p, p)


def pool_params():
    assert sum(p.numel() for p in torch.nn.MaxPool2d(2, 2).parameters()) == 0


def pool_formula():
    assert (125 - 2) / 2 + 1 == 62.5
    assert F.max_pool2d(torch.zeros(1, 1, 125, 125), 2, 2).shape[-1] == 62 == window_count(125, 2, 2, 0, 0)
    for w in range(2, 60):
        for f in (2, 3):
            for s in (1, 2, 3):
                if w >= f and (w - f) % s == 0:
                    assert (w - f) // s + 1 == window_count(w, f, s, 0, 0)


def pool_depth():
    assert F.max_pool2d(torch.zeros(1, 7, 6, 6), 2, 2).shape[1] == 7


def pool_examples():
    assert 1 - 1 / 4 == 0.75
    assert F.max_pool2d(torch.zeros(1, 1, 6, 6), 2, 2).shape[-2:] == (3, 3)


def rgb_pool():
    a, b = np.array([0.9, 0, 0]), np.array([0.4, 0.4, 0.4])
    by_average = b if b.mean() > a.mean() else a
    x = torch.tensor(np.stack([a, b], axis=1)).reshape(1, 3, 2, 1)   # NCHW, window 2x1
    per_channel = F.max_pool2d(x, (2, 1))[0, :, 0, 0].numpy()
    assert np.allclose(per_channel, [0.9, 0.4, 0.4]) and not np.allclose(per_channel, by_average)


def _walk(h, layers):
    """Shapes and Keras-style params (weights + biases) of a valid-conv / 2x2-pool / dense stack (NHWC)."""
    rows, c = [], 3
    for kind, n in layers:
        if kind == "conv":
            h = window_count(h, 3, 1, 0, 0)
            rows.append(((h, h, n), conv_params(c, n, 3, 3)))
            c = n
        elif kind == "pool":
            h = window_count(h, 2, 2, 0, 0)
            rows.append(((h, h, c), 0))
        elif kind == "flat":
            c = h * h * c
            rows.append(((c,), 0))
        else:
            rows.append(((n,), c * n + n))
            c = n
    return rows


def summary1():
    r = _walk(256, [("conv", 64), ("pool", 0), ("conv", 64), ("pool", 0), ("flat", 0), ("dense", 512), ("dense", 1)])
    assert r[0] == ((254, 254, 64), 1792) and r[1][0] == (127, 127, 64)
    assert r[2] == ((125, 125, 64), 36928) and r[3][0] == (62, 62, 64)
    assert r[4][0] == (246016,) and r[5][1] == 125960704 and r[6][1] == 513
    assert sum(p for _, p in r) == 125999937
    # PyTorch agrees on the first two shapes
    y = F.conv2d(torch.zeros(1, 3, 256, 256), torch.zeros(64, 3, 3, 3))
    assert y.shape[-1] == 254 and F.max_pool2d(y, 2).shape[-1] == 127


def summary2():
    r = _walk(256, [("conv", 16), ("pool", 0), ("conv", 32), ("pool", 0), ("conv", 64), ("pool", 0),
                    ("conv", 64), ("pool", 0), ("conv", 64), ("pool", 0), ("flat", 0), ("dense", 512), ("dense", 3)])
    want = [((254, 254, 16), 448), ((127, 127, 16), 0), ((125, 125, 32), 4640), ((62, 62, 32), 0),
            ((60, 60, 64), 18496), ((30, 30, 64), 0), ((28, 28, 64), 36928), ((14, 14, 64), 0),
            ((12, 12, 64), 36928), ((6, 6, 64), 0), ((2304,), 0), ((512,), 1180160), ((3,), 1539)]
    assert r == want and sum(p for _, p in r) == 1279139


def comments():
    assert (256, 256) != (150, 150) and (256, 256) != (300, 300)
    assert 512 * 3 + 3 == 1539   # dense_3 has 3 output neurons, not 1


if __name__ == "__main__":
    for fn in (weights, padded_size, stride_claims, steps, pool_params, pool_formula, pool_depth, pool_examples,
               rgb_pool, summary1, summary2, comments):
        fn()
    print("heaton-cnn-module6: all evidence checks pass")
