"""Transposed convolution in 1-D and 2-D, forward and backward.

PyTorch conventions (``torch.nn.functional.conv_transpose1d/2d``): input
``(N, C_in, H, W)``, weight ``(C_in, C_out/groups, kH, kW)``. Each input pixel
scatters a weighted copy of its filter into the output:

.. math:: Y[n, g C'_g + o, a, b] = b[o] + \\sum_{c, p, q, i, j} X[n, c, i, j]\\, W[c, o, p, q]\\,
          [s_h i + d_h p - P_h = a]\\,[s_w j + d_w q - P_w = b]

(``c`` running over group ``g``'s input channels), which is the input-gradient
of :func:`numeric.conv2d` with the same weight. The output size is

.. math:: H_{out} = (H - 1) s_h - 2 P_h + d_h (k_h - 1) + \\mathrm{output\\_padding}_h + 1,

with ``0 <= output_padding < max(stride, dilation)`` choosing among the input
sizes a strided convolution maps to the same ``H``. An empty batch (``N = 0``)
gives an empty output; the backward functions compute only the gradients
flagged in ``needs_input_grad=(input, weight, bias)``.

Examples
--------
>>> import numpy as np
>>> conv_transpose1d(np.array([[[1.0, 2.0]]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
array([[[  1.,  10., 102.,  20., 200.]]])
>>> conv_transpose2d(np.ones((1, 2, 3, 3)), np.ones((3, 1, 3, 3)))
Traceback (most recent call last):
...
ValueError: conv_transpose2d: channel mismatch: weight (3, 1, 3, 3) expects C_in = 3, but input has C_in = 2
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _conv_engine as engine
from ._conv_geometry import check_grad_output, conv_transpose_geometry
from .validation import check_needs_input_grad

__all__ = ["conv_transpose1d", "conv_transpose2d", "conv_transpose1d_backward", "conv_transpose2d_backward"]


def _to2d(a: np.ndarray) -> np.ndarray:
    return a.reshape(a.shape[0], a.shape[1], 1, a.shape[2])


def _to1d(a: np.ndarray) -> np.ndarray:
    return a.reshape(a.shape[0], a.shape[1], a.shape[3])


def _forward(op, nd, x, weight, bias, stride, padding, output_padding, groups, dilation):
    x, weight, bias, g, geo = conv_transpose_geometry(op, nd, x, weight, bias, stride, padding, output_padding,
                                                      groups, dilation)
    c_out = weight.shape[1] * g
    if nd == 1:
        x, weight = _to2d(x), _to2d(weight)
    if x.shape[0] == 0:  # an empty batch: PyTorch returns an empty output
        return np.zeros((0, c_out, *geo.in_size[2 - nd:]), x.dtype)
    y = engine.grad_input(x, weight, g, geo, c_out)
    if bias is not None:
        y += bias.reshape(1, c_out, 1, 1)
    return _to1d(y) if nd == 1 else y


def conv_transpose2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> np.ndarray:
    """2-D transposed convolution, as ``torch.nn.functional.conv_transpose2d``.

    Parameters
    ----------
    input : ndarray (N, C_in, H, W), float32 or float64 (N may be 0)
    weight : ndarray (C_in, C_out/groups, kH, kW), same dtype
    bias : ndarray (C_out,) or None
    stride, dilation : int or (int, int), each >= 1
    padding : int or (int, int), >= 0 (removed from both sides of the full output)
    output_padding : int or (int, int), ``0 <= output_padding < max(stride, dilation)``
    groups : int dividing C_in and C_out

    Returns
    -------
    ndarray (N, C_out, H_out, W_out), ``H_out = (H − 1)·s − 2·P + d·(kH − 1) + output_padding + 1``.

    Raises
    ------
    TypeError, ValueError
        Bad dtypes, ranks, channel/group mismatch, hyper-parameters out of range,
        output size below 1.

    Examples
    --------
    >>> conv_transpose2d(np.ones((1, 4, 3, 3)), np.ones((4, 2, 3, 3)), stride=2, padding=1,
    ...                  output_padding=1).shape
    (1, 2, 6, 6)
    >>> conv_transpose2d(np.ones((1, 4, 3, 3)), np.ones((4, 2, 3, 3)), output_padding=1)
    Traceback (most recent call last):
    ...
    ValueError: conv_transpose2d: output_padding = 1 must be < max(stride, dilation) = max(1, 1) = 1
    """
    return _forward("conv_transpose2d", 2, input, weight, bias, stride, padding, output_padding, groups, dilation)


def conv_transpose1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> np.ndarray:
    """1-D transposed convolution, as ``torch.nn.functional.conv_transpose1d``.

    Same parameters as :func:`conv_transpose2d` with input ``(N, C_in, L)`` and
    weight ``(C_in, C_out/groups, k)``.

    Examples
    --------
    >>> conv_transpose1d(np.ones((1, 1, 3)), np.ones((1, 1, 2)), padding=1)
    array([[[2., 2.]]])
    """
    return _forward("conv_transpose1d", 1, input, weight, bias, stride, padding, output_padding, groups, dilation)


def _backward(op, nd, grad_output, x, weight, stride, padding, output_padding, groups, dilation, needs_input_grad):
    need_x, need_w, need_b = check_needs_input_grad(op, needs_input_grad)
    x, weight, _, g, geo = conv_transpose_geometry(op, nd, x, weight, None, stride, padding, output_padding,
                                                   groups, dilation)
    c_out = weight.shape[1] * g
    go = check_grad_output(op, grad_output, (x.shape[0], c_out, *geo.in_size[2 - nd:]), x.dtype)
    if nd == 1:
        x, weight, go = _to2d(x), _to2d(weight), _to2d(go)
    if x.shape[0] == 0:  # an empty batch: empty input-gradient, zero weight- and bias-gradients
        gx, gw, gb = np.zeros_like(x), np.zeros_like(weight), np.zeros(c_out, x.dtype)
    else:
        if need_x and need_w:  # one unfolding of the output-gradient serves both products
            gx, gw = engine.forward_and_grad_weight(go, weight, x, g, geo)
        else:
            gx = engine.forward(go, weight, None, g, geo) if need_x else None
            gw = engine.grad_weight(x, go, g, geo, weight.shape) if need_w else None
        gb = engine.grad_bias(go) if need_b else None
    gx, gw, gb = (gx if need_x else None), (gw if need_w else None), (gb if need_b else None)
    if nd == 1:
        gx, gw = (None if gx is None else _to1d(gx)), (None if gw is None else _to1d(gw))
    return gx, gw, gb


def conv_transpose2d_backward(grad_output: Any, input: Any, weight: Any, stride: Any = 1, padding: Any = 0,
                              output_padding: Any = 0, groups: int = 1, dilation: Any = 1, *,
                              needs_input_grad: tuple[bool, bool, bool] = (True, True, True)):
    """Gradients of :func:`conv_transpose2d` with respect to input, weight and bias.

    The input-gradient is the ordinary convolution of ``grad_output`` with the
    same weight; the weight-gradient pairs each input pixel with the output
    pixels it wrote to:

    .. math:: \\frac{\\partial L}{\\partial X[n,c,i,j]} = \\sum_{o,p,q} W[c,o,p,q]\\, G[n, gC'_g + o, s_h i + d_h p - P_h, s_w j + d_w q - P_w],
       \\quad \\frac{\\partial L}{\\partial W[c,o,p,q]} = \\sum_{n,i,j} X[n,c,i,j]\\, G[n, gC'_g + o, s_h i + d_h p - P_h, \\dots]

    Parameters
    ----------
    grad_output : ndarray (N, C_out, H_out, W_out), the forward output's shape and dtype
    input, weight, stride, padding, output_padding, groups, dilation : as in :func:`conv_transpose2d`
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
        As :func:`conv_transpose2d`, and when ``grad_output`` has the wrong shape or dtype.

    Examples
    --------
    >>> gx, gw, gb = conv_transpose2d_backward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)))
    >>> gx[0, 0], gb
    (array([[4., 4., 4.],
           [4., 4., 4.],
           [4., 4., 4.]]), array([16.]))
    """
    return _backward("conv_transpose2d_backward", 2, grad_output, input, weight, stride, padding, output_padding,
                     groups, dilation, needs_input_grad)


def conv_transpose1d_backward(grad_output: Any, input: Any, weight: Any, stride: Any = 1, padding: Any = 0,
                              output_padding: Any = 0, groups: int = 1, dilation: Any = 1, *,
                              needs_input_grad: tuple[bool, bool, bool] = (True, True, True)):
    """Gradients of :func:`conv_transpose1d` (see :func:`conv_transpose2d_backward`).

    Examples
    --------
    >>> conv_transpose1d_backward(np.ones((1, 1, 4)), np.ones((1, 1, 3)), np.ones((1, 1, 2)))[1]
    array([[[3., 3.]]])
    """
    return _backward("conv_transpose1d_backward", 1, grad_output, input, weight, stride, padding, output_padding,
                     groups, dilation, needs_input_grad)
