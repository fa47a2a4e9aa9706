r"""Worked examples that put numbers into the document's own letters: "with $W = 32$, $F = 5$, $P = 0$, $S = 1$ we get $O = 28$".

A document states a formula (``O = (W − F + 2P)/S + 1``), then instantiates it: a sentence gives values
to its letters and the value of its left side. Each span alone (``$W = 32$``, ``$O = 28$``) says nothing
checkable; together they are a statement about the quantity the formula computes. The target is a
letter that an earlier formula of the document defines (the same name, or the same letter at another
layer: ``n_H^{[1]} = 37`` instantiates ``n_H^{[l]} = …`` with ``l = 1``); the givens are the assignments
of the same sentence (the spans on the target's line and the lines just before it, in one paragraph).

Two independent ways decide it, and a verdict is given only when those that apply agree:

- **the configuration**: when the symbol table gives every letter of the formula a role (input size,
  kernel, stride, padding, dilation, channels), the givens are a configuration and
  :func:`proofs.statement.decide` computes the quantity with ``derive`` — this finds the example that
  follows a wrong formula;
- **the document's formula, once judged**: when the formula was judged CORRECT (or CONDITIONAL on a
  divisibility that the givens satisfy), its value at the givens is the truth.

Examples
--------
>>> import sympy as sp
>>> from proofs.judge.judgement import Judgement
>>> O, W, F, P, S = sp.symbols("O W F P S")
>>> f = Record(0, 3, [O, (W - F + 2*P)/S + 1], ["="], Judgement("CONDITIONAL", "output_size", "", condition="S divides (W − F + 2·P)"), {})
>>> given = Record(1, 5, [sp.Tuple(W, F, P, S), sp.Tuple(32, 5, 0, 1)], ["="], Judgement("UNRECOGNIZED"), {})
>>> target = Record(2, 5, [O, sp.Integer(27)], ["="], Judgement("UNRECOGNIZED"), {})
>>> j = judge_instances([f, given, target], ["", "", "", "", ""])[2]
>>> j.verdict, j.counterexample["expected"]
('INCORRECT', 28)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp

from .judgement import Judgement
from .layer_labels import layer_label

__all__ = ["Record", "assignments", "judge_instances"]

#: roles of the symbol table that are entries of a :class:`proofs.statement.Statement` configuration
_CONFIG_ROLES = {"input_size", "kernel", "stride", "padding", "dilation", "channels_in", "channels_out"}
_STATEMENT_QUANTITIES = {"output_size", "param_count", "macs"}
_WINDOW = 3  # lines before the target where its givens may stand (one sentence wraps over a few lines)


@dataclass
class Record:
    """One judged formula of the document: where its finding is, what it says, and the roles in scope there."""

    index: int
    line: int
    sides: list
    relations: list
    judgement: Judgement
    roles: dict = field(default_factory=dict)
    padding: str | None = None


def _number(x):
    if isinstance(x, (sp.Tuple, tuple, list)) or (isinstance(x, sp.Basic) and not x.is_number):
        return None
    try:
        v = sp.nsimplify(x) if isinstance(x, sp.Basic) else sp.Integer(x)
    except (TypeError, ValueError, AttributeError, sp.SympifyError):
        return None
    return int(v) if getattr(v, "is_Integer", False) else None


def _integer_text(text) -> int | None:
    """The integer a judgement's ``expected`` text states (``"28"``, ``"-3"``), else None — read by pattern, never
    parsed as an expression.

    >>> _integer_text("28"), _integer_text(" -3 "), _integer_text("7/2"), _integer_text(None)
    (28, -3, None, None)
    """
    m = re.fullmatch(r"\s*(-?\d+)\s*", text) if isinstance(text, str) else None
    return int(m.group(1)) if m else None


def assignments(rec: Record) -> dict[str, int]:
    """``{name: value}`` when the span only gives values to letters (``W = 32``, ``W=7, F=3``, ``n_H = n_W = 6``).

    >>> W, F = sp.symbols("W F")
    >>> assignments(Record(0, 1, [sp.Tuple(W, F), sp.Tuple(7, 3)], ["="], Judgement("UNRECOGNIZED")))
    {'W': 7, 'F': 3}
    >>> assignments(Record(0, 1, [W, F + 1], ["="], Judgement("UNRECOGNIZED")))
    {}
    """
    if not rec.relations or any(r != "=" for r in rec.relations) or len(rec.sides) < 2:
        return {}
    *names, value = rec.sides
    out: dict[str, int] = {}
    for side in names:
        if isinstance(side, sp.Symbol):
            v = _number(value)
            if v is None or isinstance(value, sp.Tuple):
                return {}
            out[side.name] = v
        elif isinstance(side, sp.Tuple) and isinstance(value, sp.Tuple) and len(side) == len(value):
            for s, x in zip(side, value):
                v = _number(x)
                if not isinstance(s, sp.Symbol) or v is None:
                    return {}
                out[s.name] = v
        else:
            return {}
    return out


def _definition(rec: Record):
    """``(lhs name, rhs)`` of a formula that defines a letter by an expression of other letters, or None."""
    if len(rec.sides) != 2 or rec.relations != ["="]:
        return None
    lhs, rhs = rec.sides
    if not isinstance(lhs, sp.Symbol) or not isinstance(rhs, sp.Expr) or not rhs.free_symbols or lhs in rhs.free_symbols:
        return None
    if not all(isinstance(s, sp.Symbol) for s in rhs.free_symbols):
        return None
    return lhs.name, rhs


def _at_layer(name: str, target: str):
    """A renaming of the formula's labelled letters to the target's layer, or None when ``name`` is not ``target``.

    ``n^(l)_H`` against ``n^(1)_H`` gives a function mapping ``f^(l)`` → ``f^(1)``, ``n^(l-1)_H`` → ``n^(0)_H``.
    """
    if name == target:
        return lambda n: n
    a, b = layer_label(name), layer_label(target)
    if not a or not b or a[:2] != b[:2] or a[2] is None or b[2] is not None:
        return None
    layer = b[3] - a[3]

    def rename(n: str) -> str:
        lab = layer_label(n)
        if not lab or lab[2] != a[2]:
            return n
        return f"{lab[0]}^({layer + lab[3]})" + (f"_{lab[1]}" if lab[1] else "")
    return rename


def _by_formula(formula: Record, rhs, values: dict) -> int | None:
    """The truth from the document's own formula, when it was judged to hold at these values."""
    j = formula.judgement
    cond = (j.condition or "") + " " + (j.explanation or "")
    if j.verdict == "CORRECT" or (j.verdict == "CONDITIONAL" and "divides" in cond and "only" not in cond):
        v = rhs.subs(values)
        return _number(v) if v.is_number else None
    return None


def _by_configuration(formula: Record, rhs, values: dict, roles: dict):
    """The truth from ``derive`` (a :class:`proofs.statement.Statement`), when every letter has a configuration role."""
    from ..statement import Statement, decide

    quantity = formula.judgement.quantity
    if quantity not in _STATEMENT_QUANTITIES:
        return None
    conf: dict = {}
    for s in rhs.free_symbols:
        lab = layer_label(s.name)
        stem = (lab[0] + (f"_{lab[1]}" if lab[1] else "")) if lab else s.name
        role = roles.get(s.name) or roles.get(stem)
        if role not in _CONFIG_ROLES or role in conf:
            return None
        conf[role] = values[s]
    return lambda claimed: decide(Statement(quantity, conf, claimed, padding=formula.padding,
                                            evidence="the givens of the sentence"))


def judge_instances(records: list[Record], lines: list[str]) -> dict[int, Judgement]:
    """Judgements for the targets of instantiated formulas, by the index of the target's finding."""
    out: dict[int, Judgement] = {}
    definitions: list[tuple[Record, str, object]] = []
    for pos, rec in enumerate(records):
        given = assignments(rec)
        if given and len(given) == 1:
            (name, claimed), = given.items()
            for formula, lhs, rhs in reversed(definitions):
                rename = _at_layer(lhs, name)
                if rename is None:
                    continue
                j = _instance(formula, rhs, rename, claimed, _givens(records, pos, lines), rec.roles)
                if j is not None:
                    out[rec.index] = j
                break
        d = _definition(rec)
        if d is not None and rec.judgement.quantity:
            definitions.append((rec, *d))
    return out


def _givens(records: list[Record], pos: int, lines: list[str]) -> dict[str, int]:
    """The assignments of the target's sentence: spans on its line and on the lines just before, in one paragraph."""
    target = records[pos]
    out: dict[str, int] = {}
    for rec in records[:pos + 1]:
        if not target.line - _WINDOW <= rec.line <= target.line:
            continue
        between = lines[rec.line: target.line - 1] if rec.line < target.line else []
        if any(not x.strip() for x in between):
            continue  # a blank line: another paragraph
        if rec is not target:
            out.update(assignments(rec))
    return out


def _instance(formula: Record, rhs, rename, claimed: int, given: dict, roles: dict) -> Judgement | None:
    values = {}
    for s in rhs.free_symbols:
        n = rename(s.name)
        if n not in given:
            return None
        values[s] = given[n]
    shown = ", ".join(f"{rename(s.name)} = {v}" for s, v in sorted(values.items(), key=lambda kv: str(kv[0])))
    quantity = formula.judgement.quantity
    verdicts = []
    truth = _by_formula(formula, rhs, values)
    if truth is not None:
        verdicts.append(("CORRECT" if truth == claimed else "INCORRECT", truth,
                         f"the formula of line {formula.line} (judged {formula.judgement.verdict}) gives {truth}"))
    decide = _by_configuration(formula, rhs, values, roles)
    if decide is not None:
        j = decide(claimed)
        if j.verdict in ("CORRECT", "INCORRECT"):
            verdicts.append((j.verdict, _integer_text(j.expected),
                             f"derive, with the roles of the symbol table: {j.explanation}"))
    if not verdicts:
        return None
    if len({v for v, _, _ in verdicts}) > 1:
        return Judgement("UNRECOGNIZED", quantity, f"worked example of the formula of line {formula.line} at {shown}: "
                         "its formula and derive disagree (" + "; ".join(w for _, _, w in verdicts) + ")")
    verdict, expected, why = verdicts[0]
    text = f"worked example of the formula of line {formula.line} at {shown}: {why}"
    if verdict == "CORRECT":
        return Judgement("CORRECT", quantity, text, expected=str(claimed))
    return Judgement("INCORRECT", quantity, text, expected=str(expected),
                     counterexample={"values": {rename(s.name): v for s, v in values.items()}, "document": claimed,
                                     "expected": expected})
