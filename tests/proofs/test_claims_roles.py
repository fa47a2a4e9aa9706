"""The role reader (proofs/claims/roles.py) and the guard it gives check_claims: a verdict is not given on
a reading that left out a stride, padding, dilation or window size the sentence states."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proofs import check_text
from proofs.claims.numbers_words import normalise
from proofs.claims.roles import stated_roles, unused_roles, used_roles
from proofs.claims.truth import LayerSpec

WORDING = Path(__file__).resolve().parent.parent / "data" / "claims_wording"
_RANK = {"INCORRECT": 3, "CONDITIONAL": 2, "CORRECT": 1, "UNRECOGNIZED": 0}


def _claims() -> list[dict]:
    out = []
    for path in sorted(WORDING.glob("*.toml")):
        out.extend(tomllib.loads(path.read_text(encoding="utf-8"))["claim"])
    return out


CLAIMS = _claims()


def _verdict(claim: dict):
    context = claim.get("context", "").strip()
    text = f"{context}\n{claim['text']}" if context else claim["text"]
    line = context.count("\n") + 2 if context else 1
    findings = [f for f in check_text(text, budget=60).findings if f.line == line]
    return max(findings, key=lambda f: _RANK[f.verdict.value], default=None)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        pytest.param("the window slides with `stride=2` over a `6x6` input with a `3x3` kernel", {"stride": {2}, "kernel": {3}}, id="inline-code"),
        pytest.param("a kernel of size 5 moved 2 pixels at a time with 1 pixel of zero padding", {"stride": {2}, "padding": {1}, "kernel": {5}}, id="words"),
        pytest.param("conv(kernel_size=3, stride=2, padding=1, dilation=2)", {"stride": {2}, "padding": {1}, "dilation": {2}, "kernel": {3}}, id="call"),
        pytest.param("the filters in this layer are 11×11×3", {"kernel": {11}}, id="filter-shape"),
        pytest.param("a 2-strided 5×5 conv followed by a 3×3 max pool", {"stride": {2}, "kernel": {3, 5}}, id="two-layers"),
        pytest.param("four layers give an effective stride of 16 and see a 31×31 region", {}, id="claimed-values-are-not-roles"),
        pytest.param("pool5 units see the whole image", {}, id="layer-name"),
        pytest.param("it uses fewer weights than a 7×7 conv with stride 4", {}, id="comparand"),
    ],
)
def test_stated_roles_read_values_by_their_role_word(sentence, expected):
    assert stated_roles(normalise(sentence)) == expected


@given(k=st.integers(1, 15), s=st.integers(1, 9), p=st.integers(0, 9),
       order=st.permutations(["k", "s", "p"]), style=st.sampled_from(["words", "code"]))
def test_every_stated_value_is_read_whatever_the_order(k, s, p, order, style):
    parts = {"k": f"a {k}×{k} kernel" if style == "words" else f"`kernel_size={k}`",
             "s": f"a stride of {s}" if style == "words" else f"`stride={s}`",
             "p": f"padding of {p}" if style == "words" else f"`padding={p}`"}
    text = "the layer uses " + ", ".join(parts[x] for x in order)
    assert stated_roles(normalise(text)) == {"kernel": {k}, "stride": {s}, "padding": {p}}


@given(k=st.integers(2, 9), s=st.integers(2, 5), used=st.integers(1, 5))
def test_a_reading_without_the_stated_stride_is_reported(k, s, used):
    found = unused_roles(normalise(f"a {k}×{k} conv with stride {s}"), (LayerSpec("conv", k, stride=used),))
    assert (found == []) == (used == s)
    if used != s:
        assert found == [f"stride {s} (the reading used {used})"]


def test_used_roles_walk_nested_statements():
    assert used_roles({"x": 1}) == {}
    assert used_roles([LayerSpec("max_pool", 2, stride=2)]) == {"kernel": {2}, "stride": {2}, "dilation": {1}}


def test_the_wording_set_is_balanced_and_large_enough():
    assert len(CLAIMS) >= 20
    assert sum(c["truth"] for c in CLAIMS) >= len(CLAIMS) // 3
    assert sum(not c["truth"] for c in CLAIMS) >= len(CLAIMS) // 3


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c["truth"]], ids=lambda c: c["id"])
def test_no_true_claim_is_judged_wrong(claim):
    best = _verdict(claim)
    assert best is None or best.verdict.value in ("CORRECT", "UNRECOGNIZED"), best.explanation


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c.get("misread")], ids=lambda c: c["id"])
def test_a_sentence_once_misread_is_never_incorrect(claim):
    best = _verdict(claim)
    assert best is None or best.verdict.value != "INCORRECT", best.explanation


@pytest.mark.parametrize("claim", [c for c in CLAIMS if not c["truth"]], ids=lambda c: c["id"])
def test_no_false_claim_passes(claim):
    best = _verdict(claim)
    assert best is None or best.verdict.value != "CORRECT", best.explanation


def test_most_false_claims_are_found_with_a_counterexample():
    false = [c for c in CLAIMS if not c["truth"]]
    found = [c for c in false if (b := _verdict(c)) is not None and b.verdict.value == "INCORRECT" and b.counterexample]
    assert len(found) >= 0.6 * len(false), [c["id"] for c in false if c not in found]
