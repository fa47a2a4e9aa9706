"""A claim about a quantity outranks the arithmetic its sentence shows.

"The layer has 73,728 + 64 = 73,792 parameters": the sum is right, the parameter count is wrong. The
arithmetic judge finds the sum CORRECT; the claim forms compute the quantity and find it INCORRECT. Both
findings are about the same words, and the reader must not be told that the sentence is right:
:func:`supersede` drops a CORRECT arithmetic finding whose source lies inside a sentence that a claim
finding judged INCORRECT or CONDITIONAL (and says so in that claim's explanation). When the worked example of
the sentence is judged as a quantity with the same verdict (both right, or both wrong), or the claim forms could not
decide the sentence that its example decides, the two findings are one statement: the example's (which shows the
formula) is kept and the claim's is dropped, so it is reported once.

Examples
--------
>>> from proofs.findings import Finding, Verdict
>>> claim = Finding(line=2, source="the layer has 73,728 + 64 = 73,792 parameters", kind="claim",
...                 verdict=Verdict.INCORRECT, explanation="73,856 parameters, not 73,792.")
>>> sums = Finding(line=2, source="73,728 + 64 = 73,792", kind="example", verdict=Verdict.CORRECT, explanation="1 step",
...                quantity="arithmetic")
>>> kept = supersede([claim, sums])
>>> [f.kind for f in kept], kept[0].explanation.endswith("is right, but it is not the quantity claimed.")
(['claim'], True)
>>> wrong_sum = Finding(line=2, source="73,728 + 64 = 73,792", kind="example", verdict=Verdict.INCORRECT,
...                     explanation="the param count is 73,856", quantity="param_count")
>>> [f.kind for f in supersede([claim, wrong_sum])]
['example']
"""

from __future__ import annotations

from ..findings import Finding, Verdict

__all__ = ["supersede"]

_DECIDED_WRONG = (Verdict.INCORRECT, Verdict.CONDITIONAL)


def _squash(text: str) -> str:
    return "".join(text.split()).replace("\\times", "×").replace("\\cdot", "·")


def supersede(findings: list[Finding]) -> list[Finding]:
    """``findings`` without the CORRECT arithmetic that a wrong claim on the same sentence outranks."""
    claims = [f for f in findings if f.kind == "claim" and f.source]
    if not claims:
        return findings
    wrong = [f for f in claims if f.verdict in _DECIDED_WRONG]
    examples = [f for f in findings if f.kind != "claim" and f.source and f.quantity not in (None, "arithmetic")
                and f.verdict != Verdict.UNRECOGNIZED]
    inside = lambda f, c: c.line == f.line and _squash(f.source).strip("$") in _squash(c.source)  # noqa: E731
    # the same verdict, or a claim the claim forms could not decide where the example decided it
    same = lambda f, c: (f.verdict == c.verdict or c.verdict == Verdict.UNRECOGNIZED  # noqa: E731
                         or (f.verdict in _DECIDED_WRONG and c.verdict in _DECIDED_WRONG))
    # the sentence's worked example judged as the same quantity with the same verdict: one statement, one finding
    repeated = {id(c) for c in claims if any(inside(f, c) and same(f, c) for f in examples)}
    out = []
    for f in findings:
        if id(f) in repeated:
            continue  # the sentence's worked example carries the same mistake, with its formula: reported there
        if f.kind != "claim" and f.verdict == Verdict.CORRECT and f.quantity == "arithmetic" and f.source:
            owner = next((c for c in wrong if inside(f, c)), None)
            if owner is not None:
                owner.explanation = (f"{owner.explanation} The arithmetic written ({f.source.strip('$')}) is right, "
                                     "but it is not the quantity claimed.")
                continue
        out.append(f)
    return out
