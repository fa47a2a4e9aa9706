"""Evidence for mbadry-dlai-cnn-summary.md (brute force: window counts, correlation loops, array sizes, loops
over multiply-adds; no proofs/derive/numeric)."""

import math

import numpy as np
from _brute import conv_params, corr2d, maxpool2d, window_count

rng = np.random.default_rng(4)


def counts():
    assert np.zeros((1000, 1000, 3)).size == 3_000_000
    assert 1000 * 3_000_000 == 3_000_000_000
    assert np.zeros((7, 7, 40)).size == 1960 and np.zeros((5, 5, 16)).size == 400


def shapes():
    x = rng.normal(size=(6, 6, 3))
    one = sum(corr2d(x[:, :, c], rng.normal(size=(3, 3))) for c in range(3))
    assert one.shape == (4, 4)
    assert np.stack([one] * 10, -1).shape == (4, 4, 10)
    assert window_count(39, 3, 1, 0, 0) == 37 and window_count(37, 5, 2, 0, 0) == 17 and window_count(17, 5, 2, 0, 0) == 7
    assert maxpool2d(rng.normal(size=(4, 4)), 2, 2).shape == (2, 2)
    assert corr2d(rng.normal(size=(6, 6)), np.ones((1, 1))).shape == (6, 6)
    assert window_count(28, 5, 1, 2, 2) == 28 and window_count(28, 1, 1, 0, 0) == 28


def sizes():
    for n in range(1, 30):
        for f in range(1, 7):
            for p in range(4):
                for s in range(1, 4):
                    if n + 2 * p < f:
                        continue
                    if s == 1:
                        assert n + 2 * p - f + 1 == window_count(n, f, 1, p, p)
                        if p == 0:
                            assert n - f + 1 == window_count(n, f, 1, 0, 0)
                    assert math.floor((n + 2 * p - f) / s + 1) == window_count(n, f, s, p, p)
    assert 6 + 2 - 3 + 1 == 6 == window_count(6, 3, 1, 1, 1)


def same_padding():
    for n in range(1, 20):
        for f in range(1, 8):
            for s in range(1, 4):
                p2 = n * s - n + f - s
                if p2 >= 0 and p2 % 2 == 0:      # integer p: the output size is n ('same')
                    assert window_count(n, f, s, p2 // 2, p2 // 2) == n
    assert (6 * 1 - 6 + 4 - 1) / 2 == 1.5 and (6 * 2 - 6 + 3 - 2) / 2 == 3.5
    assert (4 - 1) / 2 == 1.5 and (2 - 1) / 2 == 0.5
    for f in range(1, 9, 2):
        assert window_count(10, f, 1, (f - 1) // 2, (f - 1) // 2) == 10
    # even f: no symmetric integer padding keeps the size with stride 1
    assert all(window_count(10, 4, 1, p, p) != 10 for p in range(5))


def layer_formula():
    assert (39 + 0 - 5 / 2) + 1 == 37.5 and window_count(39, 5, 2, 0, 0) == 18
    assert (37 + 0 - 5 / 2) + 1 == 35.5 and window_count(37, 5, 2, 0, 0) == 17


def params():
    assert conv_params(3, 10, 3, 3) == 280 == (3 * 3 * 3 * 10) + 10
    for n in (6, 39, 300):  # no dependence on the input size: the arrays do not involve n
        assert conv_params(3, 10, 3, 3) == 280


def lenet():
    a = window_count(32, 5, 1, 0, 0); b = window_count(a, 2, 2, 0, 0)
    c = window_count(b, 5, 1, 0, 0); d = window_count(c, 2, 2, 0, 0)
    assert (a, b, c, d) == (28, 14, 10, 5)
    conv = [conv_params(3, 6, 5, 5), conv_params(6, 16, 5, 5)]
    fc = [400 * 120 + 120, 120 * 84 + 84, 84 * 10 + 10]
    assert max(fc) > max(conv)


def not_invariant():
    x = np.zeros((8, 8)); x[4, 3] = 1
    y, ys = corr2d(x, np.ones((3, 3))), corr2d(np.roll(x, 1, axis=1), np.ones((3, 3)))
    assert not np.array_equal(y, ys) and np.array_equal(np.roll(y, 1, axis=1)[:, 1:], ys[:, 1:])


def vgg16():
    cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
    c, n, conv = 3, 224, 0
    for v in cfg:
        if v == "M":
            n = window_count(n, 2, 2, 0, 0)
        else:
            assert window_count(n, 3, 1, 1, 1) == n        # same conv keeps the size
            conv += conv_params(c, v, 3, 3); c = v
    fc = (n * n * c) * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 1000 + 1000
    assert n == 7 and conv + fc == 138_357_544 and fc == 123_642_856 and fc > conv


def relu():
    a = np.abs(rng.normal(size=10))
    assert np.array_equal(np.maximum(a, 0), a)


def macs():
    def mults(h, w, c_out, k, c_in):   # one multiplication per output entry per kernel tap per input channel
        return sum(1 for _ in range(k * k * c_in)) * h * w * c_out
    assert mults(28, 28, 32, 5, 192) == 120_422_400
    a, b = mults(28, 28, 16, 1, 192), mults(28, 28, 32, 5, 16)
    assert a == 2_408_448 and round(a / 1e6, 1) == 2.4 != 2.5
    assert b == 10_035_200 and a + b == 12_443_648


if __name__ == "__main__":
    counts(); shapes(); sizes(); same_padding(); layer_formula(); params(); lenet(); not_invariant(); vgg16(); relu(); macs()
    print("mbadry-dlai-cnn-summary: all verdicts reproduced")
