"""The result of a property check: holds or not, the shrunk counterexample, the evidence.

A :class:`PropertyResult` is what every check of :mod:`proofs.properties`
returns: whether the property held on every example Hypothesis tried
(``holds``), the smallest counterexample it found otherwise, the condition
under which the statement is true (when only a restricted form holds), the
numbers measured on the way, and the evidence as text. Its :attr:`verdict`
maps onto the judge's :class:`~proofs.findings.Verdict`:

=====================================  ==============
``error`` is set (fn raised, NaN...)   UNRECOGNIZED (label ERROR)
``holds is None`` (a measurement)      UNRECOGNIZED (label MEASURED)
``holds``                              CORRECT
not ``holds``, ``condition`` given     CONDITIONAL
not ``holds``                          INCORRECT
=====================================  ==============

Examples
--------
>>> r = PropertyResult("equivariance", holds=True, evidence="25 examples")
>>> r.verdict
<Verdict.CORRECT: 'CORRECT'>
>>> PropertyResult("x", holds=False, condition="δ ≡ 0 (mod 2)").verdict.value
'CONDITIONAL'
>>> PropertyResult("x", holds=False, error="fn raised ValueError: no").verdict.value
'UNRECOGNIZED'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..findings import Verdict, _jsonable

__all__ = ["PropertyResult", "Counterexample"]


@dataclass
class Counterexample:
    """An input on which a property fails, and what the two sides computed.

    Parameters
    ----------
    input : the (shrunk) input array ``x``.
    shift : the input shift ``δ`` per spatial axis.
    output_shift : the output shift ``δ'`` compared against (``δ/S``, or the
        nearest integer when ``S`` does not divide ``δ``); None for invariance.
    lhs : ``fn(shift(x))``.
    rhs : ``shift'(fn(x))`` (equivariance) or ``fn(x)`` (invariance).
    where : output indices (tuples) where the two sides differ, at most 10.
    max_abs_difference : the largest ``|lhs - rhs|`` on the compared region.
    note : anything else worth saying (e.g. the other rounding also fails).
    """

    input: np.ndarray
    shift: tuple[int, ...]
    lhs: np.ndarray
    rhs: np.ndarray
    where: list[tuple[int, ...]] = field(default_factory=list)
    max_abs_difference: float = float("nan")
    output_shift: tuple[int, ...] | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (arrays as nested lists)."""
        return _jsonable(
            {
                "input": self.input,
                "shift": list(self.shift),
                "output_shift": None if self.output_shift is None else list(self.output_shift),
                "lhs": self.lhs,
                "rhs": self.rhs,
                "where": [list(w) for w in self.where],
                "max_abs_difference": float(self.max_abs_difference),
                "note": self.note,
            }
        )

    def __str__(self) -> str:
        with np.printoptions(precision=3, suppress=True, linewidth=100, threshold=200):
            parts = [
                f"shift δ = {self.shift}" + (f", output shift δ' = {self.output_shift}" if self.output_shift else ""),
                f"x =\n{np.squeeze(self.input)}",
                f"fn(shift(x)) =\n{np.squeeze(self.lhs)}",
                f"{'shift′(fn(x))' if self.output_shift is not None else 'fn(x)'} =\n{np.squeeze(self.rhs)}",
                f"differ at {self.where} (max |difference| {self.max_abs_difference:.3g})",
            ]
        if self.note:
            parts.append(self.note)
        return "\n".join(parts)


@dataclass
class PropertyResult:
    """Outcome of a property check or a measurement.

    Parameters
    ----------
    name : what was checked (``"equivariance"``, ``"erf"``...).
    holds : True/False for a property; None for a pure measurement.
    counterexample : None, or the shrunk :class:`Counterexample` (or a dict
        for properties that are not about shifts).
    condition : the condition under which the statement is true, when only a
        restricted form holds (e.g. ``"δ ≡ 0 (mod S)"``).
    measurements : name -> number.
    evidence : how the result was reached, in words.
    reference : derivation or literature the statement comes from.
    error : set when the function under test could not be evaluated
        (raised, wrong shape, NaN); the property is then not decided.
    examples : number of examples evaluated.
    """

    name: str
    holds: bool | None
    counterexample: Counterexample | dict | None = None
    condition: str | None = None
    measurements: dict[str, float] = field(default_factory=dict)
    evidence: str = ""
    reference: str | None = None
    error: str | None = None
    examples: int = 0
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """What a reader is told: ``ERROR`` (the function under test failed), ``MEASURED`` (a measurement,
        nothing to hold or fail), else the verdict (CORRECT / INCORRECT / CONDITIONAL).

        >>> PropertyResult("erf", holds=None).label, PropertyResult("x", holds=False, error="f raised").label
        ('MEASURED', 'ERROR')
        """
        if self.error is not None:
            return "ERROR"
        if self.holds is None:
            return "MEASURED"
        return self.verdict.value

    @property
    def verdict(self) -> Verdict:
        """The judge's verdict, computed from ``error``, ``holds`` and ``condition``."""
        if self.error is not None or self.holds is None:
            return Verdict.UNRECOGNIZED
        if self.holds:
            return Verdict.CORRECT
        return Verdict.CONDITIONAL if self.condition else Verdict.INCORRECT

    def __bool__(self) -> bool:
        return bool(self.holds) and self.error is None

    def to_dict(self) -> dict[str, Any]:
        """``{"name", "holds", "verdict", "status", "condition", "counterexample", "measurements", ...}``;
        ``verdict`` is the judge's (UNRECOGNIZED for a measurement or an error), ``status`` is :attr:`label`."""
        ce = self.counterexample
        return {
            "name": self.name,
            "holds": self.holds,
            "verdict": self.verdict.value,
            "status": self.label,
            "condition": self.condition,
            "counterexample": ce.to_dict() if isinstance(ce, Counterexample) else _jsonable(ce),
            "measurements": {k: _jsonable(v) for k, v in self.measurements.items()},
            "evidence": self.evidence,
            "reference": self.reference,
            "error": self.error,
            "examples": self.examples,
        }

    def summary(self) -> str:
        """A few lines for a terminal: verdict, condition, evidence, numbers, counterexample."""
        if self.error is not None:
            head = "could not be checked (the function under test failed)"
        elif self.holds is None:
            head = "measured"
        elif self.holds:
            head = "holds"
        elif self.condition:
            head = "holds only under a condition (a counterexample outside it)"
        else:
            head = "does NOT hold"
        lines = [f"{self.name}: {head}  [{self.label}]"]
        if self.error:
            lines.append(f"error: {self.error}")
        if self.condition:
            lines.append(f"holds when: {self.condition}")
        if self.evidence:
            lines.append(f"evidence: {self.evidence}")
        if self.reference:
            lines.append(f"reference: {self.reference}")
        for k, v in self.measurements.items():
            lines.append(f"  {k} = {v:.6g}" if isinstance(v, float) else f"  {k} = {v}")
        if self.counterexample is not None:
            lines.append("counterexample (outside the condition):" if self.condition else "counterexample:")
            lines.append(str(self.counterexample))
        return "\n".join(lines)

    __str__ = summary
