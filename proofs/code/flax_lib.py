r"""Flax's ``linen`` conventions: ``nn.Conv(features, kernel_size, strides=1, padding='SAME', input_dilation=1,
kernel_dilation=1, feature_group_count=1)`` on channels-last inputs (batch axes first, features last), the
kernel's length giving the number of spatial axes; ``padding`` ``'SAME'``/``'VALID'``, an int, one int per axis or
one ``(lo, hi)`` pair per axis; ``nn.max_pool``/``nn.avg_pool(x, window_shape, strides=None, padding='VALID')``,
whose stride defaults to 1 (not to the window). A module is applied by ``init_with_output(key, x)`` (output and
parameters) or ``apply(params, x)``.

>>> from proofs.code.values import Tensor
>>> conv = construct("Conv", [8], {"kernel_size": (3, 3), "strides": 2})
>>> apply(conv, Tensor((1, 28, 28, 1), "jax")).shape
(1, 14, 14, 8)
>>> functional("max_pool", [Tensor((1, 6, 6, 4), "jax"), (2, 2)], {"strides": (2, 2)}).shape
(1, 3, 3, 4)
"""

from __future__ import annotations

from .binding import bind, need
from .through import through
from .values import Layer, Tensor, Undetermined, int_tuple, is_int

__all__ = ["construct", "apply", "functional"]

_CONV = ("features", "kernel_size", "strides", "padding", "input_dilation", "kernel_dilation", "feature_group_count")
_KEEP = {"relu", "sigmoid", "tanh", "gelu", "softmax", "log_softmax", "silu", "elu", "leaky_relu", "Dropout", "BatchNorm",
         "LayerNorm", "GroupNorm"}


def construct(name: str, pos: list, kw: dict) -> Layer:
    """The module ``flax.linen.<name>(*pos, **kw)``."""
    if name in _KEEP:
        return Layer("flax", name, {})
    if name == "Conv":
        return Layer("flax", name, bind("nn.Conv", pos, kw, _CONV, {"strides": 1, "padding": "SAME", "input_dilation": 1,
                                                                     "kernel_dilation": 1, "feature_group_count": 1}))
    if name == "Dense":
        return Layer("flax", name, bind("nn.Dense", pos, kw, ("features",), {}))
    if name == "Sequential":
        items = pos[0] if pos else kw.get("layers")
        if not isinstance(items, (list, tuple)):
            raise Undetermined("nn.Sequential of something other than a list of layers")
        return Layer("flax", name, {}, tuple(items))
    raise Undetermined(f"flax.linen.{name} is not modelled")


def _pads(p, n: int) -> list:
    if isinstance(p, str):
        if p.upper() not in ("SAME", "VALID"):
            raise Undetermined(f"padding {p!r} is not modelled")
        return [p.upper()] * n
    if is_int(p):
        return [(p, p)] * n
    if isinstance(p, (list, tuple)) and len(p) == n:
        return [(q, q) if is_int(q) else tuple(int_tuple(q, 2, "padding")) for q in p]
    raise Undetermined(f"padding {p!r} does not fit {n} spatial axes")


def _axes(x, n: int, name: str) -> tuple:
    if not isinstance(x, Tensor) or x.rank < n + 1:
        raise Undetermined(f"{name}: the input's shape is not known or has too few axes")
    return tuple(range(x.rank - 1 - n, x.rank - 1))


def apply(layer: Layer, x) -> Tensor:
    """``layer`` applied to ``x`` (through ``init_with_output`` or ``apply``)."""
    if layer.name in _KEEP:
        if not isinstance(x, Tensor):
            raise Undetermined(f"{layer.name}: the input is not a tensor of known shape")
        return x
    a = layer.args
    if layer.name == "Dense":
        if not (isinstance(x, Tensor) and is_int(a.get("features"))):
            raise Undetermined("nn.Dense: input or features not known")
        return x.with_shape(x.shape[:-1] + (a["features"],), "reshape", "dense")
    k = need(a, "kernel_size", "nn.Conv")
    k = (k,) if is_int(k) else int_tuple(k, None, "kernel_size")
    n = len(k)
    sp = _axes(x, n, "nn.Conv")
    groups = a["feature_group_count"]
    if not (is_int(a.get("features")) and is_int(groups)) or (is_int(x.shape[-1]) and x.shape[-1] % groups):
        raise Undetermined("nn.Conv: features or feature_group_count not known or not fitting")
    return through(x, "conv", channel=x.rank - 1, spatial=sp, kernel=k, stride=int_tuple(a["strides"], n, "strides"),
                   padding=_pads(a["padding"], n), dilation=int_tuple(a["kernel_dilation"], n, "kernel_dilation"),
                   lhs_dilation=int_tuple(a["input_dilation"], n, "input_dilation"), channels_out=a["features"],
                   name="nn.Conv", kind="conv_transpose" if a["input_dilation"] not in (1, (1,) * n) else None)


def functional(name: str, pos: list, kw: dict) -> Tensor:
    """``flax.linen.max_pool``/``avg_pool`` and the element-wise functions."""
    if name in _KEEP:
        if not pos or not isinstance(pos[0], Tensor):
            raise Undetermined(f"nn.{name} of an unknown tensor")
        return pos[0]
    if name not in ("max_pool", "avg_pool"):
        raise Undetermined(f"flax.linen.{name} is not modelled")
    a = bind(f"nn.{name}", pos, kw, ("inputs", "window_shape", "strides", "padding"), {"strides": None, "padding": "VALID"})
    k = int_tuple(need(a, "window_shape", name), None, "window_shape")
    n = len(k)
    x = a.get("inputs")
    sp = _axes(x, n, f"nn.{name}")
    s = (1,) * n if a["strides"] is None else int_tuple(a["strides"], n, "strides")
    pads = _pads(a["padding"], n)
    return through(x, "conv" if not all(isinstance(p, str) for p in pads) else name, channel=None, spatial=sp, kernel=k,
                   stride=s, padding=pads, name=f"nn.{name}", kind=name)
