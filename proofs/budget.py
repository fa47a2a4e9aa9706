"""The budget of one document: how much time and work the checker may spend on it.

Each formula is bounded on its own (:mod:`proofs.document.bounds`, the judge's time limits); a
:class:`Budget` bounds the whole document, so a service can check text nobody reviewed. The checker
judges the formulas in line order, then the claims made in words in line order, while the budget
lasts; what is left when it runs out is reported UNRECOGNIZED with the reason "budget exhausted"
(one finding per formula left, one for the claims left), and the report says how much was judged
(:attr:`proofs.findings.Report.coverage`: formulas judged, the lines from which formulas and claims
were not judged, the seconds spent).

The clock starts before the document is read. Reading (linear in the document's size) and the
passes over the whole text that come before judging (definitions, sentences) are not interrupted;
a statement already being judged when the time runs out finishes (its own limit, about a second,
bounds it). So a document can exceed ``seconds`` by those passes and one statement's limit.

Examples
--------
>>> Budget()
Budget(seconds=60.0, statements=20000)
>>> Budget(seconds=None, statements=None).unlimited
True
>>> m = Budget(statements=2).meter()
>>> [m.spend() for _ in range(3)]
[None, None, 'the work budget of 2 statements per document was spent']
>>> Budget(seconds=-1)
Traceback (most recent call last):
...
ValueError: Budget.seconds must be a positive number of seconds or None (no limit), got -1
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

__all__ = ["Budget", "Meter", "DEFAULT_SECONDS", "DEFAULT_STATEMENTS", "EXHAUSTED"]

#: default wall time per document (seconds)
DEFAULT_SECONDS = 60.0
#: default number of formulas and claim sentences judged per document
DEFAULT_STATEMENTS = 20000
#: the start of the explanation of every finding left unjudged
EXHAUSTED = "budget exhausted"


@dataclass(frozen=True)
class Budget:
    """Time (``seconds``) and work (``statements``: formulas plus claim sentences) allowed per document.

    ``None`` lifts a limit; ``Budget(None, None)`` (or :meth:`unlimited_budget`) judges everything.
    """

    seconds: float | None = DEFAULT_SECONDS
    statements: int | None = DEFAULT_STATEMENTS

    def __post_init__(self) -> None:
        s = self.seconds
        if s is not None and (isinstance(s, bool) or not isinstance(s, (int, float)) or not math.isfinite(s) or s <= 0):
            raise ValueError(f"Budget.seconds must be a positive number of seconds or None (no limit), got {s!r}")
        n = self.statements
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
            raise ValueError(f"Budget.statements must be an integer >= 1 or None (no limit), got {n!r}")
        if s is not None:
            object.__setattr__(self, "seconds", float(s))

    @property
    def unlimited(self) -> bool:
        """True when neither time nor work is limited."""
        return self.seconds is None and self.statements is None

    @classmethod
    def of(cls, budget: "Budget | float | None") -> "Budget":
        """A budget from what the API accepts: a :class:`Budget`, a number of seconds, or ``None`` (no limit).

        >>> Budget.of(5).seconds, Budget.of(None).unlimited
        (5.0, True)
        """
        if isinstance(budget, Budget):
            return budget
        if budget is None:
            return cls(None, None)
        if isinstance(budget, (int, float)) and not isinstance(budget, bool):
            return cls(seconds=budget)
        raise TypeError(f"budget must be a Budget, a number of seconds or None, got {type(budget).__name__}")

    def meter(self) -> "Meter":
        """A running meter that starts now."""
        return Meter(self)


@dataclass
class Meter:
    """The budget of one document being spent: call :meth:`spend` before judging each statement."""

    budget: Budget
    judged: int = 0
    start: float = field(default_factory=time.monotonic)
    reason: str | None = None

    def spend(self) -> str | None:
        """Count one statement; ``None`` when it may be judged, else why not (and from then on, always)."""
        if self.reason is None:
            b = self.budget
            if b.statements is not None and self.judged >= b.statements:
                self.reason = f"the work budget of {b.statements} statements per document was spent"
            elif b.seconds is not None and self.elapsed() > b.seconds:
                self.reason = f"the time budget of {b.seconds:g} s per document was spent"
            else:
                self.judged += 1
        return self.reason

    def elapsed(self) -> float:
        """Seconds since the meter started."""
        return time.monotonic() - self.start
