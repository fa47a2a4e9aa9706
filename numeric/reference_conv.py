"""Slow, obviously correct NumPy loops for convolution and transposed convolution.

The oracle of the kernel tests. Each function loops over the output (or input)
indices and writes the index-sum formula as directly as NumPy slicing allows:
a padded copy of the input (zeros; or, for ``'circular'``, ``'reflect'`` and
``'replicate'``, each padded pixel a copy of the input pixel :func:`source_index`
names), the
dilated window ``Xpad[n, group, s·i : s·i + d·(k−1) + 1 : d, …]``, and a sum of
products. No validation beyond what the formulas need: call with valid
arguments (the fast functions of :mod:`numeric` check them).

1-D functions add a spatial dimension of size 1 and call the 2-D ones.

Examples
--------
>>> x = np.arange(16.0).reshape(1, 1, 4, 4)
>>> conv2d_ref(x, np.ones((1, 1, 2, 2)), stride=2)[0, 0]
array([[10., 18.],
       [42., 50.]])
>>> conv_transpose1d_ref(np.array([[[1.0, 2.0]]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
array([[[  1.,  10., 102.,  20., 200.]]])
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "source_index",
    "conv1d_ref",
    "conv2d_ref",
    "conv1d_backward_ref",
    "conv2d_backward_ref",
    "conv_transpose1d_ref",
    "conv_transpose2d_ref",
    "conv_transpose1d_backward_ref",
    "conv_transpose2d_backward_ref",
]


def _pair(v):
    return (v, v) if isinstance(v, (int, np.integer)) else tuple(v)


def _pads2d(padding, in_size, kernel, stride, dilation):
    """((top, bottom), (left, right)) from an int, a pair, per-side pairs, 'valid' or 'same' (any case)."""
    if isinstance(padding, str):
        padding = padding.lower()
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":  # TensorFlow: output ⌈H/s⌉, odd pixel at the end
        pads = []
        for h, k, s, d in zip(in_size, kernel, stride, dilation):
            out = -(-h // s)
            total = max((out - 1) * s + d * (k - 1) + 1 - h, 0)
            pads.append((total // 2, total - total // 2))
        return tuple(pads)
    return tuple(_pair(p) for p in _pair(padding))


def _pads1d_as_2d(padding):
    if isinstance(padding, str):
        return padding
    if isinstance(padding, (int, np.integer)):
        return ((0, 0), (padding, padding))
    if len(padding) == 2:  # (left, right)
        return ((0, 0), tuple(padding))
    return ((0, 0), _pair(padding[0]))


def _unsqueeze(a):
    return a[:, :, None, :]


def _squeeze(a):
    return a[:, :, 0, :]


def source_index(t, size, padding_mode):
    """The input index that padded position ``t`` (``t < 0`` or ``t >= size`` in the padding) copies.

    >>> [source_index(t, 3, "reflect") for t in range(-2, 5)]
    [2, 1, 0, 1, 2, 1, 0]
    >>> [source_index(t, 3, "replicate") for t in range(-2, 5)]
    [0, 0, 0, 1, 2, 2, 2]
    >>> [source_index(t, 3, "circular") for t in range(-2, 5)]
    [1, 2, 0, 1, 2, 0, 1]
    """
    if padding_mode == "circular":
        return t % size
    if padding_mode == "replicate":
        return min(max(t, 0), size - 1)
    if t < 0:  # reflect: mirror at the first and the last pixel, which are not repeated
        return -t
    return 2 * (size - 1) - t if t >= size else t


def _pad_input(x, pads, padding_mode):
    (pt, pb), (pl, pr) = pads
    if padding_mode == "zeros":
        return np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    h, w = x.shape[2:]
    rows = [source_index(a - pt, h, padding_mode) for a in range(h + pt + pb)]
    cols = [source_index(b - pl, w, padding_mode) for b in range(w + pl + pr)]
    return x[:, :, rows][:, :, :, cols]


def _window(i, j, s, d, k):
    """Rows and columns ``s·i + d·p`` (p < k) of a padded image: the dilated window of output (i, j)."""
    (sh, sw), (dh, dw), (kh, kw) = s, d, k
    return slice(sh * i, sh * i + dh * (kh - 1) + 1, dh), slice(sw * j, sw * j + dw * (kw - 1) + 1, dw)


def conv2d_ref(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    """``Y[n,o,i,j] = b[o] + Σ_{c,p,q} W[o,c,p,q]·Xpad[n, g·C_g + c, s_h i + d_h p, s_w j + d_w q]``."""
    n_batch, c_in, h, w = x.shape
    c_out, c_g, kh, kw = weight.shape
    s, d = _pair(stride), _pair(dilation)
    pads = _pads2d(padding, (h, w), (kh, kw), s, d)
    xp = _pad_input(x, pads, padding_mode)
    h_out = (h + sum(pads[0]) - d[0] * (kh - 1) - 1) // s[0] + 1
    w_out = (w + sum(pads[1]) - d[1] * (kw - 1) - 1) // s[1] + 1
    o_g = c_out // groups
    y = np.zeros((n_batch, c_out, h_out, w_out), dtype=x.dtype)
    for n in range(n_batch):
        for o in range(c_out):
            g = o // o_g
            for i in range(h_out):
                for j in range(w_out):
                    rows, cols = _window(i, j, s, d, (kh, kw))
                    patch = xp[n, g * c_g:(g + 1) * c_g, rows, cols]
                    y[n, o, i, j] = np.sum(weight[o] * patch) + (0 if bias is None else bias[o])
    return y


def conv2d_backward_ref(grad_output, x, weight, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    """Differentiate the sum of :func:`conv2d_ref` term by term.

    Each output ``(n, o, i, j)`` sends ``G[n,o,i,j]·W[o]`` to the padded input
    window it read and ``G[n,o,i,j]·window`` to ``W[o]``; the padded gradient is
    then cropped (zeros) or each padded pixel's gradient added to the input
    pixel it copies (:func:`source_index`).
    """
    n_batch, c_in, h, w = x.shape
    c_out, c_g, kh, kw = weight.shape
    s, d = _pair(stride), _pair(dilation)
    pads = _pads2d(padding, (h, w), (kh, kw), s, d)
    xp = _pad_input(x, pads, padding_mode)
    o_g = c_out // groups
    gxp = np.zeros_like(xp)
    gw = np.zeros_like(weight)
    for n in range(n_batch):
        for o in range(c_out):
            g = o // o_g
            for i in range(grad_output.shape[2]):
                for j in range(grad_output.shape[3]):
                    rows, cols = _window(i, j, s, d, (kh, kw))
                    gxp[n, g * c_g:(g + 1) * c_g, rows, cols] += grad_output[n, o, i, j] * weight[o]
                    gw[o] += grad_output[n, o, i, j] * xp[n, g * c_g:(g + 1) * c_g, rows, cols]
    (pt, _), (pl, _) = pads
    if padding_mode != "zeros":
        gx = np.zeros_like(x)
        for a in range(gxp.shape[2]):
            for b in range(gxp.shape[3]):
                src = source_index(a - pt, h, padding_mode), source_index(b - pl, w, padding_mode)
                gx[:, :, src[0], src[1]] += gxp[:, :, a, b]
    else:
        gx = gxp[:, :, pt:pt + h, pl:pl + w].copy()
    return gx, gw, grad_output.sum(axis=(0, 2, 3))


def conv1d_ref(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    """:func:`conv2d_ref` on ``(N, C, 1, L)``; ``padding`` may be an int, ``(left, right)`` or a string."""
    y = conv2d_ref(_unsqueeze(x), _unsqueeze(weight), bias, (1, _pair(stride)[0]), _pads1d_as_2d(padding),
                   (1, _pair(dilation)[0]), groups, padding_mode)
    return _squeeze(y)


def conv1d_backward_ref(grad_output, x, weight, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    """:func:`conv2d_backward_ref` on ``(N, C, 1, L)``."""
    gx, gw, gb = conv2d_backward_ref(_unsqueeze(grad_output), _unsqueeze(x), _unsqueeze(weight),
                                     (1, _pair(stride)[0]), _pads1d_as_2d(padding), (1, _pair(dilation)[0]),
                                     groups, padding_mode)
    return _squeeze(gx), _squeeze(gw), gb


def _full_size(h, k, s, d, op):
    """Length of the un-cropped transposed output: last write at ``s·(h−1) + d·(k−1)``, plus ``output_padding``."""
    return (h - 1) * s + d * (k - 1) + 1 + op


def conv_transpose2d_ref(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Scatter ``X[n,c,i,j]·W[c]`` into the full output window of ``(i, j)``, then crop ``padding`` per side.

    ``Yfull[n, g·O_g + o, s_h i + d_h p, s_w j + d_w q] += X[n,c,i,j]·W[c,o,p,q]``;
    ``Y = Yfull[:, :, P_h : P_h + H_out, P_w : P_w + W_out] + b``.
    """
    n_batch, c_in, h, w = x.shape
    _, o_g, kh, kw = weight.shape
    s, d, p, op = _pair(stride), _pair(dilation), _pair(padding), _pair(output_padding)
    c_g, c_out = c_in // groups, o_g * groups
    h_full, w_full = _full_size(h, kh, s[0], d[0], op[0]), _full_size(w, kw, s[1], d[1], op[1])
    yfull = np.zeros((n_batch, c_out, h_full, w_full), dtype=x.dtype)
    for n in range(n_batch):
        for c in range(c_in):
            g = c // c_g
            for i in range(h):
                for j in range(w):
                    rows, cols = _window(i, j, s, d, (kh, kw))
                    yfull[n, g * o_g:(g + 1) * o_g, rows, cols] += x[n, c, i, j] * weight[c]
    y = yfull[:, :, p[0]:h_full - p[0], p[1]:w_full - p[1]].copy()
    if bias is not None:
        y += bias.reshape(1, -1, 1, 1)
    return y


def conv_transpose2d_backward_ref(grad_output, x, weight, stride=1, padding=0, output_padding=0, groups=1,
                                  dilation=1):
    """Differentiate :func:`conv_transpose2d_ref`: each input pixel reads back the window it wrote to.

    ``∂L/∂X[n,c,i,j] = Σ W[c]·Gfull[n, group, window(i, j)]`` and
    ``∂L/∂W[c] = Σ_{n,i,j} X[n,c,i,j]·Gfull[n, group, window(i, j)]``, where
    ``Gfull`` is ``grad_output`` zero-padded back to the un-cropped size.
    """
    n_batch, c_in, h, w = x.shape
    _, o_g, kh, kw = weight.shape
    s, d, p, op = _pair(stride), _pair(dilation), _pair(padding), _pair(output_padding)
    c_g = c_in // groups
    h_full, w_full = _full_size(h, kh, s[0], d[0], op[0]), _full_size(w, kw, s[1], d[1], op[1])
    gfull = np.zeros((n_batch, grad_output.shape[1], h_full, w_full), dtype=grad_output.dtype)
    gfull[:, :, p[0]:h_full - p[0], p[1]:w_full - p[1]] = grad_output
    gx = np.zeros_like(x)
    gw = np.zeros_like(weight)
    for n in range(n_batch):
        for c in range(c_in):
            g = c // c_g
            for i in range(h):
                for j in range(w):
                    rows, cols = _window(i, j, s, d, (kh, kw))
                    win = gfull[n, g * o_g:(g + 1) * o_g, rows, cols]
                    gx[n, c, i, j] = np.sum(weight[c] * win)
                    gw[c] += x[n, c, i, j] * win
    return gx, gw, grad_output.sum(axis=(0, 2, 3))


def conv_transpose1d_ref(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """:func:`conv_transpose2d_ref` on ``(N, C, 1, L)``."""
    y = conv_transpose2d_ref(_unsqueeze(x), _unsqueeze(weight), bias, (1, _pair(stride)[0]),
                             (0, _pair(padding)[0]), (0, _pair(output_padding)[0]), groups,
                             (1, _pair(dilation)[0]))
    return _squeeze(y)


def conv_transpose1d_backward_ref(grad_output, x, weight, stride=1, padding=0, output_padding=0, groups=1,
                                  dilation=1):
    """:func:`conv_transpose2d_backward_ref` on ``(N, C, 1, L)``."""
    gx, gw, gb = conv_transpose2d_backward_ref(
        _unsqueeze(grad_output), _unsqueeze(x), _unsqueeze(weight), (1, _pair(stride)[0]),
        (0, _pair(padding)[0]), (0, _pair(output_padding)[0]), groups, (1, _pair(dilation)[0]))
    return _squeeze(gx), _squeeze(gw), gb
