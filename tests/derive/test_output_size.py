"""Output sizes: derived formulas vs hand-checked rows, the numeric engine's actual outputs, and PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

import numeric
from derive import output_size, output_size_derivation, tf_same_padding
from derive.sizes.symbols import H, P, P_l, P_r, d, k, o_p, s
from tests.helpers import requires_torch

# -- worked rows ------------------------------------------------------------------------------------------
ROWS = [
    # id, op, (size, kernel, stride, padding, dilation), kwargs, expected
    ("resnet-stem-conv", "conv", (224, 7, 2, 3, 1), {}, 112),
    ("resnet-stem-pool", "max_pool", (112, 3, 2, 1, 1), {}, 56),
    ("vgg-same-3x3", "conv", (224, 3, 1, 1, 1), {}, 224),
    ("alexnet-conv1", "conv", (224, 11, 4, 2, 1), {}, 55),
    ("valid-5x5", "conv", (28, 5, 1, 0, 1), {}, 24),
    ("dilated-3x3-d2", "conv", (10, 3, 1, 0, 2), {}, 6),
    ("per-side-padding", "conv", (5, 3, 2, (0, 1), 1), {}, 2),
    ("pool-floor-odd", "max_pool", (7, 2, 2, 0, 1), {}, 3),
    ("pool-ceil-odd", "max_pool", (7, 2, 2, 0, 1), {"ceil_mode": True}, 4),
    ("pool-ceil-drops-window-in-right-padding", "max_pool", (5, 3, 2, 1, 1), {"ceil_mode": True}, 3),
    ("avg-ceil", "avg_pool", (6, 3, 2, 0, 1), {"ceil_mode": True}, 3),
    ("transpose-doubles", "conv_transpose", (7, 3, 2, 1, 1), {"output_padding": 1}, 14),
    ("transpose-k4-s2-p1", "conv_transpose", (16, 4, 2, 1, 1), {}, 32),
    ("transpose-dilated", "conv_transpose", (5, 3, 1, 0, 2), {}, 9),
    ("tf-same-s2", "conv", (7, 3, 2, "SAME", 1), {}, 4),
    ("tf-same-lower", "conv", (7, 3, 2, "SAME_LOWER", 1), {}, 4),
    ("tf-valid-s2", "conv", (7, 3, 2, "VALID", 1), {}, 3),
    ("tf-same-pool", "max_pool", (9, 2, 2, "SAME", 1), {}, 5),
]


@pytest.mark.parametrize("op,args,kwargs,expected", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_worked_rows(op, args, kwargs, expected):
    value = output_size(op, *args, **kwargs)
    assert value == expected and isinstance(value, sp.Integer)


def test_symbolic_conv_formula_is_the_textbook_one():
    assert output_size("conv", H, k, s, P, d) == sp.floor((H + 2 * P - d * (k - 1) - 1) / s) + 1
    assert output_size("conv", "H", "k", "s", P, "d") == sp.floor((H + 2 * P - d * (k - 1) - 1) / s) + 1


def test_symbolic_transpose_and_per_side():
    assert sp.expand(output_size("conv_transpose", H, k, s, P, d, output_padding=o_p)
                     - ((H - 1) * s - 2 * P + d * (k - 1) + o_p + 1)) == 0
    assert output_size("conv", H, k, s, (P_l, P_r), d) == sp.floor((H + P_l + P_r - d * (k - 1) - 1) / s) + 1


def test_partially_symbolic_keeps_numbers():
    assert output_size("conv", H, 3, 1, 1) == H
    assert output_size("conv", H, 3, 2, "SAME") == sp.ceiling(H / 2)


# -- bad input ---------------------------------------------------------------------------------------------
BAD = [
    ("unknown-op", ("deconv", 8, 3), {}, "unknown op 'deconv'"),
    ("unknown-padding-string", ("conv", 8, 3, 1, "full"), {}, "'SAME', 'VALID', 'SAME_LOWER'; got 'full'"),
    ("negative-size", ("conv", -4, 3), {}, "size must be a positive integer, got -4"),
    ("zero-size", ("conv", 0, 3), {}, "size must be a positive integer, got 0"),
    ("fractional-size", ("conv", 7.5, 3), {}, "size must be a positive integer, got 7.5"),
    ("rational-kernel", ("conv", 8, sp.Rational(3, 2)), {}, "kernel_size must be a positive integer, got 3/2"),
    ("negative-padding", ("conv", 8, 3, 1, -1), {}, "padding must be a nonnegative integer, got -1"),
    ("zero-stride", ("conv", 8, 3, 0), {}, "stride must be a positive integer, got 0"),
    ("kernel-larger-than-padded-input", ("conv", 4, 5), {}, "= 0 < 1 (kernel larger than padded input)"),
    ("dilated-kernel-too-large", ("conv", 5, 3, 1, 0, 3), {}, "kernel larger than padded input"),
    ("output-padding-too-large", ("conv_transpose", 4, 3, 2), {"output_padding": 2},
     "output_padding = 2 >= max(2, 1) = 2"),
    ("output-padding-on-conv", ("conv", 4, 3), {"output_padding": 1}, "output_padding applies to 'conv_transpose'"),
    ("pool-padding-over-half", ("max_pool", 8, 3, 1, 2), {}, "left padding 2 > kernel_size/2 = 3/2"),
    ("avg-pool-dilation", ("avg_pool", 8, 3, 1, 0, 2), {}, "avg_pool has no dilation"),
    ("ceil-mode-on-conv", ("conv", 8, 3), {"ceil_mode": True}, "ceil_mode applies to pooling only"),
    ("valid-kernel-too-large", ("conv", 2, 3, 1, "VALID"), {}, "kernel larger than the unpadded input"),
    ("padding-triple", ("conv", 8, 3, 1, (1, 1, 1)), {}, "(left, right) pair, got 3 values"),
]


@pytest.mark.parametrize("args,kwargs,message", [r[1:] for r in BAD], ids=[r[0] for r in BAD])
def test_bad_input_names_the_rule(args, kwargs, message):
    with pytest.raises(ValueError) as info:
        output_size(*args, **kwargs)
    assert message in str(info.value)


def test_bool_is_not_a_size():
    with pytest.raises(TypeError, match="bool"):
        output_size("conv", True, 3)


# -- derivations -------------------------------------------------------------------------------------------
DERIVATIONS = [
    ("conv", {}),
    ("conv-per-side", {"padding": (P_l, P_r)}),
    ("max-pool-ceil", {"op": "max_pool", "ceil_mode": True}),
    ("avg-pool-ceil", {"op": "avg_pool", "ceil_mode": True}),
    ("avg-pool-floor", {"op": "avg_pool"}),
    ("conv-transpose", {"op": "conv_transpose"}),
    ("tf-same", {"padding": "SAME"}),
    ("tf-same-lower", {"padding": "SAME_LOWER"}),
    ("tf-valid", {"padding": "VALID"}),
    ("instantiated", {"size": 224, "kernel_size": 7, "stride": 2, "padding": 3, "dilation": 1}),
]


@pytest.mark.parametrize("kwargs", [r[1] for r in DERIVATIONS], ids=[r[0] for r in DERIVATIONS])
def test_every_derivation_verifies(kwargs):
    kwargs = dict(kwargs)
    der = output_size_derivation(kwargs.pop("op", "conv"), **kwargs)
    # handed out checked: every step has its status before the caller runs verify()
    assert der.steps[0].status == "definition"
    assert all(step.status in ("definition", "symbolic", "exhaustive") for step in der.steps), der.to_text()
    for step in der.steps:
        if step.status == "exhaustive":  # the floor/ceiling steps say on which grid they were checked
            assert step.note.startswith("checked at all ") and "H = 1.." in step.note and step.checked_at > 100
            assert step.note in step.text() and "checked at all" in step.latex()
    assert der.verify(), der.to_text()
    assert "\\begin{align*}" in der.to_align()


def test_derivation_result_matches_output_size():
    assert output_size_derivation("conv").result == output_size("conv", H, k, s, P, d)
    assert output_size_derivation("conv", 224, 7, 2, 3, 1).result == 112
    ceil = output_size_derivation("max_pool", ceil_mode=True).result
    assert ceil == output_size("max_pool", H, k, s, P, d, ceil_mode=True)


def test_a_wrong_formula_fails_the_derivation_check():
    """The checker is not a rubber stamp: a tampered step fails with the values."""
    der = output_size_derivation("conv")
    der.step(der.result, sp.floor((H + 2 * P - k) / s) + 1, "forget the dilation")
    assert not der.verify()
    assert der.steps[-1].status == "failed" and der.steps[-1].failure["d"] > 1


def test_derivations_are_checked_once_and_handed_out_as_copies():
    first = output_size_derivation("max_pool", ceil_mode=True)
    first.step(first.result, first.result, "a caller's own step")
    second = output_size_derivation("max_pool", ceil_mode=True)
    assert len(second.steps) == len(first.steps) - 1  # the cached original is untouched
    assert all(a is not b for a, b in zip(first.steps, second.steps))


def test_the_grid_is_exhaustive_not_sampled():
    """A step wrong at one single corner of the stated grid (H = 64, k = 7, s = 4, P = 3, d = 3) is caught."""
    from derive.derivation import DerivationError

    der = output_size_derivation("conv")
    corner = sp.And(sp.Eq(H, 64), sp.Eq(k, 7), sp.Eq(s, 4), sp.Eq(P, 3), sp.Eq(d, 3))
    der.step(der.result, sp.Piecewise((der.result + 1, corner), (der.result, True)), "wrong at one point")
    with pytest.raises(DerivationError, match="wrong at one point"):
        der.checked()
    bad = der.steps[-1]
    assert bad.status == "failed" and {n: bad.failure[n] for n in "HksPd"} == {"H": 64, "k": 7, "s": 4, "P": 3, "d": 3}


# -- against the numeric engine ---------------------------------------------------------------------------------
sizes = st.integers(1, 14)
kernels = st.integers(1, 5)
strides = st.integers(1, 4)
dilations = st.integers(1, 3)


def _valid(op, *args, **kwargs):
    try:
        return int(output_size(op, *args, **kwargs))
    except ValueError:
        assume(False)


@given(h=sizes, w=sizes, kh=kernels, kw=kernels, s_=strides, p=st.integers(0, 3), dil=dilations)
def test_conv_vs_numeric_engine(h, w, kh, kw, s_, p, dil):
    oh = _valid("conv", h, kh, s_, p, dil)
    ow = _valid("conv", w, kw, s_, p, dil)
    y = numeric.conv2d(np.zeros((1, 2, h, w)), np.zeros((3, 2, kh, kw)), stride=s_, padding=p, dilation=dil)
    assert y.shape == (1, 3, oh, ow)


@given(h=sizes, kh=kernels, s_=strides, pt=st.integers(0, 3), pb=st.integers(0, 3), dil=dilations)
def test_per_side_padding_vs_numeric_engine(h, kh, s_, pt, pb, dil):
    oh = _valid("conv", h, kh, s_, (pt, pb), dil)
    y = numeric.conv2d(np.zeros((1, 1, h, 4)), np.zeros((1, 1, kh, 1)), stride=(s_, 1), padding=((pt, pb), (0, 0)),
                       dilation=(dil, 1))
    assert y.shape[2] == oh


@given(h=sizes, kh=kernels, s_=strides, dil=dilations, data=st.data())
def test_conv_transpose_vs_numeric_engine(h, kh, s_, dil, data):
    p = data.draw(st.integers(0, 3), label="padding")
    op_ = data.draw(st.integers(0, max(s_, dil) - 1), label="output_padding")
    oh = _valid("conv_transpose", h, kh, s_, p, dil, output_padding=op_)
    y = numeric.conv_transpose2d(np.zeros((1, 2, h, 3)), np.zeros((2, 1, kh, 1)), stride=(s_, 1), padding=(p, 0),
                                 output_padding=(op_, 0), dilation=(dil, 1))
    assert y.shape == (1, 1, oh, 3)


@given(h=sizes, kh=kernels, s_=strides, dil=dilations, ceil=st.booleans(), data=st.data())
def test_max_pool_vs_numeric_engine(h, kh, s_, dil, ceil, data):
    p = data.draw(st.integers(0, kh // 2), label="padding")
    oh = _valid("max_pool", h, kh, s_, p, dil, ceil_mode=ceil)
    y = numeric.max_pool2d(np.zeros((1, 1, h, h)), kh, s_, p, dil, ceil_mode=ceil)
    assert y.shape == (1, 1, oh, oh)


@given(h=sizes, kh=kernels, s_=strides, ceil=st.booleans(), data=st.data())
def test_avg_pool_vs_numeric_engine(h, kh, s_, ceil, data):
    p = data.draw(st.integers(0, kh // 2), label="padding")
    oh = _valid("avg_pool", h, kh, s_, p, ceil_mode=ceil)
    y = numeric.avg_pool2d(np.zeros((1, 1, h, 2 * kh)), (kh, kh), (s_, kh), (p, 0), ceil_mode=ceil)
    assert y.shape[2] == oh


CEIL_EDGES = [
    # (size, kernel, stride, padding): windows that would start in the right padding, exact fits, stride > kernel
    ("exact-fit", 6, 2, 2, 0),
    ("one-left-over", 7, 2, 2, 0),
    ("start-in-right-padding", 5, 3, 2, 1),
    ("stride-larger-than-kernel", 10, 2, 4, 0),
    ("kernel-equals-input", 3, 3, 2, 0),
    ("padding-both-sides", 4, 2, 3, 1),
    ("single-pixel", 1, 1, 3, 0),
]


@pytest.mark.parametrize("h,kh,s_,p", [r[1:] for r in CEIL_EDGES], ids=[r[0] for r in CEIL_EDGES])
def test_ceil_mode_edges_vs_numeric_engine(h, kh, s_, p):
    for pool in (numeric.max_pool2d, numeric.avg_pool2d):
        op = "max_pool" if pool is numeric.max_pool2d else "avg_pool"
        y = pool(np.zeros((1, 1, h, h)), kh, s_, p, ceil_mode=True)
        assert y.shape[2] == output_size(op, h, kh, s_, p, ceil_mode=True)


@given(h=st.integers(1, 20), kh=kernels, s_=strides, dil=dilations, lower=st.booleans())
def test_tf_same_padding_gives_ceil_h_over_s(h, kh, s_, dil, lower):
    before, after = tf_same_padding(h, kh, s_, dil, lower=lower)
    assert 0 <= after - before <= 1 if not lower else 0 <= before - after <= 1
    y = numeric.conv2d(np.zeros((1, 1, h, 1)), np.zeros((1, 1, kh, 1)), stride=(s_, 1),
                       padding=((int(before), int(after)), (0, 0)), dilation=(dil, 1))
    assert y.shape[2] == output_size("conv", h, kh, s_, "SAME", dil) == -(-h // s_)


# -- against PyTorch -----------------------------------------------------------------------------------------------
@requires_torch
@given(h=sizes, kh=kernels, s_=strides, dil=dilations, ceil=st.booleans(), data=st.data())
def test_pooling_vs_torch(h, kh, s_, dil, ceil, data):
    import torch
    import torch.nn.functional as F

    p = data.draw(st.integers(0, kh // 2), label="padding")
    x = torch.zeros(1, 1, h, h)
    try:
        expected = F.max_pool2d(x, kh, s_, p, dil, ceil_mode=ceil).shape[2]
    except RuntimeError:
        with pytest.raises(ValueError):
            output_size("max_pool", h, kh, s_, p, dil, ceil_mode=ceil)
        return
    assert output_size("max_pool", h, kh, s_, p, dil, ceil_mode=ceil) == expected
    assert output_size("avg_pool", h, kh, s_, p, ceil_mode=ceil) == F.avg_pool2d(x, kh, s_, p, ceil_mode=ceil).shape[2]


@requires_torch
@given(h=sizes, kh=kernels, s_=strides, dil=dilations, data=st.data())
def test_conv_and_transpose_vs_torch(h, kh, s_, dil, data):
    import torch
    import torch.nn.functional as F

    p = data.draw(st.integers(0, 3), label="padding")
    op_ = data.draw(st.integers(0, max(s_, dil) - 1), label="output_padding")
    x = torch.zeros(1, 1, h, h)
    w = torch.zeros(1, 1, kh, kh)
    try:
        conv = F.conv2d(x, w, stride=s_, padding=p, dilation=dil).shape[2]
    except RuntimeError:
        with pytest.raises(ValueError):
            output_size("conv", h, kh, s_, p, dil)
        conv = None
    if conv is not None:
        assert output_size("conv", h, kh, s_, p, dil) == conv
    try:
        tconv = F.conv_transpose2d(x, w, stride=s_, padding=p, output_padding=op_, dilation=dil).shape[2]
    except RuntimeError:
        with pytest.raises(ValueError):
            output_size("conv_transpose", h, kh, s_, p, dil, output_padding=op_)
        return
    if tconv == 0:  # PyTorch returns an empty tensor where the padding crops everything; derive refuses, saying so
        with pytest.raises(ValueError, match=r"= 0 < 1 \(padding crops more than the transposed convolution produces\)"):
            output_size("conv_transpose", h, kh, s_, p, dil, output_padding=op_)
        return
    assert output_size("conv_transpose", h, kh, s_, p, dil, output_padding=op_) == tconv


@requires_torch
@given(h=st.integers(1, 16), kh=kernels, dil=dilations)
def test_same_split_matches_torch_same_for_stride_one(h, kh, dil):
    """PyTorch's padding='same' (stride 1) pads like TF SAME: the odd pixel at the end."""
    import torch
    import torch.nn.functional as F

    x = torch.arange(h, dtype=torch.float64).reshape(1, 1, h, 1) + 1
    w = torch.rand(1, 1, kh, 1, dtype=torch.float64) + 0.5
    before, after = tf_same_padding(h, kh, 1, dil)
    ours = F.conv2d(F.pad(x, (0, 0, int(before), int(after))), w, dilation=(dil, 1))
    torch_same = F.conv2d(x, w, padding="same", dilation=(dil, 1))
    assert torch.allclose(ours, torch_same)
