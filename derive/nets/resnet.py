r"""The ResNet family (torchvision's, "v1.5" bottleneck): ResNet-18/34/50/101/152.

Parameter totals: 11,689,512; 21,797,672; 25,557,032; 44,549,160; 60,192,808.

Examples
--------
>>> net = resnet18(input_shape=(3, "H", "W"))
>>> net.shapes()[0]
(64, floor(H/2 - 1/2) + 1, floor(W/2 - 1/2) + 1)
"""

from __future__ import annotations

from ..layers import AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU
from ..sizes.network import BasicBlock, Bottleneck, Network

__all__ = ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152"]


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



def resnet34(num_classes: int = 1000, input_shape=(3, 224, 224)) -> Network:
    """torchvision's ResNet-34 (BasicBlock ×[3, 4, 6, 3]): 21,797,672 parameters.

    >>> resnet34().params
    21797672
    """
    return _resnet(BasicBlock, (3, 4, 6, 3), "ResNet-34", num_classes, input_shape)


def resnet101(num_classes: int = 1000, input_shape=(3, 224, 224)) -> Network:
    """torchvision's ResNet-101 (Bottleneck ×[3, 4, 23, 3]): 44,549,160 parameters.

    >>> resnet101().params
    44549160
    """
    return _resnet(Bottleneck, (3, 4, 23, 3), "ResNet-101", num_classes, input_shape)


def resnet152(num_classes: int = 1000, input_shape=(3, 224, 224)) -> Network:
    """torchvision's ResNet-152 (Bottleneck ×[3, 8, 36, 3]): 60,192,808 parameters.

    >>> resnet152().params
    60192808
    """
    return _resnet(Bottleneck, (3, 8, 36, 3), "ResNet-152", num_classes, input_shape)
