"""Throughput of ``convproof check``: reading (finding the math) and checking (judging it), per document.

Run from the repository root::

    python benchmarks/bench_check.py            # seeds, corpus, generated 1 MB and 10 MB documents
    python benchmarks/bench_check.py --quick    # no 10 MB document, seeds and 1 MB only checked

For each document: its size, the time to read it (``proofs.document.read_text``: format detection,
headings, math spans) and to check it (``proofs.check_text`` with the default per-document budget,
so a large document stops at the budget and says how much it judged), as KB/s and formulas/s. The
growth factor is the reading time of a 10× larger generated document over the smaller one's
(linear reading: about 10), in CPU time. Numbers vary with the machine's load; read ratios, not times.

The seeds are ``../shared/seeds`` (or the copies in ``tests/data/seeds``); the corpus is
``../shared/corpus`` (skipped when absent). Generated documents repeat a section of course notes
(headings, prose, inline and display math, a plain-text formula, a table, code) with numbers that
change from one section to the next.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from proofs import check_text  # noqa: E402
from proofs.document import read_text  # noqa: E402

SEEDS = [ROOT.parent / "shared" / "seeds", ROOT / "tests" / "data" / "seeds"]
CORPUS = ROOT.parent / "shared" / "corpus"

SECTION = """\
## Layer {i}: a {k}x{k} convolution

A convolution with kernel size $k = {k}$, stride $s = {s}$ and padding $p = {p}$ maps an input of
size $n = {n}$ to $\\lfloor (n + 2p - k)/s \\rfloor + 1 = {out}$ outputs. In general,

$$
o = \\left\\lfloor \\frac{{i + 2p - k}}{{s}} \\right\\rfloor + 1
$$

The layer has {k} × {k} × {c} × {c2} + {c2} = {params} parameters (weights and biases), and its
receptive field grows by $(k - 1) \\cdot j$ where $j$ is the jump of the layer below.

| layer | kernel | stride | output |
|-------|--------|--------|--------|
| conv{i} | {k} | {s} | {out} |

```python
y = torch.nn.functional.conv2d(x, w, stride={s}, padding={p})  # $not = math$
```

Stacking two such layers gives a receptive field of {rf} pixels, since 1 + 2·({k} − 1) = {rf}.

"""


def generated(size: int) -> str:
    """A document of about ``size`` characters: sections of course notes with varying numbers."""
    parts, total, i = [], 0, 0
    while total < size:
        k, s, p, n, c = 3 + 2 * (i % 3), 1 + i % 2, i % 3, 32 + i % 64, 3 + i % 13
        c2 = 2 * c
        out = (n + 2 * p - k) // s + 1
        part = SECTION.format(i=i, k=k, s=s, p=p, n=n, out=out, c=c, c2=c2, params=k * k * c * c2 + c2,
                              rf=1 + 2 * (k - 1))
        parts.append(part)
        total += len(part)
        i += 1
    return "# Generated course notes\n\n" + "".join(parts)


def _documents(quick: bool):
    seeds = next((d for d in SEEDS if d.is_dir()), None)
    if seeds is not None:
        for p in sorted(seeds.iterdir()):
            if p.is_file():
                yield f"seed {p.name}", p.read_text(encoding="utf-8"), True
    else:
        print("(no seeds found)")
    if CORPUS.is_dir():
        for p in sorted(CORPUS.glob("*.md")):
            yield f"corpus {p.name}", p.read_text(encoding="utf-8"), not quick
    else:
        print(f"(corpus {CORPUS} absent: skipped)")
    yield "generated 1 MB", generated(1_000_000), True
    if not quick:
        yield "generated 10 MB", generated(10_000_000), True


def _row(name: str, text: str, check: bool) -> tuple[float, int]:
    kb = len(text.encode("utf-8")) / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    doc = read_text(text)
    t_read, c_read = time.perf_counter() - t0, time.process_time() - c0
    line = (f"{name:40s} {kb:8.1f} KB  read {t_read:6.2f} s (cpu {c_read:6.2f} s) {kb / t_read:7.0f} KB/s "
            f"{len(doc.spans) / t_read:7.0f} spans/s")
    if check:
        t0 = time.perf_counter()
        report = check_text(text)
        t_check = time.perf_counter() - t0
        judged = report.coverage["formulas_judged"] if report.coverage else len(doc.spans)
        note = f" budget exhausted: {judged}/{len(doc.spans)} judged" if report.coverage else ""
        line += (f" | check {t_check:6.2f} s {kb / t_check:6.1f} KB/s {judged / t_check:6.1f} formulas/s"
                 f" {len(report.findings):5d} findings{note}")
    print(line, flush=True)
    return c_read, len(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="no 10 MB document; corpus read only")
    args = parser.parse_args(argv)
    times: dict[str, tuple[float, int]] = {}
    for name, text, check in _documents(args.quick):
        times[name] = _row(name, text, check and not name.startswith("generated 10"))
    small, big = generated(100_000), generated(1_000_000)
    t_small = min(_time_read(small) for _ in range(3))
    t_big = min(_time_read(big) for _ in range(2))
    print(f"growth of reading CPU time for a 10x larger document (100 KB -> 1 MB): x{t_big / t_small:.1f}")
    if "generated 10 MB" in times:
        print(f"growth of reading CPU time for a 10x larger document (1 MB -> 10 MB): "
              f"x{times['generated 10 MB'][0] / times['generated 1 MB'][0]:.1f}")
    return 0


def _time_read(text: str) -> float:
    """CPU seconds to read ``text`` (less sensitive than wall time to other processes' load)."""
    t0 = time.process_time()
    read_text(text)
    return time.process_time() - t0


if __name__ == "__main__":
    sys.exit(main())
