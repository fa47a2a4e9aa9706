"""Reflect and replicate padding, materialised, and the adjoint that folds a gradient back (private).

A convolution with ``padding_mode='reflect'`` or ``'replicate'`` is the
zero-padding-free convolution of the padded input ``X_p = pad(X)``. Each padded
position ``a`` reads one input position ``src(a)`` per spatial dimension:

.. math:: \\mathrm{reflect:}\\ src(a) = |a - P| \\text{ mirrored into } [0, H), \\qquad
          \\mathrm{replicate:}\\ src(a) = \\min(\\max(a - P, 0), H - 1)

so the gradient of ``X`` is the gradient of ``X_p`` with every padded
position's value added to its source (the adjoint of the copy):

.. math:: \\frac{\\partial L}{\\partial X[h]} = \\sum_{a:\\ src(a) = h} \\frac{\\partial L}{\\partial X_p[a]}

Examples
--------
>>> import numpy as np
>>> x = np.arange(1.0, 4.0).reshape(1, 1, 1, 3)
>>> pad_input(x, (0, 2), (0, 1), "reflect")[0, 0, 0]
array([3., 2., 1., 2., 3., 2.])
>>> pad_input(x, (0, 2), (0, 1), "replicate")[0, 0, 0]
array([1., 1., 1., 2., 3., 3.])
>>> fold_padding_grad(np.ones((1, 1, 1, 6)), (0, 2), (0, 1), "reflect")[0, 0, 0]
array([1., 3., 2.])
"""

from __future__ import annotations

import numpy as np

__all__ = ["pad_input", "fold_padding_grad", "NUMPY_MODES"]

#: PyTorch's padding mode → ``np.pad``'s mode of the same meaning.
NUMPY_MODES = {"reflect": "reflect", "replicate": "edge"}


def _sources(size: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """``src(a)`` for every padded position ``a`` in ``[0, size + lo + hi)``."""
    return np.pad(np.arange(size), (lo, hi), mode=NUMPY_MODES[mode])


def pad_input(x: np.ndarray, lo: tuple[int, int], hi: tuple[int, int], mode: str) -> np.ndarray:
    """``x`` (N, C, H, W) padded by ``lo``/``hi`` per spatial dimension, C-contiguous."""
    widths = ((0, 0), (0, 0), (lo[0], hi[0]), (lo[1], hi[1]))
    return np.ascontiguousarray(np.pad(x, widths, mode=NUMPY_MODES[mode]))


def fold_padding_grad(g: np.ndarray, lo: tuple[int, int], hi: tuple[int, int], mode: str) -> np.ndarray:
    """The adjoint of :func:`pad_input`: ``g`` (N, C, H_p, W_p) summed back onto (N, C, H, W).

    One spatial axis at a time: the interior block is copied, then each of the
    ``lo + hi`` padded rows (columns) is added to its source row (column).
    """
    for axis, (a, b) in zip((2, 3), zip(lo, hi)):
        size = g.shape[axis] - a - b
        if a == 0 and b == 0:
            continue
        src = _sources(size, a, b, mode)
        out = np.array(np.take(g, np.arange(a, a + size), axis=axis))
        for pos in (*range(a), *range(a + size, a + size + b)):
            index = [slice(None)] * 4
            index[axis] = src[pos]
            take = [slice(None)] * 4
            take[axis] = pos
            out[tuple(index)] += g[tuple(take)]
        g = out
    return np.ascontiguousarray(g)
