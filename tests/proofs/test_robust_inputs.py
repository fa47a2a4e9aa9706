"""A checker a service can run on untrusted input: text never read as a path, files read safely, one way to
count lines, deep nesting, encodings, budgets, and the exit codes of ``convproof check``."""

import json
import os
import stat
import sys
import time

import pytest

import proofs
from proofs import Budget, check_document, check_file, check_text
from proofs.cli.main import main
from proofs.document import read_document, read_text
from proofs.findings import Finding, Report

BRACKETS = ["(", "[", "{", "⌊", "⌈", "\\left(", "\\{", "\\lfloor "]
FORMATS = ["markdown", "latex", "rst", "html", "text"]
WRONG = "Worked example: $64 \\times 64 \\times 3 \\times 3 = 36,000$.\n"  # 36,864: a mistake the checker finds


# --------------------------------------------------------------------------- nesting (issue 10)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("bracket", BRACKETS)
def test_a_relation_then_thousands_of_unmatched_brackets_is_judged_not_a_crash(bracket, fmt):
    for text in (f"x=1{bracket * 3000}\n", f"Then $x = 1{bracket * 3000}$ and x = 1 {bracket * 3000}\n",
                 f"x = {bracket * 3000}1\n" * 3):
        t0 = time.perf_counter()
        report = check_text(text, format=fmt, budget=Budget(seconds=10))
        assert time.perf_counter() - t0 < 30
        assert all(1 <= f.line <= 3 for f in report.findings)


@pytest.mark.parametrize("pair", ["()", "[]", "{}", "⌊⌋", "⌈⌉"])
def test_deep_balanced_nesting_is_refused_with_a_reason(pair):
    depth = 5000
    report = check_text(f"Deep: $x = {pair[0] * depth}1{pair[1] * depth}$\n", verbose=True)
    [f] = [f for f in report.findings if f.kind == "formula"]
    assert f.verdict.value == "UNRECOGNIZED" and f.explanation


# --------------------------------------------------------------------------- lines (issue 10)
BREAKS = ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("brk", BREAKS, ids=[f"U+{ord(b):04X}" for b in BREAKS])
def test_lines_are_counted_the_same_way_by_every_part(brk):
    text = (f"# Notes{brk}more\n\nA page{brk}break{brk}here.\n{brk}\n"
            f"An FC layer gives global invariance.\n\nWorked example: $1 + 1 = 3$.{brk}\nx = 2 + 2 = 5\n")
    lines = text.split("\n")
    report = check_text(text)
    found = {(f.kind, f.line) for f in report.findings if f.verdict.value == "INCORRECT"}
    assert found == {("claim", 5), ("example", 7), ("example", 8)}, report.findings
    assert all(f.line <= len(lines) for f in report.findings)
    doc = read_text(text)
    assert doc.lines == lines[:len(doc.lines)] or len(doc.lines) == len(lines)
    assert brk not in doc.text


def test_crlf_and_cr_line_ends_count_as_one_line_each():
    for nl in ("\r\n", "\r"):
        report = check_text(f"a{nl}b{nl}{nl}Worked example: $1 + 1 = 3$.{nl}")
        assert [f.line for f in report.findings if f.verdict.value == "INCORRECT"] == [4]


# --------------------------------------------------------------------------- text and paths (issue 16)
@pytest.mark.parametrize("text", ["/etc/passwd", "/proc/self/mem", "~nosuchuser/x.md", "notes.md", "/dev/zero",
                                  "../../etc/shadow"])
def test_check_text_never_opens_a_file(text):
    report = check_text(text)
    assert report.document == "<text>" and report.findings == []


def test_check_document_reads_text_with_a_line_break_as_text():
    report = check_document("/etc/passwd\n" + WRONG)
    assert report.document == "<text>"
    assert [f.verdict.value for f in report.findings if f.kind == "example"] == ["INCORRECT"]


@pytest.mark.parametrize("path, message", [("/proc/self/mem", "cannot be read"),
                                           ("~nosuchuser/x.md", "cannot expand"),
                                           ("/dev/zero", "is a device"),
                                           ("/no/such/file.md", "no such file")])
def test_bad_paths_raise_value_error_naming_the_path(path, message):
    with pytest.raises(ValueError, match=message):
        check_document(path)
    with pytest.raises(ValueError, match=message):
        check_file(path)


def test_check_file_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match="FIFO"):
        check_file(fifo)
    assert time.perf_counter() - t0 < 5


def test_check_file_and_check_text_agree(tmp_path):
    p = tmp_path / "n.md"
    p.write_text(WRONG, encoding="utf-8")
    a, b = check_file(p), check_text(WRONG)
    assert a.document == str(p) and b.document == "<text>"
    assert [(f.line, f.verdict) for f in a.findings] == [(f.line, f.verdict) for f in b.findings]


def test_public_names():
    for name in ("check_text", "check_file", "check_document", "Budget"):
        assert name in proofs.__all__
    from proofs import document
    assert {"read_text", "read_file"} <= set(document.__all__)


@pytest.mark.parametrize("bad", [None, 3, b"x = 1"])
def test_check_text_wants_str(bad):
    with pytest.raises(TypeError, match="str"):
        check_text(bad)


# --------------------------------------------------------------------------- encodings (issue 16)
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_files_with_a_byte_order_mark_are_read(tmp_path, encoding):
    p = tmp_path / "n.md"
    data = WRONG.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(encoding) + data
    p.write_bytes(data)
    assert [f.verdict.value for f in check_file(p).findings if f.kind == "example"] == ["INCORRECT"]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"  \n\n", b"\xef\xbb\xbf \n"])
def test_empty_and_bom_only_files_are_the_same_error(tmp_path, content):
    p = tmp_path / "e.md"
    p.write_bytes(content)
    with pytest.raises(ValueError, match="is empty"):
        check_file(p)


@pytest.mark.parametrize("text", ["", "\ufeff", " \n", "\ufeff\n\n"])
def test_empty_and_bom_only_texts_are_the_same_error(text):
    with pytest.raises(ValueError, match="<text> is empty"):
        check_text(text)


def test_lone_surrogates_do_not_break_any_report(tmp_path, capsys):
    text = "Worked example: $1 + 1 = 3$ \udc80 and \ud800.\n"
    report = check_text(text)
    encoded = report.to_json().encode("utf-8")
    assert b"\xef\xbf\xbd" in encoded or "\udc80" not in report.to_json()
    from proofs.report import FORMATS as RENDERERS, render

    for fmt in RENDERERS:
        render([report], fmt, verbose=True).encode("utf-8")
    hand_made = Report("x\udcff.md", [Finding(1, "a = \udc80", "formula", "UNRECOGNIZED")])
    hand_made.to_json().encode("utf-8")
    json.loads(hand_made.to_json())


# --------------------------------------------------------------------------- budget (issue 16)
def _many_formulas(n: int) -> str:
    return "".join(f"Row {i}: ${i} + {i} = {2 * i + (i % 7 == 0)}$ and $\\lfloor {i}/2 \\rfloor = {i // 2}$.\n"
                   for i in range(n))


def test_work_budget_judges_that_many_and_reports_the_rest():
    report = check_text(_many_formulas(30), budget=Budget(seconds=None, statements=10))
    cov = report.coverage
    assert cov["budget_exhausted"] and cov["formulas_judged"] == 10 and cov["formulas"] == 60
    exhausted = [f for f in report.findings if f.explanation.startswith("budget exhausted")]
    assert len([f for f in exhausted if f.kind == "formula"]) == 50
    assert cov["formulas_unjudged_from_line"] == 6 and cov["claims_unjudged_from_line"] == 1
    assert cov["first_unjudged_line"] == 1  # formulas first, then claims: no claim was judged
    assert all(f.line >= 6 for f in exhausted if f.kind == "formula")
    assert json.loads(report.to_json())["coverage"]["formulas_judged"] == 10


def test_time_budget_bounds_the_document():
    budget = 1.0
    t0 = time.perf_counter()
    report = check_text(_many_formulas(400), budget=budget)
    elapsed = time.perf_counter() - t0
    # one statement in flight may finish after the budget (each is bounded on its own), reading is extra
    assert elapsed < budget + 6, elapsed
    assert report.coverage is not None and report.coverage["formulas_judged"] < 800
    assert "time budget of 1 s" in report.coverage["reason"]


def test_no_budget_judges_everything():
    report = check_text(_many_formulas(5), budget=None)
    assert report.coverage is None and not any("budget" in f.explanation for f in report.findings)
    assert "coverage" not in report.to_dict()


@pytest.mark.parametrize("bad, error", [(Budget, None), (-1, ValueError), (0, ValueError), (float("nan"), ValueError),
                                        ("5", TypeError)])
def test_bad_budgets(bad, error):
    if error is None:
        assert Budget.of(Budget()).seconds == 60.0
        return
    with pytest.raises(error, match="budget|Budget"):
        check_text("x = 1\n", budget=bad)
    with pytest.raises(ValueError, match="statements"):
        Budget(statements=0)


# --------------------------------------------------------------------------- exit codes (issue 16)
def test_exit_codes_clean_findings(tmp_path, capsys):
    ok, bad = tmp_path / "ok.md", tmp_path / "bad.md"
    ok.write_text("Nothing to judge here.\n")
    bad.write_text(WRONG)
    assert main(["check", str(ok)]) == 0
    assert main(["check", str(bad)]) == 1


def _course_with_unreadable_files(tmp_path):
    d = tmp_path / "course"
    d.mkdir()
    (d / "bad.md").write_text(WRONG)
    (d / "empty.md").write_text("")
    (d / "bom.md").write_bytes(b"\xef\xbb\xbf")
    (d / "binary.md").write_bytes(b"\x00\x01\x02")
    (d / "utf16.md").write_bytes(WRONG.encode("utf-16"))
    os.mkfifo(d / "pipe.md")
    (d / "zero.md").symlink_to("/dev/zero")
    return d


def test_unreadable_files_in_a_directory_are_named_and_exit_2(tmp_path, capsys):
    d = _course_with_unreadable_files(tmp_path)
    t0 = time.perf_counter()
    status = main(["check", str(d), "--format", "json", "--jobs", "1"])
    assert time.perf_counter() - t0 < 60
    captured = capsys.readouterr()
    assert status == 2
    for name in ("empty.md", "bom.md", "binary.md", "pipe.md", "zero.md"):
        assert f"{name}" in captured.err and "cannot read" in captured.err
    assert "bad.md" not in captured.err and "utf16.md" not in captured.err
    data = json.loads(captured.out)
    verdicts = {os.path.basename(r["document"]): {f["verdict"] for f in r["findings"]} for r in data}
    assert "INCORRECT" in verdicts["bad.md"] and "INCORRECT" in verdicts["utf16.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their permissions")
def test_a_walk_skips_and_reports_unlistable_folders(tmp_path, capsys):
    d = tmp_path / "course"
    (d / "locked").mkdir(parents=True)
    (d / "locked" / "x.md").write_text(WRONG)
    (d / "z.md").write_text(WRONG)
    os.chmod(d / "locked", 0)
    try:
        status = main(["check", str(d), "--format", "json", "--jobs", "1"])
    finally:
        os.chmod(d / "locked", stat.S_IRWXU)
    captured = capsys.readouterr()
    assert status == 2 and "locked" in captured.err and "z.md" in captured.out


def test_a_walk_goes_on_after_unlistable_entries(tmp_path):
    from proofs.course import walk_paths

    d = tmp_path / "c"
    (d / "a").mkdir(parents=True)
    (d / "a" / "x.md").write_text("x")
    (d / "loop").symlink_to(d)  # a symlinked folder is not followed: no loop
    files, problems = walk_paths([d])
    assert [f.name for f in files] == ["x.md"] and problems == []


def test_internal_error_exits_2_not_1(tmp_path, capsys, monkeypatch):
    p = tmp_path / "n.md"
    p.write_text(WRONG)

    def boom(*args, **kwargs):
        raise RecursionError("deep")

    monkeypatch.setattr("proofs.checker.check_file", boom)
    assert main(["check", str(p)]) == 2
    assert "internal error" in capsys.readouterr().err


def test_budget_options(tmp_path, capsys):
    p = tmp_path / "n.md"
    p.write_text(_many_formulas(6))
    assert main(["check", str(p), "--max-statements", "2", "--format", "json"]) in (0, 1)
    captured = capsys.readouterr()
    assert "budget exhausted" in captured.err and "2 of 12 formulas" in captured.err
    assert json.loads(captured.out)["coverage"]["formulas_judged"] == 2
    assert main(["check", str(p), "--budget", "0", "--max-statements", "0", "--format", "json"]) in (0, 1)
    assert "budget" not in capsys.readouterr().err
    assert main(["check", str(p), "--budget", "-1"]) == 2
    assert "--budget" in capsys.readouterr().err


def test_read_document_keeps_one_line_paths(tmp_path):
    p = tmp_path / "n.md"
    p.write_text(WRONG)
    assert read_document(str(p)).path == str(p)
    assert read_document(f"see {p.name} for more").path is None


if sys.platform != "linux":  # pragma: no cover
    pytestmark = pytest.mark.skip(reason="FIFOs, /dev/zero and /proc are Linux features")
