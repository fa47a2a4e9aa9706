"""Evidence for onednn-pooling-primitive.md."""
import itertools
import torch
import torch.nn.functional as F

torch.manual_seed(0)

def pool(src, K, S, P, D, mode):
    N, C, IH, IW = src.shape
    DK = 1 + (K - 1) * (D + 1)
    OH, OW = (IH - DK + 2 * P) // S + 1, (IW - DK + 2 * P) // S + 1
    out = torch.empty(N, C, OH, OW, dtype=src.dtype)
    for oh, ow in itertools.product(range(OH), range(OW)):
        vals, count = [], 0
        for kh, kw in itertools.product(range(K), range(K)):
            ih, iw = oh * S + kh * (D + 1) - P, ow * S + kw * (D + 1) - P
            if 0 <= ih < IH and 0 <= iw < IW:
                vals.append(src[:, :, ih, iw]); count += 1
        st = torch.stack(vals, -1)
        if mode == "max":
            out[:, :, oh, ow] = st.max(-1).values
        elif mode == "include":
            out[:, :, oh, ow] = st.sum(-1) / (K * K)
        else:
            out[:, :, oh, ow] = st.sum(-1) / count
    return out

x = torch.randn(2, 3, 9, 8, dtype=torch.float64)
for K, S, P, D in [(3, 2, 1, 0), (2, 1, 1, 1), (3, 1, 1, 1), (2, 2, 0, 0)]:
    assert torch.allclose(pool(x, K, S, P, D, "max"), F.max_pool2d(x, K, S, P, dilation=D + 1))
    if D == 0:
        assert torch.allclose(pool(x, K, S, P, D, "include"), F.avg_pool2d(x, K, S, P, count_include_pad=True))
        assert torch.allclose(pool(x, K, S, P, D, "exclude"), F.avg_pool2d(x, K, S, P, count_include_pad=False))
for I, K, S, P, D in itertools.product(range(2, 12), range(1, 4), range(1, 4), range(2), range(2)):
    if P > K // 2 or I + 2 * P < 1 + (K - 1) * (D + 1):
        continue
    assert F.max_pool1d(torch.zeros(1, 1, I), K, S, P, dilation=D + 1).shape[-1] == (I - (1 + (K - 1) * (D + 1)) + 2 * P) // S + 1
corner = F.avg_pool2d(torch.ones(1, 1, 3, 3) * 4, 3, 1, 1, count_include_pad=False)[0, 0, 0, 0]
assert float(corner) == 4.0     # 4 real elements averaged: 16 / 4
print("onednn-pooling-primitive: all checks passed")
