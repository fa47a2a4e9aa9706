"""Every writer of convproof writes to what the user named, the way that suits it: a regular file through a
temporary and a rename, a symlink's target, a FIFO or a device in place, ``-`` to standard output; a directory
is refused by name. Checked for each writer: ``derive.files.write_output`` (the one piece of code),
``derive.latex_pdf.write_pdf`` and ``proofs.course.write_baseline``."""

from __future__ import annotations

import json
import os
import stat
import threading

import pytest

from derive import latex_pdf
from derive.files import write_output
from proofs.course import write_baseline
from proofs.findings import Finding, Report

PDF = b"%PDF-1.4 not really\n"
REPORTS = [Report("a.md", [Finding(line=2, source="x = 1", kind="formula", verdict="INCORRECT")])]


def _pdf(path, monkeypatch, force=False):
    monkeypatch.setattr(latex_pdf, "compile_pdf", lambda tex, timeout=60.0: PDF)
    return latex_pdf.write_pdf("\\documentclass{article}", path, force=force)


WRITERS = {
    "write_output": (lambda path, mp: write_output(path, b"data\n", force=True), b"data\n"),
    "write_pdf": (lambda path, mp: _pdf(path, mp, force=True), PDF),
    "write_baseline": (lambda path, mp: write_baseline(REPORTS, path), None),
}


def _check_content(raw: bytes, expected):
    if expected is None:
        assert json.loads(raw)["findings"][0]["verdict"] == "INCORRECT"
    else:
        assert raw == expected


@pytest.mark.parametrize("writer", WRITERS)
def test_fifo_is_written_in_place(writer, tmp_path, monkeypatch):
    write, expected = WRITERS[writer]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    try:
        write(fifo, monkeypatch)
    finally:
        reader.join(timeout=60)
    _check_content(got[0], expected)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO: not replaced by a regular file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@pytest.mark.parametrize("writer", WRITERS)
def test_symlink_is_followed_and_stays_a_link(writer, tmp_path, monkeypatch):
    write, expected = WRITERS[writer]
    real = tmp_path / "real"
    real.write_bytes(b"old")
    os.chmod(real, 0o640)
    link = tmp_path / "link"
    link.symlink_to(real)
    write(link, monkeypatch)
    assert link.is_symlink() and os.readlink(link) == str(real)
    _check_content(real.read_bytes(), expected)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]  # no temporary left behind


@pytest.mark.parametrize("writer", WRITERS)
def test_a_directory_is_refused_by_name(writer, tmp_path, monkeypatch):
    write, _ = WRITERS[writer]
    with pytest.raises(IsADirectoryError, match=f"{tmp_path}: is a directory"):
        write(tmp_path, monkeypatch)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("writer", WRITERS)
def test_a_symlink_to_a_directory_is_refused(writer, tmp_path, monkeypatch):
    write, _ = WRITERS[writer]
    (tmp_path / "d").mkdir()
    (tmp_path / "l").symlink_to(tmp_path / "d")
    with pytest.raises(IsADirectoryError, match="is a directory"):
        write(tmp_path / "l", monkeypatch)
    assert list((tmp_path / "d").iterdir()) == []


@pytest.mark.parametrize("writer", WRITERS)
def test_dev_null_is_written_not_replaced(writer, monkeypatch):
    write, _ = WRITERS[writer]
    before = os.stat("/dev/null")
    write("/dev/null", monkeypatch)
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root could replace /dev/full's node; as a user the rename fails")
def test_dev_full_as_root_reports_no_space_and_stays_a_device(monkeypatch):
    before = os.stat("/dev/full")
    with pytest.raises(OSError, match="No space left"):
        write_output("/dev/full", b"x" * 10, force=True)
    assert os.stat("/dev/full").st_ino == before.st_ino and stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.parametrize("writer", WRITERS)
def test_dash_is_standard_output(writer, monkeypatch, capsysbinary):
    write, expected = WRITERS[writer]
    assert write("-", monkeypatch) == "-"
    _check_content(capsysbinary.readouterr().out, expected)


def test_an_existing_file_is_refused_without_force_before_pdflatex_runs(tmp_path, monkeypatch):
    target = tmp_path / "d.pdf"
    target.write_bytes(b"mine")
    calls = []
    monkeypatch.setattr(latex_pdf, "compile_pdf", lambda tex, timeout=60.0: calls.append(tex) or PDF)
    with pytest.raises(FileExistsError, match="pass --force"):
        latex_pdf.write_pdf("tex", target)
    assert calls == [] and target.read_bytes() == b"mine"
    with pytest.raises(IsADirectoryError):
        latex_pdf.write_pdf("tex", tmp_path, force=True)
    assert calls == []


def test_a_new_file_follows_the_umask_and_its_folders_are_made(tmp_path):
    old = os.umask(0o027)
    try:
        path = write_output(tmp_path / "a" / "b" / "new.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
