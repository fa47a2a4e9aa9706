"""Losses and their gradients: softmax cross-entropy on class indices, mean squared error.

Plain NumPy (row-wise reductions that NumPy vectorises; a Numba kernel would
not pay). Conventions as ``torch.nn.functional.cross_entropy`` /
``mse_loss``: ``reduction`` is ``"mean"``, ``"sum"`` or ``"none"``; reduced
losses are returned as NumPy scalars of the input's dtype. The names differ
from PyTorch's and ``reduction`` is **keyword only**, because PyTorch's third
positional parameters are others (``weight`` of ``cross_entropy``,
``size_average`` of ``mse_loss``): a call in PyTorch's positional order raises
``TypeError`` instead of meaning something else. An empty batch gives PyTorch's
results: ``nan`` for ``"mean"``, ``0`` for ``"sum"``, an empty array for ``"none"``.

Examples
--------
>>> import numpy as np
>>> logits = np.zeros((2, 4)); target = np.array([0, 3])
>>> round(float(softmax_cross_entropy(logits, target)), 6)   # log 4
1.386294
>>> softmax_cross_entropy_backward(1.0, logits, target)
array([[-0.375,  0.125,  0.125,  0.125],
       [ 0.125,  0.125,  0.125, -0.375]])
>>> softmax_cross_entropy(logits, np.array([0, 4]))
Traceback (most recent call last):
...
ValueError: softmax_cross_entropy: target values must be class indices in [0, C) = [0, 4), got 4 at position (1,)
>>> mse(np.array([1.0, 3.0]), np.array([0.0, 0.0]))
np.float64(5.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import check_grad_like
from .validation import as_float_array, check_same_dtype

__all__ = ["softmax_cross_entropy", "softmax_cross_entropy_backward", "mse", "mse_backward"]

REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction: Any, op: str) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{op}: reduction must be one of {REDUCTIONS}, got {reduction!r}")
    return reduction


def _check_ce(op: str, logits: Any, target: Any):
    logits = as_float_array(logits, f"{op}: logits")
    if logits.ndim < 2:
        raise ValueError(f"{op}: logits must have at least 2 dimensions (N, C, *), got shape {logits.shape}")
    if 0 in logits.shape[1:]:
        raise ValueError(f"{op}: logits must not be empty (only the batch N may be 0), got shape {logits.shape}")
    target = np.asarray(target)
    if not np.issubdtype(target.dtype, np.integer):
        raise TypeError(f"{op}: target must hold integer class indices, got dtype {target.dtype}")
    expected = (logits.shape[0], *logits.shape[2:])
    if target.shape != expected:
        raise ValueError(
            f"{op}: target must have shape {expected} (logits {logits.shape} without the class axis), got {target.shape}"
        )
    c = logits.shape[1]
    bad = (target < 0) | (target >= c)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{op}: target values must be class indices in [0, C) = [0, {c}), got {target[pos]} at position {pos}")
    return logits, target


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    """log softmax over axis 1, shifted by the row maximum (no overflow)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _reduce(losses: np.ndarray, reduction: str, dtype: np.dtype):
    if reduction == "none":
        return losses.astype(dtype)
    if reduction == "mean" and losses.size == 0:
        return dtype.type(np.nan)  # PyTorch's mean of no losses
    total = losses.sum() if reduction == "sum" else losses.mean()
    return dtype.type(total)


def _scalar_or_array_grad(grad_output: Any, shape: tuple[int, ...], dtype: np.dtype, reduction: str, op: str) -> np.ndarray:
    """For ``mean``/``sum`` a scalar (Python number or 0-d array); for ``none`` the per-element shape."""
    if reduction == "none":
        return check_grad_like(grad_output, shape, dtype, op)
    g = np.asarray(grad_output)
    if g.shape != ():
        raise ValueError(f"{op}: with reduction={reduction!r} grad_output must be a scalar (shape ()), got shape {g.shape}")
    if not (np.issubdtype(g.dtype, np.floating) or np.issubdtype(g.dtype, np.integer)):
        raise TypeError(f"{op}: grad_output must be a real number, got dtype {g.dtype}")
    return g.astype(dtype)


def softmax_cross_entropy(logits: Any, target: Any, *, reduction: str = "mean"):
    """Cross-entropy of ``softmax(logits)`` against class indices.

    .. math:: \\ell_n = -\\log \\frac{e^{z_{n, t_n}}}{\\sum_c e^{z_{n, c}}}

    Parameters
    ----------
    logits : ndarray (N, C) or (N, C, *), float32 or float64
    target : integer ndarray (N,) or (N, *), values in ``[0, C)``
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    scalar of the logits' dtype, or ndarray (N, *) for ``"none"``

    Raises
    ------
    TypeError
        Non-float logits, non-integer target.
    ValueError
        Shapes that do not match, a target outside ``[0, C)``, unknown reduction.
    """
    op = "softmax_cross_entropy"
    reduction = _check_reduction(reduction, op)
    logits, target = _check_ce(op, logits, target)
    logp = _log_softmax(logits.astype(np.float64))
    losses = -np.take_along_axis(logp, target[:, None].astype(np.intp), axis=1)[:, 0]
    return _reduce(losses, reduction, logits.dtype)


def softmax_cross_entropy_backward(grad_output: Any, logits: Any, target: Any, *, reduction: str = "mean") -> np.ndarray:
    """Gradient of :func:`softmax_cross_entropy` w.r.t. the logits: ``g · (softmax(z) − onehot(t))`` (/ count for mean).

    ``grad_output`` is a scalar for ``"mean"``/``"sum"`` (``1.0`` for the loss
    itself) and an array (N, *) for ``"none"``.

    Returns
    -------
    ndarray, the logits' shape and dtype
    """
    op = "softmax_cross_entropy_backward"
    reduction = _check_reduction(reduction, op)
    logits, target = _check_ce(op, logits, target)
    g = _scalar_or_array_grad(grad_output, target.shape, logits.dtype, reduction, op).astype(np.float64)
    p = np.exp(_log_softmax(logits.astype(np.float64)))
    np.put_along_axis(p, target[:, None].astype(np.intp), np.take_along_axis(p, target[:, None].astype(np.intp), axis=1) - 1.0, axis=1)
    if reduction == "none":
        grad = p * g[:, None]
    else:
        grad = p * g / (max(target.size, 1) if reduction == "mean" else 1)
    return grad.astype(logits.dtype)


def _check_mse(op: str, input: Any, target: Any):
    input = as_float_array(input, f"{op}: input")
    target = as_float_array(target, f"{op}: target")
    if input.shape != target.shape:
        raise ValueError(f"{op}: target shape {target.shape} must equal input shape {input.shape}")
    check_same_dtype(op, input=input, target=target)
    return input, target


def mse(input: Any, target: Any, *, reduction: str = "mean"):
    """Mean squared error ``(input − target)²``, reduced by ``reduction``.

    Examples
    --------
    >>> import numpy as np
    >>> mse(np.ones(2), np.zeros(3))
    Traceback (most recent call last):
    ...
    ValueError: mse: target shape (3,) must equal input shape (2,)
    """
    op = "mse"
    reduction = _check_reduction(reduction, op)
    input, target = _check_mse(op, input, target)
    return _reduce((input.astype(np.float64) - target) ** 2, reduction, input.dtype)


def mse_backward(grad_output: Any, input: Any, target: Any, *, reduction: str = "mean") -> np.ndarray:
    """Gradient of :func:`mse` w.r.t. ``input``: ``2 (input − target) · g`` (/ count for mean).

    The gradient w.r.t. ``target`` is its negation.

    Examples
    --------
    >>> import numpy as np
    >>> mse_backward(1.0, np.array([1.0, 3.0]), np.zeros(2))
    array([1., 3.])
    """
    op = "mse_backward"
    reduction = _check_reduction(reduction, op)
    input, target = _check_mse(op, input, target)
    g = _scalar_or_array_grad(grad_output, input.shape, input.dtype, reduction, op).astype(np.float64)
    diff = 2.0 * (input.astype(np.float64) - target)
    scale = 1.0 / max(input.size, 1) if reduction == "mean" else 1.0
    return (diff * g * scale).astype(input.dtype)
