"""Shape labels of figures of a named network (proofs.judge.named_shapes, proofs.document.figure_labels).

Planted documents in tests/data/tables_figures3/ (written for these tests) draw VGG-16, ResNet-50 and MobileNetV2
as ASCII boxes, a TikZ picture and an image's alternative text and caption, with one or two wrong labels each.
The properties: a label taken from the network's own tensors is CORRECT however it is written (HWC, CHW, C@H×W,
LaTeX), a channel count the network never has at that size is INCORRECT, and a figure of a network "like" a named
one is not compared with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.document.figure_labels import figure_labels, shape_labels
from proofs.judge.named_shapes import judge_labels, label_chw, named_figure_findings, named_networks, net_tensors

from .test_tables_figures import planted

DATA = Path(__file__).resolve().parent.parent / "data" / "tables_figures3"

#: line -> verdict of the document's only non-CORRECT table/figure findings
PLANTED = {
    "vgg16_flow.md": {21: "INCORRECT"},  # 28×28×128: VGG-16 has 256 or 512 channels at 28×28
    "resnet_stages.tex": {16: "INCORRECT"},  # conv5_x 7×7×1024: ResNet-50 ends with 2048 channels
    "mobilenet_caption.html": {6: "INCORRECT"},  # 28×28×48 in the caption: 32 (144, 192 inside the blocks)
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_mistakes_are_found_and_nothing_else_is_flagged(name):
    wrong, correct = planted(DATA / name)
    assert wrong == PLANTED[name]
    assert correct >= 3


@pytest.mark.parametrize("text, nets", [
    ("VGG-16", ["vgg16"]), ("vgg16", ["vgg16"]), ("VGG 19", ["vgg19"]), ("ResNet50", ["resnet50"]),
    ("resnet_101", ["resnet101"]), ("MobileNet-v2", ["mobilenetv2"]), ("EfficientNet B0", ["efficientnetb0"]),
    ("DenseNet-121", ["densenet121"]), ("GoogLeNet", ["googlenet"]), ("Inception v1", ["googlenet"]),
    ("ShuffleNet V2 1.0x", ["shufflenetv2x10"]),
    ("a VGG-style stack", []), ("ResNet-like", []), ("Inception-v3", []), ("DenseNet-201", []), ("MobileNet", []),
    ("a net similar to AlexNet", []), ("VGG16-based", []), ("resnet500", []),
], ids=lambda v: v if isinstance(v, str) else None)
def test_network_names_in_any_spelling(text, nets):
    assert named_networks(text) == nets


def test_a_figure_of_a_network_like_a_named_one_is_not_compared():
    doc = ["# Our VGG-like network", "", "```", "224x224x3", "112x112x96", "56x56x40", "```"]
    assert named_figure_findings(doc) == []


def test_labels_inside_blocks_are_left_alone_and_kernels_are_not_maps():
    # ResNet-50: 14×14×512 is the first 1×1 reduction of conv5_x (inside a block); 3×3×64 could be a kernel
    found = judge_labels([(1, "224×224×3"), (2, "14×14×512"), (3, "3×3×64"), (4, "56×56×256")], ["resnet50"])
    assert [(n, j.verdict) for n, _, j in found] == [(4, "CORRECT")]


def test_family_names_need_every_member_to_agree():
    # 56×56×256 is ResNet-50's stage output but nowhere in ResNet-18: no verdict for "ResNet"
    nets = named_networks("ResNet")
    assert judge_labels([(1, "56×56×256")], nets) == []
    # 56×56×64 is in all of them (the stem's max pooling)
    assert [j.verdict for _, _, j in judge_labels([(1, "56×56×64")], nets)] == ["CORRECT"]


def test_an_input_other_than_the_networks_gives_no_incorrect():
    # LeNet-5 drawn on a 32×32 input (the paper's) while derive.nets builds it on 28×28 with padding 2
    found = judge_labels([(1, "32×32×1"), (2, "28×28×6"), (3, "14×14×6"), (4, "10×10×16"), (5, "12×12×16")],
                         ["lenet5"])
    assert all(j.verdict != "INCORRECT" for _, _, j in found)


def test_code_products_and_batched_shapes_are_not_labels():
    assert shape_labels("nn.Linear(512*7*7, 4096); x = torch.randn(1x3x224x224)") == []
    groups = figure_labels(["```python", "x = x.view(-1, 512*7*7)  # 512x7x7", "```"])
    assert groups == []  # one label: not a figure


def _written(chw, how):
    c, h, w = chw
    return {"hwc": f"{h}x{w}x{c}", "times": f"{h}×{w}×{c}", "at": f"{c}@{h}×{w}", "chw": f"{c}×{h}×{w}",
            "latex": rf"${h}\times{w}\times{c}$"}[how]


NETS = ["vgg16", "resnet18", "mobilenetv2", "densenet121"]


@settings(max_examples=30, deadline=None)
@given(key=st.sampled_from(NETS), data=st.data(),
       how=st.sampled_from(["hwc", "times", "at", "latex"]))
def test_every_tensor_between_layers_is_correct_however_written(key, data, how):
    rows, _ = net_tensors(key)
    shapes = sorted({r[2] for r in rows[1:] if len(r[2]) == 3 and r[2][1] > 1 and r[2][0] != r[2][1]})
    chw = data.draw(st.sampled_from(shapes))
    assert label_chw(shape_labels(_written(chw, how))[0]) == chw
    doc = [f"The maps of {key}:", "", "```", _written(chw, how), _written(rows[-1][2] if len(rows[-1][2]) == 3
                                                                         else chw, how), "```"]
    found = [j.verdict for n, _, j in named_figure_findings(doc) if n == 4]
    assert found == ["CORRECT"]


@settings(max_examples=30, deadline=None)
@given(key=st.sampled_from(NETS), data=st.data())
def test_a_channel_count_the_network_never_has_at_that_size_is_incorrect(key, data):
    rows, inside = net_tensors(key)
    sizes = sorted({r[2][1] for r in rows if len(r[2]) == 3 and r[2][1] > 11})
    h = data.draw(st.sampled_from(sizes))
    present = {s[0] for s in inside if s[1] == h}
    c = data.draw(st.integers(2, 4096).filter(lambda v: v not in present))
    (_, _, j), = judge_labels([(1, f"{h}×{h}×{c}")], [key])
    assert j.verdict == "INCORRECT" and f"not {c}" in j.explanation
