"""``check_equivariance``: does ``fn(shift(x)) == shift′(fn(x))`` hold, with ``δ′ = δ/S`` (or ``U·δ``)?

For a map with (composed) stride ``S`` and an input shift ``δ``, equivariance
states ``fn(T_δ x) = T_{δ/S} fn(x)``; for an upsampler by ``U``,
``fn(T_δ x) = T_{U·δ} fn(x)``. The stride (or ``U``) is taken from ``stride=``
/ ``upsample=``, from ``layers``, or measured on ``fn`` (see
:mod:`proofs.properties.scale`), and it must agree with the shapes: ``M``
outputs for ``H`` inputs allow stride ``S`` only when ``M ≤ ⌈H/S⌉`` — a
size-keeping map is refused ``stride=2`` with a ``ValueError`` that says so.

The check runs the property with Hypothesis over inputs (and over shifts when
a range or strategy is given), compares the two sides on the output positions
the boundary cannot touch, and returns a
:class:`~proofs.properties.result.PropertyResult` with the shrunk
counterexample when it fails. When ``S`` does not divide ``δ`` there is no
output shift ``δ/S``: the check then accepts either rounding ``⌊δ/S⌋`` or
``⌈δ/S⌉`` and reports a counterexample only when both fail. When the property
fails for some shifts, it is re-run on the shifts that are multiples of ``S``;
if it holds there *on at least one nonzero shift*, the result is CONDITIONAL
with condition ``δ ≡ 0 (mod S)`` (a condition tested only on ``δ = 0`` is no
evidence, and is not given). A function that raises is reported as its error
(``error`` names the function and the exception; the label is ERROR).

Boundary
--------
``"circular"``: the input and output shifts wrap around; every output position
is compared (unless ``margin`` says otherwise). ``"zero"``: zeros enter; only
positions ``j`` with ``j`` and ``j − δ′`` both interior are compared — interior
meaning the receptive field lies inside the input (see
:mod:`proofs.properties.margins`), taken from ``margin``, from
``derive.receptive_field(layers)``, or estimated by probing ``fn``.

Examples
--------
>>> import numpy as np
>>> blur = lambda x: (x + np.roll(x, 1, axis=-1)) / 2          # circular, stride 1
>>> check_equivariance(blur, input_shape=(1, 1, 6), shift=range(-3, 4), max_examples=20).holds
True
>>> ramp = lambda x: x + np.arange(x.shape[-1])                 # position-dependent bias
>>> r = check_equivariance(ramp, input_shape=(1, 1, 6), shift=1, max_examples=20)
>>> r.holds, r.verdict.value, r.counterexample.shift
(False, 'INCORRECT', (1,))
>>> def reshape(x):
...     return x.reshape(4, 4)
>>> check_equivariance(reshape, input_shape=(1, 1, 6), shift=1).error
'reshape raised ValueError: cannot reshape array of size 6 into shape (4,4)'
>>> check_equivariance(lambda x: x, input_shape=(1, 1, 8), stride=3)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: stride=3 does not fit the shapes of <lambda>: axis 2: an output of 8 positions ... at most 3
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Callable

import numpy as np

from .hypothesis_import import hypothesis_modules
from .calling import UserFunctionError, call_user, describe_function
from .margins import interior_range, margins_from_spec, probe_margin, receptive_field_of
from .scale import measure_ratio, ratio_text, ratios_from, shape_refutes
from .result import Counterexample, PropertyResult
from .runner import PropertyViolation, run_property
from .shifts import BOUNDARIES, normalize_shift, shift, spatial_axes

__all__ = ["check_equivariance"]

REFERENCE = (
    "index substitution: Y[j] = Σ_p w[p] X[S·j + d·p − P]; with X'[i] = X[i − δ], "
    "Y'[j] = Σ_p w[p] X[S·(j − δ/S) + d·p − P] = Y[j − δ/S] whenever S divides δ and padding does not enter"
)


def shift_strategy(spec: Any, n_axes: int) -> tuple[st.SearchStrategy, str]:
    """A strategy of shift tuples from an int, a tuple, a ``range`` or a strategy; and its description."""
    st, _ = hypothesis_modules("a shift property check")
    if isinstance(spec, st.SearchStrategy):
        return spec.map(lambda d: normalize_shift(d, n_axes)), "shifts drawn from the given strategy"
    if isinstance(spec, range):
        if len(spec) == 0:
            raise ValueError(f"shift range {spec!r} is empty")
        values = sorted(spec, key=lambda v: (abs(v), v))  # shrink towards the smallest |δ|
        one = st.sampled_from(values)
        return st.tuples(*[one] * n_axes), f"shifts δ in {spec!r} per axis"
    fixed = normalize_shift(spec, n_axes)
    return st.just(fixed), f"shift δ = {fixed}"


def input_strategy(input_shape, dtype, elements) -> st.SearchStrategy:
    """Arrays of ``input_shape`` (floats in [-1, 1] by default, shrinking towards 0)."""
    st, nps = hypothesis_modules("a property check")
    if elements is None:
        width = 32 if np.dtype(dtype) == np.float32 else 64
        elements = st.floats(-1.0, 1.0, width=width, allow_subnormal=False)
    return nps.arrays(dtype, tuple(input_shape), elements=elements)


def _check_shape(input_shape) -> tuple[int, ...]:
    try:
        shape = tuple(int(s) for s in input_shape)
    except TypeError:
        raise TypeError(f"input_shape must be a tuple of ints, got {input_shape!r}") from None
    if not shape or min(shape) < 1:
        raise ValueError(f"input_shape must be non-empty with every size >= 1, got {shape}")
    return shape


def _per_axis(name: str, value: Any, n: int) -> tuple[int, ...]:
    vals = tuple(value) if isinstance(value, (tuple, list)) else (value,) * n
    if len(vals) != n or any(isinstance(v, bool) or int(v) != v or v < 1 for v in vals):
        raise ValueError(f"{name} must be a positive integer or one per spatial axis ({n}), got {value!r}")
    return tuple(int(v) for v in vals)


def _mask(ranges: Sequence[tuple[int, int]], out_shape, axes) -> np.ndarray:
    """Boolean array over the output: True on the interior of every spatial axis."""
    mask = np.ones(out_shape, dtype=bool)
    for (lo, hi), a in zip(ranges, axes):
        line = np.zeros(out_shape[a], dtype=bool)
        line[lo : hi + 1] = True
        view = [1] * len(out_shape)
        view[a] = out_shape[a]
        mask &= line.reshape(view)
    return mask


def compare(lhs: np.ndarray, rhs: np.ndarray, mask: np.ndarray, rtol: float, atol: float):
    """``(ok, where, max_abs_difference)`` of ``lhs`` vs ``rhs`` on ``mask``."""
    scale = max(1.0, float(np.abs(lhs).max(initial=0.0)), float(np.abs(rhs).max(initial=0.0)))
    diff = np.where(mask, np.abs(lhs - rhs), 0.0)
    bad = diff > atol * scale + rtol * np.maximum(np.abs(lhs), np.abs(rhs))
    where = [tuple(int(i) for i in w) for w in np.argwhere(bad)[:10]]
    return (not bad.any()), where, float(diff.max(initial=0.0))


def check_equivariance(
    fn: Callable[[np.ndarray], np.ndarray],
    *,
    input_shape: Sequence[int],
    shift: int | Sequence[int] | range | st.SearchStrategy = 1,
    boundary: str = "circular",
    stride: int | Sequence[int] | None = None,
    upsample: int | Sequence[int] | None = None,
    margin: int | Sequence | None = None,
    layers: Sequence[Any] | None = None,
    axes: Sequence[int] | None = None,
    dtype: Any = np.float64,
    elements: st.SearchStrategy | None = None,
    inputs: st.SearchStrategy | None = None,
    max_examples: int = 50,
    rtol: float = 1e-7,
    atol: float = 1e-9,
    derandomize: bool = True,
    seed: int | None = None,
    name: str = "equivariance",
    find_condition: bool = True,
) -> PropertyResult:
    """Check ``fn(T_δ x) = T_{δ/S} fn(x)`` with Hypothesis; return the evidence.

    Parameters
    ----------
    fn : any callable NumPy array -> NumPy array (our numeric functions, a
        hand-written conv, a wrapped torch module); the output has the same
        number of axes as the input, the spatial axes at the same places.
    input_shape : shape of the inputs drawn (e.g. ``(1, 2, 8, 8)``).
    shift : ``δ`` — an int (every spatial axis), one int per axis, a ``range``
        (each axis drawn from it) or a Hypothesis strategy of ints/tuples.
    boundary : ``"circular"`` (wrap-around shifts) or ``"zero"`` (zero fill).
    stride : composed stride ``S`` of ``fn`` (int or per axis): the output
        shifts by ``δ/S``. Default: the jump of ``layers``, else measured on
        ``fn``. Checked against the shapes (``M ≤ ⌈H/S⌉``).
    upsample : for a map whose output is larger than its input, the factor
        ``U`` (int or per axis): the output shifts by ``U·δ``. Default:
        measured on ``fn`` when its output is larger than its input.
    margin : output positions to leave out at each border — an int, one per
        axis, or ``(lo, hi)`` pairs. Default: 0 for ``"circular"``; for
        ``"zero"``, from ``derive.receptive_field(layers)`` or, without
        ``layers``, estimated by probing ``fn``.
    layers : ``derive.layers`` specifications of ``fn`` (for the margin and stride).
    axes : spatial axes (default: after N and C for >= 3-D inputs, else all).
    dtype, elements : dtype and element strategy of the inputs (floats in [-1, 1]).
    inputs : a strategy of input arrays of ``input_shape`` to use instead (e.g.
        non-negative inputs, or inputs supported away from the border).
    max_examples : Hypothesis examples before declaring that the property holds.
    rtol, atol : tolerance, ``|lhs − rhs| <= atol·scale + rtol·|value|``.
    derandomize, seed : reproducibility of the examples.
    name : the name put in the result.
    find_condition : when the property fails, re-check it on shifts that are
        multiples of ``S`` to compute the condition under which it holds.

    Returns
    -------
    PropertyResult
        ``holds``; ``counterexample`` (input, shift, both sides, where they
        differ); ``condition``; ``measurements`` (``examples``, ``compared``
        positions per output); ``error`` when ``fn`` raises, changes shape or
        returns NaN.

    Raises
    ------
    ValueError, TypeError
        For invalid arguments of the check itself (not for a failing ``fn``):
        a stride or upsampling factor that the shapes of ``fn`` refute, or one
        that can be neither measured nor read from the shapes.
    """
    shape = _check_shape(input_shape)
    if boundary not in BOUNDARIES:
        raise ValueError(f"boundary must be one of {BOUNDARIES}, got {boundary!r}")
    axes = spatial_axes(len(shape)) if axes is None else tuple(int(a) % len(shape) for a in axes)
    n_axes = len(axes)
    rf = receptive_field_of(layers, n_axes) if layers is not None else None
    ratios = ratios_from(stride, upsample, n_axes)
    ratio_source = "given"
    if ratios is None and rf is not None:
        ratios, ratio_source = ratios_from(rf[1], None, n_axes), "the jump of derive.receptive_field(layers)"
    shifts_st, shift_text = shift_strategy(shift, n_axes)
    fname = describe_function(fn)

    def fail(error: str, examples: int = 0) -> PropertyResult:
        return PropertyResult(name, holds=False, error=error, examples=examples, evidence=f"{fname} on inputs of shape {shape}")

    # probe: fn works at all, and the output shape fixes the compared region
    try:
        probe = call_user(fn, np.zeros(shape, dtype=dtype), name=fname)
    except UserFunctionError as exc:
        return fail(str(exc))
    if probe.ndim != len(shape):
        return fail(f"{fname} returns {probe.ndim} axes for a {len(shape)}-axis input: spatial axes cannot be matched; "
                    "use check_invariance for maps that remove spatial axes")
    out_shape = probe.shape
    in_sizes = [shape[a] for a in axes]
    out_sizes = [out_shape[a] for a in axes]
    if ratios is None:
        try:
            measured = measure_ratio(fn, shape, axes, out_shape, name=fname, circular=boundary == "circular")
        except UserFunctionError as exc:
            return fail(str(exc))
        ratios = tuple(m if m is not None else (Fraction(1) if h == o else None)
                       for m, h, o in zip(measured, in_sizes, out_sizes))
        ratio_source = "measured by moving a raised input slice"
        if None in ratios:
            raise ValueError(f"the stride of {fname} cannot be measured on axes "
                             f"{[a for a, r in zip(axes, ratios) if r is None]} (outputs {out_sizes} for inputs "
                             f"{in_sizes}): pass stride= (or upsample=)")
    refuted = [f"axis {a}: {why}" for a, h, o, r in zip(axes, in_sizes, out_sizes, ratios)
               if (why := shape_refutes(in_size=h, out_size=o, ratio=r))]
    if refuted:
        given = f"stride={stride!r}" if stride is not None else f"upsample={upsample!r}"
        head = given if ratio_source == "given" else (
            f"the output shift {tuple(ratio_text(r) for r in ratios)} ({ratio_source})")
        raise ValueError(f"{head} does not fit the shapes of {fname}: {'; '.join(refuted)}")
    if margin is not None:
        ranges = margins_from_spec(margin, in_sizes, out_sizes)
        margin_text = f"margin {margin!r} given"
    elif boundary == "circular":
        ranges = [(0, m - 1) for m in out_sizes]
        margin_text = "every output position (circular boundary)"
    elif rf is not None:
        size, jump, start = rf
        ranges = [interior_range(in_size=h, out_size=m, size=r, jump=j, start=u)
                  for h, m, r, j, u in zip(in_sizes, out_sizes, size, jump, start)]
        margin_text = f"interior from derive.receptive_field: size {size}, jump {jump}, start {start}"
    else:
        try:
            widths = probe_margin(fn, shape, axes)
        except UserFunctionError as exc:
            return fail(str(exc))
        widths = [max(w - 1, 0) for w in widths]  # outputs within w − 1 of a border can see it
        ranges = [(w, m - 1 - w) for w, m in zip(widths, out_sizes)]
        margin_text = f"margin {widths} estimated by perturbing one input pixel (pass layers= or margin= to fix it)"
    if any(hi < lo for lo, hi in ranges):
        return fail(f"no output position is free of the boundary: output sizes {out_sizes}, interior {ranges}")
    interior = _mask(ranges, out_shape, axes)

    def candidates(delta):
        per_axis = []
        for d, r in zip(delta, ratios):
            v = d * r
            per_axis.append([int(v)] if v.denominator == 1 else [math.floor(v), math.ceil(v)])
        return list(itertools.product(*per_axis))

    def exact(delta) -> bool:
        return all((d * r).denominator == 1 for d, r in zip(delta, ratios))

    compared = [0]
    nonzero_exact = [0]  # examples with a shift δ ≠ 0 that has a whole output shift (evidence for a condition)

    def body(x, delta):
        y = call_user(fn, x, name=fname)
        ys = call_user(fn, shift_fn(x, delta), name=fname)
        if y.shape != out_shape or ys.shape != out_shape:
            raise UserFunctionError(f"{fname} returned shape {ys.shape if y.shape == out_shape else y.shape} "
                                    f"where it returned {out_shape} before, for the same input shape {shape}")
        first = None
        for out_delta in candidates(delta):
            rhs = shift_fn(y, out_delta)
            mask = interior & shift_fn(interior, out_delta)
            ok, where, worst = compare(ys, rhs, mask, rtol, atol)
            compared[0] = max(compared[0], int(mask.sum()))
            if ok:
                if any(delta) and exact(delta):
                    nonzero_exact[0] += 1
                return
            if first is None:
                first = Counterexample(x, tuple(delta), ys, rhs, where, worst, tuple(out_delta))
        if len(candidates(delta)) > 1:
            if all(r.numerator == 1 for r in ratios):
                why = f"S = {tuple(r.denominator for r in ratios)} does not divide δ = {tuple(delta)}"
            else:
                why = f"the output shift {tuple(ratio_text(r) for r in ratios)} is not whole for δ = {tuple(delta)}"
            first.note = f"{why}: no output shift works (tried {candidates(delta)})"
        raise PropertyViolation(first)

    def shift_fn(a, d):
        return shift_array(a, d, boundary=boundary, axes=axes)

    x_st = inputs if inputs is not None else input_strategy(shape, dtype, elements)
    run = run_property(body, {"x": x_st, "delta": shifts_st},
                       max_examples=max_examples, derandomize=derandomize, seed=seed)
    evidence = (f"{fname}: {run.examples} examples, inputs {shape} ({np.dtype(dtype).name}), outputs {out_shape}, "
                f"{shift_text}, {boundary} boundary, output shift {tuple(ratio_text(r) for r in ratios)} "
                f"({ratio_source}); compared on {margin_text}")
    measurements = {"evaluations": run.examples, "compared_positions": compared[0]}
    if run.error is not None:
        return PropertyResult(name, holds=False, error=run.error, examples=run.examples, evidence=evidence,
                              measurements=measurements, reference=REFERENCE)
    if run.violation is None:
        return PropertyResult(name, holds=True, evidence=evidence, examples=run.examples,
                              measurements=measurements, reference=REFERENCE)
    condition = None
    ce = run.violation
    strides = tuple(r.denominator for r in ratios)
    if find_condition and not exact(ce.shift) and not isinstance(shift, (int, np.integer)):
        restricted = shifts_st.filter(exact)
        nonzero_exact[0] = 0
        again = run_property(body, {"x": x_st, "delta": restricted},
                             max_examples=max_examples, derandomize=derandomize, seed=seed)
        if again.violation is None and again.error is None and nonzero_exact[0] > 0:
            condition = f"δ ≡ 0 (mod S) on every axis, S = {strides}"
            evidence += (f"; on shifts that are multiples of S it holds ({again.examples} examples, "
                         f"{nonzero_exact[0]} with δ ≠ 0)")
        elif again.violation is None and again.error is None:
            evidence += ("; no shift δ ≠ 0 that is a multiple of S could be tried in the range given, so no "
                         "condition is stated")
    return PropertyResult(name, holds=False, counterexample=ce, condition=condition, evidence=evidence,
                          examples=run.examples, measurements=measurements, reference=REFERENCE)


shift_array = shift  # the module-level operator (the ``shift`` argument shadows the name)
