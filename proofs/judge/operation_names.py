"""Convolution or cross-correlation: a name is called wrong only when the document confuses the two.

Deep learning calls the un-flipped sum Σ I(i+m, j+n)·K(m, n) "convolution"; a document that also
mentions cross-correlation may mean exactly that. The index judge finds a formula *named* convolution
that evaluates to a cross-correlation. That is a mistake a reader accepts only with evidence that the
author mixed the two up: the prose right before it names the *true* (flipped) convolution (the index
judge then reports the quantity ``true_convolution``, never softened), or the same document names a
flipped formula "cross-correlation" (the names swapped). Without such evidence the finding becomes CONDITIONAL — right in the deep-learning sense of
the word — which is what a careful reader would say.

Examples
--------
>>> from proofs.findings import Finding, Verdict
>>> conv = Finding(3, "s", "formula", Verdict.INCORRECT, quantity="convolution", explanation="called (true) convolution, …")
>>> [f.verdict.value for f in soften_unpaired_names([conv])]
['CONDITIONAL']
>>> xcorr = Finding(7, "t", "formula", Verdict.INCORRECT, quantity="cross_correlation", explanation="called a cross-correlation, …")
>>> [f.verdict.value for f in soften_unpaired_names([conv, xcorr])]
['INCORRECT', 'INCORRECT']
>>> true = Finding(3, "s", "formula", Verdict.INCORRECT, quantity="true_convolution", explanation="called the true …")
>>> [f.verdict.value for f in soften_unpaired_names([true])]
['INCORRECT']
"""

from __future__ import annotations

import dataclasses

from ..findings import Finding, Verdict

__all__ = ["soften_unpaired_names"]

_CONDITION = "“convolution” read in the deep-learning sense (the un-flipped cross-correlation)"


def soften_unpaired_names(findings: list[Finding]) -> list[Finding]:
    """The findings, with "called convolution, computes cross-correlation" made CONDITIONAL unless the document
    also names a flipped formula cross-correlation."""
    swapped = any(f.verdict == Verdict.INCORRECT and f.quantity == "cross_correlation" for f in findings)
    if swapped:
        return findings
    out = []
    for f in findings:
        if f.verdict == Verdict.INCORRECT and f.quantity == "convolution":
            f = dataclasses.replace(
                f, verdict=Verdict.CONDITIONAL, condition=_CONDITION,
                explanation=f"{f.explanation}; no formula of the document is named the other way round, so the "
                            "name is read as deep learning uses it")
        out.append(f)
    return out
