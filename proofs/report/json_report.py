"""JSON report: one object ``{"document", "findings"}`` per document; a list for several.

Examples
--------
>>> import json
>>> from proofs.findings import Report
>>> json.loads(render_json([Report("a.md", [])]))
{'document': 'a.md', 'findings': []}
>>> len(json.loads(render_json([Report("a.md"), Report("b.md")])))
2
"""

from __future__ import annotations

import json

from ..findings import Report

__all__ = ["render_json"]


def render_json(reports: list[Report], *, verbose: bool = True, indent: int | None = 2) -> str:
    """Every finding (UNRECOGNIZED included: other tools read them) in the stable JSON shape."""
    data = [r.to_dict() for r in reports]
    return json.dumps(data[0] if len(data) == 1 else data, indent=indent, ensure_ascii=False) + "\n"
