"""Worked examples written as code (:mod:`proofs.code`): planted mistakes in our own documents, properties over
random configurations, and a cross-check of the followed shapes with PyTorch itself."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.checker import check_file
from proofs.code import code_findings, code_findings_in
from proofs.document import read_file

DATA = Path(__file__).parent / "data" / "code_examples"


def _verdicts(name: str) -> list[tuple[int, str]]:
    return [(f.line, f.verdict.value) for f in code_findings(read_file(DATA / name))]


@pytest.mark.parametrize("name, expected", [
    ("torch_walkthrough.md", [(15, "CORRECT"), (16, "INCORRECT"), (17, "CORRECT"), (25, "CORRECT"), (26, "INCORRECT"),
                              (34, "INCORRECT"), (36, "CORRECT"), (44, "CORRECT"), (46, "INCORRECT")]),
    ("keras_same.ipynb", [(31, "CORRECT"), (32, "CORRECT"), (51, "INCORRECT"), (73, "INCORRECT")]),
    ("jax_lax.rst", [(19, "CORRECT"), (26, "CORRECT"), (30, "INCORRECT")]),
    ("numpy_modes.md", [(18, "CORRECT"), (19, "CORRECT"), (20, "CORRECT"), (21, "INCORRECT")]),
    ("jax_dimension_numbers.md", [(26, "CORRECT"), (27, "CORRECT"), (28, "INCORRECT"), (37, "CORRECT")]),
    ("pool_page.html", [(13, "INCORRECT"), (17, "CORRECT")]),
    ("notedown_outputs.md", [(20, "CORRECT"), (20, "INCORRECT")]),
    ("torch_params.md", [(11, "CORRECT"), (12, "CORRECT"), (13, "INCORRECT")]),
    ("keras_doctest.md", [(9, "CORRECT"), (11, "CORRECT"), (13, "CORRECT"), (16, "INCORRECT")]),
], ids=lambda v: v if isinstance(v, str) else "")
def test_planted_mistakes_found_and_right_shapes_accepted(name, expected):
    assert _verdicts(name) == expected


def test_counterexample_names_the_computed_shape_and_rule():
    f = next(f for f in code_findings(read_file(DATA / "torch_walkthrough.md")) if f.line == 34)
    assert f.quantity == "transposed_output_size"
    assert f.counterexample["computed"] == "(2, 16, 32, 32)" and f.counterexample["stated"] == "(2, 16, 31, 31)"
    assert "output_padding 1" in f.counterexample["rule"]


def test_checker_reports_code_findings_once_at_the_file_lines():
    report = check_file(DATA / "keras_same.ipynb")
    mine = [(f.line, f.verdict.value) for f in report.findings if "code" in (f.explanation or "")]
    assert mine == [(31, "CORRECT"), (32, "CORRECT"), (51, "INCORRECT"), (73, "INCORRECT")]


@pytest.mark.parametrize("code, why", [
    ("x = torch.randn(1, 3, 8, 8)\ny = nn.Conv2d(1, 4, 3)(x)  # (1, 4, 6, 6)\n", "channels do not fit"),
    ("y = nn.Conv2d(3, 4, 3)(x)  # (1, 4, 6, 6)\n", "x unknown"),
    ("x = torch.randn(1, 3, 8, 8)\nfor i in range(n):\n    x = nn.MaxPool2d(2)(x)\nprint(x.shape)  # (1, 3, 4, 4)\n", "loop"),
    ("x = torch.randn(1, 3, 8, 8)\nif flag:\n    x = nn.MaxPool2d(2)(x)\ny = nn.Conv2d(3, 3, 3)(x)  # (1, 3, 6, 6)\n", "branch"),
    ("x = torch.randn(1, 3, 8, 8)  # (1, 3, 9, 9)\n", "no size rule applied"),
    ("x = torch.randn(1, 3, 8, 8)\ny = nn.Conv2d(3, 4, 3, stride=2, padding='same')(x)  # (1, 4, 4, 4)\n", "torch rejects"),
    ("x = np.zeros((1, 8, 8, 3))\ny = layers.Conv2DTranspose(4, 3, strides=2, padding='same')(x)  # (1, 16, 16, 4)\n",
     "keras same transposed not derived"),
])
def test_undetermined_code_gets_no_verdict(code, why):
    assert code_findings_in(["```python", *code.splitlines(), "```"]) == [], why


def test_never_executes_the_document():
    code = ["```python", "import os", "os.system('touch /tmp/convproof_code_pwned')", "__import__('os').remove('x')",
            "print(torch.randn(1, 1, 4, 4).shape)", "```", "```", "torch.Size([1, 1, 4, 4])", "```"]
    assert code_findings_in(code) == []
    assert not Path("/tmp/convproof_code_pwned").exists()


def _conv_out(h, k, s, p, d):  # the test's own oracle: count of window positions, written independently
    return len(range(0, h + 2 * p - d * (k - 1), s))


_CONF = st.tuples(st.integers(4, 40), st.integers(1, 5), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2)).filter(
    lambda c: c[0] + 2 * c[3] - c[4] * (c[1] - 1) >= 1)


@settings(deadline=None, max_examples=25)
@given(_CONF, st.integers(1, 6), st.sampled_from([0, 1, -1]))
def test_printed_torch_shape_correct_iff_rule(conf, c_out, off):
    h, k, s, p, d = conf
    out = _conv_out(h, k, s, p, d)
    shown = out + off
    doc = ["```python", f"x = torch.randn(1, 2, {h}, {h})", f"y = nn.Conv2d(2, {c_out}, {k}, stride={s}, padding={p}, dilation={d})(x)",
           "print(y.shape)", "```", "", "```", f"torch.Size([1, {c_out}, {shown}, {shown}])", "```"]
    found = code_findings_in(doc)
    if shown < 1:
        return
    assert [(f.line, f.verdict.value) for f in found] == [(8, "CORRECT" if off == 0 else "INCORRECT")]


@settings(deadline=None, max_examples=25)
@given(st.integers(1, 30), st.integers(1, 5), st.integers(1, 4), st.booleans(), st.sampled_from([0, 1]))
def test_keras_same_and_valid_comments(h, k, s, same, off):
    if not same and h < k:
        return
    out = math.ceil(h / s) if same else math.ceil((h - k + 1) / s)
    pad = "same" if same else "valid"
    doc = ["```python", f"x = tf.zeros((2, {h}, {h}, 3))",
           f"y = layers.Conv2D(5, {k}, strides={s}, padding='{pad}')(x)  # (2, {out + off}, {out + off}, 5)", "```"]
    assert [f.verdict.value for f in code_findings_in(doc)] == ["CORRECT" if off == 0 else "INCORRECT"]


@settings(deadline=None, max_examples=20)
@given(st.integers(2, 12), st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.sampled_from([0, 1]))
def test_transposed_torch_doctest(h, k, s, p, op):
    if op >= s or (h - 1) * s - 2 * p + k + op < 1:
        return
    out = (h - 1) * s - 2 * p + (k - 1) + op + 1
    doc = [">>> x = torch.zeros(1, 3, %d, %d)" % (h, h),
           f">>> nn.ConvTranspose2d(3, 2, {k}, stride={s}, padding={p}, output_padding={op})(x).shape",
           f"torch.Size([1, 2, {out}, {out}])"]
    assert [f.verdict.value for f in code_findings_in(doc)] == ["CORRECT"]


def test_followed_shapes_agree_with_pytorch():
    torch = pytest.importorskip("torch")
    nn = torch.nn
    cases = [("nn.Conv2d(3, 8, 5, stride=2, padding=1, dilation=2)", nn.Conv2d(3, 8, 5, stride=2, padding=1, dilation=2)),
             ("nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)", nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)),
             ("nn.AvgPool2d(3, stride=2, ceil_mode=True)", nn.AvgPool2d(3, stride=2, ceil_mode=True)),
             ("nn.ConvTranspose2d(3, 4, 4, stride=3, padding=1, output_padding=2)",
              nn.ConvTranspose2d(3, 4, 4, stride=3, padding=1, output_padding=2)),
             ("nn.Conv2d(3, 6, 3, padding='same', dilation=3, groups=3)", nn.Conv2d(3, 6, 3, padding="same", dilation=3, groups=3))]
    for text, layer in cases:
        for h in (9, 10, 17):
            real = tuple(layer(torch.zeros(2, 3, h, h + 1)).shape)
            doc = ["```python", f"x = torch.zeros(2, 3, {h}, {h + 1})", f"y = {text}(x)  # {real}", "```"]
            assert [f.verdict.value for f in code_findings_in(doc)] == ["CORRECT"], (text, h, real)


@pytest.mark.parametrize("code, shown, verdict", [
    ("from flax import linen as nn\nx = jnp.ones((1, 9, 9, 2))\n"
     "y, params = nn.Conv(4, (3, 3), strides=2, padding='VALID').init_with_output(jax.random.PRNGKey(0), x)",
     "(1, 4, 4, 4)", "CORRECT"),
    ("x = jnp.ones((1, 9, 9, 2))\ny = flax.linen.max_pool(x, (2, 2))", "(1, 8, 8, 2)", "CORRECT"),
    ("x = tf.zeros((1, 4, 4, 1))\ny = tf.keras.layers.MaxPool2D(3, strides=2)(tf.pad(x, [[0, 0], [1, 0], [1, 0], [0, 0]]))",
     "(1, 2, 2, 1)", "CORRECT"),
    ("x = torch.ones(2, 3, 8, 8)\ny = nn.Conv2d(3, 3, 3)(F.pad(x, (1, 1, 1, 1)))[0]", "(3, 8, 8)", "CORRECT"),
    ("x = torch.ones(2, 3, 8, 8)\ny = nn.Conv2d(3, 3, 3)(x).transpose(1, 3)", "(2, 6, 6, 3)", "CORRECT"),
    ("x = np.ones((8, 8))\ny = signal.correlate2d(x, np.ones((3, 3)), 'same')", "(8, 8)", "CORRECT"),
    ("x = jnp.ones((1, 9, 9, 2))\ny = flax.linen.max_pool(x, (2, 2))", "(1, 4, 4, 2)", "INCORRECT"),
])
def test_more_libraries_and_reshaping(code, shown, verdict):
    doc = ["```python", *code.splitlines(), "print(y.shape)", "```", "", "```", shown, "```"]
    assert [f.verdict.value for f in code_findings_in(doc)] == [verdict]


def test_parameter_counts_agree_with_pytorch():
    torch = pytest.importorskip("torch")
    nn = torch.nn
    models = {
        "nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.Conv2d(8, 8, 3, groups=4, bias=False))":
            nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.Conv2d(8, 8, 3, groups=4, bias=False)),
        "nn.Sequential(nn.ConvTranspose2d(4, 6, 3, groups=2), nn.Flatten(), nn.Linear(30, 7))":
            nn.Sequential(nn.ConvTranspose2d(4, 6, 3, groups=2), nn.Flatten(), nn.Linear(30, 7)),
        "nn.Conv1d(2, 5, 4)": nn.Conv1d(2, 5, 4),
    }
    for text, model in models.items():
        real = sum(p.numel() for p in model.parameters())
        doc = ["```python", f"net = {text}", "print(sum(p.numel() for p in net.parameters()))", "```", "```", str(real), "```"]
        assert [f.verdict.value for f in code_findings_in(doc)] == ["CORRECT"], text


@pytest.mark.parametrize("comment, verdicts", [
    ("# 3x3 conv", []),
    ("# input (1, 3, 32, 32)", []),
    ("# from 32x32 to 30x30", []),
    ("# kernel 3x3, 16 filters", []),
    ("# -> 30x30", ["CORRECT"]),
    ("# output: (1, 16, 31, 31)", ["INCORRECT"]),
    ("# 31x31", ["INCORRECT"]),
    ("# (N, 16, 30, 30)", ["CORRECT"]),
])
def test_comment_claims_only_about_the_result(comment, verdicts):
    doc = ["```python", f"y = nn.Conv2d(3, 16, 3)(torch.zeros(1, 3, 32, 32))  {comment}", "```"]
    assert [f.verdict.value for f in code_findings_in(doc)] == verdicts


def test_notebook_run_out_of_order_gives_no_incorrect(tmp_path):
    text = (DATA / "keras_same.ipynb").read_text(encoding="utf-8").replace('"execution_count": 4', '"execution_count": 1')
    path = tmp_path / "shuffled.ipynb"
    path.write_text(text, encoding="utf-8")
    got = [(f.line, f.verdict.value) for f in code_findings(read_file(path))]
    assert got == [(31, "CORRECT"), (32, "CORRECT"), (51, "UNRECOGNIZED"), (73, "UNRECOGNIZED")]


@pytest.mark.parametrize("shown, verdict", [("96522", "CORRECT"), ("96,522", "CORRECT"), ("96523", "INCORRECT")])
def test_keras_count_params(shown, verdict):
    # by hand: 3·3·1·32+32 = 320; 3·3·32·64+64 = 18,496; batch norm 4·64 = 256; 11·11·64·10+10 = 77,450
    doc = ["```python", "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, (3, 3)),",
           "    layers.MaxPooling2D((2, 2)), layers.Conv2D(64, (3, 3)), layers.BatchNormalization(),",
           "    layers.Flatten(), layers.Dense(10)])", "print(model.count_params())", "```", "```", shown, "```"]
    assert [f.verdict.value for f in code_findings_in(doc)] == [verdict]


def test_comment_lines_after_a_shown_value():
    doc = ["```python", "x = torch.zeros(1, 1, 32, 32)", "y = nn.Conv2d(1, 6, 5)(x)", "print(y.shape)",
           "# torch.Size([1, 6, 28, 28])", "z = nn.MaxPool2d(2)(y)", "z.shape", "# Output: torch.Size([1, 6, 15, 15])",
           "# output after the next pooling: 7x7", "w = nn.MaxPool2d(2)(z)", "# (1, 6, 99, 99) is not about w", "```"]
    assert [(f.line, f.verdict.value) for f in code_findings_in(doc)] == [(5, "CORRECT"), (8, "INCORRECT")]
