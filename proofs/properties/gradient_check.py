"""``check_gradient``: does a user's backward pass agree with central finite differences?

For ``fn: x ↦ y`` and ``fn_backward: (g, x) ↦ ∂⟨g, fn(x)⟩/∂x``, the check
draws inputs ``x`` and output gradients ``g`` with Hypothesis and compares
every entry of ``fn_backward(g, x)`` with the central difference

.. math:: \\frac{\\langle g, f(x + h e_i)\\rangle - \\langle g, f(x - h e_i)\\rangle}{2h}

(for inputs of more than ``max_full`` entries, along random directions
instead). It returns a :class:`~proofs.properties.result.PropertyResult` with
the shrunk counterexample (the input, the gradient, both answers and the
entries where they differ). Non-smooth functions (ReLU, max pooling) need
inputs away from their kinks and ties: pass ``inputs`` or ``elements``
(e.g. distinct values spaced well above ``h``).

Examples
--------
>>> import numpy as np
>>> square = lambda x: x ** 2
>>> check_gradient(square, lambda g, x: 2 * x * g, input_shape=(3,), max_examples=10).holds
True
>>> r = check_gradient(square, lambda g, x: x * g, input_shape=(3,), max_examples=10)
>>> r.holds, r.counterexample["compared"]
(False, 'entries')
>>> bool(np.allclose(r.counterexample["finite_difference"], 2 * r.counterexample["analytic"]))
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Callable

import numpy as np

from .hypothesis_import import hypothesis_modules
from .calling import UserFunctionError, call_user, describe_function
from .equivariance import _check_shape, input_strategy
from .result import PropertyResult
from .runner import PropertyViolation, run_property

__all__ = ["check_gradient", "finite_difference_gradient"]


def finite_difference_gradient(fn: Callable, x: np.ndarray, g: np.ndarray, *, h: float = 1e-6) -> np.ndarray:
    """Central differences of ``⟨g, fn(x)⟩`` w.r.t. every entry of ``x`` (float64).

    >>> finite_difference_gradient(lambda x: x ** 3, np.array([1.0, 2.0]), np.ones(2)).round(6)
    array([ 3., 12.])
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    flat = out.reshape(-1)
    for i in range(x.size):
        xp, xm = x.copy(), x.copy()
        xp.reshape(-1)[i] += h
        xm.reshape(-1)[i] -= h
        flat[i] = (np.vdot(g, call_user(fn, xp)) - np.vdot(g, call_user(fn, xm))) / (2 * h)
    return out


def check_gradient(
    fn: Callable[[np.ndarray], np.ndarray],
    fn_backward: Callable[[np.ndarray, np.ndarray], np.ndarray],
    *,
    input_shape: Sequence[int],
    elements: st.SearchStrategy | None = None,
    inputs: st.SearchStrategy | None = None,
    h: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    max_full: int = 256,
    directions: int = 8,
    max_examples: int = 25,
    derandomize: bool = True,
    seed: int | None = None,
    name: str = "gradient",
) -> PropertyResult:
    """Check ``fn_backward(g, x)`` against central differences of ``⟨g, fn(x)⟩``.

    Parameters
    ----------
    fn : NumPy -> NumPy, float64.
    fn_backward : ``(grad_output, x) -> grad_input`` (the shape of ``x``).
    input_shape : shape of the inputs drawn.
    elements, inputs : the input entries (floats in [-1, 1] by default) or a
        strategy of whole inputs.
    h : finite-difference step.
    rtol, atol : tolerance, ``|a − b| <= atol·scale + rtol·|b|``.
    max_full : up to this many input entries every partial derivative is
        compared; above, ``directions`` random directional derivatives.
    max_examples, derandomize, seed : as for Hypothesis.

    Returns
    -------
    PropertyResult
        ``holds``; ``counterexample`` a dict with ``input``, ``grad_output``,
        ``analytic``, ``finite_difference``, ``where``; ``error`` when a
        function raises, returns the wrong shape or NaN.
    """
    shape = _check_shape(input_shape)
    fname, bname = describe_function(fn), describe_function(fn_backward)
    try:
        out_shape = call_user(fn, np.zeros(shape), name="fn").shape
    except UserFunctionError as exc:
        return PropertyResult(name, holds=False, error=str(exc), evidence=f"{fname} on inputs of shape {shape}")
    st, nps = hypothesis_modules("check_gradient")
    gmax = st.floats(-1.0, 1.0, allow_subnormal=False)
    size = int(np.prod(shape))

    def body(x, g, rng_seed):
        x = np.asarray(x, dtype=np.float64)
        analytic = np.asarray(call_user(lambda a: fn_backward(g, a), x, name="fn_backward"))
        if analytic.shape != x.shape:
            raise UserFunctionError(f"fn_backward returned shape {analytic.shape}, expected the input's {x.shape}")
        if size <= max_full:
            numeric_grad = finite_difference_gradient(fn, x, g, h=h)
            lhs, rhs = analytic, numeric_grad
        else:
            rng = np.random.default_rng(rng_seed)
            v = rng.standard_normal((directions, *x.shape))
            lhs = np.array([np.vdot(analytic, d) for d in v])
            rhs = np.array([(np.vdot(g, call_user(fn, x + h * d)) - np.vdot(g, call_user(fn, x - h * d))) / (2 * h)
                            for d in v])
        scale = max(1.0, float(np.abs(rhs).max(initial=0.0)))
        bad = np.abs(lhs - rhs) > atol * scale + rtol * np.abs(rhs)
        if bad.any():
            raise PropertyViolation({
                "input": x, "grad_output": g, "analytic": lhs, "finite_difference": rhs,
                "where": [tuple(int(i) for i in w) for w in np.argwhere(bad)[:10]],
                "max_abs_difference": float(np.abs(lhs - rhs).max()),
                "compared": "entries" if size <= max_full else "directional derivatives",
            })

    strategies = {
        "x": inputs if inputs is not None else input_strategy(shape, np.float64, elements),
        "g": nps.arrays(np.float64, out_shape, elements=gmax),
        "rng_seed": st.integers(0, 2**32 - 1),
    }
    run = run_property(body, strategies, max_examples=max_examples, derandomize=derandomize, seed=seed)
    how = "every partial derivative" if size <= max_full else f"{directions} random directional derivatives"
    return PropertyResult(
        name, holds=run.violation is None and run.error is None, counterexample=run.violation, error=run.error,
        examples=run.examples, measurements={"evaluations": run.examples},
        evidence=(f"{bname} vs central differences (h = {h:g}) of ⟨g, {fname}(x)⟩, {how}, inputs {shape}, "
                  f"{run.examples} evaluations"),
        reference="∂⟨g, f(x)⟩/∂x_i = (⟨g, f(x + h e_i)⟩ − ⟨g, f(x − h e_i)⟩)/(2h) + O(h²)",
    )
