r"""DenseNet-121 (torchvision's): dense layers that concatenate their input with ``k = 32`` new maps.

A dense layer is BN–ReLU–conv1×1 (``C → 4k``)–BN–ReLU–conv3×3 (``4k → k``),
its output the input with the ``k`` new channels appended; a transition is
BN–ReLU–conv1×1 (``C → C/2``)–2×2 average pool. 7,978,856 parameters.

>>> densenet121().params
7978856
>>> densenet121().output_shape()
(1000,)
"""

from __future__ import annotations

from ..blocks import Concat
from ..layers import AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU
from ..sizes.network import Network

__all__ = ["densenet121", "dense_layer"]


def dense_layer(in_channels: int, growth_rate: int = 32, bn_size: int = 4) -> Concat:
    """One dense layer: the input concatenated with ``growth_rate`` new feature maps.

    >>> dense_layer(64).output_shape((64, 56, 56)), dense_layer(64).params
    ((96, 56, 56), 45440)
    """
    width = bn_size * growth_rate
    new = Network([("norm1", BatchNorm2d(in_channels)), ("relu1", ReLU()),
                   ("conv1", Conv2d(in_channels, width, 1, bias=False)),
                   ("norm2", BatchNorm2d(width)), ("relu2", ReLU()),
                   ("conv2", Conv2d(width, growth_rate, 3, padding=1, bias=False))], name="new_features")
    return Concat([Network([], name="input"), new])


def densenet121(num_classes: int = 1000, input_shape=(3, 224, 224), growth_rate: int = 32,
                block_config=(6, 12, 24, 16), num_init_features: int = 64, bn_size: int = 4) -> Network:
    """torchvision's DenseNet-121: 7,978,856 parameters."""
    items = [("conv0", Conv2d(3, num_init_features, 7, stride=2, padding=3, bias=False)),
             ("norm0", BatchNorm2d(num_init_features)), ("relu0", ReLU()),
             ("pool0", MaxPool2d(3, stride=2, padding=1))]
    channels = num_init_features
    for i, layers in enumerate(block_config):
        block = []
        for j in range(layers):
            block.append((f"denselayer{j + 1}", dense_layer(channels, growth_rate, bn_size)))
            channels += growth_rate
        items.append((f"denseblock{i + 1}", Network(block, name=f"denseblock{i + 1}")))
        if i != len(block_config) - 1:
            items.append((f"transition{i + 1}", Network([
                ("norm", BatchNorm2d(channels)), ("relu", ReLU()),
                ("conv", Conv2d(channels, channels // 2, 1, bias=False)), ("pool", AvgPool2d(2, 2))],
                name=f"transition{i + 1}")))
            channels //= 2
    items.append(("norm5", BatchNorm2d(channels)))
    return Network([("features", Network(items, name="features")), ("relu", ReLU()),
                    ("avgpool", AdaptiveAvgPool2d((1, 1))), ("flatten", Flatten()),
                    ("classifier", Linear(channels, num_classes))], name="DenseNet-121", input_shape=input_shape)
