r"""What a layer constructor call does to a shape and how many parameters it holds — asked of ``derive``.

A :class:`~proofs.document.summary_code.LayerCall` (``layers.Conv2D(32, (3, 3))``, ``nn.MaxPool2d(2, 2)``)
is completed with its framework's defaults (:data:`DEFAULTS`: Keras ``strides=1, padding='valid',
use_bias=True``, pooling ``strides=pool_size``; PyTorch ``stride=1, padding=0, bias=True``, pooling
``stride=kernel_size``) and turned into a :mod:`derive.layers` layer, which gives the output shape and the
parameter count. Shapes are per sample, in the framework's layout: Keras channels-last ``(H, W, C)``,
PyTorch ``(C, H, W)``. Keras counts a batch normalisation's moving mean and variance among the layer's
parameters (non-trainable); PyTorch's tools count only the learnable ones. ``None`` when the call is not
complete enough (a non-literal argument, an option this module does not model).

Examples
--------
>>> from proofs.document.summary_code import layer_calls
>>> conv, pool, dense = layer_calls([(1, "layers.Conv2D(32, (3, 3), input_shape=(28, 28, 1))"),
...                                  (2, "layers.MaxPooling2D((2, 2))"), (3, "layers.Dense(10)")])
>>> e = effect(conv, (28, 28, 1)); e.shape, e.params, e.params_without_bias
((26, 26, 32), 320, 288)
>>> effect(pool, (26, 26, 32)).shape, effect(dense, (576,)).params
((13, 13, 32), 5770)
>>> canonical("MaxPooling2"), canonical("MaxPool2D"), canonical("Conv2d")
('maxpool2d', 'maxpool2d', 'conv2d')
>>> DEFAULTS["keras"]["Conv2D"]
{'strides': 1, 'padding': 'valid', 'dilation_rate': 1, 'groups': 1, 'use_bias': True, 'data_format': 'channels_last'}
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..document.summary_code import KERAS, TORCH, UNKNOWN, LayerCall

__all__ = ["DEFAULTS", "Effect", "effect", "canonical", "ZERO_PARAM", "SHAPE_KEEPING", "input_shape_of"]

_CONV_K = {"strides": 1, "padding": "valid", "dilation_rate": 1, "groups": 1, "use_bias": True,
           "data_format": "channels_last"}
_POOL_K = {"strides": None, "padding": "valid", "data_format": "channels_last"}
_CONV_T = {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "bias": True, "padding_mode": "zeros"}
_POOL_T = {"stride": None, "padding": 0, "dilation": 1, "ceil_mode": False}
#: the frameworks' documented defaults, by class (what a call leaves out)
DEFAULTS = {
    "keras": {"Conv1D": _CONV_K, "Conv2D": _CONV_K, "MaxPooling2D": dict(_POOL_K, pool_size=(2, 2)),
              "MaxPooling1D": dict(_POOL_K, pool_size=2), "AveragePooling2D": dict(_POOL_K, pool_size=(2, 2)),
              "Dense": {"use_bias": True}, "BatchNormalization": {"center": True, "scale": True, "axis": -1},
              "ZeroPadding2D": {"padding": (1, 1)}},
    "torch": {"Conv1d": _CONV_T, "Conv2d": _CONV_T, "MaxPool2d": _POOL_T, "MaxPool1d": _POOL_T,
              "AvgPool2d": dict(_POOL_T, count_include_pad=True), "Linear": {"bias": True},
              "BatchNorm2d": {"affine": True, "track_running_stats": True},
              "BatchNorm1d": {"affine": True, "track_running_stats": True}},
}
#: positional parameters, in order, of the calls read
_POSITIONAL = {
    "Conv1D": ("filters", "kernel_size", "strides", "padding"), "Conv2D": ("filters", "kernel_size", "strides", "padding"),
    "MaxPooling2D": ("pool_size", "strides", "padding"), "MaxPooling1D": ("pool_size", "strides", "padding"),
    "AveragePooling2D": ("pool_size", "strides", "padding"), "Dense": ("units",), "Dropout": ("rate",),
    "Activation": ("activation",), "Input": ("shape",), "ZeroPadding2D": ("padding",),
    "Conv1d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"),
    "Conv2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"),
    "MaxPool2d": ("kernel_size", "stride", "padding", "dilation"), "MaxPool1d": ("kernel_size", "stride", "padding"),
    "AvgPool2d": ("kernel_size", "stride", "padding"), "Linear": ("in_features", "out_features", "bias"),
    "BatchNorm2d": ("num_features",), "BatchNorm1d": ("num_features",), "AdaptiveAvgPool2d": ("output_size",),
    "Flatten": ("start_dim", "end_dim"),
}
_ALIASES = {"maxpool2d": ("MaxPooling2D", "MaxPool2D", "MaxPool2d"), "maxpool1d": ("MaxPooling1D", "MaxPool1D", "MaxPool1d"),
            "avgpool2d": ("AveragePooling2D", "AvgPool2D", "AvgPool2d"), "conv2d": ("Conv2D", "Conv2d"),
            "conv1d": ("Conv1D", "Conv1d"), "dense": ("Dense", "Linear"), "batchnorm": ("BatchNormalization", "BatchNorm2d",
            "BatchNorm1d"), "input": ("Input", "InputLayer"), "dropout": ("Dropout", "SpatialDropout2D", "Dropout2d")}
_CANON = {name.lower(): canon for canon, names in _ALIASES.items() for name in names}
#: layer kinds without parameters and kinds whose output has the shape of their input
ZERO_PARAM = {"maxpool2d", "maxpool1d", "avgpool2d", "flatten", "dropout", "activation", "relu", "relu6", "leakyrelu",
              "tanh", "sigmoid", "softmax", "identity", "input", "globalaveragepooling2d", "globalmaxpooling2d",
              "adaptiveavgpool2d", "zeropadding2d"}
SHAPE_KEEPING = {"dropout", "activation", "relu", "relu6", "leakyrelu", "tanh", "sigmoid", "softmax", "identity",
                 "batchnorm"}


def canonical(kind: str) -> str:
    """One name per layer kind across frameworks and aliases; a Keras type cut by its column
    (``MaxPooling2``) is completed when one known class starts with it."""
    k = kind.lower()
    if k in _CANON:
        return _CANON[k]
    full = [n for n in set(KERAS) | set(TORCH) if n.lower().startswith(k)] if len(k) >= 6 else []
    if len({_CANON.get(n.lower(), n.lower()) for n in full}) == 1:
        return _CANON.get(full[0].lower(), full[0].lower())
    return k


@dataclass(frozen=True)
class Effect:
    """Output shape (per sample) and parameter counts of one layer, with the configuration used."""

    shape: tuple
    params: int
    trainable: int
    params_without_bias: int | None = None
    config: str = ""


def _bound(call: LayerCall) -> dict | None:
    """Arguments by name, defaults filled; None when an argument that matters is not a literal."""
    names = _POSITIONAL.get(call.kind, ())
    if len(call.args) > len(names):
        return None
    got = dict(DEFAULTS.get(call.framework, {}).get(call.kind, {}))
    got.update(zip(names, call.args))
    got.update(call.kwargs)
    return got


def _pair(v, n: int = 2):
    if isinstance(v, int) and not isinstance(v, bool):
        return (v,) * n
    if isinstance(v, tuple) and len(v) == n and all(isinstance(x, int) and not isinstance(x, bool) for x in v):
        return v
    return None


def _known(*vals) -> bool:
    return all(v is not UNKNOWN for v in vals)


def input_shape_of(call: LayerCall) -> tuple | None:
    """The per-sample input shape a Keras call declares (``input_shape=``, ``Input(shape=)``), or None."""
    a = _bound(call) or {}
    for key in ("input_shape", "shape", "batch_input_shape"):
        v = a.get(key)
        if isinstance(v, tuple) and v and all(isinstance(x, int) or x is None for x in v):
            return v[1:] if key == "batch_input_shape" else v
    if call.kind == "Conv2D" and isinstance(a.get("input_dim"), int):
        return None
    return None


def _conv(a: dict, fw: str, shape: tuple, ndim: int) -> Effect | None:
    from derive import layers

    if fw == "keras":
        if a.get("data_format") != "channels_last" or not _known(a.get("filters")) or len(shape) != ndim + 1:
            return None
        spatial, c_in = shape[:-1], shape[-1]
        c_out, k, s, d = a.get("filters"), _pair(a.get("kernel_size"), ndim), _pair(a.get("strides"), ndim), \
            _pair(a.get("dilation_rate"), ndim)
        pad, groups, bias = a.get("padding"), a.get("groups"), a.get("use_bias")
        if not isinstance(pad, str) or pad.lower() not in ("valid", "same"):
            return None
        pad = pad.lower()
    else:
        if len(shape) != ndim + 1:
            return None
        c_in, spatial = shape[0], shape[1:]
        if a.get("in_channels") != c_in:
            return None
        c_out, k, s, d = a.get("out_channels"), _pair(a.get("kernel_size"), ndim), _pair(a.get("stride"), ndim), \
            _pair(a.get("dilation"), ndim)
        pad, groups, bias = a.get("padding"), a.get("groups"), a.get("bias")
        if a.get("padding_mode") != "zeros":
            return None
        pad = pad.lower() if isinstance(pad, str) else _pair(pad, ndim)
    if not isinstance(c_out, int) or not (k and s and d) or pad is None or not isinstance(groups, int) \
            or not isinstance(bias, bool) or not all(isinstance(x, int) for x in spatial):
        return None
    cls = layers.Conv2d if ndim == 2 else layers.Conv1d
    kk, ss, dd = (k, s, d) if ndim == 2 else (k[0], s[0], d[0])
    pp = pad if isinstance(pad, str) else (pad if ndim == 2 else pad[0])
    try:
        layer = cls(c_in, c_out, kk, stride=ss, padding=pp, dilation=dd, groups=groups, bias=bias)
        out = layer.output_shape((c_in, *spatial))
        nob = cls(c_in, c_out, kk, stride=ss, padding=pp, dilation=dd, groups=groups, bias=False).params
    except (ValueError, TypeError):
        return None
    out = tuple(int(v) for v in out)
    shape_out = (*out[1:], out[0]) if fw == "keras" else out
    conf = (f"{c_in}→{c_out} channels, kernel {'×'.join(map(str, k))}, stride {'×'.join(map(str, s))}, padding "
            f"{pad if isinstance(pad, str) else '×'.join(map(str, pad))}"
            + (f", dilation {'×'.join(map(str, d))}" if set(d) != {1} else "") + (f", groups {groups}" if groups != 1 else "")
            + (", bias" if bias else ", no bias"))
    return Effect(shape_out, int(layer.params), int(layer.params), int(nob) if bias else None, conf)


def _pool(a: dict, fw: str, shape: tuple, ndim: int, op: str) -> Effect | None:
    from derive.sizes.output_size import output_size

    if fw == "keras":
        if a.get("data_format") != "channels_last" or len(shape) != ndim + 1:
            return None
        spatial, c = shape[:-1], shape[-1]
        k = _pair(a.get("pool_size"), ndim)
        s = _pair(a.get("strides"), ndim) if a.get("strides") is not None else k
        pad = a.get("padding")
        if not isinstance(pad, str) or pad.lower() not in ("valid", "same"):
            return None
        pads, ceil, dil = ["SAME" if pad.lower() == "same" else 0] * ndim, False, (1,) * ndim
    else:
        if len(shape) != ndim + 1:
            return None
        c, spatial = shape[0], shape[1:]
        k = _pair(a.get("kernel_size"), ndim)
        s = _pair(a.get("stride"), ndim) if a.get("stride") is not None else k
        pads, dil, ceil = _pair(a.get("padding"), ndim), _pair(a.get("dilation", 1), ndim), a.get("ceil_mode")
        if pads is None or not isinstance(ceil, bool):
            return None
    if not (k and s and dil) or not all(isinstance(x, int) for x in spatial):
        return None
    try:
        out = tuple(int(output_size(op, spatial[i], k[i], s[i], pads[i], dil[i], ceil_mode=ceil)) for i in range(ndim))
    except (ValueError, TypeError):
        return None
    conf = f"window {'×'.join(map(str, k))}, stride {'×'.join(map(str, s))}" + (
        f", padding {pads[0] if isinstance(pads[0], str) else '×'.join(map(str, pads))}" if set(map(str, pads)) != {"0"} else "")
    return Effect((*out, c) if fw == "keras" else (c, *out), 0, 0, None, conf)


def effect(call: LayerCall, shape: tuple | None) -> Effect | None:
    """The output shape and parameters of ``call`` on a per-sample input ``shape`` (framework layout)."""
    from derive import layers

    a = _bound(call)
    if a is None:
        return None
    kind = canonical(call.kind)
    fw = call.framework
    if kind == "input":
        s = input_shape_of(call)
        return Effect(tuple(s), 0, 0, None, "input") if s and all(isinstance(x, int) for x in s) else None
    if shape is None or not all(isinstance(x, int) for x in shape):
        return None
    if kind in ("conv2d", "conv1d"):
        return _conv(a, fw, shape, 2 if kind == "conv2d" else 1)
    if kind in ("maxpool2d", "maxpool1d", "avgpool2d"):
        return _pool(a, fw, shape, 1 if kind == "maxpool1d" else 2, "avg_pool" if kind == "avgpool2d" else "max_pool")
    if kind == "flatten":
        if fw == "torch" and (a.get("start_dim"), a.get("end_dim")) != (1, -1) and "start_dim" in a:
            return None
        return Effect((math.prod(shape),), 0, 0, None, "flatten")
    if kind == "dense":
        if fw == "keras":
            units, bias, n_in = a.get("units"), a.get("use_bias"), shape[-1]
        else:
            units, bias, n_in = a.get("out_features"), a.get("bias"), shape[-1]
            if a.get("in_features") != n_in:
                return None
        if not isinstance(units, int) or not isinstance(bias, bool):
            return None
        lin = layers.Linear(n_in, units, bias=bias)
        nob = layers.Linear(n_in, units, bias=False).params
        return Effect((*shape[:-1], units), int(lin.params), int(lin.params), int(nob) if bias else None,
                      f"{n_in}→{units} features" + (", bias" if bias else ", no bias"))
    if kind == "batchnorm":
        c = shape[-1] if fw == "keras" else shape[0]
        if fw == "keras":
            if a.get("axis") != -1 or a.get("center") is not True or a.get("scale") is not True:
                return None
            bn = layers.BatchNorm2d(c)
            # Keras keeps the moving mean and variance as (non-trainable) weights of the layer
            moving = sum(math.prod(s) for name, s in bn.buffer_shapes.items() if len(s) == 1)
            return Effect(shape, int(bn.params) + int(moving), int(bn.params), None, f"{c} channels")
        if a.get("num_features") != c or not isinstance(a.get("affine"), bool):
            return None
        bn = layers.BatchNorm2d(c, affine=a.get("affine"))
        return Effect(shape, int(bn.params), int(bn.params), None, f"{c} channels")
    if kind in SHAPE_KEEPING:
        return Effect(shape, 0, 0, None, kind)
    if kind in ("globalaveragepooling2d", "globalmaxpooling2d") and fw == "keras" and len(shape) == 3:
        return Effect((shape[-1],), 0, 0, None, "global pooling")
    if kind == "adaptiveavgpool2d" and len(shape) == 3:
        o = _pair(a.get("output_size"))
        return Effect((shape[0], *o), 0, 0, None, f"output {o}") if o else None
    return None
