"""Evidence for thoma-hasy-cnn.tex: parameter counts of the four HASYv2 CNNs (torch, CPU)."""
import torch
import torch.nn as nn

def count(model):
    return sum(p.numel() for p in model.parameters())

def build(convs, dense, pad):
    layers, c, n = [], 1, 32
    for out in convs:
        layers += [nn.Conv2d(c, out, 3, padding=pad), nn.MaxPool2d(2, 2)]
        c = out
    layers.append(nn.Flatten())
    m = nn.Sequential(*layers)
    with torch.no_grad():
        flat = m(torch.zeros(1, 1, 32, 32)).shape[1]
    tail, width = [], flat
    for units in dense:
        tail.append(nn.Linear(width, units)); width = units
    return nn.Sequential(m, *tail)

assert 32 * 32 == 1024
cases = {  # name: (convs, dense layers, stated count, count with valid padding)
    "2-layer": ([32], [369], 3023537, 2657489),
    "3-layer": ([32, 64], [369], 1530609, 869361),
    "4-layer": ([32, 64, 128], [369], 848753, 281969),
    "TF-CNN": ([32, 64], [1024, 369], 4592369, 2757361),
}
for name, (convs, dense, stated, valid) in cases.items():
    same_n = count(build(convs, dense, 1))
    valid_n = count(build(convs, dense, 0))
    assert same_n == stated, (name, same_n)
    assert valid_n == valid != stated, (name, valid_n)
assert tuple(nn.Conv2d(1, 32, 3).weight.shape) == (32, 1, 3, 3)   # single-channel input
# filter depths follow the previous layer's number of filters
assert tuple(nn.Conv2d(32, 64, 3).weight.shape) == (64, 32, 3, 3)
assert tuple(nn.Conv2d(64, 128, 3).weight.shape) == (128, 64, 3, 3)
print("thoma-hasy-cnn: all checks passed")
