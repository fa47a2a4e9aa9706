"""Axis-generic definitions (``i_j: input size along axis j``), padding implied by the prose, and words
that are not symbol definitions ("strided", "i.e.") — on tests/data/docs/axis_definitions.tex."""

from math import floor

import pytest

from proofs import check_document, check_formula
from proofs.judge.roles import bind_roles, definitions_in
from tests.helpers import DATA

DOC = DATA / "docs" / "axis_definitions.tex"

EXPECTED = [
    ("o = (i - k) + 1", "CORRECT"),
    (r"o = i + 2 \lfloor k / 2 \rfloor - (k - 1)", "CORRECT"),
    ("o = i + (k - 1)", "CORRECT"),
    (r"\frac{i + 2p - k}{s}", "CORRECT"),
    (r"\frac{i + p - k}{s}", "INCORRECT"),
]


@pytest.fixture(scope="module")
def report():
    return check_document(DOC)


@pytest.mark.parametrize("piece,verdict", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_verdicts(report, piece, verdict):
    hits = [f for f in report.findings if piece in f.source and f.kind == "formula"]
    assert hits, piece
    assert hits[0].verdict.value == verdict, hits[0].explanation


def test_planted_mistake_counterexample_recomputed(report):
    f = next(f for f in report.findings if r"\frac{i + p - k}{s}" in f.source)
    v = f.counterexample["values"]
    i, k, s, p = v["i"], v["k"], v["s"], v["p"]
    assert f.counterexample["document"] == floor((i + p - k) / s) + 1
    assert f.counterexample["expected"] == floor((i + 2 * p - k) / s) + 1
    assert f.counterexample["document"] != f.counterexample["expected"]


def test_substituted_padding_is_named_in_the_explanation(report):
    f = next(f for f in report.findings if "o = i + (k - 1)" in f.source)
    assert "full padding" in f.explanation


def test_formula_without_padding_under_a_padding_heading_is_not_a_false_alarm():
    # no padding scheme (half, full) makes it right: not judged rather than INCORRECT
    f = check_formula("o = i + k", context="Full padding. For any $i$ and $k$:")
    assert f.verdict.value == "UNRECOGNIZED"


@pytest.mark.parametrize("text", ["fractionally strided convolutions", "using unit strides (i.e., $i = 4$)",
                                  "zero padding (e.g., only for $s = 1$)"], ids=["strided", "i.e.", "e.g."])
def test_words_are_not_definitions(text):
    assert definitions_in(text) == {}


def test_axis_generic_definition_binds_the_plain_name():
    defs = definitions_in(r"- $i_j$: input size along axis $j$, - $k_j$: kernel size along axis $j$")
    assert bind_roles(["i", "k"], "", "", defs).roles == {"i": "input_size", "k": "kernel"}


def test_a_bare_expression_in_a_sentence_is_not_an_output_shape():
    f = check_formula("i + 2p - k", context="the same output size for multiple input sizes. More specifically, if")
    assert f.verdict.value == "UNRECOGNIZED"
