"""`-o PATH` writes what the user named, the way that suits it: a regular file through a temporary and a
rename, a symlink's target, a FIFO or a device in place, `-` to standard output; a directory is refused."""

import os
import stat
import threading

import pytest

from proofs.cli.main import main
from proofs.cli.output import write_output

DERIVE = ["derive", "dense.grad_input", "--format", "md", "--force", "-o"]


def test_regular_file_is_replaced_and_keeps_its_mode(tmp_path):
    target = tmp_path / "r.md"
    target.write_text("old")
    os.chmod(target, 0o640)
    assert main(DERIVE + [str(target)]) == 0
    assert target.read_text().startswith("### Gradient of a dense layer")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]  # no temporary left behind


def test_symlink_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert main(DERIVE + [str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("### Gradient of a dense layer")


def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    write_output(link, "{}\n")
    assert link.is_symlink() and (tmp_path / "new.json").read_text() == "{}\n"


def test_check_report_to_a_fifo(tmp_path):
    from pathlib import Path

    doc = tmp_path / "n.md"
    doc.write_text("Worked example: $64 \\times 64 \\times 3 \\times 3 = 36,864$.\n")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(Path(fifo).read_text()))
    reader.start()
    try:
        assert main(["check", str(doc), "--format", "json", "-o", str(fifo)]) == 0
    finally:
        reader.join(timeout=60)
    assert '"verdict": "CORRECT"' in got[0] and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_dev_null_is_written_not_replaced():
    before = os.stat("/dev/null")
    assert stat.S_ISCHR(before.st_mode)
    assert main(DERIVE + ["/dev/null"]) == 0  # exists, yet no --force needed: it is not a regular file
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_dash_is_standard_output(capsys):
    assert main(["derive", "dense.grad_input", "--format", "md", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("### Gradient of a dense layer")


def test_a_directory_is_refused_by_name(tmp_path, capsys):
    assert main(DERIVE + [str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path}: is a directory" in err and ".tmp" not in err
    assert list(tmp_path.iterdir()) == []


def test_existing_file_without_force(tmp_path):
    target = tmp_path / "keep.md"
    target.write_text("mine")
    with pytest.raises(FileExistsError, match="pass --force"):
        write_output(target, "x", force=False)
    assert target.read_text() == "mine"
