"""proofs.strategies: bad bounds as one table, every drawn configuration valid, shrinking towards the simplest."""

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis.errors import InvalidArgument

import derive
import numeric
from proofs import strategies as ps


@pytest.fixture(autouse=True)
def serial_numba():
    """Tiny arrays: one Numba thread (parallel launches cost more than the work, on a loaded machine)."""
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(before)


def e(fn, **kwargs):
    return pytest.param(fn, kwargs, id=f"{fn.__name__}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})")


@pytest.mark.parametrize(
    "fn, kwargs",
    [
        e(ps.conv2d_configs, max_size=0),
        e(ps.conv2d_configs, max_channels=-1),
        e(ps.conv2d_configs, max_kernel=1.5),
        e(ps.conv2d_configs, max_batch=True),
        e(ps.conv2d_configs, strides=()),
        e(ps.conv2d_configs, strides=(0, 1)),
        e(ps.conv2d_configs, dilations="2"),
        e(ps.conv2d_configs, groups=(4,), max_channels=3),
        e(ps.conv2d_configs, max_padding=-1),
        e(ps.conv2d_configs, padding_modes=("reflect",)),
        e(ps.conv2d_configs, same_size="yes"),
        e(ps.conv2d_configs, same_size=True, strides=(3,), max_size=2),
        e(ps.conv2d_stacks, max_layers=0),
        e(ps.conv2d_stacks, padding_mode="replicate"),
        e(ps.pool2d_configs, kinds=("min",)),
        e(ps.pool2d_configs, kinds=()),
        e(ps.pool2d_configs, max_kernel=0),
        e(ps.pool2d_configs, strides=(-1,)),
        e(ps.pool2d_configs, padding=1),
        e(ps.shifts, ndim=0),
        e(ps.shifts, max_shift=-1),
        e(ps.shifts, multiple_of=0),
        e(ps.shifts, max_shift=1, multiple_of=2, nonzero=True),
        e(ps.shifts, max_shift=4, multiple_of=2, not_multiple_of=2),
        e(ps.shifts, not_multiple_of=1),
    ],
)
def test_bad_bounds_raise_invalid_argument_naming_the_argument(fn, kwargs):
    with pytest.raises(InvalidArgument) as info:
        fn(**kwargs)  # at once, not when drawing
    assert any(name in str(info.value) for name in kwargs)


@pytest.mark.parametrize("fn", [ps.conv2d_arrays, ps.pool2d_arrays])
def test_arrays_need_a_config(fn):
    with pytest.raises(InvalidArgument, match="config"):
        fn((1, 1, 2, 2))


@settings(max_examples=30)
@given(ps.conv2d_configs(max_size=7, max_channels=4, strides=(1, 2, 3), dilations=(1, 2), groups=(1, 2),
                         padding_modes=("zeros", "circular")))
def test_every_conv_config_is_accepted_by_numeric_with_the_shape_derive_computes(cfg):
    w = np.ones(cfg.weight_shape)
    y = numeric.conv2d(np.zeros(cfg.input_shape), w, padding_mode=cfg.padding_mode, **cfg.kwargs())
    assert y.shape == cfg.output_shape
    assert cfg.output_shape[2] == int(derive.output_size("conv", cfg.height, cfg.kernel_size, cfg.stride,
                                                         cfg.padding, cfg.dilation))
    assert cfg.in_channels % cfg.groups == 0 and cfg.out_channels % cfg.groups == 0


@settings(max_examples=20)
@given(ps.conv2d_configs(max_size=9, strides=(1, 2, 3), dilations=(1, 2), same_size=True))
def test_same_size_configs_give_exactly_h_over_s(cfg):
    assert cfg.output_shape[2:] == (cfg.height // cfg.stride, cfg.width // cfg.stride)
    assert cfg.height % cfg.stride == 0


@settings(max_examples=20)
@given(ps.conv2d_stacks(max_layers=3, max_size=10, padding_mode="zeros"))
def test_stacks_chain_their_shapes(configs):
    x = np.zeros(configs[0].input_shape)
    for c in configs:
        assert x.shape == c.input_shape
        x = numeric.conv2d(x, np.ones(c.weight_shape), **c.kwargs())
    assert min(x.shape) >= 1


@settings(max_examples=30)
@given(ps.pool2d_configs(max_size=7, strides=(1, 2, 3), padding=True))
def test_every_pool_config_is_accepted_by_numeric(cfg):
    op = numeric.max_pool2d if cfg.kind == "max" else numeric.avg_pool2d
    assert op(np.zeros(cfg.input_shape), **cfg.kwargs()).shape == cfg.output_shape
    assert cfg.padding <= cfg.kernel_size // 2


@settings(max_examples=30)
@given(ps.shifts(ndim=2, max_shift=6, multiple_of=2, nonzero=True))
def test_shifts_respect_their_bounds(d):
    assert len(d) == 2 and any(d) and all(v % 2 == 0 and abs(v) <= 6 for v in d)


@settings(max_examples=30)
@given(ps.shifts(ndim=1, max_shift=5, not_multiple_of=3))
def test_shifts_not_multiple_of(d):
    assert d[0] % 3 != 0


def test_conv_configs_shrink_to_a_1x1_kernel_stride_1_without_padding():
    simplest = find(ps.conv2d_configs(max_size=6, strides=(1, 2), dilations=(1, 2)), lambda c: True)
    assert (simplest.kernel_size, simplest.stride, simplest.padding, simplest.dilation) == (1, 1, 0, 1)
    assert (simplest.in_channels, simplest.out_channels, simplest.height) == (1, 1, 1)


def test_pool_configs_and_shifts_shrink_to_the_simplest():
    p = find(ps.pool2d_configs(strides=(1, 2), padding=True), lambda c: True)
    assert (p.kernel_size, p.stride, p.padding) == (1, 1, 0)
    assert find(ps.shifts(ndim=2, max_shift=3), lambda d: True) == (0, 0)
    assert find(ps.shifts(ndim=1, max_shift=6, multiple_of=2, nonzero=True), lambda d: True) in {(2,), (-2,)}


def test_a_failing_property_shrinks_to_the_smallest_failing_layer():
    # "the output is as large as the input" fails first for a kernel of 2, stride 1, no padding
    c = find(ps.conv2d_configs(max_size=6, strides=(1, 2)), lambda c: c.output_shape[2] != c.height)
    assert (c.kernel_size, c.stride, c.padding) == (2, 1, 0)
