"""Notebook display: Derivation, Report and Finding show themselves through IPython's display formatter."""

from pathlib import Path

import pytest

import derive
from proofs.checker import check_file
from proofs.findings import Verdict

IPython = pytest.importorskip("IPython", reason="IPython is not installed: the notebook display path cannot run")
from IPython.core.formatters import DisplayFormatter  # noqa: E402

DATA = Path(__file__).parent.parent / "data" / "notebooks"


def _shown(obj) -> dict:
    data, _ = DisplayFormatter().format(obj)
    return data


def test_derivation_shows_its_steps_and_result_typeset():
    d = derive.conv_params_derivation()
    data = _shown(d)
    assert {"text/markdown", "text/latex"} <= set(data)
    md = data["text/markdown"]
    assert md.count("$$") >= 2 * len(d.steps)  # every step typeset
    assert all(s.reason in md for s in d.steps)
    assert "**Result:**" in md and "C_{out}" in md
    assert data["text/latex"].startswith("$$") and "aligned" in data["text/latex"]


def test_report_and_finding_show_the_verdict_and_the_correct_formula():
    report = check_file(DATA / "lecture.ipynb")
    md = _shown(report)["text/markdown"]
    assert "INCORRECT" in md and "lecture.ipynb" in md and "| 46 |" in md
    [wrong] = [f for f in report.findings if f.verdict == Verdict.INCORRECT]
    fmd = _shown(wrong)["text/markdown"]
    assert fmd.startswith("**INCORRECT** · line 46 (cell 3, line 3)")
    assert "\n$$ " in fmd and "\\frac{H - k}{S}" in fmd and "counterexample" in fmd
    [right] = [f for f in report.findings if f.verdict == Verdict.CORRECT]
    assert "\n$$ " not in _shown(right)["text/markdown"]  # no "correct formula" block for a correct one
