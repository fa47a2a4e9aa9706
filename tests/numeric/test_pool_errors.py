"""Every bad pooling call raises TypeError/ValueError naming the constraint and the numbers (one table)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import numeric

X1 = np.zeros((2, 3, 8))
X2 = np.zeros((2, 3, 8, 8))
G2 = np.zeros((2, 3, 4, 4))  # output of a 2x2 stride-2 pool of X2

BAD = [
    # (id, call, exception, message fragment)
    ("padding above half kernel", lambda: numeric.max_pool2d(X2, 3, padding=2), ValueError,
     "padding 2 > kernel_size 3 // 2 = 1"),
    ("padding above half kernel, per dim", lambda: numeric.avg_pool2d(X2, (3, 4), padding=(1, 3)), ValueError,
     "padding 3 > kernel_size 4 // 2 = 2"),
    ("kernel larger than padded input (H)", lambda: numeric.max_pool2d(np.zeros((1, 1, 4, 9)), 5), ValueError,
     "H_out = ⌊(4 + 2·0 − 1·(5−1) − 1)/5⌋ + 1 = 0 < 1 (kernel larger than padded input)"),
    ("kernel larger than padded input (W)", lambda: numeric.avg_pool2d(np.zeros((1, 1, 9, 2)), (2, 5), padding=(0, 1)),
     ValueError, "W_out = ⌊(2 + 2·1 − 1·(5−1) − 1)/5⌋ + 1 = 0 < 1"),
    ("dilated kernel larger than input", lambda: numeric.max_pool1d(X1, 3, dilation=4), ValueError,
     "L_out = ⌊(8 + 2·0 − 4·(3−1) − 1)/3⌋ + 1 = 0 < 1"),
    ("ceil mode arithmetic shown", lambda: numeric.max_pool1d(np.zeros((1, 1, 4)), 5, 1, ceil_mode=True), ValueError,
     "L_out = ⌈(4 + 2·0 − 1·(5−1) − 1)/1⌉ + 1 = 0 < 1"),
    ("zero stride", lambda: numeric.max_pool2d(X2, 2, stride=0), ValueError, "stride must be >= 1, got 0"),
    ("negative stride", lambda: numeric.avg_pool1d(X1, 2, stride=-1), ValueError, "stride must be >= 1, got -1"),
    ("zero dilation", lambda: numeric.max_pool1d(X1, 2, dilation=0), ValueError, "dilation must be >= 1, got 0"),
    ("zero kernel", lambda: numeric.max_pool2d(X2, 0), ValueError, "kernel_size must be >= 1, got 0"),
    ("negative kernel", lambda: numeric.avg_pool2d(X2, (2, -2)), ValueError, "kernel_size must be >= 1, got -2"),
    ("negative padding", lambda: numeric.avg_pool2d(X2, 3, padding=-1), ValueError, "padding must be >= 0, got -1"),
    ("kernel tuple of wrong length", lambda: numeric.max_pool2d(X2, (2, 2, 2)), ValueError,
     "kernel_size must be an int or a tuple of 2 ints, got (2, 2, 2)"),
    ("NaN kernel size", lambda: numeric.max_pool2d(X2, float("nan")), ValueError, "kernel_size must be a finite integer"),
    ("infinite stride", lambda: numeric.avg_pool1d(X1, 2, stride=float("inf")), ValueError,
     "stride must be a finite integer, got inf"),
    ("float kernel size", lambda: numeric.max_pool1d(X1, 2.0), TypeError, "kernel_size must be an integer, got float 2.0"),
    ("ceil_mode not a bool", lambda: numeric.max_pool1d(X1, 2, ceil_mode="yes"), TypeError,
     "ceil_mode must be True or False, got str 'yes'"),
    ("count_include_pad not a bool", lambda: numeric.avg_pool1d(X1, 2, count_include_pad=1), TypeError,
     "count_include_pad must be True or False, got int 1"),
    ("return_indices not a bool", lambda: numeric.max_pool2d(X2, 2, return_indices=None), TypeError,
     "return_indices must be True or False"),
    ("zero divisor_override", lambda: numeric.avg_pool2d(X2, 2, divisor_override=0), ValueError,
     "divisor_override must be >= 1, got 0"),
    ("float divisor_override", lambda: numeric.avg_pool2d(X2, 2, divisor_override=2.5), TypeError,
     "divisor_override must be an integer, got float 2.5"),
    ("rank 3 to max_pool2d", lambda: numeric.max_pool2d(X1, 2), ValueError,
     "input must have 4 dimensions (N, C, H, W), got shape (2, 3, 8)"),
    ("rank 4 to avg_pool1d", lambda: numeric.avg_pool1d(X2, 2), ValueError,
     "input must have 3 dimensions (N, C, L), got shape (2, 3, 8, 8)"),
    ("rank 2 to global_avg_pool2d", lambda: numeric.global_avg_pool2d(np.zeros((2, 3))), ValueError,
     "input must have 4 dimensions (N, C, H, W), got shape (2, 3)"),
    ("integer input", lambda: numeric.max_pool2d(X2.astype(np.int64), 2), TypeError,
     "max_pool2d: input has dtype int64; expected float32 or float64"),
    ("complex input", lambda: numeric.avg_pool1d(X1.astype(np.complex128), 2), TypeError,
     "avg_pool1d: input has dtype complex128; expected float32 or float64"),
    ("empty channels", lambda: numeric.max_pool1d(np.zeros((2, 0, 8)), 2), ValueError,
     "max_pool1d: input must not be empty (only its batch dimension may be 0), got shape (2, 0, 8)"),
    ("grad_output of wrong shape (max)", lambda: numeric.max_pool2d_backward(np.zeros((2, 3, 3, 4)), X2, 2), ValueError,
     "grad_output must have the forward output's shape (2, 3, 4, 4), got (2, 3, 3, 4)"),
    ("grad_output of wrong shape (avg, ceil)", lambda: numeric.avg_pool1d_backward(np.zeros((2, 3, 2)), X1, 3, ceil_mode=True),
     ValueError, "grad_output must have the forward output's shape (2, 3, 3), got (2, 3, 2)"),
    ("grad_output of wrong rank", lambda: numeric.avg_pool2d_backward(np.zeros((2, 3, 16)), X2, 2), ValueError,
     "grad_output must have 4 dimensions (2, 3, 4, 4), got shape (2, 3, 16)"),
    ("grad_output of other dtype", lambda: numeric.max_pool2d_backward(G2.astype(np.float32), X2, 2), TypeError,
     "max_pool2d_backward: grad_output has dtype float32; expected the input's dtype float64"),
    ("grad_output of wrong shape (adaptive)", lambda: numeric.adaptive_avg_pool2d_backward(G2, X2, 3), ValueError,
     "grad_output must have the forward output's shape (2, 3, 3, 3), got (2, 3, 4, 4)"),
    ("grad_output of wrong shape (global)", lambda: numeric.global_avg_pool2d_backward(np.zeros((2, 3, 1, 2)), X2), ValueError,
     "grad_output must have the forward output's shape (2, 3, 1, 1), got (2, 3, 1, 2)"),
    ("adaptive output_size zero", lambda: numeric.adaptive_avg_pool2d(X2, (0, 2)), ValueError,
     "output_size must be >= 1, got 0"),
    ("adaptive output_size wrong length", lambda: numeric.adaptive_avg_pool1d(X1, (2, 2)), ValueError,
     "output_size must be an int or a tuple of 1 ints, got (2, 2)"),
    ("adaptive output_size NaN", lambda: numeric.adaptive_avg_pool1d(X1, float("nan")), ValueError,
     "output_size must be a finite integer"),
    ("not an array", lambda: numeric.max_pool1d("abc", 2), TypeError, "max_pool1d: input has dtype <U3; expected float32"),
]


@pytest.mark.parametrize("call, exc, fragment", [pytest.param(c, e, m, id=i) for i, c, e, m in BAD])
def test_bad_pooling_input_is_rejected_with_the_numbers(call, exc, fragment):
    with pytest.raises(exc, match=re.escape(fragment)):
        call()


def test_messages_name_the_function():
    with pytest.raises(ValueError, match=r"^avg_pool2d_backward: "):
        numeric.avg_pool2d_backward(G2, X2, 3, padding=2)
