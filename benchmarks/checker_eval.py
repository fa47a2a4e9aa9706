"""Score ``convproof check`` on the benchmark documents against their answer keys.

Usage::

    python benchmarks/checker_eval.py [--split test|tune|all] [--json] [--verbose] [--subprocess]
                                      [--root DIR] [--only NAME ...]

Per document, per quantity (the key's) and in total it prints:

- **recall** — keyed INCORRECT/CONDITIONAL statements the checker found INCORRECT or CONDITIONAL on the
  right line (±2 lines, see ``eval_match``); ``exact`` also requires the key's own verdict;
- **false alarms** — keyed CORRECT statements the checker called INCORRECT, as a share of keyed CORRECT;
- **coverage** — keyed checkable statements given a verdict other than UNRECOGNIZED (no finding at all
  counts as UNRECOGNIZED);
- **cex fails** — of the INCORRECT/CONDITIONAL findings whose counterexample could be re-evaluated
  (``cex_recheck``: the document's formula re-read with proofs' grammar, values substituted), the share
  that really fail; a finding on a statement keyed CORRECT never counts as failing;
- **s/doc** — seconds of ``check_document`` (in-process, after one warm-up import) or of the subprocess.

Findings on lines with no keyed statement are counted as *unkeyed* (INCORRECT ones listed with --verbose).
The checker runs in-process by default (``proofs.checker.check_document(...).to_dict()``, the same JSON as
``convproof check --format json``); ``--subprocess`` runs the CLI instead.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from cex_recheck import recheck  # noqa: E402
from doc_keys import DOCS_ROOT, documents  # noqa: E402
from eval_match import LINE_TOLERANCE, Score, assign  # noqa: E402

__all__ = ["run_checker", "evaluate_document", "evaluate", "render_tables", "main"]


def run_checker(path: Path, *, use_subprocess: bool = False, timeout: float = 600) -> tuple[list[dict], float, str]:
    """The findings of ``convproof check --format json`` on one document, the seconds taken, and an error text."""
    t0 = time.perf_counter()
    if use_subprocess:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE.parent), os.environ.get("PYTHONPATH", "")]))
        try:
            r = subprocess.run([sys.executable, "-m", "proofs", "check", str(path), "--format", "json"],
                               capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            return [], time.perf_counter() - t0, f"timed out after {timeout} s"
        secs = time.perf_counter() - t0
        if r.returncode not in (0, 1):
            return [], secs, (r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[-1]
        data = json.loads(r.stdout)
        return (data[0] if isinstance(data, list) else data)["findings"], secs, ""
    from proofs.checker import check_document

    try:
        report = check_document(str(path))
    except (ValueError, TypeError, OSError) as exc:
        return [], time.perf_counter() - t0, f"{type(exc).__name__}: {exc}"
    return report.to_dict()["findings"], time.perf_counter() - t0, ""


def evaluate_document(doc, findings: list[dict], seconds: float, error: str = "") -> dict:
    """Everything the tables need about one document (plain data, JSON-ready)."""
    owners = assign(findings, doc.statements)
    per: list[list[dict]] = [[] for _ in doc.statements]
    unkeyed = []
    for f, i in zip(findings, owners):
        (unkeyed if i is None else per[i]).append(f)
    from eval_match import SEVERITY

    verdicts = [max((f["verdict"] for f in fs), key=SEVERITY.__getitem__) if fs else "UNRECOGNIZED" for fs in per]
    cex = {"fails": 0, "does-not-fail": 0, "not-re-evaluable": 0, "refuted-by-key": 0}
    cex_list = []
    for f, i in zip(findings, owners):
        if f["verdict"] not in ("INCORRECT", "CONDITIONAL") or f.get("counterexample") is None:
            continue
        out = recheck(f)
        if i is not None and doc.statements[i].verdict == "CORRECT":  # the independent key says it holds
            cex["refuted-by-key"] += 1
            out = "does-not-fail"
        cex[out] += 1
        cex_list.append({"line": f["line"], "outcome": out, "source": f.get("source", "")[:100]})
    by_q: dict[str, Score] = defaultdict(Score)
    for k, v in zip(doc.statements, verdicts):
        by_q[k.quantity] += Score.of([k], [v])
    return {
        "document": doc.name, "split": doc.split, "format": doc.source.get("format", "?"), "seconds": seconds,
        "error": error, "score": Score.of(doc.statements, verdicts).as_dict(),
        "by_quantity": {q: s.as_dict() for q, s in by_q.items()},
        "statements": [{"line": k.line, "quote": k.quote, "quantity": k.quantity, "key": k.verdict, "checker": v}
                       for k, v in zip(doc.statements, verdicts)],
        "unkeyed": [{"line": f["line"], "verdict": f["verdict"], "source": (f.get("source") or "")[:100]}
                    for f in unkeyed if f["verdict"] != "UNRECOGNIZED"],
        "counterexamples": cex, "counterexample_list": cex_list,
    }


def _score(d: dict) -> Score:
    return Score(**{k: d[k] for k in ("wrong", "found", "exact", "correct", "false_alarms", "checkable", "covered")})


def evaluate(split: str = "test", root=DOCS_ROOT, *, only=None, use_subprocess: bool = False) -> dict:
    """Run the checker on every keyed document of ``split`` under ``root`` (a folder or a list of them)."""
    roots = [Path(r) for r in (root if isinstance(root, (list, tuple)) else [root])]
    docs = [d for r in roots for d in documents(split, r, strict=False)
            if not only or d.name in only or d.path.stem in only]
    results = []
    if docs and not use_subprocess:
        import proofs.checker  # noqa: F401 - warm-up: the first import is not charged to one document
    for d in docs:
        findings, secs, err = run_checker(d.path, use_subprocess=use_subprocess)
        results.append(evaluate_document(d, findings, secs, err))
    total, by_q = Score(), defaultdict(Score)
    cex = defaultdict(int)
    for r in results:
        total += _score(r["score"])
        for q, s in r["by_quantity"].items():
            by_q[q] += _score(s)
        for k, v in r["counterexamples"].items():
            cex[k] += v
    re_eval = cex["fails"] + cex["does-not-fail"]
    return {"split": split, "root": ", ".join(map(str, roots)), "line_tolerance": LINE_TOLERANCE, "documents": results,
            "by_quantity": {q: by_q[q].as_dict() for q in sorted(by_q)}, "total": total.as_dict(),
            "counterexamples": dict(cex), "cex_fail_share": cex["fails"] / re_eval if re_eval else None,
            "seconds_per_document": sum(r["seconds"] for r in results) / len(results) if results else None}


def _pct(x) -> str:
    return "—" if x is None else f"{100 * x:5.1f}%"


def _row(name: str, s: dict, extra: str = "") -> str:
    return (f"{name:<44} {s['wrong']:>3}/{s['found']:<3} {_pct(s['recall']):>7}  {s['correct']:>3}/{s['false_alarms']:<3}"
            f" {_pct(s['false_alarm_rate']):>7}  {s['checkable']:>3}/{s['covered']:<3} {_pct(s['coverage']):>7}{extra}")


def render_tables(res: dict, verbose: bool = False) -> str:
    """The three tables (documents, quantities, total) as text."""
    head = (f"{'':<44} {'wrong/found':>11} {'recall':>5}  {'ok/alarm':>8} {'f.alarm':>6}  {'chk/cov':>7} "
            f"{'coverage':>7}")
    out = [f"checker_eval — split {res['split']}, {len(res['documents'])} document(s) from {res['root']}",
           f"(match: same line, else ±{res['line_tolerance']} lines by shared text)", "", "Per document", head + "  cex fails    s/doc"]
    for r in res["documents"]:
        c = r["counterexamples"]
        n = c["fails"] + c["does-not-fail"]
        extra = f"  {c['fails']:>2}/{n:<2} {'' if n else ' '}{_pct(c['fails'] / n) if n else '   —':>6} {r['seconds']:7.2f}"
        out.append(_row(f"{r['split']}/{r['document']}"[:44], r["score"], extra) + (f"  ERROR {r['error']}" if r["error"] else ""))
        if verbose:
            for s in r["statements"]:
                if s["key"] != "NOT-CHECKABLE" and (s["checker"] != s["key"]):
                    out.append(f"    line {s['line']:>4} key {s['key']:<11} checker {s['checker']:<12} {s['quote'][:60]!r}")
            for u in r["unkeyed"]:
                out.append(f"    line {u['line']:>4} unkeyed    checker {u['verdict']:<12} {u['source'][:60]!r}")
    out += ["", "Per quantity (the key's)", head]
    out += [_row(q, s) for q, s in res["by_quantity"].items()]
    out += ["", "Total", head, _row("all", res["total"])]
    c = res["counterexamples"]
    out.append(f"\ncounterexamples of INCORRECT/CONDITIONAL findings: {c.get('fails', 0)} really fail, "
               f"{c.get('does-not-fail', 0)} do not (of which {c.get('refuted-by-key', 0)} on statements keyed CORRECT), "
               f"{c.get('not-re-evaluable', 0)} not re-evaluable → share failing {_pct(res['cex_fail_share'])}")
    spd = res["seconds_per_document"]
    out.append(f"seconds per document: {'—' if spd is None else f'{spd:.2f}'}")
    n_unkeyed = sum(1 for r in res["documents"] for u in r["unkeyed"] if u["verdict"] == "INCORRECT")
    out.append(f"unkeyed INCORRECT findings (key gaps or checker noise): {n_unkeyed}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("test", "tune", "all"), default="test")
    ap.add_argument("--root", nargs="+", default=[str(DOCS_ROOT)],
                    help="documents folder(s) with test/ and tune/ (default: %(default)s)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="only these documents (file name or stem)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON instead of tables")
    ap.add_argument("--verbose", action="store_true", help="list every disagreement with the key")
    ap.add_argument("--subprocess", action="store_true", help="run the convproof CLI per document")
    a = ap.parse_args(argv)
    res = evaluate(a.split, a.root, only=a.only, use_subprocess=a.subprocess)
    sys.stdout.write(json.dumps(res, indent=1, default=str) + "\n" if a.json else render_tables(res, a.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
