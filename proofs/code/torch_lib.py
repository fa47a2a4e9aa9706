r"""PyTorch's conventions: ``torch.nn`` layer classes and ``torch.nn.functional`` calls on NCHW tensors.

Layouts: ``(N, C, *spatial)`` or unbatched ``(C, *spatial)``; a convolution's weight is
``(C_out, C_in/groups, *kernel)``, a transposed one's ``(C_in, C_out/groups, *kernel)``; pooling's stride
defaults to its window; ``padding='same'`` keeps the size (stride 1 only), ``'valid'`` is 0. Shapes come from
:func:`proofs.code.through.through`; a channel count that does not fit the layer (PyTorch would raise) is
:class:`~proofs.code.values.Undetermined`.

>>> from proofs.code.values import Tensor
>>> conv = construct("Conv2d", [3, 8, 3], {"stride": 2, "padding": 1})
>>> apply(conv, Tensor((1, 3, 32, 32), "torch")).shape
(1, 8, 16, 16)
>>> apply(construct("MaxPool2d", [3, 2], {"ceil_mode": True}), Tensor((1, 8, 6, 6), "torch")).shape
(1, 8, 3, 3)
>>> apply(construct("ConvTranspose2d", [8, 4, 3], {"stride": 2, "padding": 1, "output_padding": 1}),
...       Tensor((8, 7, 7), "torch")).shape
(4, 14, 14)
>>> functional("conv2d", [Tensor((2, 4, 10, 10), "torch"), Tensor((6, 2, 3, 3), "torch")], {"groups": 2}).shape
(2, 6, 8, 8)
>>> apply(conv, Tensor((1, 1, 32, 32), "torch"))
Traceback (most recent call last):
...
proofs.code.values.Undetermined: Conv2d expects 3 input channels, the input has 1 (the call would fail)
"""

from __future__ import annotations

import math

from .binding import bind, layer_class, need
from .through import through
from .values import Layer, Tensor, Undetermined, int_tuple, is_int

__all__ = ["construct", "apply", "functional", "CLASSES", "FUNCTIONS", "SHAPE_KEEPING"]

_CONV = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias", "padding_mode")
_CONVT = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups", "bias", "dilation")
_MAXP = ("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode")
_AVGP = ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")
_D_CONV = {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "output_padding": 0}
_D_POOL = {"stride": None, "padding": 0, "dilation": 1, "ceil_mode": False}
#: class name → (op, spatial dims, positional parameters)
CLASSES = {}
for _n in (1, 2, 3):
    CLASSES[f"Conv{_n}d"] = ("conv", _n, _CONV)
    CLASSES[f"LazyConv{_n}d"] = ("conv", _n, _CONV[1:])
    CLASSES[f"ConvTranspose{_n}d"] = ("conv_transpose", _n, _CONVT)
    CLASSES[f"LazyConvTranspose{_n}d"] = ("conv_transpose", _n, _CONVT[1:])
    CLASSES[f"MaxPool{_n}d"] = ("max_pool", _n, _MAXP)
    CLASSES[f"AvgPool{_n}d"] = ("avg_pool", _n, _AVGP)
    CLASSES[f"AdaptiveAvgPool{_n}d"] = ("adaptive", _n, ("output_size",))
    CLASSES[f"AdaptiveMaxPool{_n}d"] = ("adaptive", _n, ("output_size",))
CLASSES.update({"Flatten": ("flatten", 0, ("start_dim", "end_dim")), "Linear": ("linear", 0, ("in_features", "out_features")),
                "LazyLinear": ("linear", 0, ("out_features",)), "Sequential": ("sequential", 0, ())})
#: layers whose output has the input's shape
SHAPE_KEEPING = {"ReLU", "ReLU6", "LeakyReLU", "PReLU", "ELU", "GELU", "SiLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax",
                 "Identity", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d",
                 "LazyBatchNorm2d", "InstanceNorm2d", "GroupNorm", "LayerNorm", "LocalResponseNorm", "Hardswish", "Mish"}
#: functional names → (op, spatial dims)
FUNCTIONS = {}
for _n in (1, 2, 3):
    FUNCTIONS.update({f"conv{_n}d": ("conv", _n), f"conv_transpose{_n}d": ("conv_transpose", _n),
                      f"max_pool{_n}d": ("max_pool", _n), f"avg_pool{_n}d": ("avg_pool", _n),
                      f"adaptive_avg_pool{_n}d": ("adaptive", _n), f"adaptive_max_pool{_n}d": ("adaptive", _n)})
_KEEP_F = {"relu", "relu6", "gelu", "sigmoid", "tanh", "softmax", "log_softmax", "dropout", "leaky_relu", "elu", "silu",
           "batch_norm", "layer_norm", "local_response_norm"}


def construct(name: str, pos: list, kw: dict) -> Layer:
    """The layer object ``torch.nn.<name>(*pos, **kw)``."""
    if name.startswith("BatchNorm") and name in SHAPE_KEEPING:  # shape-keeping, but its parameters are counted
        return Layer("torch", name, bind(f"nn.{name}", pos, kw, ("num_features", "eps", "momentum", "affine",
                                                                   "track_running_stats"), {"affine": True}))
    done, entry = layer_class("torch", "torch.nn", name, SHAPE_KEEPING, CLASSES, pos, kw)
    if done is not None:
        return done
    op, _, names = entry
    defaults = dict(_D_CONV, bias=True, padding_mode="zeros") if op.startswith("conv") else dict(_D_POOL)
    if op == "flatten":
        defaults = {"start_dim": 1, "end_dim": -1}
    return Layer("torch", name, bind(f"nn.{name}", pos, kw, names, defaults))


def _pads(p, n: int, stride: tuple, name: str) -> list:
    if isinstance(p, str):
        if p.lower() == "valid":
            return [(0, 0)] * n
        if p.lower() == "same":
            if set(stride) != {1}:
                raise Undetermined(f"{name}: padding='same' needs stride 1 (PyTorch raises otherwise)")
            return ["SAME"] * n
        raise Undetermined(f"{name}: padding {p!r} is not 'same' or 'valid'")
    return [(v, v) for v in int_tuple(p, n, f"{name} padding")]


def _split(x: Tensor, n: int, name: str) -> tuple:
    if not isinstance(x, Tensor):
        raise Undetermined(f"{name}: the input is not a tensor of known shape")
    if x.rank == n + 2:
        return 1, tuple(range(2, n + 2))
    if x.rank == n + 1:
        return 0, tuple(range(1, n + 1))
    raise Undetermined(f"{name}: a {n}-D operation on a rank-{x.rank} input {x.shape}")


def _window(x: Tensor, op: str, n: int, a: dict, name: str, channels_out=None, c_in=None) -> Tensor:
    ch, sp = _split(x, n, name)
    if c_in is not None and is_int(x.shape[ch]) and x.shape[ch] != c_in:
        raise Undetermined(f"{name} expects {c_in} input channels, the input has {x.shape[ch]} (the call would fail)")
    k = int_tuple(need(a, "kernel_size", name), n, f"{name} kernel_size")
    s = k if a.get("stride") is None and op.endswith("pool") else int_tuple(a.get("stride", 1), n, f"{name} stride")
    if op.endswith("pool") and isinstance(a.get("stride"), (tuple, list)) and not a["stride"]:
        s = k
    d = int_tuple(a.get("dilation", 1), n, f"{name} dilation")
    op_pad = int_tuple(a.get("output_padding", 0), n, f"{name} output_padding")
    pads = _pads(a.get("padding", 0), n, s, name)
    if op == "conv_transpose" and any(isinstance(p, str) for p in pads):
        raise Undetermined(f"{name}: string padding is not accepted by transposed convolutions")
    ceil = a.get("ceil_mode", False)
    if not isinstance(ceil, bool):
        raise Undetermined(f"{name}: ceil_mode is not a known bool")
    return through(x, op, channel=ch, spatial=sp, kernel=k, stride=s, padding=pads, dilation=d,
                   output_padding=op_pad, ceil_mode=ceil, channels_out=channels_out, name=name)


def _adaptive(x: Tensor, n: int, size, name: str) -> Tensor:
    ch, sp = _split(x, n, name)
    want = (size,) * n if is_int(size) or size is None else tuple(size)
    if len(want) != n:
        raise Undetermined(f"{name}: output_size {size} for {n} spatial axes")
    shape = list(x.shape)
    for ax, o in zip(sp, want):
        if o is not None:
            if not is_int(o):
                raise Undetermined(f"{name}: output_size is not known")
            shape[ax] = o
    return x.with_shape(tuple(shape), "adaptive", f"{name}: output size {want} as given", spatial=sp)


def apply(layer: Layer, x) -> Tensor:
    """``layer(x)`` for a ``torch.nn`` layer object."""
    name = layer.name
    if name in SHAPE_KEEPING:
        if not isinstance(x, Tensor):
            raise Undetermined(f"{name}: the input is not a tensor of known shape")
        return x
    op, n, _ = CLASSES[name]
    a = layer.args
    if op == "sequential":
        for child in layer.children:
            x = apply(child, x)
        return x
    if op in ("conv", "conv_transpose"):
        c_in = a.get("in_channels")
        if name.startswith("Lazy"):
            ch, _ = _split(x, n, name)
            c_in = x.shape[ch]
        groups = a.get("groups", 1)
        if not (is_int(c_in) and is_int(groups) and is_int(a.get("out_channels"))):
            raise Undetermined(f"{name}: channels or groups are not known integers")
        if c_in % groups or a["out_channels"] % groups:
            raise Undetermined(f"{name}: groups {groups} does not divide the channels (the call would fail)")
        return _window(x, op, n, a, name, channels_out=a["out_channels"], c_in=c_in)
    if op in ("max_pool", "avg_pool"):
        return _window(x, op, n, a, name)
    if op == "adaptive":
        return _adaptive(x, n, need(a, "output_size", name), name)
    if op == "flatten":
        return flatten(x, a.get("start_dim", 1), a.get("end_dim", -1))
    if op == "linear":
        if not isinstance(x, Tensor) or not is_int(a.get("out_features")):
            raise Undetermined(f"{name}: input or out_features not known")
        if "in_features" in a and is_int(x.shape[-1]) and a["in_features"] != x.shape[-1]:
            raise Undetermined(f"{name} expects {a['in_features']} features, the input has {x.shape[-1]}")
        return x.with_shape(x.shape[:-1] + (a["out_features"],), "reshape", "linear")
    raise Undetermined(f"nn.{name} is not modelled")


def flatten(x, start: int = 1, end: int = -1) -> Tensor:
    """``torch.flatten(x, start, end)``: the axes ``start…end`` multiplied into one."""
    if not isinstance(x, Tensor) or not (is_int(start) and is_int(end)):
        raise Undetermined("flatten of an unknown tensor")
    a, b = start % max(x.rank, 1), end % max(x.rank, 1)
    middle = x.shape[a:b + 1]
    if not all(is_int(v) for v in middle):
        raise Undetermined("flatten of a shape with unknown sizes")
    return x.with_shape(x.shape[:a] + (math.prod(middle),) + x.shape[b + 1:], "reshape", "flatten")


def functional(name: str, pos: list, kw: dict) -> Tensor:
    """``torch.nn.functional.<name>(*pos, **kw)``."""
    if name in _KEEP_F:
        if not pos or not isinstance(pos[0], Tensor):
            raise Undetermined(f"F.{name} of an unknown tensor")
        return pos[0]
    if name not in FUNCTIONS:
        raise Undetermined(f"F.{name} is not modelled")
    op, n = FUNCTIONS[name]
    if op in ("conv", "conv_transpose"):
        names = ("input", "weight", "bias", "stride", "padding") + (
            ("dilation", "groups") if op == "conv" else ("output_padding", "groups", "dilation"))
        a = bind(f"F.{name}", pos, kw, names, dict(_D_CONV))
        x, w = need(a, "input", name), need(a, "weight", name)
        if not isinstance(w, Tensor) or w.rank != n + 2 or not all(is_int(v) for v in w.shape):
            raise Undetermined(f"F.{name}: the weight's shape is not known")
        groups = a["groups"]
        if not is_int(groups):
            raise Undetermined(f"F.{name}: groups is not a known integer")
        if op == "conv":
            c_in, c_out = w.shape[1] * groups, w.shape[0]
        else:
            c_in, c_out = w.shape[0], w.shape[1] * groups
        a["kernel_size"] = w.shape[2:]
        return _window(x, op, n, a, f"F.{name}", channels_out=c_out, c_in=c_in)
    if op == "adaptive":
        a = bind(f"F.{name}", pos, kw, ("input", "output_size"), {})
        return _adaptive(need(a, "input", name), n, need(a, "output_size", name), f"F.{name}")
    names = ("input", "kernel_size", "stride", "padding") + (
        ("dilation", "ceil_mode") if op == "max_pool" else ("ceil_mode", "count_include_pad"))
    a = bind(f"F.{name}", pos, kw, names, dict(_D_POOL))
    return _window(need(a, "input", name), op, n, a, f"F.{name}")
