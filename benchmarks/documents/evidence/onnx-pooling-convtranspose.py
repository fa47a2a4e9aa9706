"""Evidence for onnx-pooling-convtranspose.md (window enumeration and scatter counting; PyTorch as an extra
cross-check when installed; no proofs/derive/numeric)."""

import math

from _brute import transposed_size, window_count


def explicit_padding():
    for n in range(1, 16):
        for k in range(1, 5):
            for d in range(1, 4):
                for s in range(1, 4):
                    for lo in range(3):
                        for hi in range(3):
                            e = d * (k - 1) + 1
                            if n + lo + hi < e:
                                continue
                            P = lo + hi
                            assert math.floor((n + P - d * (k - 1) - 1) / s + 1) == window_count(n, k, s, lo, hi, d)
                            f = math.ceil((n + P - d * (k - 1) - 1) / s + 1)
                            if (f - 1) * s < n + lo:      # the last window does not start in the right padding
                                assert f == window_count(n, k, s, lo, hi, d, ceil_mode=True)
    assert math.ceil((5 + 2 - 1 - 1) / 2 + 1) == 4 and window_count(5, 2, 2, 1, 1, ceil_mode=True) == 3


def valid_floor():
    for n in range(1, 20):
        for k in range(1, 5):
            for d in range(1, 3):
                for s in range(1, 4):
                    e = (k - 1) * d + 1
                    if n >= e:
                        assert math.floor((n - e) / s) + 1 == window_count(n, k, s, 0, 0, d)


def valid_ceil():
    e = (2 - 1) * 1 + 1
    assert math.ceil((5 - e + 1) / 2) == 2
    assert window_count(5, 2, 2, 0, 0, ceil_mode=True) == 3
    assert math.ceil((5 + 0 - 1 * (2 - 1) - 1) / 2 + 1) == 3     # line 15 with zero pads
    try:
        import torch
    except ImportError:
        return
    assert torch.nn.functional.max_pool1d(torch.zeros(1, 1, 5), 2, 2, ceil_mode=True).shape[-1] == 3


def same():
    for n in range(1, 25):
        for k in range(1, 5):
            for d in range(1, 3):
                for s in range(1, 5):
                    out = math.ceil(n / s)
                    assert out == math.floor((n - 1) / s) + 1
                    pad = (out - 1) * s + ((k - 1) * d + 1) - n
                    P = max(pad, 0)
                    for lo in {P // 2, P - P // 2}:
                        assert window_count(n, k, s, lo, P - lo, d) == out
    assert (2 - 1) * 4 + 2 - 7 == -1


def transposed():
    for n in range(1, 8):
        for k in range(1, 5):
            for d in range(1, 3):
                for s in range(1, 4):
                    for lo in range(3):
                        for hi in range(3):
                            for op in range(max(s, d)):
                                out = s * (n - 1) + op + ((k - 1) * d + 1) - lo - hi
                                if out <= 0:
                                    continue
                                assert out == transposed_size(n, k, s, lo, hi, op, d)
                                total = s * (n - 1) + op + ((k - 1) * d + 1) - out
                                assert total == lo + hi
    try:
        import torch
    except ImportError:
        return
    for n, k, s, p, op in [(3, 3, 2, 1, 1), (5, 4, 3, 2, 0), (4, 2, 2, 0, 1)]:
        y = torch.nn.functional.conv_transpose1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=s, padding=p, output_padding=op)
        assert y.shape[-1] == s * (n - 1) + op + (k - 1) + 1 - 2 * p


def split():
    for total in range(0, 9):
        upper = (total // 2, total - total // 2)
        lower = (total - total // 2, total // 2)
        assert sum(upper) == sum(lower) == total and upper[1] >= upper[0] and lower[0] >= lower[1]


def transposed_same():
    n, k, s = 3, 1, 2
    assert transposed_size(n, k, s, 0, 0) == 5 < n * s
    for n in range(1, 6):
        for k in range(1, 5):
            for s in range(1, 4):
                if k >= s:  # extent >= stride: a non-negative total padding reaches n*s
                    total = s * (n - 1) + k - n * s
                    assert total >= 0 and transposed_size(n, k, s, total // 2, total - total // 2) == n * s


if __name__ == "__main__":
    explicit_padding(); valid_floor(); valid_ceil(); same(); transposed(); split(); transposed_same()
    print("onnx-pooling-convtranspose: all verdicts reproduced")
