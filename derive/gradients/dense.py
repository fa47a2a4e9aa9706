r"""Backward pass of a dense (fully connected) layer, derived from its index sum.

.. math:: Y[n,o] = b[o] + \sum_{i=0}^{F_{in}-1} W[o,i]\,X[n,i]

(PyTorch's ``linear``: weight ``(F_out, F_in)``). The deltas give
``∂L/∂X = G·W``, ``∂L/∂W = Gᵀ·X`` and ``∂L/∂b = Σ_n G``.

Examples
--------
>>> import numpy as np
>>> r = dense_backward("weight")
>>> print(r)
Derivative(L, W[o', i']) = Sum(G[n, o']*X[n, i'], (n, 0, N - 1))
>>> r.evaluate(grad_output=np.array([[1.0], [2.0]]), input=np.array([[1.0, 0.0], [0.0, 1.0]]))
array([[1., 2.]])
"""

from __future__ import annotations

import sympy as sp

from ..derivation import checked_once
from .backward import derive_by_elimination
from .hyper import check_wrt, index_symbol, size_symbol
from .result import Role

__all__ = ["dense_backward"]


@checked_once
def dense_backward(wrt: str = "input"):
    """Derive ``∂L/∂X``, ``∂L/∂W`` or ``∂L/∂b`` of ``Y = X·Wᵀ + b``.

    Parameters
    ----------
    wrt : {"input", "weight", "bias"}

    Returns
    -------
    GradientResult
        ``.evaluate(grad_output=, input=, weight=)`` with PyTorch's shapes
        ``(N, F_out)``, ``(N, F_in)``, ``(F_out, F_in)``.

    Raises
    ------
    ValueError
        ``wrt`` not one of the three.
    """
    check_wrt(wrt, ("input", "weight", "bias"), "dense_backward")
    N, F_in, F_out = size_symbol("N"), size_symbol("F_in"), size_symbol("F_out")
    n, o, i = index_symbol("n"), index_symbol("o"), index_symbol("i")
    X, W, b, G, Y = (sp.IndexedBase(x) for x in ("X", "W", "b", "G", "Y"))
    y_def = b[o] + sp.Sum(W[o, i] * X[n, i], (i, 0, F_in - 1))
    loss_sum = sp.Sum(G[n, o] * Y[n, o], (n, 0, N - 1), (o, 0, F_out - 1))
    roles = (Role("grad_output", G, (N, F_out)), Role("input", X, (N, F_in)),
             Role("weight", W, (F_out, F_in)), Role("bias", b, (F_out,)))
    n1, o1, i1 = index_symbol("n'"), index_symbol("o'"), index_symbol("i'")
    entry, free = {
        "input": (X[n1, i1], ((n1, N), (i1, F_in))),
        "weight": (W[o1, i1], ((o1, F_out), (i1, F_in))),
        "bias": (b[o1], ((o1, F_out),)),
    }[wrt]
    return derive_by_elimination(
        name=f"dense.grad_{wrt}",
        title=f"Gradient of a dense layer with respect to the {wrt}",
        y_entry=Y[n, o],
        y_def=y_def,
        y_why="definition: a dense layer (PyTorch linear, weight of shape (F_out, F_in))",
        loss=sp.Symbol("L"),
        loss_sum=loss_sum,
        entry=entry,
        prefer=[n, o, i],
        free=free,
        roles=roles,
        sizes=[N, F_in, F_out],
        assumptions=["X has shape (N, F_in), W (F_out, F_in), b (F_out,), G = dL/dY (N, F_out)"],
        domain={"N": (1, 3), "F_in": (1, 4), "F_out": (1, 4)},
    )
