"""Claims judged in whole documents: verdicts, evidence that really fails, no false alarms, the seeds."""

from fractions import Fraction

import numpy as np
import pytest

import derive
from proofs.claims import check_claims
from proofs.claims.evidence import conv_operator, invariance_operator
from proofs.claims.forms.growth import classify_growth
from proofs.findings import Verdict
from proofs.properties.shifts import shift as shift_array
from tests.helpers import DATA, SEEDS

CLAIMS = DATA / "claims"


def _findings(name):
    return check_claims((CLAIMS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def documents():
    return {name: _findings(name) for name in ("true_claims.md", "false_claims.md", "conditional_claims.txt", "latex_claims.tex")}


def _find(findings, fragment, quantity=None):
    hits = [f for f in findings if fragment in f.source and (quantity is None or f.quantity == quantity)]
    assert hits, f"no claim finding for {fragment!r}"
    return hits


def _rf(count, kernel, dilation=1, stride=1):
    conv = derive.layers.Conv2d(1, 1, kernel, stride=stride, dilation=dilation)
    size = derive.receptive_field([conv] * count).size
    return int(size[0] if isinstance(size, tuple) else size)


def _weights(count, kernel, c=64):
    return count * int(derive.layers.Conv2d(c, c, kernel, bias=False).params)


def test_true_claims_are_never_incorrect(documents):
    findings = documents["true_claims.md"]
    assert len(findings) >= 15
    wrong = [(f.line, f.source, f.explanation) for f in findings if f.verdict is Verdict.INCORRECT]
    assert wrong == []
    assert all(f.kind == "claim" for f in findings)


@pytest.mark.parametrize(
    "fragment, quantity, verdict",
    [
        pytest.param("3 layers of 3×3 conv: RF = 7×7", "receptive_field", "CORRECT", id="rf-7"),
        pytest.param("two stacked 3x3 convolutions is 5x5", "receptive_field", "CORRECT", id="rf-5-words"),
        pytest.param("sees a 7×7 region", "receptive_field", "CORRECT", id="sees"),
        pytest.param("dilation 2 has a receptive field of 5×5", "receptive_field", "CORRECT", id="dilated-rf"),
        pytest.param("Two 3×3 convs have the same receptive field as one 5×5", "receptive_field", "CORRECT", id="same-rf"),
        pytest.param("28% fewer parameters", "param_ratio", "CORRECT", id="28-percent"),
        pytest.param("saves about 45% of the weights", "param_ratio", "CORRECT", id="45-percent-replacing"),
        pytest.param("One 5×5 conv layer has more parameters", "param_ratio", "CORRECT", id="more"),
        pytest.param("grows linearly with depth", "receptive_field_growth", "CORRECT", id="linear"),
        pytest.param("by 4 per layer", "receptive_field_growth", "CORRECT", id="per-layer"),
        pytest.param("With exponentially increasing dilation", "receptive_field_growth", "CORRECT", id="doubling-dilation"),
        pytest.param("With stride 2 in every layer", "receptive_field_growth", "CORRECT", id="strided-geometric"),
        pytest.param("halves an even-sized feature map", "output_size", "CORRECT", id="halves-even"),
        pytest.param("Pooling and stride break exact equivariance", "translation_equivariance", "CORRECT", id="breaks"),
        pytest.param("The cost of a conv layer", "complexity", "CORRECT", id="macs"),
        pytest.param("O(k² · C_in · C_out)", "complexity", "CORRECT", id="params-O"),
        pytest.param("followed by a 2×2 max pooling layer has a receptive field of 4×4", "receptive_field", "CORRECT", id="conv-then-pool"),
        pytest.param("depends on a 5×5 patch", "receptive_field", "CORRECT", id="depends-on"),
        pytest.param("Convolutions with circular padding are exactly", "translation_equivariance", "CORRECT", id="circular-stated"),
        pytest.param("Max pooling is not translation invariant", "translation_invariance", "CORRECT", id="not-invariant"),
        pytest.param("multiple of the stride shifts the output", "translation_equivariance", "CORRECT", id="multiple-stated"),
        pytest.param("square root of depth", "effective_receptive_field", "CORRECT", id="erf-sqrt"),
    ],
)
def test_true_claims(documents, fragment, quantity, verdict):
    assert {f.verdict.value for f in _find(documents["true_claims.md"], fragment, quantity)} == {verdict}


def test_code_blocks_are_not_read(documents):
    assert not [f for f in documents["true_claims.md"] if "9x9" in f.source]


@pytest.mark.parametrize(
    "fragment, quantity",
    [
        pytest.param("receptive field of 9×9", "receptive_field", id="rf-9"),
        pytest.param("see a 6×6 patch", "receptive_field", id="rf-6"),
        pytest.param("1 layer of 5×5: same receptive field", "receptive_field", id="same-rf-wrong"),
        pytest.param("40% fewer", "param_ratio", id="40-percent"),
        pytest.param("3 times fewer", "param_ratio", id="3-times"),
        pytest.param("Three 3×3 layers have more parameters", "param_ratio", id="more-wrong"),
        pytest.param("grows the receptive field geometrically", "receptive_field_growth", id="geometric"),
        pytest.param("grows quadratically", "receptive_field_growth", id="quadratic"),
        pytest.param("by 3 per layer", "receptive_field_growth", id="per-layer-3"),
        pytest.param("An FC layer gives global invariance", "translation_invariance", id="fc"),
        pytest.param("exactly translation invariant", "translation_invariance", id="fc-exact"),
        pytest.param("C_{in} \\cdot k^2)", "complexity", id="missing-cout"),
        pytest.param("receptive field of 6×6", "receptive_field", id="conv-then-pool-6"),
        pytest.param("effective receptive field grows linearly", "effective_receptive_field", id="erf-linear"),
    ],
)
def test_false_claims_are_incorrect(documents, fragment, quantity):
    [f] = _find(documents["false_claims.md"], fragment, quantity)
    assert f.verdict is Verdict.INCORRECT
    assert f.counterexample is not None and f.expected


def test_false_claim_counterexamples_really_fail(documents):
    findings = {f.source: f for f in documents["false_claims.md"]}
    rf = next(f for s, f in findings.items() if "receptive field of 9×9" in s)
    assert rf.counterexample["derived"] == _rf(3, 3) != rf.counterexample["claimed"] == 9
    chain = next(f for s, f in findings.items() if "receptive field of 6×6" in s)
    pool = derive.layers.MaxPool2d(2, stride=2)
    measured = derive.receptive_field([derive.layers.Conv2d(1, 1, 3), pool]).size
    assert chain.counterexample["derived"] == int(measured[0] if isinstance(measured, tuple) else measured) != 6
    pct = next(f for s, f in findings.items() if "40% fewer" in s)
    saving = 1 - Fraction(_weights(2, 3), _weights(1, 5))
    assert round(float(saving) * 100) == 28 != 40
    assert pct.counterexample["params_subject"] == _weights(2, 3)
    geo = next(f for s, f in findings.items() if "geometrically" in s)
    seq = [_rf(n, 3) for n in geo.counterexample["depths"]]
    assert seq == geo.counterexample["receptive_field"] and classify_growth(seq)[0] == "linear"
    for f in (f for s, f in findings.items() if f.quantity == "translation_invariance"):
        ce = f.counterexample
        x = _grid(ce["input x"])[None, None]  # the readable grid of the counterexample (small integers: exact)
        fn = invariance_operator("dense")
        lhs, rhs = fn(shift_array(x, tuple(ce["shift"]), boundary="circular")), fn(x)
        assert np.allclose(lhs[0, 0], ce["lhs"], rtol=1e-3, atol=1e-3)
        assert np.allclose(rhs[0, 0], ce["rhs"], rtol=1e-3, atol=1e-3)
        assert not np.allclose(lhs, rhs)


def _grid(text: str) -> np.ndarray:
    """``"a b / c d"`` (a counterexample's printed grid) as a 2-D array."""
    return np.array([[float(v) for v in row.split()] for row in text.split(" / ")])


@pytest.mark.parametrize(
    "fragment, quantity",
    [
        pytest.param("the output shifts by δ/S", "translation_equivariance", id="delta-over-S"),
        pytest.param("shifts by the same amount", "translation_equivariance", id="same-amount"),
        pytest.param("Max pooling makes the output invariant", "translation_invariance", id="max-pool"),
        pytest.param("Global average pooling", "translation_invariance", id="gap"),
        pytest.param("about 1/9 of the parameters", "separable_ratio", id="separable"),
        pytest.param("Dilated convolutions give an exponentially", "receptive_field_growth", id="dilated"),
        pytest.param("stride-2 pooling halves", "output_size", id="pool-halves"),
        pytest.param("convolution with stride 2 halves", "output_size", id="conv-halves"),
    ],
)
def test_conditional_claims(documents, fragment, quantity):
    [f] = _find(documents["conditional_claims.txt"], fragment, quantity)
    assert f.verdict is Verdict.CONDITIONAL
    assert f.condition and f.counterexample is not None


def test_conditional_counterexamples_really_fail(documents):
    findings = documents["conditional_claims.txt"]
    [sep] = _find(findings, "about 1/9", "separable_ratio")
    c, k = sep.counterexample["C"], sep.counterexample["kernel"]
    ratio = Fraction(int(derive.layers.DepthwiseSeparableConv2d(c, c, k, bias=False).params),
                     int(derive.layers.Conv2d(c, c, k, bias=False).params))
    assert str(ratio) == sep.counterexample["ratio"]
    assert abs(ratio - Fraction(1, 9)) > Fraction(1, 90)  # outside "about" (10 %)
    assert abs(ratio - Fraction(1, k * k) - Fraction(1, c)) == 0  # the exact ratio 1/k² + 1/C_out
    [halves] = _find(findings, "stride-2 pooling halves", "output_size")
    h = halves.counterexample["H"]
    assert int(derive.output_size("max_pool", h, 2, stride=2)) * 2 != h
    [scaled] = _find(findings, "δ/S", "translation_equivariance")
    ce = scaled.counterexample
    x = _grid(ce["input x"])[None, None]
    conv = conv_operator(2, "circular")
    lhs = conv(shift_array(x, tuple(ce["shift"]), boundary="circular"))
    assert tuple(ce["shift"]) == (1, 1)
    for out_shift in (0, 1):  # neither rounding of δ/S = 1/2 works
        assert not np.allclose(lhs, shift_array(conv(x), (out_shift, out_shift), boundary="circular"))
    [dil] = _find(findings, "Dilated convolutions", "receptive_field_growth")
    seq = [_rf(n, dil.counterexample["kernel"], dilation=2) for n in dil.counterexample["depths"]]
    assert seq == dil.counterexample["receptive_field"] and classify_growth(seq)[0] == "linear"


def test_latex_document(documents):
    findings = documents["latex_claims.tex"]
    verdicts = sorted((f.line, f.verdict.value) for f in findings)
    assert verdicts == [(4, "CORRECT"), (4, "CORRECT"), (6, "CORRECT"), (10, "INCORRECT"), (11, "CONDITIONAL")]


def test_seeds_complete_and_have_claim_findings():
    total = 0
    quantities = set()
    for path in sorted(SEEDS.glob("*.txt")):
        findings = check_claims(path.read_text(encoding="utf-8"))
        assert all(f.kind == "claim" and f.line >= 1 for f in findings)
        total += len(findings)
        quantities |= {f.quantity for f in findings}
    assert total >= 10
    assert {"receptive_field", "param_ratio", "translation_equivariance", "translation_invariance",
            "receptive_field_growth"} <= quantities


def test_verbose_reports_uncovered_claim_sentences():
    text = "The receptive field explodes in a mysterious way.\nThe weather is nice.\n"
    assert check_claims(text) == []
    [f] = check_claims(text, verbose=True)
    assert f.verdict is Verdict.UNRECOGNIZED and f.line == 1 and "no claim form" in f.explanation
