"""Evidence for uvadlc-regular-group-convolutions.ipynb (C4 regular group convolutions).

An exact C4 G-CNN is built from torch primitives (kernels rotated with torch.rot90, group
axis shifted with torch.roll); no code from the notebook is used."""
import math
import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(0)
torch.manual_seed(0)

# recap formulas (lines 68-76)
f = rng.normal(size=9); k = {-1: 0.3, 0: -1.2, 1: 2.0}
corr = lambda x: sum(f[t] * k.get(t - x, 0.0) for t in range(9))
conv = lambda x: sum(f[t] * k.get(x - t, 0.0) for t in range(9))
assert any(not np.isclose(corr(x), conv(x)) for x in range(9))
delta = np.zeros(9); delta[4] = 1
assert sum(delta[t] * k.get(t - 3, 0) for t in range(9)) == 2.0 and sum(delta[t] * k.get(3 - t, 0) for t in range(9)) == 0.3
kk = np.array([k[-1], k[0], k[1]])
assert np.allclose([corr(x) for x in range(1, 8)], np.correlate(f, kk, mode="valid"))   # inner product with shifted k

# translation equivariance (82)
x = torch.randn(1, 1, 10, 10); w = torch.randn(1, 1, 3, 3)
cconv = lambda z: F.conv2d(F.pad(z, (1, 1, 1, 1), mode="circular"), w)
assert torch.allclose(cconv(torch.roll(x, (2, 3), (2, 3))), torch.roll(cconv(x), (2, 3), (2, 3)), atol=1e-5)

# rotation matrices, group product, inverse (122, 378-386, 510, 512)
R = lambda t: np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
C4 = [0, math.pi / 2, math.pi, 3 * math.pi / 2]
for a in C4 + list(rng.uniform(0, 7, 5)):
    assert np.isclose(np.linalg.det(R(a)), 1.0)
for a in C4:
    assert np.allclose(R(a) @ R((-a) % (2 * math.pi)), np.eye(2))
    assert np.allclose(np.linalg.inv(R(a)), R((-a) % (2 * math.pi)))
    for b in C4:
        assert np.allclose(R(a) @ R(b), R((a + b) % (2 * math.pi)))
assert np.allclose(R(math.pi), -np.eye(2)) and np.allclose(R(math.pi / 2) @ [0, 1], [-1, 0])

# semidirect product inverse (129, 130): homogeneous matrices
def G(xv, t):
    m = np.eye(3); m[:2, :2] = R(t); m[:2, 2] = xv; return m
for t in C4:
    for tt in C4:
        xv, xt = rng.normal(size=2), rng.normal(size=2)
        lhs = np.linalg.inv(G(xv, t)) @ G(xt, tt)
        rhs = G(np.linalg.inv(R(t)) @ (xt - xv), (tt - t) % (2 * math.pi))
        assert np.allclose(lhs, rhs)

# regular representation is a homomorphism (273): L_g f(x) = f(g^{-1} x)
fun = lambda p: math.sin(p[0]) + p[1] ** 2 * math.cos(0.3 * p[0]) + 0.1 * p[0] * p[1]
hom = lambda m, p: (m @ np.array([p[0], p[1], 1.0]))[:2]
L = lambda g, func: (lambda p: func(hom(np.linalg.inv(g), p)))
Lbad = lambda g, func: (lambda p: func(hom(g, p)))            # without the inverse
g1, g2 = G(np.array([1.0, -2.0]), math.pi / 2), G(np.array([0.5, 3.0]), math.pi)
for p in rng.normal(size=(5, 2)):
    assert np.isclose(L(g1, L(g2, fun))(p), L(g1 @ g2, fun)(p))
    assert np.isclose(Lbad(g1, Lbad(g2, fun))(p), Lbad(g2 @ g1, fun)(p))
assert not np.isclose(Lbad(g1, Lbad(g2, fun))(np.array([0.7, 0.2])), Lbad(g1 @ g2, fun)(np.array([0.7, 0.2])))

# odd kernel grids are permuted by C4 (908)
for ks in (5, 7):
    c = np.arange(ks) - (ks - 1) / 2
    pts = {(a, b) for a in c for b in c}
    for t in C4:
        rot = {tuple(np.round(R(t) @ np.array(p), 9)) for p in pts}
        assert rot == {tuple(np.round(p, 9)) for p in pts}
assert (2, 4, 7, 7) == tuple(torch.zeros(2, 4, 7, 7).shape)

# twist-shift of a group kernel (1160, 1382): rotating the input of a group conv
# rotates every spatial slice and cyclically shifts the group axis
def lift(x, w):             # x [B, Cin, H, W], w [Cout, Cin, k, k] -> [B, Cout, 4, H', W']
    ws = torch.stack([torch.rot90(w, q, (2, 3)) for q in range(4)], 1)
    out = F.conv2d(x, ws.reshape(-1, *w.shape[1:]))
    return out.view(x.shape[0], w.shape[0], 4, *out.shape[-2:])
def gconv(x, w):            # x [B, Cin, 4, H, W], w [Cout, Cin, 4, k, k]
    ws = torch.stack([torch.roll(torch.rot90(w, q, (3, 4)), q, 2) for q in range(4)], 1)
    out = F.conv2d(x.flatten(1, 2), ws.reshape(w.shape[0] * 4, w.shape[1] * 4, *w.shape[-2:]))
    return out.view(x.shape[0], w.shape[0], 4, *out.shape[-2:])
wl, wg = torch.randn(3, 1, 5, 5), torch.randn(3, 3, 4, 5, 5)
xin = torch.randn(1, 1, 28, 28)
y = gconv(lift(xin, wl), wg)
yr = gconv(lift(torch.rot90(xin, 1, (2, 3)), wl), wg)
assert torch.allclose(yr, torch.roll(torch.rot90(y, 1, (3, 4)), 1, 2), atol=1e-4)
assert torch.zeros(3, 4, 3, 4, 5, 5).reshape(12, 12, 5, 5).numel() == 3 * 4 * 3 * 4 * 25   # 1572

# invariance of the projection and of the whole G-CNN (136, 1654, 1715, 2427)
def gcnn(x):
    h = F.relu(F.layer_norm(lift(x, wl), lift(x, wl).shape[-4:]))
    h = gconv(h, wg)
    h = F.relu(F.layer_norm(h, h.shape[-4:]))
    return torch.nn.AdaptiveAvgPool3d(1)(h).flatten(1)
base = gcnn(xin)
for q in (1, 2, 3):
    assert torch.allclose(gcnn(torch.rot90(xin, q, (2, 3))), base, atol=1e-5)
feat = torch.randn(4, 8, 8)
moved = torch.roll(torch.rot90(feat, 1, (1, 2)), 1, 0)
for op in (torch.sum, torch.mean, torch.max, torch.min):
    assert torch.allclose(op(moved), op(feat))
pooled = torch.nn.AdaptiveAvgPool3d(1)(feat[None, None])
assert torch.isclose(pooled.flatten()[0], feat.mean()) and not torch.isclose(pooled.flatten()[0], feat.max())

# parameter counts (2247)
cnn = 32 * 25 + 32 + 4 * (32 * 32 * 25 + 32) + 32 * 10 + 10
gc = 16 * 1 * 25 + 4 * (16 * 16 * 4 * 25) + 16 * 10 + 10
assert cnn == 103_690 and gc == 102_970 and abs(cnn - gc) / cnn < 0.01
print("uvadlc-regular-group-convolutions: all checks passed")
