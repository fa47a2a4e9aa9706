"""Network, residual blocks, per-layer tables, and TOML spec files (with file/line/field errors)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from derive import BasicBlock, Bottleneck, Network, Residual, SpecError, load_spec
from derive.layers import BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU
from derive.sizes.symbols import H, W
from tests.helpers import REPO, requires_torch

SPECS = REPO / "examples" / "specs"


def test_sequential_totals_and_table():
    net = Network([("conv", Conv2d(3, 8, 3, padding=1)), ("bn", BatchNorm2d(8)), ("relu", ReLU()),
                   ("pool", MaxPool2d(2)), ("flat", Flatten()), ("fc", Linear(8 * 16 * 16, 10))],
                  input_shape=(3, 32, 32))
    rows = net.table()
    assert [r.name for r in rows] == ["conv", "bn", "relu", "pool", "flat", "fc"]
    assert [r.output_shape for r in rows][:4] == [(8, 32, 32)] * 3 + [(8, 16, 16)]
    assert net.params == 224 + 16 + 20490
    assert net.buffers == 17
    assert net.macs() == 8 * 32 * 32 * 27 + 8 * 32 * 32 + 2048 * 10
    assert net.flops() == 2 * net.macs()
    assert [r.rf for r in rows] == [(3, 3)] * 3 + [(4, 4), None, None]


def test_nested_networks_get_dotted_names():
    inner = Network([Conv2d(3, 3, 3, padding=1), ReLU()])
    net = Network([("stage", inner), ("head", Conv2d(3, 1, 1))], input_shape=(3, 8, 8))
    assert [r.name for r in net.table()] == ["stage.0", "stage.1", "head"]


def test_symbolic_input():
    net = Network([Conv2d(3, 8, 3), MaxPool2d(2)])
    assert net.output_shape((3, H, W)) == (8, sp.floor((H - 2) / 2), sp.floor((W - 2) / 2))


def test_missing_input_shape_and_bad_layers():
    with pytest.raises(ValueError, match="give an input shape"):
        Network([ReLU()]).output_shape()
    with pytest.raises(ValueError, match=r"layer '1' \(Conv2d\): Conv2d: input has 8 channels, expected in_channels = 4"):
        Network([Conv2d(3, 8, 3), Conv2d(4, 8, 3)]).output_shape((3, 16, 16))


def test_residual_block_shapes_params_and_receptive_field():
    block = BasicBlock(64, 128, stride=2)
    assert block.shortcut is not None and BasicBlock(64, 64).shortcut is None
    assert block.output_shape((64, 56, 56)) == (128, 28, 28)
    assert block.params == 128 * 64 * 9 + 128 * 128 * 9 + 2 * 256 + 128 * 64 + 256
    (r, j, pad, dil), _ = block.rf_geometry()
    assert (r, j, pad) == (7, 2, 3)
    with pytest.raises(ValueError, match="add a downsample"):
        Residual([Conv2d(8, 16, 3, padding=1)]).output_shape((8, 16, 16))


def test_residual_union_when_the_shortcut_sees_more():
    """A 1x1 main path with a 3x3 shortcut: the block sees the 3x3 window (union of branches)."""
    block = Residual([Conv2d(1, 1, 1)], [Conv2d(1, 1, 3, padding=1)])
    assert block.rf_geometry()[0][:3] == (3, 1, 1)


def test_bottleneck_expansion():
    block = Bottleneck(256, 128, stride=2)
    assert block.output_shape((256, 56, 56)) == (512, 28, 28)
    assert block.macs((256, 56, 56)) > 0


@requires_torch
def test_blocks_params_vs_torch():
    import torch.nn as nn

    def count(*mods):
        return sum(p.numel() for m in mods for p in m.parameters())

    torch_basic = count(nn.Conv2d(64, 128, 3, 2, 1, bias=False), nn.BatchNorm2d(128),
                        nn.Conv2d(128, 128, 3, 1, 1, bias=False), nn.BatchNorm2d(128),
                        nn.Conv2d(64, 128, 1, 2, bias=False), nn.BatchNorm2d(128))
    assert BasicBlock(64, 128, 2).params == torch_basic


# -- spec files ----------------------------------------------------------------------------------------------------
def test_example_specs_load():
    tiny = load_spec(SPECS / "tiny_cnn.toml")
    assert tiny.name == "tiny-cnn" and tiny.output_shape() == (10,)
    assert tiny.params == 18090
    stack = load_spec(SPECS / "symbolic_stack.toml")
    assert not all(sp.sympify(v).is_number for v in stack.output_shape())
    assert stack.receptive_field().size == (15, 15)


GOOD_CONV = '[[layers]]\ntype = "Conv2d"\nin_channels = 1\nout_channels = 4\nkernel_size = 3\n'

BAD_SPECS = [
    ("toml-syntax", 'input = [1, 28, 28\n[[layers]]\ntype = "ReLU"\n', ":2: TOML syntax error"),
    ("no-layers", 'name = "empty"\n', ":1: a spec needs at least one [[layers]] table"),
    ("unknown-top-level", 'inputs = [1, 8, 8]\n' + GOOD_CONV, ":1: unknown top-level field 'inputs'"),
    ("unknown-type", '[[layers]]\ntype = "Conv3d"\n', ":2: layer 0: field 'type': unknown layer type 'Conv3d'"),
    ("missing-type", '[[layers]]\nin_channels = 3\n', ":1: layer 0: missing field 'type'"),
    ("typo-in-field", GOOD_CONV + '[[layers]]\ntype = "MaxPool2d"\nkernal_size = 2\n',
     ":8: layer 1 (MaxPool2d): unknown field 'kernal_size'"),
    ("missing-field", '[[layers]]\ntype = "Linear"\nin_features = 3\n', ":1: layer 0 (Linear): missing field(s) ['out_features']"),
    ("bad-value", '[[layers]]\ntype = "Conv2d"\nin_channels = 1\nout_channels = 4\nkernel_size = -3\n',
     ":5: layer 0 (Conv2d), field 'kernel_size': kernel_size must be a positive integer, got -3"),
    ("shape-does-not-fit", 'input = [1, 2, 2]\n' + GOOD_CONV, ":2: layer 0 (Conv2d): input shape (1, 2, 2)"),
]


@pytest.mark.parametrize("text,message", [r[1:] for r in BAD_SPECS], ids=[r[0] for r in BAD_SPECS])
def test_spec_mistakes_name_file_line_and_field(tmp_path: Path, text, message):
    path = tmp_path / "net.toml"
    path.write_text(text)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert str(info.value).startswith(str(path) + ":")
    assert message in str(info.value)


def test_spec_error_is_a_value_error():
    assert issubclass(SpecError, ValueError)


# -- plain numbers and how a network shows itself ------------------------------------------------------------------
def test_numeric_results_are_plain_ints():
    """json.dumps and f"{n:,}" take every numeric result; symbolic ones stay SymPy."""
    import json

    from derive.nets import resnet18

    net = resnet18()
    totals = net.totals()
    values = [totals["params"], totals["buffers"], totals["macs"], totals["flops"], *totals["output_shape"],
              net.bias_adds(), *net.receptive_field().size, *net.receptive_field().jump, *net.receptive_field().start]
    for row in net.table():
        values += [row.params, row.macs, *row.output_shape, *(row.rf or ()), *(row.jump or ())]
    layer = Conv2d(64, 128, 3, padding=1)
    values += [layer.params, layer.buffers, layer.macs((64, 56, 56)), layer.flops((64, 56, 56)),
               layer.bias_adds((64, 56, 56)), *layer.output_shape((8, 64, 56, 56)), ReLU().macs((3, 4, 4))]
    assert all(type(v) is int for v in values), [type(v) for v in values if type(v) is not int]
    assert f"{totals['params']:,}" == "11,689,512"
    assert json.loads(json.dumps(values)) == values
    assert isinstance(Conv2d(3, 8, 3).output_shape((3, H, W))[1], sp.Expr)


def test_network_repr_and_jupyter_table():
    net = Network([("conv", Conv2d(3, 8, 3, padding=1)), ("pool", MaxPool2d(2)), ("block", BasicBlock(8, 8))],
                  name="demo", input_shape=(3, 16, 16))
    text = repr(net)
    assert text.splitlines()[0] == "Network('demo', input_shape=(3, 16, 16), params=1,408)"  # 224 + 2·(8·8·9) + 2·16
    assert "  (block): BasicBlock(8, 8, stride=1)" in text.splitlines()
    md = net._repr_markdown_()
    assert "| conv | Conv2d | (8, 16, 16) | 224 | 55,296 | 3×3 |" in md
    assert "| pool | MaxPool2d | (8, 8, 8) | 0 | 0 | 4×4 |" in md
    assert md.rstrip().endswith("receptive field 12×12")
    assert net.receptive_field().size == (12, 12)
    page = net._repr_html_()
    assert page.count("<tr>") == 4 and "<td>(8, 8, 8)</td>" in page
    bare = Network([("a|b", Conv2d(1, 2, 3))])._repr_markdown_()  # no input shape: no shapes or MACs
    assert "| a\\|b | Conv2d | 20 |" in bare and "no input_shape" in bare
