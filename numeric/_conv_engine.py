"""The three products of a 2-D convolution, on validated arrays (private).

Given a :class:`~numeric._conv_geometry.ConvGeometry` and ``groups``:

* :func:`forward`      ``Y[n,o,i,j] = Σ_{c,p,q} W[o,c,p,q]·X[n, g·C_g + c, s_h i + d_h p − P_h, s_w j + d_w q − P_w]``
* :func:`grad_input`   ``∂L/∂X`` = the adjoint of the same sum (a transposed convolution)
* :func:`grad_weight`  ``∂L/∂W[o,c,p,q] = Σ_{n,i,j} G[n,o,i,j]·X[n, g·C_g + c, s_h i + d_h p − P_h, …]``

Algorithm, chosen per shape:

* general case — the patches are unfolded by the serial Numba kernel
  ``im2col2d`` and the sums become matrix products done by BLAS
  (``numpy.matmul``, on all cores), one per group; the input-gradient folds
  the product back with ``col2im2d``. The unfolding is memory-bound and
  cheap; keeping it serial means no Numba thread pool spins while BLAS's
  threads work (the two pools oversubscribed 2 cores badly when both ran).
* depthwise-like groups (one input channel and one output channel per group)
  — a direct Numba loop (:mod:`numeric._conv_direct`), since a 1×k² matrix
  product per channel wastes BLAS and the unfolded copy costs k² times the
  input.

The transposed convolution reuses the same three products with the roles of
input and output exchanged.
"""

from __future__ import annotations

import numpy as np

from ._conv_direct import depthwise_forward, depthwise_grad_input, depthwise_grad_weight
from ._conv_geometry import ConvGeometry
from ._conv_im2col import col2im2d, im2col2d
from ._conv_workspace import workspace

__all__ = ["forward", "grad_input", "grad_weight", "grad_bias", "backward"]


def _cols(x: np.ndarray, c: int, geo: ConvGeometry) -> np.ndarray:
    """The patch-column buffer (N, c·kh·kw, H_out·W_out), reused between calls."""
    (kh, kw), (ho, wo) = geo.kernel, geo.out_size
    return workspace((x.shape[0], c * kh * kw, ho * wo), x.dtype)


def _args(geo: ConvGeometry):
    (kh, kw), (sh, sw), (dh, dw), (ph, pw), (ho, wo) = (
        geo.kernel, geo.stride, geo.dilation, geo.pad_lo, geo.out_size)
    return kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, geo.circular


def _is_depthwise(weight: np.ndarray, groups: int) -> bool:
    return groups > 1 and weight.shape[0] == groups and weight.shape[1] == 1


def forward(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, groups: int,
            geo: ConvGeometry) -> np.ndarray:
    """Convolution output (N, C_out, H_out, W_out) of 4-D contiguous ``x`` and ``weight``."""
    n, c_in = x.shape[:2]
    c_out = weight.shape[0]
    ho, wo = geo.out_size
    if _is_depthwise(weight, groups):
        y = np.empty((n, c_out, ho, wo), dtype=x.dtype)
        depthwise_forward(x, weight, *_args(geo), y)
    else:
        cols = _cols(x, c_in, geo)
        im2col2d(x, *_args(geo), cols)
        y = np.empty((n, c_out, ho * wo), dtype=x.dtype)
        w2 = weight.reshape(c_out, -1)
        kg, og = w2.shape[1], c_out // groups
        if groups == 1:
            np.matmul(w2, cols, out=y)
        else:
            for g in range(groups):
                np.matmul(w2[g * og:(g + 1) * og], cols[:, g * kg:(g + 1) * kg], out=y[:, g * og:(g + 1) * og])
        y = y.reshape(n, c_out, ho, wo)
    if bias is not None:
        y += bias.reshape(1, c_out, 1, 1)
    return y


def grad_input(grad_output: np.ndarray, weight: np.ndarray, groups: int, geo: ConvGeometry,
               c_in: int) -> np.ndarray:
    """``∂L/∂X`` (N, C_in, H, W) from ``grad_output`` (N, C_out, H_out, W_out)."""
    n, c_out = grad_output.shape[:2]
    h, w = geo.in_size
    gx = np.empty((n, c_in, h, w), dtype=grad_output.dtype)
    if _is_depthwise(weight, groups):
        depthwise_grad_input(grad_output, weight, *_args(geo), gx)
        return gx
    go = grad_output.reshape(n, c_out, -1)
    cols = _cols(grad_output, c_in, geo)
    w2 = weight.reshape(c_out, -1)
    kg, og = w2.shape[1], c_out // groups
    if groups == 1:
        np.matmul(w2.T, go, out=cols)
    else:
        for g in range(groups):
            np.matmul(w2[g * og:(g + 1) * og].T, go[:, g * og:(g + 1) * og], out=cols[:, g * kg:(g + 1) * kg])
    col2im2d(cols, *_args(geo), gx)
    return gx


def grad_weight(grad_output: np.ndarray, x: np.ndarray, groups: int, geo: ConvGeometry,
                weight_shape: tuple[int, ...]) -> np.ndarray:
    """``∂L/∂W`` of shape ``weight_shape`` (C_out, C_in/groups, kh, kw)."""
    n, c_in = x.shape[:2]
    c_out = grad_output.shape[1]
    if groups > 1 and weight_shape[0] == groups and weight_shape[1] == 1:
        gw = np.empty(weight_shape, dtype=x.dtype)
        depthwise_grad_weight(grad_output, x, *_args(geo), gw)
        return gw
    cols = _cols(x, c_in, geo)
    im2col2d(x, *_args(geo), cols)
    go = grad_output.reshape(n, c_out, -1)
    kg, og = cols.shape[1] // groups, c_out // groups
    gw = np.empty((c_out, kg), dtype=x.dtype)
    for g in range(groups):
        cg = cols[:, g * kg:(g + 1) * kg]
        gg = go[:, g * og:(g + 1) * og]
        # Σ_n G[n] · cols[n]^T, as one product over the joint index (n, l)
        gw[g * og:(g + 1) * og] = np.matmul(gg, cg.transpose(0, 2, 1)).sum(axis=0)
    return gw.reshape(weight_shape)


def grad_bias(grad_output: np.ndarray) -> np.ndarray:
    """``∂L/∂b[o] = Σ_{n,i,j} G[n,o,i,j]``."""
    return grad_output.sum(axis=(0, 2, 3))


def backward(grad_output: np.ndarray, x: np.ndarray, weight: np.ndarray, groups: int, geo: ConvGeometry):
    """``(∂L/∂X, ∂L/∂W, ∂L/∂b)``; the weight-gradient's columns buffer is then reused for the input's."""
    gw = grad_weight(grad_output, x, groups, geo, weight.shape)
    gx = grad_input(grad_output, weight, groups, geo, x.shape[1])
    return gx, gw, grad_bias(grad_output)
