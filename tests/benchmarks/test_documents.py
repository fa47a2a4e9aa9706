"""The benchmark documents: split rule, keys, evidence scripts, SOURCES.md (mechanics, fast)."""

import doctest
import hashlib
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import check_keys
import doc_keys
import make_sources
import split
from doc_keys import DOCS_ROOT, split_of

EVIDENCE = sorted(p for p in (DOCS_ROOT / "evidence").glob("*.py"))


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz-_0123456789", min_size=1, max_size=30),
       st.sampled_from([".md", ".tex", ".rst", ".html", ".ipynb", ".txt"]))
def test_split_rule_is_the_parity_of_the_sha256_of_the_name(stem, ext):
    name = stem + ext
    parity = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 2
    assert split_of(name) == ("test" if parity == 0 else "tune")


@pytest.mark.parametrize("bad", ["", "a/b.md", None])
def test_split_of_rejects_paths_and_non_names(bad):
    with pytest.raises(ValueError, match="bare file name"):
        split_of(bad)


def test_every_document_sits_where_the_rule_says():
    assert split.misplaced() == []
    assert split.main(["--check"]) == 0


def test_misplaced_files_and_missing_keys_are_reported(tmp_path):
    name = "zz-example.md"
    wrong = "tune" if split_of(name) == "test" else "test"
    (tmp_path / wrong).mkdir()
    (tmp_path / wrong / name).write_text("x = 1\n")
    problems = split.misplaced(tmp_path)
    assert any("belongs in" in p for p in problems) and any("has no key" in p for p in problems)
    moved = split.place(tmp_path / wrong / name, tmp_path)
    assert moved.parent.name == split_of(name) and moved.is_file()


def test_every_key_is_well_formed():
    assert check_keys.all_key_errors() == []


def test_a_quote_not_on_its_line_is_an_error(tmp_path):
    side = split_of("q.md")
    (tmp_path / side).mkdir()
    (tmp_path / side / "q.md").write_text("first line\nW_2 = (W_1 - F)/S + 1\n")
    (tmp_path / side / "q.md.key.toml").write_text(
        '[source]\nurl = "u"\nrepo = "a/b"\ncommit = "' + "0" * 40 + '"\npath = "q.md"\nlicence = "MIT"\n'
        'format = "markdown"\ncut = "nothing"\nconventions = "c"\n\n[[statement]]\nline = 1\nquote = "W_2"\n'
        'kind = "formula"\nquantity = "output_size"\nverdict = "CONDITIONAL"\nevidence = "e"\n')
    errs = check_keys.all_key_errors(tmp_path)
    assert any("not a substring of line 1" in e for e in errs)
    assert any("CONDITIONAL without a condition" in e for e in errs)
    assert any("no evidence script" in e for e in errs)


def test_sources_md_is_up_to_date():
    assert make_sources.main(["--check"]) == 0
    text = make_sources.render_sources()
    assert all(d.name in text for d in doc_keys.documents("all"))


@pytest.mark.parametrize("script", EVIDENCE, ids=[p.name for p in EVIDENCE])
def test_evidence_script_reproduces_its_verdicts(script):
    r = subprocess.run([sys.executable, script.name], cwd=script.parent, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]


def test_evidence_scripts_never_import_the_checker():
    for script in EVIDENCE:
        text = script.read_text()
        for pkg in ("proofs", "derive", "numeric"):
            assert f"import {pkg}" not in text and f"from {pkg}" not in text, (script.name, pkg)


@pytest.mark.parametrize("module", [doc_keys, split])
def test_doctests(module):
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0
