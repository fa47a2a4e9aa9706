"""From an extracted formal statement to a verdict with evidence.

A claim form turns a sentence into one or more *statements* — small objects
with a ``quantity`` (what is claimed: ``"receptive_field"``,
``"param_ratio"``…) and a ``decide()`` method that computes an
:class:`Outcome` from :mod:`derive`, :mod:`numeric` and the properties of
:mod:`proofs`. :func:`decide` runs it with the safety net every claim needs:
whatever goes wrong while deciding (derive not able to answer, a bound
exceeded) becomes an UNRECOGNIZED outcome that says why, never an exception.
This module also holds the comparisons several forms share: a percentage or
ratio against its exact value *with the rounding the sentence uses*.

Examples
--------
>>> from fractions import Fraction
>>> rounds_to(Fraction(7, 25), "28")
True
>>> rounds_to(Fraction(279, 1000), "28"), rounds_to(Fraction(279, 1000), "28.0")
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from ..findings import Finding, Verdict
from .truth import TruthUnavailable

__all__ = ["Outcome", "Statement", "decide", "to_finding", "rounds_to", "within", "percent"]


@dataclass
class Outcome:
    """A verdict and its evidence (the fields of a :class:`~proofs.findings.Finding` a form computes)."""

    verdict: Verdict
    explanation: str
    expected: str | None = None
    condition: str | None = None
    counterexample: Any = None
    extra: dict = field(default_factory=dict)


class Statement(Protocol):
    """What a claim form extracts: a quantity and a way to decide it."""

    quantity: str

    def decide(self) -> Outcome:  # pragma: no cover - protocol
        ...


def decide(statement: Statement) -> Outcome:
    """Decide a statement; failures become UNRECOGNIZED with the reason.

    Examples
    --------
    >>> class Broken:
    ...     quantity = "receptive_field"
    ...     def decide(self):
    ...         raise ValueError("kernel 0 < 1")
    >>> decide(Broken()).verdict.value, decide(Broken()).explanation
    ('UNRECOGNIZED', 'recognised as receptive_field but cannot decide: kernel 0 < 1')
    """
    try:
        return statement.decide()
    except TruthUnavailable as exc:
        return Outcome(Verdict.UNRECOGNIZED, f"recognised as {statement.quantity} but {exc}")
    except (ValueError, ArithmeticError, OverflowError, RecursionError, MemoryError) as exc:
        return Outcome(Verdict.UNRECOGNIZED, f"recognised as {statement.quantity} but cannot decide: {exc}")
    except Exception as exc:  # noqa: BLE001 - evidence code failing must not stop the document
        return Outcome(Verdict.UNRECOGNIZED,
                       f"recognised as {statement.quantity} but deciding it failed ({type(exc).__name__}: {exc})")


def to_finding(line: int, source: str, quantity: str, outcome: Outcome) -> Finding:
    """A ``kind="claim"`` finding from a sentence and its outcome."""
    return Finding(
        line=line,
        source=source,
        kind="claim",
        verdict=outcome.verdict,
        quantity=quantity,
        condition=outcome.condition,
        counterexample=outcome.counterexample,
        expected=outcome.expected,
        explanation=outcome.explanation,
    )


def rounds_to(value: Fraction, written: str) -> bool:
    """True when ``100·value`` rounds to the percentage as written (its decimals set the rounding).

    ``28`` accepts [27.5, 28.5); ``27.9`` accepts [27.85, 27.95).

    Examples
    --------
    >>> rounds_to(Fraction(1, 3), "33"), rounds_to(Fraction(1, 3), "33.3"), rounds_to(Fraction(1, 3), "34")
    (True, True, False)
    """
    claimed = Decimal(written)
    exponent = claimed.as_tuple().exponent
    half = Fraction(1, 2) * Fraction(10) ** exponent
    pct = value * 100
    c = Fraction(str(claimed))
    return c - half <= pct < c + half


def within(value: Fraction, claimed: Fraction, rel: Fraction) -> bool:
    """True when ``|value − claimed| ≤ rel·|claimed|``.

    Examples
    --------
    >>> within(Fraction(1, 9) + Fraction(1, 256), Fraction(1, 9), Fraction(1, 10))
    True
    """
    return abs(value - claimed) <= rel * abs(claimed)


def percent(value: Fraction, digits: int = 1) -> str:
    """A fraction as a percentage string.

    Examples
    --------
    >>> percent(Fraction(7, 25))
    '28.0%'
    """
    return f"{float(value) * 100:.{digits}f}%"
