"""A scale in words after the result of a sum ("= 9 million bytes") is the unit of every term, not of the result alone."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proofs import check_text

SCALES = ["thousand", "million", "billion"]


@given(st.integers(1, 999), st.integers(1, 999), st.sampled_from(SCALES))
def test_a_sum_in_the_words_unit_holds(a, b, scale):
    (f,) = [f for f in check_text(f"Together that is {a} + {b} = {a + b} {scale} bytes of memory.").findings
            if "+" in f.source]
    assert f.verdict.value == "CORRECT", f.explanation


@given(st.integers(1, 999), st.integers(1, 999), st.integers(1, 50), st.sampled_from(SCALES))
def test_a_wrong_sum_in_the_words_unit_is_still_wrong(a, b, off, scale):
    (f,) = [f for f in check_text(f"Together that is {a} + {b} = {a + b + off} {scale} bytes of memory.").findings
            if "+" in f.source]
    assert f.verdict.value == "INCORRECT", f.explanation


@pytest.mark.parametrize("text", ["4 × 100 × 150 × 100 = 6 thousand bytes", "2 × 3 = 7 million parameters"])
def test_a_scale_that_does_not_fit_is_flagged(text):
    (f,) = check_text(text).findings
    assert f.verdict.value == "INCORRECT", f.explanation
