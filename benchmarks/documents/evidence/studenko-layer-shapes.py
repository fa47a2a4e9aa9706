"""Evidence for studenko-layer-shapes.md: window positions counted by brute force (no proofs/derive/numeric)."""

import math

import numpy as np
from _brute import corr2d, maxpool2d, window_count


def formulas():
    for W in range(1, 41):
        for F in range(1, 8):
            for S in range(1, 5):
                for P in range(0, 4):
                    if W + 2 * P < F:
                        continue
                    assert math.floor((W - F + 2 * P) / S + 1) == window_count(W, F, S, P, P)
                    if P == 0:
                        assert math.floor((W - F) / S + 1) == window_count(W, F, S, 0, 0)


def claim_any_layer():
    assert (28 - 3) / 1 + 1 == 26 and window_count(28, 3, 1, 1, 1) == 28


def pool_halves():
    for W in range(2, 61):
        assert window_count(W, 2, 2, 0, 0) == math.floor(W / 2)


def examples():
    x = np.random.default_rng(0).normal(size=(28, 28))
    y = corr2d(x, np.ones((3, 3)))
    assert y.shape == (26, 26) and ((28 - 3) / 1) + 1 == 26
    assert maxpool2d(y, 2, 2).shape == (13, 13) and 26 / 2 == 13


if __name__ == "__main__":
    formulas(); claim_any_layer(); pool_halves(); examples()
    print("studenko-layer-shapes: all verdicts reproduced")
