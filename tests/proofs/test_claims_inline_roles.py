"""Inline-math assignments read through the document's symbol table (proofs/claims/inline_roles.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from proofs import check_text
from proofs.claims.inline_roles import spell_assignments
from proofs.claims.numbers_words import normalise
from proofs.claims.roles import sized_roles, stated_roles

_LETTERS = ["a", "b", "c", "k", "q", "r", "u", "v"]


@given(letters=st.permutations(_LETTERS), k=st.integers(1, 11), s=st.integers(1, 5), p=st.integers(0, 5),
       together=st.booleans())
def test_every_assignment_of_a_bound_letter_is_read_by_its_role(letters, k, s, p, together):
    lk, ls, lp = letters[:3]
    roles = {lk: "kernel", ls: "stride", lp: "padding"}
    math = f"${lk} = {k}, {ls} = {s}, {lp} = {p}$" if together else f"${lk} = {k}$, ${ls}={s}$ and ${lp} = {p}$"
    text = spell_assignments(f"with {math} the layer keeps its size", roles)
    assert stated_roles(normalise(text)) == {"kernel": {k}, "stride": {s}, "padding": {p}}


@given(letter=st.sampled_from(_LETTERS), value=st.integers(0, 99))
def test_a_letter_without_a_role_leaves_the_span_as_written(letter, value):
    text = f"with ${letter} = {value}$ it works"
    assert spell_assignments(text, {"zz": "kernel"}) == text
    assert spell_assignments(text, None) == text


def test_a_span_mixing_a_bound_and_an_unbound_letter_is_not_spelled():
    assert spell_assignments("$f = 3, t = 2$", {"f": "kernel"}) == "$f = 3, t = 2$"


def test_heights_and_widths_are_sizes_by_their_side():
    assert sized_roles(normalise("an input of width 7 gives an output of width 4")) == ([7], [4], 0)


@given(n=st.integers(7, 40), f=st.integers(1, 3).map(lambda x: 2 * x + 1), s=st.integers(1, 3), p=st.integers(0, 2),
       wrong=st.integers(1, 3))
def test_instantiated_letters_decide_the_output_size_in_words(n, f, s, p, wrong):
    """The truth floor((n + 2p − f)/s) + 1 is CORRECT, a value off by ``wrong`` is INCORRECT with its counterexample."""
    context = "Here $W$ denotes the input size, $F$ the kernel size, $S$ the stride and $P$ the zero padding."
    truth = (n + 2 * p - f) // s + 1
    for claimed, expected in ((truth, "CORRECT"), (truth + wrong, "INCORRECT")):
        doc = f"{context}\n\nWith $W = {n}$, $F = {f}$, $P = {p}$ and $S = {s}$ we get a ${claimed} \\times {claimed}$ output.\n"
        found = [x for x in check_text(doc, budget=60).findings if x.line == 3 and x.kind == "claim"]
        assert [x.verdict.value for x in found] == [expected], [x.explanation for x in found]
        if expected == "INCORRECT":
            assert found[0].counterexample
