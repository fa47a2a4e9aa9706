"""Model summaries, listings, layer tables and prose shapes read from hostile text never raise."""

from hypothesis import given, settings, strategies as st

from proofs import check_text
from proofs.judge.summary_check import summary_findings
from proofs.judge.summary_listing import listing_findings
from proofs.judge.summary_prose import prose_shape_findings
from proofs.judge.table_layers import layer_table_findings

PIECES = ["Layer (type)   Output Shape   Param #", "Layer (type:depth-idx)  Output Shape  Param #", "(None, ", "[-1, ",
          "[(None, ", "0", "-1", "3", "28", "64", "1,024", ", ", ")", "]", " ", "conv2d (Conv2D)", "Conv2d-1",
          "├─Linear: 1-1", "│", "dense (Dense)", "max_pooling2d (MaxPooling2", "Total params: ", "Trainable params: ",
          "Non-trainable params: ", "Params size (MB): ", "0.57", "(12.5 KB)", "--", "nn.Conv2d(1, 10, 3)",
          "layers.Conv2D(0, (0, 3), strides=0)", "nn.MaxPool2d(0)", "layers.Dense(-3)", "nn.Linear(0, 5)",
          "input_shape=(28, 28, 1)", "summary(model, (1, 28, 28))", ".build((None, 0, 5, 1))", "(10,26,26)",
          "flattened into a vector of ", "CONV: [8x8x3] memory: 8*8*3=0K weights: 0", "TOTAL memory: 1M",
          "TOTAL params: 0", "FC: [1x1x0] weights: 5", "\n"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_readers_never_raise(parts):
    text = "".join(parts)
    lines = list(enumerate(text.split("\n"), 1))
    summary_findings(lines)
    listing_findings(lines)
    prose_shape_findings(lines)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["", "-", "0", "3", "3x3", "2×2", "28×28×6", "same", "valid", "1,024", "conv",
                                          "max pool", "fc", "Layer", "Kernel", "Stride", "Padding", "Output size",
                                          "Channels", "Input", "Params", "x"]), min_size=1, max_size=7),
                min_size=2, max_size=8))
def test_layer_tables_never_raise(cells):
    rows = [(n, row) for n, row in enumerate(cells, 1)]
    rows[0] = (1, ["Layer", "Channels", "Input", "Output size", "Kernel", "Stride", "Padding", "Params"][:len(cells[0])])
    layer_table_findings(rows)


def test_a_degenerate_summary_in_a_document_is_not_an_internal_error():
    doc = "```\nLayer (type)  Output Shape  Param #\nconv2d (Conv2D)  (None, 0, 0, 0)  0\nTotal params: 0\n```\n"
    assert all("internal error" not in f.explanation for f in check_text(doc).findings)
