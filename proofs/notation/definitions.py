r"""Definitions in prose: which symbol a sentence ties to which role, and with which words.

A careful reader binds ``u`` to the stride in "neighbouring windows start $u$
pixels apart" because *apart* is a word of the stride, and the symbol sits next
to it. This module does that for one line of text, with no sentence patterns:

* a line is cut into clauses (at ``,`` ``;`` sentence ends and table cells);
* in a clause, the *mentions* are symbols (``$u$``, ``\(u\)``, ``:math:`u```, a
  bare letter) and the *role words* come from :mod:`proofs.notation.lexicon`;
* one mention and a role word a few words away → a definition;
* two or more mentions with as many role words and "respectively", or with
  the directions "in … out" next to a channel word → paired in order.

A mention that is a relation (``$a = 32$``) is a value, not a definition.

Examples
--------
>>> [(d.symbol, d.role) for d in definitions_in_line("neighbouring windows start $u$ cells apart, and the border is filled with $q$ zeros on every side")]
[('u', 'stride'), ('q', 'padding')]
>>> [(d.symbol, d.role) for d in definitions_in_line("$m$ and $m̃$ count the channels going in and coming out")]
[('m', 'channels_in'), ('tilde(m)', 'channels_out')]
>>> [(d.symbol, d.role) for d in definitions_in_line("Let F denote the filter size.")]
[('F', 'kernel')]
>>> [(d.symbol, d.role) for d in definitions_in_line("$k$ and $s$ are the kernel size and stride, respectively")]
[('k', 'kernel'), ('s', 'stride')]
>>> definitions_in_line("we slide the kernel over $x$")
[]
>>> [(d.symbol, d.role) for d in definitions_in_line("if a matrix `nxn` is convolved with `fxf` filter/kernel")]
[('n', 'input_size'), ('f', 'kernel')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import WEAK, WINDOW_WORDS, direction, role_words

__all__ = ["Mention", "Found", "mentions", "definitions_in_line", "symbol_name"]

#: generic role words: a definition by them alone is too weak ("the input X" is a tensor, not a size)
_GENERIC = re.compile(r"(?i)^(?:the )?(?:input|output|channels|filter|kernels?)$")
#: words before a mention that make it an object of the sentence, not a name given to a role
_OBJECT_BEFORE = re.compile(r"(?i)\b(?:over|onto|on|to|into|from|across|at|through|times|than|of)\s*$")
#: the most words allowed between a mention and its role word
_MAX_GAP = 4
_STOP = {"a", "A", "I", "e", "i"}


@dataclass(frozen=True)
class Mention:
    """A symbol mentioned in prose: its normalised ``name`` and character span."""

    name: str
    start: int
    end: int
    delimited: bool
    role: str | None = None  # a role the mention's own form gives ("`fxf` filter": kernel)


@dataclass(frozen=True)
class Found:
    """One definition found in a line: ``symbol`` bound to ``role`` by ``evidence`` (the clause)."""

    symbol: str
    role: str
    evidence: str
    words: str


@lru_cache(maxsize=4096)
def symbol_name(tex: str) -> str | None:
    """The judge's name for the symbol written ``tex`` (``"m̃"`` → ``'tilde(m)'``), or None if it is not one symbol.

    >>> symbol_name("C_{in}"), symbol_name("a = 32"), symbol_name("3")
    ('C_in', None, None)
    """
    from ..document import parse_math

    tex = tex.strip()
    if not tex or len(tex) > 30:
        return None
    try:
        parsed = parse_math(tex)
    except Exception:  # noqa: BLE001 - any failure: not a symbol
        return None
    if parsed.relations or len(parsed.sides) != 1:
        return None
    side = parsed.sides[0]
    syms = getattr(side, "free_symbols", set())
    if getattr(side, "is_Symbol", False):
        return str(side)
    if len(syms) == 1 and side.func.__name__ in ("tilde", "hat", "bar") or (
            len(syms) == 1 and getattr(side, "is_Function", False) and len(side.args) == 1 and side.args[0].is_Symbol):
        return str(side)
    return None


_DELIMITED = re.compile(r"\$\$?([^$]+?)\$\$?|\\\((.+?)\\\)|:math:`([^`]+)`|`([^`]+)`")
_BARE = re.compile(r"(?<![\w\\$`'’\[/+*=^∂∇·×−⌊⌈-])([A-Za-z](?:[\u0300-\u036f])?(?:_\{?[A-Za-z0-9]{1,4}\}?|'|[\u2080-\u2089]+)?)(?![\w$`'’\[\]/+*=^·×−⌋⌉-])")


_SQUARE = re.compile(r"([A-Za-z])\s*(?:x|×|\\times)\s*\1(?:\s*(?:x|×|\\times)\s*[A-Za-z0-9_{}]+)?")


def _square_role(after: str, before: str = "") -> str | None:
    b = re.search(r"\b(matri(?:x|ces)|images?|inputs?|filters?|kernels?)\s+(?:of size\s+)?$", before, re.I)
    if b:
        return "kernel" if b.group(1).lower().startswith(("filter", "kernel")) else "input_size"
    m = re.match(r"\s*(?:\w+\s+)?(filters?|kernels?|windows?|pool\w*|matri(?:x|ces)|images?|inputs?)\b", after, re.I)
    if not m:
        return None
    w = m.group(1).lower()
    return "kernel" if w.startswith(("filter", "kernel", "window")) else "pool" if w.startswith("pool") else "input_size"


def mentions(clause: str) -> list[Mention]:
    """Symbols mentioned in ``clause``: delimited math that is one symbol, and bare letters.

    >>> [m.name for m in mentions("the filter covers $b$ cells and D_in")]
    ['b', 'D_in']
    """
    out: list[Mention] = []
    taken = []
    for m in _DELIMITED.finditer(clause):
        taken.append((m.start(), m.end()))
        tex = next(g for g in m.groups() if g is not None)
        square = _SQUARE.fullmatch(tex.strip())
        if square:  # "`fxf` filter", "an `nxn` image": the letter is the size
            role = _square_role(clause[m.end():m.end() + 24], clause[max(0, m.start() - 24):m.start()])
            if role:
                out.append(Mention(square.group(1), m.start(), m.end(), True, role))
            continue
        name = symbol_name(tex)
        if name:
            out.append(Mention(name, m.start(), m.end(), True))
    for m in _BARE.finditer(clause):
        if any(a <= m.start() < b for a, b in taken) or m.group(1) in _STOP:
            continue
        if clause[m.end():m.end() + 1] == ")" and clause[max(0, m.start() - 1):m.start()] != "(":
            continue  # "B) …": a label of a list of options
        if clause[max(0, m.start() - 1):m.start()] == "(" and clause[m.end():m.end() + 1] != ")":
            continue  # "(n+2p": the start of a formula, not "(F)"
        if re.match(r"\s*=\s*[^\sA-Za-z]", clause[m.end():]):
            continue  # "P = ⌊k/2⌋": defined by a formula, not by the words around it
        if m.group(1) in ("x", "X") and re.search(r"\d\s*$", clause[:m.start()]) and re.match(r"\s*\d", clause[m.end():]):
            continue  # "1 x 1": a times sign
        name = symbol_name(m.group(1))
        if name:
            out.append(Mention(name, m.start(), m.end(), False))
    out.sort(key=lambda x: x.start)
    return out


def _gap_words(text: str) -> int:
    return len(re.findall(r"[A-Za-z]+", text))


def _clauses(line: str) -> list[str]:
    line = re.sub(r"(?i)\b(?:i\.\s?e|e\.\s?g|cf|resp)\.,?", " ", line)
    # commas and semicolons inside math or code do not end a clause
    line = re.sub(r"`[^`]*`|\$[^$]*\$", lambda m: m.group(0).replace(",", "\x00").replace(";", "\x01"), line)
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z$\\])|[;|]|,(?![^()]*\))(?!\s*respectively)|\s+—\s+(?=[^$]*$)", line)
    return [p.replace("\x00", ",").replace("\x01", ";") for p in parts if p and p.strip()]


def _single(clause: str, m: Mention) -> Found | None:
    if m.role is not None:
        return Found(m.name, m.role, clause.strip(), clause[m.start:m.end + 24].split(",")[0].strip())
    if _OBJECT_BEFORE.search(clause[:m.start]):
        return None
    best = None
    for w in role_words(clause):
        if w.start < m.end and w.end > m.start:
            continue
        gap = clause[w.end:m.start] if w.end <= m.start else clause[m.end:w.start]
        if re.search(r"\$|\\\(|[⌊⌋⌈⌉()+−*/^·×∂\d]|=\s*\S+\s+\S", re.sub(r"^\s*\)|\(\s*$", "", gap)):
            continue  # a formula between the word and the symbol: the symbol is used, not named
        n = _gap_words(gap)
        if n > _MAX_GAP:
            continue
        generic = bool(_GENERIC.match(w.words))
        if w.words.lower() in WEAK and not re.search(WINDOW_WORDS, clause[:w.start] + " " + clause[w.end:]):
            continue
        key = (generic, n, w.start < m.start)
        if best is None or key < best[0]:
            best = (key, w)
    if best is None or (best[0][0] and not m.delimited):
        return None
    if best[0][0]:  # a generic word alone binds a delimited symbol only when the clause says "is/denotes"
        if not re.search(r"(?i)\b(?:is|are|be|denotes?|represents?|stands? for|for)\b|:", clause):
            return None
    w = best[1]
    return Found(m.name, w.role, clause.strip(), w.words)


def _paired(clause: str, ms: list[Mention]) -> list[Found]:
    words = [w for w in role_words(clause) if w.start > ms[0].end or w.end < ms[0].start]
    after = clause[ms[-1].end:]
    dirs = direction(after)
    if re.search(r"(?i)channels|feature maps|depths?", after) and len(ms) == 2 and dirs[:2] in (["in", "out"], ["out", "in"]):
        roles = ["channels_in", "channels_out"] if dirs[:2] == ["in", "out"] else ["channels_out", "channels_in"]
        return [Found(m.name, r, clause.strip(), "channels " + d) for m, r, d in zip(ms, roles, dirs)]
    if re.search(r"(?i)\brespectively\b", clause):
        later = [w for w in words if w.start > ms[-1].end and not _GENERIC.match(w.words)]
        if len(later) == len(ms):
            return [Found(m.name, w.role, clause.strip(), w.words) for m, w in zip(ms, later)]
    return []


def _appositions(clauses: list[str]) -> list[str]:
    """A bare mention followed by a clause of role words is one clause: "$D_{in}$, the number of input channels".

    >>> _appositions(["where $D_{in}$", " the number of input channels", " and so on"])
    ['where $D_{in}$, the number of input channels', ' and so on']
    """
    out: list[str] = []
    for clause in clauses:
        prev = out[-1] if out else None
        if (prev is not None and len(mentions(prev)) == 1 and not role_words(prev) and not mentions(clause)
                and role_words(clause) and re.match(r"(?i)\s*(?:the|a|an|its|our|i\.e\.)\b", clause)
                and len(re.findall(r"[A-Za-z]+", re.sub(r"\$[^$]*\$|\\\(.*?\\\)", " ", prev))) <= 3):
            out[-1] = f"{prev},{clause}"
            continue
        out.append(clause)
    return out


def definitions_in_line(line: str) -> list[Found]:
    """Every definition a line of prose makes, in order (see the module's examples)."""
    out: list[Found] = []
    for clause in _appositions(_clauses(line)):
        ms = mentions(clause)
        if not ms:
            continue
        if len(ms) == 1:
            f = _single(clause, ms[0])
            if f:
                out.append(f)
            continue
        pairs = _paired(clause, ms)
        if pairs:
            out.extend(pairs)
            continue
        # several mentions: the text between two of them is cut at its first "and" or comma;
        # each mention reads only its own pieces
        cuts = [0]
        for a, b in zip(ms, ms[1:]):
            gap = clause[a.end:b.start]
            c = re.search(r"(?i)\band\b|,|\bwhile\b|\bwhereas\b", gap)
            cuts.append(a.end + c.start() if c else -1)
        cuts.append(len(clause))
        for i, m in enumerate(ms):
            if m.role is not None:
                out.append(_single(clause, m))
                continue
            lo, hi = cuts[i], cuts[i + 1]
            if lo < 0 or hi < 0:
                continue
            piece = clause[lo:hi]
            f = _single(piece, Mention(m.name, m.start - lo, m.end - lo, m.delimited, m.role))
            if f:
                out.append(Found(f.symbol, f.role, clause.strip(), f.words))
    return out
