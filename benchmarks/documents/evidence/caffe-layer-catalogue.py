"""Evidence for caffe-layer-catalogue.md (Caffe 'Layer Catalogue', 2015).

The Caffe facts (pooling rounding, LRN defaults) are those of the Caffe sources at the
same commit e0615464: pooling_layer.cpp computes
    pooled_height_ = static_cast<int>(ceil(static_cast<float>(height_ + 2 * pad_h_ - kernel_h_) / stride_h_)) + 1;
and caffe.proto declares LRNParameter local_size [default = 5], alpha [default = 1.],
beta [default = 0.75], k [default = 1.]. They are restated here as constants.
"""
import math
import torch
import torch.nn.functional as F

CAFFE_LRN_DEFAULTS = {"local_size": 5, "alpha": 1.0, "beta": 0.75, "k": 1.0}

def caffe_pool_out(h, k, s, p):
    out = int(math.ceil((h + 2 * p - k) / s)) + 1
    if p > 0 and (out - 1) * s >= h + p:
        out -= 1
    return out

assert torch.zeros(2, 3, 4, 5).flatten(1).shape[1] == 3 * 4 * 5                   # chw

for h in range(1, 15):                                                              # conv formula
    for k in range(1, 6):
        for p in range(3):
            for s in range(1, 5):
                if h + 2 * p < k:
                    continue
                o = F.conv1d(torch.zeros(1, 1, h), torch.zeros(1, 1, k), padding=p, stride=s).shape[-1]
                assert o == (h + 2 * p - k) // s + 1
                if p == 0 and k >= s:   # no window can start past the input: Caffe == torch ceil mode
                    assert caffe_pool_out(h, k, s, p) == F.max_pool1d(torch.zeros(1, 1, h), k, s, p, ceil_mode=True).shape[-1]
assert (6 - 3) // 2 + 1 == 2 and caffe_pool_out(6, 3, 2, 0) == 3                  # pooling != conv

# groups: output group i depends only on input group i
w = torch.randn(4, 2, 3, 3)
x = torch.randn(1, 4, 6, 6)
x2 = x.clone(); x2[:, 2:] += 1.0
y, y2 = F.conv2d(x, w, groups=2), F.conv2d(x2, w, groups=2)
assert torch.allclose(y[:, :2], y2[:, :2]) and not torch.allclose(y[:, 2:], y2[:, 2:])

# LRN defaults and formula
assert CAFFE_LRN_DEFAULTS["local_size"] == 5 and CAFFE_LRN_DEFAULTS["alpha"] == 1.0
assert CAFFE_LRN_DEFAULTS["beta"] != 5
ones = torch.ones(1, 5, 1, 1)
y = F.local_response_norm(ones, 5, alpha=1.0, beta=0.75, k=1.0)
assert abs(float(y[0, 2]) - 1 / 2 ** 0.75) < 1e-6 and abs(1 / 2 ** 5 - 0.03125) < 1e-12
x = torch.randn(2, 7, 3, 3)
n, a, b = 5, 1e-1, 0.75
sq = F.pad(x ** 2, (0, 0, 0, 0, n // 2, (n - 1) // 2))
s = torch.stack([sq[:, c:c + n].sum(1) for c in range(7)], 1)
assert torch.allclose(F.local_response_norm(x, n, alpha=a, beta=b, k=1.0), x / (1 + a / n * s) ** b, atol=1e-6)

# Euclidean loss and its gradient
x1 = torch.randn(4, 3, dtype=torch.float64, requires_grad=True); x2 = torch.randn(4, 3, dtype=torch.float64)
N = 4
loss = ((x1 - x2) ** 2).sum() / (2 * N)
loss.backward()
assert torch.allclose(x1.grad, (x1 - x2).detach() / N)

# ReLU with negative_slope 0
g = torch.linspace(-3, 3, 601)
assert torch.equal(torch.where(g > 0, g, 0 * g), torch.clamp(g, min=0))

# shapes of InnerProduct, Flatten, Reshape, Concat
x = torch.randn(2, 3, 4, 5)
assert tuple(torch.nn.Linear(60, 7)(x.flatten(1)).shape) == (2, 7)
assert torch.equal(x.reshape(x.shape[0], -1), x.flatten(1))
a, b = torch.zeros(2, 3, 4, 5), torch.zeros(1, 3, 4, 5)
assert tuple(torch.cat([a, b], 0).shape) == (3, 3, 4, 5)
c = torch.zeros(2, 6, 4, 5)
assert tuple(torch.cat([a, c], 1).shape) == (2, 9, 4, 5)
print("caffe-layer-catalogue: all checks passed")
