"""Index formulas in library notation (oneDNN): names joined back, roles read from structure, numeric.conv2d."""

import pytest
from hypothesis import given, settings, strategies as st

from proofs.document import parse_math
from proofs.judge.library_index import join_names, judge_library_index
from tests.proofs._planted import formula_findings

FORMULA = (r"\dst(n, oc, oh, ow) = \bias(oc) + \sum_{ic=0}^{IC-1}\sum_{kh=0}^{KH-1}\sum_{kw=0}^{KW-1}"
           r" \src(n, ic, oh \cdot SH + kh \cdot (DH + 1) - PH_L, ow \cdot SW + kw \cdot (DW + 1) - PW_L)"
           r" \cdot \weights(oc, ic, kh, kw)")


def test_document_dilated_and_planted():
    found = formula_findings("library_conv.md")
    assert [f.verdict.value for f in found] == ["CORRECT", "CORRECT", "INCORRECT", "CORRECT", "CONDITIONAL"]
    assert "input channels per group" in found[-1].condition
    cex = found[2].counterexample
    assert cex["values"]["PW_L"] > 0 and cex["document"] != pytest.approx(cex["expected"])


def judge(tex):
    p = parse_math(tex)
    return judge_library_index(p.sides[0], p.sides[1], p.notes)


def test_dilated_correct():
    assert judge(FORMULA).verdict == "CORRECT"


@settings(max_examples=12, deadline=None)
@given(st.sampled_from([("oh \\cdot SH + kh", "oh \\cdot SH - kh"), ("- PH_L,", "+ PH_L,"),
                        ("(DW + 1)", "(DW + 2)"), ("\\weights(oc, ic, kh, kw)", "\\weights(oc, ic, kw, kh)"),
                        ("ow \\cdot SW", "ow")]))
def test_planted_changes_are_found(change):
    old, new = change
    tex = FORMULA.replace(old, new, 1)
    assert tex != FORMULA
    j = judge(tex)
    assert j is None or j.verdict == "INCORRECT", (tex, j.explanation)
    if j is not None:
        assert j.counterexample["document"] != pytest.approx(j.counterexample["expected"])


def test_join_names_only_where_noted():
    import sympy as sp

    N, H, W = sp.symbols("N H W")
    assert join_names(1 / (N * H * W), []) == 1 / (N * H * W)  # 1/NHW without a note stays a product


def test_not_library_notation():
    assert judge(r"y = a x + b") is None
