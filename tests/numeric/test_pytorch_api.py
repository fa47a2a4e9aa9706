"""numeric's public API against PyTorch's: signatures, empty batches, tensors as input, skipped gradients.

Every function that carries a name of ``torch.nn.functional`` takes PyTorch's
parameters in PyTorch's order with PyTorch's defaults (numeric may add
parameters after them, e.g. ``padding_mode``), so that a call written for
PyTorch means the same here or fails loudly.
"""

from __future__ import annotations

import ast
import inspect
import re

import numpy as np
import pytest

import numeric
from numeric import _conv_engine as engine
from tests.helpers import HAVE_TORCH, requires_torch

if HAVE_TORCH:
    import torch
    import torch.nn.functional as F

PYTORCH_NAMED = ["conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool1d", "max_pool2d",
                 "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "linear", "relu",
                 "leaky_relu", "sigmoid", "batch_norm"]


def _torch_parameters(name: str) -> list[tuple[str, object]]:
    """``(name, default)`` of PyTorch's parameters, from its signature or its documented one."""
    fn = getattr(F, f"_{name}", None) if name.startswith("max_pool") else getattr(F, name)
    try:
        params = list(inspect.signature(fn).parameters.values())
        if params and params[0].kind is not inspect.Parameter.VAR_POSITIONAL:
            return [(p.name, p.default) for p in params]
    except (TypeError, ValueError):
        pass
    documented = re.match(rf"{name}\((.*?)\)", fn.__doc__.strip()).group(1)  # e.g. "input, weight, bias=None"
    out = []
    for item in documented.split(", "):
        key, _, default = item.partition("=")
        out.append((key, inspect.Parameter.empty if not default else ast.literal_eval(default)))
    return out


@requires_torch
@pytest.mark.parametrize("name", PYTORCH_NAMED)
def test_pytorch_named_functions_take_pytorchs_parameters_in_order(name):
    want = _torch_parameters(name)
    ours = [(p.name, p.default) for p in inspect.signature(getattr(numeric, name)).parameters.values()]
    assert ours[:len(want)] == want


EMPTY_CASES = [
    # id, numeric forward, numeric backward, torch forward, x shape, other args, kwargs
    ("conv2d", "conv2d", (0, 3, 5, 5), [(4, 3, 3, 3), (4,)], dict(padding=1)),
    ("conv1d-circular", "conv1d", (0, 2, 6), [(4, 2, 3), (4,)], dict(padding=2, padding_mode="circular")),
    ("conv2d-reflect", "conv2d", (0, 2, 4, 4), [(4, 2, 3, 3), (4,)], dict(padding=1, padding_mode="reflect")),
    ("conv_transpose2d", "conv_transpose2d", (0, 3, 4, 4), [(3, 2, 3, 3), (2,)], dict(stride=2)),
    ("max_pool2d", "max_pool2d", (0, 3, 5, 5), [], dict(kernel_size=2)),
    ("avg_pool1d", "avg_pool1d", (0, 3, 5), [], dict(kernel_size=3, padding=1)),
    ("adaptive_avg_pool2d", "adaptive_avg_pool2d", (0, 3, 5, 5), [], dict(output_size=2)),
]


def _torch_module_call(name, x, args, kw):
    """PyTorch's result: ``nn.Conv*d`` for a padding_mode (F.conv* has none), else the functional."""
    kw = dict(kw)
    mode = kw.pop("padding_mode", None)
    if mode is None:
        return getattr(F, name)(x, *args, **kw)
    w, b = args
    conv = getattr(torch.nn, f"Conv{x.dim() - 2}d")(w.shape[1], w.shape[0], tuple(w.shape[2:]), padding_mode=mode,
                                                      dtype=torch.float64, **kw)
    conv.weight.data, conv.bias.data = w, b
    return conv(x)


@requires_torch
@pytest.mark.parametrize("name, x_shape, arg_shapes, kw", [c[1:] for c in EMPTY_CASES], ids=[c[0] for c in EMPTY_CASES])
def test_an_empty_batch_gives_pytorchs_empty_result_forward_and_backward(name, x_shape, arg_shapes, kw):
    rng = np.random.default_rng(0)
    x = np.zeros(x_shape)
    args = [rng.standard_normal(s) for s in arg_shapes]
    leaves = [torch.from_numpy(a).requires_grad_() for a in (x, *args)]
    yt = _torch_module_call(name, leaves[0], leaves[1:], kw)
    y = getattr(numeric, name)(x, *args, **kw)
    assert y.shape == tuple(yt.shape) and y.dtype == np.float64
    yt.sum().backward()
    backward_args = args[:1]  # the backward functions take the weight, not the bias
    grads = getattr(numeric, f"{name}_backward")(np.ones(y.shape), x, *backward_args, **kw)
    grads = grads if isinstance(grads, tuple) else (grads,)
    for got, leaf in zip(grads, leaves):
        want = np.zeros(tuple(leaf.shape)) if leaf.grad is None else leaf.grad.numpy()
        np.testing.assert_array_equal(got, want)


@requires_torch
def test_empty_batches_of_linear_and_activations_follow_pytorch():
    x, w = np.zeros((0, 3)), np.ones((4, 3))
    assert numeric.linear(x, w).shape == tuple(F.linear(torch.from_numpy(x), torch.from_numpy(w)).shape)
    gx, gw, gb = numeric.linear_backward(np.zeros((0, 4)), x, w)
    assert gx.shape == (0, 3)
    np.testing.assert_array_equal(gw, 0)
    np.testing.assert_array_equal(gb, 0)
    for name in ("relu", "sigmoid", "leaky_relu"):
        assert getattr(numeric, name)(x).shape == (0, 3)


@requires_torch
def test_a_tensor_that_requires_grad_is_refused_with_the_call_that_converts_it():
    xt = torch.zeros(1, 2, 5, 5, dtype=torch.float64, requires_grad=True)
    w = np.zeros((3, 2, 3, 3))
    with pytest.raises(TypeError, match=re.escape("conv2d: input is a torch.Tensor that requires grad; "
                                                  "pass input.detach().numpy()")):
        numeric.conv2d(xt, w)
    with pytest.raises(TypeError, match=re.escape("relu: input is a torch.Tensor that requires grad")):
        numeric.relu(xt)


@requires_torch
def test_plain_cpu_tensors_are_read_as_arrays():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((2, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3))
    np.testing.assert_array_equal(numeric.conv2d(torch.from_numpy(x), torch.from_numpy(w)), numeric.conv2d(x, w))
    np.testing.assert_array_equal(numeric.max_pool2d(torch.from_numpy(x), 2), numeric.max_pool2d(x, 2))
    with pytest.raises(TypeError, match=re.escape("conv2d: input has dtype int64; expected float32 or float64")):
        numeric.conv2d(torch.zeros(1, 2, 5, 5, dtype=torch.int64), w)


def _forbid(monkeypatch, *names):
    """Make the engine's products ``names`` fail if they are called."""
    def boom(*args, **kwargs):
        raise AssertionError("a gradient that was not requested was computed")

    for name in names:
        monkeypatch.setattr(engine, name, boom)


# the engine products that computing each gradient needs; skipping a gradient must not call them
SKIP_CASES = [
    ("conv2d", "conv2d_backward", dict(padding=1, groups=2), (True, False, False), ("grad_weight", "backward")),
    ("conv2d", "conv2d_backward", dict(padding=1, groups=2), (False, True, False), ("grad_input", "backward")),
    ("conv2d", "conv2d_backward", dict(padding=1, groups=2), (False, False, True),
     ("grad_input", "grad_weight", "backward")),
    ("conv2d", "conv2d_backward", dict(padding=1, groups=2, padding_mode="reflect"), (True, False, False),
     ("grad_weight", "backward")),
    ("conv1d", "conv1d_backward", dict(padding=1, groups=2, padding_mode="replicate"), (False, True, True),
     ("grad_input", "backward")),
    ("conv_transpose2d", "conv_transpose2d_backward", dict(stride=2), (True, False, False), ("grad_weight",)),
    ("conv_transpose1d", "conv_transpose1d_backward", dict(stride=2), (False, True, False), ("forward",)),
]


@pytest.mark.parametrize("fwd, bwd, kw, mask, forbidden", SKIP_CASES,
                         ids=[f"{c[1]}-{''.join('xwb'[i] for i in range(3) if c[3][i])}-{c[2].get('padding_mode', 'zeros')}"
                              for c in SKIP_CASES])
def test_needs_input_grad_skips_the_work_and_returns_none(monkeypatch, fwd, bwd, kw, mask, forbidden):
    rng = np.random.default_rng(2)
    nd = 2 if fwd.endswith("2d") else 1
    x = rng.standard_normal((2, 4, *(5,) * nd))
    w = rng.standard_normal((4, 2, *(3,) * nd))
    go = rng.standard_normal(getattr(numeric, fwd)(x, w, **kw).shape)
    full = getattr(numeric, bwd)(go, x, w, **kw)
    _forbid(monkeypatch, *forbidden)
    part = getattr(numeric, bwd)(go, x, w, needs_input_grad=mask, **kw)
    for want, got, needed in zip(full, part, mask):
        if needed:
            np.testing.assert_array_equal(got, want)
        else:
            assert got is None
