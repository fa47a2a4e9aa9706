"""The judge's verdict with its evidence, shared by every judge (sizes, index formulas, activations…).

>>> Judgement("CORRECT", "output_size", "symbolically equal").verdict
'CORRECT'
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Judgement"]


@dataclass
class Judgement:
    """A computed verdict with its evidence (verdict is the name of a :class:`proofs.Verdict`)."""

    verdict: str
    quantity: str | None = None
    explanation: str = ""
    counterexample: dict | None = None
    condition: str | None = None
    expected: str | None = None
    expected_latex: str | None = None
    notes: list = field(default_factory=list)
