"""Shared by the tests of documents with planted mistakes: the formula findings of a test document, once."""

from functools import lru_cache

from proofs import check_document
from tests.helpers import DATA


@lru_cache(maxsize=None)
def formula_findings(name: str) -> tuple:
    """Formula findings of ``tests/data/docs/<name>`` (checked once per test session)."""
    return tuple(f for f in check_document(DATA / "docs" / name).findings if f.kind == "formula")


def assert_verdict(name: str, piece: str, verdict: str) -> None:
    """The first formula of document ``name`` whose source holds ``piece`` has ``verdict``."""
    hits = [f for f in formula_findings(name) if piece in f.source]
    assert hits, piece
    assert hits[0].verdict.value == verdict, (piece, hits[0].explanation)
