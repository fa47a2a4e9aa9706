"""``check_invariance``: does ``fn(shift(x)) == fn(x)`` hold?

Invariance is equivariance with the identity on the output: the output may
have any shape (a global pooling that removed the spatial axes, class scores).
The check runs it with Hypothesis over inputs and shifts and returns a
:class:`~proofs.properties.result.PropertyResult` with the shrunk
counterexample when it fails.

Examples
--------
>>> import numpy as np
>>> total = lambda x: x.sum(axis=(-2, -1))                      # global sum pooling
>>> check_invariance(total, input_shape=(1, 2, 4, 4), shift=range(-3, 4), max_examples=20).holds
True
>>> first = lambda x: x[..., 0, 0]
>>> r = check_invariance(first, input_shape=(1, 1, 4, 4), shift=(0, 1), max_examples=20)
>>> r.holds, r.counterexample.where
(False, [(0, 0)])
>>> check_invariance(lambda x: np.log(x - 5), input_shape=(2, 2), shift=1).error  # doctest: +ELLIPSIS
'<lambda> returned non-finite values (NaN or inf) at 4 of 4 entries, ...'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable

import numpy as np

from .calling import UserFunctionError, call_user, describe_function
from .equivariance import _check_shape, compare, input_strategy, shift_strategy
from .result import Counterexample, PropertyResult
from .runner import PropertyViolation, run_property
from .shifts import BOUNDARIES, shift as shift_array, spatial_axes

__all__ = ["check_invariance"]


def check_invariance(
    fn: Callable[[np.ndarray], np.ndarray],
    *,
    input_shape: Sequence[int],
    shift: int | Sequence[int] | range | st.SearchStrategy = 1,
    boundary: str = "circular",
    axes: Sequence[int] | None = None,
    dtype: Any = np.float64,
    elements: st.SearchStrategy | None = None,
    inputs: st.SearchStrategy | None = None,
    max_examples: int = 50,
    rtol: float = 1e-7,
    atol: float = 1e-9,
    derandomize: bool = True,
    seed: int | None = None,
    name: str = "invariance",
) -> PropertyResult:
    """Check ``fn(T_δ x) = fn(x)`` with Hypothesis; return the evidence.

    Parameters are those of :func:`~proofs.properties.equivariance.check_equivariance`
    without stride and margin: the whole output is compared.

    Returns
    -------
    PropertyResult
        ``holds``; ``counterexample`` (input, shift, ``fn(shift(x))``,
        ``fn(x)``, where they differ); ``error`` when ``fn`` raises, changes
        shape or returns NaN/inf.

    Raises
    ------
    ValueError, TypeError
        For invalid arguments of the check itself.
    """
    shape = _check_shape(input_shape)
    if boundary not in BOUNDARIES:
        raise ValueError(f"boundary must be one of {BOUNDARIES}, got {boundary!r}")
    axes = spatial_axes(len(shape)) if axes is None else tuple(int(a) % len(shape) for a in axes)
    shifts_st, shift_text = shift_strategy(shift, len(axes))
    fname = describe_function(fn)
    try:
        out_shape = call_user(fn, np.zeros(shape, dtype=dtype), name=fname).shape
    except UserFunctionError as exc:
        return PropertyResult(name, holds=False, error=str(exc), evidence=f"{fname} on inputs of shape {shape}")

    def body(x, delta):
        y = call_user(fn, x, name=fname)
        ys = call_user(fn, shift_array(x, delta, boundary=boundary, axes=axes), name=fname)
        if y.shape != out_shape or ys.shape != out_shape:
            raise UserFunctionError(f"{fname} returned shape {ys.shape if y.shape == out_shape else y.shape} "
                                    f"where it returned {out_shape} before, for the same input shape {shape}")
        ok, where, worst = compare(ys, y, np.ones(out_shape, dtype=bool), rtol, atol)
        if not ok:
            raise PropertyViolation(Counterexample(x, tuple(delta), ys, y, where, worst, None))

    run = run_property(body, {"x": inputs if inputs is not None else input_strategy(shape, dtype, elements),
                        "delta": shifts_st},
                       max_examples=max_examples, derandomize=derandomize, seed=seed)
    evidence = (f"{fname}: {run.examples} evaluations, inputs {shape} ({np.dtype(dtype).name}), {shift_text}, "
                f"{boundary} boundary, whole output compared")
    return PropertyResult(
        name,
        holds=run.violation is None and run.error is None if run.error is None else False,
        counterexample=run.violation,
        error=run.error,
        evidence=evidence,
        examples=run.examples,
        measurements={"evaluations": run.examples},
    )
