"""Sentences and numbers: the reading layer of the claim forms (no derive needed)."""

from fractions import Fraction

import pytest

from proofs.claims.numbers_words import MAX_NUMBER, is_hedged, normalise, parse_fraction, parse_number
from proofs.claims.sentences import MAX_SENTENCE_CHARS, split_sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("3x3", "3×3", id="x"),
        pytest.param("3 X 3", "3×3", id="capital-X-spaced"),
        pytest.param("3*3", "3×3", id="star"),
        pytest.param("3-by-3", "3×3", id="by"),
        pytest.param(r"$3 \times 3$", "3×3", id="latex-times"),
        pytest.param("**Two** layers", "two layers", id="bold"),
        pytest.param("102,464 params", "102464 params", id="thousands"),
        pytest.param("k² · C_in", "k^2 · c_in", id="superscript"),
        pytest.param(r"C_{in}", "c_in", id="latex-subscript"),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "token, value",
    [("three", 3), ("a", 1), ("single", 1), ("12", 12), ("Twenty", 20)],
    ids=["word", "article", "single", "digits", "capital"],
)
def test_parse_number(token, value):
    assert parse_number(token) == value


@pytest.mark.parametrize("token", ["1000000000", "9" * 40, "many", ""], ids=["billion", "huge", "word", "empty"])
def test_parse_number_rejects(token):
    with pytest.raises(ValueError):
        parse_number(token)
    assert MAX_NUMBER < 10**6


@pytest.mark.parametrize(
    "text, value",
    [("1/9", Fraction(1, 9)), ("one ninth", Fraction(1, 9)), ("a quarter", Fraction(1, 4)), ("0.5", Fraction(1, 2)),
     ("two thirds", Fraction(2, 3))],
    ids=["slash", "words", "quarter", "decimal", "plural"],
)
def test_parse_fraction(text, value):
    assert parse_fraction(text) == value


def test_hedges():
    assert is_hedged("roughly 1/9") and is_hedged("≈ 28%") and is_hedged("~ 9 times")
    assert not is_hedged("exactly 28% fewer parameters")


def test_sentences_lines_code_and_math():
    text = (
        "# Title\n"                      # 1
        "\n"                             # 2
        "First sentence wraps\n"         # 3
        "over two lines. Second one.\n"  # 4
        "```\n"                          # 5
        "three 3x3 convs see 9x9. X\n"   # 6 (code: skipped)
        "```\n"                          # 7
        "$$\n"                           # 8
        "RF = 1 + L(k-1)\n"              # 9 (display math: skipped)
        "$$\n"                           # 10
        "- item with $L$ layers\n"       # 11
        "| a | table |\n"                # 12
    )
    got = [(s.line, s.text, s.section, s.heading) for s in split_sentences(text)]
    assert got == [
        (1, "Title", None, True),
        (3, "First sentence wraps over two lines.", "Title", False),
        (4, "Second one.", "Title", False),
        (11, "- item with $L$ layers", "Title", False),
        (12, "| a | table |", "Title", False),
    ]


def test_sentence_length_is_bounded():
    long = "word " * 10_000
    sentences = split_sentences(long)
    assert sentences and all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)


def test_latex_structure_is_not_prose():
    text = "\\documentclass{article}\n\\begin{document}\n\\section{Pooling}\nPooling halves things.\n\\end{document}\n"
    got = [(s.line, s.text, s.section) for s in split_sentences(text)]
    assert got == [(3, "Pooling", None), (4, "Pooling halves things.", "Pooling")]


def test_display_math_made_of_words_is_kept():
    text = "$$\\text{Convolve (equivariant)} \\to \\text{FC (global invariance)}$$\n"
    [s] = split_sentences(text)
    assert "FC (global invariance)" in s.text and s.line == 1


def test_bold_label_line_is_a_title_of_its_own():
    text = "**3. Translation Equivariance**\nIf input shifts, output shifts the same way:\n"
    got = [(s.line, s.text) for s in split_sentences(text)]
    assert got == [(1, "**3. Translation Equivariance**"), (2, "If input shifts, output shifts the same way:")]
