"""Calling a user's function safely: exceptions, wrong shapes and NaN become messages.

A property checker must never crash because the function under test does:
:func:`call_user` turns what can go wrong into a :class:`UserFunctionError`
whose message says what happened, which the checkers report as the result's
``error``.

Examples
--------
>>> import numpy as np
>>> call_user(lambda x: 2 * x, np.ones(2), name="double")
array([2., 2.])
>>> call_user(lambda x: np.full_like(x, np.nan), np.zeros(2), name="f")
Traceback (most recent call last):
proofs.properties.calling.UserFunctionError: f returned non-finite values (NaN or inf) at 2 of 2 entries, first at index (0,), for a finite input
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

__all__ = ["UserFunctionError", "call_user", "describe_function"]


class UserFunctionError(Exception):
    """The function under test raised, returned no numeric array, or NaN/inf."""


def describe_function(fn: Callable) -> str:
    """A short name for ``fn``: its ``__qualname__`` without the enclosing functions, or its repr.

    >>> def outer():
    ...     def my_layer(x):
    ...         return x
    ...     return my_layer
    >>> describe_function(outer()), describe_function(np.maximum)
    ('my_layer', 'maximum')
    """
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    return name.rpartition("<locals>.")[2] if isinstance(name, str) and name else repr(fn)


def call_user(fn: Callable[[np.ndarray], Any], x: np.ndarray, *, name: str | None = None) -> np.ndarray:
    """``np.asarray(fn(x))``, checked to be a finite numeric array.

    Raises
    ------
    UserFunctionError
        When ``fn`` raises, returns something that is not a numeric array, or
        returns NaN/inf for the (finite) input.
    """
    name = name or describe_function(fn)
    try:
        with np.errstate(all="ignore"):  # NaN/inf are reported below, not warned about
            out = fn(x.copy())
    except Exception as exc:  # the user's code: any exception is a finding, not a crash
        raise UserFunctionError(f"{name} raised {type(exc).__name__}: {exc}") from exc
    if hasattr(out, "detach") and hasattr(out, "numpy"):  # a torch tensor, without importing torch
        out = out.detach().cpu().numpy()
    try:
        arr = np.asarray(out)
    except Exception as exc:
        raise UserFunctionError(f"{name} returned {type(out).__name__}, not an array: {exc}") from exc
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise UserFunctionError(f"{name} returned a {arr.dtype} array, not a numeric one")
    bad = ~np.isfinite(arr)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise UserFunctionError(
            f"{name} returned non-finite values (NaN or inf) at {int(bad.sum())} of {arr.size} entries, "
            f"first at index {first}, for a finite input"
        )
    return arr
