"""proofs.report — renderers of check reports: terminal (rich), JSON, Markdown, LaTeX, HTML.

Each renderer takes a *list* of :class:`~proofs.findings.Report` (one per document), so the
multi-file mode reuses them. :func:`render` picks one by name.

>>> from proofs.findings import Report
>>> sorted(FORMATS)
['html', 'json', 'md', 'tex', 'text']
>>> render([Report("a.md")], "json")
'{\\n  "document": "a.md",\\n  "findings": []\\n}\\n'
"""

from .html import render_html
from .json_report import render_json
from .latex import escape_text, render_latex
from .markdown import render_markdown
from .text import print_text, render_text

__all__ = ["render", "FORMATS", "render_text", "print_text", "render_json", "render_markdown", "render_latex",
           "render_html", "escape_text"]

#: format name -> renderer(reports, *, verbose) -> str
FORMATS = {"text": render_text, "json": render_json, "md": render_markdown, "tex": render_latex, "html": render_html}


def render(reports, fmt: str = "text", *, verbose: bool = False) -> str:
    """Render ``reports`` (a list of Report) in ``fmt`` (one of :data:`FORMATS`).

    Raises
    ------
    ValueError
        For an unknown format (the message lists the known ones).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(sorted(FORMATS))}")
    return FORMATS[fmt](list(reports), verbose=verbose)
