"""Speed of numeric's convolutions and pooling against PyTorch CPU and plain NumPy.

Run from the repository root::

    python benchmarks/bench_conv.py            # full table + cold/warm start
    python benchmarks/bench_conv.py --quick    # fewer repetitions
    python benchmarks/bench_conv.py --only resnet
    python benchmarks/bench_conv.py --threads 1   # single-core efficiency, least sensitive to load
    python benchmarks/bench_conv.py --threads 1 --cpu-time  # on a loaded machine: CPU time, not waiting

Forward and forward+backward (float32, and two float64 rows), median wall
time over repetitions (contestants alternate in short blocks — ours fwd, ours
f+b, torch fwd, torch f+b, three rounds — so load bursts hit all alike, with a
pause between blocks so that one library's idle spinning threads do not slow
the next one down); PyTorch CPU with ``torch.set_num_threads(2)``. The goal:
ratio ``ours/torch`` <= 1.0 on every row, forward and f+b, and a geometric
mean of the f+b ratios <= 0.8. Each convolution row also gives its GFLOP/s
and the share of the GEMM peak measured in the same run (a 2048² ``numpy``
matmul of the row's dtype). Numbers vary with the machine's load; run on a
quiet machine and read ratios, not times.

NumPy's OpenBLAS kernels: where ``OPENBLAS_CORETYPE`` (and
``OPENBLAS_L2_SIZE``) are set, older kernels run; the header names the
kernels in use. To benchmark the current ones, unset both for that command
only: ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_conv.py``.
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
    # name, op, (N, C, spatial…), C_out, k, stride, padding, groups, dtype, target ratio (f+b)
    ("LeNet conv1 64x1x28x28 ->6 k5", "conv2d", (64, 1, 28, 28), 6, 5, 1, 0, 1, "float32", 1.0),
    ("LeNet conv2 64x6x14x14 ->16 k5", "conv2d", (64, 6, 14, 14), 16, 5, 1, 0, 1, "float32", 1.0),
    ("ResNet 8x64x56x56 ->64 k3 p1", "conv2d", (8, 64, 56, 56), 64, 3, 1, 1, 1, "float32", 1.0),
    ("ResNet 8x128x28x28 ->128 k3 p1", "conv2d", (8, 128, 28, 28), 128, 3, 1, 1, 1, "float32", 1.0),
    ("stem 8x3x224x224 ->64 k7 s2 p3", "conv2d", (8, 3, 224, 224), 64, 7, 2, 3, 1, "float32", 1.0),
    ("depthwise 8x64x56x56 k3 p1 g64", "conv2d", (8, 64, 56, 56), 64, 3, 1, 1, 64, "float32", 1.0),
    ("1x1 bottleneck 8x256x56x56 ->64", "conv2d", (8, 256, 56, 56), 64, 1, 1, 0, 1, "float32", 1.0),
    ("grouped 8x128x56x56 k3 p1 g32", "conv2d", (8, 128, 56, 56), 128, 3, 1, 1, 32, "float32", 1.0),
    ("conv1d 16x64x16000 ->64 k9 p4", "conv1d", (16, 64, 16000), 64, 9, 1, 4, 1, "float32", 1.0),
    ("conv1d 16x64x16000 ->64 k9 s4 p4", "conv1d", (16, 64, 16000), 64, 9, 4, 4, 1, "float32", 1.0),
    ("transposed 8x128x28x28 ->64 k4 s2 p1", "conv_transpose2d", (8, 128, 28, 28), 64, 4, 2, 1, 1, "float32", 1.0),
    ("batch-1 1x64x56x56 ->64 k3 p1", "conv2d", (1, 64, 56, 56), 64, 3, 1, 1, 1, "float32", 1.0),
    ("batch-1 LeNet conv1 1x1x28x28", "conv2d", (1, 1, 28, 28), 6, 5, 1, 0, 1, "float32", 1.0),
    ("batch-1 LeNet conv2 1x6x14x14", "conv2d", (1, 6, 14, 14), 16, 5, 1, 0, 1, "float32", 1.0),
    ("f64 LeNet conv2 64x6x14x14", "conv2d", (64, 6, 14, 14), 16, 5, 1, 0, 1, "float64", 1.0),
    ("f64 ResNet 8x128x28x28 k3 p1", "conv2d", (8, 128, 28, 28), 128, 3, 1, 1, 1, "float64", 1.0),
]
POOL_CASES = [
    # name, op, (N, C, H, W), k, stride, padding, target ratio (f+b)
    ("max-pool 8x64x112x112 3x3 s2 p1", "max", (8, 64, 112, 112), 3, 2, 1, 1.0),
    ("avg-pool 8x64x112x112 3x3 s2 p1", "avg", (8, 64, 112, 112), 3, 2, 1, 1.0),
]


def conv_macs(op: str, shape, c_out: int, k: int, out_shape, groups: int) -> int:
    """Multiply-adds of the forward pass (the backward pass has twice as many)."""
    nd = len(shape) - 2
    if op == "conv_transpose2d":  # every input pixel scatters a C_out/g × k² block
        return int(np.prod(shape)) * (c_out // groups) * k ** nd
    return int(np.prod(out_shape)) * (shape[1] // groups) * k ** nd


def gemm_peak(dtype: str, budget: float) -> float:
    """GFLOP/s of a large ``numpy`` matrix product (2048², BLAS on the benchmark's threads): the machine's peak."""
    a = np.random.default_rng(0).standard_normal((2048, 2048)).astype(dtype)
    out = np.empty_like(a)
    t = median_times({"gemm": lambda: np.matmul(a, a, out=out)}, budget=budget, min_reps=3, max_reps=15)["gemm"]
    return 2 * 2048 ** 3 / t / 1e9


#: The clock of every measurement: wall time, or the process's CPU time with ``--cpu-time``.
CLOCK = time.perf_counter


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
                t0 = CLOCK()
                fn()
                times[k].append(CLOCK() - t0)
                reps += 1
    return {k: statistics.median(v) for k, v in times.items()}


def bench_conv(case, torch, budget):
    name, op, shape, c_out, k, s, p, g, dtype, target = case
    import numeric

    nd = len(shape) - 2
    fwd_op, bwd_op = getattr(numeric, op), getattr(numeric, op + "_backward")
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(dtype)
    w_shape = (shape[1], c_out // g) if op == "conv_transpose2d" else (c_out, shape[1] // g)
    w = (rng.standard_normal((*w_shape, *(k,) * nd)) * 0.1).astype(dtype)
    b = rng.standard_normal(c_out).astype(dtype)
    kw = dict(stride=s, padding=p, groups=g)
    y = fwd_op(x, w, b, **kw)
    go = rng.standard_normal(y.shape).astype(dtype)
    row = {"name": name, "target": target, "macs": conv_macs(op, shape, c_out, k, y.shape, g), "dtype": dtype}

    def ours_fwd():
        fwd_op(x, w, b, **kw)

    def ours_both():
        fwd_op(x, w, b, **kw)
        bwd_op(go, x, w, **kw)

    fns = {"ours_fwd": ours_fwd, "ours": ours_both}
    if op == "conv2d" and dtype == "float32":
        def np_both():
            conv2d_np(x, w, b, s, p, g)
            conv2d_backward_np(go, x, w, s, p, g)
    else:
        np_both = None

    if torch is not None:
        tf = getattr(torch.nn.functional, op)
        xt = torch.from_numpy(x).requires_grad_()
        wt = torch.from_numpy(w).requires_grad_()
        bt = torch.from_numpy(b).requires_grad_()
        got = torch.from_numpy(go)

        def torch_fwd():
            with torch.no_grad():
                tf(xt, wt, bt, **kw)

        def torch_both():
            torch.autograd.grad(tf(xt, wt, bt, **kw), (xt, wt, bt), got)

        fns.update(torch_fwd=torch_fwd, torch=torch_both)
    row.update(median_times(fns, budget=budget))
    if np_both is not None:
        row.update(median_times({"numpy": np_both}, budget=budget / 4, min_reps=1, max_reps=5, rounds=1))
    return row


def bench_pool(case, torch, budget):
    name, kind, shape, k, s, p, target = case
    import numeric

    fwd_op, bwd_op = getattr(numeric, f"{kind}_pool2d"), getattr(numeric, f"{kind}_pool2d_backward")
    row = {"name": name, "target": target, "numpy": None}
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape, dtype=np.float32)
    y = fwd_op(x, k, s, p)
    go = rng.standard_normal(y.shape, dtype=np.float32)

    def ours_fwd():
        fwd_op(x, k, s, p)

    def ours_both():
        fwd_op(x, k, s, p)
        bwd_op(go, x, k, s, p)

    fns = {"ours_fwd": ours_fwd, "ours": ours_both}
    if torch is not None:
        tf = getattr(torch.nn.functional, f"{kind}_pool2d")
        xt = torch.from_numpy(x).requires_grad_()
        got = torch.from_numpy(go)

        def torch_fwd():
            with torch.no_grad():
                tf(xt, k, s, p)

        def torch_both():
            torch.autograd.grad(tf(xt, k, s, p), (xt,), got)

        fns.update(torch_fwd=torch_fwd, torch=torch_both)
    row.update(median_times(fns, budget=budget))
    return row


def _ms(t):
    return "—" if t is None else f"{t * 1e3:8.2f}"


def print_table(rows, peaks):
    head = (f"{'case':38s} {'ours fwd':>9s} {'torch fwd':>9s} {'ours f+b':>9s} {'torch f+b':>9s} "
            f"{'numpy f+b':>9s} {'ratio fwd':>9s} {'ratio f+b':>9s} {'GFLOP/s':>13s} {'% peak':>11s}")
    print(head)
    print("-" * len(head))
    ratios = []
    for r in rows:
        rf = r["ours_fwd"] / r["torch_fwd"] if r.get("torch_fwd") else None
        rb = r["ours"] / r["torch"] if r.get("torch") else None
        if rb is not None:
            ratios.append(rb)
        flops, perf = "", ""
        if "macs" in r:  # fwd and f+b (3× the forward's multiply-adds)
            gf, gb = 2 * r["macs"] / r["ours_fwd"] / 1e9, 6 * r["macs"] / r["ours"] / 1e9
            peak = peaks[r["dtype"]]
            flops, perf = f"{gf:6.1f}/{gb:6.1f}", f"{100 * gf / peak:4.0f}/{100 * gb / peak:3.0f}%"
        print(f"{r['name']:38s} {_ms(r['ours_fwd'])}  {_ms(r.get('torch_fwd'))} {_ms(r['ours'])}  "
              f"{_ms(r.get('torch'))}  {_ms(r.get('numpy'))} "
              f"{'—' if rf is None else f'{rf:8.2f}x'} {'—' if rb is None else f'{rb:8.2f}x'} {flops:>13s} {perf:>11s}")
    print("(times in ms, medians; ratio = ours / PyTorch; f+b = forward + backward; GFLOP/s and % of the "
          "GEMM peak of the row's dtype: forward / f+b)")
    if ratios:
        above = sum(1 for r in rows if r.get("torch") and (r["ours"] > r["torch"] or r["ours_fwd"] > r["torch_fwd"]))
        geo = float(np.exp(np.mean(np.log(ratios))))
        print(f"geometric mean of the f+b ratios: {geo:.2f}x (goal <= 0.8); rows above 1.0x on fwd or f+b: "
              f"{above} of {len(ratios)}")


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
    ap.add_argument("--cpu-time", action="store_true",
                    help="time with the process's CPU time instead of wall time (use with --threads 1 on a loaded "
                         "machine: waiting for a core is not counted; with several threads, spinning is)")
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
    if args.cpu_time:
        global CLOCK
        CLOCK = time.process_time
    from threadpoolctl import threadpool_info

    blas = ", ".join(f"{i['internal_api']} {i.get('version')} {i.get('architecture')} kernels"
                     for i in threadpool_info() if i["user_api"] == "blas")
    print(f"numeric vs PyTorch {getattr(torch, '__version__', '—')} ({args.threads} threads each) vs NumPy im2col; "
          f"{os.cpu_count()} CPUs; NumPy's BLAS: {blas} (OPENBLAS_CORETYPE="
          f"{os.environ.get('OPENBLAS_CORETYPE', 'unset')}); {'CPU' if args.cpu_time else 'wall'} time; "
          f"shared machines give noisy numbers\n")
    peaks = {dt: gemm_peak(dt, budget) for dt in ("float32", "float64")}
    print("GEMM peak (numpy 2048² matmul): " + ", ".join(f"{dt} {v:.0f} GFLOP/s" for dt, v in peaks.items()))
    rows = []
    for case in CONV_CASES:
        if args.only.lower() in case[0].lower():
            rows.append(bench_conv(case, torch, budget))
    for case in POOL_CASES:
        if args.only.lower() in case[0].lower():
            rows.append(bench_pool(case, torch, budget))
    print_table(rows, peaks)
    if not args.no_startup:
        startup_times()


if __name__ == "__main__":
    main()
