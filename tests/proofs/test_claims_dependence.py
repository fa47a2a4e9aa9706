"""General claims "attribute (never) changes quantity", decided by a counterexample search; and stacks in which
layers chosen by position differ ("the second and the fourth with stride 2")."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.claims import check_claims


def _verdicts(text):
    return [(f.quantity, f.verdict.value) for f in check_claims(text)]


@pytest.mark.parametrize("text,verdict", [
    ("Dilation never changes the parameter count.", "CORRECT"),
    ("Stride does not affect the number of weights of a convolution.", "CORRECT"),
    ("The input resolution has no effect on the number of parameters.", "CORRECT"),
    ("The kernel size affects the number of parameters.", "CORRECT"),
    ("Padding doesn't change the output size.", "INCORRECT"),
    ("The input resolution has no effect on the computational cost.", "INCORRECT"),
    ("Stride changes the number of parameters.", "INCORRECT"),
    ("Dilation does not change the receptive field of a conv layer.", "INCORRECT"),
])
def test_dependence_claims(text, verdict):
    assert _verdicts(text) == [("dependence", verdict)]


def test_the_smallest_counterexample_really_differs():
    f, = check_claims("Padding doesn't change the output size.")
    (p1, p2), (o1, o2) = f.counterexample["padding"], f.counterexample["output_size"]
    assert (p1, p2) == (0, 1)
    assert (o1, o2) == (16 + 2 * p1 - 3 + 1, 16 + 2 * p2 - 3 + 1) and o1 != o2


def test_ambiguous_sentences_are_not_read():
    assert check_claims("Stride does not change the receptive field.") == []  # of which layer?
    assert check_claims("Dilation enlarges the receptive field without changing the number of parameters.") == [] or all(
        f.quantity != "dependence" for f in check_claims("Dilation enlarges the receptive field without changing the number of parameters."))


def _rf(strides, kernel=3, dilations=None):
    r, j = 1, 1
    for i, s in enumerate(strides):
        d = dilations[i] if dilations else 1
        r += d * (kernel - 1) * j
        j *= s
    return r


ORD = ["first", "second", "third", "fourth", "fifth", "sixth"]
WORDS = ["two", "three", "four", "five", "six"]


@settings(max_examples=15, deadline=None)
@given(st.integers(2, 6).flatmap(lambda n: st.tuples(st.just(n), st.sets(st.integers(1, n), min_size=1, max_size=2))),
       st.integers(2, 3), st.booleans())
def test_layers_chosen_by_position_get_their_own_stride(n_picks, stride, tell_truth):
    n, picks = n_picks
    strides = [stride if i in picks else 1 for i in range(1, n + 1)]
    truth = _rf(strides)
    uniform = _rf([stride] * n)
    claimed = truth if tell_truth else truth + 2
    which = " and the ".join(ORD[p - 1] for p in sorted(picks))
    text = f"{WORDS[n - 2].capitalize()} 3×3 conv layers, the {which} with stride {stride}, have a receptive field of {claimed}×{claimed}."
    found = [f for f in check_claims(text) if f.quantity == "receptive_field"]
    assert [f.verdict.value for f in found] == ["CORRECT" if tell_truth else "INCORRECT"]
    if not tell_truth:
        assert found[0].expected is None or str(truth) in found[0].explanation
    assert truth <= uniform


def test_stem_notation():
    assert _verdicts("A 7×7/2 stem then a 3×3/2 max-pool gives a receptive field of 11×11.") == [("receptive_field", "CORRECT")]
    assert _verdicts("A 7×7/2 stem then a 3×3/2 max-pool gives a receptive field of 15×15.") == [("receptive_field", "INCORRECT")]
