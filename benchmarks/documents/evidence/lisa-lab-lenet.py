"""Evidence for lisa-lab-lenet.rst (DeepLearningTutorials doc/lenet.txt)."""
import numpy as np
import torch
import torch.nn.functional as F

# receptive field of two stacked width-3 stride-1 layers (lines 92, 100)
def rf_brute(kernels):
    n = 64
    x = torch.zeros(1, 1, n, requires_grad=True)
    y = x
    for k in kernels:
        y = F.conv1d(y, torch.ones(1, 1, k))
    y[0, 0, y.shape[-1] // 2].backward()
    return int((x.grad[0, 0] != 0).sum())
assert rf_brute([3]) == 3 and rf_brute([3, 3]) == 5

# 1-D convolution commutes (142), 2-D definition (145)
rng = np.random.default_rng(0)
f, g = rng.normal(size=7), rng.normal(size=5)
full = np.convolve(f, g)
for n in range(len(full)):
    a = sum(f[u] * g[n - u] for u in range(len(f)) if 0 <= n - u < len(g))
    b = sum(f[n - u] * g[u] for u in range(len(g)) if 0 <= n - u < len(f))
    assert np.isclose(a, full[n]) and np.isclose(b, full[n])
f2, g2 = rng.normal(size=(4, 5)), rng.normal(size=(3, 2))
o = np.zeros((6, 6))
for i in range(4):
    for j in range(5):
        o[i:i + 3, j:j + 2] += f2[i, j] * g2
for m in range(6):
    for n in range(6):
        s = sum(f2[u, v] * g2[m - u, n - v] for u in range(4) for v in range(5)
                if 0 <= m - u < 3 and 0 <= n - v < 2)
        assert np.isclose(s, o[m, n])

# fan-in and the initialisation interval (210, 295)
fan_in = 3 * 9 * 9
assert fan_in == 243
code_bound = 1.0 / np.sqrt(fan_in)
assert not np.isclose(code_bound, 1.0 / fan_in)  # text interval differs from the code's

# max-pooling examples (361-374)
invals = np.random.RandomState(1).rand(3, 2, 5, 5)
assert np.isclose(invals[0, 0, 0, 1], 7.20324493e-01)
a = invals[0, 0, :4, :4].reshape(2, 2, 2, 2).max(axis=(1, 3))
assert np.allclose(a, [[0.72032449, 0.39676747], [0.6852195, 0.87811744]], atol=1e-8)
b = np.array([[invals[1, 0, 2 * i:2 * i + 2, 2 * j:2 * j + 2].max() for j in range(3)] for i in range(3)])
assert np.allclose(b, [[0.67883553, 0.58930554, 0.69975836],
                       [0.66379465, 0.94459476, 0.58655504],
                       [0.90340192, 0.80739129, 0.39767684]], atol=1e-8)
t = F.max_pool2d(torch.tensor(invals[1:2, 0:1]), 2, ceil_mode=True)[0, 0].numpy()
assert np.allclose(t, b)

# translation claims (315, 317): count shifts keeping a single maximum in its window
def kept(win, r, c):
    return sum(1 for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)
               and 0 <= r + dr < win and 0 <= c + dc < win)
def pooled_same(win, r, c, dr, dc):
    x = np.zeros((3 * win + 2, 3 * win + 2)); x[win + r, win + c] = 1.0
    y = np.roll(np.roll(x, dr, 0), dc, 1)
    p = lambda z: z[:3 * win, :3 * win].reshape(3, win, 3, win).max(axis=(1, 3))
    return np.array_equal(p(x), p(y))
for win in (2, 3):
    for r in range(win):
        for c in range(win):
            same = sum(pooled_same(win, r, c, dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                       if (dr, dc) != (0, 0))
            assert same == kept(win, r, c)
assert {kept(2, r, c) for r in range(2) for c in range(2)} == {3}
k3 = {(r, c): kept(3, r, c) for r in range(3) for c in range(3)}
assert k3[(0, 1)] == 5 and k3[(0, 0)] == 3 and k3[(1, 1)] == 8
assert sum(k3.values()) == 40

# positions and cost of a valid convolution (520-525)
def positions(M, N, m, n):
    return sum(1 for i in range(M) for j in range(N) if i + m <= M and j + n <= N)
M = N = 5; m = n = 3
assert positions(M, N, m, n) == 9 != (M - m) * (N - n)
x = torch.randn(1, 1, M, N)
assert F.conv2d(x, torch.randn(1, 1, m, n)).numel() == 9
macs = positions(M, N, m, n) * m * n * 1
assert macs == 81 and (M - m) * (N - n) * m * n * 1 == 36
Kl, Kl1 = 4, 3
assert positions(M, N, m, n) * m * n * Kl1 * Kl == Kl * (positions(M, N, m, n) * m * n * Kl1)
W = torch.randn(Kl, Kl1)
assert W.numel() == Kl * Kl1  # one multiply-add per weight in W @ h

# 4x4 pooling divides the number of values by 16 (560)
assert F.max_pool2d(torch.randn(1, 1, 64, 64), 4).numel() * 16 == 64 * 64
print("lisa-lab-lenet: all checks passed")
