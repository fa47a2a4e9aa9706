"""Formulas in code blocks with dimension letters defined in prose: the letters' binding, the GEMM dimensions of
a lowered convolution, C integer division, and a document with planted mistakes (tests/data/code_formulas)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.judge.gemm_dims import gemm_letter, judge_gemm, lowered_shapes
from proofs.judge.spec_block import spec_block_findings
from proofs.notation.dim_letters import dimension_letters

DATA = Path(__file__).parent / "data" / "code_formulas"
ROLES = ("batch", "channels_in", "channels_out", "in_h", "in_w", "k_h", "k_w", "out_h", "out_w")
LETTERS = "BCDEFGHJKLMNOPQRSTUVWXYZ"

#: prose templates, each with slots for the nine letters (by role), in varied wording
TEMPLATES = (
    "A batch holds {batch} images with {channels_in} input channels, each {in_h} pixels high and {in_w} pixels wide. "
    "We apply {channels_out} filters of size {k_h} × {k_w}. The output is {out_h} × {out_w}.",
    "Let {batch} be the batch size and {channels_in} the number of input channels. The input image is "
    "{in_h} by {in_w}. There are {channels_out} filters, each {k_h} rows by {k_w} columns; the output map is "
    "{out_h} × {out_w}.",
    "{batch} samples, {channels_in} input channels, {channels_out} output channels; the kernel size is "
    "({k_h}, {k_w}), the input size ({in_h}, {in_w}) and the output size ({out_h}, {out_w}).",
)


@settings(max_examples=40, deadline=None)
@given(st.permutations(LETTERS).map(lambda p: dict(zip(ROLES, p))), st.sampled_from(TEMPLATES))
def test_letters_bound_by_prose_in_any_letters(assign, template):
    bound = dimension_letters(template.format(**assign))
    for role, letter in assign.items():
        assert bound.get(letter) == role, (letter, role, bound)


def test_convention_needs_confirmation_and_no_contradiction():
    assert dimension_letters("The output is P × Q and there are K filters.").get("R") is None  # R not in the text
    text = "N images of C channels; the stride S and the padding R are integers. GEMM_K = C * R * S"
    bound = dimension_letters(text)
    assert "S" not in bound and "R" not in bound
    assert dimension_letters("N images, K filters of R × S; W is an unrelated weight")["W"] == "in_w"


DIMS = {"N": "batch", "C": "channels_in", "K": "channels_out", "H": "in_h", "W": "in_w", "R": "k_h", "S": "k_w",
        "P": "out_h", "Q": "out_w"}
SYM = {k: sp.Symbol(k) for k in DIMS}
TRUE_FORWARD = {"M": SYM["N"] * SYM["P"] * SYM["Q"], "N": SYM["K"], "K": SYM["C"] * SYM["R"] * SYM["S"]}


@settings(max_examples=30, deadline=None)
@given(st.sampled_from("MNK"), st.lists(st.sampled_from(sorted(DIMS)), min_size=1, max_size=4))
def test_gemm_monomials_judged_by_the_lowered_matrices(letter, factors):
    expr = sp.Mul(*(SYM[f] for f in factors))
    j = judge_gemm(f"GEMM_{letter}", expr, DIMS, "")
    allowed = {"M": [TRUE_FORWARD["M"], SYM["P"] * SYM["Q"], SYM["K"]], "N": [SYM["K"], TRUE_FORWARD["M"],
               SYM["P"] * SYM["Q"]], "K": [TRUE_FORWARD["K"]]}[letter]
    if any(sp.expand(expr - a) == 0 for a in allowed):
        assert j.verdict == "CORRECT"
    elif letter == "K" and expr == SYM["C"]:  # one GEMM per filter tap: possible, not judged
        assert j.verdict == "UNRECOGNIZED"
    else:
        assert j.verdict in ("INCORRECT", "UNRECOGNIZED")
    if j.verdict == "INCORRECT":  # the counterexample really fails: recompute both sides from its numbers
        cex = j.counterexample
        assert int(expr.subs({SYM[k]: cex[k] for k in map(str, expr.free_symbols)})) == cex["document"]
        assert cex["document"] != cex["expected"]


def test_gemm_passes_and_names():
    N, P, Q, K, C, R, S, H, W = (SYM[x] for x in "NPQKCRSHW")
    assert judge_gemm("gemm_k", K * R * S, DIMS, "For dgrad the GEMM is").verdict == "CORRECT"
    assert judge_gemm("gemm_k", C * R * S, DIMS, "For dgrad the GEMM is").verdict == "INCORRECT"
    assert judge_gemm("GEMM_K", N * P * Q, DIMS, "the weight gradient").verdict == "CORRECT"
    assert judge_gemm("GEMM_K", N * P * Q, DIMS, "the weight gradient and the data gradient").verdict == "UNRECOGNIZED"
    assert judge_gemm("GEMM_M", N * P * Q, {}, "").verdict == "UNRECOGNIZED"  # letters without prose: no binding
    assert [gemm_letter(n) for n in ("GEMM_M", "K_GEMM", "gemmN", "GEMM", "M")] == ["M", "K", "N", None, None]
    with pytest.raises(ValueError, match="GEMM dimension"):
        judge_gemm("M", N, DIMS, "")


@pytest.mark.parametrize("sizes", list(itertools.islice(itertools.product((1, 2), (1, 3), (2, 4), (5, 7), (4,), (1, 3),
                                                                            (2,), (1, 2), (0, 1)), 12)))
def test_lowered_shapes_are_the_convolution(sizes):
    shapes = lowered_shapes(*sizes)  # raises when the lowered product is not the convolution
    n, c, k, h, w, kh, kw, s, p = sizes
    assert shapes["forward"]["reduce"] == c * kh * kw and shapes["forward"]["filters"] == k
    assert shapes["forward"]["rows"] == n * shapes["out_h"] * shapes["out_w"]
    assert shapes["dgrad"]["rows"] == n * h * w and shapes["wgrad"]["reduce"] == shapes["forward"]["rows"]


def test_document_with_planted_mistakes():
    lines = (DATA / "implicit_gemm.md").read_text().splitlines()
    got = {f.line: f.verdict.value for f in spec_block_findings(lines)}
    assert got == {10: "CORRECT", 11: "CORRECT", 17: "CORRECT", 18: "CORRECT", 19: "CORRECT", 25: "INCORRECT",
                   26: "INCORRECT", 40: "INCORRECT"}


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.integers(1, 7), st.integers(1, 4), st.integers(0, 3), st.integers(-2, 2),
       st.sampled_from(["python", "c"]))
def test_comment_number_checked_against_the_block_values(h, k, s, p, delta, lang):
    from proofs.judge.code_values import comment_checks

    if h + 2 * p < k:
        return
    true = (h + 2 * p - k) // s + 1
    if lang == "python":
        lines = [f"in_size, kernel = {h}, {k}", f"stride = {s}", f"pad = {p}",
                 f"out_size = (in_size + 2 * pad - kernel) // stride + 1  # {true + delta}"]
    else:
        lines = [f"int H = {h}, R = {k}, pad_h = {p}, stride_h = {s};",
                 f"int P = (H + 2*pad_h - R) / stride_h + 1;  // P = {true + delta}"]
    (check,) = comment_checks(lines)
    assert (check.stated in check.computed) == (delta == 0)
    verdicts = {f.line: f.verdict.value for f in spec_block_findings(lines)}
    if delta:
        assert verdicts.get(len(lines)) == "INCORRECT"
    else:
        assert verdicts.get(len(lines)) != "INCORRECT"


def test_worked_block_document():
    lines = (DATA / "worked_in_code.md").read_text().splitlines()
    got = {f.line: f.verdict.value for f in spec_block_findings(lines)}
    # 24-25: GEMM_M = N*P*Q = 256 after 'GEMM' words: the common letters confirm the formula
    assert got == {7: "CORRECT", 8: "CORRECT", 9: "CORRECT", 10: "INCORRECT", 24: "CORRECT", 25: "CORRECT"}


def test_bare_gemm_letters_need_a_gemm_context_and_a_stated_convention_to_refute():
    lines = (DATA / "gemm_prose.md").read_text().splitlines()
    got = {f.line: f.verdict.value for f in spec_block_findings(lines)}
    # the common letters confirm (CORRECT) but, unstated by the text, never refute; 'the batch is N = K' is no GEMM
    assert got == {4: "CORRECT", 6: "CORRECT"}
    stated = ["N images of C channels go through K filters of R × S; the output is P × Q.", "", "The GEMM:",
              "M = N*H*W", "K = C*R*S"]
    got = {f.line: f.verdict.value for f in spec_block_findings(stated)}
    assert got == {4: "INCORRECT", 5: "CORRECT"}


def test_statement_continued_on_the_next_line_is_read_whole():
    lines = ["```cpp", "const int kernel_extent = dilation_data[i] * (kernel_shape_data[i] - 1) + 1;",
             "const int output_dim = (input_dim + 2 * pad_data[i] - kernel_extent)", "    / stride_data[i] + 1;",
             "int out = (in_size + 2 * pad - (", "    kernel - 1) * dil) / stride + 1;", "```"]
    got = {f.line: f.verdict.value for f in spec_block_findings(lines)}
    assert got == {3: "CORRECT", 5: "INCORRECT"}  # out: the '− 1' of the dilated extent is missing
    lines[3] = "    / stride_data[i] + 2;"
    assert {f.line: f.verdict.value for f in spec_block_findings(lines)}[3] == "INCORRECT"


def test_formula_followed_by_its_value():
    lines = ["```", "H = 32", "R = 3", "stride = 2", "pad = 1", "P = (H + 2*pad - R) / stride + 1 = 16",
             "P2 = (H + 2*pad - R) / stride + 1 = 17", "```"]
    got = {f.line: f.verdict.value for f in spec_block_findings(lines)}
    assert got.get(7) == "INCORRECT" and got.get(6) != "INCORRECT"
