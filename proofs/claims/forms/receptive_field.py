"""Claims about the receptive field of a stack: its size, or that two stacks have the same one.

Recognised wording (after :func:`~proofs.claims.numbers_words.normalise`), e.g.
"3 layers of 3×3 conv: RF = 7×7", "the receptive field of two stacked 3×3
convolutions is 5×5", "three 3x3 layers see a 7x7 region", "a 3×3 conv with
dilation 2 has a 5×5 receptive field", "two 3×3 convs have the same receptive
field as one 5×5", "3 layers of 3×3 vs 1 layer of 7×7: same RF". The truth is
``derive.receptive_field`` of the stack (via :mod:`proofs.claims.truth`).

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> [type(s).__name__ for s in find(normalise("3 layers of 3x3 conv: RF = 7x7"))]
['ReceptiveFieldValue']
>>> s = find(normalise("Two 3×3 convs have the same receptive field (5×5) as one 5×5 conv"))[0]
>>> type(s).__name__, s.claimed
('SameReceptiveField', 5)
>>> find(normalise("RF = 1 + L(k-1) for L layers of 3×3"))
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ...findings import Verdict
from ..decide import Outcome
from ..numbers_words import parse_number
from ..truth import receptive_field
from ..clauses import clause_spans
from .stacks import Stack, find_stacks, sequence_of

__all__ = ["find", "ReceptiveFieldValue", "SameReceptiveField"]

_RF = r"(?:receptive[- ]fields?|rfs?|field of view)"
_NOT_FORMULA = r"(?![\d.]|\s*[+\-·*/^(]|\s*×\s*[a-z(])"
_VALUE = r"(?:a |an |only |exactly |just |of |size |of size )*(\d{1,6})(?:×(\d{1,6}))?" + _NOT_FORMULA
_CLAIMED = [
    re.compile(r"\b" + _RF + r"(?: size)?(?: of (?:the |each |every |a |an )?(?:output |final |last |third |second )?(?:neurons?|units?|pixels?|outputs?|layers?|stack))?\s*(?:(?:only|then|therefore|thus|now|still|already|just|effectively|quickly|slowly)\s+)?(?:is|of|=|equals?|:|becomes|(?:grows|expands|increases|widens|rises) to|covers|spans|\(|is now|at|stays(?: at)?|remains(?: at)?|reaches)\s*" + _VALUE),
    re.compile(r"\b(?:sees?|seeing|covers?|covering|views?|spans?|looks? at|ha(?:s|ve)|gives?|yields?|provides?|achieves?|reach(?:es)?|obtains?|get|gets|depends? on|is a function of|(?:is |are )?(?:influenced|affected) by|(?:is |are )?connected to)\s+(?:(?:each|every|the|its|their) (?:output |final |last )?(?:units?|neurons?|outputs?|pixels?|positions?|values?|activations?) )?(?:a |an |only |exactly |just |effectively )?(\d{1,6})×(\d{1,6})\s+(?:input |pixel |image )?(?:region|patch|area|window|neighbou?rhood|view|receptive field|rf|field|part|portion|square|block)"),
    re.compile(r"\b(?:a |an )?(\d{1,6})×(\d{1,6}) (?:receptive field|rf)\b"),
    re.compile(r"\b(?:enlarges?|enlarging|grows?|growing|increases?|increasing|widens?|widening|expands?|expanding|extends?|extending|brings?|bringing|raises?)"
               r" (?:the |its |their )?" + _RF + r" (?:size )?(?:\w+ ){0,2}?to " + _VALUE),
    re.compile(r"\b" + _RF + r"(?: size)?\s+(?:of\s+)?(\d{1,6})×(\d{1,6})" + _NOT_FORMULA),
    re.compile(r"\b" + _RF + r"(?: size)? of [^.;:=]{1,60}?\b(?:is|are|equals?|=|becomes|is only|is exactly)\s+" + _VALUE),
]
_SAME = re.compile(
    r"\b(?:same|identical|equal|equivalent|matching)\s+(?:effective\s+)?" + _RF
    + r"|\b" + _RF + r"s?\s+(?:is|are)\s+(?:the same|identical|equal)"
    + r"|\bas (?:large|big|wide) (?:a |an )?" + _RF
    + r"|\bha(?:s|ve) the " + _RF + r" of\b"
    + r"|\b(?:equivalent to|matches|match|covers the same area as|same as|identical to)\s+(?:a |an |one |the )?(?:single\s+)?\d"
)
#: "X on top of / after / above Y": Y is applied first
_ABOVE = re.compile(r"\b(?:on top of|after|above|stacked on)\b")
_NEGATED = re.compile(r"\b(?:not|never|no|unlike|differs?|different|cannot|isn't|aren't|don't|doesn't)\b")


def _needs(stack: Stack) -> None:
    if stack.layer.stride == 0:
        raise ValueError("the stride of the strided layers is not stated")
    if stack.layer.dilation == 0:
        raise ValueError("the dilation of the dilated layers is not stated")


@dataclass
class ReceptiveFieldValue:
    """"``stack`` has a receptive field of ``claimed``" (one side of a square field)."""

    stack: Stack
    claimed: int
    then: tuple = ()
    quantity: str = "receptive_field"

    def decide(self) -> Outcome:
        stacks = (self.stack, *self.then)
        layers = []
        for s in stacks:
            _needs(s)
            layers.extend(s.layers())
        rf = receptive_field(layers)
        what = " → ".join(s.describe() for s in stacks)
        evidence = {"layers": what, "claimed": self.claimed, "derived": rf}
        if rf == self.claimed:
            return Outcome(Verdict.CORRECT, f"derive.receptive_field of {what} is {rf}×{rf}, as stated.",
                           expected=f"{rf}×{rf}")
        return Outcome(Verdict.INCORRECT,
                       f"derive.receptive_field of {what} is {rf}×{rf}, not {self.claimed}×{self.claimed}.",
                       expected=f"{rf}×{rf}", counterexample=evidence)


@dataclass
class SameReceptiveField:
    """"``a`` and ``b`` have the same receptive field" (optionally: of size ``claimed``)."""

    a: Stack
    b: Stack
    claimed: int | None = None
    quantity: str = "receptive_field"

    def decide(self) -> Outcome:
        _needs(self.a)
        _needs(self.b)
        ra, rb = receptive_field(self.a.layers()), receptive_field(self.b.layers())
        da, db = self.a.describe(), self.b.describe()
        evidence = {"a": da, "b": db, "rf_a": ra, "rf_b": rb}
        if self.claimed is not None:
            evidence["claimed"] = self.claimed
        ok = ra == rb and (self.claimed is None or self.claimed == ra)
        text = f"derive.receptive_field: {da} → {ra}×{ra}; {db} → {rb}×{rb}"
        if ok:
            return Outcome(Verdict.CORRECT, text + ": the same, as stated.", expected=f"{ra}×{ra}")
        return Outcome(Verdict.INCORRECT, text + ("" if ra == rb else ": they differ.")
                       + ("" if self.claimed in (None, ra, rb) else f" Neither is {self.claimed}×{self.claimed}."),
                       expected=f"{ra}×{ra} vs {rb}×{rb}", counterexample=evidence)


def _claimed_values(norm: str) -> list[tuple[int, int]]:
    """(position, value) of every square receptive-field size the text claims."""
    out = []
    for pattern in _CLAIMED:
        for m in pattern.finditer(norm):
            a = parse_number(m.group(1))
            b = parse_number(m.group(2)) if m.group(2) else a
            if a == b:
                out.append((m.start(1), a))
    return sorted(set(out))


_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6}
_ORDINAL_LAYER = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\s+(?:conv\w*\s+|hidden\s+)?layer\b")


def _ordinal_stack(norm: str) -> list[Stack]:
    """"the third layer of a stack of 3×3 convs": one uncounted stack, its depth given by an ordinal."""
    om = _ORDINAL_LAYER.search(norm)
    uncounted = [s for s in find_stacks(norm) if s.count is None and s.layer.kind == "conv"]
    if not om or len(uncounted) != 1:
        return []
    return [replace(uncounted[0], count=_ORDINALS[om.group(1)])]


def find(norm: str) -> list:
    """Receptive-field statements of a normalised sentence (empty when none)."""
    if not re.search(r"\b" + _RF + r"\b|\b(?:sees?|covers?|views?|spans?|looks? at|depends? on|function of|influenced by|affected by|connected to)\b", norm):
        return []
    stacks = [s for s in find_stacks(norm) if s.count is not None]
    if not stacks:
        stacks = _ordinal_stack(norm)
    if not stacks:
        return []
    if re.search(r"\bdilat", norm) and all(s.layer.dilation == 1 and not s.schedule for s in stacks):
        raise ValueError("the sentence speaks of dilation but does not say which layers are dilated, or by how much")
    values = _claimed_values(norm)
    out: list = []
    used: set[int] = set()
    same = _SAME.search(norm)
    if same and len(stacks) >= 2 and not _NEGATED.search(norm[max(0, same.start() - 25): same.end()]):
        before = [s for s in stacks if s.end <= same.start()]
        after = [s for s in stacks if s.start >= same.start()]
        if before and after:
            a, b = before[-1], after[0]
        elif len(after) >= 2:  # "same receptive field for two 3×3 convs and one 5×5 conv"
            a, b = after[0], after[1]
        elif len(before) >= 2:  # "3 layers of 3×3 vs 1 layer of 7×7: same RF"
            a, b = before[-2], before[-1]
        else:
            a = b = None
        if a is not None:
            inside = [(p, v) for p, v in values if a.start <= p <= b.end]
            claimed = inside[0][1] if len(inside) == 1 else None
            used.update(p for p, _ in inside)
            out.append(SameReceptiveField(a, b, claimed))
    clauses = clause_spans(norm)
    for pos, value in values:
        if pos in used:
            continue
        before = [s for s in stacks if s.start < pos]
        # "…costs more weights than two 3×3 convs, but three 3×3 convs see 7×7": the layers of the value's own clause
        opening = max(a for a, _ in clauses if a <= pos)
        before = [s for s in before if s.start >= opening] or before
        if not before and len(stacks) != 1:
            continue
        if len(before) >= 2 and not same:
            chain = before
            if not sequence_of(norm, chain):
                raise ValueError("several layers are named and it is not clear which of them the receptive field is claimed for")
            if all(_ABOVE.search(norm[a.end: b.start]) for a, b in zip(chain, chain[1:])):
                chain = chain[::-1]  # "a 1×1 conv on top of a 3×3 conv": the 3×3 conv comes first
            out.append(ReceptiveFieldValue(chain[0], value, tuple(chain[1:])))
            continue
        stack = before[-1] if before else stacks[0]
        if stack.start <= pos < stack.end:
            continue  # the value is the stack's own kernel size
        out.append(ReceptiveFieldValue(stack, value))
    return out[:4]
