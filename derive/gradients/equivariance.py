r"""Translation equivariance of convolution: the index substitution, and why the
shift must be a multiple of the stride.

A strided convolution (1-D; padding is a shift of the input and changes
nothing here) of a zero-extended input reads ``X`` at ``s·i + d·p``:

.. math:: Y[i] = \sum_{p=0}^{k-1} W[p]\,[0 \le s i + d p \le H-1]\,X[s i + d p].

Shifting the input by ``t`` (``X_t[u] = X[u − t]``) gives reads at
``s·i + d·p − t``. When ``t = s·m`` the substitution
``s·i + d·p − s·m = s·(i − m) + d·p`` turns the sum into ``Y[i − m]``: the output
shifts by ``m = t/s``. When ``s ∤ t`` no output shift can do this, because
``s·i' + d·p − (s·i + d·p − t) = s·(i' − i) + t`` is never 0: the shifted input
is sampled on another residue class mod ``s``. The counterexample ``s = 2,
t = 1, k = 1, W = 1, X = e_0`` (a single 1 at position 0) makes ``Y = e_0`` but
the output of the shifted input identically 0 — no shift of ``Y`` is 0.

Examples
--------
>>> d = equivariance_derivation()
>>> d.verify()
True
>>> [s.status for s in d.steps][2:4]  # the substitution, checked at random sizes and tensors
['numeric', 'numeric']
"""

from __future__ import annotations

import sympy as sp

from ..derivation import checked_once
from .hyper import index_symbol, size_symbol
from ..iverson import Iverson
from .tensor_derivation import TensorDerivation

__all__ = ["equivariance_derivation"]


@checked_once
def equivariance_derivation() -> TensorDerivation:
    """The derivation of the module docstring (shift ``t = s·m``, then the counterexample for ``s ∤ t``)."""
    H, k, s, d = (size_symbol(x) for x in ("H", "k", "s", "d"))
    m = size_symbol("m")
    i, p = index_symbol("i"), index_symbol("p")
    X, W = sp.IndexedBase("X"), sp.IndexedBase("W")
    R = size_symbol("R")  # how many output positions the check looks at

    def conv_at(pos_of_p):
        u = pos_of_p
        return sp.Sum(W[p] * Iverson(sp.And(sp.Ge(u, 0), sp.Le(u, H - 1))) * X[u], (p, 0, k - 1))

    Y = sp.Function("Y")
    Yt = sp.Function("Y_t")
    der = TensorDerivation(
        "Translation equivariance of convolution, and why shifts must be multiples of the stride",
        tensors={X: (H,), W: (k,)}, indices={i: R}, sizes=[H, k, s, d, m, R],
        assumptions=[
            "1-D convolution (cross-correlation) of a zero-extended input X of length H with a kernel W of size k, "
            "stride s, dilation d; padding only shifts the input and is left out",
            "the shift operator: (T_t X)[u] = X[u - t]",
        ],
        domain={"H": (1, 8), "k": (1, 3), "s": (1, 3), "d": (1, 2), "m": (1, 3), "R": (1, 6)},
    )
    der.definitions = {Y: sp.Lambda(i, conv_at(s * i + d * p)), Yt: sp.Lambda(i, conv_at(s * i + d * p - s * m))}
    der.define(Y(i), conv_at(s * i + d * p), "definition: the output reads X at s*i + d*p")
    der.define(Yt(i), conv_at(s * i + d * p - s * m), "definition: the output of the input shifted by t = s*m")
    der.step(Yt(i), conv_at(s * (i - m) + d * p), "factor the stride: s*i + d*p - s*m = s*(i - m) + d*p")
    der.step(Yt(i), Y(i - m), "the definition of Y at i - m: the output shifts by m = t/s (equivariance)")
    # when s does not divide t: the residue classes
    t = index_symbol("t")
    ip = index_symbol("i'")
    der.step(s * ip + d * p - (s * i + d * p - t), s * (ip - i) + t,
             "an output shift i -> i' moves the reads by s*(i' - i) + t, a multiple of s plus t")
    e0 = sp.KroneckerDelta  # X = e_0: a single 1 at position 0, W = [1], k = 1
    der.step(sp.Sum(e0(2 * i + p, 0), (p, 0, 0)), e0(2 * i, 0),
             "counterexample s = 2, k = 1, W = 1, X = e_0: Y[i] = X[2i]")
    der.step(sp.Sum(e0(2 * i + p - 1, 0), (p, 0, 0)), 0,
             "the input shifted by t = 1 is read at 2i - 1, never 0 (odd): its output is 0 for every i")
    der.step(sp.Sum(e0(2 * i + p, 0), (p, 0, 0)).subs(i, 0), 1,
             "but Y[0] = 1: no shift of Y equals the output of the shifted input")
    return der
