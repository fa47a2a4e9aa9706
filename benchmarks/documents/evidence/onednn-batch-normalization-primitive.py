"""Evidence for onednn-batch-normalization-primitive.md."""
import torch
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(4, 3, 5, 6, dtype=torch.float64)
g, b, eps = torch.randn(3, dtype=torch.float64), torch.randn(3, dtype=torch.float64), 1e-5
mu = x.sum(dim=(0, 2, 3)) / (4 * 5 * 6)
var = ((x - mu.view(1, 3, 1, 1)) ** 2).sum(dim=(0, 2, 3)) / (4 * 5 * 6)
assert torch.allclose(mu, x.mean(dim=(0, 2, 3))) and torch.allclose(var, x.var(dim=(0, 2, 3), unbiased=False))
dst = g.view(1, 3, 1, 1) * (x - mu.view(1, 3, 1, 1)) / torch.sqrt(var.view(1, 3, 1, 1) + eps) + b.view(1, 3, 1, 1)
ref = F.batch_norm(x, None, None, g, b, training=True, eps=eps)
assert torch.allclose(dst, ref)
nhw = 4 * 5 * 6
assert torch.allclose(x.var(dim=(0, 2, 3), unbiased=True) * (nhw - 1) / nhw, var)
# running statistics
bn = torch.nn.BatchNorm2d(1, momentum=1.0).double()
vals = torch.tensor([0.0, 0.0, 2.0, 2.0], dtype=torch.float64).view(1, 1, 2, 2)
bn.train(); bn(vals)
assert torch.isclose(bn.running_var[0], torch.tensor(4 / 3, dtype=torch.float64))
alpha = 0.0
pop_var = vals.var(unbiased=False)
assert torch.isclose(alpha * 1.0 + (1 - alpha) * pop_var, torch.tensor(1.0, dtype=torch.float64))
bn2 = torch.nn.BatchNorm2d(3, momentum=0.3).double(); bn2.train()
rm0 = bn2.running_mean.clone(); bn2(x)
assert torch.allclose(bn2.running_mean, 0.7 * rm0 + 0.3 * mu)          # alpha = 1 - momentum
print("onednn-batch-normalization-primitive: all checks passed")
