"""Clauses of a sentence, and which named layers belong together in one comparison.

A sentence may make several claims joined by ", and", ";", "whereas", "while"
or "but": "Three 3×3 convs see 7×7, and two 3×3 convs use 28% fewer weights
than one 5×5." A comparison pairs a subject with an object *of the same
claim*, so the stacks are first grouped by clause:

* a clause that names no layer continues the claim before it ("…, and they
  use 28% fewer parameters"), or, at the start, the one after it;
* a clause naming one layer joins a claim that so far names exactly one
  ("A has 27C² weights, whereas B has 49C²": a contrast of the two);
* otherwise the clause starts a new claim.

Works on text already passed through :func:`proofs.claims.numbers_words.normalise`;
the items grouped are anything with ``start``/``end`` offsets into that text.

Examples
--------
>>> t = "three 3×3 convs see 7×7, and two 3×3 convs use fewer weights than one 5×5"
>>> [t[a:b] for a, b in clause_spans(t)]
['three 3×3 convs see 7×7', ', and two 3×3 convs use fewer weights than one 5×5']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["clause_spans", "group_by_clause", "Group", "object_marker", "has_boundary"]

#: where one clause ends and the next begins
_BOUNDARY = re.compile(r";|,\s*(?:and|but|while|whereas|yet|so|however)\b|\s(?:whereas|while|but)\b")
#: words after which the object of a comparison is named ("fewer weights than B", "B instead of A")
_OBJECT = re.compile(r"\b(?:than|instead of|in place of|rather than|vs\.?|versus|compared (?:to|with)|relative to|as opposed to)(?!\w)")


def clause_spans(norm: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the clauses of ``norm``; each boundary word opens the clause after it.

    Examples
    --------
    >>> clause_spans("a; b")
    [(0, 1), (1, 4)]
    >>> clause_spans("no boundary here")
    [(0, 16)]
    """
    cuts = [m.start() for m in _BOUNDARY.finditer(norm) if m.start() > 0]
    edges = [0, *cuts, len(norm)]
    return [(a, b) for a, b in zip(edges, edges[1:]) if b > a]


def has_boundary(text: str) -> bool:
    """True when ``text`` (e.g. what lies between two named layers) crosses from one clause into the next.

    Examples
    --------
    >>> has_boundary(" has 25c^2 weights; "), has_boundary(" and ")
    (True, False)
    """
    return _BOUNDARY.search(text) is not None


@dataclass
class Group:
    """The items of one claim and the text span that claim covers."""

    start: int
    end: int
    items: list


def group_by_clause(norm: str, items: list) -> list[Group]:
    """Group ``items`` (with ``start``/``end`` offsets into ``norm``) into the claims of the sentence.

    Parameters
    ----------
    norm : normalised sentence.
    items : named layers (e.g. :class:`~proofs.claims.forms.stacks.Stack`), in text order.

    Returns
    -------
    list of :class:`Group`, in text order; every item is in exactly one group.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> t = "a has 1, and b has 2 but c has 3"
    >>> a, b, c = (S(start=t.index(x), end=t.index(x) + 1) for x in "abc")
    >>> [len(g.items) for g in group_by_clause(t, [a, b, c])]
    [2, 1]
    >>> t = "b and c differ; they use fewer"
    >>> b, c = (S(start=t.index(x), end=t.index(x) + 1) for x in "bc")
    >>> [(g.start, g.end, len(g.items)) for g in group_by_clause(t, [b, c])]
    [(0, 30, 2)]
    """
    groups: list[Group] = []
    pending_start: int | None = None  # a leading clause without items joins the next group
    for a, b in clause_spans(norm):
        inside = [x for x in items if a <= x.start < b]
        if not inside:
            if groups:
                groups[-1].end = b
            elif pending_start is None:
                pending_start = a
            continue
        if groups and len(groups[-1].items) == 1 and len(inside) == 1:
            groups[-1].end = b
            groups[-1].items.extend(inside)
            continue
        groups.append(Group(a if pending_start is None else pending_start, b, inside))
        pending_start = None
    return groups


def object_marker(text: str, items: list):
    """``(subject, object)`` when a marker ("than", "instead of", "vs", …) names the object, else None.

    The object is the first item after the marker; the subject is the last item
    before it (or, when the marker opens the text, the first other item).

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> t = "b uses fewer weights instead of c, unlike a"
    >>> xs = [S(name=x, start=t.index(f" {x}") + 1 if x != "b" else 0, end=0) for x in "bca"]
    >>> [x.name for x in object_marker(t, xs)]
    ['b', 'c']
    >>> object_marker("b and c", xs) is None
    True
    """
    for m in _OBJECT.finditer(text):
        after = [x for x in items if x.start >= m.end()]
        if not after:
            continue
        obj = after[0]
        before = [x for x in items if x.start < m.start()]
        others = [x for x in items if x is not obj]
        subject = before[-1] if before else (others[0] if others else None)
        if subject is not None:
            return subject, obj
    return None
