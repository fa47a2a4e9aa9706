"""Evidence for onednn-convolution-primitive.md (oneDNN developer guide, convolution)."""
import itertools
import torch
import torch.nn.functional as F

torch.manual_seed(0)

def direct(src, w, SH, SW, PHL, PWL, OH, OW, DH=0, DW=0, G=1):
    N, IC, IH, IW = src.shape
    OC = w.shape[0]; ICG = IC // G; OCG = OC // G
    out = torch.zeros(N, OC, OH, OW, dtype=src.dtype)
    for n, oc, oh, ow in itertools.product(range(N), range(OC), range(OH), range(OW)):
        g = oc // OCG
        acc = 0.0
        for icg, kh, kw in itertools.product(range(ICG), range(w.shape[2]), range(w.shape[3])):
            ih = oh * SH + kh * (DH + 1) - PHL
            iw = ow * SW + kw * (DW + 1) - PWL
            if 0 <= ih < IH and 0 <= iw < IW:
                acc += float(src[n, g * ICG + icg, ih, iw] * w[oc, icg, kh, kw])
        out[n, oc, oh, ow] = acc
    return out

def osz(I, K, PL, PR, S, D=0):
    DK = 1 + (K - 1) * (D + 1)
    return (I - DK + PL + PR) // S + 1

# forward formulas, regular / grouped / dilated (lines 48-101)
for (IH, IW, KH, KW, SH, SW, PHL, PHR, PWL, PWR, DH, DW, G) in [
        (6, 7, 3, 2, 1, 2, 1, 0, 0, 1, 0, 0, 1), (7, 5, 3, 3, 2, 1, 1, 2, 2, 0, 1, 0, 1),
        (5, 6, 2, 3, 1, 1, 0, 1, 1, 1, 0, 1, 2), (8, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 4)]:
    IC, OC = 4, 4
    src = torch.randn(1, IC, IH, IW, dtype=torch.float64)
    w = torch.randn(OC, IC // G, KH, KW, dtype=torch.float64)
    ref = F.conv2d(F.pad(src, (PWL, PWR, PHL, PHR)), w, stride=(SH, SW), dilation=(DH + 1, DW + 1), groups=G)
    OH, OW = osz(IH, KH, PHL, PHR, SH, DH), osz(IW, KW, PWL, PWR, SW, DW)
    assert tuple(ref.shape[-2:]) == (OH, OW)
    assert torch.allclose(direct(src, w, SH, SW, PHL, PWL, OH, OW, DH, DW, G), ref, atol=1e-9)
    w5 = w.view(G, OC // G, IC // G, KH, KW)          # G x OC_G x IC_G x KH x KW
    assert torch.equal(w5.reshape(OC, IC // G, KH, KW), w)
for I, K, S, PL, PR, D in itertools.product(range(1, 10), range(1, 5), range(1, 4), range(3), range(3), range(3)):
    if I + PL + PR < 1 + (K - 1) * (D + 1):
        continue
    got = F.conv1d(F.pad(torch.zeros(1, 1, I), (PL, PR)), torch.zeros(1, 1, K), stride=S, dilation=D + 1).shape[-1]
    assert got == osz(I, K, PL, PR, S, D)
# not a flipped convolution (line 19)
x = torch.randn(1, 1, 5, 5, dtype=torch.float64); k = torch.randn(1, 1, 3, 3, dtype=torch.float64)
assert torch.allclose(direct(x, k, 1, 1, 0, 0, 3, 3), F.conv2d(x, k))
assert not torch.allclose(F.conv2d(x, k), F.conv2d(x, k.flip(-1, -2)))
# groups (76-80)
c = torch.nn.Conv2d(6, 9, 3, groups=3)
assert c.weight.shape[1] == 6 // 3 and c.weight.shape[0] // 3 == 9 // 3
dw = torch.nn.Conv2d(4, 4, 3, groups=4, bias=False)
a = torch.randn(1, 4, 6, 6); b = a.clone(); b[:, 1] += 1
diff = (dw(a) - dw(b)).abs().sum(dim=(0, 2, 3))
assert diff[1] > 0 and torch.all(diff[[0, 2, 3]] == 0)
# dilation conventions (33, 107)
assert osz(10, 3, 0, 0, 1, 0) == 8 and F.conv1d(torch.zeros(1, 1, 10), torch.zeros(1, 1, 3), dilation=1).shape[-1] == 8
for d_torch in (1, 2, 3):
    assert osz(20, 3, 0, 0, 1, d_torch - 1) == F.conv1d(torch.zeros(1, 1, 20), torch.zeros(1, 1, 3), dilation=d_torch).shape[-1]
# transposed convolution = swapped passes (112) and its size (117)
x = torch.randn(1, 2, 5, 5, dtype=torch.float64); w = torch.randn(2, 3, 3, 3, dtype=torch.float64)
y = torch.randn(1, 3, 11, 11, dtype=torch.float64, requires_grad=True)
F.conv2d(y, w, stride=2).backward(x)
assert torch.allclose(F.conv_transpose2d(x, w, stride=2), y.grad)
assert torch.nn.ConvTranspose2d(1, 1, 3, 1, 1)(torch.zeros(1, 1, 5, 5)).shape[-1] == 5
assert torch.nn.ConvTranspose2d(1, 1, 3, 1, 2)(torch.zeros(1, 1, 5, 5)).shape[-1] == 3
print("onednn-convolution-primitive: all checks passed")
