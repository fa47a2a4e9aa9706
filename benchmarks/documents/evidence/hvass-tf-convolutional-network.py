"""Evidence for hvass-tf-convolutional-network.ipynb (Hvass-Labs TensorFlow tutorial #02): brute force + torch."""

import math

import numpy as np
import torch
import torch.nn.functional as F


def same_out(n, s):
    """TensorFlow SAME output size: window starts 0, s, 2s, ... inside the input."""
    return len(range(0, n, s))


def network():
    # conv 5x5 SAME stride 1 keeps 28; pool 2x2/2 SAME -> 14; again -> 7
    assert same_out(28, 1) == 28 and same_out(28, 2) == 14 and same_out(14, 2) == 7
    x = torch.zeros(1, 1, 28, 28)
    y = F.max_pool2d(F.conv2d(x, torch.zeros(16, 1, 5, 5), padding=2), 2)
    assert y.shape == (1, 16, 14, 14)
    y = F.max_pool2d(F.conv2d(y, torch.zeros(36, 16, 5, 5), padding=2), 2)
    assert y.shape == (1, 36, 7, 7) and y.flatten(1).shape[1] == 1764 == 7 * 7 * 36
    w2 = np.zeros([5, 5, 16, 36])
    assert w2.size // 25 == 576 == 16 * 36 and 16 - 1 == 15


def pool_halves():
    assert same_out(7, 2) == 4 and 7 / 2 == 3.5
    # SAME pooling pads the end: torch with ceil_mode reproduces it
    assert F.max_pool2d(torch.zeros(1, 1, 7, 7), 2, 2, ceil_mode=True).shape[-1] == 4
    for n in range(2, 60, 2):
        assert same_out(n, 2) == n // 2


def softmax():
    z = torch.randn(5, 10) * 4
    p = torch.softmax(z, dim=1)
    assert bool(((p > 0) & (p < 1)).all()) and torch.allclose(p.sum(1), torch.ones(5))
    y = np.eye(10)[3]
    ce = -sum(t * math.log(q) for t, q in zip(y, y) if t > 0)   # prediction equal to the one-hot target
    assert ce == 0.0


if __name__ == "__main__":
    for fn in (network, pool_halves, softmax):
        fn()
    print("hvass-tf-convolutional-network: all evidence checks pass")
