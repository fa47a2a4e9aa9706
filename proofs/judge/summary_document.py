r"""The model summaries of a read document (:mod:`proofs.judge.summary_check`) and the shapes its prose states
around layer calls (:mod:`proofs.judge.summary_prose`) and its layer listings (:mod:`proofs.judge.summary_listing`),
judged, as findings.

The lines searched are the document's own; for a notebook, the lines of its code cells and their text
outputs (where ``model.summary()`` prints) with the Markdown cells, all numbered as lines of the
``.ipynb`` file — so these findings are already at file lines and are not relocated again.

>>> from proofs.document import read_text
>>> doc = read_text("```\nLayer (type)   Output Shape   Param #\nd (Dense)   (None, 10)   50\nd2 (Dense)   (None, 2)  22\n"
...                 "Total params: 70\n```\n")
>>> [(f.line, f.verdict.value, f.quantity) for f in summary_document_findings(doc)]
[(4, 'CORRECT', 'param_count'), (5, 'INCORRECT', 'table_total')]
"""

from __future__ import annotations

from ..findings import Finding, Verdict
from .summary_check import summary_findings
from .summary_listing import listing_findings
from .summary_prose import prose_shape_findings

__all__ = ["summary_document_findings"]


def _lines(doc) -> list[tuple[int, str]]:
    origins = getattr(doc, "origins", None)
    if not origins or not getattr(doc, "path", None):
        return list(enumerate(doc.lines, 1))
    from ..document.summary_code import notebook_code_lines

    try:
        with open(doc.path, encoding="utf-8-sig") as fh:
            raw = fh.read()
    except (OSError, UnicodeDecodeError):
        return []
    merged = notebook_code_lines(raw) + [(origins[n - 1][0], t) for n, t in enumerate(doc.lines, 1) if n <= len(origins)]
    return sorted(merged, key=lambda p: p[0])


def summary_document_findings(doc, ignore_lines=()) -> list[Finding]:
    """Findings on every checked cell of the document's model summaries (``ignore_lines``: the lines of
    ``ignore-next`` markers, for a document read line for line)."""
    try:
        lines = _lines(doc)
        found = summary_findings(lines) + prose_shape_findings(lines) + listing_findings(lines)
    except Exception as exc:  # noqa: BLE001 - a summary the reader cannot take must not lose the report
        return [Finding(line=1, source="", kind="example", verdict=Verdict.UNRECOGNIZED,
                        explanation=f"model summaries could not be checked ({type(exc).__name__}: {exc})")]
    notebook = bool(getattr(doc, "origins", None))
    lines = sorted({n for n, _, _ in found})
    drop = set()
    if not notebook:
        for m in ignore_lines:
            nxt = next((n for n in lines if n > m), None)
            if nxt is not None:
                drop.add(nxt)
    out = []
    for line, source, j in found:
        if line in drop:
            continue
        out.append(Finding(line=line, source=source, kind="example", verdict=Verdict(j.verdict), quantity=j.quantity,
                           condition=j.condition, counterexample=j.counterexample, expected=j.expected,
                           explanation=j.explanation, section=None if notebook else doc.section_at(line)))
    return out
