"""Sentences with several claims (pairing within a clause) and resolution claims about a stated size."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import derive
from proofs.claims import check_claims
from proofs.claims.clauses import clause_spans, group_by_clause
from proofs.claims.forms import parameters, resolution
from proofs.claims.forms.stacks import find_stacks
from proofs.claims.numbers_words import normalise
from proofs.findings import Verdict
from tests.helpers import DATA

CLAIMS = DATA / "claims"


@pytest.fixture(scope="module")
def true_doc():
    return check_claims((CLAIMS / "clauses_true.md").read_text(encoding="utf-8"), verbose=True)


@pytest.fixture(scope="module")
def false_doc():
    return check_claims((CLAIMS / "clauses_false.md").read_text(encoding="utf-8"), verbose=True)


def _weights(stack_text):
    """Weights (C_in = C_out = 1, no bias) of "n × k×k conv" as derive counts them."""
    n, k = stack_text.split(" × ")[0], stack_text.split(" × ")[1].split("×")[0]
    return int(n) * int(derive.layers.Conv2d(1, 1, int(k), bias=False).params)


def test_every_true_claim_is_correct(true_doc):
    judged = [(f.line, f.quantity, f.verdict.value) for f in true_doc]
    assert len(judged) == 14
    assert [j for j in judged if j[2] != "CORRECT"] == []


def test_every_false_claim_is_incorrect_with_a_counterexample(false_doc):
    judged = [(f.line, f.quantity, f.verdict.value, bool(f.counterexample)) for f in false_doc]
    assert len(judged) == 9
    assert [j for j in judged if j[2:] != ("INCORRECT", True)] == []


@pytest.mark.parametrize(
    "text, subject, other, relation",
    [
        pytest.param("Three 3×3 convolutions have a receptive field of 7×7, and two 3×3 convolutions use 18C² weights "
                     "instead of 25C² for one 5×5, i.e. 28% fewer.", "2 × 3×3 conv", "1 × 5×5 conv", "fewer", id="and-instead-of"),
        pytest.param("Two 3×3 convs have a 5×5 receptive field; three 3×3 convs have 45% fewer weights than one 7×7 conv.",
                     "3 × 3×3 conv", "1 × 7×7 conv", "fewer", id="semicolon-than"),
        pytest.param("Using one 5×5 convolution instead of two 3×3 convolutions costs 39% more parameters, "
                     "but three 3×3 convolutions see 7×7.", "1 × 5×5 conv", "2 × 3×3 conv", "more", id="instead-of-then-but"),
        pytest.param("Rather than one 7×7 conv, VGG stacks three 3×3 convs, which need 45% fewer parameters.",
                     "3 × 3×3 conv", "1 × 7×7 conv", "fewer", id="marker-first"),
        pytest.param("A stack of three 3×3 conv layers has 27C² weights, whereas a single 7×7 layer requires 49C² parameters, "
                     "i.e. 81% more.", "1 × 7×7 conv", "3 × 3×3 conv", "more", id="whereas-contrast"),
        pytest.param("A 5×5 conv has 25C² parameters; two 3×3 convs have 18C², 28% fewer.",
                     "2 × 3×3 conv", "1 × 5×5 conv", "fewer", id="semicolon-contrast"),
        pytest.param("Two 3×3 layers have the same receptive field as one 5×5 layer, and they use 28% fewer parameters.",
                     "2 × 3×3 conv", "1 × 5×5 conv", "fewer", id="clause-without-layers-continues"),
        pytest.param("Replacing a 5×5 conv with two 3×3 convs saves 28% of the weights.",
                     "2 × 3×3 conv", "1 × 5×5 conv", "fewer", id="replacing-with"),
    ],
)
def test_comparison_pairs_subject_and_object_of_one_clause(text, subject, other, relation):
    [s] = parameters.find(normalise(text))
    assert (s.subject.describe(), s.other.describe(), s.relation) == (subject, other, relation)


def test_a_clause_naming_one_layer_is_not_compared_with_a_later_pair():
    norm = normalise("Three 3×3 convs see 7×7, and two 3×3 convs use fewer weights than one 5×5 conv.")
    groups = group_by_clause(norm, [s for s in find_stacks(norm) if s.count])
    assert [len(g.items) for g in groups] == [1, 2]
    assert [norm[a:b].strip(" ,") for a, b in clause_spans(norm)][0] == "three 3×3 convs see 7×7"


def test_false_comparison_counterexample_is_derive(false_doc):
    f = next(f for f in false_doc if f.quantity == "param_ratio" and "40% fewer" in f.source)
    c = f.counterexample
    assert c["params_subject"] * 25 == c["params_other"] * 18  # 2 × 3×3 against 1 × 5×5, not 3 × 3×3 against 2 × 3×3
    assert _weights("2 × 3×3 conv") * 64 * 64 == c["params_subject"]
    assert round(100 * (1 - c["params_subject"] / c["params_other"])) == 28 != 40


@pytest.mark.parametrize(
    "text, op, kernel, stride, padding, sizes, stated, verdict",
    [
        pytest.param("A 2×2 max pooling with stride 2 halves the resolution of a 32×32 feature map.",
                     "max_pool", 2, 2, 0, (32,), (), "CORRECT", id="map-after"),
        pytest.param("A 32×32 feature map is halved by a 2×2 max pooling with stride 2, to 16×16.",
                     "max_pool", 2, 2, 0, (32,), (16,), "CORRECT", id="map-first-with-output"),
        pytest.param("Max pooling with stride 2 halves the size from 28×28 to 14×14.",
                     "max_pool", 2, 2, 0, (28,), (14,), "CORRECT", id="from-to"),
        pytest.param("A 3×3 max pooling with stride 2 halves a 32×32 map.", "max_pool", 3, 2, 0, (32,), (), "INCORRECT",
                     id="3x3-pool-on-32"),
        pytest.param("A 2×2 max pooling with stride 2 halves the resolution of a 7×7 feature map.",
                     "max_pool", 2, 2, 0, (7,), (), "INCORRECT", id="odd-size-not-halved"),
        pytest.param("Max pooling with a window of size 3×3 and stride 2 halves an input of size 32×32.",
                     "max_pool", 3, 2, 0, (32,), (), "INCORRECT", id="window-of-size-is-not-the-map"),
        pytest.param("A 3×3 conv with stride 2 and padding 1 halves the height and width of a 64×48 image.",
                     "conv", 3, 2, 1, (64, 48), (), "CORRECT", id="rectangular"),
        pytest.param("A max pooling with stride 2 halves a 32×32 map to 16×8.",
                     "max_pool", 2, 2, 0, (32, 32), (16, 8), "INCORRECT", id="stated-output-not-halved-on-one-side"),
    ],
)
def test_resolution_decided_for_the_stated_size(text, op, kernel, stride, padding, sizes, stated, verdict):
    [s] = resolution.find(normalise(text), None)
    assert (s.op, s.kernel, s.stride, s.padding, s.sizes, s.stated_output) == (op, kernel, stride, padding, sizes, stated)
    assert s.decide().verdict.value == verdict


def test_filters_of_size_is_the_window_not_the_map():
    [s] = resolution.find(normalise("A pooling layer with filters of size 2x2 and a stride of 2 halves the width and height."), None)
    assert (s.kernel, s.sizes) == (2, ())
    assert s.decide().verdict is Verdict.CONDITIONAL  # no size stated: the condition "H even" remains


def test_stated_size_counterexample_is_derive(false_doc):
    for f in (f for f in false_doc if f.quantity == "output_size"):
        c = f.counterexample
        op = "conv" if "convolution" in f.source else "max_pool"
        out = derive.output_size(op, c["H"], c["kernel"], stride=c["stride"], padding=c["padding"])
        assert out == c["output"]
        assert c["H"] != 2 * out or "stated" in c["claimed"]


@given(k=st.integers(1, 5), s=st.integers(1, 4), h=st.integers(5, 80), avg=st.booleans())
def test_halving_a_stated_size_holds_exactly_when_derive_halves_it(k, s, h, avg):
    pool = "average" if avg else "max"
    [stmt] = resolution.find(normalise(f"A {k}×{k} {pool} pooling with stride {s} halves a {h}×{h} feature map."), None)
    out = derive.output_size("avg_pool" if avg else "max_pool", h, k, stride=s, padding=0)
    assert stmt.decide().verdict is (Verdict.CORRECT if 2 * out == h else Verdict.INCORRECT)


@given(n=st.integers(2, 4), k=st.sampled_from([3, 5]), m=st.sampled_from([5, 7, 9, 11]), pct=st.integers(1, 99),
       joint=st.sampled_from([", and", ";", ", while", " but", " whereas"]))
def test_an_earlier_clause_does_not_change_the_comparison(n, k, m, pct, joint):
    claim = f"{n} {k}×{k} convs use {pct}% fewer weights than one {m}×{m} conv."
    alone = parameters.find(normalise(claim[0].upper() + claim[1:]))
    joined = parameters.find(normalise(f"Three 3×3 convolutions have a receptive field of 7×7{joint} {claim}"))
    assert [(s.subject.describe(), s.other.describe(), s.percent) for s in joined] == \
        [(s.subject.describe(), s.other.describe(), s.percent) for s in alone] == [(f"{n} × {k}×{k} conv", f"1 × {m}×{m} conv", str(pct))]
    # the form accepts the percentage of the weights alone or of weights and biases at C_in = C_out = 64
    ratios = [Fraction(n * k * k, m * m),
              Fraction(n * int(derive.layers.Conv2d(64, 64, k).params), int(derive.layers.Conv2d(64, 64, m).params))]
    expected = any(pct - Fraction(1, 2) <= 100 * (1 - r) < pct + Fraction(1, 2) for r in ratios)
    assert (joined[0].decide().verdict is Verdict.CORRECT) == expected
