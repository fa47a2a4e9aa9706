"""Extraction of math spans per format, with exact line numbers, sections, context and rows."""

from __future__ import annotations

import pytest

from proofs.document import MathSpan, read_document
from proofs.document.plain import find_plain_formulas
from tests.helpers import DATA

DOCS = DATA / "documents"


def spans_of(name):
    return [(s.line, s.origin, s.tex) for s in read_document(DOCS / name).spans]


def test_markdown_spans():
    assert spans_of("sizes.md") == [
        (6, "dollar", r"H_{out} = \left\lfloor \frac{H + 2P - k}{S} \right\rfloor + 1"),
        (6, "dollar", "P"),
        (13, "double_dollar", r"o = \lfloor (i + 2p - k)/s \rfloor + 1"),  # the line of the math, not of "$$"
        (22, "plain", "H_out = ⌊(H + 2P − k)/S⌋ + 1"),
        (23, "plain", "Parameters = k × k × C_in × C_out + C_out"),
        (27, "double_dollar", "a = b + 1"),
        (28, "double_dollar", "b + 1 = c"),
        (34, "paren", "W_2 = (W_1 - F)/S + 1"),
        (37, "plain", "⌊(224 − 7 + 2·3)/2⌋ + 1 = ⌊223/2⌋ + 1 = 112"),
        (37, "plain", "55*55*96 = 290,400"),
    ]


def test_markdown_details():
    spans = read_document(DOCS / "sizes.md").spans
    by_line = {(s.line, s.tex[:5]): s for s in spans}
    block = by_line[(13, "o = \\")]  # "$$" alone on lines 12 and 14: the span is the math between them
    assert (block.end_line, block.display, block.section) == (13, True, "Padding")
    assert block.source == r"o = \lfloor (i + 2p - k)/s \rfloor + 1"
    assert block.context == "With padding P and stride S:"
    params = by_line[(23, "Param")]
    assert params.after.startswith("(weights + biases)")
    assert params.context.endswith("H_out = ⌊(H + 2P − k)/S⌋ + 1")
    row = by_line[(28, "b + 1")]
    assert row.source == "&= c"  # as written; tex continues the row above
    pool = by_line[(34, "W_2 =")]
    assert pool.section == "Pooling" and pool.after.startswith("where F is the pool size")
    assert pool.source == r"\\(W_2 = (W_1 - F)/S + 1\\)"


def test_latex_spans():
    assert spans_of("sizes.tex") == [
        (7, "dollar", r"o = \left\lfloor \frac{i + 2p - k}{s} \right\rfloor + 1"),
        (9, "env:equation", "o' = s(i' - 1) + k - 2p"),
        (13, "env:align", r"\hat{k} = k + (k - 1)(d - 1),"),
        (14, "env:align", r"o = \left\lfloor \frac{i + 2p - \hat{k}}{s} \right\rfloor + 1."),
        (16, "bracket", "r = 1 + L(k-1)"),
        (18, "env:multline", "a = b"),
        (19, "env:multline", "+ c"),
    ]
    doc = read_document(DOCS / "sizes.tex")
    assert [doc.section_at(n) for n in (4, 7, 13)] == [None, "Zero padding", "Dilation"]
    assert doc.section_path(13) == ["Zero padding", "Dilation"]


def test_rst_spans():
    assert spans_of("sizes.rst") == [
        (4, "rst_role", r"\sigma"),
        (5, "rst_role", r"\lfloor (H - F_H) / \sigma \rfloor + 1"),
        (12, "rst_block", r"\partial_{b_i} L = \sum_{\beta} \varepsilon_\beta"),
        (14, "rst_block", "y = a + b"),
        (15, "rst_block", "z = c"),
    ]
    doc = read_document(DOCS / "sizes.rst")
    assert doc.spans[0].section == "Convolutional layer" and doc.spans[2].section == "Backward"


def test_html_spans():
    assert spans_of("sizes.html") == [
        (6, "paren", r"r_{l-1} = s_l \cdot r_l + (k_l - s_l)"),
        (7, "paren", r"l = 1, \ldots, L"),
        (9, "paren", r"u_{l-1} = -p_l + u_{l}\cdot s_l"),
        (10, "paren", r"v_{l-1} = -p_l + v_{l}\cdot s_l + k_l - 1"),
        (14, "double_dollar", r"S_{l-1} = s_l \cdot S_l"),
    ]
    doc = read_document(DOCS / "sizes.html")
    assert [s.section for s in doc.spans] == ["Receptive field size"] * 4 + ["Effective stride"]
    assert doc.spans[0].context == "The recurrence is"


def test_text_spans():
    assert spans_of("sizes.txt") == [
        (5, "plain", "H_out = ⌊(H_in − k + 2P) / s⌋ + 1"),
        (5, "plain", "W_out = ⌊(W_in − k + 2P) / s⌋ + 1"),
        (11, "plain", "r₁ = 3"),
        (11, "plain", "r₂ = 3 + 2 = 5"),
        (12, "plain", "RF_ℓ = RF_{ℓ-1} + (k_ℓ - 1) · ∏ s_i"),
        (13, "plain", "∂L/∂X[i,j,d] = ∑_{u,v} (∂L/∂Y)[⌊(i-u)/s⌋, ⌊(j-v)/s⌋, d] · W[u,v]"),
    ]
    doc = read_document(DOCS / "sizes.txt")
    assert doc.section_at(5) == "Stride and Padding" and doc.section_at(12) == "Receptive Field"
    assert doc.spans[1].after.startswith("Where P is the padding width")


@pytest.mark.parametrize("name", ["sizes.md", "sizes.tex", "sizes.rst", "sizes.html", "sizes.txt"])
def test_every_span_is_where_it_says(name):
    doc = read_document(DOCS / name)
    for span in doc.spans:
        assert isinstance(span, MathSpan)
        first = span.source.split("\n")[0]
        assert doc.lines[span.line - 1][span.col - 1:].startswith(first), span
        assert span.line <= span.end_line
        assert len(span.context) <= 300 and len(span.after) <= 200


NOT_MATH = [
    ("money", "It costs $5 and $10 today."),
    ("prose-equals", "The output size = the input size when padding is same."),
    ("code-fence", "```python\nx = a + 1\n```"),
    ("inline-code", "Use `y = 2 + 3` in code."),
    ("html-comment", "<!-- $x = 1$ -->"),
    ("url", "See [link](http://a.b/?x=1&y=2)."),
    ("stride-word", "(for stride=1)"),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_MATH], ids=[c[0] for c in NOT_MATH])
def test_prose_and_code_give_no_spans(text):
    assert read_document(text + "\n\nend\n", fmt="markdown").spans == []


PLAIN = [
    ("label-prefix", "- Output height: H_out = ⌊(H + 2P - k)/S⌋ + 1", ["H_out = ⌊(H + 2P - k)/S⌋ + 1"]),
    ("trailing-parenthesis", "Parameters = k × k × C_in + C_in (weights + biases)", ["Parameters = k × k × C_in + C_in"]),
    ("two-on-a-line", "H_out = ⌊(H − k) / s⌋ + 1 W_out = ⌊(W − k) / s⌋ + 1",
     ["H_out = ⌊(H − k) / s⌋ + 1", "W_out = ⌊(W − k) / s⌋ + 1"]),
    ("list-in-a-line", "- Layer 1: r₁ = 3 - Layer 2: r₂ = 3 + 2 = 5", ["r₁ = 3", "r₂ = 3 + 2 = 5"]),
    ("arithmetic", "giving (5 - 3 + 2)/2 + 1 = 3. Next", ["(5 - 3 + 2)/2 + 1 = 3"]),
    ("thousands", "so 55*55*96 = 290,400 neurons", ["55*55*96 = 290,400"]),
    ("derivatives", "∂L/∂K[0] = 3·1 + 4·(-1) = -1 ∂L/∂K[1] = 4·1 + 5·(-1) = -1",
     ["∂L/∂K[0] = 3·1 + 4·(-1) = -1", "∂L/∂K[1] = 4·1 + 5·(-1) = -1"]),
    ("assignments", "Common case: k=3, P=1 → output", ["k=3", "P=1"]),
    ("if-prose", "route to ∂L/∂Y[i] if X[i] = max in pool", []),
    ("words-only", "mean = average value", []),
]


@pytest.mark.parametrize("line, expected", [c[1:] for c in PLAIN], ids=[c[0] for c in PLAIN])
def test_plain_formulas_in_a_line(line, expected):
    assert [line[a:b] for a, b in find_plain_formulas(line)] == expected


def test_escaped_markdown_star_is_unescaped_in_tex():
    doc = read_document("there are 55\\*55\\*96 = 290,400 neurons\n", fmt="markdown")
    assert [(s.source, s.tex) for s in doc.spans] == [("55\\*55\\*96 = 290,400", "55*55*96 = 290,400")]
