"""Validation of user input for the public functions of :mod:`numeric`.

Kernels never check anything; the public functions call these helpers first.
Each raises ``TypeError``/``ValueError`` naming the operator, the argument,
the constraint and the numbers.

Array inputs: every public function of :mod:`numeric` accepts NumPy arrays
and array-likes that ``np.asarray`` reads (lists, CPU ``torch.Tensor`` objects
without grad), of dtype float32 or float64. A tensor that requires grad (or
lives on another device) is refused with the call that converts it, e.g.
``x.detach().numpy()``; integer, bool and complex data are refused with the
operator's name and the dtype (PyTorch's operators refuse them too).

Examples
--------
>>> as_tuple(3, 2, "stride")
(3, 3)
>>> as_tuple((1, 2), 2, "padding", minimum=0)
(1, 2)
>>> as_tuple(0, 2, "stride")
Traceback (most recent call last):
...
ValueError: stride must be >= 1, got 0
>>> as_tuple((1, 2, 3), 2, "kernel_size")
Traceback (most recent call last):
...
ValueError: kernel_size must be an int or a tuple of 2 ints, got (1, 2, 3)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["as_tuple", "as_float_array", "check_array", "check_same_dtype", "check_needs_input_grad", "FLOAT_DTYPES"]

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _as_int(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and not np.isfinite(value):
            raise ValueError(f"{name} must be a finite integer, got {value!r}")
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    return int(value)


def as_tuple(value: Any, n: int, name: str, *, minimum: int = 1) -> tuple[int, ...]:
    """Normalise an int or a length-``n`` sequence of ints to a tuple, each ``>= minimum``."""
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"{name} must be an int or a tuple of {n} ints, got {tuple(value)!r}")
        items = tuple(_as_int(v, name) for v in value)
    else:
        items = (_as_int(value, name),) * n
    for v in items:
        if v < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {v}")
    return items


def _describe_tensor_failure(x: Any, name: str) -> str | None:
    """An actionable message for a PyTorch tensor NumPy cannot read directly, else ``None``."""
    if type(x).__module__.split(".")[0] != "torch":
        return None
    arg = name.rsplit(": ", 1)[-1]
    if getattr(x, "requires_grad", False):
        return f"{name} is a torch.Tensor that requires grad; pass {arg}.detach().numpy()"
    device = getattr(getattr(x, "device", None), "type", "cpu")
    if device != "cpu":
        return f"{name} is a torch.Tensor on device {device!r}; pass {arg}.detach().cpu().numpy()"
    return None


def as_float_array(x: Any, name: str) -> np.ndarray:
    """``x`` as a float32/float64 array of any shape (``TypeError`` otherwise).

    Array-likes (lists, CPU ``torch.Tensor`` without grad, anything
    ``np.asarray`` reads) are accepted and converted without copying when
    possible; integer, bool, complex and object data are refused, as PyTorch's
    operators refuse them. ``name`` is ``"<operator>: <argument>"``.

    >>> as_float_array([1.0, 2.0], "relu: input").dtype
    dtype('float64')
    >>> as_float_array(np.zeros(2, np.int32), "conv2d: input")
    Traceback (most recent call last):
    ...
    TypeError: conv2d: input has dtype int32; expected float32 or float64
    """
    if not isinstance(x, np.ndarray):
        hint = _describe_tensor_failure(x, name)
        if hint is not None:
            raise TypeError(hint)
        try:
            x = np.asarray(x)
        except Exception as exc:  # noqa: BLE001 - any conversion failure is a type error for the user
            raise TypeError(
                f"{name} must be a NumPy array or array-like of float32/float64, got {type(x).__name__} ({exc})"
            ) from exc
    if x.dtype not in FLOAT_DTYPES:
        raise TypeError(f"{name} has dtype {x.dtype}; expected float32 or float64")
    return x


def check_array(x: Any, name: str, ndim: int, layout: str, *, empty_batch: bool = False) -> np.ndarray:
    """Return ``x`` as a C-contiguous float32/float64 array of rank ``ndim``.

    No dimension may be 0, except the first (the batch ``N``) when
    ``empty_batch`` is true: PyTorch maps an empty batch to an empty result.

    >>> check_array(np.zeros((1, 2, 3)), "conv1d: input", 3, "(N, C, L)").shape
    (1, 2, 3)
    >>> check_array(np.zeros((0, 2, 3)), "conv1d: input", 3, "(N, C, L)", empty_batch=True).shape
    (0, 2, 3)
    >>> check_array(np.zeros((2, 3)), "conv1d: input", 3, "(N, C, L)")
    Traceback (most recent call last):
    ...
    ValueError: conv1d: input must have 3 dimensions (N, C, L), got shape (2, 3)
    >>> check_array(np.zeros(3, dtype=np.int64), "relu: input", 1, "(L,)")
    Traceback (most recent call last):
    ...
    TypeError: relu: input has dtype int64; expected float32 or float64
    """
    x = as_float_array(x, name)
    if x.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions {layout}, got shape {x.shape}")
    if any(s == 0 for s in x.shape[1 if empty_batch else 0:]):
        what = "only its batch dimension may be 0" if empty_batch else "no dimension may be 0"
        raise ValueError(f"{name} must not be empty ({what}), got shape {x.shape}")
    return np.ascontiguousarray(x)


def check_same_dtype(op: str, **arrays: np.ndarray | None) -> np.dtype:
    """All given arrays share one dtype; return it. ``op`` names the operator in the message.

    >>> check_same_dtype("conv2d", input=np.zeros(1), weight=np.zeros(1, np.float32))
    Traceback (most recent call last):
    ...
    TypeError: conv2d: dtypes differ: input is float64, weight is float32 (cast one, e.g. weight.astype(np.float64))
    """
    present = {k: v for k, v in arrays.items() if v is not None}
    dtypes = {v.dtype for v in present.values()}
    if len(dtypes) > 1:
        desc = ", ".join(f"{k} is {v.dtype}" for k, v in present.items())
        first = next(iter(present.values())).dtype
        other = next(k for k, v in present.items() if v.dtype != first)
        raise TypeError(f"{op}: dtypes differ: {desc} (cast one, e.g. {other}.astype(np.{first}))")
    return dtypes.pop()


def check_needs_input_grad(op: str, needs_input_grad: Any, names: tuple[str, ...] = ("input", "weight", "bias")):
    """``needs_input_grad`` is one bool per gradient a backward function can return (as PyTorch's ``ctx``).

    A backward function computes only the gradients flagged ``True`` and
    returns ``None`` in place of the others.

    >>> check_needs_input_grad("conv2d_backward", (True, False, True))
    (True, False, True)
    >>> check_needs_input_grad("conv2d_backward", (True, False))
    Traceback (most recent call last):
    ...
    ValueError: conv2d_backward: needs_input_grad must be 3 bools, one per gradient (input, weight, bias), got (True, False)
    """
    if not isinstance(needs_input_grad, (list, tuple)) or len(needs_input_grad) != len(names):
        raise ValueError(
            f"{op}: needs_input_grad must be {len(names)} bools, one per gradient ({', '.join(names)}), "
            f"got {needs_input_grad!r}"
        )
    for name, flag in zip(names, needs_input_grad):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{op}: needs_input_grad entry for {name} must be True or False, "
                            f"got {type(flag).__name__} {flag!r}")
    return tuple(bool(f) for f in needs_input_grad)
