"""Extraction gaps: Doxygen math, formulas in Markdown code spans and fences."""

from __future__ import annotations

from proofs.document.extract import extract_spans


def _spans(text: str, fmt: str = "markdown"):
    return [(s.line, s.origin, s.tex) for s in extract_spans(text, fmt)]


def test_doxygen_inline_and_display():
    text = ("Let \\f$N \\times IC\\f$ be the source and\n"
            "- \\f$OH = \\left\\lfloor{\\frac{IH - KH}{SH}} \\right\\rfloor + 1,\\f$\n\n"
            "\\f[\\dst(n) = \\bias(oc) \\\\\n + \\sum_{ic} \\src(n, ic).\\f]\n")
    spans = _spans(text)
    assert spans[0] == (1, "doxygen", "N \\times IC")
    assert spans[1] == (2, "doxygen", "OH = \\left\\lfloor{\\frac{IH - KH}{SH}} \\right\\rfloor + 1,")
    # a display broken over two rows by "\\" before a "+" is one expression
    assert spans[2] == (4, "doxygen", "\\dst(n) = \\bias(oc) + \\sum_{ic} \\src(n, ic).")
    assert len(spans) == 3


def test_doxygen_does_not_leak_into_dollar_math():
    spans = _spans("cost \\f$a\\f$ and \\f$b = c\\f$ here\n")
    assert [t for _, _, t in spans] == ["a", "b = c"]


def test_display_rows_split_by_relation_stay_rows():
    spans = _spans("$$\na = b \\\\\nc = d\n$$\n")
    assert [t for _, _, t in spans] == ["a = b", "c = d"]
