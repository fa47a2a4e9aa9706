"""Judge the one-layer receptive-field recursions ``r_out = r_in + (k − 1)·j_in`` and ``j_out = j_in·s``.

The left side is the receptive field (or jump) after a layer, the right side reads the same
quantities before it (``r_in``, ``j_in``, subscripts ``in``/``prev``) and the layer's kernel,
stride and dilation. The truth comes from :func:`derive.receptive_field` of random stacks with
one layer appended: the values before the layer are those of the stack, the value after it is
that of the longer stack.

Examples
--------
>>> import sympy as sp
>>> r_in, j_in, k, s = sp.symbols("r_in j_in k s")
>>> roles = {"k": "kernel", "s": "stride"}
>>> judge_rf_step(sp.Symbol("r_out"), r_in + (k - 1)*j_in, roles, what="receptive_field").verdict
'CORRECT'
>>> judge_rf_step(sp.Symbol("j_out"), j_in*s, roles, what="jump").verdict
'CORRECT'
>>> judge_rf_step(sp.Symbol("r_out"), r_in + (k - 1)*s, roles, what="receptive_field").verdict
'INCORRECT'
>>> step_names(sp.Symbol("r_out"), r_in + k)
{'receptive_field': 'r_in'}
"""

from __future__ import annotations

import random
import re

import sympy as sp

from . import truth
from .compare import fmt_number
from .exact import EvalError, exact_value
from .judgement import Judgement

__all__ = ["step_names", "judge_rf_step"]

_AFTER = ("out", "new", "next", "l", "ell", "o")
_BEFORE = ("in", "prev", "old", "l-1", "ell-1", "i")
_RF_BASES = ("r", "rf", "RF", "R")
_JUMP_BASES = ("j", "J", "jump")


def _split(name: str) -> tuple[str, str]:
    name = name.replace("{", "").replace("}", "").replace("ℓ", "ell")
    base, _, sub = name.partition("_")
    return base, sub.replace(" ", "").lower()


def step_names(lhs, rhs) -> dict[str, str] | None:
    """The before-the-layer symbols of a one-layer recursion (``{"receptive_field": "r_in", "jump": "j_in"}``).

    None when ``lhs`` is not a receptive field or jump *after* a layer, or ``rhs`` reads neither before it.

    >>> import sympy as sp
    >>> step_names(sp.Symbol("RF"), sp.Symbol("k")) is None
    True
    """
    if not lhs.is_Symbol:
        return None
    base, sub = _split(lhs.name)
    if sub not in _AFTER or base not in _RF_BASES + _JUMP_BASES:
        return None
    found: dict[str, str] = {}
    for s in rhs.free_symbols:
        b, sb = _split(s.name)
        if sb in _BEFORE:
            if b in _RF_BASES:
                found["receptive_field"] = s.name
            elif b in _JUMP_BASES:
                found["jump"] = s.name
    return found or None


def judge_rf_step(lhs, doc, roles: dict, *, what: str, trials: int = 60, seed: int = 0) -> Judgement:
    """Judge one step of the receptive-field (``what="receptive_field"``) or jump (``what="jump"``) recursion.

    Parameters
    ----------
    lhs : the left side (``r_out``, ``j_out``).
    doc : the right side, in the values before the layer and the layer's kernel/stride/dilation.
    roles : symbol name -> role for the layer's symbols.
    what : ``"receptive_field"`` or ``"jump"``.

    Returns
    -------
    Judgement
    """
    if what not in ("receptive_field", "jump"):
        raise ValueError(f"what must be 'receptive_field' or 'jump', got {what!r}")
    label = "receptive field" if what == "receptive_field" else "jump"
    before = step_names(lhs, doc) or {}
    layer = {}
    for s in sorted(doc.free_symbols, key=str):
        n = s.name
        if n in before.values():
            continue
        role = roles.get(n)
        if role not in ("kernel", "stride", "dilation"):
            return Judgement("UNRECOGNIZED", what, f"{label} recursion: cannot bind {n} to the layer's kernel, "
                             "stride or dilation")
        if role in layer:
            return Judgement("UNRECOGNIZED", what, f"{label} recursion: two symbols play the role {role}")
        layer[role] = n
    rng = random.Random(seed)
    for _ in range(trials):
        depth = rng.randint(0, 3)
        ks = [rng.randint(1, 5) for _ in range(depth + 1)]
        ss = [rng.randint(1, 3) for _ in range(depth + 1)]
        ds = [rng.randint(1, 3) if "dilation" in layer else 1 for _ in range(depth + 1)]
        r0, j0 = truth.receptive_field(ks[:-1], ss[:-1], ds[:-1]) if depth else (1, 1)
        r1, j1 = truth.receptive_field(ks, ss, ds)
        values = {layer[role]: val for role, val in (("kernel", ks[-1]), ("stride", ss[-1]), ("dilation", ds[-1]))
                  if role in layer}
        for q, name in before.items():
            values[name] = r0 if q == "receptive_field" else j0
        try:
            got = exact_value(doc, values)
        except (EvalError, ValueError, ZeroDivisionError, OverflowError) as exc:
            return Judgement("UNRECOGNIZED", what, f"{label} recursion: {exc}")
        want = r1 if what == "receptive_field" else j1
        if got != want:
            cex = {"values": {"before": {"receptive_field": r0, "jump": j0},
                              "layer": {"kernel": ks[-1], "stride": ss[-1], "dilation": ds[-1]}, **values},
                   "document": fmt_number(got), "expected": want}
            return Judgement("INCORRECT", what, f"{label} recursion: after a stack with receptive field {r0} and jump "
                             f"{j0}, a layer {cex['values']['layer']} gives {want}, but the document gives "
                             f"{fmt_number(got)}", counterexample=cex,
                             expected="r_out = r_in + d·(k − 1)·j_in" if what == "receptive_field" else "j_out = j_in·s")
    return Judgement("CORRECT", what, f"{label} recursion: one layer appended to {trials} random stacks, equal to "
                     "derive.receptive_field of the longer stack")
