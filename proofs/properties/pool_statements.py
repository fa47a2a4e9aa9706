"""What pooling does and does not do under shifts, as runnable properties.

The claim documents make — "pooling makes the network invariant to small
shifts (shifts inside the window)" — is false in general: a one-hot input on
the last position of a window moves to the next window under a shift by one.
What holds, each checked here:

1. **Equivariance with the stride** (:func:`pool_equivariance`): pooling is a
   strided window map, so ``pool(T_δ x) = T_{δ/s} pool(x)`` on the interior
   when ``s | δ`` — and not otherwise (the counterexample is returned).
2. **Invariance only for a window covering the whole input**
   (:func:`pool_window_invariance` computes this condition by checking global
   pooling under circular shifts, which permute the positions a max or mean
   runs over).
3. **Global max pooling under zero-fill shifts** (:func:`global_max_zero_shift`):
   invariant only for non-negative inputs whose support stays in the frame —
   zeros entering exceed a negative maximum, and a maximum can leave.
4. **A bound instead of invariance** (:func:`max_pool_shift_bound`): for
   ``0 <= δ <= s <= k`` the shifted window lies in the union of two adjacent
   windows per axis, so ``maxpool(T_δ x)[j] <= max(y[j−1], y[j])`` (2-D: the 2×2
   neighbouring outputs).

Examples
--------
>>> from proofs.strategies import Pool2dConfig
>>> r = pool_window_invariance(Pool2dConfig("max", 1, 1, 4, 4, kernel_size=2, stride=2), max_examples=10)
>>> r.holds, r.verdict.value
(False, 'CONDITIONAL')
>>> r.condition
'only when the window covers the whole input (global max pooling), under circular shifts'
"""

from __future__ import annotations

import numpy as np

import numeric

from ..configs import Pool2dConfig
from .hypothesis_import import hypothesis_modules
from .calling import call_user
from .equivariance import check_equivariance, input_strategy
from .invariance import check_invariance
from .networks import pool_fn
from .result import Counterexample, PropertyResult
from .runner import PropertyViolation, run_property
from .shifts import zero_shift

__all__ = ["pool_equivariance", "pool_window_invariance", "global_pool_fn", "global_max_zero_shift",
           "max_pool_shift_bound"]


def global_pool_fn(kind: str):
    """Global max or average pooling over the last two axes, on the engine."""
    if kind == "avg":
        def pool(x):
            return numeric.global_avg_pool2d(x)
    else:
        def pool(x):
            return numeric.max_pool2d(x, kernel_size=x.shape[-2:])
    pool.__qualname__ = f"global {kind} pooling"
    return pool


def pool_equivariance(config: Pool2dConfig, *, max_shift: int | None = None,
                      max_examples: int = 25) -> PropertyResult:
    """``pool(T_δ x) = T_{δ/s} pool(x)`` on the interior (zero-fill shifts, margin from ``derive``).

    CORRECT for stride 1, CONDITIONAL (``δ ≡ 0 (mod s)``) with a counterexample otherwise.
    """
    max_shift = max(config.stride, max(config.height, config.width) // 2) if max_shift is None else max_shift
    r = check_equivariance(pool_fn(config), input_shape=config.input_shape, shift=range(-max_shift, max_shift + 1),
                           boundary="zero", layers=[config.layer()], max_examples=max_examples,
                           name=f"{config.kind} pooling equivariance (k={config.kernel_size}, s={config.stride})")
    r.reference = "a window map: Y[j] = agg_{p<k} X[s·j + p − P]; substitute X'[i] = X[i − δ] as for convolution"
    return r


def pool_window_invariance(config: Pool2dConfig, *, max_examples: int = 25) -> PropertyResult:
    """The claim "pooling is invariant to shifts inside the window", checked; the condition computed.

    Shifts ``0 < |δ_a| <= max(1, k − 1)`` (circular). When it fails, global
    pooling of the same kind is checked under every circular shift; if that
    holds, the result is CONDITIONAL with that condition.
    """
    k = config.kernel_size
    from ..strategies import shifts

    shift_st = shifts(ndim=2, max_shift=max(1, k - 1), nonzero=True)
    r = check_invariance(pool_fn(config), input_shape=config.input_shape, shift=shift_st, boundary="circular",
                         max_examples=max_examples,
                         name=f"{config.kind} pooling (k={k}, s={config.stride}) invariant to shifts inside the window")
    r.reference = "claim of the documents; a one-hot input at a window's edge crosses into the next window"
    if r.holds or r.error:
        return r
    side = max(config.height, config.width)
    glob = check_invariance(global_pool_fn(config.kind), input_shape=config.input_shape,
                            shift=range(-side, side + 1), boundary="circular", max_examples=max_examples)
    r.details["global"] = glob
    if glob.holds:
        r.condition = f"only when the window covers the whole input (global {config.kind} pooling), under circular shifts"
        r.evidence += f"; global {config.kind} pooling holds under every circular shift ({glob.examples} evaluations)"
    return r


def global_max_zero_shift(input_shape=(1, 1, 6, 6), *, max_shift: int = 2, max_examples: int = 25) -> PropertyResult:
    """"Global max pooling is shift invariant" under zero-fill shifts: the condition computed.

    Fails in general; re-checked on non-negative inputs that are zero within
    ``max_shift`` of the border (nothing leaves, the entering zeros do not
    exceed the maximum) — if that holds, CONDITIONAL with that condition.
    """
    pool = global_pool_fn("max")
    rng = range(-max_shift, max_shift + 1)
    r = check_invariance(pool, input_shape=input_shape, shift=rng, boundary="zero", max_examples=max_examples,
                         name="global max pooling invariant to zero-fill shifts")
    r.reference = "max over a permutation is unchanged; a zero-fill shift is not a permutation"
    if r.holds or r.error:
        return r
    inner = np.zeros(input_shape, dtype=bool)
    inner[..., max_shift:input_shape[-2] - max_shift, max_shift:input_shape[-1] - max_shift] = True
    st, nps = hypothesis_modules("global_max_zero_shift")
    restricted = nps.arrays(np.float64, input_shape, elements=st.floats(0.0, 1.0)).map(lambda x: np.where(inner, x, 0.0))
    again = check_invariance(pool, input_shape=input_shape, shift=rng, boundary="zero", inputs=restricted,
                             max_examples=max_examples)
    r.details["restricted"] = again
    if again.holds:
        r.condition = f"inputs x >= 0 that vanish within |δ| <= {max_shift} of the border"
        r.evidence += f"; holds on such inputs ({again.examples} evaluations)"
    return r


def max_pool_shift_bound(config: Pool2dConfig, *, max_examples: int = 25) -> PropertyResult:
    """``maxpool(T_δ x)[j, l] <= max(y[j−1:j+1, l−1:l+1])`` for ``0 <= δ <= s <= k``, no padding.

    Raises
    ------
    ValueError
        Unless ``config`` is max pooling with ``s <= k`` and no padding.
    """
    if config.kind != "max" or config.padding or config.stride > config.kernel_size:
        raise ValueError(f"the bound needs max pooling with stride <= kernel and no padding, got {config}")
    pool = pool_fn(config)
    s = config.stride

    def body(x, delta):
        y = call_user(pool, x)
        ys = call_user(pool, zero_shift(x, delta))
        # neighbourhood max over y[j-1..j, l-1..l], defined for j, l >= 1
        nb = np.maximum.reduce([y[..., 1:, 1:], y[..., :-1, 1:], y[..., 1:, :-1], y[..., :-1, :-1]])
        lhs = ys[..., 1:, 1:]
        bad = lhs > nb + 1e-12
        if bad.any():
            where = [tuple(int(i) for i in w) for w in np.argwhere(bad)[:10]]
            raise PropertyViolation(Counterexample(x, tuple(delta), lhs, nb, where, float((lhs - nb).max())))

    st, _ = hypothesis_modules("max_pool_shift_bound")
    st_delta = st.tuples(st.integers(0, s), st.integers(0, s))
    run = run_property(body, {"x": input_strategy(config.input_shape, np.float64, None), "delta": st_delta},
                       max_examples=max_examples)
    return PropertyResult(
        f"max pooling (k={config.kernel_size}, s={s}) under shifts 0 <= δ <= s is bounded by the neighbouring outputs",
        holds=run.violation is None and run.error is None, counterexample=run.violation, error=run.error,
        examples=run.examples, evidence=f"{run.examples} evaluations on inputs {config.input_shape}",
        reference="[s·j − δ, s·j + k − 1 − δ] ⊂ [s(j−1), s·j + k − 1] = W_{j−1} ∪ W_j when 0 <= δ <= s <= k",
    )
