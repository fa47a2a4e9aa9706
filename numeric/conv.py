"""Convolution (cross-correlation) in 1-D and 2-D, forward and backward.

PyTorch conventions: input ``(N, C_in, L)`` / ``(N, C_in, H, W)``, weight
``(C_out, C_in/groups, k…)``, keyword names and defaults of
``torch.nn.functional.conv1d/conv2d`` (plus ``padding_mode`` of ``nn.Conv2d``).

.. math:: Y[n, o, i, j] = b[o] + \\sum_{c=0}^{C_g-1} \\sum_{p, q} W[o, c, p, q]\\,
          X[n, g C_g + c,\\; s_h i + d_h p - P_h,\\; s_w j + d_w q - P_w],
          \\qquad g = \\lfloor o / (C_{out}/\\text{groups}) \\rfloor

with ``C_g = C_in/groups``, out-of-image terms zero (``padding_mode='zeros'``)
or wrapped around (``'circular'``), and

.. math:: H_{out} = \\left\\lfloor \\frac{H + P_{top} + P_{bottom} - d_h(k_h - 1) - 1}{s_h} \\right\\rfloor + 1 .

Padding may be an int, a per-dimension tuple, per-side pairs
``((top, bottom), (left, right))`` (1-D: ``(left, right)`` or ``((left, right),)``),
``'valid'`` or ``'same'``. ``'same'`` follows TensorFlow's rule, identical to
PyTorch's at stride 1: ``H_out = ⌈H/s⌉``, total padding
``max((H_out − 1)·s + d·(k − 1) + 1 − H, 0)``, ``total // 2`` at the start and
the odd pixel at the end.

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

from typing import Any

import numpy as np

from . import _conv_engine as engine
from ._conv_geometry import check_grad_output, conv_geometry

__all__ = ["conv1d", "conv2d", "conv1d_backward", "conv2d_backward"]


def _to2d(a: np.ndarray) -> np.ndarray:
    return a.reshape(a.shape[0], a.shape[1], 1, a.shape[2])


def conv2d(x: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: int = 1, padding_mode: str = "zeros") -> np.ndarray:
    """2-D convolution (cross-correlation), as ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : ndarray (N, C_in, H, W), float32 or float64
    weight : ndarray (C_out, C_in/groups, kH, kW), same dtype
    bias : ndarray (C_out,) or None
    stride, dilation : int or (int, int), each >= 1
    padding : int, (int, int), ((top, bottom), (left, right)), 'valid' or 'same'
    groups : int dividing C_in and C_out
    padding_mode : 'zeros' or 'circular'

    Returns
    -------
    ndarray (N, C_out, H_out, W_out) of the input's dtype,
    ``H_out = ⌊(H + P_top + P_bottom − d·(kH − 1) − 1)/s⌋ + 1``.

    Raises
    ------
    TypeError
        Non-float or mixed dtypes, non-integer hyper-parameters.
    ValueError
        Wrong rank, channel/group mismatch, stride/dilation < 1, padding < 0,
        an output size below 1.

    Examples
    --------
    >>> x = np.ones((2, 4, 7, 7), np.float32)
    >>> conv2d(x, np.ones((6, 2, 3, 3), np.float32), stride=2, padding="same", groups=2).shape
    (2, 6, 4, 4)
    >>> conv2d(x, np.ones((6, 3, 3, 3), np.float32))
    Traceback (most recent call last):
    ...
    ValueError: conv2d: channel mismatch: weight (6, 3, 3, 3) expects C_in/groups = 3, but input has C_in = 4 and groups = 1 (C_in/groups = 4)
    """
    x, weight, bias, g, geo = conv_geometry("conv2d", 2, x, weight, bias, stride, padding, dilation, groups,
                                            padding_mode)
    return engine.forward(x, weight, bias, g, geo)


def conv1d(x: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
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
    """
    x, weight, bias, g, geo = conv_geometry("conv1d", 1, x, weight, bias, stride, padding, dilation, groups,
                                            padding_mode)
    y = engine.forward(_to2d(x), _to2d(weight), bias, g, geo)
    return y.reshape(y.shape[0], y.shape[1], y.shape[3])


def _backward(op: str, nd: int, grad_output, x, weight, stride, padding, dilation, groups, padding_mode):
    x, weight, _, g, geo = conv_geometry(op, nd, x, weight, None, stride, padding, dilation, groups, padding_mode)
    out_shape = (x.shape[0], weight.shape[0], *geo.out_size[2 - nd:])
    go = check_grad_output(op, grad_output, out_shape, x.dtype)
    if nd == 1:
        x, weight, go = _to2d(x), _to2d(weight), _to2d(go)
    gx, gw, gb = engine.backward(go, x, weight, g, geo)
    if nd == 1:
        gx = gx.reshape(gx.shape[0], gx.shape[1], gx.shape[3])
        gw = gw.reshape(gw.shape[0], gw.shape[1], gw.shape[3])
    return gx, gw, gb


def conv2d_backward(grad_output: Any, x: Any, weight: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                    groups: int = 1, padding_mode: str = "zeros") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`conv2d` with respect to input, weight and bias.

    .. math::
        \\frac{\\partial L}{\\partial X[n,c,a,b]} = \\sum_{o,p,q,i,j} G[n,o,i,j]\\, W[o, c - gC_g, p, q]\\,
            [s_h i + d_h p - P_h = a]\\,[s_w j + d_w q - P_w = b], \\quad
        \\frac{\\partial L}{\\partial W[o,c,p,q]} = \\sum_{n,i,j} G[n,o,i,j]\\, X[n, gC_g + c, s_h i + d_h p - P_h, \\dots],
        \\quad \\frac{\\partial L}{\\partial b[o]} = \\sum_{n,i,j} G[n,o,i,j]

    (with circular padding the brackets compare indices modulo the size).

    Parameters
    ----------
    grad_output : ndarray (N, C_out, H_out, W_out), the forward output's shape and dtype
    x, weight, stride, padding, dilation, groups, padding_mode : as in :func:`conv2d`

    Returns
    -------
    (grad_input, grad_weight, grad_bias) with the shapes of ``x``, ``weight`` and ``(C_out,)``.

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
    >>> conv2d_backward(np.ones((1, 1, 3, 3)), x, np.ones((1, 1, 2, 2)))
    Traceback (most recent call last):
    ...
    ValueError: conv2d_backward: grad_output must have the forward output's shape (1, 1, 2, 2), got (1, 1, 3, 3)
    """
    return _backward("conv2d_backward", 2, grad_output, x, weight, stride, padding, dilation, groups, padding_mode)


def conv1d_backward(grad_output: Any, x: Any, weight: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                    groups: int = 1, padding_mode: str = "zeros") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`conv1d` with respect to input, weight and bias (see :func:`conv2d_backward`).

    Examples
    --------
    >>> gx, gw, gb = conv1d_backward(np.ones((1, 1, 3)), np.arange(4.0).reshape(1, 1, 4), np.ones((1, 1, 2)))
    >>> gx, gw, gb
    (array([[[1., 2., 2., 1.]]]), array([[[3., 6.]]]), array([3.]))
    """
    return _backward("conv1d_backward", 1, grad_output, x, weight, stride, padding, dilation, groups, padding_mode)
