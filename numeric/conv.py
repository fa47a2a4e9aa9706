"""Convolution (cross-correlation) in 1-D and 2-D, forward and backward.

PyTorch conventions: input ``(N, C_in, L)`` / ``(N, C_in, H, W)``, weight
``(C_out, C_in/groups, k…)``, keyword names and defaults of
``torch.nn.functional.conv1d/conv2d`` (plus ``padding_mode`` of ``nn.Conv2d``).

.. math:: Y[n, o, i, j] = b[o] + \\sum_{c=0}^{C_g-1} \\sum_{p, q} W[o, c, p, q]\\,
          X[n, g C_g + c,\\; s_h i + d_h p - P_h,\\; s_w j + d_w q - P_w],
          \\qquad g = \\lfloor o / (C_{out}/\\text{groups}) \\rfloor

with ``C_g = C_in/groups``, out-of-image terms zero (``padding_mode='zeros'``),
wrapped around (``'circular'``, padding <= the size), mirrored without
repeating the edge (``'reflect'``, padding < the size) or copies of the edge
(``'replicate'``), and

.. math:: H_{out} = \\left\\lfloor \\frac{H + P_{top} + P_{bottom} - d_h(k_h - 1) - 1}{s_h} \\right\\rfloor + 1 .

Padding may be an int, a per-dimension tuple, per-side pairs
``((top, bottom), (left, right))`` (1-D: ``(left, right)`` or ``((left, right),)``),
``'valid'`` or ``'same'`` (any case, as :mod:`derive.layers`). ``'same'``
follows TensorFlow's rule, identical to PyTorch's at stride 1 and defined at
stride > 1 too (where PyTorch raises): ``H_out = ⌈H/s⌉``, total padding
``max((H_out − 1)·s + d·(k − 1) + 1 − H, 0)``, ``total // 2`` at the start and
the odd pixel at the end.

An empty batch (``N = 0``) gives an empty output, as in PyTorch. The
backward functions compute only the gradients flagged in
``needs_input_grad=(input, weight, bias)`` and return ``None`` for the others.

Examples
--------
>>> import numpy as np
>>> x = np.arange(16.0).reshape(1, 1, 4, 4)
>>> w = np.ones((1, 1, 2, 2))
>>> conv2d(x, w, stride=2)[0, 0]
array([[10., 18.],
       [42., 50.]])
>>> conv2d(x, np.ones((1, 1, 5, 5)))
Traceback (most recent call last):
...
ValueError: conv2d: H_out = ⌊(4 + 2·0 − 1·(5−1) − 1)/1⌋ + 1 = 0 < 1 (kernel larger than padded input)
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from . import _conv_engine as engine
from ._conv_geometry import ConvGeometry, check_grad_output, conv_geometry
from ._explicit_padding import NUMPY_MODES, fold_padding_grad, pad_input
from .validation import check_needs_input_grad

__all__ = ["conv1d", "conv2d", "conv1d_backward", "conv2d_backward"]


def _to2d(a: np.ndarray) -> np.ndarray:
    return a.reshape(a.shape[0], a.shape[1], 1, a.shape[2])


def _to1d(a: np.ndarray) -> np.ndarray:
    return a.reshape(a.shape[0], a.shape[1], a.shape[3])


def _materialised(geo: ConvGeometry) -> bool:
    """Reflect and replicate padding are copied into a padded input; the kernels see no padding."""
    return geo.padding_mode in NUMPY_MODES


def _without_padding(geo: ConvGeometry) -> ConvGeometry:
    """The geometry of the same convolution on the already padded input."""
    size = tuple(h + a + b for h, a, b in zip(geo.in_size, geo.pad_lo, geo.pad_hi))
    return replace(geo, in_size=size, pad_lo=(0, 0), pad_hi=(0, 0), padding_mode="zeros")


def _prepare(op, nd, x, weight, bias, stride, padding, dilation, groups, padding_mode):
    """Validated 4-D ``x`` and ``weight`` (1-D gets a height of 1), ``bias``, ``groups``, geometry."""
    x, weight, bias, g, geo = conv_geometry(op, nd, x, weight, bias, stride, padding, dilation, groups, padding_mode)
    if nd == 1:
        x, weight = _to2d(x), _to2d(weight)
    return x, weight, bias, g, geo


def _forward(op, nd, x, weight, bias, stride, padding, dilation, groups, padding_mode) -> np.ndarray:
    x, weight, bias, g, geo = _prepare(op, nd, x, weight, bias, stride, padding, dilation, groups, padding_mode)
    if x.shape[0] == 0:  # an empty batch: PyTorch returns an empty output
        y = np.zeros((0, weight.shape[0], *geo.out_size), x.dtype)
    elif _materialised(geo):
        y = engine.forward(pad_input(x, geo.pad_lo, geo.pad_hi, geo.padding_mode), weight, bias, g,
                           _without_padding(geo))
    else:
        y = engine.forward(x, weight, bias, g, geo)
    return _to1d(y) if nd == 1 else y


def conv2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: int = 1, padding_mode: str = "zeros") -> np.ndarray:
    """2-D convolution (cross-correlation), as ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    input : ndarray (N, C_in, H, W), float32 or float64 (N may be 0)
    weight : ndarray (C_out, C_in/groups, kH, kW), same dtype
    bias : ndarray (C_out,) or None
    stride, dilation : int or (int, int), each >= 1
    padding : int, (int, int), ((top, bottom), (left, right)), 'valid' or 'same' (any case)
    groups : int dividing C_in and C_out
    padding_mode : 'zeros', 'reflect', 'replicate' or 'circular' (``nn.Conv2d``'s; keyword of numeric only)

    Returns
    -------
    ndarray (N, C_out, H_out, W_out) of the input's dtype,
    ``H_out = ⌊(H + P_top + P_bottom − d·(kH − 1) − 1)/s⌋ + 1``.

    Raises
    ------
    TypeError
        Non-float or mixed dtypes, non-integer hyper-parameters, a tensor that requires grad.
    ValueError
        Wrong rank, channel/group mismatch, stride/dilation < 1, padding < 0,
        an output size below 1, reflect padding >= the size, circular padding > the size.

    Examples
    --------
    >>> x = np.ones((2, 4, 7, 7), np.float32)
    >>> conv2d(x, np.ones((6, 2, 3, 3), np.float32), stride=2, padding="same", groups=2).shape
    (2, 6, 4, 4)
    >>> conv2d(np.arange(3.0).reshape(1, 1, 1, 3), np.ones((1, 1, 1, 3)), padding=(0, 1), padding_mode="reflect")
    array([[[[3., 3., 3.]]]])
    >>> conv2d(x, np.ones((6, 3, 3, 3), np.float32))
    Traceback (most recent call last):
    ...
    ValueError: conv2d: channel mismatch: weight (6, 3, 3, 3) expects C_in/groups = 3, but input has C_in = 4 and groups = 1 (C_in/groups = 4)
    """
    return _forward("conv2d", 2, input, weight, bias, stride, padding, dilation, groups, padding_mode)


def conv1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: int = 1, padding_mode: str = "zeros") -> np.ndarray:
    """1-D convolution (cross-correlation), as ``torch.nn.functional.conv1d``.

    Same parameters as :func:`conv2d` with input ``(N, C_in, L)`` and weight
    ``(C_out, C_in/groups, k)``; ``padding`` may be ``(left, right)``.

    Returns
    -------
    ndarray (N, C_out, L_out), ``L_out = ⌊(L + P_left + P_right − d·(k − 1) − 1)/s⌋ + 1``.

    Examples
    --------
    >>> conv1d(np.array([[[1.0, 2.0, 3.0, 4.0]]]), np.array([[[1.0, -1.0]]]), padding=(0, 1))
    array([[[-1., -1., -1.,  4.]]])
    >>> conv1d(np.ones((1, 1, 4)), np.ones((1, 1, 3)), stride=0)
    Traceback (most recent call last):
    ...
    ValueError: conv1d: stride must be >= 1, got 0
    >>> conv1d(np.ones((1, 1, 3)), np.ones((1, 1, 3)), padding=4, padding_mode="circular")
    Traceback (most recent call last):
    ...
    ValueError: conv1d: circular padding wraps around at most once: padding 4 before L must be <= L = 3
    """
    return _forward("conv1d", 1, input, weight, bias, stride, padding, dilation, groups, padding_mode)


def _backward(op, nd, grad_output, x, weight, stride, padding, dilation, groups, padding_mode, needs_input_grad):
    need_x, need_w, need_b = check_needs_input_grad(op, needs_input_grad)
    x, weight, _, g, geo = _prepare(op, nd, x, weight, None, stride, padding, dilation, groups, padding_mode)
    c_out = weight.shape[0]
    go = check_grad_output(op, grad_output, (x.shape[0], c_out, *geo.out_size[2 - nd:]), x.dtype)
    go = _to2d(go) if nd == 1 else go
    gx = gw = gb = None
    if x.shape[0] == 0:  # an empty batch: empty input-gradient, zero weight- and bias-gradients
        gx, gw, gb = np.zeros_like(x), np.zeros_like(weight), np.zeros(c_out, x.dtype)
    else:
        padded = _materialised(geo)
        kgeo = _without_padding(geo) if padded else geo
        xk = pad_input(x, geo.pad_lo, geo.pad_hi, geo.padding_mode) if padded and need_w else x
        if need_x and need_w:
            gx, gw, gb = engine.backward(go, xk, weight, g, kgeo)
        elif need_x:
            gx = engine.grad_input(go, weight, g, kgeo, x.shape[1])
        elif need_w:
            gw = engine.grad_weight(go, xk, g, kgeo, weight.shape)
        if gx is not None and padded:
            gx = fold_padding_grad(gx, geo.pad_lo, geo.pad_hi, geo.padding_mode)
        if need_b and gb is None:
            gb = engine.grad_bias(go)
    gx, gw, gb = (gx if need_x else None), (gw if need_w else None), (gb if need_b else None)
    if nd == 1:
        gx, gw = (None if gx is None else _to1d(gx)), (None if gw is None else _to1d(gw))
    return gx, gw, gb


def conv2d_backward(grad_output: Any, input: Any, weight: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                    groups: int = 1, padding_mode: str = "zeros", *,
                    needs_input_grad: tuple[bool, bool, bool] = (True, True, True)):
    """Gradients of :func:`conv2d` with respect to input, weight and bias.

    .. math::
        \\frac{\\partial L}{\\partial X[n,c,a,b]} = \\sum_{o,p,q,i,j} G[n,o,i,j]\\, W[o, c - gC_g, p, q]\\,
            [s_h i + d_h p - P_h = a]\\,[s_w j + d_w q - P_w = b], \\quad
        \\frac{\\partial L}{\\partial W[o,c,p,q]} = \\sum_{n,i,j} G[n,o,i,j]\\, X[n, gC_g + c, s_h i + d_h p - P_h, \\dots],
        \\quad \\frac{\\partial L}{\\partial b[o]} = \\sum_{n,i,j} G[n,o,i,j]

    With circular padding the brackets compare indices modulo the size; with
    reflect or replicate padding the gradient of every padded pixel is added
    to the input pixel it copies (:mod:`numeric._explicit_padding`).

    Parameters
    ----------
    grad_output : ndarray (N, C_out, H_out, W_out), the forward output's shape and dtype
    input, weight, stride, padding, dilation, groups, padding_mode : as in :func:`conv2d`
    needs_input_grad : (bool, bool, bool)
        Which of (input, weight, bias) gradients to compute (keyword only);
        the others are not computed and come back as ``None``.

    Returns
    -------
    (grad_input, grad_weight, grad_bias) with the shapes of ``input``, ``weight`` and ``(C_out,)``
    (or ``None`` where not requested).

    Raises
    ------
    ValueError, TypeError
        As :func:`conv2d`, and when ``grad_output`` has the wrong shape or dtype.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> gx, gw, gb = conv2d_backward(np.ones((1, 1, 2, 2)), x, np.ones((1, 1, 2, 2)))
    >>> gx[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> gw[0, 0], gb
    (array([[ 8., 12.],
           [20., 24.]]), array([4.]))
    >>> conv2d_backward(np.ones((1, 1, 2, 2)), x, np.ones((1, 1, 2, 2)), needs_input_grad=(False, True, False))[::2]
    (None, None)
    >>> conv2d_backward(np.ones((1, 1, 3, 3)), x, np.ones((1, 1, 2, 2)))
    Traceback (most recent call last):
    ...
    ValueError: conv2d_backward: grad_output must have the forward output's shape (1, 1, 2, 2), got (1, 1, 3, 3)
    """
    return _backward("conv2d_backward", 2, grad_output, input, weight, stride, padding, dilation, groups,
                     padding_mode, needs_input_grad)


def conv1d_backward(grad_output: Any, input: Any, weight: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                    groups: int = 1, padding_mode: str = "zeros", *,
                    needs_input_grad: tuple[bool, bool, bool] = (True, True, True)):
    """Gradients of :func:`conv1d` with respect to input, weight and bias (see :func:`conv2d_backward`).

    Examples
    --------
    >>> gx, gw, gb = conv1d_backward(np.ones((1, 1, 3)), np.arange(4.0).reshape(1, 1, 4), np.ones((1, 1, 2)))
    >>> gx, gw, gb
    (array([[[1., 2., 2., 1.]]]), array([[[3., 6.]]]), array([3.]))
    """
    return _backward("conv1d_backward", 1, grad_output, input, weight, stride, padding, dilation, groups,
                     padding_mode, needs_input_grad)
