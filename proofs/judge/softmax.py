r"""Softmax formulas evaluated as written: its definition and its Jacobian, against :mod:`numeric`.

* ``softmax(z)_i = e^{z_i} / Σ_j e^{z_j}``, ``p_i = exp(z_i)/Σ_k exp(z_k)``, ``σ(z)_j = …``, ``S(y_i) = …``:
  evaluated for every entry of a random vector of ``K = 4`` logits (sums with bounds ``1…K``,
  ``0…K−1`` or none) and compared with the softmax, which is ``numeric.softmax_cross_entropy_backward``
  plus the one-hot target (the gradient of the summed cross-entropy with respect to the logits);
* the Jacobian ``∂p_i/∂z_j = p_i (δ_ij − p_j)``: evaluated for every ``(i, j)`` against
  ``p_i δ_ij − p_i p_j``, the derivative of the same softmax (checked by finite differences in the tests).

Only where the prose or the left side names the softmax.

Examples
--------
>>> from proofs.document import parse_math
>>> p = parse_math(r"\mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}")
>>> judge_softmax(p.sides[0], p.sides[1]).verdict
'CORRECT'
>>> p = parse_math(r"\frac{\partial p_i}{\partial z_j} = p_i(\delta_{ij} + p_j)")
>>> judge_softmax(p.sides[0], p.sides[1], "the softmax output p").verdict
'INCORRECT'
"""

from __future__ import annotations

import re

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .judgement import Judgement
from .normalization import evaluate_vector_formula
from .subscripts import subscripts_as_indices

__all__ = ["judge_softmax"]

_K = 4
_PROSE = re.compile(r"soft-?\s?max|normali[sz]ed exponential")


def _softmax(z: np.ndarray) -> np.ndarray:
    import numeric

    label = np.array([0])
    grad = numeric.softmax_cross_entropy_backward(np.ones(()), z.reshape(1, -1), label, reduction="sum")[0]
    return grad + np.eye(len(z))[0]


def _entry_letter(lhs):
    """The output index of the left side and the left side's name: ``at(softmax(z), i)``, ``p_i``, ``S(y_i)``."""
    if isinstance(lhs, AppliedUndef) and str(lhs.func.__name__) == "at" and len(lhs.args) == 2 and lhs.args[1].is_Symbol:
        inner = lhs.args[0]
        return str(lhs.args[1]), str(inner.func.__name__) if isinstance(inner, AppliedUndef) else ""
    if isinstance(lhs, AppliedUndef) and len(lhs.args) == 1 and lhs.args[0].is_Symbol:
        m = re.fullmatch(r"[A-Za-z]+_([a-z])", lhs.args[0].name)
        return (m.group(1), str(lhs.func.__name__)) if m else None
    if lhs.is_Symbol:
        m = re.fullmatch(r"(.+)_([a-z])", lhs.name)
        return (m.group(2), m.group(1)) if m else None
    return None


def judge_softmax(lhs, rhs, context: str = "") -> Judgement | None:
    """Judge ``lhs = rhs`` as the softmax or its Jacobian; None when it is neither."""
    low = context.lower()
    if isinstance(lhs, sp.Derivative):
        return _jacobian(lhs, rhs, low)
    got = _entry_letter(lhs)
    if got is None or not rhs.has(sp.Sum) or not rhs.has(sp.exp):
        return None
    letter, name = got
    if not (_PROSE.search(low) or _PROSE.search(name.lower())):
        return None
    sums = {str(v) for s in rhs.atoms(sp.Sum) for v, *_ in s.limits}
    _, body = subscripts_as_indices(sp.Symbol("y"), rhs, extra="".join(sorted(sums)) + letter)
    bases = {str(b.label) for b in body.atoms(sp.IndexedBase)}
    sizes = {s.name for s in body.free_symbols if s.is_Symbol} - bases - sums - {letter}
    if len(bases) != 1 or len(sizes) > 1 or any(not re.fullmatch(r"[A-Z]|n", x) for x in sizes):
        return None
    one_based = any(lo == 1 for s in body.atoms(sp.Sum) for _, lo, _ in s.limits)
    z = np.random.default_rng(5).normal(size=_K)
    want = _softmax(z)
    shift = 1 if one_based else 0
    vec = np.concatenate([np.zeros(shift), z]) if shift else z
    values = {s: _K for s in sizes}
    doc = []
    try:
        for i in range(_K):
            doc.append(evaluate_vector_formula(body, {**values, letter: i + shift}, vec, first=shift))
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, IndexError):
        return None
    bad = [i for i in range(_K) if not np.isclose(doc[i], want[i], rtol=1e-9, atol=1e-12)]
    if not bad:
        return Judgement("CORRECT", "softmax", f"softmax evaluated as written on {_K} logits, equal to numeric's "
                         "(the gradient of cross-entropy plus the one-hot target)", expected="e^{z_i} / Σ_j e^{z_j}")
    i = bad[0]
    return Judgement("INCORRECT", "softmax", f"softmax evaluated as written: entry {i + shift} is {doc[i]:.6g}, the "
                     f"softmax is {want[i]:.6g}", counterexample={"logits": [round(float(v), 6) for v in z],
                                                                  "entry": i + shift, "document": doc[i],
                                                                  "expected": float(want[i])},
                     expected="e^{z_i} / Σ_j e^{z_j}")


def _jacobian(lhs, rhs, low: str):
    if len(lhs.variables) != 1 or not lhs.expr.is_Symbol or not lhs.variables[0].is_Symbol:
        return None
    top = re.fullmatch(r"(.+)_([a-z])", lhs.expr.name)
    bottom = re.fullmatch(r"(.+)_([a-z])", lhs.variables[0].name)
    if not top or not bottom or top.group(2) == bottom.group(2) or not _PROSE.search(low):
        return None
    p, i, zname, j = top.group(1), top.group(2), bottom.group(1), bottom.group(2)
    delta = {s: sp.KroneckerDelta(sp.Symbol(i), sp.Symbol(j)) for s in rhs.free_symbols
             if s.is_Symbol and re.fullmatch(rf"delta_({i}{j}|{j}{i})", s.name)}
    body = rhs.xreplace(delta)
    others = {s.name for s in body.free_symbols if s.is_Symbol} - {i, j}
    if not others <= {f"{p}_{i}", f"{p}_{j}"} or not others:
        return None
    z = np.random.default_rng(5).normal(size=_K)
    s = _softmax(z)
    for a in range(_K):
        for b in range(_K):
            vals = {sp.Symbol(i): a, sp.Symbol(j): b, sp.Symbol(f"{p}_{i}"): s[a], sp.Symbol(f"{p}_{j}"): s[b]}
            try:
                got = float(sp.N(body.xreplace(vals)))
            except (TypeError, ValueError):
                return None
            want = s[a] * (a == b) - s[a] * s[b]
            if not np.isclose(got, want, rtol=1e-9, atol=1e-12):
                return Judgement("INCORRECT", "softmax", f"Jacobian of the softmax evaluated as written: entry "
                                 f"({a}, {b}) is {got:.6g}, the derivative is {want:.6g}",
                                 counterexample={"logits": [round(float(v), 6) for v in z], i: a, j: b,
                                                 "document": got, "expected": float(want)},
                                 expected=f"{p}_{i}(δ_{i}{j} − {p}_{j})")
    return Judgement("CORRECT", "softmax", f"Jacobian of the softmax evaluated as written for every ({i}, {j}) of "
                     f"{_K} logits: {p}_{i}(δ_{i}{j} − {p}_{j})", expected=f"{p}_{i}(δ_{i}{j} − {p}_{j})")
