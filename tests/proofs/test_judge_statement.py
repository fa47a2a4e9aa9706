"""The statement model: worked examples and table rows decided from their configuration by derive.

Every expected number is recomputed here from the definition of the layer (weights C_out·C_in·k_h·k_w plus
one bias per output channel; window positions counted one by one), not read from the product.
"""

import pytest
from hypothesis import assume, given, strategies as st

from proofs import check_document
from proofs.judge.tables import table_findings
from proofs.statement import Statement, decide


def params(c_in, c_out, kh, kw, bias):
    return c_out * c_in * kh * kw + (c_out if bias else 0)


def windows(size, k, s, pad_total):
    return sum(1 for start in range(0, size + pad_total) if start % s == 0 and start + k <= size + pad_total)


configs = st.tuples(st.integers(1, 64), st.integers(1, 64), st.integers(1, 7), st.integers(1, 7))


@given(configs, st.booleans())
def test_the_true_count_is_correct_and_one_off_is_incorrect(cfg, bias):
    c_in, c_out, kh, kw = cfg
    conf = {"channels_in": c_in, "channels_out": c_out, "kernel": (kh, kw)}
    right = params(c_in, c_out, kh, kw, bias)
    assert decide(Statement("param_count", conf, right, bias=bias)).verdict == "CORRECT"
    wrong = decide(Statement("param_count", conf, right + 1, bias=bias))
    if right + 1 != params(c_in, c_out, kh, kw, not bias):
        assert wrong.verdict == "INCORRECT" and wrong.counterexample["expected"] == right


@given(configs)
def test_the_bias_free_count_of_a_layer_with_bias_is_conditional(cfg):
    c_in, c_out, kh, kw = cfg
    j = decide(Statement("param_count", {"channels_in": c_in, "channels_out": c_out, "kernel": (kh, kw)},
                         params(c_in, c_out, kh, kw, False), bias=True))
    assert (j.verdict, j.condition) == ("CONDITIONAL", "holds without bias")


@given(st.integers(1, 40), st.integers(1, 7), st.integers(1, 4), st.integers(0, 3))
def test_output_size_of_a_configuration(size, k, s, p):
    if k > size + 2 * p:
        return
    conf = {"input_size": size, "kernel": k, "stride": s, "padding": p}
    right = windows(size, k, s, 2 * p)
    assert decide(Statement("output_size", conf, right, padding="per_side")).verdict == "CORRECT"
    assert decide(Statement("output_size", conf, right + 1, padding="per_side")).verdict == "INCORRECT"


def test_an_incomplete_configuration_is_not_judged():
    assert decide(Statement("param_count", {"channels_in": 3, "kernel": 3}, 10)).verdict == "UNRECOGNIZED"
    with pytest.raises(ValueError, match="quantity must be one of"):
        Statement("colour", {}, 1)


# (sentence with the example, verdict, quantity); expectations computed by params()/windows() above
EXAMPLES = [
    ("A layer with 128 filters of size 3×3 on a 64-channel input, each with its bias, holds "
     "$64 \\cdot 128 \\cdot 9 + 64 = 73{,}792$ parameters.", "INCORRECT", "param_count"),
    ("A layer with 128 filters of size 3×3 on a 64-channel input, each with its bias, holds "
     "$64 \\cdot 128 \\cdot 9 = 73{,}728$ parameters.", "CONDITIONAL", "param_count"),
    ("nn.Conv2d(3, 16, kernel_size=5) has $3 \\cdot 16 \\cdot 25 + 16 = 1{,}216$ parameters.", "CORRECT", "param_count"),
    ("Each filter has $3 \\cdot 3 \\cdot 64 = 576$ weights.", "CORRECT", "arithmetic"),  # one filter: not the layer
    ("A 32×32 input with a 5×5 kernel and stride 1 gives $32 - 5 + 1 = 28$ outputs per row.", "CORRECT", "output_size"),
    ("A 32×32 input with a 5×5 kernel and stride 1 gives $32 - 5 = 27$ outputs per row.", "INCORRECT", "output_size"),
]


@pytest.mark.parametrize("text, verdict, quantity", EXAMPLES, ids=[e[0][:40] for e in EXAMPLES])
def test_worked_examples_judged_as_what_they_compute(text, verdict, quantity):
    found = [f for f in check_document(text + "\n").findings if f.kind != "claim" and f.verdict.value != "UNRECOGNIZED"]
    assert [(f.verdict.value, f.quantity) for f in found] == [(verdict, quantity)], [f.explanation for f in found]
    if verdict == "INCORRECT" and quantity == "param_count":
        assert found[0].counterexample["expected"] == params(64, 128, 3, 3, True)


def test_table_totals_and_rows():
    rows = ["| layer | config | params |", "|---|---|---:|",
            "| conv1 | 3→8, 5×5 | 608 |", "| pool | | — |", "| conv2 | 8→16, 3×3 | 1,168 |",
            "| **total** | | **1,776** |", "", "| a | b |", "|---|---|", "| x | 1.5 |", "| y | 2.25 |", "| sum | 3.8 |"]
    got = {(n, j.verdict, j.quantity) for n, _, j in table_findings(rows)}
    assert (3, "CORRECT", "param_count") in got and (5, "CORRECT", "param_count") in got
    assert params(3, 8, 5, 5, True) + params(8, 16, 3, 3, True) == 1776
    assert (6, "CORRECT", "table_total") in got
    assert (12, "CORRECT", "table_total") in got  # 3.75 written with one decimal: within its rounding


def test_latex_table_total_is_checked():
    rows = ["\\begin{tabular}{lr}", "layer & params \\\\ \\hline", "conv1 & 448 \\\\", "conv2 & 4640 \\\\",
            "Total & 5098 \\\\", "\\end{tabular}"]
    [(line, _, j)] = table_findings(rows)
    assert (line, j.verdict, j.counterexample["expected"]) == (5, "INCORRECT", 448 + 4640)


vec = st.lists(st.integers(-5, 5), min_size=2, max_size=4)  # a one-entry list is not read as a vector


@given(st.lists(st.integers(-5, 5), min_size=4, max_size=7), vec, st.data())
def test_vectors_worked_by_hand(x, w, data):
    """Forward and kernel gradient of a 1-D cross-correlation, recomputed here by the definition."""
    from proofs.judge.vectors import vector_findings

    n_out = len(x) - len(w) + 1
    assume(n_out >= 2)  # one-entry lists are not read as vectors
    y = [sum(x[i + t] * w[t] for t in range(len(w))) for i in range(n_out)]
    g = data.draw(st.lists(st.integers(-3, 3), min_size=n_out, max_size=n_out))
    dw = [sum(g[i] * x[i + t] for i in range(n_out)) for t in range(len(w))]
    fmt = lambda v: "[" + ", ".join(map(str, v)) + "]"  # noqa: E731
    lines = [f"x = {fmt(x)}, w = {fmt(w)} and ∂L/∂y = {fmt(g)}", f"so y = {fmt(y)}", f"and ∂L/∂w = {fmt(dw)}"]
    got = {n: j for n, _, j in vector_findings(lines)}
    assert got[2].verdict == "CORRECT" and got[3].verdict == "CORRECT"
    k = data.draw(st.integers(0, n_out - 1))
    wrong = list(y)
    wrong[k] += 1
    flipped = [sum(x[i + t] * w[len(w) - 1 - t] for t in range(len(w))) for i in range(n_out)]
    lines[1] = f"so y = {fmt(wrong)}"
    j = {n: j for n, _, j in vector_findings(lines)}[2]
    if wrong != flipped:  # the flipped-kernel reading is a correct reading too
        assert j.verdict == "INCORRECT" and j.counterexample["position"] == next(
            i for i, (a, b) in enumerate(zip(y, wrong)) if a != b)
