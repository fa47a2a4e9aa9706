"""The record of checked derivations reuses a check only for the very same derivation, never a wrong step."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from derive import check_record
from derive.derivation import Derivation, DerivationError

x = sp.Symbol("x", integer=True)


def _halves(rhs=x, why="halves") -> Derivation:
    d = Derivation("record demo", domain={"x": (-6, 6)})
    d.step(sp.floor(x / 2) + sp.ceiling(x / 2), rhs, why)
    return d


@pytest.fixture
def record_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVPROOF_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_a_held_check_is_recorded_and_replayed(record_dir):
    _halves().checked(record=True)
    assert len(list(record_dir.iterdir())) == 1
    again = _halves()
    assert check_record.replay(again, 0) and again.steps[0].status == "numeric"


def test_a_wrong_step_is_checked_not_replayed_and_not_recorded(record_dir):
    _halves().checked(record=True)
    with pytest.raises(DerivationError, match="failed"):
        _halves(rhs=x + 1).checked(record=True)
    assert len(list(record_dir.iterdir())) == 1


@pytest.mark.parametrize("change", [
    lambda d: d.domain.update(x=(-7, 7)),
    lambda d: setattr(d, "samples", 5),
    lambda d: d.constraints.append(lambda v: v["x"] > 0),
    lambda d: d.step(x, x, "one more step"),
])
def test_anything_the_check_depends_on_changes_the_key(record_dir, change):
    base = _halves()
    other = _halves()
    change(other)
    assert check_record.key(base, 0) != check_record.key(other, 0)


def test_a_corrupt_or_failing_record_is_ignored(record_dir):
    d = _halves()
    path = record_dir / f"{check_record.key(d, 0)}.json"
    path.write_text("{not json")
    assert not check_record.replay(d, 0)
    path.write_text(json.dumps([["failed", "", 0]]))
    assert not check_record.replay(d, 0)
    assert d.checked(record=True).steps[0].status == "numeric"
    assert json.loads(path.read_text()) == [["numeric", "", d.samples]]


def test_off_checks_every_time_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVPROOF_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert check_record.record_dir() is None
    _halves().checked(record=True)
    assert not check_record.replay(_halves(), 0)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_record_dir_does_not_stop_the_check(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("CONVPROOF_CACHE_DIR", str(blocker / "sub"))
    assert _halves().checked(record=True).steps[0].status == "numeric"


def test_a_changed_constraint_of_the_same_count_changes_the_key(record_dir):
    a, b, c = _halves(), _halves(), _halves()
    a.constraints.append(lambda v: v["x"] > 0)
    b.constraints.append(lambda v: v["x"] > 1)
    c.constraints.append(lambda v: v["x"] > 0)
    assert check_record.key(a, 0) != check_record.key(b, 0)
    assert check_record.key(a, 0) == check_record.key(c, 0)


def test_the_key_is_the_same_in_another_process(record_dir):
    import subprocess
    import sys

    code = ("import sympy as sp; from derive.derivation import Derivation; from derive import check_record; "
            "x = sp.Symbol('x', integer=True); d = Derivation('p', domain={'x': (-6, 6)}, "
            "constraints=[lambda v: v['x'] != 3]); d.step(sp.floor(x / 2) + sp.ceiling(x / 2), x, 'halves'); "
            "print(check_record.key(d, 0))")
    keys = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert len(keys) == 1 and len(keys.pop().strip()) == 64


def test_without_record_a_derivation_is_checked_directly_and_nothing_is_written(record_dir):
    _halves().checked(record=True)
    d = _halves()
    assert d.checked().steps[0].status == "numeric"
    assert len(list(record_dir.iterdir())) == 1
    _halves(why="another reason").checked()
    assert len(list(record_dir.iterdir())) == 1
