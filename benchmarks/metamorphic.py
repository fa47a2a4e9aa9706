"""Metamorphic tests of ``convproof check``: rewrite a document without changing its meaning; verdicts must stay.

Usage::

    python benchmarks/metamorphic.py [--sources seeds,corpus,bench] [--only NAME ...] [--verbose] [--json]

The rewrites (``metamorphic_ops``): every symbol renamed consistently (definitions too); per-side padding
restated as total padding with every ``2p`` rewritten as ``p``; LaTeX math of Markdown/text documents
written as Unicode plain text. A rewrite keeps each statement on its line, so the findings of the original
and of the rewritten document are paired by kind and line (the nearest within ±2 lines: removing a ``$$``
line moves a display's formula by one). The share of *unchanged*
verdicts is reported per rewrite, over the findings the checker judged in the original (verdict other than
UNRECOGNIZED) and over all findings; a finding that appears or disappears counts as changed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from checker_mutants import source_files  # noqa: E402
from metamorphic_ops import TRANSFORMS  # noqa: E402

__all__ = ["compare_reports", "run", "render", "main"]


def _check_text(name: str, text: str):
    from proofs.checker import check_document

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / name
        p.write_text(text, encoding="utf-8")
        return [f.to_dict() for f in check_document(str(p)).findings]


def _pair(before: list[dict], after: list[dict], tolerance: int = 2) -> list[tuple]:
    """Pairs (finding before or None, finding after or None): same kind, same line first, else the nearest
    unpaired one within ``tolerance`` lines (a rewrite may move a display's formula off its ``$$`` line)."""
    left = list(after)
    pairs = []
    for f in sorted(before, key=lambda x: x["line"]):
        cands = [g for g in left if g["kind"] == f["kind"] and abs(g["line"] - f["line"]) <= tolerance]
        if cands:
            g = min(cands, key=lambda g: (abs(g["line"] - f["line"]), g["verdict"] != f["verdict"]))
            left.remove(g)
            pairs.append((f, g))
        else:
            pairs.append((f, None))
    return pairs + [(None, g) for g in left]


def compare_reports(before: list[dict], after: list[dict]) -> dict:
    """Counts of unchanged/changed verdicts between two reports of the same (rewritten) document.

    >>> c = compare_reports([{"line": 1, "kind": "formula", "verdict": "CORRECT"},
    ...                      {"line": 3, "kind": "claim", "verdict": "UNRECOGNIZED"}],
    ...                     [{"line": 1, "kind": "formula", "verdict": "INCORRECT"}])
    >>> (c["judged"], c["judged_unchanged"], c["all"], c["all_unchanged"])
    (1, 0, 2, 0)
    """
    pairs = _pair(before, after)
    v = lambda f: f["verdict"] if f else "ABSENT"
    changed = [(f or g, v(f), v(g)) for f, g in pairs if v(f) != v(g)]
    judged = [(f, g) for f, g in pairs if v(f) not in ("UNRECOGNIZED", "ABSENT")]
    return {"judged": len(judged), "judged_unchanged": sum(1 for f, g in judged if v(f) == v(g)),
            "all": len(pairs), "all_unchanged": len(pairs) - len(changed),
            "changed": [{"line": x["line"], "kind": x["kind"], "before": a, "after": b} for x, a, b in changed]}


def run(files: list[Path]) -> dict:
    """Apply every rewrite to every document and compare the verdicts."""
    from proofs.document import read_document

    results = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        fmt = read_document(str(f)).fmt
        before = None
        for name, transform in TRANSFORMS.items():
            new = transform(text, fmt) if name == "unicode" else transform(text)
            if new is None or new == text:
                results.append({"document": f.name, "transform": name, "applied": False})
                continue
            if before is None:
                before = _check_text(f.name, text)
            out_name = f.with_suffix(".txt").name if name == "unicode" else f.name
            after = _check_text(out_name, new)
            results.append({"document": f.name, "transform": name, "applied": True, **compare_reports(before, after)})
    per = {}
    for name in TRANSFORMS:
        rows = [r for r in results if r["transform"] == name and r["applied"]]
        j, ju = sum(r["judged"] for r in rows), sum(r["judged_unchanged"] for r in rows)
        a, au = sum(r["all"] for r in rows), sum(r["all_unchanged"] for r in rows)
        per[name] = {"documents": len(rows), "judged": j, "judged_unchanged": ju, "share_judged": ju / j if j else None,
                     "all": a, "all_unchanged": au, "share_all": au / a if a else None}
    j = sum(p["judged"] for p in per.values())
    ju = sum(p["judged_unchanged"] for p in per.values())
    return {"documents": [str(f) for f in files], "transforms": per, "results": results,
            "total": {"judged": j, "judged_unchanged": ju, "share_judged": ju / j if j else None}}


def render(res: dict, verbose: bool = False) -> str:
    pct = lambda x: "—" if x is None else f"{100 * x:5.1f}%"
    out = [f"metamorphic — {len(res['documents'])} document(s)", "",
           f"{'rewrite':<14} {'docs':>5} {'judged':>7} {'unchanged':>9} {'share':>7}   {'all':>5} {'unchanged':>9} {'share':>7}"]
    for name, p in res["transforms"].items():
        out.append(f"{name:<14} {p['documents']:>5} {p['judged']:>7} {p['judged_unchanged']:>9} {pct(p['share_judged']):>7}   "
                   f"{p['all']:>5} {p['all_unchanged']:>9} {pct(p['share_all']):>7}")
    t = res["total"]
    out.append(f"{'total':<14} {'':>5} {t['judged']:>7} {t['judged_unchanged']:>9} {pct(t['share_judged']):>7}")
    if verbose:
        out += ["", "Changed verdicts:"]
        for r in res["results"]:
            for c in r.get("changed", []):
                out.append(f"  {r['document']}:{c['line']} [{r['transform']}] {c['kind']}: {c['before']} -> {c['after']}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", default="seeds,corpus,bench", help="comma-separated: seeds, corpus, bench")
    ap.add_argument("--only", nargs="+", metavar="NAME")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="list every changed verdict")
    a = ap.parse_args(argv)
    res = run(source_files(tuple(s.strip() for s in a.sources.split(",")), a.only))
    sys.stdout.write(json.dumps(res, indent=1) + "\n" if a.json else render(res, a.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
