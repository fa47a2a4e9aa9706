"""Evidence for matconvnet-impl.tex (MatConvNet manual, chapter 'Implementation details', without its last section):
derivatives checked against torch autograd and finite differences; no checker code."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from _brute import window_count

torch.manual_seed(0)
RNG = np.random.default_rng(0)


def im2row():
    H, W, D, Hp, Wp, K = 5, 4, 2, 3, 2, 3
    Ho, Wo = H - Hp + 1, W - Wp + 1
    x = RNG.normal(size=(H, W, D))
    phi = np.zeros((Ho * Wo, Hp * Wp * D))
    for i2 in range(1, Ho + 1):
        for j2 in range(1, Wo + 1):
            for i1 in range(1, Hp + 1):
                for j1 in range(1, Wp + 1):
                    for d in range(1, D + 1):
                        p = i2 + Ho * (j2 - 1)
                        q = i1 + Hp * (j1 - 1) + Hp * Wp * (d - 1)
                        phi[p - 1, q - 1] = x[i2 + i1 - 2, j2 + j1 - 2, d - 1]
    f = RNG.normal(size=(Hp, Wp, D, K))
    Fm = f.reshape(Hp * Wp * D, K, order="F")
    Y = phi @ Fm                                                       # (H''W'') x K
    xt = torch.tensor(x).permute(2, 0, 1)[None]
    ft = torch.tensor(f).permute(3, 2, 0, 1)
    y = F.conv2d(xt, ft)[0].permute(1, 2, 0).numpy()                   # H'' x W'' x K
    assert np.allclose(Y, y.reshape(Ho * Wo, K, order="F"))
    assert phi.size == Ho * Wo * Hp * Wp * D                           # H has (H''W''H'W'D) rows, HWD columns
    # derivatives: dz/dF = phi^T dz/dY, dz/dX = phi*(dz/dY F^T) (row2im adds back)
    xv = torch.tensor(x, requires_grad=True)
    fv = torch.tensor(f, requires_grad=True)
    out = F.conv2d(xv.permute(2, 0, 1)[None], fv.permute(3, 2, 0, 1))[0].permute(1, 2, 0)
    G = RNG.normal(size=out.shape)
    (out * torch.tensor(G)).sum().backward()
    dY = G.reshape(Ho * Wo, K, order="F")
    assert np.allclose((phi.T @ dY), fv.grad.numpy().reshape(Hp * Wp * D, K, order="F"))
    M = dY @ Fm.T
    back = np.zeros_like(x)
    for i2 in range(1, Ho + 1):
        for j2 in range(1, Wo + 1):
            for i1 in range(1, Hp + 1):
                for j1 in range(1, Wp + 1):
                    for d in range(1, D + 1):
                        back[i2 + i1 - 2, j2 + j1 - 2, d - 1] += M[i2 + Ho * (j2 - 1) - 1, i1 + Hp * (j1 - 1) + Hp * Wp * (d - 1) - 1]
    assert np.allclose(back, xv.grad.numpy())


def convt():
    for H in range(1, 8):
        for Hp in range(1, 6):
            for S in range(1, 4):
                for Pm in range(0, 3):
                    for Pp in range(0, 3):
                        if H + Pm + Pp < Hp:
                            continue
                        Ho = 1 + (H - Hp + Pm + Pp) // S
                        assert Ho == window_count(H, Hp, S, Pm, Pp)
                        f = RNG.normal(size=Hp)
                        M = np.zeros((Ho, H))
                        for i2 in range(1, Ho + 1):
                            for i1 in range(1, Hp + 1):
                                k = S * (i2 - 1) + i1 - Pm
                                if 1 <= k <= H:
                                    M[i2 - 1, k - 1] += f[i1 - 1]
                        y = RNG.normal(size=Ho)
                        want = M.T @ y
                        for k in range(1, H + 1):
                            m, r = (k - 1 + Pm) // S, (k - 1 + Pm) % S
                            full = sum(y[m + 2 - q - 1] * f[r + S * (q - 1)]
                                       for q in range(1, 2 + (Hp - 1) // S)
                                       if 1 <= m + 2 - q <= Ho and r + S * (q - 1) + 1 <= Hp)
                            lo = max(1, m + 2 - Ho)
                            hi = 1 + min((Hp - 1 - r) // S, m)
                            refined = sum(y[m + 2 - q - 1] * f[r + S * (q - 1)] for q in range(lo, hi + 1))
                            assert math.isclose(full, want[k - 1], abs_tol=1e-9) and math.isclose(refined, want[k - 1], abs_tol=1e-9)


def pooling_relu_sigmoid():
    x = torch.randn(1, 1, 6, 6, requires_grad=True)
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    S = torch.zeros(9, 36)
    S[torch.arange(9), idx.flatten()] = 1
    assert torch.allclose(x.grad.flatten(), S.T @ g.flatten())
    x = torch.randn(50, requires_grad=True)
    g = torch.randn(50)
    (torch.relu(x) * g).sum().backward()
    assert torch.allclose(x.grad, (x > 0).float() * g)
    x.grad = None
    s = torch.sigmoid(x)
    (s * g).sum().backward()
    assert torch.allclose(x.grad, g * s * (1 - s), atol=1e-6)
    xv = x.detach()
    assert torch.allclose(-1 / (1 + torch.exp(-xv)) ** 2 * (-torch.exp(-xv)), s * (1 - s), atol=1e-6)


def lrn():
    D, kappa, alpha, beta = 6, 2.0, 1e-1, 0.75
    G = {k: [t for t in range(D) if abs(t - k) <= 1] for k in range(D)}
    x = torch.randn(D, dtype=torch.float64, requires_grad=True)
    L = torch.stack([kappa + alpha * (x[G[k]] ** 2).sum() for k in range(D)])
    y = x * L ** (-beta)
    g = torch.randn(D, dtype=torch.float64)
    (y * g).sum().backward()
    xd, Ld = x.detach(), L.detach()
    want = torch.stack([g[d] * Ld[d] ** (-beta) - 2 * alpha * beta * xd[d] *
                        sum(g[k] * Ld[k] ** (-beta - 1) * xd[k] for k in range(D) if d in G[k]) for d in range(D)])
    assert torch.allclose(x.grad, want)


def bnorm():
    T, K, H, W, eps = 3, 2, 4, 5, 1e-5
    x = torch.randn(T, K, H, W, dtype=torch.float64, requires_grad=True)
    w = torch.randn(K, dtype=torch.float64, requires_grad=True)
    b = torch.randn(K, dtype=torch.float64, requires_grad=True)
    y = F.batch_norm(x, None, None, w, b, training=True, eps=eps)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    xd = x.detach()
    mu = xd.mean(dim=(0, 2, 3), keepdim=True)
    var = ((xd - mu) ** 2).mean(dim=(0, 2, 3), keepdim=True)
    xh = (xd - mu) / torch.sqrt(var + eps)
    dw = (g * xh).sum(dim=(0, 2, 3))
    db = g.sum(dim=(0, 2, 3))
    assert torch.allclose(w.grad, dw) and torch.allclose(b.grad, db)
    N = T * H * W
    wk = w.detach().view(1, K, 1, 1)
    dx = wk / torch.sqrt(var + eps) * (g - db.view(1, K, 1, 1) / N - xh * dw.view(1, K, 1, 1) / N)
    assert torch.allclose(x.grad, dx)
    # d mu / dx = 1/N and d sigma^2 / dx = 2/N (x - mu), by autograd on one channel
    z = xd[:, 0].clone().requires_grad_(True)
    z.mean().backward()
    assert torch.allclose(z.grad, torch.full_like(z, 1 / N))
    z.grad = None
    ((z - z.mean()) ** 2).mean().backward()
    assert torch.allclose(z.grad, 2 / N * (z.detach() - z.detach().mean()))


def spnorm_padding():
    Hp, H = 3, 10
    top = (Hp - 1) // 2
    bottom_doc = Hp - (H - 1) // 2 - 1
    bottom_ok = Hp - (Hp - 1) // 2 - 1
    assert bottom_doc == -2 and bottom_ok == 1
    assert window_count(H, Hp, 1, top, bottom_ok) == H


def softmax():
    x = torch.randn(5, 7, dtype=torch.float64, requires_grad=True)
    y = torch.softmax(x, dim=1)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    yd = y.detach()
    assert torch.allclose(x.grad, yd * (g - (g * yd).sum(1, keepdim=True)))
    assert torch.allclose(x.grad, yd * (g - (g * yd) @ torch.ones(7, 7, dtype=torch.float64)))
    xs = x.detach()
    assert torch.allclose(torch.exp(xs - xs.max(1, keepdim=True).values) /
                          torch.exp(xs - xs.max(1, keepdim=True).values).sum(1, keepdim=True), yd)


def losses():
    p = 1.0
    # log-loss: d(-log x_c)/dx_c = -1/x_c, not -x_c
    x = torch.tensor([0.2, 0.5, 0.3], dtype=torch.float64, requires_grad=True)
    (-torch.log(x[1])).backward()
    assert math.isclose(float(x.grad[1]), -1 / 0.5) and not math.isclose(float(x.grad[1]), -0.5)
    # softmax log-loss: gradient -(delta_kc - softmax_k), not -(delta_kc - softmax_c); the loss is -log softmax_c
    z = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64, requires_grad=True)
    c = 0
    loss = -torch.log_softmax(z, 0)[c]
    loss.backward()
    sm = torch.softmax(z.detach(), 0)
    want = -(torch.eye(3, dtype=torch.float64)[c] - sm)
    doc = -(torch.eye(3, dtype=torch.float64)[c] - sm[c])
    assert torch.allclose(z.grad, want) and not torch.allclose(z.grad, doc)
    assert not math.isclose(float(loss.detach()), float(sm[c]))
    # multi-class hinge
    for xc in (0.3, 1.7):
        t = torch.tensor([xc], requires_grad=True)
        torch.clamp(1 - t, min=0).sum().backward()
        assert float(t.grad) == (-1.0 if xc < 1 else 0.0)
    # structured hinge with t* over all t: c is the argmax yet the loss is positive
    x = torch.tensor([1.5, 1.0], dtype=torch.float64, requires_grad=True)
    c = 0
    l = torch.clamp(1 - x[c] + x[1], min=0)
    l.backward()
    assert float(l.detach()) == 0.5 and x.grad.tolist() == [-1.0, 1.0]
    tstar = int(torch.argmax(x.detach()))
    doc = [-(float(k == c) - float(k == tstar)) for k in range(2)]
    assert doc == [0.0, 0.0]
    # binary losses
    for cb in (-1.0, 1.0):
        for v in (-2.0, -0.3, 0.4, 1.5):
            t = torch.tensor(v, dtype=torch.float64, requires_grad=True)
            (-torch.log(1 / (1 + torch.exp(-cb * t)))).backward()
            assert math.isclose(float(t.grad), -cb / (math.exp(cb * v) + 1)) and \
                math.isclose(float(t.grad), -cb * (1 / (1 + math.exp(cb * v))))
            t.grad = None
            torch.clamp(1 - cb * t, min=0).backward()
            assert float(t.grad) == (-cb if cb * v < 1 else 0.0)
        for q in (0.2, 0.7):
            t = torch.tensor(q, dtype=torch.float64, requires_grad=True)
            (-torch.log(cb * (t - 0.5) + 0.5)).backward()
            assert math.isclose(float(t.grad), -cb / (cb * (q - 0.5) + 0.5))


def pdist():
    xb = torch.randn(6, dtype=torch.float64)
    for pp in (1.5, 2.0, 3.0):
        x = torch.randn(6, dtype=torch.float64, requires_grad=True)
        (torch.abs(x - xb) ** pp).sum().backward()
        d = x.detach() - xb
        assert torch.allclose(x.grad, pp * d.abs() ** (pp - 1) * torch.sign(d))
        x.grad = None
        y = ((torch.abs(x - xb) ** pp).sum()) ** (1 / pp)
        y.backward()
        assert torch.allclose(x.grad, d.abs() ** (pp - 1) * torch.sign(d) / y.detach() ** (pp - 1))


if __name__ == "__main__":
    for fn in (im2row, convt, pooling_relu_sigmoid, lrn, bnorm, spnorm_padding, softmax, losses, pdist):
        fn()
    print("matconvnet-impl: all evidence checks pass")
