r"""Find the math spans of a document: delimited math per format, plus plain-text formulas.

Per format
----------
markdown / text
    ``$$…$$``, ``$…$`` (pandoc rule: no space inside the dollars, closing ``$``
    not followed by a digit, so "$5 and $10" is money), ``\[…\]``, ``\(…\)``,
    the escaped ``\\[…\\]``/``\\(…\\)`` of Jekyll/kramdown (CS231n), raw
    ``\begin{equation|align|…}`` environments, Doxygen ``\f$…\f$`` and ``\f[…\f]`` (oneDNN),
    and plain-text formulas
    (:mod:`proofs.document.plain`), formulas written as inline code of any run of back-quotes
    (:mod:`proofs.document.code_math`). Code is skipped: fenced blocks with a
    language tag, HTML comments; an untagged fence that holds no code, and an indented code
    block, are scanned for formulas, read in program notation where they read as code.
latex
    ``$…$``, ``$$…$$``, ``\[…\]``, ``\(…\)`` and the environments ``equation``,
    ``align``, ``multline``, ``gather``, ``eqnarray``, ``flalign``, ``alignat``,
    ``displaymath``, ``math`` (starred too); comments, the preamble and
    ``verbatim``/``lstlisting``/``tikzpicture`` bodies are skipped. Theorem-like
    environments (``\begin{relationship}``) are prose containing math. Formulas in
    ``\texttt{…}``, ``\verb|…|``, ``\lstinline{…}`` are read in program notation.
rst
    ``:math:`…``` roles and ``.. math::`` blocks (one span per equation), formulas in
    ````inline literals```` (program notation) and plain formulas in the prose (code and literal
    blocks, directives, comments and targets masked; admonition bodies are prose).
html
    ``\(…\)``, ``\[…\]``, ``$$…$$``, environments, and ``<script type="math/tex">``;
    HTML entities are decoded in ``tex``; ``<script>``/``<style>``/comments are skipped.
    Formulas in ``<code>``/``<tt>`` (program notation) and plain formulas in the text
    (``<sub>``/``<sup>`` read as scripts; ``<pre>`` skipped).

Program notation (:mod:`proofs.document.code_notation`): identifiers whole, ``*`` a product,
``//`` a floor division; a ``/`` between names is exact in ``tex`` and rounded down in
``readings`` unless the document says which (see :class:`MathSpan`).

Displays with several rows (``align``, ``aligned``, ``multline``, ``eqnarray``,
``gather``, ``split``, and ``$$`` blocks holding one relation per line) give one
span per row (split on ``\\``, ``&`` dropped, line numbers kept). A row that
starts with a relation (``&= …``) continues the row above: its ``tex`` is the
previous row's last side followed by the row (``source`` stays as written). A display whose opening
delimiter stands alone on its line is reported at its first line of math, its ``source`` being that math.

>>> doc = "# Size\n\nThe output is $o = \\lfloor (i-k)/s \\rfloor + 1$ for stride $s$.\n"
>>> [(s.line, s.tex, s.origin, s.section) for s in extract_spans(doc, "markdown")]
[(3, 'o = \\lfloor (i-k)/s \\rfloor + 1', 'dollar', 'Size'), (3, 's', 'dollar', 'Size')]
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace

from ..lines import line_of, line_starts, split_lines
from .formats import decode_entities
from .pairs import closed_pairs
from .code_math import code_formulas
from .code_notation import code_readings, division_convention
from .errors import MathParseError
from .parser import parse_math
from .plain import find_plain_formulas
from .sections import Heading, find_headings

__all__ = ["MathSpan", "extract_spans", "split_rows", "MATH_ENVIRONMENTS"]

#: Display environments whose body is math (one span per row for the multi-row ones).
MATH_ENVIRONMENTS = ("equation", "align", "multline", "gather", "eqnarray", "flalign", "alignat",
                     "displaymath", "math", "dmath")
_MULTIROW = ("align", "multline", "gather", "eqnarray", "flalign", "alignat", "aligned", "gathered",
             "split", "alignedat", "multlined")

CONTEXT_CHARS = 300
AFTER_CHARS = 200


@dataclass(frozen=True)
class MathSpan:
    r"""One piece of math found in a document.

    Attributes
    ----------
    line, end_line : int
        1-based lines of the span's first and last character in the original file.
    source : str
        The text exactly as written (with delimiters for a whole span; the row
        text for one row of a multi-row display).
    tex : str
        The math inside: delimiters stripped, HTML entities decoded, ``&`` of a row dropped.
    display : bool
        A displayed equation (``$$``, ``\[``, environments, own-line plain formulas).
    origin : str
        ``"dollar"``, ``"double_dollar"``, ``"bracket"``, ``"paren"``, ``"env:<name>"``,
        ``"rst_role"``, ``"rst_block"``, ``"script"``, ``"doxygen"``, ``"code"`` or ``"plain"``.
    section : str or None
        Title of the nearest heading above.
    context : str
        Prose just before the span (≤ 300 chars, whitespace collapsed, math kept as written).
    after : str
        Text just after the span (≤ 200 chars).
    col : int
        1-based column of the span's first character on ``line``.
    readings : tuple of str
        Other readings of the same text, when it has more than one (a formula in program notation
        whose ``/`` between names may be exact or rounded down: ``tex`` is the exact one, the
        rounded-down one is here, see :mod:`proofs.document.code_notation`). Empty for most spans.
    """

    line: int
    end_line: int
    source: str
    tex: str
    display: bool
    origin: str
    section: str | None
    context: str
    after: str
    col: int = 1
    readings: tuple[str, ...] = ()


# ---------------------------------------------------------------------------- masking
_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(chars: list[str], a: int, b: int) -> None:
    """Replace ``chars[a:b]`` by spaces, line ends kept (offsets and line numbers do not move)."""
    if b > a:
        chars[a:b] = _NOT_NEWLINE.sub(" ", "".join(chars[a:b]))


_FENCE_LINE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})([^\n]*)")


def fences(text: str) -> list[tuple[int, int, int, int, str]]:
    r"""Closed code fences: ``(start, end, body_start, body_end, info)`` offsets, in order.

    A fence opens on a line of three or more back-quotes or tildes (indented at most 3 spaces,
    optionally followed by an info string) and closes on the next line that holds only a run of
    the same character at least as long. An opening that never closes is not a fence (its text
    is read). One pass over the lines: linear in the text, whatever the runs of back-quotes.

    >>> t = "a\n```python\nx = 1\n```\nb\n````\n"
    >>> [(t[s:e], t[bs:be], info) for s, e, bs, be, info in fences(t)]
    [('```python\nx = 1\n```', 'x = 1\n', 'python')]
    """
    lines = split_lines(text)
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    # candidate lines: (char, run length, is a closing line (nothing but the run))
    cand: dict[int, tuple[str, int, bool]] = {}
    for i, line in enumerate(lines):
        if "```" in line or "~~~" in line:
            m = _FENCE_LINE.match(line)
            if m:
                run = m.group(1)
                cand[i] = (run[0], len(run), not m.group(2).strip())
    # longest closing run of each character at or after each candidate line (to refuse unclosed fences in O(1))
    best_after: dict[int, dict[str, int]] = {}
    best = {"`": 0, "~": 0}
    for i in sorted(cand, reverse=True):
        best_after[i] = dict(best)
        ch, n, closing = cand[i]
        if closing:
            best[ch] = max(best[ch], n)
    order = sorted(cand)
    out = []
    k = 0
    while k < len(order):
        i = order[k]
        ch, n, _ = cand[i]
        info = _FENCE_LINE.match(lines[i]).group(2)
        if best_after[i][ch] < n or (ch == "`" and "`" in info):
            k += 1
            continue
        j = k + 1
        while not (cand[order[j]][0] == ch and cand[order[j]][1] >= n and cand[order[j]][2]):
            j += 1
        close = order[j]
        body_start = starts[i + 1] if i + 1 < len(lines) else len(text)
        end = starts[close] + len(lines[close].rstrip(" \t"))
        out.append((starts[i], end, body_start, starts[close], info.strip()))
        k = j + 1
    return out


_CODE_HINT = re.compile(r"^\s*(?:import |from \S+ import|def |class |print\(|return |for .+ in |#include|>>>)"
                        r"|np\.|torch\.|\bd2l\.|[;{]\s*$|==", re.M)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---[ \t]*\n", re.S)
_TEX_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
# Delimited regions, found by closed_pairs (linear in the text, see proofs.document.pairs): (opener, closer).
_BACKTICKS = re.compile(r"(?<!`)`+(?!`)")
_COMMENT_OPEN, _COMMENT_CLOSE = re.compile(r"<!--"), re.compile(r"-->")
_SCRIPT_OPEN = re.compile(r"<(script|style)\b([^>]{0,2000})>", re.I)  # attributes: at most 2000 characters
_SVG_OPEN = re.compile(r"<svg\b", re.I)
_SVG_CLOSE = re.compile(r"</svg\s*>", re.I)
_TEX_SKIP_OPEN = re.compile(r"\\begin\{(verbatim|lstlisting|minted|tikzpicture|comment|Verbatim)\*?\}")


def _regions(text: str, opener: re.Pattern, closer, min_inner: int = 0):
    """``(start, end, open_match)`` of the regions ``opener … closer`` (see :func:`closed_pairs`)."""
    for o, c in closed_pairs(text, opener, closer, min_inner=min_inner):
        yield o.start(), c.end(), o


@functools.lru_cache(maxsize=64)
def _closing(pattern: str, flags: int = 0) -> re.Pattern:
    return re.compile(pattern, flags)


def _script_close(o: re.Match) -> re.Pattern:
    return _closing(rf"</{o.group(1).lower()}\s*>", re.I)


def _inline_code(masked: str):
    """Inline code spans: a run of back-quotes closed by the next run of the same length."""
    return _regions(masked, _BACKTICKS, lambda o: _closing(rf"(?<!`)`{{{len(o.group())}}}(?!`)"), min_inner=1)


def _tex_skip_close(o: re.Match) -> re.Pattern:
    return _closing(rf"\\end\{{{o.group(1)}\*?\}}")


def _mask_markdown(text: str, code_spans: list[tuple[int, int]] | None = None) -> tuple[list[str], list[tuple[int, int]]]:
    """Blank code/comments; return the masked chars and the untagged code-free fences (plain-only regions).

    The inline code spans blanked are appended to ``code_spans`` as ``(start, end)`` offsets (back-quotes included).
    """
    chars = list(text)
    plain_only: list[tuple[int, int]] = []
    m = _FRONT_MATTER.match(text)
    if m:
        _blank(chars, 0, m.end())
    for start, end, body_start, body_end, tag in fences(text):
        _blank(chars, start, end)
        if not tag and not _CODE_HINT.search(text, body_start, body_end):
            plain_only.append((body_start, body_end))
    _mask_comments_scripts(text, chars)
    masked = "".join(chars)
    for a, b, _ in _inline_code(masked):
        if masked.find("\n\n", a, b) >= 0:
            continue
        _blank(chars, a, b)
        if code_spans is not None:
            code_spans.append((a, b))
    return chars, plain_only


def _mask_comments_scripts(text: str, chars: list[str]) -> None:
    for a, b, _ in _regions(text, _COMMENT_OPEN, lambda o: _COMMENT_CLOSE):
        _blank(chars, a, b)
    for a, b, o in _regions(text, _SCRIPT_OPEN, _script_close):
        if "math/tex" not in o.group(2):
            _blank(chars, a, b)


def _mask_latex(text: str) -> list[str]:
    chars = list(text)
    for m in _TEX_COMMENT.finditer(text):
        _blank(chars, m.start(), m.end())
    masked = "".join(chars)
    begin = masked.find("\\begin{document}")
    if begin >= 0:
        _blank(chars, 0, begin + len("\\begin{document}"))
    end = masked.find("\\end{document}")
    if end >= 0:
        _blank(chars, end, len(chars))
    for a, b, _ in _regions("".join(chars), _TEX_SKIP_OPEN, _tex_skip_close):
        _blank(chars, a, b)
    return chars


_RST_PROSE_DIRECTIVES = {"note", "warning", "tip", "important", "hint", "caution", "attention", "danger", "error",
                         "admonition", "seealso", "topic", "sidebar", "rubric", "epigraph", "highlights", "pull-quote",
                         "container", "compound", "only", "versionadded", "versionchanged", "deprecated"}
_RST_DIRECTIVE = re.compile(r"[ \t]*\.\.(?:[ \t]+(?:(?P<name>[\w:-]+)::|\[|_|\|)|[ \t]*$)")


def _mask_rst(text: str) -> list[str]:
    r"""reStructuredText with what is not prose blanked, for the plain-formula finder: literal blocks (after
    ``::``), code/math/image directives with their bodies, comments, link targets, footnote markers.
    Admonitions (``.. note::``) keep their body (prose).

    >>> t = "Text::\n\n    x = a + 1\n\n.. code-block:: python\n\n    y = b + 2\n\n.. note::\n\n   o = i + 1\n"
    >>> [line for line in "".join(_mask_rst(t)).split("\n") if line.strip()]
    ['Text::', '   o = i + 1']
    """
    chars = list(text)
    lines = split_lines(text)
    starts = line_starts(text)
    k = 0
    literal_next = False
    while k < len(lines):
        line = lines[k]
        indent = len(line) - len(line.lstrip())
        m = _RST_DIRECTIVE.match(line)
        opens_block = literal_next and line.strip() and indent > literal_indent
        if m or opens_block:
            keep_body = bool(m and m.group("name") and m.group("name").lower() in _RST_PROSE_DIRECTIVES)
            base = indent if m else literal_indent
            _blank(chars, starts[k], starts[k] + len(line))
            j = k + 1
            while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > base):
                if not keep_body or re.match(r"\s*:[\w -]+:", lines[j]):  # options of a directive
                    _blank(chars, starts[j], starts[j] + len(lines[j]))
                j += 1
            if opens_block or not keep_body:
                k, literal_next = j, False
                continue
            k, literal_next = k + 1, False  # an admonition's "::" opens no literal block: its body is read
            continue
        if line.strip():
            literal_next = line.rstrip().endswith("::")
            literal_indent = indent
        k += 1
    return chars


def _mask_html(text: str) -> list[str]:
    chars = list(text)
    _mask_comments_scripts(text, chars)
    for a, b, _ in _regions(text, _SVG_OPEN, lambda o: _SVG_CLOSE):
        _blank(chars, a, b)
    return chars


# ---------------------------------------------------------------------------- delimited math
_ENV_NAMES = "|".join(MATH_ENVIRONMENTS)
# Openers of delimited math (one alternative per kind, tried in this order at each position) and their closers.
# The inline "$…$" alternative is a whole match: it cannot run past the next "$" or a blank line.
_OPENER = re.compile(
    r"(?=[$\\<])"  # every opener starts with one of these: lets the engine skip to candidates fast
    r"(?:(?P<dd>(?<!\\)\$\$)"
    r"|(?P<fdd>\\f\$)"  # Doxygen inline math \f$…\f$ (oneDNN docs)
    r"|(?P<fbr>\\f\[)"  # Doxygen display math \f[…\f]
    r"|(?P<ebr>\\\\\[)"
    r"|(?P<epa>\\\\\()"
    r"|(?P<br>(?<!\\)\\\[)"
    r"|(?P<pa>(?<!\\)\\\()"
    rf"|(?P<env>\\begin\{{(?P<env_name>(?:{_ENV_NAMES})\*?)\}}(?:\{{\d+\}})?)"
    r"|(?P<script><script\b[^>]{0,2000}math/tex[^>]{0,2000}>)"
    r"|(?P<d>(?<![\\$])\$(?![\s$])(?P<d_in>(?:\\\$|[^$\n]|\n(?!\s*\n))+?)(?<![\s\\])\$(?![\d$])))",
)
_CLOSER = {"dd": re.compile(r"(?<!\\)\$\$"), "fdd": re.compile(r"\\f\$"), "fbr": re.compile(r"\\f\]"),
           "ebr": re.compile(r"\\\\\]"), "epa": re.compile(r"\\\\\)"),
           "br": re.compile(r"(?<!\\)\\\]"), "pa": re.compile(r"(?<!\\)\\\)"),
           "script": re.compile(r"</script\s*>")}
_MIN_INNER = {"fdd": 1, "fbr": 1, "dd": 1, "ebr": 1, "epa": 1, "br": 1, "pa": 1}  # ".+?" inside: a closer right after the opener is not one


def _kind(o: re.Match) -> str:
    """The kind of an opener: its outermost group, which closes last (``lastgroup``)."""
    return o.lastgroup


def _math_closer(o: re.Match) -> re.Pattern | None:
    kind = _kind(o)
    if kind == "d":
        return None
    if kind == "env":
        return _closing(rf"\\end\{{{re.escape(o.group('env_name'))}\}}")
    return _CLOSER[kind]


def delimited_math(masked: str):
    r"""``(kind, start, end, inner_start, inner_end, env_name)`` of the delimited math of ``masked``, in order.

    Kinds: ``dd`` (``$$``), ``ebr``/``epa`` (``\\[``/``\\(``), ``br``/``pa`` (``\[``/``\(``), ``env``,
    ``script`` (``<script type="math/tex">``), ``d`` (``$``). Linear in the text (see :mod:`.pairs`).

    >>> [(k, a, b) for k, a, b, *_ in delimited_math(r"$$x$$ and \(y\) and $z$, \[ no close")]
    [('dd', 0, 5), ('pa', 10, 15), ('d', 20, 23)]
    """
    for o, c in closed_pairs(masked, _OPENER, _math_closer, key=lambda o: (_kind(o), o.group("env_name")),
                             min_inner=lambda o: _MIN_INNER.get(_kind(o), 0)):
        kind = _kind(o)
        if c is None:
            yield kind, o.start(), o.end(), o.start("d_in"), o.end("d_in"), None
        else:
            yield kind, o.start(), c.end(), o.end(), c.start(), o.group("env_name")


_ORIGIN = {"dd": "double_dollar", "ebr": "bracket", "epa": "paren", "br": "bracket", "pa": "paren",
           "script": "script", "d": "dollar", "fdd": "doxygen", "fbr": "doxygen"}
_DISPLAY = {"fbr", "dd", "ebr", "br", "env", "script"}
_RST_ROLE = re.compile(r":math:`(?P<in>[^`]+)`")
_RST_LITERAL = re.compile(r"(?<![`\\])``(?=[^`\s])[^`\n]+?(?<=[^`\s])``(?!`)")
_RST_BLOCK = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+math::[ \t]*(?P<first>[^\n]*)\n", re.M)


_ROW_TOKENS = re.compile(r"\\begin\{|\\end\{|\\[\s\S]|[{}]")


def _top_level_split(tex: str) -> list[tuple[int, int]]:
    r"""Ranges of ``tex`` between top-level ``\\`` (not inside braces or nested environments).

    >>> t = r"a = b \\ \begin{cases} x \\ y \end{cases} \\ {c \\ d}"
    >>> [t[a:b].strip() for a, b in _top_level_split(t)]
    ['a = b', '\\begin{cases} x \\\\ y \\end{cases}', '{c \\\\ d}']
    """
    out, start, depth, env = [], 0, 0, 0
    for m in _ROW_TOKENS.finditer(tex):
        tok = m.group()
        if tok == "\\begin{":
            env += 1
        elif tok == "\\end{":
            env -= 1
        elif tok == "\\\\":
            if depth == 0 and env <= 0:
                out.append((start, m.start()))
                start = m.end()
        elif tok == "{":
            depth += 1
        elif tok == "}":
            depth = max(depth - 1, 0)
    out.append((start, len(tex)))
    return out


_INNER_MULTIROW = re.compile(r"\\begin\{(" + "|".join(_MULTIROW) + r")\*?\}(?:\{[^{}]*\})?")
_RELATION_HINT = re.compile(r"=|\\approx|\\leq?|\\geq?|\\neq|\\equiv|≈|≤|≥|<|>")


def split_rows(tex: str, multirow: bool) -> list[tuple[int, int]]:
    r"""Ranges of the rows of a display (one range for a single-row display).

    ``multirow`` says the display itself is an ``align``-like environment; a
    nested ``aligned``/``split`` block is split too; a ``$$`` block with one
    relation per line is split at line ends.

    >>> t = r"a &= b \\ c &= d"
    >>> [t[a:b].strip() for a, b in split_rows(t, True)]
    ['a &= b', 'c &= d']
    """
    if not multirow:  # a display that is one aligned/split block: its rows
        m = _INNER_MULTIROW.match(tex, len(tex) - len(tex.lstrip(" \n{}")))
        c = m and _closing(rf"\\end\{{{m.group(1)}\*?\}}").search(tex, m.end())
        if c and not tex[c.end():].strip(" \n{}.,"):
            inner_rows = split_rows(tex[m.end():c.start()], True)
            return [(m.end() + a, m.end() + b) for a, b in inner_rows]
    rows = _top_level_split(tex) if multirow or "\\\\" in tex and not re.search(r"\\begin\{", tex) else [(0, len(tex))]
    rows = [(a, b) for a, b in rows if tex[a:b].strip()]
    if len(rows) == 1 and not multirow:
        a, b = rows[0]
        lines, pos = [], a
        for piece in split_lines(tex[a:b]):
            if piece.strip():
                lines.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        if len(lines) > 1 and all(_RELATION_HINT.search(tex[x:y]) for x, y in lines) \
                and tex.count("{") == tex.count("}") \
                and all(tex[x:y].count("{") == tex[x:y].count("}") for x, y in lines):
            return lines
    return rows or [(0, len(tex))]


_LEADING_REL = re.compile(r"^\s*(?:=|:=|<|>|\\approx|\\leq?|\\geq?|\\neq|\\equiv|\\sim|\\to|≈|≤|≥|≠)(?![A-Za-z])")
_LEADING_OP = re.compile(r"^\s*(?:[+\-−]|\\cdot(?![A-Za-z])|\\times(?![A-Za-z]))")
_REL_AT = re.compile(r"=|\\approx(?![A-Za-z])|\\leq?(?![A-Za-z])|\\geq?(?![A-Za-z])|\\neq(?![A-Za-z])|[<>≈≤≥≠]")


def _last_side(tex: str) -> str:
    """The text after the last top-level relation of ``tex`` (all of it when there is none)."""
    depth, cut = 0, 0
    for m in re.finditer(r"[{}]|" + _REL_AT.pattern, tex):
        if m.group() == "{":
            depth += 1
        elif m.group() == "}":
            depth -= 1
        elif depth == 0:
            cut = m.end()
    return tex[cut:].strip()


_AMP_TOKENS = re.compile(r"\\begin\{|\\end\{|\\[\s\S]|&")
_LEADING_LAYOUT = re.compile(r"(?:\s|\\(?:label|tag\*?)\{[^{}\n]*\}|\\renewcommand\{[^{}\n]*\}\{[^{}\n]*\}|\\nonumber|\\notag)*")
_ROW_LABELS = re.compile(r"\\(?:label|tag)\*?\{[^{}]*\}|\\nonumber|\\notag")


def _clean_row(row: str, html: bool = False) -> str:
    r"""One row as math: labels dropped, alignment ``&`` outside nested environments dropped, spaces collapsed.

    >>> _clean_row(r"a &= \begin{cases} 1 & x \end{cases} \& \label{eq}")
    'a = \\begin{cases} 1 & x \\end{cases} \\&'
    """
    if html:
        row = decode_entities(row)
    row = _ROW_LABELS.sub("", row)
    env = 0

    def amp(m: re.Match) -> str:
        nonlocal env
        tok = m.group()
        if tok == "\\begin{":
            env += 1
        elif tok == "\\end{":
            env -= 1
        elif tok == "&" and env <= 0:
            return " "
        return tok

    return " ".join(_AMP_TOKENS.sub(amp, row).split())


# ---------------------------------------------------------------------------- the collector
_FENCE_START = re.compile(r"^[^\S\n]*(?:```|~~~)", re.M)
_UNDERLINE_LINE = re.compile(r"^[^\S\n]*([=\-^\"~*#+`])\1{2,}[^\S\n]*$", re.M)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_SPACE = re.compile(r"\s")
_TAG = re.compile(r"<[^>]+>")
class _Collector:
    def __init__(self, text: str, fmt: str, headings: list[Heading]) -> None:
        self.text = text
        self.fmt = fmt
        self.headings = headings
        self.line_starts = line_starts(text)
        self.spans: list[tuple[int, int, MathSpan]] = []  # (start, end, span)
        self.heading_lines = {h.line for h in headings}
        self._heading_keys = [h.line for h in headings]
        self._stop_lines: tuple[list[int], list[int]] | None = None

    def line_of(self, pos: int) -> int:
        return line_of(self.line_starts, pos)

    def division(self) -> str | None:
        """What the document says a ``/`` of program code means (:func:`.code_notation.division_convention`)."""
        if not hasattr(self, "_division"):
            self._division = division_convention(self.text)
        return self._division

    def col_of(self, pos: int) -> int:
        return pos - self.line_starts[self.line_of(pos) - 1] + 1

    def _lines_matching(self, pattern: re.Pattern) -> list[int]:
        """Sorted 1-based numbers of the lines where ``pattern`` (anchored with ``^``, ``re.M``) matches."""
        return [self.line_of(m.start()) for m in pattern.finditer(self.text)]

    def _stops(self) -> tuple[list[int], list[int]]:
        """(heading and fence lines, the same plus underlines): where the text after / before a span stops."""
        if self._stop_lines is None:
            fence = set(self._lines_matching(_FENCE_START)) | self.heading_lines
            self._stop_lines = (sorted(fence), sorted(fence | set(self._lines_matching(_UNDERLINE_LINE))))
        return self._stop_lines

    def context(self, start: int) -> str:
        a = max(0, start - 4 * CONTEXT_CHARS)
        last_line = self.line_of(start)
        barriers = self._stops()[1]
        k = bisect.bisect_right(barriers, last_line) - 1  # the prose starts after the last barrier line
        if k >= 0:
            if barriers[k] == last_line:
                return ""
            a = max(a, self.line_starts[barriers[k]])
        prose = self.flat(self.text[a:start])
        if len(prose) <= CONTEXT_CHARS:
            return prose
        tail = prose[-CONTEXT_CHARS:]
        m = _SENTENCE_END.search(tail)
        if m and len(tail) - m.end() >= 40:
            return tail[m.end():]
        m = _SPACE.search(tail)
        return tail[m.end():] if m else tail

    def flat(self, text: str) -> str:
        """Prose as one line of words (HTML tags dropped and entities decoded)."""
        text = " ".join(text.split())
        if self.fmt == "html":
            text = " ".join(decode_entities(_TAG.sub(" ", text)).split())
        return text

    def after(self, end: int) -> str:
        b = min(len(self.text), end + 3 * AFTER_CHARS)
        fences = self._stops()[0]
        k = bisect.bisect_right(fences, self.line_of(end))  # stop before the next heading or fence line
        if k < len(fences):
            b = min(b, self.line_starts[fences[k] - 1])
        text = self.flat(self.text[end:b])
        if len(text) <= AFTER_CHARS:
            return text
        cut = text[:AFTER_CHARS]
        return cut[: cut.rfind(" ")] if " " in cut else cut

    def section(self, line: int) -> str | None:
        k = bisect.bisect_right(self._heading_keys, line) - 1
        return self.headings[k].title if k >= 0 else None

    def add(self, start: int, end: int, source: str, tex: str, display: bool, origin: str,
            ctx_start: int | None = None, after_end: int | None = None, readings: tuple[str, ...] = ()) -> None:
        line = self.line_of(start)
        tex = tex.strip()
        if self.fmt == "html" or origin == "script":
            tex = decode_entities(tex)
        if not tex:
            return
        span = MathSpan(
            line=line, end_line=self.line_of(max(start, end - 1)), source=source, tex=tex, display=display,
            origin=origin, section=self.section(line),
            context=self.context(start if ctx_start is None else ctx_start),
            after=self.after(end if after_end is None else after_end), col=self.col_of(start), readings=readings)
        self.spans.append((start, end, span))

    def add_display(self, start: int, end: int, inner_start: int, inner: str, origin: str, multirow: bool) -> None:
        html = self.fmt == "html"
        rows = split_rows(inner, multirow)
        if len(rows) == 1:
            a, b = rows[0]
            raw = inner[a:b]
            lead = _LEADING_LAYOUT.match(raw)  # "\label{…}" / "\renewcommand…" on the first line is not the math
            rs = inner_start + a + (lead.end() if lead else len(raw) - len(raw.lstrip()))  # the first character of math
            if "\n" in self.text[start:rs]:  # the opening delimiter stands alone: the math is reported where it is
                re_ = inner_start + a + len(raw.rstrip())
                self.add(rs, re_, self.text[rs:re_], _clean_row(raw, html), True, origin, ctx_start=start, after_end=end)
            else:
                self.add(start, end, self.text[start:end], _clean_row(raw, html), True, origin)
            return
        previous = ""
        kept: list[list] = []  # [row start, row end, tex]
        for a, b in rows:
            raw = inner[a:b]
            lead = len(raw) - len(raw.lstrip())
            rs, re_ = inner_start + a + lead, inner_start + a + len(raw.rstrip())
            tex = _clean_row(raw, html)
            if not tex or re.fullmatch(r"[\s.,;\\]*", tex):
                continue
            if kept and not multirow and _LEADING_OP.match(tex):
                # "\\ + \sum …" in a plain display is one expression broken over two rows: one span
                kept[-1][1] = re_
                kept[-1][2] = previous = f"{kept[-1][2]} {tex}"
                continue
            if previous and _LEADING_REL.match(tex):
                # "&= …" continues the row above: its claim is (previous last side) = …
                tex = f"{_last_side(previous)} {tex}"
            previous = tex
            kept.append([rs, re_, tex])
        for rs, re_, tex in kept:
            self.add(rs, re_, self.text[rs:re_], tex, True, origin, ctx_start=start, after_end=end)


_HTML_SCRIPT_TAG = re.compile(r"<(sub|sup)\b[^<>]*>([^<>]*)</\1\s*>", re.I)


def _plain_tex(col: _Collector, source: str) -> str:
    """The math of a plain formula as written: Markdown escapes dropped; in HTML, ``<sub>``/``<sup>`` as scripts
    and other tags dropped (``r<sub>l</sub> = 2`` is ``r_{l} = 2``)."""
    if col.fmt == "html":
        source = _HTML_SCRIPT_TAG.sub(lambda m: ("_" if m.group(1).lower() == "sub" else "^") + "{" + m.group(2) + "}", source)
        return " ".join(decode_entities(_TAG.sub(" ", source)).split())
    return _unescape_markdown(source)


def _unescape_markdown(tex: str) -> str:
    return re.sub(r"\\([*_#|])", r"\1", tex)


def _delimited(col: _Collector, masked: str, fmt: str) -> None:
    if fmt == "rst":
        return
    for kind, start, end, inner_start, inner_end, env_name in delimited_math(masked):
        if fmt == "latex" and kind in ("epa", "ebr", "script"):
            continue
        inner = col.text[inner_start:inner_end]
        if kind in ("epa", "ebr"):
            inner = _unescape_markdown(inner)
        if kind == "env":
            env = env_name.rstrip("*")
            col.add_display(start, end, inner_start, inner, f"env:{env}", env in _MULTIROW)
        elif kind in _DISPLAY:
            col.add_display(start, end, inner_start, inner, _ORIGIN[kind], False)
        else:
            if kind in ("pa", "epa") and _MULTIROW_BEGIN.search(inner):
                col.add_display(start, end, inner_start, inner, _ORIGIN[kind], False)
                continue
            tex = inner if fmt != "markdown" and fmt != "text" or kind != "d" else inner.replace("\\$", "$")
            col.add(start, end, col.text[start:end], " ".join(tex.split()), False, _ORIGIN[kind])


_MULTIROW_BEGIN = re.compile(r"\\begin\{(" + "|".join(_MULTIROW) + r")")


def _rst(col: _Collector, masked: str) -> None:
    for m in _RST_ROLE.finditer(masked):
        col.add(m.start(), m.end(), col.text[m.start():m.end()], " ".join(m.group("in").split()), False, "rst_role")
    _code(col, [(m.start(), m.end()) for m in _RST_LITERAL.finditer(masked)])  # ``inline literals``
    lines = split_lines(masked)
    consumed = 0  # end of the last block read: a ".. math::" inside a block is its text, not a new block
    for m in _RST_BLOCK.finditer(masked):
        if m.start() < consumed:
            continue
        indent = len(m.group("indent").expandtabs())
        block_start = m.end()
        pieces: list[tuple[int, int]] = []
        if m.group("first").strip():
            s = m.start("first")
            pieces.append((s, s + len(m.group("first").rstrip())))
        pos = block_start
        for k in range(col.line_of(block_start) - 1, len(lines)):
            line = lines[k]
            stripped = line.strip()
            lead = len(line) - len(line.lstrip())
            if stripped and lead <= indent:
                break
            if stripped and not re.match(r"^:(label|nowrap|name|class):|^\.\. [\w-]+::", stripped):
                pieces.append((pos + lead, pos + len(line.rstrip())))
            elif not stripped:
                pieces.append((-1, -1))
            pos += len(line) + 1
        consumed = pos
        # equations are separated by blank lines; rows inside by \\
        groups: list[list[tuple[int, int]]] = [[]]
        for a, b in pieces:
            if a < 0:
                groups.append([])
            else:
                groups[-1].append((a, b))
        for g in groups:
            if not g:
                continue
            a, b = g[0][0], g[-1][1]
            inner = col.text[a:b]
            col.add_display(a, b, a, inner, "rst_block", False) if "\\\\" in inner or "\n" in inner else \
                col.add(a, b, inner, " ".join(inner.split()), True, "rst_block", ctx_start=m.start())


_CONTINUATION = re.compile(r"^(\s*(?:\d+\.\s+|[-*]\s+)?)(?:=|≈|≤|≥)")


_ROW = re.compile(r"^(?P<value>.+?)(?:,?\s+(?P<kw>if|when|for|where)\s+|\s{2,})(?P<cond>.+)$")


def _plain_cases(source: str) -> str:
    r"""A plain-text piecewise block ``… = {`` rows ``}`` as ``\begin{cases}`` (rows ``value  if condition``).

    >>> _plain_cases("g[i] = {\n  d[i]   if x[i] > 0\n  0   otherwise\n}")
    'g[i] = \\begin{cases} d[i] & x[i] > 0 \\\\ 0 & \\text{otherwise} \\end{cases}'
    """
    lines = split_lines(source)
    head = lines[0].rstrip()[:-1].rstrip()
    rows = []
    for line in lines[1:-1]:
        line = line.strip().rstrip(";")
        if not line:
            continue
        m = _ROW.match(line)
        if not m:
            return " ".join(source.split())
        cond = m.group("cond").strip().rstrip(",;")
        cond = r"\text{otherwise}" if cond.lower() in ("otherwise", "else", "elsewhere") else cond
        rows.append(f"{m.group('value').strip()} & {cond}")
    if not rows:
        return " ".join(source.split())
    body = " \\\\ ".join(rows)
    return f"{head} \\begin{{cases}} {body} \\end{{cases}}"


def _plain_block_end(lines: list[str], k: int) -> int | None:
    """Line index of the ``}`` closing a plain-text ``= {`` block opened on line ``k`` (within 12 lines)."""
    for j in range(k + 1, min(k + 13, len(lines))):
        if lines[j].strip() == "}":
            return j
        if not lines[j].strip():
            return None
    return None


def _plain(col: _Collector, masked_chars: list[str], plain_only: list[tuple[int, int]]) -> None:
    code_blocks = sorted(plain_only + (indented_code(col.text) if col.fmt in ("markdown", "text") else []))
    block_starts = [a for a, _ in code_blocks]

    def in_code(pos: int) -> bool:
        k = bisect.bisect_right(block_starts, pos) - 1
        return k >= 0 and pos < code_blocks[k][1]
    chars = list(masked_chars)
    for a, b in plain_only:
        chars[a:b] = list(col.text[a:b])
    for start, end, _ in col.spans:
        _blank(chars, start, end)
    masked = "".join(chars)
    masked = re.sub(r"<[A-Za-z/!][^<>\n]*>", lambda m: " " * len(m.group()), masked)
    # link targets: bounded, and stopped by a bracket, so "](" repeated is not scanned 2000 characters each time
    masked = re.sub(r"\]\([^()\[\]\s]{0,2000}\)|https?://\S+", lambda m: " " * len(m.group()), masked)
    masked = re.sub(r"\*\*|__|\\(?=[*_#|])", lambda m: " " * len(m.group()), masked)
    masked = re.sub(r"&(?:[A-Za-z]+|#\d+);", lambda m: " " * len(m.group()), masked)
    lines = split_lines(masked)
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    previous: tuple[int, str] | None = None  # (line index, tex) of a plain formula ending its line
    skip_until = -1
    for k, line in enumerate(lines):
        if k <= skip_until:
            continue
        pos = starts[k]
        if not ("=" in line or any(ch in line for ch in "≈≤≥≠")):
            if line.strip():
                previous = None
            continue
        stripped = line.strip()
        cont = _CONTINUATION.match(line)
        if cont and previous is not None and previous[0] == k - 1:
            # "3. = ∑_u …" continues the formula of the line above
            head = cont.end(1)  # the relation sign
            probe = line[:head] + "Z" + line[head:]
            for a, b in find_plain_formulas(probe):
                if a <= head < b:
                    s, e = pos + head, pos + b - 1
                    source = col.text[s:e]
                    tex = f"{_last_side(previous[1])} {_plain_tex(col, source)}"
                    col.add(s, e, source, tex, True, "plain")
                    previous = (k, tex)
                    break
            continue
        previous = None
        if stripped.endswith("{") and re.search(r"[=≈]\s*\{$", stripped):
            # a plain-text piecewise definition "… = {" … "}" over the next lines
            block_end = _plain_block_end(lines, k)
            probe = line.rstrip()[:-1] + "0"
            heads = [(a, b) for a, b in find_plain_formulas(probe) if b == len(probe)]
            if block_end is not None and heads:
                s = pos + heads[0][0]
                e = starts[block_end] + len(lines[block_end].rstrip())
                source = col.text[s:e]
                col.add(s, e, source, _unescape_markdown(_plain_cases(source)), True, "plain")
                skip_until = block_end
                continue
        if in_code(pos):
            raw = col.text[pos:pos + len(line)]
            found = code_formulas(raw, col.division())  # a line of code: "start = total / 2"
            if found:
                for a, b, readings in found:
                    col.add(pos + a, pos + b, raw[a:b], readings[0], True, "plain", readings=readings[1:])
                continue
        for a, b in find_plain_formulas(line):
            s, e = pos + a, pos + b
            source = col.text[s:e]
            own_line = len(stripped) <= (b - a) + 12
            readings = _code_block_readings(col, source, in_code(s))
            col.add(s, e, source, readings[0], own_line, "plain", readings=readings[1:])
            if not line[b:].strip():
                previous = (k, _plain_tex(col, source))


_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")


def indented_code(text: str) -> list[tuple[int, int]]:
    r"""``(start, end)`` offsets of Markdown indented code blocks: lines indented four columns or more after a
    blank line, not the continuation of a list item.

    >>> t = "  Text here:\n\n      y = a * b\n      z = c\n\n  More.\n\n- item\n\n    continued\n"
    >>> [t[a:b] for a, b in indented_code(t)]
    ['      y = a * b\n      z = c\n']
    """
    lines = split_lines(text)
    starts = line_starts(text)
    out: list[tuple[int, int]] = []
    prose_is_item, after_blank = False, True
    k = 0
    while k < len(lines):
        line = lines[k]
        if not line.strip():
            after_blank = True
            k += 1
            continue
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if after_blank and indent >= 4 and not prose_is_item:
            j = k
            while j < len(lines) and (not lines[j].strip() or
                                      len(lines[j].expandtabs(4)) - len(lines[j].expandtabs(4).lstrip()) >= 4):
                j += 1
            while j > k and not lines[j - 1].strip():
                j -= 1
            end = starts[j] if j < len(lines) else len(text)
            out.append((starts[k], end))
            k, after_blank = j, False
            continue
        if after_blank:
            prose_is_item = bool(_LIST_ITEM.match(line))
        elif _LIST_ITEM.match(line):
            prose_is_item = True
        after_blank = False
        k += 1
    return out


def _code_block_readings(col: _Collector, source: str, in_code: bool) -> tuple[str, ...]:
    """The readings of a plain formula: in program notation when it stands in a code block and reads as code
    (:mod:`.code_notation`), else as mathematics."""
    if in_code:
        readings = code_readings(source, col.division())
        if readings:
            try:
                for r in readings:
                    parse_math(r)
                return readings
            except MathParseError:
                pass
    return (_plain_tex(col, source),)


def _code(col: _Collector, code_spans: list[tuple[int, int]], inner: bool = False) -> None:
    """Formulas written as inline code (```W_out = (W - F + 2*P)/S + 1```), see :mod:`.code_math`.

    ``code_spans`` are ``(start, end)`` offsets of whole code spans, delimiters (any run of back-quotes)
    included, or with ``inner`` the offsets of their text (``<code>…</code>``, ``\\texttt{…}``). A text
    holding markup or entities (HTML) is read decoded, as one formula or not at all.
    """
    division = col.division() if code_spans else None
    for a, b in code_spans:
        if not inner:
            ticks = len(col.text[a:b]) - len(col.text[a:b].lstrip("`"))
            a, b = a + ticks, b - ticks
        raw = col.text[a:b]
        if "<" in raw:
            continue
        text = decode_entities(raw) if "&" in raw else raw
        for s, e, readings in code_formulas(text, division):
            if text != raw:  # entities: offsets differ; the whole text or nothing
                if (s, e) != (len(text) - len(text.lstrip()), len(text.rstrip())):
                    continue
                s, e = len(raw) - len(raw.lstrip()), len(raw.rstrip())
            col.add(a + s, a + e, col.text[a + s:a + e], readings[0], False, "code", readings=readings[1:])


_HTML_CODE = re.compile(r"<(code|tt|kbd|samp)\b[^<>]{0,500}>([^<]{1,400})</\1\s*>", re.I)
_HTML_PRE_OPEN = re.compile(r"<pre\b", re.I)
_HTML_PRE_CLOSE = re.compile(r"</pre\s*>", re.I)
_TEX_CODE = re.compile(r"\\(?:texttt|lstinline|mintinline\{[^{}]*\}|code)\{([^{}\n]{1,400})\}|\\verb\*?([^A-Za-z\s*])(.{1,400}?)\2")


def _html_code(col: _Collector, masked: str) -> None:
    """Formulas in ``<code>``/``<tt>`` elements of an HTML document (text only: no markup inside)."""
    _code(col, [(m.start(2), m.end(2)) for m in _HTML_CODE.finditer(masked)], inner=True)


def _latex_code(col: _Collector, masked: str) -> None:
    r"""Formulas in ``\texttt{…}``, ``\verb|…|``, ``\lstinline{…}`` of a LaTeX document."""
    spans = []
    for m in _TEX_CODE.finditer(masked):
        g = 1 if m.group(1) is not None else 3
        spans.append((m.start(g), m.end(g)))
    _code(col, spans, inner=True)


def _mask_html_prose(text: str, chars: list[str]) -> list[str]:
    """The HTML text with code (``<pre>``, ``<code>``) blanked as well: what the plain-formula finder reads."""
    out = list(chars)
    for a, b, _ in _regions(text, _HTML_PRE_OPEN, lambda o: _HTML_PRE_CLOSE):
        _blank(out, a, b)
    for m in _HTML_CODE.finditer(text):
        _blank(out, m.start(), m.end())
    return out


def extract_spans(text: str, fmt: str, headings: list[Heading] | None = None) -> list[MathSpan]:
    """All math spans of ``text`` (a document in format ``fmt``), in reading order.

    Parameters
    ----------
    text : str
        The whole document (``\\n`` line ends).
    fmt : str
        ``"markdown"``, ``"latex"``, ``"rst"``, ``"html"`` or ``"text"``.
    headings : list of Heading, optional
        Precomputed headings (see :func:`proofs.document.sections.find_headings`).

    Returns
    -------
    list of MathSpan
    """
    if headings is None:
        headings = find_headings(text, fmt)
    col = _Collector(text, fmt, headings)
    plain_only: list[tuple[int, int]] = []
    if fmt == "latex":
        chars = _mask_latex(text)
        _latex_code(col, "".join(chars))
    elif fmt == "html":
        chars = _mask_html(text)
        _html_code(col, "".join(chars))
        plain_chars = _mask_html_prose(text, chars)
    elif fmt == "rst":
        chars = list(text)
        plain_chars = _mask_rst(text)
    else:
        code_spans: list[tuple[int, int]] = []
        chars, plain_only = _mask_markdown(text, code_spans)
        _code(col, code_spans)
    masked = "".join(chars)
    if fmt == "rst":
        _rst(col, masked)
    else:
        _delimited(col, masked, fmt)
    if fmt in ("markdown", "text"):
        _plain(col, chars, plain_only)
    elif fmt in ("rst", "html"):
        _plain(col, plain_chars, [])
    col.spans.sort(key=lambda t: (t[0], t[1]))
    return _continuations(text, col.spans)


_SCRIPT_START = re.compile(r"\s*[\^_]")
_GLUED_BASE = re.compile(r"(?:\\?[A-Za-z]+|[A-Za-z]+[0-9]*)$")


def _continuations(text: str, spans: list) -> list[MathSpan]:
    r"""A formula that starts with ``^`` or ``_`` continues what stands right before it.

    ``$x$$^2$`` is ``x^2`` (the two spans become one); ``W$^{(l)}$`` and ``Conv$_1$`` put the word glued to the
    delimiter under the script (``W^{(l)}``, ``Conv_1``). With nothing right before it, the span is left as it is.

    >>> [s.tex for s in extract_spans("The weight W$^{(l)}$ of Conv$_1$, then $^{2}$ alone.", "markdown")]
    ['W^{(l)}', 'Conv_1', '^{2}']
    >>> [s.tex for s in extract_spans(r"\(x\)\(^2\) is positive.", "latex")]
    ['x^2']
    """
    out: list[tuple[int, int, MathSpan]] = []
    for start, end, span in spans:
        if _SCRIPT_START.match(span.tex) and span.origin not in ("code", "plain"):
            prev = out[-1] if out else None
            if prev is not None and prev[1] == start and prev[2].line == span.line:
                merged = replace(prev[2], tex=prev[2].tex + span.tex, source=prev[2].source + span.source,
                                 end_line=span.end_line, after=span.after)
                out[-1] = (prev[0], end, merged)
                continue
            glued = _GLUED_BASE.search(text[max(0, start - 40):start])
            if glued is not None and (prev is None or prev[1] <= start - len(glued.group())):
                base = glued.group()
                out.append((start, end, replace(span, tex=base + span.tex, source=base + span.source)))
                continue
        out.append((start, end, span))
    return [s for _, _, s in out]
