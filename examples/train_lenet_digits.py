"""Train LeNet-5 on scikit-learn's handwritten digits with ``numeric`` alone.

Forward, backward and SGD with momentum are all ``numeric``'s; the data are
scikit-learn's bundled 8×8 digits (1,797 images, nothing is downloaded),
upsampled ×3 by bilinear interpolation to 24×24 and zero-padded to LeNet's
32×32 input. Prints the loss and test accuracy per epoch and writes the loss
curve and the learned first-layer filters as PNG files (matplotlib).

Run from the repository root (needs ``pip install -e ".[examples]"``)::

    python examples/train_lenet_digits.py                 # 15 epochs, PNGs in the current folder
    python examples/train_lenet_digits.py --out /tmp/lenet --epochs 5

The network (LeCun et al. 1998, with ReLU and max-pooling)::

    (N,1,32,32) conv 5×5 →6 → ReLU → max-pool 2 → (N,6,14,14)
                conv 5×5 →16 → ReLU → max-pool 2 → (N,16,5,5) → flatten 400
                linear 400→120 → ReLU → linear 120→84 → ReLU → linear 84→10

The model functions take the parameters as a dict of arrays, so the same
initial weights and batches can be fed to PyTorch (``benchmarks/torch_lenet.py``)
to check that both compute the same loss curve.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import numeric as nm
from numeric.optim import SGD

#: name → (shape, fan_in). Linear weights are (out, in), as in PyTorch.
SHAPES = {
    "conv1.weight": (6, 1, 5, 5), "conv1.bias": (6,),
    "conv2.weight": (16, 6, 5, 5), "conv2.bias": (16,),
    "fc1.weight": (120, 400), "fc1.bias": (120,),
    "fc2.weight": (84, 120), "fc2.bias": (84,),
    "fc3.weight": (10, 84), "fc3.bias": (10,),
}


def init_params(rng: np.random.Generator, dtype=np.float32) -> dict[str, np.ndarray]:
    """PyTorch's default initialisation: ``U(−1/√fan_in, 1/√fan_in)`` for weights and biases alike.

    >>> p = init_params(np.random.default_rng(0))
    >>> p["conv2.weight"].shape, p["fc1.weight"].dtype
    ((16, 6, 5, 5), dtype('float32'))
    """
    params = {}
    for name, shape in SHAPES.items():
        layer = name.split(".")[0]
        w_shape = SHAPES[layer + ".weight"]
        bound = 1.0 / np.sqrt(np.prod(w_shape[1:]))
        params[name] = rng.uniform(-bound, bound, shape).astype(dtype)
    return params


def forward(p: dict[str, np.ndarray], x: np.ndarray):
    """Logits (N, 10) of a batch (N, 1, 32, 32), and what the backward pass needs."""
    a1 = nm.conv2d(x, p["conv1.weight"], p["conv1.bias"])
    r1 = nm.relu(a1)
    s1 = nm.max_pool2d(r1, 2)
    a2 = nm.conv2d(s1, p["conv2.weight"], p["conv2.bias"])
    r2 = nm.relu(a2)
    s2 = nm.max_pool2d(r2, 2)
    f0 = s2.reshape(s2.shape[0], -1)
    h1 = nm.linear(f0, p["fc1.weight"], p["fc1.bias"])
    g1 = nm.relu(h1)
    h2 = nm.linear(g1, p["fc2.weight"], p["fc2.bias"])
    g2 = nm.relu(h2)
    logits = nm.linear(g2, p["fc3.weight"], p["fc3.bias"])
    return logits, (x, a1, r1, s1, a2, r2, s2, f0, h1, g1, h2, g2)


def backward(p: dict[str, np.ndarray], cache, g_logits: np.ndarray) -> dict[str, np.ndarray]:
    """Gradients of the loss with respect to every parameter, from ``∂L/∂logits``."""
    x, a1, r1, s1, a2, r2, s2, f0, h1, g1, h2, g2 = cache
    grads = {}
    d, grads["fc3.weight"], grads["fc3.bias"] = nm.linear_backward(g_logits, g2, p["fc3.weight"])
    d, grads["fc2.weight"], grads["fc2.bias"] = nm.linear_backward(nm.relu_backward(d, h2), g1, p["fc2.weight"])
    d, grads["fc1.weight"], grads["fc1.bias"] = nm.linear_backward(nm.relu_backward(d, h1), f0, p["fc1.weight"])
    d = nm.max_pool2d_backward(d.reshape(s2.shape), r2, 2)
    d, grads["conv2.weight"], grads["conv2.bias"] = nm.conv2d_backward(nm.relu_backward(d, a2), s1,
                                                                       p["conv2.weight"])
    d = nm.max_pool2d_backward(d, r1, 2)
    # the images need no gradient (as in PyTorch, where the input does not require one): skip it
    _, grads["conv1.weight"], grads["conv1.bias"] = nm.conv2d_backward(nm.relu_backward(d, a1), x,
                                                                       p["conv1.weight"],
                                                                       needs_input_grad=(False, True, True))
    return grads


def loss_and_grads(p: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray):
    """Mean softmax cross-entropy of the batch and its parameter gradients."""
    logits, cache = forward(p, x)
    loss = nm.softmax_cross_entropy(logits, y)
    return float(loss), backward(p, cache, nm.softmax_cross_entropy_backward(1.0, logits, y))


def epoch_batches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """A random permutation of ``range(n)`` cut into batches (the last one may be smaller).

    >>> [len(b) for b in epoch_batches(10, 4, np.random.default_rng(0))]
    [4, 4, 2]
    """
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def train_steps(p: dict[str, np.ndarray], optimizer: SGD, x: np.ndarray, y: np.ndarray,
                batches: list[np.ndarray]) -> list[float]:
    """One SGD step per batch (indices into ``x``, ``y``); the loss of each step before its update."""
    losses = []
    for idx in batches:
        loss, grads = loss_and_grads(p, x[idx], y[idx])
        optimizer.step(grads)
        losses.append(loss)
    return losses


def cosine_lr(lr: float, epoch: int, epochs: int) -> float:
    """The learning rate of epoch ``epoch`` (1-based) on a cosine from ``lr`` down to ``lr/20``.

    >>> round(cosine_lr(0.1, 1, 10), 6), round(cosine_lr(0.1, 10, 10), 6)
    (0.1, 0.005)
    """
    t = (epoch - 1) / max(epochs - 1, 1)
    return lr * float(0.05 + 0.95 * 0.5 * (1 + np.cos(np.pi * t)))


def accuracy(p: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray, batch_size: int = 256) -> float:
    """Share of ``x`` whose largest logit is the label."""
    hits = sum(int((forward(p, x[i:i + batch_size])[0].argmax(axis=1) == y[i:i + batch_size]).sum())
               for i in range(0, len(x), batch_size))
    return hits / len(x)


def _bilinear(n_in: int, n_out: int) -> np.ndarray:
    """The (n_out, n_in) matrix of bilinear resampling with aligned pixel centres (half-pixel rule)."""
    pos = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    m = np.zeros((n_out, n_in))
    m[np.arange(n_out), lo] += 1 - (pos - lo)
    m[np.arange(n_out), hi] += pos - lo
    return m


def to_lenet_input(images: np.ndarray, dtype=np.float32) -> np.ndarray:
    """(N, 8, 8) digits with values 0…16 → (N, 1, 32, 32): ×3 bilinear to 24×24, padded by 4, standardised.

    >>> to_lenet_input(np.full((2, 8, 8), 16.0)).shape
    (2, 1, 32, 32)
    """
    r = _bilinear(images.shape[1], 24)
    big = np.einsum("ia,nab,jb->nij", r, images / 16.0, r)
    x = np.pad(big, ((0, 0), (4, 4), (4, 4)))
    x = (x - x.mean()) / x.std()
    return x[:, None].astype(dtype)


def load_digits_32(seed: int = 0, dtype=np.float32):
    """scikit-learn's digits as LeNet input: ``(x_train, y_train, x_test, y_test)``, a stratified 75/25 split."""
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit('this example needs scikit-learn: pip install -e ".[examples]"') from exc
    digits = load_digits()
    x = to_lenet_input(digits.images, dtype)
    x_tr, x_te, y_tr, y_te = train_test_split(x, digits.target, test_size=0.25, random_state=seed,
                                              stratify=digits.target)
    return x_tr, y_tr.astype(np.int64), x_te, y_te.astype(np.int64)


def plot_loss(losses: list[float], steps_per_epoch: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    steps = np.arange(1, len(losses) + 1)
    ax.plot(steps, losses, lw=0.8, alpha=0.5, label="batch loss")
    k = steps_per_epoch
    if len(losses) >= k:
        smooth = np.convolve(losses, np.ones(k) / k, mode="valid")
        ax.plot(steps[k - 1:], smooth, lw=2, label=f"mean of the last {k} batches (one epoch)")
    ax.set_yscale("log")
    ax.set_xlabel("SGD step")
    ax.set_ylabel("cross-entropy")
    ax.set_title("LeNet-5 on scikit-learn digits (numeric)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_filters(weight: np.ndarray, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, weight.shape[0], figsize=(1.6 * weight.shape[0], 2))
    lim = float(np.abs(weight).max())
    for i, ax in enumerate(axes):
        ax.imshow(weight[i, 0], cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_title(f"filter {i}")
        ax.axis("off")
    fig.suptitle("first-layer filters after training (red > 0 > blue)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Train LeNet-5 on scikit-learn's digits with numeric alone.")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("."), help="folder for the two PNG files (default: .)")
    args = ap.parse_args(argv)
    x_tr, y_tr, x_te, y_te = load_digits_32(args.seed)
    rng = np.random.default_rng(args.seed)
    params = init_params(rng)
    opt = SGD(params, lr=args.lr, momentum=args.momentum)
    print(f"train {len(x_tr)}, test {len(x_te)} images of 32×32; batch {args.batch_size}, "
          f"lr {args.lr} on a cosine to {args.lr / 20:g}, momentum {args.momentum}")
    losses: list[float] = []
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        t0 = time.perf_counter()
        opt.lr = cosine_lr(args.lr, epoch, args.epochs)
        batches = epoch_batches(len(x_tr), args.batch_size, rng)
        losses += train_steps(params, opt, x_tr, y_tr, batches)
        took = time.perf_counter() - t0
        print(f"epoch {epoch:2d}: mean loss {np.mean(losses[-len(batches):]):.4f}, "
              f"test accuracy {accuracy(params, x_te, y_te):.2%} ({took:.2f} s)")
    acc = accuracy(params, x_te, y_te)
    print(f"test accuracy {acc:.2%} after {args.epochs} epochs, {time.perf_counter() - start:.1f} s in all")
    args.out.mkdir(parents=True, exist_ok=True)
    loss_png, filt_png = args.out / "lenet_digits_loss.png", args.out / "lenet_digits_filters.png"
    plot_loss(losses, len(batches), loss_png)
    plot_filters(params["conv1.weight"], filt_png)
    print(f"wrote {loss_png} and {filt_png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
