"""Evidence for onednn-graph-convolution.rst (oneDNN graph Convolution-1 spec)."""
import itertools
import torch
import torch.nn.functional as F

def out_len(XI, XK, d, s, pb, pe):
    x = F.pad(torch.zeros(1, 1, XI), (pb, pe))
    assert x.shape[-1] == pb + pe + XI                                  # line 25
    return F.conv1d(x, torch.zeros(1, 1, XK), stride=s, dilation=d).shape[-1]

for XK, d in itertools.product(range(1, 5), range(1, 4)):              # lines 28-29
    k = torch.zeros(1, 1, d * (XK - 1) + 1); k[0, 0, ::d] = 1
    delta = torch.zeros(1, 1, 40); delta[0, 0, 20] = 1
    r = F.conv1d(delta, torch.ones(1, 1, XK), dilation=d)
    span = (r[0, 0] != 0).nonzero()
    assert int(span.max() - span.min()) == d * (XK - 1)
    assert k.shape[-1] == d * (XK - 1) + 1

for XI, XK, d, s, pb, pe in itertools.product(range(1, 10), range(1, 5), range(1, 4),
                                               range(1, 4), range(3), range(3)):
    if pb + pe + XI < d * (XK - 1) + 1:
        continue
    n1 = out_len(XI, XK, d, 1, pb, pe)
    assert n1 == pb + pe + XI - d * (XK - 1)                           # line 36
    assert out_len(XI, XK, d, s, pb, pe) == (pb + pe + XI - d * (XK - 1) - 1) // s + 1  # line 41

# line 37-38: subsample at multiples of s, not of d
x = torch.randn(1, 1, 7); w = torch.randn(1, 1, 3)
full = F.conv1d(x, w)
assert torch.allclose(F.conv1d(x, w, stride=2), full[..., ::2])
assert full[..., ::1].shape[-1] == 5 != F.conv1d(x, w, stride=2).shape[-1] == 3

# line 49: stride 0 is not admissible
try:
    F.conv1d(x, w, stride=0)
    raise SystemExit("stride 0 accepted")
except RuntimeError:
    pass

# lines 100, 105: same padding needs d(X_K-1) in total
XI, XK, d = 10, 3, 1
assert XI + d * (XK - 1) - d * (XK - 1) == XI
assert out_len(XI, XK, d, 1, 1, 1) == XI
assert out_len(XI, XK, d, 1, 5, 4) == 17 != XI                        # d(X_I-1) = 9
assert F.conv1d(torch.zeros(1, 1, XI), torch.zeros(1, 1, XK), padding="same").shape[-1] == XI

# lines 101-102: odd total padding
for total in range(0, 9):
    pb, pe = total // 2, total - total // 2            # same_upper
    assert pb + pe == total and (pe == pb + 1) == (total % 2 == 1)
    pe2, pb2 = total // 2, total - total // 2          # same_lower
    assert (pb2 == pe2 + 1) == (total % 2 == 1)

# lines 144, 151: filter and bias shapes
c = torch.nn.Conv2d(6, 4, (3, 5), groups=2)
assert tuple(c.weight.shape) == (4, 3, 3, 5)
c = torch.nn.Conv2d(3, 8, 3)
assert tuple(c.bias.shape) == (8,)
xi = torch.randn(2, 3, 9, 9)
assert torch.allclose(c(xi), F.conv2d(xi, c.weight) + c.bias.view(1, 8, 1, 1), atol=1e-6)
print("onednn-graph-convolution: all checks passed")
