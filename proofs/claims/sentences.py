"""Split prose into sentences, each with its 1-based line number and section heading.

Claims in words live in prose: paragraphs (possibly wrapped over several
lines), list items, table cells and headings. This module cuts a document's
text into :class:`Sentence` objects, skipping fenced code blocks, indented
code, display-math blocks and front matter, and keeping inline math spans
as text (``$L$ layers`` stays in the sentence). A sentence longer than
:data:`MAX_SENTENCE_CHARS` is cut there (bounded work per sentence).

Examples
--------
>>> text = "# Receptive field\\n\\nTwo 3x3 convs see a\\n5x5 region. Pooling helps.\\n\\n```\\nx = 1. Y\\n```\\n"
>>> [(s.line, s.text, s.section) for s in split_sentences(text)]
[(1, 'Receptive field', None), (3, 'Two 3x3 convs see a 5x5 region.', 'Receptive field'), (4, 'Pooling helps.', 'Receptive field')]
>>> split_sentences("")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lines import normalize_text, split_lines

__all__ = ["Sentence", "split_sentences", "MAX_SENTENCE_CHARS", "MAX_DOCUMENT_CHARS"]

#: a sentence is cut after this many characters (bounded work per sentence)
MAX_SENTENCE_CHARS = 600
#: only this many characters of a document are read for claims
MAX_DOCUMENT_CHARS = 2_000_000


@dataclass(frozen=True)
class Sentence:
    """One sentence of prose.

    Parameters
    ----------
    line : 1-based line number where the sentence starts.
    text : the sentence, whitespace collapsed (inline math kept as written).
    section : the nearest heading above it, or None.
    heading : True when the sentence is itself a heading (a title, not a claim).
    """

    line: int
    text: str
    section: str | None = None
    heading: bool = False


_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$|^\s*\\(?:part|chapter|section|subsection|subsubsection|paragraph)\*?\{([^{}]*)\}\s*$")
_LATEX_COMMAND_LINE = re.compile(r"^\s*\\(?:documentclass|usepackage|begin|end|label|maketitle|title|author|date|newcommand|renewcommand|bibliography|bibliographystyle|input|include|item\b(?=\s*$)|caption|centering|includegraphics|tableofcontents)\b[^%]*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+|^\s*\*\*[^*]{1,80}\*\*")
_TABLE_ROW = re.compile(r"^\s*\|")
#: a line that is only a bold label ("**3. Translation Equivariance**"): a title of its own
_BOLD_LABEL_LINE = re.compile(r"^\s*\*\*[^*]{1,80}\*\*\s*:?\s*$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_DISPLAY_OPEN = re.compile(r"^\s*(\$\$|\\\[|\\begin\{(?:equation|align|multline|gather|eqnarray)\*?\})")
_DISPLAY_CLOSE = {"$$": re.compile(r"\$\$\s*$"), "\\[": re.compile(r"\\\]\s*$")}
_ENV_CLOSE = re.compile(r"\\end\{(?:equation|align|multline|gather|eqnarray)\*?\}")
_PROSE_IN_MATH = re.compile(r"\\text\{[A-Za-z][^{}]{2,}\}.*\\text\{[A-Za-z]")
_ENUMERATOR = re.compile(r"^[\W_]*\d{1,3}[.)]$")
_HTML_TAG = re.compile(r"<[^<>]{0,200}>")
# a sentence ends at . ! ? (not inside a number like 3.5, not after e.g./i.e./etc./vs.)
_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)(?<!\bcf)(?<!\bFig)(?<!\bEq)[.!?](?=\s+[\"'(*_\[]?[A-Z0-9$\\])")


def _blocks(lines: list[str]):
    """Yield (first_line_number, [(line_number, text), ...], heading_or_None) for each prose block."""
    in_fence = False
    display_close = None
    block: list[tuple[int, str]] = []

    def flush():
        nonlocal block
        if block:
            out = block
            block = []
            return out
        return None

    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if in_fence:
            if _FENCE.match(line):
                in_fence = False
            continue
        if display_close is not None:
            if display_close.search(line):
                display_close = None
            elif _PROSE_IN_MATH.search(line) and "=" not in line:
                yield [(number, line)], False
            continue
        if _FENCE.match(line):
            done = flush()
            if done:
                yield done, None
            in_fence = True
            continue
        m = _DISPLAY_OPEN.match(line)
        if m:
            done = flush()
            if done:
                yield done, None
            opener = m.group(1)
            closer = _DISPLAY_CLOSE.get(opener, _ENV_CLOSE)
            rest = line[m.end():]
            if not closer.search(rest):
                display_close = closer
            elif _PROSE_IN_MATH.search(rest) and "=" not in rest:
                yield [(number, rest)], False  # a display of words ("Convolve (equivariant) → Pool → FC")
            continue
        if not line.strip() or _RULE.match(line) or line.startswith("    ") and not block:
            done = flush()
            if done:
                yield done, None
            continue
        h = _HEADING.match(line)
        if h:
            done = flush()
            if done:
                yield done, None
            # closing '#'s dropped here: a lazy title before "\s*#*\s*$" is cubic in a line of spaces
            title = h.group(2).rstrip().rstrip("#").rstrip() if h.group(2) is not None else h.group(3)
            yield [(number, title)], title
            continue
        if _LATEX_COMMAND_LINE.match(line):
            done = flush()
            if done:
                yield done, None
            continue
        if _LIST_ITEM.match(line) or _TABLE_ROW.match(line):
            done = flush()
            if done:
                yield done, None
        block.append((number, line))
        if _TABLE_ROW.match(line) or _BOLD_LABEL_LINE.match(line):
            done = flush()
            if done:
                yield done, None
    done = flush()
    if done:
        yield done, None


def _split_block(block: list[tuple[int, str]]):
    """Join a block's lines and cut it into (line, sentence) pairs."""
    text_parts: list[str] = []
    starts: list[tuple[int, int]] = []  # (char offset, line number)
    offset = 0
    for number, line in block:
        piece = " ".join(_HTML_TAG.sub(" ", line).split())
        starts.append((offset, number))
        text_parts.append(piece)
        offset += len(piece) + 1
    text = " ".join(text_parts)

    def line_at(pos: int) -> int:
        current = starts[0][1]
        for start, number in starts:
            if start <= pos:
                current = number
            else:
                break
        return current

    begin = 0
    for m in _END.finditer(text):
        piece = text[begin:m.end()].strip()
        if _ENUMERATOR.match(piece):
            continue  # "**3. Translation…": a numbered label, not the end of a sentence
        if piece:
            yield line_at(begin + (len(text[begin:]) - len(text[begin:].lstrip()))), piece
        begin = m.end()
    piece = text[begin:].strip()
    if piece:
        yield line_at(begin + (len(text[begin:]) - len(text[begin:].lstrip()))), piece


def split_sentences(text: str) -> list[Sentence]:
    """Cut prose into sentences with line numbers and section headings.

    Parameters
    ----------
    text : the document text (Markdown, plain text, LaTeX or HTML; read as prose).

    Returns
    -------
    list of :class:`Sentence`, in document order. Headings are sentences too.

    Raises
    ------
    TypeError
        if ``text`` is not a string.

    Examples
    --------
    >>> [s.text for s in split_sentences("- 3 layers of 3x3 conv: RF = 7x7\\n- Fewer params, e.g. 27 vs 49. Done")]
    ['- 3 layers of 3x3 conv: RF = 7x7', '- Fewer params, e.g. 27 vs 49.', 'Done']
    >>> split_sentences(3)
    Traceback (most recent call last):
    ...
    TypeError: split_sentences: text must be a str, got int
    """
    if not isinstance(text, str):
        raise TypeError(f"split_sentences: text must be a str, got {type(text).__name__}")
    lines = split_lines(normalize_text(text[:MAX_DOCUMENT_CHARS]))
    out: list[Sentence] = []
    section: str | None = None
    for block, heading in _blocks(lines):
        if heading is False:  # prose written inside display math: one sentence, not split
            out.append(Sentence(block[0][0], " ".join(block[0][1].split())[:MAX_SENTENCE_CHARS], section))
            continue
        if heading is not None:
            out.append(Sentence(block[0][0], heading[:MAX_SENTENCE_CHARS], section, heading=True))
            section = heading[:MAX_SENTENCE_CHARS]
            continue
        for line, piece in _split_block(block):
            out.append(Sentence(line, piece[:MAX_SENTENCE_CHARS], section))
    return out
