"""Unit tests of the judge: roles, exact evaluation, comparison, size/count judges, arithmetic."""

from fractions import Fraction

import pytest
import sympy as sp

from proofs.judge.arithmetic import judge_chain, judge_identity
from proofs.judge.compare import Condition, compare_scalar
from proofs.judge.exact import EvalError, exact_value
from proofs.judge.roles import bind_roles, context_values, definitions_in, padding_convention
from proofs.judge.sizes import (judge_output_size, judge_param_count, judge_receptive_field,
                                judge_same_padding, pretty)

H, W, k, F, P, S, s, d = sp.symbols("H W k F P S s d")
C_in, C_out, L = sp.symbols("C_in C_out L")
SIZE_ROLES = {"H": "input_size", "W": "input_size", "k": "kernel", "F": "kernel", "P": "padding", "S": "stride",
              "s": "stride", "d": "dilation"}


@pytest.mark.parametrize("names, context, section, expected", [
    pytest.param(["K_h", "S_h", "P_h", "H_in"], "", "Padding and stride",
                 {"K_h": "kernel", "S_h": "stride", "P_h": "padding", "H_in": "input_size"}, id="subscripted"),
    pytest.param(["p", "s"], "For pool size p and stride s", "Max Pooling", {"p": "pool", "s": "stride"}, id="p-pool"),
    pytest.param(["p", "k"], "padding p and kernel size k", "Padding", {"p": "padding", "k": "kernel"}, id="p-padding"),
    pytest.param(["C_in", "c_i", "D1"], "", "", {"C_in": "channels_in", "c_i": "channels_in", "D1": "channels_in"},
                 id="input-channels"),
    pytest.param(["K", "F"], "Number of filters K, their spatial extent F", "", {"K": "channels_out", "F": "kernel"},
                 id="cs231n-K-is-filters"),
])
def test_bind_roles(names, context, section, expected):
    b = bind_roles(names, context, section)
    assert {n: b.role(n) for n in names} == expected


@pytest.mark.parametrize("text, expected", [
    pytest.param("add a total of p_h rows of padding", "total", id="d2l"),
    pytest.param("P is the amount of zero padding on each side", "per_side", id="cs231n"),
    pytest.param("for a total of (F·F·D1)·K weights", None, id="total-not-about-padding"),
])
def test_padding_convention(text, expected):
    assert padding_convention(text) == expected


def test_definitions_and_context_values():
    assert definitions_in("- $k$: Kernel size") == {"k": "kernel"}
    v = context_values("Input is 32×32 with 16 channels. Apply conv with 32 filters, 3×3 kernel, stride 1, padding 1.")
    assert v == {"input_size": 32, "channels_in": 16, "channels_out": 32, "kernel": 3, "stride": 1, "padding": 1}


def test_exact_value_is_exact_and_bounded():
    assert exact_value(sp.floor((H - k) / S) + 1, {"H": 10**30 + 1, "k": 1, "S": 10**30}) == 2
    with pytest.raises(EvalError):
        exact_value(sp.Pow(10, sp.Pow(10, 10, evaluate=False), evaluate=False), {})
    with pytest.raises(EvalError):
        exact_value(H, {})


def test_compare_scalar_finds_condition_and_counterexample():
    truth = sp.floor((H - k) / S) + 1
    dom = {"H": range(1, 12), "k": range(1, 6), "S": range(1, 4)}
    cond = [Condition("S divides (H − k)", lambda v: (v["H"] - v["k"]) % v["S"] == 0)]
    r = compare_scalar((H - k) / S + 1, truth, dom, admissible=lambda v: v["k"] <= v["H"], conditions=cond)
    assert not r.agree and r.condition == "S divides (H − k)"
    v = r.counterexample["values"]
    assert (v["H"] - v["k"]) % v["S"] != 0
    assert Fraction(v["H"] - v["k"], v["S"]) + 1 != (v["H"] - v["k"]) // v["S"] + 1


@pytest.mark.parametrize("doc, verdict, condition", [
    pytest.param(sp.floor((H + 2 * P - k) / S) + 1, "CORRECT", None, id="floor"),
    pytest.param(sp.floor((H + 2 * P - k) / S + 1), "CORRECT", None, id="floor-outside"),
    pytest.param((H + 2 * P - k) / S + 1, "CONDITIONAL", "S divides (H + 2·P − k)", id="no-floor"),
    pytest.param(sp.ceiling((H + 2 * P - k + 1) / S), "CORRECT", None, id="ceil-form"),
    pytest.param(sp.floor((H + 2 * P - k) / S), "INCORRECT", None, id="missing-plus-one"),
    pytest.param(sp.floor((H + 2 * P - d * (k - 1) - 1) / S) + 1, "CORRECT", None, id="dilation"),
    pytest.param(sp.floor((H + 2 * P - d * k) / S) + 1, "INCORRECT", None, id="dilation-wrong"),
])
def test_output_size(doc, verdict, condition):
    j = judge_output_size(doc, SIZE_ROLES, convention="per_side")
    assert j.verdict == verdict
    assert j.condition == condition
    if verdict == "INCORRECT":
        v = j.counterexample["values"]
        true = (v["H"] + 2 * v.get("P", 0) - v.get("d", 1) * (v["k"] - 1) - 1) // v.get("S", 1) + 1
        assert j.counterexample["expected"] == true
        assert exact_value(doc, v) != true


def test_output_size_total_padding_convention():
    doc = sp.floor((H - k + P + S) / S)  # d2l: P is the total padding
    assert judge_output_size(doc, SIZE_ROLES, convention="total").verdict == "CORRECT"
    assert judge_output_size(doc, SIZE_ROLES, convention="per_side").verdict == "INCORRECT"
    assert judge_output_size(doc, SIZE_ROLES).verdict == "CORRECT"  # unknown convention: a plausible one holds


def test_output_size_unbound_symbol_is_unrecognized():
    assert judge_output_size(sp.floor((H - sp.Symbol("zeta")) / S) + 1, SIZE_ROLES).verdict == "UNRECOGNIZED"


@pytest.mark.parametrize("doc, verdict", [
    pytest.param(sp.floor(k / 2), "CONDITIONAL", id="floor-half"),
    pytest.param((k - 1) / 2, "CONDITIONAL", id="half-not-an-integer-for-even-k"),
    pytest.param(k, "INCORRECT", id="k"),
])
def test_same_padding(doc, verdict):
    j = judge_same_padding(doc, {"k": "kernel"}, convention="per_side")
    assert j.verdict == verdict
    if verdict == "CONDITIONAL":
        assert j.condition == "k is odd" and j.counterexample["values"]["k"] % 2 == 0


@pytest.mark.parametrize("doc, verdict", [
    pytest.param(k**2 * C_in * C_out + C_out, "CORRECT", id="with-bias"),
    pytest.param(k * k * C_in * C_out, "CORRECT", id="without-bias"),
    pytest.param(k**2 * C_in * C_out + C_in, "INCORRECT", id="bias-per-input-channel"),
    pytest.param(k * C_in * C_out + C_out, "INCORRECT", id="kernel-not-squared"),
])
def test_param_count(doc, verdict):
    roles = {"k": "kernel", "C_in": "channels_in", "C_out": "channels_out"}
    j = judge_param_count(doc, roles)
    assert j.verdict == verdict
    if verdict == "INCORRECT":
        v = j.counterexample["values"]
        assert exact_value(doc, v) == j.counterexample["document"]
        assert j.counterexample["document"] != j.counterexample["expected"]


def test_receptive_field_forms():
    kl, si, ell, i = sp.Symbol("k_ell"), sp.Symbol("s_i"), sp.Symbol("ell"), sp.Symbol("i")
    rf = sp.IndexedBase("RF")
    good = rf[ell - 1] + (kl - 1) * sp.Product(si, (i, 1, ell - 1))
    bad = rf[ell - 1] + (kl - 1) * sp.Product(si, (i, 1, ell))
    assert judge_receptive_field(sp.Symbol("RF_ell"), good, {}).verdict == "CORRECT"
    j = judge_receptive_field(sp.Symbol("RF_ell"), bad, {})
    assert j.verdict == "INCORRECT"
    ks, ss = j.counterexample["values"]["kernel_sizes"], j.counterexample["values"]["strides"]
    r, jump = 1, 1
    for kk, st in zip(ks, ss):
        r, jump = r + (kk - 1) * jump, jump * st
    assert j.counterexample["expected"] == r != j.counterexample["document"]
    assert judge_receptive_field(sp.Symbol("RF"), 1 + L * (k - 1), {"L": "layers", "k": "kernel"}).verdict == "CORRECT"
    assert judge_receptive_field(sp.Symbol("RF"), L * (k - 1), {"L": "layers", "k": "kernel"}).verdict == "INCORRECT"


@pytest.mark.parametrize("sides, rels, verdict", [
    pytest.param([sp.Integer(102464), sp.Integer(102464)], ["="], "CORRECT", id="equal"),
    pytest.param([sp.Integer(36928), sp.Integer(36926)], ["="], "INCORRECT", id="off-by-two"),
    pytest.param([sp.Rational(73856, 102464), sp.Rational(72, 100)], ["≈"], "CORRECT", id="approx"),
    pytest.param([sp.Rational(2, 3), sp.Rational(67, 100)], ["="], "CORRECT", id="rounded-decimal"),
    pytest.param([sp.Rational(2, 3), sp.Rational(66, 100)], ["="], "INCORRECT", id="badly-rounded"),
    pytest.param([sp.Integer(3), sp.Integer(5)], ["<"], "CORRECT", id="less"),
])
def test_judge_chain(sides, rels, verdict):
    assert judge_chain(sides, rels).verdict == verdict


def test_judge_identity():
    C = sp.Symbol("C")
    assert judge_identity([C * C * k**2 + C, C**2 * k**2 + C], ["="]).verdict == "CORRECT"
    j = judge_identity([C * k**2 + C**2, C**2 * k**2], ["="])
    assert j.verdict == "INCORRECT"
    v = j.counterexample["values"]
    assert v["C"] * v["k"] ** 2 + v["C"] ** 2 != v["C"] ** 2 * v["k"] ** 2
    assert judge_identity([sp.Symbol("x"), C + 1], ["="]) is None  # a definition, not an identity


def test_pretty():
    assert pretty(sp.floor((H + 2 * P - k) / S) + 1) == "⌊(H + 2·P − k)/S⌋ + 1"
