r"""ShuffleNet V2 ×1.0 (torchvision's): units that split or duplicate the channels, run two branches,
concatenate and shuffle. 2,278,604 parameters.

>>> shufflenet_v2_x1_0().params
2278604
>>> [row.output_shape for row in shufflenet_v2_x1_0().table()][4]
(116, 28, 28)
"""

from __future__ import annotations

from ..blocks import ChannelShuffle, ChannelSlice, Concat
from ..layers import AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU
from ..sizes.network import Network

__all__ = ["shufflenet_v2_x1_0", "shuffle_unit"]


def _branch(in_channels: int, out_channels: int, stride: int) -> list:
    return [("0", Conv2d(in_channels, out_channels, 1, bias=False)), ("1", BatchNorm2d(out_channels)), ("2", ReLU()),
            ("3", Conv2d(out_channels, out_channels, 3, stride, 1, groups=out_channels, bias=False)),
            ("4", BatchNorm2d(out_channels)),
            ("5", Conv2d(out_channels, out_channels, 1, bias=False)), ("6", BatchNorm2d(out_channels)), ("7", ReLU())]


def shuffle_unit(in_channels: int, out_channels: int, stride: int) -> Network:
    """One ShuffleNet V2 unit (stride 1: half the channels pass through; stride 2: both branches downsample).

    >>> shuffle_unit(116, 116, 1).params, shuffle_unit(24, 116, 2).params
    (7598, 7398)
    """
    half = out_channels // 2
    if stride == 1:
        left = Network([("split", ChannelSlice(0, half))], name="pass")
        right = Network([("split", ChannelSlice(half, out_channels)), *_branch(half, half, 1)], name="branch2")
    else:
        left = Network([("0", Conv2d(in_channels, in_channels, 3, stride, 1, groups=in_channels, bias=False)),
                        ("1", BatchNorm2d(in_channels)), ("2", Conv2d(in_channels, half, 1, bias=False)),
                        ("3", BatchNorm2d(half)), ("4", ReLU())], name="branch1")
        right = Network(_branch(in_channels, half, stride), name="branch2")
    return Network([("concat", Concat([left, right])), ("shuffle", ChannelShuffle(2))], name="unit")


def shufflenet_v2_x1_0(num_classes: int = 1000, input_shape=(3, 224, 224)) -> Network:
    """torchvision's ``shufflenet_v2_x1_0``: stages of 4, 8, 4 units with 116, 232, 464 channels."""
    items = [("conv1", Network([("0", Conv2d(3, 24, 3, 2, 1, bias=False)), ("1", BatchNorm2d(24)), ("2", ReLU())],
                               name="conv1")),
             ("maxpool", MaxPool2d(3, stride=2, padding=1))]
    channels = 24
    for i, (repeats, out) in enumerate(zip((4, 8, 4), (116, 232, 464))):
        units = [(str(j), shuffle_unit(channels if j == 0 else out, out, 2 if j == 0 else 1)) for j in range(repeats)]
        items.append((f"stage{i + 2}", Network(units, name=f"stage{i + 2}")))
        channels = out
    items += [("conv5", Network([("0", Conv2d(464, 1024, 1, bias=False)), ("1", BatchNorm2d(1024)), ("2", ReLU())],
                                name="conv5")),
              ("avgpool", AdaptiveAvgPool2d((1, 1))), ("flatten", Flatten()), ("fc", Linear(1024, num_classes))]
    return Network(items, name="ShuffleNetV2-x1.0", input_shape=input_shape)
