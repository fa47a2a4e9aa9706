r"""Network spec files (TOML): a small, documented format for ``convproof shape|params|rf FILE.toml``.

Format
------
::

    name = "tiny-cnn"            # optional
    input = [3, 32, 32]          # optional (C, H, W); entries may be symbol names: [3, "H", "W"]

    [[layers]]                   # one table per layer, in order
    type = "Conv2d"              # a torch.nn name of derive.layers, or BasicBlock / Bottleneck
    in_channels = 3              # the keywords of that torch.nn class (same names, same defaults)
    out_channels = 16
    kernel_size = 3              # an int, a [h, w] pair, or a symbol name such as "k"
    padding = 1
    name = "conv1"               # optional row name (default: the layer's index)

    [[layers]]
    type = "ReLU"

Types: ``Conv1d, Conv2d, ConvTranspose2d, Linear, BatchNorm2d, MaxPool2d,
AvgPool2d, AdaptiveAvgPool2d, ReLU, Flatten, Dropout, DepthwiseSeparableConv2d``
and the ResNet blocks ``BasicBlock(inplanes, planes, stride, downsample)`` and
``Bottleneck(inplanes, planes, stride, downsample, groups, base_width, dilation)``.
Strings are symbol *names* (identifiers), never evaluated. A mistake (an
unknown type or keyword, a missing keyword, a TOML syntax error, a shape
that does not fit) raises :class:`SpecError` naming the file, the line and
the field.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "net.toml"
>>> _ = path.write_text('input = [1, 28, 28]\n[[layers]]\ntype = "Conv2d"\nin_channels = 1\n'
...                     'out_channels = 6\nkernel_size = 5\n')
>>> net = load_spec(path)
>>> net.params, net.output_shape()
(156, (6, 24, 24))
>>> _ = path.write_text('[[layers]]\ntype = "Conv2d"\nin_channels = 1\nout_channels = 6\nkernal_size = 5\n')
>>> load_spec(path)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
derive.sizes.spec_file.SpecError: .../net.toml:5: layer 0 (Conv2d): unknown field 'kernal_size'; Conv2d takes ...
"""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path

__all__ = ["load_spec", "SpecError", "spec_types"]


class SpecError(ValueError):
    """A mistake in a spec file; the message starts with ``file:line:``."""


def spec_types() -> dict[str, type]:
    """The layer types a spec may name (torch.nn names plus the ResNet blocks)."""
    from .. import layers as L
    from .network import BasicBlock, Bottleneck

    return {**L.LAYER_TYPES, "BasicBlock": BasicBlock, "Bottleneck": Bottleneck}


def _layer_lines(text: str) -> list[tuple[int, dict[str, int]]]:
    """For each ``[[layers]]`` table: its header line and ``{field: line}``."""
    tables: list[tuple[int, dict[str, int]]] = []
    current: dict[str, int] | None = None
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = None
            if re.fullmatch(r"\[\[\s*layers\s*\]\]\s*(#.*)?", stripped):
                current = {}
                tables.append((n, current))
            continue
        m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=", line)
        if m and current is not None:
            current.setdefault(m.group(1), n)
    return tables


def _top_line(text: str, field: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("["):
            break
        if re.match(rf"\s*{re.escape(field)}\s*=", line):
            return n
    return 1


def _value(v):
    if isinstance(v, list):
        return tuple(_value(x) for x in v)
    return v


def load_spec(path) -> "Network":  # noqa: F821 - imported lazily
    """Read a TOML spec into a :class:`~derive.sizes.network.Network` (see the module docstring).

    Raises
    ------
    SpecError
        With ``file:line:`` and the field for every mistake.
    OSError
        When the file cannot be read.
    """
    from .network import Network

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise SpecError(f"{path}:{m.group(1) if m else 1}: TOML syntax error: {exc}") from None
    known_top = {"name", "input", "layers"}
    for key in data:
        if key not in known_top:
            raise SpecError(f"{path}:{_top_line(text, key)}: unknown top-level field {key!r}; expected one of {sorted(known_top)}")
    layers = data.get("layers")
    if not isinstance(layers, list) or not layers:
        raise SpecError(f"{path}:1: a spec needs at least one [[layers]] table")
    lines = _layer_lines(text)
    types = spec_types()
    built, where = [], {}
    for idx, entry in enumerate(layers):
        header, fields = lines[idx] if idx < len(lines) else (1, {})
        kind = entry.get("type")
        if kind is None:
            raise SpecError(f"{path}:{header}: layer {idx}: missing field 'type'; one of {sorted(types)}")
        if kind not in types:
            raise SpecError(f"{path}:{fields.get('type', header)}: layer {idx}: field 'type': unknown layer type "
                            f"{kind!r}; expected one of {sorted(types)}")
        cls = types[kind]
        params = inspect.signature(cls.__init__).parameters
        accepted = [p for p in params if p != "self"]
        kwargs = {}
        for key, value in entry.items():
            if key in ("type", "name"):
                continue
            if key not in accepted:
                raise SpecError(f"{path}:{fields.get(key, header)}: layer {idx} ({kind}): unknown field {key!r}; "
                                f"{kind} takes {accepted}")
            kwargs[key] = _value(value)
        missing = [p for p in accepted if params[p].default is inspect.Parameter.empty and p not in kwargs]
        if missing:
            raise SpecError(f"{path}:{header}: layer {idx} ({kind}): missing field(s) {missing}")
        try:
            layer = cls(**kwargs)
        except (ValueError, TypeError) as exc:
            field = next((k for k in kwargs if k in str(exc)), None)
            line = fields.get(field, header) if field else header
            raise SpecError(f"{path}:{line}: layer {idx} ({kind})" + (f", field {field!r}" if field else "")
                            + f": {exc}") from None
        name = str(entry.get("name", idx))
        where[name] = header
        built.append((name, layer))
    input_shape = _value(data["input"]) if "input" in data else None
    net = Network(built, name=str(data.get("name", path.stem)), input_shape=input_shape)
    if input_shape is not None:
        _check_shapes(net, path, text, where)
    return net


def _check_shapes(net, path, text, where) -> None:
    shape = net.input_shape
    try:
        shape = tuple(shape)
        if not shape:
            raise ValueError("empty input shape")
    except (TypeError, ValueError) as exc:
        raise SpecError(f"{path}:{_top_line(text, 'input')}: field 'input': {exc}") from None
    for name, layer in net.layers:
        try:
            shape = layer.output_shape(shape)
        except (ValueError, TypeError) as exc:
            raise SpecError(f"{path}:{where.get(name, 1)}: layer {name} ({type(layer).__name__}): "
                            f"input shape {tuple(shape)}: {exc}") from None
