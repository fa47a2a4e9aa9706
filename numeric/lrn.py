r"""Local response normalisation across channels (AlexNet, Caffe ``ACROSS_CHANNELS``, PyTorch, TensorFlow).

.. math::

    b_c = a_c \Big/ \Big(k + \alpha' \sum_{j=\max(0,\, c - \lfloor n/2 \rfloor)}^{\min(C-1,\, c + \lceil n/2 \rceil - 1)}
          a_j^2\Big)^{\beta},
    \qquad \alpha' = \alpha / n \ \text{(``alpha_over_n=True``: PyTorch, Caffe)}, \ \alpha \ \text{(AlexNet, TensorFlow)}.

The window has ``n`` channels (``⌊n/2⌋`` before ``c``, ``⌈n/2⌉ − 1`` after it, zero outside the
channels: PyTorch's padding; for odd ``n`` it is the centred ``c ± (n − 1)/2`` of AlexNet, Caffe and
TensorFlow's ``depth_radius = (n − 1)/2``). Input ``(N, C, *)``; plain NumPy (a cumulative sum over
the channel axis), float32 computed in float64 and cast back.

Backward (``d = k + α'·S``, ``S`` the window sum at ``c``):

.. math::

    \frac{\partial L}{\partial a_j} = g_j\, d_j^{-\beta}
        - 2\alpha'\beta\, a_j \sum_{c:\ j \in W(c)} g_c\, a_c\, d_c^{-\beta - 1}.

Examples
--------
>>> import numpy as np
>>> x = np.ones((1, 5, 1, 1))
>>> local_response_norm(x, 5, alpha=1.0, beta=0.75, k=1.0)[0, :, 0, 0].round(4)   # α/n = 0.2; 3, 4, 5, 4, 3 channels
array([0.7029, 0.6435, 0.5946, 0.6435, 0.7029])
>>> float(local_response_norm(x, 5, alpha=1.0, beta=0.75, k=1.0, alpha_over_n=False)[0, 2, 0, 0].round(4))  # 6^-0.75
0.2608
>>> local_response_norm(x, 0)
Traceback (most recent call last):
...
ValueError: local_response_norm: size n = 0 must be a positive number of channels
"""

from __future__ import annotations

import numpy as np

__all__ = ["local_response_norm", "local_response_norm_backward"]


def _check(x: np.ndarray, size: int, name: str) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim < 2:
        raise ValueError(f"{name}: input of shape (N, C, *) needed, got {x.ndim} dimension(s) {x.shape}")
    if int(size) != size or size < 1:
        raise ValueError(f"{name}: size n = {size} must be a positive number of channels")
    return x


def _window_sums(sq: np.ndarray, size: int) -> np.ndarray:
    """``Σ_{j ∈ W(c)} sq_j`` for every channel ``c`` (axis 1), zero outside the channels."""
    before, after = size // 2, (size - 1) // 2
    c = sq.shape[1]
    pad = [(0, 0)] * sq.ndim
    pad[1] = (before + 1, after)
    cum = np.cumsum(np.pad(sq, pad), axis=1)
    return np.take(cum, np.arange(size, size + c), axis=1) - np.take(cum, np.arange(0, c), axis=1)


def local_response_norm(x, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0, *,
                        alpha_over_n: bool = True) -> np.ndarray:
    """LRN across channels, as ``torch.nn.functional.local_response_norm(x, size, alpha, beta, k)``.

    ``alpha_over_n=False`` uses ``α`` itself (AlexNet's paper, TensorFlow's ``local_response_normalization``).
    """
    x = _check(x, size, "local_response_norm")
    x64 = x.astype(np.float64)
    scale = alpha / size if alpha_over_n else alpha
    d = k + scale * _window_sums(x64 * x64, size)
    return (x64 * d ** -beta).astype(x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64)


def local_response_norm_backward(grad_out, x, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0, *,
                                 alpha_over_n: bool = True) -> np.ndarray:
    """Gradient of :func:`local_response_norm` with respect to its input."""
    x = _check(x, size, "local_response_norm_backward")
    g = np.asarray(grad_out, dtype=np.float64)
    if g.shape != x.shape:
        raise ValueError(f"local_response_norm_backward: grad_out shape {g.shape} differs from the input's {x.shape}")
    x64 = x.astype(np.float64)
    scale = alpha / size if alpha_over_n else alpha
    d = k + scale * _window_sums(x64 * x64, size)
    t = g * x64 * d ** (-beta - 1)
    # Σ over the channels c whose window holds j: the window of c is [c − ⌊n/2⌋, c + ⌈n/2⌉ − 1], so
    # c ∈ [j − ⌈n/2⌉ + 1, j + ⌊n/2⌋] — the mirrored window, i.e. the window sums of the flipped channels
    back = np.flip(_window_sums(np.flip(t, axis=1), size), axis=1)
    out = g * d ** -beta - 2 * scale * beta * x64 * back
    return out.astype(x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64)
