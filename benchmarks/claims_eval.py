"""Score the checker on the independent claim set ``tests/data/claims/varied_unseen`` (issue 13's acceptance).

Usage::

    python benchmarks/claims_eval.py [--json] [--verbose] [--only ID ...] [--budget SECONDS]

Each claim is checked as a short paragraph: its context sentence(s), if any, then the claim sentence on the
last line (``proofs.check_text(context + "\\n" + text)``). Findings on the claim's line decide it; an
INCORRECT finding anywhere in the paragraph of a true claim counts as a false alarm (the contexts are true).
Per quantity (the claim set's own label) and in total it prints:

- **recall** — false claims found INCORRECT or CONDITIONAL; **cex** — of those, the share whose finding
  carries a counterexample; **passed** — false claims judged CORRECT (a wrong verdict, worse than a miss);
- **false alarms** — true claims with an INCORRECT finding;
- **coverage** — claims with a finding other than UNRECOGNIZED on the claim's line (no finding counts as
  UNRECOGNIZED).

``--verbose`` lists the misses (false claims not found, true claims judged INCORRECT, claims not covered);
``--json`` prints the numbers and the per-claim verdicts as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "tests" / "data" / "claims" / "varied_unseen"
_RANK = {"INCORRECT": 3, "CONDITIONAL": 2, "CORRECT": 1, "UNRECOGNIZED": 0}


def load_claims(folder: Path = CLAIMS) -> list[dict]:
    """Every ``[[claim]]`` of the folder's TOML files, in file then entry order."""
    claims = []
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            claims.extend(tomllib.load(fh)["claim"])
    return claims


def paragraph(claim: dict) -> tuple[str, int]:
    """The text to check and the line of the claim sentence in it (1-based)."""
    context = claim.get("context", "").strip()
    if not context:
        return claim["text"], 1
    return f"{context}\n{claim['text']}", context.count("\n") + 2


def judge(claim: dict, budget: float | None = 60.0) -> dict:
    """Check one claim; returns its verdict (the strongest on its line), counterexample flag and any INCORRECT line."""
    from proofs import check_text

    text, line = paragraph(claim)
    report = check_text(text, budget=budget)
    on_line = [f for f in report.findings if f.line == line]
    best = max(on_line, key=lambda f: _RANK[f.verdict.value], default=None)
    verdict = best.verdict.value if best else "UNRECOGNIZED"
    incorrect_lines = sorted({f.line for f in report.findings if f.verdict.value == "INCORRECT"})
    return {
        "id": claim["id"],
        "quantity": claim["quantity"],
        "truth": bool(claim["truth"]),
        "verdict": verdict,
        "counterexample": bool(best is not None and best.counterexample is not None),
        "incorrect_lines": incorrect_lines,
        "explanation": best.explanation if best else "no finding",
    }


def score(results: list[dict]) -> dict:
    """Recall, counterexamples, false alarms and coverage per quantity and in total."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        groups[r["quantity"]].append(r)
        groups["TOTAL"].append(r)
    table = {}
    for name, rs in groups.items():
        false = [r for r in rs if not r["truth"]]
        true = [r for r in rs if r["truth"]]
        found = [r for r in false if r["verdict"] in ("INCORRECT", "CONDITIONAL")]
        table[name] = {
            "claims": len(rs),
            "false": len(false),
            "true": len(true),
            "found": len(found),
            "recall": _share(len(found), len(false)),
            "with_cex": _share(sum(r["counterexample"] for r in found), len(found)),
            "passed": sum(r["verdict"] == "CORRECT" for r in false),
            "false_alarms": sum(bool(r["incorrect_lines"]) for r in true),
            "false_alarm_rate": _share(sum(bool(r["incorrect_lines"]) for r in true), len(true)),
            "coverage": _share(sum(r["verdict"] != "UNRECOGNIZED" for r in rs), len(rs)),
        }
    return table


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def render(table: dict) -> str:
    head = (f"{'quantity':<16}{'claims':>7}{'recall':>16}{'cex':>8}{'passed':>8}{'false alarms':>18}"
            f"{'coverage':>10}")
    rows = [head, "-" * len(head)]
    for name in sorted(table, key=lambda n: (n == "TOTAL", n)):
        t = table[name]
        rows.append(f"{name:<16}{t['claims']:>7}{t['found']:>4}/{t['false']:<3}{_pct(t['recall']):>8}"
                    f"{_pct(t['with_cex']):>8}{t['passed']:>8}{t['false_alarms']:>6}/{t['true']:<3}{_pct(t['false_alarm_rate']):>8}"
                    f"{_pct(t['coverage']):>10}")
    return "\n".join(rows)


def misses(results: list[dict], claims: dict[str, dict]) -> list[str]:
    out = []
    for r in results:
        c = claims[r["id"]]
        if r["truth"] and r["incorrect_lines"]:
            tag = "FALSE ALARM"
        elif not r["truth"] and r["verdict"] == "CORRECT":
            tag = "PASSED"
        elif not r["truth"] and r["verdict"] not in ("INCORRECT", "CONDITIONAL"):
            tag = "MISSED"
        elif r["verdict"] == "UNRECOGNIZED":
            tag = "UNCOVERED"
        else:
            continue
        out.append(f"{tag:<12}{r['id']:<7}{r['verdict']:<13}{c['text']}\n{'':<32}{r['explanation'][:160]}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the numbers and per-claim verdicts as JSON")
    ap.add_argument("--verbose", action="store_true", help="list the misses")
    ap.add_argument("--only", nargs="*", default=None, help="claim ids to check")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per claim (check_text's budget)")
    args = ap.parse_args(argv)
    claims = load_claims()
    if args.only:
        claims = [c for c in claims if c["id"] in set(args.only)]
    results = [judge(c, args.budget) for c in claims]
    table = score(results)
    if args.json:
        print(json.dumps({"scores": table, "claims": results}, indent=1, ensure_ascii=False))
        return 0
    print(render(table))
    if args.verbose:
        print()
        print("\n".join(misses(results, {c["id"]: c for c in claims})) or "no misses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
