"""Numba kernels of 2-D pooling, forward and backward, on validated arrays.

Every kernel works on a C-contiguous stack of planes ``x[P, H, W]`` (``P = N·C``)
and loops over a range of planes, shared among threads by
:func:`numeric._batch_split.run_range`; nothing here checks its input (see
:mod:`numeric.pooling`, which validates, allocates and calls these). 1-D pooling
is 2-D pooling of planes of height 1.

Window of output ``(i, j)`` along rows (columns alike), with stride ``s``,
padding ``p``, dilation ``d`` and kernel ``k``:

.. math::

    h_t = i s - p + t d, \\qquad t = 0, \\dots, k - 1,

restricted to the rows ``0 <= h_t < H`` that exist; padding never wins a max
and never adds to a sum.

>>> import numpy as np
>>> x = np.arange(16.0).reshape(1, 4, 4)
>>> out = np.empty((1, 2, 2)); idx = np.empty((1, 2, 2), np.int64)
>>> max_pool2d_forward(x, 2, 2, 2, 2, 0, 0, 1, 1, out, idx)
>>> out[0]
array([[ 5.,  7.],
       [13., 15.]])
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._batch_split import run_range
from ._pool_halving import halving_applies, halving_max_backward_pass, halving_max_pass

__all__ = [
    "max_pool2d_forward",
    "max_pool2d_values",
    "max_pool2d_backward_kernel",
    "avg_pool2d_forward",
    "avg_pool2d_backward_kernel",
    "adaptive_avg_pool2d_forward",
    "adaptive_avg_pool2d_backward_kernel",
]


@njit(cache=True)
def _tap_range(start, d, k, size):
    """Taps ``t`` in ``[lo, hi)`` of a window starting at ``start`` that fall inside ``[0, size)``."""
    lo = 0
    if start < 0:
        lo = (-start + d - 1) // d
    hi = (size - start + d - 1) // d
    if hi > k:
        hi = k
    if hi < lo:
        hi = lo
    return lo, hi


@njit(cache=True)
def _tap_table(out_n, s, p, d, k, size):
    """Per output position: window start and the range of taps inside the input."""
    tab = np.empty((out_n, 3), np.int64)
    for o in range(out_n):
        start = o * s - p
        lo, hi = _tap_range(start, d, k, size)
        tab[o, 0] = start
        tab[o, 1] = lo
        tab[o, 2] = hi
    return tab


@njit(cache=True)
def _split_row(xflat, row, W, sw, pw, buf):
    """Load input row ``row`` split into ``sw`` phases: ``buf[r, m] = x[row, m·sw + r − pw]``.

    Columns outside ``[0, W)`` (padding, or past the end in ceil mode) hold
    ``-inf``. After the split, tap ``u`` of output column ``j`` is
    ``buf[(u·d) % sw, (u·d) // sw + j]``: contiguous in ``j``, which lets the
    compiler vectorise the scan over a whole output row.
    """
    M = buf.shape[1]
    base = row * W
    for r in range(sw):
        for m in range(M):
            c = m * sw + r - pw
            buf[r, m] = xflat[base + c] if c >= 0 and c < W else -np.inf


@njit(cache=True)
def _row_max(xflat, W, h0, ilo, ihi, dh, kw, sw, dw, pw, buf, best):
    """Maximum of every window of one output row (NaN propagates; padding is ``-inf``)."""
    OW = best.shape[0]
    for j in range(OW):
        best[j] = -np.inf
    for t in range(ilo, ihi):
        _split_row(xflat, h0 + t * dh, W, sw, pw, buf)
        for u in range(kw):
            q = u * dw
            src = buf[q % sw, q // sw : q // sw + OW]
            for j in range(OW):
                v = src[j]
                best[j] = v if (v > best[j]) | (v != v) else best[j]


@njit(cache=True)
def _row_argmax(xflat, W, h0, ilo, ihi, dh, kw, sw, dw, pw, buf, best, arg):
    """First maximum of every window of one output row, vectorised over the output columns.

    Taps are visited in row-major window order and a tap replaces the running
    maximum only if it is strictly greater (or NaN), so ties keep the first
    maximum and a NaN wins, the last NaN among several (PyTorch's CPU rule).
    The scan records the winning tap ``t·k_w + u``; windows still at ``-inf``
    afterwards (only padding, or only ``-inf`` values) are settled by a scalar
    scan for their first tap inside the input. ``arg`` (length OW) receives the
    flat index ``h·W + w`` of the maximum, ``-1`` for a window of padding only.
    """
    OW = best.shape[0]
    for j in range(OW):
        best[j] = -np.inf
        arg[j] = -1
    for t in range(ilo, ihi):
        _split_row(xflat, h0 + t * dh, W, sw, pw, buf)
        for u in range(kw):
            q = u * dw
            code = t * kw + u
            src = buf[q % sw, q // sw : q // sw + OW]
            for j in range(OW):
                v = src[j]
                take = (v > best[j]) | (v != v)
                best[j] = v if take else best[j]
                arg[j] = code if take else arg[j]
    for j in range(OW):
        w0 = j * sw - pw
        code = arg[j]
        if code < 0:  # no tap beat -inf: take the first tap inside the input, if any
            for t in range(ilo, ihi):
                for u in range(kw):
                    w = w0 + u * dw
                    if code < 0 and w >= 0 and w < W:
                        code = t * kw + u
        if code >= 0:
            arg[j] = (h0 + (code // kw) * dh) * W + w0 + (code % kw) * dw


@njit(cache=True)
def _row_buffers(OW, kw, sw, dw, dtype_like):
    """Per-plane scratch: the phase-split input row and the running (best, arg) of one output row."""
    M = OW + ((kw - 1) * dw) // sw + 1
    buf = np.empty((sw, M), dtype_like.dtype)
    best = np.empty(OW, dtype_like.dtype)
    arg = np.empty(OW, np.int64)
    return buf, best, arg


@njit(cache=True, nogil=True)
def _max_pool_pass(x, kh, sh, ph, dh, kw, sw, pw, dw, out, indices, with_indices, p_lo, p_hi):
    """Max of every window of planes ``p_lo … p_hi − 1`` into ``out``; the argmax into ``indices`` too if ``with_indices``."""
    P, H, W = x.shape
    OH = out.shape[1]
    OW = out.shape[2]
    rows = _tap_table(OH, sh, ph, dh, kh, H)
    for pl in range(p_lo, p_hi):
        xflat = x[pl].ravel()
        buf, best, arg = _row_buffers(OW, kw, sw, dw, x)
        for i in range(OH):
            if with_indices:
                _row_argmax(xflat, W, rows[i, 0], rows[i, 1], rows[i, 2], dh, kw, sw, dw, pw, buf, best, arg)
                for j in range(OW):
                    indices[pl, i, j] = arg[j]
            else:
                _row_max(xflat, W, rows[i, 0], rows[i, 1], rows[i, 2], dh, kw, sw, dw, pw, buf, best)
            for j in range(OW):
                out[pl, i, j] = best[j]


def max_pool2d_forward(x, kh, kw, sh, sw, ph, pw, dh, dw, out, indices):
    """Max pooling of every plane; ``out``/``indices`` of shape (P, OH, OW) are filled.

    .. math:: y[i, j] = \\max_{(t, u)} x[i s_h - p_h + t d_h,\\; j s_w - p_w + u d_w]

    ``indices`` holds the flat index ``h·W + w`` of the first maximum in
    row-major window order; a window made only of padding gives ``-inf``, ``-1``.
    """
    run_range(_max_pool_pass, x.shape[0], x, kh, sh, ph, dh, kw, sw, pw, dw, out, indices, True)


def max_pool2d_values(x, kh, kw, sh, sw, ph, pw, dh, dw, out):
    """Max pooling values only (no indices): the same ``out`` as :func:`max_pool2d_forward`, faster."""
    if halving_applies(kh, kw, sh, sw, ph, pw, dh, dw, x.shape[1:], out.shape[1:]):
        run_range(halving_max_pass, x.shape[0], x, out)
        return
    run_range(_max_pool_pass, x.shape[0], x, kh, sh, ph, dh, kw, sw, pw, dw, out, np.empty((0, 0, 0), np.int64), False)


def max_pool2d_backward_kernel(grad_output, x, kh, kw, sh, sw, ph, pw, dh, dw, grad_input):
    """Route each ``grad_output[i, j]`` to the first maximum of its window (``grad_input`` is overwritten).

    .. math:: \\frac{\\partial L}{\\partial x[h, w]} = \\sum_{(i, j):\\ \\arg\\max_{ij} = (h, w)} g[i, j]
    """
    if halving_applies(kh, kw, sh, sw, ph, pw, dh, dw, x.shape[1:], grad_output.shape[1:]):
        run_range(halving_max_backward_pass, x.shape[0], grad_output, x, grad_input)
        return
    run_range(_max_pool_backward_pass, x.shape[0], grad_output, x, kh, kw, sh, sw, ph, pw, dh, dw, grad_input)


@njit(cache=True, nogil=True)
def _max_pool_backward_pass(grad_output, x, kh, kw, sh, sw, ph, pw, dh, dw, grad_input, p_lo, p_hi):
    """:func:`max_pool2d_backward_kernel` for planes ``p_lo … p_hi − 1``."""
    P, H, W = x.shape
    OH = grad_output.shape[1]
    OW = grad_output.shape[2]
    rows = _tap_table(OH, sh, ph, dh, kh, H)
    for pl in range(p_lo, p_hi):
        xflat = x[pl].ravel()
        gflat = grad_input[pl].ravel()
        gflat[:] = 0.0
        buf, best, arg = _row_buffers(OW, kw, sw, dw, x)
        for i in range(OH):
            _row_argmax(xflat, W, rows[i, 0], rows[i, 1], rows[i, 2], dh, kw, sw, dw, pw, buf, best, arg)
            for j in range(OW):
                if arg[j] >= 0:
                    gflat[arg[j]] += grad_output[pl, i, j]


@njit(cache=True)
def _avg_divisor(start, k, p, size):
    """PyTorch's window size along one dimension: the window clipped to the padded input."""
    end = start + k
    if end > size + p:
        end = size + p
    return end - start


@njit(cache=True)
def _avg_divisors(rows, cols, kh, kw, ph, pw, H, W, count_include_pad, divisor_override):
    """Divisor of every output position (OH, OW) under PyTorch's rules."""
    OH = rows.shape[0]
    OW = cols.shape[0]
    div = np.empty((OH, OW), np.float64)
    for i in range(OH):
        for j in range(OW):
            if divisor_override > 0:
                div[i, j] = divisor_override
            elif count_include_pad:
                div[i, j] = _avg_divisor(rows[i, 0], kh, ph, H) * _avg_divisor(cols[j, 0], kw, pw, W)
            else:
                div[i, j] = (rows[i, 2] - rows[i, 1]) * (cols[j, 2] - cols[j, 1])
    return div


@njit(cache=True, nogil=True)
def _window_mean_pass(image, grid, row_lo, row_hi, col_lo, col_hi, div, adjoint, p_lo, p_hi):
    """Window means (``adjoint=False``) or their adjoint (``adjoint=True``), for planes ``p_lo … p_hi − 1``.

    Output ``(i, j)`` reads the input block ``[row_lo[i], row_hi[i]) × [col_lo[j], col_hi[j])``
    (already clipped to the input) with divisor ``div[i, j]``:

    .. math:: \\text{grid}[i, j] = \\frac{1}{D_{ij}} \\sum_{h, w \\in \\text{block}(i, j)} \\text{image}[h, w]
              \\qquad\\text{or}\\qquad
              \\text{image}[h, w] = \\sum_{(i, j) :\\, (h, w) \\in \\text{block}(i, j)} \\frac{\\text{grid}[i, j]}{D_{ij}}

    The written array (``grid``, or ``image`` for the adjoint) is overwritten.
    """
    OH = grid.shape[1]
    OW = grid.shape[2]
    for pl in range(p_lo, p_hi):
        xp = image[pl]
        if adjoint:
            xp[:] = 0.0
        for i in range(OH):
            for j in range(OW):
                if adjoint:
                    g = grid[pl, i, j] / div[i, j]
                    for h in range(row_lo[i], row_hi[i]):
                        for w in range(col_lo[j], col_hi[j]):
                            xp[h, w] += g
                else:
                    acc = 0.0
                    for h in range(row_lo[i], row_hi[i]):
                        for w in range(col_lo[j], col_hi[j]):
                            acc += xp[h, w]
                    grid[pl, i, j] = acc / div[i, j]


def _avg_windows(H, W, OH, OW, kh, kw, sh, sw, ph, pw, count_include_pad, divisor_override):
    """Clipped row/column blocks and divisors of average pooling (see :func:`_window_mean_pass`)."""
    rows = _tap_table(OH, sh, ph, 1, kh, H)
    cols = _tap_table(OW, sw, pw, 1, kw, W)
    div = _avg_divisors(rows, cols, kh, kw, ph, pw, H, W, count_include_pad, divisor_override)
    return rows[:, 0] + rows[:, 1], rows[:, 0] + rows[:, 2], cols[:, 0] + cols[:, 1], cols[:, 0] + cols[:, 2], div


def avg_pool2d_forward(x, kh, kw, sh, sw, ph, pw, count_include_pad, divisor_override, out):
    """Average pooling of every plane into ``out`` (P, OH, OW).

    .. math:: y[i, j] = \\frac{1}{D_{ij}} \\sum_{(h, w) \\in \\text{window}(i, j) \\cap \\text{input}} x[h, w]

    with ``D`` = ``divisor_override`` if > 0, else the window clipped to the
    padded input (``count_include_pad``), else the number of input elements summed.
    """
    _, H, W = x.shape
    blocks = _avg_windows(H, W, out.shape[1], out.shape[2], kh, kw, sh, sw, ph, pw, count_include_pad,
                          divisor_override)
    run_range(_window_mean_pass, x.shape[0], x, out, *blocks, False)


def avg_pool2d_backward_kernel(grad_output, kh, kw, sh, sw, ph, pw, count_include_pad, divisor_override, grad_input):
    """Spread ``grad_output[i, j] / D_ij`` over the input elements of window ``(i, j)`` (``grad_input`` is overwritten)."""
    _, H, W = grad_input.shape
    blocks = _avg_windows(H, W, grad_output.shape[1], grad_output.shape[2], kh, kw, sh, sw, ph, pw,
                          count_include_pad, divisor_override)
    run_range(_window_mean_pass, grad_input.shape[0], grad_input, grad_output, *blocks, True)


@njit(cache=True)
def _adaptive_bounds(out_n, size):
    """Window ``[⌊o·L/O⌋, ⌈(o+1)·L/O⌉)`` of each output ``o`` (PyTorch's adaptive rule)."""
    b = np.empty((out_n, 2), np.int64)
    for o in range(out_n):
        b[o, 0] = (o * size) // out_n
        b[o, 1] = ((o + 1) * size + out_n - 1) // out_n
    return b


def _adaptive_windows(H, W, OH, OW):
    """Row/column blocks and divisors (block areas) of adaptive average pooling."""
    rows = _adaptive_bounds(OH, H)
    cols = _adaptive_bounds(OW, W)
    div = np.outer(rows[:, 1] - rows[:, 0], cols[:, 1] - cols[:, 0]).astype(np.float64)
    return rows[:, 0].copy(), rows[:, 1].copy(), cols[:, 0].copy(), cols[:, 1].copy(), div


def adaptive_avg_pool2d_forward(x, out):
    """Adaptive average pooling of every plane into ``out`` (P, OH, OW).

    .. math:: y[i, j] = \\operatorname{mean}\\, x[\\lfloor iH/O_H \\rfloor : \\lceil (i+1)H/O_H \\rceil,\\;
              \\lfloor jW/O_W \\rfloor : \\lceil (j+1)W/O_W \\rceil]
    """
    run_range(_window_mean_pass, x.shape[0], x, out, *_adaptive_windows(x.shape[1], x.shape[2], out.shape[1], out.shape[2]),
              False)


def adaptive_avg_pool2d_backward_kernel(grad_output, grad_input):
    """Spread each ``grad_output[i, j]`` evenly over its adaptive window (``grad_input`` is overwritten)."""
    blocks = _adaptive_windows(grad_input.shape[1], grad_input.shape[2], grad_output.shape[1], grad_output.shape[2])
    run_range(_window_mean_pass, grad_input.shape[0], grad_input, grad_output, *blocks, True)
