"""Small functions NumPy -> NumPy built from configurations on the numeric engine.

The statements and measurements of :mod:`proofs.properties` check properties
of concrete maps: a convolution with drawn weights, a stack of them with ReLU,
a pooling. This module builds those maps from
:class:`~proofs.strategies.Conv2dConfig` / :class:`~proofs.strategies.Pool2dConfig`
on :mod:`numeric`, with weights from a seeded generator (reproducible).

Examples
--------
>>> from proofs.strategies import Conv2dConfig
>>> cfg = Conv2dConfig(1, 1, 2, 6, 6, kernel_size=3, padding=1, padding_mode="circular")
>>> f = conv_fn(cfg, seed=0)
>>> f(np.ones(cfg.input_shape)).shape
(1, 2, 6, 6)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Callable

import numpy as np

import numeric

from ..configs import Conv2dConfig, Pool2dConfig

__all__ = ["random_weights", "conv_fn", "conv_stack_fn", "pool_fn", "relu"]


def relu(x: np.ndarray) -> np.ndarray:
    """``max(x, 0)`` (the engine's ReLU when it has one)."""
    f = getattr(numeric, "relu", None)
    return f(x) if f is not None else np.maximum(x, 0.0)


def random_weights(config: Conv2dConfig, *, seed: int = 0, positive: bool = False):
    """``(weight, bias)`` for ``config``: standard normal (or uniform in [0.5, 1.5) when ``positive``)."""
    rng = np.random.default_rng(seed)
    if positive:
        return rng.uniform(0.5, 1.5, config.weight_shape), rng.uniform(0.5, 1.5, config.out_channels)
    return rng.standard_normal(config.weight_shape), rng.standard_normal(config.out_channels)


def conv_fn(config: Conv2dConfig, *, seed: int = 0, weight=None, bias=None, positive: bool = False) -> Callable:
    """``x -> numeric.conv2d(x, weight, bias, **config)`` with the config's padding mode."""
    if weight is None:
        weight, b = random_weights(config, seed=seed, positive=positive)
        bias = b if bias is None else bias

    def conv(x: np.ndarray) -> np.ndarray:
        return numeric.conv2d(x, weight, bias, padding_mode=config.padding_mode, **config.kwargs())

    conv.__qualname__ = f"numeric.conv2d[k={config.kernel_size}, s={config.stride}, p={config.padding}, " \
                        f"d={config.dilation}, g={config.groups}, {config.padding_mode}]"
    return conv


def conv_stack_fn(configs: Sequence[Conv2dConfig], *, seed: int = 0, activation: bool = True,
                  positive: bool = False) -> Callable:
    """The composition of the convolutions of ``configs``, with ReLU between them when ``activation``."""
    layers = [conv_fn(c, seed=seed + i, positive=positive) for i, c in enumerate(configs)]

    def stack(x: np.ndarray) -> np.ndarray:
        for i, layer in enumerate(layers):
            x = layer(x)
            if activation and i < len(layers) - 1:
                x = relu(x)
        return x

    stack.__qualname__ = f"stack of {len(layers)} convs" + (" with ReLU" if activation else "")
    return stack


def pool_fn(config: Pool2dConfig) -> Callable:
    """``x -> numeric.max_pool2d / avg_pool2d(x, **config)``."""
    op = numeric.max_pool2d if config.kind == "max" else numeric.avg_pool2d

    def pool(x: np.ndarray) -> np.ndarray:
        return op(x, **config.kwargs())

    pool.__qualname__ = f"numeric.{config.kind}_pool2d[k={config.kernel_size}, s={config.stride}, p={config.padding}]"
    return pool
