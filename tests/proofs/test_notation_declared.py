"""Declared notation (comments, YAML front matter, --notation), ignore-next, and --notation-table."""

import json

import pytest

from proofs import check_document
from proofs.cli.main import main
from proofs.notation import parse_declared
from proofs.notation.declared import declarations_in

# letters no prose defines: only the declaration can bind them
BARE = "$$z = \\left\\lfloor \\frac{a + q - b}{u} \\right\\rfloor + 1$$\n"


def verdict(text, **kw):
    found = [f for f in check_document(text, **kw).findings if "lfloor" in f.source]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("header", [
    "<!-- convproof: a=input_size, b=kernel, u=stride, q=padding, padding=total -->\n\n",
    "---\ntitle: notes\nconvproof: a=input_size, b=kernel, u=stride, q=padding, padding=total\n---\n\n",
    "---\nconvproof:\n  a: input_size\n  b: filter_size\n  u: stride\n  q: padding\n  padding: total\n---\n\n",
])
def test_declared_total_padding_makes_the_formula_correct(header):
    f = verdict(header + BARE)
    assert (f.verdict.value, f.quantity) == ("CORRECT", "output_size"), f.explanation


def test_declared_per_side_padding_makes_the_same_formula_wrong():
    f = verdict("<!-- convproof: a=input_size, b=kernel, u=stride, q=padding, padding=per_side -->\n\n" + BARE)
    assert f.verdict.value == "INCORRECT"
    v = f.counterexample.get("values", f.counterexample)
    a, b, q, u = (int(v[n]) for n in "abqu")
    assert (a + q - b) // u + 1 != (a + 2 * q - b) // u + 1


def test_command_line_notation_wins_over_the_document():
    text = "<!-- convproof: a=input_size, b=kernel, u=stride, q=padding, padding=per_side -->\n\n" + BARE
    assert verdict(text, notation="padding=total").verdict.value == "CORRECT"


def test_undeclared_letters_are_not_guessed():
    assert verdict(BARE).verdict.value == "UNRECOGNIZED"


def test_latex_and_rst_comments():
    assert [d.text for d in declarations_in("% convproof: u=stride\n.. convproof: q=padding\n")] == ["u=stride", "q=padding"]


def test_bad_declaration_in_a_document_is_reported_not_raised():
    r = check_document("<!-- convproof: u=colour -->\n\ntext\n")
    assert any("declared notation not understood" in f.explanation and f.line == 1 for f in r.findings)


@pytest.mark.parametrize("decl, message", [
    ("u", "expected symbol=role"),
    ("u=colour", "unknown role 'colour'"),
    ("layout=diagonal", "layout must be one of"),
])
def test_bad_declarations_raise_with_the_constraint(decl, message):
    with pytest.raises(ValueError, match=message):
        parse_declared(decl)


def test_ignore_next_accepts_one_finding():
    doc = "Worked: $2 + 2 = 5$.\n\n<!-- convproof: ignore-next -->\nAgain: $3 + 3 = 7$.\n\nLast: $1 + 1 = 3$.\n"
    lines = [f.line for f in check_document(doc).findings if f.verdict.value == "INCORRECT"]
    assert lines == [1, 6]


def test_cli_notation_and_table(tmp_path, capsys):
    p = tmp_path / "n.md"
    p.write_text("Windows start $u$ cells apart.\n\n" + BARE)
    assert main(["check", str(p), "--notation-table"]) == 0
    out = capsys.readouterr().out
    assert "u" in out and "stride" in out and "apart" in out and "line    1" in out
    assert main(["check", str(p), "--notation", "a=input_size,b=kernel,q=padding,padding=total", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [f["verdict"] for f in found if "lfloor" in f["source"]] == ["CORRECT"]
    assert main(["check", str(p), "--notation", "q=colour"]) == 2


@pytest.mark.parametrize("doc", [
    "\\documentclass{article}\n\\begin{document}\n% convproof: a=input_size, b=kernel, u=stride, q=padding, padding=total\n"
    "\\[ z = \\left\\lfloor \\frac{a + q - b}{u} \\right\\rfloor + 1 \\]\n\\end{document}\n",
    "Title\n=====\n\n.. convproof: a=input_size, b=kernel, u=stride, q=padding, padding=total\n\n"
    ".. math::\n\n   z = \\left\\lfloor \\frac{a + q - b}{u} \\right\\rfloor + 1\n",
])
def test_latex_and_rst_declarations_bind_the_formula(doc, tmp_path):
    path = tmp_path / ("n.tex" if doc.startswith("\\documentclass") else "n.rst")
    path.write_text(doc)
    found = [f for f in check_document(path).findings if "lfloor" in f.source]
    assert [(f.verdict.value, f.quantity) for f in found] == [("CORRECT", "output_size")], [f.explanation for f in found]
