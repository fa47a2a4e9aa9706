"""The LeNet-5 training of examples/train_lenet_digits.py computes what PyTorch computes.

Same initial weights, same batches, SGD with momentum, float64, small
synthetic data (no scikit-learn needed): the loss of every step agrees with
PyTorch's to 1e-4 (in practice to ~1e-13), and so do the trained weights.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numeric.optim import SGD
from tests.helpers import REPO, requires_torch


def _load(path: str):
    spec = importlib.util.spec_from_file_location(path.replace("/", "_").removesuffix(".py"), REPO / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


example = _load("examples/train_lenet_digits.py")


def _data(seed: int, n: int = 24):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 1, 32, 32))
    y = rng.integers(0, 10, n)
    return rng, x, y


@requires_torch
@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), momentum=st.sampled_from([0.0, 0.9]))
def test_loss_curve_matches_pytorch_step_by_step(seed, momentum):
    import torch

    torch_lenet = _load("benchmarks/torch_lenet.py")
    rng, x, y = _data(seed)
    params = example.init_params(rng, np.float64)
    batches = example.epoch_batches(len(x), 6, rng) + example.epoch_batches(len(x), 6, rng)
    theirs = torch_lenet.TorchTrainer(torch, params, lr=0.05, momentum=momentum)
    ours = example.train_steps(params, SGD(params, lr=0.05, momentum=momentum), x, y, batches)
    want = theirs.train_steps(x, y, batches)
    assert len(ours) == len(want) == 8
    np.testing.assert_allclose(ours, want, rtol=0, atol=1e-4)
    assert max(ours) - min(ours) > 1e-3  # the weights did move
    for name, p in params.items():
        np.testing.assert_allclose(p, theirs.params[name].detach().numpy(), rtol=1e-8, atol=1e-10, err_msg=name)


def test_gradients_match_finite_differences():
    """The hand-written backward pass is the derivative of the forward pass (a direction derivative)."""
    rng, x, y = _data(3, n=4)
    params = example.init_params(rng, np.float64)
    loss, grads = example.loss_and_grads(params, x, y)
    direction = {k: rng.standard_normal(v.shape) for k, v in params.items()}
    eps = 1e-6

    def loss_at(t):
        moved = {k: v + t * direction[k] for k, v in params.items()}
        return example.loss_and_grads(moved, x, y)[0]

    numeric_slope = (loss_at(eps) - loss_at(-eps)) / (2 * eps)
    analytic = sum(float((grads[k] * direction[k]).sum()) for k in params)
    assert analytic == pytest.approx(numeric_slope, rel=1e-5, abs=1e-8)


def test_digits_become_lenet_input():
    x = example.to_lenet_input(np.random.default_rng(0).uniform(0, 16, (5, 8, 8)))
    assert x.shape == (5, 1, 32, 32) and x.dtype == np.float32
    assert np.all(x[:, :, :4] == x[0, 0, 0, 0])  # the padded border is one constant (0 before scaling)
    assert abs(float(x.mean())) < 1e-5 and float(x.std()) == pytest.approx(1.0, rel=1e-5)
