"""Formulas in program notation: inline code of any kind, read with identifiers whole and two readings of '/'."""

from __future__ import annotations

import random

import pytest
import sympy as sp
from hypothesis import assume, given, strategies as st

from proofs.checker import check_text
from proofs.document.code_notation import code_readings, code_tex, division_convention
from proofs.document.extract import extract_spans
from proofs.document.parser import parse_math

# --------------------------------------------------------------------------- the reading of one formula
NAMES = ["a", "b", "h_o", "ks", "pad_h", "Width", "n_1", "kernel_size", "stride_h"]


@st.composite
def _expressions(draw, depth: int = 3):
    """(code, exact SymPy value, value with '/' between names rounded down, holds a name, holds a '/' of names)."""
    if depth == 0 or draw(st.booleans()):
        if draw(st.booleans()):
            name = draw(st.sampled_from(NAMES))
            s = sp.Symbol(name)
            return name, s, s, True, False
        n = draw(st.integers(1, 9))
        return str(n), sp.Integer(n), sp.Integer(n), False, False
    op = draw(st.sampled_from(["+", "-", "*", "/", "//", "**"]))
    lc, le, lf, ln, ld = draw(_expressions(depth - 1))
    if op == "**":
        k = draw(st.integers(1, 3))
        return f"({lc}) ** {k}", le ** k, lf ** k, ln, ld
    rc, re_, rf, rn, rd = draw(_expressions(depth - 1))
    code = f"({lc}) {op} ({rc})"
    named, div = ln or rn, ld or rd
    if op == "+":
        return code, le + re_, lf + rf, named, div
    if op == "-":
        return code, le - re_, lf - rf, named, div
    if op == "*":
        return code, le * re_, lf * rf, named, div
    if op == "//":
        return code, sp.floor(le / re_), sp.floor(lf / rf), named, div
    return code, le / re_, (sp.floor(lf / rf) if named else lf / rf), named, div or named


def _value(expr, values: dict):
    return expr.subs({s: values[s.name] for s in expr.free_symbols})


@given(_expressions(), st.randoms(use_true_random=False))
def test_every_reading_is_the_expression_written(expr, rnd):
    code, exact, floored, _, named_division = expr
    readings = code_readings(f"out = {code}")
    assert readings is not None
    # two readings exactly when a '/' divides something named (exact, then rounded down)
    assert len(readings) == (2 if named_division else 1)
    values = {n: sp.Integer(rnd.randint(1, 40)) for n in NAMES}
    want = [_value(exact, values), _value(floored, values)]
    assume(all(w.is_finite for w in want))
    for k, tex in enumerate(readings):
        (lhs, rhs) = parse_math(tex).sides
        assert lhs == sp.Symbol("out")
        got = _value(rhs, values)
        assert sp.simplify(got - want[k]) == 0, (code, tex, got, want)


def test_identifiers_are_whole_and_star_is_a_product():
    (tex,) = code_readings("(n_1 + n_2 + ... + n_K) * c_1 * h * w")
    assert r"\cdot" in tex and "conv" not in str(parse_math(tex).sides[0])
    (tex,) = code_readings("y = ks * in_c")
    assert parse_math(tex).sides[1] == sp.Symbol("ks") * sp.Symbol("in_c")


def test_shape_times_and_math_modules():
    assert code_readings("local_size x 1 x 1") == (r"\mathrm{local_size} \times 1 \times 1",)
    assert parse_math(code_readings("w = numpy.sqrt(3 * 9 * 9)")[0]).sides[1] == sp.sqrt(243)
    assert parse_math(code_tex("lr = 3e-2")).sides[1] == sp.Rational(3, 100)


@pytest.mark.parametrize("code", ["y = model.fit(x)", "x = f(a, k=3)", "print(a + b)", "y = x[1:3] + 1", "a == b + 1"])
def test_programs_have_no_reading(code):
    assert code_readings(code) is None


def test_division_inside_rounding_and_between_numbers_is_exact():
    assert len(code_readings("o = ceil((i - k) / s) + 1")) == 1
    assert len(code_readings("26 / 2 = 13")) == 1
    assert len(code_readings("o = (i - k) / s + 1")) == 2
    assert len(code_readings("o = (i - k) / s + 1", "floor")) == 1


def test_bad_division_convention_is_refused():
    with pytest.raises(ValueError, match="division must be"):
        code_readings("a = b / c", "truncate")


@pytest.mark.parametrize("text, want", [
    ("If the formula yields decimals, the number will be rounded down (just get rid of the decimal part).", "floor"),
    ("The sizes use integer division.", "floor"),
    ("Results are rounded up.", None),
    ("rounded down here but rounded up there", None),
    ("No word about it.", None),
])
def test_division_convention(text, want):
    assert division_convention(text) == want


# --------------------------------------------------------------------------- where code lives, per format
def _code_spans(text: str, fmt: str):
    return [(s.line, s.source, s.tex, s.readings) for s in extract_spans(text, fmt) if s.origin == "code"]


def test_markdown_code_of_any_backquote_count():
    text = "The equation:\n```output_dim = (Width - Filter + 2*Padding) / Stride + 1```.\nand ``o = a * b + 1``\n"
    spans = _code_spans(text, "markdown")
    assert [(line, src) for line, src, _, _ in spans] == [
        (2, "output_dim = (Width - Filter + 2*Padding) / Stride + 1"), (3, "o = a * b + 1")]
    assert spans[0][3] and r"\lfloor" in spans[0][3][0]


def test_rst_inline_literals():
    spans = _code_spans("The size is ``o = (i - k) // s + 1`` here and ``x`` there.\n", "rst")
    assert spans == [(1, "o = (i - k) // s + 1", r"o = \lfloor (i - k) / s \rfloor + 1", ())]


def test_html_code_elements():
    text = "<p>We have <code>o = (i - k) // s + 1</code> and <tt>a &lt; b</tt>.</p>\n<pre>y = a * b + 1</pre>\n"
    spans = _code_spans(text, "html")
    assert [(line, src) for line, src, _, _ in spans] == [(1, "o = (i - k) // s + 1")]


def test_latex_texttt_and_verb():
    text = "Text \\texttt{out = (h - k) // s + 1} and \\verb|y = a * b + c| and $o = 1$.\n"
    assert [src for _, src, _, _ in _code_spans(text, "latex")] == ["out = (h - k) // s + 1", "y = a * b + c"]


def test_rst_prose_formulas_outside_code_blocks():
    text = ("Sizes\n=====\n\nThe output is o = (i - k)/s + 1 for stride s.\n\n"
            ".. code-block:: python\n\n    o = (i - k) // s + 1\n\nText::\n\n    y = a + b * 2\n\n"
            ".. note::\n\n   The padding is p = (k - 1)/2 for odd k.\n")
    plain = [(s.line, s.source) for s in extract_spans(text, "rst") if s.origin == "plain"]
    assert plain == [(4, "o = (i - k)/s + 1"), (16, "p = (k - 1)/2")]


def test_html_prose_formula_with_subscripts():
    text = "<p>The field grows as r<sub>0</sub> = r<sub>1</sub> + (k - 1) here.</p>\n"
    [span] = [s for s in extract_spans(text, "html") if s.origin == "plain"]
    assert span.tex == "r_{0} = r_{1} + (k - 1)"


# --------------------------------------------------------------------------- judged: both readings or the stated one
def test_checker_leaves_a_formula_whose_readings_disagree_unrecognized():
    r = check_text("Output size: `h_o = (h_i + 2 * pad_h - kernel_h) / stride_h + 1`.\n")
    [f] = [f for f in r.findings if "h_o" in f.source]
    assert f.verdict.value == "UNRECOGNIZED" and "rounded down" in f.explanation


def test_checker_uses_the_rounding_the_document_states():
    text = ("The output size is `out = (W - F + 2*P) / S + 1` for width W, filter F, padding P, stride S.\n\n"
            "If the formula yields a result with decimals, the number will be rounded down.\n")
    [f] = [f for f in check_text(text).findings if "out" in f.source]
    assert f.verdict.value == "CORRECT"


def test_checker_keeps_a_verdict_both_readings_share():
    # "/ (S + 1)" is wrong whether the division is exact or rounded down
    text = "The output size is `out = (W - F + 2*P) / (S + 1)` for width W, filter F, padding P, stride S.\n"
    [f] = [f for f in check_text(text).findings if "out" in f.source]
    assert f.verdict.value == "INCORRECT"


# --------------------------------------------------------------------------- displays, ties, scripts, cuts
def test_display_is_reported_at_its_math_line():
    text = "Text\n\n$$\no = (i - k)/s + 1\n$$\n\n\\begin{equation}\n\\label{eq:a}\nr = 1 + (k - 1)\n\\end{equation}\n"
    spans = [(s.line, s.source) for s in extract_spans(text, "markdown")]
    assert spans == [(4, "o = (i - k)/s + 1"), (9, "r = 1 + (k - 1)")]


def test_tied_words_are_one_name():
    side = parse_math(r"\left( filter~height~*~filter~width + 1 \right) * number~of~filters").sides[0]
    names = {s.name for s in side.free_symbols}
    assert names == {"filter_height", "filter_width", "number_of_filters"}


def test_empty_scripts_and_bound_variable_lists():
    pm = parse_math(r"\mu(c) = \frac{1}{NHW} \sum\limits_{nhw} \src(n, c, h, w)_{}")
    assert len(pm.sides) == 2
    pm = parse_math(r"\dst(n, c, oh, ow) = \max\limits_{kh, kw} \left( \src(n, c, oh + kh, ow + kw) \right)")
    assert {"kh", "kw"} <= {s.name for s in pm.sides[1].free_symbols} | {str(v) for v in pm.sides[1].atoms(sp.Symbol)}


def test_left_side_starting_inside_a_prose_bracket_is_not_a_formula():
    from proofs.document.plain import find_plain_formulas

    line = "(28 pixels - 3 of the kernel / by the stride, by default 1, and then + 1) = 26"
    assert find_plain_formulas(line) == []
    line = "y = x) + 1 = 2"
    assert [line[a:b] for a, b in find_plain_formulas(line)] == ["y = x"]


def test_random_text_in_back_quotes_never_raises():
    rnd = random.Random(3)
    alphabet = "ab_x1 2+-*/()[]=.,'\"#"
    for _ in range(300):
        code = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        readings = code_readings(code)
        assert readings is None or all(isinstance(t, str) for t in readings)


def test_formulas_in_code_blocks_are_read_as_code():
    text = ("  The pads are computed as:\n\n    total = s * (i - 1) + k - o\n    start = total / 2\n\n"
            "  Prose o = (i - k)/s + 1 stays mathematics.\n\n```\nend = total // 2\n```\n")
    spans = {s.line: s for s in extract_spans(text, "markdown") if s.origin == "plain"}
    assert spans[3].tex == r"\mathrm{total} = s \cdot (i - 1) + k - o" and spans[3].readings == ()
    assert spans[4].tex == r"\mathrm{start} = \mathrm{total} / 2"
    assert spans[4].readings == (r"\mathrm{start} = \lfloor \mathrm{total} / 2 \rfloor",)
    assert spans[6].tex == "o = (i - k)/s + 1" and spans[6].readings == ()
    assert spans[9].tex == r"\mathrm{end} = \lfloor \mathrm{total} / 2 \rfloor"


def test_list_continuations_are_not_code_blocks():
    from proofs.document.extract import indented_code

    assert indented_code("- item one\n\n    still the item: o = i + 1\n") == []
    assert indented_code("Text\n\n    code = 1\n") == [(6, 19)]


@pytest.mark.parametrize("line, want", [
    ("The output is output = (input - kernel + 2 * padding) / stride + 1 for each axis.",
     ["output = (input - kernel + 2 * padding) / stride + 1"]),
    ("so out_size = (in_size - kernel_size + 2 * pad) / stride + 1 here",
     ["out_size = (in_size - kernel_size + 2 * pad) / stride + 1"]),
    ("params = (kernel * kernel * channels + 1) * filters.", ["params = (kernel * kernel * channels + 1) * filters"]),
    # prose stays prose: a parenthetical of words, a dash, words that are no operands
    ("Parameters = k × k × C_in × C_out + C_out (weights + biases)", ["Parameters = k × k × C_in × C_out + C_out"]),
    ("x = (see the figure - above)", []),
    ("the cost = 5 * people and more", []),
])
def test_words_as_operands_of_prose_formulas(line, want):
    from proofs.document.plain import find_plain_formulas

    assert [line[a:b] for a, b in find_plain_formulas(line)] == want


@pytest.mark.parametrize("line, want", [
    ("Output size = (Input size - Filter size + 2 * Padding) / Stride + 1",
     ["Output size = (Input size - Filter size + 2 * Padding) / Stride + 1"]),
    ("y = (a big dog - a cat)", []),
    # the operand of '*' is a prose bracket: no formula, rather than the cut "z = 2"
    ("z = 2 * (the first layer + the second)", []),
    ("y = 2x (twice - as much)", ["y = 2x"]),
])
def test_names_of_several_words_and_cut_operands(line, want):
    from proofs.document.plain import find_plain_formulas

    assert [line[a:b] for a, b in find_plain_formulas(line)] == want
