"""The truth a claim is compared with: thin adapters over :mod:`derive`.

Every number a claim form compares with comes from here, and everything here
comes from :mod:`derive` (receptive fields, parameter counts, MACs, output
sizes). Nothing is typed: when :mod:`derive` cannot answer (a name missing
while it is being built, or a configuration it rejects) the adapter raises
:class:`TruthUnavailable`, and the claim becomes UNRECOGNIZED with that reason.

A layer of a stack is described by :class:`LayerSpec` (kind, kernel, stride,
dilation) — plain data extracted from a sentence, turned into
``derive.layers`` objects only here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "LayerSpec",
    "TruthUnavailable",
    "receptive_field",
    "conv_params",
    "separable_params",
    "conv_macs",
    "separable_macs",
    "output_size",
    "receptive_field_and_jump",
]


class TruthUnavailable(RuntimeError):
    """derive could not answer (not built yet, or the configuration is outside its domain)."""


@dataclass(frozen=True)
class LayerSpec:
    """One layer of a stack as a sentence states it.

    Parameters
    ----------
    kind : ``"conv"``, ``"max_pool"`` or ``"avg_pool"``.
    kernel : kernel size (square).
    stride, dilation : as in ``torch.nn.Conv2d``.

    Examples
    --------
    >>> LayerSpec("conv", 3).describe()
    '3×3 conv'
    >>> LayerSpec("conv", 3, stride=2, dilation=2).describe()
    '3×3 conv (stride 2, dilation 2)'
    """

    kind: str
    kernel: int
    stride: int = 1
    dilation: int = 1

    def describe(self) -> str:
        extra = []
        if self.stride != 1:
            extra.append(f"stride {self.stride}")
        if self.dilation != 1:
            extra.append(f"dilation {self.dilation}")
        name = {"conv": "conv", "max_pool": "max pool", "avg_pool": "avg pool"}[self.kind]
        return f"{self.kernel}×{self.kernel} {name}" + (f" ({', '.join(extra)})" if extra else "")


def _derive():
    try:
        import derive

        return derive
    except Exception as exc:  # pragma: no cover - derive is part of the package
        raise TruthUnavailable(f"derive cannot be imported: {exc}") from exc


def _int(value, what: str) -> int:
    """A derive result as an int (first entry of a per-dimension tuple)."""
    if isinstance(value, (tuple, list)):
        value = value[0]
    try:
        import sympy as sp

        value = sp.sympify(value, strict=True) if not isinstance(value, int) else value  # never a string
        if isinstance(value, sp.Basic):
            if not value.is_Integer:
                raise TruthUnavailable(f"derive returned a non-integer {what}: {value}")
            return int(value)
    except TruthUnavailable:
        raise
    except Exception as exc:
        raise TruthUnavailable(f"derive returned an unreadable {what}: {value!r}") from exc
    return int(value)


def _call(what: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (AttributeError, ImportError, NotImplementedError, TypeError) as exc:
        raise TruthUnavailable(f"derive cannot compute the {what} yet ({type(exc).__name__}: {exc})") from exc
    except ValueError as exc:
        raise TruthUnavailable(f"derive rejects this configuration for the {what}: {exc}") from exc


def _layer(spec: LayerSpec, channels: int = 1):
    layers = _call("layer", lambda: _derive().layers)
    if spec.kind == "conv":
        cls = _call("conv layer", getattr, layers, "Conv2d")
        return _call("conv layer", cls, channels, channels, spec.kernel, stride=spec.stride, dilation=spec.dilation)
    name = "MaxPool2d" if spec.kind == "max_pool" else "AvgPool2d"
    cls = _call("pooling layer", getattr, layers, name)
    if spec.dilation != 1:
        return _call("pooling layer", cls, spec.kernel, stride=spec.stride, dilation=spec.dilation)
    return _call("pooling layer", cls, spec.kernel, stride=spec.stride)


def receptive_field(stack: list[LayerSpec]) -> int:
    """Receptive-field size (one side) of a stack, from ``derive.receptive_field``.

    Examples
    --------
    >>> receptive_field([LayerSpec("conv", 3)] * 3)
    7
    """
    d = _derive()
    fn = _call("receptive field", getattr, d, "receptive_field")
    rf = _call("receptive field", fn, [_layer(s) for s in stack])
    return _int(_call("receptive field", getattr, rf, "size"), "receptive field")


def conv_params(c_in: int, c_out: int, kernel: int, *, bias: bool) -> int:
    """Learnable parameters of a ``kernel×kernel`` conv, from ``derive.layers.Conv2d(...).params``.

    Examples
    --------
    >>> conv_params(64, 64, 5, bias=True)
    102464
    """
    layers = _call("parameter count", lambda: _derive().layers)
    conv = _call("parameter count", getattr, layers, "Conv2d")
    return _int(_call("parameter count", lambda: conv(c_in, c_out, kernel, bias=bias).params), "parameter count")


def separable_params(c_in: int, c_out: int, kernel: int, *, bias: bool) -> int:
    """Parameters of a depthwise-separable conv, from ``derive.layers.DepthwiseSeparableConv2d``."""
    layers = _call("parameter count", lambda: _derive().layers)
    cls = _call("parameter count", getattr, layers, "DepthwiseSeparableConv2d")
    return _int(_call("parameter count", lambda: cls(c_in, c_out, kernel, bias=bias).params), "parameter count")


def _macs(layer, c_in: int, size: int):
    try:
        return layer.macs((1, c_in, size, size))
    except (TypeError, ValueError):
        return layer.macs((c_in, size, size))


def conv_macs(c_in: int, c_out: int, kernel: int, size: int, *, stride: int = 1, padding: int = 0) -> int:
    """Multiply-accumulates of a conv on a ``size×size`` input, from ``derive.layers.Conv2d(...).macs``."""
    layers = _call("MACs", lambda: _derive().layers)
    conv = _call("MACs", getattr, layers, "Conv2d")
    layer = _call("MACs", conv, c_in, c_out, kernel, stride=stride, padding=padding, bias=False)
    return _int(_call("MACs", _macs, layer, c_in, size), "MAC count")


def separable_macs(c_in: int, c_out: int, kernel: int, size: int, *, padding: int = 0) -> int:
    """Multiply-accumulates of a depthwise-separable conv, from ``derive.layers.DepthwiseSeparableConv2d``."""
    layers = _call("MACs", lambda: _derive().layers)
    cls = _call("MACs", getattr, layers, "DepthwiseSeparableConv2d")
    layer = _call("MACs", cls, c_in, c_out, kernel, padding=padding, bias=False)
    return _int(_call("MACs", _macs, layer, c_in, size), "MAC count")


def output_size(op: str, size: int, kernel: int, *, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output size (one side) from ``derive.output_size``.

    Examples
    --------
    >>> output_size("max_pool", 7, 2, stride=2)
    3
    """
    d = _derive()
    fn = _call("output size", getattr, d, "output_size")
    return _int(_call("output size", fn, op, size, kernel, stride=stride, padding=padding, dilation=dilation), "output size")


def receptive_field_and_jump(stack: list[LayerSpec]) -> tuple[int, int]:
    """Receptive-field size and jump (effective stride) of a stack, one side each, from ``derive.receptive_field``.

    Examples
    --------
    >>> receptive_field_and_jump([LayerSpec("conv", 7, stride=2), LayerSpec("max_pool", 3, stride=2)])
    (11, 4)
    """
    d = _derive()
    fn = _call("receptive field", getattr, d, "receptive_field")
    rf = _call("receptive field", fn, [_layer(s) for s in stack])
    return (_int(_call("receptive field", getattr, rf, "size"), "receptive field"),
            _int(_call("receptive field", getattr, rf, "jump"), "jump"))
