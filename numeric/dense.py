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
ValueError: linear: x has 5 input features (its last dimension) but weight (4, 3) expects 3
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import check_grad_like
from .validation import as_float_array
from ._threads import serial_below

__all__ = ["linear", "linear_backward"]


def _check(op: str, x: Any, weight: Any, bias: Any = None):
    x = as_float_array(x, f"{op}: x")
    weight = as_float_array(weight, f"{op}: weight")
    if x.ndim < 1:
        raise ValueError(f"{op}: x must have at least 1 dimension (..., in_features), got shape {x.shape}")
    if weight.ndim != 2:
        raise ValueError(f"{op}: weight must have 2 dimensions (out_features, in_features), got shape {weight.shape}")
    if x.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"{op}: x has {x.shape[-1]} input features (its last dimension) but weight {weight.shape} expects {weight.shape[1]}"
        )
    if bias is not None:
        bias = as_float_array(bias, f"{op}: bias")
        if bias.shape != (weight.shape[0],):
            raise ValueError(f"{op}: bias must have shape ({weight.shape[0]},) (out_features), got {bias.shape}")
    dtypes = {a.dtype for a in (x, weight, bias) if a is not None}
    if len(dtypes) > 1:
        desc = ", ".join(f"{n} is {a.dtype}" for n, a in (("x", x), ("weight", weight), ("bias", bias)) if a is not None)
        raise TypeError(f"{op}: dtypes differ: {desc}")
    return x, weight, bias


def linear(x: Any, weight: Any, bias: Any = None) -> np.ndarray:
    """``x @ weight.T + bias``.

    Parameters
    ----------
    x : ndarray (..., in_features)
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
    x, weight, bias = _check("linear", x, weight, bias)
    with serial_below(x.size * weight.shape[0]):  # numeric._threads: one threading policy
        y = x @ weight.T
    if bias is not None:
        y = y + bias
    return y


def linear_backward(grad_output: Any, x: Any, weight: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`linear` w.r.t. ``x``, ``weight`` and the bias.

    .. math::
        \\frac{\\partial L}{\\partial x} = g W, \\qquad
        \\frac{\\partial L}{\\partial W} = \\sum_{\\dots} g^\\top x, \\qquad
        \\frac{\\partial L}{\\partial b} = \\sum_{\\dots} g

    The bias gradient is returned whether or not the forward used a bias (it
    does not depend on it), as ``conv2d_backward`` does.

    Parameters
    ----------
    grad_output : ndarray (..., out_features)
    x, weight
        As given to :func:`linear`.

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
    x, weight, _ = _check(op, x, weight)
    g = check_grad_like(grad_output, (*x.shape[:-1], weight.shape[0]), x.dtype, op)
    g2 = g.reshape(-1, weight.shape[0])
    x2 = x.reshape(-1, weight.shape[1])
    with serial_below(x.size * weight.shape[0]):
        return g @ weight, g2.T @ x2, g2.sum(axis=0)
