"""``convproof derive``: list, render, write atomically, refuse to overwrite, PDF or a clear message."""

from __future__ import annotations

import pytest

from proofs.cli.main import main
from tests.helpers import requires_pdflatex


def test_list_names_every_catalogued_derivation(capsys):
    from derive.catalogue import names

    assert main(["derive", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in names())


@pytest.mark.parametrize(
    "fmt, marker",
    [("text", "the sum over i collapses where 2*i"), ("md", "$$"), ("tex", r"\documentclass")],
    ids=["text", "md", "tex"],
)
def test_formats(capsys, fmt, marker):
    assert main(["derive", "conv2d.grad_input", "--stride", "2", "--format", fmt]) == 0
    assert marker in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        pytest.param(["derive", "conv2d.grad_inptu"], "did you mean conv2d.grad_input", id="unknown-name"),
        pytest.param(["derive", "dense.grad_input", "--stride", "2"], "takes no option --stride; it takes none",
                     id="option"),
        pytest.param(["derive", "conv2d.grad_input.stride1", "--stride", "2", "--ceil-mode"],
                     "takes no option --stride, --ceil-mode; it takes --padding, --dilation, --groups",
                     id="options-named-as-flags"),
        pytest.param(["derive", "conv2d.grad_input", "--dilation", "0"], "--dilation must be an integer >= 1",
                     id="below-minimum"),
        pytest.param(["derive", "avg_pool2d.grad_input", "--padding", "-1"], "--padding must be an integer >= 0",
                     id="negative-padding"),
        pytest.param(["derive"], "give a derivation name", id="no-name"),
        pytest.param(["derive", "conv2d.grad_input", "--stride", "2+x"], "must be an integer or a symbol name", id="bad-value"),
    ],
)
def test_usage_errors_exit_2(capsys, argv, message):
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse rejects a bad value itself
        status = exc.code
    assert status == 2
    assert message in capsys.readouterr().err


def test_output_file_is_written_and_never_overwritten_without_force(tmp_path, capsys):
    target = tmp_path / "dx.md"
    assert main(["derive", "dense.grad_input", "--format", "md", "-o", str(target)]) == 0
    first = target.read_text()
    assert first.startswith("### Gradient of a dense layer")
    assert main(["derive", "dense.grad_weight", "--format", "md", "-o", str(target)]) == 2
    assert "exists; pass --force to overwrite it" in capsys.readouterr().err
    assert target.read_text() == first
    assert main(["derive", "dense.grad_weight", "--format", "md", "-o", str(target), "--force"]) == 0
    assert "weight" in target.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["dx.md"]  # no temporary file left behind


def test_pdf_without_pdflatex_keeps_the_tex_and_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    target = tmp_path / "dx.tex"
    assert main(["derive", "dense.grad_input", "--pdf", "-o", str(target)]) == 1
    assert target.read_text().startswith(r"\documentclass")
    assert "no PDF: pdflatex not found" in capsys.readouterr().err
    assert not (tmp_path / "dx.pdf").exists()


@requires_pdflatex
def test_pdf_of_strided_input_gradient(tmp_path, capsys):
    target = tmp_path / "conv2d.grad_input.tex"
    assert main(["derive", "conv2d.grad_input", "--stride", "2", "--pdf", "-o", str(target)]) == 0
    pdf = tmp_path / "conv2d.grad_input.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert r"\bmod 2 = 0" in target.read_text()
    assert main(["derive", "conv2d.grad_input", "--stride", "2", "--pdf", "-o", str(target)]) == 2
