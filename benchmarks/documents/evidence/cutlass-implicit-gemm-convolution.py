"""Evidence for cutlass-implicit-gemm-convolution.md (implicit GEMM mapping).

CUTLASS's own host reference (tools/util/include/cutlass/util/reference/host/convolution.h,
commit 7107b055) indexes h = p * stride_h - pad_h + filter_r * dilation_h, filter_r = R - 1 - r
in convolution mode; restated here as `ref_h`."""
import itertools
import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(0)

def conv_nhwc(x, w, stride, pad, f):
    N, H, W, C = x.shape; K, R, S, _ = w.shape
    P = (H + 2 * pad - R) // stride + 1; Q = (W + 2 * pad - S) // stride + 1
    y = np.zeros((N, P, Q, K))
    for n, p, q, k in itertools.product(range(N), range(P), range(Q), range(K)):
        acc = 0.0
        for c, r, s in itertools.product(range(C), range(R), range(S)):
            h, ww = f(p, r, R, stride, pad), f(q, s, S, stride, pad)
            if 0 <= h < H and 0 <= ww < W:
                acc += x[n, h, ww, c] * w[k, r, s, c]
        y[n, p, q, k] = acc
    return y

doc_f = lambda p, r, R, st, pad: p * st + R - r - 1 + pad
ref_h = lambda p, r, R, st, pad: p * st - pad + (R - 1 - r)
x = np.random.default_rng(0).normal(size=(1, 4, 4, 1)); w = np.random.default_rng(1).normal(size=(1, 3, 3, 1))
torch_y = F.conv2d(torch.tensor(x).permute(0, 3, 1, 2), torch.tensor(w).permute(0, 3, 1, 2).flip(-1, -2), padding=1)
torch_y = torch_y.permute(0, 2, 3, 1).numpy()
assert np.allclose(conv_nhwc(x, w, 1, 1, ref_h), torch_y)
assert not np.allclose(conv_nhwc(x, w, 1, 1, doc_f), torch_y)
assert doc_f(0, 2, 3, 1, 1) == 1 and ref_h(0, 2, 3, 1, 1) == -1
assert np.allclose(conv_nhwc(x, w, 1, 0, doc_f), conv_nhwc(x, w, 1, 0, ref_h))   # only the padding sign differs

# im2col size (24, 65-67)
inp = torch.arange(25.0).view(1, 1, 5, 5)
cols = F.unfold(inp, 3)                       # [1, RSC, PQ]
assert tuple(cols.shape) == (1, 9, 9)          # NPQ = 9 rows in A, not NHW = 25
copies = torch.bincount(cols.flatten().long(), minlength=25).view(5, 5)
assert copies[2, 2] == 9 and copies[0, 0] == 1
cols2 = F.unfold(torch.arange(16.0).view(1, 1, 4, 4), 2, stride=2)
assert torch.equal(torch.bincount(cols2.flatten().long(), minlength=16), torch.ones(16, dtype=torch.long))

# GEMM view: C = A B reproduces the convolution
N, H, W, Cc, K, R, S = 2, 5, 6, 3, 4, 3, 2
xt = torch.randn(N, Cc, H, W, dtype=torch.float64); wt = torch.randn(K, Cc, R, S, dtype=torch.float64)
A = F.unfold(xt, (R, S)).transpose(1, 2).reshape(-1, Cc * R * S)     # NPQ x CRS
B = wt.reshape(K, -1).t()                                            # CRS x K
P, Q = H - R + 1, W - S + 1
Cm = A @ B
assert Cm.shape == (N * P * Q, K)
assert torch.allclose(Cm.view(N, P, Q, K).permute(0, 3, 1, 2), F.conv2d(xt, wt))
GEMM_M, GEMM_N, GEMM_K = N * P * Q, K, Cc * R * S
assert A.shape == (GEMM_M, GEMM_K) and B.shape == (GEMM_K, GEMM_N)

# index linearisations (76-103)
for (Nn, Pp, Qq) in [(2, 3, 4), (3, 1, 5)]:
    seen = set()
    for n, p, q in itertools.product(range(Nn), range(Pp), range(Qq)):
        i = q + Qq * (p + Pp * n)
        assert i == np.ravel_multi_index((n, p, q), (Nn, Pp, Qq))
        assert (i // (Pp * Qq), (i % (Pp * Qq)) // Qq, (i % (Pp * Qq)) % Qq) == (n, p, q)
        seen.add(i)
    assert seen == set(range(Nn * Pp * Qq))
for (Cc2, R2, S2) in [(3, 3, 3), (2, 1, 5)]:
    for c, r, s in itertools.product(range(Cc2), range(R2), range(S2)):
        g = s + S2 * (r + R2 * c)
        assert (g // (R2 * S2), (g % (R2 * S2)) // S2, (g % (R2 * S2)) % S2) == (c, r, s)
print("cutlass-implicit-gemm-convolution: all checks passed")
