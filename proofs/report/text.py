"""Terminal report: a rich table per document (line, kind, excerpt, verdict, evidence).

Examples
--------
>>> from proofs.findings import Finding, Report, Verdict
>>> r = Report("notes.md", [Finding(line=2, source="64 × 64 = 4,095", kind="example", verdict=Verdict.INCORRECT,
...                                 counterexample={"link": 1, "left": 4096, "right": 4095}, explanation="false")])
>>> out = render_text([r], width=100)
>>> "INCORRECT" in out and "notes.md" in out
True
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..findings import Report, Verdict
from .common import evidence, excerpt, not_judged_note, summary_counts, visible

__all__ = ["render_text", "print_text"]

_STYLE = {Verdict.CORRECT: "green", Verdict.INCORRECT: "bold red", Verdict.CONDITIONAL: "yellow",
          Verdict.UNRECOGNIZED: "dim"}


def _table(report: Report, verbose: bool) -> Table:
    t = Table(title=Text(report.document), title_justify="left", show_lines=False, expand=True)
    t.add_column("line", justify="right", no_wrap=True)
    t.add_column("kind", no_wrap=True)
    t.add_column("excerpt", ratio=3)
    t.add_column("verdict", no_wrap=True)
    t.add_column("evidence", ratio=4)
    for f in visible(report, verbose):
        ev = evidence(f)
        where = str(f.line) if getattr(f, "cell", None) is None else f"{f.line}\ncell {f.cell}, line {f.cell_line}"
        t.add_row(where, f.kind, Text(excerpt(f.source, 90)), Text(f.verdict.value, style=_STYLE[f.verdict]),
                  Text("\n".join(e for e in ev if e)))
    return t


def _summary(reports) -> Text:
    c = summary_counts(reports)
    s = Text()
    for v in (Verdict.CORRECT, Verdict.INCORRECT, Verdict.CONDITIONAL, Verdict.UNRECOGNIZED):
        s.append(f"{v.value} {c[v.value]}  ", style=_STYLE[v])
    return s


def print_text(reports: list[Report], *, verbose: bool = False, console: Console | None = None) -> None:
    """Print the tables and a summary line to ``console`` (stdout by default)."""
    console = console or Console()
    for r in reports:
        console.print(_table(r, verbose))
    line = _summary(reports)
    note = not_judged_note(reports, verbose)
    if note:
        line.append(f"({note})", style="dim")
    console.print(line)


def render_text(reports: list[Report], *, verbose: bool = False, width: int = 120) -> str:
    """The terminal report as plain text (no colour codes)."""
    buf = io.StringIO()
    print_text(reports, verbose=verbose, console=Console(file=buf, width=width, force_terminal=False,
                                                          color_system=None))
    return buf.getvalue()
