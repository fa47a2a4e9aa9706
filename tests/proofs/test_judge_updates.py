"""Update rules (gradient descent, Adam, running statistics) judged by their structure.

tests/data/docs/optimizers.md holds right rules and planted mistakes; counterexamples are
recomputed here with plain arithmetic, independently of the judge.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from proofs import check_document, check_formula
from proofs.document import parse_math
from proofs.judge.updates import OLD, G, judge_update, update_parts
from tests.proofs._planted import assert_verdict, formula_findings


EXPECTED = [
    (r"W_{t+1} = W_t - \eta", "CORRECT"),
    (r"W_{t+1} = W_t + \eta", "INCORRECT"),
    (r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t", "CORRECT"),
    (r"(1 - \beta_2) g_t^2", "CORRECT"),
    (r"{1 - \beta_1^t}", "CORRECT"),
    (r"{1 - \beta_2^t}", "CORRECT"),
    (r"\frac{\alpha \hat{m}_t}{\sqrt{\hat{v}_t} + \epsilon}", "CORRECT"),
    (r"m_t = \beta_1 m_{t-1} + \beta_1 g_t", "INCORRECT"),
    (r"(1 - \beta_2) g_t$$", "INCORRECT"),
    (r"{1 - \beta_1}$$", "INCORRECT"),
    (r"\frac{\alpha m_t}{\sqrt{v_t} + \epsilon}", "INCORRECT"),
    (r"\hat\mu := \alpha \hat\mu + (1 - \alpha) \mu", "CORRECT"),
    (r"\hat\sigma^2 :=", "CONDITIONAL"),
    (r"x_{t+1} = x_t + u_{t+1}", "CORRECT"),
    (r"x_{t+1} = x_t - u_{t+1}", "INCORRECT"),
]


@pytest.fixture(scope="module")
def findings():
    return formula_findings("optimizers.md")


@pytest.mark.parametrize("piece,verdict", EXPECTED)
def test_document_verdicts(piece, verdict):
    assert_verdict("optimizers.md", piece, verdict)


def test_ascent_counterexample_recomputed(findings):
    f = next(f for f in findings if r"W_t + \eta" in f.source)
    v = f.counterexample["values"]
    assert math.isclose(f.counterexample["document"], v["old value"] + v["eta"] * v["gradient"])
    assert math.isclose(f.counterexample["expected"], v["old value"] - v["eta"] * v["gradient"])


def test_raw_moments_counterexample_recomputed(findings):
    f = next(f for f in findings if r"\frac{\alpha m_t}" in f.source)
    b1, b2, g = 0.9, 0.999, 1.0
    m1, v1 = (1 - b1) * g, (1 - b2) * g * g
    assert math.isclose(f.counterexample["document"], m1 / math.sqrt(v1))
    assert math.isclose(f.counterexample["expected"], (m1 / (1 - b1)) / math.sqrt(v1 / (1 - b2)))


def test_running_variance_against_torch_rule(findings):
    f = next(f for f in findings if r"\hat\sigma^2 :=" in f.source)
    batch = np.array(f.counterexample["batch"])
    keep = f.counterexample["weight of the old value"]
    unbiased = batch.var(ddof=1)
    assert math.isclose(f.counterexample["expected"], keep * f.counterexample["old value"] + (1 - keep) * unbiased)
    assert math.isclose(f.counterexample["document"], keep * f.counterexample["old value"] + (1 - keep) * batch.var())


def test_not_an_update_is_left_alone():
    p = parse_math(r"y = a x + b")
    assert judge_update(p.sides[0], p.sides[1], "Adam") is None
    assert update_parts(p.sides[0], p.sides[1]) is None


def test_momentum_velocity_conventions_not_judged():
    # v = μv + g and v = μv − ηg are both conventions of momentum: neither is an average
    for tex in (r"v_t = \mu v_{t-1} + g_t", r"v_t = \mu v_{t-1} - \eta g_t"):
        f = check_formula(tex, context="SGD with momentum keeps a velocity:")
        assert f.verdict.value != "INCORRECT", tex


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9))
def test_average_weights_must_sum_to_one(a, b):
    tex = rf"m_t = \frac{{{a}}}{{10}} m_{{t-1}} + \frac{{{b}}}{{10}} g_t"
    f = check_formula(tex, context="Adam keeps a moving average of the gradient:")
    assert f.verdict.value == ("CORRECT" if a + b == 10 else "INCORRECT"), (tex, f.explanation)


@settings(max_examples=16, deadline=None)
@given(st.sampled_from(["eta", "alpha", "lambda", "gamma"]), st.sampled_from(["W", "theta", "w", "x"]))
def test_gradient_step_any_letters(lr, p):
    tex = rf"{p}_{{t+1}} = {p}_t - \{lr} \nabla L({p}_t)"
    f = check_formula(tex, context="Gradient descent update:")
    assert f.verdict.value == "CORRECT", (tex, f.explanation)
    flipped = check_formula(tex.replace(" - ", " + "), context="Gradient descent update:")
    assert flipped.verdict.value == "INCORRECT", tex


def test_update_parts_reads_structure():
    p = parse_math(r"\theta_t = \theta_{t-1} - \alpha g_t")
    name, body, states = update_parts(p.sides[0], p.sides[1])
    assert name == "theta" and body.has(OLD) and body.has(G) and not states


@settings(max_examples=20, deadline=None)
@given(st.sampled_from([("v_{t+1} = \\mu v_t + g_t", "\\theta_{t+1} = \\theta_t - \\eta v_{t+1}"),
                        ("v_{t+1} = \\mu v_t - \\eta g_t", "\\theta_{t+1} = \\theta_t + v_{t+1}"),
                        ("v_t = \\beta v_{t-1} + (1 - \\beta) g_t", "\\theta_t = \\theta_{t-1} - \\alpha v_t")]),
       st.booleans())
def test_momentum_pairs_against_sgd(pair, flip):
    """Each convention of momentum, run with its step, is numeric.optim.SGD; the step with its sign flipped ascends."""
    buffer, step = pair
    if flip:
        step = step.replace(" - ", " @ ").replace(" + ", " - ").replace(" @ ", " + ")
    doc = f"# Momentum\n\nSGD with momentum keeps a velocity:\n\n$${buffer}$$\n$${step}$$\n"
    found = [f for f in check_document(doc).findings if f.kind == "formula"]
    assert found[-1].verdict.value == ("INCORRECT" if flip else "CORRECT"), (doc, found[-1].explanation)


def test_no_false_alarm_on_neighbours_of_descent():
    """Weight decay, gradient ascent on a likelihood, a decayed learning rate: none is called wrong."""
    cases = [("SGD with weight decay, the weights decay towards zero at each update:",
              r"w_{t+1} = (1 - \eta\lambda) w_t - \eta \nabla L(w_t)"),
             ("Gradient ascent maximizes the log-likelihood with the update",
              r"\theta_{t+1} = \theta_t + \eta \nabla \ell(\theta_t)"),
             ("Gradient descent update with a decayed rate:", r"W_{t+1} = W_t - \eta (1 - \beta) \nabla L(W_t)")]
    for context, tex in cases:
        assert check_formula(tex, context=context).verdict.value != "INCORRECT", tex
