"""numeric's convolutions against PyTorch (float64, relative error < 1e-8), forward and backward.

PyTorch has no per-side padding, no ``'same'`` at stride > 1 and pads
circularly, by reflection or replication only through ``F.pad`` (or
``nn.Conv2d``); so the input is padded explicitly with ``F.pad`` (in the same
mode) and convolved without padding, and autograd differentiates through the
padding.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import numeric
from tests.helpers import HAVE_TORCH, requires_torch
from tests.numeric.test_conv_kernels import conv_cases, conv_transpose_cases

if HAVE_TORCH:
    import torch
    import torch.nn.functional as F

pytestmark = [requires_torch, pytest.mark.torch]

REL = 1e-8


def _rel_err(got, want):
    want = want.detach().numpy()
    return float(np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-300))


def _explicit_pads(padding, in_size, kernel, stride, dilation):
    """Per-dimension (before, after) padding, 'same' by TensorFlow's rule (ceil(H/s) outputs)."""
    nd = len(in_size)
    padding = padding.lower() if isinstance(padding, str) else padding
    if padding == "valid":
        return [(0, 0)] * nd
    if padding == "same":
        pads = []
        for h, k, s, d in zip(in_size, kernel, stride, dilation):
            total = max((-(-h // s) - 1) * s + d * (k - 1) + 1 - h, 0)
            pads.append((total // 2, total - total // 2))
        return pads
    if isinstance(padding, int):
        return [(padding, padding)] * nd
    if nd == 1 and len(padding) == 2:
        return [tuple(padding)]
    return [(p, p) if isinstance(p, int) else tuple(p) for p in padding]


def _torch_conv(x, w, b, kw):
    nd = x.dim() - 2
    pads = _explicit_pads(kw["padding"], tuple(x.shape[2:]), tuple(w.shape[2:]), kw["stride"], kw["dilation"])
    flat = [v for pair in reversed(pads) for v in pair]  # F.pad wants the last dimension first
    mode = "constant" if kw["padding_mode"] == "zeros" else kw["padding_mode"]
    xp = F.pad(x, flat, mode=mode) if any(flat) else x
    conv = F.conv1d if nd == 1 else F.conv2d
    return conv(xp, w, b, stride=kw["stride"], padding=0, dilation=kw["dilation"], groups=kw["groups"])


FUNCS = {1: (numeric.conv1d, numeric.conv1d_backward), 2: (numeric.conv2d, numeric.conv2d_backward)}
FUNCS_T = {1: (numeric.conv_transpose1d, numeric.conv_transpose1d_backward, "conv_transpose1d"),
           2: (numeric.conv_transpose2d, numeric.conv_transpose2d_backward, "conv_transpose2d")}


def _compare(y, yt, grads, leaves):
    assert y.shape == tuple(yt.shape)
    assert _rel_err(y, yt) < REL, "forward"
    for got, leaf, name in zip(grads, leaves, ("grad_input", "grad_weight", "grad_bias")):
        assert got.shape == tuple(leaf.grad.shape), name
        assert _rel_err(got, leaf.grad) < REL, name


@pytest.mark.parametrize("nd", [1, 2], ids=["conv1d", "conv2d"])
@given(data=st.data())
def test_conv_agrees_with_torch(nd, data):
    x, w, b, kw = data.draw(conv_cases(nd))
    fwd, bwd = FUNCS[nd]
    leaves = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    yt = _torch_conv(*leaves, kw)
    go = np.random.default_rng(0).standard_normal(tuple(yt.shape))
    yt.backward(torch.from_numpy(go))
    _compare(fwd(x, w, b, **kw), yt, bwd(go, x, w, **kw), leaves)


@pytest.mark.parametrize("nd", [1, 2], ids=["conv_transpose1d", "conv_transpose2d"])
@given(data=st.data())
def test_conv_transpose_agrees_with_torch(nd, data):
    x, w, b, kw = data.draw(conv_transpose_cases(nd))
    fwd, bwd, name = FUNCS_T[nd]
    leaves = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    yt = getattr(F, name)(*leaves, **kw)
    go = np.random.default_rng(0).standard_normal(tuple(yt.shape))
    yt.backward(torch.from_numpy(go))
    _compare(fwd(x, w, b, **kw), yt, bwd(go, x, w, **kw), leaves)


TORCH_TABLE = [
    # id, x shape, w shape, kwargs passed to both libraries unchanged
    ("lenet", (4, 1, 28, 28), (6, 1, 5, 5), {}),
    ("resnet-3x3", (2, 16, 14, 14), (16, 16, 3, 3), dict(padding=1)),
    ("stem", (1, 3, 45, 45), (8, 3, 7, 7), dict(stride=2, padding=3)),
    ("depthwise", (2, 8, 12, 12), (8, 1, 3, 3), dict(padding=1, groups=8)),
    ("same-dilated", (1, 4, 11, 10), (4, 2, 3, 3), dict(padding="same", dilation=2, groups=2)),
    ("valid-strided", (1, 3, 13, 9), (5, 3, 2, 3), dict(padding="valid", stride=(3, 2))),
]


@pytest.mark.parametrize("x_shape, w_shape, kw", [r[1:] for r in TORCH_TABLE], ids=[r[0] for r in TORCH_TABLE])
def test_conv2d_realistic_layers_agree_with_torch(x_shape, w_shape, kw):
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    leaves = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    yt = F.conv2d(*leaves, **kw)
    go = rng.standard_normal(tuple(yt.shape))
    yt.backward(torch.from_numpy(go))
    _compare(numeric.conv2d(x, w, b, **kw), yt, numeric.conv2d_backward(go, x, w, **kw), leaves)


def test_float32_agrees_with_torch_float32():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 8, 16, 16)).astype(np.float32)
    w = rng.standard_normal((8, 8, 3, 3)).astype(np.float32)
    y = numeric.conv2d(x, w, padding=1)
    assert y.dtype == np.float32
    yt = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), padding=1)
    assert _rel_err(y, yt) < 1e-5
