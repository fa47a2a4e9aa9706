"""Per-axis sizes with word-named arrays, layer-indexed recurrences, SAME sizes and derivation steps with sums."""

import pytest
from hypothesis import given, settings, strategies as st

from proofs import check_formula
from proofs.judge.steps import judge_sum_step
from proofs.document import parse_math

# (formula, context, verdict); the truths: ⌊(in + pads − d(k−1) − 1)/s⌋ + 1 with pads the total, ⌈in/s⌉ for SAME
AXIS = [
    ("output_shape[i] = floor((input_shape[i] + pads_total[i] - dilations[i] * (kernel_shape[i] - 1) - 1) / strides[i] + 1)",
     "", "CORRECT"),
    ("output_shape[i] = floor((input_shape[i] + pads_total[i] - dilations[i] * kernel_shape[i]) / strides[i] + 1)",
     "", "INCORRECT"),
    ("output_dims[i] = ceil(input_dims[i] / stride_sizes[i])", "with SAME padding:", "CORRECT"),
    ("output_dims[i] = floor(input_dims[i] / stride_sizes[i])", "with SAME padding:", "INCORRECT"),
    ("h[l] = floor((h[l-1] + 2p[l] - k[l]) / s[l]) + 1", "for layer l:", "CORRECT"),
    ("h[l] = (h[l-1] + 2p[l] - k[l] / s[l]) + 1", "for layer l:", "INCORRECT"),
]


@pytest.mark.parametrize("formula, context, verdict", AXIS, ids=[a[0][:50] for a in AXIS])
def test_word_named_and_layer_indexed_sizes(formula, context, verdict):
    f = check_formula(formula, context=context)
    assert (f.verdict.value, f.quantity) == (verdict, "output_size"), f.explanation


def test_arrays_at_different_positions_are_not_sizes():
    f = check_formula("y[i] = x[i + 1] - x[i]")
    assert f.quantity != "output_size"


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 5), st.integers(-3, 3))
def test_sum_steps(c, shift):
    a, b = parse_math(rf"\sum_{{i=1}}^{{n}} ({c} x_i + {c}) = {c} \sum_{{i=1}}^{{n}} x_i + {c} n").sides
    assert judge_sum_step(a, b).verdict == "CORRECT"
    if shift:
        a, b = parse_math(rf"\sum_{{i=1}}^{{n}} ({c} x_i + {c}) = {c} \sum_{{i=1}}^{{n}} x_i + {c + shift} n").sides
        j = judge_sum_step(a, b)
        assert j.verdict == "INCORRECT"
        v = j.counterexample["values"]
        xs = [v[k] for k in sorted(v) if k.startswith("x[")]
        assert sum(c * x + c for x in xs) == int(j.counterexample["left"])


def test_a_definition_by_a_sum_is_not_a_step():
    a, b = parse_math(r"S = \sum_{i=1}^{n} x_i").sides
    assert judge_sum_step(a, b) is None


# letters the document never binds: the search over role assignments decides, or declines
SEARCH = [
    (r"H_{out} = \lfloor (H + 2q - k)/u \rfloor + 1", "CORRECT", "q=padding, u=stride"),
    (r"H_{out} = \lfloor (H + 2q)/u \rfloor - k", "INCORRECT", "every assignment"),
]


@pytest.mark.parametrize("formula, verdict, words", SEARCH, ids=[s[0] for s in SEARCH])
def test_role_assignment_search(formula, verdict, words):
    f = check_formula(formula)
    assert (f.verdict.value, f.quantity) == (verdict, "output_size") and words in f.explanation, f.explanation


# begin/end paddings and the stated ceil mode (truths: derive's conv_transpose with the pads' sum; pooling's ceil rule)
STATED = [
    ("out_dims[i] = strides[i] * (input_dims[i] - 1) + ((kernel_dims[i] - 1) * dilations[i] + 1) - pads[begin_i] - pads[end_i]",
     "The output shape of the transposed convolution is:", "CORRECT"),
    ("output_dims[i] = ceil((input_dims[i] - kernel_dims[i] + 1) / strides[i])",
     "For max pooling, the output size when ceil_mode is enabled:", "CONDITIONAL"),
    ("output_dims[i] = floor((input_dims[i] - kernel_dims[i]) / strides[i]) + 1",
     "For max pooling, the output size when ceil_mode is disabled:", "CORRECT"),
]


@pytest.mark.parametrize("formula, context, verdict", STATED, ids=[s[1][:40] for s in STATED])
def test_side_paddings_and_stated_ceil_mode(formula, context, verdict):
    f = check_formula(formula, context=context)
    assert (f.verdict.value, f.quantity) == (verdict, "output_size"), f.explanation
    if verdict == "CONDITIONAL":
        v = f.counterexample.get("values", f.counterexample)
        h, k, s = (int(v[n]) for n in ("input_dims", "kernel_dims", "strides"))
        ceil_rule = min(-(-(h - k) // s), (h - 1) // s) + 1  # PyTorch: the last window starts inside the input
        assert -(-(h - k + 1) // s) != ceil_rule
