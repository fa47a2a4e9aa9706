"""Valid convolution and pooling layer configurations (plain data, no Hypothesis needed).

:class:`Conv2dConfig` and :class:`Pool2dConfig` describe one layer with
PyTorch's conventions and know their input, weight and output shapes; the
strategies of :mod:`proofs.strategies` draw them, and the property checks of
:mod:`proofs.properties` and the command line build them directly.

>>> Conv2dConfig(1, 3, 8, 32, 32, kernel_size=3, stride=2, padding=1).output_shape
(1, 8, 16, 16)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Conv2dConfig", "Pool2dConfig", "PADDING_MODES", "POOL_KINDS"]

PADDING_MODES = ("zeros", "circular")
POOL_KINDS = ("max", "avg")


def _out(size: int, k: int, s: int, p: int, d: int) -> int:
    """``⌊(H + 2P − d(k − 1) − 1)/s⌋ + 1``."""
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


@dataclass(frozen=True)
class Conv2dConfig:
    """One valid 2-D convolution (PyTorch conventions, NCHW, square kernel and strides).

    >>> c = Conv2dConfig(batch=1, in_channels=2, out_channels=4, height=5, width=5,
    ...                  kernel_size=3, stride=2, padding=1)
    >>> c.input_shape, c.weight_shape, c.output_shape
    ((1, 2, 5, 5), (4, 2, 3, 3), (1, 4, 3, 3))
    """

    batch: int
    in_channels: int
    out_channels: int
    height: int
    width: int
    kernel_size: int
    stride: int = 1
    padding: int = 0
    dilation: int = 1
    groups: int = 1
    padding_mode: str = "zeros"

    @property
    def input_shape(self) -> tuple[int, int, int, int]:
        return (self.batch, self.in_channels, self.height, self.width)

    @property
    def weight_shape(self) -> tuple[int, int, int, int]:
        return (self.out_channels, self.in_channels // self.groups, self.kernel_size, self.kernel_size)

    @property
    def output_shape(self) -> tuple[int, int, int, int]:
        k, s, p, d = self.kernel_size, self.stride, self.padding, self.dilation
        return (self.batch, self.out_channels, _out(self.height, k, s, p, d), _out(self.width, k, s, p, d))

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``numeric.conv2d`` / ``torch.nn.functional.conv2d`` (no padding_mode)."""
        return dict(stride=self.stride, padding=self.padding, dilation=self.dilation, groups=self.groups)

    def layer(self):
        """The matching :class:`derive.layers.Conv2d` specification."""
        import derive

        return derive.layers.Conv2d(
            self.in_channels, self.out_channels, self.kernel_size, stride=self.stride,
            padding=self.padding, dilation=self.dilation, groups=self.groups,
        )


@dataclass(frozen=True)
class Pool2dConfig:
    """One valid 2-D pooling (``kind`` "max" or "avg"; square window and stride).

    >>> Pool2dConfig(kind="max", batch=1, channels=1, height=6, width=6, kernel_size=2, stride=2).output_shape
    (1, 1, 3, 3)
    """

    kind: str
    batch: int
    channels: int
    height: int
    width: int
    kernel_size: int
    stride: int = 1
    padding: int = 0

    @property
    def input_shape(self) -> tuple[int, int, int, int]:
        return (self.batch, self.channels, self.height, self.width)

    @property
    def output_shape(self) -> tuple[int, int, int, int]:
        k, s, p = self.kernel_size, self.stride, self.padding
        return (self.batch, self.channels, _out(self.height, k, s, p, 1), _out(self.width, k, s, p, 1))

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``numeric.max_pool2d`` / ``avg_pool2d``."""
        return dict(kernel_size=self.kernel_size, stride=self.stride, padding=self.padding)

    def layer(self):
        """The matching :class:`derive.layers.MaxPool2d` or ``AvgPool2d``."""
        import derive

        cls = derive.layers.MaxPool2d if self.kind == "max" else derive.layers.AvgPool2d
        return cls(self.kernel_size, stride=self.stride, padding=self.padding)
