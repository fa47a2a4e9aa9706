"""Evidence for claims about shifts: the properties of :mod:`proofs.properties` run on :mod:`numeric` operators.

Each function runs one property (translation equivariance of a strided conv,
invariance of max/average pooling, of a dense layer, of global average pooling)
on a fixed small configuration and returns the
:class:`~proofs.properties.result.PropertyResult`. Results are cached: a
document that says "convolution is translation equivariant" ten times runs the
property once per process.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .truth import TruthUnavailable

__all__ = ["conv_operator", "invariance_operator", "conv_equivariance", "pool_invariance", "pool_equivariance", "erf_exponent", "SIZE", "KERNEL"]

#: spatial size of the inputs the properties are run on, and the conv kernel size
SIZE = 8
KERNEL = 3
_EXAMPLES = 15


def _elements():
    """Small integers as floats: counterexamples that read at a glance, and fast shrinking."""
    from hypothesis import strategies as st

    return st.sampled_from([0.0, 1.0, 2.0, 3.0])


def _properties():
    try:
        from ..properties.equivariance import check_equivariance
        from ..properties.invariance import check_invariance
    except ImportError as exc:  # pragma: no cover - while proofs.properties is being built
        raise TruthUnavailable(f"the equivariance properties are not available yet ({exc})") from exc
    return check_equivariance, check_invariance


def _isolated(run, *args, **kwargs):
    """Run a property check; inside a caller's own Hypothesis test (where a nested ``@given`` is refused),
    run it in a fresh thread, whose Hypothesis context is empty."""
    try:
        from hypothesis.control import currently_in_test_context
    except ImportError:  # pragma: no cover
        return run(*args, **kwargs)
    if not currently_in_test_context():
        return run(*args, **kwargs)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run, *args, **kwargs).result()


def _numeric():
    try:
        import numeric

        return numeric
    except ImportError as exc:  # pragma: no cover
        raise TruthUnavailable(f"numeric cannot be imported ({exc})") from exc


def _weight(shape, seed):
    return np.random.default_rng(seed).uniform(0.5, 1.5, size=shape)


def conv_operator(stride: int, boundary: str):
    """The 3×3 ``numeric.conv2d`` (fixed positive weights, padding 1, circular or zero) the claims are run on.

    Examples
    --------
    >>> conv_operator(2, "circular")(np.ones((1, 1, 8, 8))).shape
    (1, 1, 4, 4)
    """
    num = _numeric()
    w = _weight((1, 1, KERNEL, KERNEL), 0)
    mode = "circular" if boundary == "circular" else "zeros"

    def conv(x):
        return num.conv2d(x, w, stride=stride, padding=KERNEL // 2, padding_mode=mode)

    return conv


def invariance_operator(op: str):
    """The operator an invariance claim is run on: ``"conv"`` (3×3, circular), ``"max_pool"``/``"avg_pool"`` (2×2, stride 2), ``"dense"``
    (flatten + a fixed random dense layer), ``"max_pool+dense"`` or ``"global_avg_pool"``.

    Examples
    --------
    >>> invariance_operator("dense")(np.ones((1, 1, SIZE, SIZE))).shape
    (1, 1, 2, 2)
    >>> invariance_operator("softmax")
    Traceback (most recent call last):
    ...
    ValueError: invariance_operator: unknown op 'softmax'
    """
    num = _numeric()
    if op == "conv":
        return conv_operator(1, "circular")
    if op == "max_pool":
        def fn(x):
            return num.max_pool2d(x, 2, 2)
    elif op == "avg_pool":
        def fn(x):
            return num.avg_pool2d(x, 2, 2)
    elif op == "max_pool+dense":
        w = _weight((4, (SIZE // 2) ** 2), 1) - 1.0

        def fn(x):
            y = num.max_pool2d(x, 2, 2)
            return (y.reshape(y.shape[0], -1) @ w.T).reshape(y.shape[0], 1, 2, 2)
    elif op == "global_avg_pool":
        def fn(x):
            return num.global_avg_pool2d(x)
    elif op == "dense":
        w = _weight((4, SIZE * SIZE), 1) - 1.0

        def fn(x):
            return (x.reshape(x.shape[0], -1) @ w.T).reshape(x.shape[0], 1, 2, 2)
    else:
        raise ValueError(f"invariance_operator: unknown op {op!r}")
    return fn


@lru_cache(maxsize=32)
def conv_equivariance(stride: int, shift: int, boundary: str, interior: bool = False, size: int = SIZE):
    """``check_equivariance`` of a 3×3 ``numeric.conv2d`` (padding 1, circular or zero) with ``stride``.

    Examples
    --------
    >>> conv_equivariance(1, 1, "circular").holds
    True
    >>> r = conv_equivariance(2, 1, "circular")
    >>> r.holds, r.counterexample.shift
    (False, (1, 1))
    """
    check_equivariance, _ = _properties()
    conv = conv_operator(stride, boundary)
    # compare every position (with zero padding the question is whether the border breaks it), or, with
    # ``interior``, only the positions whose receptive field stays inside the input (margin probed by the property)
    margin = None if interior and boundary == "zero" else 0
    return _isolated(check_equivariance, conv, input_shape=(1, 1, size, size), shift=shift, boundary=boundary, stride=stride,
                              margin=margin, max_examples=_EXAMPLES, find_condition=False, elements=_elements())


@lru_cache(maxsize=32)
def pool_invariance(op: str, shift: int, boundary: str = "circular"):
    """``check_invariance`` of ``op``: ``"max_pool"``/``"avg_pool"`` (2×2, stride 2), ``"dense"``
    (flatten + a random dense layer), ``"max_pool+dense"`` or ``"global_avg_pool"``.

    Examples
    --------
    >>> pool_invariance("global_avg_pool", 1).holds
    True
    >>> pool_invariance("max_pool", 1).holds
    False
    """
    _, check_invariance = _properties()
    fn = invariance_operator(op)
    return _isolated(check_invariance, fn, input_shape=(1, 1, SIZE, SIZE), shift=shift, boundary=boundary, max_examples=_EXAMPLES,
                           elements=_elements())


@lru_cache(maxsize=1)
def erf_exponent() -> tuple[float, str]:
    """The fitted growth exponent of the effective receptive field (Luo et al. 2016) of stacks of 3×3 convs,
    measured by ``proofs.properties.effective_receptive_field`` (uniform weights: one deterministic pass).

    Examples
    --------
    >>> round(erf_exponent()[0], 2)
    0.5
    """
    try:
        from ..properties import effective_receptive_field
    except ImportError as exc:  # pragma: no cover - while proofs.properties is being built
        raise TruthUnavailable(f"the effective-receptive-field measurement of proofs.properties is not available ({exc})") from exc
    try:
        result = effective_receptive_field(weights="uniform")
    except TypeError:  # pragma: no cover - an older signature
        result = effective_receptive_field()
    measurements = getattr(result, "measurements", None) or {}
    if "exponent" not in measurements:
        raise TruthUnavailable("proofs.properties.effective_receptive_field returned no exponent")
    return float(measurements["exponent"]), ("proofs.properties.effective_receptive_field (|∂y_centre/∂x| through stacks "
                                            "of 3×3 convs, radius vs depth, log-log slope)")


@lru_cache(maxsize=8)
def pool_equivariance(op: str, shift: int):
    """``check_equivariance`` of a 2×2, stride-2 ``op`` pooling (``"max_pool"``/``"avg_pool"``) under circular shifts.

    Examples
    --------
    >>> pool_equivariance("max_pool", 1).holds
    False
    """
    check_equivariance, _ = _properties()
    fn = invariance_operator(op)
    return _isolated(check_equivariance, fn, input_shape=(1, 1, SIZE, SIZE), shift=shift, boundary="circular", stride=2,
                              margin=0, max_examples=_EXAMPLES, find_condition=False, elements=_elements())
