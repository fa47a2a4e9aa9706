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

import bisect

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..lines import normalize_text, split_lines
from .extract import MathSpan, extract_spans
from .formats import EXTENSIONS, FORMATS, detect_format, read_text_file
from .sections import Heading, find_headings, heading_at

__all__ = ["Document", "read_document", "read_text", "read_file", "looks_like_path"]


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
    #: for a notebook: ``origins[n - 1] = (file_line, cell, cell_line)`` of line ``n`` (see .notebook)
    origins: tuple | None = field(default=None, repr=False)

    def _outline(self) -> tuple[list[int], list[list[str]]]:
        """The headings' lines and, for each heading, the path of titles it opens (built once: lookups are
        logarithmic, so a document of thousands of headings is not read in quadratic time)."""
        cached = self.__dict__.get("_outline_cache")
        if cached is not None and len(cached[0]) == len(self.headings):
            return cached
        keys, paths, path = [], [], []
        for h in self.headings:
            while path and path[-1].level >= h.level:
                path.pop()
            path.append(h)
            keys.append(h.line)
            paths.append([x.title for x in path])
        object.__setattr__(self, "_outline_cache", (keys, paths))  # frozen dataclass: a cache, not state
        return keys, paths

    def section_at(self, line: int) -> str | None:
        """Title of the nearest heading at or above 1-based ``line`` (``None`` before the first)."""
        keys, _ = self._outline()
        k = bisect.bisect_right(keys, line) - 1
        return self.headings[k].title if k >= 0 else None

    def section_path(self, line: int) -> list[str]:
        """Titles of the enclosing headings, outermost first (``['Layers', 'Pooling', 'Max Pooling']``)."""
        keys, paths = self._outline()
        k = bisect.bisect_right(keys, line) - 1
        return list(paths[k]) if k >= 0 else []


def looks_like_path(s: str) -> bool:
    """Would :func:`read_document` read the string ``s`` as a path? (One line, a document suffix or ``/ ./ ../ ~``.)

    Text containing a line break is never a path.

    >>> looks_like_path("notes.md"), looks_like_path("/etc/passwd"), looks_like_path("x = 1\\n/etc/passwd")
    (True, True, False)
    """
    return not any(ch in s for ch in "\n\r") and 0 < len(s) < 4096 and "\x00" not in s and (
        Path(s).suffix.lower() in EXTENSIONS or s.startswith(("/", "./", "../", "~")))


def _exists(s: str) -> bool:
    try:
        return os.path.lexists(os.path.expanduser(s))
    except (OSError, ValueError, RuntimeError):
        return False


def _finish(text: str, path: str | None, fmt: str | None) -> Document:
    kind = fmt or detect_format(text, path)
    headings = find_headings(text, kind)
    spans = extract_spans(text, kind, headings)
    return Document(path=path, fmt=kind, text=text, lines=split_lines(text), spans=spans, headings=headings)


def _check_fmt(fmt: str | None) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")


def read_text(text: str, *, fmt: str | None = None) -> Document:
    """Read a document given as text (never as a path) and find its math.

    Parameters
    ----------
    text : str
        The document. Line ends are normalised (see :mod:`proofs.document.lines`).
    fmt : str, optional
        ``"markdown"``, ``"latex"``, ``"rst"``, ``"html"`` or ``"text"``; detected from the content by default.

    Raises
    ------
    TypeError
        ``text`` is not a ``str``.
    ValueError
        Unknown ``fmt``; text with NUL characters; empty text (or only a BOM or whitespace).

    Examples
    --------
    >>> read_text("/etc/passwd").path is None
    True
    >>> read_text("\\ufeff")
    Traceback (most recent call last):
    ...
    ValueError: <text> is empty: nothing to read
    """
    if not isinstance(text, str):
        raise TypeError(f"read_text expects the document text as str, got {type(text).__name__}")
    _check_fmt(fmt)
    if "\x00" in text:
        raise ValueError("<text> looks binary (it contains NUL characters): pass a text document")
    text = normalize_text(text)
    if not text.strip():
        raise ValueError("<text> is empty: nothing to read")
    return _finish(text, None, fmt)


def read_file(path: str | os.PathLike, *, fmt: str | None = None) -> Document:
    """Read a document file and find its math (see :func:`proofs.document.formats.read_text_file`).

    Raises
    ------
    TypeError
        ``path`` is not a ``str`` or path-like.
    ValueError
        Unknown ``fmt``; a missing, unreadable, non-regular (FIFO, device), binary, non-UTF-8, too large or
        empty file, or a directory.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"read_file expects a path (str or Path), got {type(path).__name__}")
    _check_fmt(fmt)
    p = Path(path)
    if str(p).startswith("~"):
        try:
            p = p.expanduser()
        except RuntimeError as exc:  # "~nosuchuser/x.md"
            raise ValueError(f"{path}: cannot expand the user's home ({exc})") from None
    text = read_text_file(p)
    if p.suffix.lower() == ".ipynb" and fmt in (None, "markdown"):
        from .notebook import notebook_markdown

        md, origins = notebook_markdown(text, str(path))
        return replace(_finish(md, str(path), "markdown"), origins=origins)
    return _finish(text, str(path), fmt)


def read_document(path_or_text: str | os.PathLike, *, fmt: str | None = None) -> Document:
    """Read a document given as a path or as text — a convenience; prefer :func:`read_text` / :func:`read_file`.

    A ``Path`` is a file. A ``str`` is a file when :func:`looks_like_path` (one line with a document suffix,
    or starting with ``/ ./ ../ ~``) and it holds no space or names an existing file; otherwise it is the text. Text holding a line break is never read as a
    path. A service checking untrusted text must call :func:`read_text`, which never opens a file.

    Parameters
    ----------
    path_or_text : str or Path
    fmt : str, optional
        Force the format (one of ``"markdown"``, ``"latex"``, ``"rst"``, ``"html"``, ``"text"``);
        by default it is detected from the content and the extension.

    Returns
    -------
    Document

    Raises
    ------
    ValueError
        Unknown ``fmt``; a missing or unreadable file; a directory (pass files, or use the multi-file mode);
        a binary file (NUL bytes); non-UTF-8 text; an empty document.
    TypeError
        ``path_or_text`` is neither ``str`` nor ``Path``.
    """
    if isinstance(path_or_text, os.PathLike) or isinstance(path_or_text, str) and looks_like_path(path_or_text) \
            and (not any(ch.isspace() for ch in path_or_text) or _exists(path_or_text)):
        return read_file(path_or_text, fmt=fmt)
    if isinstance(path_or_text, str):
        return read_text(path_or_text, fmt=fmt)
    raise TypeError(f"read_document expects a path or the text (str or Path), got {type(path_or_text).__name__}")
