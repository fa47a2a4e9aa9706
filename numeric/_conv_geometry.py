"""Validation and shape arithmetic shared by the convolutions (private).

The public functions of :mod:`numeric.conv` and :mod:`numeric.conv_transpose`
turn their user arguments into a :class:`ConvGeometry` here: per spatial
dimension the input size, output size, kernel size, stride, dilation and the
padding on each side. Every constraint that fails raises ``ValueError`` or
``TypeError`` with the numbers, e.g. the output-size arithmetic that fell
below 1.

The output size of a convolution is the number of integers ``i >= 0`` with
``s·i + d·(k−1) <= H + P_lo + P_hi − 1``:

.. math:: H_{out} = \\left\\lfloor \\frac{H + P_{lo} + P_{hi} - d(k-1) - 1}{s} \\right\\rfloor + 1

and a transposed convolution inverts it, choosing the remainder with
``output_padding``:

.. math:: H_{out} = (H - 1)s - 2P + d(k-1) + \\mathrm{output\\_padding} + 1

``padding='same'`` (any case: ``'SAME'`` too, as :mod:`derive.layers`)
follows TensorFlow's rule, which equals PyTorch's for stride 1 and extends it
to stride > 1 (where PyTorch raises): ``H_out = ⌈H/s⌉``, total padding
``max((H_out − 1)·s + d·(k−1) + 1 − H, 0)``, split as ``total // 2`` at the
start and the rest (the odd pixel) at the end.

``padding_mode`` is PyTorch's: ``'zeros'``, ``'reflect'`` (each side's
padding < the input size), ``'replicate'`` or ``'circular'`` (each side's
padding <= the input size: the input wraps around at most once).

Examples
--------
>>> conv_output_size("conv2d", "H_out", 28, 5, 1, 1, 0, 0)
24
>>> conv_output_size("conv2d", "H_out", 4, 5, 1, 1, 0, 0)
Traceback (most recent call last):
...
ValueError: conv2d: H_out = ⌊(4 + 2·0 − 1·(5−1) − 1)/1⌋ + 1 = 0 < 1 (kernel larger than padded input)
>>> same_padding(7, 3, 2, 1)
(1, 1)
>>> same_padding(8, 3, 2, 1)
(0, 1)
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ._layouts import LAYOUTS, SPATIAL_NAMES
from .validation import as_tuple, check_array, check_same_dtype

__all__ = [
    "ConvGeometry",
    "conv_output_size",
    "transposed_output_size",
    "same_padding",
    "parse_padding",
    "parse_padding_mode",
    "check_padding_fits",
    "PADDING_MODES",
    "check_groups",
    "conv_geometry",
    "conv_transpose_geometry",
    "check_grad_output",
]

WEIGHT_LAYOUTS = {1: "(C_out, C_in/groups, kL)", 2: "(C_out, C_in/groups, kH, kW)"}
WEIGHT_T_LAYOUTS = {1: "(C_in, C_out/groups, kL)", 2: "(C_in, C_out/groups, kH, kW)"}


@dataclass(frozen=True)
class ConvGeometry:
    """Shape arithmetic of one convolution, always in two spatial dimensions.

    A 1-D convolution is the 2-D one with a leading spatial dimension of size 1
    (kernel 1, stride 1, dilation 1, no padding), so the kernels exist once.

    Attributes
    ----------
    in_size, out_size, kernel, stride, dilation, pad_lo, pad_hi : tuple of 2 ints
        Per spatial dimension ``(H, W)``; ``pad_lo``/``pad_hi`` are the padding
        before and after. ``out_size`` is the size of the *convolution's* output
        (for a transposed convolution, its input).
    circular : bool
        Padding wraps around (``padding_mode='circular'``) instead of zeros.
    padding_mode : str
        ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``. The
        kernels read ``circular`` only; reflect and replicate padding are
        materialised by :mod:`numeric._explicit_padding` before they run.
    """

    in_size: tuple[int, int]
    out_size: tuple[int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    pad_lo: tuple[int, int]
    pad_hi: tuple[int, int]
    circular: bool = False
    padding_mode: str = "zeros"


def _sum_text(lo: int, hi: int) -> str:
    return f"2·{lo}" if lo == hi else f"({lo} + {hi})"


def conv_output_size(op: str, name: str, size: int, k: int, s: int, d: int, lo: int, hi: int) -> int:
    """``⌊(size + lo + hi − d·(k−1) − 1)/s⌋ + 1``, or ``ValueError`` if it is below 1."""
    out = (size + lo + hi - d * (k - 1) - 1) // s + 1
    if out < 1:
        raise ValueError(
            f"{op}: {name} = ⌊({size} + {_sum_text(lo, hi)} − {d}·({k}−1) − 1)/{s}⌋ + 1 = {out} < 1 "
            f"(kernel larger than padded input)"
        )
    return out


def transposed_output_size(op: str, name: str, size: int, k: int, s: int, d: int, p: int, op_pad: int) -> int:
    """``(size − 1)·s − 2·p + d·(k − 1) + output_padding + 1``, or ``ValueError`` if below 1.

    >>> transposed_output_size("conv_transpose2d", "H_out", 3, 3, 2, 1, 1, 1)
    6
    >>> transposed_output_size("conv_transpose2d", "H_out", 1, 1, 1, 1, 1, 0)
    Traceback (most recent call last):
    ...
    ValueError: conv_transpose2d: H_out = (1 − 1)·1 − 2·1 + 1·(1 − 1) + 0 + 1 = -1 < 1 (padding larger than the full output)
    """
    out = (size - 1) * s - 2 * p + d * (k - 1) + op_pad + 1
    if out < 1:
        raise ValueError(
            f"{op}: {name} = ({size} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op_pad} + 1 = {out} < 1 "
            f"(padding larger than the full output)"
        )
    return out


def same_padding(size: int, k: int, s: int, d: int) -> tuple[int, int]:
    """TensorFlow's ``SAME`` padding ``(lo, hi)``: output ``⌈size/s⌉``, odd pixel at the end."""
    out = -(-size // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - size, 0)
    return total // 2, total - total // 2


def _is_int(v: Any) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_))


def parse_padding(
    op: str, padding: Any, nd: int, in_size: tuple[int, ...], kernel: tuple[int, ...],
    stride: tuple[int, ...], dilation: tuple[int, ...],
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Padding before and after each spatial dimension, from the user's ``padding``.

    Accepted forms: an int; a tuple of ``nd`` items, each an int (both sides) or a
    pair ``(before, after)``; ``'valid'`` (no padding); ``'same'`` (see module
    docstring). In 1-D a bare pair ``(left, right)`` is also read as per-side.

    >>> parse_padding("conv2d", ((1, 2), 3), 2, (8, 8), (3, 3), (1, 1), (1, 1))
    ((1, 3), (2, 3))
    >>> parse_padding("conv1d", (0, 2), 1, (8,), (3,), (1,), (1,))
    ((0,), (2,))
    >>> parse_padding("conv2d", -1, 2, (8, 8), (3, 3), (1, 1), (1, 1))
    Traceback (most recent call last):
    ...
    ValueError: conv2d: padding must be >= 0, got -1
    """
    if isinstance(padding, str):
        if padding.lower() == "valid":
            return (0,) * nd, (0,) * nd
        if padding.lower() == "same":
            pairs = [same_padding(h, k, s, d) for h, k, s, d in zip(in_size, kernel, stride, dilation)]
            return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
        raise ValueError(f"{op}: padding must be an int, a tuple, 'valid' or 'same', got {padding!r}")
    if isinstance(padding, (list, tuple)):
        items = list(padding)
        if nd == 1 and len(items) == 2 and all(_is_int(v) for v in items):
            items = [tuple(items)]  # 1-D: (left, right)
        if len(items) != nd:
            raise ValueError(
                f"{op}: padding must be an int or a tuple of {nd} items (int or (before, after) pair), "
                f"got {padding!r}"
            )
    else:
        items = [padding] * nd
    lo, hi = [], []
    for item in items:
        pair = tuple(item) if isinstance(item, (list, tuple)) else (item, item)
        if len(pair) != 2:
            raise ValueError(f"{op}: each per-side padding must be a (before, after) pair, got {item!r}")
        a, b = as_tuple(pair, 2, f"{op}: padding", minimum=0)
        lo.append(a)
        hi.append(b)
    return tuple(lo), tuple(hi)


PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def parse_padding_mode(op: str, padding_mode: Any) -> str:
    """One of PyTorch's padding modes ``'zeros'``, ``'reflect'``, ``'replicate'``, ``'circular'``.

    >>> parse_padding_mode("conv2d", "reflect")
    'reflect'
    >>> parse_padding_mode("conv2d", "mirror")
    Traceback (most recent call last):
    ...
    ValueError: conv2d: padding_mode must be one of 'zeros', 'reflect', 'replicate', 'circular', got 'mirror'
    """
    if not isinstance(padding_mode, str) or padding_mode not in PADDING_MODES:
        allowed = ", ".join(repr(m) for m in PADDING_MODES)
        raise ValueError(f"{op}: padding_mode must be one of {allowed}, got {padding_mode!r}")
    return padding_mode


def check_padding_fits(op: str, mode: str, names: Any, in_size: Any, lo: Any, hi: Any) -> None:
    """Padding that copies input pixels cannot ask for more pixels than exist (PyTorch's limits).

    ``'reflect'`` mirrors without repeating the edge, so each side's padding
    must be < the size; ``'circular'`` wraps around at most once, so <= the
    size; ``'zeros'`` and ``'replicate'`` take any padding.

    >>> check_padding_fits("conv2d", "circular", ("H", "W"), (3, 3), (4, 1), (1, 1))
    Traceback (most recent call last):
    ...
    ValueError: conv2d: circular padding wraps around at most once: padding 4 before H must be <= H = 3
    >>> check_padding_fits("conv1d", "reflect", ("L",), (3,), (1,), (3,))
    Traceback (most recent call last):
    ...
    ValueError: conv1d: reflect padding must be < the input size: padding 3 after L must be < L = 3
    """
    if mode not in ("reflect", "circular"):
        return
    for name, size, a, b in zip(names, in_size, lo, hi):
        for side, p in (("before", a), ("after", b)):
            if mode == "circular" and p > size:
                raise ValueError(f"{op}: circular padding wraps around at most once: padding {p} {side} {name} "
                                 f"must be <= {name} = {size}")
            if mode == "reflect" and p >= size:
                raise ValueError(f"{op}: reflect padding must be < the input size: padding {p} {side} {name} "
                                 f"must be < {name} = {size}")


def check_groups(op: str, groups: Any, c_in: int, c_out: int) -> int:
    """``groups`` is an int >= 1 dividing both channel counts.

    >>> check_groups("conv2d", 2, 3, 4)
    Traceback (most recent call last):
    ...
    ValueError: conv2d: groups = 2 must divide C_in = 3 (3 mod 2 = 1)
    """
    (g,) = as_tuple(groups, 1, f"{op}: groups")
    for name, c in (("C_in", c_in), ("C_out", c_out)):
        if c % g:
            raise ValueError(f"{op}: groups = {g} must divide {name} = {c} ({c} mod {g} = {c % g})")
    return g


def _pad2(t: tuple[int, ...], fill: int) -> tuple[int, int]:
    return (fill, t[0]) if len(t) == 1 else (t[0], t[1])


def _arrays(op: str, nd: int, x: Any, weight: Any, bias: Any, transposed: bool):
    x = check_array(x, f"{op}: input", nd + 2, LAYOUTS[nd], empty_batch=True)
    layout = WEIGHT_T_LAYOUTS[nd] if transposed else WEIGHT_LAYOUTS[nd]
    weight = check_array(weight, f"{op}: weight", nd + 2, layout)
    if bias is not None:
        bias = check_array(bias, f"{op}: bias", 1, "(C_out,)")
    dtype = check_same_dtype(op, input=x, weight=weight, bias=bias)
    return x, weight, bias, dtype


def conv_geometry(
    op: str, nd: int, x: Any, weight: Any, bias: Any, stride: Any, padding: Any, dilation: Any,
    groups: Any, padding_mode: Any = "zeros",
):
    """Validate a convolution call; return ``(x, weight, bias, groups, geometry)``.

    Arrays come back C-contiguous with one float dtype; ``geometry`` is 2-D.

    >>> g = conv_geometry("conv2d", 2, np.zeros((1, 2, 5, 5)), np.zeros((4, 1, 3, 3)), None, 2, "same", 1, 2)[-1]
    >>> g.out_size, g.pad_lo, g.pad_hi
    ((3, 3), (1, 1), (1, 1))
    """
    x, weight, bias, _ = _arrays(op, nd, x, weight, bias, transposed=False)
    args = (op, nd, x.shape, weight.shape, None if bias is None else bias.shape[0], stride, padding, dilation,
            groups, padding_mode)
    g, geo = (_cached_geometry if _plain(stride, padding, dilation, groups, padding_mode) else _geometry)(*args)
    return x, weight, bias, g, geo


def _plain(*values: Any) -> bool:
    """Whether every hyper-parameter is a built-in ``int`` or ``str``, or a tuple of them: values whose equality
    is their identity for the checks (``(1, 1.0) == (1, 1)`` would let a float hit a cached integer tuple)."""
    return all(type(v) in (int, str) or (type(v) is tuple and all(type(e) in (int, str) for e in v))
               for v in values)


def _geometry(op: str, nd: int, x_shape: tuple[int, ...], w_shape: tuple[int, ...], n_bias: int | None,
              stride: Any, padding: Any, dilation: Any, groups: Any, padding_mode: Any):
    """``(groups, geometry)`` of a convolution of these shapes and hyper-parameters, or the error they raise."""
    stride = as_tuple(stride, nd, f"{op}: stride")
    dilation = as_tuple(dilation, nd, f"{op}: dilation")
    mode = parse_padding_mode(op, padding_mode)
    c_in, c_out = x_shape[1], w_shape[0]
    g = check_groups(op, groups, c_in, c_out)
    if w_shape[1] * g != c_in:
        raise ValueError(
            f"{op}: channel mismatch: weight {w_shape} expects C_in/groups = {w_shape[1]}, "
            f"but input has C_in = {c_in} and groups = {g} (C_in/groups = {c_in // g})"
        )
    if n_bias is not None and n_bias != c_out:
        raise ValueError(f"{op}: bias must have C_out = {c_out} entries, got shape ({n_bias},)")
    in_size, kernel = x_shape[2:], w_shape[2:]
    lo, hi = parse_padding(op, padding, nd, in_size, kernel, stride, dilation)
    check_padding_fits(op, mode, SPATIAL_NAMES[nd], in_size, lo, hi)
    names = [n + "_out" for n in SPATIAL_NAMES[nd]]
    out = tuple(
        conv_output_size(op, names[i], in_size[i], kernel[i], stride[i], dilation[i], lo[i], hi[i])
        for i in range(nd)
    )
    geo = ConvGeometry(
        _pad2(in_size, 1), _pad2(out, 1), _pad2(kernel, 1), _pad2(stride, 1), _pad2(dilation, 1),
        _pad2(lo, 0), _pad2(hi, 0), mode == "circular", mode,
    )
    return g, geo


#: The same, memoised for plain hyper-parameters (:func:`_plain`): a small convolution's call (LeNet at batch 1,
#: ~0.1 ms) spent a quarter of its time re-deriving the same geometry. Errors are not cached (raised each time).
_cached_geometry = lru_cache(maxsize=256)(_geometry)


def conv_transpose_geometry(
    op: str, nd: int, x: Any, weight: Any, bias: Any, stride: Any, padding: Any, output_padding: Any,
    groups: Any, dilation: Any,
):
    """Validate a transposed-convolution call; return ``(x, weight, bias, groups, geometry)``.

    The geometry is that of the *forward* convolution whose input-gradient this
    operator is: its ``in_size`` is the transposed output size and its
    ``out_size`` is the transposed input size.

    >>> g = conv_transpose_geometry("conv_transpose2d", 2, np.zeros((1, 4, 3, 3)), np.zeros((4, 2, 3, 3)),
    ...                             None, 2, 1, 1, 1, 1)[-1]
    >>> g.in_size, g.out_size
    ((6, 6), (3, 3))
    >>> conv_transpose_geometry("conv_transpose2d", 2, np.zeros((1, 4, 3, 3)), np.zeros((4, 2, 3, 3)),
    ...                         None, 2, 1, 2, 1, 1)
    Traceback (most recent call last):
    ...
    ValueError: conv_transpose2d: output_padding = 2 must be < max(stride, dilation) = max(2, 1) = 2
    """
    x, weight, bias, _ = _arrays(op, nd, x, weight, bias, transposed=True)
    stride = as_tuple(stride, nd, f"{op}: stride")
    dilation = as_tuple(dilation, nd, f"{op}: dilation")
    if isinstance(padding, str):
        raise ValueError(f"{op}: padding must be an int or a tuple of {nd} ints, got {padding!r}")
    padding = as_tuple(padding, nd, f"{op}: padding", minimum=0)
    output_padding = as_tuple(output_padding, nd, f"{op}: output_padding", minimum=0)
    for op_pad, s, d in zip(output_padding, stride, dilation):
        if op_pad >= max(s, d):
            raise ValueError(
                f"{op}: output_padding = {op_pad} must be < max(stride, dilation) = max({s}, {d}) = {max(s, d)}"
            )
    c_in = x.shape[1]
    if weight.shape[0] != c_in:
        raise ValueError(
            f"{op}: channel mismatch: weight {weight.shape} expects C_in = {weight.shape[0]}, "
            f"but input has C_in = {c_in}"
        )
    (g,) = as_tuple(groups, 1, f"{op}: groups")
    c_out = weight.shape[1] * g
    check_groups(op, g, c_in, c_out)
    if bias is not None and bias.shape[0] != c_out:
        raise ValueError(f"{op}: bias must have C_out = {c_out} entries, got shape {bias.shape}")
    in_size, kernel = x.shape[2:], weight.shape[2:]
    names = [n + "_out" for n in SPATIAL_NAMES[nd]]
    out = tuple(
        transposed_output_size(op, names[i], in_size[i], kernel[i], stride[i], dilation[i], padding[i],
                               output_padding[i])
        for i in range(nd)
    )
    geo = ConvGeometry(
        _pad2(out, 1), _pad2(in_size, 1), _pad2(kernel, 1), _pad2(stride, 1), _pad2(dilation, 1),
        _pad2(padding, 0), _pad2(padding, 0), False,
    )
    return x, weight, bias, g, geo


def check_grad_output(op: str, grad_output: Any, expected: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """``grad_output`` has exactly the forward output's shape and dtype.

    >>> check_grad_output("conv2d_backward", np.zeros((1, 2, 3, 3)), (1, 2, 4, 4), np.dtype(np.float64))
    Traceback (most recent call last):
    ...
    ValueError: conv2d_backward: grad_output must have the forward output's shape (1, 2, 4, 4), got (1, 2, 3, 3)
    """
    nd = len(expected) - 2
    g = check_array(grad_output, f"{op}: grad_output", nd + 2, LAYOUTS[nd], empty_batch=True)
    if g.shape != tuple(expected):
        raise ValueError(f"{op}: grad_output must have the forward output's shape {tuple(expected)}, got {g.shape}")
    check_same_dtype(op, grad_output=g, input=np.empty(0, dtype))
    return g
