"""Running a property with Hypothesis inside a library call and catching its verdict.

:func:`run_property` runs ``body(**drawn)`` over examples drawn from the given
strategies, quietly (nothing printed, no example database, no files in the current directory, derandomized by
default so a verdict is reproducible), and returns what happened: the number
of examples, the shrunk :class:`PropertyViolation` payload, or the error of
the user's function. Inside a test that uses ``@given`` it works too; the
outer test then needs ``@settings(suppress_health_check=[HealthCheck.nested_given])``.

Examples
--------
>>> from hypothesis import strategies as st
>>> def body(n):
...     if n > 10:
...         raise PropertyViolation({"n": n})
>>> out = run_property(body, {"n": st.integers(0, 100)}, max_examples=50)
>>> out.violation
{'n': 11}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .calling import UserFunctionError
from .hypothesis_import import require_hypothesis, storage_outside_cwd

__all__ = ["PropertyViolation", "RunOutcome", "run_property"]


class PropertyViolation(Exception):
    """Raised by a property body on a counterexample; carries it as ``payload``."""

    def __init__(self, payload: Any):
        super().__init__("property violated")
        self.payload = payload


class _Abort(BaseException):
    """Stops Hypothesis at once (no shrinking): the function under test cannot be evaluated."""


@dataclass
class RunOutcome:
    """What a run found: examples tried, the violation payload, or an error message."""

    examples: int
    violation: Any = None
    error: str | None = None


def run_property(
    body: Callable[..., None],
    strategies: dict,
    *,
    max_examples: int = 50,
    derandomize: bool = True,
    seed: int | None = None,
) -> RunOutcome:
    """Run ``body`` over Hypothesis examples; shrink and return the first failure.

    Parameters
    ----------
    body : called with one keyword argument per strategy; raises
        :class:`PropertyViolation` on a counterexample, :class:`UserFunctionError`
        when the function under test misbehaves.
    strategies : name -> Hypothesis strategy.
    max_examples : examples to try before declaring that the property holds.
    derandomize : a fixed sequence of examples (reproducible verdicts); ignored
        when ``seed`` is given.
    seed : a seed for Hypothesis' random choices.

    Raises
    ------
    ValueError
        When ``max_examples`` is below 1.
    """
    if not isinstance(max_examples, int) or max_examples < 1:
        raise ValueError(f"max_examples must be a positive integer, got {max_examples!r}")
    require_hypothesis("this property check")
    from hypothesis import HealthCheck, Verbosity, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis.errors import Flaky, Unsatisfiable

    count = [0]

    def wrapped(**kwargs):
        count[0] += 1
        try:
            body(**kwargs)
        except UserFunctionError as exc:  # an error of fn is reported as it is, not shrunk
            raise _Abort(str(exc)) from exc

    test = given(**strategies)(wrapped)
    test = settings(
        max_examples=max_examples,
        derandomize=derandomize and seed is None,
        database=None,
        deadline=None,
        report_multiple_bugs=False,
        verbosity=Verbosity.quiet,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
    )(test)
    if seed is not None:
        test = hypothesis_seed(seed)(test)
    try:
        with storage_outside_cwd():
            test()
    except PropertyViolation as v:
        return RunOutcome(count[0], violation=v.payload)
    except _Abort as e:
        return RunOutcome(count[0], error=str(e))
    except Unsatisfiable as e:
        return RunOutcome(count[0], error=f"no valid example could be generated: {e}")
    except Flaky as e:
        return RunOutcome(count[0], error=f"the function under test is not deterministic (Hypothesis: {e})")
    return RunOutcome(count[0])
