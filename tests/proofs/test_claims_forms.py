"""Claim forms: what each recognises and extracts, in varied wording (extraction only, nothing decided)."""

from fractions import Fraction

import pytest

from proofs.claims import claims_of_sentence
from proofs.claims.forms import complexity, equivariance, growth, parameters, receptive_field, resolution
from proofs.claims.forms.stacks import find_stacks
from proofs.claims.numbers_words import normalise
from proofs.claims.sentences import Sentence


def _n(text):
    return normalise(text)


@pytest.mark.parametrize(
    "text, stacks",
    [
        pytest.param("3 layers of 3×3 conv", [(3, 3, 1, 1, "conv")], id="layers-of"),
        pytest.param("three 3x3 convolutional layers", [(3, 3, 1, 1, "conv")], id="words"),
        pytest.param("a single 7 x 7 convolution", [(1, 7, 1, 1, "conv")], id="single"),
        pytest.param("two stride-2 3×3 convs", [(2, 3, 2, 1, "conv")], id="stride-before"),
        pytest.param("one 3×3 conv with stride 2", [(1, 3, 2, 1, "conv")], id="stride-after"),
        pytest.param("a 3×3 convolution with dilation 4", [(1, 3, 1, 4, "conv")], id="dilation"),
        pytest.param("a 2×2 max pooling layer", [(1, 2, 2, 1, "max_pool")], id="pool-stride-defaults-to-window"),
        pytest.param("two 3×3 layers and one 5×5 layer", [(2, 3, 1, 1, "conv"), (1, 5, 1, 1, "conv")], id="two-stacks"),
        pytest.param("a 3×5 kernel", [], id="rectangular-ignored"),
    ],
)
def test_find_stacks(text, stacks):
    got = [(s.count, s.layer.kernel, s.layer.stride, s.layer.dilation, s.layer.kind) for s in find_stacks(_n(text))]
    assert got == stacks


def test_find_stacks_bounds():
    with pytest.raises(ValueError, match="kernel size"):
        find_stacks(_n("two 9999×9999 convs"))
    with pytest.raises(ValueError, match="exceeds the bound"):
        find_stacks(_n("1000 layers of 3×3 conv"))


@pytest.mark.parametrize(
    "text, kind, stack, claimed",
    [
        pytest.param("3 layers of 3×3 conv: RF = 7×7", "ReceptiveFieldValue", (3, 3), 7, id="rf-equals"),
        pytest.param("The receptive field of two stacked 3x3 convolutions is 5x5.", "ReceptiveFieldValue", (2, 3), 5, id="rf-of-is"),
        pytest.param("Three 3×3 conv layers see a 7×7 region.", "ReceptiveFieldValue", (3, 3), 7, id="sees-region"),
        pytest.param("A neuron after two 3×3 layers has a 5×5 view of the input.", "ReceptiveFieldValue", (2, 3), 5, id="view"),
        pytest.param("Four 3×3 convolutions give a 9×9 receptive field.", "ReceptiveFieldValue", (4, 3), 9, id="nxn-rf"),
        pytest.param("Two 3×3 convs have the same receptive field (5×5) as one 5×5 conv", "SameReceptiveField", (2, 3), 5, id="same-with-value"),
        pytest.param("3 layers of 3×3 vs 1 layer of 7×7: same RF", "SameReceptiveField", (3, 3), None, id="vs-same"),
    ],
)
def test_receptive_field_form(text, kind, stack, claimed):
    [s] = receptive_field.find(_n(text))
    assert type(s).__name__ == kind
    first = s.stack if kind == "ReceptiveFieldValue" else s.a
    assert (first.count, first.layer.kernel) == stack
    assert s.claimed == claimed


@pytest.mark.parametrize(
    "text",
    ["RF = 1 + L(k-1) for L layers of 3×3", "The receptive field of a neuron is the region that affects it.",
     "If the receptive field (or the filter size) is 5x5, each neuron has 75 weights.", "Use 3×3 convs."],
    ids=["formula", "definition", "filter-size", "no-rf"],
)
def test_receptive_field_form_ignores(text):
    assert receptive_field.find(_n(text)) == []


@pytest.mark.parametrize(
    "text, subject, relation, pct",
    [
        pytest.param("Two 3×3 layers use 28% fewer parameters than one 5×5 layer.", (2, 3), "fewer", "28", id="pct-fewer"),
        pytest.param("Replacing a 5×5 conv with two 3×3 convs saves 28% of the weights.", (2, 3), "fewer", "28", id="replacing"),
        pytest.param("One 5×5 conv has more parameters than two 3×3 convs.", (1, 5), "more", None, id="more"),
        pytest.param("The two 3×3 layers use 28% fewer parameters while having the same receptive field (5×5).", (2, 3), "fewer", "28", id="implicit-other"),
    ],
)
def test_parameter_form(text, subject, relation, pct):
    [s] = parameters.find(_n(text))
    assert (s.subject.count, s.subject.layer.kernel) == subject
    assert s.relation == relation and s.percent == pct


@pytest.mark.parametrize(
    "text, claimed, kernel, hedged, computation",
    [
        pytest.param("Depthwise-separable convolution needs about 1/9 of the parameters.", Fraction(1, 9), None, True, False, id="about-1/9"),
        pytest.param("A depthwise separable 3×3 conv has one ninth of the weights.", Fraction(1, 9), 3, False, False, id="one-ninth"),
        pytest.param("Separable convolutions use 8 to 9 times fewer multiplications.", Fraction(2, 17), None, True, True, id="range-times"),
    ],
)
def test_separable_form(text, claimed, kernel, hedged, computation):
    [s] = parameters.find(_n(text))
    assert (s.claimed, s.kernel, s.hedged, s.computation) == (claimed, kernel, hedged, computation)


@pytest.mark.parametrize(
    "text, section, kind, word",
    [
        pytest.param("Stacking 3×3 convs grows the receptive field geometrically.", None, "GrowthWord", "geometric", id="geometric"),
        pytest.param("The receptive field grows linearly with depth for 3×3 convs.", None, "GrowthWord", "linear", id="linear"),
        pytest.param("Benefits: exponentially growing receptive field", "Dilated Convolution", "GrowthWord", "geometric", id="from-heading"),
        pytest.param("Stacking 3×3 convs grows the receptive field by 2 per layer.", None, "GrowthIncrement", None, id="per-layer"),
        pytest.param("The effective receptive field grows as O(√depth).", None, "EffectiveGrowth", None, id="erf"),
    ],
)
def test_growth_form(text, section, kind, word):
    found = growth.find(_n(text), section)
    assert [type(s).__name__ for s in found] == [kind]
    if word:
        assert found[0].word == word


def test_growth_dilated_has_two_readings():
    [s] = growth.find(_n("Dilated convolutions give an exponentially growing receptive field."), None)
    assert [r[3] for r in s.readings] == ["doubling", 2]
    [s] = growth.find(_n("With dilation doubling per layer the receptive field grows exponentially with dilated convs."), None)
    assert [r[3] for r in s.readings] == ["doubling"]


def test_growth_not_stated_is_not_a_claim():
    assert growth.find(_n("The receptive field grows with depth."), None) == []
    assert growth.find(_n("The receptive field does not grow exponentially."), None) == []


@pytest.mark.parametrize(
    "text, section, kinds",
    [
        pytest.param("Convolutional layers are translation equivariant.", None, ["ConvEquivariance"], id="equivariant"),
        pytest.param("If you shift the input, the output shifts by the same amount.", None, ["ConvEquivariance"], id="shift-shift"),
        pytest.param("If we shift the input by δ, the output shifts by δ/S where S is the stride.", None, ["ConvEquivariance"], id="scaled"),
        pytest.param("Pooling and stride break exact equivariance.", None, ["BreaksEquivariance"], id="breaks"),
        pytest.param("Max pooling makes the output invariant to small shifts.", None, ["Invariance"], id="pool-invariant"),
        pytest.param("An FC layer gives global invariance.", None, ["Invariance"], id="fc"),
        pytest.param("- Provides translation invariance", "Global Average Pooling", ["Invariance"], id="gap-from-heading"),
        pytest.param(r"\text{Convolve (equivariant)} \to \text{Pool (local invariance)} \to \text{FC (global invariance)}", None,
                     ["ConvEquivariance", "Invariance", "Invariance"], id="arrow-chain"),
        pytest.param("No pooling: no spatial invariance", None, [], id="negated"),
        pytest.param("CNNs exploit translation invariance.", None, [], id="principle"),
        pytest.param("Group equivariant CNNs (Cohen & Welling, 2016)", None, [], id="reference"),
        pytest.param("Pooling increases invariance.", None, [], id="vague"),
    ],
)
def test_equivariance_form(text, section, kinds):
    assert [type(s).__name__ for s in equivariance.find(_n(text), section)] == kinds


def test_equivariance_ops():
    [s] = equivariance.find(_n("Invariant: output unchanged when input shifts (achieved by pooling + FC)"), None)
    assert s.op == "max_pool+dense"
    [s] = equivariance.find(_n("Average pooling provides exact translation invariance."), None)
    assert (s.op, s.strong) == ("avg_pool", True)


@pytest.mark.parametrize(
    "text, section, expected",
    [
        pytest.param("A stride-2 pooling halves the spatial resolution.", None, ("max_pool", 2, 2, 0, 2), id="pool-stride"),
        pytest.param("Pooling with stride 2: Halves spatial resolution", None, ("max_pool", 2, 2, 0, 2), id="label"),
        pytest.param("A 3×3 max pool with stride 2 halves the feature map.", None, ("max_pool", 3, 2, 0, 2), id="pool-3"),
        pytest.param("A 2×2 max pooling halves the width and height.", None, ("max_pool", 2, 2, 0, 2), id="default-stride"),
        pytest.param("A conv with stride 2 and padding 1 halves the resolution.", None, ("conv", 3, 2, 1, 2), id="conv"),
        pytest.param("Strided convs reduce the size by a factor of 4 with stride 4.", None, ("conv", 3, 4, 1, 4), id="factor"),
    ],
)
def test_resolution_form(text, section, expected):
    [s] = resolution.find(_n(text), section)
    assert (s.op, s.kernel, s.stride, s.padding, s.factor) == expected


def test_resolution_needs_a_stride_or_window():
    assert resolution.find(_n("Pooling halves the resolution."), None) == []
    assert resolution.find(_n("Pooling reduces spatial dimensions."), None) == []


@pytest.mark.parametrize(
    "text, section, what, claimed",
    [
        pytest.param(r"For conv layer: $O(H \cdot W \cdot C_{in} \cdot C_{out} \cdot k^2)$", "Computational Cost", "macs",
                     {"spatial": 2, "C_in": 1, "C_out": 1, "k": 2}, id="latex-macs"),
        pytest.param("Time Complexity: O(H_out · W_out · C_out · k² · C_in)", None, "macs",
                     {"spatial": 2, "C_in": 1, "C_out": 1, "k": 2}, id="unicode-macs"),
        pytest.param("Parameters reduced from O(d^2) to O(k^2 · C_in · C_out)", None, "params",
                     {"C_in": 1, "C_out": 1, "k": 2}, id="params"),
    ],
)
def test_complexity_form(text, section, what, claimed):
    [s] = complexity.find(_n(text), section)
    assert (s.what, s.claimed) == (what, claimed)


@pytest.mark.parametrize(
    "text", ["FFT convolution: O(n log n) for large kernels", "FC layer: O(H · W · C_in) connections per output",
             "Attention costs O(n^2 · d)."],
    ids=["fft", "fc-connections", "attention"],
)
def test_complexity_ignores(text):
    assert complexity.find(_n(text), None) == []


@pytest.mark.parametrize(
    "text",
    ["Prove that three 3×3 convs see a 9×9 region.", "Does a 2×2 pool halve the resolution?",
     "1. **Convolution Properties**: Verify translation equivariance empirically"],
    ids=["imperative", "question", "labelled-imperative"],
)
def test_exercises_and_questions_are_not_claims(text):
    assert claims_of_sentence(Sentence(1, text)) == []


def test_headings_are_not_claims():
    assert claims_of_sentence(Sentence(1, "Pooling makes the output invariant", heading=True)) == []


def test_unreadable_parameters_are_reported_with_why():
    [(form, statement, why)] = claims_of_sentence(Sentence(1, "Three 99999×99999 convs see a 9×9 region."))
    assert statement is None and "outside" in why
