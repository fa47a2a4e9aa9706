"""Evidence for onnx-conv-averagepool-operators.md (ONNX AveragePool, Conv, ConvTranspose)."""
import itertools
import math
import numpy as np
import torch
import torch.nn.functional as F

def n_windows(n, k, s, d, pb, pe, ceil_mode):
    """Enumerate window start positions on the padded input (a partial last window is
    allowed only in ceil mode) and drop windows starting in the right padding."""
    e = (k - 1) * d + 1
    total = n + pb + pe
    starts = []
    st = 0
    while st + e <= total:
        starts.append(st)
        st += s
    if ceil_mode and starts and starts[-1] + e < total:
        starts.append(starts[-1] + s)        # partial window covering the remainder
    return sum(1 for st in starts if st < n + pb)

floor_f = lambda n, k, s, d, pad: math.floor((n + pad - d * (k - 1) - 1) / s + 1)
ceil_f = lambda n, k, s, d, pad: math.ceil((n + pad - d * (k - 1) - 1) / s + 1)
for n, k, s, d in itertools.product(range(1, 15), range(1, 5), range(1, 5), range(1, 4)):
    e = (k - 1) * d + 1
    for p in range(0, k // 2 + 1):                       # torch requires pad <= k/2
        if n + 2 * p < e:
            continue
        x = torch.randn(1, 1, n)
        fl = F.max_pool1d(x, k, s, p, dilation=d).shape[-1]
        assert fl == floor_f(n, k, s, d, 2 * p) == n_windows(n, k, s, d, p, p, False)   # line 11
        ce = F.max_pool1d(x, k, s, p, dilation=d, ceil_mode=True).shape[-1]
        assert ce == n_windows(n, k, s, d, p, p, True)                                     # line 17
        assert ce in (ceil_f(n, k, s, d, 2 * p), ceil_f(n, k, s, d, 2 * p) - 1)
    if n >= e:
        v1 = math.ceil((n - e + 1) / s)
        v2 = math.floor((n - e) / s) + 1
        assert v1 == v2 == n_windows(n, k, s, d, 0, 0, False) == F.max_pool1d(torch.zeros(1, 1, n), k, s, dilation=d).shape[-1]  # 21, 26
        ceil_valid = F.max_pool1d(torch.zeros(1, 1, n), k, s, dilation=d, ceil_mode=True).shape[-1]
        if (n - e) % s == 0:
            assert ceil_valid == v1      # line 21 agrees with ceil mode only in such cases
    out = math.ceil(n / s)
    assert math.floor((n - 1) / s) + 1 == out                                            # 22, 27
    pad = (out - 1) * s + e - n                                                          # 31
    if pad >= 0:
        assert n_windows(n, k, s, d, pad // 2, pad - pad // 2, False) == out
# line 15 counterexample: 5, k 2, s 2, pads (1,1)
assert ceil_f(5, 2, 2, 1, 2) == 4
assert F.avg_pool1d(torch.zeros(1, 1, 5), 2, 2, 1, ceil_mode=True).shape[-1] == 3
assert math.ceil((5 - 2 + 1) / 2) == 2 and F.max_pool1d(torch.zeros(1, 1, 5), 2, 2, ceil_mode=True).shape[-1] == 3 == ceil_f(5, 2, 2, 1, 0)  # line 21 counterexample
# line 31 counterexample
assert (math.ceil(6 / 4) - 1) * 4 + 1 - 6 == -1
# line 33: count_include_pad = 0 divides by real elements
x = torch.arange(1.0, 6.0).view(1, 1, 5)
y = F.avg_pool1d(x, 3, 1, 1, count_include_pad=False)
assert torch.isclose(y[0, 0, 0], (1 + 2) / torch.tensor(2.0)) and torch.isclose(y[0, 0, 2], torch.tensor(3.0))

# Conv SAME (line 76) and shapes (95-97)
for n, k, s, d in itertools.product(range(1, 12), range(1, 5), range(1, 4), range(1, 3)):
    e = (k - 1) * d + 1
    tot = max((math.ceil(n / s) - 1) * s + e - n, 0)
    xp = F.pad(torch.zeros(1, 1, n), (tot // 2, tot - tot // 2))
    assert F.conv1d(xp, torch.zeros(1, 1, k), stride=s, dilation=d).shape[-1] == math.ceil(n / s)
c = torch.nn.Conv2d(6, 4, (2, 3), groups=2)
assert tuple(c.weight.shape) == (4, 3, 2, 3) and c.weight.shape[1] * 2 == 6 and 4 % 2 == 0 and tuple(c.bias.shape) == (4,)

# Conv examples (lines 159-364)
W = torch.ones(1, 1, 3, 3)
x5 = torch.arange(25.0).view(1, 1, 5, 5)
x7 = torch.arange(35.0).view(1, 1, 7, 5)
exp = {
    "pad": (F.conv2d(x5, W, padding=1), [[12, 21, 27, 33, 24], [33, 54, 63, 72, 51], [63, 99, 108, 117, 81], [93, 144, 153, 162, 111], [72, 111, 117, 123, 84]]),
    "nopad": (F.conv2d(x5, W), [[54, 63, 72], [99, 108, 117], [144, 153, 162]]),
    "same_lower": (F.conv2d(F.pad(x5, (1, 1, 1, 1)), W, stride=2), [[12, 27, 24], [63, 108, 81], [72, 117, 84]]),
    "s2pad": (F.conv2d(x7, W, padding=1, stride=2), [[12, 27, 24], [63, 108, 81], [123, 198, 141], [112, 177, 124]]),
    "s2": (F.conv2d(x7, W, stride=2), [[54, 72], [144, 162], [234, 252]]),
    "asym": (F.conv2d(F.pad(x7, (0, 0, 1, 1)), W, stride=2), [[21, 33], [99, 117], [189, 207], [171, 183]]),
}
for name, (got, want) in exp.items():
    assert torch.equal(got[0, 0], torch.tensor(want, dtype=torch.float32)), name
# SAME_LOWER pads for 5, k 3, s 2: total 2 -> (1, 1)
assert (math.ceil(5 / 2) - 1) * 2 + 3 - 5 == 2

# ConvTranspose (387-393, 407, 430, 439)
for n, k, s, d in itertools.product(range(1, 9), range(1, 5), range(1, 5), range(1, 4)):
    for op in range(max(s, d)):
        full = F.conv_transpose1d(torch.randn(1, 1, n), torch.randn(1, 1, k), stride=s, dilation=d, output_padding=op)
        L = full.shape[-1]
        assert L == s * (n - 1) + op + (k - 1) * d + 1
        for pb, pe in itertools.product(range(3), range(3)):
            if L - pb - pe > 0:
                assert full[..., pb:L - pe].shape[-1] == s * (n - 1) + op + ((k - 1) * d + 1) - pb - pe
        target = n * s                                                  # SAME: output = n * s
        total = s * (n - 1) + op + ((k - 1) * d + 1) - target
        if total >= 0:
            up = (total // 2, total - total // 2)
            low = (total - total // 2, total // 2)
            for pb, pe in (up, low):
                assert L - pb - pe == target
            assert up[1] >= up[0] and low[0] >= low[1]
t = torch.nn.ConvTranspose2d(6, 4, 3, groups=2)
assert tuple(t.weight.shape) == (6, 2, 3, 3) and t(torch.zeros(1, 6, 5, 5)).shape[1] == t.weight.shape[1] * 2
print("onnx-conv-averagepool-operators: all checks passed")
