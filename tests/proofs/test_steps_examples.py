"""Derivation steps through activations and worked costs whose scale is written in words.

tests/data/steps_examples/ holds two documents written for these tests, in their own letters (t, u, v, q for
the pre-activations, ε for the back-propagated error, V for the weights) with planted mistakes and with
correct lines that must not be flagged. Counterexamples are recomputed here with math, independently of
the judge.
"""

import math
from fractions import Fraction
from functools import lru_cache

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from proofs import check_document
from proofs.document import parse_math
from proofs.judge.scaled_value import judge_scaled_value, read_scale
from proofs.judge.steps import judge_function_steps
from tests.helpers import DATA

DOCS = DATA / "steps_examples"


@lru_cache(maxsize=None)
def _findings(name: str) -> dict:
    """line -> the most severe finding on it (formulas, worked examples and sentences alike)."""
    rank = {"INCORRECT": 3, "CONDITIONAL": 2, "CORRECT": 1, "UNRECOGNIZED": 0}
    out = {}
    for f in check_document(DOCS / name).findings:
        if f.line not in out or rank[f.verdict.value] > rank[out[f.line].verdict.value]:
            out[f.line] = f
    return out


#: (document, line, verdict): every planted mistake, and correct lines the judge must call CORRECT
EXPECTED = [
    ("derivations.md", 8, "CORRECT"),     # σ′ = σ · e^{−t}/(1+e^{−t})
    ("derivations.md", 9, "CORRECT"),     # = σ(1 − σ)
    ("derivations.md", 10, "CORRECT"),    # = σ − σ²
    ("derivations.md", 18, "INCORRECT"),  # σ(1 − σ) = σ + σ²
    ("derivations.md", 26, "CORRECT"),    # d/du tanh(u) = 1 − tanh²(u)  (d/du was read as 1/u)
    ("derivations.md", 27, "CORRECT"),
    ("derivations.md", 36, "INCORRECT"),  # 1 − tanh² = 1 − 2 tanh + tanh²
    ("derivations.md", 47, "CORRECT"),
    ("derivations.md", 56, "INCORRECT"),  # σ′ = σ(1 + σ)
    ("derivations.md", 63, "CORRECT"),    # (Vᵀε) ⊙ σ′(v) = (Vᵀε) ⊙ σ(1 − σ)
    ("derivations.md", 69, "INCORRECT"),  # … = (Vᵀε) ⊙ (1 − σ)²
    ("derivations.md", 77, "CORRECT"),    # d/dq ReLU(q) = 𝟙[q > 0]
    ("derivations.md", 83, "CORRECT"),    # ∂E/∂r ReLU′(q) = ∂E/∂r [q > 0]
    ("derivations.md", 92, "INCORRECT"),  # ReLU′ replaced by ReLU
    ("costs.md", 4, "CORRECT"),           # = 118 M MACs
    ("costs.md", 7, "CORRECT"),           # ≈ 1.85 billion
    ("costs.md", 9, "INCORRECT"),         # ≈ 0.9 billion for 462 M
    ("costs.md", 11, "CORRECT"),          # = 236 MFLOPs, that is 0.236 GFLOPs
    ("costs.md", 13, "INCORRECT"),        # = 23.6 MFLOPs
    ("costs.md", 17, "CORRECT"),          # = 3.2 MB, or about 3.06 MiB
    ("costs.md", 19, "CORRECT"),          # float16: 1.6 MB
    ("costs.md", 21, "INCORRECT"),        # 0.8 MB
    ("costs.md", 23, "CORRECT"),          # = 103M weights
    ("costs.md", 24, "INCORRECT"),        # 4096 · 4096 = 1.7M (it is 16.8M)
    ("costs.md", 26, "CORRECT"),          # 28*28*512=400K
    ("index_maps.md", 6, "CORRECT"),      # h_in = h_out·s − p + i·d
    ("index_maps.md", 10, "INCORRECT"),   # + p
    ("index_maps.md", 14, "UNRECOGNIZED"),  # sides exchanged, no transposed convolution in the prose
    ("index_maps.md", 21, "CORRECT"),     # the transposed convolution's scatter map
    ("index_maps.md", 26, "CORRECT"),     # "the input column read by … is a·U + b·E − Q" (a sentence is the left side)
    ("index_maps.md", 27, "INCORRECT"),   # … + Q
    ("index_maps.md", 34, "CORRECT"),     # ih = oh·SH − PH_L + kh·(DH + 1), dilation counted from 0
    ("index_maps.md", 38, "INCORRECT"),   # kh·DH breaks the stated count
]


@pytest.mark.parametrize("doc,line,verdict", EXPECTED, ids=[f"{d}:{n}" for d, n, _ in EXPECTED])
def test_planted_and_correct_lines(doc, line, verdict):
    f = _findings(doc).get(line)
    assert f is not None, line
    assert f.verdict.value == verdict, (line, f.source, f.explanation)


@pytest.mark.parametrize("doc", ["derivations.md", "costs.md", "index_maps.md"])
def test_nothing_else_is_flagged(doc):
    planted = {n for d, n, v in EXPECTED if d == doc and v == "INCORRECT"}
    flagged = {n for n, f in _findings(doc).items() if f.verdict.value in ("INCORRECT", "CONDITIONAL")}
    assert flagged == planted


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


def test_counterexample_of_a_broken_sigmoid_step_really_fails():
    f = _findings("derivations.md")[56]
    at = f.counterexample["values"]
    o, t, v = at["o"], at["t"], at["v"]
    before = (o - t) * _sigmoid(v) * (1 - _sigmoid(v))
    after = (o - t) * _sigmoid(v) * (1 + _sigmoid(v))
    assert math.isclose(before, f.counterexample["left"]) and math.isclose(after, f.counterexample["right"])
    assert not math.isclose(before, after)


def test_relu_derivative_is_checked_below_zero():
    """ReLU′(q) and [q² > 0] agree for every positive input: the step is broken only where q is negative."""
    p = parse_math(r"\frac{\partial E}{\partial r}\,\mathrm{ReLU}'(q) = \frac{\partial E}{\partial r}\,[q^2 > 0]")
    j = judge_function_steps(p.sides, p.relations, context="The rectifier:")
    assert j.verdict == "INCORRECT" and j.counterexample["values"]["q"] < 0


@pytest.mark.parametrize("tex,verdict", [
    (r"\frac{d}{dz}\tanh(z) = 1 - \tanh^2(z)", "CORRECT"),
    (r"\frac{d}{dz}\tanh(z) = 1 - \tanh(z)", "INCORRECT"),
    (r"\frac{dy}{dx} = 2", None),
])
def test_leibniz_notation_is_a_derivative(tex, verdict):
    p = parse_math(tex)
    assert isinstance(p.sides[0], sp.Derivative)
    if verdict is not None:
        z = sp.Symbol("z")
        assert sp.simplify(p.sides[0].doit() - sp.diff(sp.tanh(z), z)) == 0


@pytest.mark.parametrize("tex", [r"\mathbb{1}[z > 0]", r"[z > 0]", r"\mathbf{1}_{z>0}", r"\mathbb{1}(z > 0)"])
def test_indicator_spellings(tex):
    e = parse_math(f"g = {tex}").sides[1]
    z = sp.Symbol("z")
    assert [e.subs(z, v) for v in (-1, 2)] == [0, 1]


def test_generic_sigma_is_not_named_by_math_above():
    r"""A ``\tanh`` inside the display before does not make the prose name tanh; σ stays the sigmoid."""
    p = parse_math(r"\sigma(x)(1 - \sigma(x)) = \sigma(x) - \sigma(x)^2")
    ctx = r"For tanh: $$\frac{d}{dz}\tanh(z) = 1 - \tanh^2(z)$$ The logistic chain:"
    assert judge_function_steps(p.sides, p.relations, context=ctx).verdict == "CORRECT"


# ----------------------------------------------------------------------------- scaled values

_PREFIXES = [("thousand", 10 ** 3), ("million", 10 ** 6), ("billion", 10 ** 9), ("M", 10 ** 6), ("G", 10 ** 9),
             ("K", 10 ** 3), ("MiB", 2 ** 20), ("GiB", 2 ** 30), ("MB", 10 ** 6)]


@given(factors=st.lists(st.integers(2, 512), min_size=2, max_size=5), which=st.sampled_from(_PREFIXES),
       digits=st.integers(1, 3))
@settings(max_examples=60, deadline=None)
def test_rounded_value_is_correct_and_a_tenfold_one_is_not(factors, which, digits):
    word, scale = which
    value = math.prod(factors)
    stated = Fraction(value, scale)
    if stated < Fraction(1, 10):
        return
    rounded = round(float(stated), digits)
    if rounded == 0:
        return
    expr = sp.Mul(*[sp.Integer(f) for f in factors], evaluate=False)
    after = f" {word} multiply-adds." if word[-1] != "B" else f" {word}."
    ok = judge_scaled_value([expr, sp.Float(str(rounded))], ["="], after)
    assert ok is not None and ok.verdict == "CORRECT", (value, rounded, word)
    bad = judge_scaled_value([expr, sp.Float(str(rounded * 10))], ["="], after)
    assert bad is not None and bad.verdict == "INCORRECT"
    assert bad.counterexample["computed"] == value


@pytest.mark.parametrize("after,factors", [
    (" billion MACs", (10 ** 9,)), (" M parameters", (10 ** 6,)), (" GFLOPs", (10 ** 9,)),
    (" MB", (10 ** 6, 2 ** 20)), (" KiB", (2 ** 10,)), ("\u00a0million", (10 ** 6,)),
])
def test_read_scale(after, factors):
    assert read_scale(after)[0].factors == factors


@pytest.mark.parametrize("after", [" bytes", " Many layers", " B", " Mbit", " is the size", ""])
def test_no_scale(after):
    assert read_scale(after) is None


def test_index_map_counterexample_is_what_numeric_reads():
    """The coordinate reported as read is the one numeric.conv2d reads (a one-hot kernel over 1, 2, 3, …)."""
    import numpy as np
    import numeric

    f = _findings("index_maps.md")[38]
    v = f.counterexample["values"]
    s, p, d = v["SH"], v["PH_L"], v["DH"] + 1  # counted from 0
    x = np.arange(1, 31, dtype=np.float64).reshape(1, 1, 1, 30)
    w = np.zeros((1, 1, 1, 2))
    w[0, 0, 0, v["kh"]] = 1.0
    read = int(numeric.conv2d(x, w, stride=(1, s), padding=(0, p), dilation=(1, d))[0, 0, 0, v["oh"]]) - 1
    assert read == f.counterexample["expected"] != f.counterexample["document"]
    assert f.counterexample["document"] == v["oh"] * s - p + v["kh"] * v["DH"]


@pytest.mark.parametrize("tex", [r"E = \mathrm{ReLU}(q) \cdot g = q \cdot g",
                                 r"E = \mathrm{ReLU}'(q) \cdot g = \frac{|q|}{q} g"])
def test_steps_true_only_for_positive_inputs_are_broken(tex):
    """Both were CORRECT when every point was drawn positive (a false CORRECT): they break at q < 0."""
    p = parse_math(tex)
    j = judge_function_steps(p.sides, p.relations, context="The rectifier:")
    assert j.verdict == "INCORRECT" and j.counterexample["values"]["q"] < 0
    q, g = j.counterexample["values"]["q"], j.counterexample["values"]["g"]
    assert j.counterexample["left"] == pytest.approx(max(q, 0) * g if "ReLU}(" in tex else (q > 0) * g)


def test_plain_text_derivative_is_not_read_as_the_definition():
    """``(d)/(dq)ReLU(q) = 𝟙[q > 0]`` in plain text states ReLU′; reading ``ReLU(q) = 𝟙[q > 0]`` was a false INCORRECT."""
    from proofs.judge.activation_values import plain_definitions

    assert plain_definitions(["(d)/(dq)ReLU(q) = [q > 0]", "d/dx relu(x) = 1"]) == []
    assert [j.verdict for _, _, j in plain_definitions(["relu(x) = max(0, x)"])] == ["CORRECT"]
