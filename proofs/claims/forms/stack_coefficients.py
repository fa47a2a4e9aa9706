"""Parameter counts of stacks written in the channel count: "two 3×3 convs need 18C², one 5×5 conv 25C²".

With ``C`` input and ``C`` output channels a ``k×k`` convolution holds ``k²·C²`` weights (biases aside), so a
stack of ``n`` of them holds ``n·k²·C²``. A sentence that names stacks and writes counts ``a·C²`` (one per
stack, in the same order, each the result of the sentence's arithmetic — not a term before an ``=``) claims
the coefficients; each is computed with ``derive.layers.Conv2d`` (via :func:`proofs.claims.truth.conv_params`)
at two channel counts, which also checks that the count really is a multiple of ``C²``.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s, = find(normalise("Two stacked 3×3 convolutions need 18C² weights, fewer than the 25C² of one 5×5 convolution."))
>>> s.decide().verdict.value
'CORRECT'
>>> s, = find(normalise("Three 3×3 layers hold 21C² parameters against 49C² for a 7×7 layer."))
>>> o = s.decide(); o.verdict.value, o.expected
('INCORRECT', '27C² and 49C²')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..truth import conv_params
from .stacks import Stack, find_stacks

__all__ = ["find", "StackCoefficients"]

#: "18c^2" (after normalise): a coefficient times a channel letter squared; k and f name kernels, not channels
_TERM = re.compile(r"(?<![\w.^])(\d{1,5})\s*[·*×]?\s*([a-eg-jl-z])\^2\b(?!\s*[·*×/+\-]\s*[a-z0-9(])")
_PARAMS = re.compile(r"\b(?:param(?:eter)?s?|weights?)\b")
_BIAS = re.compile(r"\bbias")
_OTHER_LAYERS = re.compile(r"\b(?:depthwise|separable|group\w*|bottleneck|transpose\w*|1×1)\b")
#: a term the sentence goes on computing with ("3 (9c^2) = 27c^2"): only the result is claimed
_NOT_FINAL = re.compile(r"^\s*\)?\s*(?:=|≈|\+|·|×|\*)")


@dataclass
class StackCoefficients:
    """"``stacks[i]`` holds ``coefficients[i]``·``letter``² weights" for every i."""

    stacks: tuple
    coefficients: tuple
    letter: str
    quantity: str = "params"

    def decide(self) -> Outcome:
        rows = []
        for stack, claimed in zip(self.stacks, self.coefficients):
            if stack.layer.kind != "conv":
                raise ValueError("channel-count coefficients are decided for convolution stacks")
            n = len(stack.layers())
            per = [n * conv_params(c, c, stack.layer.kernel, bias=False) for c in (8, 16)]
            if per[0] * 4 != per[1]:
                raise ValueError("the count is not a multiple of C²")  # never for a plain conv; a guard
            rows.append((stack.describe(), per[0] // 64, claimed))
        c = self.letter.upper()
        facts = "derive.layers.Conv2d(C, C, k) without bias, C_in = C_out = " + c + ": " + "; ".join(
            f"{what}: {derived}{c}²" for what, derived, _ in rows)
        expected = " and ".join(f"{derived}{c}²" for _, derived, _ in rows)
        wrong = [(what, derived, claimed) for what, derived, claimed in rows if derived != claimed]
        if not wrong:
            return Outcome(Verdict.CORRECT, f"{facts}, as stated.", expected=expected)
        return Outcome(Verdict.INCORRECT, f"{facts}; " + "; ".join(f"{what} has {derived}{c}², not {claimed}{c}²"
                                                                   for what, derived, claimed in wrong) + ".",
                       expected=expected, counterexample={"C": 1, **{what: {"derived": derived, "claimed": claimed}
                                                                     for what, derived, claimed in wrong}})


def find(norm: str, section: str | None = None) -> list:
    """The coefficient claim of a normalised sentence (one statement, or none)."""
    if not _PARAMS.search(norm) or _BIAS.search(norm):
        return []
    terms = [m for m in _TERM.finditer(norm) if not _NOT_FINAL.match(norm[m.end():])]
    if not terms or len({m.group(2) for m in terms}) != 1:
        return []
    letter = terms[0].group(2)
    if re.search(r"(?<![\w^])\d{1,5}\s*[·*×]?\s*" + letter + r"\b(?!\^)|\b" + letter + r"\s*/\s*\d|" + letter + r"_?(?:in|out)\b|" + letter + "'", norm):
        return []  # "from C to 2C channels", "C/4", "C_in": layers of other widths than C → C
    if _OTHER_LAYERS.search(norm):
        return []
    stacks: list[Stack] = [s for s in find_stacks(norm) if s.count is not None]
    if not stacks or any(s.layer.kind != "conv" or s.schedule for s in stacks):
        return []
    if len(stacks) == 1 and len(terms) > 1:
        terms = terms[-1:]  # "3 (9c^2) … 27c^2": the last result is the stack's
    if len(terms) != len(stacks):
        return []
    return [StackCoefficients(tuple(stacks), tuple(int(m.group(1)) for m in terms), terms[0].group(2))]
