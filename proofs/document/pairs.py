r"""Find delimited regions (``<!-- … -->``, ``\begin{x} … \end{x}``, ``$$ … $$``) in time linear in the text.

A regular expression such as ``<!--.*?-->`` is quadratic on text with many openers and no closer:
each opener scans to the end of the text before it fails. :func:`closed_pairs` finds the same
regions — each opener paired with the first closer after it, scanning resumed after that closer —
but remembers which closers do not occur any more: once the closer of an opener is missing after
position ``p``, it is missing after every later opener of the same kind, so that kind is not searched
again. Every character is then scanned a bounded number of times.

>>> import re
>>> text = "a <!-- b --> c <!-- d"
>>> [(o.start(), c.end()) for o, c in closed_pairs(text, re.compile("<!--"), lambda o: re.compile("-->"))]
[(2, 12)]
>>> t = "<!--" * 50000
>>> list(closed_pairs(t, re.compile("<!--"), lambda o: re.compile("-->")))
[]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator

__all__ = ["closed_pairs"]


def closed_pairs(text: str, opener: re.Pattern, closer: Callable[[re.Match], re.Pattern | None], *,
                 key: Callable[[re.Match], Hashable] | None = None,
                 min_inner: int | Callable[[re.Match], int] = 0,
                 start: int = 0, end: int | None = None) -> Iterator[tuple[re.Match, re.Match | None]]:
    """Openers and their closers, left to right, not overlapping (as ``re.finditer`` of ``open.*?close``).

    Parameters
    ----------
    text : the text to scan.
    opener : the pattern of an opener; it must take bounded time per attempt.
    closer : ``closer(open_match)`` — the pattern of its closer, or ``None`` when the opener is a whole
        match by itself (yielded as ``(match, None)``).
    key : ``key(open_match)`` — openers with the same key share the closer (default: the closer's pattern).
    min_inner : least number of characters between opener and closer (1 for ``.+?``), or a function of
        the opener giving it.
    start, end : the part of ``text`` to scan.
    """
    end = len(text) if end is None else end
    missing: set = set()
    pos = start
    while pos < end:
        o = opener.search(text, pos, end)
        if o is None:
            return
        pattern = closer(o)
        if pattern is None:
            yield o, None
            pos = max(o.end(), o.start() + 1)
            continue
        k = key(o) if key is not None else pattern.pattern
        if k in missing:
            pos = o.start() + 1
            continue
        c = pattern.search(text, o.end() + (min_inner(o) if callable(min_inner) else min_inner), end)
        if c is None:
            missing.add(k)
            pos = o.start() + 1
            continue
        yield o, c
        pos = max(c.end(), o.start() + 1)
