r"""Inverted-residual networks (torchvision's): MobileNetV2 and EfficientNet-B0.

An inverted residual expands ``C → tC`` with a ``1×1`` conv, filters each
channel with a depthwise ``k×k`` conv (its stride), optionally gates the
channels (squeeze-excitation, EfficientNet), and projects ``tC → C'`` with a
``1×1`` conv; the input is added back when stride is 1 and ``C = C'``.
MobileNetV2 3,504,872 parameters; EfficientNet-B0 5,288,548.

>>> mobilenet_v2().params, efficientnet_b0().params
(3504872, 5288548)
"""

from __future__ import annotations

from ..blocks import Activation, SqueezeExcitation
from ..layers import AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Linear
from ..sizes.network import Network, Residual

__all__ = ["mobilenet_v2", "efficientnet_b0", "inverted_residual", "conv_bn_act"]


def conv_bn_act(in_channels, out_channels, kernel_size=3, stride=1, groups=1, activation="ReLU6") -> list:
    """torchvision's ``Conv2dNormActivation``: conv (no bias, padding ``(k−1)/2``), batch norm, activation.

    >>> Network(conv_bn_act(3, 32, stride=2)).output_shape((3, 224, 224))
    (32, 112, 112)
    """
    items = [("0", Conv2d(in_channels, out_channels, kernel_size, stride, (kernel_size - 1) // 2,
                          groups=groups, bias=False)), ("1", BatchNorm2d(out_channels))]
    if activation:
        items.append(("2", Activation(activation)))
    return items


def inverted_residual(in_channels, out_channels, stride, expand_ratio, kernel_size=3, activation="ReLU6",
                      squeeze_channels=None):
    """One inverted residual (MobileNetV2 block, or EfficientNet's MBConv when ``squeeze_channels`` is given).

    >>> inverted_residual(24, 24, 1, 6).params
    8832
    >>> type(inverted_residual(16, 24, 2, 6)).__name__
    'Network'
    """
    hidden = in_channels * expand_ratio
    items = []
    if expand_ratio != 1:
        items.append(("expand", Network(conv_bn_act(in_channels, hidden, 1, activation=activation), name="expand")))
    items.append(("depthwise", Network(conv_bn_act(hidden, hidden, kernel_size, stride, groups=hidden,
                                                   activation=activation), name="depthwise")))
    if squeeze_channels is not None:
        items.append(("se", SqueezeExcitation(hidden, squeeze_channels)))
    items.append(("project", Network(conv_bn_act(hidden, out_channels, 1, activation=None), name="project")))
    main = Network(items, name="block")
    return Residual(main) if stride == 1 and in_channels == out_channels else main


#: MobileNetV2: (expansion t, output channels c, repeats n, first stride s)
MOBILENET_V2_SETTINGS = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                         (6, 160, 3, 2), (6, 320, 1, 1))


def mobilenet_v2(num_classes: int = 1000, input_shape=(3, 224, 224), dropout: float = 0.2) -> Network:
    """torchvision's MobileNetV2 (width 1.0): 3,504,872 parameters."""
    items = [("0", Network(conv_bn_act(3, 32, stride=2), name="stem"))]
    channels = 32
    for t, c, n, s in MOBILENET_V2_SETTINGS:
        for i in range(n):
            items.append((str(len(items)), inverted_residual(channels, c, s if i == 0 else 1, t)))
            channels = c
    items.append((str(len(items)), Network(conv_bn_act(channels, 1280, 1), name="last")))
    return Network([("features", Network(items, name="features")), ("avgpool", AdaptiveAvgPool2d((1, 1))),
                    ("flatten", Flatten()), ("dropout", Dropout(dropout)), ("classifier", Linear(1280, num_classes))],
                   name="MobileNetV2", input_shape=input_shape)


#: EfficientNet-B0 MBConv stages: (expand ratio, kernel, first stride, in channels, out channels, layers)
EFFICIENTNET_B0_SETTINGS = ((1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
                            (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1))


def efficientnet_b0(num_classes: int = 1000, input_shape=(3, 224, 224), dropout: float = 0.2) -> Network:
    """torchvision's EfficientNet-B0 (SiLU, squeeze-excitation to a quarter of the block input): 5,288,548."""
    items = [("0", Network(conv_bn_act(3, 32, stride=2, activation="SiLU"), name="stem"))]
    for t, k, s, cin, cout, n in EFFICIENTNET_B0_SETTINGS:
        stage = []
        for i in range(n):
            c_in = cin if i == 0 else cout
            stage.append((str(i), inverted_residual(c_in, cout, s if i == 0 else 1, t, k, "SiLU",
                                                    squeeze_channels=max(1, c_in // 4))))
        items.append((str(len(items)), Network(stage, name=f"stage{len(items)}")))
    items.append((str(len(items)), Network(conv_bn_act(320, 1280, 1, activation="SiLU"), name="last")))
    return Network([("features", Network(items, name="features")), ("avgpool", AdaptiveAvgPool2d((1, 1))),
                    ("flatten", Flatten()), ("dropout", Dropout(dropout)), ("classifier", Linear(1280, num_classes))],
                   name="EfficientNet-B0", input_shape=input_shape)
