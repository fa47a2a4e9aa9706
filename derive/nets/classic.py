r"""Plain stacks: LeNet-5, AlexNet and the VGG family, exactly as torchvision defines them.

Parameter totals (torchvision's ``sum(p.numel() for p in model.parameters())``):
LeNet-5 (modern variant) 61,706; AlexNet 61,100,840; VGG-11 132,863,336;
VGG-13 133,047,848; VGG-16 138,357,544; VGG-19 143,667,240.

Examples
--------
>>> vgg16().params
138357544
>>> lenet5().output_shape()
(10,)
"""

from __future__ import annotations

from ..layers import AdaptiveAvgPool2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU
from ..sizes.network import Network

__all__ = ["lenet5", "alexnet", "vgg11", "vgg13", "vgg16", "vgg19"]


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


#: VGG configurations A, B, D, E (VGG-11/13/16/19): channels of the 3×3 convs, "M" for a 2×2 max pool
VGG_CFGS = {
    11: (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    13: (64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    16: (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"),
    19: (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"),
}
VGG16_CFG = VGG_CFGS[16]


def _vgg(depth: int, num_classes: int, input_shape, dropout: float) -> Network:
    items, channels, n = [], 3, 0
    for v in VGG_CFGS[depth]:
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
                    ("flatten", Flatten()), ("classifier", classifier)], name=f"VGG-{depth}",
                   input_shape=input_shape)


def vgg11(num_classes: int = 1000, input_shape=(3, 224, 224), dropout: float = 0.5) -> Network:
    """torchvision's VGG-11 (configuration A, no batch norm): 132,863,336 parameters.

    >>> vgg11().params
    132863336
    """
    return _vgg(11, num_classes, input_shape, dropout)


def vgg13(num_classes: int = 1000, input_shape=(3, 224, 224), dropout: float = 0.5) -> Network:
    """torchvision's VGG-13 (configuration B, no batch norm): 133,047,848 parameters.

    >>> vgg13().params
    133047848
    """
    return _vgg(13, num_classes, input_shape, dropout)


def vgg16(num_classes: int = 1000, input_shape=(3, 224, 224), dropout: float = 0.5) -> Network:
    """torchvision's VGG-16 (configuration D, no batch norm): 138,357,544 parameters.

    >>> vgg16().macs()
    15470289408
    """
    return _vgg(16, num_classes, input_shape, dropout)


def vgg19(num_classes: int = 1000, input_shape=(3, 224, 224), dropout: float = 0.5) -> Network:
    """torchvision's VGG-19 (configuration E, no batch norm): 143,667,240 parameters.

    >>> vgg19().params
    143667240
    """
    return _vgg(19, num_classes, input_shape, dropout)
