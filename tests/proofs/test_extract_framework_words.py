"""Plain-text formulas with framework word names (``2×padding``, ``(H_in − 1)×stride``) are read whole."""

import pytest

from proofs.document.plain import find_plain_formulas
from proofs.judge.roles import bind_roles, definitions_in


@pytest.mark.parametrize("line, formula", [
    pytest.param("H_out = ⌊(H_in + 2×padding − dilation×(kernel_size − 1) − 1)/stride + 1⌋",
                 "H_out = ⌊(H_in + 2×padding − dilation×(kernel_size − 1) − 1)/stride + 1⌋", id="conv"),
    pytest.param("gives H_out = (H_in − 1)×stride − 2×padding + output_padding + 1 in all",
                 "H_out = (H_in − 1)×stride − 2×padding + output_padding + 1", id="transposed"),
])
def test_glued_words_are_math(line, formula):
    assert [line[a:b] for a, b in find_plain_formulas(line)] == [formula]


@pytest.mark.parametrize("line", [
    pytest.param("We say *padding* = extra zeros, and/or stride = step.", id="emphasis-and-or"),
    pytest.param("The output size = the input size in that case.", id="prose"),
])
def test_prose_stays_prose(line):
    assert find_plain_formulas(line) == []


def test_word_names_bind_roles():
    b = bind_roles(["kernel_size", "padding", "stride", "dilation", "output_padding", "H_in"])
    assert b.roles == {"kernel_size": "kernel", "padding": "padding", "stride": "stride", "dilation": "dilation",
                       "output_padding": "output_padding", "H_in": "input_size"}


def test_dollar_delimited_letters_bind_from_prose():
    assert definitions_in("For input size $i$, kernel $k$, stride $s$ and zero padding $p$ on each side")["i"] == \
        "input_size"
    assert "i" not in definitions_in("the input size i.e. the width")
