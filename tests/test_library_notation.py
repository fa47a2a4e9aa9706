"""Library/specification notation: names bound by their words, assignment blocks judged as one computation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.judge.spec_block import assignments_in, spec_block_findings
from proofs.notation.spec_names import spec_role

DATA = Path(__file__).parent / "data" / "library_notation"


@pytest.mark.parametrize("name, expected", [
    ("pad_along_height", ("padding", "total")),
    ("total_padding[i]", ("padding", "total")),
    ("pad_shape[i]", ("padding", "total")),
    ("pad_top", ("padding", "begin")),
    ("pads_begin[j]", ("padding", "begin")),
    ("pads[start_i]", ("padding", "begin")),
    ("PH_L", ("padding", "begin")),
    ("pad_right", ("padding", "end")),
    ("pads[end_i]", ("padding", "end")),
    ("pad_h", ("padding", None)),
    ("in_height", ("input_size", None)),
    ("input_spatial_shape[i]", ("input_size", None)),
    ("src_w", ("input_size", None)),
    ("out_width", ("output_size", None)),
    ("output_spatial_shape[i]", ("output_size", None)),
    ("filter_height", ("kernel", None)),
    ("kernel_shape[i]", ("kernel", None)),
    ("strides[1]", ("stride", None)),
    ("dilations[i]", ("dilation", None)),
    ("output_padding[i]", ("output_padding", None)),
    ("in_channels", (None, None)),
    ("num_groups", (None, None)),
], ids=lambda x: str(x))
def test_spec_role(name, expected):
    assert spec_role(name) == expected


def _verdicts(path: Path) -> dict[int, str]:
    return {f.line: f.verdict.value for f in spec_block_findings(path.read_text().splitlines())}


@pytest.mark.parametrize("doc, expected", [
    ("same_padding_c_style.md", {7: "CORRECT", 8: "CORRECT", 9: "CORRECT", 10: "CORRECT", 16: "INCORRECT", 22: "INCORRECT"}),
    ("same_padding_python_style.md", {6: "CORRECT", 7: "CORRECT", 8: "CORRECT", 9: "CORRECT", 13: "INCORRECT",
                                      17: "CONDITIONAL"}),
    ("onnx_style_lower.md", {6: "CORRECT", 7: "CORRECT", 8: "CORRECT", 14: "INCORRECT"}),
    ("function_style.rst", {10: "CORRECT", 15: "INCORRECT"}),
    ("onednn_style.md", {6: "CORRECT", 12: "INCORRECT"}),
], ids=lambda x: x if isinstance(x, str) else "")
def test_documents(doc, expected):
    assert _verdicts(DATA / doc) == expected


def test_conditions_and_branches():
    lines = ["Padding `SAME`:", "if (in_height % strides[1] == 0):", "    pad_along_height = max(filter_height - strides[1], 0)",
             "else:", "    pad_along_height = max(filter_height - (in_height % strides[1]), 0)"]
    a = assignments_in(lines)
    assert [(x.line, x.condition[0]) for x in a] == [(3, "expr"), (5, "not")]
    assert {f.line: f.verdict.value for f in spec_block_findings(lines)} == {3: "CORRECT", 5: "CORRECT"}
    swapped = lines[:2] + ["    pad_along_height = max(filter_height - (in_height % strides[1]), 0)", "else:",
                           "    pad_along_height = max(filter_height - strides[1], 0)"]
    assert {f.line: f.verdict.value for f in spec_block_findings(swapped)} == {3: "INCORRECT", 5: "INCORRECT"}


def test_mode_from_condition():
    up = ["If (auto_pad == SAME_UPPER): pads[start_i] = total_padding[i]/2; pads[end_i] = total_padding[i] - (total_padding[i]/2)"]
    low = [up[0].replace("==", "!=")]
    assert [f.verdict.value for f in spec_block_findings(up)] == ["CORRECT"]
    assert [f.verdict.value for f in spec_block_findings(low)] == ["INCORRECT"]


def test_unknown_mode_is_not_judged():
    lines = ["Both SAME_UPPER and SAME_LOWER exist.", "pad_begin = pad_total // 2"]
    assert spec_block_findings(lines) == []


def test_unbound_names_are_not_judged():
    assert spec_block_findings(["With SAME padding:", "out = ceil(banana / apple)"]) == []


# --------------------------------------------------------------------------- properties

_STYLES = [  # (input, output, kernel, stride, total, begin, end) in one API's spelling
    ("in_height", "out_height", "filter_height", "strides[1]", "pad_along_height", "pad_top", "pad_bottom"),
    ("input_size[i]", "output_size[i]", "kernel_shape[i]", "strides[i]", "total_pad[i]", "pads_begin[i]", "pads_end[i]"),
    ("IH", "OH", "KH", "SH", "PH_total", "PH_L", "PH_R"),
    ("src_w", "dst_w", "kernel_w", "stride_w", "pad_needed_w", "pad_left", "pad_right"),
    ("n_in", "n_out", "window", "step", "pad_total", "pad_before", "pad_after"),
]


def _block(style, *, out="ceil", split="floor", clip=True, lower=False):
    i, o, k, s, t, b, e = style
    mode = "SAME_LOWER" if lower else "SAME_UPPER"
    o_rhs = f"ceil({i} / {s})" if out == "ceil" else f"floor({i} / {s})"
    t_rhs = f"({o} - 1) * {s} + {k} - {i}"
    if clip:
        t_rhs = f"max({t_rhs}, 0)"
    b_rhs = f"{t} // 2" if split == "floor" else f"{t} - {t} // 2"
    return [f"With auto_pad {mode}:", "", f"    {o} = {o_rhs}", f"    {t} = {t_rhs}", f"    {b} = {b_rhs}",
            f"    {e} = {t} - {b}"]


@settings(max_examples=12, deadline=None)
@given(style=st.sampled_from(_STYLES), lower=st.booleans())
def test_correct_blocks_are_correct(style, lower):
    block = _block(style, split="ceil" if lower else "floor", lower=lower)
    assert {f.line: f.verdict.value for f in spec_block_findings(block)} == {3: "CORRECT", 4: "CORRECT", 5: "CORRECT",
                                                                             6: "CORRECT"}


@settings(max_examples=12, deadline=None)
@given(style=st.sampled_from(_STYLES), mistake=st.sampled_from(["out", "split", "clip"]), lower=st.booleans())
def test_planted_mistakes_are_found(style, mistake, lower):
    good_split = "ceil" if lower else "floor"
    bad_split = "floor" if lower else "ceil"
    block = _block(style, out="floor" if mistake == "out" else "ceil", split=bad_split if mistake == "split" else good_split,
                   clip=mistake != "clip", lower=lower)
    got = {f.line: f.verdict.value for f in spec_block_findings(block)}
    line = {"out": 3, "split": 5, "clip": 4}[mistake]
    assert got[line] == ("CONDITIONAL" if mistake == "clip" else "INCORRECT")
    assert all(v == "CORRECT" for n, v in got.items() if n != line)


@pytest.mark.parametrize("tex, verdict", [
    (r"H_{out} = \left\lfloor \frac{H_{in} + 2 \cdot paddings[0] - dilations[0] \cdot (kernel\_size[0] - 1) - 1}{strides[0]} \right\rfloor + 1",
     "CORRECT"),
    (r"H_{out} = \left\lfloor \frac{H_{in} + 2 \cdot paddings[0] - kernel\_size[0]}{strides[0]} \right\rfloor", "INCORRECT"),
    (r"H_{out} = \frac{H_{in} + 2 \cdot paddings[0] - kernel\_size[0]}{strides[0]} + 1", "CONDITIONAL"),
], ids=["floor", "missing-one", "exact-division"])
def test_latex_with_numbered_axis(tex, verdict):
    """A size formula whose arrays are read at one numbered axis (``strides[0]``) is a scalar size formula."""
    from proofs.checker import check_formula

    assert check_formula(tex).verdict.value == verdict


@pytest.mark.parametrize("sentence, verdict", [
    ("If the total padding is odd, SAME_UPPER adds the extra padding at the end.", ["CORRECT"]),
    ("The extra padding is added at the beginning for SAME_LOWER and at the end for SAME_UPPER.", ["CORRECT"]),
    ("The extra padding is added at the end for SAME_LOWER and at the beginning for SAME_UPPER.", ["INCORRECT"]),
    ("With TensorFlow's SAME padding, the extra column is added on the left.", ["INCORRECT"]),
    ("With TensorFlow's SAME padding, the extra row goes to the bottom.", ["CORRECT"]),
    ("The padding is split evenly; the extra pixel goes to the right.", []),  # no mode: not decidable
], ids=["upper-end", "both-right", "both-swapped", "tf-left", "tf-bottom", "no-mode"])
def test_split_rule_in_prose(sentence, verdict):
    from proofs.judge.split_rule import prose_split_findings

    assert [f.verdict.value for f in prose_split_findings([sentence])] == verdict


@pytest.mark.parametrize("tex, verdict", [
    (r"H_{out} = \left\lfloor\frac{H_{in} + 2 \times \text{padding[0]} - \text{dilation[0]} \times (\text{kernel\_size[0]} - 1) - 1}"
     r"{\text{stride[0]}} + 1\right\rfloor", "CORRECT"),
    (r"H_{out} = \left\lfloor\frac{H_{in} + 2 \times \text{padding[0]} - \text{dilation[0]} \times \text{kernel\_size[0]}}"
     r"{\text{stride[0]}} + 1\right\rfloor", "INCORRECT"),
], ids=["entry-inside-text", "entry-inside-text-wrong"])
def test_array_entry_written_inside_text(tex, verdict):
    """``\\text{padding[0]}`` is the entry 0 of the array ``padding``, as ``\\text{padding}[0]``."""
    from proofs.checker import check_formula

    assert check_formula(tex).verdict.value == verdict


def test_unpooling_size_is_not_a_forward_size():
    """``(H_in − 1)·stride − 2·padding + kernel`` grows with the stride: never judged as a forward window count."""
    from proofs.checker import check_formula

    tex = r"H_{out} = (H_{in} - 1) \times \text{stride}[0] - 2 \times \text{padding}[0] + \text{kernel\_size}[0]"
    assert check_formula(tex).verdict.value == "UNRECOGNIZED"
    assert check_formula(tex, context="MaxUnpool1d computes a partial inverse of MaxPool1d").verdict.value == "CORRECT"


def test_latex_spans_in_a_document():
    """LaTeX assignments (``P_{top} = \\lfloor P_{total}/2 \\rfloor``) are judged like code ones, in the checker."""
    from proofs import check_document

    got = {f.line: f.verdict.value for f in check_document(DATA / "latex_same.md").findings
           if f.verdict.value != "UNRECOGNIZED"}
    assert got == {3: "CORRECT", 7: "CORRECT", 9: "CORRECT", 11: "INCORRECT"}


def test_indexed_latex_document():
    """Sizes at a numbered axis in LaTeX: a forward size, an exact-division SAME size (right where it divides), a
    primed transposed size, and a SAME size in a transposed layer's text, which no forward rule may judge."""
    from proofs import check_document

    got = {f.line: (f.verdict.value, f.condition) for f in check_document(DATA / "latex_indexed.rst").findings
           if f.line in (7, 12, 18, 23)}
    assert got[7] == ("CORRECT", None)
    assert got[12][0] == "CONDITIONAL" and "divides" in got[12][1]
    assert got[18] == ("CORRECT", None)
    assert got[23][0] == "UNRECOGNIZED"


def test_lower_case_modes_and_the_mode_of_the_bullet():
    """``same_upper`` in any case; a sentence without a mode takes the one mode its bullet names."""
    from proofs.judge.split_rule import prose_split_findings

    lines = ["* *auto_pad*", "  * *same_upper* - the input is padded to match the output size. In case of odd padding value "
             "an extra padding is added at the end.",
             "  * *same_lower* - the input is padded to match the output size. In case of odd padding value "
             "an extra padding is added at the end."]
    assert [(f.line, f.verdict.value) for f in prose_split_findings(lines)] == [(2, "CORRECT"), (3, "INCORRECT")]
    block = ["auto_pad = same_lower:", "", "    pad_begin = pad_total - pad_total // 2"]
    assert [f.verdict.value for f in spec_block_findings(block)] == ["CORRECT"]


def test_branch_written_without_its_condition():
    """Each branch of TensorFlow's rule, written without its ``if``, holds exactly under the condition it dropped."""
    lines = ["For SAME padding:", "pad_along_height = max(filter_height - strides[1], 0)",
             "pad_along_width = max(filter_width - (in_width % strides[2]), 0)"]
    got = {f.line: (f.verdict.value, f.condition) for f in spec_block_findings(lines)}
    assert got[2] == ("CONDITIONAL", "the stride divides the input size (H mod s = 0)")
    assert got[3] == ("CONDITIONAL", "the stride does not divide the input size (H mod s ≠ 0)")


def test_rst_math_directive_with_two_spaces():
    """``..  math::`` (two spaces, as Paddle's docstrings write it) opens a math block too."""
    from proofs.document import read_document

    text = "Shape\n=====\n\n..  math::\n\n    H_{out} = \\left\\lfloor \\frac{H_{in} - k}{s} \\right\\rfloor + 1\n"
    assert [s.line for s in read_document(text, fmt="rst").spans] == [6]
