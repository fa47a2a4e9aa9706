"""Speed of numeric's convolution and max-pooling against PyTorch CPU and plain NumPy.

Run from the repository root::

    python benchmarks/bench_conv.py            # full table + cold/warm start
    python benchmarks/bench_conv.py --quick    # fewer repetitions
    python benchmarks/bench_conv.py --only resnet
    python benchmarks/bench_conv.py --threads 1   # single-core efficiency, least sensitive to load

Forward and forward+backward, float32, median wall time over repetitions
(contestants alternate in short blocks, so load bursts hit all alike, with a
pause between blocks so that one library's idle spinning threads do not slow
the next one down);
PyTorch CPU with ``torch.set_num_threads(2)``. The ratio ``ours/torch`` of the
forward+backward time is the number compared with the targets (<= 1.0 on
LeNet, the stem and pooling; <= 1.5 on the ResNet 3×3 layers). Numbers vary
with the machine's load; run on a quiet machine and read ratios, not times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from numpy_im2col import conv2d_backward_np, conv2d_np  # noqa: E402

CONV_CASES = [
    # name, (N, C, H, W), C_out, k, stride, padding, groups, target ratio
    ("LeNet conv1 64x1x28x28 ->6 k5", (64, 1, 28, 28), 6, 5, 1, 0, 1, 1.0),
    ("LeNet conv2 64x6x14x14 ->16 k5", (64, 6, 14, 14), 16, 5, 1, 0, 1, 1.0),
    ("ResNet 8x64x56x56 ->64 k3 p1", (8, 64, 56, 56), 64, 3, 1, 1, 1, 1.5),
    ("ResNet 8x128x28x28 ->128 k3 p1", (8, 128, 28, 28), 128, 3, 1, 1, 1, 1.5),
    ("stem 8x3x224x224 ->64 k7 s2 p3", (8, 3, 224, 224), 64, 7, 2, 3, 1, 1.0),
    ("depthwise 8x64x56x56 k3 p1 g64", (8, 64, 56, 56), 64, 3, 1, 1, 64, None),
]
POOL_CASE = ("max-pool 8x64x112x112 3x3 s2 p1", (8, 64, 112, 112), 3, 2, 1, 1.0)


def median_times(fns: dict, *, budget: float, min_reps: int = 5, max_reps: int = 60, rounds: int = 3,
                 settle: float = 0.25) -> dict:
    """Median wall time of each function, measured in alternating blocks.

    Each of ``rounds`` rounds runs every function in turn for a block of
    repetitions (about ``budget / rounds`` seconds), so a burst of load from
    other processes hits all contestants alike. Before each block the process
    sleeps ``settle`` seconds: after a parallel call the worker threads of the
    previous contestant keep spinning for a while (OpenBLAS's for ~0.1 s,
    OpenMP's too), and interleaving call by call made each library's idle
    threads steal the second core from the other — measuring that contention,
    not the libraries. One warm-up call each first (JIT, caches).
    """
    for fn in fns.values():
        fn()
    times: dict = {k: [] for k in fns}
    per_block_min = max(1, -(-min_reps // rounds))
    per_block_max = max(per_block_min, max_reps // rounds)
    for _ in range(rounds):
        for k, fn in fns.items():
            time.sleep(settle)
            start = time.perf_counter()
            reps = 0
            while reps < per_block_min or (time.perf_counter() - start < budget / rounds and reps < per_block_max):
                t0 = time.perf_counter()
                fn()
                times[k].append(time.perf_counter() - t0)
                reps += 1
    return {k: statistics.median(v) for k, v in times.items()}


def bench_conv(case, torch, budget):
    name, shape, c_out, k, s, p, g, target = case
    import numeric

    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape, dtype=np.float32)
    w = rng.standard_normal((c_out, shape[1] // g, k, k), dtype=np.float32) * 0.1
    b = rng.standard_normal(c_out, dtype=np.float32)
    y = numeric.conv2d(x, w, b, stride=s, padding=p, groups=g)
    go = rng.standard_normal(y.shape, dtype=np.float32)
    row = {"name": name, "target": target}

    def ours_fwd():
        numeric.conv2d(x, w, b, stride=s, padding=p, groups=g)

    def ours_both():
        numeric.conv2d(x, w, b, stride=s, padding=p, groups=g)
        numeric.conv2d_backward(go, x, w, stride=s, padding=p, groups=g)

    fns = {"ours_fwd": ours_fwd, "ours": ours_both}

    def np_both():
        conv2d_np(x, w, b, s, p, g)
        conv2d_backward_np(go, x, w, s, p, g)

    if torch is not None:
        F = torch.nn.functional
        xt = torch.from_numpy(x).requires_grad_()
        wt = torch.from_numpy(w).requires_grad_()
        bt = torch.from_numpy(b).requires_grad_()
        got = torch.from_numpy(go)

        def torch_fwd():
            with torch.no_grad():
                F.conv2d(xt, wt, bt, stride=s, padding=p, groups=g)

        def torch_both():
            yt = F.conv2d(xt, wt, bt, stride=s, padding=p, groups=g)
            torch.autograd.grad(yt, (xt, wt, bt), got)

        fns.update(torch_fwd=torch_fwd, torch=torch_both)
    row.update(median_times(fns, budget=budget))
    row.update(median_times({"numpy": np_both}, budget=budget / 4, min_reps=1, max_reps=5, rounds=1))
    return row


def bench_pool(torch, budget):
    name, shape, k, s, p, target = POOL_CASE
    row = {"name": name, "target": target, "numpy": None}
    try:
        from numeric import max_pool2d, max_pool2d_backward
    except ImportError as exc:
        print(f"note: skipping the pooling row, numeric.max_pool2d is not importable yet ({exc})")
        return None
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape, dtype=np.float32)
    try:
        y = max_pool2d(x, k, s, p)
    except Exception as exc:  # noqa: BLE001 - the pooling module belongs to another helper
        print(f"note: skipping the pooling row, numeric.max_pool2d failed ({type(exc).__name__}: {exc})")
        return None
    go = rng.standard_normal(y.shape, dtype=np.float32)

    def ours_fwd():
        max_pool2d(x, k, s, p)

    def ours_both():
        max_pool2d(x, k, s, p)
        max_pool2d_backward(go, x, k, s, p)

    fns = {"ours_fwd": ours_fwd, "ours": ours_both}
    if torch is not None:
        F = torch.nn.functional
        xt = torch.from_numpy(x).requires_grad_()
        got = torch.from_numpy(go)

        def torch_fwd():
            with torch.no_grad():
                F.max_pool2d(xt, k, s, p)

        def torch_both():
            torch.autograd.grad(F.max_pool2d(xt, k, s, p), (xt,), got)

        fns.update(torch_fwd=torch_fwd, torch=torch_both)
    row.update(median_times(fns, budget=budget))
    return row


def _ms(t):
    return "—" if t is None else f"{t * 1e3:8.2f}"


def print_table(rows):
    head = (f"{'case':34s} {'ours fwd':>9s} {'torch fwd':>9s} {'ours f+b':>9s} {'torch f+b':>9s} "
            f"{'numpy f+b':>9s} {'ratio fwd':>9s} {'ratio f+b':>9s} {'target':>7s}")
    print(head)
    print("-" * len(head))
    for r in rows:
        rf = r["ours_fwd"] / r["torch_fwd"] if r.get("torch_fwd") else None
        rb = r["ours"] / r["torch"] if r.get("torch") else None
        ok = "" if rb is None or r["target"] is None else (" ok" if rb <= r["target"] else " MISS")
        tgt = "—" if r["target"] is None else f"<={r['target']:.1f}"
        print(f"{r['name']:34s} {_ms(r['ours_fwd'])} {_ms(r.get('torch_fwd'))} {_ms(r['ours'])} "
              f"{_ms(r.get('torch'))} {_ms(r.get('numpy'))} "
              f"{'—' if rf is None else f'{rf:8.2f}x'} {'—' if rb is None else f'{rb:8.2f}x'} {tgt:>7s}{ok}")
    print("(times in ms, medians; ratio = ours / PyTorch; f+b = forward + backward)")


STARTUP = """
import time
t0 = time.perf_counter()
import numpy as np
import numeric
t1 = time.perf_counter()
x = np.ones((2, 3, 16, 16), np.float32); w = np.ones((4, 3, 3, 3), np.float32)
y = numeric.conv2d(x, w, padding=1)
t2 = time.perf_counter()
numeric.conv2d_backward(y, x, w, padding=1)
t3 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {t3 - t2:.3f}")
"""


def startup_times():
    """Cold (empty Numba cache) then warm (cache filled) start, each in a fresh interpreter."""
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        out = []
        for label in ("cold", "warm"):
            res = subprocess.run([sys.executable, "-c", STARTUP], env=env, cwd=repo, capture_output=True,
                                 text=True, check=True)
            imp, first, bwd = map(float, res.stdout.split())
            out.append((label, imp, first, bwd))
    print("\nstart-up (fresh interpreter; NUMBA_CACHE_DIR empty for 'cold', filled for 'warm'):")
    for label, imp, first, bwd in out:
        flag = "" if label == "cold" else ("  (target < 1.5 s: ok)" if imp + first < 1.5 else "  (target < 1.5 s: MISS)")
        print(f"  {label}: import numeric {imp:.2f} s + first conv2d {first:.2f} s = {imp + first:.2f} s; "
              f"first conv2d_backward {bwd:.2f} s{flag}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="shorter timing budget per measurement")
    ap.add_argument("--only", default="", help="run only the cases whose name contains this text")
    ap.add_argument("--no-startup", action="store_true", help="skip the cold/warm start measurement")
    ap.add_argument("--threads", type=int, default=2,
                    help="threads for PyTorch, OpenBLAS and Numba (default 2; 1 compares single-core efficiency)")
    args = ap.parse_args(argv)
    want = str(args.threads)
    if os.environ.get("OPENBLAS_NUM_THREADS") != want or os.environ.get("NUMBA_NUM_THREADS") != want:
        # thread pools are sized when the libraries load: restart with the environment set
        env = dict(os.environ, OPENBLAS_NUM_THREADS=want, NUMBA_NUM_THREADS=want)
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    try:
        import torch

        torch.set_num_threads(args.threads)
    except ImportError:
        torch = None
        print("note: PyTorch is not installed; the torch columns stay empty (pip install torch==2.13.0)")
    budget = 0.3 if args.quick else 1.0
    print(f"numeric vs PyTorch {getattr(torch, '__version__', '—')} ({args.threads} threads each) vs NumPy im2col; "
          f"float32; "
          f"{os.cpu_count()} CPUs; shared machines give noisy numbers\n")
    rows = []
    for case in CONV_CASES:
        if args.only.lower() in case[0].lower():
            rows.append(bench_conv(case, torch, budget))
    if args.only.lower() in POOL_CASE[0].lower():
        r = bench_pool(torch, budget)
        if r is not None:
            rows.append(r)
    print_table(rows)
    if not args.no_startup:
        startup_times()


if __name__ == "__main__":
    main()
