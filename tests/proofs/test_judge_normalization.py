"""Local response normalisation formulas (proofs.judge.normalization) evaluated as written against numeric.lrn."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import check_document
from proofs.document import parse_math
from proofs.judge.normalization import judge_lrn

DOC = Path(__file__).resolve().parents[1] / "data" / "activations" / "lrn.md"


def test_document_verdicts_by_line():
    found = {f.line: f.verdict.value for f in check_document(DOC).findings if f.quantity == "normalization"}
    assert found == {7: "CORRECT", 9: "INCORRECT", 13: "CORRECT", 15: "CORRECT", 17: "INCORRECT"}


def test_not_lrn_without_its_name():
    p = parse_math(r"y_i = \frac{x_i}{\left(k + \alpha \sum_{j=i-r}^{i+r} x_j^2\right)^{\beta}}")
    assert judge_lrn(p.sides[0], p.sides[1], "a normalisation") is None


@settings(max_examples=15, deadline=None)
@given(before=st.integers(0, 3), after=st.integers(0, 3), power=st.sampled_from(["2", "4"]))
def test_a_window_other_than_the_centred_one_is_incorrect(before, after, power):
    """Only ``c − ⌊n/2⌋ … c + ⌊n/2⌋`` (written n/2, or r for a radius) with squares is LRN."""
    lo = {0: "c", 1: "c-1", 2: "c-n/2", 3: "c-n"}[before]
    hi = {0: "c", 1: "c+1", 2: "c+n/2", 3: "c+n"}[after]
    p = parse_math(rf"b_c = a_c \left(k + \alpha \sum_{{j={lo}}}^{{{hi}}} a_j^{power}\right)^{{-\beta}}")
    j = judge_lrn(p.sides[0], p.sides[1], "local response normalization")
    want = "CORRECT" if (before, after, power) == (2, 2, "2") else "INCORRECT"
    assert j is not None and j.verdict == want


@pytest.mark.parametrize("tex", [r"b_c = a_c + \sum_j a_j^2", r"b_c = a_c (k + \alpha \sum_j a_j^2)^{-\beta} + w"])
def test_other_shapes_are_not_judged(tex):
    p = parse_math(tex)
    assert judge_lrn(p.sides[0], p.sides[1], "LRN") is None
