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
    # slides exported to text (loose shape lines) and a framework's printout (torch.Size with the batch first);
    # not found: "56 x56 x 256" after the second pooling (VGG-16 has 56×56×256, after the next convolution: labels
    # are compared with the network's tensors, not with their position in it)
    "vgg_slides.md": {21: "INCORRECT"},  # torch.Size([1, 1024, 7, 7]): VGG-16 has 512 channels at 7×7
    # tables whose rows give the layer and its filters, the input and the kernels in the text
    "small_cnn_params.tex": {18: "CONDITIONAL"},  # \num{36864}: 3·3·64·64 without the bias the text gives
    "weights_any_order.md": {13: "INCORRECT"},  # the total, label after the number: 1,664,706 (1.6M is 1,601,000)
    "memory_html.html": {10: "INCORRECT"},  # 16×16×32 float32 values are 32 KB, not 64 KB
    # a "stage | tensor" table, kernels from "Both convolutions use 3×3 kernels": 16 → 7 by a 2×2 pooling; and an
    # arrow chain whose 2×2 pooling takes 15 to 8 (only with 'same' padding or ceil_mode)
    "plain_chain.md": {11: "INCORRECT", 13: "CONDITIONAL"},
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
    wrong, correct = planted(DATA / "unnamed_custom.md")  # "Unlike VGG-16, our network …": its own shapes
    assert wrong == {}


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


# --- tables: the input and the shared hyperparameters from the text, totals, number formats, memory ---------------

from proofs.judge.table_context import stated_defaults, stated_input, stated_storage  # noqa: E402
from proofs.judge.tables import _cell_text, table_findings  # noqa: E402


@pytest.mark.parametrize("text, chw", [
    ("The network takes a 32×32 RGB image.", (3, 32, 32)),
    ("Input: 227x227x3 colour images.", (3, 227, 227)),
    ("We feed it 28 × 28 greyscale digits.", (1, 28, 28)),
    (r"The input is a $64\times64$ colour picture.", (3, 64, 64)),
    ("The input tensor is 3×224×224.", (3, 224, 224)),
    ("Each 3×3 kernel sees a patch of the input.", None),
    ("The output is 7×7×512.", None),
])
def test_the_input_a_sentence_states(text, chw):
    assert stated_input(text) == chw


@pytest.mark.parametrize("text, conv", [
    ("All convolutions use 3×3 filters, stride 1 and padding 1.", {"kernel": 3, "stride": 1, "padding": 1}),
    ("Each conv layer is 5x5 with no padding.", {"kernel": 5, "padding": 0}),
    ("Our convolutions are 3×3 with 'same' padding.", {"kernel": 3, "padding": "SAME"}),
    ("Both convolutional layers have 7×7 kernels, stride 2.", {"kernel": 7, "stride": 2}),
    ("All convolutions are 3×3, except the first, which is 7×7.", None),
    ("The first convolution is 5×5.", None),  # one layer, not a default
    ("Every convolution is followed by 2×2 max pooling.", None),  # names both: whose 2×2 is it?
])
def test_defaults_every_convolution_shares(text, conv):
    assert stated_defaults(text).get("conv") == conv


def test_storage_stated_in_words():
    assert stated_storage("activations are kept as 32-bit floats") == (4, 1)
    assert stated_storage("half precision (fp16) activations, batch size of 16") == (2, 16)
    assert stated_storage("weights in float32 and activations in fp16") == (None, 1)  # two: not decided


@pytest.mark.parametrize("cell, text", [
    (r"\num{61100}", "61100"), (r"61\,100", "61100"), ("61 100", "61 100"), ("61\u202f100", "61100"),
    (r"\textbf{\num{1234}}", "1234"), (r"\SI{1.2}{M}", "1.2M"), ("**1,234**", "1,234"),
])
def test_number_formats_of_cells(cell, text):
    assert _cell_text(cell) == text


def _stack_table(fmt: str, counts: list, total: int, header=("Layer", "Filters", "Output size", "Params")):
    """A table of three 3×3 'same' convolutions (16, 32, 64 filters) on a 32×32 RGB input, in ``fmt``."""
    rows = [("conv1", "16", "32×32×16", counts[0]), ("conv2", "32", "32×32×32", counts[1]),
            ("conv3", "64", "32×32×64", counts[2]), ("Total", "", "", total)]
    intro = ["## Three convolutions", "", "The input is a 32×32 RGB image. All convolutions are 3×3 with padding 1.", ""]
    if fmt == "md":
        return intro + ["| " + " | ".join(header) + " |", "|---|---|---|---|"] + [
            "| " + " | ".join(map(str, r)) + " |" for r in rows]
    return intro + [r"\begin{tabular}{lrrr}", " & ".join(header) + r" \\", r"\hline"] + [
        " & ".join(map(str, r)) + r" \\" for r in rows] + [r"\end{tabular}"]


_SEP = {"comma": "{:,}", "thin": r"{:,}", "num": r"\num{{{}}}", "plain": "{}"}


@settings(max_examples=25, deadline=None)
@given(fmt=st.sampled_from(["md", "tex"]), sep=st.sampled_from(sorted(_SEP)), wrong=st.integers(-1, 3),
       delta=st.sampled_from([-10, -1, 1, 64, 1000]))
def test_counts_taken_from_the_row_above_and_the_total(fmt, sep, wrong, delta):
    true = [3 * 3 * 3 * 16 + 16, 3 * 3 * 16 * 32 + 32, 3 * 3 * 32 * 64 + 64]  # the oracle: plain arithmetic
    counts, total = list(true), sum(true)
    if wrong == 3:
        total += delta
    elif wrong >= 0:
        counts[wrong] += delta
        total += delta  # the total stays the sum of the rows: only the row is wrong
    if sep == "thin" and fmt == "tex":
        show = lambda v: f"{v:,}".replace(",", r"\,")  # noqa: E731
    else:
        show = (lambda v: _SEP[sep].format(v)) if not (sep == "num" and fmt == "md") else str
    doc = _stack_table(fmt, [show(v) for v in counts], show(total))
    found = [(n, j.quantity, j.verdict) for n, _, j in table_findings(doc)]
    bad = {(q, n) for n, q, v in found if v not in ("CORRECT", "UNRECOGNIZED")}
    first = 7 if fmt == "md" else 8
    params = {n: v for n, q, v in found if q == "param_count"}
    assert sorted(params) == [first, first + 1, first + 2]
    if wrong == -1:
        assert not bad
    elif wrong == 3:
        assert bad == {("table_total", first + 3)}
    else:
        assert ("param_count", first + wrong) in bad and all(q != "table_total" for q, _ in bad)


def test_a_tables_rows_are_not_loose_shape_lines():
    doc = ["ResNet-50 layer by layer", "", "| name | output |", "|---|---|", "| conv1 | 64x112x112 |",
           "| maxpool | 64x56x56 |"]
    assert [g for g in figure_labels(doc) if g.kind == "shape list"] == []


def test_a_size_the_network_never_has_needs_the_figures_input():
    # a CIFAR ResNet printing its maps: 16×16 is no size of ResNet-18 at 224², but the input is not given
    assert judge_labels([(1, "128@16×16"), (2, "256@8×8")], ["resnet18"]) == []
    found = judge_labels([(1, "224×224×3"), (2, "128@16×16")], ["resnet18"])  # its own input: 128 maps are 28×28
    assert [j.verdict for _, _, j in found] == ["INCORRECT"] and "28×28" in found[0][2].explanation
