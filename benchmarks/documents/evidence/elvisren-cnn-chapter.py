"""Evidence for elvisren-cnn-chapter.tex (NumPy brute force; no proofs/derive/numeric)."""

import math

import numpy as np
from _brute import corr2d, maxpool2d, window_count

rng = np.random.default_rng(2)


def commutative():
    a, b = rng.normal(size=5), rng.normal(size=3)
    full = lambda f, g: np.array([sum(f[m] * g[t - m] for m in range(len(f)) if 0 <= t - m < len(g))
                                  for t in range(len(f) + len(g) - 1)])
    assert np.allclose(full(a, b), full(b, a))


def index_formulas():
    H, W, C, D = 2, 3, 2, 2
    x = rng.normal(size=(5, 6, C)); w = rng.normal(size=(H, W, C, D)); b = rng.normal(size=D)
    z = np.array([[[b[d] + sum(w[u, v, c, d] * x[i + u, j + v, c] for u in range(H) for v in range(W) for c in range(C))
                    for d in range(D)] for j in range(6 - W + 1)] for i in range(5 - H + 1)])
    for d in range(D):  # sliding-window reference, channel by channel
        ref = b[d] + sum(corr2d(x[:, :, c], w[:, :, c, d]) for c in range(C))
        assert np.allclose(z[:, :, d], ref)


def one_by_one():
    x = rng.normal(size=(4, 5, 3)); w = rng.normal(size=(1, 1, 3, 2)); b = rng.normal(size=2)
    H = W = 1
    z = np.array([[[b[d] + sum(w[0, 0, c, d] * x[i + u, j + v, c] for u in range(H) for v in range(W) for c in range(3))
                    for d in range(2)] for j in range(5)] for i in range(4)])
    assert z.shape == (4, 5, 2) and np.allclose(z, x @ w[0, 0] + b)


def matrix_form():
    w1, w2, w3, w4 = rng.normal(size=4); x = rng.normal(size=9)
    M = np.array([[w1, w2, 0, w3, w4, 0, 0, 0, 0], [0, w1, w2, 0, w3, w4, 0, 0, 0],
                  [0, 0, 0, w1, w2, 0, w3, w4, 0], [0, 0, 0, 0, w1, w2, 0, w3, w4]])
    assert np.allclose(M @ x, corr2d(x.reshape(3, 3), np.array([[w1, w2], [w3, w4]])).reshape(-1))


def equivariance():
    x = rng.normal(size=(8, 8)); k = np.ones((3, 3))
    shifted = np.roll(x, 1, axis=1)
    assert np.allclose(corr2d(shifted, k)[:, 1:], corr2d(x, k)[:, :-1])   # shift commutes away from the border
    assert not np.allclose(corr2d(x + 1, k), corr2d(x, k) + 1)           # colour offset does not
    assert np.allclose(corr2d(x + 1, k), corr2d(x, k) + 9)


def pooling_invariance():
    x = np.zeros((4, 4)); x[0, 1] = 1
    y, ys = maxpool2d(x, 2, 2), maxpool2d(np.roll(x, 1, axis=1), 2, 2)
    assert y[0, 0] == 1 and ys[0, 1] == 1 and not np.array_equal(y, ys)


def sizes():
    for xh in range(1, 31):
        for fh in range(1, 8):
            for sh in range(1, 5):
                for ph in range(4):
                    if xh + 2 * ph < fh:
                        continue
                    assert math.floor((xh - fh + 2 * ph) / sh + 1) == window_count(xh, fh, sh, ph, ph)
                    if ph == 0:
                        assert math.floor((xh - fh) / sh + 1) == window_count(xh, fh, sh, 0, 0)
                        if sh == 1:
                            assert xh - fh + 1 == window_count(xh, fh, 1, 0, 0)
    assert window_count(7, 7, 1, 0, 0) == 1  # global pooling: one position per channel


if __name__ == "__main__":
    commutative(); index_formulas(); one_by_one(); matrix_form(); equivariance(); pooling_invariance(); sizes()
    print("elvisren-cnn-chapter: all verdicts reproduced")
