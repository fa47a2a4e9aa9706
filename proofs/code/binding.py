r"""Bind a call's positional and keyword arguments to the library's parameter names, defaults filled.

>>> bind("Conv2d", [3, 8, 3], {"padding": 1}, ("in_channels", "out_channels", "kernel_size", "stride", "padding"),
...      {"stride": 1, "padding": 0})
{'stride': 1, 'padding': 1, 'in_channels': 3, 'out_channels': 8, 'kernel_size': 3}
>>> bind("f", [1, 2, 3], {}, ("a",), {})
Traceback (most recent call last):
...
proofs.code.values.Undetermined: f takes 1 positional arguments here, got 3
"""

from __future__ import annotations

from .values import Undetermined

__all__ = ["bind", "need", "layer_class"]


def bind(name: str, pos: list, kw: dict, names: tuple, defaults: dict) -> dict:
    """Arguments of ``name(*pos, **kw)`` by parameter name over ``defaults``; an unknown keyword is kept."""
    if len(pos) > len(names):
        raise Undetermined(f"{name} takes {len(names)} positional arguments here, got {len(pos)}")
    out = dict(defaults)
    out.update(zip(names, pos))
    out.update(kw)
    return out


def need(args: dict, key: str, call: str):
    """``args[key]``, or :class:`Undetermined` naming the missing argument."""
    if key not in args:
        raise Undetermined(f"{call}: the argument {key!r} is not given")
    return args[key]


def layer_class(lib: str, prefix: str, name: str, keeping, classes: dict, pos: list = (), kw: dict | None = None):
    """``(Layer, None)`` for a shape-keeping layer or a ``Sequential`` of known layers (PyTorch's as arguments,
    Keras's as a list), else ``(None, classes[name])`` for a constructor name of a library.

    >>> layer_class("torch", "nn", "ReLU", {"ReLU"}, {})[0].name
    'ReLU'
    >>> layer_class("torch", "nn", "Bilinear", set(), {})
    Traceback (most recent call last):
    ...
    proofs.code.values.Undetermined: nn.Bilinear is not a layer this reader models
    """
    from .values import Layer

    if name in keeping:
        return Layer(lib, name, {}), None
    if name not in classes:
        raise Undetermined(f"{prefix}.{name} is not a layer this reader models")
    if classes[name][0] != "sequential":
        return None, classes[name]
    kw = kw or {}
    items = list(pos) if lib == "torch" else (pos[0] if pos else kw.get("layers", []))
    if (lib == "torch" and kw) or not isinstance(items, (list, tuple)):
        raise Undetermined(f"{prefix}.Sequential of something other than layers")
    # a child the reader does not know (a document's class, an unknown layer) stays: applying it is undetermined
    return Layer(lib, name, {}, tuple(items)), None
