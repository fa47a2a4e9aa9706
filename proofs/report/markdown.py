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

import re

from ..findings import Report, Verdict
from .common import counterexample_text, excerpt, not_judged_note, summary_counts, visible

__all__ = ["render_markdown", "code_span", "code_block", "markdown_text"]

_ICON = {Verdict.CORRECT: "✅", Verdict.INCORRECT: "❌", Verdict.CONDITIONAL: "⚠️", Verdict.UNRECOGNIZED: "·"}


def _longest_backtick_run(text: str) -> int:
    return max((len(m) for m in re.findall(r"`+", text)), default=0)


def code_span(text: str) -> str:
    """Document text as an inline code span that no back-quote of the text can close (one line, ``|``
    escaped for a table cell): the fence is longer than the longest run of back-quotes inside.

    >>> code_span("a`b") == "``a`b``"
    True
    >>> code_span("`x`") == "`` `x` ``"
    True
    """
    one = " ".join(str(text).split()).replace("|", "\\|")
    fence = "`" * (_longest_backtick_run(one) + 1)
    pad = " " if one.startswith("`") or one.endswith("`") or not one.strip() else ""
    return f"{fence}{pad}{one}{pad}{fence}"


def code_block(text: str) -> str:
    """Document text as a fenced code block whose fence is longer than any back-quote run inside.

    >>> print(code_block("x ``` y"))
    ````
    x ``` y
    ````
    """
    body = str(text).strip("\n")
    fence = "`" * max(3, _longest_backtick_run(body) + 1)
    return f"{fence}\n{body}\n{fence}"


_MD_ACTIVE = re.compile(r"([\\`\[\]|])")


def markdown_text(text: str) -> str:
    """Text (that may quote the document) as inert Markdown: ``& < >`` as entities, so no raw HTML can
    start; back-slash, back-quote, brackets and ``|`` escaped, so no code span, link, image or table cell
    can start; one line.

    >>> markdown_text("<img src=x onerror=alert(1)> [a](b) `c`")
    '&lt;img src=x onerror=alert(1)&gt; \\\\[a\\\\](b) \\\\`c\\\\`'
    """
    one = " ".join(str(text).split())
    one = one.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_ACTIVE.sub(r"\\\1", one)


_cell = markdown_text


def render_markdown(reports: list[Report], *, verbose: bool = False) -> str:
    """The report as Markdown (GitHub flavour, math in ``$$``)."""
    out = ["# convproof check", ""]
    c = summary_counts(reports)
    out.append(" · ".join(f"**{k}** {v}" for k, v in c.items()))
    out.append("")
    note = not_judged_note(reports, verbose)
    if note:
        out += [f"_{note}_", ""]
    for r in reports:
        out += [f"## {markdown_text(r.document)}", ""]
        shown = visible(r, verbose)
        if not shown:
            out += ["No formula was judged.", ""]
            continue
        out += ["| line | kind | formula | verdict | evidence |", "|---:|---|---|---|---|"]
        for f in shown:
            ev = f.condition and f"holds when {f.condition}" or counterexample_text(f) or f.explanation
            out.append(f"| {f.line} | {_cell(f.kind)} | {code_span(excerpt(f.source, 80))} | {_ICON[f.verdict]} "
                       f"{f.verdict.value} | {_cell(ev)} |")
        out.append("")
        wrong = [f for f in shown if f.verdict in (Verdict.INCORRECT, Verdict.CONDITIONAL)]
        for f in wrong:
            out += [f"### Line {f.line}: {f.verdict.value.lower()}", "", "The document writes:", "",
                    code_block(f.source.strip()), ""]
            if f.condition:
                out += [f"It holds only when {markdown_text(f.condition)}.", ""]
            cx = counterexample_text(f)
            if cx:
                out += [f"Counterexample: {markdown_text(cx)}.", ""]
            if f.expected_latex:
                out += ["The correct formula:", "", f"$$\n{f.expected_latex}\n$$", ""]
            elif f.expected:
                out += [f"Expected: {code_span(f.expected)}", ""]
            out += [markdown_text(f.explanation), ""]
    return "\n".join(out).rstrip() + "\n"
