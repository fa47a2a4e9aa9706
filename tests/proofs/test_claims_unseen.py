"""The independent claim set of issue 13 (``tests/data/claims/varied_unseen``), written without reading the
claim code: its truth values are computed by ``evidence.py``, no true claim may be judged INCORRECT, and the
checker's recall, false alarms and coverage on it are printed (``benchmarks/claims_eval.py``), not asserted."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import load_claims_eval

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tests" / "data" / "claims" / "varied_unseen"
QUANTITIES = {"output_size", "params", "macs", "memory", "receptive_field", "jump", "growth", "equivariance",
              "invariance", "other"}


EVAL = load_claims_eval()
CLAIMS = EVAL.load_claims(FOLDER)
_JUDGED: dict[str, dict] = {}


def _judged(claim: dict) -> dict:
    """The checker's result on one claim, computed once per session."""
    if claim["id"] not in _JUDGED:
        _JUDGED[claim["id"]] = EVAL.judge(claim)
    return _JUDGED[claim["id"]]


def test_claim_set_is_well_formed():
    ids = [c["id"] for c in CLAIMS]
    assert len(ids) >= 160, f"only {len(ids)} claims"
    assert len(set(ids)) == len(ids), "duplicate ids"
    n_true = sum(bool(c["truth"]) for c in CLAIMS)
    assert 0.4 <= n_true / len(CLAIMS) <= 0.6, f"{n_true} true of {len(CLAIMS)}: not about half"
    for c in CLAIMS:
        assert c["quantity"] in QUANTITIES, (c["id"], c["quantity"])
        assert isinstance(c["truth"], bool) and c["text"].strip() and c["why"].strip(), c["id"]
        assert (not c["truth"]) == bool(c.get("counterexample", "").strip()), f"{c['id']}: counterexample iff false"


def test_evidence_computes_every_truth_value():
    """evidence.py recomputes every claim's truth by brute force (torch cross-check only when torch imports)."""
    args = [sys.executable, str(FOLDER / "evidence.py")]
    if importlib.util.find_spec("torch") is None:
        args.append("--no-torch")
    done = subprocess.run(args, capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(CLAIMS)} claims" in done.stdout, done.stdout
    print(done.stdout)


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c["truth"]], ids=lambda c: c["id"])
def test_no_true_claim_is_judged_incorrect(claim):
    """The hard requirement of issue 13: a true claim is never INCORRECT (anywhere in its paragraph)."""
    r = _judged(claim)
    assert not r["incorrect_lines"], (
        f"{claim['id']}: true claim judged INCORRECT on line(s) {r['incorrect_lines']}: {claim['text']!r} "
        f"({r['explanation']}); why it is true: {claim['why']}")


def test_recall_and_coverage_are_reported(capsys):
    """Recall, counterexamples, false alarms and coverage per quantity: computed and printed, not asserted."""
    results = [_judged(c) for c in CLAIMS]
    table = EVAL.score(results)
    total = table["TOTAL"]
    assert total["claims"] == len(CLAIMS) and total["false"] + total["true"] == len(CLAIMS)
    assert {r["verdict"] for r in results} <= {"CORRECT", "INCORRECT", "CONDITIONAL", "UNRECOGNIZED"}
    with capsys.disabled():
        print("\nclaims_eval on tests/data/claims/varied_unseen:\n" + EVAL.render(table))
