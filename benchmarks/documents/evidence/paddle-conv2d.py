"""Evidence for paddle-conv2d.rst (PaddlePaddle docs, Conv2D_cn): window counts and torch, no checker code."""

import math

import torch
import torch.nn.functional as F
from _brute import window_count


def groups():
    assert tuple(torch.nn.Conv2d(6, 8, 3).weight.shape) == (8, 6, 3, 3)
    assert tuple(torch.nn.Conv2d(6, 8, 3, groups=2).weight.shape) == (8, 3, 3, 3)
    torch.manual_seed(0)
    x, w = torch.randn(1, 6, 5, 5), torch.randn(8, 3, 3, 3)
    y = F.conv2d(x, w, groups=2)
    parts = torch.cat([F.conv2d(x[:, :3], w[:4]), F.conv2d(x[:, 3:], w[4:])], dim=1)
    assert torch.allclose(y, parts, atol=1e-5)


def explicit():
    assert (6 + 0 - (1 * (3 - 1) + 1)) / 2 + 1 == 2.5 and window_count(6, 3, 2, 0, 0) == 2
    for h in range(1, 30):
        for k in range(1, 5):
            for s in range(1, 4):
                for d in (1, 2):
                    for p in range(0, 3):
                        num = h + 2 * p - (d * (k - 1) + 1)
                        if num < 0:
                            continue
                        assert num // s + 1 == window_count(h, k, s, p, p, d)
                        if num % s == 0:
                            assert num / s + 1 == window_count(h, k, s, p, p, d)


def same():
    for h in range(1, 40):
        for s in range(1, 5):
            assert len(range(0, h, s)) == math.ceil(h / s) == (h + s - 1) // s
    assert (6 + 4 - 1) / 4 == 2.25 and len(range(0, 6, 4)) == 2


if __name__ == "__main__":
    for fn in (groups, explicit, same):
        fn()
    print("paddle-conv2d: all evidence checks pass")
