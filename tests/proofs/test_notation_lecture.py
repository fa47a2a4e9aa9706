"""A lecture in a notation of our own, defined in one sentence of prose (tests/data/docs/invented_notation.md).

Its planted mistakes — a formula that counts the border once, a worked parameter count whose bias term
is the input channels', a table total off by ten, a 1-D example worked by hand with one wrong entry — must all be found, and nothing correct flagged. The
same lecture with its letters renamed at random must keep every verdict (metamorphic renaming).
"""

import re

import pytest
from hypothesis import given, settings, strategies as st

from proofs import check_document
from tests.helpers import DATA

DOC = DATA / "docs" / "invented_notation.md"

# (piece of the source, verdict, quantity)
EXPECTED = [
    (r"\frac{a + 2q - b}{u}", "CORRECT", "output_size"),
    (r"\frac{a + q - b}{u}", "INCORRECT", "output_size"),
    ("(32 + 4 - 5)/1 + 1 = 32", "CORRECT", "output_size"),
    (r"64 \cdot 128 \cdot 9 + 64", "INCORRECT", "param_count"),
    (r"16 \cdot 32 \cdot 9 + 32", "CORRECT", "param_count"),
    ("conv1|", "CORRECT", "param_count"),
    ("conv2|", "CORRECT", "param_count"),
    ("total|", "INCORRECT", "table_total"),
    ("y = [-1, 2, -3]", "CORRECT", "forward_index"),
    ("y = [0, 1, 2]", "INCORRECT", "forward_index"),
]

_CACHE = {}


def report(text=None):
    key = text or "file"
    if key not in _CACHE:
        _CACHE[key] = check_document(text if text is not None else DOC)
    return _CACHE[key]


def find(rep, piece):
    found = [f for f in rep.findings if f.kind != "claim" and piece in f.source]
    assert found, f"no finding for {piece!r}: {[f.source for f in rep.findings]}"
    return found[0]


@pytest.mark.parametrize("piece, verdict, quantity", EXPECTED, ids=[p for p, _, _ in EXPECTED])
def test_every_statement_judged(piece, verdict, quantity):
    f = find(report(), piece)
    assert (f.verdict.value, f.quantity) == (verdict, quantity), f.explanation


def test_counterexamples_are_recomputed():
    bias = find(report(), r"64 \cdot 128 \cdot 9 + 64")
    assert bias.counterexample["expected"] == 64 * 128 * 9 + 128  # one bias per filter
    total = find(report(), "total|")
    assert total.counterexample["expected"] == 3 * 16 * 9 + 16 + 16 * 32 * 9 + 32
    once = find(report(), r"\frac{a + q - b}{u}")
    v = once.counterexample["values"] if "values" in once.counterexample else once.counterexample
    a, b, q, u = (int(v[n]) for n in "abqu")
    assert (a + q - b) // u + 1 != (a + 2 * q - b) // u + 1
    by_hand = find(report(), "y = [0, 1, 2]")
    x, w = [2, 2, 1, 0], [1, -1]
    valid = [sum(x[i + t] * w[t] for t in range(len(w))) for i in range(len(x) - len(w) + 1)]
    assert by_hand.counterexample["expected"] == str(valid[by_hand.counterexample["position"]])


def test_nothing_correct_flagged():
    planted = {r"\frac{a + q - b}{u}", r"64 \cdot 128 \cdot 9 + 64", "total|", "y = [0, 1, 2]"}
    wrong = [f for f in report().findings if f.verdict.value in ("INCORRECT", "CONDITIONAL")]
    assert sorted(next(p for p in planted if p in f.source) for f in wrong) == sorted(planted)


_POOL = list("cdfghjklmnoprtvwyBCDEFGHJKLMNOPQRSTUVWXYZ")


@settings(max_examples=4, deadline=None)
@given(st.permutations(_POOL).map(lambda p: p[:4]))
def test_renaming_the_letters_keeps_every_verdict(letters):
    text = DOC.read_text()
    mapping = dict(zip("abqu", letters))
    # rename the symbols inside math only ($…$), where they are symbols, never words
    renamed = re.sub(r"\$\$[^$]+\$\$|\$[^$]+\$", lambda m: re.sub(r"(?<![\\A-Za-z])[abqu](?![A-Za-z])",
                                                      lambda s: mapping[s.group(0)], m.group(0)), text)
    rep = check_document(renamed)
    got = [(f.line, f.verdict.value, f.quantity) for f in rep.findings if f.verdict.value != "UNRECOGNIZED"]
    want = [(f.line, f.verdict.value, f.quantity) for f in report().findings if f.verdict.value != "UNRECOGNIZED"]
    assert got == want, mapping
