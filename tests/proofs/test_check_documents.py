"""check_document on our own test documents: right formulas CORRECT, planted mistakes caught, counterexamples real.

The documents live in tests/data/docs/ (Markdown with LaTeX and CS231n per-side padding, Unicode plain text,
d2l total padding, .tex, .rst, .html). Each row names a formula by a piece of its source text.
"""

from math import floor

import pytest

from proofs import check_document, check_formula
from proofs.findings import Verdict
from tests.helpers import DATA

DOCS = DATA / "docs"

# (document, piece of the formula's source, verdict, condition or None)
EXPECTED = [
    ("latex_per_side.md", r"\frac{W - F + 2P}{S} \right\rfloor", "CORRECT", None),
    ("latex_per_side.md", r"\frac{W - F + 2P}{S} + 1", "CONDITIONAL", "S divides (2·P + W − F)"),
    ("latex_per_side.md", r"\frac{W - F + P}{S}", "INCORRECT", None),
    ("latex_per_side.md", r"C_{out} + C_{out}", "CORRECT", None),
    ("latex_per_side.md", r"C_{out} + C_{in}", "INCORRECT", None),
    ("latex_per_side.md", r"\lfloor 223/2 \rfloor", "CORRECT", None),
    ("latex_per_side.md", "= 73,856", "CORRECT", None),
    ("latex_per_side.md", "= 36,926", "INCORRECT", None),
    ("latex_per_side.md", r"\delta_{i-m,j-n,c'}", "CORRECT", None),
    ("latex_per_side.md", r"\delta_{i,j,c'} \cdot X_{i+m,j+n,c}", "CORRECT", None),
    ("unicode_plain.txt", "I[i+u, j+v] · K[u,v]", "CORRECT", None),
    ("unicode_plain.txt", "I[i-u, j-v] · K[u,v]", "INCORRECT", None),
    ("unicode_plain.txt", "X[i+u, j+v, d] · W[u,v,d,c] + b[c]", "CORRECT", None),
    ("unicode_plain.txt", "H_out = ⌊(H + 2P − k)/S⌋ + 1", "CORRECT", None),
    ("unicode_plain.txt", "∏_{i=1}^{ℓ-1} s_i", "CORRECT", None),
    ("unicode_plain.txt", "∏_{i=1}^{ℓ} s_i", "INCORRECT", None),
    ("unicode_plain.txt", "J_ℓ = ∏_{i=1}^ℓ s_i", "CORRECT", None),
    ("unicode_plain.txt", "X[i·s+u, j·s+v, d]", "CORRECT", None),
    ("unicode_plain.txt", "⌊(i-u)/s⌋", "INCORRECT", None),
    ("unicode_plain.txt", "AvgPool(X)[i,j]", "CORRECT", None),
    ("unicode_plain.txt", "∂L/∂Y[⌊i/s⌋, ⌊j/s⌋]", "CONDITIONAL", "pool size p = stride s (non-overlapping windows)"),
    ("unicode_plain.txt", "P = ⌊k/2⌋", "CONDITIONAL", "k is odd"),
    ("d2l_total.md", r"(n_\textrm{h}-k_\textrm{h}+p_\textrm{h}+1)", "CORRECT", None),
    ("d2l_total.md", r"p_\textrm{h}=k_\textrm{h}-1", "CORRECT", None),
    ("d2l_total.md", r"+p_\textrm{h}+s_\textrm{h})/s_\textrm{h}", "CORRECT", None),
    ("d2l_total.md", r"+p_\textrm{h})/s_\textrm{h}", "INCORRECT", None),
    ("notes.tex", r"\frac{H + 2P - k}{s}", "CORRECT", None),
    ("notes.tex", r"1 + L(k - 1)", "CORRECT", None),
    ("notes.tex", r"\text{RF} = L(k - 1)", "INCORRECT", None),
    ("notes.tex", r"k^2 C_{in} C_{out} + C_{out}", "CORRECT", None),
    ("notes.tex", r"102{,}464", "CORRECT", None),
    ("notes.rst", r"\frac{H + 2P - k}{s}", "CORRECT", None),
    ("notes.rst", r"64 + 64 = 1,792", "CORRECT", None),
    ("notes.rst", r"\times 64 = 1,792", "INCORRECT", None),
    ("notes.html", r"\frac{1}{p^2} \sum", "CORRECT", None),
    ("notes.html", r"\max_{0 \le u", "CORRECT", None),
    ("notes.html", "= 12,544", "CORRECT", None),
    ("notes.html", "= 12,545", "INCORRECT", None),
]

_REPORTS = {}


def report(name):
    if name not in _REPORTS:
        _REPORTS[name] = check_document(DOCS / name)
    return _REPORTS[name]


def finding(name, piece):
    found = [f for f in report(name).findings if f.kind != "claim" and piece in f.source]
    assert found, f"no finding for {piece!r} in {name}"
    return found[0]


@pytest.mark.parametrize("name, piece, verdict, condition", EXPECTED,
                         ids=[f"{n}:{p[:28]}" for n, p, _, _ in EXPECTED])
def test_verdicts(name, piece, verdict, condition):
    f = finding(name, piece)
    assert f.verdict.value == verdict, f.explanation
    if condition is not None:
        assert f.condition == condition
    if verdict == "INCORRECT":
        assert f.counterexample, "an INCORRECT finding carries a counterexample"
        assert f.explanation


def test_no_false_alarm_on_right_formulas():
    """Every formula that EXPECTED calls right is right; nothing else in the documents is INCORRECT."""
    planted = {(n, p) for n, p, v, _ in EXPECTED if v == "INCORRECT"}
    for name in {n for n, _, _, _ in EXPECTED}:
        for f in report(name).findings:
            if f.verdict is Verdict.INCORRECT and f.kind != "claim":
                assert any(n == name and p in f.source for n, p in planted), f"false alarm: {f.source!r}"


def test_counterexamples_recomputed():
    # W_out = ⌊(W − F + P)/S⌋ + 1 with P on each side
    f = finding("latex_per_side.md", r"\frac{W - F + P}{S}")
    v = f.counterexample["values"]
    doc = floor((v["W"] - v["F"] + v["P"]) / v["S"]) + 1
    true = (v["W"] + 2 * v["P"] - v["F"]) // v["S"] + 1
    assert (f.counterexample["document"], f.counterexample["expected"]) == (doc, true) and doc != true
    # the parameter count with C_in as the bias
    f = finding("latex_per_side.md", r"C_{out} + C_{in}")
    v = f.counterexample["values"]
    assert f.counterexample["document"] == v["F"] ** 2 * v["C_in"] * v["C_out"] + v["C_in"]
    assert f.counterexample["expected"] == v["F"] ** 2 * v["C_in"] * v["C_out"] + v["C_out"]
    # the worked example
    f = finding("latex_per_side.md", "= 36,926")
    assert f.counterexample["left"] == 64 * 64 * 3 * 3 + 64 and f.counterexample["right"] == 36926
    # the receptive field with one stride too many: recompute by the recursion
    f = finding("unicode_plain.txt", "∏_{i=1}^{ℓ} s_i")
    ks, ss = f.counterexample["values"]["kernel_sizes"], f.counterexample["values"]["strides"]
    r, j, r_doc = 1, 1, 1
    for kk, st in zip(ks, ss):
        r_doc = r + (kk - 1) * j * st  # the document's step, from the true previous field
        r, j = r + (kk - 1) * j, j * st
    assert f.counterexample["expected"] == r and f.counterexample["document"] == r_doc != r
    # d2l without the stride in the numerator
    f = finding("d2l_total.md", r"+p_\textrm{h})/s_\textrm{h}")
    v = f.counterexample["values"]
    assert f.counterexample["document"] == (v["n_h"] - v["k_h"] + v["p_h"]) // v["s_h"]
    assert f.counterexample["expected"] == (v["n_h"] - v["k_h"] + v["p_h"] + v["s_h"]) // v["s_h"]


def test_findings_sorted_and_in_json_shape():
    r = report("unicode_plain.txt")
    lines = [f.line for f in r.findings]
    assert lines == sorted(lines)
    d = r.to_dict()
    assert set(d) == {"document", "findings"}
    assert set(d["findings"][0]) == {"line", "source", "kind", "quantity", "verdict", "condition", "counterexample",
                                     "expected", "explanation"}


def test_check_document_on_text_and_errors(tmp_path):
    r = check_document("Slides: $H_{out} = (H + 2P - k)/S + 1$ with padding P on each side, stride S, kernel size k.\n")
    assert [f.verdict.value for f in r.findings if f.kind == "formula"] == ["CONDITIONAL"]
    (tmp_path / "bin.md").write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(ValueError):
        check_document(tmp_path / "bin.md")
    (tmp_path / "empty.md").write_text("")
    with pytest.raises(ValueError):
        check_document(tmp_path / "empty.md")
    with pytest.raises(ValueError):
        check_document(tmp_path)


@pytest.mark.parametrize("text, context, verdict", [
    pytest.param("H_out = ⌊(H + 2P − k)/S⌋ + 1", "padding P on each side, stride S, kernel size k", "CORRECT", id="size"),
    pytest.param("64 × 64 × 3 × 3 + 64 = 36,927", None, "INCORRECT", id="arith"),
    pytest.param(r"$\text{Params} = k^2 C_{in} C_{out} + C_{out}$", None, "CORRECT", id="params-dollars"),
    pytest.param("Z = X * K + b", None, "UNRECOGNIZED", id="definition"),
])
def test_check_formula(text, context, verdict):
    f = check_formula(text, context=context)
    assert f.verdict.value == verdict
    assert f.line == 1 and f.source == text
