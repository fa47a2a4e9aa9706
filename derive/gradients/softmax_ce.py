r"""Gradient of softmax + cross-entropy with respect to the logits, derived.

.. math:: L = -\frac{1}{N}\sum_{n=0}^{N-1}\sum_{k=0}^{K-1} T[n,k]\,
    \Big(Z[n,k] - \log \sum_{j=0}^{K-1} e^{Z[n,j]}\Big)

(mean over the batch, as PyTorch's ``cross_entropy``; ``T`` a target
distribution per row — one-hot for class labels). SymPy differentiates the
index sum; the deltas collapse the sums over ``n`` and ``k`` and, inside the
log-sum-exp, over ``j``; with ``Σ_k T[n,k] = 1`` the result is
``(softmax(Z) − T)/N``.

Examples
--------
>>> import numpy as np
>>> r = softmax_ce_backward()
>>> g = r.evaluate(input=np.zeros((1, 2)), target=np.array([[1.0, 0.0]]))
>>> g
array([[-0.5,  0.5]])
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..derivation import checked_once
from .index_sum import eliminate_deltas
from .result import GradientResult, Role
from .hyper import check_wrt, index_symbol, size_symbol
from .tensor_derivation import TensorDerivation

__all__ = ["softmax_ce_backward"]


def _distribution_rows(rng, shape):
    p = rng.random(shape) + 0.05
    return p / p.sum(axis=-1, keepdims=True)


@checked_once
def softmax_ce_backward(reduction: str = "mean") -> GradientResult:
    r"""Derive ``∂L/∂Z`` of cross-entropy after softmax.

    Parameters
    ----------
    reduction : {"mean", "sum"}
        Divide the summed loss by the batch size ``N`` (PyTorch's default) or not.

    Returns
    -------
    GradientResult
        ``.evaluate(input=logits (N, K), target=(N, K) distributions)``; a target
        of integer class labels ``(N,)`` is read as one-hot rows.

    Raises
    ------
    ValueError
        An unknown ``reduction``.
    """
    check_wrt(reduction, ("mean", "sum"), "softmax_ce_backward", "reduction")
    N, K = size_symbol("N"), size_symbol("K")
    n, k, j = index_symbol("n"), index_symbol("k"), index_symbol("j")
    Z, T = sp.IndexedBase("Z"), sp.IndexedBase("T")
    L = sp.Symbol("L")
    lse = sp.log(sp.Sum(sp.exp(Z[n, j]), (j, 0, K - 1)))
    scale = 1 / N if reduction == "mean" else sp.Integer(1)
    loss = -scale * sp.Sum(T[n, k] * (Z[n, k] - lse), (n, 0, N - 1), (k, 0, K - 1))
    n1, k1 = index_symbol("n'"), index_symbol("k'")
    entry = Z[n1, k1]
    free = ((n1, N), (k1, K))
    d = TensorDerivation(
        f"Gradient of softmax cross-entropy ({reduction} over the batch) with respect to the logits",
        tensors={Z: (N, K), T: (N, K)}, indices=dict(free), sizes=[N, K], definitions={L: loss},
        generators={"T": _distribution_rows}, assumptions=[
            "logits Z of shape (N, K); each row of the target T is a distribution (sum_k T[n,k] = 1), "
            "one-hot for class labels",
            "log softmax(Z)[n,k] = Z[n,k] - log sum_j exp(Z[n,j])"],
        domain={"N": (1, 3), "K": (1, 4)}, fd_step=1e-5, rtol=1e-6,
    )
    d.define(L, loss, f"definition: cross-entropy of softmax(Z) against T, {reduction} over the batch")
    dloss = sp.Derivative(L, entry)
    raw = sp.diff(loss, entry)
    d.step(dloss, raw, "chain rule: d log(S)/dZ = (dS/dZ)/S, dZ[n,k]/dZ[n',k'] = delta(n,n') delta(k,k') "
                       "(SymPy diff of the index sum)")
    elim = eliminate_deltas(raw, [n, k, j], free_ranges={n1: (0, N - 1), k1: (0, K - 1)})
    for expr, why in elim.terms:
        d.step(dloss, expr, why)
    softmax = sp.exp(Z[n1, k1]) / sp.Sum(sp.exp(Z[n1, j]), (j, 0, K - 1))
    d.define(sp.Sum(T[n1, k], (k, 0, K - 1)), 1, "assumption: the targets of a row form a distribution")
    result = scale * (softmax - T[n1, k1])
    d.step(dloss, result, "use sum_k T[n',k] = 1: softmax minus target")
    return GradientResult(
        name="softmax_ce.grad_input", lhs=dloss, expr=result, derivation=d,
        roles=(Role("input", Z, (N, K)), Role("target", T, (N, K))), free=free,
        preprocess={"target": _one_hot_if_labels},
    )


def _one_hot_if_labels(target, others):
    target = np.asarray(target)
    if target.ndim == 1:
        logits = np.asarray(others["input"])
        if not np.issubdtype(target.dtype, np.integer):
            raise TypeError(f"class labels must be integers, got dtype {target.dtype}")
        if target.size and (target.min() < 0 or target.max() >= logits.shape[1]):
            raise ValueError(f"class labels must lie in 0..K-1 = 0..{logits.shape[1] - 1}, got {target.min()}..{target.max()}")
        return np.eye(logits.shape[1])[target]
    return target
