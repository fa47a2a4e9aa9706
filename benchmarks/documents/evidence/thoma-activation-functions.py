"""Evidence for thoma-activation-functions.tex (activation-function claims, numpy/torch)."""
import numpy as np
import torch
import torch.nn.functional as F

x = np.linspace(-10, 10, 20001)
relu = lambda z: np.maximum(0, z)
logistic = lambda z: 0.5 * (1 + np.tanh(z / 2))

# ReLU gradient 0 for non-positive inputs (51)
t = torch.tensor([-3.0, -1e-3, 0.0], requires_grad=True)
F.relu(t).sum().backward()
assert torch.all(t.grad == 0)

# logistic^- has the logistic derivative (78)
h = 1e-6
d1 = (logistic(x + h) - logistic(x - h)) / (2 * h)
d2 = ((logistic(x + h) - 0.5) - (logistic(x - h) - 0.5)) / (2 * h)
assert np.allclose(d1, d2, atol=1e-9)

# ReLU^- identity (85)
assert np.allclose(np.maximum(-1, x), relu(x + 1) - 1)

# ELU bounded below (93, 134)
e = F.elu(torch.linspace(-30, 50, 10001, dtype=torch.float64), alpha=1.0)
assert e.min() > -1.0 - 1e-12 and e.min() < -0.999

# S2ReLU cases (97-105)
s2 = lambda z: relu(z / 2 + 1) - relu(-z / 2 + 1)
assert np.isclose(s2(-4.0), -3.0) and not np.isclose(s2(-4.0), -(-4.0) / 2 + 1)
lo = x[x <= -2]
assert np.allclose(s2(lo), lo / 2 - 1)
mid = x[(x >= -2) & (x <= 2)]
assert np.allclose(s2(mid), mid)
assert np.isclose(s2(0.0), 0.0) and not np.isclose(s2(0.0), 0.0 / 2 + 1)
hi = x[x > 2]
assert np.allclose(s2(hi), hi / 2 + 1)
assert np.allclose(s2(-x), -s2(x))
far = x[np.abs(x) > 2]
assert np.all(np.abs(s2(far)) < np.abs(far))
assert s2(np.array([-1e6]))[0] < -1e5 and s2(np.array([1e6]))[0] > 1e5

# range table (124-134): (can be negative, bounded below, bounded above)
big = np.linspace(-1e5, 1e5, 200001)
np.seterr(over="ignore")
def props(vals):
    return bool((vals < 0).any()), bool(vals.min() > -1e2), bool(vals.max() < 1e2)
assert props(big) == (True, False, False)                          # identity
assert props(logistic(big)) == (False, True, True)
assert props(logistic(big) - 0.5) == (True, True, True)
assert props(np.tanh(big)) == (True, True, True)
assert props(big / (1 + np.abs(big))) == (True, True, True)          # softsign
assert props(relu(big)) == (False, True, False)                     # half-sided
assert props(np.logaddexp(0, big)) == (False, True, False)          # softplus
assert props(s2(big)) == (True, False, False)
assert props(np.maximum(0.01 * big, big)) == (True, False, False)   # leaky ReLU
assert props(F.elu(torch.tensor(big)).numpy()) == (True, True, False)  # ELU: half-sided, not 'No'
sm = torch.softmax(torch.tensor([[-100.0, 0.0, 100.0]]), dim=1)
sm2 = torch.softmax(torch.randn(1000, 10) * 20, dim=1)
assert sm.min() >= 0 and sm2.min() >= 0                             # softmax never negative
print("thoma-activation-functions: all checks passed")
