"""The exact statements about convolution and pooling, each a property over generated configurations.

Statements that are false in general (shift by one under stride, pooling invariance) must come with
a counterexample, which is recomputed here from scratch.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import derive
import numeric
from proofs import Verdict
from proofs.properties import (
    conv_equivariance,
    global_max_zero_shift,
    global_pool_invariance,
    max_pool_shift_bound,
    pool_equivariance,
    pool_window_invariance,
    stack_equivariance,
)
from proofs.properties.networks import conv_fn, pool_fn
from proofs.properties.shifts import circular_shift, zero_shift
from proofs.strategies import Conv2dConfig, Pool2dConfig, conv2d_configs, conv2d_stacks, pool2d_configs

nested = settings(max_examples=5, suppress_health_check=[HealthCheck.nested_given])
nested_few = settings(max_examples=3, suppress_health_check=[HealthCheck.nested_given])  # failing inner checks shrink

@pytest.fixture(autouse=True)
def serial_numba():
    """Tiny arrays: one Numba thread (parallel launches cost more than the work, on a loaded machine)."""
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(before)



@nested
@given(conv2d_configs(max_size=8, max_channels=2, strides=(1,), padding_modes=("circular",), same_size=True))
def test_circular_conv_is_equivariant_for_every_integer_shift(cfg):
    r = conv_equivariance(cfg, max_examples=8)
    assert r.holds and r.verdict is Verdict.CORRECT, r.summary()


@nested
@given(conv2d_configs(max_size=8, max_channels=2, strides=(1,), dilations=(1, 2)))
def test_zero_padded_conv_is_equivariant_on_the_interior_given_by_derive(cfg):
    r = conv_equivariance(cfg, max_examples=8)
    span = cfg.dilation * (cfg.kernel_size - 1) + 1
    if min(cfg.height, cfg.width) < span:  # every output sees padding: nothing to compare, and it says so
        assert r.verdict is Verdict.UNRECOGNIZED and "no output position is free" in r.error
        return
    assert r.holds, r.summary()
    assert "derive.receptive_field" in r.evidence


@nested_few
@given(conv2d_configs(max_size=8, max_channels=2, strides=(2, 3), padding_modes=("circular",), same_size=True))
def test_strided_conv_holds_for_multiples_of_the_stride_only(cfg):
    r = conv_equivariance(cfg, max_examples=8)
    assert r.verdict is Verdict.CONDITIONAL and f"S = ({cfg.stride}, {cfg.stride})" in r.condition
    ce = r.counterexample
    assert any(d % cfg.stride for d in ce.shift)
    fn = conv_fn(cfg, seed=0)
    lhs = fn(circular_shift(ce.input, ce.shift))
    for rounding in (np.floor, np.ceil):  # no output shift reproduces fn(shift(x))
        out_shift = tuple(int(rounding(d / cfg.stride)) for d in ce.shift)
        assert not np.allclose(lhs, circular_shift(fn(ce.input), out_shift))


def test_stride_two_shift_by_one_counterexample_is_reported_and_fails():
    cfg = Conv2dConfig(1, 1, 1, 6, 6, kernel_size=3, stride=2, padding=1, padding_mode="circular")
    r = conv_equivariance(cfg, max_examples=10)
    ce = r.counterexample
    assert r.holds is False and ce.note.startswith("S = (2, 2) does not divide")
    assert not np.allclose(ce.lhs, ce.rhs)


@nested
@given(conv2d_stacks(max_layers=3, max_size=8, strides=(1, 2), padding_mode="circular"))
def test_a_circular_stack_is_equivariant_with_the_composed_stride(configs):
    r = stack_equivariance(configs, max_examples=6)
    assert r.holds, r.summary()
    jump = derive.receptive_field([c.layer() for c in configs]).jump
    assert int(jump[0]) == r.measurements["composed_stride"] == np.prod([c.stride for c in configs])


@nested
@given(conv2d_stacks(max_layers=2, max_size=10, strides=(1, 2), padding_mode="zeros"))
def test_a_zero_padded_stack_is_equivariant_on_its_interior(configs):
    r = stack_equivariance(configs, boundary="zero", max_examples=6)
    assert r.holds or "no output position is free" in (r.error or ""), r.summary()


@nested
@given(conv2d_stacks(max_layers=3, max_size=8, strides=(1,), padding_mode="circular"))
def test_global_average_pooling_after_a_circular_stack_is_exactly_invariant(configs):
    r = global_pool_invariance(configs, max_examples=6)
    assert r.holds and r.verdict is Verdict.CORRECT, r.summary()


def test_global_average_pooling_after_a_strided_stack_needs_multiples_of_the_stride():
    configs = [Conv2dConfig(1, 1, 2, 8, 8, 3, 2, 1, padding_mode="circular"),
               Conv2dConfig(1, 2, 2, 4, 4, 3, 1, 1, padding_mode="circular")]
    r = global_pool_invariance(configs, max_examples=10)
    assert r.verdict is Verdict.CONDITIONAL and "mod 2" in r.condition
    assert any(d % 2 for d in r.counterexample.shift)
    assert not np.allclose(r.counterexample.lhs, r.counterexample.rhs)


@nested_few
@given(pool2d_configs(max_size=8, max_kernel=3, strides=(1, 2, 3)))
def test_pooling_is_equivariant_with_its_stride_on_the_interior(cfg):
    r = pool_equivariance(cfg, max_examples=8)
    if cfg.stride == 1:
        assert r.holds, r.summary()
    else:
        assert r.verdict is Verdict.CONDITIONAL or r.holds, r.summary()  # holds if the output is too small to see


@nested_few
@given(pool2d_configs(max_size=6, max_kernel=3, strides=(1, 2)))
def test_pooling_is_not_invariant_to_shifts_inside_the_window(cfg):
    r = pool_window_invariance(cfg, max_examples=10)
    k, out = cfg.kernel_size, cfg.output_shape[2:]
    if r.holds:  # only possible when the window already covers the whole input
        assert k >= max(cfg.height, cfg.width) or out == (1, 1)
        return
    assert r.verdict is Verdict.CONDITIONAL and "whole input" in r.condition
    ce = r.counterexample
    assert 0 < max(abs(d) for d in ce.shift) <= max(1, k - 1)
    fn = pool_fn(cfg)
    assert not np.allclose(fn(circular_shift(ce.input, ce.shift)), fn(ce.input))


def test_global_max_pooling_under_zero_fill_shifts_holds_only_on_non_negative_inputs_inside_the_frame():
    r = global_max_zero_shift((1, 1, 6, 6), max_shift=2, max_examples=15)
    assert r.verdict is Verdict.CONDITIONAL and "x >= 0" in r.condition
    ce = r.counterexample
    gmax = lambda x: numeric.max_pool2d(x, kernel_size=x.shape[-2:])  # noqa: E731
    assert not np.allclose(gmax(zero_shift(ce.input, ce.shift)), gmax(ce.input))


@nested
@given(pool2d_configs(kinds=("max",), max_size=8, max_kernel=3, strides=(1, 2, 3)))
def test_max_pooling_under_a_sub_stride_shift_is_bounded_by_neighbouring_outputs(cfg):
    if cfg.stride > cfg.kernel_size:
        with pytest.raises(ValueError, match="stride <= kernel"):
            max_pool_shift_bound(cfg)
        return
    assert max_pool_shift_bound(cfg, max_examples=8).holds


def test_the_shift_bound_is_not_invariance():
    cfg = Pool2dConfig("max", 1, 1, 6, 6, kernel_size=2, stride=2)
    x = np.zeros(cfg.input_shape)
    x[0, 0, 1, 1] = 1.0  # last pixel of window (0, 0)
    y, ys = pool_fn(cfg)(x), pool_fn(cfg)(zero_shift(x, (1, 1)))
    assert y[0, 0, 0, 0] == 1 and ys[0, 0, 0, 0] == 0 and ys[0, 0, 1, 1] == 1  # moved window, bound still met
