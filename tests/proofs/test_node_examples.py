"""Operator nodes on literal arrays (proofs.code.node_examples): random small configurations rendered as an ONNX-style
example with PyTorch's output written out are CORRECT; one changed entry is INCORRECT at that entry's line."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.code.node_examples import close_to_written, node_judgements

torch = pytest.importorskip("torch")


def _lit(a: np.ndarray) -> str:
    """An array as a nested list, one innermost row per line (so entries have their own lines)."""
    if a.ndim == 1:
        return "[" + ", ".join(f"{v:.4f}" if v != int(v) else str(int(v)) for v in a) + "]"
    return "[\n" + ",\n".join(_lit(r) for r in a) + "\n]"


def _render(op: str, attrs: dict, inputs: dict, y: np.ndarray) -> str:
    attr = "".join(f"    {k}={v!r},\n" for k, v in attrs.items())
    lines = [f"node = onnx.helper.make_node(\n    {op!r},\n    inputs={list(inputs)!r},\n    outputs=['y'],\n{attr})"]
    lines += [f"{k} = np.array({_lit(v)}).astype(np.float32)" for k, v in inputs.items()]
    lines.append(f"y = np.array({_lit(y)}).astype(np.float32)")
    lines.append(f"expect(node, inputs=[{', '.join(inputs)}], outputs=[y], name='test_case')")
    return "\n".join(lines)


@st.composite
def _cases(draw):
    op = draw(st.sampled_from(["Conv", "MaxPool", "AveragePool", "ConvTranspose"]))
    k = draw(st.integers(1, 3))
    s = draw(st.integers(1, 2))
    p = draw(st.integers(0, k // 2))
    n = draw(st.integers(k + 1, 6))
    x = np.array(draw(st.lists(st.integers(-5, 9), min_size=n * n, max_size=n * n)), dtype=float).reshape(1, 1, n, n)
    tx = torch.tensor(x)
    if op == "MaxPool":
        y = torch.nn.functional.max_pool2d(tx, k, s, p).numpy()
        return op, {"kernel_shape": [k, k], "strides": [s, s], "pads": [p] * 4}, {"x": x}, y
    if op == "AveragePool":
        inc = draw(st.booleans())
        y = torch.nn.functional.avg_pool2d(tx, k, s, p, count_include_pad=inc).numpy()
        return op, {"kernel_shape": [k, k], "strides": [s, s], "pads": [p] * 4, "count_include_pad": int(inc)}, {"x": x}, y
    w = np.array(draw(st.lists(st.integers(-3, 3), min_size=k * k, max_size=k * k)), dtype=float).reshape(1, 1, k, k)
    if op == "Conv":
        y = torch.nn.functional.conv2d(tx, torch.tensor(w), stride=s, padding=p).numpy()
    else:
        y = torch.nn.functional.conv_transpose2d(tx, torch.tensor(w), stride=s, padding=p).numpy()
    return op, {"kernel_shape": [k, k], "strides": [s, s], "pads": [p] * 4}, {"x": x, "W": w}, y


@settings(max_examples=40, deadline=None)
@given(_cases(), st.data())
def test_random_nodes_correct_and_one_entry_changed(case, data):
    op, attrs, inputs, y = case
    src = _render(op, attrs, inputs, y)
    got = node_judgements(src)
    assert [j.verdict for _, j in got] == ["CORRECT"], (src, got)
    flat = data.draw(st.integers(0, y.size - 1))
    bad = y.copy()
    bad.flat[flat] += data.draw(st.sampled_from([1.0, -2.0, 0.5]))
    text = _render(op, attrs, inputs, bad)
    (line, j), = node_judgements(text)
    idx = tuple(int(i) for i in np.unravel_index(flat, y.shape))
    assert j.verdict == "INCORRECT" and j.counterexample["index"] == str(idx)
    row = _lit(bad[idx[:-1]])  # the finding is at the line of the changed entry's row
    assert text.splitlines()[line - 1].strip().rstrip(",") == row


def test_unknown_input_or_operator_is_unrecognized():
    src = ("node = onnx.helper.make_node('MaxPool', inputs=['x'], outputs=['y'], kernel_shape=[2, 2])\n"
           "x = np.random.randn(1, 1, 4, 4)\ny = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])\n"
           "expect(node, inputs=[x], outputs=[y], name='t')")
    (line, j), = node_judgements(src)
    assert (line, j.verdict) == (3, "UNRECOGNIZED") and "x" in j.explanation
    known = src.replace("np.random.randn(1, 1, 4, 4)", "np.ones((1, 1, 4, 4))")
    (_, j), = node_judgements(known.replace("'MaxPool'", "'DeformConv'"))
    assert j.verdict == "UNRECOGNIZED" and "DeformConv" in j.explanation
    assert node_judgements(known.replace("'MaxPool'", "'Gemm'")) == []  # another family: no statement of this kind


def test_expected_computed_by_a_reference_function_is_not_a_statement():
    src = ("node = onnx.helper.make_node('MaxPool', inputs=['x'], outputs=['y'], kernel_shape=[2, 2])\n"
           "x = np.ones((1, 1, 4, 4))\ny = pool(x, (2, 2))\nexpect(node, inputs=[x], outputs=[y], name='t')")
    assert node_judgements(src) == []


def test_a_reassigned_input_is_forgotten():
    src = ("node = onnx.helper.make_node('MaxPool', inputs=['x'], outputs=['y'], kernel_shape=[2, 2])\n"
           "x = np.ones((1, 1, 4, 4))\nx[0, 0, 0, 0] = 5\ny = np.array([[[[1.0, 1.0], [1.0, 1.0]]]])\n"
           "expect(node, inputs=[x], outputs=[y], name='t')")
    assert [j.verdict for _, j in node_judgements(src)] == ["UNRECOGNIZED"]


@pytest.mark.parametrize("text,value,ok", [("0.1511", 0.15114, True), ("0.1511", 0.1513, False), ("6", 6.0000001, True),
                                           ("6", 6.4, False), ("1.2e-01", 0.1204, True), ("1.2e-01", 0.13, False),
                                           ("-2.", -2.0, True)])
def test_digits_written(text, value, ok):
    assert close_to_written(text, value) is ok


def test_same_lower_puts_the_odd_padding_first():
    src = ("node = onnx.helper.make_node('MaxPool', inputs=['x'], outputs=['y'], kernel_shape=[2, 2], auto_pad='SAME_LOWER')\n"
           "x = np.arange(16).reshape(1, 1, 4, 4).astype(np.float32)\n"
           "y = np.array([[[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]]])\n"
           "expect(node, inputs=[x], outputs=[y], name='t')")
    assert [j.verdict for _, j in node_judgements(src)] == ["CORRECT"]
    upper = src.replace("SAME_LOWER", "SAME_UPPER")
    (_, j), = node_judgements(upper)
    assert j.verdict == "INCORRECT" and j.counterexample["index"] == "(0, 0, 0, 0)"


_DATA = __import__("pathlib").Path(__file__).resolve().parents[1] / "data" / "value_examples"


def _verdicts(name: str) -> list:
    from proofs.code.findings import code_findings_in

    return [(f.line, f.verdict.value) for f in code_findings_in((_DATA / name).read_text().splitlines())]


def test_node_document_with_one_planted_entry():
    assert _verdicts("pool_nodes.md") == [(17, "CORRECT"), (35, "INCORRECT"), (43, "CORRECT")]


def test_printed_arrays_of_functional_calls_and_own_function():
    assert _verdicts("functional_printed.md") == [(29, "INCORRECT"), (42, "CORRECT"), (53, "CORRECT")]


@settings(max_examples=25, deadline=None)
@given(st.integers(3, 6), st.integers(1, 3), st.integers(1, 2), st.data())
def test_random_printed_conv_outputs(n, k, s, data):
    from proofs.code.blocks import document_cells
    from proofs.code.printed_arrays import printed_judgements

    x = np.array(data.draw(st.lists(st.integers(-4, 4), min_size=n * n, max_size=n * n)), dtype=float).reshape(1, 1, n, n)
    w = np.array(data.draw(st.lists(st.integers(-2, 2), min_size=k * k, max_size=k * k)), dtype=float).reshape(1, 1, k, k)
    y = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), stride=s)
    printed = str(y.float()).splitlines()
    src = ["```python", f"x = torch.tensor({x.tolist()})", f"w = torch.tensor({w.tolist()})",
           f"y = torch.nn.functional.conv2d(x, w, stride={s})", "print(y)", "```", "", "```", *printed, "```"]
    assert [j.verdict for _, j in printed_judgements(document_cells(src))] == ["CORRECT"]
    bad = y.clone()
    bad.view(-1)[data.draw(st.integers(0, y.numel() - 1))] += 3
    src[-1 - len(printed):-1] = str(bad.float()).splitlines()
    assert [j.verdict for _, j in printed_judgements(document_cells(src))] == ["INCORRECT"]


def test_output_indented_fenced_as_code_or_commented():
    assert _verdicts("output_forms.md") == [(20, "CORRECT"), (31, "INCORRECT"), (37, "CORRECT")]


def test_pooling_layers_called_on_literal_tensors():
    assert _verdicts("pool_layers.md") == [(23, "CORRECT"), (32, "CORRECT"), (42, "INCORRECT")]
