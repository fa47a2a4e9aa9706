"""Evidence for chollet-intro-to-convnets.ipynb: the model.summary() tables recomputed by brute force.

Shapes come from correlating/pooling an actual 28x28 array; parameter counts from building the weight and
bias arrays and counting entries (no proofs/derive/numeric).
"""

import numpy as np
from _brute import conv_params, corr2d, maxpool2d


def tables():
    x = np.random.default_rng(1).normal(size=(28, 28))
    a = corr2d(x, np.ones((3, 3)));  assert a.shape == (26, 26)
    b = maxpool2d(a, 2, 2);          assert b.shape == (13, 13)
    c = corr2d(b, np.ones((3, 3)));  assert c.shape == (11, 11)
    d = maxpool2d(c, 2, 2);          assert d.shape == (5, 5)
    e = corr2d(d, np.ones((3, 3)));  assert e.shape == (3, 3)
    p1, p2, p3 = conv_params(1, 32, 3, 3), conv_params(32, 64, 3, 3), conv_params(64, 64, 3, 3)
    assert (p1, p2, p3) == (320, 18496, 36928)
    assert p1 + p2 + p3 == 55_744
    flat = np.zeros((3, 3, 64)).reshape(-1).size
    assert flat == 576
    d1 = np.zeros((576, 64)).size + np.zeros(64).size
    d2 = np.zeros((64, 10)).size + np.zeros(10).size
    assert (d1, d2) == (36928, 650)
    assert p1 + p2 + p3 + d1 + d2 == 93_322


def with_torch():
    try:
        import torch
    except ImportError:
        return
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3), torch.nn.MaxPool2d(2), torch.nn.Conv2d(32, 64, 3),
                              torch.nn.MaxPool2d(2), torch.nn.Conv2d(64, 64, 3))
    assert net(torch.zeros(1, 1, 28, 28)).shape == (1, 64, 3, 3)
    assert sum(p.numel() for p in net.parameters()) == 55_744


if __name__ == "__main__":
    tables(); with_torch()
    print("chollet-intro-to-convnets: all verdicts reproduced")
