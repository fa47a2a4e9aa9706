"""Safety limits for parsing untrusted math: size, nesting, tree, numbers, time.

Document text is untrusted. Every formula goes through these checks before and
while it is turned into SymPy objects, so that a hostile or accidental input
(``10^{10^{10}}``, ten thousand nested braces, a 1 MB "formula") is refused with
a reason instead of exhausting memory or time.

Examples
--------
>>> check_exponent(2, 10)
>>> check_exponent(10, 10**10)
Traceback (most recent call last):
...
proofs.document.errors.MathParseError: bound exceeded: exponent 10^10 > 10^4
"""

from __future__ import annotations

import math
from ..clock import now as _clock
from dataclasses import dataclass

from .errors import MathParseError

__all__ = [
    "MAX_INPUT_CHARS",
    "MAX_NESTING",
    "MAX_TREE_NODES",
    "MAX_TREE_DEPTH",
    "MAX_RESULT_DEPTH",
    "MAX_EXPONENT",
    "MAX_RESULT_DIGITS",
    "MAX_FACTORIAL",
    "TIME_LIMIT_S",
    "Deadline",
    "check_length",
    "check_nesting",
    "check_exponent",
    "check_factorial",
]

MAX_INPUT_CHARS = 2000  #: longest formula accepted (characters)
MAX_NESTING = 40  #: deepest nesting of brackets/braces/floors
MAX_TREE_NODES = 4000  #: largest parse tree accepted
MAX_TREE_DEPTH = 400  #: deepest parse tree accepted (about 40 nested brackets)
MAX_RESULT_DEPTH = 100  #: deepest SymPy expression returned
MAX_EXPONENT = 10**4  #: largest |exponent| of a numeric power
MAX_RESULT_DIGITS = 10**4  #: largest number of decimal digits of a numeric power
MAX_FACTORIAL = 1000  #: largest n in n!
TIME_LIMIT_S = 1.0  #: CPU seconds allowed to build one formula

_OPEN = "([{"
_CLOSE = ")]}"


def _power_of_ten(n: int) -> str:
    """``10000 -> '10^4'`` for readable reasons, else the number itself."""
    if n > 0 and 10 ** round(math.log10(n)) == n:
        return f"10^{round(math.log10(n))}"
    return str(n)


def check_length(text: str) -> None:
    """Refuse a formula longer than :data:`MAX_INPUT_CHARS`.

    >>> check_length("x" * 5000)
    Traceback (most recent call last):
    ...
    proofs.document.errors.MathParseError: bound exceeded: length 5000 > 2000 characters
    """
    if len(text) > MAX_INPUT_CHARS:
        raise MathParseError(f"bound exceeded: length {len(text)} > {MAX_INPUT_CHARS} characters", text[:80])


def check_nesting(text: str) -> None:
    """Refuse more than :data:`MAX_NESTING` open brackets at once (counted on the raw text).

    >>> check_nesting("{" * 100 + "x" + "}" * 100)
    Traceback (most recent call last):
    ...
    proofs.document.errors.MathParseError: bound exceeded: nesting depth 100 > 40
    """
    depth = deepest = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
    if deepest > MAX_NESTING:
        raise MathParseError(f"bound exceeded: nesting depth {deepest} > {MAX_NESTING}", text[:80])


def check_exponent(base, exponent) -> None:
    """Refuse a numeric power that would be too large to build.

    ``base`` and ``exponent`` are SymPy numbers or anything else (symbolic
    exponents are always accepted: nothing is computed for them).

    >>> check_exponent(10, 400)
    >>> check_exponent(10, 20000)
    Traceback (most recent call last):
    ...
    proofs.document.errors.MathParseError: bound exceeded: exponent 20000 > 10^4
    """
    try:
        exp_is_number = bool(getattr(exponent, "is_Number", isinstance(exponent, (int, float))))
    except Exception:  # pragma: no cover - defensive
        exp_is_number = False
    if not exp_is_number:
        return
    e = abs(float(exponent)) if not hasattr(exponent, "p") else abs(int(exponent.p) / int(exponent.q))
    if e > MAX_EXPONENT:
        e_int = int(abs(exponent.p // exponent.q)) if hasattr(exponent, "p") else int(e)
        raise MathParseError(f"bound exceeded: exponent {_power_of_ten(e_int)} > {_power_of_ten(MAX_EXPONENT)}")
    digits = _log10_abs(base)
    if digits is not None and e * abs(digits) > MAX_RESULT_DIGITS:
        raise MathParseError(f"bound exceeded: power with about {e * abs(digits):.0f} digits > {MAX_RESULT_DIGITS}")


def _log10_abs(x) -> float | None:
    """log10|x| for an exact or float number (huge integers included), None for anything else."""
    p, q = getattr(x, "p", None), getattr(x, "q", None)
    if isinstance(x, int):
        p, q = x, 1
    if p is not None and q is not None:
        if p == 0:
            return None
        return math.log10(abs(int(p))) - math.log10(int(q))
    if getattr(x, "is_Float", False) or isinstance(x, float):
        v = abs(float(x))
        return math.log10(v) if 0 < v < float("inf") else None
    return None


def check_factorial(n) -> None:
    """Refuse ``n!`` for a numeric ``n`` above :data:`MAX_FACTORIAL`.

    >>> check_factorial(5)
    >>> check_factorial(10**6)
    Traceback (most recent call last):
    ...
    proofs.document.errors.MathParseError: bound exceeded: factorial of 1000000 > 1000
    """
    if getattr(n, "is_Number", isinstance(n, int)) and abs(float(n)) > MAX_FACTORIAL:
        raise MathParseError(f"bound exceeded: factorial of {n} > {MAX_FACTORIAL}")


@dataclass
class Deadline:
    """A time budget in CPU seconds of the calling thread (:mod:`proofs.clock`): :meth:`check` raises once spent.

    >>> d = Deadline(10.0)
    >>> d.check()
    """

    seconds: float = TIME_LIMIT_S

    def __post_init__(self) -> None:
        self._end = _clock() + self.seconds

    def check(self) -> None:
        """Raise :class:`MathParseError` when the budget is spent."""
        if _clock() > self._end:
            raise MathParseError(f"bound exceeded: time > {self.seconds:g} s per formula")
