"""check_document over the seed copies and the development corpus: completes quickly, formula lines get findings.

Generic assertions only — no per-document expected verdicts.
"""

import time

import pytest

from proofs import check_document
from proofs.document import read_document
from proofs.findings import Verdict
from tests.helpers import CORPUS, SEEDS, requires_corpus

SEED_FILES = sorted(SEEDS.glob("*.txt"))
CORPUS_FILES = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []


def _check_generic(path, budget):
    start = time.monotonic()
    r = check_document(path, verbose=True)
    elapsed = time.monotonic() - start
    assert elapsed < budget, f"{path.name} took {elapsed:.1f} s"
    doc = read_document(path)
    span_lines = {s.line for s in doc.spans}
    finding_lines = {f.line for f in r.findings}
    # every line holding math gets at least one finding (verbose keeps notation too)
    assert span_lines <= finding_lines | {s.line for s in doc.spans if not s.tex.strip()}
    for f in r.findings:
        assert f.explanation
        if f.verdict is Verdict.INCORRECT:
            assert f.counterexample is not None, f"INCORRECT without a counterexample: {f.source!r}"
        if f.verdict is Verdict.CONDITIONAL:
            assert f.condition
    return r


def test_seed_copies_present():
    assert len(SEED_FILES) == 5


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_seeds(path):
    r = _check_generic(path, budget=30.0)
    assert any(f.verdict is not Verdict.UNRECOGNIZED for f in r.findings)


@requires_corpus
@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_corpus(path, monkeypatch):
    import proofs.claims

    # the claims in words are checked (and timed) in their own tests; here the formulas are judged
    monkeypatch.setattr(proofs.claims, "check_claims", lambda text, verbose=False: [])
    _check_generic(path, budget=20.0)
