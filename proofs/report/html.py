"""HTML report: one standalone page, formulas of the correct answers typeset by MathJax.

Examples
--------
>>> from proofs.findings import Finding, Report, Verdict
>>> f = Finding(line=1, source="<script>x</script> = 1", kind="formula", verdict=Verdict.UNRECOGNIZED)
>>> page = render_html([Report("a.md", [f])], verbose=True)
>>> "<script>x</script>" in page, "&lt;script&gt;" in page
(False, True)
"""

from __future__ import annotations

import html

from ..findings import Report
from .common import evidence, not_judged_note, summary_counts, visible

__all__ = ["render_html"]

_CSS = """body{font-family:system-ui,sans-serif;max-width:72em;margin:2em auto;padding:0 1em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3em .5em;vertical-align:top}
code{white-space:pre-wrap}.CORRECT{color:#176b2c}.INCORRECT{color:#b00020;font-weight:bold}
.CONDITIONAL{color:#b26a00}.UNRECOGNIZED{color:#777}"""


def render_html(reports: list[Report], *, verbose: bool = False) -> str:
    """The report as a standalone HTML page (document text is escaped, never interpreted)."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8"><title>convproof check</title>',
           f"<style>{_CSS}</style>",
           '<script async src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script>',
           "</head><body><h1>convproof check</h1>"]
    c = summary_counts(reports)
    out.append("<p>" + " · ".join(f'<span class="{k}">{k}</span> {v}' for k, v in c.items()) + "</p>")
    note = not_judged_note(reports, verbose)
    if note:
        out.append(f"<p><em>{e(note)}</em></p>")
    for r in reports:
        out.append(f"<h2>{e(r.document)}</h2>")
        shown = visible(r, verbose)
        out.append("<table><tr><th>line</th><th>kind</th><th>formula</th><th>verdict</th><th>evidence</th></tr>")
        for f in shown:
            ev = evidence(f, e, latex=True)
            out.append(f"<tr><td>{int(f.line)}</td><td>{e(f.kind)}</td><td><code>{e(f.source.strip())}</code></td>"
                       f'<td class="{f.verdict.value}">{f.verdict.value}</td><td>{"<br>".join(ev)}</td></tr>')
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
