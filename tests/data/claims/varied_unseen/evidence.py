"""Independent evidence for the claims in this folder: every claim's truth value, computed by brute force.

Nothing here imports ``proofs`` or ``derive``: output sizes are counted window positions, parameter counts
are sums of tensor shapes, receptive fields come from propagating a one-hot gradient back through a numpy
stack, and equivariance is tested on random arrays. When PyTorch is installed the output sizes, parameter
counts and receptive fields are cross-checked against ``torch.nn`` too (``--no-torch`` skips that).

Run ``python tests/data/claims/varied_unseen/evidence.py``: it asserts each claim's ``truth`` (by id), that
every claim is covered by a computation and every computation by a claim, and exits 0.

>>> out_size(7, 3, s=2, p=1)
4
>>> receptive_field([(3, 1, 1)] * 3)
(7, 1)
"""

from __future__ import annotations

import math
import sys
import tomllib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RNG = np.random.default_rng(0)


# ---------------------------------------------------------------- output sizes (count window positions)
def out_size(n: int, k: int, s: int = 1, p: int = 0, d: int = 1, pr: int | None = None) -> int:
    """Number of positions of a (dilated) window of ``k`` taps in a length-``n`` input padded ``p`` left, ``pr`` right."""
    pr = p if pr is None else pr
    total = n + p + pr
    span = d * (k - 1) + 1
    return sum(1 for start in range(0, total, s) if start + span <= total)


def pool_size(n: int, k: int, s: int, p: int = 0, ceil: bool = False) -> int:
    """Pooling windows: floor mode needs the whole window inside; ceil mode also keeps a partial window when
    the previous one left elements uncovered, if it starts inside the input or the left padding (PyTorch's rule)."""
    total = n + 2 * p
    count = 0
    for start in range(0, total, s):
        partial = ceil and start < n + p and (start == 0 or start - s + k < total)
        if start + k <= total or partial:
            count += 1
    return count


def same_size(n: int, k: int, s: int) -> int:
    """TensorFlow's "same": total padding max((ceil(n/s)-1)s + k - n, 0), the extra pixel on the right."""
    outs = -(-n // s)
    total = max((outs - 1) * s + k - n, 0)
    return out_size(n, k, s, total // 2, pr=total - total // 2)


def tconv_size(n: int, k: int, s: int = 1, p: int = 0, op: int = 0, d: int = 1) -> int:
    """Transposed convolution: scatter each input tap to ``i*s + j*d``, crop ``p`` each side, add ``op`` on the right."""
    touched = np.zeros(n * s + d * k + 1, dtype=bool)
    for i in range(n):
        for j in range(k):
            touched[i * s + j * d] = True
    full = int(np.nonzero(touched)[0].max()) + 1
    return full - 2 * p + op


# ---------------------------------------------------------------- parameters, MACs, memory (tensor shapes)
def n_el(*shape: int) -> int:
    return int(np.prod(np.array(shape, dtype=np.int64)))


def conv_params(cin: int, cout: int, k: int | tuple, bias: bool = True, groups: int = 1) -> int:
    kh, kw = (k, k) if isinstance(k, int) else k
    return n_el(cout, cin // groups, kh, kw) + (cout if bias else 0)


def dense_params(i: int, o: int, bias: bool = True) -> int:
    return n_el(o, i) + (o if bias else 0)


def conv_macs(h: int, w: int, cin: int, cout: int, k: int, s: int = 1, p: int = 0, groups: int = 1) -> int:
    """Multiply-accumulates: one per (output position, output channel, tap of its input-channel group)."""
    return out_size(h, k, s, p) * out_size(w, k, s, p) * cout * (cin // groups) * k * k


def vgg16() -> tuple[int, int]:
    """VGG-16 (configuration D) at 224x224: (parameters, MACs), layer by layer from shapes."""
    cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
    params = macs = 0
    c, h = 3, 224
    for v in cfg:
        if v == "M":
            h = pool_size(h, 2, 2)
            continue
        params += conv_params(c, v, 3)
        macs += conv_macs(h, h, c, v, 3, 1, 1)
        c = v
    for i, o in [(512 * h * h, 4096), (4096, 4096), (4096, 1000)]:
        params += dense_params(i, o)
        macs += i * o
    return params, macs


def resnet(blocks: list[int], bottleneck: bool) -> tuple[int, int]:
    """torchvision ResNet (BN has weight and bias per channel; convs have no bias) at 224: (parameters, MACs)."""
    params = conv_params(3, 64, 7, bias=False) + 2 * 64
    macs = conv_macs(224, 224, 3, 64, 7, 2, 3)
    h = pool_size(out_size(224, 7, 2, 3), 3, 2, 1)
    cin = 64
    for stage, n in enumerate(blocks):
        width = 64 * 2 ** stage
        cout = width * 4 if bottleneck else width
        for b in range(n):
            s = 2 if (b == 0 and stage > 0) else 1
            if bottleneck:
                convs = [(cin, width, 1, 1, h), (width, width, 3, s, h), (width, cout, 1, 1, out_size(h, 3, s, 1))]
            else:
                convs = [(cin, width, 3, s, h), (width, cout, 3, 1, out_size(h, 3, s, 1))]
            for ci, co, k, st, hh in convs:
                params += conv_params(ci, co, k, bias=False) + 2 * co
                macs += conv_macs(hh, hh, ci, co, k, st, k // 2)
            if s != 1 or cin != cout:
                params += conv_params(cin, cout, 1, bias=False) + 2 * cout
                macs += conv_macs(h, h, cin, cout, 1, s, 0)
            h = out_size(h, 3, s, 1)
            cin = cout
    params += dense_params(cin, 1000)
    macs += cin * 1000
    return params, macs


# ---------------------------------------------------------------- receptive fields (one-hot gradient, numpy)
def _forward_len(n: int, layers) -> list[int]:
    lens = [n]
    for k, s, d in layers:
        lens.append(out_size(lens[-1], k, s, 0, d))
    return lens


def _input_grad(layers, unit: int, n: int) -> np.ndarray:
    """Gradient of output ``unit`` w.r.t. the input of a 1-D stack of all-ones windows (valid padding)."""
    lens = _forward_len(n, layers)
    g = np.zeros(lens[-1])
    g[unit] = 1.0
    for (k, s, d), n_in in zip(reversed(layers), reversed(lens[:-1])):
        back = np.zeros(n_in)
        for i in np.nonzero(g)[0]:
            for j in range(k):
                back[i * s + j * d] += g[i]
        g = back
    return g


def receptive_field(layers, n: int = 2048) -> tuple[int, int]:
    """(receptive field, jump) of a 1-D stack of (kernel, stride, dilation) layers (pooling is a window too):
    the span of input positions with nonzero gradient for output 0, and how far it moves for output 1."""
    g0, g1 = _input_grad(layers, 0, n), _input_grad(layers, 1, n)
    nz0, nz1 = np.nonzero(g0)[0], np.nonzero(g1)[0]
    return int(nz0.max() - nz0.min() + 1), int(nz1.min() - nz0.min())


def rf(layers) -> int:
    return receptive_field(layers)[0]


def jump(layers) -> int:
    return receptive_field(layers)[1]


def conv3(L: int, s: int = 1):
    return [(3, s, 1)] * L


def growth(seq: list[int]) -> str:
    diffs = np.diff(seq)
    if np.all(diffs == diffs[0]):
        return "linear"
    ratios = [b / a for a, b in zip(seq, seq[1:])]
    if all(abs(r - ratios[-1]) < 0.35 for r in ratios[2:]) and ratios[-1] > 1.5:
        return "exponential"
    return "other"


# ---------------------------------------------------------------- equivariance (random arrays)
def conv2d(x: np.ndarray, w: np.ndarray, s: int = 1, pad: str = "circular") -> np.ndarray:
    """Cross-correlation of a 2-D map with an odd kxk kernel, "same" padding (circular or zeros), stride s."""
    k = w.shape[0]
    mode = "wrap" if pad == "circular" else "constant"
    xp = np.pad(x, k // 2, mode=mode)
    win = np.lib.stride_tricks.sliding_window_view(xp, (k, k))
    return np.einsum("ijkl,kl->ij", win, w)[::s, ::s]


def maxpool(x: np.ndarray, k: int = 2) -> np.ndarray:
    h, w = x.shape[0] // k, x.shape[1] // k
    return x[: h * k, : w * k].reshape(h, k, w, k).max(axis=(1, 3))


def shift(x: np.ndarray, dy: int, dx: int) -> np.ndarray:
    return np.roll(x, (dy, dx), axis=(0, 1))


def translation_equivariant(pad: str = "circular", s: int = 1, delta: int = 1, trials: int = 5, n: int = 12) -> bool:
    """conv(shift_delta x) == shift_{delta/s}(conv x) on random inputs and kernels (False if delta/s is not whole)."""
    for _ in range(trials):
        x, w = RNG.normal(size=(n, n)), RNG.normal(size=(3, 3))
        y = conv2d(x, w, s, pad)
        ys = conv2d(shift(x, delta, 0), w, s, pad)
        if delta % s or not np.allclose(ys, shift(y, delta // s, 0)):
            return False
    return True


def translation_invariant(f, delta: int = 1, trials: int = 5, n: int = 12) -> bool:
    for _ in range(trials):
        x = RNG.normal(size=(n, n))
        if not np.allclose(f(x), f(shift(x, delta, delta))):
            return False
    return True


def transform_equivariant(t, kernel=None, pad: str = "circular", trials: int = 5, n: int = 12) -> bool:
    """conv(t x) == t(conv x) for a transform t (rotation, flip) on random inputs (random kernel by default)."""
    for _ in range(trials):
        x = RNG.normal(size=(n, n))
        w = RNG.normal(size=(3, 3)) if kernel is None else kernel
        if not np.allclose(conv2d(t(x), w, 1, pad), t(conv2d(x, w, 1, pad))):
            return False
    return True


def transform_invariant(f, t, trials: int = 5, n: int = 12) -> bool:
    for _ in range(trials):
        x = RNG.normal(size=(n, n))
        if not np.allclose(f(t(x)), f(x)):
            return False
    return True


def cnn_feature(x: np.ndarray, w: np.ndarray, pool: str) -> np.ndarray:
    """conv (circular) -> ReLU -> max pool 2x2 or global average pool."""
    y = np.maximum(conv2d(x, w), 0)
    return y.mean() if pool == "gap" else maxpool(y)


ROT90 = np.rot90
FLIP = np.fliplr


def approx(value: float, target: float, rel: float) -> bool:
    return abs(value - target) <= rel * abs(target)


# ---------------------------------------------------------------- the claims, by id
def checks() -> dict[str, bool]:
    """The computed truth value of every claim, by id."""
    return {cid: bool(f()) for cid, f in CHECKS.items()}


# ---------------------------------------------------------------- one computation per claim
def _zero_pad_border_only() -> bool:
    """Zero padding: after a one-row shift the interior rows agree, the border rows do not."""
    x, w = RNG.normal(size=(12, 12)), RNG.normal(size=(3, 3))
    a, b = conv2d(shift(x, 1, 0), w, 1, "zero"), shift(conv2d(x, w, 1, "zero"), 1, 0)
    return np.allclose(a[2:-1], b[2:-1]) and not np.allclose(a, b)


def _zoom_equivariant() -> bool:
    x, w = RNG.normal(size=(6, 6)), RNG.normal(size=(3, 3))
    zoom = lambda a: np.kron(a, np.ones((2, 2)))  # noqa: E731
    return np.allclose(conv2d(zoom(x), w), zoom(conv2d(x, w)))


def _stack_equivariant(depth: int) -> bool:
    ws = [RNG.normal(size=(3, 3)) for _ in range(depth)]

    def net(x):
        for w in ws:
            x = np.maximum(conv2d(x, w), 0)
        return x

    x = RNG.normal(size=(12, 12))
    return np.allclose(net(shift(x, 2, 3)), shift(net(x), 2, 3))


def _rot_symmetric_kernel() -> np.ndarray:
    a, b, c = RNG.normal(size=3)
    return np.array([[a, b, a], [b, c, b], [a, b, a]])


def _lr_symmetric_kernel() -> np.ndarray:
    w = RNG.normal(size=(3, 3))
    return w + w[:, ::-1]


def _same_pads(n: int, k: int, s: int) -> tuple[int, int]:
    total = max((-(-n // s) - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def _vgg_rf_layers():
    layers = []
    for n_conv in (2, 2, 3, 3, 3):
        layers += [(3, 1, 1)] * n_conv + [(2, 2, 1)]
    return layers[:-1]  # up to conv5_3


VGG16_CONV = sum(conv_params(a, b, 3) for a, b in [(3, 64), (64, 64), (64, 128), (128, 128), (128, 256), (256, 256),
                                                    (256, 256), (256, 512), (512, 512), (512, 512), (512, 512),
                                                    (512, 512), (512, 512)])
BOTTLENECK = conv_params(256, 64, 1, False) + conv_params(64, 64, 3, False) + conv_params(64, 256, 1, False)
PLAIN_3X3 = conv_params(256, 256, 3, False)
INCEPTION_DIRECT = conv_macs(28, 28, 192, 32, 5, 1, 2)
INCEPTION_REDUCED = conv_macs(28, 28, 192, 16, 1) + conv_macs(28, 28, 16, 32, 5, 1, 2)
SEP = lambda cin, cout: conv_params(cin, cin, 3, False, cin) + conv_params(cin, cout, 1, False)  # noqa: E731
SEP_MACS = lambda cin, cout: conv_macs(14, 14, cin, cin, 3, 1, 1, cin) + conv_macs(14, 14, cin, cout, 1)  # noqa: E731
EVEN = range(4, 66, 2)
SIZES = range(3, 66)
DEPTHS = range(1, 8)

CHECKS = {
    # output sizes
    "os-01": lambda: all(out_size(n, 3, 1, 1) == n for n in SIZES),
    "os-02": lambda: out_size(32, 5) == 28,
    "os-03": lambda: out_size(32, 5) == 27,
    "os-04": lambda: out_size(227, 11, 4) == 55,
    "os-05": lambda: out_size(224, 11, 4) == 55,
    "os-06": lambda: out_size(7, 3, 2, 1) == 4,
    "os-07": lambda: out_size(7, 3, 2, 1) == 3,
    "os-08": lambda: all(2 * out_size(n, 3, 2, 1) == n for n in SIZES),
    "os-09": lambda: all(2 * out_size(n, 3, 2, 1) == n for n in EVEN),
    "os-10": lambda: pool_size(15, 2, 2) == 8,
    "os-11": lambda: pool_size(15, 2, 2, ceil=True) == 8,
    "os-12": lambda: pool_size(112, 3, 2, 1) == 56,
    "os-13": lambda: pool_size(112, 3, 2, 0, ceil=True) == 57,
    "os-14": lambda: all(same_size(224, k, 2) == 112 for k in range(1, 8)) and all(
        same_size(n, k, s) == -(-n // s) for n in SIZES for k in (1, 3, 5) for s in (1, 2, 3)),
    "os-15": lambda: same_size(7, 3, 2) == 3,
    "os-16": lambda: out_size(10, 3) == 8,
    "os-17": lambda: out_size(10, 3) == 10,
    "os-18": lambda: all(out_size(n, 5, 1, 1) == n for n in SIZES),
    "os-19": lambda: all(out_size(n, 5, 1, 2) == n for n in SIZES),
    "os-20": lambda: all(out_size(n, k, 1, (k - 1) // 2) == n for n in SIZES for k in (1, 3, 5, 7, 9, 11)),
    "os-21": lambda: all(any(out_size(n, k, 1, p) == n for p in ((k - 1) // 2, k // 2)) for n in SIZES for k in range(1, 9)),
    "os-22": lambda: out_size(32, 3, 1, 0, 2) == 28 and rf([(3, 1, 2)]) == 5,
    "os-23": lambda: rf([(3, 1, 2)]) == 6,
    "os-24": lambda: rf([(3, 1, 4)]) == 9,
    "os-25": lambda: out_size(16, 3, 1, 1, 2) == 16,
    "os-26": lambda: all(out_size(n, 3, 1, d, d) == n for n in range(8, 40) for d in range(1, 7)),
    "os-27": lambda: tconv_size(16, 4, 2, 1) == 32 and all(tconv_size(n, 4, 2, 1) == 2 * n for n in range(1, 40)),
    "os-28": lambda: tconv_size(16, 3, 2, 1) == 32,
    "os-29": lambda: tconv_size(16, 3, 2, 1, op=1) == 32,
    "os-30": lambda: all(tconv_size(n, k, s, p) == (n - 1) * s + k + 2 * p
                         for n in range(2, 20) for k in (2, 3, 4) for s in (1, 2) for p in (0, 1)),
    "os-31": lambda: tconv_size(7, 2, 2) == 14,
    "os-32": lambda: pool_size(28, 2, 2) == 14,
    "os-33": lambda: all(out_size(n, f, s) == (n - f) // s for n in range(3, 20) for f in (1, 2, 3) for s in (1, 2)),
    "os-34": lambda: all(out_size(n, f, s, p) == (n + 2 * p - f) // s + 1
                         for n in range(3, 30) for f in (1, 2, 3, 5) for s in (1, 2, 3) for p in (0, 1, 2) if n + 2 * p >= f),
    "os-35": lambda: all(out_size(n, f, s, p) == (n + p - f) // s + 1
                         for n in range(3, 30) for f in (1, 3) for s in (1, 2) for p in (0, 1)),
    "os-36": lambda: out_size(out_size(out_size(32, 3), 3), 3) == 28,
    "os-37": lambda: out_size(out_size(out_size(32, 3), 3), 3) == 26,
    "os-38": lambda: out_size(224, 7, 2, 3) == 112,
    "os-39": lambda: out_size(224, 7, 2, 3) == 111,
    "os-40": lambda: pool_size(13, 3, 2) == 7,
    "os-41": lambda: pool_size(55, 3, 2) == 27,
    "os-42": lambda: out_size(9, 3, 2) == 4,
    "os-43": lambda: out_size(15, 1, 2) == 7,
    # parameters
    "pa-01": lambda: conv_params(3, 64, 3) == 1792,
    "pa-02": lambda: conv_params(3, 64, 3) == 1728,
    "pa-03": lambda: conv_params(64, 128, 3, False) == 73728,
    "pa-04": lambda: conv_params(64, 128, 3) == 73792,
    "pa-05": lambda: conv_params(64, 128, 3) == 73856,
    "pa-06": lambda: conv_params(16, 32, 3) > conv_params(16, 32, 3),  # the weight shape has no spatial dimension
    "pa-07": lambda: all(np.count_nonzero(_dilated_taps(3, d)) == 9 for d in range(1, 6)),
    "pa-08": lambda: np.count_nonzero(_dilated_taps(3, 2)) == 25,
    "pa-09": lambda: SEP(32, 64) == 2336,
    "pa-10": lambda: conv_params(32, 64, 3, False) == 9 * SEP(32, 64),
    "pa-11": lambda: 8 <= conv_macs(14, 14, 256, 256, 3, 1, 1) / SEP_MACS(256, 256) <= 9,
    "pa-12": lambda: all(conv_macs(14, 14, c, c, 3, 1, 1) == 9 * SEP_MACS(c, c) for c in (16, 64, 256)),
    "pa-13": lambda: dense_params(4096, 1000) == 4_097_000,
    "pa-14": lambda: approx(dense_params(7 * 7 * 512, 4096), 102.8e6, 0.0005),
    "pa-15": lambda: approx(dense_params(7 * 7 * 512, 4096), 16.8e6, 0.005),
    "pa-16": lambda: conv_params(64, 64, 3, False, 4) == 9216 and conv_params(64, 64, 3, False) == 36864,
    "pa-17": lambda: conv_params(128, 128, 3, False) == 64 * conv_params(128, 128, 3, False, 8),
    "pa-18": lambda: conv_params(32, 32, 3, False, 32) == 288,
    "pa-19": lambda: all(conv_params(64, 64, 3, True, g) == g * conv_params(64, 64, 3) for g in (2, 4, 8)),
    "pa-20": lambda: approx(vgg16()[0], 138e6, 0.005),
    "pa-21": lambda: approx(resnet([3, 4, 6, 3], True)[0], 25.6e6, 0.005),
    "pa-22": lambda: approx(resnet([3, 4, 6, 3], True)[0], 60e6, 0.05),
    "pa-23": lambda: approx(vgg16()[0], 14.7e6, 0.05),
    "pa-24": lambda: approx(VGG16_CONV, 14.7e6, 0.005) and VGG16_CONV < vgg16()[0],
    "pa-25": lambda: 0.85 <= (vgg16()[0] - VGG16_CONV) / vgg16()[0] < 0.9,
    "pa-26": lambda: approx(resnet([2, 2, 2, 2], False)[0], 25.6e6, 0.05),
    "pa-27": lambda: approx(resnet([2, 2, 2, 2], False)[0], 11.7e6, 0.005),
    "pa-28": lambda: out_size(227, 11, 4) ** 2 * 96 * conv_params(3, 1, 11) == 105_705_600 and conv_params(3, 1, 11) == 364,
    "pa-29": lambda: conv_params(3, 96, 11) == 34_944,
    "pa-30": lambda: conv_params(3, 96, 11) == 34_848,
    "pa-31": lambda: approx(out_size(227, 11, 4) ** 2 * conv_params(3, 96, 11), 10.5e6, 0.01),
    "pa-32": lambda: BOTTLENECK == 69_632 and PLAIN_3X3 == 589_824,
    "pa-33": lambda: approx(PLAIN_3X3 / BOTTLENECK, 8.5, 0.01),
    "pa-34": lambda: approx(PLAIN_3X3 / BOTTLENECK, 4, 0.05),
    "pa-35": lambda: approx(INCEPTION_DIRECT / INCEPTION_REDUCED, 4, 0.1),
    "pa-36": lambda: approx(INCEPTION_DIRECT, 120e6, 0.01) and approx(INCEPTION_REDUCED, 12.4e6, 0.005),
    "pa-37": lambda: conv_params(3, 64, 3) == 640,
    "pa-38": lambda: conv_params(3, 64, 3) == 1792,
    "pa-39": lambda: all(2 * conv_params(c, c, 3, False) > conv_params(c, c, 5, False) for c in (1, 16, 64)),
    "pa-40": lambda: all(3 * conv_params(c, c, 3, False) == 27 * c * c and conv_params(c, c, 7, False) == 49 * c * c
                         for c in (1, 16, 64)),
    "pa-41": lambda: dense_params(512, 10) == 5130,
    "pa-42": lambda: dense_params(512, 10) == 5122,
    # MACs and memory
    "mm-01": lambda: approx(conv_macs(56, 56, 64, 64, 3, 1, 1), 115.6e6, 0.0005),
    "mm-02": lambda: approx(conv_macs(56, 56, 64, 64, 3, 1, 1), 1.8e6, 0.05),
    "mm-03": lambda: approx(2 * conv_macs(56, 56, 64, 64, 3, 1, 1), 231e6, 0.002),
    "mm-04": lambda: all(2 * conv_macs(n, n, 8, 8, 3, 2, 1) == conv_macs(n, n, 8, 8, 3, 1, 1) for n in (8, 56)),
    "mm-05": lambda: conv_macs(56, 56, 64, 64, 3, 1, 1) == 4 * conv_macs(56, 56, 64, 64, 3, 2, 1),
    "mm-06": lambda: approx(vgg16()[1], 15.5e9, 0.005),
    "mm-07": lambda: approx(vgg16()[1], 1.5e9, 0.05),
    "mm-08": lambda: approx(resnet([3, 4, 6, 3], True)[1], 4.1e9, 0.01),
    "mm-09": lambda: resnet([3, 4, 6, 3], True)[1] < resnet([2, 2, 2, 2], False)[1],
    "mm-10": lambda: n_el(224, 224, 64) == 3_211_264 and approx(4 * n_el(224, 224, 64), 12.8e6, 0.005),
    "mm-11": lambda: approx(4 * n_el(224, 224, 64), 3.2e6, 0.05),
    "mm-12": lambda: 2 * n_el(32, 112, 112, 128) == 102_760_448,
    "mm-13": lambda: approx(2 * n_el(56, 56, 256), 3.2e6, 0.05),
    "mm-14": lambda: 4 * n_el(55, 55, 96) == 1_161_600,
    "mm-15": lambda: conv_macs(56, 56, 64, 64, 1) == 0,
    "mm-16": lambda: conv_macs(56, 56, 256, 64, 1) == 51_380_224,
    "mm-17": lambda: all(_same_macs(2 * k) == 2 * _same_macs(k) for k in (1, 2, 3, 4)),
    "mm-18": lambda: all(_same_macs(2 * k) == 4 * _same_macs(k) for k in (1, 2, 3, 4)),
    "mm-19": lambda: conv_macs(56, 56, 64, 32, 3, 1, 1) * 2 == conv_macs(56, 56, 64, 64, 3, 1, 1),
    "mm-20": lambda: conv_macs(56, 56, 64, 64, 3, 1, 1) == 2 * conv_macs(56, 56, 32, 32, 3, 1, 1),
    # receptive fields, jumps, growth
    "rf-01": lambda: rf(conv3(2)) == 5,
    "rf-02": lambda: rf(conv3(3)) == 7 == rf([(7, 1, 1)]),
    "rf-03": lambda: rf(conv3(3)) == 9,
    "rf-04": lambda: all(rf(conv3(L)) == 2 * L + 1 for L in DEPTHS),
    "rf-05": lambda: all(rf(conv3(L)) == 3 * L for L in DEPTHS),
    "rf-06": lambda: all(growth([rf([(k, 1, 1)] * L) for L in DEPTHS]) == "linear" for k in (2, 3, 5)),
    "rf-07": lambda: growth([rf(conv3(L)) for L in DEPTHS]) == "exponential",
    "rf-08": lambda: rf([(3, 1, d) for d in (1, 2, 4, 8)]) == 31,
    "rf-09": lambda: rf([(3, 1, d) for d in (1, 2, 4, 8)]) == 15,
    "rf-10": lambda: growth([rf([(3, 1, 2 ** i) for i in range(L)]) for L in DEPTHS]) == "exponential",
    "rf-11": lambda: growth([rf([(3, 1, 2 ** i) for i in range(L)]) for L in DEPTHS]) == "linear",
    "rf-12": lambda: rf([(3, 1, 1), (3, 2, 1), (3, 1, 1), (3, 2, 1)]) == 13,
    "rf-13": lambda: rf([(3, 1, 1), (3, 2, 1), (3, 1, 1), (3, 2, 1)]) == 9,
    "rf-14": lambda: jump([(3, 1, 1), (3, 2, 1), (3, 1, 1), (3, 2, 1)]) == 4,
    "rf-15": lambda: jump([(3, 1, 1), (3, 2, 1), (3, 1, 1), (3, 2, 1)]) == 2,
    "rf-16": lambda: rf([(3, 1, 1), (2, 2, 1)] * 3) == 22,
    "rf-17": lambda: rf([(3, 1, 1), (2, 2, 1)] * 3) == 18,
    "rf-18": lambda: rf([(7, 2, 1), (3, 2, 1)]) == 11,
    "rf-19": lambda: rf([(7, 2, 1), (3, 2, 1)]) == 9,
    "rf-20": lambda: jump([(7, 2, 1), (3, 2, 1)]) == 4,
    "rf-21": lambda: jump(conv3(5, 2)) == 10,
    "rf-22": lambda: jump(conv3(5, 2)) == 32,
    "rf-23": lambda: growth([rf(conv3(L, 2)) for L in DEPTHS]) == "exponential",
    "rf-24": lambda: growth([rf(conv3(L, 2)) for L in DEPTHS]) == "linear",
    "rf-25": lambda: rf([(5, 1, 1), (3, 1, 1)]) == 7,
    "rf-26": lambda: rf([(5, 1, 1), (3, 1, 1)]) == 15,
    "rf-27": lambda: rf(conv3(2, 2)) == 7,
    "rf-28": lambda: rf(conv3(2, 2)) == 5 == rf(conv3(2)),
    "rf-29": lambda: rf([(3, 1, 1), (3, 1, 2)]) == 7,
    "rf-30": lambda: rf([(3, 1, 1), (2, 2, 1)]) == 6,
    "rf-31": lambda: rf(conv3(2)) == 5 and rf([(3, 1, 1), (2, 2, 1), (3, 1, 1)]) == 8,
    "rf-32": lambda: rf(conv3(2) + [(2, 2, 1)] + conv3(2)) == 14,
    "rf-33": lambda: rf(_vgg_rf_layers()) == 27,
    "rf-34": lambda: rf(_vgg_rf_layers()) == 196,
    "rf-41": lambda: receptive_field(_vgg_rf_layers() + [(2, 2, 1)]) == (212, 32),
    "rf-42": lambda: rf(_vgg_rf_layers() + [(2, 2, 1)]) == 224,
    "rf-35": lambda: rf([(3, 1, 1), (3, 1, 3)]) == 9,
    "rf-36": lambda: rf([(3, 1, 1), (3, 1, 3)]) == 12,
    "rf-37": lambda: growth([rf([(3, 1, 2)] * L) for L in DEPTHS]) == "linear",
    "rf-38": lambda: growth([rf([(3, 1, 2)] * L) for L in DEPTHS]) == "exponential",
    "rf-39": lambda: jump([(3, 1, d) for d in (1, 2, 4)]) == 1,
    "rf-40": lambda: jump([(3, 1, 2), (3, 1, 1)]) == 2,
    # equivariance and invariance
    "eq-01": lambda: all(translation_equivariant("circular", 1, dl) for dl in range(1, 5)),
    "eq-02": lambda: translation_equivariant("circular", 1, 1),
    "eq-03": lambda: translation_equivariant("zero", 1, 1),
    "eq-04": _zero_pad_border_only,
    "eq-05": lambda: translation_equivariant("circular", 2, 1),
    "eq-06": lambda: translation_equivariant("circular", 2, 2),
    "eq-07": lambda: all(translation_equivariant("circular", s, dl) == (dl % s == 0) for s in (2, 3) for dl in range(1, 7)),
    "eq-08": lambda: _floor_shift_equivariant(2, 1),
    "eq-09": lambda: transform_equivariant(ROT90),
    "eq-10": lambda: not transform_equivariant(ROT90),
    "eq-11": lambda: transform_equivariant(FLIP),
    "eq-12": lambda: all(transform_equivariant(ROT90, _rot_symmetric_kernel()) for _ in range(3)),
    "eq-13": lambda: transform_invariant(lambda x: cnn_feature(x, W0, "max"), ROT90),
    "eq-14": lambda: translation_invariant(lambda x: cnn_feature(x, W0, "max"), 1),
    "eq-15": lambda: not translation_invariant(maxpool, 1),
    "eq-16": lambda: all(translation_invariant(lambda x: cnn_feature(x, W0, "gap"), dl) for dl in range(1, 5)),
    "eq-17": lambda: transform_invariant(lambda x: cnn_feature(x, W0, "gap"), ROT90),
    "eq-18": lambda: translation_invariant(lambda x: conv2d(x, W0).max(), 1),
    "eq-19": lambda: all(translation_invariant(lambda x: cnn_feature(x, W0, "max"), dl) for dl in range(1, 4)),
    "eq-20": lambda: all(np.allclose(cnn_feature(shift(x, 2, 0), W0, "max"), shift(cnn_feature(x, W0, "max"), 1, 0))
                         for x in RNG.normal(size=(5, 12, 12))),
    "eq-21": lambda: not all(np.allclose(np.maximum(conv2d(shift(x, 1, 1), W0), 0), shift(np.maximum(conv2d(x, W0), 0), 1, 1))
                             for x in RNG.normal(size=(5, 12, 12))),
    "eq-22": lambda: all(np.allclose(np.maximum(conv2d(shift(x, 1, 1), W0), 0), shift(np.maximum(conv2d(x, W0), 0), 1, 1))
                         for x in RNG.normal(size=(5, 12, 12))),
    "eq-23": _zoom_equivariant,
    "eq-24": lambda: translation_equivariant("zero", 1, 1),
    "eq-25": lambda: all(_stack_equivariant(depth) for depth in range(1, 5)),
    "eq-26": lambda: transform_equivariant(FLIP),
    "eq-27": lambda: all(transform_equivariant(FLIP, _lr_symmetric_kernel()) for _ in range(3)),
    "eq-28": lambda: translation_invariant(lambda x: np.maximum(conv2d(x, W0, 1, "zero"), 0).mean(), 1),
    "eq-29": lambda: translation_invariant(np.mean, 1) and translation_invariant(np.mean, 5),
    "eq-30": lambda: translation_invariant(lambda x: x.reshape(6, 2, 6, 2).mean(axis=(1, 3)), 1),
    # further plausible mistakes
    "mf-01": lambda: out_size(28, 3, 1, 1) == 27,
    "mf-02": lambda: conv_params(16, 32, 5) == 13_312,
    "mf-03": lambda: transform_invariant(lambda x: cnn_feature(x, W0, "max"), ROT90),
    "mf-04": lambda: rf(conv3(4, 2)) == 9,
    "mf-05": lambda: pool_size(7, 2, 2, ceil=True) == 3,
    "mf-06": lambda: all(tconv_size(n, 4, 2, 1) == 2 * n + 1 for n in range(1, 40)),
    "mf-07": lambda: rf(conv3(2)) == 9,
    "mf-08": lambda: conv_params(64, 64, 3, False, 64) == 36_864,
    "mf-09": lambda: translation_equivariant("circular", 3, 2),
    "mf-10": lambda: growth([rf(conv3(L, 2)) for L in DEPTHS]) == "linear",
    "mf-11": lambda: 4 * n_el(out_size(28, 3, 1, 1), out_size(28, 3, 1, 1), 128) == 200_704,
    "mf-12": lambda: conv_macs(16, 8, 8, 8, 3, 1, 1) == conv_macs(8, 8, 8, 8, 3, 1, 1),
    "mf-13": lambda: all(out_size(n, 5, 1, 4) == n for n in SIZES),
    # padding conventions
    "pd-01": lambda: out_size(32, 1, 1, 1) == 34,
    "pd-02": lambda: out_size(32, 1, 1, 1) == 33,
    "pd-03": lambda: out_size(32, 5, 1, 2) == 32 == (32 + 4 - 5) // 1 + 1,
    "pd-04": lambda: out_size(32, 5, 1, 4) == 32,
    "pd-05": lambda: all(out_size(n, k, 1, (k - 1) // 2, pr=k // 2) == n for n in SIZES for k in range(1, 9))
    and all((k - 1) % 2 == 1 for k in (2, 4, 6)),
    "pd-06": lambda: any(out_size(10, 4, 1, p) == 10 for p in range(6)),
    "pd-07": lambda: all(_same_pads(n, 3, 2) == (0, 1) for n in EVEN),
    "pd-08": lambda: all(a == b for n in SIZES for k in (1, 2, 3, 4, 5) for s in (1, 2, 3) for a, b in [_same_pads(n, k, s)]),
    "pd-09": lambda: all(_same_pads(n, k, 1) == ((k - 1) // 2,) * 2 for n in SIZES for k in (1, 3, 5, 7)),
    "pd-10": lambda: all(same_size(n, 3, s) == n for n in SIZES for s in (1, 2, 3)),
}


def _dilated_taps(k: int, d: int) -> np.ndarray:
    """The footprint of a k-tap kernel dilated by d: ones at the taps, zeros in the holes (2-D)."""
    line = np.zeros(d * (k - 1) + 1)
    line[::d] = 1
    return np.outer(line, line)


def _same_macs(k: int) -> int:
    """MACs of a k×k convolution on 56×56, 64→64, with 'same' output size (total padding k - 1 split)."""
    return out_size(56, k, 1, (k - 1) // 2, pr=k // 2) ** 2 * 64 * 64 * k * k


def _floor_shift_equivariant(s: int, delta: int) -> bool:
    x, w = RNG.normal(size=(12, 12)), RNG.normal(size=(3, 3))
    return np.allclose(conv2d(shift(x, delta, 0), w, s), shift(conv2d(x, w, s), delta // s, 0))


W0 = RNG.normal(size=(3, 3))


def torch_crosscheck() -> int:
    """Cross-check the helpers against torch.nn on a grid of configurations; returns the number of cases."""
    import torch

    cases = 0
    for n in range(5, 14):
        for k in (1, 2, 3, 5):
            for s in (1, 2, 3):
                for p in (0, 1, 2):
                    for d in (1, 2):
                        if n + 2 * p < d * (k - 1) + 1:
                            continue
                        x = torch.zeros(1, 1, n)
                        assert torch.nn.Conv1d(1, 1, k, s, p, d)(x).shape[-1] == out_size(n, k, s, p, d)
                        if p <= k // 2 and d == 1:
                            for ceil in (False, True):
                                pool = torch.nn.MaxPool1d(k, s, p, ceil_mode=ceil)
                                assert pool(x).shape[-1] == pool_size(n, k, s, p, ceil), (n, k, s, p, ceil)
                        if p < k * d:
                            for op in range(max(s, d)):
                                t = torch.nn.ConvTranspose1d(1, 1, k, s, p, op, dilation=d)
                                assert t(x).shape[-1] == tconv_size(n, k, s, p, op, d), (n, k, s, p, op, d)
                        cases += 1
    for cin, cout, k, g, b in [(8, 16, 3, 1, True), (8, 16, 3, 4, False), (32, 32, 3, 32, True)]:
        m = torch.nn.Conv2d(cin, cout, k, groups=g, bias=b)
        assert sum(t.numel() for t in m.parameters()) == conv_params(cin, cout, k, b, g)
        cases += 1
    # receptive field: gradient of one output unit of a torch stack of random convs
    for layers in ([(3, 1, 1)] * 4, [(3, 2, 1), (3, 1, 2), (2, 2, 1), (5, 1, 1)]):
        mods = [torch.nn.Conv1d(1, 1, k, s, 0, d) for k, s, d in layers]
        x = torch.randn(1, 1, 256, requires_grad=True)
        y = x
        for m in mods:
            torch.nn.init.uniform_(m.weight, 0.5, 1.0)
            y = m(y)
        y[0, 0, 0].backward()
        nz = torch.nonzero(x.grad[0, 0]).flatten()
        assert int(nz.max() - nz.min() + 1) == rf(layers)
        cases += 1
    return cases


def load_claims() -> list[dict]:
    claims = []
    for path in sorted(HERE.glob("*.toml")):
        with path.open("rb") as fh:
            claims.extend(tomllib.load(fh)["claim"])
    return claims


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(HERE))
    claims = load_claims()
    ids = [c["id"] for c in claims]
    assert len(ids) == len(set(ids)), "duplicate claim ids"
    computed = checks()
    missing = sorted(set(ids) - set(computed))
    orphan = sorted(set(computed) - set(ids))
    assert not missing, f"claims with no computation: {missing}"
    assert not orphan, f"computations with no claim: {orphan}"
    wrong = [(c["id"], c["truth"], computed[c["id"]]) for c in claims if bool(c["truth"]) != computed[c["id"]]]
    assert not wrong, f"truth values that the computation contradicts (id, stated, computed): {wrong}"
    for c in claims:
        assert (c["truth"] is False) == bool(c.get("counterexample")), f"{c['id']}: counterexample iff false"
    n_true = sum(bool(c["truth"]) for c in claims)
    msg = f"{len(claims)} claims ({n_true} true, {len(claims) - n_true} false): every truth value computed"
    if "--no-torch" not in argv:
        try:
            import torch  # noqa: F401
        except ImportError:
            msg += "; torch absent, cross-check skipped"
        else:
            msg += f"; torch cross-check: {torch_crosscheck()} cases agree"
    print(msg)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
