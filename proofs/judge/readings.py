"""One verdict for a formula that has several readings: the verdict they all agree on, else UNRECOGNIZED.

A formula in program notation whose ``/`` divides names (``h_o = (h_i + 2 * pad_h - k) / s + 1``)
means an exact division in Python 3 and a division rounded down in C-family integer arithmetic
(:mod:`proofs.document.code_notation`). When the document does not say which, each reading is
judged: when every reading gives the same verdict, that verdict stands (the judgement of the
first reading, with a note); when they differ, the formula is UNRECOGNIZED, with each reading's
verdict in the explanation. A wrong verdict is worse than UNRECOGNIZED.

>>> from proofs.judge.judgement import Judgement
>>> verdicts = {"a / b": Judgement("CONDITIONAL", "output_size", "holds when b divides a"),
...             r"\\lfloor a / b \\rfloor": Judgement("CORRECT", "output_size", "exact")}
>>> _, j = judge_readings("a / b", (r"\\lfloor a / b \\rfloor",), lambda t: (None, verdicts[t]))
>>> j.verdict, j.explanation
('UNRECOGNIZED', "the division '/' of program code may be exact or rounded down, and the verdicts differ: exact: CONDITIONAL (holds when b divides a); rounded down: CORRECT (exact)")
>>> verdicts[r"\\lfloor a / b \\rfloor"] = Judgement("CONDITIONAL", "output_size", "holds when b divides a")
>>> judge_readings("a / b", (r"\\lfloor a / b \\rfloor",), lambda t: (None, verdicts[t]))[1].verdict
'CONDITIONAL'
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["judge_readings"]

_NAMES = ("exact", "rounded down")


def judge_readings(tex: str, alternatives: tuple[str, ...], judge: Callable[[str], tuple]) -> tuple:
    """``(parsed, judgement)`` of ``tex`` given its ``alternatives`` readings; ``judge(text)`` judges one reading.

    Parameters
    ----------
    tex : str
        The main reading (exact division).
    alternatives : tuple of str
        The other readings (division rounded down); empty: ``judge(tex)`` unchanged.
    judge : callable
        ``text -> (parsed, Judgement)``, never raising (:func:`proofs.checker._judge_tex`).
    """
    first = judge(tex)
    if not alternatives:
        return first
    others = [judge(t) for t in alternatives]
    verdicts = [first[1].verdict] + [j.verdict for _, j in others]
    if len(set(verdicts)) == 1:
        j = first[1]
        if j.verdict != "UNRECOGNIZED":
            j.explanation = f"{j.explanation} (the same under every reading of the code's '/')".strip()
        return first
    from .judgement import Judgement

    parts = []
    for k, (_, j) in enumerate([first] + others):
        name = _NAMES[k] if k < len(_NAMES) else f"reading {k + 1}"
        parts.append(f"{name}: {j.verdict}" + (f" ({j.explanation})" if j.explanation else ""))
    why = ("the division '/' of program code may be exact or rounded down, and the verdicts differ: "
           + "; ".join(parts))
    return first[0], Judgement("UNRECOGNIZED", first[1].quantity, why)
