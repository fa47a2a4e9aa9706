"""Hypothesis strategies for valid convolution and pooling configurations, and their inputs.

Public, in the manner of :mod:`hypothesis.extra.numpy`: every bound is a
keyword-only argument, validated at once (a bad bound raises
:class:`hypothesis.errors.InvalidArgument` naming the argument), and every
strategy says which way its examples shrink. Configurations shrink towards
the simplest layer: **1x1 kernels, stride 1, dilation 1, no padding, one
group, one channel, the smallest input**, so a counterexample found on a
configuration is reported on the simplest one that still fails.

Every configuration drawn is valid: the (dilated) kernel fits in the padded
input, groups divide both channel counts, pooling padding is at most half the
window — so its output size ``⌊(H + 2P − d(k − 1) − 1)/s⌋ + 1`` is at least 1.

Examples
--------
>>> from hypothesis import given
>>> @given(conv2d_configs(max_size=6, strides=(1, 2)))
... def test_output_is_not_empty(cfg):
...     assert min(cfg.output_shape) >= 1
>>> test_output_is_not_empty()
>>> conv2d_configs(max_size=0).example()
Traceback (most recent call last):
hypothesis.errors.InvalidArgument: max_size=0 must be an integer >= 1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .properties.hypothesis_import import require_hypothesis

require_hypothesis("proofs.strategies")  # a clear message when Hypothesis is not installed
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import InvalidArgument  # noqa: E402
from hypothesis.extra import numpy as nps  # noqa: E402

from .configs import PADDING_MODES, POOL_KINDS, Conv2dConfig, Pool2dConfig, _out  # noqa: E402

__all__ = [
    "Conv2dConfig",
    "Pool2dConfig",
    "conv2d_configs",
    "conv2d_stacks",
    "pool2d_configs",
    "shifts",
    "conv2d_arrays",
    "pool2d_arrays",
    "PADDING_MODES",
    "POOL_KINDS",
]


# --------------------------------------------------------------------------- validation
def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InvalidArgument(f"{name}={value!r} must be an integer >= {minimum}")
    return int(value)


def _check_values(name: str, values: Any, minimum: int) -> tuple[int, ...]:
    if isinstance(values, (int, np.integer)) and not isinstance(values, bool):
        values = (values,)
    if not isinstance(values, Sequence) or isinstance(values, str) or len(values) == 0:
        raise InvalidArgument(f"{name}={values!r} must be a non-empty sequence of integers >= {minimum}")
    for v in values:
        _check_int(f"{name} entry", v, minimum)
    return tuple(sorted({int(v) for v in values}))


def _check_choice(name: str, values: Any, allowed: Sequence[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        values = (values,)
    if not isinstance(values, Sequence) or len(values) == 0 or any(v not in allowed for v in values):
        raise InvalidArgument(f"{name}={values!r} must be a non-empty sequence drawn from {tuple(allowed)}")
    return tuple(values)


# --------------------------------------------------------------------------- conv
def conv2d_configs(
    *,
    max_size: int = 8,
    max_channels: int = 3,
    max_kernel: int = 3,
    max_batch: int = 1,
    strides: Sequence[int] = (1, 2),
    dilations: Sequence[int] = (1, 2),
    groups: Sequence[int] = (1,),
    max_padding: int | None = None,
    padding_modes: Sequence[str] = ("zeros",),
    same_size: bool = False,
) -> st.SearchStrategy[Conv2dConfig]:
    """Valid :class:`Conv2dConfig` examples.

    Parameters
    ----------
    max_size : largest input height/width (>= 1).
    max_channels : largest channel count, input and output (>= 1).
    max_kernel : largest kernel side (>= 1).
    max_batch : largest batch (>= 1).
    strides, dilations : allowed values (integers >= 1).
    groups : allowed group counts (integers >= 1, each <= max_channels); channel
        counts are drawn as multiples of the group count.
    max_padding : largest padding; None means half the dilated kernel, ``⌊d(k−1)/2⌋``.
    padding_modes : allowed values among ``("zeros", "circular")``.
    same_size : draw only "same-size" layers — ``d(k−1)`` even, padding
        ``d(k−1)/2``, input side a multiple of the stride — whose output side is
        exactly ``H/s``: what circular equivariance needs.

    Shrinks towards a 1x1 kernel, stride 1, dilation 1, no padding, one group,
    one channel and the smallest input.

    Raises
    ------
    hypothesis.errors.InvalidArgument
        When a bound is not valid; the message names it.
    """
    max_size = _check_int("max_size", max_size, 1)
    max_channels = _check_int("max_channels", max_channels, 1)
    max_kernel = _check_int("max_kernel", max_kernel, 1)
    max_batch = _check_int("max_batch", max_batch, 1)
    strides = _check_values("strides", strides, 1)
    dilations = _check_values("dilations", dilations, 1)
    groups = _check_values("groups", groups, 1)
    if groups[0] > max_channels:
        raise InvalidArgument(f"groups={groups!r}: no group count <= max_channels={max_channels}")
    groups = tuple(g for g in groups if g <= max_channels)
    if max_padding is not None:
        max_padding = _check_int("max_padding", max_padding, 0)
    padding_modes = _check_choice("padding_modes", padding_modes, PADDING_MODES)
    if not isinstance(same_size, bool):
        raise InvalidArgument(f"same_size={same_size!r} must be a bool")
    if same_size and max_size < strides[0]:
        raise InvalidArgument(f"same_size=True needs max_size={max_size} >= the smallest stride {strides[0]}")

    @st.composite
    def build(draw):
        g = draw(st.sampled_from(groups))
        cin = g * draw(st.integers(1, max_channels // g))
        cout = g * draw(st.integers(1, max_channels // g))
        s = draw(st.sampled_from(strides))
        d = draw(st.sampled_from(dilations))
        mode = draw(st.sampled_from(padding_modes))
        if same_size:
            k = 1 + 2 * draw(st.integers(0, (max_kernel - 1) // 2)) if d % 2 else draw(st.integers(1, max_kernel))
            p = d * (k - 1) // 2
            least = -(-p // s) if mode == "circular" else 1  # circular padding wraps around at most once: side >= p
            if least * s > max_size:
                k, p, least = 1, 0, 1
            h = s * draw(st.integers(max(1, least), max_size // s))  # the output side is exactly h / s
            w = s * draw(st.integers(max(1, least), max_size // s))
        else:
            k = draw(st.integers(1, max_kernel))
            cap = d * (k - 1) // 2 if max_padding is None else max_padding
            p = draw(st.integers(0, cap))
            need = max(1, d * (k - 1) + 1 - 2 * p)  # dilated kernel fits the padded input
            if mode == "circular":
                need = max(need, p)  # circular padding wraps around at most once
            if need > max_size:
                k, p, need = 1, 0, 1
            h = draw(st.integers(need, max_size))
            w = draw(st.integers(need, max_size))
        n = draw(st.integers(1, max_batch))
        return Conv2dConfig(n, cin, cout, h, w, k, s, p, d, g, mode)

    return build()


def conv2d_stacks(
    *,
    max_layers: int = 3,
    max_size: int = 12,
    max_channels: int = 2,
    max_kernel: int = 3,
    strides: Sequence[int] = (1, 2),
    padding_mode: str = "circular",
) -> st.SearchStrategy[list[Conv2dConfig]]:
    """Chains of :class:`Conv2dConfig` whose shapes fit one into the next.

    With ``padding_mode="circular"`` every layer is a same-size layer (odd
    kernel, padding ``(k−1)/2``) and the input side is a multiple of the
    composed stride, so layer ``l`` maps ``H/(S₁…S_{l−1})`` to ``H/(S₁…S_l)``.
    With ``"zeros"`` paddings are drawn up to ``(k−1)/2`` and the input is
    large enough for every output to be non-empty (at least ``max_size`` if
    the chain needs it).

    Shrinks towards one layer with a 1x1 kernel, stride 1, one channel.

    Raises
    ------
    hypothesis.errors.InvalidArgument
        When a bound is not valid; the message names it.

    >>> conv2d_stacks(max_layers=0).example()
    Traceback (most recent call last):
    hypothesis.errors.InvalidArgument: max_layers=0 must be an integer >= 1
    """
    max_layers = _check_int("max_layers", max_layers, 1)
    max_size = _check_int("max_size", max_size, 1)
    max_channels = _check_int("max_channels", max_channels, 1)
    max_kernel = _check_int("max_kernel", max_kernel, 1)
    strides = _check_values("strides", strides, 1)
    (padding_mode,) = _check_choice("padding_mode", (padding_mode,), PADDING_MODES)

    @st.composite
    def build(draw):
        n = draw(st.integers(1, max_layers))
        ks, ss, ps, cs = [], [], [], [draw(st.integers(1, max_channels))]
        for _ in range(n):
            k = 1 + 2 * draw(st.integers(0, (max_kernel - 1) // 2))
            ks.append(k)
            ss.append(draw(st.sampled_from(strides)))
            ps.append((k - 1) // 2 if padding_mode == "circular" else draw(st.integers(0, (k - 1) // 2)))
            cs.append(draw(st.integers(1, max_channels)))
        if padding_mode == "circular":
            total = int(np.prod(ss))
            side = total * draw(st.integers(1, max(1, max_size // total)))
        else:
            need = 1
            for k, s_, p in reversed(list(zip(ks, ss, ps))):
                need = max(1, (need - 1) * s_ + k - 2 * p)
            side = draw(st.integers(need, max(need, max_size)))
        configs, h = [], side
        for i in range(n):
            c = Conv2dConfig(1, cs[i], cs[i + 1], h, h, ks[i], ss[i], ps[i], 1, 1, padding_mode)
            configs.append(c)
            h = c.output_shape[2]
        return configs

    return build()


# --------------------------------------------------------------------------- pooling
def pool2d_configs(
    *,
    kinds: Sequence[str] = POOL_KINDS,
    max_size: int = 8,
    max_channels: int = 2,
    max_kernel: int = 3,
    max_batch: int = 1,
    strides: Sequence[int] | None = (1, 2),
    padding: bool = False,
) -> st.SearchStrategy[Pool2dConfig]:
    """Valid :class:`Pool2dConfig` examples.

    Parameters
    ----------
    kinds : allowed kinds among ``("max", "avg")``.
    max_size, max_channels, max_kernel, max_batch : upper bounds (integers >= 1).
    strides : allowed strides; None means the stride equals the window (PyTorch's default).
    padding : draw paddings up to ``⌊k/2⌋`` (PyTorch's limit) when True, else none.

    Shrinks towards a 1x1 window, stride 1, no padding, one channel and the
    smallest input.

    Raises
    ------
    hypothesis.errors.InvalidArgument
        When a bound is not valid; the message names it.

    >>> pool2d_configs(kinds=("min",)).example()
    Traceback (most recent call last):
    hypothesis.errors.InvalidArgument: kinds=('min',) must be a non-empty sequence drawn from ('max', 'avg')
    """
    kinds = _check_choice("kinds", kinds, POOL_KINDS)
    max_size = _check_int("max_size", max_size, 1)
    max_channels = _check_int("max_channels", max_channels, 1)
    max_kernel = _check_int("max_kernel", max_kernel, 1)
    max_batch = _check_int("max_batch", max_batch, 1)
    if strides is not None:
        strides = _check_values("strides", strides, 1)
    if not isinstance(padding, bool):
        raise InvalidArgument(f"padding={padding!r} must be a bool")

    @st.composite
    def build(draw):
        kind = draw(st.sampled_from(kinds))
        k = draw(st.integers(1, min(max_kernel, max_size)))
        s = k if strides is None else draw(st.sampled_from(strides))
        p = draw(st.integers(0, k // 2)) if padding else 0
        need = max(1, k - 2 * p)
        h = draw(st.integers(need, max_size))
        w = draw(st.integers(need, max_size))
        return Pool2dConfig(kind, draw(st.integers(1, max_batch)), draw(st.integers(1, max_channels)), h, w, k, s, p)

    return build()


# --------------------------------------------------------------------------- shifts
def shifts(
    *, ndim: int = 2, max_shift: int = 3, multiple_of: int = 1, nonzero: bool = False, not_multiple_of: int | None = None
) -> st.SearchStrategy[tuple[int, ...]]:
    """Integer shifts ``δ``, one per spatial axis, with ``|δ_a| <= max_shift``.

    Parameters
    ----------
    ndim : number of spatial axes (>= 1).
    max_shift : largest ``|δ_a|`` (>= 0).
    multiple_of : every ``δ_a`` is a multiple of it (>= 1), e.g. the stride.
    nonzero : at least one ``δ_a`` is non-zero.
    not_multiple_of : at least one ``δ_a`` is *not* a multiple of it (e.g. the
        stride, to look for the counterexample); implies ``nonzero``.

    Shrinks towards 0 on every axis (towards the smallest admissible ``|δ|``).

    Raises
    ------
    hypothesis.errors.InvalidArgument
        When a bound is not valid or no shift satisfies them all.

    >>> shifts(ndim=1, max_shift=1, multiple_of=2, nonzero=True).example()
    Traceback (most recent call last):
    hypothesis.errors.InvalidArgument: no shift has 0 < |δ| <= max_shift=1 and is a multiple of multiple_of=2
    """
    ndim = _check_int("ndim", ndim, 1)
    max_shift = _check_int("max_shift", max_shift, 0)
    multiple_of = _check_int("multiple_of", multiple_of, 1)
    if not_multiple_of is not None:
        not_multiple_of = _check_int("not_multiple_of", not_multiple_of, 2)
        nonzero = True
    reach = max_shift // multiple_of
    if nonzero and reach == 0:
        raise InvalidArgument(
            f"no shift has 0 < |δ| <= max_shift={max_shift} and is a multiple of multiple_of={multiple_of}"
        )
    if not_multiple_of is not None and all(multiple_of * m % not_multiple_of == 0 for m in range(1, reach + 1)):
        raise InvalidArgument(
            f"every multiple of multiple_of={multiple_of} up to max_shift={max_shift} "
            f"is a multiple of not_multiple_of={not_multiple_of}"
        )
    one = st.integers(-reach, reach).map(lambda m: m * multiple_of)
    strat = st.tuples(*[one] * ndim)
    if not_multiple_of is not None:
        return strat.filter(lambda t: any(v % not_multiple_of for v in t))
    if nonzero:
        return strat.filter(any)
    return strat


# --------------------------------------------------------------------------- arrays
def _elements(dtype, elements):
    if elements is not None:
        return elements
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return st.floats(-1.0, 1.0, width=width, allow_subnormal=False)


def conv2d_arrays(
    config: Conv2dConfig, *, dtype: Any = np.float64, elements: st.SearchStrategy | None = None, bias: bool = True
) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
    """``(x, weight, bias)`` arrays of the shapes of ``config``.

    Elements are floats in [-1, 1] by default (shrinking towards 0).

    >>> c = Conv2dConfig(1, 1, 2, 4, 4, kernel_size=3)
    >>> from hypothesis import given
    >>> @given(conv2d_arrays(c))
    ... def shapes(arrays):
    ...     assert [a.shape for a in arrays] == [(1, 1, 4, 4), (2, 1, 3, 3), (2,)]
    >>> shapes()
    """
    if not isinstance(config, Conv2dConfig):
        raise InvalidArgument(f"config={config!r} must be a Conv2dConfig")
    el = _elements(dtype, elements)
    b = nps.arrays(dtype, (config.out_channels,), elements=el) if bias else st.none()
    return st.tuples(
        nps.arrays(dtype, config.input_shape, elements=el), nps.arrays(dtype, config.weight_shape, elements=el), b
    )


def pool2d_arrays(
    config: Pool2dConfig, *, dtype: Any = np.float64, elements: st.SearchStrategy | None = None
) -> st.SearchStrategy[np.ndarray]:
    """An input array of the shape of ``config`` (floats in [-1, 1], shrinking towards 0)."""
    if not isinstance(config, Pool2dConfig):
        raise InvalidArgument(f"config={config!r} must be a Pool2dConfig")
    return nps.arrays(dtype, config.input_shape, elements=_elements(dtype, elements))
