"""Jupyter notebooks: the Markdown cells are read, findings point at the .ipynb file's line and the cell."""

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from proofs.checker import check_file
from proofs.document import read_document
from proofs.document.notebook import notebook_markdown
from proofs.findings import Verdict

DATA = Path(__file__).parent.parent / "data" / "notebooks"

_line = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
_cell = st.lists(_line, min_size=1, max_size=5)


def _cells(kinds_and_lines):
    return [{"cell_type": kind, "metadata": {}, "source": [t + "\n" for t in lines[:-1]] + [lines[-1]],
             **({"outputs": [{"output_type": "stream", "name": "stdout", "text": ["$x = 1$\n"]}],
                 "execution_count": None} if kind == "code" else {})}
            for kind, lines in kinds_and_lines]


@given(st.lists(st.tuples(st.sampled_from(["markdown", "code", "raw"]), _cell), min_size=1, max_size=6),
       st.sampled_from([1, None]))
def test_every_markdown_line_is_read_and_points_at_its_json_line(cells, indent):
    nb = {"cells": _cells(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    raw = json.dumps(nb, indent=indent, ensure_ascii=False)
    md = [(n, lines) for n, (kind, lines) in enumerate(cells, 1) if kind == "markdown" and any(t.strip() for t in lines)]
    if not md:
        with pytest.raises(ValueError, match="no Markdown cell"):
            notebook_markdown(raw)
        return
    text, origins = notebook_markdown(raw)
    got = text.split("\n")[:-1]
    assert len(got) == len(origins)
    file_lines = raw.split("\n")
    kept = [(t, o) for t, o in zip(got, origins)]
    expected = []
    for n, lines in md:
        expected += [(t, n, k) for k, t in enumerate(lines, 1)]
    # blank separators between cells aside, the text is the cells' lines in order, with their cell and line
    rows = [(t, o[1], o[2]) for t, o in kept]
    for row in expected:
        assert row in rows
    for t, (file_line, cell, cell_line) in kept:
        assert json.dumps(t, ensure_ascii=False)[1:-1] in file_lines[file_line - 1]


def test_lecture_notebook_findings_point_at_file_lines_and_cells():
    report = check_file(DATA / "lecture.ipynb")
    raw = (DATA / "lecture.ipynb").read_text().split("\n")
    wrong = [f for f in report.findings if f.verdict == Verdict.INCORRECT]
    assert len(wrong) == 1  # the stream output "$$H_{out} = (H - k)/S$$" of the code cell is not read
    f = wrong[0]
    assert (f.cell, f.cell_line) == (3, 3)
    assert "\\\\frac{H - k}{S}" in raw[f.line - 1]
    assert not any("\"" in g.source or "\\n" in g.source for g in report.findings)  # no JSON fragments quoted
    right = [g for g in report.findings if g.verdict == Verdict.CORRECT]
    assert right and all(g.cell == 1 and "lfloor" in raw[g.line - 1] for g in right)
    d = report.to_dict()["findings"]
    assert all({"cell", "cell_line"} <= set(x) for x in d)


def test_minified_notebook_with_string_sources():
    report = check_file(DATA / "minified.ipynb")
    [f] = [g for g in report.findings if g.verdict == Verdict.INCORRECT]
    assert (f.line, f.cell, f.cell_line) == (1, 1, 3)


def test_markdown_findings_have_no_cell_fields():
    d = read_document("# T\n\n$$H_{out} = \\frac{H - k}{S}$$\n")
    assert d.origins is None


@pytest.mark.parametrize("raw, message", [
    ("[1, 2]", "a notebook is a JSON object"),
    ('{"cells": [], "nbformat": 3}', "nbformat 3 is not supported"),
    ('{"cells": [{"cell_type": "markdown", "source": 5}], "nbformat": 4}', "cell 1.*string or a list"),
    ('{"cells": [1], "nbformat": 4}', "cell 1 is a int"),
    ('{"cells": [], "nbformat": 4', "not a notebook's JSON"),
    ('{"cells": [], "nbformat": 4} x', "extra data"),
], ids=["array", "v3", "bad-source", "bad-cell", "truncated", "trailing"])
def test_bad_notebooks_are_refused_with_a_reason(raw, message):
    with pytest.raises(ValueError, match=message):
        notebook_markdown(raw, "nb.ipynb")


def test_a_folder_check_reads_its_notebooks(tmp_path):
    from proofs.course import check_paths

    for f in DATA.glob("*.ipynb"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    reports = check_paths([tmp_path], jobs=1, progress=False)
    wrong = sorted((Path(r.document).name, f.cell, f.cell_line) for r in reports for f in r.findings
                   if f.verdict == Verdict.INCORRECT)
    assert wrong == [("lecture.ipynb", 3, 3), ("minified.ipynb", 1, 3)]
