"""Activation claims in words and tables (proofs.judge.activation_claims) and the computed facts behind them."""

from __future__ import annotations

import math
from pathlib import Path

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import check_document
from proofs.judge.activation_claims import activation_claims
from proofs.judge.activation_facts import facts
from proofs.judge.activations import DEFINITIONS, _x

DATA = Path(__file__).resolve().parents[1] / "data" / "activations"


def _verdicts(text: str) -> list[str]:
    return [j.verdict for _, _, j in activation_claims(text.splitlines())]


SENTENCES = [
    ("The sigmoid squashes its input into (0, 1).", ["CORRECT"]),
    ("Tanh outputs values in the range (0, 1).", ["INCORRECT"]),
    ("Softsign takes values between -1 and 1.", ["CORRECT"]),
    ("The logistic function maps the real line onto (-1, 1).", ["INCORRECT"]),
    ("ReLU has range [0, ∞).", ["CORRECT"]),
    ("The ReLU's range is (0, 1).", ["INCORRECT"]),
    ("ReLU is not differentiable at zero.", ["CORRECT"]),
    ("The softplus is differentiable at 0.", ["CORRECT"]),
    ("The leaky ReLU is differentiable at 0.", ["INCORRECT"]),
    ("The hyperbolic tangent is zero-centered.", ["CORRECT"]),
    ("The sigmoid is zero-centered.", ["INCORRECT"]),
    ("Softplus is unbounded above.", ["CORRECT"]),
    ("Tanh is bounded.", ["CORRECT"]),
    ("ReLU is bounded.", ["INCORRECT"]),
    ("GELU is not monotonic.", ["CORRECT"]),
    ("The sigmoid is monotonic.", ["CORRECT"]),
    ("Swish is monotonic.", ["INCORRECT"]),
    ("The derivative of the sigmoid at zero is 0.25.", ["CORRECT"]),
    ("The derivative of the sigmoid at 0 is 0.5.", ["INCORRECT"]),
    ("The gradient of tanh is at most 1.", ["CORRECT"]),
    ("The derivative of the sigmoid has a maximum of 0.5.", ["INCORRECT"]),
    ("Softplus at 0 equals 0.693 approximately.", ["CORRECT"]),
    ("The derivative of tanh is $1 - \\tanh^2(x)$.", ["CORRECT"]),
    ("The derivative of tanh is $1 - \\tanh(x)$.", ["INCORRECT"]),
    ("ReLU is defined as $\\max(0, x)$.", ["CORRECT"]),
    ("When the input is negative, the derivative of the ReLU is 0, and when it is positive, it is 1.", ["CORRECT"]),
    ("ReLU outputs 0 for negative inputs.", ["CORRECT"]),
    ("The ELU is 0 for negative inputs.", ["INCORRECT"]),  # wrong for every α
    ("The gradient of the sigmoid is 0.25 for positive inputs.", ["INCORRECT"]),
    ("Note that when the input is 0, the derivative of the sigmoid reaches a maximum of 0.25.", ["CORRECT"]),
    ("As the input nears 0, the derivative of tanh approaches a maximum of 2.", ["INCORRECT"]),
    ("The ReLU is not differentiable when the input takes value precisely equal to 0.", ["CORRECT"]),
    ("As the input moves away from 0 in either direction, the derivative of tanh approaches 0.", ["CORRECT"]),
    ("For large positive inputs the logistic function saturates at 1.", ["CORRECT"]),
    ("As $x \\to \\infty$ the tanh approaches 2.", ["INCORRECT"]),
    ("The gradient of the sigmoid vanishes for large |x|.", ["CORRECT"]),
    ("For large negative inputs the softplus tends to 1.", ["INCORRECT"]),
    ("The log-sigmoid has range (-inf, 0).", ["CORRECT"]),
    ("Hard swish has a minimum of -0.375.", ["CORRECT"]),
    ("The CELU is monotonic.", ["CORRECT"]),
    ("Tanhshrink is bounded.", ["INCORRECT"]),
]

#: sentences that must not be judged (ambiguous subject, a parameter not given, an input interval, notation)
SILENT = [
    "Unlike the sigmoid, tanh is zero-centred.",
    "The ELU is differentiable at 0.",  # only when α = 1
    "For inputs in (0, 1) the ReLU is the identity.",
    "ReLU, thresholding at zero, is max(0, x).",
    "The sigmoid has range [0, 1].",  # endpoints right, brackets a matter of notation
    "ReLU is used in 90% of networks.",
    "The sigmoid of $z$ is computed elementwise.",
    "ReLU returns $x$ for positive inputs.",
    "Swish has a minimum of about -0.278.",  # depends on the unnamed β
    "For x < 0 the leaky ReLU is 0.2 x.",  # not a constant, and the slope is the author's choice
    "The sigmoid squashes any input in the range (-inf, inf) to (0, 1).",  # an input interval in the sentence
    "The ReLU unit returns y if y > 0 and slope * y if y <= 0.",  # the 0 of a comparison is not a value
    "It saturates too, but unlike the logistic unit its output is zero-centred.",  # the sigmoid is not the subject
    "Compared to ReLU, the output is bounded.",
    "For large negative inputs the ELU tends to -1.",  # −α: α is not given
    "For very large inputs the derivative of the softplus approaches 1.",  # which side is not said
    "The derivative of softsign has a maximum of 1.",  # at the kink 0: a derivative's value there is a convention
]


@pytest.mark.parametrize("text, want", SENTENCES, ids=[s for s, _ in SENTENCES])
def test_sentence_claims(text, want):
    assert _verdicts(text) == want


@pytest.mark.parametrize("text", SILENT, ids=SILENT)
def test_silent_sentences(text):
    assert _verdicts(text) == []


def test_table_rows_markdown_and_latex():
    md = activation_claims((DATA / "nonlinearities.md").read_text().splitlines())
    rows = {(n, j.verdict) for n, _, j in md if n >= 36}
    assert (39, "INCORRECT") in rows  # softplus' derivative with the wrong sign
    assert not any(v == "INCORRECT" for n, v in rows if n != 39)
    assert len([1 for n, _ in rows if n == 36]) == 1 and len([n for n, _, _ in md if n == 36]) == 3
    tex = (DATA / "nonlinearities.tex").read_text().splitlines()
    bad = sorted(n for n, _, j in activation_claims(tex) if j.verdict == "INCORRECT")
    assert bad == [10, 17]


def test_checker_reports_planted_mistakes_at_their_lines():
    report = check_document(DATA / "nonlinearities.md")
    wrong = sorted({f.line for f in report.findings if f.verdict.value == "INCORRECT"})
    assert wrong == [10, 12, 20, 24, 29, 39]


# --------------------------------------------------------------------------- properties

SMOOTH = [n for n in DEFINITIONS if n not in ("hard_sigmoid",)]


@settings(max_examples=30, deadline=None)
@given(name=st.sampled_from(list(DEFINITIONS)), x=st.floats(-30, 30, allow_nan=False))
def test_values_lie_in_the_computed_range(name, x):
    f = facts(name)
    defs, defaults = DEFINITIONS[name]
    fm = sp.lambdify(_x, defs[0].xreplace(defaults), modules="mpmath")
    with mpmath.workdps(30):
        v = float(fm(mpmath.mpf(x)))
    assert f.inf - 1e-12 <= v <= f.sup + 1e-12


@settings(max_examples=30, deadline=None)
@given(name=st.sampled_from(["sigmoid", "tanh", "softsign", "relu", "softplus", "relu6", "hard_tanh"]),
       shift=st.sampled_from([-2, -1, -0.5, 0.5, 1, 3]), end=st.sampled_from([0, 1]))
def test_a_moved_endpoint_is_incorrect(name, shift, end):
    f = facts(name)
    ends = [f.inf, f.sup]
    if math.isinf(ends[end]):
        ends[end] = shift  # a finite bound where the function is unbounded
    else:
        ends[end] += shift
    if ends[0] >= ends[1]:
        return
    txt = [("-\\infty" if v == -math.inf else "\\infty" if v == math.inf else f"{v:g}") for v in ends]
    assert _verdicts(f"The {name.replace('_', ' ')} function has range $({txt[0]}, {txt[1]})$.") == ["INCORRECT"]


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softsign", "relu", "softplus", "relu6", "hard_tanh",
                                  "leaky_relu"])
def test_the_computed_range_is_correct(name):
    f = facts(name)
    fmt = lambda v: "-\\infty" if v == -math.inf else "\\infty" if v == math.inf else f"{v:g}"  # noqa: E731
    text = (f"The {name.replace('_', ' ')} function has range ${'[' if f.inf_attained else '('}{fmt(f.inf)}, "
            f"{fmt(f.sup)}{']' if f.sup_attained else ')'}$.")
    assert _verdicts(text) == ["CORRECT"]


def test_facts_reject_unknown_functions():
    with pytest.raises(ValueError, match="no definition"):
        facts("softmax")
    with pytest.raises(ValueError, match="order 2"):
        facts("tanh", 2)


# --------------------------------------------------------------------------- values and identities as formulas

VALUES = [
    (r"For the logistic function, $\sigma(0) = 0.5$.", ["CORRECT"]),
    (r"For the logistic function, $\sigma(3) \approx 0.95$.", ["CORRECT"]),
    (r"For the logistic function, $\sigma(3) \approx 0.59$.", ["INCORRECT"]),
    (r"$\mathrm{ReLU}(-3) = 0$ and $\mathrm{ReLU}(2) = 3$.", ["CORRECT", "INCORRECT"]),
    (r"$\mathrm{softplus}(0) = \ln 2$", ["CORRECT"]),
    (r"$\mathrm{GELU}(1) \approx 0.841$", ["CORRECT"]),  # exact or tanh-approximate GELU
    (r"The hyperbolic tangent is odd: $g(-u) = -g(u)$.", ["CORRECT"]),
    (r"The sigmoid is symmetric: $f(-t) = 1 - f(t)$, not $f(-t) = f(t)$.", ["CORRECT", "INCORRECT"]),
    (r"$\mathrm{ELU}(-1) = -0.632$", ["CORRECT"]),  # with the default α = 1
    (r"$\mathrm{ELU}(-1) = -0.5$", []),  # wrong for α = 1, right for another α the text does not give
    (r"$\mathrm{ELU}(2) = 3$", ["INCORRECT"]),  # wrong for every α
    (r"With $\phi$ any activation, $\phi(0) = 0$.", []),
]


@pytest.mark.parametrize("text, want", VALUES, ids=[t for t, _ in VALUES])
def test_values_and_identities(text, want):
    from proofs.judge.activation_values import activation_values

    assert [j.verdict for _, _, j in activation_values([text])] == want


def test_a_generic_name_defined_as_another_activation_is_not_wrong():
    text = ("### ReLU nonlinearity\n\nA unit's output $f$ is modelled with $f(x) = \\tanh(x)$ or "
            "$f(x) = (1 + e^{-x})^{-1}$, slower than $f(x) = \\max(0, x)$.\n\n### The logistic function\n\n"
            "The sigmoid: $f(x) = \\frac{1}{1 + e^{x}}$.\n")
    verdicts = {f.line: f.verdict.value for f in check_document(text).findings if f.verdict.value != "UNRECOGNIZED"}
    assert verdicts == {3: "CORRECT", 7: "INCORRECT"}


def test_table_cells_use_their_own_row():
    rows = ("| Name | Equation | Derivative |\n|---|---|---|\n| Logistic | $f(x)=\\frac{1}{1+e^{-x}}$ | $f'(x)=f(x)(1-f(x))$ |\n"
            "| SoftPlus | $f(x)=\\ln(1+e^x)$ | $f'(x)=\\frac{1}{1+e^{-x}}$ |\n| tanh | $f(x)=\\tanh(x)$ | $f'(x)=1-f(x)^2$ |\n")
    assert not [f for f in check_document(rows).findings if f.verdict.value == "INCORRECT"]


PLAIN = [
    ("Sigmoid activation function, `sigmoid(x) = 1 / (1 + exp(-x))`.", ["CORRECT"]),
    ("The softsign, softsign(x) = x / (abs(x) + 1), is smooth.", ["CORRECT"]),
    ("Wrong: softsign(x) = x / (abs(x) - 1) for all x.", ["INCORRECT"]),
    ("Hard sigmoid: hard_sigmoid(x) = max(0, min(1, 0.2 * x + 0.5)).", ["CORRECT"]),
    ("swish(x) = x * sigmoid(x)", []),  # '*' is read as a convolution in code-like text: not judged
    ("The loss(x) = x^2 is convex.", []),  # not an activation
]


@pytest.mark.parametrize("text, want", PLAIN, ids=[t for t, _ in PLAIN])
def test_code_like_definitions_in_text(text, want):
    from proofs.judge.activation_values import plain_definitions

    assert [j.verdict for _, _, j in plain_definitions([text])] == want
