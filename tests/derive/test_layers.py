"""Layer specs: parameters, buffers, shapes and MACs — symbolic rows, bad input, and PyTorch cross-checks."""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from derive import (conv_macs_derivation, conv_params_derivation, separable_ratio_derivation,
                    stacked_convs_vs_single_derivation)
from derive.layers import (AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv1d, Conv2d, ConvTranspose2d,
                           DepthwiseSeparableConv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU)
from derive.sizes.symbols import C_in, C_out, H, W, g, k, size_symbol
from tests.helpers import requires_torch

N = size_symbol("N")

# -- symbolic parameter counts ------------------------------------------------------------------------------------
SYMBOLIC_PARAMS = [
    ("conv2d", Conv2d(C_in, C_out, k), C_out * C_in * k ** 2 + C_out),
    ("conv2d-no-bias", Conv2d(C_in, C_out, k, bias=False), C_out * C_in * k ** 2),
    ("conv2d-grouped", Conv2d(C_in, C_out, k, groups=g), C_out * C_in * k ** 2 / g + C_out),
    ("conv2d-rect-kernel", Conv2d(C_in, C_out, ("k_h", "k_w")), C_out * C_in * size_symbol("k_h") * size_symbol("k_w") + C_out),
    ("conv1d", Conv1d(C_in, C_out, k), C_out * C_in * k + C_out),
    ("conv-transpose", ConvTranspose2d(C_in, C_out, k), C_in * C_out * k ** 2 + C_out),
    ("linear", Linear(C_in, C_out), C_in * C_out + C_out),
    ("batchnorm", BatchNorm2d(C_in), 2 * C_in),
    ("separable", DepthwiseSeparableConv2d(C_in, C_out, k, bias=False), C_in * k ** 2 + C_in * C_out),
    ("relu", ReLU(), 0),
    ("maxpool", MaxPool2d(k), 0),
]


@pytest.mark.parametrize("layer,expected", [r[1:] for r in SYMBOLIC_PARAMS], ids=[r[0] for r in SYMBOLIC_PARAMS])
def test_symbolic_params(layer, expected):
    assert sp.simplify(layer.params - expected) == 0


def test_separable_ratio_from_the_layer_specs():
    sep = DepthwiseSeparableConv2d(C_in, C_out, k, bias=False).params
    std = Conv2d(C_in, C_out, k, bias=False).params
    assert sp.simplify(sep / std - (1 / k ** 2 + 1 / C_out)) == 0
    assert sp.simplify(sep / std - separable_ratio_derivation().result) == 0


def test_symbolic_shapes_and_macs():
    conv = Conv2d(C_in, C_out, 3, padding=1)
    assert conv.output_shape((N, C_in, H, W)) == (N, C_out, H, W)
    assert sp.simplify(conv.macs((N, C_in, H, W)) - N * C_out * H * W * C_in * 9) == 0
    assert sp.simplify(conv.flops((C_in, H, W)) - 2 * C_out * H * W * C_in * 9) == 0
    assert conv.bias_adds((C_in, H, W)) == C_out * H * W
    assert Conv2d(C_in, C_out, 3, bias=False).bias_adds((C_in, H, W)) == 0
    h_out, w_out = size_symbol("H_out"), size_symbol("W_out")
    derived = conv_macs_derivation().result.xreplace({h_out: H, w_out: W, k: 3})
    assert sp.simplify(conv.macs((C_in, H, W)) - derived) == 0


def test_buffers_are_separate_from_params():
    bn = BatchNorm2d(64)
    assert (bn.params, bn.buffers) == (128, 129)
    assert set(bn.buffer_shapes) == {"running_mean", "running_var", "num_batches_tracked"}


def test_pointwise_layers_keep_the_shape_and_cost_nothing():
    for layer in (ReLU(), Dropout(0.3)):
        assert layer.output_shape((8, H, W)) == (8, H, W) and layer.macs((8, H, W)) == 0


def test_flatten_and_adaptive_pool():
    assert Flatten().output_shape((512, 7, 7)) == (25088,)
    assert AdaptiveAvgPool2d((6, 6)).output_shape((256, H, W)) == (256, 6, 6)
    assert AdaptiveAvgPool2d(1).macs((512, 7, 7)) == 512 * 49


def test_latex_rendering():
    conv = Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
    assert sp.latex(conv) == (r"\mathrm{Conv2d}\left(3, 64, \text{kernel\_size}=7, \text{stride}=2, "
                              r"\text{padding}=3, \text{bias}=\text{False}\right)")
    assert conv._repr_latex_().startswith("$\\mathrm{Conv2d}")
    assert repr(conv) == "Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)"


# -- bad input ---------------------------------------------------------------------------------------------------
BAD = [
    ("groups-not-dividing", lambda: Conv2d(6, 16, 5, groups=4), "in_channels must be divisible by groups: 6 % 4 = 2"),
    ("channel-mismatch", lambda: Conv2d(3, 8, 3).output_shape((1, 28, 28)), "input has 1 channels, expected in_channels = 3"),
    ("kernel-too-large", lambda: Conv2d(1, 1, 5).output_shape((1, 3, 3)), "kernel larger than padded input"),
    ("linear-features", lambda: Linear(400, 120).output_shape((100,)), "input has 100 features, expected in_features = 400"),
    ("negative-channels", lambda: Conv2d(-3, 8, 3), "in_channels must be a positive integer, got -3"),
    ("fractional-kernel", lambda: Conv2d(3, 8, 2.5), "kernel_size must be a positive integer, got 2.5"),
    ("kernel-pair-length", lambda: Conv2d(3, 8, (3, 3, 3)), "kernel_size must have 2 entries, got 3"),
    ("padding-string", lambda: Conv2d(3, 8, 3, padding="full"), "padding string must be 'same' or 'valid'"),
    ("output-padding", lambda: ConvTranspose2d(4, 4, 3, stride=2, output_padding=2).output_shape((4, 5, 5)),
     "output_padding = 2 >= max(2, 1) = 2"),
    ("pool-padding", lambda: MaxPool2d(2, padding=2).output_shape((1, 8, 8)), "padding must be at most half the window"),
    ("rank", lambda: Conv2d(3, 8, 3).output_shape((3, 8)), "input shape must be (C, H, W) or with a batch dimension first; got 2 dimensions (3, 8)"),
    ("dropout-p", lambda: Dropout(1.5), "between 0 and 1"),
    ("flatten-dims", lambda: Flatten(2), "only start_dim=1"),
    ("padding-mode", lambda: Conv2d(3, 8, 3, padding_mode="mirror"),
     "padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'] (as torch.nn), got 'mirror'"),
    ("transposed-padding-mode", lambda: ConvTranspose2d(3, 8, 3, padding_mode="reflect"),
     "only padding_mode='zeros' is supported by transposed convolutions"),
]


def test_padding_mode_keeps_sizes_and_shows_in_repr():
    reflect = Conv2d(3, 8, 3, padding=1, padding_mode="reflect")
    assert reflect.output_shape((3, 32, 32)) == Conv2d(3, 8, 3, padding=1).output_shape((3, 32, 32)) == (8, 32, 32)
    assert repr(reflect) == "Conv2d(3, 8, kernel_size=3, stride=1, padding=1, padding_mode='reflect')"
    assert Conv2d(3, 8, 3, padding="same", padding_mode="circular").output_shape((3, 7, 9)) == (8, 7, 9)


@pytest.mark.parametrize("call,message", [r[1:] for r in BAD], ids=[r[0] for r in BAD])
def test_bad_input(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


# -- derivations --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [conv_params_derivation, conv_macs_derivation, separable_ratio_derivation,
                                  stacked_convs_vs_single_derivation],
                         ids=["conv-params", "conv-macs", "separable-ratio", "stacked-3x3-vs-5x5"])
def test_count_derivations_verify(make):
    der = make()
    assert der.verify(), der.to_text()


def test_count_derivation_results():
    assert conv_params_derivation().result == C_out * (C_in * k ** 2 + 1)
    stacked = stacked_convs_vs_single_derivation()
    assert stacked.result == sp.Rational(18, 25)
    C = size_symbol("C")
    assert any(st.rhs == 18 * C ** 2 for st in stacked.steps) and any(st.rhs == 25 * C ** 2 for st in stacked.steps)


# -- against PyTorch --------------------------------------------------------------------------------------------------
def _torch_counts(module):
    return (sum(p.numel() for p in module.parameters()), sum(b.numel() for b in module.buffers()))


@requires_torch
def test_params_and_buffers_vs_torch_numel():
    import torch.nn as nn

    pairs = [
        (Conv2d(3, 64, 7, 2, 3, bias=False), nn.Conv2d(3, 64, 7, 2, 3, bias=False)),
        (Conv2d(32, 64, (3, 5), groups=4), nn.Conv2d(32, 64, (3, 5), groups=4)),
        (Conv1d(16, 33, 3), nn.Conv1d(16, 33, 3)),
        (ConvTranspose2d(16, 8, 4, 2, 1, groups=2), nn.ConvTranspose2d(16, 8, 4, 2, 1, groups=2)),
        (Linear(400, 120), nn.Linear(400, 120)),
        (BatchNorm2d(64), nn.BatchNorm2d(64)),
        (BatchNorm2d(64, affine=False), nn.BatchNorm2d(64, affine=False)),
        (MaxPool2d(3, 2, 1), nn.MaxPool2d(3, 2, 1)),
        (AvgPool2d(2), nn.AvgPool2d(2)),
        (DepthwiseSeparableConv2d(32, 64, 3, padding=1),
         nn.Sequential(nn.Conv2d(32, 32, 3, padding=1, groups=32), nn.Conv2d(32, 64, 1))),
    ]
    for ours, theirs in pairs:
        assert (ours.params, ours.buffers) == _torch_counts(theirs), repr(ours)


conv_config = st.fixed_dictionaries({
    "cin_per_group": st.integers(1, 3), "cout_per_group": st.integers(1, 3), "groups": st.integers(1, 3),
    "kernel": st.tuples(st.integers(1, 4), st.integers(1, 4)), "stride": st.tuples(st.integers(1, 3), st.integers(1, 3)),
    "padding": st.tuples(st.integers(0, 2), st.integers(0, 2)), "dilation": st.tuples(st.integers(1, 2), st.integers(1, 2)),
    "bias": st.booleans(), "size": st.tuples(st.integers(1, 12), st.integers(1, 12)),
})


@requires_torch
@given(cfg=conv_config, transposed=st.booleans())
def test_conv_layers_vs_torch(cfg, transposed):
    """Shape, parameter count and FLOPs (torch's FlopCounterMode: 2 per multiply-accumulate) of random convs."""
    import torch
    import torch.nn as nn
    from torch.utils.flop_counter import FlopCounterMode

    cin, cout = cfg["cin_per_group"] * cfg["groups"], cfg["cout_per_group"] * cfg["groups"]
    kw = dict(stride=cfg["stride"], padding=cfg["padding"], dilation=cfg["dilation"], groups=cfg["groups"], bias=cfg["bias"])
    if transposed:
        ours = ConvTranspose2d(cin, cout, cfg["kernel"], **kw)
        theirs = nn.ConvTranspose2d(cin, cout, cfg["kernel"], **kw)
    else:
        ours = Conv2d(cin, cout, cfg["kernel"], **kw)
        theirs = nn.Conv2d(cin, cout, cfg["kernel"], **kw)
    shape = (2, cin, *cfg["size"])
    try:
        with FlopCounterMode(display=False) as counter:
            y = theirs(torch.zeros(shape))
    except RuntimeError:
        with pytest.raises(ValueError):
            ours.output_shape(shape)
        return
    assume(y.numel() > 0)
    assert ours.output_shape(shape) == tuple(y.shape)
    assert ours.params == _torch_counts(theirs)[0]
    assert ours.flops(shape) == counter.get_total_flops()


@requires_torch
@given(batch=st.integers(1, 3), fin=st.integers(1, 20), fout=st.integers(1, 20), bias=st.booleans())
def test_linear_vs_torch(batch, fin, fout, bias):
    import torch
    import torch.nn as nn
    from torch.utils.flop_counter import FlopCounterMode

    theirs = nn.Linear(fin, fout, bias=bias)
    with FlopCounterMode(display=False) as counter:
        y = theirs(torch.zeros(batch, fin))
    ours = Linear(fin, fout, bias=bias)
    assert ours.output_shape((batch, fin)) == tuple(y.shape)
    assert ours.params == _torch_counts(theirs)[0]
    assert ours.flops((batch, fin)) == counter.get_total_flops()


@requires_torch
@given(size=st.tuples(st.integers(1, 15), st.integers(1, 15)), out=st.tuples(st.integers(1, 6), st.integers(1, 6)))
def test_adaptive_avg_pool_vs_torch(size, out):
    import torch
    import torch.nn as nn

    y = nn.AdaptiveAvgPool2d(out)(torch.zeros(1, 2, *size))
    assert AdaptiveAvgPool2d(out).output_shape((1, 2, *size)) == tuple(y.shape)
