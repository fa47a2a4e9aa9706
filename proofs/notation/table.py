r"""The document's symbol table: every definition with its line, evidence and scope, built in a first pass.

:func:`build_symbol_table` reads every line of prose (sentences, list items, table cells, captions,
code comments; not the lines of displayed math), finds the definitions of
:mod:`proofs.notation.definitions` and the conventions the document states (padding per side or in
total, 0/1-based indices, NCHW/NHWC, cross-correlation or flipped kernels, bias or not), and adds what is
declared (:mod:`proofs.notation.declared`). A formula at a line then asks :meth:`SymbolTable.roles_at`:
declared notation first, then the nearest definition in its own section (or an enclosing one), then the
nearest earlier definition anywhere, then a later one (a "where" after the formula).

Examples
--------
>>> text = ("# Notes\n\nWindows start $u$ pixels apart and the border holds $q$ zeros on every side.\n\n"
...         "## Pooling\n\nHere $u$ is the pool size.\n\n## Later\n\n$z = u + q$\n")
>>> t = build_symbol_table(text)
>>> t.roles_at(7)["u"], t.roles_at(11)["u"], t.roles_at(3)["q"]
('pool', 'stride', 'padding')
>>> t.convention_at("padding", 11)
'per_side'
>>> t.roles_at(3)["u"]  # the Pooling section redefines u for itself only
'stride'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document.code_notation import ROUNDED_DOWN
from .declared import Declared, declarations_in, parse_declared
from .definitions import definitions_in_line, symbol_name

__all__ = ["Definition", "Convention", "SymbolTable", "build_symbol_table", "conventions_in_line", "doubled_letters"]


@dataclass(frozen=True)
class Definition:
    """``symbol`` bound to ``role`` at ``line`` (in ``section``) by ``evidence``; ``source`` says how."""

    symbol: str
    role: str
    line: int
    evidence: str
    source: str = "prose"
    section: str | None = None


@dataclass(frozen=True)
class Convention:
    """A convention the document states: ``name`` (padding, index, layout, operation, bias) = ``value``."""

    name: str
    value: str
    line: int
    evidence: str
    symbols: tuple = ()  # the letters the sentence states it for ("a total of $p_h$ rows of padding": p_h)


_CONVENTION_WORDS = (
    ("padding", "total", r"\btotal\b[^.\n]{0,60}\bpadd|\bpadd[^.\n]{0,60}\b(?:in )?total\b|\bsplit between (?:the )?(?:two )?sides"),
    ("padding", "per_side", r"\b(?:each|per|every|either|both) (?:side|border|edge|end)s?\b"),
    ("index", "1", r"\b(?:1|one)[- ](?:based|indexed)\b|indices (?:start|begin|run) (?:at|from) 1\b|\bcount(?:ing)? from 1\b"),
    ("index", "0", r"\b(?:0|zero)[- ](?:based|indexed)\b|indices (?:start|begin|run) (?:at|from) 0\b|\bcount(?:ing)? from 0\b"),
    ("layout", "NCHW", r"\bNCHW\b|channels[- ]first"),
    ("layout", "NHWC", r"\bNHWC\b|channels[- ]last"),
    ("operation", "convolution", r"\b(?:kernel|filter) is flipped|\bflip(?:s|ped)? the (?:kernel|filter)|\btrue convolution\b"),
    ("operation", "cross-correlation", r"\bcross-?correlation\b"),
    ("dilation", "0", r"\b(?:non-?dilated|without dilation|no dilation|undilated)\b[^.\n]{0,60}?(?:\bto|=|\bof|\bis)\s*[`']?(?:0|zero)\b"
                      r"|\bdilations? (?:of |= ?)?[`']?0[`']? (?:means|is|gives|for) (?:no|non-?dilated|a regular)"
                      r"|\bdilations?\b[^.\n]{0,40}?\bcount(?:ed|s|ing)? from (?:0|zero)\b"),
    ("dilation", "1", r"\b(?:non-?dilated|without dilation|no dilation|undilated)\b[^.\n]{0,60}?(?:\bto|=|\bof|\bis)\s*[`']?(?:1|one)\b"
                      r"|\bdilations? (?:of |= ?)?[`']?1[`']? (?:means|is|gives|for) (?:no|non-?dilated|a regular)"
                      r"|\bdilations?\b[^.\n]{0,40}?\bcount(?:ed|s|ing)? from (?:1|one)\b"),
    ("rounding", "floor", r"\bround(?:ed|s|ing)? down\b|\bfloor(?:ed)? division\b|\binteger division\b|\btruncated? "
                          r"(?:to|towards?) (?:an )?(?:integer|zero)\b|\b(?:drop|discard)(?:s|ped)? the (?:decimals?|fraction)|"
                          + ROUNDED_DOWN.pattern),
    ("rounding", "ceil", r"\bround(?:ed|s|ing)? up\b"),
    ("bias", "no", r"\b(?:without|no) bias(?:es)?\b|\bbias\s*=\s*False\b|\bbias-free\b"),
    ("bias", "yes", r"\b(?:each|with|plus|and) (?:its |a |one )?bias\b|\bbias\s*=\s*True\b|\bbias per (?:filter|output channel)\b"),
)


#: conventions that hold only after the document states them (no look-ahead to a later statement)
_STATED_FIRST = {"dilation"}


def conventions_in_line(line: str) -> list[tuple[str, str, str]]:
    """``(name, value, words)`` for each convention ``line`` states.

    >>> conventions_in_line("the border is filled with q zeros on every side (channels-last layout)")
    [('padding', 'per_side', 'on every side'), ('layout', 'NHWC', 'channels-last')]
    """
    out = []
    low = line
    for name, value, rx in _CONVENTION_WORDS:
        m = re.search(rx, low, flags=re.I)
        if m and not any(n == name for n, _, _ in out):
            out.append((name, value, m.group(0) if name != "padding" or value != "per_side" else "on " + m.group(0)))
    return out


@dataclass
class SymbolTable:
    """Definitions and conventions of one document, with ``declared`` notation on top."""

    definitions: list[Definition] = field(default_factory=list)
    conventions: list[Convention] = field(default_factory=list)
    declared: Declared = field(default_factory=Declared)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message) of unreadable declarations
    doubled: set = field(default_factory=set)  # letters the document's formulas write doubled (2p: a padding per side)
    sections: dict[int, list[str]] = field(default_factory=dict, repr=False)  # line -> section path

    def _path(self, line: int) -> list[str]:
        if not self.sections:
            return []
        keys = [k for k in self.sections if k <= line]
        return self.sections[max(keys)] if keys else []

    def _pick(self, items, line: int, later: bool = True):
        """The item in scope at ``line``: nearest earlier one in an enclosing section, else nearest earlier, else first later
        (unless ``later`` is False)."""
        if not items:
            return None
        path = self._path(line)
        before = [d for d in items if d.line <= line]
        scoped = [d for d in before if not self._path(d.line) or self._path(d.line) == path[:len(self._path(d.line))]]
        if scoped:
            return max(scoped, key=lambda d: d.line)
        if before:
            return max(before, key=lambda d: d.line)
        return min(items, key=lambda d: d.line) if later else None

    def roles_at(self, line: int) -> dict[str, str]:
        """symbol -> role for a formula at ``line`` (declared notation wins over prose)."""
        out: dict[str, str] = {}
        for sym in {d.symbol for d in self.definitions}:
            d = self._pick([x for x in self.definitions if x.symbol == sym], line)
            if d is not None:
                out[sym] = d.role
        out.update(self.declared.roles)
        return out

    def definition_at(self, symbol: str, line: int) -> Definition | None:
        """The definition of ``symbol`` in scope at ``line`` (declared ones included), or None."""
        if symbol in self.declared.roles:
            return Definition(symbol, self.declared.roles[symbol], self.declared.lines.get(symbol, 0), "declared notation",
                              "declared")
        return self._pick([x for x in self.definitions if x.symbol == symbol], line)

    def convention_at(self, name: str, line: int) -> str | None:
        """The value of convention ``name`` in scope at ``line`` (declared first), or None."""
        if name in self.declared.conventions:
            return self.declared.conventions[name]
        # a count convention (dilation from 0 or 1) decides a verdict only once it has been stated
        c = self._pick([x for x in self.conventions if x.name == name], line, later=name not in _STATED_FIRST)
        return c.value if c else None

    def symbol_conventions_at(self, name: str, line: int) -> dict[str, str]:
        """symbol -> value of convention ``name`` for the letters a sentence states it for, in scope at ``line``.

        >>> t = build_symbol_table("We add a total of $p$ rows of padding.\\n\\nText.\\n\\nPad 1 on each side.\\n")
        >>> t.convention_at("padding", 5), t.symbol_conventions_at("padding", 5)
        ('per_side', {'p': 'total'})
        """
        out: dict[str, str] = {}
        for sym in {x for c in self.conventions if c.name == name for x in c.symbols}:
            c = self._pick([c for c in self.conventions if c.name == name and sym in c.symbols], line)
            if c is not None and c.line <= line:
                out[sym] = c.value
        return out

    def rows(self) -> list[dict]:
        """One row per definition, convention and declaration, in line order (for ``--notation-table``)."""
        rows = [{"line": d.line, "symbol": d.symbol, "role": d.role, "source": d.source, "section": d.section,
                 "evidence": d.evidence} for d in self.definitions]
        rows += [{"line": c.line, "symbol": f"[{c.name}]", "role": c.value, "source": "convention", "section": None,
                  "evidence": c.evidence} for c in self.conventions]
        rows += [{"line": self.declared.lines.get(s, 0), "symbol": s, "role": r, "source": "declared", "section": None,
                  "evidence": "declared notation"} for s, r in self.declared.roles.items()]
        rows += [{"line": self.declared.lines.get(c, 0), "symbol": f"[{c}]", "role": v, "source": "declared",
                  "section": None, "evidence": "declared convention"} for c, v in self.declared.conventions.items()]
        rows += [{"line": n, "symbol": "?", "role": "?", "source": "declared", "section": None, "evidence": msg}
                 for n, msg in self.problems]
        return sorted(rows, key=lambda r: (r["line"], r["symbol"]))


_INLINE_MATH = re.compile(r"\$([^$]{1,40})\$|\\\((.{1,40}?)\\\)")


def _letters_in(words: str) -> tuple:
    r"""The single letters written as math inside the words of a convention ("total of $p_h$ rows of padding").

    >>> _letters_in(r"total of $p_\textrm{h}$ rows of padd"), _letters_in("on each side")
    (('p_h',), ())
    """
    from ..document import MathParseError, parse_math

    out = []
    for m in _INLINE_MATH.finditer(words):
        try:
            parsed = parse_math(m.group(1) or m.group(2))
        except (MathParseError, ValueError, TypeError, RecursionError):
            continue
        if len(parsed.sides) == 1 and getattr(parsed.sides[0], "is_Symbol", False):
            out.append(parsed.sides[0].name)
    return tuple(out)


def _kind(raw: str) -> str:
    s = raw.strip()
    if s.startswith("|") or "<td" in s or "<th" in s or re.search(r"&\s*[^&]*\\\\\s*$", s):
        return "table"
    if re.match(r"(?i)^(?:\*\*)?(?:table|figure|fig\.)\s*\d*[.:]|\\caption", s):
        return "caption"
    if re.match(r"^(?:#(?!#)|//|--\s)", s) or re.search(r"\s#\s", s):
        return "code comment"
    if re.match(r"^(?:[-*+]|\d+[.)])\s", s):
        return "list"
    if "(" in s and re.search(r"\([^()]*\b[A-Za-z]\b[^()]*\)", s):
        return "prose (parenthetical)"
    return "prose"


_DOUBLED = re.compile(r"(?<![\w.\\{_^])2\s*(?:\\cdot|\\times|\*|·|×)?\s*(?!\d)(\\(?:mathrm|text|operatorname|mathit)\{[A-Za-z_]{1,20}\}(?:_\{?[A-Za-z0-9]{1,5}\}?)?|[A-Za-z](?:_\{?[A-Za-z0-9]{1,5}\}?)?|[A-Za-z]+_[A-Za-z]{1,3})(?![\w{(\[])")


def doubled_letters(tex: str) -> set:
    """The letters a formula writes doubled (``2p``, ``2 * pad_h``, ``2\\cdot P``): where the letter is a padding, the
    document counts it per side — evidence for a formula elsewhere that uses the same letter once.

    >>> sorted(doubled_letters(r"h_o = (h_i + 2 * pad_h - kernel_h) / stride_h + 1")), sorted(doubled_letters(r"o = (i + 2p - k)/s + 1"))
    (['pad_h'], ['p'])
    >>> doubled_letters(r"(h_i + 2 \\cdot \\mathrm{pad_h} - k)")
    {'pad_h'}
    >>> doubled_letters("x_{2i}") | doubled_letters("2^k") | doubled_letters("32x") | doubled_letters(r"2\\times 2")
    set()
    """
    out = set()
    for m in _DOUBLED.finditer(tex or ""):
        name = symbol_name(m.group(1))
        if name:
            out.add(name)
    return out


def build_symbol_table(doc_or_text, *, declared: Declared | str | None = None) -> SymbolTable:
    """First pass over a document: the :class:`SymbolTable` of its definitions, conventions and declarations.

    Parameters
    ----------
    doc_or_text : a :class:`proofs.document.Document` or the document's text.
    declared : notation given on the command line (``"u=stride,q=padding"`` or a :class:`Declared`); it wins
        over what the document says.
    """
    from ..document import Document, read_document

    doc = doc_or_text if isinstance(doc_or_text, Document) else read_document(doc_or_text)
    table = SymbolTable()
    math_lines: set[int] = set()
    for span in doc.spans:
        if span.display:
            math_lines.update(range(span.line, span.end_line + 1))
    for h in doc.headings:
        table.sections[h.line] = doc.section_path(h.line)
    for decl in declarations_in(doc.text):
        try:
            table.declared.update(parse_declared(decl.text, line=decl.line))
        except ValueError as exc:
            table.problems.append((decl.line, str(exc)))
    if declared is not None:
        table.declared.update(parse_declared(declared) if isinstance(declared, str) else declared)
    for span in doc.spans:
        table.doubled |= doubled_letters(span.tex)
    for n, raw in enumerate(doc.lines, start=1):
        if n in math_lines and not re.search(r"[A-Za-z]{4,}\s+[A-Za-z]{3,}\s+[A-Za-z]{3,}", re.sub(r"\\[A-Za-z]+", "", raw)):
            continue
        if re.search(r"(?i)convproof\s*:", raw):
            continue
        section = doc.section_at(n)
        kind = _kind(raw)
        found = definitions_in_line(raw)
        for f in found:
            table.definitions.append(Definition(f.symbol, f.role, n, f"{f.words!r} in: {f.evidence[:90]}", kind, section))
        for name, value, words in conventions_in_line(raw):
            named = tuple(f.symbol for f in found if f.role == name) if len(found) <= 2 else ()
            table.conventions.append(Convention(name, value, n, words, named or _letters_in(words)))
    return table
