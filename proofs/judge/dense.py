r"""Dense layers in matrix form: ``z = Wa + b``, ``∂L/∂W = δ aᵀ``, ``∂L/∂a = Wᵀδ``, ``δ = Wᵀδ′ ⊙ σ′(z)``.

Every vector and matrix of the formula gets a random value of the size its layer gives it
(``a^{(l−1)}`` has the size of layer l − 1, ``W^{(l)}`` is (size of l) × (size of l − 1), three
different sizes so that a product in the wrong shape cannot pass), and the formula is evaluated as
written; the truth comes from :func:`numeric.linear` / :func:`numeric.linear_backward` and the
activation's backward (:mod:`numeric`). SymPy's products commute, so the order of a product is the
one whose shapes agree; when no order agrees, the formula is wrong in shape (its result could not be
the gradient asked for); when two orders agree with different values, it is not judged.

Recognised names: weights ``W``/``Θ`` (upper case), biases ``b``, pre-activations ``z``, activations
``a``/``h``/``x``, errors ``δ`` (``δ^{(l)} = ∂L/∂z^{(l)}``), each with an optional layer
superscript ``(l)``, ``(l−1)``, ``(l+1)``.

Examples
--------
>>> from proofs.document import parse_math
>>> seen = {}  # what the document established (its forward formula fixes the convention W: outputs × inputs)
>>> p = parse_math(r"z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}")
>>> judge_dense(p.sides, p.relations, aliases=seen).verdict
'CORRECT'
>>> p = parse_math(r"\frac{\partial L}{\partial W^{(l)}} = \delta^{(l)} (a^{(l-1)})^T")
>>> judge_dense(p.sides, p.relations, aliases=seen).verdict
'CORRECT'
>>> p = parse_math(r"\frac{\partial L}{\partial a^{(l-1)}} = W^{(l)} \delta^{(l)}")
>>> judge_dense(p.sides, p.relations, aliases=seen).verdict
'INCORRECT'
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .judgement import Judgement

__all__ = ["judge_dense"]

#: size of the layer at each offset from l (all different: a wrong shape cannot pass)
_SIZES = {-1: 2, 0: 3, 1: 4}
_VECTOR = {"a": "act", "h": "act", "x": "act", "y": "out", "z": "pre", "b": "bias", "delta": "err"}
_MATRIX = ("W", "Theta")


#: key under which the document's dense-layer convention is remembered (in the formula context's aliases)
CONVENTION = "dense:convention"


class _Skip(Exception):
    pass


def _parse_name(name: str):
    """``(base, layer offset)`` of ``W^(l)``, ``a^(l-1)``, ``delta^(l+1)``, ``z`` — or None."""
    m = re.fullmatch(r"([A-Za-z]+)(?:\^\((l|k)([+-]1)?\))?", name)
    if not m:
        return None
    if m.group(2) is None:  # no layer written: the input a/x is one layer below the output z/h/y
        base = "z" if m.group(1) in ("h", "y") else m.group(1)  # h = Wa: the layer's output, before any activation
        return base, -1 if base in ("a", "x") else 0
    return m.group(1), int(m.group(3) or 0)


def _leaf(e):
    """The named vector or matrix ``e`` is (a Symbol with a known base), or None."""
    if isinstance(e, sp.Symbol):
        got = _parse_name(e.name)
        if got and (got[0] in _VECTOR or got[0] in _MATRIX):
            return got
    return None


class _Values:
    """Random values of the formula's vectors and matrices, and the truths computed from them by numeric."""

    def __init__(self, act: str):
        self.rng = np.random.default_rng(11)
        self.cache: dict = {}
        self.act = act

    def size(self, off):
        if off not in _SIZES:
            raise _Skip
        return _SIZES[off]

    def get(self, base, off):
        key = (base, off)
        if key not in self.cache:
            if base in _MATRIX:
                val = self.rng.standard_normal((self.size(off), self.size(off - 1)))
            elif base in ("a", "h", "x") and ("z", off) in self.cache and self.act:
                val = self._f(self.cache[("z", off)])
            else:
                val = self.rng.standard_normal((self.size(off), 1))
            self.cache[key] = val
        return self.cache[key]

    def _f(self, z):
        import numeric

        return getattr(numeric, self.act)(z)

    def f_prime(self, z):
        import numeric

        return getattr(numeric, f"{self.act}_backward")(np.ones_like(z), z)


def _evaluate(e, vals: _Values, grads: dict):
    """Value of a matrix expression (column vectors), products in the only order whose shapes agree."""
    leaf = _leaf(e)
    if leaf is not None:
        return vals.get(*leaf)
    if e.is_Number:
        return float(e)
    if isinstance(e, sp.Derivative) and len(e.variables) == 1:
        target = _leaf(e.variables[0])
        if str(e.expr) in ("L", "E", "J", "C", "F", "ell") and target is not None and target in grads:
            return grads[target]()
        raise _Skip
    if isinstance(e, AppliedUndef):
        name = str(e.func.__name__)
        if name == "transpose" and len(e.args) == 1:
            v = _evaluate(e.args[0], vals, grads)
            return v.T if isinstance(v, np.ndarray) else v
        if name == "hadamard" and len(e.args) == 2:
            a, b = (_evaluate(x, vals, grads) for x in e.args)
            if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape):
                raise _Mismatch("⊙ of arrays of different shapes")
            return a * b
        if name.endswith("'") and len(e.args) == 1 and vals.act:
            z = _evaluate(e.args[0], vals, grads)
            return vals.f_prime(z)
        raise _Skip
    if isinstance(e, sp.Add):
        parts = [_evaluate(a, vals, grads) for a in e.args]
        shapes = {p.shape for p in parts if isinstance(p, np.ndarray)}
        if len(shapes) > 1:
            raise _Mismatch("a sum of arrays of different shapes")
        return sum(parts)
    if isinstance(e, sp.Mul):
        scal = 1.0
        mats = []
        for a in e.args:
            v = _evaluate(a, vals, grads)
            if isinstance(v, np.ndarray):
                mats.append(v)
            else:
                scal *= v
        if len(mats) > 4:
            raise _Skip
        results = []
        for order in itertools.permutations(range(len(mats))):
            acc = mats[order[0]] if mats else None
            ok = True
            for i in order[1:]:
                if acc.shape[1] != mats[i].shape[0]:
                    ok = False
                    break
                acc = acc @ mats[i]
            if ok and acc is not None:
                results.append(acc)
        if not mats:
            return scal
        if not results:
            raise _Mismatch("no order of the product has agreeing shapes")
        if any(r.shape != results[0].shape or not np.allclose(r, results[0]) for r in results[1:]):
            raise _Skip  # two readings of the product: not judged
        return scal * results[0]
    raise _Skip


class _Mismatch(Exception):
    pass


def _truth(lhs, vals: _Values, aliases: dict):
    """The true value of the left side (a forward output, a gradient, an error δ) and its name, or raise _Skip."""
    import numeric

    def grad_of(target):
        base, off = target
        delta = vals.get("delta", off if base != "a" and base not in ("h", "x") else off + 1)
        if base in _MATRIX:
            a = vals.get("a", off - 1)
            _, gw, _ = numeric.linear_backward(delta.T, a.T, vals.get(base, off))
            return gw, f"∂L/∂{base} = δ·aᵀ (numeric.linear_backward)"
        if base == "b":
            return vals.get("delta", off), "∂L/∂b = δ (numeric.linear_backward)"
        if base == "z":
            return vals.get("delta", off), "∂L/∂z = δ, by the definition of δ"
        if base in ("a", "h", "x"):
            w = vals.get("W", off + 1)
            gx, _, _ = numeric.linear_backward(delta.T, vals.get(base, off).T, w)
            return gx.T, "∂L/∂a = Wᵀ·δ (numeric.linear_backward)"
        raise _Skip

    grads = {}
    for base in list(_VECTOR) + list(_MATRIX):
        for off in _SIZES:
            grads[(base, off)] = (lambda b=base, o=off: grad_of((b, o))[0])
    if isinstance(lhs, sp.Derivative) and len(lhs.variables) == 1 and str(lhs.expr) in ("L", "E", "J", "C", "F", "ell"):
        target = _leaf(lhs.variables[0])
        if target is None:
            raise _Skip
        val, how = grad_of(target)
        return val, how, grads
    leaf = _leaf(lhs)
    if leaf is None:
        raise _Skip
    base, off = leaf
    if base == "delta":
        if not vals.act:
            raise _Skip
        w = vals.get("W", off + 1)
        z = vals.get("z", off)
        gx, _, _ = numeric.linear_backward(vals.get("delta", off + 1).T, vals.get("a", off).T, w)
        return gx.T * vals.f_prime(z), f"δ^(l) = (W^(l+1))ᵀ δ^(l+1) ⊙ {vals.act}′(z^(l)) (numeric)", grads
    if base in ("z", "h", "y"):
        raise _Forward(base, off)
    raise _Skip


class _Forward(Exception):
    def __init__(self, base, off):
        super().__init__(base)
        self.base, self.off = base, off


def _forward(lhs, rhs, vals, seen: dict):
    """``z = W a + b``: the product of one matrix and one vector (plus a bias) against numeric.linear."""
    import numeric

    leaves = [_leaf(s) for s in rhs.free_symbols]
    if None in leaves:
        return None
    mats = [lf for lf in leaves if lf[0] in _MATRIX]
    vecs = [lf for lf in leaves if lf[0] not in _MATRIX and lf[0] != "b"]
    bias = [lf for lf in leaves if lf[0] == "b"]
    if len(mats) != 1 or len(vecs) != 1 or len(bias) > 1 or rhs.has(AppliedUndef):
        return None
    base, off = _leaf(lhs)
    w = vals.get(*mats[0])
    a = vals.get(*vecs[0])
    b = vals.get(*bias[0]) if bias else None
    if w.shape[1] != a.shape[0]:
        return None  # the layers of the names do not fit z^(l) = W^(l) a^(l−1): another convention
    if any(isinstance(n, AppliedUndef) and str(n.func.__name__) == "transpose" for n in sp.preorder_traversal(rhs)):
        return None
    want = numeric.linear(a.T, w, None if b is None else b.ravel()).T
    try:
        got = _evaluate(rhs, vals, {})
    except (_Skip, _Mismatch):
        return None
    seen[CONVENTION] = "W is (outputs × inputs): z = W·a"
    if got.shape == want.shape and np.allclose(got, want):
        return Judgement("CORRECT", "dense", f"dense layer {lhs} = {sp.sstr(rhs)}: evaluated as written on random "
                         "values, equal to numeric.linear", expected="z = W·a + b")
    i = int(np.argmax(np.abs(got - want).ravel())) if got.shape == want.shape else 0
    return Judgement("INCORRECT", "dense", f"dense layer evaluated as written: entry {i} is "
                     f"{got.ravel()[i]:.6g}, numeric.linear gives {want.ravel()[i]:.6g}",
                     counterexample={"entry": i, "document": float(got.ravel()[i]), "expected": float(want.ravel()[i])},
                     expected="z = W·a + b")


def judge_dense(sides, relations, context: str = "", aliases: dict | None = None) -> Judgement | None:
    """Judge a chain ``lhs = side = …`` about a dense layer; None when it is not one."""
    if not relations or any(r != "=" for r in relations):
        return None
    lhs = sides[0]
    names = {str(s) for side in sides for s in side.free_symbols}
    if not any(_leaf(sp.Symbol(n)) and _parse_name(n)[0] in _MATRIX for n in names) and not any(
            n.startswith("delta") for n in names):
        return None
    if any(_leaf(sp.Symbol(n)) is None and n not in ("L", "E", "J", "C", "F", "ell") for n in names):
        return None
    low = context.lower()
    act = "relu" if re.search(r"\brelu\b", low) else "sigmoid"
    vals = _Values(act)
    try:
        want, how, grads = _truth(lhs, vals, aliases or {})
    except _Forward:
        if len(sides) != 2:
            return None
        return _forward(lhs, sides[1], vals, aliases if aliases is not None else {})
    except _Skip:
        return None
    checked = 0
    for n, side in enumerate(sides[1:], start=1):
        try:
            got = _evaluate(side, vals, grads)
        except _Skip:
            continue
        except _Mismatch as exc:
            if not (aliases or {}).get(CONVENTION):
                return Judgement("UNRECOGNIZED", "dense", f"side {n + 1}: {exc} with W as (outputs × inputs); the "
                                 "document states no forward formula z = W·a that fixes this convention")
            return Judgement("INCORRECT", "dense", f"side {n + 1}: {exc}, so it cannot be {lhs} (shape "
                             f"{want.shape[0]}×{want.shape[1]}); {how}", expected=how.split(" (")[0],
                             counterexample={"layer sizes": {f"l{o:+d}" if o else "l": s for o, s in _SIZES.items()},
                                             "expected shape": list(want.shape)})
        if not isinstance(got, np.ndarray) or got.shape != want.shape:
            if not (aliases or {}).get(CONVENTION):
                return Judgement("UNRECOGNIZED", "dense", f"side {n + 1} has shape {getattr(got, 'shape', ())} with W "
                                 "as (outputs × inputs); the document states no forward formula z = W·a that fixes "
                                 "this convention")
            return Judgement("INCORRECT", "dense", f"side {n + 1} has shape {getattr(got, 'shape', ())}, "
                             f"{lhs} has shape {want.shape}; {how}", expected=how.split(" (")[0],
                             counterexample={"layer sizes": {f"l{o:+d}" if o else "l": s for o, s in _SIZES.items()},
                                             "document shape": list(getattr(got, "shape", ())),
                                             "expected shape": list(want.shape)})
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            i = int(np.argmax(np.abs(got - want).ravel()))
            return Judgement("INCORRECT", "dense", f"side {n + 1} evaluated on random values: entry {i} is "
                             f"{got.ravel()[i]:.6g}, the truth {want.ravel()[i]:.6g}; {how}",
                             expected=how.split(" (")[0],
                             counterexample={"entry": i, "document": float(got.ravel()[i]),
                                             "expected": float(want.ravel()[i])})
        checked += 1
    if not checked:
        return None
    return Judgement("CORRECT", "dense", f"{checked} side(s) evaluated on random values of distinct layer sizes, "
                     f"equal to the truth: {how}", expected=how.split(" (")[0])
