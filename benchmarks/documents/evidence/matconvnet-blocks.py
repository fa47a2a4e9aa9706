"""Evidence for matconvnet-blocks.tex (MatConvNet manual, chapter 'Computational blocks'): brute force, 1-based
indices as in the manual, torch cross-checks; no checker code."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from _brute import transposed_size, window_count

RNG = np.random.default_rng(0)


def conv1d_mcn(x, f, S, Pm, Pp, d=1):
    """y_{i''} = sum_{i'} f_{i'} x_{S(i''-1) + d(i'-1) - P^- + 1} (1-based, zero extension), H'' from window count."""
    H, Hf = len(x), len(f)
    Ho = window_count(H, Hf, S, Pm, Pp, d)
    y = np.zeros(Ho)
    for io in range(1, Ho + 1):
        for ip in range(1, Hf + 1):
            r = S * (io - 1) + d * (ip - 1) - Pm + 1
            if 1 <= r <= H:
                y[io - 1] += f[ip - 1] * x[r - 1]
    return y


def conv_forward():
    for H in range(1, 12):
        for Hp in range(1, 5):
            for S in range(1, 4):
                for Pm in range(0, 3):
                    for Pp in range(0, 3):
                        if H + Pm + Pp < Hp:
                            continue
                        assert 1 + (H - Hp + Pm + Pp) // S == window_count(H, Hp, S, Pm, Pp)
    x, f = RNG.normal(size=9), RNG.normal(size=3)
    for S, P, d in ((1, 0, 1), (2, 1, 1), (2, 2, 2), (3, 1, 2)):
        ref = F.conv1d(torch.tensor(x).view(1, 1, -1), torch.tensor(f).view(1, 1, -1), stride=S, padding=P, dilation=d)
        assert np.allclose(conv1d_mcn(x, f, S, P, P, d), ref.numpy().ravel())
    for Hf in range(1, 5):
        for d in range(1, 4):
            dil = np.zeros(d * (Hf - 1) + 1)
            dil[::d] = 1
            assert len(dil) == d * (Hf - 1) + 1 and int((dil == 0).sum()) == (d - 1) * (Hf - 1)


def convt_matrix(H, Hp, S, Pm, Pp):
    """M with vec x = M vec y for the forward conv (y of length Ho, x of length H); convt computes M^T x."""
    Ho = S * (H - 1) + Hp - Pm - Pp
    if Ho <= 0:
        return None, None, Ho
    M = np.zeros((H, Ho))
    f = RNG.normal(size=Hp)
    for i in range(1, H + 1):
        for ip in range(1, Hp + 1):
            j = S * (i - 1) + ip - Pm
            if 1 <= j <= Ho:
                M[i - 1, j - 1] += f[ip - 1]
    return M, f, Ho


def convt_closed_form():
    m = lambda k, S: (k - 1) % S
    q = lambda k, S: (k - 1) // S
    for H in range(1, 7):
        for Hp in range(1, 6):
            for S in range(1, 4):
                for Pm in range(0, 2):
                    for Pp in range(0, 2):
                        M, f, Ho = convt_matrix(H, Hp, S, Pm, Pp)
                        if Ho <= 0:
                            continue
                        assert Ho == transposed_size(H, Hp, S, Pm, Pp)
                        x = RNG.normal(size=H)
                        want = M.T @ x
                        got = np.zeros(Ho)
                        for io in range(1, Ho + 1):
                            for ip in range(0, q(Hp, S) + 1):
                                fi = 1 + S * ip + m(io + Pm, S)
                                xi = 1 - ip + q(io + Pm, S)
                                if 1 <= fi <= Hp and 1 <= xi <= H:
                                    got[io - 1] += f[fi - 1] * x[xi - 1]
                        assert np.allclose(got, want)
                        if Pm == Pp:
                            t = F.conv_transpose1d(torch.tensor(x).view(1, 1, -1), torch.tensor(f).view(1, 1, -1),
                                                   stride=S, padding=Pm)
                            assert np.allclose(t.numpy().ravel(), want)


def convt_example():
    """S=2, no crops: which x and which f feed y_{i''} (S | i''-1) and y_{i''+1}."""
    S, Hp, H = 2, 6, 5
    m = lambda k: (k - 1) % S
    q = lambda k: (k - 1) // S
    io = 3                                                        # S divides io - 1
    used = [(1 + S * t + m(io), 1 - t + q(io)) for t in range(q(Hp) + 1) if 1 <= 1 - t + q(io) <= H]
    assert [xi for _, xi in used] == [2, 1] and io / S == 1.5        # x_2, x_1: not x_{i''/S} (= x_1.5)
    assert [fi for fi, _ in used] == [1, 3]                        # f_1, f_{1+S}: not f_1, f_S = f_2
    used1 = [(1 + S * t + m(io + 1), 1 - t + q(io + 1)) for t in range(q(Hp) + 1) if 1 <= 1 - t + q(io + 1) <= H]
    assert [xi for _, xi in used1] == [2, 1]                       # same x elements
    assert [fi for fi, _ in used1] == [2, 4]                       # f_2, f_{S+2}: not f_{S+1} = f_3


def pooling_pad():
    x = torch.tensor([[[-5.0, -3.0, -4.0]]])
    a = F.max_pool1d(x, 2, 1, padding=1)
    b = F.max_pool1d(F.pad(x, (1, 1), value=-math.inf), 2, 1)
    assert torch.equal(a, b) and float(a.max()) < 0                # zero padding would have produced 0


def bilinear_weights(H, g, beta_sign):
    alpha, beta = (H - 1) / 2, beta_sign * (H + 1) / 2
    return np.array([max(0.0, 1 - abs(alpha * g + beta - i)) for i in range(1, H + 1)])


def bilinear():
    for H in (3, 4, 7):
        w = bilinear_weights(H, -1.0, -1)                         # the manual's beta = -(H+1)/2
        assert np.all(w == 0)                                       # g = -1 reaches no pixel at all
        assert bilinear_weights(H, -1.0, +1)[0] == 1 and bilinear_weights(H, 1.0, +1)[-1] == 1


def roi_tiles():
    vm, vp, Hp = 0, 9, 2                                            # rows 0..9 (10 pixels) in 2 tiles
    v = [vm + (vp - vm + 1) * (i - 1) for i in range(1, Hp + 2)]
    assert v == [0, 10, 20]                                         # second tile rows 11..20, outside the region
    v_ok = [vm + (vp - vm + 1) * (i - 1) / Hp for i in range(1, Hp + 2)]
    assert v_ok == [0, 5, 10]
    H, W = 2, 5                                                     # single tile over the whole 2x5 image
    rows = range(math.floor(0) + 1, math.ceil(0 + (H - 1 - 0 + 1)) + 1)
    cols = range(math.floor(0) + 1, math.ceil(0 + (W - 1 - 0 + 1)) + 1)
    assert (len(rows), len(cols)) == (H, W) != (W, H)


def normalization():
    x = RNG.normal(size=(2, 3, 4, 5))                              # T, K, H, W (torch layout)
    y = F.batch_norm(torch.tensor(x), None, None, training=True, eps=1e-5).numpy()
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    var = ((x - mu) ** 2).mean(axis=(0, 2, 3), keepdims=True)
    assert np.allclose(y, (x - mu) / np.sqrt(var + 1e-5), atol=1e-6)
    lrn = torch.nn.LocalResponseNorm(3)(torch.tensor(x))
    assert lrn.shape == x.shape
    z = RNG.normal(size=(4, 6))
    s = torch.softmax(torch.tensor(z), dim=1).numpy()
    assert np.allclose(s, np.exp(z) / np.exp(z).sum(1, keepdims=True))


def losses():
    x = np.array([3.0, 1.0])
    c = 1
    top_k_doc = lambda x, c, K: int(len([k for k in range(len(x)) if x[k] >= x[c - 1]]) <= K)
    assert int(np.argmax(x)) + 1 == c and top_k_doc(x, c, 1) == 1   # c is top-1, yet the formula says error 1
    for _ in range(200):
        z = RNG.normal(size=5) * 3
        cc = int(RNG.integers(1, 6))
        lse = math.log(sum(math.exp(t) for t in z))
        assert math.isclose(-math.log(math.exp(z[cc - 1]) / sum(math.exp(t) for t in z)), -z[cc - 1] + lse)
        t = float(RNG.normal() * 3)
        for cb in (-1, 1):
            sig = 1 / (1 + math.exp(-cb * t))
            assert math.isclose(-math.log(sig), -math.log(math.exp(cb * t / 2) / (math.exp(cb * t / 2) + math.exp(-cb * t / 2))))
            assert math.isclose(max(0, 1 - cb * t), max(0, 1 - cb * t / 2 + (-cb) * t / 2))
        p = float(RNG.uniform(0.01, 0.99))
        assert math.isclose(-math.log(1 * (p - 0.5) + 0.5), -math.log(p))
        assert math.isclose(-math.log(-1 * (p - 0.5) + 0.5), -math.log(1 - p))
    # x_c >> sum of the others does not make the softmax log-loss small when another score is close to x_c
    z = [5.0, 4.0, -100.0]
    loss = -z[0] + math.log(sum(math.exp(t) for t in z))
    assert z[0] - sum(z[1:]) > 100 and loss > 0.3
    z = [50.0, 3.0, 1.0]                                            # non-negative others: loss ~ 0
    assert -z[0] + math.log(sum(math.exp(t) for t in z)) < 1e-15
    for t in np.linspace(-3, 3, 61):
        assert (max(0, 1 - t) == 0) == (t >= 1)


if __name__ == "__main__":
    for fn in (conv_forward, convt_closed_form, convt_example, pooling_pad, bilinear, roi_tiles, normalization, losses):
        fn()
    print("matconvnet-blocks: all evidence checks pass")
