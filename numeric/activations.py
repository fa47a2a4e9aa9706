"""Element-wise activations and their backward passes: ReLU, leaky ReLU, sigmoid.

Plain NumPy: each is one memory-bound pass that NumPy's ufuncs already run at
memory speed, so a Numba kernel would not pay. Any shape; float32 or float64
in, same dtype out. Each backward takes ``grad_output`` first, then the
forward's inputs, and returns the gradient w.r.t. ``input``. The forward
functions take PyTorch's ``inplace`` flag: ``inplace=True`` writes the result
into ``input`` (a writable float NumPy array) and returns it.

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
TypeError: relu: input has dtype int64; expected float32 or float64
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .validation import as_float_array, check_same_dtype

__all__ = ["relu", "relu_backward", "leaky_relu", "leaky_relu_backward", "sigmoid", "sigmoid_backward"]


def check_grad_like(grad_output: Any, shape: tuple[int, ...], dtype: np.dtype, op: str) -> np.ndarray:
    """``grad_output`` must be a float array of the forward output's ``shape`` and the input's ``dtype``."""
    g = as_float_array(grad_output, f"{op}: grad_output")
    if g.shape != tuple(shape):
        raise ValueError(f"{op}: grad_output must have the forward output's shape {tuple(shape)}, got {g.shape}")
    check_same_dtype(op, grad_output=g, input=np.empty(0, dtype))
    return g


def _out(x: np.ndarray, inplace: Any, op: str) -> np.ndarray | None:
    """``x`` itself when ``inplace`` (PyTorch's flag), else ``None`` (a new array)."""
    if not isinstance(inplace, (bool, np.bool_)):
        raise TypeError(f"{op}: inplace must be True or False, got {type(inplace).__name__} {inplace!r}")
    if not inplace:
        return None
    if not x.flags.writeable:
        raise ValueError(f"{op}: inplace=True needs a writable input array")
    return x


def _input(x: Any, inplace: Any, op: str) -> np.ndarray:
    if isinstance(inplace, (bool, np.bool_)) and inplace and not isinstance(x, np.ndarray):
        raise TypeError(f"{op}: inplace=True needs a NumPy array input (the result is written into it), "
                        f"got {type(x).__name__}")
    return as_float_array(x, f"{op}: input")


def _check_slope(negative_slope: Any, op: str) -> float:
    if isinstance(negative_slope, (bool, np.bool_)) or not isinstance(negative_slope, numbers.Real):
        raise TypeError(f"{op}: negative_slope must be a real number, got {type(negative_slope).__name__} {negative_slope!r}")
    if not math.isfinite(negative_slope):
        raise ValueError(f"{op}: negative_slope must be finite, got {negative_slope!r}")
    return float(negative_slope)


def relu(input: Any, inplace: bool = False) -> np.ndarray:
    """``max(input, 0)`` element-wise, as ``torch.nn.functional.relu``.

    Examples
    --------
    >>> import numpy as np
    >>> relu(np.array([[-1.0, 2.0]], dtype=np.float32)).dtype
    dtype('float32')
    >>> x = np.array([-1.0, 2.0]); y = relu(x, inplace=True)
    >>> y is x, x
    (True, array([0., 2.]))
    """
    x = _input(input, inplace, "relu")
    return np.maximum(x, x.dtype.type(0), out=_out(x, inplace, "relu"))


def relu_backward(grad_output: Any, input: Any) -> np.ndarray:
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
    x = as_float_array(input, "relu_backward: input")
    g = check_grad_like(grad_output, x.shape, x.dtype, "relu_backward")
    return np.where(x > 0, g, x.dtype.type(0))


def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> np.ndarray:
    """``input`` where ``input > 0``, else ``negative_slope · input``, as ``torch.nn.functional.leaky_relu``.

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
    x = _input(input, inplace, "leaky_relu")
    a = _check_slope(negative_slope, "leaky_relu")
    out = _out(x, inplace, "leaky_relu")
    y = np.where(x > 0, x, x * x.dtype.type(a))
    if out is None:
        return y
    out[...] = y
    return out


def leaky_relu_backward(grad_output: Any, input: Any, negative_slope: float = 0.01) -> np.ndarray:
    """``grad_output`` where ``input > 0``, else ``negative_slope · grad_output`` (PyTorch's rule at 0).

    Examples
    --------
    >>> import numpy as np
    >>> leaky_relu_backward(np.ones(3), np.array([-1.0, 0.0, 1.0]), 0.5)
    array([0.5, 0.5, 1. ])
    """
    x = as_float_array(input, "leaky_relu_backward: input")
    g = check_grad_like(grad_output, x.shape, x.dtype, "leaky_relu_backward")
    a = _check_slope(negative_slope, "leaky_relu_backward")
    return np.where(x > 0, g, g * x.dtype.type(a))


def sigmoid(input: Any) -> np.ndarray:
    """``1 / (1 + e^{−x})``, as ``torch.nn.functional.sigmoid``, computed without overflow: ``e^{−|x|}`` only.

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid(np.array([-1000.0, 1000.0]))
    array([0., 1.])
    """
    x = as_float_array(input, "sigmoid: input")
    e = np.exp(-np.abs(x))
    one = x.dtype.type(1)
    return np.where(x >= 0, one / (one + e), e / (one + e))


def sigmoid_backward(grad_output: Any, input: Any) -> np.ndarray:
    """``grad_output · σ(x) · (1 − σ(x))`` (takes the forward's ``input``, not its output).

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid_backward(np.ones(1), np.zeros(1))
    array([0.25])
    """
    x = as_float_array(input, "sigmoid_backward: input")
    g = check_grad_like(grad_output, x.shape, x.dtype, "sigmoid_backward")
    s = sigmoid(x)
    return g * s * (x.dtype.type(1) - s)
