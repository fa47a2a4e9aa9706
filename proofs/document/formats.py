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

import codecs
import html
import os
import re
import stat
from pathlib import Path

from ..lines import normalize_text

__all__ = ["FORMATS", "EXTENSIONS", "MAX_FILE_BYTES", "detect_format", "read_text_file", "decode_document",
           "decode_entities"]

FORMATS = ("markdown", "latex", "rst", "html", "text")

#: File extension -> format used when the content gives no clear signal.
EXTENSIONS = {
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown", ".qmd": "markdown",
    ".rmd": "markdown",
    ".tex": "latex", ".latex": "latex", ".ltx": "latex",
    ".rst": "rst", ".rest": "rst",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".txt": "text", ".text": "text",
    ".ipynb": "markdown",  # the Markdown cells, read by proofs.document.notebook
}

_LATEX_SIGNS = re.compile(r"\\documentclass|\\begin\{document\}|^\\(?:sub)*section\*?\{", re.M)
_HTML_SIGNS = re.compile(r"^[^\S\n]*(?:<!DOCTYPE\s+html|<html\b)|<(?:body|head|p|div|d-article|h[1-6])\b[^>]{0,2000}>",
                         re.I | re.M)
_RST_SIGNS = re.compile(r"^\.\. (?:math|code-block|note|figure|image|toctree|automodule)::|:math:`"
                        r"|^(?P<t>[^\s].*)\n(?P<u>([=\-^\"~*#+])\3{2,})\s*$", re.M)
_MD_SIGNS = re.compile(r"^#{1,6} \S|^```|\$\$|^[^\S\n]*[-*] \S", re.M)


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


#: largest document file read (bytes); a larger file is refused, never read whole
MAX_FILE_BYTES = 64 * 1024 * 1024

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _read_bytes(p: Path) -> bytes:
    """The bytes of a regular file, without blocking on a FIFO or reading a device forever."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise ValueError(f"{p} cannot be read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ValueError(f"{p} is a directory: pass document files, or use the multi-file mode "
                             "(check several files at once)")
        if not stat.S_ISREG(st.st_mode):
            kind = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode) or \
                stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file"
            raise ValueError(f"{p} is {kind}: pass a regular document file" if kind != "not a regular file"
                             else f"{p} is not a regular file")
        if st.st_size > MAX_FILE_BYTES:
            raise ValueError(f"{p} is too large to check ({st.st_size:,} bytes > {MAX_FILE_BYTES:,})")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise ValueError(f"{p} is too large to check (more than {MAX_FILE_BYTES:,} bytes)")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise ValueError(f"{p} cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def decode_document(data: bytes, name: str = "<bytes>") -> str:
    r"""The text of a document's bytes: UTF-8, or UTF-16/UTF-32 with a byte-order mark; normalised lines.

    Raises
    ------
    ValueError
        Empty (or only a BOM, or only whitespace), binary (NUL bytes without a UTF-16/32 BOM) or not UTF-8.

    Examples
    --------
    >>> decode_document("\ufeff$x = 1$\r\n".encode("utf-16"))
    '$x = 1$\n'
    >>> decode_document(b"\xef\xbb\xbf", "a.md")
    Traceback (most recent call last):
    ...
    ValueError: a.md is empty: nothing to read
    """
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is not None and encoding != "utf-8":
        bom = next(b for b, enc in _BOMS if enc == encoding)
        try:
            text = data[len(bom):].decode(encoding)
        except UnicodeDecodeError as err:
            raise ValueError(f"{name} is not valid {encoding.upper()} text (after its byte-order mark; "
                             f"{err.reason} at offset {err.start + len(bom)})") from None
    else:
        if b"\x00" in data:
            where = data.index(b"\x00")
            raise ValueError(f"{name} looks binary (it contains NUL bytes, first at offset {where}): "
                             "pass a text document (Markdown, LaTeX, reST, HTML, plain text)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ValueError(f"{name} is not UTF-8 text (invalid byte 0x{data[err.start]:02x} at offset "
                             f"{err.start}): convert it to UTF-8") from None
    if "\x00" in text:
        raise ValueError(f"{name} looks binary (it contains NUL characters): pass a text document")
    text = normalize_text(text)
    if not text.strip():
        raise ValueError(f"{name} is empty: nothing to read")
    return text


def read_text_file(path: str | Path) -> str:
    """The text of a document file (UTF-8, or UTF-16/32 with a BOM; BOM dropped, lines normalised).

    Never blocks: a FIFO, a device or a socket is refused before anything is read.

    Raises
    ------
    ValueError
        When ``path`` is missing, a directory, not a regular file, unreadable, too large
        (:data:`MAX_FILE_BYTES`), empty (or only a BOM), binary (NUL bytes) or not UTF-8.

    Examples
    --------
    >>> read_text_file("/")
    Traceback (most recent call last):
    ...
    ValueError: / is a directory: pass document files, or use the multi-file mode (check several files at once)
    >>> read_text_file("/dev/zero")
    Traceback (most recent call last):
    ...
    ValueError: /dev/zero is a device: pass a regular document file
    """
    p = Path(path)
    if not os.path.lexists(p):
        raise ValueError(f"{p}: no such file")
    return decode_document(_read_bytes(p), str(p))


def decode_entities(text: str) -> str:
    """Decode HTML entities (``&amp;`` → ``&``, ``&lt;`` → ``<``, ``&#8722;`` → ``−``).

    >>> decode_entities("a &amp; b &lt; c")
    'a & b < c'
    """
    return html.unescape(text) if "&" in text else text
