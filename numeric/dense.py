"""The dense (fully connected) layer, forward and backward, as ``torch.nn.functional.linear``.

Plain NumPy: the work is one matrix product, which NumPy hands to BLAS; a
Numba kernel would not beat it.

.. math:: y[\\dots, o] = \\sum_i x[\\dots, i]\\, W[o, i] + b[o]

Examples
--------
>>> import numpy as np
>>> x = np.ones((2, 3)); w = np.arange(12.0).reshape(4, 3); b = np.ones(4)
>>> linear(x, w, b)
array([[ 4., 13., 22., 31.],
       [ 4., 13., 22., 31.]])
>>> gx, gw, gb = linear_backward(np.ones((2, 4)), x, w)
>>> gx.shape, gw.shape, gb.shape
((2, 3), (4, 3), (4,))
>>> linear(np.ones((2, 5)), w)
Traceback (most recent call last):
...
ValueError: linear: input has 5 input features (its last dimension) but weight (4, 3) expects 3
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import check_grad_like
from ._threads import serial_below
from .validation import as_float_array, check_needs_input_grad, check_same_dtype

__all__ = ["linear", "linear_backward"]


def _check(op: str, x: Any, weight: Any, bias: Any = None):
    x = as_float_array(x, f"{op}: input")
    weight = as_float_array(weight, f"{op}: weight")
    if x.ndim < 1:
        raise ValueError(f"{op}: input must have at least 1 dimension (..., in_features), got shape {x.shape}")
    if weight.ndim != 2:
        raise ValueError(f"{op}: weight must have 2 dimensions (out_features, in_features), got shape {weight.shape}")
    if x.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"{op}: input has {x.shape[-1]} input features (its last dimension) but weight {weight.shape} expects {weight.shape[1]}"
        )
    if bias is not None:
        bias = as_float_array(bias, f"{op}: bias")
        if bias.shape != (weight.shape[0],):
            raise ValueError(f"{op}: bias must have shape ({weight.shape[0]},) (out_features), got {bias.shape}")
    check_same_dtype(op, input=x, weight=weight, bias=bias)
    return x, weight, bias


def linear(input: Any, weight: Any, bias: Any = None) -> np.ndarray:
    """``x @ weight.T + bias``.

    Parameters
    ----------
    input : ndarray (..., in_features)
    weight : ndarray (out_features, in_features)
    bias : ndarray (out_features,), optional

    Returns
    -------
    ndarray (..., out_features), same dtype

    Raises
    ------
    TypeError
        Non-float or mixed dtypes.
    ValueError
        Feature counts or shapes that do not match.
    """
    x, weight, bias = _check("linear", input, weight, bias)
    with serial_below(x.size * weight.shape[0]):  # numeric._threads: one threading policy
        y = x @ weight.T
    if bias is not None:
        y = y + bias
    return y


def linear_backward(grad_output: Any, input: Any, weight: Any, *,
                    needs_input_grad: tuple[bool, bool, bool] = (True, True, True)):
    """Gradients of :func:`linear` w.r.t. ``input``, ``weight`` and the bias.

    .. math::
        \\frac{\\partial L}{\\partial x} = g W, \\qquad
        \\frac{\\partial L}{\\partial W} = \\sum_{\\dots} g^\\top x, \\qquad
        \\frac{\\partial L}{\\partial b} = \\sum_{\\dots} g

    The bias gradient is returned whether or not the forward used a bias (it
    does not depend on it), as ``conv2d_backward`` does.

    Parameters
    ----------
    grad_output : ndarray (..., out_features)
    input, weight
        As given to :func:`linear`.
    needs_input_grad : (bool, bool, bool)
        Which of (input, weight, bias) gradients to compute (keyword only);
        the others are not computed and come back as ``None``.

    Returns
    -------
    (grad_input, grad_weight, grad_bias)

    Examples
    --------
    >>> import numpy as np
    >>> linear_backward(np.ones((2, 3)), np.ones((2, 3)), np.ones((4, 3)))
    Traceback (most recent call last):
    ...
    ValueError: linear_backward: grad_output must have the forward output's shape (2, 4), got (2, 3)
    """
    op = "linear_backward"
    need_x, need_w, need_b = check_needs_input_grad(op, needs_input_grad)
    x, weight, _ = _check(op, input, weight)
    g = check_grad_like(grad_output, (*x.shape[:-1], weight.shape[0]), x.dtype, op)
    g2 = g.reshape(-1, weight.shape[0])
    with serial_below(x.size * weight.shape[0]):  # numeric._threads: one threading policy
        gx = g @ weight if need_x else None
        gw = g2.T @ x.reshape(-1, weight.shape[1]) if need_w else None
    gb = g2.sum(axis=0) if need_b else None
    return gx, gw, gb
