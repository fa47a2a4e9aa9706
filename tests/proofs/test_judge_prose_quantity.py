"""Bare expressions whose quantity the prose states: judged as ``quantity = expr`` against derive."""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given, strategies as st

import derive
from derive import layers
from proofs.checker import check_document
from proofs.judge.prose_quantity import judge_prose_quantity, layer_kind, stated_quantity
from tests.helpers import DATA

DOC = DATA / "docs" / "prose_quantities.md"


@pytest.fixture(scope="module")
def findings():
    report = check_document(DOC, verbose=True)
    return {f.source.strip("$"): f for f in report.findings}


@pytest.mark.parametrize("source", [
    "(F \\cdot F \\cdot D + 1) \\cdot K",
    "nm + m",
    "2C",
    "k + (k-1)(d-1)",
], ids=["conv-params", "dense-params", "batchnorm-params", "dilated-extent"])
def test_right_ones_are_correct(findings, source):
    assert findings[source].verdict.value == "CORRECT", findings[source].explanation


def _extent(k, d):
    """Pixels covered by a kernel of size k with dilation d: taps at 0, d, …, d(k−1)."""
    return d * (k - 1) + 1


@pytest.mark.parametrize("source, recompute", [
    ("ab", lambda v: layers.Linear(v["a"], v["b"], bias=True).params),
    ("rq", lambda v: _extent(v["q"], v["r"])),
    ("G", lambda v: layers.BatchNorm2d(v["G"]).params),
], ids=["dense-without-bias-term", "dilated-dk", "batchnorm-half"])
def test_planted_mistakes_are_incorrect_with_counterexample(findings, source, recompute):
    f = findings[source]
    assert f.verdict.value == "INCORRECT", f.explanation
    ce = f.counterexample
    assert int(recompute(ce["values"])) == ce["expected"]
    expr = {"ab": lambda v: v["a"] * v["b"], "rq": lambda v: v["r"] * v["q"], "G": lambda v: v["G"]}[source]
    assert expr(ce["values"]) == ce["document"] != ce["expected"]


@pytest.mark.parametrize("source", ["uv", "3t"], ids=["layer-type-unknown", "no-layer-named"])
def test_uncertain_layer_stays_unrecognized(findings, source):
    assert findings[source].verdict.value == "UNRECOGNIZED"


def test_no_bias_statement_accepts_either_form_but_not_a_wrong_one():
    n, m = sp.symbols("n m")
    before, after = "A dense layer from $n$ inputs to $m$ outputs has", " parameters."
    assert judge_prose_quantity(n * m, before, after).verdict == "CORRECT"
    assert judge_prose_quantity(n * m + m, before, after).verdict == "CORRECT"
    assert judge_prose_quantity(n * m + 2 * m, before, after) is None


def test_without_bias_makes_the_bias_term_wrong():
    n, m = sp.symbols("n m")
    j = judge_prose_quantity(n * m + m, "A linear layer without bias from $n$ inputs to $m$ outputs has", " parameters.")
    assert j.verdict == "INCORRECT"
    assert j.counterexample["expected"] == j.counterexample["values"]["n"] * j.counterexample["values"]["m"]


@pytest.mark.parametrize("head, tail, expected", [
    ("so the layer has", " parameters", "param_count"),
    ("The effective kernel size is", "", "dilated_extent"),
    ("the output has", " channels", None),
    ("it covers", " the image", None),
    ("A single dilated layer with kernel size $k$ and dilation $d$ has a receptive field of", ".", "dilated_extent"),
    ("The effective kernel size", " grows", None),
], ids=["has-parameters", "effective-kernel-size", "channels-not-a-count", "covers-no-unit", "rf-of-one-dilated-layer",
    "no-verb"])
def test_stated_quantity(head, tail, expected):
    assert stated_quantity(head, tail) == expected


@pytest.mark.parametrize("sentence, kind", [
    ("A batch-norm layer over $C$ channels", "batchnorm"),
    ("A fully connected layer", "linear"),
    ("a layer of $K$ filters", "conv"),
    ("a dense layer after a conv with 3 filters", None),
], ids=["bn", "fc", "conv", "two-layer-types"])
def test_layer_kind(sentence, kind):
    assert layer_kind(sentence) == kind


@given(st.integers(1, 9), st.integers(1, 9))
def test_dilated_extent_property_against_derive_output_size(k, d):
    """The extent accepted as CORRECT equals the input size minus the output size of one stride-1 layer, plus one."""
    ks, ds = sp.symbols("k d")
    j = judge_prose_quantity(ds * (ks - 1) + 1, "For a dilated kernel the effective kernel size is", ". Here $k$ is the kernel size and "
                             "$d$ the dilation.", {"k": "kernel", "d": "dilation"})
    assert j.verdict == "CORRECT"
    H = 100
    out = int(derive.output_size("conv", H, k, 1, 0, d))
    assert H - out + 1 == _extent(k, d)
    wrong = judge_prose_quantity(ds * ks, "A kernel of size $k$ with dilation $d$ covers", " pixels.")
    assert wrong.verdict == "INCORRECT"
    v = wrong.counterexample["values"]
    assert wrong.counterexample["expected"] == _extent(v["k"], v["d"]) != v["d"] * v["k"] == wrong.counterexample["document"]
