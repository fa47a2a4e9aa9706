"""Worked examples that instantiate the document's own formula ("with $W = 32$ … we get $O = 28$").

Each span alone says nothing; the sentence is a statement about the quantity of the formula it
instantiates. Decided by the formula once judged and by derive from the symbol table's roles.
"""

import pytest
from hypothesis import given, settings, strategies as st

from derive.layers import Conv2d
from proofs import check_document

FORMULA = ("The output width is $O = \\frac{{W - F + 2P}}{{S}} + 1$, where $W$ is the input width, $F$ the filter "
           "size, $P$ the padding on each side and $S$ the stride.\n")


def verdict_at(text: str, line: int, piece: str):
    rep = check_document(text)
    found = [f for f in rep.findings if f.line == line and piece in f.source]
    assert found, [(f.line, f.source, f.verdict.value) for f in rep.findings]
    return found[0]


def truth(w, f, p, s):
    return Conv2d(1, 1, f, stride=s, padding=p).output_shape((1, w, w))[-1]


@settings(max_examples=15, deadline=None)  # each example checks a whole document
@given(w=st.integers(8, 64), f=st.sampled_from([1, 3, 5, 7]), p=st.integers(0, 3), s=st.integers(1, 3),
       delta=st.sampled_from([-1, 1, 2]))
def test_examples_of_a_formula_are_judged_by_what_they_compute(w, f, p, s, delta):
    o = truth(w, f, p, s)
    text = (FORMULA.format() + "\n"
            f"With $W = {w}$, $F = {f}$, $P = {p}$ and $S = {s}$, we get $O = {o}$.\n\n"
            f"For instance, with $W = {w}$, $F = {f}$, $P = {p}$ and $S = {s}$, we get $O = {o + delta}$.\n")
    ok, bad = verdict_at(text, 3, f"O = {o}"), verdict_at(text, 5, f"O = {o + delta}")
    assert ok.verdict.value == "CORRECT", ok.explanation
    assert bad.verdict.value == "INCORRECT", bad.explanation
    assert bad.counterexample["expected"] == o


def test_an_example_that_follows_a_wrong_formula_is_found_by_the_roles():
    text = ("The output width is $O = W - F + P + 1$, where $W$ is the input width, $F$ the filter size and "
            "$P$ the padding on each side.\n\nWith $W = 32$, $F = 5$ and $P = 2$, we get $O = 30$.\n")
    f = verdict_at(text, 3, "O = 30")
    assert f.verdict.value == "INCORRECT" and f.counterexample["expected"] == 32, f.explanation


def test_layer_labels_are_instantiated_at_the_layer_of_the_target():
    text = ("$$n_H^{[l]} = \\left\\lfloor \\frac{n_H^{[l-1]} + 2p^{[l]} - f^{[l]}}{s^{[l]}} \\right\\rfloor + 1$$\n\n"
            "With $n_H^{[0]} = 39$, $f^{[1]} = 3$, $s^{[1]} = 1$ and $p^{[1]} = 0$, we get $n_H^{[1]} = 37$.\n\n"
            "With $n_H^{[1]} = 37$, $f^{[2]} = 5$, $s^{[2]} = 2$ and $p^{[2]} = 0$, we get $n_H^{[2]} = 16$.\n")
    assert verdict_at(text, 3, "n_H^{[1]} = 37").verdict.value == "CORRECT"
    bad = verdict_at(text, 5, "n_H^{[2]} = 16")
    assert bad.verdict.value == "INCORRECT" and bad.counterexample["expected"] == 17, bad.explanation


@pytest.mark.parametrize("sentence", [
    "With $W = 32$ and $F = 5$, we get $O = 28$.",                 # a letter of the formula has no value
    "\nWith $W = 32$, $F = 5$, $P = 0$ and $S = 1$,\n\nwe get $O = 28$.",  # the givens are in another paragraph
])
def test_an_incomplete_instance_is_not_judged(sentence):
    rep = check_document(FORMULA.format() + "\n" + sentence + "\n")
    target = [f for f in rep.findings if "O = 28" in f.source]
    assert all(f.verdict.value == "UNRECOGNIZED" for f in target)
