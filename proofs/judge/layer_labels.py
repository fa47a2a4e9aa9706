r"""Layer labels written as superscripts (``n_H^{[l]}``, ``H^{(l-1)}``, ``k^{(l)}``) read as the roles they give.

Course notes in the deeplearning.ai style, and many papers, mark every symbol of a layer with its layer:
``n_H^{[l]} = \lfloor (n_H^{[l-1]} + 2p^{[l]} - f^{[l]})/s^{[l]} \rfloor + 1``. The parser keeps the label in
the name (``n^(l)_H``, ``p^(l)``), so the judge sees letters it cannot bind. The label says what a reader
reads from it: a letter that appears at two adjacent layers is a size *going into* (``l-1``) and *coming
out of* (``l``) the layer; a letter that appears at one layer only is that layer's hyperparameter. Two
readings follow, and the formula is judged under each:

- **in/out**: ``n^(l-1)_H`` → ``n_H_in``, ``n^(l)_H`` → ``n_H_out``, ``p^(l)`` → ``p`` (a size formula);
- **sequence**: ``r^(l)`` → ``r_l``, ``r^(l-1)`` → ``r[l-1]`` (a recursion over layers: receptive field, jump),
  the form the parser gives ``r_l = r_{l-1} + …``.

:func:`layer_label_readings` returns the rewritten sides of each reading that applies (none when the
labels are not of one layer variable at two adjacent layers, or a rewritten name would collide with a
letter the formula already uses). :func:`combine` keeps a verdict only when the readings that judge the
formula agree.

Examples
--------
>>> import sympy as sp
>>> lhs = sp.Symbol("n^(l)_H")
>>> rhs = sp.floor((sp.Symbol("n^(l-1)_H") + 2*sp.Symbol("p^(l)") - sp.Symbol("f^(l)")) / sp.Symbol("s^(l)")) + 1
>>> [name for name, _ in layer_label_readings([lhs, rhs])]  # subscripted letters: no sequence reading
['in/out']
>>> dict(layer_label_readings([lhs, rhs]))["in/out"]
[n_H_out, floor((-f + n_H_in + 2*p)/s) + 1]
>>> r, rp, k, j = sp.symbols("r^(l) r^(l-1) k^(l) j^(l-1)")
>>> dict(layer_label_readings([r, rp + (k - 1)*j]))["sequence"]
[r_l, (k_l - 1)*j[l - 1] + r[l - 1]]
>>> layer_label_readings([sp.Symbol("x"), sp.Symbol("y")])
[]
"""

from __future__ import annotations

import re

import sympy as sp

from .judgement import Judgement

__all__ = ["layer_label", "layer_label_readings", "combine"]

_NAME = re.compile(r"^(?P<base>[^\^_]+)\^\((?P<label>[^()]*)\)(?:_(?P<sub>[^']+))?(?P<primes>'*)$")
_LABEL = re.compile(r"^(?:(?P<var>[A-Za-z])\s*(?:(?P<sign>[-+])\s*(?P<off>\d+))?|(?P<num>\d+))$")


def layer_label(name: str) -> tuple[str, str, str | None, int] | None:
    """``(base, sub, layer variable or None, offset)`` of a labelled name, or None.

    >>> layer_label("n^(l-1)_H"), layer_label("p^(l)"), layer_label("W^(2)"), layer_label("x_i")
    (('n', 'H', 'l', -1), ('p', '', 'l', 0), ('W', '', None, 2), None)
    """
    m = _NAME.match(name)
    if not m or m.group("primes"):
        return None
    lab = _LABEL.match(m.group("label").replace(" ", ""))
    if not lab:
        return None
    if lab.group("num") is not None:
        return m.group("base"), m.group("sub") or "", None, int(lab.group("num"))
    off = int(lab.group("off") or 0) * (-1 if lab.group("sign") == "-" else 1)
    return m.group("base"), m.group("sub") or "", lab.group("var"), off


def _stem(base: str, sub: str) -> str:
    return f"{base}_{sub}" if sub else base


def layer_label_readings(sides) -> list[tuple[str, list]]:
    """The readings (name, rewritten sides) of a relation whose symbols carry layer labels; [] when none applies."""
    syms = set().union(*(getattr(s, "free_symbols", set()) for s in sides))
    labelled = {s: layer_label(s.name) for s in syms if isinstance(s, sp.Symbol)}
    labelled = {s: v for s, v in labelled.items() if v is not None}
    if not labelled:
        return []
    variables = {v[2] for v in labelled.values()}
    if len(variables) != 1:
        return []
    var = variables.pop()
    offsets = sorted({v[3] for v in labelled.values()})
    if len(offsets) != 2 or offsets[1] - offsets[0] != 1:
        return []  # one layer only (nothing goes in or out) or layers far apart: not this notation
    top = offsets[1]
    plain = {s.name for s in syms} - {s.name for s in labelled}
    if var is not None and var in plain:
        plain.discard(var)  # the layer variable itself may appear (a sum over l): it is not a clash
    stems: dict[str, set[int]] = {}
    for base, sub, _, off in labelled.values():
        stems.setdefault(_stem(base, sub), set()).add(off - top)
    out = []
    io = {}
    for s, (base, sub, _, off) in labelled.items():
        stem = _stem(base, sub)
        io[s] = sp.Symbol(stem + ("_out" if off == top else "_in") if len(stems[stem]) == 2 else stem)
    if len(set(io.values())) == len(io) and not ({t.name for t in io.values()} & plain):
        out.append(("in/out", [side.xreplace(io) if isinstance(side, sp.Basic) else side for side in sides]))
    if var is not None and all(not sub for _, sub, _, _ in labelled.values()):
        lv = sp.Symbol(var)
        seq = {s: (sp.Symbol(f"{base}_{var}") if off == top else sp.IndexedBase(base)[lv + off - top])
               for s, (base, sub, _, off) in labelled.items()}
        names = {t.name for t in seq.values() if isinstance(t, sp.Symbol)} | {str(t.base) for t in seq.values()
                                                                               if isinstance(t, sp.Indexed)}
        if not (names & plain):
            out.append(("sequence", [side.xreplace(seq) if isinstance(side, sp.Basic) else side for side in sides]))
    return out


def combine(judged: list[tuple[str, Judgement]]) -> Judgement | None:
    """One judgement from the readings': the judged ones must agree; None when no reading judges the formula."""
    decided = [(n, j) for n, j in judged if j.verdict != "UNRECOGNIZED"]
    if not decided:
        return None
    verdicts = {j.verdict for _, j in decided}
    if len(verdicts) > 1:
        return Judgement("UNRECOGNIZED", decided[0][1].quantity,
                         "the layer labels read two ways disagree: "
                         + "; ".join(f"as {n}: {j.verdict}" for n, j in decided))
    name, j = decided[0]
    j.explanation = f"{j.explanation} (layer labels read {'as sizes into and out of the layer' if name == 'in/out' else 'as a sequence over layers'})"
    return j
