"""Tables of layers and architecture drawings read as a described network (proofs.judge.layer_chain, figures).

Planted documents in tests/data/tables_figures/ (written for these tests) have known mistakes; random layer
stacks rendered as Markdown, LaTeX, rST grid and HTML tables and as TikZ drawings are all CORRECT, and one
perturbed cell makes its row INCORRECT. The oracle here is plain integer arithmetic, not ``derive``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.checker import check_file
from proofs.judge.figures import figure_findings
from proofs.judge.tables import table_findings

DATA = Path(__file__).resolve().parent.parent / "data" / "tables_figures"

#: the planted mistakes: line -> verdict of the document's only non-CORRECT table/figure findings
PLANTED = {
    "small_vgg.md": {10: "INCORRECT", 12: "INCORRECT", 13: "INCORRECT"},
    "lenet_booktabs.tex": {16: "INCORRECT", 17: "CONDITIONAL"},  # the C3 row spans lines 15-16: its count is on 16
    "encoder_tables.rst": {16: "INCORRECT", 36: "INCORRECT"},  # a list-table row: the count on its own line
    "feature_maps.tex": {11: "INCORRECT", 13: "INCORRECT"},
    "classifier_table.html": {12: "INCORRECT"},
    "lenet5_original.tex": {},  # subsampling with trainable coefficients, C3's connection table: nothing is wrong
    "side_sizes.md": {10: "INCORRECT"},
    "diagrams.md": {9: "INCORRECT", 19: "INCORRECT"},  # 18 → 17 and 18 → 15 by a 3×3 convolution
}


def planted(path) -> tuple[dict, int]:
    """``({line: verdict} of the non-CORRECT table/figure findings, number of CORRECT ones)`` of a document."""
    found = [f for f in check_file(path).findings if f.explanation.startswith(("table", "figure"))]
    wrong = {f.line: f.verdict.value for f in found if f.verdict.value not in ("CORRECT", "UNRECOGNIZED")}
    return wrong, sum(f.verdict.value == "CORRECT" for f in found)


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_mistakes_are_found_and_nothing_else_is_flagged(name):
    wrong, correct = planted(DATA / name)
    assert wrong == PLANTED[name]
    assert correct >= 3


def _out(h, k, s, p):
    return (h + 2 * p - k) // s + 1


@st.composite
def stacks(draw):
    """A random chain: (name, kernel, stride, padding, (h, w, c), params) rows, the first the input."""
    h, c = draw(st.integers(8, 40)), draw(st.sampled_from([1, 3]))
    rows = [("input", None, None, None, (h, h, c), 0)]
    for _ in range(draw(st.integers(2, 5))):
        if draw(st.booleans()) or h < 4:
            k = draw(st.sampled_from([1, 3, 5]))
            if k > h:
                k = 1
            p = draw(st.sampled_from([0, k // 2]))
            f = draw(st.integers(2, 40))
            h2 = _out(h, k, 1, p)
            rows.append((f"conv {k}x{k}", k, 1, p, (h2, h2, f), k * k * c * f + f))
            h, c = h2, f
        else:
            h2 = _out(h, 2, 2, 0)
            rows.append(("max pool 2x2", 2, 2, 0, (h2, h2, c), 0))
            h = h2
    return rows


def _cells(row):
    name, k, s, p, shape, params = row[:6]
    dash = "-"
    return [name, dash if k is None else f"{k}x{k}", dash if s is None else str(s), dash if p is None else str(p),
            "×".join(map(str, shape)), f"{params:,}", f"{shape[0] * shape[1] * shape[2] + (row[6] if len(row) > 6 else 0):,}"]


_HEAD = ["Layer", "Kernel", "Stride", "Padding", "Output shape", "Params", "Activations"]


def _markdown(rows):
    lines = ["Some text.", "", "| " + " | ".join(_HEAD) + " |", "|" + "---|" * len(_HEAD)]
    return lines + ["| " + " | ".join(_cells(r)) + " |" for r in rows], 5


def _latex(rows):
    lines = [r"\begin{tabular}{lccccr}", r"\toprule", " & ".join(_HEAD) + r" \\", r"\midrule"]
    body = [" & ".join(c.replace("×", r"$\times$").replace(",", "{,}") for c in _cells(r)) + r" \\" for r in rows]
    return lines + body + [r"\bottomrule", r"\end{tabular}"], 5


def _grid(rows):
    cells = [_HEAD] + [_cells(r) for r in rows]
    widths = [max(len(c[i]) for c in cells) + 2 for i in range(len(_HEAD))]
    border = "+" + "+".join("-" * w for w in widths) + "+"
    out = [border]
    for i, c in enumerate(cells):
        out.append("|" + "|".join(" " + x.ljust(w - 1) for x, w in zip(c, widths)) + "|")
        out.append(border.replace("-", "=") if i == 0 else border)
    return out, 4  # the first body row is on line 4, one row every two lines


def _html(rows):
    out = ["<table>", "<tr>" + "".join(f"<th>{h}</th>" for h in _HEAD) + "</tr>"]
    return out + ["<tr>" + "".join(f"<td>{c}</td>" for c in _cells(r)) + "</tr>" for r in rows] + ["</table>"], 3


RENDER = {"markdown": (_markdown, 1), "latex": (_latex, 1), "grid": (_grid, 2), "html": (_html, 1)}


def _line_of(fmt, i):
    render, step = RENDER[fmt]
    return render([])[1] + i * step if fmt != "grid" else 4 + 2 * i


@settings(max_examples=40, deadline=None)
@given(rows=stacks(), fmt=st.sampled_from(sorted(RENDER)))
def test_random_stacks_rendered_as_tables_are_correct(rows, fmt):
    lines, _ = RENDER[fmt][0](rows)
    found = table_findings(lines)
    assert all(j.verdict == "CORRECT" for _, _, j in found), [(n, j.explanation) for n, _, j in found]
    judged = {n for n, _, j in found if j.quantity == "output_size"}
    assert judged == {_line_of(fmt, i) for i in range(1, len(rows))}


@settings(max_examples=40, deadline=None)
@given(rows=stacks(), fmt=st.sampled_from(sorted(RENDER)), data=st.data())
def test_one_wrong_cell_is_incorrect_at_its_row(rows, fmt, data):
    i = data.draw(st.integers(1, len(rows) - 1))
    name, k, s, p, (h, w, c), params = rows[i]
    what = data.draw(st.sampled_from(["output_size", "param_count", "activations"]))
    if what == "output_size":
        rows[i] = (name, k, s, p, (h + 1, w + 1, c), params)
    elif what == "param_count":
        rows[i] = (name, k, s, p, (h, w, c), params + 1)
    else:
        rows[i] = (name, k, s, p, (h, w, c), params, data.draw(st.sampled_from([-1, 1, 10, h * w])))
    quantity = what
    lines, _ = RENDER[fmt][0](rows)
    wrong = {(n, j.quantity) for n, _, j in table_findings(lines) if j.verdict == "INCORRECT"}
    if quantity == "output_size":  # the stated (h+1)² · c values are what the memory cell counts: only the size is wrong
        wrong = {(n, q) for n, q in wrong if q != "activations"}
    assert wrong == {(_line_of(fmt, i), quantity)}


def _tikz(rows):
    lines = [r"\begin{tikzpicture}"]
    times = r"\times"
    for i, (_, _, _, _, shape, _) in enumerate(rows):
        lines.append(rf"\node (n{i}) at ({3 * i},0) {{${times.join(map(str, shape))}$}};")
    for i, (name, k, _, p, _, _) in enumerate(rows[1:], start=1):
        label = f"conv ${k}\\times{k}$, pad {p}" if name.startswith("conv") else "max pool $2\\times2$"
        lines.append(rf"\draw[->] (n{i - 1}) -- node[above] {{{label}}} (n{i});")
    return lines + [r"\end{tikzpicture}"]


@settings(max_examples=30, deadline=None)
@given(rows=stacks(), data=st.data())
def test_random_stacks_drawn_in_tikz(rows, data):
    found = figure_findings(_tikz(rows))
    assert all(j.verdict == "CORRECT" for _, _, j in found), [(n, j.explanation) for n, _, j in found]
    assert {n for n, _, j in found if j.quantity == "output_size"} == set(range(3, len(rows) + 2))
    i = data.draw(st.integers(1, len(rows) - 1))
    name, k, s, p, (h, w, c), params = rows[i]
    rows[i] = (name, k, s, p, (h + 3, w + 3, c), params)  # a drawn pooling's padding is not given: +1 may be ceil mode
    wrong = {n for n, _, j in figure_findings(_tikz(rows)) if j.verdict != "CORRECT"}
    assert wrong == {i + 2}
