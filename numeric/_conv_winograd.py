"""Winograd's minimal filtering F(2×2, 3×3) for 3×3 stride-1 convolutions (private).

A 2×2 block of outputs of a 3×3 correlation reads a 4×4 block ``d`` of the
input; with the fixed matrices of Lavin & Gray (2016)

.. math:: Y = A^T \\left[ (G w G^T) \\odot (B^T d B) \\right] A

it costs 16 multiplications instead of 36. Over channels, the element-wise
product becomes 16 independent matrix products — one per position
``ξ = 4r + s`` of the 4×4 transformed tile:

.. math:: M_ξ[o, t] = \\sum_c U_ξ[o, c]\\, V_ξ[c, t], \\qquad
          U = G w G^T,\\quad V = B^T d B

(``t`` runs over all tiles of all samples), 2.25 times fewer multiply-adds
than the im2col product. The gradients are products of the same kind:
``∂L/∂U_ξ = (A g A^T)_ξ V_ξ^T`` then ``∂L/∂w = G^T (∂L/∂U) G``, and the
input-gradient is the forward transform applied to the gradient with the
flipped, transposed filter.

The tile transforms are serial Numba loops (memory-bound, like im2col;
``nogil=True``, so that batch chunks can run concurrently); the
products are BLAS's. All values outside the input (padding, or past the
edge of a partial tile) read as zero. They run sample by sample: one
sample's transformed tiles (16 × C × tiles) are multiplied while still in
cache, where the whole batch's (26 MB on ResNet's 8×64×56×56) went to
memory and back (measured: forward 10 % faster there, equal at 128×28×28).

References
----------
A. Lavin and S. Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._conv_workspace import workspace

__all__ = ["winograd_applies", "winograd_forward", "winograd_grad_input", "winograd_grad_weight"]

#: Filter transform G (4×3) of F(2, 3).
G = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]])

#: Smallest ``C_in·C_out`` for which the transforms pay for themselves (measured on one
#: core, batch 8: im2col wins at 16×16 channels, they tie near 32×32, Winograd saves
#: 25-30 % at 64×64 and 128×128; on two cores the two tie there, as the transforms
#: stay serial while BLAS uses both cores).
MIN_CHANNEL_PRODUCT = 48 * 48


def winograd_applies(geo, groups: int, weight_shape: tuple[int, ...]) -> bool:
    """Whether the convolution is a 3×3, stride-1, undilated, zero-padded, ungrouped one with enough channels."""
    return (geo.kernel == (3, 3) and geo.stride == (1, 1) and geo.dilation == (1, 1) and not geo.circular
            and groups == 1 and weight_shape[0] * weight_shape[1] >= MIN_CHANNEL_PRODUCT)


@njit(cache=True, nogil=True)
def _input_tiles(x, off_h, off_w, th, tw, v):
    """``v[4r+s, c, t] = (Bᵀ d B)[r, s]`` with ``d = x[n, c, 2a + off_h + (0..3), 2b + off_w + (0..3)]``.

    ``t = (n·th + a)·tw + b``; entries of ``d`` outside the image are zero.
    Each tile row is done at once: the four input rows are loaded (zero-padded)
    split into even and odd columns, combined by ``Bᵀ`` column by column, then
    ``B`` combines columns ``2b … 2b+3`` — even ``b``, odd ``b``, even ``b+1``,
    odd ``b+1`` — for every tile: all loops run along contiguous rows.
    """
    n_batch, n_chan, h_in, w_in = x.shape
    half = tw + 1
    ev = np.zeros((4, half), x.dtype)  # ev[u, k] = row u at column 2k + off_w
    od = np.zeros((4, half), x.dtype)  # od[u, k] = row u at column 2k + 1 + off_w
    e_ev = np.empty((4, half), x.dtype)
    e_od = np.empty((4, half), x.dtype)
    # the k whose column 2k + off_w (even) or 2k + 1 + off_w (odd) lies in [0, w_in)
    ev_lo, ev_hi = max(0, (1 - off_w) // 2), min(half, (w_in - off_w + 1) // 2)
    od_lo, od_hi = max(0, (-off_w) // 2), min(half, (w_in - off_w) // 2)
    for n in range(n_batch):
        for c in range(n_chan):
            for a in range(th):
                for u in range(4):
                    h = 2 * a + off_h + u
                    ev[u, :] = 0.0
                    od[u, :] = 0.0
                    if 0 <= h < h_in:
                        for k in range(ev_lo, ev_hi):
                            ev[u, k] = x[n, c, h, 2 * k + off_w]
                        for k in range(od_lo, od_hi):
                            od[u, k] = x[n, c, h, 2 * k + 1 + off_w]
                for k in range(half):  # Bᵀ d, for all columns at once
                    e_ev[0, k] = ev[0, k] - ev[2, k]
                    e_ev[1, k] = ev[1, k] + ev[2, k]
                    e_ev[2, k] = ev[2, k] - ev[1, k]
                    e_ev[3, k] = ev[1, k] - ev[3, k]
                    e_od[0, k] = od[0, k] - od[2, k]
                    e_od[1, k] = od[1, k] + od[2, k]
                    e_od[2, k] = od[2, k] - od[1, k]
                    e_od[3, k] = od[1, k] - od[3, k]
                t0 = (n * th + a) * tw
                for r in range(4):  # (Bᵀ d) B, tile by tile
                    for b in range(tw):
                        v[4 * r + 0, c, t0 + b] = e_ev[r, b] - e_ev[r, b + 1]
                    for b in range(tw):
                        v[4 * r + 1, c, t0 + b] = e_od[r, b] + e_ev[r, b + 1]
                    for b in range(tw):
                        v[4 * r + 2, c, t0 + b] = e_ev[r, b + 1] - e_od[r, b]
                    for b in range(tw):
                        v[4 * r + 3, c, t0 + b] = e_od[r, b] - e_od[r, b + 1]


@njit(cache=True, nogil=True)
def _output_tiles(m, th, tw, y):
    """``y[n, o, 2a + i, 2b + j] = (Aᵀ M A)[i, j]`` with ``M[r, s] = m[4r+s, o, t]``, cropped at the edge."""
    n_batch, c_out, ho, wo = y.shape
    e = np.empty((2, 4, tw), y.dtype)
    row = np.empty(2 * tw, y.dtype)
    for n in range(n_batch):
        for o in range(c_out):
            for a in range(th):
                t0 = (n * th + a) * tw
                for s in range(4):  # e = Aᵀ M, for the tiles of this row at once
                    for b in range(tw):
                        e[0, s, b] = m[s, o, t0 + b] + m[4 + s, o, t0 + b] + m[8 + s, o, t0 + b]
                    for b in range(tw):
                        e[1, s, b] = m[4 + s, o, t0 + b] - m[8 + s, o, t0 + b] - m[12 + s, o, t0 + b]
                for i in range(2):  # y = e A
                    h = 2 * a + i
                    if h < ho:
                        for b in range(tw):
                            row[2 * b] = e[i, 0, b] + e[i, 1, b] + e[i, 2, b]
                            row[2 * b + 1] = e[i, 1, b] - e[i, 2, b] - e[i, 3, b]
                        for j in range(wo):
                            y[n, o, h, j] = row[j]


@njit(cache=True, nogil=True)
def _grad_tiles(g, th, tw, dm):
    """``dm[4r+s, o, t] = (A γ Aᵀ)[r, s]``, ``γ`` the 2×2 block of ``g`` of tile ``t`` (zero past the edge).

    The adjoint of :func:`_output_tiles`: the gradient with respect to ``M``.
    """
    n_batch, c_out, ho, wo = g.shape
    rows = np.zeros((2, 2 * tw), g.dtype)
    e = np.empty((4, 2 * tw), g.dtype)
    for n in range(n_batch):
        for o in range(c_out):
            for a in range(th):
                for i in range(2):
                    h = 2 * a + i
                    rows[i, :] = 0.0
                    if h < ho:
                        for j in range(wo):
                            rows[i, j] = g[n, o, h, j]
                for k in range(2 * tw):  # e = A γ, for all columns at once
                    e[0, k] = rows[0, k]
                    e[1, k] = rows[0, k] + rows[1, k]
                    e[2, k] = rows[0, k] - rows[1, k]
                    e[3, k] = -rows[1, k]
                t0 = (n * th + a) * tw
                for r in range(4):  # dm = e Aᵀ, tile by tile
                    for b in range(tw):
                        dm[4 * r + 0, o, t0 + b] = e[r, 2 * b]
                    for b in range(tw):
                        dm[4 * r + 1, o, t0 + b] = e[r, 2 * b] + e[r, 2 * b + 1]
                    for b in range(tw):
                        dm[4 * r + 2, o, t0 + b] = e[r, 2 * b] - e[r, 2 * b + 1]
                    for b in range(tw):
                        dm[4 * r + 3, o, t0 + b] = -e[r, 2 * b + 1]


#: ``GG[4r+s, 3p+q] = G[r, p]·G[s, q]``: the filter transform ``G w Gᵀ`` of every 3×3 filter as one
#: (16 × 9) matrix product (about 15 times faster than the same sums by ``einsum`` on 128×128
#: filters, measured: 0.2 ms against 3.3 ms).
GG = np.kron(G, G)


def _filter_transform(weight: np.ndarray) -> np.ndarray:
    """``U[4r+s, o, c] = (G w[o, c] Gᵀ)[r, s]`` for a (C_out, C_in, 3, 3) weight."""
    c_out, c_in = weight.shape[:2]
    return (GG.astype(weight.dtype) @ weight.reshape(c_out * c_in, 9).T).reshape(16, c_out, c_in)


def _tiles(size: tuple[int, int]) -> tuple[int, int]:
    return -(-size[0] // 2), -(-size[1] // 2)


def _correlate(x: np.ndarray, u: np.ndarray, offset: tuple[int, int], y: np.ndarray) -> np.ndarray:
    """``y[n, o, i, j] ← Σ_{c,p,q} w[o, c, p, q]·x[n, c, i + p + off_h, j + q + off_w]`` (zero outside), ``u = G w Gᵀ``."""
    c_in, c_out = x.shape[1], u.shape[1]
    th, tw = _tiles(y.shape[2:])
    v = workspace((16, c_in, th * tw), x.dtype, "cols")
    m = workspace((16, c_out, th * tw), x.dtype, "out")
    for n in range(x.shape[0]):  # sample by sample: the tiles are read back while still in cache
        _input_tiles(x[n:n + 1], offset[0], offset[1], th, tw, v)
        np.matmul(u, v, out=m)
        _output_tiles(m, th, tw, y[n:n + 1])
    return y


def winograd_forward(x: np.ndarray, weight: np.ndarray, geo, y: np.ndarray) -> np.ndarray:
    """``y`` (N, C_out, H_out, W_out) ← the convolution of ``x`` with a 3×3 ``weight``, stride 1, padding ``geo.pad_lo`` first."""
    ph, pw = geo.pad_lo
    return _correlate(x, _filter_transform(weight), (-ph, -pw), y)


def winograd_grad_input(grad_output: np.ndarray, weight: np.ndarray, geo, gx: np.ndarray | None = None) -> np.ndarray:
    """``∂L/∂X``: the correlation of ``grad_output`` with the flipped, transposed filter.

    ``gx[a] = Σ_p w[p]·g[a + P − p] = Σ_{p'} w[2 − p']·g[a + (P − 2) + p']``.
    Written into ``gx`` (contiguous, (N, C_in, H, W)) when given.
    """
    ph, pw = geo.pad_lo
    flipped = np.ascontiguousarray(weight[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
    if gx is None:
        gx = np.empty((grad_output.shape[0], weight.shape[1], *geo.in_size), dtype=grad_output.dtype)
    return _correlate(grad_output, _filter_transform(flipped), (ph - 2, pw - 2), gx)


def winograd_grad_weight(grad_output: np.ndarray, x: np.ndarray, geo) -> np.ndarray:
    """``∂L/∂W = Gᵀ (∂L/∂U) G`` with ``∂L/∂U_ξ = (A g Aᵀ)_ξ · V_ξᵀ`` summed over all tiles."""
    c_in, c_out = x.shape[1], grad_output.shape[1]
    ph, pw = geo.pad_lo
    th, tw = _tiles(geo.out_size)
    v = workspace((16, c_in, th * tw), x.dtype, "cols")
    dm = workspace((16, c_out, th * tw), x.dtype, "gout")
    du = np.zeros((16, c_in, c_out), x.dtype)
    part = np.empty_like(du)
    for n in range(x.shape[0]):  # sample by sample, as in _correlate
        _input_tiles(x[n:n + 1], -ph, -pw, th, tw, v)
        _grad_tiles(grad_output[n:n + 1], th, tw, dm)
        # (16, C_in, C_out): the long tile axis is the inner one of both operands (BLAS's "TN" case,
        # 15-25 % faster than dm · vᵀ on the benchmark shapes, measured)
        np.matmul(v, dm.transpose(0, 2, 1), out=part)
        du += part
    # ∂L/∂w[o, c, p, q] = Σ_{r,s} G[r, p]·G[s, q]·du[4r+s, c, o]: one (9 × 16) product (see GG)
    gw = GG.T.astype(x.dtype) @ du.reshape(16, c_in * c_out)
    return np.ascontiguousarray(gw.reshape(3, 3, c_in, c_out).transpose(3, 2, 0, 1))
