r"""Layer specifications with ``torch.nn`` names and keywords: shapes, parameters, MACs — symbolic.

Each layer knows the shapes of its learnable tensors (``param_shapes``) and of
its non-learnable state (``buffer_shapes``, e.g. batch-norm running
statistics); ``.params`` and ``.buffers`` are the numbers of entries of those
tensors (the product of each shape, summed). ``.output_shape(input_shape)``
uses :func:`derive.output_size`, and ``.macs(input_shape)`` counts the
multiply terms of the layer's index sum. Any argument may be a SymPy symbol
(or a symbol *name*), and every result is then a formula.

Conventions
-----------
- ``input_shape`` is ``(C, H, W)`` per sample (``(C, L)`` in 1-D,
  ``(features,)`` for :class:`Linear`), or with a leading batch dimension
  ``(N, C, H, W)``, which multiplies the MACs by ``N``.
- **MACs** count multiply-accumulates: the number of product terms in the
  index sum defining each output, summed over outputs. ``FLOPs = 2·MACs``
  (``.flops``). The **bias add is not a MAC**: it is one addition per output
  element, reported separately by ``.bias_adds(input_shape)`` and not included
  in ``.flops`` (the convention of ptflops/fvcore-style counters). Batch norm
  counts one MAC per element (its inference form ``y = a·x + b``); average
  pooling one MAC per window term (``Σ x/n``); max pooling, ReLU, dropout and
  flatten count 0 (comparisons and copies are not MACs).

Examples
--------
>>> conv = Conv2d(64, 128, 3, padding=1)
>>> conv.params
73856
>>> conv.output_shape((64, 56, 56)), conv.macs((64, 56, 56))
((128, 56, 56), 231211008)
>>> from derive.sizes.symbols import C_in, C_out, k
>>> Conv2d(C_in, C_out, k).params
C_in*C_out*k**2 + C_out
>>> Conv2d(3, 8, 3).output_shape((3, "H", "W"))
(8, H - 2, W - 2)
>>> Conv2d(3, 8, 3).output_shape((1, 28, 28))
Traceback (most recent call last):
...
ValueError: Conv2d: input has 1 channels, expected in_channels = 3
>>> BatchNorm2d(64).params, BatchNorm2d(64).buffers
(128, 129)
"""

from __future__ import annotations

from typing import Any, Sequence

import sympy as sp
from sympy.printing.latex import LatexPrinter

from .sizes.output_size import output_size, tidy
from .sizes.rf_exact import NoReceptiveField, Transposed
from .sizes.symbols import as_size_expr, plain
from .sizes.tf_padding import tf_same_padding

__all__ = [
    "Layer",
    "Conv1d",
    "Conv2d",
    "ConvTranspose2d",
    "Linear",
    "BatchNorm2d",
    "MaxPool2d",
    "AvgPool2d",
    "AdaptiveAvgPool2d",
    "ReLU",
    "Flatten",
    "Dropout",
    "DepthwiseSeparableConv2d",
    "LAYER_TYPES",
]


def _tuple(value, n: int, role: str, what: str) -> tuple:
    """``value`` repeated to ``n`` entries (or checked to have ``n``), each a SymPy expression."""
    if isinstance(value, (tuple, list)):
        if len(value) != n:
            raise ValueError(f"{what} must have {n} entries, got {len(value)}: {tuple(value)!r}")
        return tuple(as_size_expr(v, role, what) for v in value)
    return (as_size_expr(value, role, what),) * n


def _product(shape) -> sp.Expr:
    """The number of entries of a tensor of this shape."""
    return sp.Mul(*shape) if shape else sp.Integer(1)


_norm = plain  # numbers as plain int (json, format), formulas as SymPy


def _check_channels(layer: str, got, expected) -> None:
    if got.is_number and expected.is_number and got != expected:
        raise ValueError(f"{layer}: input has {got} channels, expected in_channels = {expected}")


class Layer:
    """Base of every layer spec: parameter/buffer bookkeeping, FLOPs, LaTeX."""

    #: number of spatial dimensions (0: acts on feature vectors)
    ndim = 2
    #: True for layers that act elementwise (positions unchanged)
    pointwise = False

    # -- tensors ------------------------------------------------------------------
    @property
    def param_shapes(self) -> dict[str, tuple]:
        """Learnable tensors: name -> shape."""
        return {}

    @property
    def buffer_shapes(self) -> dict[str, tuple]:
        """Non-learnable state: name -> shape."""
        return {}

    @property
    def params(self) -> sp.Expr:
        """Number of learnable parameters: ``Σ_tensors Π shape``."""
        return _norm(sp.Add(*(_product(sh) for sh in self.param_shapes.values()), sp.Integer(0)))

    @property
    def buffers(self) -> sp.Expr:
        """Number of buffer entries (e.g. batch-norm running mean, variance, batch counter)."""
        return _norm(sp.Add(*(_product(sh) for sh in self.buffer_shapes.values()), sp.Integer(0)))

    # -- shapes and counts ----------------------------------------------------------
    def _split(self, input_shape) -> tuple[Any, sp.Expr, tuple]:
        shape = tuple(input_shape)
        if len(shape) not in (self.ndim + 1, self.ndim + 2):
            dims = {1: "L", 2: "H, W", 3: "D, H, W"}.get(self.ndim, "...")
            raise ValueError(f"{type(self).__name__}: input shape must be (C, {dims}) "
                             f"or with a batch dimension first; got {len(shape)} dimensions {shape!r}")
        names = ["N"] if len(shape) == self.ndim + 2 else []
        vals = [as_size_expr(v, "size", f"input size {i}") for i, v in enumerate(shape)]
        batch = vals[0] if names else None
        rest = vals[1:] if names else vals
        return batch, rest[0], tuple(rest[1:])

    def _join(self, batch, channels, spatial) -> tuple:
        out = (channels, *spatial)
        return tuple(_norm(v) for v in ((batch,) + out if batch is not None else out))

    def output_shape(self, input_shape) -> tuple:
        """Shape of the output for ``input_shape`` (pointwise layers: unchanged)."""
        batch, c, spatial = self._split(input_shape)
        return self._join(batch, c, spatial)

    def macs(self, input_shape) -> sp.Expr:
        """Multiply-accumulates for one forward pass (0 for this layer)."""
        self.output_shape(input_shape)
        return 0

    def flops(self, input_shape) -> sp.Expr:
        """``2 · MACs`` (bias adds not included; see :meth:`bias_adds`)."""
        return _norm(2 * self.macs(input_shape))

    def bias_adds(self, input_shape) -> sp.Expr:
        """Additions of the bias, one per output element when the layer has a bias."""
        return 0

    def rf_geometry(self):
        """Per spatial dimension ``(kernel, stride, left padding, dilation)``; None when positions are kept."""
        return None

    # -- printing -----------------------------------------------------------------
    def _args(self) -> list[tuple[str, Any]]:
        return []

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" if k else repr(v) for k, v in self._args())
        return f"{type(self).__name__}({inner})"

    def _latex(self, printer) -> str:
        inner = ", ".join((r"\text{%s}=" % k.replace("_", r"\_") if k else "") + _latex_value(printer, v)
                          for k, v in self._args())
        return r"\mathrm{%s}\left(%s\right)" % (type(self).__name__, inner)

    def _repr_latex_(self) -> str:
        return "$" + self._latex(LatexPrinter()) + "$"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self._args() == other._args()

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self)))


def _latex_value(printer, v) -> str:
    if isinstance(v, tuple):
        return r"\left(" + ", ".join(_latex_value(printer, x) for x in v) + r"\right)"
    if isinstance(v, str):
        return r"\text{%s}" % v.replace("_", r"\_")
    if isinstance(v, bool) or v is None:
        return r"\text{%s}" % v
    return printer._print(sp.sympify(v))


def _plain(v):
    if isinstance(v, tuple) and len(set(v)) == 1:
        v = v[0]
    if isinstance(v, tuple):
        return tuple(_plain(x) for x in v)
    if isinstance(v, sp.Integer):
        return int(v)
    return v


#: torch.nn's padding modes (the sizes, counts and receptive-field spans do not depend on the mode)
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


# -- convolutions ----------------------------------------------------------------------
class _ConvNd(Layer):
    transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", *, output_padding=0):
        name = type(self).__name__
        n = self.ndim
        self.in_channels = as_size_expr(in_channels, "channels", "in_channels")
        self.out_channels = as_size_expr(out_channels, "channels", "out_channels")
        self.kernel_size = _tuple(kernel_size, n, "kernel", "kernel_size")
        self.stride = _tuple(stride, n, "stride", "stride")
        self.dilation = _tuple(dilation, n, "dilation", "dilation")
        self.groups = as_size_expr(groups, "channels", "groups")
        self.bias = bool(bias)
        if padding_mode not in PADDING_MODES:
            raise ValueError(f"{name}: padding_mode must be one of {list(PADDING_MODES)} (as torch.nn), "
                             f"got {padding_mode!r}")
        if self.transposed and padding_mode != "zeros":
            raise ValueError(f"{name}: only padding_mode='zeros' is supported by transposed convolutions "
                             f"(as torch.nn), got {padding_mode!r}")
        self.padding_mode = padding_mode
        self.output_padding = _tuple(output_padding, n, "output_padding", "output_padding")
        if isinstance(padding, str):
            if padding.lower() not in ("same", "valid"):
                raise ValueError(f"{name}: padding string must be 'same' or 'valid' (as torch.nn), got {padding!r}")
            if self.transposed:
                raise ValueError(f"{name}: padding={padding!r} is not supported by transposed convolutions")
            self.padding = padding.lower()
        else:
            self.padding = _tuple(padding, n, "padding", "padding")
        for what, total in (("in_channels", self.in_channels), ("out_channels", self.out_channels)):
            if total.is_number and self.groups.is_number and total % self.groups != 0:
                raise ValueError(f"{name}: {what} must be divisible by groups: {total} % {self.groups} = "
                                 f"{total % self.groups} != 0")

    @property
    def param_shapes(self):
        g = self.groups
        if self.transposed:
            w = (self.in_channels, self.out_channels / g, *self.kernel_size)
        else:
            w = (self.out_channels, self.in_channels / g, *self.kernel_size)
        shapes = {"weight": w}
        if self.bias:
            shapes["bias"] = (self.out_channels,)
        return shapes

    def _pads(self, size, dim):
        if self.padding == "valid":
            return 0
        if self.padding == "same":
            return "SAME"
        return self.padding[dim]

    def output_shape(self, input_shape):
        """``(C_out, *sizes)``, each size from :func:`derive.output_size`."""
        batch, c, spatial = self._split(input_shape)
        _check_channels(type(self).__name__, c, self.in_channels)
        op = "conv_transpose" if self.transposed else "conv"
        out = []
        for dim, size in enumerate(spatial):
            try:
                out.append(output_size(op, size, self.kernel_size[dim], self.stride[dim], self._pads(size, dim),
                                       self.dilation[dim], output_padding=self.output_padding[dim]))
            except ValueError as exc:
                raise ValueError(f"{type(self).__name__} (spatial dim {dim}): {exc}") from None
        return self._join(batch, self.out_channels, out)

    def macs(self, input_shape):
        r"""Product terms of the index sum: per output ``C_in/g · Π k``, times the outputs.

        A transposed conv is counted from its scatter definition: each input
        element meets ``C_out/g · Π k`` weights.
        """
        batch, c, spatial = self._split(input_shape)
        out = self.output_shape(input_shape)
        n = batch if batch is not None else sp.Integer(1)
        taps = _product(self.kernel_size)
        if self.transposed:
            return _norm(n * c * _product(spatial) * self.out_channels / self.groups * taps)
        return _norm(n * _product(out[-self.ndim - 1:]) * self.in_channels / self.groups * taps)

    def bias_adds(self, input_shape):
        out = self.output_shape(input_shape)
        return _norm(_product(out)) if self.bias else 0

    def rf_geometry(self):
        if self.transposed:  # output o = i·s − p + t·d (see derive.sizes.rf_exact)
            return [Transposed(self.kernel_size[i], self.stride[i], self.padding[i], self.dilation[i])
                    for i in range(self.ndim)]
        geo = []
        for dim in range(self.ndim):
            if self.padding == "same":
                eff = self.dilation[dim] * (self.kernel_size[dim] - 1)
                left = eff // 2 if eff.is_number else sp.floor(eff / 2)
            elif self.padding == "valid":
                left = sp.Integer(0)
            else:
                left = self.padding[dim]
            geo.append((self.kernel_size[dim], self.stride[dim], left, self.dilation[dim]))
        return geo

    def _args(self):
        args = [("", _plain(self.in_channels)), ("", _plain(self.out_channels)),
                ("kernel_size", _plain(self.kernel_size)), ("stride", _plain(self.stride))]
        if self.padding != (0,) * self.ndim:
            args.append(("padding", _plain(self.padding) if not isinstance(self.padding, str) else self.padding))
        if self.transposed and self.output_padding != (0,) * self.ndim:
            args.append(("output_padding", _plain(self.output_padding)))
        if self.dilation != (1,) * self.ndim:
            args.append(("dilation", _plain(self.dilation)))
        if self.groups != 1:
            args.append(("groups", _plain(self.groups)))
        if not self.bias:
            args.append(("bias", False))
        if self.padding_mode != "zeros":
            args.append(("padding_mode", self.padding_mode))
        return args


class Conv1d(_ConvNd):
    """``torch.nn.Conv1d``: weight ``(C_out, C_in/groups, k)``, bias ``(C_out,)``.

    >>> Conv1d(16, 33, 3, stride=2).output_shape((16, 50))
    (33, 24)
    >>> Conv1d(16, 33, 3).params
    1617
    """

    ndim = 1


class Conv2d(_ConvNd):
    """``torch.nn.Conv2d``: weight ``(C_out, C_in/groups, k_h, k_w)``, bias ``(C_out,)``.

    ``padding`` is an int, a pair ``(p_h, p_w)``, ``'valid'`` or ``'same'``
    (TensorFlow's split for an odd total padding: the extra pixel at the end,
    as PyTorch does).

    >>> Conv2d(3, 64, 7, stride=2, padding=3, bias=False).output_shape((3, 224, 224))
    (64, 112, 112)
    >>> Conv2d(32, 32, 3, groups=32).params
    320
    >>> Conv2d(6, 16, 5, groups=4)
    Traceback (most recent call last):
    ...
    ValueError: Conv2d: in_channels must be divisible by groups: 6 % 4 = 2 != 0
    """

    ndim = 2


class ConvTranspose2d(_ConvNd):
    """``torch.nn.ConvTranspose2d``: weight ``(C_in, C_out/groups, k_h, k_w)``.

    >>> ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1).output_shape((16, 7, 7))
    (8, 14, 14)
    >>> ConvTranspose2d(16, 8, 3, stride=2, output_padding=2).output_shape((16, 7, 7))
    Traceback (most recent call last):
    ...
    ValueError: ConvTranspose2d (spatial dim 0): conv_transpose: output_padding must be smaller than max(stride, dilation): output_padding = 2 >= max(2, 1) = 2
    """

    ndim = 2
    transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros"):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, output_padding=output_padding)


class DepthwiseSeparableConv2d(Layer):
    """A depthwise ``k×k`` conv (``groups=in_channels``) followed by a pointwise ``1×1`` conv.

    >>> DepthwiseSeparableConv2d(32, 64, 3, padding=1).params
    2432
    >>> DepthwiseSeparableConv2d(32, 64, 3, padding=1, bias=False).macs((32, 112, 112))
    29302784
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, bias=True):
        self.depthwise = Conv2d(in_channels, in_channels, kernel_size, stride, padding, dilation,
                                groups=in_channels, bias=bias)
        self.pointwise = Conv2d(in_channels, out_channels, 1, bias=bias)

    @property
    def param_shapes(self):
        shapes = {f"depthwise.{k}": v for k, v in self.depthwise.param_shapes.items()}
        shapes.update({f"pointwise.{k}": v for k, v in self.pointwise.param_shapes.items()})
        return shapes

    def output_shape(self, input_shape):
        return self.pointwise.output_shape(self.depthwise.output_shape(input_shape))

    def macs(self, input_shape):
        return _norm(self.depthwise.macs(input_shape) + self.pointwise.macs(self.depthwise.output_shape(input_shape)))

    def bias_adds(self, input_shape):
        mid = self.depthwise.output_shape(input_shape)
        return _norm(self.depthwise.bias_adds(input_shape) + self.pointwise.bias_adds(mid))

    def rf_geometry(self):
        return self.depthwise.rf_geometry()

    def _args(self):
        dw = self.depthwise
        args = [("", _plain(dw.in_channels)), ("", _plain(self.pointwise.out_channels)),
                ("kernel_size", _plain(dw.kernel_size)), ("stride", _plain(dw.stride))]
        if dw.padding != (0, 0):
            args.append(("padding", _plain(dw.padding) if not isinstance(dw.padding, str) else dw.padding))
        if not dw.bias:
            args.append(("bias", False))
        return args


# -- dense and normalisation --------------------------------------------------------------
class Linear(Layer):
    """``torch.nn.Linear``: weight ``(out_features, in_features)``, bias ``(out_features,)``.

    >>> Linear(400, 120).params
    48120
    >>> Linear(400, 120).output_shape((64, 400)), Linear(400, 120).macs((64, 400))
    ((64, 120), 3072000)
    >>> Linear(400, 120).output_shape((100,))
    Traceback (most recent call last):
    ...
    ValueError: Linear: input has 100 features, expected in_features = 400
    """

    ndim = 0

    def __init__(self, in_features, out_features, bias=True):
        self.in_features = as_size_expr(in_features, "channels", "in_features")
        self.out_features = as_size_expr(out_features, "channels", "out_features")
        self.bias = bool(bias)

    @property
    def param_shapes(self):
        shapes = {"weight": (self.out_features, self.in_features)}
        if self.bias:
            shapes["bias"] = (self.out_features,)
        return shapes

    def _split_features(self, input_shape):
        shape = tuple(as_size_expr(v, "size", f"input size {i}") for i, v in enumerate(input_shape))
        if not shape:
            raise ValueError("Linear: the input shape needs at least the feature dimension")
        got = shape[-1]
        if (got.is_number and self.in_features.is_number) and got != self.in_features:
            raise ValueError(f"Linear: input has {got} features, expected in_features = {self.in_features}")
        return shape[:-1]

    def output_shape(self, input_shape):
        lead = self._split_features(input_shape)
        return tuple(_norm(v) for v in (*lead, self.out_features))

    def macs(self, input_shape):
        """``Π(leading dims) · in_features · out_features``."""
        lead = self._split_features(input_shape)
        return _norm(_product(lead) * self.in_features * self.out_features)

    def bias_adds(self, input_shape):
        return _norm(_product(self.output_shape(input_shape))) if self.bias else 0

    def rf_geometry(self):
        raise NoReceptiveField("Linear: every output sees the whole input (no finite receptive field)")

    def _args(self):
        args = [("in_features", _plain(self.in_features)), ("out_features", _plain(self.out_features))]
        if not self.bias:
            args.append(("bias", False))
        return args


class BatchNorm2d(Layer):
    """``torch.nn.BatchNorm2d``: learnable ``weight, bias (C,)`` when ``affine``; buffers
    ``running_mean, running_var (C,)`` and ``num_batches_tracked ()`` when ``track_running_stats``.

    >>> BatchNorm2d(64, affine=False).params, BatchNorm2d(64, track_running_stats=False).buffers
    (0, 0)
    """

    pointwise = True

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True):
        self.num_features = as_size_expr(num_features, "channels", "num_features")
        self.eps, self.momentum = eps, momentum
        self.affine, self.track_running_stats = bool(affine), bool(track_running_stats)

    @property
    def param_shapes(self):
        return {"weight": (self.num_features,), "bias": (self.num_features,)} if self.affine else {}

    @property
    def buffer_shapes(self):
        if not self.track_running_stats:
            return {}
        return {"running_mean": (self.num_features,), "running_var": (self.num_features,), "num_batches_tracked": ()}

    def output_shape(self, input_shape):
        batch, c, spatial = self._split(input_shape)
        _check_channels("BatchNorm2d", c, self.num_features)
        return self._join(batch, c, spatial)

    def macs(self, input_shape):
        """One multiply-add per element (inference form ``y = a·x + b``)."""
        return _norm(_product(self.output_shape(input_shape)))

    def _args(self):
        args = [("", _plain(self.num_features))]
        if not self.affine:
            args.append(("affine", False))
        if not self.track_running_stats:
            args.append(("track_running_stats", False))
        return args


# -- pooling -------------------------------------------------------------------------------
class _Pool2d(Layer):
    op = "max_pool"

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        self.kernel_size = _tuple(kernel_size, 2, "kernel", "kernel_size")
        self.stride = self.kernel_size if stride is None else _tuple(stride, 2, "stride", "stride")
        self.padding = _tuple(padding, 2, "padding", "padding")
        self.dilation = _tuple(dilation, 2, "dilation", "dilation")
        self.ceil_mode = bool(ceil_mode)

    def output_shape(self, input_shape):
        batch, c, spatial = self._split(input_shape)
        out = []
        for dim, size in enumerate(spatial):
            try:
                out.append(output_size(self.op, size, self.kernel_size[dim], self.stride[dim], self.padding[dim],
                                       self.dilation[dim], ceil_mode=self.ceil_mode))
            except ValueError as exc:
                raise ValueError(f"{type(self).__name__} (spatial dim {dim}): {exc}") from None
        return self._join(batch, c, out)

    def rf_geometry(self):
        return [(self.kernel_size[i], self.stride[i], self.padding[i], self.dilation[i]) for i in range(2)]

    def _args(self):
        args = [("kernel_size", _plain(self.kernel_size)), ("stride", _plain(self.stride))]
        if self.padding != (0, 0):
            args.append(("padding", _plain(self.padding)))
        if self.dilation != (1, 1):
            args.append(("dilation", _plain(self.dilation)))
        if self.ceil_mode:
            args.append(("ceil_mode", True))
        return args


class MaxPool2d(_Pool2d):
    """``torch.nn.MaxPool2d`` (``stride`` defaults to ``kernel_size``). 0 MACs (comparisons).

    >>> MaxPool2d(3, 2, padding=1).output_shape((64, 112, 112))
    (64, 56, 56)
    >>> MaxPool2d(2, ceil_mode=True).output_shape((8, 7, 7))
    (8, 4, 4)
    """

    op = "max_pool"

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        super().__init__(kernel_size, stride, padding, dilation, ceil_mode)
        self.return_indices = return_indices


class AvgPool2d(_Pool2d):
    """``torch.nn.AvgPool2d``: one MAC per window term (``Σ x · 1/n``).

    >>> AvgPool2d(2).output_shape((8, 7, 7)), AvgPool2d(2).macs((8, 7, 7))
    ((8, 3, 3), 288)
    """

    op = "avg_pool"

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__(kernel_size, stride, padding, 1, ceil_mode)
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def macs(self, input_shape):
        out = self.output_shape(input_shape)
        return _norm(_product(out) * _product(self.kernel_size))


class AdaptiveAvgPool2d(Layer):
    """``torch.nn.AdaptiveAvgPool2d``: output ``(C, *output_size)``; window ``i`` spans
    ``⌊iH/o⌋ … ⌈(i+1)H/o⌉ − 1`` (PyTorch). MACs: one per window term,
    ``C · Σ_i (⌈(i+1)H/o⌉ − ⌊iH/o⌋) · Σ_j (…)`` (``C·H·W`` when ``o`` divides ``H``).

    >>> AdaptiveAvgPool2d((6, 6)).output_shape((256, 13, 13)), AdaptiveAvgPool2d(1).macs((512, 7, 7))
    ((256, 6, 6), 25088)
    >>> AdaptiveAvgPool2d((7, None)).output_shape((3, "H", "W"))
    (3, 7, W)
    """

    def __init__(self, output_size):
        if isinstance(output_size, (tuple, list)):
            if len(output_size) != 2:
                raise ValueError(f"output_size must be an int or a pair, got {tuple(output_size)!r}")
            self.output_size = tuple(None if v is None else as_size_expr(v, "size", "output_size") for v in output_size)
        else:
            self.output_size = (as_size_expr(output_size, "size", "output_size"),) * 2

    def output_shape(self, input_shape):
        batch, c, spatial = self._split(input_shape)
        out = [size if o is None else o for size, o in zip(spatial, self.output_size)]
        return self._join(batch, c, out)

    def _window_terms(self, size, o):
        """``Σ_i (⌈(i+1)H/o⌉ − ⌊iH/o⌋)``: the window lengths along one dimension (exact, also for a symbolic H)."""
        if o is None:
            return size
        if not o.is_number:
            return size  # o symbolic: C·H·W, exact when o divides H (stated in the class docstring)
        return sp.Add(*(sp.ceiling((i + 1) * size / o) - sp.floor(i * size / o) for i in range(int(o))))

    def macs(self, input_shape):
        batch, c, spatial = self._split(input_shape)
        n = batch if batch is not None else 1
        return _norm(n * c * _product([self._window_terms(sz, o) for sz, o in zip(spatial, self.output_size)]))

    def rf_geometry(self):
        raise NoReceptiveField("AdaptiveAvgPool2d: its windows depend on the input size (no fixed receptive field)")

    def _args(self):
        return [("", _plain(tuple(self.output_size)))]


# -- pointwise and reshaping -------------------------------------------------------------------
class _Pointwise(Layer):
    pointwise = True

    def _split(self, input_shape):
        shape = tuple(as_size_expr(v, "size", f"input size {i}") for i, v in enumerate(input_shape))
        if not shape:
            raise ValueError(f"{type(self).__name__}: empty input shape")
        return None, shape[0], shape[1:]


class ReLU(_Pointwise):
    """``torch.nn.ReLU``: shape unchanged, no parameters, 0 MACs.

    >>> ReLU().output_shape((64, "H", "W"))
    (64, H, W)
    """

    def __init__(self, inplace=False):
        self.inplace = inplace


class Dropout(_Pointwise):
    """``torch.nn.Dropout``: shape unchanged, no parameters, 0 MACs.

    >>> Dropout(0.5).params
    0
    """

    def __init__(self, p=0.5, inplace=False):
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def _args(self):
        return [("p", self.p)]


class Flatten(Layer):
    """``torch.nn.Flatten`` (``start_dim=1``): ``(C, H, W) → (C·H·W,)``, ``(N, C, H, W) → (N, C·H·W)``.

    Shapes given without the batch dimension are flattened entirely.

    >>> Flatten().output_shape((16, 5, 5)), Flatten().output_shape((64, 16, 5, 5))
    ((400,), (64, 400))
    """

    def __init__(self, start_dim=1, end_dim=-1):
        if (start_dim, end_dim) != (1, -1):
            raise ValueError(f"Flatten: only start_dim=1, end_dim=-1 is supported, got {start_dim}, {end_dim}")

    def output_shape(self, input_shape):
        shape = tuple(as_size_expr(v, "size", f"input size {i}") for i, v in enumerate(input_shape))
        if len(shape) == 4:
            return (shape[0], _norm(_product(shape[1:])))
        return (_norm(_product(shape)),)

    def rf_geometry(self):
        raise NoReceptiveField("Flatten: the spatial structure ends here (no receptive field beyond it)")


#: torch.nn name -> class (the spec files and the CLI use these names)
LAYER_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Conv1d, Conv2d, ConvTranspose2d, Linear, BatchNorm2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d,
                ReLU, Flatten, Dropout, DepthwiseSeparableConv2d)
}
