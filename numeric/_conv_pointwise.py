"""The 1×1 convolution as plain matrix products on the NCHW layout (private).

A 1×1 kernel with stride 1 and no padding mixes channels pixel by pixel:
with ``X[n]`` read as the ``C_in × (H·W)`` matrix it already is in memory,

.. math:: Y[n] = W X[n], \\qquad \\frac{\\partial L}{\\partial X[n]} = W^T G[n], \\qquad
          \\frac{\\partial L}{\\partial W} = \\sum_n G[n] X[n]^T

(``W`` read as ``C_out × C_in``). No patch matrix is unfolded and no
operand or result is transposed in memory: NumPy's ``matmul`` runs one BLAS
product per sample straight on the arrays (on the ResNet-50 bottleneck
8×256×56×56 → 64 the unfolding alone copied 26 MB per call). The
weight-gradient's products are ``X[n] G[n]ᵀ`` (the long pixel axis inner in
both operands, BLAS's fastest case here), summed over the batch and
transposed back.

Examples
--------
>>> import numpy as np
>>> x = np.arange(8.0).reshape(1, 2, 2, 2)
>>> w = np.array([[1.0, 10.0]]).reshape(1, 2, 1, 1)
>>> y = np.empty((1, 1, 2, 2))
>>> pointwise_forward(x, w, y)[0, 0]
array([[40., 51.],
       [62., 73.]])
>>> pointwise_grad_weight(np.ones((1, 1, 2, 2)), x).ravel()
array([ 6., 22.])
"""

from __future__ import annotations

import numpy as np

__all__ = ["pointwise_applies", "pointwise_forward", "pointwise_grad_input", "pointwise_grad_weight"]


def pointwise_applies(geo, groups: int) -> bool:
    """Whether the convolution is a 1×1, stride-1, unpadded, ungrouped one whose output covers its input.

    (A transposed convolution's ``output_padding`` leaves input pixels that no
    output reads: ``in_size != out_size`` then.)
    """
    return (geo.kernel == (1, 1) and geo.stride == (1, 1) and geo.pad_lo == (0, 0) and geo.pad_hi == (0, 0)
            and geo.in_size == geo.out_size and groups == 1)


def _matrices(a: np.ndarray) -> np.ndarray:
    """(N, C, H, W) as the stack of N matrices (C, H·W): a view of the contiguous array."""
    return a.reshape(a.shape[0], a.shape[1], -1)


def pointwise_forward(x: np.ndarray, weight: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``y[n] ← W · x[n]`` for (N, C_in, H, W) ``x``, (C_out, C_in, 1, 1) ``weight``, (N, C_out, H, W) ``y``."""
    np.matmul(weight.reshape(weight.shape[0], -1), _matrices(x), out=_matrices(y))
    return y


def pointwise_grad_input(grad_output: np.ndarray, weight: np.ndarray, gx: np.ndarray) -> np.ndarray:
    """``gx[n] ← Wᵀ · G[n]`` (the adjoint of :func:`pointwise_forward`)."""
    np.matmul(weight.reshape(weight.shape[0], -1).T, _matrices(grad_output), out=_matrices(gx))
    return gx


def pointwise_grad_weight(grad_output: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``∂L/∂W = Σ_n G[n] · x[n]ᵀ`` as a (C_out, C_in, 1, 1) array."""
    g3, x3 = _matrices(grad_output), _matrices(x)
    if x3.shape[0] == 1:
        gwt = np.matmul(x3[0], g3[0].T)
    else:
        gwt = np.matmul(x3, g3.transpose(0, 2, 1)).sum(axis=0)
    return np.ascontiguousarray(gwt.T).reshape(g3.shape[1], x3.shape[1], 1, 1)
