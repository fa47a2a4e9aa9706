"""Evidence for orghon-cnn-section.tex (NumPy brute force; no proofs/derive/numeric)."""

import numpy as np
from _brute import corr2d, maxpool2d, window_count

rng = np.random.default_rng(3)


def forward():
    I, K = rng.normal(size=(6, 5)), rng.normal(size=(3, 2))
    O = np.array([[sum(I[i + m, j + n] * K[m, n] for m in range(3) for n in range(2)) for j in range(4)] for i in range(4)])
    assert np.allclose(O, corr2d(I, K))


def sizes():
    for H in range(1, 30):
        for k in range(1, 7):
            for p in range(4):
                if H + 2 * p >= k:
                    assert (H - k + 2 * p) / 1 + 1 == window_count(H, k, 1, p, p)
    assert (5 - 2) / 2 + 1 == 2.5 and window_count(5, 2, 2, 0, 0) == 2
    assert (7 - 2) / 2 + 1 == 3.5 and window_count(7, 2, 2, 0, 0) == 3
    for H in range(2, 30):  # holds when s divides H - p_h
        for ph in range(1, 4):
            for s in range(1, 4):
                if H >= ph and (H - ph) % s == 0:
                    assert (H - ph) / s + 1 == window_count(H, ph, s, 0, 0)


def pool_window():
    x = rng.normal(size=(4, 4))
    y = maxpool2d(x, 2, 2)
    formula = lambda i, j: x[i:i + 2, j:j + 2].max()       # the document's window, no stride
    assert y[1, 0] == x[2:4, 0:2].max()
    assert not np.isclose(formula(1, 0), y[1, 0]) or not np.isclose(x[1:3, 0:2].max(), x[2:4, 0:2].max())
    x = np.zeros((4, 4)); x[3, 0] = 5.0                    # deterministic witness
    assert maxpool2d(x, 2, 2)[1, 0] == 5.0 and x[1:3, 0:2].max() == 0.0
    assert np.allclose(maxpool2d(x, 2, 1), [[x[i:i + 2, j:j + 2].max() for j in range(3)] for i in range(3)])


def softmax():
    z = rng.normal(size=6)
    s = np.exp(z) / np.exp(z).sum()
    assert np.all(s > 0) and np.isclose(s.sum(), 1) and np.allclose(s, np.exp(z - z.max()) / np.exp(z - z.max()).sum())


if __name__ == "__main__":
    forward(); sizes(); pool_window(); softmax()
    print("orghon-cnn-section: all verdicts reproduced")
