"""Evidence for sgrvinod-super-resolution-tutorial.md (a-PyTorch-Tutorial-to-Super-Resolution README): torch, no checker."""

import torch
import torch.nn.functional as F
from _brute import window_count


def pixels():
    assert (4 * 96) * (4 * 96) == 16 * 96 * 96 and (96 // 4) ** 2 * 16 == 96 * 96


def pixel_shuffle():
    s, n = 2, 3
    x = torch.arange(n * s * s * 2 * 2, dtype=torch.float32).reshape(1, n * s * s, 2, 2)
    y = F.pixel_shuffle(x, s)
    assert y.shape == (1, n, 4, 4)
    for c in range(n):
        for a in range(s):
            for b in range(s):
                assert torch.equal(y[0, c, a::s, b::s], x[0, c * s * s + a * s + b])


def shapes():
    assert window_count(24, 9, 1, 4, 4) == 24 and window_count(24, 3, 1, 1, 1) == 24
    lr = torch.zeros(1, 3, 24, 24)
    h = F.conv2d(lr, torch.zeros(64, 3, 9, 9), padding=4)
    assert h.shape == (1, 64, 24, 24)
    h = F.conv2d(h, torch.zeros(64, 64, 3, 3), padding=1)
    assert h.shape == (1, 64, 24, 24)
    for _ in range(2):
        h = F.pixel_shuffle(F.conv2d(h, torch.zeros(64 * 4, 64, 3, 3), padding=1), 2)
    assert h.shape == (1, 64, 96, 96)
    assert 96 // 4 == 24 != 16 and 16 * 4 == 64 != 96


def equivalence():
    torch.manual_seed(0)
    s, k, i, n, H = 2, 3, 2, 1, 5
    x = torch.randn(1, i, H, H)
    w = torch.randn(n * s * s, i, k, k)
    sub = F.pixel_shuffle(F.conv2d(x, w, padding=1), s)          # (1, n, sH, sH)
    # the same map as a stride-s transposed conv with an (s*k) x (s*k) kernel, cropping s per side
    K = torch.zeros(i, n, s * k, s * k)
    for c in range(n):
        for a in range(s):
            for b in range(s):
                for u in range(k):
                    for v in range(k):
                        K[:, c, a + s * (k - 1 - u), b + s * (k - 1 - v)] = w[c * s * s + a * s + b, :, u, v]
    tr = F.conv_transpose2d(x, K, stride=s, padding=s)
    assert tr.shape == sub.shape and torch.allclose(tr, sub, atol=1e-5)
    assert w.numel() == n * s * s * i * k * k == K.numel() == n * i * (s * k) * (s * k)


if __name__ == "__main__":
    for fn in (pixels, pixel_shuffle, shapes, equivalence):
        fn()
    print("sgrvinod-super-resolution-tutorial: all evidence checks pass")
