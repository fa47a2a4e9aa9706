"""The :class:`Document` — a read document with its math spans — and :func:`read_document`.

>>> doc = read_document("# Pooling\\n\\nWith pool size $p$: $o = \\\\lfloor (i - p)/s \\\\rfloor + 1$.\\n")
>>> doc.fmt, len(doc.spans), doc.spans[1].line, doc.section_at(3)
('markdown', 2, 3, 'Pooling')
>>> read_document("")
Traceback (most recent call last):
...
ValueError: <text> is empty: nothing to read
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .extract import MathSpan, extract_spans
from .formats import EXTENSIONS, FORMATS, detect_format, read_text_file
from .sections import Heading, find_headings, heading_at

__all__ = ["Document", "read_document"]


@dataclass(frozen=True)
class Document:
    """A document read for checking.

    Attributes
    ----------
    path : str or None
        The file it came from (``None`` for text given directly).
    fmt : str
        ``"markdown"``, ``"latex"``, ``"rst"``, ``"html"`` or ``"text"``.
    text : str
        The whole text (``\\n`` line ends).
    lines : list of str
        ``text`` split into lines; ``lines[n - 1]`` is line ``n``.
    spans : list of MathSpan
        The math found, in reading order.
    headings : list of Heading
        The headings found, in line order.
    """

    path: str | None
    fmt: str
    text: str
    lines: list[str] = field(repr=False)
    spans: list[MathSpan] = field(repr=False)
    headings: list[Heading] = field(default_factory=list, repr=False)

    def section_at(self, line: int) -> str | None:
        """Title of the nearest heading at or above 1-based ``line`` (``None`` before the first)."""
        h = heading_at(self.headings, line)
        return h.title if h else None

    def section_path(self, line: int) -> list[str]:
        """Titles of the enclosing headings, outermost first (``['Layers', 'Pooling', 'Max Pooling']``)."""
        path: list[Heading] = []
        for h in self.headings:
            if h.line > line:
                break
            while path and path[-1].level >= h.level:
                path.pop()
            path.append(h)
        return [h.title for h in path]


def _looks_like_path(s: str) -> bool:
    return "\n" not in s and len(s) < 4096 and (
        Path(s).suffix.lower() in EXTENSIONS or s.startswith(("/", "./", "../", "~")))


def read_document(path_or_text: str | Path, *, fmt: str | None = None) -> Document:
    """Read a document (a file path or the text itself) and find its math.

    Parameters
    ----------
    path_or_text : str or Path
        A path to an existing file (``str`` or ``Path``), or the document text.
    fmt : str, optional
        Force the format (one of ``"markdown"``, ``"latex"``, ``"rst"``, ``"html"``, ``"text"``);
        by default it is detected from the content and the extension.

    Returns
    -------
    Document

    Raises
    ------
    ValueError
        Unknown ``fmt``; a missing file; a directory (pass files, or use the multi-file mode);
        a binary file (NUL bytes); non-UTF-8 text; an empty document.
    TypeError
        ``path_or_text`` is neither ``str`` nor ``Path``.
    """
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if isinstance(path_or_text, Path) or isinstance(path_or_text, str) and _looks_like_path(path_or_text) and (
            Path(path_or_text).expanduser().exists() or not re.search(r"\s", path_or_text)):
        p = Path(path_or_text).expanduser()
        text = read_text_file(p)
        path: str | None = str(path_or_text)
    elif isinstance(path_or_text, str):
        if "\x00" in path_or_text:
            raise ValueError("<text> looks binary (it contains NUL characters): pass a text document")
        text = path_or_text.replace("\r\n", "\n").replace("\r", "\n")
        if text.startswith("\ufeff"):
            text = text[1:]
        if not text.strip():
            raise ValueError("<text> is empty: nothing to read")
        path = None
    else:
        raise TypeError(f"read_document expects a path or the text (str or Path), got {type(path_or_text).__name__}")
    kind = fmt or detect_format(text, path)
    headings = find_headings(text, kind)
    spans = extract_spans(text, kind, headings)
    return Document(path=path, fmt=kind, text=text, lines=text.split("\n"), spans=spans, headings=headings)
