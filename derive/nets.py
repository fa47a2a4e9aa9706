r"""Named networks, built from :mod:`derive.layers` exactly as torchvision defines them.

Parameter totals (torchvision's ``sum(p.numel() for p in model.parameters())``):
AlexNet 61,100,840; VGG-16 138,357,544; ResNet-18 11,689,512; ResNet-50
25,557,032; LeNet-5 (modern variant) 61,706. With a symbolic input
``(3, H, W)`` every layer's output size is a formula in ``H`` and ``W``.

Examples
--------
>>> vgg16().params
138357544
>>> lenet5().output_shape()
(10,)
>>> net = resnet18(input_shape=(3, "H", "W"))
>>> net.shapes()[0]
(64, floor(H/2 - 1/2) + 1, floor(W/2 - 1/2) + 1)
"""

from __future__ import annotations

from .layers import (AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU)
from .sizes.network import BasicBlock, Bottleneck, Network

__all__ = ["lenet5", "alexnet", "vgg16", "resnet18", "resnet50", "NETWORKS", "get_network"]


def lenet5(num_classes: int = 10, input_shape=(1, 28, 28)) -> Network:
    """The common modern LeNet-5: 28×28 input, ``padding=2`` on the first conv, ReLU, max pooling.

    conv 1→6 k5 p2 (156) · pool 2 · conv 6→16 k5 (2,416) · pool 2 · fc 400→120 (48,120) ·
    fc 120→84 (10,164) · fc 84→10 (850): 61,706 parameters.

    >>> lenet5().params
    61706
    >>> [row.output_shape for row in lenet5().table()][:3]
    [(6, 28, 28), (6, 28, 28), (6, 14, 14)]
    """
    return Network([
        ("conv1", Conv2d(1, 6, 5, padding=2)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
        ("conv2", Conv2d(6, 16, 5)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
        ("flatten", Flatten()),
        ("fc1", Linear(16 * 5 * 5, 120)), ("relu3", ReLU()),
        ("fc2", Linear(120, 84)), ("relu4", ReLU()),
        ("fc3", Linear(84, num_classes)),
    ], name="LeNet-5", input_shape=input_shape)


def alexnet(num_classes: int = 1000, input_shape=(3, 224, 224), dropout: float = 0.5) -> Network:
    """torchvision's AlexNet (the one-GPU variant of "One weird trick"): 61,100,840 parameters.

    >>> alexnet().params
    61100840
    """
    features = Network([
        ("0", Conv2d(3, 64, 11, stride=4, padding=2)), ("1", ReLU()), ("2", MaxPool2d(3, 2)),
        ("3", Conv2d(64, 192, 5, padding=2)), ("4", ReLU()), ("5", MaxPool2d(3, 2)),
        ("6", Conv2d(192, 384, 3, padding=1)), ("7", ReLU()),
        ("8", Conv2d(384, 256, 3, padding=1)), ("9", ReLU()),
        ("10", Conv2d(256, 256, 3, padding=1)), ("11", ReLU()), ("12", MaxPool2d(3, 2)),
    ], name="features")
    classifier = Network([
        ("0", Dropout(dropout)), ("1", Linear(256 * 6 * 6, 4096)), ("2", ReLU()),
        ("3", Dropout(dropout)), ("4", Linear(4096, 4096)), ("5", ReLU()),
        ("6", Linear(4096, num_classes)),
    ], name="classifier")
    return Network([("features", features), ("avgpool", AdaptiveAvgPool2d((6, 6))), ("flatten", Flatten()),
                    ("classifier", classifier)], name="AlexNet", input_shape=input_shape)


#: VGG configuration "D" (VGG-16): channels of the 3×3 convs, "M" for a 2×2 max pool
VGG16_CFG = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M")


def vgg16(num_classes: int = 1000, input_shape=(3, 224, 224), dropout: float = 0.5) -> Network:
    """torchvision's VGG-16 (configuration D, no batch norm): 138,357,544 parameters.

    >>> vgg16().macs()
    15470289408
    """
    items, channels, n = [], 3, 0
    for v in VGG16_CFG:
        if v == "M":
            items.append((str(n), MaxPool2d(2, 2)))
            n += 1
        else:
            items += [(str(n), Conv2d(channels, v, 3, padding=1)), (str(n + 1), ReLU())]
            channels, n = v, n + 2
    classifier = Network([
        ("0", Linear(512 * 7 * 7, 4096)), ("1", ReLU()), ("2", Dropout(dropout)),
        ("3", Linear(4096, 4096)), ("4", ReLU()), ("5", Dropout(dropout)),
        ("6", Linear(4096, num_classes)),
    ], name="classifier")
    return Network([("features", Network(items, name="features")), ("avgpool", AdaptiveAvgPool2d((7, 7))),
                    ("flatten", Flatten()), ("classifier", classifier)], name="VGG-16", input_shape=input_shape)


def _resnet(block, layers, name, num_classes, input_shape) -> Network:
    inplanes = 64
    stages = []
    for i, (planes, blocks) in enumerate(zip((64, 128, 256, 512), layers)):
        stride = 1 if i == 0 else 2
        stage = [("0", block(inplanes, planes, stride))]
        inplanes = planes * block.expansion
        stage += [(str(b), block(inplanes, planes)) for b in range(1, blocks)]
        stages.append((f"layer{i + 1}", Network(stage, name=f"layer{i + 1}")))
    return Network([
        ("conv1", Conv2d(3, 64, 7, stride=2, padding=3, bias=False)), ("bn1", BatchNorm2d(64)), ("relu", ReLU()),
        ("maxpool", MaxPool2d(3, stride=2, padding=1)),
        *stages,
        ("avgpool", AdaptiveAvgPool2d((1, 1))), ("flatten", Flatten()),
        ("fc", Linear(512 * block.expansion, num_classes)),
    ], name=name, input_shape=input_shape)


def resnet18(num_classes: int = 1000, input_shape=(3, 224, 224)) -> Network:
    """torchvision's ResNet-18 (BasicBlock ×[2, 2, 2, 2]): 11,689,512 parameters.

    >>> resnet18().params, resnet18().macs()
    (11689512, 1816582144)
    """
    return _resnet(BasicBlock, (2, 2, 2, 2), "ResNet-18", num_classes, input_shape)


def resnet50(num_classes: int = 1000, input_shape=(3, 224, 224)) -> Network:
    """torchvision's ResNet-50 (Bottleneck ×[3, 4, 6, 3], stride on the 3×3): 25,557,032 parameters.

    >>> resnet50().params
    25557032
    """
    return _resnet(Bottleneck, (3, 4, 6, 3), "ResNet-50", num_classes, input_shape)


#: name -> factory (names accepted by ``convproof params NAME``)
NETWORKS = {"lenet5": lenet5, "alexnet": alexnet, "vgg16": vgg16, "resnet18": resnet18, "resnet50": resnet50}


def get_network(name: str, **kwargs) -> Network:
    """The named network (case and ``-``/``_`` ignored).

    >>> get_network("ResNet-18").params
    11689512
    >>> get_network("googlenet")
    Traceback (most recent call last):
    ...
    ValueError: unknown network 'googlenet'; known: alexnet, lenet5, resnet18, resnet50, vgg16
    """
    key = name.lower().replace("-", "").replace("_", "")
    if key not in NETWORKS:
        raise ValueError(f"unknown network {name!r}; known: {', '.join(sorted(NETWORKS))}")
    return NETWORKS[key](**kwargs)
