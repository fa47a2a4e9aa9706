r"""GoogLeNet (torchvision's, without the auxiliary heads): inception modules of four concatenated branches.

Each conv is conv (no bias)–BN–ReLU; the "5×5" branch uses a ``3×3`` conv as
torchvision's implementation does. 6,624,904 parameters.

>>> googlenet().params
6624904
>>> googlenet().output_shape()
(1000,)
"""

from __future__ import annotations

from ..blocks import Concat
from ..layers import AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU
from ..sizes.network import Network

__all__ = ["googlenet", "inception"]


def _basic(in_channels, out_channels, kernel_size, stride=1, padding=0, name="conv") -> Network:
    return Network([("conv", Conv2d(in_channels, out_channels, kernel_size, stride, padding, bias=False)),
                    ("bn", BatchNorm2d(out_channels, eps=0.001)), ("relu", ReLU())], name=name)


def inception(in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj) -> Concat:
    """One inception module: ``1×1`` · ``1×1→3×3`` · ``1×1→3×3`` · ``3×3 max pool→1×1``, concatenated.

    >>> inception(192, 64, 96, 128, 16, 32, 32).output_shape((192, 28, 28))
    (256, 28, 28)
    """
    return Concat([
        Network([("0", _basic(in_channels, ch1x1, 1))], name="branch1"),
        Network([("0", _basic(in_channels, ch3x3red, 1)), ("1", _basic(ch3x3red, ch3x3, 3, padding=1))],
                name="branch2"),
        Network([("0", _basic(in_channels, ch5x5red, 1)), ("1", _basic(ch5x5red, ch5x5, 3, padding=1))],
                name="branch3"),
        Network([("0", MaxPool2d(3, stride=1, padding=1, ceil_mode=True)), ("1", _basic(in_channels, pool_proj, 1))],
                name="branch4"),
    ])


#: torchvision's inception configurations: name -> (in, 1×1, 3×3 reduce, 3×3, 5×5 reduce, 5×5, pool proj)
INCEPTIONS = {
    "3a": (192, 64, 96, 128, 16, 32, 32), "3b": (256, 128, 128, 192, 32, 96, 64),
    "4a": (480, 192, 96, 208, 16, 48, 64), "4b": (512, 160, 112, 224, 24, 64, 64),
    "4c": (512, 128, 128, 256, 24, 64, 64), "4d": (512, 112, 144, 288, 32, 64, 64),
    "4e": (528, 256, 160, 320, 32, 128, 128), "5a": (832, 256, 160, 320, 32, 128, 128),
    "5b": (832, 384, 192, 384, 48, 128, 128),
}


def googlenet(num_classes: int = 1000, input_shape=(3, 224, 224), dropout: float = 0.2) -> Network:
    """torchvision's GoogLeNet with ``aux_logits=False``: 6,624,904 parameters."""
    items = [("conv1", _basic(3, 64, 7, stride=2, padding=3)), ("maxpool1", MaxPool2d(3, 2, ceil_mode=True)),
             ("conv2", _basic(64, 64, 1)), ("conv3", _basic(64, 192, 3, padding=1)),
             ("maxpool2", MaxPool2d(3, 2, ceil_mode=True))]
    for name, cfg in INCEPTIONS.items():
        items.append((f"inception{name}", inception(*cfg)))
        if name == "3b":
            items.append(("maxpool3", MaxPool2d(3, 2, ceil_mode=True)))
        elif name == "4e":
            items.append(("maxpool4", MaxPool2d(2, 2, ceil_mode=True)))
    items += [("avgpool", AdaptiveAvgPool2d((1, 1))), ("flatten", Flatten()), ("dropout", Dropout(dropout)),
              ("fc", Linear(1024, num_classes))]
    return Network(items, name="GoogLeNet", input_shape=input_shape)
