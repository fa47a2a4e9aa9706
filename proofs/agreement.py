"""derive == numeric == finite differences, operator by operator.

Each function takes one configuration (and arrays) and *asserts* that the
three layers agree, raising :class:`AgreementError` (an ``AssertionError``)
that names the operator, the configuration, the two parties that disagree
and where. They are what ``tests/test_agreement.py`` runs over Hypothesis
configurations, and users may run them on their own settings.

* **shapes** — ``derive.output_size`` and ``derive.layers.*.output_shape``
  against the shape ``numeric`` actually returns;
* **forward** — exact, on small-integer tensors: convolution is linear in
  ``W`` and pooling positively homogeneous in ``X``, so Euler's identity
  rebuilds every output entry from the *derived* gradient of that entry,
  ``Y[e] = b[o] + ⟨W, ∂Y[e]/∂W⟩`` and ``Y[e] = ⟨X, ∂Y[e]/∂X⟩``, which must equal
  numeric's forward exactly;
* **gradients** — ``derive.conv_backward(...).evaluate`` / ``pool_backward``
  against ``numeric.*_backward`` (to 1e-9) and against central finite
  differences (to 1e-5).

Examples
--------
>>> import numpy as np
>>> from proofs.strategies import Conv2dConfig
>>> cfg = Conv2dConfig(1, 2, 2, 5, 5, kernel_size=3, stride=2, padding=1)
>>> conv2d_shapes_agree(cfg)
(1, 2, 3, 3)
>>> conv2d_forward_agrees(cfg)
>>> rng = np.random.default_rng(0)
>>> x, w, b = rng.standard_normal(cfg.input_shape), rng.standard_normal(cfg.weight_shape), rng.standard_normal(2)
>>> conv2d_gradients_agree(cfg, x, w, b, rng.standard_normal(cfg.output_shape))
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np

import derive
import numeric

from .properties.gradient_check import check_gradient, finite_difference_gradient
from .configs import Conv2dConfig, Pool2dConfig

__all__ = [
    "AgreementError",
    "assert_close",
    "conv2d_shapes_agree",
    "conv2d_forward_agrees",
    "conv2d_gradients_agree",
    "pool2d_shapes_agree",
    "pool2d_forward_agrees",
    "pool2d_gradients_agree",
    "check_gradient",
    "finite_difference_gradient",
]


class AgreementError(AssertionError):
    """Two layers of convproof disagree; the message says which, on what, and where."""


def assert_close(what: str, a: np.ndarray, b: np.ndarray, *, rtol: float, atol: float = 0.0) -> None:
    """Raise :class:`AgreementError` unless ``a ≈ b`` (same shape, ``|a − b| <= atol + rtol·max|b|``).

    >>> assert_close("demo: x vs y", np.zeros(2), np.array([0.0, 1.0]), rtol=1e-9)
    Traceback (most recent call last):
    proofs.agreement.AgreementError: demo: x vs y: differ at index (1,) (0.0 vs 1.0), max |difference| 1
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise AgreementError(f"{what}: shapes {a.shape} and {b.shape} differ")
    tol = atol + rtol * max(1.0, float(np.abs(b).max(initial=0.0)))
    diff = np.abs(a - b)
    if (diff > tol).any():
        i = tuple(int(v) for v in np.unravel_index(int(np.argmax(diff)), diff.shape))
        raise AgreementError(f"{what}: differ at index {i} ({float(a[i])!r} vs {float(b[i])!r}), max |difference| {diff.max():.3g}")


@functools.lru_cache(maxsize=128)
def _conv_grad(wrt: str, stride: int, padding: int, dilation: int, groups: int):
    return derive.conv_backward(wrt, stride=stride, padding=padding, dilation=dilation, groups=groups)


@functools.lru_cache(maxsize=128)
def _pool_grad(kind: str, kernel: int, stride: int, padding: int):
    return derive.pool_backward(kind, kernel, stride=stride, padding=padding)


def _int_tensor(rng, shape) -> np.ndarray:
    return rng.integers(-3, 4, size=shape).astype(np.float64)


# --------------------------------------------------------------------------- convolution
def conv2d_shapes_agree(config: Conv2dConfig) -> tuple[int, ...]:
    """``derive.output_size`` == ``derive.layers.Conv2d.output_shape`` == numeric's shape; returns it."""
    k, s, p, d = config.kernel_size, config.stride, config.padding, config.dilation
    sizes = tuple(int(derive.output_size("conv", h, k, s, p, d)) for h in (config.height, config.width))
    layer = tuple(int(v) for v in config.layer().output_shape(config.input_shape))
    y = numeric.conv2d(np.zeros(config.input_shape), np.zeros(config.weight_shape), **config.kwargs())
    expected = (config.batch, config.out_channels, *sizes)
    for who, shape in (("derive.layers.Conv2d.output_shape", layer), ("numeric.conv2d", y.shape)):
        if tuple(shape) != expected:
            raise AgreementError(f"conv2d {config}: derive.output_size gives {expected}, {who} gives {tuple(shape)}")
    return expected


def conv2d_forward_agrees(config: Conv2dConfig, *, seed: int = 0) -> None:
    """Every output entry of numeric.conv2d equals ``b[o] + ⟨W, ∂Y[e]/∂W⟩`` with derive's ∂/∂W, exactly."""
    rng = np.random.default_rng(seed)
    x, w, b = _int_tensor(rng, config.input_shape), _int_tensor(rng, config.weight_shape), _int_tensor(rng, config.out_channels)
    y = numeric.conv2d(x, w, b, **config.kwargs())
    grad_w = _conv_grad("weight", config.stride, config.padding, config.dilation, config.groups)
    rebuilt = np.empty_like(y)
    for e in np.ndindex(*y.shape):
        g = np.zeros_like(y)
        g[e] = 1.0
        rebuilt[e] = b[e[1]] + np.vdot(w, grad_w.evaluate(grad_output=g, input=x, weight=w))
    assert_close(f"conv2d {config}: numeric forward vs b + ⟨W, derive ∂Y/∂W⟩", y, rebuilt, rtol=0.0, atol=1e-9)


def conv2d_gradients_agree(config: Conv2dConfig, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None,
                           grad_output: np.ndarray, *, finite_differences: bool = True) -> None:
    """derive ∂L/∂X, ∂L/∂W, ∂L/∂b == numeric.conv2d_backward (1e-9) == central differences (1e-5)."""
    kw = config.kwargs()
    num = numeric.conv2d_backward(grad_output, x, weight, **kw)
    fns: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "input": lambda a: numeric.conv2d(a, weight, bias, **kw),
        "weight": lambda a: numeric.conv2d(x, a, bias, **kw),
        "bias": lambda a: numeric.conv2d(x, weight, a, **kw),
    }
    points = {"input": x, "weight": weight, "bias": bias if bias is not None else np.zeros(config.out_channels)}
    for i, wrt in enumerate(("input", "weight", "bias")):
        der = _conv_grad(wrt, config.stride, config.padding, config.dilation, config.groups)
        ours = der.evaluate(grad_output=grad_output, input=x, weight=weight)
        assert_close(f"conv2d {config} ∂L/∂{wrt}: derive vs numeric", ours, num[i], rtol=1e-9)
        if finite_differences:
            fd = finite_difference_gradient(fns[wrt], points[wrt], grad_output)
            assert_close(f"conv2d {config} ∂L/∂{wrt}: numeric vs finite differences", num[i], fd, rtol=1e-5)


# --------------------------------------------------------------------------- pooling
def _pool_fwd(config: Pool2dConfig) -> Callable:
    return numeric.max_pool2d if config.kind == "max" else numeric.avg_pool2d


def _pool_bwd(config: Pool2dConfig) -> Callable:
    return numeric.max_pool2d_backward if config.kind == "max" else numeric.avg_pool2d_backward


def pool2d_shapes_agree(config: Pool2dConfig) -> tuple[int, ...]:
    """``derive.output_size`` == ``derive.layers.*Pool2d.output_shape`` == numeric's shape; returns it."""
    op = "max_pool" if config.kind == "max" else "avg_pool"
    k, s, p = config.kernel_size, config.stride, config.padding
    sizes = tuple(int(derive.output_size(op, h, k, s, p)) for h in (config.height, config.width))
    layer = tuple(int(v) for v in config.layer().output_shape(config.input_shape))
    y = _pool_fwd(config)(np.zeros(config.input_shape), **config.kwargs())
    expected = (config.batch, config.channels, *sizes)
    for who, shape in (("derive.layers output_shape", layer), (f"numeric.{config.kind}_pool2d", y.shape)):
        if tuple(shape) != expected:
            raise AgreementError(f"{config.kind}_pool2d {config}: derive.output_size gives {expected}, "
                                 f"{who} gives {tuple(shape)}")
    return expected


def pool2d_forward_agrees(config: Pool2dConfig, *, seed: int = 0) -> None:
    """Every output entry of numeric pooling equals ``⟨X, ∂Y[e]/∂X⟩`` with derive's ∂/∂X (Euler), exactly."""
    rng = np.random.default_rng(seed)
    x = _int_tensor(rng, config.input_shape)
    y = _pool_fwd(config)(x, **config.kwargs())
    der = _pool_grad(config.kind, config.kernel_size, config.stride, config.padding)
    rebuilt = np.empty_like(y)
    for e in np.ndindex(*y.shape):
        g = np.zeros_like(y)
        g[e] = 1.0
        rebuilt[e] = np.vdot(x, der.evaluate(grad_output=g, input=x))
    assert_close(f"{config.kind}_pool2d {config}: numeric forward vs ⟨X, derive ∂Y/∂X⟩", y, rebuilt, rtol=0.0, atol=1e-9)


def pool2d_gradients_agree(config: Pool2dConfig, x: np.ndarray, grad_output: np.ndarray, *,
                           finite_differences: bool = True) -> None:
    """derive ∂L/∂X == numeric backward (1e-9) == central differences (1e-5; max pooling needs distinct inputs)."""
    kw = config.kwargs()
    num = _pool_bwd(config)(grad_output, x, **kw)
    ours = _pool_grad(config.kind, config.kernel_size, config.stride, config.padding).evaluate(
        grad_output=grad_output, input=x)
    assert_close(f"{config.kind}_pool2d {config} ∂L/∂X: derive vs numeric", ours, num, rtol=1e-9)
    if finite_differences:
        fd = finite_difference_gradient(lambda a: _pool_fwd(config)(a, **kw), x, grad_output)
        assert_close(f"{config.kind}_pool2d {config} ∂L/∂X: numeric vs finite differences", num, fd, rtol=1e-5)


