"""Evidence for onnx-changelog-pool-convtranspose.md (AveragePool-1, ConvTranspose-1, MaxPool-10)."""
import itertools
import math
import torch
import torch.nn.functional as F

for n, k, s, d in itertools.product(range(1, 15), range(1, 5), range(1, 5), range(1, 3)):
    e = (k - 1) * d + 1
    for p in range(0, k // 2 + 1):
        if n + 2 * p < e:
            continue
        x = torch.randn(1, 1, n)
        if d == 1:
            assert F.avg_pool1d(x, k, s, p).shape[-1] == math.floor((n + 2 * p - k) / s + 1)        # line 9
        assert F.max_pool1d(x, k, s, p, dilation=d).shape[-1] == math.floor((n + 2 * p - e) / s + 1)  # 76
    if n >= e:
        v = F.max_pool1d(torch.zeros(1, 1, n), k, s, dilation=d).shape[-1]
        assert v == math.ceil((n - e + 1) / s)                                                       # 16, 90
    out = math.ceil(n / s)
    pad = (out - 1) * s + e - n                                                                      # 21, 95
    if pad >= 0:
        xp = F.pad(torch.zeros(1, 1, n), (pad // 2, pad - pad // 2))
        assert F.max_pool1d(xp, k, s, dilation=d).shape[-1] == out                                  # 17, 91
assert (math.ceil(6 / 4) - 1) * 4 + 1 - 6 == -1
# 23: exclude pad
y = F.avg_pool1d(torch.tensor([[[2.0, 4.0, 6.0]]]), 3, 1, 1, count_include_pad=False)
assert torch.allclose(y, torch.tensor([[[3.0, 4.0, 5.0]]]))
# 80: ceil formula vs dropped window
assert math.ceil((5 + 2 - 2) / 2 + 1) == 4 and F.max_pool1d(torch.zeros(1, 1, 5), 2, 2, 1, ceil_mode=True).shape[-1] == 3

# ConvTranspose-1 (33, 37, 38, 39, 59)
for n, k, s, d in itertools.product(range(1, 8), range(1, 5), range(1, 4), range(1, 3)):
    for op in range(max(s, d)):
        full = F.conv_transpose1d(torch.randn(1, 1, n), torch.randn(1, 1, k), stride=s, dilation=d, output_padding=op)
        Lf = full.shape[-1]
        for pb, pe in itertools.product(range(3), range(3)):
            if Lf - pb - pe > 0:
                assert Lf - pb - pe == s * (n - 1) + op + ((k - 1) * d + 1) - pb - pe                # 33
                target = Lf - pb - pe
                assert s * (n - 1) + op + ((k - 1) * d + 1) - target == pb + pe                      # 37
total = 3
doc_lower = (total // 2, total - total // 2)        # line 38 branch taken for SAME_LOWER
doc_upper = (total - total // 2, total // 2)        # line 39 branch taken for SAME_UPPER
assert doc_lower == (1, 2) and doc_lower[1] > doc_lower[0]    # extra at the end: wrong for SAME_LOWER
assert doc_upper == (2, 1) and doc_upper[0] > doc_upper[1]    # extra at the beginning: wrong for SAME_UPPER
w = torch.ones(1, 1, 3); x = torch.ones(1, 1, 2)
yp = F.conv_transpose1d(x, w, stride=2, padding=1, output_padding=1)
assert yp.shape[-1] == 4 and float(yp[0, 0, -1]) != 0.0
y0 = F.conv_transpose1d(x, w, stride=2, padding=0, output_padding=1)
assert float(y0[0, 0, -1]) == 0.0
print("onnx-changelog-pool-convtranspose: all checks passed")
