"""Evidence for openvino-convolution-backprop-data.md (OpenVINO ConvolutionBackpropData-1): scatter lengths by brute
force and torch conv_transpose; no checker code."""

import torch
import torch.nn.functional as F
from _brute import transposed_size


def output_size():
    for X in range(1, 8):
        for K in range(1, 5):
            for s in range(1, 4):
                for d in (1, 2):
                    for pb in range(0, 2):
                        for pe in range(0, 2):
                            for op in range(0, s):
                                y = s * (X - 1) + ((K - 1) * d + 1) - pb - pe + op
                                if y <= 0:
                                    continue
                                assert y == transposed_size(X, K, s, pb, pe, op, d)
                                # total_padding recovers pb + pe from the output size
                                assert s * (X - 1) + ((K - 1) * d + 1) - y + op == pb + pe
    t = F.conv_transpose2d(torch.zeros(1, 20, 224, 224), torch.zeros(20, 10, 3, 3), stride=2, padding=1)
    assert t.shape == (1, 10, 447, 447)
    t = F.conv_transpose2d(torch.zeros(1, 20, 2, 2), torch.zeros(20, 10, 3, 3), stride=3, output_padding=2)
    assert t.shape == (1, 10, 8, 8)


def pad_split():
    total = 3
    # the page's own rule (line 75): same_upper puts the extra (odd) padding at the end
    want_upper = (total // 2, total - total // 2)      # (begin, end) = (1, 2)
    want_lower = (total - total // 2, total // 2)      # (2, 1)
    doc_upper = (total - total // 2, total // 2)       # lines 35-36: end = total // 2
    doc_lower = (total // 2, total - total // 2)       # lines 32-33
    assert doc_upper != want_upper and doc_lower != want_lower


def example3():
    X, K, s = 224, 3, 1
    assert s * (X - 1) + K == 226                      # valid (no cropping): 226, not 450
    assert s * (X - 1) + K - 450 == -224               # total_padding for 450 would be negative
    assert max(transposed_size(X, K, s, 0, 0, op) for op in range(0, s)) == 226


if __name__ == "__main__":
    for fn in (output_size, pad_split, example3):
        fn()
    print("openvino-convolution-backprop-data: all evidence checks pass")
