"""Evidence for akshaybabloo-convnet-shapes.rst (brute force; no proofs/derive/numeric)."""

import numpy as np
from _brute import conv_params, window_count


def output_size():
    true = window_count(5, 3, 1, 0, 0)
    assert true == 3
    assert (5 - 3 + 2 * 0) / (1 + 1) != true        # P = padding, S = stride
    assert (5 - 3 + 2 * 1) / (0 + 1) != true        # P = stride, S = padding (line 10)
    assert window_count(32, 8, 2, 1, 1) == 14 and (32 - 8 + 2) / (2 + 1) != 14


def params_without_sharing():
    fh = fw = 8; fd = 3; nh = nw = 14; nd = 20
    per_neuron = np.zeros((fh, fw, fd)).size + 1            # own weights + own bias
    total = per_neuron * np.zeros((nh, nw, nd)).size
    assert total == 756_560
    assert (fh * fw * fd + 1) / (nh * nw * nd) != total


def params_with_sharing():
    count = conv_params(3, 20, 8, 8)
    assert count == 3_860
    assert (8 * 8 * 3 + 1) * 20 + 20 == 3_880 != count


if __name__ == "__main__":
    output_size(); params_without_sharing(); params_with_sharing()
    print("akshaybabloo-convnet-shapes: all verdicts reproduced")
