"""Evidence for udacity-cifar10-cnn-solution.ipynb (Udacity deep-learning-v2-pytorch): window counts + torch."""

import torch
import torch.nn.functional as F
from _brute import window_count


def formula():
    assert window_count(7, 3, 1, 0, 0) == 5 == (7 - 3 + 0) / 1 + 1
    assert window_count(7, 3, 2, 0, 0) == 3 == (7 - 3 + 0) / 2 + 1
    assert (32 - 3) / 2 + 1 == 15.5 and window_count(32, 3, 2, 0, 0) == 15
    assert F.conv2d(torch.zeros(1, 1, 32, 32), torch.zeros(1, 1, 3, 3), stride=2).shape[-1] == 15
    for W in range(3, 40):
        for Fk in (1, 3, 5):
            for S in (1, 2, 3):
                for P in (0, 1, 2):
                    if (W - Fk + 2 * P) % S == 0 and W + 2 * P >= Fk:
                        assert (W - Fk + 2 * P) // S + 1 == window_count(W, Fk, S, P, P)


def shapes():
    x = torch.zeros(1, 3, 32, 32)
    sizes = []
    for cin, cout in ((3, 16), (16, 32), (32, 64)):
        sizes.append(tuple(x.shape[1:]))
        x = F.max_pool2d(F.conv2d(x, torch.zeros(cout, cin, 3, 3), padding=1), 2, 2)
    assert sizes == [(3, 32, 32), (16, 16, 16), (32, 8, 8)]
    assert tuple(x.shape[1:]) == (64, 4, 4) and x.flatten(1).shape[1] == 64 * 4 * 4 == 1024


if __name__ == "__main__":
    for fn in (formula, shapes):
        fn()
    print("udacity-cifar10-cnn-solution: all evidence checks pass")
