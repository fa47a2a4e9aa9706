"""checker_eval: matching, scoring and counterexample re-evaluation on hand-made keys; one real run."""

import doctest
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cex_recheck
import checker_eval
import eval_match
from doc_keys import KeyedDocument, KeyedStatement, documents
from eval_match import LINE_TOLERANCE, Score, assign, match

K = KeyedStatement


def _doc(statements):
    return KeyedDocument(path=__import__("pathlib").Path("tiny.md"), split="tune", source={"format": "markdown"},
                         statements=statements)


def test_scores_on_a_hand_made_key():
    keys = [K(2, "H_out = (H - k)/S + 1", "formula", "output_size", "CONDITIONAL", "S | H - k", "H=4,k=1,S=2"),
            K(4, "64 x 3 = 190", "example", "params", "INCORRECT", "", "192"),
            K(6, "RF = 5", "claim", "receptive_field", "INCORRECT", "", "7"),
            K(8, "P = (k-1)/2", "formula", "same_padding", "CORRECT"),
            K(9, "o = i - k + 1", "formula", "output_size", "CORRECT"),
            K(11, "vague", "claim", "other", "NOT-CHECKABLE")]
    findings = [
        {"line": 2, "source": "$H_{out} = (H - k)/S + 1$", "verdict": "CONDITIONAL", "kind": "formula",
         "counterexample": {"values": {"H": 4, "k": 1, "S": 2}, "document": "5/2", "expected": 2}},
        {"line": 5, "source": "64 x 3 = 190", "verdict": "INCORRECT", "kind": "example", "counterexample": None},
        {"line": 8, "source": "P = (k-1)/2", "verdict": "INCORRECT", "kind": "formula",
         "counterexample": {"values": {"k": 2}, "document": "1/2", "expected": 0}},
        {"line": 9, "source": "o = i - k + 1", "verdict": "CORRECT", "kind": "formula", "counterexample": None},
        {"line": 30, "source": "x = 2", "verdict": "INCORRECT", "kind": "formula", "counterexample": None},
    ]
    r = checker_eval.evaluate_document(_doc(keys), findings, 0.5)
    s = r["score"]
    assert (s["wrong"], s["found"], s["exact"]) == (3, 2, 2)          # line 6 missed
    assert s["recall"] == pytest.approx(2 / 3)
    assert (s["correct"], s["false_alarms"]) == (2, 1) and s["false_alarm_rate"] == pytest.approx(0.5)
    assert (s["checkable"], s["covered"]) == (5, 4) and s["coverage"] == pytest.approx(0.8)
    assert [x["checker"] for x in r["statements"]] == ["CONDITIONAL", "INCORRECT", "UNRECOGNIZED", "INCORRECT",
                                                       "CORRECT", "UNRECOGNIZED"]
    assert r["unkeyed"] == [{"line": 30, "verdict": "INCORRECT", "source": "x = 2"}]
    # line 2 re-evaluates and fails; line 8 is on a statement keyed CORRECT: refuted by the key
    assert r["counterexamples"] == {"fails": 1, "does-not-fail": 1, "not-re-evaluable": 0, "refuted-by-key": 1}
    assert r["by_quantity"]["output_size"]["checkable"] == 2 and r["by_quantity"]["params"]["found"] == 1


def test_the_most_severe_finding_decides_and_tolerance_is_respected():
    keys = [K(10, "a = b", "formula", "other", "INCORRECT")]
    per, unkeyed = match([{"line": 10, "source": "a = b", "verdict": "CORRECT"},
                          {"line": 10 + LINE_TOLERANCE, "source": "a = b", "verdict": "INCORRECT"},
                          {"line": 11 + LINE_TOLERANCE, "source": "a = b", "verdict": "INCORRECT"}], keys)
    assert per == ["INCORRECT"] and len(unkeyed) == 1


def test_a_finding_goes_to_the_statement_on_its_own_line_first():
    keys = [K(3, "alpha = 1", "formula", "other", "CORRECT"), K(4, "beta = 2", "formula", "other", "INCORRECT")]
    assert assign([{"line": 4, "source": "alpha = 1", "verdict": "INCORRECT"}], keys) == [1]


@given(st.lists(st.tuples(st.integers(1, 30), st.sampled_from(["CORRECT", "INCORRECT", "CONDITIONAL", "NOT-CHECKABLE"]),
                          st.sampled_from(["output_size", "params", "pooling"])), min_size=1, max_size=12),
       st.lists(st.tuples(st.integers(1, 32), st.sampled_from(list(eval_match.SEVERITY))), max_size=15))
def test_per_quantity_scores_add_up_to_the_total(keys, found):
    statements = [K(line, f"q{i}", "formula", q, v) for i, (line, v, q) in enumerate(keys)]
    findings = [{"line": line, "source": "", "verdict": v, "counterexample": None} for line, v in found]
    r = checker_eval.evaluate_document(_doc(statements), findings, 0.0)
    total = sum((Score(**{k: d[k] for k in ("wrong", "found", "exact", "correct", "false_alarms", "checkable", "covered")})
                 for d in r["by_quantity"].values()), Score())
    assert total.as_dict() == r["score"]
    s = r["score"]
    assert 0 <= s["found"] <= s["wrong"] and 0 <= s["false_alarms"] <= s["correct"] and s["covered"] <= s["checkable"]
    assert len(r["statements"]) == len(statements)


def test_recheck_reproduces_and_refutes():
    f = {"source": "$o = (i - k)/s + 1$", "counterexample": {"values": {"i": 5, "k": 2, "s": 2}, "document": "5/2", "expected": 2}}
    assert cex_recheck.recheck(f) == "fails"
    f["counterexample"]["document"] = "7/2"     # the report's document value is not what the formula gives
    assert cex_recheck.recheck(f) == "does-not-fail"
    assert cex_recheck.recheck({"source": "x", "counterexample": [1, 2]}) == "not-re-evaluable"


@pytest.mark.parametrize("module", [cex_recheck, eval_match])
def test_doctests(module):
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0


def test_checker_eval_runs_on_one_real_document(capsys):
    name = "akshaybabloo-convnet-shapes.rst"
    assert any(d.name == name for d in documents("tune"))
    assert checker_eval.main(["--split", "tune", "--only", name, "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert [d["document"] for d in res["documents"]] == [name]
    d = res["documents"][0]
    assert d["score"] == res["total"] and d["seconds"] > 0 and not d["error"]
    assert d["score"]["checkable"] == 3 and d["score"]["wrong"] == 3
    assert checker_eval.main(["--split", "tune", "--only", name]) == 0
    out = capsys.readouterr().out
    assert "Per document" in out and "Per quantity" in out and "Total" in out and name in out
