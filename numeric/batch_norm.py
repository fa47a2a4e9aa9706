"""Batch normalisation in training mode, forward and backward.

Statistics are taken per channel over every axis but the channel axis
(``N`` and the spatial axes of ``(N, C, *)``), with the **biased** variance,
as PyTorch uses to normalise in training mode (its running variance, which is
not computed here, uses the unbiased one):

.. math::

    \\mu_c = \\frac{1}{M} \\sum x, \\qquad
    \\sigma^2_c = \\frac{1}{M} \\sum (x - \\mu_c)^2, \\qquad
    \\hat x = \\frac{x - \\mu_c}{\\sqrt{\\sigma^2_c + \\varepsilon}}, \\qquad
    y = \\gamma_c \\hat x + \\beta_c,

with ``M = N·H·W``. Plain NumPy (reductions and broadcasts, which NumPy does
at memory speed); float32 inputs are reduced in float64 and the result is cast
back.

Examples
--------
>>> import numpy as np
>>> x = np.array([[[1.0]], [[3.0]]])          # (N=2, C=1, L=1)
>>> y, mean, var = batch_norm(x, eps=0.0, return_stats=True)
>>> y.ravel(), mean, var
(array([-1.,  1.]), array([2.]), array([1.]))
>>> batch_norm(np.ones((1, 3, 1, 1)))
Traceback (most recent call last):
...
ValueError: batch_norm: training mode needs more than 1 value per channel, got M = N·(spatial) = 1·1 = 1 (input shape (1, 3, 1, 1))
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .activations import check_grad_like
from .validation import as_float_array

__all__ = ["batch_norm", "batch_norm_backward"]


def _check(op: str, x: Any, weight: Any, bias: Any, eps: Any):
    x = as_float_array(x, f"{op}: x")
    if x.ndim < 2:
        raise ValueError(f"{op}: x must have at least 2 dimensions (N, C, *), got shape {x.shape}")
    n, c = x.shape[:2]
    spatial = int(np.prod(x.shape[2:], dtype=np.int64))
    if n * spatial <= 1:
        raise ValueError(
            f"{op}: training mode needs more than 1 value per channel, got M = N·(spatial) = {n}·{spatial} = {n * spatial}"
            f" (input shape {x.shape})"
        )
    params = []
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None:
            p = as_float_array(p, f"{op}: {name}")
            if p.shape != (c,):
                raise ValueError(f"{op}: {name} must have shape ({c},) (one value per channel), got {p.shape}")
            if p.dtype != x.dtype:
                raise TypeError(f"{op}: dtypes differ: x is {x.dtype}, {name} is {p.dtype}")
        params.append(p)
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, numbers.Real):
        raise TypeError(f"{op}: eps must be a real number, got {type(eps).__name__} {eps!r}")
    if not (math.isfinite(eps) and eps >= 0):
        raise ValueError(f"{op}: eps must be finite and >= 0, got {eps!r}")
    return x, params[0], params[1], float(eps)


def _stats(x: np.ndarray):
    """Per-channel mean and biased variance (float64), shaped to broadcast against ``x``."""
    axes = (0, *range(2, x.ndim))
    xd = x.astype(np.float64, copy=False)
    mean = xd.mean(axis=axes, keepdims=True)
    var = ((xd - mean) ** 2).mean(axis=axes, keepdims=True)
    return xd, mean, var, axes


def _per_channel(v: np.ndarray | None, x: np.ndarray) -> np.ndarray:
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    return np.ones(shape) if v is None else v.astype(np.float64).reshape(shape)


def batch_norm(x: Any, weight: Any = None, bias: Any = None, eps: float = 1e-5, return_stats: bool = False):
    """Normalise ``x`` (N, C, *) per channel with the batch statistics, then scale and shift.

    Parameters
    ----------
    x : ndarray (N, C, *), float32 or float64
    weight, bias : ndarray (C,), optional
        ``γ`` (default 1) and ``β`` (default 0).
    eps : float
        Added to the variance (``>= 0``).
    return_stats : bool
        Also return the batch mean and the biased batch variance, each (C,).

    Returns
    -------
    y, or (y, mean, var)

    Raises
    ------
    TypeError, ValueError
        Bad dtypes/shapes, ``eps`` < 0 or not finite, one value per channel.
    """
    x, weight, bias, eps = _check("batch_norm", x, weight, bias, eps)
    xd, mean, var, _ = _stats(x)
    y = (xd - mean) / np.sqrt(var + eps) * _per_channel(weight, x)
    if bias is not None:
        y = y + _per_channel(bias, x)
    y = y.astype(x.dtype)
    if return_stats:
        return y, mean.ravel().astype(x.dtype), var.ravel().astype(x.dtype)
    return y


def batch_norm_backward(grad_output: Any, x: Any, weight: Any = None, eps: float = 1e-5):
    """Gradients of :func:`batch_norm` (training mode) w.r.t. ``x``, ``weight`` and ``bias``.

    .. math::

        \\frac{\\partial L}{\\partial \\beta_c} = \\sum g, \\qquad
        \\frac{\\partial L}{\\partial \\gamma_c} = \\sum g\\, \\hat x, \\qquad
        \\frac{\\partial L}{\\partial x} = \\frac{\\gamma_c}{M \\sqrt{\\sigma_c^2 + \\varepsilon}}
            \\Big(M g - \\sum g - \\hat x \\sum g\\, \\hat x\\Big)

    (sums over ``N`` and the spatial axes). ``grad_weight``/``grad_bias`` are
    returned even when the forward had no ``weight``/``bias``.

    Returns
    -------
    (grad_input, grad_weight, grad_bias)

    Examples
    --------
    >>> import numpy as np
    >>> gx, gw, gb = batch_norm_backward(np.ones((4, 2)), np.arange(8.0).reshape(4, 2))
    >>> bool(np.abs(gx).max() < 1e-12), gb   # a constant gradient is absorbed by the mean
    (True, array([4., 4.]))
    """
    op = "batch_norm_backward"
    x, weight, _, eps = _check(op, x, weight, None, eps)
    g = check_grad_like(grad_output, x.shape, x.dtype, op).astype(np.float64, copy=False)
    xd, mean, var, axes = _stats(x)
    m = xd.size // x.shape[1]
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (xd - mean) * inv_std
    sum_g = g.sum(axis=axes, keepdims=True)
    sum_gx = (g * xhat).sum(axis=axes, keepdims=True)
    grad_input = _per_channel(weight, x) * inv_std / m * (m * g - sum_g - xhat * sum_gx)
    return grad_input.astype(x.dtype), sum_gx.ravel().astype(x.dtype), sum_g.ravel().astype(x.dtype)
