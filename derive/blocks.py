r"""Blocks of the named networks beyond a plain stack: branches concatenated, channel slices, squeeze-excitation.

:class:`Concat` runs branches on the same input and concatenates their outputs
along the channels (GoogLeNet's inception modules, DenseNet's dense layers,
ShuffleNet's units); :class:`ChannelSlice` takes a range of channels (the
split of ShuffleNet V2); :class:`SqueezeExcitation` is the channel gate of
EfficientNet; :class:`Activation` and :class:`ChannelShuffle` keep shapes and
have no parameters. Each speaks the protocol of :mod:`derive.layers`
(``params``, ``buffers``, ``output_shape``, ``macs``, ``bias_adds``,
``rf_geometry``), so a :class:`derive.sizes.network.Network` holds them.

Examples
--------
>>> from derive.layers import Conv2d
>>> from derive.sizes.network import Network
>>> block = Concat([Network([]), Network([Conv2d(8, 4, 3, padding=1)])])
>>> block.output_shape((8, 16, 16)), block.params
((12, 16, 16), 292)
>>> SqueezeExcitation(96, 4).params
868
>>> ChannelSlice(0, 8).output_shape((16, 5, 5))
(8, 5, 5)
"""

from __future__ import annotations

import sympy as sp

from .layers import Conv2d, Layer, _Pointwise
from .sizes.network import Network, _rf_chains
from .sizes.rf_exact import Branches
from .sizes.symbols import as_size_expr

__all__ = ["Activation", "ChannelShuffle", "ChannelSlice", "Concat", "SqueezeExcitation"]


def _norm(value):
    return sp.Integer(value) if isinstance(value, sp.Basic) and value.is_Integer else value


class Activation(_Pointwise):
    """An elementwise nonlinearity by name (``SiLU``, ``ReLU6``, ``Sigmoid``, ``Hardswish``): no parameters, 0 MACs.

    >>> Activation("SiLU").output_shape((32, "H", "W")), Activation("SiLU")
    ((32, H, W), Activation('SiLU'))
    """

    def __init__(self, name: str = "ReLU"):
        self.name = str(name)

    def _args(self):
        return [("", self.name)]


class ChannelShuffle(_Pointwise):
    """ShuffleNet's channel shuffle (a permutation of channels): shape kept, no parameters.

    >>> ChannelShuffle(2).output_shape((116, 28, 28))
    (116, 28, 28)
    """

    def __init__(self, groups: int = 2):
        self.groups = as_size_expr(groups, "channels", "groups")

    def _args(self):
        return [("", self.groups)]


class ChannelSlice(Layer):
    """Channels ``start … stop − 1`` of the input (``x[:, start:stop]``), positions kept.

    >>> ChannelSlice(58, 116).output_shape((116, 28, 28))
    (58, 28, 28)
    >>> ChannelSlice(0, 8).output_shape((4, 5, 5))
    Traceback (most recent call last):
    ...
    ValueError: ChannelSlice: channels 0:8 of an input with 4 channels
    """

    pointwise = True

    def __init__(self, start, stop):
        self.start = as_size_expr(start, "padding", "start")  # the "padding" role: a nonnegative integer
        self.stop = as_size_expr(stop, "channels", "stop")
        if self.start.is_number and self.stop.is_number and self.stop <= self.start:
            raise ValueError(f"ChannelSlice: stop must exceed start, got {self.start}:{self.stop}")

    def output_shape(self, input_shape):
        batch, c, spatial = self._split(input_shape)
        if c.is_number and self.stop.is_number and self.stop > c:
            raise ValueError(f"ChannelSlice: channels {self.start}:{self.stop} of an input with {c} channels")
        return self._join(batch, _norm(self.stop - self.start), spatial)

    def _args(self):
        return [("", self.start), ("", self.stop)]


class SqueezeExcitation(Layer):
    """Squeeze-and-excitation: global average pool, ``1×1`` conv ``C→s`` (bias), activation, ``1×1`` conv
    ``s→C`` (bias), sigmoid, channel-wise scale of the input (torchvision's ``SqueezeExcitation``).

    Parameters ``2·C·s + s + C``; MACs ``C·H·W`` (pool) ``+ 2·C·s`` (the two FCs) ``+ C·H·W`` (the scale).

    >>> SqueezeExcitation(32, 8).params, SqueezeExcitation(32, 8).macs((32, 112, 112))
    (552, 803328)
    """

    def __init__(self, channels, squeeze_channels):
        self.fc1 = Conv2d(channels, squeeze_channels, 1)
        self.fc2 = Conv2d(squeeze_channels, channels, 1)

    @property
    def param_shapes(self):
        shapes = {f"fc1.{k}": v for k, v in self.fc1.param_shapes.items()}
        shapes.update({f"fc2.{k}": v for k, v in self.fc2.param_shapes.items()})
        return shapes

    def output_shape(self, input_shape):
        batch, c, spatial = self._split(input_shape)
        self.fc1.output_shape((c, 1, 1))
        return self._join(batch, c, spatial)

    def macs(self, input_shape):
        batch, c, spatial = self._split(self.output_shape(input_shape))
        n = batch if batch is not None else 1
        gate = self.fc1.macs((c, 1, 1)) + self.fc2.macs((self.fc1.out_channels, 1, 1))
        return _norm(n * (2 * c * sp.Mul(*spatial) + gate))

    def bias_adds(self, input_shape):
        batch, _, _ = self._split(input_shape)
        n = batch if batch is not None else 1
        return _norm(n * (self.fc1.out_channels + self.fc2.out_channels))

    def _args(self):
        return [("", self.fc1.in_channels), ("", self.fc1.out_channels)]


class Concat:
    """Branches applied to the same input, outputs concatenated along the channels.

    An empty :class:`Network` branch is the identity (DenseNet keeps its input).
    The receptive field is the union of the branches' windows.

    >>> from derive.layers import Conv2d, MaxPool2d
    >>> Concat([Network([Conv2d(4, 2, 1)]), Network([Conv2d(4, 2, 3)])]).output_shape((4, 8, 8))
    Traceback (most recent call last):
    ...
    ValueError: Concat: branch 1 gives positions (6, 6) but branch 0 gives (8, 8)
    >>> Concat([Network([Conv2d(4, 2, 1)]), Network([Conv2d(4, 2, 5, padding=2)])]).rf_geometry()[0]
    (5, 1, 2, 1)
    """

    def __init__(self, branches):
        self.branches = [b if isinstance(b, Network) else Network(b, name=f"branch{i}")
                         for i, b in enumerate(branches)]
        if not self.branches:
            raise ValueError("Concat: give at least one branch")

    @property
    def params(self):
        return _norm(sp.Add(sp.Integer(0), *(b.params for b in self.branches)))

    @property
    def buffers(self):
        return _norm(sp.Add(sp.Integer(0), *(b.buffers for b in self.branches)))

    def output_shape(self, input_shape):
        shape = tuple(as_size_expr(v, "size", f"input size {i}") for i, v in enumerate(input_shape))
        outs = [tuple(sp.sympify(v, strict=True) for v in b.output_shape(shape)) for b in self.branches]
        first = outs[0]
        for i, out in enumerate(outs[1:], 1):
            if len(out) != len(first) or any(a.is_number and b.is_number and a != b
                                             for a, b in zip(out[-2:], first[-2:])):
                raise ValueError(f"Concat: branch {i} gives positions {tuple(out[-2:])} but branch 0 gives "
                                 f"{tuple(first[-2:])}")
        batched = len(first) == 4
        channels = _norm(sp.Add(*(o[1 if batched else 0] for o in outs)))
        out = (first[0], channels, *first[2:]) if batched else (channels, *first[1:])
        return tuple(_norm(v) for v in out)

    def macs(self, input_shape):
        self.output_shape(input_shape)
        return _norm(sp.Add(sp.Integer(0), *(b.macs(input_shape) for b in self.branches)))

    def bias_adds(self, input_shape):
        return _norm(sp.Add(sp.Integer(0), *(b.bias_adds(input_shape) for b in self.branches)))

    def flops(self, input_shape):
        """``2 · MACs``."""
        return _norm(2 * self.macs(input_shape))

    def rf_geometry(self):
        """Per dimension a :class:`~derive.sizes.rf_exact.Branches`: the union of the branches' windows
        (a branch with no spatial layer, e.g. a 1×1 conv, is the identity path)."""
        chains = [_rf_chains(b.rf_layers()) for b in self.branches]
        known = [c for c in chains if c is not None]
        if not known:
            return None
        ndim = len(known[0])
        chains = [c if c is not None else [[] for _ in range(ndim)] for c in chains]
        return [Branches([c[dim] for c in chains]) for dim in range(ndim)]

    def named_children(self):
        return [(f"{i}.{n}", layer) for i, b in enumerate(self.branches) for n, layer in b.layers]

    def __repr__(self) -> str:
        return f"Concat({len(self.branches)} branches)"
