r"""Declared notation: what a document (or the command line) says its letters mean, in so many words.

Where a document leaves its notation implicit, its author can declare it:

* a comment: ``<!-- convproof: u=stride, q=padding, padding=total -->`` (Markdown, HTML),
  ``% convproof: u=stride`` (LaTeX), ``.. convproof: u=stride`` (reStructuredText);
* YAML front matter: a ``convproof:`` key, inline (``convproof: u=stride``) or as a mapping;
* the command line: ``convproof check --notation "u=stride,q=padding"``.

Keys are symbols bound to roles (any spelling of :data:`~proofs.notation.lexicon.ROLE_ALIASES`), or
conventions: ``padding=total|per_side``, ``index=0|1``, ``layout=NCHW|NHWC``,
``operation=cross-correlation|flipped``, ``bias=yes|no``. ``<!-- convproof: ignore-next -->``
accepts the next finding (it is not reported).

Examples
--------
>>> d = parse_declared("u=stride, q=padding, padding=total")
>>> d.roles, d.conventions
({'u': 'stride', 'q': 'padding'}, {'padding': 'total'})
>>> parse_declared("F = filter size; index = 1-based").roles, parse_declared("index=1-based").conventions
({'F': 'kernel'}, {'index': '1'})
>>> parse_declared("u=colour")
Traceback (most recent call last):
...
ValueError: declared notation 'u=colour': unknown role 'colour'; expected one of: channels, channels_in, channels_out, dilation, input_size, jump, kernel, layers, output_padding, output_size, padding, pool, receptive_field, stride
>>> [(x.line, x.text) for x in declarations_in("a\n<!-- convproof: ignore-next -->\n$x=1$\n% convproof: k=kernel\n")]
[(2, 'ignore-next'), (4, 'k=kernel')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .definitions import symbol_name
from .lexicon import canonical_role

__all__ = ["Declared", "Declaration", "parse_declared", "declarations_in", "CONVENTIONS"]

#: convention -> {spelling: canonical value}
CONVENTIONS: dict[str, dict[str, str]] = {
    "padding": {"total": "total", "in_total": "total", "both_sides": "total", "per_side": "per_side",
                "each_side": "per_side", "per-side": "per_side", "side": "per_side", "symmetric": "per_side"},
    "index": {"0": "0", "0-based": "0", "zero": "0", "zero-based": "0", "1": "1", "1-based": "1", "one": "1",
              "one-based": "1"},
    "layout": {"nchw": "NCHW", "nhwc": "NHWC", "channels_first": "NCHW", "channels_last": "NHWC"},
    "operation": {"cross-correlation": "cross-correlation", "correlation": "cross-correlation",
                  "crosscorrelation": "cross-correlation", "flipped": "convolution", "convolution": "convolution",
                  "true": "convolution", "true-convolution": "convolution"},
    "bias": {"yes": "yes", "true": "yes", "with": "yes", "1": "yes", "no": "no", "false": "no", "without": "no",
             "0": "no", "none": "no"},
}
_CONVENTION_KEYS = {"padding": "padding", "index": "index", "indexing": "index", "base": "index", "indices": "index",
                    "layout": "layout", "format": "layout", "operation": "operation", "convolution": "operation",
                    "conv": "operation", "bias": "bias"}


@dataclass
class Declared:
    """Roles and conventions declared for a document; ``ignore_lines`` are lines of ``ignore-next`` markers."""

    roles: dict[str, str] = field(default_factory=dict)
    conventions: dict[str, str] = field(default_factory=dict)
    ignore_lines: list[int] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # key -> line of its declaration (0: command line)

    def update(self, other: "Declared") -> None:
        """Add ``other``'s declarations; ``other`` wins on a key both declare."""
        self.roles.update(other.roles)
        self.conventions.update(other.conventions)
        self.ignore_lines.extend(other.ignore_lines)
        self.lines.update(other.lines)


def _norm(v: str) -> str:
    return re.sub(r"\s+", "_", v.strip().strip("'\"").lower())


def parse_declared(text: str, *, line: int = 0) -> Declared:
    """Read ``key=value`` pairs (separated by ``,`` or ``;``; ``:`` also separates key and value).

    Raises
    ------
    ValueError
        For a pair without ``=``/``:``, or a role or convention value that is not known.
    """
    out = Declared()
    for item in re.split(r"[,;\n]", text):
        item = item.strip()
        if not item:
            continue
        if item.lower() in ("ignore-next", "ignore_next", "ignore next"):
            out.ignore_lines.append(line)
            continue
        m = re.fullmatch(r"(.+?)\s*(?:=|:)\s*(.+)", item)
        if not m:
            raise ValueError(f"declared notation {item!r}: expected symbol=role or convention=value")
        key, value = m.group(1).strip().strip("$"), m.group(2).strip()
        ckey = _CONVENTION_KEYS.get(key.lower())
        if ckey is not None and _norm(value) in CONVENTIONS[ckey]:
            out.conventions[ckey] = CONVENTIONS[ckey][_norm(value)]
            out.lines[ckey] = line
            continue
        if ckey is not None and ckey != "padding" and key.lower() not in ("conv",):
            raise ValueError(f"declared notation {item!r}: {ckey} must be one of {', '.join(sorted(CONVENTIONS[ckey]))}")
        try:
            role = canonical_role(value)
        except ValueError as exc:
            raise ValueError(f"declared notation {item!r}: {exc}") from None
        name = symbol_name(key) or key
        out.roles[name] = role
        out.lines[name] = line
    return out


@dataclass(frozen=True)
class Declaration:
    """One declaration comment found in a document: its 1-based ``line`` and its ``text`` after ``convproof:``."""

    line: int
    text: str


_COMMENT = re.compile(r"^\s*(?:<!--\s*convproof\s*:(?P<html>.*?)-->|%+\s*convproof\s*:(?P<tex>.*)|\.\.\s+convproof\s*:+(?P<rst>.*)"
                      r"|#\s*convproof\s*:(?P<hash>.*))\s*$", re.I)


def _front_matter(lines: list[str]) -> list[Declaration]:
    if not lines or lines[0].strip() != "---":
        return []
    out = []
    inside = False
    for n, raw in enumerate(lines[1:], start=2):
        if raw.strip() in ("---", "..."):
            break
        m = re.match(r"^convproof\s*:\s*(.*)$", raw)
        if m:
            inside = True
            if m.group(1).strip():
                out.append(Declaration(n, m.group(1).strip().strip("{}")))
            continue
        if inside and re.match(r"^\s+\S", raw):
            out.append(Declaration(n, raw.strip().lstrip("- ")))
        else:
            inside = False
    return out


def declarations_in(text: str) -> list[Declaration]:
    """Every ``convproof:`` declaration of a document (comments in any format, and YAML front matter)."""
    lines = text.split("\n")
    out = _front_matter(lines)
    for n, raw in enumerate(lines, start=1):
        m = _COMMENT.match(raw)
        if m:
            body = next(g for g in m.groups() if g is not None).strip()
            out.append(Declaration(n, body))
    return out
