"""Markdown report a teacher can read: a summary, a table, and each wrong formula beside the right one.

Examples
--------
>>> from proofs.findings import Finding, Report, Verdict
>>> f = Finding(line=4, source="H_out = (H - k)/S + 1", kind="formula", verdict=Verdict.CONDITIONAL,
...             quantity="output_size", condition="S divides (H − k)", expected="⌊(H − k)/S⌋ + 1",
...             expected_latex=r"\\left\\lfloor \\frac{H - k}{S} \\right\\rfloor + 1")
>>> md = render_markdown([Report("notes.md", [f])])
>>> "| 4 |" in md and "$$" in md
True
"""

from __future__ import annotations

from ..findings import Report, Verdict
from .common import counterexample_text, excerpt, summary_counts, visible

__all__ = ["render_markdown"]

_ICON = {Verdict.CORRECT: "✅", Verdict.INCORRECT: "❌", Verdict.CONDITIONAL: "⚠️", Verdict.UNRECOGNIZED: "·"}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(reports: list[Report], *, verbose: bool = False) -> str:
    """The report as Markdown (GitHub flavour, math in ``$$``)."""
    out = ["# convproof check", ""]
    c = summary_counts(reports)
    out.append(" · ".join(f"**{k}** {v}" for k, v in c.items()))
    out.append("")
    for r in reports:
        out += [f"## {r.document}", ""]
        shown = visible(r, verbose)
        if not shown:
            out += ["No formula was judged.", ""]
            continue
        out += ["| line | kind | formula | verdict | evidence |", "|---:|---|---|---|---|"]
        for f in shown:
            ev = f.condition and f"holds when {f.condition}" or counterexample_text(f) or f.explanation
            out.append(f"| {f.line} | {f.kind} | `{_cell(excerpt(f.source, 80))}` | {_ICON[f.verdict]} "
                       f"{f.verdict.value} | {_cell(ev)} |")
        out.append("")
        wrong = [f for f in shown if f.verdict in (Verdict.INCORRECT, Verdict.CONDITIONAL)]
        for f in wrong:
            out += [f"### Line {f.line}: {f.verdict.value.lower()}", "", "The document writes:", "",
                    f"```\n{f.source.strip()}\n```", ""]
            if f.condition:
                out += [f"It holds only when {f.condition}.", ""]
            cx = counterexample_text(f)
            if cx:
                out += [f"Counterexample: {cx}.", ""]
            if f.expected_latex:
                out += ["The correct formula:", "", f"$$\n{f.expected_latex}\n$$", ""]
            elif f.expected:
                out += [f"Expected: `{f.expected}`", ""]
            out += [f.explanation, ""]
    return "\n".join(out).rstrip() + "\n"
