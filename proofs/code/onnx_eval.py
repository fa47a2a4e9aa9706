r"""ONNX-style operator nodes evaluated on explicit arrays with :mod:`numeric`.

A node is an operator name (``Conv``, ``ConvTranspose``, ``MaxPool``, ``AveragePool``, ``LpPool``) with its
attributes as ONNX names them (``kernel_shape``, ``pads`` = ``[x1_begin, x2_begin, …, x1_end, x2_end, …]``,
``strides``, ``dilations``, ``auto_pad`` NOTSET/VALID/SAME_UPPER/SAME_LOWER, ``group``, ``ceil_mode``,
``count_include_pad``, ``p``, ``output_padding``). The padding is applied here (zeros for a convolution and the
sums of an average, ignored by a maximum), so the kernels of :mod:`numeric` run unpadded: asymmetric pads,
SAME padding and ceil mode all reduce to one padded input. A window that would start in the right padding is
dropped (ONNX's and PyTorch's ceil-mode rule). Anything outside these rules raises :class:`Unsupported` with the
reason (never a guess).

>>> import numpy as np
>>> x = np.arange(1, 17, dtype=float).reshape(1, 1, 4, 4)
>>> evaluate("AveragePool", [x], {"kernel_shape": [3, 3], "strides": [2, 2], "ceil_mode": 1})[0, 0].tolist()
[[6.0, 7.5], [12.0, 13.5]]
>>> evaluate("MaxPool", [x], {"kernel_shape": [2, 2], "auto_pad": "SAME_UPPER"})[0, 0, 0].tolist()
[6.0, 7.0, 8.0, 8.0]
>>> evaluate("Conv", [x, np.ones((1, 1, 3, 3))], {"pads": [1, 1, 1, 1]})[0, 0, 0].tolist()
[14.0, 24.0, 30.0, 22.0]
>>> evaluate("Gemm", [x], {})
Traceback (most recent call last):
...
proofs.code.onnx_eval.Unsupported: the operator Gemm is not one numeric evaluates
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["evaluate", "Unsupported", "OPERATORS"]

#: the operators evaluated here
OPERATORS = ("Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool")


class Unsupported(Exception):
    """A node this module does not evaluate; the message says which attribute or operator."""


def _ints(attrs: dict, name: str, n: int, default: int) -> tuple:
    v = attrs.get(name)
    if v is None:
        return (default,) * n
    if isinstance(v, (list, tuple)) and len(v) == n and all(isinstance(a, int) and not isinstance(a, bool) for a in v):
        return tuple(v)
    raise Unsupported(f"{name}={v!r} is not a list of {n} integers")


def _mode(attrs: dict) -> str:
    m = attrs.get("auto_pad", "NOTSET")
    if isinstance(m, bytes):
        m = m.decode()
    if m not in ("NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"):
        raise Unsupported(f"auto_pad={m!r} is not NOTSET, VALID, SAME_UPPER or SAME_LOWER")
    return m


def _pads(attrs: dict, size: tuple, k: tuple, s: tuple, d: tuple) -> list:
    """``(begin, end)`` per spatial axis from ``pads`` or ``auto_pad`` (SAME: output ⌈in/s⌉, the odd one at the end
    for SAME_UPPER, at the beginning for SAME_LOWER)."""
    n, mode = len(size), _mode(attrs)
    if mode == "NOTSET":
        p = _ints(attrs, "pads", 2 * n, 0)
        if min(p) < 0:
            raise Unsupported(f"negative pads {p}")
        return [(p[i], p[i + n]) for i in range(n)]
    if mode == "VALID":
        return [(0, 0)] * n
    out = []
    for i in range(n):
        total = max(0, (math.ceil(size[i] / s[i]) - 1) * s[i] + (k[i] - 1) * d[i] + 1 - size[i])
        small, big = total // 2, total - total // 2
        out.append((small, big) if mode == "SAME_UPPER" else (big, small))
    return out


def _out_size(size, pads, k, s, d, ceil_mode) -> list:
    out = []
    for i in range(len(size)):
        span = size[i] + pads[i][0] + pads[i][1] - ((k[i] - 1) * d[i] + 1)
        if span < 0:
            raise Unsupported(f"the window ({k[i]}, dilation {d[i]}) is larger than the padded axis {i} ({size[i]})")
        o = (-(-span // s[i]) if ceil_mode else span // s[i]) + 1
        if ceil_mode and (o - 1) * s[i] >= size[i] + pads[i][0]:
            o -= 1  # a window starting in the right padding is dropped
        out.append(o)
    return out


def _padded(x: np.ndarray, pads, extra, value: float) -> np.ndarray:
    width = [(0, 0), (0, 0)] + [(lo, hi + e) for (lo, hi), e in zip(pads, extra)]
    return np.pad(x, width, constant_values=value)


def _window_sums(xp: np.ndarray, k, s, d) -> np.ndarray:
    """Σ over each window of every channel (a grouped convolution with a kernel of ones)."""
    import numeric

    nd = xp.ndim - 2
    n, c = xp.shape[:2]
    flat = xp.reshape((n * c, 1) + xp.shape[2:])
    conv = numeric.conv1d if nd == 1 else numeric.conv2d
    y = conv(flat, np.ones((1, 1) + tuple(k)), None, stride=tuple(s) if nd > 1 else s[0],
             padding=0, dilation=tuple(d) if nd > 1 else d[0])
    return np.asarray(y, dtype=float).reshape((n, c) + y.shape[2:])


def _pool(op: str, x: np.ndarray, attrs: dict) -> np.ndarray:
    import numeric

    nd = x.ndim - 2
    if "kernel_shape" not in attrs:
        raise Unsupported(f"{op} without kernel_shape")
    k = _ints(attrs, "kernel_shape", nd, 1)
    s = _ints(attrs, "strides", nd, 1)
    d = _ints(attrs, "dilations", nd, 1)
    ceil_mode = bool(attrs.get("ceil_mode", 0))
    size = x.shape[2:]
    pads = _pads(attrs, size, k, s, d)
    out = _out_size(size, pads, k, s, d, ceil_mode)
    extra = [max(0, (o - 1) * s[i] + (k[i] - 1) * d[i] + 1 - (size[i] + pads[i][0] + pads[i][1])) for i, o in enumerate(out)]
    crop = (slice(None), slice(None)) + tuple(slice(0, o) for o in out)
    if op == "MaxPool":
        xp = _padded(x, pads, extra, -np.inf)
        pool = numeric.max_pool1d if nd == 1 else numeric.max_pool2d
        arg = (lambda t: t[0]) if nd == 1 else tuple
        return np.asarray(pool(xp, arg(k), stride=arg(s), padding=0, dilation=arg(d)), dtype=float)[crop]
    if op == "LpPool":
        p = attrs.get("p", 2)
        if not isinstance(p, (int, float)) or p <= 0:
            raise Unsupported(f"LpPool p={p!r}")
        return (_window_sums(_padded(np.abs(x) ** p, pads, extra, 0.0), k, s, d) ** (1.0 / p))[crop]
    sums = _window_sums(_padded(x, pads, extra, 0.0), k, s, d)[crop]
    region = np.ones((1, 1) + tuple(size))
    if attrs.get("count_include_pad", 0):
        region = _padded(region, pads, [0] * nd, 1.0)  # the explicit pads count, the ceil extension does not
        counts = _window_sums(_padded(region, [(0, 0)] * nd, extra, 0.0), k, s, d)[crop]
    else:
        counts = _window_sums(_padded(region, pads, extra, 0.0), k, s, d)[crop]
    return sums / counts


def _conv(op: str, x: np.ndarray, w: np.ndarray, b, attrs: dict) -> np.ndarray:
    import numeric

    nd = x.ndim - 2
    if w.ndim != x.ndim:
        raise Unsupported(f"weights of rank {w.ndim} for an input of rank {x.ndim}")
    k = _ints(attrs, "kernel_shape", nd, 0) if "kernel_shape" in attrs else tuple(w.shape[2:])
    if tuple(k) != tuple(w.shape[2:]):
        raise Unsupported(f"kernel_shape {k} differs from the weights' spatial shape {tuple(w.shape[2:])}")
    s = _ints(attrs, "strides", nd, 1)
    d = _ints(attrs, "dilations", nd, 1)
    g = attrs.get("group", 1)
    arg = (lambda t: t[0]) if nd == 1 else tuple
    if op == "Conv":
        pads = _pads(attrs, x.shape[2:], k, s, d)
        conv = numeric.conv1d if nd == 1 else numeric.conv2d
        return np.asarray(conv(_padded(x, pads, [0] * nd, 0.0), w, b, stride=arg(s), padding=0, dilation=arg(d),
                               groups=g), dtype=float)
    op_ = _ints(attrs, "output_padding", nd, 0)
    pads = _transposed_pads(attrs, x.shape[2:], k, s, d, op_)
    full = np.asarray(numeric.conv_transpose1d(x, w, None, arg(s), 0, 0, g, arg(d)) if nd == 1 else
                      numeric.conv_transpose2d(x, w, None, arg(s), 0, 0, g, arg(d)), dtype=float)
    full = np.pad(full, [(0, 0), (0, 0)] + [(0, e) for e in op_])
    out = [full.shape[2 + i] - op_[i] - pads[i][0] - pads[i][1] + op_[i] for i in range(nd)]
    y = full[(slice(None), slice(None)) + tuple(slice(pads[i][0], pads[i][0] + out[i]) for i in range(nd))]
    if b is not None:
        y = y + np.asarray(b, dtype=float).reshape((1, -1) + (1,) * nd)
    return y


def _transposed_pads(attrs, size, k, s, d, op_) -> list:
    """ConvTranspose's pads: written, or from ``output_shape``/SAME (output ``in·s``) when the total padding is even
    (an odd total's extra unit goes to a side that differs between ONNX versions: not decided)."""
    n, mode = len(size), _mode(attrs)
    if "output_shape" not in attrs and mode in ("NOTSET", "VALID"):
        return _pads(attrs, size, k, s, d) if mode == "NOTSET" else [(0, 0)] * n
    shape = attrs.get("output_shape")
    if isinstance(shape, (list, tuple)) and len(shape) == n + 2:
        shape = list(shape)[2:]  # written with the batch and channels
    target = _ints({"output_shape": shape}, "output_shape", n, 0) if "output_shape" in attrs else tuple(a * b for a, b in zip(size, s))
    out = []
    for i in range(n):
        total = s[i] * (size[i] - 1) + op_[i] + (k[i] - 1) * d[i] + 1 - target[i]
        if total < 0 or total % 2:
            raise Unsupported(f"ConvTranspose output size {target[i]} on axis {i}: total padding {total} is negative or "
                              "odd (the side of its extra unit differs between ONNX versions)")
        out.append((total // 2, total // 2))
    return out


def evaluate(op: str, inputs: list, attrs: dict) -> np.ndarray:
    """The first output of node ``op`` on ``inputs`` (arrays, ``None`` for an omitted optional input)."""
    if op not in OPERATORS:
        raise Unsupported(f"the operator {op} is not one numeric evaluates")
    if not inputs or inputs[0] is None:
        raise Unsupported(f"{op} without its input")
    x = np.asarray(inputs[0], dtype=float)
    if x.ndim not in (3, 4):
        raise Unsupported(f"{op} on a rank-{x.ndim} input (numeric evaluates 1-D and 2-D operators)")
    try:
        if op.startswith("Global"):  # a window as large as the input
            op, attrs = op[len("Global"):], {"kernel_shape": list(x.shape[2:])}
        if op in ("MaxPool", "AveragePool", "LpPool"):
            return _pool(op, x, attrs)
        if len(inputs) < 2 or inputs[1] is None:
            raise Unsupported(f"{op} without its weights")
        b = inputs[2] if len(inputs) > 2 else None
        return _conv(op, x, np.asarray(inputs[1], dtype=float), b, attrs)
    except (ValueError, TypeError) as exc:  # numeric's own constraints (a group that does not divide, …)
        raise Unsupported(f"{op}: {exc}") from exc
