"""Epoch time of the LeNet-5 digits training: numeric against PyTorch CPU, same model, same batches.

Run from the repository root (needs scikit-learn: ``pip install -e ".[examples]"``)::

    python benchmarks/bench_train.py              # 4 epochs each, interleaved, 2 threads
    python benchmarks/bench_train.py --threads 1
    python benchmarks/bench_train.py --threads 1 --cpu-time   # on a loaded machine: CPU time, not waiting

The network, data and optimiser are those of ``examples/train_lenet_digits.py``
(float32, batch 32, SGD with momentum 0.9); PyTorch's twin is
``benchmarks/torch_lenet.py``. Epochs alternate between the two libraries
(A/B/A/B) so that load from other processes hits both alike; the first epoch
of each (compilation, caches) is a warm-up and not counted. Prints every
epoch time, the medians and the ratio ours / PyTorch (goal ≤ 1.0).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=4, help="timed epochs per library (after one warm-up each)")
    ap.add_argument("--threads", type=int, default=2, help="threads for PyTorch, OpenBLAS and Numba")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--cpu-time", action="store_true",
                    help="time with the process's CPU time instead of wall time (use with --threads 1 on a loaded "
                         "machine: waiting for a core is not counted; with several threads, spinning is)")
    args = ap.parse_args(argv)
    want = str(args.threads)
    if os.environ.get("OPENBLAS_NUM_THREADS") != want or os.environ.get("NUMBA_NUM_THREADS") != want:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=want, NUMBA_NUM_THREADS=want)
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    import torch

    from numeric.optim import SGD

    torch.set_num_threads(args.threads)
    example = _load(HERE.parent / "examples" / "train_lenet_digits.py")
    torch_lenet = _load(HERE / "torch_lenet.py")
    x, y, _, _ = example.load_digits_32(0)
    rng = np.random.default_rng(0)
    params = example.init_params(rng)
    theirs = torch_lenet.TorchTrainer(torch, params, lr=0.01, momentum=0.9)
    opt = SGD(params, lr=0.01, momentum=0.9)
    clock = time.process_time if args.cpu_time else time.perf_counter
    times: dict[str, list[float]] = {"numeric": [], "PyTorch": []}
    print(f"LeNet-5 on digits: {len(x)} images per epoch, batch {args.batch_size}, float32, "
          f"{args.threads} threads each, PyTorch {torch.__version__}, {'CPU' if args.cpu_time else 'wall'} time")
    for epoch in range(args.epochs + 1):
        batches = example.epoch_batches(len(x), args.batch_size, rng)
        for name in ("numeric", "PyTorch"):
            t0 = clock()
            if name == "numeric":
                losses = example.train_steps(params, opt, x, y, batches)
            else:
                losses = theirs.train_steps(x, y, batches)
            took = clock() - t0
            if epoch:
                times[name].append(took)
            print(f"epoch {epoch}{' (warm-up)' if not epoch else ''}: {name:8s} {took:6.3f} s, "
                  f"mean loss {np.mean(losses):.4f}")
    ours, torchs = statistics.median(times["numeric"]), statistics.median(times["PyTorch"])
    print(f"\nmedian epoch: numeric {ours:.3f} s (range {min(times['numeric']):.3f}-{max(times['numeric']):.3f}), "
          f"PyTorch {torchs:.3f} s (range {min(times['PyTorch']):.3f}-{max(times['PyTorch']):.3f})")
    print(f"ratio numeric / PyTorch: {ours / torchs:.2f}x (goal <= 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
