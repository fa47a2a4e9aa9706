r"""Local response normalisation formulas, evaluated as written against :func:`numeric.lrn.local_response_norm`.

``b_c = a_c / (k + α Σ_{j=max(0, c−n/2)}^{min(N−1, c+n/2)} a_j²)^β`` (AlexNet), with ``α/n`` (PyTorch,
Caffe), with a depth radius ``r`` (TensorFlow: ``j`` from ``c − r`` to ``c + r``), with the channel as a
superscript (``b^i_{x,y}``, read ``a^j`` as channel ``j`` of ``a``). The formula is evaluated on a random
vector of ``N = 7`` channels for every channel ``c`` and the window sizes ``n = 5`` and ``n = 3``
(``r = (n − 1)/2``); a bound such as ``c − n/2`` that is not a whole number keeps the integers inside
the bounds; channels outside ``0…N−1`` are zero. It is CORRECT when it equals numeric LRN under one of
the two conventions (``α`` or ``α/n`` — the formula shows which it uses), INCORRECT with the channel
and both values when it equals neither. Only formulas whose prose names local response normalisation.

Examples
--------
>>> from proofs.document import parse_math
>>> p = parse_math(r"b_c = \frac{a_c}{(k + \alpha \sum_{j=\max(0, c-n/2)}^{\min(N-1, c+n/2)} a_j^2)^\beta}")
>>> judge_lrn(p.sides[0], p.sides[1], "local response normalization").verdict
'CORRECT'
>>> p = parse_math(r"b_c = \frac{a_c}{(k + \alpha \sum_{j=\max(0, c-n)}^{\min(N-1, c+n)} a_j^2)^\beta}")
>>> j = judge_lrn(p.sides[0], p.sides[1], "LRN")
>>> j.verdict, j.counterexample["n"]
('INCORRECT', 5)
"""

from __future__ import annotations

import math
import re

import numpy as np
import sympy as sp

from .judgement import Judgement
from .subscripts import subscripts_as_indices

__all__ = ["judge_lrn", "evaluate_vector_formula"]

_PROSE = re.compile(r"local\s+response|\blrn\b|response[- ]normali[sz]")
_ROLE = {"k": "k", "bias": "k", "kappa": "k", "alpha": "alpha", "beta": "beta", "n": "n", "size": "n",
         "localsize": "n", "N": "N", "C": "N", "M": "N", "r": "r", "depthradius": "r"}
_CHANNELS = 7


def _channel_entries(e, letters: set):
    """``a[x, y]**i`` (a superscript channel) → ``a[i]``; ``a[x, y]**(2*j)`` → ``a[j]**2``."""
    def visit(node):
        if isinstance(node, sp.Pow) and isinstance(node.base, (sp.Indexed, sp.Symbol)):
            coeff, rest = node.exp.as_coeff_Mul()
            if rest.is_Symbol and str(rest) in letters and coeff.is_Integer:
                name = str(node.base.base.label) if isinstance(node.base, sp.Indexed) else str(node.base)
                return sp.IndexedBase(name)[rest] ** int(coeff)
        if node.args:
            return node.func(*[visit(a) for a in node.args])
        return node
    return visit(e)


def _sum_letters(e) -> set:
    return {str(v) for s in e.atoms(sp.Sum) for v, *_ in s.limits}


def evaluate_vector_formula(e, values: dict, vec: np.ndarray, first: int = 0) -> float:
    """``e`` with scalars ``values``, ``a[j]`` the vector's entry (zero outside), sums over the integers in bounds
    (a sum without bounds runs over the whole vector, whose first entry is ``first``)."""
    def val(node):
        if isinstance(node, sp.Sum):
            (v, lo, hi), = node.limits
            lo_v = first if lo == -sp.oo else float(val(lo))
            hi_v = len(vec) - 1 if hi == sp.oo else float(val(hi))
            total = 0.0
            for jj in range(math.ceil(lo_v - 1e-9), math.floor(hi_v + 1e-9) + 1):
                total += float(val(node.function.xreplace({v: sp.Integer(jj)})))
            return sp.Float(total)
        if isinstance(node, sp.Indexed):
            (ix,) = node.indices
            j = int(round(float(val(ix))))
            return sp.Float(float(vec[j]) if 0 <= j < len(vec) else 0.0)
        if node.is_Symbol:
            if node.name not in values:
                raise ValueError(f"unknown symbol {node}")
            return sp.Float(values[node.name])
        if node.args:
            return node.func(*[val(a) for a in node.args])
        return node
    out = complex(sp.N(val(e)))
    if abs(out.imag) > 1e-12:
        raise ValueError("not real")
    return out.real


def judge_lrn(lhs, rhs, context: str = "") -> Judgement | None:
    """Judge ``lhs = rhs`` as local response normalisation across channels; None when it is not one."""
    from numeric.lrn import local_response_norm

    if not _PROSE.search(context.lower()) or not rhs.has(sp.Sum) or not rhs.has(sp.Pow):
        return None
    sums = _sum_letters(rhs)
    top = None
    if isinstance(lhs, sp.Pow) and lhs.exp.is_Symbol:  # b^i_{x,y}: the channel is the superscript
        top = str(lhs.exp)
    letters = sums | ({top} if top else set())
    lhs, rhs = _channel_entries(lhs, letters), _channel_entries(rhs, letters)
    own = re.fullmatch(r"[A-Za-z]+_([a-z])", str(lhs)) if lhs.is_Symbol else None  # y_m: m is the channel
    lhs, rhs = subscripts_as_indices(lhs, rhs, extra="".join(sorted(letters)) + (own.group(1) if own else "c"))
    if not isinstance(lhs, sp.Indexed) or len(lhs.indices) != 1 or not lhs.indices[0].is_Symbol:
        return None
    channel = lhs.indices[0]
    bases = {str(b.label) for b in rhs.atoms(sp.IndexedBase)}
    if len(bases) != 1 or any(len(x.indices) != 1 for x in rhs.atoms(sp.Indexed)):
        return None
    scalars = {s.name for s in rhs.free_symbols if s.is_Symbol} - {channel.name} - sums - bases
    roles = {s: _ROLE.get(re.sub(r"[_\W]", "", s).lower() if len(s) > 1 else s) for s in scalars}
    if None in roles.values() or len(set(roles.values())) != len(roles) or "beta" not in roles.values():
        return None
    one_based = any(isinstance(m, sp.Min) and any(a.is_Symbol and roles.get(a.name) == "N" for a in m.args)
                    for m in rhs.atoms(sp.Min))
    rng = np.random.default_rng(11)
    vec = rng.normal(size=_CHANNELS)
    k, alpha, beta = 2.0, 0.3, 0.75
    results = {}
    for n in (5, 3):
        values = {s: {"k": k, "alpha": alpha, "beta": beta, "n": n, "N": _CHANNELS, "r": (n - 1) // 2}[r]
                  for s, r in roles.items()}
        shift = 1 if one_based else 0
        padded = np.concatenate([np.zeros(shift), vec])
        try:
            doc = [evaluate_vector_formula(rhs, {**values, channel.name: c + shift}, padded) for c in range(_CHANNELS)]
        except (ValueError, TypeError, ZeroDivisionError, OverflowError, IndexError):
            return None
        for over_n in (False, True):
            want = local_response_norm(vec.reshape(1, -1), n, alpha, beta, k, alpha_over_n=over_n)[0]
            bad = [c for c in range(_CHANNELS) if not np.isclose(doc[c], want[c], rtol=1e-9, atol=1e-12)]
            results[(n, over_n)] = (bad, doc, want)
    for over_n in (False, True):
        if not results[(5, over_n)][0] and not results[(3, over_n)][0]:
            return Judgement("CORRECT", "normalization", f"local response normalisation evaluated as written on "
                             f"{_CHANNELS} channels for n = 5 and n = 3: equal to numeric.local_response_norm with "
                             f"{'α/n' if over_n else 'α'} (k = {k:g}, α = {alpha:g}, β = {beta:g})",
                             expected="a_c / (k + α' Σ_{j=max(0,c−⌊n/2⌋)}^{min(N−1,c+⌊n/2⌋)} a_j²)^β")
    bad, doc, want = results[(5, False)]
    c = bad[0]
    return Judgement("INCORRECT", "normalization", f"local response normalisation evaluated as written: channel "
                     f"{c + (1 if one_based else 0)} of {_CHANNELS} with n = 5 gives {doc[c]:.6g}, numeric gives "
                     f"{want[c]:.6g} with α (or {results[(5, True)][2][c]:.6g} with α/n)",
                     counterexample={"input": [round(float(v), 6) for v in vec], "n": 5, "k": k, "alpha": alpha,
                                     "beta": beta, "channel": c, "document": doc[c], "expected": float(want[c])},
                     expected="a_c / (k + α' Σ_{j=max(0,c−⌊n/2⌋)}^{min(N−1,c+⌊n/2⌋)} a_j²)^β")
