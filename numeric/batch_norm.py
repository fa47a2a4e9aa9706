"""Batch normalisation, as ``torch.nn.functional.batch_norm``: evaluation and training mode, forward and backward.

The signature and the positional order are PyTorch's::

    batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5)

Statistics are per channel over every axis but the channel axis (``N`` and the
spatial axes of ``(N, C, *)``, ``M = N·(spatial)`` values per channel).

* **Evaluation mode** (``training=False``, the default, as in PyTorch)
  normalises with the given running statistics, which are required.
* **Training mode** normalises with the batch mean and the **biased** batch
  variance; when running statistics are given they are updated in place,
  ``r ← (1 − momentum)·r + momentum·b``, with the **unbiased** batch variance
  ``σ²·M/(M − 1)`` for ``running_var`` (PyTorch's rule).

.. math::

    \\hat x = \\frac{x - \\mu_c}{\\sqrt{\\sigma^2_c + \\varepsilon}}, \\qquad
    y = \\gamma_c \\hat x + \\beta_c .

Plain NumPy (reductions and broadcasts, which NumPy does at memory speed);
float32 inputs are reduced in float64 and the result is cast back.

Examples
--------
>>> import numpy as np
>>> x = np.array([[[1.0]], [[3.0]]])          # (N=2, C=1, L=1)
>>> rm, rv = np.zeros(1), np.ones(1)
>>> batch_norm(x, rm, rv, training=True, eps=0.0).ravel()   # batch statistics: mean 2, variance 1
array([-1.,  1.])
>>> rm, rv                                     # updated in place with momentum 0.1 (unbiased variance 2)
(array([0.2]), array([1.1]))
>>> batch_norm(x, rm, rv, eps=0.0).ravel().round(4)          # evaluation mode: the running statistics
array([0.7628, 2.6698])
>>> batch_norm(x, None, None)
Traceback (most recent call last):
...
ValueError: batch_norm: evaluation mode (training=False) normalises with running_mean and running_var, got None; pass them, or training=True to use the batch statistics
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .activations import check_grad_like
from .validation import as_float_array, check_needs_input_grad

__all__ = ["batch_norm", "batch_norm_backward"]


def _check_real(op: str, name: str, value: Any, low: float) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{op}: {name} must be a real number, got {type(value).__name__} {value!r}")
    if not (math.isfinite(value) and value >= low):
        raise ValueError(f"{op}: {name} must be finite and >= {low:g}, got {value!r}")
    return float(value)


def _per_channel_array(op: str, name: str, p: Any, x: np.ndarray) -> np.ndarray | None:
    if p is None:
        return None
    p = as_float_array(p, f"{op}: {name}")
    c = x.shape[1]
    if p.shape != (c,):
        raise ValueError(f"{op}: {name} must have shape ({c},) (one value per channel), got {p.shape}")
    if p.dtype != x.dtype:
        raise TypeError(f"{op}: dtypes differ: input is {x.dtype}, {name} is {p.dtype}")
    return p


def _check(op: str, x: Any, running_mean: Any, running_var: Any, weight: Any, bias: Any, training: Any, eps: Any):
    """Validated ``(x, running_mean, running_var, weight, bias, training, eps)``."""
    x = as_float_array(x, f"{op}: input")
    if x.ndim < 2:
        raise ValueError(f"{op}: input must have at least 2 dimensions (N, C, *), got shape {x.shape}")
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"{op}: training must be True or False, got {type(training).__name__} {training!r}")
    training = bool(training)
    if (running_mean is None) != (running_var is None):
        raise ValueError(f"{op}: running_mean and running_var must both be given or both be None")
    if running_mean is None and not training:
        raise ValueError(
            f"{op}: evaluation mode (training=False) normalises with running_mean and running_var, got None; "
            "pass them, or training=True to use the batch statistics"
        )
    n, spatial = x.shape[0], int(np.prod(x.shape[2:], dtype=np.int64))
    if training and n * spatial == 1:
        raise ValueError(
            f"{op}: training mode needs more than 1 value per channel, got M = N·(spatial) = {n}·{spatial} = 1"
            f" (input shape {x.shape})"
        )
    rm = _per_channel_array(op, "running_mean", running_mean, x)
    rv = _per_channel_array(op, "running_var", running_var, x)
    if rv is not None and not training and (rv < 0).any():
        c = int(np.argmax(rv < 0))
        raise ValueError(f"{op}: running_var must be >= 0 (a variance), got {rv[c]} for channel {c}")
    w = _per_channel_array(op, "weight", weight, x)
    b = _per_channel_array(op, "bias", bias, x)
    return x, rm, rv, w, b, training, _check_real(op, "eps", eps, 0.0)


def _axes(x: np.ndarray) -> tuple[int, ...]:
    return (0, *range(2, x.ndim))


def _shape(v: np.ndarray, x: np.ndarray) -> np.ndarray:
    """A per-channel vector as float64, shaped to broadcast against ``x``."""
    return v.astype(np.float64).reshape((1, x.shape[1]) + (1,) * (x.ndim - 2))


def _statistics(x: np.ndarray, rm, rv, training: bool):
    """``(x as float64, mean, variance)`` used to normalise: the batch's (biased) or the running ones."""
    xd = x.astype(np.float64, copy=False)
    if not training:
        return xd, _shape(rm, x), _shape(rv, x)
    if x.shape[0] == 0:  # an empty batch: nothing to normalise (and nothing to learn)
        zeros = np.zeros((1, x.shape[1]) + (1,) * (x.ndim - 2))
        return xd, zeros, zeros + 1.0
    mean = xd.mean(axis=_axes(x), keepdims=True)
    return xd, mean, ((xd - mean) ** 2).mean(axis=_axes(x), keepdims=True)


def _update_running(op: str, rm: np.ndarray, rv: np.ndarray, mean, var, m: int, momentum: Any) -> None:
    for name, r in (("running_mean", rm), ("running_var", rv)):
        if not isinstance(r, np.ndarray):
            raise TypeError(f"{op}: {name} must be a NumPy array in training mode, which updates it in place; "
                            f"got {type(r).__name__} (pass np.asarray({name}) and keep that array)")
        if not r.flags.writeable:
            raise ValueError(f"{op}: {name} is read-only; training mode updates it in place (pass a writable array)")
    momentum = _check_real(op, "momentum", momentum, 0.0)
    if m == 0:
        return  # an empty batch leaves the running statistics unchanged (as PyTorch)
    unbiased = var.ravel() * (m / (m - 1))
    rm[...] = ((1.0 - momentum) * rm + momentum * mean.ravel()).astype(rm.dtype)
    rv[...] = ((1.0 - momentum) * rv + momentum * unbiased).astype(rv.dtype)


def batch_norm(input: Any, running_mean: Any, running_var: Any, weight: Any = None, bias: Any = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5, *, return_stats: bool = False):
    """Normalise ``input`` (N, C, *) per channel, then scale by ``weight`` and shift by ``bias``.

    Parameters
    ----------
    input : ndarray (N, C, *), float32 or float64 (N may be 0)
    running_mean, running_var : ndarray (C,) or None
        Required in evaluation mode. In training mode optional, and updated in
        place when given (they must then be writable NumPy arrays of the
        input's dtype, not lists).
    weight, bias : ndarray (C,), optional
        ``γ`` (default 1) and ``β`` (default 0).
    training : bool
        ``False`` (default): normalise with the running statistics;
        ``True``: with the batch statistics.
    momentum : float
        Weight of the batch statistics in the running update (training mode).
    eps : float
        Added to the variance (``>= 0``).
    return_stats : bool
        Keyword only, not PyTorch's: also return the mean and variance used to
        normalise, each (C,) (the batch mean and biased batch variance in
        training mode, the running statistics in evaluation mode).

    Returns
    -------
    y, or (y, mean, var)

    Raises
    ------
    TypeError, ValueError
        Bad dtypes/shapes, ``eps`` or ``momentum`` < 0 or not finite, missing
        running statistics in evaluation mode, one value per channel in
        training mode, a negative running variance.
    """
    op = "batch_norm"
    x, rm, rv, w, b, training, eps = _check(op, input, running_mean, running_var, weight, bias, training, eps)
    return_stats = bool(return_stats)
    xd, mean, var = _statistics(x, rm, rv, training)
    y = (xd - mean) / np.sqrt(var + eps)
    if w is not None:
        y = y * _shape(w, x)
    if b is not None:
        y = y + _shape(b, x)
    if training and rm is not None:
        _update_running(op, running_mean, running_var, mean, var, x.size // x.shape[1], momentum)
    y = y.astype(x.dtype)
    if return_stats:
        return y, mean.ravel().astype(x.dtype), var.ravel().astype(x.dtype)
    return y


def batch_norm_backward(grad_output: Any, input: Any, running_mean: Any, running_var: Any, weight: Any = None, *,
                        training: bool = False, eps: float = 1e-5,
                        needs_input_grad: tuple[bool, bool, bool] = (True, True, True)):
    """Gradients of :func:`batch_norm` w.r.t. ``input``, ``weight`` and ``bias``, in either mode.

    Takes the forward's ``input, running_mean, running_var, weight`` in the
    forward's order (``training`` and ``eps`` keyword only). With the
    statistics ``μ, σ²`` of the forward (sums over ``N`` and the spatial axes,
    ``M`` values per channel):

    .. math::

        \\frac{\\partial L}{\\partial \\beta_c} = \\sum g, \\qquad
        \\frac{\\partial L}{\\partial \\gamma_c} = \\sum g\\, \\hat x, \\qquad
        \\frac{\\partial L}{\\partial x} = \\begin{cases}
            \\dfrac{\\gamma_c}{\\sqrt{\\sigma_c^2 + \\varepsilon}}\\, g & \\text{evaluation (constant statistics)} \\\\
            \\dfrac{\\gamma_c}{M \\sqrt{\\sigma_c^2 + \\varepsilon}}
            \\Big(M g - \\sum g - \\hat x \\sum g\\, \\hat x\\Big) & \\text{training (batch statistics)}
        \\end{cases}

    ``grad_weight``/``grad_bias`` are returned even when the forward had no
    ``weight``/``bias``; ``needs_input_grad`` (input, weight, bias) skips the
    others (``None``). The running statistics are not touched.

    Returns
    -------
    (grad_input, grad_weight, grad_bias)

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(8.0).reshape(4, 2)
    >>> gx, gw, gb = batch_norm_backward(np.ones((4, 2)), x, None, None, training=True)
    >>> bool(np.abs(gx).max() < 1e-12), gb   # a constant gradient is absorbed by the batch mean
    (True, array([4., 4.]))
    >>> batch_norm_backward(np.ones((4, 2)), x, np.zeros(2), np.full(2, 4.0), eps=0.0)[0][0]   # g / √4
    array([0.5, 0.5])
    """
    op = "batch_norm_backward"
    need_x, need_w, need_b = check_needs_input_grad(op, needs_input_grad)
    x, rm, rv, w, _, training, eps = _check(op, input, running_mean, running_var, weight, None, training, eps)
    g = check_grad_like(grad_output, x.shape, x.dtype, op).astype(np.float64, copy=False)
    xd, mean, var = _statistics(x, rm, rv, training)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (xd - mean) * inv_std
    axes = _axes(x)
    sum_g = g.sum(axis=axes, keepdims=True)
    sum_gx = (g * xhat).sum(axis=axes, keepdims=True)
    gx = None
    if need_x:
        scale = inv_std if w is None else _shape(w, x) * inv_std
        if training and x.shape[0] > 0:
            m = x.size // x.shape[1]
            gx = scale / m * (m * g - sum_g - xhat * sum_gx)
        else:
            gx = scale * g
        gx = gx.astype(x.dtype)
    gw = sum_gx.ravel().astype(x.dtype) if need_w else None
    gb = sum_g.ravel().astype(x.dtype) if need_b else None
    return gx, gw, gb
