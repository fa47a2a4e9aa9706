"""Whole courses: parallel checking, error entries, bounded batches, and the baseline round trip."""

import json
import os

import pytest

from proofs.course import (
    Baseline,
    check_paths,
    exit_status,
    expand_paths,
    filter_new,
    finding_key,
    load_baseline,
    write_baseline,
)
from proofs.findings import Finding, Report, Verdict


def fake_check(path, *, verbose=False):
    """Stand-in checker (module level, so worker processes can import it): one finding per line with 'WRONG'."""
    text = open(path, encoding="utf-8").read()
    findings = [Finding(line=i, source=line.strip(), kind="claim", verdict=Verdict.INCORRECT, explanation=f"pid {os.getpid()}")
                for i, line in enumerate(text.splitlines(), start=1) if "WRONG" in line]
    if verbose:
        findings.append(Finding(line=1, source="verbose", kind="claim", verdict=Verdict.UNRECOGNIZED))
    return Report(str(path), findings)


def crashing_check(path, *, verbose=False):
    raise RuntimeError("checker bug")


def claims_check(path, *, verbose=False):
    """A real check over claims only (independent of the formula checker)."""
    from proofs.claims import check_claims

    return Report(str(path), check_claims(open(path, encoding="utf-8").read(), verbose=verbose))


@pytest.fixture
def course(tmp_path):
    (tmp_path / "week1").mkdir()
    (tmp_path / "week2" / "deep").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    files = {
        "week1/a.md": "fine\nWRONG one\n",
        "week1/b.txt": "WRONG\nWRONG again\n",
        "week2/c.tex": "nothing\n",
        "week2/deep/d.rst": "ok\nok\nWRONG three\n",
        "week2/e.html": "<p>WRONG</p>\n",
        "week2/notes.py": "WRONG but not a document\n",
        ".git/f.md": "WRONG hidden\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "week2" / "binary.md").write_bytes(b"\xff\xfe\x00WRONG\x00\x81")
    return tmp_path


def test_expand_paths_sorted_recursive_documents_only(course):
    names = [p.relative_to(course).as_posix() for p in expand_paths([course])]
    assert names == ["week1/a.md", "week1/b.txt", "week2/binary.md", "week2/c.tex", "week2/deep/d.rst", "week2/e.html"]
    assert expand_paths([course / "week1" / "a.md", course / "week1"]) == [course / "week1" / "a.md", course / "week1" / "b.txt"]


@pytest.mark.parametrize("bad, error", [("missing.md", FileNotFoundError), ("single-string", TypeError)])
def test_expand_paths_errors(course, bad, error):
    with pytest.raises(error):
        expand_paths(str(course) if bad == "single-string" else [course / bad])


def test_check_paths_parallel_in_order_with_error_entry(course):
    reports = check_paths([course], jobs=2, progress=False, check=fake_check)
    names = [os.path.relpath(r.document, course) for r in reports]
    assert names == ["week1/a.md", "week1/b.txt", "week2/binary.md", "week2/c.tex", "week2/deep/d.rst", "week2/e.html"]
    counts = {n: len(r.findings) for n, r in zip(names, reports)}
    assert counts == {"week1/a.md": 1, "week1/b.txt": 2, "week2/binary.md": 1, "week2/c.tex": 0,
                      "week2/deep/d.rst": 1, "week2/e.html": 1}
    [err] = reports[2].findings
    assert err.verdict is Verdict.UNRECOGNIZED and err.quantity == "unreadable_document" and "UTF-8" in err.explanation
    assert reports[1].findings[1].line == 2
    pids = {f.explanation for r in reports for f in r.findings if f.explanation.startswith("pid")}
    assert str(os.getpid()) not in {p.split()[-1] for p in pids}  # checked in worker processes
    assert exit_status(reports) == 2  # a document could not be read: as ruff, 2 beats 1
    assert exit_status(reports[:2]) == 1


def test_check_paths_serial_equals_parallel(course):
    serial = check_paths([course], jobs=1, progress=False, check=fake_check)
    parallel = check_paths([course], jobs=2, progress=False, check=fake_check)
    strip = lambda rs: [(r.document, [(f.line, f.source, f.verdict) for f in r.findings]) for r in rs]  # noqa: E731
    assert strip(serial) == strip(parallel)


def test_check_paths_options(course):
    verbose = check_paths([course / "week2" / "c.tex"], progress=False, verbose=True, check=fake_check)
    assert [f.source for f in verbose[0].findings] == ["verbose"]
    strict = check_paths([course / "week2" / "binary.md"], progress=False, strict=True, check=fake_check)
    assert strict[0].findings[0].verdict is Verdict.INCORRECT
    crashed = check_paths([course / "week1"], jobs=2, progress=False, check=crashing_check)
    assert all("checker bug" in r.findings[0].explanation for r in crashed)
    with pytest.raises(ValueError, match="jobs"):
        check_paths([course], jobs=0, check=fake_check)


def test_check_paths_many_files_bounded_batches(tmp_path):
    for i in range(60):
        (tmp_path / f"n{i:03d}.md").write_text("WRONG\n" * (i % 3), encoding="utf-8")
    reports = check_paths([tmp_path], jobs=2, progress=False, check=fake_check)
    assert [len(r.findings) for r in reports] == [i % 3 for i in range(60)]


def test_check_paths_with_real_claims(tmp_path):
    (tmp_path / "a.md").write_text("Three 3×3 conv layers see a 9×9 region.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("Two 3×3 convs have the same receptive field as one 5×5 conv.\n", encoding="utf-8")
    reports = check_paths([tmp_path], jobs=2, progress=False, check=claims_check)
    assert [[f.verdict.value for f in r.findings] for r in reports] == [["INCORRECT"], ["CORRECT"]]


def test_finding_key_ignores_line_and_whitespace():
    a = Finding(line=3, source="RF  = 9", kind="claim", verdict=Verdict.INCORRECT)
    b = Finding(line=30, source="RF =\n9", kind="claim", verdict=Verdict.INCORRECT)
    assert finding_key("x/../notes.md", a) == finding_key("notes.md", b)
    c = Finding(line=3, source="RF = 9", kind="formula", verdict=Verdict.INCORRECT)
    assert finding_key("notes.md", a) != finding_key("notes.md", c)


def test_baseline_round_trip_and_new_mistakes(course, tmp_path):
    reports = check_paths([course], jobs=2, progress=False, check=fake_check)
    path = tmp_path / "baseline.json"
    write_baseline(reports, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["convproof_baseline"] == 1 and all("line" not in e for e in data["findings"])
    base = load_baseline(path)
    assert len(base) == sum(len(r.findings) for r in reports)
    assert exit_status(filter_new(reports, base)) == 0
    # edit the course: insert lines above an accepted mistake, add a new mistake, repeat an old one
    (course / "week1" / "a.md").write_text("new intro\n\nfine\nWRONG one\nWRONG brand new\nWRONG one\n", encoding="utf-8")
    again = check_paths([course], jobs=2, progress=False, check=fake_check)
    new = filter_new(again, base)
    fresh = [(os.path.relpath(r.document, course), f.line, f.source) for r in new for f in r.findings]
    assert fresh == [("week1/a.md", 5, "WRONG brand new"), ("week1/a.md", 6, "WRONG one")]
    assert exit_status(new) == 1


def test_baseline_keeps_correct_findings_and_rejects_bad_files(tmp_path):
    ok = Report("a.md", [Finding(line=1, source="x", kind="claim", verdict=Verdict.CORRECT)])
    assert Baseline.from_reports([ok]).keys == {}
    assert filter_new([ok], Baseline())[0].findings == ok.findings
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not a convproof baseline"):
        load_baseline(bad)
    bad.write_text('{"findings": []}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a convproof baseline"):
        load_baseline(bad)
    bad.write_text('{"convproof_baseline": 1, "findings": [{"document": "a"}]}', encoding="utf-8")
    with pytest.raises(ValueError, match="entry 0"):
        load_baseline(bad)
    with pytest.raises(FileNotFoundError):
        load_baseline(tmp_path / "missing.json")


def test_exit_status_strict():
    cond = Report("a.md", [Finding(line=1, source="x", kind="claim", verdict=Verdict.CONDITIONAL)])
    assert exit_status([cond]) == 0 and exit_status([cond], strict=True) == 1
