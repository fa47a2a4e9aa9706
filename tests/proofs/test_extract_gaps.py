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


def test_inline_code_formula_is_a_span():
    text = ("The size is `output = (W - F + 2P)/S + 1`, and `n+2p-f+1 = 6+2-3+1 = 6` here;\n"
            "also ```out_h = (h + 2*pad_h - k)*s + 1``` and `o = ceil(in_size / s)`.\n")
    spans = [(line, origin, tex) for line, origin, tex in _spans(text) if origin == "code"]
    # math in back-quotes stays as written; program notation is read with identifiers whole and "*" a product
    assert spans == [(1, "code", "output = (W - F + 2P)/S + 1"), (1, "code", "n+2p-f+1 = 6+2-3+1 = 6"),
                     (2, "code", r"\mathrm{out_h} = (h + 2 \cdot \mathrm{pad_h} - k) \cdot s + 1"),
                     (2, "code", r"o = \lceil \mathrm{in_size} / s \rceil")]


def test_program_division_has_two_readings():
    # C truncates "a / b" on integers, Python does not: a program expression dividing names has both readings
    [span] = extract_spans("`h_o = (h_i + 2 * pad_h - kernel_h) / stride_h + 1`\n", "markdown")
    assert span.tex == r"h_o = (h_i + 2 \cdot \mathrm{pad_h} - \mathrm{kernel_h}) / \mathrm{stride_h} + 1"
    assert span.readings == (r"h_o = \lfloor (h_i + 2 \cdot \mathrm{pad_h} - \mathrm{kernel_h}) / \mathrm{stride_h} \rfloor + 1",)


def test_document_saying_rounded_down_gives_one_reading():
    text = "`o = (w - f) / s + 1`\n\nIf the formula yields decimals, the number will be rounded down.\n"
    [span] = extract_spans(text, "markdown")
    assert span.tex == r"o = \lfloor (w - f) / s \rfloor + 1" and span.readings == ()


def test_inline_program_code_is_not_a_formula():
    text = ("Call `x = torch.zeros(3) + 1`, `model.add(Dense(10))`, `y = conv(x)`, `a = b`,\n"
            "`out = F.conv2d(x, w, stride=2)`, `n = len(x) + 1`, `s = 'a' + b`, `i += 1`, `k == 3 + 1`.\n"
            "```python\nout = (h + 2*p - k)/s + 1\n```\n")
    assert _spans(text) == []


def test_code_span_in_latex_or_rst_is_not_scanned():
    assert [s for s in _spans("`a = b + 1`\n", "rst") if s[1] == "code"] == []
