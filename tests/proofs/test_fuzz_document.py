"""Hostile and random input: parse_math only ever raises MathParseError, nothing runs, time is bounded."""

from __future__ import annotations

import builtins
import time

import pytest
from sympy.parsing import sympy_parser
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.document import MathParseError, parse_math, read_document, read_text
from proofs.document.extract import extract_spans

MATH_ALPHABET = list("abcxyzHWKPSkps0123456789+-*/^_{}()[]|=<>,.!%' ") + [
    "\\frac", "\\sum", "\\prod", "\\lfloor", "\\rfloor", "\\lceil", "\\rceil", "\\left", "\\right", "\\cdot",
    "\\times", "\\text{in}", "\\partial", "\\sqrt", "\\begin{cases}", "\\end{cases}", "&", "\\\\", "\\mathbb{R}",
    "⌊", "⌋", "∑", "∏", "·", "×", "−", "≤", "≈", "∈", "ℓ", "δ", "σ", "²", "₁", "∂", "√", "$", "\\(", "\\)",
]
math_text = st.lists(st.sampled_from(MATH_ALPHABET), max_size=40).map("".join)

HOSTILE = [
    "__import__('os').system('touch /tmp/pwned')",
    "$__import__('os').system('ls')$",
    "exec('print(1)')",
    "lambda: 0",
    "{" * 5000 + "x" + "}" * 5000,
    "(" * 39 + "x" + ")" * 39,
    "10^{10^{10}}",
    "2^{2^{2^{2^{2^{2}}}}}",
    "9^{9^{9}}",
    "10^{-10^{10}}",
    "x^{" * 30 + "2" + "}" * 30,
    "1" * 3000,
    "9" * 500,
    "1000000!",
    "\x00",
    "\\frac{1}{0}",
    "\\lfloor \\frac{1}{0} \\rfloor",
    "0^{-1}",
    "\\begin{cases} 1 & \\end{cases}",
    "\\sum_{i=0}^{10^{100}} i",
    "a_{" * 200,
    "\\" * 100,
    "$$" * 100,
    "x_" * 600 + "1",
    "2^" * 600 + "2",
    "⌊" * 300 + "x" + "⌋" * 300,
    "1" + "+1" * 999,
    "\\sqrt" * 200 + " x",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_formulas_are_bounded(text, tmp_path, monkeypatch):
    calls = []
    real_eval, real_exec = builtins.eval, builtins.exec

    def spy(real):
        def wrapper(source, *args, **kwargs):
            if isinstance(source, str):  # code given as text: what document text must never become
                calls.append(source)
            return real(source, *args, **kwargs)
        return wrapper

    def no_parse_expr(*args, **kwargs):
        calls.append(args)
        raise AssertionError("parse_expr called")

    monkeypatch.setattr(builtins, "eval", spy(real_eval))
    monkeypatch.setattr(builtins, "exec", spy(real_exec))
    monkeypatch.setattr(sympy_parser, "parse_expr", no_parse_expr)
    start = time.monotonic()
    try:
        parse_math(text)
    except MathParseError as err:
        assert err.reason.split(":")[0] in ("unsupported", "bound exceeded", "syntax", "internal")
    assert time.monotonic() - start < 3.0
    assert calls == []
    assert not (tmp_path / "pwned").exists()


@given(math_text)
@settings(deadline=None)
def test_parse_math_raises_only_math_parse_error(text):
    start = time.monotonic()
    try:
        pm = parse_math(text)
    except MathParseError as err:
        assert err.reason
    else:
        assert len(pm.sides) == len(pm.relations) + 1
    assert time.monotonic() - start < 3.0


@given(st.text(max_size=200))
@settings(deadline=None)
def test_parse_math_on_any_text(text):
    try:
        parse_math(text)
    except MathParseError:
        pass


DOC_ALPHABET = MATH_ALPHABET + ["\n", "\n\n", "# ", "```", "`", "<p>", "</p>", "&amp;", ":math:`", "`",
                                ".. math::\n\n   ", "\\begin{align}", "\\end{align}", "\\section{A}", "$$", "words "]


@given(st.lists(st.sampled_from(DOC_ALPHABET), min_size=1, max_size=60).map("".join),
       st.sampled_from(["markdown", "latex", "rst", "html", "text"]))
@settings(deadline=None)
def test_read_document_on_random_text(text, fmt):
    if not text.strip() or "\x00" in text:
        return
    doc = read_text(text, fmt=fmt)  # random text is text, even when it reads like a path ("/a")
    for span in doc.spans:
        assert 1 <= span.line <= span.end_line <= len(doc.lines)
        assert doc.lines[span.line - 1][span.col - 1:].startswith(span.source.split("\n")[0])
        try:
            parse_math(span.tex)
        except MathParseError:
            pass


@given(st.text(max_size=300), st.sampled_from(["markdown", "latex", "rst", "html", "text"]))
@settings(deadline=None)
def test_extract_on_any_text(text, fmt):
    for span in extract_spans(text, fmt):
        assert span.line >= 1 and span.source


def test_hostile_document(tmp_path):
    text = "# T\n\n$__import__('os').system('touch pwned')$\n\n$$" + "{" * 3000 + "$$\n"
    p = tmp_path / "evil.md"
    p.write_text(text, encoding="utf-8")
    start = time.monotonic()
    doc = read_document(p)
    for span in doc.spans:
        with pytest.raises(MathParseError):
            parse_math(span.tex)
    assert time.monotonic() - start < 5.0
    assert not (tmp_path / "pwned").exists()
