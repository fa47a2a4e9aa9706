r"""Keras's and TensorFlow's conventions: ``keras.layers`` classes (channels-last by default, ``padding``
``'valid'``/``'same'``, pooling stride = pool size) and ``tf.nn`` functions (``NHWC``, filters
``(*kernel, C_in, C_out)``, ``strides`` of 1, N or N+2 entries, ``'SAME'``/``'VALID'`` or explicit pairs).

``'same'`` is TensorFlow's SAME (output ⌈H/s⌉, derived in :mod:`derive.sizes.tf_padding`). A transposed
convolution with ``padding='valid'`` is the transposed convolution with no padding when the (dilated)
kernel is at least the stride; other transposed cases are left undetermined.

>>> from proofs.code.values import Tensor
>>> x = Tensor((None, 28, 28, 1), "keras")
>>> apply(construct("Conv2D", [32, (3, 3)], {}), x).shape
(None, 26, 26, 32)
>>> apply(construct("MaxPooling2D", [], {"padding": "same"}), Tensor((None, 7, 7, 4), "keras")).shape
(None, 4, 4, 4)
>>> tf_nn("conv2d", [Tensor((1, 200, 200, 3), "tf"), Tensor((3, 3, 3, 64), "tf")], {"strides": [1, 2, 2, 1], "padding": "SAME"}).shape
(1, 100, 100, 64)
>>> apply(construct("Conv2DTranspose", [16, 3], {"strides": 2}), Tensor((None, 7, 7, 8), "keras")).shape
(None, 15, 15, 16)
"""

from __future__ import annotations

import math

from .binding import bind, layer_class, need
from .layouts import FIRST, LAST, axes
from .through import through
from .values import Layer, Tensor, Undetermined, int_tuple, is_int

__all__ = ["construct", "apply", "tf_nn", "CLASSES"]

_CONV = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups")
_CONVT = ("filters", "kernel_size", "strides", "padding", "output_padding", "data_format", "dilation_rate")
_POOL = ("pool_size", "strides", "padding", "data_format")
CLASSES = {}
for _n in (1, 2, 3):
    CLASSES.update({f"Conv{_n}D": ("conv", _n, _CONV), f"Convolution{_n}D": ("conv", _n, _CONV),
                    f"Conv{_n}DTranspose": ("conv_transpose", _n, _CONVT),
                    f"MaxPooling{_n}D": ("max_pool", _n, _POOL), f"MaxPool{_n}D": ("max_pool", _n, _POOL),
                    f"AveragePooling{_n}D": ("avg_pool", _n, _POOL), f"AvgPool{_n}D": ("avg_pool", _n, _POOL),
                    f"GlobalAveragePooling{_n}D": ("global", _n, ("data_format",)),
                    f"GlobalMaxPooling{_n}D": ("global", _n, ("data_format",)),
                    f"GlobalAvgPool{_n}D": ("global", _n, ("data_format",)),
                    f"GlobalMaxPool{_n}D": ("global", _n, ("data_format",))})
CLASSES.update({"DepthwiseConv2D": ("depthwise", 2, ("kernel_size", "strides", "padding", "depth_multiplier", "data_format",
                                                     "dilation_rate")),
                "SeparableConv2D": ("conv", 2, _CONV[:6]), "Flatten": ("flatten", 0, ("data_format",)),
                "Dense": ("dense", 0, ("units",)), "Sequential": ("sequential", 0, ("layers",))})
_KEEP = {"Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
         "BatchNormalization", "LayerNormalization", "GaussianNoise", "Rescaling", "Normalization"}


def construct(name: str, pos: list, kw: dict) -> Layer:
    """The layer object ``keras.layers.<name>(*pos, **kw)`` (``Sequential`` from a list of layers)."""
    done, entry = layer_class("keras", "keras.layers", name, _KEEP, CLASSES, pos, kw)
    if done is not None:
        return done
    op, n, names = entry
    defaults = {"strides": 1, "padding": "valid", "data_format": None, "dilation_rate": 1, "groups": 1,
                "depth_multiplier": 1, "output_padding": None}
    if op in ("max_pool", "avg_pool"):
        defaults = {"pool_size": 2, "strides": None, "padding": "valid", "data_format": None}
    return Layer("keras", name, bind(f"layers.{name}", pos, kw, names, defaults))


def _layout(a: dict, name: str) -> str:
    fmt = a.get("data_format")
    if fmt is None:
        return LAST
    if not isinstance(fmt, str) or fmt.lower() not in (FIRST, LAST):
        raise Undetermined(f"{name}: data_format {fmt!r} is not known")
    return fmt.lower()


def _pads(p, n: int, name: str) -> list:
    if not isinstance(p, str) or p.lower() not in ("valid", "same"):
        raise Undetermined(f"{name}: padding {p!r} is not 'valid' or 'same'")
    return [p.upper()] * n


def apply(layer: Layer, x) -> Tensor:
    """``layer(x)`` for a Keras layer object on a batched tensor."""
    name = layer.name
    if not isinstance(x, Tensor):
        raise Undetermined(f"{name}: the input is not a tensor of known shape")
    if name in _KEEP:
        return x
    op, n, _ = CLASSES[name]
    a = layer.args
    if op == "sequential":
        for child in layer.children:
            x = child if isinstance(child, Tensor) else apply(child, x)
        return x
    if op == "flatten":
        if not all(is_int(v) for v in x.shape[1:]):
            raise Undetermined("Flatten of a shape with unknown sizes")
        return x.with_shape((x.shape[0], math.prod(x.shape[1:])), "reshape", "flatten")
    if op == "dense":
        if not is_int(a.get("units")):
            raise Undetermined("Dense: units not known")
        return x.with_shape(x.shape[:-1] + (a["units"],), "reshape", "dense")
    _, ch, sp = axes(_layout(a, name), x.rank)
    if len(sp) != n:
        raise Undetermined(f"{name}: a {n}-D layer on a rank-{x.rank} input {x.shape}")
    if op == "global":
        return x.with_shape((x.shape[0], x.shape[ch]), "reshape", "global pooling")
    if op in ("max_pool", "avg_pool"):
        k = int_tuple(a.get("pool_size"), n, f"{name} pool_size")
        s = k if a.get("strides") is None else int_tuple(a["strides"], n, f"{name} strides")
        return through(x, op, channel=ch, spatial=sp, kernel=k, stride=s, padding=_pads(a.get("padding"), n, name),
                       name=name)
    k = int_tuple(need(a, "kernel_size", name), n, f"{name} kernel_size")
    s = int_tuple(a.get("strides", 1), n, f"{name} strides")
    d = int_tuple(a.get("dilation_rate", 1), n, f"{name} dilation_rate")
    pads = _pads(a.get("padding"), n, name)
    if op == "depthwise":
        dm = a.get("depth_multiplier")
        c_out = x.shape[ch] * dm if is_int(x.shape[ch]) and is_int(dm) else None
        if c_out is None:
            raise Undetermined(f"{name}: channels not known")
        return through(x, "conv", channel=ch, spatial=sp, kernel=k, stride=s, padding=pads, dilation=d,
                       channels_out=c_out, name=name)
    if not is_int(a.get("filters")):
        raise Undetermined(f"{name}: filters is not a known integer")
    if op == "conv":
        return through(x, "conv", channel=ch, spatial=sp, kernel=k, stride=s, padding=pads, dilation=d,
                       channels_out=a["filters"], name=name)
    # transposed: Keras's deconv_output_length
    out_pad = a.get("output_padding")
    if out_pad is None:
        if pads[0] != "VALID" or any((kk - 1) * dd + 1 < ss for kk, ss, dd in zip(k, s, d)):
            raise Undetermined(f"{name}: padding 'same', or a kernel smaller than the stride, without output_padding: "
                               "Keras's rule for this case is not derived here")
        return through(x, "conv_transpose", channel=ch, spatial=sp, kernel=k, stride=s, padding=[(0, 0)] * n,
                       dilation=d, channels_out=a["filters"], name=name)
    op_ = int_tuple(out_pad, n, f"{name} output_padding")
    if pads[0] == "SAME" and set(d) != {1}:
        raise Undetermined(f"{name}: padding 'same' with dilation")
    pp = [(kk // 2, kk // 2) if pads[0] == "SAME" else (0, 0) for kk in k]
    return through(x, "conv_transpose", channel=ch, spatial=sp, kernel=k, stride=s, padding=pp, dilation=d,
                   output_padding=op_, channels_out=a["filters"], name=name)


def _nn_strides(v, n: int, ch: int, rank: int, what: str) -> tuple:
    t = int_tuple(v, None, what) if not is_int(v) else (v,)
    if len(t) == 1:
        return t * n
    if len(t) == n:
        return t
    if len(t) == rank:
        if t[0] != 1 or t[ch] != 1:  # tf.nn.max_pool(x, ksize=(1, 1, 1, 3), strides=(1, 1, 1, 3)): depthwise pooling
            raise Undetermined(f"{what} {t}: a window over the batch or channel axis is not modelled")
        return tuple(t[i] for i in range(rank) if i not in (0, ch))
    raise Undetermined(f"{what} {t} does not fit {n} spatial axes")


def _nn_pads(p, n: int, ch: int, rank: int, name: str) -> list:
    if isinstance(p, str):
        if p.upper() not in ("SAME", "VALID"):
            raise Undetermined(f"{name}: padding {p!r}")
        return [p.upper()] * n
    if isinstance(p, (list, tuple)) and len(p) == rank:
        pairs = [tuple(int_tuple(q, 2, f"{name} padding")) for q in p]
        return [pairs[i] for i in range(rank) if i not in (0, ch)]
    raise Undetermined(f"{name}: padding {p!r} is not a string or one pair per axis")


def tf_nn(name: str, pos: list, kw: dict) -> Tensor:
    """``tf.nn.<name>(*pos, **kw)`` for the convolutions and poolings."""
    n = {"conv1d": 1, "conv2d": 2, "conv3d": 3, "max_pool1d": 1, "max_pool2d": 2, "max_pool3d": 3, "avg_pool1d": 1,
         "avg_pool2d": 2, "avg_pool3d": 3, "max_pool": None, "avg_pool": None, "depthwise_conv2d": 2}.get(name, 0)
    if n == 0:
        if name in ("relu", "relu6", "sigmoid", "tanh", "softmax", "elu", "leaky_relu", "dropout", "gelu") and pos \
                and isinstance(pos[0], Tensor):
            return pos[0]
        raise Undetermined(f"tf.nn.{name} is not modelled")
    conv = name.startswith(("conv", "depthwise"))
    if conv:
        names = ("input", "filters", "stride" if name == "conv1d" else "strides", "padding", "data_format", "dilations")
    else:
        names = ("input", "ksize", "strides", "padding", "data_format")
    a = bind(f"tf.nn.{name}", pos, kw, names, {"data_format": None, "dilations": None})
    if "filter" in a and "filters" not in a:
        a["filters"] = a["filter"]
    if "stride" in a:
        a["strides"] = a["stride"]
    x = need(a, "input", name)
    if not isinstance(x, Tensor):
        raise Undetermined(f"tf.nn.{name}: the input is not a tensor of known shape")
    n = n or x.rank - 2
    fmt = a.get("data_format") or ("NWC", "NHWC", "NDHWC")[n - 1]
    _, ch, sp = axes(fmt, x.rank)
    if len(sp) != n:
        raise Undetermined(f"tf.nn.{name}: rank-{x.rank} input for {n} spatial axes")
    s = _nn_strides(need(a, "strides", name), n, ch, x.rank, f"tf.nn.{name} strides")
    pads = _nn_pads(need(a, "padding", name), n, ch, x.rank, f"tf.nn.{name}")
    if not conv:
        k = _nn_strides(need(a, "ksize", name), n, ch, x.rank, f"tf.nn.{name} ksize")
        op = "max_pool" if "max" in name else "avg_pool"
        return through(x, op if all(isinstance(p, str) for p in pads) else "conv", channel=ch, spatial=sp, kernel=k,
                       stride=s, padding=pads, name=f"tf.nn.{name}", kind=op)
    w = need(a, "filters", name)
    if not isinstance(w, Tensor) or w.rank != n + 2 or not all(is_int(v) for v in w.shape):
        raise Undetermined(f"tf.nn.{name}: the filters' shape is not known")
    d = (1,) * n if a.get("dilations") is None else _nn_strides(a["dilations"], n, ch, x.rank, "dilations")
    c_in = x.shape[ch]
    if name == "depthwise_conv2d":
        c_out = w.shape[-2] * w.shape[-1]
    else:
        c_out = w.shape[-1]
    if is_int(c_in) and c_in % w.shape[-2 if name != "depthwise_conv2d" else -2] and name != "depthwise_conv2d":
        raise Undetermined(f"tf.nn.{name}: {c_in} input channels do not fit filters {w.shape}")
    return through(x, "conv", channel=ch, spatial=sp, kernel=w.shape[:n], stride=s, padding=pads, dilation=d,
                   channels_out=c_out, name=f"tf.nn.{name}")
