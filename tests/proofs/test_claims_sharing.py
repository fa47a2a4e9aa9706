"""Parameter-sharing totals: with sharing Conv2d(D, K, F).params, without it one filter (and bias) per output neuron."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from proofs.claims import check_claims


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 60), st.integers(1, 128), st.sampled_from([1, 3, 5, 7, 11]), st.integers(1, 16),
       st.booleans(), st.integers(-1, 1))
def test_unshared_totals(side, k, f, d, bias, error):
    assume((side, side, k) != (f, f, d))  # the two volumes must be told apart
    total = side * side * k * (f * f * d + (1 if bias else 0)) + error * side
    text = (f"Without parameter sharing, the {side}×{side}×{k} neurons, each looking at a {f}×{f}×{d} region, "
            f"would have {total:,} parameters.")
    found = [x for x in check_claims(text) if x.quantity == "params"]
    assert [x.verdict.value for x in found] == ["CORRECT" if error == 0 else "INCORRECT"]


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 60), st.integers(1, 128), st.sampled_from([1, 3, 5, 7]), st.integers(1, 16), st.booleans())
def test_shared_totals(side, k, f, d, right):
    assume((side, side, k) != (f, f, d))
    total = k * (f * f * d + 1) if right else side * side * k
    if not right and total in (k * (f * f * d + 1), k * f * f * d):
        total += 1
    text = f"With parameter sharing, the {side}×{side}×{k} output volume computed by {f}×{f}×{d} filters needs {total:,} parameters."
    found = [x for x in check_claims(text) if x.quantity == "params"]
    assert [x.verdict.value for x in found] == ["CORRECT" if right else "INCORRECT"]


def test_sentences_without_both_volumes_are_not_read():
    assert check_claims("Without parameter sharing the layer would have 105,705,600 parameters.") == []
