r"""Networks: sequential stacks and residual blocks, with a per-layer table of shapes, counts and RFs.

A :class:`Network` holds named layers of :mod:`derive.layers` (or nested
networks, or residual blocks). It sums parameters, buffers and MACs, passes
shapes through (symbolically when the input size is a symbol) and runs the
receptive-field recursion along the way (:func:`derive.receptive_field`).
:class:`Residual` adds a shortcut to a main path; :class:`BasicBlock` and
:class:`Bottleneck` build ResNet's blocks exactly as torchvision does
(``bias=False`` convs, batch norm, a ``1×1`` strided downsample when the shape
changes; the stride sits on the ``3×3`` conv of the bottleneck, "ResNet v1.5").

Examples
--------
>>> from derive.layers import Conv2d, ReLU, MaxPool2d
>>> net = Network([Conv2d(3, 16, 3, padding=1), ReLU(), MaxPool2d(2), Conv2d(16, 32, 3)])
>>> net.params, net.output_shape((3, 32, 32))
(5088, (32, 14, 14))
>>> [row.rf for row in net.table((3, 32, 32))]
[(3, 3), (3, 3), (4, 4), (8, 8)]
>>> BasicBlock(64, 128, stride=2).params
230144
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import sympy as sp

from .. import layers as _layers
from .output_size import tidy
from .receptive_field import Branches, NoReceptiveField, Trunk, receptive_field
from .symbols import as_size_expr, plain

__all__ = ["Network", "Residual", "BasicBlock", "Bottleneck", "Row"]


@dataclass
class Row:
    """One row of :meth:`Network.table`."""

    name: str
    layer: Any
    output_shape: tuple
    params: sp.Expr
    macs: sp.Expr
    rf: tuple | None  # receptive-field size per spatial dim after this layer (None past Flatten/Linear)
    jump: tuple | None = None

    @property
    def kind(self) -> str:
        return type(self.layer).__name__


_norm = plain  # numbers as plain int (json, format), formulas as SymPy


def _named(layers) -> list[tuple[str, Any]]:
    if isinstance(layers, dict):
        return [(str(k), v) for k, v in layers.items()]
    out = []
    for n, item in enumerate(layers):
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            out.append(item)
        else:
            out.append((str(n), item))
    for name, layer in out:
        if not hasattr(layer, "output_shape"):
            raise TypeError(f"layer {name!r} is a {type(layer).__name__}, not a layer of derive.layers")
    return out


def _rf_step(trunk, layer):
    """Push ``layer`` onto the trunk; None once the spatial structure is gone (Flatten, Linear, adaptive pooling)."""
    if trunk is None:
        return None
    try:
        geo = layer.rf_geometry()
    except NoReceptiveField:
        return None
    if geo is not None:
        trunk.push(geo)
    return trunk


class Network:
    """A sequential stack of named layers.

    Parameters
    ----------
    layers : list of layers, of ``(name, layer)`` pairs, or a dict
        Layers of :mod:`derive.layers`, nested :class:`Network` objects or :class:`Residual` blocks.
    name : str, optional
    input_shape : tuple, optional
        Default input shape ``(C, H, W)`` for :meth:`table` and the totals.

    Examples
    --------
    >>> from derive.layers import Conv2d, Flatten, Linear
    >>> net = Network({"conv": Conv2d(1, 4, 3), "flat": Flatten(), "fc": Linear(4 * 26 * 26, 10)}, input_shape=(1, 28, 28))
    >>> net.params, net.macs()
    (27090, 51376)
    >>> net.output_shape((1, "H", "W"))
    (10,)
    >>> Network([3])
    Traceback (most recent call last):
    ...
    TypeError: layer '0' is a int, not a layer of derive.layers
    """

    def __init__(self, layers: Iterable | dict, *, name: str | None = None, input_shape=None):
        self.layers = _named(layers)
        self.name = name or "Network"
        self.input_shape = tuple(input_shape) if input_shape is not None else None

    def __iter__(self):
        return iter(layer for _, layer in self.layers)

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.layers[key][1]
        for name, layer in self.layers:
            if name == key:
                return layer
        raise KeyError(f"no layer named {key!r}; layers: {[n for n, _ in self.layers]}")

    def __repr__(self) -> str:
        """The name, input shape, parameter count and one line per layer (nested networks indented)."""
        from .network_view import text_tree

        return text_tree(self)

    def _repr_markdown_(self) -> str:
        """Jupyter: the layer table (type, output shape, params, MACs, RF) and the totals, in Markdown."""
        from .network_view import markdown_table

        return markdown_table(self)

    def _repr_html_(self) -> str:
        """Jupyter: the layer table as HTML."""
        from .network_view import html_table

        return html_table(self)

    # -- counts -----------------------------------------------------------------------
    @property
    def params(self) -> sp.Expr:
        """Learnable parameters of every layer, summed."""
        return _norm(sp.Add(sp.Integer(0), *(layer.params for layer in self)))

    @property
    def buffers(self) -> sp.Expr:
        """Buffer entries (batch-norm running statistics), summed."""
        return _norm(sp.Add(sp.Integer(0), *(layer.buffers for layer in self)))

    def _input(self, input_shape):
        shape = input_shape if input_shape is not None else self.input_shape
        if shape is None:
            raise ValueError(f"{self.name}: give an input shape (C, H, W) (no default input_shape)")
        return tuple(shape)

    def shapes(self, input_shape=None) -> list[tuple]:
        """Output shape after each top-level layer."""
        shape = self._input(input_shape)
        out = []
        for name, layer in self.layers:
            try:
                shape = layer.output_shape(shape)
            except ValueError as exc:
                raise ValueError(f"{self.name}, layer {name!r} ({type(layer).__name__}): {exc}") from None
            out.append(shape)
        return out

    def output_shape(self, input_shape=None) -> tuple:
        """Shape after the last layer."""
        shapes = self.shapes(input_shape)
        return shapes[-1] if shapes else self._input(input_shape)

    def macs(self, input_shape=None) -> sp.Expr:
        """Multiply-accumulates of a forward pass (see :mod:`derive.layers` for what counts)."""
        shape = self._input(input_shape)
        total = sp.Integer(0)
        for layer in self:
            total += layer.macs(shape)
            shape = layer.output_shape(shape)
        return _norm(total)

    def flops(self, input_shape=None) -> sp.Expr:
        """``2 · MACs``."""
        return _norm(2 * self.macs(input_shape))

    def bias_adds(self, input_shape=None) -> sp.Expr:
        """Bias additions (one per output element of each layer with a bias)."""
        shape = self._input(input_shape)
        total = sp.Integer(0)
        for layer in self:
            total += layer.bias_adds(shape)
            shape = layer.output_shape(shape)
        return _norm(total)

    # -- receptive field ----------------------------------------------------------------------
    def rf_layers(self) -> list:
        """The layers in order, for :func:`derive.receptive_field` (up to the first without a finite RF:
        Flatten, Linear, adaptive pooling)."""
        out = []
        for layer in self:
            if isinstance(layer, Network):
                out.extend(layer.rf_layers())
                continue
            try:
                layer.rf_geometry()
            except NoReceptiveField:
                break
            out.append(layer)
        return out

    def rf_geometry(self):
        """The whole stack as one equivalent layer per dimension (a one-path :class:`Branches`)."""
        chains = _rf_chains(self.rf_layers())
        return None if chains is None else [Branches([chain]) for chain in chains]

    def receptive_field(self):
        """Receptive field of the convolutional trunk (up to the first Flatten/Linear/adaptive pool).

        Transposed convolutions are included (fractional jump, see :mod:`derive.sizes.rf_exact`);
        the result is the one :func:`derive.receptive_field` gives for :meth:`rf_layers`.
        """
        return receptive_field(self.rf_layers())

    def _ndim(self) -> int:
        for layer in self:
            if isinstance(layer, Network):
                return layer._ndim()
            if getattr(layer, "ndim", 0):
                return layer.ndim
        return 2

    # -- table -----------------------------------------------------------------------------
    def table(self, input_shape=None) -> list[Row]:
        """One :class:`Row` per layer (nested networks expanded with dotted names; blocks one row each).

        ``rf`` is the receptive-field size per spatial dimension of the stack up
        to and including the row (None past a layer without a finite RF).
        """
        rows, _, _ = self._rows(self._input(input_shape), "", Trunk(self._ndim()))
        return rows

    def _rows(self, shape, prefix, state):
        rows = []
        for name, layer in self.layers:
            full = f"{prefix}{name}"
            if type(layer) is Network:
                sub, shape, state = layer._rows(shape, full + ".", state)
                rows.extend(sub)
                continue
            try:
                out = layer.output_shape(shape)
            except ValueError as exc:
                raise ValueError(f"{self.name}, layer {full!r} ({type(layer).__name__}): {exc}") from None
            macs = layer.macs(shape)
            state = _rf_step(state, layer)
            size, jump, _ = state.summary() if state is not None else (None, None, None)
            rows.append(Row(full, layer, out, layer.params, macs, size, jump))
            shape = out
        return rows, shape, state

    def totals(self, input_shape=None) -> dict:
        """``{"params", "buffers", "macs", "flops", "output_shape"}``."""
        return {"params": self.params, "buffers": self.buffers, "macs": self.macs(input_shape),
                "flops": self.flops(input_shape), "output_shape": self.output_shape(input_shape)}

    def _latex(self, printer) -> str:
        return r"\mathrm{%s}" % self.name.replace("_", r"\_")

    def _repr_latex_(self) -> str:
        return "$" + self._latex(None) + "$"


def _rf_chains(layers) -> list | None:
    """Per-dimension chains of index maps of ``layers`` (None when no layer moves positions)."""
    chains = None
    for layer in layers:
        geo = layer.rf_geometry()
        if geo is None:
            continue
        if chains is None:
            chains = [[] for _ in geo]
        if len(geo) == 1 and len(chains) > 1:
            geo = list(geo) * len(chains)
        for chain, g in zip(chains, geo):
            chain.append(g)
    return chains


class Residual:
    """``y = main(x) + shortcut(x)`` (shortcut: identity when None), then ReLU as ResNet does.

    The receptive field is the union of both branches' windows.

    >>> from derive.layers import Conv2d
    >>> block = Residual([Conv2d(8, 8, 3, padding=1), Conv2d(8, 8, 3, padding=1)])
    >>> block.output_shape((8, 16, 16)), block.params, block.rf_geometry()[0]
    ((8, 16, 16), 1168, (5, 1, 2, 1))
    >>> Residual([Conv2d(8, 16, 3, padding=1)]).output_shape((8, 16, 16))
    Traceback (most recent call last):
    ...
    ValueError: Residual: main path gives (16, 16, 16) but the shortcut gives (8, 16, 16); add a downsample
    """

    def __init__(self, main, shortcut=None):
        self.main = main if isinstance(main, Network) else Network(main, name="main")
        self.shortcut = None if shortcut is None else (
            shortcut if isinstance(shortcut, Network) else Network(shortcut, name="downsample"))

    @property
    def params(self):
        return _norm(self.main.params + (self.shortcut.params if self.shortcut else 0))

    @property
    def buffers(self):
        return _norm(self.main.buffers + (self.shortcut.buffers if self.shortcut else 0))

    def output_shape(self, input_shape):
        out = self.main.output_shape(input_shape)
        other = self.shortcut.output_shape(input_shape) if self.shortcut else tuple(
            as_size_expr(v, "size", "input size") for v in input_shape)
        if len(out) == len(other) and all(sp.sympify(a).is_number and sp.sympify(b).is_number for a, b in zip(out, other)) and out != other:
            raise ValueError(f"{type(self).__name__}: main path gives {out} but the shortcut gives {other}; add a downsample")
        return out

    def macs(self, input_shape):
        """MACs of both branches (the residual addition is an add, not a MAC)."""
        self.output_shape(input_shape)
        return _norm(self.main.macs(input_shape) + (self.shortcut.macs(input_shape) if self.shortcut else 0))

    def bias_adds(self, input_shape):
        return _norm(self.main.bias_adds(input_shape) + (self.shortcut.bias_adds(input_shape) if self.shortcut else 0))

    def rf_geometry(self):
        """Per dimension a :class:`Branches`: the union of the main path's and the shortcut's windows."""
        main = _rf_chains(self.main.rf_layers())
        short = _rf_chains(self.shortcut.rf_layers()) if self.shortcut else None
        if main is None and short is None:
            return None
        ndim = len(main if main is not None else short)
        main = main or [[] for _ in range(ndim)]
        short = short or [[] for _ in range(ndim)]
        return [Branches([m, sh]) for m, sh in zip(main, short)]

    def flops(self, input_shape):
        """``2 · MACs``."""
        return _norm(2 * self.macs(input_shape))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' if k else repr(v) for k, v in self._args())})"

    def _latex(self, printer) -> str:
        return r"\mathrm{%s}\left(%s\right)" % (type(self).__name__, ", ".join(str(v) for _, v in self._args()))

    def _repr_latex_(self) -> str:
        return "$" + self._latex(None) + "$"

    def named_children(self):
        items = [(f"{n}", l) for n, l in self.main.layers]
        if self.shortcut:
            items += [(f"downsample.{n}", l) for n, l in self.shortcut.layers]
        return items

    def _args(self):
        return [("", len(self.main))]


class BasicBlock(Residual):
    """torchvision's ``BasicBlock``: conv3x3(stride)–BN–ReLU–conv3x3–BN (+ downsample), ReLU.

    ``downsample=None`` adds the ``1×1`` conv + BN shortcut exactly when
    torchvision does (``stride != 1`` or ``inplanes != planes``).

    >>> BasicBlock(64, 64).params
    73984
    """

    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        L = _layers
        self.inplanes, self.planes, self.stride = inplanes, planes, stride
        main = Network([("conv1", L.Conv2d(inplanes, planes, 3, stride, 1, bias=False)), ("bn1", L.BatchNorm2d(planes)),
                        ("relu", L.ReLU()), ("conv2", L.Conv2d(planes, planes, 3, 1, 1, bias=False)),
                        ("bn2", L.BatchNorm2d(planes))], name="BasicBlock")
        if downsample is None:
            downsample = stride != 1 or inplanes != planes * self.expansion
        short = Network([("0", L.Conv2d(inplanes, planes * self.expansion, 1, stride, bias=False)),
                         ("1", L.BatchNorm2d(planes * self.expansion))], name="downsample") if downsample else None
        super().__init__(main, short)

    def _args(self):
        return [("", self.inplanes), ("", self.planes), ("stride", self.stride)]


class Bottleneck(Residual):
    """torchvision's ``Bottleneck`` (v1.5): conv1x1–BN–ReLU–conv3x3(stride)–BN–ReLU–conv1x1(×4)–BN (+ downsample).

    >>> Bottleneck(64, 64).params, Bottleneck(256, 64).params
    (75008, 70400)
    """

    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64, dilation=1):
        L = _layers
        self.inplanes, self.planes, self.stride = inplanes, planes, stride
        width = int(planes * (base_width / 64.0)) * groups
        out = planes * self.expansion
        main = Network([("conv1", L.Conv2d(inplanes, width, 1, bias=False)), ("bn1", L.BatchNorm2d(width)),
                        ("relu", L.ReLU()),
                        ("conv2", L.Conv2d(width, width, 3, stride, dilation, dilation, groups, bias=False)),
                        ("bn2", L.BatchNorm2d(width)), ("relu2", L.ReLU()),
                        ("conv3", L.Conv2d(width, out, 1, bias=False)), ("bn3", L.BatchNorm2d(out))],
                       name="Bottleneck")
        if downsample is None:
            downsample = stride != 1 or inplanes != out
        short = Network([("0", L.Conv2d(inplanes, out, 1, stride, bias=False)), ("1", L.BatchNorm2d(out))],
                        name="downsample") if downsample else None
        super().__init__(main, short)

    def _args(self):
        return [("", self.inplanes), ("", self.planes), ("stride", self.stride)]
