"""Evidence for ageron-homl3-cnn-chapter.ipynb (Hands-On ML 3rd ed., chapter 14 notebook): brute force + torch."""

import math

import torch
import torch.nn.functional as F
from _brute import conv_params, window_count


def same_size(n, s):
    """SAME output size: window starts 0, s, 2s, ... that lie inside the input (TensorFlow rule)."""
    return len(range(0, n, s))


def same_pad(n, k, s):
    """Total zeros TensorFlow adds for SAME: enough for the last window, never negative."""
    return max((same_size(n, s) - 1) * s + k - n, 0)


def shapes():
    x = torch.zeros(2, 3, 70, 120)
    assert F.conv2d(x, torch.zeros(32, 3, 7, 7)).shape[-2:] == (64, 114)
    assert F.conv2d(x, torch.zeros(32, 3, 7, 7), padding=3).shape[-2:] == (70, 120)
    assert (same_size(70, 2), same_size(120, 2)) == (35, 60)
    assert F.conv2d(x, torch.zeros(32, 3, 7, 7), stride=2, padding=3).shape[-2:] == (35, 60)   # pad 5 = 2 + 3
    assert conv_params(3, 32, 7, 7, bias=False) == 7 * 7 * 3 * 32 and conv_params(3, 32, 7, 7) - 7 * 7 * 3 * 32 == 32
    assert x.mean(dim=(2, 3)).shape == (2, 3)


def conv_output_size():
    for n in range(1, 40):
        for k in range(1, 8):
            for s in range(1, 5):
                if n >= k:
                    z = n - k + s
                    assert z // s == window_count(n, k, s, 0, 0)
                    used = (window_count(n, k, s, 0, 0) - 1) * s + k
                    assert z % s == n - used
                assert (n - 1) // s + 1 == same_size(n, s)
                formula = ((n - 1) // s) * s + k - n
                assert (formula == same_pad(n, k, s)) == (formula >= 0)
    assert same_size(6, 3) == 2 and (2 - 1) * 3 + 1 - 6 == -2 and same_pad(6, 1, 3) == 0
    assert [same_size(70, 2), same_size(120, 2)] == [35, 60] and [same_pad(70, 7, 2), same_pad(120, 7, 2)] == [5, 5]


def depth_pool():
    x = torch.rand(2, 60, 4, 4)   # pool across channels by 3 with stride 3
    y = F.max_pool1d(x.permute(0, 2, 3, 1).reshape(-1, 1, 60), 3, 3)
    assert y.shape[-1] == 20 == window_count(60, 3, 3, 0, 0)


def lenet():
    n = 28 + 2 * 2
    sizes = []
    for kind, k, s in (("c", 5, 1), ("p", 2, 2), ("c", 5, 1), ("p", 2, 2), ("c", 5, 1)):
        n = window_count(n, k, s, 0, 0)
        sizes.append(n)
    assert sizes == [28, 14, 10, 5, 1]


def params():
    p1, p2, p3 = conv_params(3, 100, 3, 3), conv_params(100, 200, 3, 3), conv_params(200, 400, 3, 3)
    assert (p1, p2, p3) == (2800, 180200, 720400) and p1 + p2 + p3 == 903400
    assert conv_params(3, 1, 3, 3) == 28 and 3 * 3 * 100 == 900 and 3 * 3 * 200 == 1800
    assert sum(p.numel() for p in torch.nn.MaxPool2d(2).parameters()) == 0


def ram():
    h, w = 200, 300
    maps = []
    for c in (100, 200, 400):
        h, w = same_size(h, 2), same_size(w, 2)
        maps.append((h, w, c))
    assert maps == [(100, 150, 100), (50, 75, 200), (25, 38, 400)]
    y = F.conv2d(torch.zeros(1, 1, 75, 75), torch.zeros(1, 1, 3, 3), stride=2, padding=1)
    assert y.shape[-1] == 38
    b = [4 * a * b_ * c for a, b_, c in maps]
    assert b == [6_000_000, 3_000_000, 1_520_000] and b[0] + b[1] == 9_000_000
    assert 4 * 903400 == 3_613_600 and 9_000_000 + 3_613_600 == 12_613_600
    assert math.isclose(sum(b) / 1e6, 10.52) and round(10.5 * 50) == 525
    assert 50 * 4 * 200 * 300 * 3 == 36_000_000 and math.isclose(525 + 36 + 3.6, 564.6)


if __name__ == "__main__":
    for fn in (shapes, conv_output_size, depth_pool, lenet, params, ram):
        fn()
    print("ageron-homl3-cnn-chapter: all evidence checks pass")
