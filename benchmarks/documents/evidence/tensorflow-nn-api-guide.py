"""Evidence for tensorflow-nn-api-guide.md (TF 'Neural Network' guide: conv, pooling, SAME notes)."""
import itertools
import math
import torch
import torch.nn.functional as F

def tf_pad(n, f, s):
    return max(f - s, 0) if n % s == 0 else max(f - (n % s), 0)

def windows(n, f, s, pb, pe):
    return sum(1 for st in range(0, n + pb + pe, s) if st + f <= n + pb + pe)

for n, f, s in itertools.product(range(1, 21), range(1, 6), range(1, 5)):
    total = tf_pad(n, f, s)
    top, bottom = total // 2, total - total // 2
    assert top + bottom == total and bottom - top in (0, 1) and (bottom - top == 1) == (total % 2 == 1)
    out = math.ceil(n / s)
    assert windows(n, f, s, top, bottom) == out                              # 33, 34, 136
    assert total == max((out - 1) * s + f - n, 0)                            # 39-45, 161, 169, 229, 230, 235
    if n % s == 0:
        assert total == max(f - s, 0)                                        # 183
    else:
        assert math.ceil(n / s) - math.floor(n / s) == 1                     # 199
        assert n == s * math.ceil(n / s) - s + n % s                         # 204
        assert max(n + s - n % s - s + f - n, 0) == max(f - n % s, 0) == total   # 216, 217
    assert n == s * math.ceil(n / s) - s * (math.ceil(n / s) - math.floor(n / s)) + n % s   # 192
    if n >= f:
        assert F.conv1d(torch.zeros(1, 1, n), torch.zeros(1, 1, f), stride=s).shape[-1] == math.ceil((n - f + 1) / s)  # 64
        p = (out - 1) * s + f - n
        if p >= 0:
            assert math.ceil((n + p - f + 1) / s) == out                     # 143, 154
assert 5 // 2 == 2 and 5 - 5 // 2 == 3                                       # 57
for a, b in itertools.product(range(1, 7), range(1, 7)):                     # 150
    xs = [x for x in range(-5, 60) if math.ceil(x / a) == b]
    assert min(xs) == a * (b - 1) + 1

# output formula (72), cross-correlation (12), stride semantics (18), zero padding (25)
torch.manual_seed(0)
x = torch.randn(1, 7, 6, 3, dtype=torch.float64)          # NHWC
w = torch.randn(3, 2, 3, 4, dtype=torch.float64)          # HWIO
for s in (1, 2):
    H, W = 7, 6
    ph, pw = tf_pad(H, 3, s), tf_pad(W, 2, s)
    pt, pl = ph // 2, pw // 2
    oh, ow = math.ceil(H / s), math.ceil(W / s)
    out = torch.zeros(1, oh, ow, 4, dtype=torch.float64)
    for i, j, di, dj in itertools.product(range(oh), range(ow), range(3), range(2)):
        r, c = s * i + di - pt, s * j + dj - pl
        if 0 <= r < H and 0 <= c < W:
            out[0, i, j] += x[0, r, c] @ w[di, dj]                # vector times matrix (80)
    ref = F.conv2d(F.pad(x.permute(0, 3, 1, 2), (pl, pw - pl, pt, ph - pt)), w.permute(3, 2, 0, 1), stride=s)
    assert torch.allclose(out, ref.permute(0, 2, 3, 1))
full = F.conv2d(x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1))
assert torch.allclose(F.conv2d(x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1), stride=2), full[..., ::2, ::2])
assert not torch.allclose(full, F.conv2d(x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1).flip(-1, -2)))
# depthwise with multiplier (82)
m = 2
xd = torch.randn(1, 3, 5, 5, dtype=torch.float64); wd = torch.randn(3, 3, 3, m, dtype=torch.float64)  # H W C M
y = F.conv2d(xd, wd.permute(2, 3, 0, 1).reshape(3 * m, 1, 3, 3), groups=3)
for k, j in itertools.product(range(3), range(m)):
    assert torch.allclose(y[0, k * m + j], F.conv2d(xd[:, k:k + 1], wd[:, :, k, j][None, None])[0, 0])
# pooling (108, 112)
v = torch.randn(1, 1, 11, dtype=torch.float64)
for ks, st in ((3, 2), (2, 2), (3, 1)):
    mx = F.max_pool1d(v, ks, st)[0, 0]
    av = F.avg_pool1d(v, ks, st)[0, 0]
    for i in range(mx.shape[0]):
        assert mx[i] == v[0, 0, st * i:st * i + ks].max() and torch.isclose(av[i], v[0, 0, st * i:st * i + ks].mean())
assert torch.equal(F.max_pool1d(v, 3, 2), F.max_pool1d(v, 3, 1)[..., ::2])
print("tensorflow-nn-api-guide: all checks passed")
