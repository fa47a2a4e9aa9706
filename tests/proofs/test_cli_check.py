"""The ``convproof check`` verb: formats, output file, exit status, several files, baseline, errors."""

import json
import subprocess
import sys

import pytest

from proofs.cli.main import main
from tests.helpers import DATA, REPO

DOCS = DATA / "docs"


def test_exit_status_and_json(capsys):
    assert main(["check", str(DOCS / "notes.tex"), "--format", "json"]) == 1  # a planted mistake
    data = json.loads(capsys.readouterr().out)
    assert data["document"].endswith("notes.tex")
    assert {f["verdict"] for f in data["findings"]} >= {"CORRECT", "INCORRECT"}


def test_clean_document_exits_zero_and_strict_fails_on_conditional(tmp_path, capsys):
    doc = tmp_path / "ok.md"
    doc.write_text("Output, with padding P on each side, stride S, kernel size k: $H_{out} = (H + 2P - k)/S + 1$.\n")
    assert main(["check", str(doc)]) == 0
    assert main(["check", str(doc), "--strict"]) == 1
    out = capsys.readouterr().out
    assert "CONDITIONAL" in out


@pytest.mark.parametrize("fmt, marker", [("md", "# convproof check"), ("tex", r"\documentclass"),
                                         ("html", "<!DOCTYPE html>"), ("text", "notes.rst")])
def test_output_file(tmp_path, fmt, marker):
    out = tmp_path / f"report.{fmt}"
    assert main(["check", str(DOCS / "notes.rst"), "--format", fmt, "-o", str(out)]) == 1
    assert marker in out.read_text(encoding="utf-8")


def test_several_files_give_a_json_list(capsys):
    status = main(["check", str(DOCS / "notes.rst"), str(DOCS / "notes.html"), "--format", "json", "--jobs", "1"])
    data = json.loads(capsys.readouterr().out)
    assert status == 1 and isinstance(data, list) and len(data) == 2


def test_baseline_accepts_known_findings(tmp_path, capsys):
    base = tmp_path / "base.json"
    # writing a baseline accepts the findings: exit 0, though the document has mistakes
    assert main(["check", str(DOCS / "notes.rst"), "--write-baseline", str(base), "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["check", str(DOCS / "notes.rst"), "--format", "json"]) == 1
    capsys.readouterr()
    assert main(["check", str(DOCS / "notes.rst"), "--baseline", str(base), "--format", "json"]) == 0


@pytest.mark.parametrize("make, message", [
    pytest.param(lambda p: p / "missing.md", "no such file", id="missing"),
    pytest.param(lambda p: (p / "bin.md").write_bytes(b"\x00\xff\x00") and p / "bin.md", "", id="binary"),
    pytest.param(lambda p: (p / "e.md").write_text("") is not None and p / "e.md", "", id="empty"),
])
def test_unreadable_files_exit_2(tmp_path, capsys, make, message):
    path = make(tmp_path)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "convproof check: error:" in err and message in err


def test_bad_jobs(capsys):
    assert main(["check", str(DOCS / "notes.rst"), "--jobs", "0"]) == 2


def test_console_script_runs():
    run = subprocess.run([sys.executable, "-m", "proofs", "check", str(REPO / "examples" / "notes.md"),
                          "--format", "json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    verdicts = [f["verdict"] for f in json.loads(run.stdout)["findings"]]
    assert "INCORRECT" in verdicts and "CORRECT" in verdicts


def test_the_summary_counts_the_same_unjudged_findings_with_and_without_verbose(capsys):
    import re

    notes = str(REPO / "examples" / "notes.md")
    counts = {}
    for flags in ([], ["--verbose"]):
        assert main(["check", notes, "--format", "md", *flags]) == 1
        md = capsys.readouterr().out
        counts[bool(flags)] = int(re.search(r"\*\*UNRECOGNIZED\*\* (\d+)", md).group(1))
        listed = md.count("UNRECOGNIZED |")
        assert listed == (counts[True] if flags else 0)
    assert main(["check", notes, "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert counts[False] == counts[True] == sum(f["verdict"] == "UNRECOGNIZED" for f in findings) > 1
