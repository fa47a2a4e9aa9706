"""Extraction over the seed documents and the development corpus: generic properties only.

No per-document expectations: every file is read, spans sit on the lines they
claim, lines that obviously carry a formula are covered by a span, and most
spans parse. The measured numbers are printed (run with ``-s``).
"""

from __future__ import annotations

import re

import pytest

from proofs.document import MathParseError, parse_math, read_document
from proofs.document.sections import code_fence_lines
from tests.helpers import CORPUS, SEEDS, requires_corpus

SEED_FILES = sorted(SEEDS.glob("*.txt"))
CORPUS_FILES = sorted(p for p in CORPUS.glob("*") if p.is_file() and p.name != "SOURCES.md") if CORPUS.is_dir() else []

_OBVIOUS_PLAIN = re.compile(r"[=≈].*[⌊∑∏∂Σ]|[⌊∑∏∂Σ].*[=≈]")
_OBVIOUS_DELIMITED = re.compile(r"(?<!\\)\$\$.+|\\begin\{(?:equation|align)\*?\}.*=")


def _covered(doc) -> set[int]:
    lines: set[int] = set()
    for span in doc.spans:
        lines.update(range(span.line, span.end_line + 1))
    return lines


def _obvious_formula_lines(doc) -> list[int]:
    skip = code_fence_lines(doc.lines) if doc.fmt in ("markdown", "text") else set()
    out = []
    for k, line in enumerate(doc.lines):
        if k in skip or "`" in line or line.lstrip().startswith("%"):
            continue
        if _OBVIOUS_DELIMITED.search(line) or doc.fmt in ("markdown", "text") and _OBVIOUS_PLAIN.search(line):
            out.append(k + 1)
    return out


def _check(path):
    doc = read_document(path)
    assert doc.spans, f"{path.name}: no math found"
    for span in doc.spans:
        first = span.source.split("\n")[0]
        assert doc.lines[span.line - 1][span.col - 1:].startswith(first), (path.name, span.line, first)
    covered = _covered(doc)
    missed = [n for n in _obvious_formula_lines(doc) if n not in covered]
    assert not missed, f"{path.name}: formula lines without a span: {missed[:10]}"
    parsed = 0
    for span in doc.spans:
        try:
            parse_math(span.tex)
            parsed += 1
        except MathParseError:
            pass
    rate = parsed / len(doc.spans)
    print(f"{path.name}: {len(doc.spans)} spans, {rate:.1%} parsed")
    return len(doc.spans), parsed


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_seed_extraction(path):
    n, parsed = _check(path)
    assert parsed / n >= 0.85


def test_seeds_are_present():
    assert len(SEED_FILES) == 5


@requires_corpus
@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_corpus_extraction(path):
    n, parsed = _check(path)
    assert parsed / n >= 0.6


@requires_corpus
def test_corpus_parse_rate_overall():
    total = parsed = 0
    for path in CORPUS_FILES:
        doc = read_document(path)
        for span in doc.spans:
            total += 1
            try:
                parse_math(span.tex)
                parsed += 1
            except MathParseError:
                pass
    assert total > 500 and parsed / total >= 0.9
