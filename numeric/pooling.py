"""Max, average, adaptive and global average pooling, forward and backward.

PyTorch conventions: inputs ``(N, C, L)`` (1-D) or ``(N, C, H, W)`` (2-D),
float32 or float64, same dtype out; argument names and defaults as
``torch.nn.functional``. Each public function validates its arguments
(:mod:`numeric._pool_geometry`), allocates, and calls a Numba kernel of
:mod:`numeric._pool_kernels` that runs in parallel over the ``N·C`` planes.

Rules followed exactly as PyTorch does:

* output size ``⌊(L + 2p − d(k−1) − 1)/s⌋ + 1``, or with ``ceil_mode`` the
  ceiling, minus one if the last window would start beyond ``L + p − 1``
  (it must start inside the input or the left padding);
* ``padding <= kernel_size // 2`` (per dimension);
* average pooling divides by ``divisor_override`` if given, else by the
  window clipped to the padded input when ``count_include_pad`` (so windows
  that ``ceil_mode`` lets run past the right padding count only up to it),
  else by the number of input elements in the window;
* max pooling: padding never wins. **Ties go to the first maximum in row-major
  window order** (strict ``>`` while scanning rows, then columns); a NaN beats
  every number and, among several NaNs, the last one wins (as PyTorch's CPU
  kernel, whose test is ``val > max || isnan(val)``). PyTorch's CPU kernel
  also keeps the first strict maximum, but its tie rule is not part of its
  contract and other backends may differ: tests compare with PyTorch on
  inputs without ties, and with :mod:`numeric.reference_pool` on ties.
  A window made only of padding (possible with a large dilation, e.g. ``L=1,
  k=2, p=1, d=2``) yields ``-inf`` with index ``-1`` and receives no gradient
  (PyTorch returns ``-inf`` with an index outside the plane there).
* the padding limit is PyTorch's: half the *undilated* kernel size;
* an empty batch (``N = 0``) gives an empty output (and gradient).

Examples
--------
>>> import numpy as np
>>> x = np.arange(16.0).reshape(1, 1, 4, 4)
>>> max_pool2d(x, 2)[0, 0]
array([[ 5.,  7.],
       [13., 15.]])
>>> y, idx = max_pool2d(x, 3, stride=2, padding=1, return_indices=True)
>>> idx[0, 0]
array([[ 5,  7],
       [13, 15]])
>>> avg_pool2d(x, 2, ceil_mode=True, stride=3)[0, 0]
array([[ 2.5,  5. ],
       [12.5, 15. ]])
>>> max_pool2d(x, 3, padding=2)
Traceback (most recent call last):
...
ValueError: max_pool2d: padding must be at most half the kernel size, got padding 2 > kernel_size 3 // 2 = 1
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._pool_geometry import (
    adaptive_output_size,
    check_bool,
    check_divisor_override,
    check_grad_output,
    check_pool_input,
    pool_geometry,
)
from ._pool_kernels import (
    adaptive_avg_pool2d_backward_kernel,
    adaptive_avg_pool2d_forward,
    avg_pool2d_backward_kernel,
    avg_pool2d_forward,
    max_pool2d_backward_kernel,
    max_pool2d_forward,
    max_pool2d_values,
)
from ._threads import call_kernel

__all__ = [
    "max_pool1d",
    "max_pool2d",
    "max_pool1d_backward",
    "max_pool2d_backward",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool1d_backward",
    "avg_pool2d_backward",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool1d_backward",
    "adaptive_avg_pool2d_backward",
    "global_avg_pool2d",
    "global_avg_pool2d_backward",
]


def _planes(x: np.ndarray) -> np.ndarray:
    """View (N, C, *spatial) as a stack of 2-D planes (N·C, H, W); 1-D planes get H = 1."""
    n, c = x.shape[:2]
    spatial = x.shape[2:]
    if len(spatial) == 1:
        return x.reshape(n * c, 1, spatial[0])
    return x.reshape(n * c, *spatial)


# ---------------------------------------------------------------------------------------------- max


def _max_pool(op, nd, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    x = check_pool_input(x, op, nd)
    geo = pool_geometry(op, x.shape, kernel_size, stride, padding, dilation, ceil_mode)
    want_idx = check_bool(return_indices, f"{op}: return_indices")
    g2 = geo.as_2d()
    n, c = x.shape[:2]
    out = np.empty((n * c, *g2.out_size), x.dtype)
    shape = (n, c, *geo.out_size)
    work = out.size * g2.kernel_size[0] * g2.kernel_size[1]
    if not want_idx:
        call_kernel(max_pool2d_values, work, _planes(x), *g2.kernel_size, *g2.stride, *g2.padding, *g2.dilation, out)
        return out.reshape(shape)
    idx = np.empty((n * c, *g2.out_size), np.int64)
    call_kernel(max_pool2d_forward, work, _planes(x), *g2.kernel_size, *g2.stride, *g2.padding, *g2.dilation,
                out, idx)
    return out.reshape(shape), idx.reshape(shape)


def _max_pool_backward(op, nd, grad_output, x, kernel_size, stride, padding, dilation, ceil_mode):
    x = check_pool_input(x, op, nd)
    geo = pool_geometry(op, x.shape, kernel_size, stride, padding, dilation, ceil_mode)
    g = check_grad_output(grad_output, (*x.shape[:2], *geo.out_size), x.dtype, op)
    g2 = geo.as_2d()
    grad_input = np.empty_like(x)  # zeroed plane by plane inside the parallel kernel
    call_kernel(
        max_pool2d_backward_kernel, g.size * g2.kernel_size[0] * g2.kernel_size[1],
        _planes(g), _planes(x), *g2.kernel_size, *g2.stride, *g2.padding, *g2.dilation, _planes(grad_input),
    )
    return grad_input


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """1-D max pooling of ``x`` (N, C, L).

    Parameters
    ----------
    input : ndarray (N, C, L), float32 or float64 (N may be 0)
    kernel_size, stride, padding, dilation : int or 1-tuple
        ``stride=None`` means ``kernel_size``; ``padding <= kernel_size // 2``.
    ceil_mode : bool
        Round the output size up (PyTorch's rule, see the module docstring).
    return_indices : bool
        Also return the index ``l`` of each maximum in the input row (int64).

    Returns
    -------
    ndarray (N, C, L_out), or (values, indices)
        ``L_out = ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1`` (ceiling with ``ceil_mode``).

    Raises
    ------
    TypeError, ValueError
        Bad dtype/rank/sizes; the message names the constraint and the numbers.

    Examples
    --------
    >>> import numpy as np
    >>> max_pool1d(np.array([[[1.0, 3.0, 2.0, 5.0, 4.0]]]), 2, ceil_mode=True)
    array([[[3., 5., 4.]]])
    >>> max_pool1d(np.array([[[2.0, 2.0, 1.0]]]), 3, return_indices=True)[1]  # tie: first one
    array([[[0]]])
    """
    return _max_pool("max_pool1d", 1, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """2-D max pooling of ``x`` (N, C, H, W).

    .. math:: y[n, c, i, j] = \\max_{t, u}\\; x[n, c,\\, i s_h - p_h + t d_h,\\, j s_w - p_w + u d_w]

    Parameters
    ----------
    input : ndarray (N, C, H, W), float32 or float64 (N may be 0)
    kernel_size, stride, padding, dilation : int or 2-tuple
        ``stride=None`` means ``kernel_size``; ``padding <= kernel_size // 2``.
    ceil_mode : bool
    return_indices : bool
        Also return the flat index ``h·W + w`` of each maximum in its input
        plane (int64), as PyTorch does. Ties: the first maximum in row-major
        window order.

    Returns
    -------
    ndarray (N, C, H_out, W_out), or (values, indices)

    Raises
    ------
    TypeError, ValueError

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal((8, 64, 112, 112)).astype(np.float32)
    >>> max_pool2d(x, 3, stride=2, padding=1).shape   # ⌊(112 + 2 − 2 − 1)/2⌋ + 1 = 56
    (8, 64, 56, 56)
    >>> max_pool2d(np.zeros((1, 1, 2, 2)), 3)
    Traceback (most recent call last):
    ...
    ValueError: max_pool2d: H_out = ⌊(2 + 2·0 − 1·(3−1) − 1)/3⌋ + 1 = 0 < 1 (kernel larger than padded input)
    """
    return _max_pool("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool1d_backward(grad_output, input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Gradient of :func:`max_pool1d` w.r.t. ``input``: each ``grad_output`` entry goes to its window's maximum.

    Returns
    -------
    ndarray (N, C, L), same dtype as ``input``

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[1.0, 3.0, 2.0, 5.0, 4.0]]])
    >>> max_pool1d_backward(np.ones((1, 1, 4)), x, 2, stride=1)
    array([[[0., 2., 0., 2., 0.]]])
    """
    return _max_pool_backward("max_pool1d_backward", 1, grad_output, input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool2d_backward(grad_output, input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Gradient of :func:`max_pool2d` w.r.t. ``input``.

    .. math:: \\frac{\\partial L}{\\partial x[n, c, h, w]} = \\sum_{(i, j) :\\, \\operatorname{argmax}(i, j) = (h, w)} g[n, c, i, j]

    The argmax is recomputed from ``x`` (first maximum on ties).

    Parameters
    ----------
    grad_output : ndarray (N, C, H_out, W_out), same dtype as ``input``
    input, kernel_size, stride, padding, dilation, ceil_mode
        As given to :func:`max_pool2d`.

    Returns
    -------
    ndarray (N, C, H, W)

    Raises
    ------
    TypeError, ValueError
        Including a ``grad_output`` whose shape is not the forward output's.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2)[0, 0]
    array([[0., 0., 0., 0.],
           [0., 1., 0., 1.],
           [0., 0., 0., 0.],
           [0., 1., 0., 1.]])
    >>> max_pool2d_backward(np.ones((1, 1, 3, 3)), x, 2)
    Traceback (most recent call last):
    ...
    ValueError: max_pool2d_backward: grad_output must have the forward output's shape (1, 1, 2, 2), got (1, 1, 3, 3)
    """
    return _max_pool_backward("max_pool2d_backward", 2, grad_output, input, kernel_size, stride, padding, dilation, ceil_mode)


# ---------------------------------------------------------------------------------------------- avg


def _avg_args(op, nd, x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    x = check_pool_input(x, op, nd)
    geo = pool_geometry(op, x.shape, kernel_size, stride, padding, 1, ceil_mode)
    include = check_bool(count_include_pad, f"{op}: count_include_pad")
    div = check_divisor_override(divisor_override, op)
    return x, geo, include, (0 if div is None else div)


def _avg_pool(op, nd, x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    x, geo, include, div = _avg_args(op, nd, x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)
    g2 = geo.as_2d()
    n, c = x.shape[:2]
    out = np.empty((n * c, *g2.out_size), x.dtype)
    call_kernel(avg_pool2d_forward, out.size * g2.kernel_size[0] * g2.kernel_size[1],
                _planes(x), *g2.kernel_size, *g2.stride, *g2.padding, include, div, out)
    return out.reshape(n, c, *geo.out_size)


def _avg_pool_backward(op, nd, grad_output, x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    x, geo, include, div = _avg_args(op, nd, x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)
    g = check_grad_output(grad_output, (*x.shape[:2], *geo.out_size), x.dtype, op)
    g2 = geo.as_2d()
    grad_input = np.empty_like(x)  # overwritten by the kernel
    call_kernel(avg_pool2d_backward_kernel, g.size * g2.kernel_size[0] * g2.kernel_size[1],
                _planes(g), *g2.kernel_size, *g2.stride, *g2.padding, include, div, _planes(grad_input))
    return grad_input


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    """1-D average pooling of ``x`` (N, C, L).

    ``divisor_override`` is not an argument of PyTorch's ``avg_pool1d``; it is
    accepted here for symmetry with :func:`avg_pool2d` (``None`` = PyTorch).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.ones((1, 1, 6))
    >>> avg_pool1d(x, 3, stride=2, padding=1, ceil_mode=True)  # divisors 3, 3, 3, 2
    array([[[0.66666667, 1.        , 1.        , 0.5       ]]])
    >>> avg_pool1d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
    array([[[1., 1., 1., 1.]]])
    """
    return _avg_pool("avg_pool1d", 1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    """2-D average pooling of ``x`` (N, C, H, W).

    .. math:: y[n, c, i, j] = \\frac{1}{D_{ij}} \\sum_{(h, w) \\in W_{ij} \\cap [0, H) \\times [0, W)} x[n, c, h, w]

    ``D_ij`` is ``divisor_override`` if given; else, with ``count_include_pad``,
    the size of the window clipped to the padded input
    ``[−p_h, H + p_h) × [−p_w, W + p_w)``; else the number of input elements
    summed.

    Returns
    -------
    ndarray (N, C, H_out, W_out)

    Raises
    ------
    TypeError, ValueError

    Examples
    --------
    >>> import numpy as np
    >>> avg_pool2d(np.ones((1, 1, 3, 3)), 2, padding=1)[0, 0]
    array([[0.25, 0.5 ],
           [0.5 , 1.  ]])
    >>> avg_pool2d(np.ones((1, 1, 3, 3)), 2, padding=1, count_include_pad=False)[0, 0]
    array([[1., 1.],
           [1., 1.]])
    >>> avg_pool2d(np.ones((1, 1, 3, 3)), 2, divisor_override=0)
    Traceback (most recent call last):
    ...
    ValueError: avg_pool2d: divisor_override must be >= 1, got 0
    """
    return _avg_pool("avg_pool2d", 2, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


def avg_pool1d_backward(
    grad_output, input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """Gradient of :func:`avg_pool1d` w.r.t. ``input``.

    Examples
    --------
    >>> import numpy as np
    >>> avg_pool1d_backward(np.ones((1, 1, 2)), np.zeros((1, 1, 3)), 2, stride=1)
    array([[[0.5, 1. , 0.5]]])
    """
    return _avg_pool_backward(
        "avg_pool1d_backward", 1, grad_output, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


def avg_pool2d_backward(
    grad_output, input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """Gradient of :func:`avg_pool2d` w.r.t. ``input``: ``g[i, j] / D_ij`` to every input element of window ``(i, j)``.

    ``input`` supplies only the shape and dtype (the operator is linear).

    Examples
    --------
    >>> import numpy as np
    >>> avg_pool2d_backward(np.ones((1, 1, 1, 1)), np.zeros((1, 1, 2, 2)), 2)[0, 0]
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    return _avg_pool_backward(
        "avg_pool2d_backward", 2, grad_output, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


# ----------------------------------------------------------------------------------------- adaptive


def _adaptive(op, nd, x, output_size):
    x = check_pool_input(x, op, nd)
    return x, adaptive_output_size(output_size, x.shape, op)


def _adaptive_forward(op, nd, x, output_size):
    x, osz = _adaptive(op, nd, x, output_size)
    n, c = x.shape[:2]
    out = np.empty((n * c, *((1,) * (2 - nd)), *osz), x.dtype)
    call_kernel(adaptive_avg_pool2d_forward, x.size + out.size, _planes(x), out)
    return out.reshape(n, c, *osz)


def _adaptive_backward(op, nd, grad_output, x, output_size):
    x, osz = _adaptive(op, nd, x, output_size)
    g = check_grad_output(grad_output, (*x.shape[:2], *osz), x.dtype, op)
    grad_input = np.empty_like(x)  # overwritten by the kernel
    call_kernel(adaptive_avg_pool2d_backward_kernel, x.size + g.size, _planes(g), _planes(grad_input))
    return grad_input


def adaptive_avg_pool1d(input, output_size):
    """Adaptive average pooling of ``x`` (N, C, L) to length ``output_size``.

    Output ``o`` averages ``x[⌊o·L/O⌋ : ⌈(o+1)·L/O⌉]`` (PyTorch's rule; windows may overlap).

    Examples
    --------
    >>> import numpy as np
    >>> adaptive_avg_pool1d(np.arange(5.0).reshape(1, 1, 5), 3)
    array([[[0.5, 2. , 3.5]]])
    """
    return _adaptive_forward("adaptive_avg_pool1d", 1, input, output_size)


def adaptive_avg_pool2d(input, output_size):
    """Adaptive average pooling of ``x`` (N, C, H, W) to ``output_size`` (int or pair; ``None`` keeps a size).

    .. math:: y[i, j] = \\operatorname{mean}\\, x[\\lfloor iH/O_H \\rfloor : \\lceil (i+1)H/O_H \\rceil,\\;
              \\lfloor jW/O_W \\rfloor : \\lceil (j+1)W/O_W \\rceil]

    Examples
    --------
    >>> import numpy as np
    >>> adaptive_avg_pool2d(np.ones((2, 3, 7, 5)), (2, None)).shape
    (2, 3, 2, 5)
    """
    return _adaptive_forward("adaptive_avg_pool2d", 2, input, output_size)


def adaptive_avg_pool1d_backward(grad_output, input, output_size):
    """Gradient of :func:`adaptive_avg_pool1d` w.r.t. ``input``.

    Examples
    --------
    >>> import numpy as np
    >>> adaptive_avg_pool1d_backward(np.ones((1, 1, 2)), np.zeros((1, 1, 3)), 2)
    array([[[0.5, 1. , 0.5]]])
    """
    return _adaptive_backward("adaptive_avg_pool1d_backward", 1, grad_output, input, output_size)


def adaptive_avg_pool2d_backward(grad_output, input, output_size):
    """Gradient of :func:`adaptive_avg_pool2d` w.r.t. ``input``.

    Examples
    --------
    >>> import numpy as np
    >>> adaptive_avg_pool2d_backward(np.ones((1, 1, 1, 1)), np.zeros((1, 1, 2, 2)), 1)[0, 0]
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    return _adaptive_backward("adaptive_avg_pool2d_backward", 2, grad_output, input, output_size)


# ------------------------------------------------------------------------------------------- global


def global_avg_pool2d(input: Any) -> np.ndarray:
    """Mean over H and W of ``x`` (N, C, H, W), kept as (N, C, 1, 1) like ``adaptive_avg_pool2d(x, 1)``.

    Plain NumPy (a reduction NumPy already does well).

    Examples
    --------
    >>> import numpy as np
    >>> global_avg_pool2d(np.arange(8.0).reshape(1, 2, 2, 2))
    array([[[[1.5]],
    <BLANKLINE>
            [[5.5]]]])
    """
    x = check_pool_input(input, "global_avg_pool2d", 2)
    return x.mean(axis=(2, 3), keepdims=True, dtype=np.float64).astype(x.dtype)


def global_avg_pool2d_backward(grad_output: Any, input: Any) -> np.ndarray:
    """Gradient of :func:`global_avg_pool2d`: ``g[n, c] / (H·W)`` everywhere in plane ``(n, c)``.

    Examples
    --------
    >>> import numpy as np
    >>> global_avg_pool2d_backward(np.ones((1, 1, 1, 1)), np.zeros((1, 1, 2, 2)))[0, 0]
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    op = "global_avg_pool2d_backward"
    x = check_pool_input(input, op, 2)
    n, c, h, w = x.shape
    g = check_grad_output(grad_output, (n, c, 1, 1), x.dtype, op)
    return np.broadcast_to(g / (h * w), x.shape).astype(x.dtype)
