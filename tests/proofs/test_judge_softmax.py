"""Softmax definitions and Jacobians evaluated as written (proofs.judge.softmax)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import check_document
from proofs.document import parse_math
from proofs.judge.softmax import _softmax, judge_softmax

DOC = Path(__file__).resolve().parents[1] / "data" / "activations" / "softmax.md"


def test_document_verdicts_by_line():
    found = {f.line: f.verdict.value for f in check_document(DOC).findings if f.quantity == "softmax"}
    assert found == {5: "CORRECT", 7: "INCORRECT", 9: "CORRECT", 11: "INCORRECT", 13: "CORRECT", 15: "INCORRECT"}


@settings(max_examples=20, deadline=None)
@given(z=st.lists(st.floats(-5, 5, allow_nan=False), min_size=2, max_size=6))
def test_the_reference_softmax_is_a_distribution_with_the_jacobian_checked(z):
    z = np.array(z)
    s = _softmax(z)
    assert np.isclose(s.sum(), 1.0) and (s > 0).all()
    h = 1e-6
    for j in range(len(z)):  # finite differences of the reference against p_i(δ_ij − p_j)
        e = np.zeros_like(z)
        e[j] = h
        num = (_softmax(z + e) - _softmax(z - e)) / (2 * h)
        np.testing.assert_allclose(num, s * ((np.arange(len(z)) == j) - s[j]), atol=1e-7)


def test_not_softmax_without_its_name():
    p = parse_math(r"p_i = \frac{\exp(z_i)}{\sum_j \exp(z_j)}")
    assert judge_softmax(p.sides[0], p.sides[1], "a normalisation") is None
