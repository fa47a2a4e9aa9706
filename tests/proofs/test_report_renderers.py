"""Report renderers: golden pieces, every format on a list of reports, LaTeX compiles."""

import json
import subprocess

import pytest

from proofs.findings import Finding, Report, Verdict
from proofs.report import FORMATS, escape_text, render
from tests.helpers import requires_pdflatex

WRONG = Finding(line=12, source="H_out = ⌊(H + P − k)/S⌋ + 1", kind="formula", verdict=Verdict.INCORRECT,
                quantity="output_size", counterexample={"values": {"H": 1, "k": 1, "S": 1, "P": 1}, "document": 2,
                                                        "expected": 3},
                expected="⌊(H + 2·P − k)/S⌋ + 1", expected_latex=r"\left\lfloor{\frac{H + 2 P - k}{S}}\right\rfloor + 1",
                explanation="output size: at H=1, k=1, S=1, P=1 the document gives 2 but the true value is 3")
COND = Finding(line=20, source="W_2 = (W_1 − F + 2P)/S + 1", kind="formula", verdict=Verdict.CONDITIONAL,
               quantity="output_size", condition="S divides (W_1 + 2·P − F)", explanation="equal exactly where …")
RIGHT = Finding(line=3, source="64 × 64 = 4,096 & 50% of [x]", kind="example", verdict=Verdict.CORRECT,
                quantity="arithmetic", explanation="1 numeric step(s) checked exactly")
NOTE = Finding(line=5, source="$K$", kind="formula", verdict=Verdict.UNRECOGNIZED, explanation="notation")
REPORTS = [Report("notes.md", [RIGHT, NOTE, WRONG, COND]), Report("other.md", [])]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_renders_both_documents(fmt):
    out = render(REPORTS, fmt)
    assert "notes.md" in out and "other.md" in out
    if fmt != "json":
        assert "INCORRECT" in out and "CONDITIONAL" in out


def test_json_shape_single_and_many():
    one = json.loads(render(REPORTS[:1], "json"))
    assert one["document"] == "notes.md"
    assert [f["verdict"] for f in one["findings"]] == ["CORRECT", "UNRECOGNIZED", "INCORRECT", "CONDITIONAL"]
    assert one["findings"][2]["counterexample"] == {"values": {"H": 1, "k": 1, "S": 1, "P": 1}, "document": 2,
                                                    "expected": 3}
    many = json.loads(render(REPORTS, "json"))
    assert isinstance(many, list) and len(many) == 2


def test_text_hides_unrecognized_unless_verbose():
    assert "notation" not in render(REPORTS, "text")
    assert "notation" in render(REPORTS, "text", verbose=True)
    out = render(REPORTS, "text")
    assert "[x]" in out  # rich markup in document text is shown, not interpreted
    assert "document 2," in out and "true 3" in out


def test_markdown_puts_correct_formula_beside_wrong_one():
    md = render(REPORTS, "md")
    assert "### Line 12: incorrect" in md
    assert "$$\n" + WRONG.expected_latex + "\n$$" in md
    assert "It holds only when S divides (W_1 + 2·P − F)." in md


def test_html_escapes_document_text():
    page = render([Report("<b>x</b>.md", [RIGHT])], "html")
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;.md" in page
    assert "&amp; 50%" in page


def test_latex_escapes():
    assert escape_text("a_b & 50% ⌊x⌋ — ∂") == r"a\_b \& 50\% $\lfloor$x$\rfloor$ -- $\partial$"
    assert escape_text("日本") == "??"
    tex = render(REPORTS, "tex")
    assert r"\[ \left\lfloor{\frac{H + 2 P - k}{S}}\right\rfloor + 1 \]" in tex


def test_unknown_format():
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render(REPORTS, "pdf")


@requires_pdflatex
def test_latex_report_compiles(tmp_path):
    from proofs import check_document
    from tests.helpers import DATA

    reports = [check_document(DATA / "docs" / "unicode_plain.txt"), *REPORTS]
    tex = tmp_path / "report.tex"
    tex.write_text(render(reports, "tex", verbose=True), encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "report.pdf").stat().st_size > 1000
