"""Evidence for distill-deconv-checkerboard.html (Odena, Dumoulin, Olah, Distill 2016): overlap counted by brute
force, torch for the linear-map and gradient claims; no checker code."""

import numpy as np
import torch
import torch.nn.functional as F


def overlap_1d(n, k, s):
    """How many input points 'paint' each output position of a stride-s, size-k deconvolution (all weights 1)."""
    out = np.zeros((n - 1) * s + k, dtype=int)
    for i in range(n):
        out[i * s:i * s + k] += 1
    return out


def interior(c, k):
    return c[k:-k] if len(c) > 2 * k else c


def uneven():
    for k in range(1, 8):
        for s in range(1, 5):
            c = interior(overlap_1d(20, k, s), k)
            assert (len(set(c)) > 1) == (k % s != 0), (k, s)
    c = interior(overlap_1d(20, 3, 2), 3)
    assert set(c) == {1, 2} and max(c) == 2 * min(c)
    # 2-D: counts multiply, ratio squared
    c2 = np.outer(c, c)
    assert c2.max() == 4 * c2.min() == 4
    x = torch.ones(1, 1, 20, 20)
    t = F.conv_transpose2d(x, torch.ones(1, 1, 3, 3), stride=2)[0, 0].numpy()
    o = overlap_1d(20, 3, 2)
    assert np.array_equal(t, np.outer(o, o))
    assert len(set(interior(overlap_1d(20, 4, 2), 4))) == 1        # stride 2, size 4: even overlap


def stride1_filter():
    # a stride-1 size-k box filter cancels any zero-mean periodic pattern whose period p divides k
    for k in (2, 3, 4, 6):
        for p in range(2, 7):
            pattern = np.tile(np.r_[1.0, np.zeros(p - 1)] - 1 / p, 10)
            y = np.convolve(pattern, np.ones(k), mode="valid")
            assert (np.allclose(y, 0)) == (k % p == 0), (k, p)


def linear_maps():
    torch.manual_seed(0)
    w = torch.randn(1, 1, 3, 3)
    a, b = torch.randn(1, 1, 5, 5), torch.randn(1, 1, 5, 5)
    deconv = lambda x: F.conv_transpose2d(x, w, stride=2)
    resize = lambda x: F.conv2d(F.interpolate(x, scale_factor=2, mode="nearest"), w, padding=1)
    for op in (deconv, resize):
        assert torch.allclose(op(2 * a + 3 * b), 2 * op(a) + 3 * op(b), atol=1e-5)


def gradient():
    x = torch.randn(1, 1, 11, 11, requires_grad=True)
    w = torch.randn(2, 1, 3, 3)
    y = F.conv2d(x, w, stride=2)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    assert torch.allclose(x.grad, F.conv_transpose2d(g, w, stride=2), atol=1e-5)
    x2 = torch.zeros(1, 1, 11, 11, requires_grad=True)
    F.conv2d(x2, torch.ones(1, 1, 3, 3), stride=2).sum().backward()
    inner = x2.grad[0, 0, 2:-2, 2:-2]
    assert len(set(inner.flatten().tolist())) > 1                    # checkerboard of 1, 2, 4


if __name__ == "__main__":
    for fn in (uneven, stride1_filter, linear_maps, gradient):
        fn()
    print("distill-deconv-checkerboard: all evidence checks pass")
