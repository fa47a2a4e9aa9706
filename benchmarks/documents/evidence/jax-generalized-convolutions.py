"""Evidence for jax-generalized-convolutions.ipynb, recomputed with numpy/torch (no JAX)."""
import math
import numpy as np
import torch
import torch.nn.functional as F

assert len(np.convolve(np.zeros(500), np.ones(10) / 10, mode="same")) == 500       # line 82

def same_pads(n, k, s, d=1):
    """XLA/TF SAME rule: output ceil(n/s), low pad total//2, extra at the end."""
    eff = (k - 1) * d + 1
    total = max((math.ceil(n / s) - 1) * s + eff - n, 0)
    return total // 2, total - total // 2

def conv_general(img_nhwc, k_hwio, strides, padding, lhs_dil, rhs_dil):
    x = torch.tensor(img_nhwc).permute(0, 3, 1, 2)                 # NCHW
    w = torch.tensor(k_hwio).permute(3, 2, 0, 1)                   # OIHW
    if lhs_dil != (1, 1):                                          # insert zeros
        n, c, h, wd = x.shape
        z = torch.zeros(n, c, (h - 1) * lhs_dil[0] + 1, (wd - 1) * lhs_dil[1] + 1, dtype=x.dtype)
        z[:, :, ::lhs_dil[0], ::lhs_dil[1]] = x
        x = z
    if padding == "SAME":
        padding = [same_pads(x.shape[2 + i], w.shape[2 + i], strides[i], rhs_dil[i]) for i in range(2)]
    elif padding == "VALID":
        padding = [(0, 0), (0, 0)]
    x = F.pad(x, (padding[1][0], padding[1][1], padding[0][0], padding[0][1]))
    return F.conv2d(x, w, stride=strides, dilation=rhs_dil).permute(0, 2, 3, 1)

kernel = np.zeros((3, 3, 3, 3), np.float64)
kernel += np.array([[1, 1, 0], [1, 0, -1], [0, -1, -1]])[:, :, None, None]
img = np.zeros((1, 200, 198, 3))
for k in range(3):
    img[0, 30 + 60 * k:40 + 60 * k, 20 + 60 * k:30 + 60 * k, k] = 1.0

# lax.conv / conv_with_general_padding on NCHW / OIHW (282, 297, 338)
xn = torch.tensor(img).permute(0, 3, 1, 2)
assert tuple(F.conv2d(xn, torch.tensor(kernel).permute(3, 2, 0, 1), padding="same").shape) == (1, 3, 200, 198)
assert tuple(F.conv2d(xn, torch.tensor(kernel).permute(2, 3, 0, 1), padding=2).shape) == (1, 3, 202, 200)
assert np.transpose(np.zeros((3, 3, 4, 5)), [2, 3, 0, 1]).shape == (4, 5, 3, 3)          # line 358

def dn(lhs, rhs):
    sp = [ch for ch in lhs if ch not in "NC"]
    return (tuple(lhs.index(c) for c in "NC" + "".join(sp)),
            tuple(rhs.index(c) for c in "OI" + "".join(sp)))
assert dn("NHWC", "HWIO") == ((0, 3, 1, 2), (3, 2, 0, 1))                                # 401
assert dn("NWC", "WIO") == ((0, 2, 1), (2, 1, 0))                                         # 764
assert dn("NHWDC", "HWDIO") == ((0, 4, 1, 2, 3), (4, 3, 0, 1, 2))                        # 847

shape = lambda *a: tuple(conv_general(img, kernel, *a).shape)
assert shape((1, 1), "SAME", (1, 1), (1, 1)) == (1, 200, 198, 3)                         # 433
assert shape((1, 1), "VALID", (1, 1), (1, 1)) == (1, 198, 196, 3)                        # 485
assert shape((2, 2), "SAME", (1, 1), (1, 1)) == (1, 100, 99, 3)                          # 537
assert shape((1, 1), "VALID", (1, 1), (12, 12)) == (1, 176, 174, 3)                      # 589
assert shape((1, 1), [(0, 0), (0, 0)], (2, 2), (1, 1)) == (1, 397, 393, 3)               # 641
kernel_rot = kernel[::-1, ::-1].copy()
out = conv_general(img, kernel_rot, (1, 1), [(2, 1), (2, 1)], (2, 2), (1, 1))
assert tuple(out.shape) == (1, 400, 396, 3)                                               # 693

# 713-719: equals the input-gradient of a stride-2 SAME conv on a 2H x 2W map
rng = np.random.default_rng(0)
small = rng.normal(size=(1, 6, 5, 3))
y = conv_general(small, kernel_rot, (1, 1), [(2, 1), (2, 1)], (2, 2), (1, 1))
big = torch.zeros(1, 3, 12, 10, dtype=torch.float64, requires_grad=True)
pt, pb = same_pads(12, 3, 2); pl, pr = same_pads(10, 3, 2)
assert (pt, pb, pl, pr) == (0, 1, 0, 1)
fwd = F.conv2d(F.pad(big, (pl, pr, pt, pb)), torch.tensor(kernel).permute(3, 2, 0, 1), stride=2)
assert tuple(fwd.shape) == (1, 3, 6, 5)
fwd.backward(torch.tensor(small).permute(0, 3, 1, 2))
assert torch.allclose(y.permute(0, 3, 1, 2), big.grad, atol=1e-10)

# 1-D and 3-D examples (763, 765, 846, 848)
k1 = np.array([[[1, 0, -1], [-1, 0, 1]], [[1, 1, 1], [-1, -1, -1]]], np.float32).transpose([2, 1, 0])
assert k1.shape == (3, 2, 2)
d1 = torch.zeros(1, 2, 200)
assert tuple(F.conv1d(d1, torch.tensor(k1).permute(2, 1, 0), padding="same").shape) == (1, 2, 200)
k3 = torch.zeros(3, 3, 3)[:, :, :, None, None]
assert tuple(k3.shape) == (3, 3, 3, 1, 1)
assert tuple(F.conv3d(torch.zeros(1, 1, 30, 30, 30), k3.permute(4, 3, 0, 1, 2), padding="same").shape) == (1, 1, 30, 30, 30)
print("jax-generalized-convolutions: all checks passed")
