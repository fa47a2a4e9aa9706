"""Element-wise activations and their backward passes: ReLU, leaky ReLU, sigmoid.

Plain NumPy: each is one memory-bound pass that NumPy's ufuncs already run at
memory speed, so a Numba kernel would not pay. Any shape; float32 or float64
in, same dtype out. Each backward takes ``grad_output`` first, then the
forward's inputs, and returns the gradient w.r.t. ``x``.

Examples
--------
>>> import numpy as np
>>> x = np.array([-2.0, 0.0, 3.0])
>>> relu(x)
array([0., 0., 3.])
>>> relu_backward(np.ones(3), x)  # the derivative at 0 is taken as 0, as PyTorch does
array([0., 0., 1.])
>>> leaky_relu(x, 0.1)
array([-0.2,  0. ,  3. ])
>>> sigmoid(np.array([0.0]))
array([0.5])
>>> relu(np.array([1, 2]))
Traceback (most recent call last):
...
TypeError: relu: x must be float32 or float64, got int64
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .validation import as_float_array

__all__ = ["relu", "relu_backward", "leaky_relu", "leaky_relu_backward", "sigmoid", "sigmoid_backward"]


def check_grad_like(grad_output: Any, shape: tuple[int, ...], dtype: np.dtype, op: str) -> np.ndarray:
    """``grad_output`` must be a float array of the forward output's ``shape`` and the input's ``dtype``."""
    g = as_float_array(grad_output, f"{op}: grad_output")
    if g.shape != tuple(shape):
        raise ValueError(f"{op}: grad_output must have the forward output's shape {tuple(shape)}, got {g.shape}")
    if g.dtype != dtype:
        raise TypeError(f"{op}: grad_output must have the input's dtype {dtype}, got {g.dtype}")
    return g


def _check_slope(negative_slope: Any, op: str) -> float:
    if isinstance(negative_slope, (bool, np.bool_)) or not isinstance(negative_slope, numbers.Real):
        raise TypeError(f"{op}: negative_slope must be a real number, got {type(negative_slope).__name__} {negative_slope!r}")
    if not math.isfinite(negative_slope):
        raise ValueError(f"{op}: negative_slope must be finite, got {negative_slope!r}")
    return float(negative_slope)


def relu(x: Any) -> np.ndarray:
    """``max(x, 0)`` element-wise.

    Examples
    --------
    >>> import numpy as np
    >>> relu(np.array([[-1.0, 2.0]], dtype=np.float32)).dtype
    dtype('float32')
    """
    x = as_float_array(x, "relu: x")
    return np.maximum(x, x.dtype.type(0))


def relu_backward(grad_output: Any, x: Any) -> np.ndarray:
    """``grad_output · [x > 0]`` (the derivative at 0 is 0, as in PyTorch).

    Raises
    ------
    ValueError
        ``grad_output`` of another shape than ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> relu_backward(np.ones(2), np.zeros(3))
    Traceback (most recent call last):
    ...
    ValueError: relu_backward: grad_output must have the forward output's shape (3,), got (2,)
    """
    x = as_float_array(x, "relu_backward: x")
    g = check_grad_like(grad_output, x.shape, x.dtype, "relu_backward")
    return np.where(x > 0, g, x.dtype.type(0))


def leaky_relu(x: Any, negative_slope: float = 0.01) -> np.ndarray:
    """``x`` where ``x > 0``, else ``negative_slope · x``.

    Examples
    --------
    >>> import numpy as np
    >>> leaky_relu(np.array([-100.0, 1.0]))
    array([-1.,  1.])
    >>> leaky_relu(np.array([1.0]), float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: leaky_relu: negative_slope must be finite, got nan
    """
    x = as_float_array(x, "leaky_relu: x")
    a = _check_slope(negative_slope, "leaky_relu")
    return np.where(x > 0, x, x * x.dtype.type(a))


def leaky_relu_backward(grad_output: Any, x: Any, negative_slope: float = 0.01) -> np.ndarray:
    """``grad_output`` where ``x > 0``, else ``negative_slope · grad_output`` (PyTorch's rule at 0).

    Examples
    --------
    >>> import numpy as np
    >>> leaky_relu_backward(np.ones(3), np.array([-1.0, 0.0, 1.0]), 0.5)
    array([0.5, 0.5, 1. ])
    """
    x = as_float_array(x, "leaky_relu_backward: x")
    g = check_grad_like(grad_output, x.shape, x.dtype, "leaky_relu_backward")
    a = _check_slope(negative_slope, "leaky_relu_backward")
    return np.where(x > 0, g, g * x.dtype.type(a))


def sigmoid(x: Any) -> np.ndarray:
    """``1 / (1 + e^{−x})``, computed without overflow: ``e^{−|x|}`` only.

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid(np.array([-1000.0, 1000.0]))
    array([0., 1.])
    """
    x = as_float_array(x, "sigmoid: x")
    e = np.exp(-np.abs(x))
    one = x.dtype.type(1)
    return np.where(x >= 0, one / (one + e), e / (one + e))


def sigmoid_backward(grad_output: Any, x: Any) -> np.ndarray:
    """``grad_output · σ(x) · (1 − σ(x))`` (takes the forward's input ``x``, not its output).

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid_backward(np.ones(1), np.zeros(1))
    array([0.25])
    """
    x = as_float_array(x, "sigmoid_backward: x")
    g = check_grad_like(grad_output, x.shape, x.dtype, "sigmoid_backward")
    s = sigmoid(x)
    return g * s * (x.dtype.type(1) - s)
