"""Activations decided from their definitions, derivation chains step by step, dense layers in matrix form.

tests/data/docs/derivations.md holds right statements and planted mistakes (a wrong tanh derivative,
a chain with one broken step, a δ recursion without the transpose...). Counterexamples are
recomputed here with math/NumPy, independently of the judge.
"""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from proofs import check_formula
from proofs.document import parse_math
from proofs.judge.activations import DEFINITIONS, function_name, judge_activation
from proofs.judge.dense import judge_dense
from proofs.judge.steps import judge_function_steps
from tests.proofs._planted import assert_verdict, formula_findings


EXPECTED = [
    (r"\tanh(x) = \frac{e^x", "CORRECT"),
    (r"= 1 - \tanh^2(x)", "CORRECT"),
    (r"= 1 - \tanh(x)$$", "INCORRECT"),
    (r"\text{softplus}(x) =", "CORRECT"),
    (r"\text{softplus}'(x) = \sigma(x)", "CORRECT"),
    (r"\sigma(x) + x\sigma(x)", "CORRECT"),
    (r"\text{swish}'(x) = \sigma(x)(1 - \sigma(x))", "INCORRECT"),
    (r"\mathrm{ELU}(x)", "CORRECT"),
    (r"&= \frac{e^{-x}}{(1 + e^{-x})^2}", "CORRECT"),
    (r"&= \frac{1}{1 + e^{-x}} \cdot", "CORRECT"),
    (r"&= \sigma(x)(1 - \sigma(x))", "CORRECT"),
    (r"&= \sigma(x)(1 + \sigma(x))", "INCORRECT"),
    (r"$g'(x) = 3x^2 + 2$", "CORRECT"),
    (r"$g''(x) = 6x + 2$", "INCORRECT"),
    (r"z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}", "CORRECT"),
    (r"= \delta^{(l)} (a^{(l-1)})^T", "CORRECT"),
    (r"{\partial b^{(l)}} = \delta^{(l)}", "CORRECT"),
    (r"= (W^{(l)})^T \delta^{(l)}", "CORRECT"),
    (r"((W^{(l+1)})^T \delta^{(l+1)})", "CORRECT"),
    (r"(W^{(l+1)} \delta^{(l+1)})", "INCORRECT"),
    (r"= a^{(l-1)} (\delta^{(l)})^T", "INCORRECT"),
]


@pytest.fixture(scope="module")
def findings():
    return formula_findings("derivations.md")


@pytest.mark.parametrize("piece,verdict", EXPECTED)
def test_document_verdicts(piece, verdict):
    assert_verdict("derivations.md", piece, verdict)


def test_tanh_counterexample_recomputed(findings):
    f = next(f for f in findings if r"= 1 - \tanh(x)$$" in f.source)
    x = f.counterexample["x"]
    assert math.isclose(f.counterexample["document"], 1 - math.tanh(x))
    assert math.isclose(f.counterexample["expected"], 1 - math.tanh(x) ** 2)


def test_broken_step_values_recomputed(findings):
    f = next(f for f in findings if r"&= \sigma(x)(1 + \sigma(x))" in f.source)
    x = f.counterexample["values"]["x"]
    s = 1 / (1 + math.exp(-x))
    assert math.isclose(f.counterexample["left"], s * (1 - s))
    assert math.isclose(f.counterexample["right"], s * (1 + s))


def test_second_derivative_recomputed(findings):
    f = next(f for f in findings if "g''(x)" in f.source)
    x = f.counterexample["x"]
    assert math.isclose(f.counterexample["expected"], 6 * x) and math.isclose(f.counterexample["document"], 6 * x + 2)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(n for n, (defs, params) in DEFINITIONS.items() if len(defs) == 1 and not params)),
       st.integers(-3, 3).filter(lambda c: c != 0))
def test_derivative_of_every_definition(name, shift):
    """The SymPy derivative of each definition is CORRECT; adding a constant to it is INCORRECT."""
    x = sp.Symbol("x")
    (defn,), _ = DEFINITIONS[name]
    d = sp.diff(defn, list(defn.free_symbols)[0]).xreplace({list(defn.free_symbols)[0]: x})
    lhs = sp.Function(f"{name}'")(x)
    assert judge_activation(lhs, d).verdict == "CORRECT"
    assert judge_activation(lhs, d + shift).verdict == "INCORRECT"


def test_generic_name_needs_the_prose():
    x = sp.Symbol("x")
    assert judge_activation(sp.Function("f'")(x), 1 - sp.Function("f")(x) ** 2) is None
    j = judge_activation(sp.Function("f'")(x), 1 - sp.Function("f")(x) ** 2, "The hyperbolic tangent:")
    assert j.verdict == "CORRECT"
    assert function_name("varphi", "Consider the softsign:") == "softsign"


def test_one_branch_is_not_judged():
    f = check_formula(r"\mathrm{ELU}(x) = \alpha(e^x - 1)")
    assert f.verdict.value == "UNRECOGNIZED"


def test_gelu_approximations_are_definitions_in_use():
    for tex in (r"\text{GELU}(x) = 0.5x(1 + \tanh(\sqrt{2/\pi}(x + 0.044715x^3)))",
                r"\text{GELU}(x) = x \sigma(1.702 x)"):
        assert check_formula(tex).verdict.value == "CORRECT", tex


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(-4, 4))
def test_function_step_linear_change(a, b, c):
    """e^{a x}·e^{b x} = e^{(a+b) x} holds; adding c ≠ 0 to the exponent breaks the step."""
    p = parse_math(rf"e^{{{a} x}} e^{{{b} x}} = e^{{{a + b} x + {c}}}")
    j = judge_function_steps(p.sides, p.relations)
    assert j is not None and j.verdict == ("CORRECT" if c == 0 else "INCORRECT")


def test_dense_shapes_without_forward_not_judged():
    p = parse_math(r"\frac{\partial L}{\partial a^{(l-1)}} = W^{(l)} \delta^{(l)}")
    j = judge_dense(p.sides, p.relations, aliases={})
    assert j.verdict == "UNRECOGNIZED"


def test_dense_truth_against_numpy():
    """δ^(l) from the judge's truth equals (Wᵀδ′)·σ′(z) computed here with NumPy."""
    from proofs.judge.dense import _Values, _truth

    vals = _Values("sigmoid")
    lhs = parse_math(r"\delta^{(l)} = 0").sides[0]
    want, _, _ = _truth(lhs, vals, {})
    w, d, z = vals.cache[("W", 1)], vals.cache[("delta", 1)], vals.cache[("z", 0)]
    s = 1 / (1 + np.exp(-z))
    assert np.allclose(want, (w.T @ d) * s * (1 - s))
