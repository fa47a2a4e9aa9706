"""Named networks: torchvision's parameter totals, symbolic shapes, and PyTorch modules built from torch.nn."""

from __future__ import annotations

import pytest
import sympy as sp

from derive import nets
from derive.sizes.symbols import H, W
from tests.helpers import requires_torch

TOTALS = [
    ("lenet5", nets.lenet5, 61_706),
    ("alexnet", nets.alexnet, 61_100_840),
    ("vgg16", nets.vgg16, 138_357_544),
    ("resnet18", nets.resnet18, 11_689_512),
    ("resnet50", nets.resnet50, 25_557_032),
]


@pytest.mark.parametrize("factory,total", [r[1:] for r in TOTALS], ids=[r[0] for r in TOTALS])
def test_parameter_totals_equal_torchvision(factory, total):
    assert factory().params == total


def test_get_network_by_name():
    assert nets.get_network("VGG-16").params == 138_357_544
    with pytest.raises(ValueError, match="unknown network 'vgg19'; known: alexnet, lenet5"):
        nets.get_network("vgg19")


@pytest.mark.parametrize("factory", [nets.alexnet, nets.vgg16, nets.resnet18, nets.resnet50],
                         ids=["alexnet", "vgg16", "resnet18", "resnet50"])
def test_symbolic_input_gives_formulas_that_evaluate_to_the_numeric_table(factory):
    symbolic = factory(input_shape=(3, H, W)).table()
    numeric_rows = factory(input_shape=(3, 224, 160)).table()
    assert any(not sp.sympify(v).is_number for row in symbolic for v in row.output_shape)
    for sym_row, num_row in zip(symbolic, numeric_rows):
        evaluated = tuple(sp.sympify(v).xreplace({H: 224, W: 160}) for v in sym_row.output_shape)
        assert evaluated == num_row.output_shape, sym_row.name
    assert sp.sympify(factory(input_shape=(3, H, W)).macs()).xreplace({H: 224, W: 160}) == factory(
        input_shape=(3, 224, 160)).macs()


def test_resnet_stem_formula():
    rows = nets.resnet18(input_shape=(3, H, W)).table()
    assert rows[0].output_shape[1] == sp.floor((H + 2 * 3 - 7) / 2) + 1
    assert rows[0].rf == (7, 7) and rows[3].rf == (11, 11)


def test_known_receptive_fields():
    assert nets.resnet18().receptive_field().size == (435, 435)
    assert nets.vgg16().receptive_field().size == (212, 212)
    assert nets.alexnet().receptive_field().size == (195, 195)


def test_lenet_shapes():
    assert [r.output_shape for r in nets.lenet5().table() if r.kind == "MaxPool2d"] == [(6, 14, 14), (16, 5, 5)]


# -- PyTorch modules built from torch.nn (torchvision is not installed) ------------------------------------------------
def _torch_models():
    import torch.nn as nn

    def conv3x3(i, o, s=1):
        return nn.Conv2d(i, o, 3, s, 1, bias=False)

    class Basic(nn.Module):
        expansion = 1

        def __init__(self, inplanes, planes, stride=1, downsample=None):
            super().__init__()
            self.conv1, self.bn1 = conv3x3(inplanes, planes, stride), nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2, self.bn2 = conv3x3(planes, planes), nn.BatchNorm2d(planes)
            self.downsample = downsample

        def forward(self, x):
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return self.relu(out + (self.downsample(x) if self.downsample is not None else x))

    class Bottle(nn.Module):
        expansion = 4

        def __init__(self, inplanes, planes, stride=1, downsample=None):
            super().__init__()
            self.conv1, self.bn1 = nn.Conv2d(inplanes, planes, 1, bias=False), nn.BatchNorm2d(planes)
            self.conv2, self.bn2 = conv3x3(planes, planes, stride), nn.BatchNorm2d(planes)
            self.conv3, self.bn3 = nn.Conv2d(planes, planes * 4, 1, bias=False), nn.BatchNorm2d(planes * 4)
            self.relu = nn.ReLU(inplace=True)
            self.downsample = downsample

        def forward(self, x):
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.relu(self.bn2(self.conv2(out)))
            out = self.bn3(self.conv3(out))
            return self.relu(out + (self.downsample(x) if self.downsample is not None else x))

    def resnet(block, layers):
        mods, inplanes = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)], 64
        for i, (planes, blocks) in enumerate(zip((64, 128, 256, 512), layers)):
            stride = 1 if i == 0 else 2
            down = None
            if stride != 1 or inplanes != planes * block.expansion:
                down = nn.Sequential(nn.Conv2d(inplanes, planes * block.expansion, 1, stride, bias=False),
                                     nn.BatchNorm2d(planes * block.expansion))
            stage = [block(inplanes, planes, stride, down)]
            inplanes = planes * block.expansion
            stage += [block(inplanes, planes) for _ in range(1, blocks)]
            mods.append(nn.Sequential(*stage))
        mods += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512 * block.expansion, 1000)]
        return nn.Sequential(*mods)

    def vgg16():
        layers, c = [], 3
        for v in nets.VGG16_CFG:
            layers += [nn.MaxPool2d(2, 2)] if v == "M" else [nn.Conv2d(c, v, 3, padding=1), nn.ReLU(True)]
            c = c if v == "M" else v
        return nn.Sequential(nn.Sequential(*layers), nn.AdaptiveAvgPool2d(7), nn.Flatten(),
                             nn.Linear(25088, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(True),
                             nn.Dropout(), nn.Linear(4096, 1000))

    def alexnet():
        return nn.Sequential(
            nn.Conv2d(3, 64, 11, 4, 2), nn.ReLU(True), nn.MaxPool2d(3, 2), nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(True),
            nn.MaxPool2d(3, 2), nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(True), nn.Conv2d(384, 256, 3, padding=1),
            nn.ReLU(True), nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(True), nn.MaxPool2d(3, 2),
            nn.AdaptiveAvgPool2d(6), nn.Flatten(), nn.Dropout(), nn.Linear(9216, 4096), nn.ReLU(True), nn.Dropout(),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Linear(4096, 1000))

    def lenet():
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84),
                             nn.ReLU(), nn.Linear(84, 10))

    return {"lenet5": (lenet, (1, 28, 28)), "alexnet": (alexnet, (3, 224, 224)), "vgg16": (vgg16, (3, 32, 48)),
            "resnet18": (lambda: resnet(Basic, (2, 2, 2, 2)), (3, 64, 80)),
            "resnet50": (lambda: resnet(Bottle, (3, 4, 6, 3)), (3, 64, 64))}


@requires_torch
@pytest.mark.parametrize("name", ["lenet5", "alexnet", "vgg16", "resnet18", "resnet50"])
def test_against_torch_modules(name):
    """numel totals, buffers, output shape, and conv+linear FLOPs counted by torch's FlopCounterMode."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    build, shape = _torch_models()[name]
    model = build().eval()
    ours = nets.get_network(name, input_shape=shape)
    assert ours.params == sum(p.numel() for p in model.parameters())
    assert ours.buffers == sum(b.numel() for b in model.buffers())
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        y = model(torch.zeros(1, *shape))
    assert ours.output_shape() == tuple(y.shape[1:])
    conv_linear = sum(r.macs for r in _leaf_rows(ours, shape) if r[0] in ("Conv2d", "Linear"))
    assert 2 * conv_linear == counter.get_total_flops()


def _leaf_rows(net, shape):
    """(kind, macs) for every leaf layer, residual blocks opened."""
    from derive import Network, Residual

    class R(tuple):
        @property
        def macs(self):
            return self[1]

    out = []

    def walk(layers, shape):
        for _, layer in layers:
            if isinstance(layer, Network):
                shape = walk(layer.layers, shape)
            elif isinstance(layer, Residual):
                walk(layer.main.layers, shape)
                if layer.shortcut:
                    walk(layer.shortcut.layers, shape)
                shape = layer.output_shape(shape)
            else:
                out.append(R((type(layer).__name__, layer.macs(shape))))
                shape = layer.output_shape(shape)
        return shape

    walk(net.layers, shape)
    return out
