"""HTML report: one self-contained page, every formula typeset as MathML (no script, nothing fetched).

Each finding is a card (readable on a phone): the document's formula, its verdict, and for a wrong one the
correct formula beside it and the counterexample's numbers. Document text is escaped, never interpreted;
formulas go through :mod:`proofs.report.mathml`, which writes MathML back from a whitelist.

Examples
--------
>>> from proofs.findings import Finding, Report, Verdict
>>> f = Finding(line=1, source="<script>x</script> = 1", kind="formula", verdict=Verdict.UNRECOGNIZED)
>>> page = render_html([Report("a.md", [f])], verbose=True)
>>> "<script" in page, "&lt;script&gt;" in page
(False, True)
"""

from __future__ import annotations

import html

from ..findings import Finding, Report, Verdict
from .common import counterexample_text, not_judged_note, summary_counts, visible
from .html_page import html_page
from .mathml import formula_html, strip_delimiters, text_html, value_html

__all__ = ["render_html", "finding_html"]


def _counterexample(f: Finding) -> str:
    """The counterexample's numbers typeset (values, then document vs true); other shapes as escaped text."""
    c = f.counterexample
    if not c:
        return ""
    if not isinstance(c, dict) or "link" in c:
        return html.escape(counterexample_text(f))
    parts = []
    vals = c.get("values")
    if isinstance(vals, dict):
        parts.append(", ".join(value_html(v, k) for k, v in vals.items()))
    if "entry" in c:
        parts.append(f"entry <code>{html.escape(str(c['entry']))}</code>")
    true = c.get("expected", c.get("other_operation", c.get("cross_correlation")))
    if c.get("document") is not None:
        parts.append(f'<span class="label">document</span>{value_html(c["document"])}')
    if true is not None:
        label = "the named operation" if "other_operation" in c else "true"
        parts.append(f'<span class="label">{label}</span>{value_html(true)}')
    if c.get("note"):
        parts.append(f'<span class="note">{html.escape(str(c["note"]))}</span>')
    return "; ".join(parts)


def finding_html(f: Finding) -> str:
    """One finding as a card: formula (typeset), verdict, condition, correct formula, counterexample, why."""
    v = f.verdict.value
    math = formula_html(f.source) if f.kind == "formula" else text_html(f.source.strip())
    out = [f'<section class="card {v}"><div class="head"><span>line {int(f.line)}</span>'
           f'<span>{html.escape(f.kind)}</span><span class="{v}">{v}</span></div>']
    wrong = f.verdict in (Verdict.INCORRECT, Verdict.CONDITIONAL)
    correct = f.expected_latex or f.expected if wrong else None
    if correct:
        out.append(f'<div class="side"><div><span class="label">document</span><div class="formula">{math}</div></div>'
                   f'<div><span class="label">correct</span><div class="formula">'
                   f"{formula_html(correct, display=strip_delimiters(f.source)[1])}</div></div>"
                   "</div>")
    else:
        out.append(f'<div class="formula">{math}</div>')
    ev = []
    if f.condition:
        ev.append(f'<span class="label">holds when</span>{text_html(f.condition)}')
    cx = _counterexample(f)
    if cx:
        ev.append(f'<span class="label">counterexample</span>{cx}')
    if f.explanation:
        ev.append(text_html(f.explanation))
    out.append('<div class="evidence">' + "".join(f"<div>{e}</div>" for e in ev) + "</div></section>")
    return "".join(out)


def render_html(reports: list[Report], *, verbose: bool = False) -> str:
    """The report as a standalone HTML page (document text is escaped, never interpreted)."""
    e = html.escape
    c = summary_counts(reports)
    out = ["<p>" + " · ".join(f'<span class="{k}">{k}</span> {v}' for k, v in c.items()) + "</p>"]
    note = not_judged_note(reports, verbose)
    if note:
        out.append(f'<p class="note">{e(note)}</p>')
    for r in reports:
        out.append(f"<h2>{e(r.document)}</h2>")
        out.extend(finding_html(f) for f in visible(r, verbose))
    return html_page("convproof check", "\n".join(out))
