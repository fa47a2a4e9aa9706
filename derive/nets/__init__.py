r"""Named networks, built from :mod:`derive.layers` and :mod:`derive.blocks` exactly as torchvision defines them.

Parameter totals are torchvision's ``sum(p.numel() for p in model.parameters())``;
with a symbolic input ``(3, H, W)`` every layer's output size is a formula in
``H`` and ``W``. :data:`NETWORKS` maps a name to its factory and
:func:`get_network` finds one by any common spelling ("ResNet-50",
"resnet_50", "MobileNet V2", "ShuffleNetV2 x1.0").

Examples
--------
>>> get_network("EfficientNet-B0").params
5288548
>>> get_network("VGG 19").params
143667240
"""

from __future__ import annotations

import re

from ..sizes.network import Network
from .classic import VGG16_CFG, alexnet, lenet5, vgg11, vgg13, vgg16, vgg19
from .densenet import densenet121
from .googlenet import googlenet
from .mobile import efficientnet_b0, mobilenet_v2
from .resnet import resnet18, resnet34, resnet50, resnet101, resnet152
from .shufflenet import shufflenet_v2_x1_0

__all__ = ["lenet5", "alexnet", "vgg11", "vgg13", "vgg16", "vgg19", "resnet18", "resnet34", "resnet50",
           "resnet101", "resnet152", "densenet121", "mobilenet_v2", "efficientnet_b0", "shufflenet_v2_x1_0",
           "googlenet", "NETWORKS", "ALIASES", "get_network", "network_key", "VGG16_CFG"]

#: name -> factory (names accepted by ``convproof params NAME``)
NETWORKS = {"lenet5": lenet5, "alexnet": alexnet, "vgg11": vgg11, "vgg13": vgg13, "vgg16": vgg16, "vgg19": vgg19,
            "resnet18": resnet18, "resnet34": resnet34, "resnet50": resnet50, "resnet101": resnet101,
            "resnet152": resnet152, "densenet121": densenet121, "mobilenetv2": mobilenet_v2,
            "efficientnetb0": efficientnet_b0, "shufflenetv2x10": shufflenet_v2_x1_0, "googlenet": googlenet}

#: other spellings (after :func:`network_key`) -> key of :data:`NETWORKS`
ALIASES = {"shufflenetv2": "shufflenetv2x10", "shufflenetv21x": "shufflenetv2x10", "shufflenetv21": "shufflenetv2x10",
           "shufflenetv21.0x": "shufflenetv2x10", "inceptionv1": "googlenet", "lenet": "lenet5",
           "mobilenetv2x10": "mobilenetv2"}


def network_key(name: str) -> str:
    """``name`` lower-cased without spaces, ``-``, ``_``, ``×`` and the dot of ``1.0``.

    >>> network_key("ShuffleNet-V2 ×1.0"), network_key("MobileNet_v2")
    ('shufflenetv2x10', 'mobilenetv2')
    """
    key = re.sub(r"[\s\-_]", "", name.lower()).replace("×", "x")
    key = key.replace("1.0", "10")
    return ALIASES.get(key, key)


def get_network(name: str, **kwargs) -> Network:
    """The named network (case, spaces, ``-``/``_`` ignored).

    >>> get_network("ResNet-18").params
    11689512
    >>> get_network("inception-v3")
    Traceback (most recent call last):
    ...
    ValueError: unknown network 'inception-v3'; known: alexnet, densenet121, efficientnetb0, googlenet, lenet5, mobilenetv2, resnet101, resnet152, resnet18, resnet34, resnet50, shufflenetv2x10, vgg11, vgg13, vgg16, vgg19
    """
    key = network_key(name)
    if key not in NETWORKS:
        raise ValueError(f"unknown network {name!r}; known: {', '.join(sorted(NETWORKS))}")
    return NETWORKS[key](**kwargs)
