"""Mutation testing of ``convproof check``: plant the mistakes people make into formulas it judges CORRECT.

Usage::

    python benchmarks/checker_mutants.py [--sources seeds,corpus,bench] [--verbose] [--json]
                                         [--max-mutants N] [--per-operator K] [--only NAME ...]

For every formula and worked example the checker judges CORRECT in the seeds (``tests/data/seeds``), the
corpus (``../shared/corpus``, skipped if absent) and the benchmark documents, each operator of
``mutation_ops`` edits the formula's source text *in the document* (at most K mutants per operator and
formula, default 1). A mutant equal to the original on the admissible domain is discarded — decided by value with
proofs' own grammar (``mutant_values.compare``), never by the checker; so are mutants the grammar cannot
read. The mutated document is checked again, whole, and the mutant counts as *detected* when a formula or
example finding on its line is INCORRECT or CONDITIONAL. The table gives, per operator, the mutants made,
discarded (equivalent / unreadable), kept (of which undecided by value: the original could not be
evaluated) and the share detected; ``--verbose`` lists the missed ones.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from doc_keys import DOCS_ROOT, KEY_SUFFIX  # noqa: E402
from mutant_values import compare  # noqa: E402
from mutation_ops import OPERATORS  # noqa: E402

__all__ = ["Mutant", "source_files", "mutants_of_document", "run", "render", "main"]

SEEDS = ROOT / "tests" / "data" / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus"  # ../shared/corpus beside the checkout
FLAGGED = ("INCORRECT", "CONDITIONAL")


@dataclass
class Mutant:
    document: str
    line: int
    operator: str
    original: str
    mutated: str
    status: str = ""          # equivalent | unparseable | kept
    by_value: str = ""        # different | undecided (for kept mutants)
    verdict: str = ""         # the checker's verdict on the mutated line (most severe), or MISSING


def source_files(sources=("seeds", "corpus", "bench"), only=None) -> list[Path]:
    """The documents to mutate, in a fixed order."""
    files: list[Path] = []
    if "seeds" in sources and SEEDS.is_dir():
        files += sorted(p for p in SEEDS.iterdir() if p.is_file())
    if "corpus" in sources and CORPUS.is_dir():
        files += sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "SOURCES.md")
    if "bench" in sources:
        for sp in ("test", "tune"):
            d = DOCS_ROOT / sp
            files += sorted(p for p in d.iterdir() if p.is_file() and not p.name.endswith(KEY_SUFFIX)) if d.is_dir() else []
    return [f for f in files if not only or f.name in only or f.stem in only]


def _line_offsets(text: str) -> list[int]:
    offs, n = [0], 0
    for line in text.splitlines(keepends=True):
        n += len(line)
        offs.append(n)
    return offs


def _replace_at(text: str, offsets: list[int], line: int, end_line: int, old: str, new: str) -> str | None:
    """``text`` with the first occurrence of ``old`` within lines ``line..end_line`` replaced by ``new``."""
    lo, hi = offsets[line - 1], offsets[min(end_line, len(offsets) - 1)]
    at = text.find(old, lo, max(hi, lo + len(old)))
    if at < 0:
        return None
    return text[:at] + new + text[at + len(old):]


def _severity(verdicts: list[str]) -> str:
    order = ["MISSING", "UNRECOGNIZED", "CORRECT", "CONDITIONAL", "INCORRECT"]
    return max(verdicts, key=order.index) if verdicts else "MISSING"


def _check(path: Path):
    from proofs.checker import check_document

    return check_document(str(path)).findings


def mutants_of_document(path: Path, *, per_operator: int = 1, rng: random.Random | None = None) -> list[tuple]:
    """(Mutant, mutated document text) for every CORRECT formula/example of ``path``, before any filtering."""
    from proofs.document import read_document

    rng = rng or random.Random(0)
    text = path.read_text(encoding="utf-8")
    doc = read_document(str(path))
    offsets = _line_offsets(text)
    correct = {(f.line, f.source) for f in _check(path) if f.verdict.value == "CORRECT" and f.kind in ("formula", "example")}
    out = []
    for span in doc.spans:
        if (span.line, span.source) not in correct:
            continue
        for name, op in OPERATORS.items():
            made = op(span.source)
            rng.shuffle(made)
            for new in made[:per_operator]:
                mutated = _replace_at(text, offsets, span.line, span.end_line, span.source, new)
                if mutated is None:
                    continue
                m = Mutant(path.name, span.line, name, span.source, new)
                m._tex = span.tex  # type: ignore[attr-defined]
                out.append((m, mutated))
    return out


def _mutant_tex(path: Path, mutated_text: str, line: int, source: str) -> str | None:
    from proofs.document import read_document

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / path.name
        p.write_text(mutated_text, encoding="utf-8")
        for s in read_document(str(p)).spans:
            if s.line == line and s.source == source:
                return s.tex
    return None


def run(files: list[Path], *, per_operator: int = 1, max_mutants: int = 0, seed: int = 0, jobs: int = 1,
        progress=None) -> dict:
    """Make, filter and re-check the mutants of ``files``; return plain data (JSON-ready)."""
    rng = random.Random(seed)
    candidates = []
    for f in files:
        candidates += [(f, m, t) for m, t in mutants_of_document(f, per_operator=per_operator, rng=rng)]
    mutants = []
    for f, m, mutated_text in candidates:
        tex = _mutant_tex(f, mutated_text, m.line, m.mutated)
        outcome = "unparseable" if tex is None else compare(m._tex, tex)  # type: ignore[attr-defined]
        if outcome in ("equivalent", "unparseable"):
            m.status = outcome
        else:
            m.status, m.by_value = "kept", outcome
        mutants.append((f, m, mutated_text))
    kept = [x for x in mutants if x[1].status == "kept"]
    if max_mutants and len(kept) > max_mutants:
        chosen = set(random.Random(seed).sample(range(len(kept)), max_mutants))
        for i, (_, m, _) in enumerate(kept):
            if i not in chosen:
                m.status = "not sampled"
        kept = [x for i, x in enumerate(kept) if i in chosen]
    t0 = time.perf_counter()
    tasks = [(f.name, mutated_text, m.line) for f, m, mutated_text in kept]
    if jobs > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the parent has Numba's OpenMP threads running
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            verdicts = []
            for n, v in enumerate(pool.map(_recheck, tasks, chunksize=4)):
                verdicts.append(v)
                if progress:
                    progress(n + 1, len(tasks))
    else:
        verdicts = []
        for n, t in enumerate(tasks):
            verdicts.append(_recheck(t))
            if progress:
                progress(n + 1, len(tasks))
    for (_, m, _), v in zip(kept, verdicts):
        m.verdict = v
    return _summary([m for _, m, _ in mutants], time.perf_counter() - t0, files)


def _recheck(task: tuple) -> str:
    """Check a mutated document (saved under its original file name) and return the verdict on the mutated line."""
    name, mutated_text, line = task
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / name
        p.write_text(mutated_text, encoding="utf-8")
        try:
            found = _check(p)
        except (ValueError, TypeError) as exc:
            return f"ERROR {exc}"
    return _severity([x.verdict.value for x in found if x.line == line and x.kind in ("formula", "example")])


def _summary(mutants: list[Mutant], seconds: float, files) -> dict:
    per_op: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for m in mutants:
        row = per_op[m.operator]
        row["made"] += 1
        row[m.status] += 1
        if m.status == "kept":
            row["undecided"] += m.by_value == "undecided"
            row["detected"] += m.verdict in FLAGGED
            row["decided_detected"] += m.by_value == "different" and m.verdict in FLAGGED
    table = {}
    for op in OPERATORS:
        r = dict(per_op.get(op, {}))
        kept = r.get("kept", 0)
        table[op] = {k: r.get(k, 0) for k in ("made", "equivalent", "unparseable", "not sampled", "kept", "undecided",
                                              "detected", "decided_detected")}
        table[op]["share"] = r.get("detected", 0) / kept if kept else None
        decided = kept - r.get("undecided", 0)
        table[op]["share_decided"] = r.get("decided_detected", 0) / decided if decided else None
    kept = sum(r["kept"] for r in table.values())
    det = sum(r["detected"] for r in table.values())
    decided = kept - sum(r["undecided"] for r in table.values())
    ddet = sum(r["decided_detected"] for r in table.values())
    return {"documents": [str(f) for f in files], "operators": table,
            "total": {"kept": kept, "detected": det, "share": det / kept if kept else None,
                      "decided": decided, "decided_detected": ddet, "share_decided": ddet / decided if decided else None,
                      "made": len(mutants), "seconds_rechecking": seconds},
            "mutants": [{k: v for k, v in asdict(m).items()} for m in mutants]}


def render(res: dict, verbose: bool = False) -> str:
    """The per-operator table (and the missed mutants with ``verbose``)."""
    pct = lambda x: "—" if x is None else f"{100 * x:5.1f}%"
    out = [f"checker_mutants — {len(res['documents'])} document(s), {res['total']['made']} mutant(s) made", "",
           f"{'operator':<18} {'made':>5} {'equiv':>6} {'unread':>6} {'kept':>5} {'undec':>6} {'detected':>8} {'share':>7}"
           f" {'decided':>8}"]
    for op, r in res["operators"].items():
        out.append(f"{op:<18} {r['made']:>5} {r['equivalent']:>6} {r['unparseable']:>6} {r['kept']:>5} {r['undecided']:>6} "
                   f"{r['detected']:>8} {pct(r['share']):>7} {pct(r['share_decided']):>8}")
    t = res["total"]
    out.append(f"{'total':<18} {t['made']:>5} {'':>6} {'':>6} {t['kept']:>5} {'':>6} {t['detected']:>8} {pct(t['share']):>7}"
               f" {pct(t['share_decided']):>8}")
    out.append(f"(re-checking took {t['seconds_rechecking']:.1f} s; 'undec' = kept although the value comparison "
               f"could not evaluate the formula; 'decided' = share detected among the kept mutants shown different by value)")
    if verbose:
        out += ["", "Missed (kept, not flagged INCORRECT/CONDITIONAL):"]
        for m in res["mutants"]:
            if m["status"] == "kept" and m["verdict"] not in FLAGGED:
                out.append(f"  {m['document']}:{m['line']} [{m['operator']}] {m['verdict']}: "
                           f"{m['original'][:70]!r} -> {m['mutated'][:70]!r}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", default="seeds,corpus,bench", help="comma-separated: seeds, corpus, bench")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="only these documents (file name or stem)")
    ap.add_argument("--per-operator", type=int, default=1, help="mutants per operator and formula (default 1)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for the re-checks (default 1)")
    ap.add_argument("--max-mutants", type=int, default=0, help="re-check at most N kept mutants (sampled; 0 = all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="list the missed mutants")
    a = ap.parse_args(argv)
    if a.per_operator < 1 or a.max_mutants < 0 or a.jobs < 1:
        raise ValueError(f"--per-operator and --jobs must be >= 1 and --max-mutants >= 0, got "
                         f"{a.per_operator}, {a.jobs}, {a.max_mutants}")
    files = source_files(tuple(s.strip() for s in a.sources.split(",")), a.only)
    prog = (lambda i, n: print(f"\r  re-checking {i}/{n}", end="", file=sys.stderr)) if sys.stderr.isatty() else None
    res = run(files, per_operator=a.per_operator, max_mutants=a.max_mutants, seed=a.seed, jobs=a.jobs, progress=prog)
    if prog:
        print(file=sys.stderr)
    sys.stdout.write(json.dumps(res, indent=1) + "\n" if a.json else render(res, a.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
