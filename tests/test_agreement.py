"""Cross-layer agreement: derive == numeric == finite differences, over Hypothesis configurations.

For convolution (stride, padding, dilation, groups) and max/average pooling:
shapes (derive.output_size, derive.layers, numeric), forward (exact, on small-integer
tensors, rebuilt from derive's gradients by Euler's identity) and gradients (derive's
evaluated formula vs numeric's backward vs central finite differences).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import agreement
from proofs.strategies import conv2d_arrays, conv2d_configs, pool2d_configs


@pytest.fixture(autouse=True)
def serial_numba():
    """Tiny arrays: one Numba thread (parallel launches cost more than the work, on a loaded machine)."""
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(before)


conv_configs = conv2d_configs(max_size=6, max_channels=4, max_kernel=3, strides=(1, 2, 3), dilations=(1, 2),
                              groups=(1, 2))
pool_configs = pool2d_configs(max_size=6, max_kernel=3, strides=(1, 2, 3), padding=True)


@settings(max_examples=25)
@given(conv_configs)
def test_conv2d_shapes_agree(cfg):
    assert agreement.conv2d_shapes_agree(cfg) == cfg.output_shape


@settings(max_examples=6)
@given(conv2d_configs(max_size=5, max_channels=2, strides=(1, 2), dilations=(1, 2), groups=(1, 2)), st.integers(0, 9))
def test_conv2d_forward_agrees_exactly(cfg, seed):
    agreement.conv2d_forward_agrees(cfg, seed=seed)


@settings(max_examples=8)
@given(conv_configs.flatmap(lambda c: st.tuples(st.just(c), conv2d_arrays(c))), st.data())
def test_conv2d_gradients_agree(cfg_arrays, data):
    cfg, (x, w, b) = cfg_arrays
    g = data.draw(st.builds(lambda s: np.random.default_rng(s).standard_normal(cfg.output_shape), st.integers(0, 99)))
    agreement.conv2d_gradients_agree(cfg, x, w, b, g)


@settings(max_examples=12)
@given(pool_configs)
def test_pool2d_shapes_agree(cfg):
    assert agreement.pool2d_shapes_agree(cfg) == cfg.output_shape


@settings(max_examples=8)
@given(pool2d_configs(max_size=5, max_kernel=3, strides=(1, 2), padding=True), st.integers(0, 9))
def test_pool2d_forward_agrees_exactly(cfg, seed):
    agreement.pool2d_forward_agrees(cfg, seed=seed)


@settings(max_examples=10)
@given(pool_configs, st.integers(0, 2**31))
def test_pool2d_gradients_agree(cfg, seed):
    rng = np.random.default_rng(seed)
    n = int(np.prod(cfg.input_shape))
    x = (rng.permutation(n).astype(np.float64) / 10).reshape(cfg.input_shape)  # distinct: no ties for max
    g = rng.standard_normal(cfg.output_shape)
    agreement.pool2d_gradients_agree(cfg, x, g)
