"""Grouped convolution one (sample, group) block at a time, unfolded and multiplied while in cache (private).

With ``groups = G`` the input ``(N, C_in, H, W)`` is, in memory, the array
``(N·G, C_in/G, H, W)`` of blocks ``k = n·G + g``, and so are the output and
the gradients. Each block is an ordinary small convolution with the group's
filters ``W_g`` (``C_out/G × C_in/G·kh·kw``):

.. math:: Y_k = W_g \\,\\mathrm{cols}(X_k), \\qquad
          \\frac{\\partial L}{\\partial X_k} = \\mathrm{col2im}(W_g^T G_k), \\qquad
          \\frac{\\partial L}{\\partial W_g} = \\sum_n G_{nG+g}\\, \\mathrm{cols}(X_{nG+g})^T

The whole-batch unfolding of the ResNeXt layer 8×128×56×56 (groups 32,
3×3) is 115 MB, which each product then streams from memory with 4-row
filters (BLAS at ~25 GFLOP/s there, ~70 on the same block in cache, measured);
one block's patches (36 × 3136 numbers, 450 kB) stay in the core's cache
between the unfolding and the product.

Examples
--------
>>> import numpy as np
>>> from numeric._conv_geometry import conv_geometry
>>> x = np.arange(32.0).reshape(1, 2, 4, 4)
>>> w = np.ones((2, 1, 3, 3))
>>> *_, groups, geo = conv_geometry("conv2d", 2, x, w, None, 1, 0, 1, 2, "zeros")
>>> args = (3, 3, 1, 1, 1, 1, 0, 0, 2, 2, False)  # kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular
>>> y = np.empty((1, 2, 2, 2))
>>> grouped_forward(x, w, groups, args, y)[0, 1]
array([[189., 198.],
       [225., 234.]])
"""

from __future__ import annotations

import numpy as np

from ._conv_im2col import col2im2d, im2col2d
from ._conv_workspace import workspace

__all__ = ["MIN_BLOCK", "grouped_applies", "grouped_forward", "grouped_grad_input", "grouped_grad_weight"]

#: Smallest unfolded block (``C_in/G·kh·kw·H_out·W_out`` numbers) for which the per-block loop pays:
#: below it the Python loop's few microseconds per block outweigh the cache misses of one
#: whole-batch unfolding.
MIN_BLOCK = 1 << 15


def grouped_applies(geo, groups: int, weight_shape: tuple[int, ...]) -> bool:
    """Whether ``groups > 1`` and one block's unfolded patches hold at least :data:`MIN_BLOCK` numbers."""
    ho, wo = geo.out_size
    return groups > 1 and weight_shape[1] * geo.kernel[0] * geo.kernel[1] * ho * wo >= MIN_BLOCK


def _blocks(a: np.ndarray, groups: int) -> np.ndarray:
    """(N, C, H, W) as (N·G, C/G, H, W): block ``n·G + g`` is group ``g`` of sample ``n`` (a view)."""
    n, c = a.shape[:2]
    return a.reshape(n * groups, c // groups, *a.shape[2:])


def _filters(weight: np.ndarray, groups: int) -> np.ndarray:
    """(C_out, C_g, kh, kw) as (G, C_out/G, C_g·kh·kw)."""
    return weight.reshape(groups, weight.shape[0] // groups, -1)


def grouped_forward(x: np.ndarray, weight: np.ndarray, groups: int, args: tuple, y: np.ndarray) -> np.ndarray:
    """``y_k ← W_g · cols(x_k)`` block by block; ``args`` are the unfolding kernels' geometry arguments."""
    xb, yb, w3 = _blocks(x, groups), _blocks(y, groups), _filters(weight, groups)
    cols = workspace((w3.shape[2], 1, yb[0, 0].size), x.dtype, "cols")
    for k in range(xb.shape[0]):
        im2col2d(xb[k:k + 1], *args, cols)
        np.matmul(w3[k % groups], cols[:, 0], out=yb[k].reshape(yb.shape[1], -1))
    return y


def grouped_grad_input(grad_output: np.ndarray, weight: np.ndarray, groups: int, args: tuple,
                       gx: np.ndarray) -> np.ndarray:
    """``gx_k ← col2im(W_gᵀ · G_k)`` block by block."""
    gb, xb, w3 = _blocks(grad_output, groups), _blocks(gx, groups), _filters(weight, groups)
    cols = workspace((w3.shape[2], 1, gb[0, 0].size), gx.dtype, "cols")
    for k in range(gb.shape[0]):
        np.matmul(w3[k % groups].T, gb[k].reshape(gb.shape[1], -1), out=cols[:, 0])
        col2im2d(cols, *args, xb[k:k + 1])
    return gx


def grouped_grad_weight(grad_output: np.ndarray, x: np.ndarray, groups: int, args: tuple,
                        weight_shape: tuple[int, ...]) -> np.ndarray:
    """``∂L/∂W_g = Σ_n G_k · cols(x_k)ᵀ`` (``k = n·G + g``), done as ``cols · Gᵀ`` and transposed back."""
    gb, xb = _blocks(grad_output, groups), _blocks(x, groups)
    rows, c_og = weight_shape[1] * weight_shape[2] * weight_shape[3], weight_shape[0] // groups
    cols = workspace((rows, 1, gb[0, 0].size), x.dtype, "cols")
    gwt = np.zeros((groups, rows, c_og), x.dtype)
    part = np.empty((rows, c_og), x.dtype)
    for k in range(xb.shape[0]):
        im2col2d(xb[k:k + 1], *args, cols)
        np.matmul(cols[:, 0], gb[k].reshape(c_og, -1).T, out=part)
        gwt[k % groups] += part
    return np.ascontiguousarray(gwt.transpose(0, 2, 1)).reshape(weight_shape)
