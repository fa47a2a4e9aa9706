"""Shared pieces of the report renderers: ordering, filtering, short texts for a finding.

Examples
--------
>>> from proofs.findings import Finding, Verdict
>>> f = Finding(line=3, source="H = (H - k)/S + 1", kind="formula", verdict=Verdict.INCORRECT,
...             counterexample={"values": {"H": 5, "k": 2, "S": 2}, "document": "5/2", "expected": 2})
>>> counterexample_text(f)
'H=5, k=2, S=2: document 5/2, true 2'
"""

from __future__ import annotations

from ..findings import Finding, Report, Verdict

__all__ = ["visible", "counterexample_text", "summary_counts", "not_judged_note", "excerpt", "evidence",
           "VERDICT_ORDER"]

VERDICT_ORDER = (Verdict.INCORRECT, Verdict.CONDITIONAL, Verdict.CORRECT, Verdict.UNRECOGNIZED)


def visible(report: Report, verbose: bool = False) -> list[Finding]:
    """Findings shown to a reader: UNRECOGNIZED ones only with ``verbose``."""
    return [f for f in report.findings if verbose or f.verdict is not Verdict.UNRECOGNIZED]


def excerpt(text: str, width: int = 70) -> str:
    """One line of at most ``width`` characters."""
    one = " ".join(str(text).split())
    return one if len(one) <= width else one[: width - 1] + "…"


def counterexample_text(f: Finding) -> str:
    """The counterexample as one readable line (both values shown)."""
    c = f.counterexample
    if not c:
        return ""
    if not isinstance(c, dict):
        return str(c)
    parts = []
    vals = c.get("values")
    if isinstance(vals, dict):
        parts.append(", ".join(f"{k}={v}" for k, v in vals.items()))
    if "entry" in c:
        parts.append(f"entry {c['entry']}")
    if "link" in c and "left" in c:
        return f"step {c['link']}: {c['left']} vs {c['right']}"
    head = "; ".join(p for p in parts if p)
    doc = c.get("document")
    true = c.get("expected", c.get("other_operation", c.get("cross_correlation")))
    tail = f"document {doc}, true {true}" if doc is not None or true is not None else ""
    if "other_operation" in c:
        tail = f"document {doc}, the named operation {true}"
    rest = {k: v for k, v in c.items() if k not in ("values", "entry", "document", "expected", "other_operation",
                                                  "cross_correlation", "note", "link", "left", "right")}
    extra = ", ".join(f"{k}={v}" for k, v in rest.items())
    out = ": ".join(p for p in (head, tail) if p)
    out = f"{out} ({extra})" if extra else out
    return excerpt(out, 240)


def evidence(f: Finding, escape=str) -> list[str]:
    """The evidence lines of a finding: condition, counterexample, the correct formula, and the explanation.

    ``escape`` quotes text for the output format. The explanation closes the list when the finding is
    CORRECT or UNRECOGNIZED, or when nothing else was said (the HTML report builds its own cards).

    >>> from proofs.findings import Finding, Verdict
    >>> evidence(Finding(1, "x = 2", "example", Verdict.INCORRECT, expected="3", explanation="2 ≠ 3"))
    ['expected: 3']
    """
    ev = []
    if f.condition:
        ev.append(f"holds when {escape(f.condition)}")
    cx = counterexample_text(f)
    if cx:
        ev.append(f"counterexample: {escape(cx)}")
    wrong = f.verdict in (Verdict.INCORRECT, Verdict.CONDITIONAL)
    if wrong and f.expected:
        ev.append(f"expected: {escape(f.expected)}")
    if f.verdict in (Verdict.UNRECOGNIZED, Verdict.CORRECT) or not ev:
        ev.append(escape(f.explanation))
    return ev


def summary_counts(reports: list[Report]) -> dict[str, int]:
    """Counts per verdict over all reports."""
    out = {v.value: 0 for v in VERDICT_ORDER}
    for r in reports:
        for v, n in r.counts().items():
            out[v.value] += n
    return out


def not_judged_note(reports: list[Report], verbose: bool) -> str | None:
    """The sentence that says how many findings were not judged and are not listed (None when all are listed).

    The summary counts every finding whatever ``verbose`` is; ``verbose`` only lists the UNRECOGNIZED ones.

    >>> from proofs.findings import Finding, Report, Verdict
    >>> r = Report("a.md", [Finding(1, "K", "formula", Verdict.UNRECOGNIZED)])
    >>> not_judged_note([r], verbose=False)
    '1 not judged and not listed; --verbose lists them with the reason'
    >>> not_judged_note([r], verbose=True) is None
    True
    """
    hidden = summary_counts(reports)[Verdict.UNRECOGNIZED.value]
    if not hidden or verbose:
        return None
    return f"{hidden} not judged and not listed; --verbose lists them with the reason"
