"""Reading files: format detection, entities, and clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofs.document import read_document
from proofs.document.formats import decode_entities, detect_format
from tests.helpers import DATA

DOCS = DATA / "documents"

DETECT = [
    ("md-ext", "sizes.md", "markdown"),
    ("tex-ext", "sizes.tex", "latex"),
    ("rst-ext", "sizes.rst", "rst"),
    ("html-ext", "sizes.html", "html"),
    ("txt-ext", "sizes.txt", "text"),
]


@pytest.mark.parametrize("name, fmt", [c[1:] for c in DETECT], ids=[c[0] for c in DETECT])
def test_format_of_our_documents(name, fmt):
    doc = read_document(DOCS / name)
    assert doc.fmt == fmt
    assert doc.path == str(DOCS / name)
    assert doc.lines == doc.text.split("\n")


CONTENT = [
    ("latex-in-md", "\\documentclass{article}\n\\begin{document}\n$x$\n\\end{document}\n", "a.md", "latex"),
    ("html-in-md", "<!DOCTYPE html>\n<html><body><p>\\(x\\)</p></body></html>\n", "a.md", "html"),
    ("rst-in-md", "Title\n=====\n\nSee :math:`x`.\n\n.. math::\n\n   y = 1\n", "a.md", "rst"),
    ("markdown-in-txt", "# Title\n\n$x = 1$\n", "a.txt", "markdown"),
    ("plain-txt", "just words = more words\n", "a.txt", "text"),
    ("no-name-dollars", "see $x$ here", None, "markdown"),
]


@pytest.mark.parametrize("text, name, fmt", [c[1:] for c in CONTENT], ids=[c[0] for c in CONTENT])
def test_format_from_content(text, name, fmt):
    assert detect_format(text, name) == fmt


def test_forced_format_wins():
    assert read_document("$x$ and :math:`y`", fmt="rst").fmt == "rst"
    with pytest.raises(ValueError, match="unknown format 'word'"):
        read_document("x", fmt="word")


def test_entities_are_decoded_in_tex_but_not_source():
    doc = read_document(DOCS / "sizes.html")
    row = next(s for s in doc.spans if s.tex.startswith("u_{l-1}"))
    assert "&amp;" in row.source and "&" not in row.tex
    assert decode_entities("&lt;&#8722;&amp;") == "<−&"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


BAD = [
    ("binary", "a.md", b"abc\x00def", "looks binary"),
    ("latin1", "a.md", "caf\xe9 = 1".encode("latin-1"), "is not UTF-8 text"),
    ("empty", "a.md", b"", "is empty"),
    ("whitespace", "a.md", b"  \n\n ", "is empty"),
]


@pytest.mark.parametrize("name, data, message", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_files_name_the_path(tmp_path, name, data, message):
    p = _write(tmp_path, name, data)
    with pytest.raises(ValueError, match=message) as info:
        read_document(p)
    assert str(p) in str(info.value)


def test_directory_is_refused_with_advice(tmp_path):
    with pytest.raises(ValueError, match="is a directory: pass document files, or use the multi-file mode"):
        read_document(tmp_path)
    with pytest.raises(ValueError, match="is a directory"):
        read_document(str(tmp_path))


def test_missing_file_and_bad_types():
    with pytest.raises(ValueError, match="no such file"):
        read_document("/nonexistent/notes.md")
    with pytest.raises(TypeError, match="got int"):
        read_document(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="<text> is empty"):
        read_document("   \n")
    with pytest.raises(ValueError, match="NUL"):
        read_document("a\x00b = c\nmore")


def test_bom_and_crlf_are_normalised(tmp_path):
    p = _write(tmp_path, "w.md", "\ufeff# T\r\n\r\n$x = 1$\r\n".encode("utf-8"))
    doc = read_document(p)
    assert doc.lines[0] == "# T"
    assert [(s.line, s.tex) for s in doc.spans] == [(3, "x = 1")]
