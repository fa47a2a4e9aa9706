"""Make the benchmark scripts importable (they live in benchmarks/, which is not a package)."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
for p in (BENCH, BENCH / "documents"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))
