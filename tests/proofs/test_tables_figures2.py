"""Tables in the document's own notation (``CONV1 (f=5, s=1)`` over tuple shapes) and VGG-like drawings whose labels
give shapes but not the kernels (proofs.judge.layer_letters, layer_chain, table_layers).

Planted documents in tests/data/tables_figures2/ (written for these tests) have known mistakes; random layer
stacks written as "Activation shape | Activation size | # parameters" tables, with the kernel and stride letters
defined in the prose by random letters, are all CORRECT, and one perturbed cell makes its row INCORRECT. The oracle
is plain integer arithmetic, not ``derive``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.checker import check_text
from proofs.judge.layer_letters import lettered

from .test_tables_figures import planted

DATA = Path(__file__).resolve().parent.parent / "data" / "tables_figures2"

#: line -> verdict of the document's only non-CORRECT table/figure findings
PLANTED = {
    "lenet_dlai.md": {},
    "lenet_dlai_wrong.md": {8: "INCORRECT", 10: "INCORRECT", 12: "INCORRECT", 13: "INCORRECT", 14: "INCORRECT"},
    "vgg_tikz.tex": {27: "INCORRECT", 29: "CONDITIONAL"},  # a pooling that doubles the channels; 56 → 27
    "letter_columns.md": {11: "INCORRECT"},  # one-letter columns named in the prose; 28 → 15 by a 3×3 stride-2 conv
    "counts_on_edges.tex": {22: "INCORRECT"},
    "dense_counts.tex": {10: "INCORRECT"},
    "html_rows.md": {14: "INCORRECT", 26: "INCORRECT"},
    "layer_list.md": {17: "INCORRECT"},  # a list of layers: 60 → 29 by a 2×2 stride-2 pooling; the FC after it not judged  # an HTML table with <th> row names: counts at their lines  # fc-4096 after fc-4096: 16,781,312 parameters, not 16,781,000  # a count written below an edge's layer label: 18,500 for 18,496
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_mistakes_are_found_and_nothing_else_is_flagged(name):
    wrong, correct = planted(DATA / name)
    assert wrong == PLANTED[name]
    assert correct >= 5


def test_letters_follow_the_documents_notation():
    assert lettered("CONV1 (f=5, s=1)", {}) == {"kernel": 5, "stride": 1}
    assert lettered("CONV1 (f=5, s=1)", {"f": "dilation"}) == {"stride": 1}  # f defined as something else
    assert lettered("conv (f=64)", {}) == {}  # too large for a kernel side: f is not read as one
    assert lettered("conv (m=3, t=2)", {"m": "kernel", "t": "stride"}) == {"kernel": 3, "stride": 2}
    assert lettered("conv (k=3, k=5)", {}) == {}  # two values for one field


def test_a_bias_free_count_among_counts_with_bias_is_conditional():
    text = (DATA / "lenet_dlai.md").read_text().replace("| 6272            | 608 ", "| 6272            | 600 ")
    found = [f for f in _table_findings(text) if f.line == 9 and "param count" in f.explanation]
    assert [f.verdict.value for f in found] == ["CONDITIONAL"] and found[0].condition == "without bias"


def test_a_count_written_as_an_equation_is_read_from_its_number_side():
    text = (DATA / "lenet_dlai_wrong.md").read_text().replace("| 208 |", "| 208 = 5*5*8 + 8 |")
    found = [f for f in _table_findings(text) if f.line == 8 and "param count" in f.explanation]
    assert [f.verdict.value for f in found] == ["INCORRECT"]


def test_bare_tables_with_short_separators_and_letters_in_a_description_column():
    text = ("Notation: f = filter size, s = stride.\n\n"
            "Layer | op | Output shape | Activation size | # params\n:-:|:-:|:-:|:-:|:-:\n"
            "Input | - | 32x32x3 | 3072 | 0\nConv1 | f=5, s=1, 6 filters | 28x28x6 | 4704 | 456 `=(5*5*3+1)*6`\n"
            "Pool1 | max, f=2, s=2 | 14x14x6 | 1176 | 0\nConv2 | f=5, s=1, 16 filters | 10x10x16 | 1600 | 2,420\n")
    found = {(f.line, f.verdict.value) for f in _table_findings(text) if "param count" in f.explanation}
    assert found == {(6, "CORRECT"), (8, "INCORRECT")}


def _out(h, k, s):
    return (h - k) // s + 1


@st.composite
def networks(draw):
    """Rows (name, shape (h, w, c), values, params) of a LeNet-like stack, with its kernel and stride letters."""
    kl, sl = draw(st.sampled_from([("f", "s"), ("k", "s"), ("m", "t"), ("r", "q")]))
    h, c = draw(st.integers(20, 48)), draw(st.sampled_from([1, 3]))
    rows = [("Input", (h, h, c), 0)]
    for i in range(1, draw(st.integers(1, 3)) + 1):
        k = draw(st.sampled_from([3, 5]))
        if h - k + 1 < 4:
            break
        n = draw(st.integers(4, 32))
        h = _out(h, k, 1)
        rows.append((f"CONV{i} ({kl}={k}, {sl}=1)", (h, h, n), (k * k * c + 1) * n))
        c = n
        h = _out(h, 2, 2)
        rows.append((f"POOL{i} ({kl}=2, {sl}=2)", (h, h, c), 0))
    flat = h * h * c
    for j in range(draw(st.integers(1, 2))):
        units = draw(st.integers(2, 200))
        rows.append((f"FC{j + 1}", (units, 1), flat * units + units))
        flat = units
    return kl, sl, rows


def _document(kl, sl, rows, cells) -> str:
    head = [f"Notation: {kl} = filter size, {sl} = stride.", "",
            "| Layer | Activation shape | Activation size | # parameters |", "|---|---|---|---|"]
    body = [f"| {name} | ({','.join(map(str, shape))}) | {a} | {p} |" for name, shape, (a, p) in zip(
        [r[0] for r in rows], [r[1] for r in rows], cells)]
    return "\n".join(head + body) + "\n"


def _cells(rows):
    out = []
    for _, shape, params in rows:
        size = 1
        for d in shape:
            size *= d
        out.append((size, params))
    return out


def _table_findings(text):
    return [f for f in check_text(text).findings if f.explanation.startswith("table")]


@settings(max_examples=20, deadline=None)
@given(networks())
def test_random_networks_in_the_documents_notation_are_correct(net):
    kl, sl, rows = net
    found = _table_findings(_document(kl, sl, rows, _cells(rows)))
    assert found and all(f.verdict.value in ("CORRECT", "UNRECOGNIZED") for f in found), \
        [(f.line, f.verdict.value, f.explanation) for f in found if f.verdict.value != "CORRECT"]
    judged = {f.line for f in found if f.verdict.value == "CORRECT"}
    assert judged == set(range(5, 5 + len(rows)))  # every row has at least one judged cell


@settings(max_examples=20, deadline=None)
@given(networks(), st.data())
def test_one_wrong_cell_is_incorrect_at_its_row(net, data):
    kl, sl, rows = net
    cells = _cells(rows)
    i = data.draw(st.integers(1, len(rows) - 1))
    which = data.draw(st.sampled_from([0, 1]) if cells[i][1] else st.just(0))
    delta = data.draw(st.sampled_from([-2, -1, 1, 3]))
    wrong = list(cells[i])
    wrong[which] += delta
    cells[i] = tuple(wrong)
    found = _table_findings(_document(kl, sl, rows, cells))
    bad = {f.line for f in found if f.verdict.value not in ("CORRECT", "UNRECOGNIZED")}
    assert bad == {5 + i}, [(f.line, f.verdict.value, f.explanation) for f in found]
