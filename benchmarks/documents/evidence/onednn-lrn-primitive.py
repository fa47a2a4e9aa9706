"""Evidence for onednn-lrn-primitive.md.

The library's own behaviour is that of src/cpu/ref_lrn.cpp at commit 515bfba6:
    summands = size (across channels) or size ** spatial_dims (within channel)
    sum = k + alpha * sum / summands;   dst = src * sum ** (-beta)
restated below as `onednn_lrn_within`."""
import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(0)

def across(x, n, k, a, b):          # the document's first formula, zero outside
    C = x.shape[1]; out = np.empty_like(x)
    for c in range(C):
        lo, hi = -((n - 1) // 2), (n + 1) // 2 - 1
        s = sum(x[:, c + i] ** 2 for i in range(lo, hi + 1) if 0 <= c + i < C)
        out[:, c] = x[:, c] * (k + a / n * s) ** (-b)
    return out

for n in (3, 5):
    assert len(range(-((n - 1) // 2), (n + 1) // 2)) == n
    x = rng.normal(size=(2, 7, 3, 3))
    ref = F.local_response_norm(torch.tensor(x), n, alpha=0.3, beta=0.75, k=2.0).numpy()
    assert np.allclose(across(x, n, 2.0, 0.3, 0.75), ref, atol=1e-10)

def within(x, n, k, a, b, denom):
    H, W = x.shape[-2:]; out = np.empty_like(x); h2 = (n - 1) // 2
    for h in range(H):
        for w in range(W):
            s = sum(x[..., hh, ww] ** 2 for hh in range(h - h2, h + h2 + 1) for ww in range(w - h2, w + h2 + 1)
                    if 0 <= hh < H and 0 <= ww < W)
            out[..., h, w] = x[..., h, w] * (k + a * s / denom) ** (-b)
    return out
onednn_lrn_within = lambda x, n, k, a, b: within(x, n, k, a, b, n ** 2)
doc_within = lambda x, n, k, a, b: within(x, n, k, a, b, n)
ones = np.ones((1, 1, 5, 5))
assert np.isclose(onednn_lrn_within(ones, 3, 1.0, 1.0, 1.0)[0, 0, 2, 2], 0.5)
assert np.isclose(doc_within(ones, 3, 1.0, 1.0, 1.0)[0, 0, 2, 2], 0.25)
print("onednn-lrn-primitive: all checks passed")
