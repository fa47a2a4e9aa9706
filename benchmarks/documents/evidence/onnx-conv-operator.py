"""Evidence for onnx-conv-operator.md (ONNX Conv operator reference and its examples)."""
import itertools
import math
import torch
import torch.nn.functional as F

# auto_pad SAME_UPPER / SAME_LOWER gives ceil(n / s) outputs
for n, k, s, d in itertools.product(range(1, 12), range(1, 5), range(1, 4), range(1, 3)):
    e = (k - 1) * d + 1
    tot = max((math.ceil(n / s) - 1) * s + e - n, 0)
    for pb, pe in ((tot // 2, tot - tot // 2), (tot - tot // 2, tot // 2)):
        xp = F.pad(torch.zeros(1, 1, n), (pb, pe))
        assert F.conv1d(xp, torch.zeros(1, 1, k), stride=s, dilation=d).shape[-1] == math.ceil(n / s)
# weight and bias shapes
c = torch.nn.Conv2d(6, 4, (2, 3), groups=2)
assert tuple(c.weight.shape) == (4, 3, 2, 3) and c.weight.shape[1] * 2 == 6 and 4 % 2 == 0 and tuple(c.bias.shape) == (4,)

# the examples
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
assert (math.ceil(5 / 2) - 1) * 2 + 3 - 5 == 2          # SAME_LOWER total padding 2 -> (1, 1)
print("onnx-conv-operator: all checks passed")
