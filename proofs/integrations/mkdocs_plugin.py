"""The MkDocs plugin: check each page's Markdown at build time.

In ``mkdocs.yml``::

    plugins:
      - search
      - convproof:
          strict: true     # fail the build on an INCORRECT finding (default: warn only)

Every INCORRECT or CONDITIONAL finding becomes a build warning naming the page and the line in its
Markdown file (``docs/conv.md:12``); with ``strict`` an INCORRECT finding fails the build after every
page was checked (``mkdocs build --strict`` also fails on the warnings). MkDocs is imported only here:
``convproof`` does not need it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from ..checker import check_text
from ..findings import Verdict

__all__ = ["ConvproofPlugin", "front_matter_lines"]

log = logging.getLogger("mkdocs.plugins.convproof")


def front_matter_lines(source: str, markdown: str) -> int:
    """How many lines of the page's file come before ``markdown`` (the page body MkDocs hands to plugins,
    without its YAML front matter); 0 when the body is not found verbatim.

    >>> front_matter_lines("---\\ntitle: T\\n---\\n# Body\\n", "# Body\\n")
    3
    """
    at = source.find(markdown) if markdown else -1
    return source.count("\n", 0, at) if at > 0 else 0


class ConvproofPlugin(BasePlugin):
    """Check every page's formulas, worked examples and claims; warn per finding, optionally fail (``strict``)."""

    config_scheme = (
        ("strict", config_options.Type(bool, default=False)),
        ("budget", config_options.Type((int, float), default=60)),
    )

    def on_pre_build(self, config, **kwargs) -> None:
        self.incorrect: list[str] = []

    def on_page_markdown(self, markdown: str, page, config, files, **kwargs):
        if not markdown.strip():
            return markdown
        src = page.file.src_uri if hasattr(page.file, "src_uri") else page.file.src_path
        offset = 0
        if getattr(page.file, "abs_src_path", None):
            try:
                offset = front_matter_lines(Path(page.file.abs_src_path).read_text(encoding="utf-8"), markdown)
            except (OSError, UnicodeDecodeError):
                offset = 0
        try:
            report = check_text(markdown, format="markdown", budget=self.config["budget"] or None)
        except (ValueError, TypeError) as exc:
            log.warning("convproof: %s could not be checked: %s", src, exc)
            return markdown
        for f in report.findings:
            if f.verdict not in (Verdict.INCORRECT, Verdict.CONDITIONAL):
                continue
            where = f"{src}:{f.line + offset}"
            detail = f"holds when {f.condition}" if f.verdict == Verdict.CONDITIONAL else (
                f"expected {f.expected}" if f.expected else f.explanation)
            log.warning("convproof: %s %s %s (%s)", where, f.verdict.value, f.source.strip(), detail)
            if f.verdict == Verdict.INCORRECT:
                self.incorrect.append(where)
        return markdown

    def on_post_build(self, config, **kwargs) -> None:
        if self.config["strict"] and self.incorrect:
            raise PluginError(f"convproof: {len(self.incorrect)} INCORRECT finding(s): {', '.join(self.incorrect)}")
