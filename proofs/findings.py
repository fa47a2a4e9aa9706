"""Verdicts, findings and reports: the data model of the judge.

A :class:`Finding` is one thing a document states (a formula, a worked example
or a claim in words) with the :class:`Verdict` computed for it and the
evidence. A :class:`Report` is every finding of one document. Their JSON form
(:meth:`Report.to_dict`) is a stable interface read by other tools::

    {"document": str,
     "findings": [{"line": int, "source": str, "kind": "formula"|"example"|"claim",
                   "quantity": str|None, "verdict": "CORRECT"|"INCORRECT"|"CONDITIONAL"|"UNRECOGNIZED",
                   "condition": str|None, "counterexample": object|None,
                   "expected": str|None, "explanation": str}]}

Examples
--------
>>> f = Finding(line=3, source="H_out = (H - k)/S + 1", kind="formula", quantity="conv_output_size",
...             verdict=Verdict.INCORRECT, counterexample={"H": 5, "k": 2, "S": 2},
...             expected="floor((H - k)/S) + 1", explanation="not an integer at H=5, k=2, S=2")
>>> r = Report("notes.md", [f])
>>> r.counts()[Verdict.INCORRECT]
1
>>> r.has_errors()
True
>>> r.to_dict()["findings"][0]["verdict"]
'INCORRECT'
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Verdict", "Finding", "Report", "KINDS", "without_surrogates"]

KINDS = ("formula", "example", "claim")


class Verdict(str, enum.Enum):
    """The four verdicts. A verdict is computed from evidence, never typed."""

    CORRECT = "CORRECT"
    INCORRECT = "INCORRECT"
    CONDITIONAL = "CONDITIONAL"
    UNRECOGNIZED = "UNRECOGNIZED"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


def _jsonable(value: Any) -> Any:
    """Make numbers and SymPy/NumPy objects JSON-friendly (ints stay ints)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    try:
        import numpy as np

        if isinstance(value, np.ndarray):
            return _jsonable(value.tolist())
        if isinstance(value, np.generic):
            return value.item()
    except ImportError:  # pragma: no cover
        pass
    try:
        import sympy as sp

        if isinstance(value, sp.Basic):
            if value.is_Integer:
                return int(value)
            if value.is_Rational:
                return str(value)
            if value.is_number:
                return float(value)
            return str(value)
    except ImportError:  # pragma: no cover
        pass
    return str(value)


@dataclass
class Finding:
    """One formula, worked example or claim of a document, and its verdict.

    Parameters
    ----------
    line : 1-based line number in the document.
    source : the text as written in the document.
    kind : ``"formula"``, ``"example"`` or ``"claim"``.
    quantity : what the text states (``"conv_output_size"``, ``"param_count"``…), or None.
    verdict : a :class:`Verdict`.
    condition : for CONDITIONAL, the condition under which it holds.
    counterexample : values where the document and the truth differ (with both values).
    expected : the correct formula or value, as text.
    explanation : one or two sentences on how the verdict was reached.
    """

    line: int
    source: str
    kind: str
    verdict: Verdict
    quantity: str | None = None
    condition: str | None = None
    counterexample: Any = None
    expected: str | None = None
    explanation: str = ""
    section: str | None = None
    expected_latex: str | None = None
    cell: int | None = None  # a notebook's cell (1-based), with ``line`` still the line in the .ipynb file
    cell_line: int | None = None  # the line inside that cell (1-based)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Finding.kind must be one of {KINDS}, got {self.kind!r}")
        if not isinstance(self.verdict, Verdict):
            self.verdict = Verdict(self.verdict)
        if not isinstance(self.line, int) or self.line < 1:
            raise ValueError(f"Finding.line must be a 1-based line number, got {self.line!r}")

    def to_dict(self) -> dict[str, Any]:
        """The finding in the report's JSON shape."""
        return {
            "line": self.line,
            "source": self.source,
            "kind": self.kind,
            "quantity": self.quantity,
            "verdict": self.verdict.value,
            "condition": self.condition,
            "counterexample": _jsonable(self.counterexample),
            "expected": self.expected,
            "explanation": self.explanation,
        } | ({"cell": self.cell, "cell_line": self.cell_line} if self.cell is not None else {})

    def _repr_markdown_(self) -> str:
        """In a notebook: the verdict, where, what the document writes, the evidence, the correct formula typeset."""
        from .report.common import evidence
        from .report.markdown import code_span, markdown_text

        where = f"line {self.line}" + (f" (cell {self.cell}, line {self.cell_line})" if self.cell is not None else "")
        out = [f"**{self.verdict.value}** · {where} · {self.kind}: {code_span(self.source.strip() or '—')}", ""]
        out += [f"- {markdown_text(e)}" for e in evidence(self) if e]
        if self.expected_latex and self.verdict in (Verdict.INCORRECT, Verdict.CONDITIONAL):
            out += ["", f"$$ {self.expected_latex} $$"]
        return "\n".join(out) + "\n"


@dataclass
class Report:
    """All findings of one document, in line order.

    ``coverage`` is set when the document's budget (:class:`proofs.budget.Budget`) ran out: how much was
    judged (``{"budget_exhausted": True, "reason": …, "judged": n, "statements": total,
    "judged_until_line": line, "seconds": s}``); ``None`` when everything was judged.
    """

    document: str
    findings: list[Finding] = field(default_factory=list)
    coverage: dict[str, Any] | None = None

    def _repr_markdown_(self) -> str:
        """In a notebook: the Markdown report (counts, table, each wrong formula with the correct one typeset)."""
        from .report.markdown import render_markdown

        return render_markdown([self])

    def sorted(self) -> "Report":
        """A copy with findings in line order."""
        return Report(self.document, sorted(self.findings, key=lambda f: (f.line, f.kind)), self.coverage)

    def counts(self) -> dict[Verdict, int]:
        """Number of findings per verdict (every verdict present as a key)."""
        out = {v: 0 for v in Verdict}
        for f in self.findings:
            out[f.verdict] += 1
        return out

    def has_errors(self, strict: bool = False) -> bool:
        """True when a finding is INCORRECT (or CONDITIONAL, with ``strict``)."""
        bad = {Verdict.INCORRECT} | ({Verdict.CONDITIONAL} if strict else set())
        return any(f.verdict in bad for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """``{"document": ..., "findings": [...]}`` — the stable JSON shape (plus ``"coverage"`` when the
        budget ran out)."""
        out: dict[str, Any] = {"document": self.document, "findings": [f.to_dict() for f in self.findings]}
        if self.coverage is not None:
            out["coverage"] = _jsonable(self.coverage)
        return out

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON text (always encodable: a lone surrogate becomes U+FFFD).

        >>> '"x = \\ufffd"' in Report("<text>", [Finding(1, "x = \\udc80", "formula", "UNRECOGNIZED")]).to_json(None)
        True
        """
        return without_surrogates(json.dumps(self.to_dict(), indent=indent, ensure_ascii=False))


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogates (which no UTF encoding accepts) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text
