"""Evidence for paddle-conv2d-transpose.rst (PaddlePaddle docs, Conv2DTranspose_cn): brute force + torch, no checker code."""

import math

import torch
import torch.nn.functional as F
from _brute import transposed_size, window_count


def weight_layout():
    m = torch.nn.ConvTranspose2d(4, 6, 3)
    assert tuple(m.weight.shape) == (4, 6, 3, 3)
    assert tuple(torch.nn.ConvTranspose2d(4, 6, 3, groups=2).weight.shape) == (4, 3, 3, 3)


def general():
    for h in range(1, 9):
        for k in range(1, 5):
            for s in range(1, 4):
                for d in range(1, 3):
                    for p in range(0, 3):
                        want = (h - 1) * s - 2 * p + d * (k - 1) + 1
                        if want <= 0:
                            continue
                        assert transposed_size(h, k, s, p, p, 0, d) == want
                        t = F.conv_transpose2d(torch.zeros(1, 1, h, h), torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
                        assert t.shape[-1] == want


def output_range():
    for h in range(1, 9):
        for k in range(1, 5):
            for s in range(1, 4):
                for d in (1, 2):
                    for p in range(0, 3):
                        hp = (h - 1) * s - 2 * p + d * (k - 1) + 1
                        if hp <= 0:
                            continue
                        back = [n for n in range(1, hp + 3 * s) if n + 2 * p >= d * (k - 1) + 1
                                and window_count(n, k, s, p, p, d) == h]
                        assert back == list(range(hp, hp + s)), (h, k, s, d, p, back)
    # stride 1: a single size
    assert [n for n in range(1, 20) if n >= 3 and window_count(n, 3, 1, 0, 0) == 5] == [7]


def same_conv_out(n, s):
    return math.ceil(n / s)   # SAME forward output size (TensorFlow rule): every start s*i with i < ceil(n/s)


def same():
    # the sizes a SAME transposed conv may produce are those whose SAME forward conv gives H_in
    for h_in, s in ((4, 2), (5, 3)):
        ok = [n for n in range(1, 40) if same_conv_out(n, s) == h_in]
        assert max(ok) == h_in * s
        formula = (h_in + s - 1) / s
        assert formula not in ok and formula < min(ok)
    # SAME forward rule checked by enumerating window starts of a stride-s layer with enough padding
    for n in range(1, 30):
        for s in range(1, 4):
            assert len(range(0, n, s)) == same_conv_out(n, s)
    # TF/Keras-style: a transposed conv with k = s, no padding, gives exactly H_in*s
    assert F.conv_transpose2d(torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 2, 2), stride=2).shape[-1] == 8


if __name__ == "__main__":
    for fn in (weight_layout, general, output_range, same):
        fn()
    print("paddle-conv2d-transpose: all evidence checks pass")
