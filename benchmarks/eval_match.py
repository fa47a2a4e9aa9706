"""Match a document's findings to its keyed statements, and score them (recall, false alarms, coverage).

Rules (also in ``benchmarks/documents/README.md``): a finding goes to the keyed statement on its line
whose quote shares the most characters with the finding's source; with none on its line, to the best
such statement within ±``LINE_TOLERANCE`` lines (most shared characters, then nearest). Several findings
on one statement combine to the most severe verdict; a statement with no finding is UNRECOGNIZED.

Examples
--------
>>> from doc_keys import KeyedStatement as K
>>> keys = [K(3, "a = b", "formula", "output_size", "INCORRECT"), K(5, "c = d", "formula", "params", "CORRECT"),
...         K(9, "x", "claim", "other", "NOT-CHECKABLE")]
>>> found = [{"line": 3, "source": "$a = b$", "verdict": "CONDITIONAL"}, {"line": 6, "source": "c = d", "verdict": "INCORRECT"},
...          {"line": 40, "source": "z", "verdict": "INCORRECT"}]
>>> per, unkeyed = match(found, keys)
>>> per
['CONDITIONAL', 'INCORRECT', 'UNRECOGNIZED']
>>> len(unkeyed)
1
>>> s = Score.of(keys, per)
>>> (s.wrong, s.found, s.correct, s.false_alarms, s.checkable, s.covered)
(1, 1, 1, 1, 2, 2)
>>> s.recall, s.false_alarm_rate, s.coverage
(1.0, 1.0, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["LINE_TOLERANCE", "SEVERITY", "assign", "match", "Score"]

LINE_TOLERANCE = 2
SEVERITY = {"INCORRECT": 3, "CONDITIONAL": 2, "CORRECT": 1, "UNRECOGNIZED": 0}


def _shared(a: str, b: str) -> int:
    """Characters (ignoring spaces and delimiters) of the longer common run of ``a`` and ``b``."""
    from difflib import SequenceMatcher

    a2, b2 = "".join(a.split()), "".join(b.split())
    m = SequenceMatcher(None, a2, b2, autojunk=False).find_longest_match(0, len(a2), 0, len(b2))
    return m.size


def assign(findings: list[dict], statements: list, tolerance: int = LINE_TOLERANCE) -> list[int | None]:
    """For each finding, the index of its keyed statement, or None."""
    owners = []
    for f in findings:
        best, best_rank = None, None
        for i, s in enumerate(statements):
            dist = abs(s.line - f["line"])
            if dist > tolerance:
                continue
            rank = (dist == 0, _shared(s.quote, f.get("source") or ""), -dist)
            if best_rank is None or rank > best_rank:
                best, best_rank = i, rank
        owners.append(best)
    return owners


def match(findings: list[dict], statements: list, tolerance: int = LINE_TOLERANCE) -> tuple[list[str], list[dict]]:
    """The checker's verdict per keyed statement (in key order) and the findings matched to none."""
    assigned: list[list[dict]] = [[] for _ in statements]
    unkeyed = []
    for f, i in zip(findings, assign(findings, statements, tolerance)):
        (unkeyed if i is None else assigned[i]).append(f)
    per = [max((f["verdict"] for f in fs), key=SEVERITY.__getitem__) if fs else "UNRECOGNIZED" for fs in assigned]
    return per, unkeyed


def _share(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass
class Score:
    """Counts of one document, quantity or total; the rates are properties (None when undefined)."""

    wrong: int = 0          # keyed INCORRECT or CONDITIONAL
    found: int = 0          # ... of which the checker said INCORRECT or CONDITIONAL
    exact: int = 0          # ... of which with the key's own verdict
    correct: int = 0        # keyed CORRECT
    false_alarms: int = 0   # ... of which the checker said INCORRECT
    checkable: int = 0      # keyed other than NOT-CHECKABLE
    covered: int = 0        # ... of which the checker gave a verdict other than UNRECOGNIZED

    @classmethod
    def of(cls, statements: list, verdicts: list[str]) -> "Score":
        s = cls()
        for k, v in zip(statements, verdicts):
            if not k.checkable:
                continue
            s.checkable += 1
            s.covered += v != "UNRECOGNIZED"
            if k.wrong:
                s.wrong += 1
                s.found += v in ("INCORRECT", "CONDITIONAL")
                s.exact += v == k.verdict
            elif k.verdict == "CORRECT":
                s.correct += 1
                s.false_alarms += v == "INCORRECT"
        return s

    def __add__(self, other: "Score") -> "Score":
        return Score(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def recall(self) -> float | None:
        return _share(self.found, self.wrong)

    @property
    def false_alarm_rate(self) -> float | None:
        return _share(self.false_alarms, self.correct)

    @property
    def coverage(self) -> float | None:
        return _share(self.covered, self.checkable)

    def as_dict(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d.update(recall=self.recall, false_alarm_rate=self.false_alarm_rate, coverage=self.coverage)
        return d
