"""Evidence for mbadry1-cnn-summary.md (Andrew Ng CNN course summary), torch/numpy."""
import torch
import torch.nn as nn
import torch.nn.functional as F

def osz(n, f, p=0, s=1):
    return F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, f, f), padding=p, stride=s).shape[-1]

assert 1000 * 1000 * 3 * 1000 == 3_000_000_000                                   # 22
assert osz(6, 3) == 4                                                              # 33
for n in range(1, 13):
    for f in range(1, n + 1):
        assert osz(n, f) == n - f + 1                                              # 68
        assert (n - f + 1 < n) == (f > 1)                                          # 69
        for p in range(3):
            assert osz(n, f, p) == n + 2 * p - f + 1                               # 76
            for s in range(1, 4):
                assert osz(n, f, p, s) == (n + 2 * p - f) // s + 1                 # 95, 97
                two_p = (n * s - n + f - s)                                        # 104
                if two_p >= 0 and two_p % 2 == 0 and two_p // 2 < f:
                    assert osz(n, f, two_p // 2, s) == n
assert 6 + 2 - 3 + 1 == 6                                                          # 77
for f in (1, 3, 5, 7):
    assert osz(10, f, (f - 1) // 2) == 10                                          # 81, 105

# 99: the worked operation is cross-correlation; convolution flips the filter
x, w = torch.randn(1, 1, 6, 6), torch.randn(1, 1, 3, 3)
corr = F.conv2d(x, w)
manual = torch.stack([torch.stack([(x[0, 0, i:i + 3, j:j + 3] * w[0, 0]).sum() for j in range(4)]) for i in range(4)])
assert torch.allclose(corr[0, 0], manual, atol=1e-6)
assert not torch.allclose(corr, F.conv2d(x, w.flip(-1, -2)))

c = nn.Conv2d(3, 10, 3)
assert tuple(c(torch.zeros(1, 3, 6, 6)).shape) == (1, 10, 4, 4)                    # 116, 122
assert tuple(nn.Conv2d(3, 1, 3)(torch.zeros(1, 3, 6, 6)).shape) == (1, 1, 4, 4)
assert sum(p.numel() for p in c.parameters()) == 280                               # 134
assert tuple(c.weight[0].shape) == (3, 3, 3) and c.weight.numel() == 3 * 3 * 3 * 10  # 150, 155
# 148: formula as written vs the real size
assert 39 + 0 - 5 / 2 + 1 == 37.5 and osz(39, 5, 0, 2) == 18

assert osz(39, 3) == 37 and osz(37, 5, 0, 2) == 17 and osz(17, 5, 0, 2) == 7      # 167-178
assert 7 * 7 * 40 == 1960                                                          # 181
assert len(list(nn.MaxPool2d(2).parameters())) == 0                                # 195
assert tuple(F.max_pool2d(torch.zeros(1, 10, 4, 4), 2, 2).shape) == (1, 10, 2, 2)  # 199
assert osz(32, 5) == 28 and osz(14, 5) == 10 and 28 // 2 == 14 and 10 // 2 == 5 and 5 * 5 * 16 == 400

# 244: LeNet-like example vs ResNet-18 style head
lenet = [nn.Conv2d(3, 6, 5), nn.Conv2d(6, 16, 5), nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)]
counts = [sum(p.numel() for p in m.parameters()) for m in lenet]
assert max(counts) == counts[2] == 48120
resnet18_fc = 512 * 1000 + 1000
assert resnet18_fc == 513000 and resnet18_fc < 0.05 * 11_689_512

# 253: equivariance, not invariance
x = torch.randn(1, 1, 8, 8); w = torch.randn(1, 1, 3, 3)
conv = lambda z: F.conv2d(F.pad(z, (1, 1, 1, 1), mode="circular"), w)
shift = lambda z: torch.roll(z, 1, dims=-1)
assert torch.allclose(conv(shift(x)), shift(conv(x)), atol=1e-6)
assert not torch.allclose(conv(shift(x)), conv(x))

# 310-315: VGG-16
cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
layers, cin, n, acts = [], 3, 224, []
for v in cfg:
    if v == "M":
        n //= 2
    else:
        layers.append(nn.Conv2d(cin, v, 3, padding=1)); cin = v
    acts.append(n * n * cin)
conv_params = sum(p.numel() for l in layers for p in l.parameters())
fc_params = sum(p.numel() for l in (nn.Linear(25088, 4096), nn.Linear(4096, 4096), nn.Linear(4096, 1000)) for p in l.parameters())
assert conv_params + fc_params == 138_357_544 and fc_params == 123_642_856
assert fc_params > 0.8 * (conv_params + fc_params)
assert sum(acts[:len(acts) // 2]) > sum(acts[len(acts) // 2:]) and n == 7

assert tuple(nn.Conv2d(32, 5, 1)(torch.zeros(1, 32, 6, 6)).shape) == (1, 5, 6, 6)  # 333
one = nn.Conv2d(4, 4, 1, bias=False)                                                # 344
a, b = torch.randn(1, 4, 5, 5), torch.randn(1, 4, 5, 5)
assert torch.allclose(one(a + b), one(a) + one(b), atol=1e-5)
assert torch.allclose(one(3 * a), 3 * one(a), atol=1e-5)

# 367-382: multiplications
def mults(h, w, cout, f, cin):
    return sum(1 for _ in range(h) for _ in range(w)) * cout * f * f * cin
assert mults(28, 28, 32, 5, 192) == 28 * 28 * 32 * 5 * 5 * 192 == 120_422_400
m1, m2 = 28 * 28 * 16 * 192, 28 * 28 * 32 * 5 * 5 * 16
assert m1 == 2_408_448 and round(m1 / 1e6, 1) == 2.4 != 2.5
assert m2 == 10_035_200 and round(m2 / 1e6) == 10
assert m1 + m2 == 12_443_648 and abs((m1 + m2) / 1e6 - 12.5) < 0.1 and round((m1 + m2) / 1e6) == 12
print("mbadry1-cnn-summary: all checks passed")
