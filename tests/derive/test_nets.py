"""Named networks: torchvision's parameter totals, symbolic shapes, and PyTorch modules built from torch.nn."""

from __future__ import annotations

import pytest
import sympy as sp

from derive import nets
from derive.nets.classic import VGG_CFGS
from derive.nets.googlenet import INCEPTIONS
from derive.sizes.symbols import H, W
from tests.helpers import requires_torch

TOTALS = [
    ("lenet5", nets.lenet5, 61_706),
    ("alexnet", nets.alexnet, 61_100_840),
    ("vgg16", nets.vgg16, 138_357_544),
    ("resnet18", nets.resnet18, 11_689_512),
    ("resnet50", nets.resnet50, 25_557_032),
    ("vgg11", nets.vgg11, 132_863_336),
    ("vgg13", nets.vgg13, 133_047_848),
    ("vgg19", nets.vgg19, 143_667_240),
    ("resnet34", nets.resnet34, 21_797_672),
    ("resnet101", nets.resnet101, 44_549_160),
    ("resnet152", nets.resnet152, 60_192_808),
    ("densenet121", nets.densenet121, 7_978_856),
    ("mobilenetv2", nets.mobilenet_v2, 3_504_872),
    ("efficientnetb0", nets.efficientnet_b0, 5_288_548),
    ("shufflenetv2x10", nets.shufflenet_v2_x1_0, 2_278_604),
    ("googlenet", nets.googlenet, 6_624_904),
]


@pytest.mark.parametrize("factory,total", [r[1:] for r in TOTALS], ids=[r[0] for r in TOTALS])
def test_parameter_totals_equal_torchvision(factory, total):
    assert factory().params == total


def test_get_network_by_name():
    assert nets.get_network("VGG-16").params == 138_357_544
    assert nets.get_network("ShuffleNet V2 ×1.0").params == nets.get_network("shufflenet_v2") .params == 2_278_604
    assert nets.get_network("MobileNet-V2").params == 3_504_872
    with pytest.raises(ValueError, match="unknown network 'inception-v3'; known: alexnet, densenet121"):
        nets.get_network("inception-v3")


@pytest.mark.parametrize("factory", [nets.alexnet, nets.vgg16, nets.resnet18, nets.resnet50, nets.densenet121,
                                     nets.mobilenet_v2, nets.shufflenet_v2_x1_0, nets.googlenet],
                         ids=["alexnet", "vgg16", "resnet18", "resnet50", "densenet121", "mobilenetv2",
                              "shufflenetv2", "googlenet"])
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
            "resnet50": (lambda: resnet(Bottle, (3, 4, 6, 3)), (3, 64, 64)),
            "resnet34": (lambda: resnet(Basic, (3, 4, 6, 3)), (3, 64, 64)),
            "resnet101": (lambda: resnet(Bottle, (3, 4, 23, 3)), (3, 64, 64)),
            "resnet152": (lambda: resnet(Bottle, (3, 8, 36, 3)), (3, 64, 64))}


@requires_torch
@pytest.mark.parametrize("name", ["lenet5", "alexnet", "vgg16", "resnet18", "resnet50", "vgg11", "vgg13", "vgg19",
                                  "resnet34", "resnet101", "resnet152", "densenet121", "mobilenetv2",
                                  "efficientnetb0", "shufflenetv2x10", "googlenet"])
def test_against_torch_modules(name):
    """numel totals, buffers, output shape, and conv+linear FLOPs counted by torch's FlopCounterMode."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    models = {**_torch_models(), **_torch_models_more()}
    build, shape = models[name]
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
    from derive.blocks import Concat, SqueezeExcitation

    class R(tuple):
        @property
        def macs(self):
            return self[1]

    out = []

    def walk(layers, shape):
        for _, layer in layers:
            if isinstance(layer, Network):
                shape = walk(layer.layers, shape)
            elif isinstance(layer, Concat):
                for branch in layer.branches:
                    walk(branch.layers, shape)
                shape = layer.output_shape(shape)
            elif isinstance(layer, SqueezeExcitation):
                out.append(R(("Conv2d", layer.fc1.macs((layer.fc1.in_channels, 1, 1)))))
                out.append(R(("Conv2d", layer.fc2.macs((layer.fc2.in_channels, 1, 1)))))
                shape = layer.output_shape(shape)
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


def _torch_models_more():
    """torch.nn modules written from torchvision's source (VGG A/B/E, DenseNet-121,
    MobileNetV2, EfficientNet-B0, ShuffleNetV2 ×1.0, GoogLeNet without aux heads)."""
    import torch
    import torch.nn as nn

    def vgg(cfg):
        layers, c = [], 3
        for v in cfg:
            layers += [nn.MaxPool2d(2, 2)] if v == "M" else [nn.Conv2d(c, v, 3, padding=1), nn.ReLU(True)]
            c = c if v == "M" else v
        return nn.Sequential(nn.Sequential(*layers), nn.AdaptiveAvgPool2d(7), nn.Flatten(),
                             nn.Linear(25088, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(True),
                             nn.Dropout(), nn.Linear(4096, 1000))

    class Dense(nn.Module):
        def __init__(self, c, growth=32, bn_size=4):
            super().__init__()
            self.body = nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, bn_size * growth, 1, bias=False),
                                      nn.BatchNorm2d(bn_size * growth), nn.ReLU(),
                                      nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False))

        def forward(self, x):
            return torch.cat([x, self.body(x)], 1)

    def densenet121():
        mods, c = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)], 64
        for i, n in enumerate((6, 12, 24, 16)):
            for _ in range(n):
                mods.append(Dense(c))
                c += 32
            if i != 3:
                mods += [nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, c // 2, 1, bias=False), nn.AvgPool2d(2, 2)]
                c //= 2
        mods += [nn.BatchNorm2d(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 1000)]
        return nn.Sequential(*mods)

    def cba(i, o, k=3, s=1, g=1, act=nn.ReLU6):
        mods = [nn.Conv2d(i, o, k, s, (k - 1) // 2, groups=g, bias=False), nn.BatchNorm2d(o)]
        return mods + ([act()] if act else [])

    class SE(nn.Module):
        def __init__(self, c, s):
            super().__init__()
            self.fc1, self.fc2, self.act = nn.Conv2d(c, s, 1), nn.Conv2d(s, c, 1), nn.SiLU()

        def forward(self, x):
            w = x.mean((2, 3), keepdim=True)
            return x * torch.sigmoid(self.fc2(self.act(self.fc1(w))))

    class InvRes(nn.Module):
        def __init__(self, i, o, s, t, k=3, act=nn.ReLU6, se=None):
            super().__init__()
            h = i * t
            mods = (cba(i, h, 1, act=act) if t != 1 else []) + cba(h, h, k, s, h, act=act)
            mods += ([SE(h, se)] if se else []) + cba(h, o, 1, act=None)
            self.body, self.res = nn.Sequential(*mods), s == 1 and i == o

        def forward(self, x):
            return x + self.body(x) if self.res else self.body(x)

    def mobilenet_v2():
        mods, c = cba(3, 32, s=2), 32
        for t, o, n, s in ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                           (6, 320, 1, 1)):
            for j in range(n):
                mods.append(InvRes(c, o, s if j == 0 else 1, t))
                c = o
        mods += cba(320, 1280, 1) + [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(1280, 1000)]
        return nn.Sequential(*mods)

    def efficientnet_b0():
        mods = cba(3, 32, s=2, act=nn.SiLU)
        for t, k, s, i, o, n in ((1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
                                 (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)):
            for j in range(n):
                c = i if j == 0 else o
                mods.append(InvRes(c, o, s if j == 0 else 1, t, k, nn.SiLU, max(1, c // 4)))
        mods += cba(320, 1280, 1, act=nn.SiLU)
        mods += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(1280, 1000)]
        return nn.Sequential(*mods)

    class Shuffle(nn.Module):
        def __init__(self, i, o, s):
            super().__init__()
            b = o // 2
            self.s = s
            self.branch1 = nn.Sequential(nn.Conv2d(i, i, 3, s, 1, groups=i, bias=False), nn.BatchNorm2d(i),
                                         nn.Conv2d(i, b, 1, bias=False), nn.BatchNorm2d(b), nn.ReLU()) if s > 1 else None
            j = i if s > 1 else b
            self.branch2 = nn.Sequential(nn.Conv2d(j, b, 1, bias=False), nn.BatchNorm2d(b), nn.ReLU(),
                                         nn.Conv2d(b, b, 3, s, 1, groups=b, bias=False), nn.BatchNorm2d(b),
                                         nn.Conv2d(b, b, 1, bias=False), nn.BatchNorm2d(b), nn.ReLU())

        def forward(self, x):
            if self.s == 1:
                x1, x2 = x.chunk(2, 1)
                out = torch.cat((x1, self.branch2(x2)), 1)
            else:
                out = torch.cat((self.branch1(x), self.branch2(x)), 1)
            n, c, h, w = out.shape
            return out.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)

    def shufflenet():
        mods, c = [nn.Conv2d(3, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24), nn.ReLU(), nn.MaxPool2d(3, 2, 1)], 24
        for n, o in ((4, 116), (8, 232), (4, 464)):
            mods += [Shuffle(c, o, 2)] + [Shuffle(o, o, 1) for _ in range(n - 1)]
            c = o
        mods += [nn.Conv2d(464, 1024, 1, bias=False), nn.BatchNorm2d(1024), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                 nn.Flatten(), nn.Linear(1024, 1000)]
        return nn.Sequential(*mods)

    def basic(i, o, k, s=1, p=0):
        return nn.Sequential(nn.Conv2d(i, o, k, s, p, bias=False), nn.BatchNorm2d(o, eps=0.001), nn.ReLU())

    class Inception(nn.Module):
        def __init__(self, i, c1, r3, c3, r5, c5, pp):
            super().__init__()
            self.b = nn.ModuleList([basic(i, c1, 1), nn.Sequential(basic(i, r3, 1), basic(r3, c3, 3, p=1)),
                                    nn.Sequential(basic(i, r5, 1), basic(r5, c5, 3, p=1)),
                                    nn.Sequential(nn.MaxPool2d(3, 1, 1, ceil_mode=True), basic(i, pp, 1))])

        def forward(self, x):
            return torch.cat([b(x) for b in self.b], 1)

    def googlenet():
        mods = [basic(3, 64, 7, 2, 3), nn.MaxPool2d(3, 2, ceil_mode=True), basic(64, 64, 1), basic(64, 192, 3, p=1),
                nn.MaxPool2d(3, 2, ceil_mode=True)]
        for name, cfg in INCEPTIONS.items():
            mods.append(Inception(*cfg))
            if name == "3b":
                mods.append(nn.MaxPool2d(3, 2, ceil_mode=True))
            if name == "4e":
                mods.append(nn.MaxPool2d(2, 2, ceil_mode=True))
        mods += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(1024, 1000)]
        return nn.Sequential(*mods)

    return {"vgg11": (lambda: vgg(VGG_CFGS[11]), (3, 32, 32)),
            "vgg13": (lambda: vgg(VGG_CFGS[13]), (3, 32, 32)),
            "vgg19": (lambda: vgg(VGG_CFGS[19]), (3, 32, 32)),
            "densenet121": (densenet121, (3, 64, 64)), "mobilenetv2": (mobilenet_v2, (3, 64, 64)),
            "efficientnetb0": (efficientnet_b0, (3, 64, 64)), "shufflenetv2x10": (shufflenet, (3, 64, 64)),
            "googlenet": (googlenet, (3, 64, 64))}
