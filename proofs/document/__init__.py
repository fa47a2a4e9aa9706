r"""proofs.document — the reading half of the judge: formats, math spans, our grammar, SymPy.

Contract (used by the judge)
----------------------------
``read_text(text, *, fmt=None)`` / ``read_file(path, *, fmt=None) -> Document``
    The text (never opened as a path: safe for untrusted input) or a file (never blocks on a
    FIFO or device; UTF-8, or UTF-16/32 with a BOM). Lines are ``\n``-separated everywhere
    (:mod:`proofs.lines`).
``read_document(path_or_text, *, fmt=None) -> Document``
    A convenience over the two: a path (``str``/``Path`` of an existing file) or the text. ``Document`` has
    ``.path``, ``.fmt`` (``"markdown"|"latex"|"rst"|"html"|"text"``), ``.text``,
    ``.lines``, ``.spans`` (list of :class:`MathSpan`), ``.headings``,
    ``.section_at(line)`` (nearest heading above) and ``.section_path(line)``.
    Binary files (NUL bytes), non-UTF-8 text, empty files and directories raise
    ``ValueError`` naming the path.
``MathSpan`` (frozen)
    ``line``, ``end_line`` (1-based, original file), ``source`` (as written, with
    delimiters; for a row of a multi-row display the row), ``tex`` (inner math,
    entities decoded, ``&`` dropped), ``display``, ``origin`` (``"dollar"``,
    ``"double_dollar"``, ``"bracket"``, ``"paren"``, ``"env:align"`` …,
    ``"rst_role"``, ``"rst_block"``, ``"script"``, ``"plain"``), ``section``,
    ``context`` (≤ 300 chars of prose before), ``after`` (≤ 200 chars after), ``col``,
    ``readings`` (other readings of a formula in program notation: ``/`` rounded down).
``parse_math(tex) -> ParsedMath``
    ``.sides`` (SymPy objects), ``.relations`` (``= ≈ < ≤ > ≥ ≠ ∈ → ∝ ≡``),
    ``.text``, ``.notes`` (ambiguities resolved), ``.conditions`` (side
    conditions split off). Raises only :class:`MathParseError` (a ``ValueError``)
    whose ``.reason`` starts with ``"unsupported: "``, ``"bound exceeded: "``,
    ``"syntax: "`` (or ``"internal: "`` for a bug).

Also exported: ``extract_spans(text, fmt)`` (spans of a text whose format is
known), ``find_headings``/``Heading`` and ``detect_format``.

Modules: ``formats`` (read files, detect the format, entities), ``sections``
(headings), ``extract`` (delimited math, rows of displays), ``plain`` (formulas
written in plain text), ``code_math`` and ``code_notation`` (formulas written as program
code, and their readings), ``unicode_math`` (Unicode → LaTeX), ``normalize``
(clean one formula), ``grammar.lark`` + ``parser`` (LALR parse, ``parse_math``),
``to_sympy`` (tree → SymPy), ``bounds`` (safety limits), ``errors``.

The reading rules (symbol names, indexing, application vs multiplication,
``*`` as convolution, sums over bare indices, numbers, matrices) are listed in
:mod:`proofs.document.to_sympy`; extraction rules per format in
:mod:`proofs.document.extract` and :mod:`proofs.document.plain`; safety limits
in :mod:`proofs.document.bounds`.

>>> doc = read_document("Output: $H_{out} = \\lfloor (H + 2P - k)/S \\rfloor + 1$\n")
>>> pm = parse_math(doc.spans[0].tex)
>>> pm.sides, pm.relations
([H_out, floor((H + 2*P - k)/S) + 1], ['='])
"""

from .document import Document, looks_like_path, read_document, read_file, read_text
from .errors import MathParseError
from .extract import MathSpan, extract_spans
from .formats import detect_format
from .parser import ParsedMath, parse_math
from .sections import Heading, find_headings

__all__ = ["read_text", "read_file", "read_document", "looks_like_path", "Document", "MathSpan", "extract_spans", "parse_math", "ParsedMath", "MathParseError",
           "detect_format", "find_headings", "Heading"]
