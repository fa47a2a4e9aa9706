"""Activations, batch norm, losses, pooling windows and 1-based index notation, judged as written.

The test document tests/data/docs/activations_losses.md holds right formulas (must be CORRECT or
CONDITIONAL with the stated condition) and planted mistakes (must be INCORRECT); each counterexample
is recomputed here with plain NumPy, independently of the judge.
"""

import math

import numpy as np
import pytest
import sympy as sp

from proofs import check_document, check_formula
from proofs.document import parse_math, read_document
from proofs.judge import truth
from proofs.judge.elementwise import activation_named, judge_elementwise
from proofs.judge.subscripts import subscripts_as_indices, to_zero_based
from tests.helpers import DATA

DOC = DATA / "docs" / "activations_losses.md"

# (piece of the formula's source, verdict, condition or None)
EXPECTED = [
    (r"\text{ReLU}(x) = \max(0, x)", "CORRECT", None),
    (r"\alpha x, & \text{if } x \leq 0", "CORRECT", None),
    (r"\sigma(x) = \frac{1}{1 + e^{-x}}", "CORRECT", None),
    (r"\sigma(x)(1 - \sigma(x))", "CORRECT", None),
    (r"\sigma(x)(1 + \sigma(x))", "INCORRECT", None),
    (r"f'(x) = \begin{cases} 1, & x > 0", "CORRECT", None),
    (r"\mu_B = \frac{1}{m}", "CORRECT", None),
    (r"\sigma_B^2 = \frac{1}{m} \sum", "CORRECT", None),
    (r"\sigma_B^2 = \frac{1}{m-1}", "INCORRECT", None),
    (r"{\sqrt{\sigma_B^2 + \epsilon}} + \beta", "CORRECT", None),
    (r"{\sigma_B + \epsilon} + \beta", "INCORRECT", None),
    (r"L = \frac{1}{N} \sum", "CORRECT", None),
    (r"L = \frac{1}{N - 1} \sum", "INCORRECT", None),
    (r"y_i \log(\hat{y}_i)", "CORRECT", None),
    (r"= \hat{y}_i - y_i", "CORRECT", None),
    (r"= y_i - \hat{y}_i", "INCORRECT", None),
    ("X[i·s+u, j·s+v]", "CORRECT", None),
    ("X[i+u, j+v]", "INCORRECT", None),
    ("a_{i+i'-1, j+j'-1}", "CORRECT", None),
    ("a_{i-i'+1, j-j'+1}", "INCORRECT", None),
    ("∂L/∂Y[⌊i/s⌋, ⌊j/s⌋]", "CONDITIONAL", "pool size p ≤ stride s (windows do not overlap)"),
    ("∂L/∂Y[i, j]", "INCORRECT", None),
]


@pytest.fixture(scope="module")
def report():
    return check_document(DOC)


def _finding(report, piece):
    hits = [f for f in report.findings if piece in f.source and f.kind != "claim"]
    assert hits, f"no finding whose source contains {piece!r}"
    return hits[0]


@pytest.mark.parametrize("piece,verdict,condition", EXPECTED, ids=[e[0][:40] for e in EXPECTED])
def test_verdicts_on_the_test_document(report, piece, verdict, condition):
    f = _finding(report, piece)
    assert str(getattr(f.verdict, "value", f.verdict)) == verdict, f.explanation
    assert f.condition == condition
    if verdict == "INCORRECT":
        cex = f.counterexample
        other = cex.get("expected", cex.get("cross_correlation"))
        assert cex and not math.isclose(cex["document"], other, rel_tol=1e-9)


def _sig(x):
    return 1 / (1 + math.exp(-x))


def test_sigmoid_derivative_counterexample_recomputed(report):
    cex = _finding(report, r"\sigma(x)(1 + \sigma(x))").counterexample
    x = cex["x"]
    assert cex["document"] == pytest.approx(_sig(x) * (1 + _sig(x)))
    assert cex["expected"] == pytest.approx(_sig(x) * (1 - _sig(x)))


def test_unbiased_variance_counterexample_recomputed(report):
    cex = _finding(report, r"\sigma_B^2 = \frac{1}{m-1}").counterexample
    batch = np.array(cex["batch"])
    assert cex["document"] == pytest.approx(np.var(batch, ddof=1), rel=1e-5)
    assert cex["expected"] == pytest.approx(np.var(batch), rel=1e-5)


def test_misplaced_epsilon_counterexample_recomputed(report):
    cex = _finding(report, r"{\sigma_B + \epsilon} + \beta").counterexample
    batch, x = np.array(cex["batch"]), cex["x"]
    mu, var = batch.mean(), batch.var()
    gamma_beta = [(g, b) for g in (1.7,) for b in (-0.4,)]  # the judge's documented sample values
    g, b = gamma_beta[0]
    assert cex["expected"] == pytest.approx(g * (x - mu) / math.sqrt(var + 0.1) + b, rel=1e-4)
    assert cex["document"] == pytest.approx(g * (x - mu) / (math.sqrt(var) + 0.1) + b, rel=1e-4)


def test_mse_and_cross_entropy_gradient_counterexamples_recomputed(report):
    cex = _finding(report, r"L = \frac{1}{N - 1} \sum").counterexample
    p, t = np.array(cex["prediction"]), np.array(cex["target"])
    assert cex["expected"] == pytest.approx(np.mean((p - t) ** 2), rel=1e-5)
    assert cex["document"] == pytest.approx(np.sum((p - t) ** 2) / (len(p) - 1), rel=1e-5)
    cex = _finding(report, r"= y_i - \hat{y}_i").counterexample
    z = np.array(cex["logits"])
    soft = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    onehot = np.eye(len(z))[cex["target"]]
    i = cex["entry"]
    assert cex["expected"] == pytest.approx(soft[i] - onehot[i], rel=1e-5)
    assert cex["document"] == pytest.approx(onehot[i] - soft[i], rel=1e-5)


@pytest.mark.parametrize("name,context,expected", [
    ("ReLU", "", "relu"), ("sigma", "", "sigmoid"), ("f", "The leaky ReLU:", "leaky_relu"),
    ("f", "The sigmoid function:", "sigmoid"), ("g", "Some function:", None), ("BN", "", None),
], ids=["relu-name", "sigma-default", "leaky-context", "sigmoid-context", "unknown", "not-activation"])
def test_activation_named(name, context, expected):
    assert activation_named(name, context) == expected


def test_leaky_relu_slope_written_as_a_number():
    x = sp.Symbol("x")
    assert judge_elementwise(sp.Function("LeakyReLU")(x), sp.Max(sp.Rational(1, 20) * x, x)).verdict == "CORRECT"
    wrong = judge_elementwise(sp.Function("LeakyReLU")(x), sp.Max(sp.Rational(1, 20) * x, 0))
    assert wrong.verdict == "INCORRECT" and wrong.counterexample["x"] < 0  # max(x/20, 0) drops the negative slope


def test_mse_with_one_half_and_sum_of_squares_are_not_false_alarms():
    assert check_formula(r"L = \frac{1}{2N} \sum_{i=1}^{N} (y_i - \hat{y}_i)^2",
                         context="Mean squared error:").verdict.value == "CORRECT"
    assert check_formula(r"E = \sum_{i=1}^{N} (y_i - \hat{y}_i)^2",
                         context="The squared error loss:").verdict.value == "CORRECT"


def test_unrelated_functions_are_left_alone():
    x = sp.Symbol("x")
    known = {}
    got = judge_elementwise(sp.Function("f")(x), x**2, "A quadratic:", known=known)
    assert got is None or got.verdict == "UNRECOGNIZED"  # a definition of the document's own f: no verdict
    assert "fn:f" in known  # ... remembered, so that f'(x) can be checked against it
    assert judge_elementwise(sp.Symbol("L"), sp.Symbol("a") + 1, "Loss:") is None


def test_subscripts_read_as_indices_only_next_to_sums():
    i, j, k, n = sp.symbols("i j k n")
    lhs, rhs = subscripts_as_indices(sp.Symbol("z_ij"), sp.Sum(sp.Symbol("w_ik") * sp.Symbol("a_kj"), (k, 1, n)),
                                     extra={"i", "j"})
    assert lhs == sp.IndexedBase("z")[i, j]
    assert rhs == sp.Sum(sp.IndexedBase("w")[i, k] * sp.IndexedBase("a")[k, j], (k, 1, n))
    assert subscripts_as_indices(sp.Symbol("C_in"), sp.Symbol("s_i")) == (sp.Symbol("C_in"), sp.Symbol("s_i"))
    zl, zr = to_zero_based(lhs, rhs, {"i", "j", "k"})
    assert zr == sp.Sum(sp.IndexedBase("w")[i, k] * sp.IndexedBase("a")[k, j], (k, 0, n - 1))


def test_primed_index_pairs_are_two_indices():
    pm = parse_math(r"h_{i'j'} = \sum_{i=1}^{3} k_{ij} a_{i+i'-1, j+j'-1}")
    assert pm.sides[0] == sp.Symbol("h_i'j'")


def test_fixed_size_worked_gradient_is_not_a_false_alarm():
    f = check_formula(r"\frac{\partial F}{\partial k_{ij}} = \sum_{i'=1}^2 \sum_{j'=1}^2 "
                      r"\frac{\partial F}{\partial h_{i'j'}} a_{i+i'-1,j+j'-1}")
    assert f.verdict.value != "INCORRECT"
    assert check_formula(r"\frac{\partial h_{12}}{\partial k_{ij}} = a_{i,j+1}").verdict.value == "UNRECOGNIZED"


def test_plain_piecewise_block_and_window_max_are_extracted():
    doc = read_document(DOC)
    spans = [s for s in doc.spans if "is the max of its window" in s.source]
    assert len(spans) == 2
    assert r"\begin{cases}" in spans[0].tex and r"\text{otherwise}" in spans[0].tex
    pm = parse_math(spans[0].tex)
    assert any(str(a.func) == "is_window_max" for a in pm.sides[1].atoms(sp.core.function.AppliedUndef))
    assert [s for s in doc.spans if s.source.startswith("MaxPool(X)[i,j] = max_{(u,v) ∈ window}")]


def test_separable_params_come_from_derive():
    a, b, k = sp.symbols("a b k")
    assert sp.expand(truth.separable_params_expr(a, b, k, k, bias="none") - (a * k**2 + a * b)) == 0
    assert truth.SOURCES["separable_params"] == "derive"
    with pytest.raises(ValueError, match="bias must be"):
        truth.separable_params_expr(a, b, k, k, bias="some")


@pytest.mark.parametrize("rhs", [sp.Symbol("x"), sp.Integer(1), sp.Integer(0)], ids=["x", "1", "0"])
def test_one_branch_of_relu_is_not_a_false_alarm(rhs):
    x = sp.Symbol("x")
    lhs = sp.Function("f'")(x) if rhs.is_number else sp.Function("f")(x)
    assert judge_elementwise(lhs, rhs, "The ReLU: for positive inputs").verdict == "UNRECOGNIZED"
