"""``convproof shape | params | rf``: single layers by flags, named networks, spec files, formats, errors."""

from __future__ import annotations

import json

import pytest

from proofs.cli.main import main
from tests.helpers import REPO

SPECS = REPO / "examples" / "specs"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_params_vgg16_prints_the_torchvision_total(capsys):
    status, out, _ = run(capsys, "params", "vgg16")
    assert status == 0 and "parameters: 138,357,544" in out


def test_params_json_for_every_named_network(capsys):
    for name, total in [("lenet5", 61706), ("alexnet", 61100840), ("resnet18", 11689512), ("resnet50", 25557032)]:
        status, out, _ = run(capsys, "params", name, "--format", "json")
        assert status == 0 and json.loads(out)["params"] == total


def test_shape_of_a_symbolic_conv(capsys):
    status, out, _ = run(capsys, "shape", "conv", "--size", "H", "--kernel", "k", "--stride", "s", "--padding", "P",
                         "--dilation", "d")
    assert status == 0 and "⌊(H + 2·P − d·(k − 1) − 1)/s⌋ + 1" in out


def test_shape_with_derivation_text_and_tex(capsys):
    _, out, _ = run(capsys, "shape", "conv", "--size", "H", "--kernel", "k", "--stride", "s", "--padding", "P",
                    "--dilation", "d", "--derivation")
    assert "definition" in out and ("numeric" in out or "exhaustive" in out) and "symbolic" in out and "failed" not in out
    _, tex, _ = run(capsys, "shape", "max_pool", "--size", "H", "--kernel", "k", "--stride", "s", "--padding", "P",
                    "--ceil-mode", "--derivation", "--format", "tex")
    assert "\\begin{align*}" in tex and "\\lceil" in tex


def test_shape_numeric_json(capsys):
    status, out, _ = run(capsys, "shape", "conv", "--size", "224", "--kernel", "7", "--stride", "2", "--padding", "3",
                         "--format", "json", "--derivation")
    data = json.loads(out)
    assert status == 0 and data["value"] == 112
    assert data["derivation"][-1]["rhs"] == "112" and all(s["status"] != "failed" for s in data["derivation"])


def test_shape_tf_same_and_transpose(capsys):
    _, out, _ = run(capsys, "shape", "conv", "--size", "H", "--kernel", "3", "--stride", "2", "--padding", "SAME")
    assert "⌈H/2⌉" in out
    _, out, _ = run(capsys, "shape", "conv_transpose", "--size", "7", "--kernel", "3", "--stride", "2", "--padding", "1",
                    "--output-padding", "1", "--format", "json")
    assert json.loads(out)["value"] == 14


def test_shape_of_a_network_with_symbolic_input(capsys):
    status, out, _ = run(capsys, "shape", "resnet18", "--input", "3,H,W", "--format", "md")
    assert status == 0 and "| conv1 | Conv2d | (64, ⌊(H − 1)/2⌋ + 1, ⌊(W − 1)/2⌋ + 1) |" in out
    assert "output shape**: (1000,)" in out


def test_params_of_a_single_layer(capsys):
    _, out, _ = run(capsys, "params", "conv", "--in-channels", "64", "--out-channels", "128", "--kernel", "3")
    assert "73,856" in out
    _, out, _ = run(capsys, "params", "conv", "--format", "json")
    assert json.loads(out)["params"] == "C_in*C_out*k**2 + C_out"
    _, out, _ = run(capsys, "params", "separable", "--kernel", "k", "--no-bias", "--derivation")
    assert "1/C_out" in out


def test_rf_uniform_stack_closed_form_and_network(capsys):
    _, out, _ = run(capsys, "rf", "conv", "--kernel", "k", "--layers", "L")
    assert "L·(k − 1) + 1" in out
    _, out, _ = run(capsys, "rf", "conv", "--kernel", "3", "--stride", "2", "--layers", "4", "--format", "json")
    assert json.loads(out) == {"layers": 4, "size": 31, "jump": 16, "start": 0}
    _, out, _ = run(capsys, "rf", "resnet18", "--format", "json")
    assert json.loads(out)["receptive_field"]["size"] == [435, 435]


def test_spec_file_and_its_mistakes(capsys, tmp_path):
    status, out, _ = run(capsys, "params", str(SPECS / "tiny_cnn.toml"))
    assert status == 0 and "parameters: 18,090" in out
    bad = tmp_path / "typo.toml"
    bad.write_text('[[layers]]\ntype = "Conv2d"\nin_channels = 3\nout_channels = 8\nkernal_size = 3\n')
    status, _, err = run(capsys, "shape", str(bad))
    assert status == 2 and f"{bad}:5: layer 0 (Conv2d): unknown field 'kernal_size'" in err


def test_latex_table_of_a_network(capsys):
    _, out, _ = run(capsys, "params", "lenet5", "--format", "tex")
    assert out.startswith("\\begin{tabular}") and "61{,}706" in out


BAD = [
    ("unknown-padding", ["shape", "conv", "--size", "8", "--kernel", "3", "--padding", "full"], "'full' is a padding mode of other libraries"),
    ("per-side-triple", ["shape", "conv", "--size", "8", "--kernel", "3", "--padding", "1,2,3"], "'left,right', got '1,2,3'"),
    ("negative-size", ["shape", "conv", "--size", "-3", "--kernel", "3"], "must be a positive integer, got -3"),
    ("expression-is-not-a-name", ["shape", "conv", "--size", "H+1", "--kernel", "3"], "neither an integer nor a symbol name"),
    ("kernel-too-large", ["shape", "conv", "--size", "4", "--kernel", "5"], "kernel larger than padded input"),
    ("output-padding", ["shape", "conv_transpose", "--size", "4", "--kernel", "3", "--stride", "2",
                        "--output-padding", "2"], "output_padding = 2 >= max(2, 1) = 2"),
    ("unknown-target", ["params", "inceptionv3"], "unknown target 'inceptionv3'"),
    ("rf-of-linear", ["rf", "linear"], "has no receptive field"),
]


@pytest.mark.parametrize("argv,message", [r[1:] for r in BAD], ids=[r[0] for r in BAD])
def test_bad_input_exits_2_with_the_rule(capsys, argv, message):
    status, _, err = run(capsys, *argv)
    assert status == 2 and message in err
