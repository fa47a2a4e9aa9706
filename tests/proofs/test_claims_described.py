"""Claims about a layer or a network that the sentence and the sentences before it describe.

The sentences here are written for these tests (not taken from any claim set): each pair says the same
thing rightly and wrongly, and the wrong one is often one whose arithmetic is right but whose quantity is
not. The properties generate the description and the claim from random configurations and compare with
derive.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import derive
from proofs import check_text
from proofs.claims import check_claims
from proofs.claims.claimed_amount import claimed_amounts
from proofs.claims.layer_reading import prepare, read_layer
from proofs.claims.network_reading import layer_referred, read_network
from proofs.claims.numbers_words import normalise
from proofs.findings import Verdict


def _verdicts(text: str, line: int | None = None) -> list:
    """Claim verdicts on the last line of ``text`` (or on ``line``)."""
    line = line or text.rstrip("\n").count("\n") + 1
    return [f for f in check_claims(text) if f.line == line]


def _strongest(findings):
    rank = {Verdict.INCORRECT: 3, Verdict.CONDITIONAL: 2, Verdict.CORRECT: 1, Verdict.UNRECOGNIZED: 0}
    return max(findings, key=lambda f: rank[f.verdict]) if findings else None


# ---- one layer, described across sentences -----------------------------------------------------------------

LAYER_TRUE = [
    ("We apply a 5×5 convolution with 32 input and 64 output channels, with bias.", "So the layer learns 51,264 parameters."),
    ("Take a 3×3 conv from 128 to 256 channels without bias, on a 14×14 map with padding 1.",
     "Its cost is roughly 57.8 million multiply-accumulates."),
    ("", "A dense layer from 2048 features to 1000 classes, biases included, has 2,049,000 parameters."),
    ("", "Ignoring biases, a depthwise-separable convolution from 16 to 32 channels with 3×3 kernels has 656 weights."),
    ("", "A 128×128×32 activation kept in float16 takes 1,048,576 bytes."),
    ("Our first layer is a 7×7 convolution from 3 to 64 channels, stride 2, padding 3, on a 224×224 image.",
     "It performs about 118 million multiply-adds."),
    ("", "One 5×5 kernel with dilation 3 holds 25 weights, although it spans 13 pixels."),
]
LAYER_FALSE = [
    ("We apply a 5×5 convolution with 32 input and 64 output channels, with bias.",
     "So the layer learns 5 × 5 × 32 × 64 + 32 = 51,232 parameters."),
    ("Take a 3×3 conv from 128 to 256 channels without bias, on a 14×14 map with padding 1.",
     "Its cost is 14 × 14 × 256 × 9 ≈ 0.45 million multiply-accumulates."),
    ("", "A dense layer from 2048 features to 1000 classes, biases included, has 2,048,000 parameters."),
    ("", "Ignoring biases, a depthwise-separable convolution from 16 to 32 channels with 3×3 kernels has 4,608 weights."),
    ("", "A 128×128×32 activation kept in float16 takes 2,097,152 bytes."),
    ("Our first layer is a 7×7 convolution from 3 to 64 channels, stride 2, padding 3, on a 224×224 image.",
     "It performs about 472 million multiply-adds."),
    ("", "One 5×5 kernel with dilation 3 holds 169 weights, since it spans 13 pixels."),
]


def _paragraph(context: str, claim: str) -> str:
    return f"{context}\n{claim}" if context else claim


@pytest.mark.parametrize("context, claim", LAYER_TRUE)
def test_true_layer_claims_are_correct(context, claim):
    text = _paragraph(context, claim)
    found = _verdicts(text)
    assert found, f"no claim finding for {claim!r}"
    assert all(f.verdict is not Verdict.INCORRECT for f in check_claims(text)), [f.explanation for f in found]
    assert _strongest(found).verdict is Verdict.CORRECT, [f.explanation for f in found]


@pytest.mark.parametrize("context, claim", LAYER_FALSE)
def test_false_layer_claims_are_found_with_the_computed_value(context, claim):
    found = _verdicts(_paragraph(context, claim))
    worst = _strongest(found)
    assert worst is not None and worst.verdict is Verdict.INCORRECT, [f.explanation for f in found]
    assert worst.counterexample is not None and worst.expected


def test_right_arithmetic_does_not_stand_for_a_wrong_quantity():
    text = ("We apply a 5×5 convolution with 32 input and 64 output channels, with bias.\n"
            "So the layer learns 5 × 5 × 32 × 64 + 32 = 51,232 parameters.\n")
    report = check_text(text)
    on_line = [f for f in report.findings if f.line == 2]
    assert [f.verdict for f in on_line] == [Verdict.INCORRECT], [(f.kind, f.verdict, f.explanation) for f in on_line]
    assert "51,264" in on_line[0].explanation and "arithmetic written" in on_line[0].explanation


def test_a_sentence_introducing_its_own_layer_does_not_borrow_the_context():
    text = ("A 3×3 convolution maps 64 channels to 64 channels.\n"
            "A 1×1 convolution from 64 to 16 channels, without bias, has 1,024 weights.\n")
    found = _verdicts(text)
    assert found and _strongest(found).verdict is Verdict.CORRECT


def test_comparisons_and_per_unit_counts_are_not_read_as_one_layer_total():
    for claim in ("A 3×3 conv from 64 to 64 channels has 36,864 weights instead of the 102,400 of a 5×5 one.",
                  "In a 3×3 conv from 64 to 64 channels each output neuron has 576 weights."):
        assert not [f for f in _verdicts(claim) if f.quantity == "params" and f.verdict is Verdict.INCORRECT]


# ---- a network, described across sentences ---------------------------------------------------------------------

NET_CONTEXT = "Our encoder stacks five 3×3 convolutions; the first and the third have stride 2."
NET_TRUE = [
    (NET_CONTEXT, "Units of the final layer therefore see a 27×27 patch of the image."),
    (NET_CONTEXT, "Neighbouring units of the last layer are 4 pixels apart."),
    (NET_CONTEXT, "The third layer's units have a receptive field of 11."),
    ("The first block is a 3×3 convolution followed by a 5×5 convolution with dilation 2.",
     "The pair has a receptive field of 11 pixels."),
    ("", "A 3×3 stride-2 convolution then a 2×2 max pool with stride 2 give each unit a 5×5 receptive field."),
    ("The backbone has ten 3×3 convolutions with 2×2 max pooling after the 3rd, 6th and 10th.",
     "The last pooling layer therefore has a jump of 8."),
]
NET_FALSE = [
    (NET_CONTEXT, "Units of the final layer therefore see an 11×11 patch, like any five 3×3 layers."),
    (NET_CONTEXT, "Neighbouring units of the last layer are 2 pixels apart."),
    (NET_CONTEXT, "The third layer's units have a receptive field of 2·3 + 1 = 7."),
    ("The first block is a 3×3 convolution followed by a 5×5 convolution with dilation 2.",
     "The pair has a receptive field of 3 + 5 = 8 pixels."),
    ("", "A 3×3 stride-2 convolution then a 2×2 max pool with stride 2 give each unit a 4×4 receptive field."),
    ("The backbone has ten 3×3 convolutions with 2×2 max pooling after the 3rd, 6th and 10th.",
     "The last pooling layer therefore has a jump of 6."),
]


@pytest.mark.parametrize("context, claim", NET_TRUE)
def test_true_network_claims_are_correct(context, claim):
    text = _paragraph(context, claim)
    found = _verdicts(text)
    assert found and _strongest(found).verdict is Verdict.CORRECT, [f.explanation for f in found]
    assert all(f.verdict is not Verdict.INCORRECT for f in check_claims(text))


@pytest.mark.parametrize("context, claim", NET_FALSE)
def test_false_network_claims_are_found(context, claim):
    found = _verdicts(_paragraph(context, claim))
    worst = _strongest(found)
    assert worst is not None and worst.verdict is Verdict.INCORRECT, [f.explanation for f in found]
    assert worst.counterexample is not None


def test_an_aside_about_any_stack_does_not_decide_the_claim_about_the_described_network():
    text = NET_CONTEXT + "\nUnits of the final layer therefore see an 11×11 patch, like any five 3×3 layers.\n"
    found = _verdicts(text)
    assert [f.verdict for f in found] == [Verdict.INCORRECT], [f.explanation for f in found]
    assert "27×27" in found[0].explanation


def test_an_unreadable_count_gives_no_network():
    assert read_network(prepare(normalise("Consider L stacked 3×3 convolutions with stride 1."))) is None
    assert read_network(prepare(normalise("several 3×3 layers"))) is None


def test_the_layer_a_sentence_points_at():
    net = read_network(prepare(normalise("vgg has 13 3×3 convolutions with 2×2 max pooling after the 2nd, 4th, 7th, 10th and 13th")))
    assert layer_referred("conv5_3 units", net)[0] == len(net.layers) - 1
    assert layer_referred("pool5 units", net)[0] == len(net.layers)
    assert layer_referred("pool2", net)[0] == 6
    assert layer_referred("the weather", net) is None


# ---- the shift claim at the stride and shift the sentence names ---------------------------------------------

@pytest.mark.parametrize("text, verdict", [
    ("With circular padding, a convolution of stride 2 is equivariant to translations by 4 pixels.", Verdict.CORRECT),
    ("With circular padding, a convolution of stride 2 is equivariant to translations by 3 pixels.", Verdict.INCORRECT),
    ("A circularly padded convolution with a stride of four is equivariant to shifts of two pixels.", Verdict.INCORRECT),
])
def test_equivariance_is_tested_at_the_named_stride_and_shift(text, verdict):
    found = [f for f in check_claims(text) if f.quantity == "translation_equivariance"]
    assert found and found[0].verdict is verdict, [f.explanation for f in found]


def test_a_count_named_beside_another_net_is_about_both():
    found = check_claims("ResNet-18, like ResNet-50, has about 11.7 million parameters.")
    by_net = {f.explanation.split("torchvision's ")[1].split(" has")[0]: f.verdict for f in found if "torchvision" in f.explanation}
    assert by_net == {"ResNet-18": Verdict.CORRECT, "ResNet-50": Verdict.INCORRECT}


# ---- properties ----------------------------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(k=st.sampled_from([1, 3, 5, 7]), c_in=st.integers(1, 512), c_out=st.integers(1, 512), bias=st.booleans(),
       off=st.sampled_from([0, 0, 1, -1, 7]))
def test_parameter_count_of_a_described_layer(k, c_in, c_out, bias, off):
    true = int(derive.layers.Conv2d(c_in, c_out, k, bias=bias).params)
    claimed = true + off
    if claimed <= 0:
        return
    context = f"Consider a {k}×{k} convolution from {c_in} to {c_out} channels {'with' if bias else 'without'} bias."
    found = _verdicts(f"{context}\nThe layer has {claimed:,} parameters.")
    assert found, "no finding"
    want = Verdict.CORRECT if off == 0 else Verdict.INCORRECT
    assert _strongest(found).verdict is want, [f.explanation for f in found]


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 8), data=st.data())
def test_receptive_field_of_a_described_stack_with_strided_layers(n, data):
    strided = data.draw(st.sets(st.integers(1, n), min_size=1, max_size=n))
    names = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]
    listed = [names[i - 1] for i in sorted(strided)]
    which = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    layers = [derive.layers.Conv2d(1, 1, 3, stride=2 if i + 1 in strided else 1) for i in range(n)]
    rf = int(derive.receptive_field(layers).size[0])
    guess = data.draw(st.sampled_from([rf, rf + 2, 2 * n + 1]))
    verb = "layer has" if len(listed) == 1 else "layers have"
    context = f"A network has {n} 3×3 convolutions; the {which} {verb} stride 2."
    found = _verdicts(f"{context}\nA unit of the last layer sees a {guess}×{guess} region.")
    assert found, (context, guess)
    assert _strongest(found).verdict is (Verdict.CORRECT if guess == rf else Verdict.INCORRECT), [f.explanation for f in found]


def test_reading_pieces():
    r = read_layer(prepare(normalise("a conv layer with sixty-four 3×3 filters on an RGB input")))
    assert (r.kernel, r.c_in, r.c_out) == (3, 3, 64)
    amounts = claimed_amounts(prepare(normalise("about 12.8 MB, i.e. 3,211,264 values")))
    assert [a.quantity for a in amounts] == ["bytes", "values"]


# ---- output size of one described layer ------------------------------------------------------------------------

SIZE_TRUE = [
    ("", "An average pool with a 2×2 window and stride 2 reduces a 9×9 map to 4×4."),
    ("", "Run in ceil mode, a 2×2 max pool with stride 2 takes a 9×9 input to 5×5."),
    ("The stem sees a 299×299 picture.", "A 3×3 convolution with stride 2 and no padding then returns a 149×149 map."),
    ("", "A 4×4 transposed convolution with stride 2 and padding 1 upsamples 10×10 to 20×20."),
    ("Start from an input of width 11, a kernel of width 5, stride 3 and no padding.", "The output width is 3."),
]
SIZE_FALSE = [
    ("", "An average pool with a 2×2 window and stride 2 reduces a 9×9 map to 5×5."),
    ("", "Run in ceil mode, a 2×2 max pool with stride 2 takes a 9×9 input to 4×4."),
    ("The stem sees a 299×299 picture.", "A 3×3 convolution with stride 2 and no padding then returns a 150×150 map."),
    ("", "A 4×4 transposed convolution with stride 2 and padding 1 upsamples 10×10 to 21×21."),
    ("Start from an input of width 11, a kernel of width 5, stride 3 and no padding.", "The output width is 4."),
]


@pytest.mark.parametrize("context, claim", SIZE_TRUE)
def test_true_output_sizes_are_correct(context, claim):
    text = _paragraph(context, claim)
    found = [f for f in _verdicts(text) if f.quantity == "output_size"]
    assert found and _strongest(found).verdict is Verdict.CORRECT, [f.explanation for f in _verdicts(text)]
    assert all(f.verdict is not Verdict.INCORRECT for f in check_claims(text))


@pytest.mark.parametrize("context, claim", SIZE_FALSE)
def test_false_output_sizes_are_found(context, claim):
    found = [f for f in _verdicts(_paragraph(context, claim)) if f.quantity == "output_size"]
    assert found and _strongest(found).verdict is Verdict.INCORRECT, [f.explanation for f in found]


def test_unstated_conv_padding_is_tried_both_ways():
    for claim in ("A 3×3 convolution turns a 20×20 map into an 18×18 map.", "A 3×3 convolution turns a 20×20 map into a 20×20 map."):
        assert _strongest(_verdicts(claim)).verdict is Verdict.CORRECT
    worst = _strongest(_verdicts("A 3×3 convolution turns a 20×20 map into a 19×19 map."))
    assert worst.verdict is Verdict.INCORRECT and "18" in worst.explanation and "20" in worst.explanation


@settings(max_examples=25, deadline=None)
@given(n=st.integers(4, 200), k=st.sampled_from([1, 2, 3, 5, 7]), s=st.integers(1, 4), p=st.integers(0, 3), off=st.sampled_from([0, 1, -1]))
def test_output_size_of_a_random_described_conv(n, k, s, p, off):
    if n + 2 * p < k:
        return
    true = (n + 2 * p - k) // s + 1
    claimed = true + off
    if claimed <= 0:
        return
    text = f"A {k}×{k} convolution with stride {s} and padding {p} turns a {n}×{n} input into a {claimed}×{claimed} map."
    found = [f for f in _verdicts(text) if f.quantity == "output_size"]
    assert found, text
    assert _strongest(found).verdict is (Verdict.CORRECT if off == 0 else Verdict.INCORRECT), [f.explanation for f in found]


# ---- a change of one attribute, decided over the domain the sentence leaves open ---------------------------

@pytest.mark.parametrize("text, verdict", [
    ("Halving the stride of a convolution quadruples its multiply-accumulates.", None),  # holds only where sizes divide
    ("Doubling the kernel size of a convolution doubles its parameters.", Verdict.INCORRECT),
    ("Doubling the number of filters of a convolution doubles its parameters.", Verdict.CORRECT),
    ("Tripling the input channels of a convolution triples its multiply-accumulates.", Verdict.CORRECT),
    ("Doubling the input channels of a convolution always leaves its output size unchanged.", Verdict.CORRECT),
    ("Changing the stride from 1 to 2 always halves the output size of a convolution.", Verdict.INCORRECT),
])
def test_change_effects(text, verdict):
    found = [f for f in check_claims(text) if f.verdict is not Verdict.UNRECOGNIZED]
    if verdict is None:
        assert not [f for f in found if f.verdict is Verdict.INCORRECT or f.verdict is Verdict.CORRECT and f.quantity == "macs"], \
            [f.explanation for f in found]
        return
    assert found and _strongest(found).verdict is verdict, [f.explanation for f in found]
    if verdict is Verdict.INCORRECT:
        cex = _strongest(found).counterexample
        assert cex["ratio"] != cex["claimed"]


def test_calc_accepts_the_names_derive_nets_knows(capsys):
    from proofs.cli.main import main

    for name in ("shufflenet_v2", "ShuffleNet-V2", "inception_v1"):
        assert main(["params", name, "--format", "json"]) == 0
        out, _ = capsys.readouterr()
        assert json.loads(out)["params"] > 10**6


@pytest.mark.parametrize("text, verdict", [
    ("In VGG-16, conv3_3 units see a 40×40 region.", Verdict.CORRECT),
    ("In VGG-16, conv3_3 units see a 7×7 region, three 3×3 layers deep.", Verdict.INCORRECT),
    ("In AlexNet, pool1 units have a receptive field of 19.", Verdict.CORRECT),
    ("In AlexNet, pool1 units have a receptive field of 11.", Verdict.INCORRECT),
])
def test_layers_of_a_named_plain_network(text, verdict):
    found = [f for f in check_claims(text) if f.quantity == "receptive_field"]
    assert found and _strongest(found).verdict is verdict, [f.explanation for f in found]


def test_a_network_with_branches_is_not_flattened():
    assert not [f for f in check_claims("In ResNet-18, conv2_2 units see a 5×5 region.") if f.verdict is Verdict.INCORRECT]
