"""Evidence for openvino-avgpool1-spec.md (OpenVINO AvgPool-1): window counts by brute force, torch avg_pool2d."""

import math

import torch
import torch.nn.functional as F
from _brute import window_count


def same_pads(n, k, s):
    out = math.ceil(n / s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def shape_formula():
    H, pb, pe, k, s = 32, 1, 1, 5, 3
    doc = (H + pb + pe - k / s) + 1
    assert math.isclose(doc, 100 / 3) and window_count(H, k, s, pb, pe) == 10
    assert F.avg_pool2d(torch.zeros(1, 1, H, H), k, s, padding=1).shape[-1] == 10
    # W_out written with H: a 32 x 8 input, kernel 2, stride 2 -> W_out 4, not a function of H
    assert window_count(8, 2, 2, 0, 0) == 4 and window_count(32, 2, 2, 0, 0) == 16
    assert F.avg_pool2d(torch.zeros(1, 1, 32, 8), 2, 2).shape[-2:] == (16, 4)


def strides_zero():
    try:
        F.avg_pool2d(torch.zeros(1, 1, 4, 4), 2, 0)
    except (RuntimeError, ValueError):
        return
    raise AssertionError("stride 0 accepted")


def average():
    x = [1.0, 1.0, 1.0]
    n = 2                                           # sum over i = 0..n takes n+1 = 3 values
    assert sum(x[i] for i in range(0, n + 1)) / n == 1.5 != 1.0


def examples():
    for k in (2, 5):
        pb, pe = same_pads(32, k, 2)
        assert window_count(32, k, 2, pb, pe) == 16 != 32
    assert window_count(32, 5, 3, 1, 1) == 10
    assert window_count(32, 5, 2, 1, 1) == 15
    assert window_count(32, 5, 2, 0, 0) == 14
    assert F.avg_pool2d(torch.zeros(1, 3, 32, 32), 5, 2, padding=1).shape[-1] == 15
    assert F.avg_pool2d(torch.zeros(1, 3, 32, 32), 5, 2).shape[-1] == 14


if __name__ == "__main__":
    for fn in (shape_formula, strides_zero, average, examples):
        fn()
    print("openvino-avgpool1-spec: all evidence checks pass")
