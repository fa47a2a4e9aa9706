r"""Tensor-dimension letters bound by the document's prose: ``N`` images, ``C`` input channels, ``K`` filters of
``R × S``, an output of ``P × Q``.

Library guides (cuDNN, implicit-GEMM notes, accelerator papers) name the dimensions of a convolution with
single capital letters and define them in prose, in any wording: "N images of C channels, each H pixels
high", "K filters, each R rows by S columns", "the output has P × Q pixels". This module reads that
evidence, a letter at a time, with no sentence patterns:

* a letter followed or preceded (within three words) by a word of a dimension: ``batch``/``images``/
  ``samples`` (batch), ``channels``/``filters``/``feature maps`` (input or output channels),
  ``high``/``height``/``rows`` and ``wide``/``width``/``columns`` (a spatial axis);
* a pair ``X × Y``, ``X by Y``, ``X x Y`` or ``(X, Y)`` of letters next to a spatial word: height, then width;
* whose dimension — input, filter or output — is read from the sentence: ``output``/``result`` words,
  ``filter``/``kernel``/``weight`` words, ``input``/``image`` words; a sentence naming more than one
  (or none) leaves spatial letters unbound.

A letter gets a role only when all its evidence agrees (a unique binding). The common letter convention
(``N C H W K R S P Q``, cuDNN's) binds the letters the prose does not mention only when at least two
letters of the convention are confirmed by the prose and none contradicts it.

Examples
--------
>>> text = '''The input has N images of C channels, each H pixels high and W pixels wide.
... There are K filters, each R rows by S columns.
... The output is P × Q.'''
>>> b = dimension_letters(text)
>>> [b[x] for x in "NCHWKRSPQ"]
['batch', 'channels_in', 'in_h', 'in_w', 'channels_out', 'k_h', 'k_w', 'out_h', 'out_w']
>>> dimension_letters("A batch of B images")
{'B': 'batch'}
>>> dimension_letters("K is the number of filters and the output has K channels")["K"]
'channels_out'
>>> dimension_letters("K is the batch size and there are K filters").get("K") is None
True
>>> "S" in dimension_letters("N images of C channels, R rows high; the stride S moves the window")
False
"""

from __future__ import annotations

import re

__all__ = ["CONVENTION", "dimension_letters", "convention_letters", "letter_evidence"]

#: cuDNN's letters for the dimensions of a 2-D convolution
CONVENTION = {"N": "batch", "C": "channels_in", "H": "in_h", "W": "in_w", "K": "channels_out", "R": "k_h",
              "S": "k_w", "P": "out_h", "Q": "out_w"}

_LETTER = r"(?<![\w\\])\$?([B-HJ-Z])\$?(?![\w'])"  # a capital standing alone (A and I are English words)
_BATCH = re.compile(r"(?i)^(?:batch(?:es)?|images?|samples?|mini-?batch(?:es)?|examples?|inputs? in the batch)$")
_CHAN = re.compile(r"(?i)^(?:channels?|feature|maps?|planes?)$")
_FILTERS = re.compile(r"(?i)^(?:filters?|kernels?)$")
_HIGH = re.compile(r"(?i)^(?:high|height|rows?|tall)$")
_WIDE = re.compile(r"(?i)^(?:wide|width|columns?|cols)$")
_OUT = re.compile(r"(?i)\b(?:output|outputs|result|produces?|dst|destination)\b")
_FILT = re.compile(r"(?i)\b(?:filters?|kernels?|weights?|window)\b")
_IN = re.compile(r"(?i)\b(?:input|inputs|images?|src|source|activations?)\b")
_PAIR = re.compile(r"(?<![\w\\])\$?([B-HJ-Z])\$?\s*(?:×|\\times|x|by|\*)\s*\$?([B-HJ-Z])\$?(?![\w'])|"
                   r"\(\s*([B-HJ-Z])\s*,\s*([B-HJ-Z])\s*\)")
_SPATIAL = re.compile(r"(?i)\b(?:pixels?|spatial|size|filters?|kernels?|window|output|input|image|map|plane|"
                      r"positions?|extent|dimensions?)\b")


_FILLER = {"is", "are", "the", "a", "an", "number", "of", "be", "denotes", "denote", "total", "count", "gives",
           "stands", "for", "=", "let", "as"}


def _subject(sentence: str, channel: bool = False) -> str | None:
    """Which tensor a sentence is about: ``"out"``, ``"k"`` (filter) or ``"in"``; None when not one."""
    found = {name for name, rx in (("out", _OUT), ("k", _FILT), ("in", _IN)) if rx.search(sentence)}
    if channel:
        found.discard("k")
    return found.pop() if len(found) == 1 else None


def _words_around(clause: str, start: int, end: int, reach: int = 3) -> tuple[list[str], list[str]]:
    before = [w for w in re.findall(r"[A-Za-z-]+", clause[:start]) if w.lower() not in _FILLER][-reach:]
    after = [w for w in re.findall(r"[A-Za-z-]+", clause[end:]) if w.lower() not in _FILLER][:reach]
    return before, after


def _nearest_subject(before: str, after: str) -> str | None:
    """The tensor named closest before a pair of letters (``the input size (H, W)``), else first after it."""
    rxs = (("out", _OUT), ("k", _FILT), ("in", _IN))
    last = max(((m.end(), name) for name, rx in rxs for m in rx.finditer(before)), default=None)
    if last is not None:
        return last[1]
    first = min(((m.start(), name) for name, rx in rxs for m in rx.finditer(after)), default=None)
    return first[1] if first else None


def _word_role(word: str, next_word: str, prev_word: str, clause: str, sentence: str, first: bool = False) -> str | None:
    """The role one word next to a letter gives it (``images`` batch, ``filters`` output channels, …)."""
    low, pair = word.lower(), {next_word.lower(), prev_word.lower()}
    if _BATCH.match(word) or low == "batch":
        return "batch"
    if re.fullmatch(r"(?i)filters|kernels", word) and first:
        return "channels_out"
    if _CHAN.match(word):
        if pair & {"output", "out"}:
            return "channels_out"
        if pair & {"input", "in"}:
            return "channels_in"
        return {"out": "channels_out", "in": "channels_in"}.get(_subject(sentence, channel=True), "?")
    axis = "h" if _HIGH.match(word) else "w" if _WIDE.match(word) else None
    if axis is not None:
        who = _subject(clause) or _subject(sentence)
        return f"{who}_{axis}" if who else "?"
    return None


def _single_role(clause: str, sentence: str, start: int, end: int) -> str | None:
    """The role of the letter at ``clause[start:end]``: the first dimension word after it (two words), else
    the nearest before it (two words)."""
    before, after = _words_around(clause, start, end)
    for i, w in enumerate(after[:2]):
        role = _word_role(w, after[i + 1] if i + 1 < len(after) else "", after[i - 1] if i else "", clause, sentence,
                          first=i == 0)
        if role is not None:
            return None if role == "?" else role
    for i in range(len(before) - 1, max(len(before) - 3, -1), -1):
        w = before[i]
        role = _word_role(w, before[i + 1] if i + 1 < len(before) else "", before[i - 1] if i else "", clause, sentence)
        if role is not None:
            return None if role == "?" else role
    return None


def letter_evidence(text: str) -> dict[str, set]:
    """Every role each capital letter of ``text``'s prose is given, by the rules of the module docstring."""
    seen: dict[str, set] = {}
    for line in text.splitlines():
        if re.search(r"[{}]|;\s*$|^\s*(?:#|//)|=\s*[^=\n]*[-+*/^%]", line) and \
                not re.search(r"\b(?:is|are|has|have|denotes?)\b", line):
            continue  # code, not prose
        for sentence in re.split(r"(?<=[.!?])\s+|[;:]", line):  # a sentence, or a part of one between ';'
            for clause in re.split(r"(?<!\b[A-Z]),\s+(?=[A-Za-z])", sentence):
                paired = set()
                if re.search(rf"{_LETTER}\s*(?:×|\\times|x|\*)\s*{_LETTER}\s*(?:×|\\times|x|\*)\s*{_LETTER}", clause):
                    continue  # a tensor's whole shape (N × C × H × W): its layout is not read here
                for m in _PAIR.finditer(clause):
                    a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
                    who = _nearest_subject(clause[max(0, m.start() - 40): m.start()], clause[m.end(): m.end() + 30]) \
                        or _subject(clause)
                    if who and _SPATIAL.search(clause):
                        seen.setdefault(a, set()).add(f"{who}_h")
                        seen.setdefault(b, set()).add(f"{who}_w")
                        paired |= {m.start(), m.end()}
                both = re.search(rf"{_LETTER}\s*(?:,|and)\s*{_LETTER}\b(?:(?!{_LETTER}).)*?\b(?:height|rows)\s*(?:,|and)\s*"
                                 r"(?:the\s+)?(?:width|columns)\b", clause)
                if both and len(re.findall(_LETTER, clause)) == 2:
                    who = _subject(clause) or _subject(sentence)
                    if who:
                        seen.setdefault(both.group(1), set()).add(f"{who}_h")
                        seen.setdefault(both.group(2), set()).add(f"{who}_w")
                        continue
                for m in re.finditer(_LETTER, clause):
                    if m.start() in paired or m.end() in paired:
                        continue
                    role = _single_role(clause, sentence, m.start(), m.end())
                    if role is not None:
                        seen.setdefault(m.group(1), set()).add(role)
    return seen


#: the roles of the general prose reader (:mod:`proofs.notation.definitions`) that agree with a dimension
_COMPATIBLE = {"batch": set(), "channels_in": {"channels_in", "channels"}, "channels_out": {"channels_out", "channels"},
               "in_h": {"input_size"}, "in_w": {"input_size"}, "k_h": {"kernel"}, "k_w": {"kernel"},
               "out_h": {"output_size"}, "out_w": {"output_size"}}


def _other_roles(text: str) -> dict[str, set]:
    """The roles the general definitions reader gives the capital letters (``stride S``: S is no filter width)."""
    from .definitions import definitions_in_line

    found: dict[str, set] = {}
    for line in text.splitlines():
        if len(line) > 400 or not re.search(r"(?<![\w\\])[B-HJ-Z](?![\w'])", line):
            continue
        for d in definitions_in_line(line):
            if re.fullmatch(r"[B-HJ-Z]", d.symbol or ""):
                found.setdefault(d.symbol, set()).add(d.role)
    return found


def convention_letters(text: str) -> dict[str, str]:
    """The convention's letters that no evidence of ``text`` gives another role (for readings that may only
    confirm, never refute)."""
    seen, other = letter_evidence(text), _other_roles(text)
    return {x: r for x, r in CONVENTION.items() if seen.get(x, {r}) == {r} and not other.get(x, set()) - _COMPATIBLE[r]}


def dimension_letters(text: str) -> dict[str, str]:
    """``{letter: role}`` for the letters with one role; the convention fills the rest when it is confirmed."""
    seen = letter_evidence(text)
    bound = {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}
    confirmed = [x for x, r in CONVENTION.items() if bound.get(x) == r]
    contradicted = [x for x, r in CONVENTION.items() if x in seen and seen[x] != {r}]
    other = _other_roles(text)
    contradicted += [x for x, r in CONVENTION.items() if other.get(x, set()) - _COMPATIBLE[r]]
    taken = set(bound.values())
    if len(confirmed) >= 2 and not contradicted:
        for x, r in CONVENTION.items():
            if x not in bound and r not in taken and re.search(rf"(?<![\w\\]){x}(?![\w'])", text):
                bound[x] = r
    return bound
