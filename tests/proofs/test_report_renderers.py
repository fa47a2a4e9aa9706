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


# -- hostile document text: every format quotes it, none lets it act ------------------------------------------
HOSTILE_SOURCES = [
    "x` <img src=x onerror=alert(1)> `y = 1",
    "`` `<script>alert(1)</script>` ``",
    "```\n<img src=x onerror=alert(1)>\n```",
    "[click](javascript:alert(1)) <a href='x'>a</a> | cell | break",
    r"\end{description}\end{document}\input{/etc/passwd} \\[3pt] $x$ %comment",
    "]\n[ 50% & # _ ^ ~ \x00\x07\x1b\x0c control",
]


def _hostile_reports(source):
    bad = Finding(line=7, source=source, kind="formula", verdict=Verdict.INCORRECT, quantity="output_size",
                  counterexample={"values": {"H": 1}, "document": source, "expected": 3}, expected=source,
                  explanation=f"the document writes {source}")
    cond = Finding(line=9, source=source, kind="claim", verdict=Verdict.CONDITIONAL, condition=source,
                   explanation=source)
    return [Report(f"{source}.md", [bad, cond, Finding(line=1, source=source, kind="formula",
                                                         verdict=Verdict.UNRECOGNIZED, explanation=source)])]


@pytest.mark.parametrize("source", HOSTILE_SOURCES, ids=range(len(HOSTILE_SOURCES)))
def test_markdown_report_never_lets_document_html_through(source):
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py (a dependency of rich) renders the report")
    md = render(_hostile_reports(source), "md", verbose=True)
    page = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    for tag in ("<img", "<script", "<a href", "<a href='x'"):
        assert tag not in page, (tag, md)
    assert 'href="javascript' not in page
    # the table keeps its five columns on every row: no `|` of the document splits a cell
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert rows and all(len(__import__("re").findall(r"(?<!\\)\|", r)) == 6 for r in rows), rows


@pytest.mark.parametrize("source", HOSTILE_SOURCES, ids=range(len(HOSTILE_SOURCES)))
def test_html_report_escapes_every_document_string(source):
    page = render(_hostile_reports(source), "html", verbose=True)
    body = page.split("</head>", 1)[1]
    assert "<img" not in body and "<script" not in body and "<a href" not in body


@pytest.mark.parametrize("source", HOSTILE_SOURCES, ids=range(len(HOSTILE_SOURCES)))
def test_latex_report_quotes_document_text(source):
    tex = render(_hostile_reports(source), "tex", verbose=True)
    body = tex.split(r"\begin{document}", 1)[1]
    assert body.count(r"\end{document}") == 1 and tex.rstrip().endswith(r"\end{document}")
    assert body.count(r"\end{description}") == body.count(r"\begin{description}")
    assert r"\input" not in body.replace(r"\textbackslash{}input", "")
    assert not any(ord(c) < 32 and c not in "\n\t" for c in tex)
    # after a forced line break, no bracket can be read as its optional argument
    assert __import__("re").search(r"\\\\\s*\[", body) is None


@pytest.mark.parametrize("source", HOSTILE_SOURCES, ids=range(len(HOSTILE_SOURCES)))
def test_json_report_round_trips_document_text(source):
    data = json.loads(render(_hostile_reports(source), "json"))
    assert data["document"] == f"{source}.md"
    assert [f["source"] for f in data["findings"]] == [source] * 3


@requires_pdflatex
def test_latex_report_with_hostile_text_compiles(tmp_path):
    from derive.latex_pdf import compile_pdf

    reports = [r for s in HOSTILE_SOURCES for r in _hostile_reports(s)]
    assert compile_pdf(render(reports, "tex", verbose=True)).startswith(b"%PDF")


def test_summary_counts_every_unjudged_finding_whatever_verbose():
    for fmt in ("text", "md", "tex", "html"):
        quiet, loud = render(REPORTS, fmt), render(REPORTS, fmt, verbose=True)
        assert "UNRECOGNIZED 1" in quiet.replace("**", "").replace("</span>", "").replace(
            '<span class="UNRECOGNIZED">', "")
        assert "1 not judged" in quiet and "not judged" not in loud
