"""Read a document file safely and decide its format (Markdown, LaTeX, reST, HTML, text).

The format comes from the content first (a ``.md`` file may hold LaTeX, HTML or
reStructuredText — the development corpus does exactly that), then from the
extension. Bad input gets a ``ValueError`` that names the path and the problem.

Examples
--------
>>> detect_format("\\\\documentclass{article}\\n\\\\begin{document}x\\\\end{document}")
'latex'
>>> detect_format("Title\\n=====\\n\\nSee :math:`x^2`.\\n")
'rst'
>>> detect_format("# Title\\n\\n$x$\\n", "notes.txt")
'markdown'
>>> detect_format("plain words", "notes.txt")
'text'
"""

from __future__ import annotations

import html
import re
from pathlib import Path

__all__ = ["FORMATS", "EXTENSIONS", "detect_format", "read_text_file", "decode_entities"]

FORMATS = ("markdown", "latex", "rst", "html", "text")

#: File extension -> format used when the content gives no clear signal.
EXTENSIONS = {
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown", ".qmd": "markdown",
    ".rmd": "markdown",
    ".tex": "latex", ".latex": "latex", ".ltx": "latex",
    ".rst": "rst", ".rest": "rst",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".txt": "text", ".text": "text",
}

_LATEX_SIGNS = re.compile(r"\\documentclass|\\begin\{document\}|^\\(?:sub)*section\*?\{", re.M)
_HTML_SIGNS = re.compile(r"^\s*(?:<!DOCTYPE\s+html|<html\b)|<(?:body|head|p|div|d-article|h[1-6])\b[^>]*>", re.I | re.M)
_RST_SIGNS = re.compile(r"^\.\. (?:math|code-block|note|figure|image|toctree|automodule)::|:math:`"
                        r"|^(?P<t>[^\s].*)\n(?P<u>([=\-^\"~*#+])\3{2,})\s*$", re.M)
_MD_SIGNS = re.compile(r"^#{1,6} \S|^```|\$\$|^\s*[-*] \S", re.M)


def detect_format(text: str, path: str | Path | None = None) -> str:
    """The format of ``text`` — one of :data:`FORMATS`.

    Parameters
    ----------
    text : str
        The document.
    path : str or Path, optional
        Its file name; the extension decides when the content does not.
    """
    head = text[:20000]
    if _LATEX_SIGNS.search(head):
        return "latex"
    md = len(_MD_SIGNS.findall(head))
    if re.match(r"\s*(?:<!DOCTYPE\s+html|<html\b)", head, re.I) or len(_HTML_SIGNS.findall(head)) >= 5 and md < 3:
        return "html"
    rst = len(_RST_SIGNS.findall(head))
    if rst >= 2 and rst > md:
        return "rst"
    ext = Path(str(path)).suffix.lower() if path is not None else ""
    by_ext = EXTENSIONS.get(ext)
    if by_ext in ("latex", "rst", "html") :
        return by_ext
    if md:
        return "markdown"
    if by_ext:
        return by_ext
    return "markdown" if re.search(r"\$[^$\n]+\$|\\\(|\\\[", head) else "text"


def read_text_file(path: str | Path) -> str:
    """The text of a UTF-8 document file (BOM dropped, newlines normalised to ``\\n``).

    Raises
    ------
    ValueError
        When ``path`` is missing, a directory, empty, binary (NUL bytes) or not UTF-8.

    Examples
    --------
    >>> read_text_file("/")
    Traceback (most recent call last):
    ...
    ValueError: / is a directory: pass document files, or use the multi-file mode (check several files at once)
    """
    p = Path(path)
    if p.is_dir():
        raise ValueError(f"{p} is a directory: pass document files, or use the multi-file mode "
                         "(check several files at once)")
    if not p.exists():
        raise ValueError(f"{p}: no such file")
    if not p.is_file():
        raise ValueError(f"{p} is not a regular file")
    data = p.read_bytes()
    if not data.strip():
        raise ValueError(f"{p} is empty: nothing to read")
    if b"\x00" in data:
        where = data.index(b"\x00")
        raise ValueError(f"{p} looks binary (it contains NUL bytes, first at offset {where}): "
                         "pass a text document (Markdown, LaTeX, reST, HTML, plain text)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"{p} is not UTF-8 text (invalid byte 0x{data[err.start]:02x} at offset {err.start}): "
                         "convert it to UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_entities(text: str) -> str:
    """Decode HTML entities (``&amp;`` → ``&``, ``&lt;`` → ``<``, ``&#8722;`` → ``−``).

    >>> decode_entities("a &amp; b &lt; c")
    'a & b < c'
    """
    return html.unescape(text) if "&" in text else text
