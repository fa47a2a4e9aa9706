"""Measurements that return numbers: shift-consistency, receptive field, effective receptive field.

* :func:`shift_consistency` — Zhang, "Making Convolutional Networks
  Shift-Invariant Again" (ICML 2019): how often a random conv+pool network
  gives the same class for two shifts of the same image, with plain max
  pooling (``MaxPool(k=2, s=2)``) and with MaxBlurPool (``MaxPool(k=2, s=1)``,
  then a binomial ``[1, 2, 1]⊗[1, 2, 1]/16`` blur with stride 2).
* :func:`measure_receptive_field` — the receptive field read from the support
  of the input gradient of one output (backpropagated through the engine with
  positive weights, which cannot cancel), against ``derive.receptive_field``.
* :func:`effective_receptive_field` — Luo et al., "Understanding the Effective
  Receptive Field in Deep Convolutional Neural Networks" (NIPS 2016): the
  spread of ``|∂y_centre/∂x|`` of a stack of ``n`` 3x3 layers, and the fitted
  growth exponent of its radius (theory: ``√n``, exponent 0.5), while the
  theoretical receptive field grows like ``n``.

Each returns a :class:`~proofs.properties.result.PropertyResult` whose
``measurements`` hold the numbers (``holds`` is None for a pure measurement;
for the receptive field it says whether measured == derived).

Examples
--------
>>> r = effective_receptive_field(depths=(1, 2, 4, 8), weights="uniform")
>>> round(r.measurements["exponent"], 2)
0.5
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import numeric

from ..configs import Conv2dConfig, Pool2dConfig
from .result import PropertyResult

__all__ = ["shift_consistency", "measure_receptive_field", "effective_receptive_field"]


# --------------------------------------------------------------------------- Zhang 2019
def _wrap(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return np.pad(x, ((0, 0), (0, 0), (lo, hi), (lo, hi)), mode="wrap")


def _blur_kernel(channels: int) -> np.ndarray:
    b = np.array([1.0, 2.0, 1.0])
    k = np.outer(b, b) / 16.0
    return np.broadcast_to(k, (channels, 1, 3, 3)).copy()


def _downsample(x: np.ndarray, blur: bool) -> np.ndarray:
    """MaxPool(2, 2) or MaxBlurPool: MaxPool(2, 1) then blur with stride 2 (circular boundaries)."""
    if not blur:
        return numeric.max_pool2d(x, kernel_size=2, stride=2)
    dense = numeric.max_pool2d(_wrap(x, 0, 1), kernel_size=2, stride=1)
    return numeric.conv2d(dense, _blur_kernel(x.shape[1]), stride=2, padding=1, groups=x.shape[1],
                          padding_mode="circular")


def _smooth_images(rng, n: int, channels: int, size: int) -> np.ndarray:
    """Random images with some spatial correlation: white noise blurred twice (circularly)."""
    x = rng.standard_normal((n, channels, size, size))
    k = _blur_kernel(channels)
    for _ in range(2):
        x = numeric.conv2d(x, k, padding=1, groups=channels, padding_mode="circular")
    return x


def shift_consistency(*, size: int = 32, channels: Sequence[int] = (3, 16, 32, 32), classes: int = 10,
                      images: int = 200, max_shift: int = 8, seed: int = 0) -> PropertyResult:
    """Shift-consistency of a random conv+pool network, without and with a blur before subsampling.

    The network is ``[conv3x3 (circular) → ReLU → downsample] × L → global average → linear``
    with ``L = len(channels) − 1`` and random (He-normal) weights shared by both
    variants. For each image two circular shifts ``δ₁, δ₂ ∈ [0, max_shift)²`` are
    drawn; *consistency* is the fraction of images whose predicted class is the
    same for both (Zhang 2019, section 4); *feature_change* is the mean relative
    L2 distance of the pooled features.

    Returns
    -------
    PropertyResult
        ``holds`` None; measurements ``consistency_without_blur``,
        ``consistency_with_blur``, ``feature_change_without_blur``,
        ``feature_change_with_blur``, ``images``.

    Raises
    ------
    ValueError
        When ``size`` is not divisible by ``2**L`` or a count is not positive.
    """
    layers = len(channels) - 1
    if layers < 1 or images < 1 or classes < 2 or max_shift < 1:
        raise ValueError(f"need >= 1 layer, images >= 1, classes >= 2, max_shift >= 1; got channels={channels}, "
                         f"images={images}, classes={classes}, max_shift={max_shift}")
    if size % (2 ** layers):
        raise ValueError(f"size {size} must be divisible by 2**{layers} = {2 ** layers} (one halving per layer)")
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((co, ci, 3, 3)) * np.sqrt(2.0 / (9 * ci)) for ci, co in zip(channels, channels[1:])]
    dense = rng.standard_normal((classes, channels[-1])) / np.sqrt(channels[-1])
    x = _smooth_images(rng, images, channels[0], size)
    d1 = rng.integers(0, max_shift, size=(images, 2))
    d2 = rng.integers(0, max_shift, size=(images, 2))

    def features(batch: np.ndarray, blur: bool) -> np.ndarray:
        for w in weights:
            batch = _downsample(np.maximum(numeric.conv2d(batch, w, padding=1, padding_mode="circular"), 0.0), blur)
        return batch.mean(axis=(2, 3))

    def shifted(ds):
        return np.stack([np.roll(img, tuple(d), axis=(1, 2)) for img, d in zip(x, ds)])

    out = {}
    a, b = shifted(d1), shifted(d2)
    for blur in (False, True):
        fa, fb = features(a, blur), features(b, blur)
        same = np.argmax(fa @ dense.T, axis=1) == np.argmax(fb @ dense.T, axis=1)
        change = np.linalg.norm(fa - fb, axis=1) / np.maximum(np.linalg.norm(fa, axis=1), 1e-12)
        tag = "with_blur" if blur else "without_blur"
        out[f"consistency_{tag}"] = float(same.mean())
        out[f"feature_change_{tag}"] = float(change.mean())
    out["images"] = images
    return PropertyResult(
        "shift-consistency (Zhang 2019)", holds=None, measurements=out,
        evidence=(f"{images} smoothed random images {channels[0]}×{size}×{size}, {layers} conv3x3+ReLU+downsample "
                  f"layers {tuple(channels)}, random weights (seed {seed}), two circular shifts in [0, {max_shift})² "
                  f"per image; consistency = same predicted class"),
        reference="R. Zhang, Making Convolutional Networks Shift-Invariant Again, ICML 2019",
    )


# --------------------------------------------------------------------------- RF from the gradient
def _rf_tuple(value, n=2):
    vals = tuple(value) if isinstance(value, (tuple, list)) else (value,) * n
    return tuple(int(v) for v in vals)


def _backprop_support(configs, input_size: int, out_pos: tuple[int, int], seed: int) -> np.ndarray:
    """Input-gradient of one output (a one-hot gradient), through the engine; positive weights."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.5, 1.5, (1, configs[0].input_shape[1] if isinstance(configs[0], Conv2dConfig) else 1,
                               input_size, input_size))
    tape = []
    for c in configs:
        if isinstance(c, Conv2dConfig):
            w = rng.uniform(0.5, 1.5, (c.out_channels, x.shape[1] // c.groups, c.kernel_size, c.kernel_size))
            tape.append((c, x, w))
            x = numeric.conv2d(x, w, stride=c.stride, padding=c.padding, dilation=c.dilation, groups=c.groups)
        else:
            tape.append((c, x, None))
            # max pooling routes the gradient to one arg-max; the window's support is that of the
            # average pooling with the same geometry (the union of arg-max supports over inputs)
            x = numeric.avg_pool2d(x, **c.kwargs())
    g = np.zeros_like(x)
    g[0, :, out_pos[0], out_pos[1]] = 1.0
    for c, xin, w in reversed(tape):
        if w is not None:
            g = numeric.conv2d_backward(g, xin, w, stride=c.stride, padding=c.padding, dilation=c.dilation,
                                        groups=c.groups)[0]
        else:
            g = numeric.avg_pool2d_backward(g, xin, **c.kwargs())
    return np.abs(g[0]).sum(axis=0) > 0


def measure_receptive_field(configs: Sequence[Conv2dConfig | Pool2dConfig], *, seed: int = 0) -> PropertyResult:
    """Receptive field size, jump and start read from gradient support, against ``derive.receptive_field``.

    The support of ``∂y[j]/∂x`` for a one-hot output gradient is the set of
    input pixels output ``j`` depends on; its extent is the size ``r``, the
    move of its first pixel from output ``j`` to ``j + 1`` is the jump ``J``, and
    ``first − J·j`` is the start ``u₀`` (``−`` effective padding).

    Returns
    -------
    PropertyResult
        ``holds`` = measured (size, jump, start) == derived on both axes;
        measurements ``size_measured``, ``size_derived``, ``jump_*``, ``start_*`` (first axis).
    """
    import derive

    layers = [c.layer() for c in configs]
    rf = derive.receptive_field(layers)
    size_d, jump_d, start_d = _rf_tuple(rf.size), _rf_tuple(rf.jump), _rf_tuple(rf.start)
    side = 2 * max(size_d) + 4 * max(jump_d) + 2
    probe = np.zeros((1, configs[0].input_shape[1], side, side))
    y = probe
    for c in configs:  # output size of the stack on this input
        if isinstance(c, Conv2dConfig):
            y = numeric.conv2d(y, np.ones((c.out_channels, y.shape[1] // c.groups, c.kernel_size, c.kernel_size)),
                               stride=c.stride, padding=c.padding, dilation=c.dilation, groups=c.groups)
        else:
            y = numeric.avg_pool2d(y, **c.kwargs())
    j = y.shape[2] // 2
    s0 = _backprop_support(configs, side, (j, j), seed)
    s1 = _backprop_support(configs, side, (j + 1, j + 1), seed) if j + 1 < y.shape[2] else None
    measured = []
    for axis in (0, 1):
        rows = np.flatnonzero(s0.any(axis=1 - axis))
        size = int(rows.max() - rows.min() + 1)
        jump = int(np.flatnonzero(s1.any(axis=1 - axis)).min() - rows.min()) if s1 is not None else None
        start = int(rows.min() - (jump or 0) * j)
        measured.append((size, jump, start))
    derived = list(zip(size_d, jump_d, start_d))
    holds = all(m == d for m, d in zip(measured, derived))
    (ms, mj, mu), (ds, dj, du) = measured[0], derived[0]
    return PropertyResult(
        "receptive field: gradient support vs derive.receptive_field", holds=holds,
        measurements={"size_measured": ms, "size_derived": ds, "jump_measured": mj, "jump_derived": dj,
                      "start_measured": mu, "start_derived": du},
        counterexample=None if holds else {"measured": measured, "derived": derived},
        evidence=(f"support of ∂y[{j},{j}]/∂x and ∂y[{j + 1},{j + 1}]/∂x on a {side}×{side} input, positive weights; "
                  f"measured (size, jump, start) per axis {measured}, derived {derived}"),
        reference="Araujo, Norris, Sim, Computing Receptive Fields of Convolutional Neural Networks, Distill 2019",
        details={"support": s0, "output_position": (j, j)},
    )


# --------------------------------------------------------------------------- Luo et al. 2016
def _erf_map(depth: int, weights: str, rng) -> np.ndarray:
    """``|∂y_centre/∂x|`` of ``depth`` 3x3 same-padded single-channel convolutions (no nonlinearity)."""
    side = 2 * depth + 3
    x = np.zeros((1, 1, side, side))
    ws = [np.full((1, 1, 3, 3), 1.0 / 9.0) if weights == "uniform" else rng.standard_normal((1, 1, 3, 3))
          for _ in range(depth)]
    g = np.zeros_like(x)
    g[0, 0, side // 2, side // 2] = 1.0
    for w in reversed(ws):
        g = numeric.conv2d_backward(g, x, w, padding=1)[0]
    return np.abs(g[0, 0])


def effective_receptive_field(*, depths: Sequence[int] = (1, 2, 4, 8, 16, 32), weights: str = "random",
                              trials: int = 20, seed: int = 0) -> PropertyResult:
    """ERF radius of stacks of ``n`` 3x3 convolutions vs ``n``, and the fitted exponent.

    The ERF is ``|∂y_centre/∂x|`` (averaged over ``trials`` random weight draws
    for ``weights="random"``, one pass for ``"uniform"`` weights ``1/9``); its
    radius is the RMS distance from the centre weighted by it. The exponent
    is the least-squares slope of ``log radius`` on ``log n``. The theoretical
    receptive field ``1 + 2n`` (slope 1) is reported beside it.

    Returns
    -------
    PropertyResult
        ``holds`` None; measurements ``exponent``, ``radius_at_<n>``,
        ``rf_at_<n>``, ``ratio_at_<n>`` (ERF radius / theoretical RF).
        ``details["maps"]``: depth -> ERF map; ``details["radii"]``.

    Raises
    ------
    ValueError
        For fewer than two depths, a depth < 1 or an unknown ``weights``.
    """
    depths = sorted({int(d) for d in depths})
    if len(depths) < 2 or depths[0] < 1:
        raise ValueError(f"need at least two depths >= 1 to fit an exponent, got {depths}")
    if weights not in ("random", "uniform"):
        raise ValueError(f"weights must be 'random' or 'uniform', got {weights!r}")
    rng = np.random.default_rng(seed)
    maps, radii, out = {}, [], {}
    for n in depths:
        m = np.mean([_erf_map(n, weights, rng) for _ in range(trials if weights == "random" else 1)], axis=0)
        c = m.shape[0] // 2
        u, v = np.meshgrid(np.arange(m.shape[0]) - c, np.arange(m.shape[1]) - c, indexing="ij")
        radius = float(np.sqrt((m * (u ** 2 + v ** 2) / 2).sum() / m.sum()))  # RMS distance per axis
        maps[n] = m
        radii.append(radius)
        out[f"radius_at_{n}"] = radius
        out[f"rf_at_{n}"] = 1 + 2 * n
        out[f"ratio_at_{n}"] = radius / (1 + 2 * n)
    slope = float(np.polyfit(np.log(depths), np.log(radii), 1)[0])
    out = {"exponent": slope, **out}
    return PropertyResult(
        "effective receptive field growth (Luo et al. 2016)", holds=None, measurements=out,
        evidence=(f"stacks of n 3x3 convs, n in {depths}, {weights} weights"
                  + (f" ({trials} draws)" if weights == "random" else "")
                  + f"; radius = weighted RMS distance of |∂y_centre/∂x|; fitted exponent {slope:.3f} "
                    "(theory √n: 0.5; theoretical RF 1 + 2n: 1)"),
        reference="W. Luo, Y. Li, R. Urtasun, R. Zemel, Understanding the Effective Receptive Field in Deep CNNs, NIPS 2016",
        details={"maps": maps, "radii": dict(zip(depths, radii)), "depths": depths},
    )
