"""Every invalid convolution call raises ValueError/TypeError naming the constraint and the numbers."""

from __future__ import annotations

import numpy as np
import pytest

import numeric

F64 = np.float64


def z(*shape, dtype=F64):
    return np.zeros(shape, dtype=dtype)


X4, W3 = z(1, 2, 6, 6), z(4, 2, 3, 3)
X1, W1 = z(1, 2, 6), z(4, 2, 3)
XT, WT = z(1, 4, 3, 3), z(4, 2, 3, 3)

# id, function, positional args, keyword args, exception, regex of the message
BAD_CALLS = [
    ("kernel-larger-than-input-H", numeric.conv2d, (z(1, 1, 4, 4), z(1, 1, 5, 5)), {}, ValueError,
     r"conv2d: H_out = ⌊\(4 \+ 2·0 − 1·\(5−1\) − 1\)/1⌋ \+ 1 = 0 < 1 \(kernel larger than padded input\)"),
    ("kernel-larger-than-input-W", numeric.conv2d, (z(1, 1, 9, 4), z(1, 1, 3, 5)), {}, ValueError,
     r"W_out = .* = 0 < 1"),
    ("dilated-kernel-larger", numeric.conv1d, (z(1, 1, 5), z(1, 1, 3)), dict(dilation=3), ValueError,
     r"L_out = ⌊\(5 \+ 2·0 − 3·\(3−1\) − 1\)/1⌋ \+ 1 = -1 < 1"),
    ("per-side-padding-in-message", numeric.conv2d, (z(1, 1, 2, 2), z(1, 1, 5, 5)), dict(padding=((0, 1), 0)),
     ValueError, r"H_out = ⌊\(2 \+ \(0 \+ 1\) − 1·\(5−1\) − 1\)/1⌋ \+ 1 = -1 < 1"),
    ("zero-stride", numeric.conv2d, (X4, W3), dict(stride=0), ValueError, r"conv2d: stride must be >= 1, got 0"),
    ("negative-stride", numeric.conv1d, (X1, W1), dict(stride=-2), ValueError, r"stride must be >= 1, got -2"),
    ("zero-dilation", numeric.conv2d, (X4, W3), dict(dilation=(1, 0)), ValueError, r"dilation must be >= 1, got 0"),
    ("float-stride", numeric.conv2d, (X4, W3), dict(stride=1.5), TypeError, r"stride must be an integer"),
    ("nan-stride", numeric.conv2d, (X4, W3), dict(stride=float("nan")), ValueError, r"finite integer"),
    ("negative-padding", numeric.conv2d, (X4, W3), dict(padding=-1), ValueError, r"padding must be >= 0, got -1"),
    ("negative-per-side-padding", numeric.conv2d, (X4, W3), dict(padding=((0, -2), 1)), ValueError,
     r"padding must be >= 0, got -2"),
    ("padding-wrong-length", numeric.conv2d, (X4, W3), dict(padding=(1, 1, 1)), ValueError,
     r"padding must be an int or a tuple of 2 items"),
    ("padding-unknown-string", numeric.conv2d, (X4, W3), dict(padding="full"), ValueError,
     r"padding must be an int, a tuple, 'valid' or 'same', got 'full'"),
    ("padding-mode-unknown", numeric.conv2d, (X4, W3), dict(padding_mode="mirror"), ValueError,
     r"padding_mode must be one of 'zeros', 'reflect', 'replicate', 'circular', got 'mirror'"),
    ("circular-padding-wraps-twice", numeric.conv2d, (X4, W3), dict(padding=(1, 7), padding_mode="circular"),
     ValueError, r"conv2d: circular padding wraps around at most once: padding 7 before W must be <= W = 6"),
    ("circular-same-padding-wraps-twice", numeric.conv1d, (z(1, 2, 2), z(4, 2, 3)),
     dict(padding="same", dilation=3, padding_mode="circular"), ValueError,
     r"conv1d: circular padding wraps around at most once: padding 3 before L must be <= L = 2"),
    ("reflect-padding-as-large-as-input", numeric.conv1d, (X1, W1), dict(padding=(0, 6), padding_mode="reflect"),
     ValueError, r"conv1d: reflect padding must be < the input size: padding 6 after L must be < L = 6"),
    ("backward-reflect-padding-too-large", numeric.conv2d_backward, (z(1, 4, 16, 4), X4, W3),
     dict(padding=(6, 0), padding_mode="reflect"), ValueError,
     r"conv2d_backward: reflect padding must be < the input size: padding 6 before H must be < H = 6"),
    ("needs-input-grad-length", numeric.conv2d_backward, (z(1, 4, 4, 4), X4, W3),
     dict(needs_input_grad=(True, True)), ValueError,
     r"conv2d_backward: needs_input_grad must be 3 bools, one per gradient \(input, weight, bias\), got \(True, True\)"),
    ("needs-input-grad-not-bool", numeric.conv_transpose2d_backward, (z(1, 2, 5, 5), XT, WT),
     dict(needs_input_grad=(1, 1, 1)), TypeError,
     r"conv_transpose2d_backward: needs_input_grad entry for input must be True or False, got int 1"),
    ("groups-not-dividing-C_in", numeric.conv2d, (z(1, 3, 6, 6), z(4, 1, 3, 3)), dict(groups=2), ValueError,
     r"groups = 2 must divide C_in = 3 \(3 mod 2 = 1\)"),
    ("groups-not-dividing-C_out", numeric.conv2d, (z(1, 4, 6, 6), z(3, 2, 3, 3)), dict(groups=2), ValueError,
     r"groups = 2 must divide C_out = 3"),
    ("zero-groups", numeric.conv2d, (X4, W3), dict(groups=0), ValueError, r"groups must be >= 1, got 0"),
    ("channel-mismatch", numeric.conv2d, (z(1, 3, 6, 6), W3), {}, ValueError,
     r"channel mismatch: weight \(4, 2, 3, 3\) expects C_in/groups = 2, but input has C_in = 3"),
    ("channel-mismatch-grouped", numeric.conv1d, (z(1, 4, 6), z(4, 1, 3)), dict(groups=2), ValueError,
     r"C_in/groups = 1, but input has C_in = 4 and groups = 2 \(C_in/groups = 2\)"),
    ("input-rank", numeric.conv2d, (z(2, 6, 6), W3), {}, ValueError,
     r"conv2d: input must have 4 dimensions \(N, C, H, W\), got shape \(2, 6, 6\)"),
    ("weight-rank", numeric.conv2d, (X4, z(4, 2, 3)), {}, ValueError, r"weight must have 4 dimensions"),
    ("conv1d-given-2d", numeric.conv1d, (X4, W3), {}, ValueError, r"conv1d: input must have 3 dimensions"),
    ("bias-shape", numeric.conv2d, (X4, W3, z(3)), {}, ValueError, r"bias must have C_out = 4 entries, got shape"),
    ("int-dtype", numeric.conv2d, (X4.astype(np.int64), W3), {}, TypeError, r"conv2d: input has dtype int64; expected float32 or float64"),
    ("complex-dtype", numeric.conv2d, (X4, W3.astype(complex)), {}, TypeError,
     r"conv2d: weight has dtype complex128; expected float32 or float64"),
    ("string-input", numeric.conv1d, ("abc", W1), {}, TypeError, r"conv1d: input has dtype <U3; expected float32"),
    ("mixed-dtypes", numeric.conv2d, (X4.astype(np.float32), W3), {}, TypeError,
     r"conv2d: dtypes differ: input is float32, weight is float64 \(cast one, e.g. weight.astype\(np.float32\)\)"),
    ("mixed-bias-dtype", numeric.conv2d, (X4, W3, z(4, dtype=np.float32)), {}, TypeError, r"bias is float32"),
    ("empty-channels", numeric.conv2d, (z(1, 0, 6, 6), z(4, 0, 3, 3)), {}, ValueError,
     r"conv2d: input must not be empty \(only its batch dimension may be 0\), got shape \(1, 0, 6, 6\)"),
    ("empty-height", numeric.conv2d, (z(1, 2, 0, 6), W3), {}, ValueError,
     r"only its batch dimension may be 0\), got shape \(1, 2, 0, 6\)"),
    ("grad-output-shape", numeric.conv2d_backward, (z(1, 4, 3, 3), X4, W3), {}, ValueError,
     r"conv2d_backward: grad_output must have the forward output's shape \(1, 4, 4, 4\), got \(1, 4, 3, 3\)"),
    ("grad-output-shape-1d", numeric.conv1d_backward, (z(1, 4, 5), X1, W1), dict(padding=1), ValueError,
     r"forward output's shape \(1, 4, 6\), got \(1, 4, 5\)"),
    ("grad-output-dtype", numeric.conv2d_backward, (z(1, 4, 4, 4, dtype=np.float32), X4, W3), {}, TypeError,
     r"conv2d_backward: dtypes differ: grad_output is float32"),
    ("backward-bad-stride", numeric.conv2d_backward, (z(1, 4, 4, 4), X4, W3), dict(stride=0), ValueError,
     r"conv2d_backward: stride must be >= 1, got 0"),
    ("transposed-output-padding-too-large", numeric.conv_transpose2d, (XT, WT), dict(stride=2, output_padding=2),
     ValueError, r"output_padding = 2 must be < max\(stride, dilation\) = max\(2, 1\) = 2"),
    ("transposed-output-padding-stride-1", numeric.conv_transpose1d, (z(1, 4, 3), z(4, 2, 3)),
     dict(output_padding=1), ValueError, r"output_padding = 1 must be < max\(stride, dilation\) = max\(1, 1\) = 1"),
    ("transposed-output-too-small", numeric.conv_transpose2d, (z(1, 4, 1, 1), z(4, 2, 1, 1)), dict(padding=1),
     ValueError, r"H_out = \(1 − 1\)·1 − 2·1 \+ 1·\(1 − 1\) \+ 0 \+ 1 = -1 < 1"),
    ("transposed-same-padding", numeric.conv_transpose2d, (XT, WT), dict(padding="same"), ValueError,
     r"padding must be an int or a tuple of 2 ints, got 'same'"),
    ("transposed-negative-padding", numeric.conv_transpose2d, (XT, WT), dict(padding=-1), ValueError,
     r"padding must be >= 0, got -1"),
    ("transposed-channel-mismatch", numeric.conv_transpose2d, (z(1, 3, 3, 3), WT), {}, ValueError,
     r"weight \(4, 2, 3, 3\) expects C_in = 4, but input has C_in = 3"),
    ("transposed-groups", numeric.conv_transpose2d, (XT, WT), dict(groups=3), ValueError,
     r"groups = 3 must divide C_in = 4"),
    ("transposed-bias-shape", numeric.conv_transpose2d, (XT, WT, z(3)), dict(groups=2), ValueError,
     r"bias must have C_out = 4 entries"),
    ("transposed-grad-output-shape", numeric.conv_transpose2d_backward, (z(1, 2, 4, 4), XT, WT), {}, ValueError,
     r"grad_output must have the forward output's shape \(1, 2, 5, 5\), got \(1, 2, 4, 4\)"),
    ("transposed-dtype", numeric.conv_transpose1d, (z(1, 4, 3, dtype=np.int32), z(4, 2, 3)), {}, TypeError,
     r"conv_transpose1d: input has dtype int32; expected float32 or float64"),
]


@pytest.mark.parametrize("fn, args, kwargs, exc, message", [r[1:] for r in BAD_CALLS],
                         ids=[r[0] for r in BAD_CALLS])
def test_bad_call_raises_a_clear_error(fn, args, kwargs, exc, message):
    with pytest.raises(exc, match=message):
        fn(*args, **kwargs)


def test_every_public_conv_function_has_a_bad_call_row():
    covered = {row[1].__name__ for row in BAD_CALLS}
    public = set(numeric.conv.__all__) | set(numeric.conv_transpose.__all__)
    assert public - covered <= {"conv_transpose1d_backward"}  # shares its validation with conv_transpose2d_backward


def test_a_memoised_geometry_never_excuses_a_bad_argument():
    """The geometry of plain hyper-parameters is memoised; an equal-comparing bad value (``(1, 1.0) == (1, 1)``,
    ``True == 1``) must still raise, and so must a repeated bad call."""
    numeric.conv2d(X4, W3, stride=(1, 1), dilation=1)  # fills the cache
    for kwargs in (dict(stride=(1, 1.0)), dict(dilation=True), dict(stride=(1, np.float64(1.0)))):
        with pytest.raises(TypeError, match="must be an integer"):
            numeric.conv2d(X4, W3, **kwargs)
    for _ in range(2):
        with pytest.raises(ValueError, match="must be >= 1"):
            numeric.conv2d(X4, W3, stride=0)
