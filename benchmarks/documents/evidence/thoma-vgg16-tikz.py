"""Evidence for thoma-vgg16-tikz.tex: map sizes of VGG-16 vs the printed pooling stride."""
import torch
import torch.nn.functional as F

n = 224
x = torch.zeros(1, 1, n, n)
for expected in (112, 56, 28, 14, 7):
    x = F.conv2d(x, torch.zeros(1, 1, 3, 3), padding=1)       # C @3x3 / 1 keeps the size
    assert x.shape[-1] == n
    s1 = F.max_pool2d(x, 2, 1).shape[-1]                      # as printed: 2x2 / 1
    x = F.max_pool2d(x, 2, 2)                                 # VGG-16: 2x2 / 2
    assert x.shape[-1] == expected == n // 2 and s1 == n - 1 != expected
    n = expected
print("thoma-vgg16-tikz: all checks passed")
