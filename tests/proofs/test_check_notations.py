"""Common CNN notations: conv-arithmetic letters bound by prose, code style floor(), framework word names,
transposed-convolution output size, multiply-accumulates and the one-layer receptive-field recursion.

Each row of tests/data/docs/framework_notations.md names a formula by a piece of its source text; the planted
mistakes must be INCORRECT with a counterexample that these tests recompute by hand.
"""

from math import floor

import pytest
from hypothesis import given, strategies as st

from proofs import check_document
from proofs.findings import Verdict
from proofs.judge.rf_step import judge_rf_step
from tests.helpers import DATA

DOC = DATA / "docs" / "framework_notations.md"

# (piece of the formula's source, verdict, quantity)
EXPECTED = [
    (r"\frac{w + 2q - f}{t}", "CORRECT", "output_size"),
    (r"(w + q - f)/t", "INCORRECT", "output_size"),
    ("W_out = floor((W_in + 2*p - k)/s) + 1", "CORRECT", "output_size"),
    ("W_out = ceil((W_in + 2*p - k)/s) + 1", "CONDITIONAL", "output_size"),
    ("− dilation×(kernel_size − 1) − 1)/stride + 1⌋", "CORRECT", "output_size"),
    ("− dilation×kernel_size)/stride", "INCORRECT", "output_size"),
    ("(W_in − 1)×stride", "CORRECT", "output_size"),
    ("W_out = W_in×stride", "INCORRECT", "output_size"),
    ("C_{in} C_{out} k^2", "CORRECT", "macs"),
    ("C_{in} C_{out} k$", "INCORRECT", "macs"),
    ("(k - 1) j_{in}$", "CORRECT", "receptive_field"),
    ("j_{out} = j_{in} s", "CORRECT", "jump"),
    ("(k - 1) s j_{in}", "INCORRECT", "receptive_field"),
]

_REPORT = []


def report():
    if not _REPORT:
        _REPORT.append(check_document(DOC))
    return _REPORT[0]


def finding(piece):
    found = [f for f in report().findings if f.kind != "claim" and piece in f.source]
    assert found, f"no finding for {piece!r}"
    return found[0]


@pytest.mark.parametrize("piece, verdict, quantity", EXPECTED, ids=[p[:30] for p, _, _ in EXPECTED])
def test_verdicts(piece, verdict, quantity):
    f = finding(piece)
    assert (f.verdict.value, f.quantity) == (verdict, quantity), f.explanation
    if verdict == "INCORRECT":
        assert f.counterexample and f.counterexample["document"] != f.counterexample["expected"]


def test_no_other_incorrect_formula():
    planted = [p for p, v, _ in EXPECTED if v == "INCORRECT"]
    for f in report().findings:
        if f.verdict is Verdict.INCORRECT and f.kind != "claim":
            assert any(p in f.source for p in planted), f"false alarm: {f.source!r}"


def test_counterexamples_recomputed():
    # padding counted once although the prose says "on each side"
    v = finding(r"(w + q - f)/t").counterexample["values"]
    c = finding(r"(w + q - f)/t").counterexample
    assert c["document"] == floor((v["w"] + v["q"] - v["f"]) / v["t"]) + 1
    assert c["expected"] == (v["w"] + 2 * v["q"] - v["f"]) // v["t"] + 1
    # dilated extent d·k instead of d·(k − 1) + 1
    c = finding("− dilation×kernel_size)/stride").counterexample
    v = c["values"]
    assert c["document"] == floor((v["W_in"] + 2 * v["padding"] - v["dilation"] * v["kernel_size"]) / v["stride"] + 1)
    assert c["expected"] == (v["W_in"] + 2 * v["padding"] - v["dilation"] * (v["kernel_size"] - 1) - 1) // v["stride"] + 1
    # transposed convolution without the "− 1": PyTorch's ConvTranspose1d formula
    c = finding("W_out = W_in×stride").counterexample
    v = c["values"]
    rest = -2 * v["padding"] + v["dilation"] * (v["kernel_size"] - 1) + v["output_padding"] + 1
    assert c["document"] == v["W_in"] * v["stride"] + rest
    assert c["expected"] == (v["W_in"] - 1) * v["stride"] + rest
    # MACs with k instead of k²
    c = finding("C_{in} C_{out} k$").counterexample
    v = c["values"]
    base = v["H_out"] * v["W_out"] * v["C_in"] * v["C_out"]
    assert (c["document"], c["expected"]) == (base * v["k"], base * v["k"] ** 2)
    # receptive field step scaled by the layer's own stride
    c = finding("(k - 1) s j_{in}").counterexample
    v = c["values"]
    r0, j0 = v["before"]["receptive_field"], v["before"]["jump"]
    k, s = v["layer"]["kernel"], v["layer"]["stride"]
    assert c["document"] == r0 + (k - 1) * s * j0 and c["expected"] == r0 + (k - 1) * j0


@given(st.integers(0, 3), st.integers(1, 4))
def test_rf_step_wrong_offset_never_correct(offset, extra):
    """``r_out = r_in + (k − 1)·j_in + c`` is wrong for every constant c ≠ 0."""
    import sympy as sp

    r_in, j_in, k = sp.symbols("r_in j_in k")
    c = offset + extra
    j = judge_rf_step(sp.Symbol("r_out"), r_in + (k - 1) * j_in + c, {"k": "kernel"}, what="receptive_field", trials=20)
    assert j.verdict == "INCORRECT"
    assert j.counterexample["document"] - j.counterexample["expected"] == c


def test_rf_step_rejects_unknown_quantity():
    import sympy as sp

    with pytest.raises(ValueError, match="receptive_field"):
        judge_rf_step(sp.Symbol("r_out"), sp.Symbol("r_in"), {}, what="size")
