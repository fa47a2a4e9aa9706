"""Claims in prose, second wording set (``tests/data/claims_wording2``, issue 13).

Every claim is checked as ``benchmarks/claims_eval.py`` checks the held-out set: its context, then the claim
on the last line, through :func:`proofs.check_text`. The development files were written first and the
claim reading was tuned on them; ``fresh_check.toml`` was written after that tuning, in other wording, and
measured once before anything was changed for it (recall 65 %, one false claim judged CORRECT, coverage
72.5 %; with the code of the session's start: recall 50 %, coverage 52.5 %). At the end of session 5 (the
floors below are these, rounded down):

- development set (134 claims): recall 52 % → 95.5 %, coverage 58 % → 94 %, false alarms 4 → 0, false claims
  judged CORRECT 3 → 0;
- check set (40 claims): recall 85 %, coverage 87.5 %, no false alarm, no false claim passed.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import derive
from proofs.claims.forms import stack_coefficients
from proofs.claims.numbers_words import normalise
from proofs.findings import Verdict
from tests.helpers import load_claims_eval

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tests" / "data" / "claims_wording2"
QUANTITIES = {"output_size", "params", "macs", "memory", "receptive_field", "growth", "equivariance", "invariance"}


EVAL = load_claims_eval()
DEVELOPMENT = [c for path in sorted(FOLDER.glob("*.toml")) if path.name != "fresh_check.toml"
               for c in tomllib.load(path.open("rb"))["claim"]]
CHECK = tomllib.load((FOLDER / "fresh_check.toml").open("rb"))["claim"]


_JUDGED: dict[str, dict] = {}


@pytest.fixture(scope="module")
def judged():
    """The checker's result per claim id, computed once per session and only for the claims a test asks for."""
    by_id = {c["id"]: c for c in DEVELOPMENT + CHECK}

    class Lazy(dict):
        def __missing__(self, key):
            _JUDGED[key] = EVAL.judge(by_id[key], budget=30)
            self[key] = _JUDGED[key]
            return self[key]

    return Lazy(_JUDGED)


#: the development sweep takes ~25 s (change-effect domains, numeric equivariance): a slow test; the check set runs always
SETS = [pytest.param(DEVELOPMENT, id="development", marks=pytest.mark.slow), pytest.param(CHECK, id="check")]


@pytest.mark.parametrize("claims, at_least", [(DEVELOPMENT, 120), (CHECK, 40)], ids=["development", "check"])
def test_claim_sets_are_well_formed(claims, at_least):
    ids = [c["id"] for c in claims]
    assert len(ids) >= at_least and len(set(ids)) == len(ids)
    n_true = sum(bool(c["truth"]) for c in claims)
    assert n_true * 2 == len(claims), f"{n_true} true of {len(claims)}"
    for c in claims:
        assert c["quantity"] in QUANTITIES, c["id"]
        assert c["text"].strip() and c["why"].strip(), c["id"]
        assert (not c["truth"]) == bool(c.get("counterexample", "").strip()), f"{c['id']}: counterexample iff false"


_RF = re.compile(r"^(rf-0[1-6]|rf-1[34]|rf-2[78])$")


@pytest.mark.parametrize("claim", [c for c in DEVELOPMENT if _RF.match(c["id"])], ids=lambda c: c["id"])
def test_uniform_stack_truths_agree_with_derive(claim):
    """The receptive fields of the uniform stacks of the set, recomputed with derive (the "why" is the hand value)."""
    text = normalise(claim["text"])
    count = {"two": 2, "three": 3, "four": 4, "ten": 10, "eight": 8}[re.search(r"\b(two|three|four|ten|eight)\b", text).group(1)]
    k = int(re.search(r"(\d)×\1", text).group(1))
    rf = int(derive.receptive_field([derive.layers.Conv2d(1, 1, k)] * count).size[0])
    claimed = int(re.findall(r"(\d{1,2})(?:×\d{1,2}| by \d{1,2})", text)[-1])
    assert (rf == claimed) == claim["truth"], (claim["id"], rf, claimed)


@pytest.mark.parametrize("claims", SETS)
def test_no_true_claim_is_judged_incorrect(claims, judged):
    alarms = [(c["id"], judged[c["id"]]["explanation"]) for c in claims if c["truth"] and judged[c["id"]]["incorrect_lines"]]
    assert alarms == []


@pytest.mark.parametrize("claims", SETS)
def test_no_false_claim_is_judged_correct(claims, judged):
    passed = [(c["id"], judged[c["id"]]["explanation"]) for c in claims if not c["truth"] and judged[c["id"]]["verdict"] == "CORRECT"]
    assert passed == []


@pytest.mark.parametrize("claims, recall, coverage", [pytest.param(DEVELOPMENT, 0.93, 0.90, id="development", marks=pytest.mark.slow),
                                                       pytest.param(CHECK, 0.80, 0.85, id="check")])
def test_recall_and_coverage_floors(claims, recall, coverage, judged):
    false = [c for c in claims if not c["truth"]]
    found = [c for c in false if judged[c["id"]]["verdict"] in ("INCORRECT", "CONDITIONAL")]
    covered = [c for c in claims if judged[c["id"]]["verdict"] != "UNRECOGNIZED"]
    missed = sorted(c["id"] for c in false if c not in found)
    assert len(found) / len(false) >= recall, f"recall {len(found)}/{len(false)}; missed {missed}"
    assert len(covered) / len(claims) >= coverage, f"coverage {len(covered)}/{len(claims)}"
    assert all(judged[c["id"]]["counterexample"] for c in found), "a finding without its counterexample"


_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _spell_below_1000(n: int) -> str:
    words = []
    if n >= 100:
        words += [_UNITS[n // 100], "hundred"]
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10] + ("-" + _UNITS[n % 10] if n % 10 else ""))
    elif n:
        words.append(_UNITS[n])
    return " ".join(words)


@settings(max_examples=200, deadline=None)
@given(thousands=st.integers(1, 999), rest=st.integers(1, 999))
def test_spelled_thousands_become_digits(thousands, rest):
    """"twelve thousand eight hundred" → 12800, for every N thousand M (M > 0)."""
    text = f"the layer has {_spell_below_1000(thousands)} thousand {_spell_below_1000(rest)} weights"
    assert normalise(text) == f"the layer has {thousands * 1000 + rest} weights"


@settings(max_examples=60, deadline=None)
@given(count=st.integers(1, 9), kernel=st.sampled_from([3, 5, 7, 9]), wrong=st.integers(1, 400))
def test_stack_coefficient_claims_follow_derive(count, kernel, wrong):
    """"n k×k convolutions hold a·C² weights" is CORRECT exactly when a = n·k² (derive's count at C = 1)."""
    truth = count * int(derive.layers.Conv2d(1, 1, kernel, bias=False).params)
    for claimed in {truth, wrong}:
        statements = stack_coefficients.find(normalise(f"a stack of {count} {kernel}×{kernel} convolutions holds {claimed}C² weights."))
        assert len(statements) == 1
        outcome = statements[0].decide()
        assert outcome.verdict is (Verdict.CORRECT if claimed == truth else Verdict.INCORRECT), (count, kernel, claimed)
