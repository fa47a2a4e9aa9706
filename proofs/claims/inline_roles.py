r"""Inline-math assignments of the document's own letters read as role words: ``$f = 3$`` → "a filter of size 3".

A sentence that instantiates the document's notation ("If $n_H = 6$, $f = 3$ and $s = 1$ then the output
is $4 \times 4$") states a configuration in letters; the claim readers read role *words*. The letters are
bound through the document's symbol table (:meth:`proofs.notation.SymbolTable.roles_at` at the sentence's
line): a span whose every part is ``letter = number`` with a letter the document defined as a kernel
size, stride, padding, dilation or input size is spelled as those role words. Anything else — an
unknown letter, a letter without a role, an expression on the right — leaves the span as written, so a
sentence is never read with a role the document did not give.

Examples
--------
>>> roles = {"f": "kernel", "s": "stride", "n_H": "input_size", "p": "padding"}
>>> spell_assignments("If $n_H = 6$, $f = 3$ and $s = 1$ then the output is $4 \\times 4$.", roles)
'If an input 6 pixels wide, a filter of size 3 and stride 1 then the output is $4 \\times 4$.'
>>> spell_assignments("with $f=5, p=2$ it stays the same", roles)
'with a filter of size 5, padding 2 it stays the same'
>>> spell_assignments("with $f = 3$ and $q = 2$", roles)  # q has no role: its span is left as written
'with a filter of size 3 and $q = 2$'
>>> spell_assignments("no zero padding \\\\(P = 0\\\\) and \\(f = 5\\)", {"P": "padding", "f": "kernel"})
'no zero padding 0 and a filter of size 5'
>>> spell_assignments("the filter size is $f = 5$ and the stride is $s = 2$", roles)
'the filter size is 5 and the stride is 2'
>>> spell_assignments("where $f = 2p + 1$", roles)
'where $f = 2p + 1$'
"""

from __future__ import annotations

import re

__all__ = ["spell_assignments", "ROLE_WORDS"]

#: how a role's value is spelled for the claim readers (:mod:`proofs.claims.roles`)
ROLE_WORDS = {"kernel": "a filter of size {}", "stride": "stride {}", "padding": "padding {}", "dilation": "dilation {}",
              "input_size": "an input {} pixels wide", "channels_in": "{} input channels", "channels_out": "{} filters"}
#: inline math: $…$, \(…\) and the doubled backslashes of Markdown sources (\\(…\\))
_MATH = re.compile(r"(?<![\\$])\$([^$]{1,80})\$(?!\$)|\\{1,2}\(([^()$]{1,80}?)\\{1,2}\)")
#: the role already named just before the span ("the stride is $s = 2$", "no zero padding ($p = 0$)"): only the value is spelled
_NAMED_BEFORE = {
    "kernel": re.compile(r"(?i)\b(?:filters?|kernels?|windows?|receptive fields?)(?:[ _](?:size|width|extent))?(?: is| of| =)?\s*\(?\s*$"),
    "stride": re.compile(r"(?i)\bstrides?(?: is| of| =)?\s*\(?\s*$"),
    "padding": re.compile(r"(?i)\bpad(?:ding)?(?: is| of| =)?\s*\(?\s*$"),
    "dilation": re.compile(r"(?i)\bdilation(?: rate| factor)?(?: is| of| =)?\s*\(?\s*$"),
}
_PART = re.compile(r"^\s*([^=<>]{1,24}?)\s*=\s*(\d{1,4})\s*$")
_SEPARATORS = re.compile(r",|;|\\quad|\\qquad|\\text\{\s*(?:and|,)\s*\}|\\;|\\,(?!\d)")


def spell_assignments(text: str, roles: dict | None) -> str:
    """``text`` with every inline-math span of role assignments spelled as role words (see the module)."""
    if not roles or "=" not in text or ("$" not in text and "\\(" not in text):
        return text
    from ..notation.definitions import symbol_name

    def spell(m: re.Match) -> str:
        words: list[str] = []
        for part in _SEPARATORS.split(m.group(1) if m.group(1) is not None else m.group(2)):
            if not part.strip():
                continue
            a = _PART.match(part)
            name = symbol_name(a.group(1)) if a else None
            role = roles.get(name) if name else None
            if role not in ROLE_WORDS:
                return m.group(0)
            named = not words and role in _NAMED_BEFORE and _NAMED_BEFORE[role].search(text[max(0, m.start() - 40):m.start()])
            word = str(int(a.group(2))) if named else ROLE_WORDS[role].format(int(a.group(2)))
            if word not in words:  # W_1 = 5, H_1 = 5: one square input
                words.append(word)
        return ", ".join(words) if words else m.group(0)

    return _MATH.sub(spell, text)
