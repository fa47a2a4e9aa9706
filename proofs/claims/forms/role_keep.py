""""The layer keeps the size" read by roles: kernel, padding, stride and dilation wherever the sentence states them.

"A 5 × 5 filter requires two pixels of zero-padding per side for the output to match the input at stride
one", "with 'valid' padding, a 3×3 convolution keeps the input size unchanged", "kernel 3, dilation 2,
padding 1 and stride 1 preserves the size of a 16×16 input": the claim is that one convolution maps H to H.
The configuration is read by :func:`~proofs.claims.roles.stated_roles` (number words first turned into
digits); the claim is decided with ``derive.output_size`` at the input size the sentence states, else at
every H in 4..40 the window fits, and an INCORRECT finding carries the smallest H whose output differs.

Like :mod:`~proofs.claims.forms.role_size` this is a fallback that :func:`proofs.claims.claims_of_sentence`
asks only when no other form read the sentence, and it decides only what is certain: exactly one kernel,
a stated padding (an unstated one is the question the sentence does not answer), at most one value per
role, one convolution (no pooling, no transposed layer, no stack), no negation and no comparison.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s, = find(normalise("A 5 × 5 filter requires two pixels of zero-padding per side for the output to match the input at stride one."))
>>> s.decide().verdict.value
'CORRECT'
>>> o = find(normalise("With 'valid' padding, a 3×3 convolution keeps the input size unchanged."))[0].decide()
>>> o.verdict.value, o.counterexample
('INCORRECT', {'kernel': 3, 'stride': 1, 'padding': 0, 'dilation': 1, 'H': 4, 'output': 2})
>>> find(normalise("To preserve the width with a 7×7 kernel one pads 2 pixels on every side."))[0].decide().verdict.value
'INCORRECT'
>>> find(normalise("A 3×3 convolution does not keep the size."))
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..layer_reading import spell_digits
from ..roles import sized_roles, stated_roles

__all__ = ["find", "RoleKeepsSize", "SIZES"]

#: the input sizes tried when the sentence states none
SIZES = range(4, 41)

_KEEP = re.compile(
    r"\b(?:keeps?|keeping|preserves?|preserving|maintains?|maintaining|retains?|retaining|conserves?)\s+(?:the\s+|its\s+)?(?:input(?:'s)?\s+)?"
    r"(?:spatial\s+)?(?:size|sizes|resolution|dimensions?|width|height|shape|extent)"
    r"|\b(?:size|resolution|dimensions?|width|height|shape)\s+(?:stays?|remains?|is|are)\s+(?:the\s+same|unchanged|intact|preserved)"
    r"|\boutput\s+(?:to\s+)?(?:matches|match|equals|equal|has\s+the\s+same\s+size\s+as)\s+(?:the\s+)?input"
    r"|\bsame\s+(?:spatial\s+)?(?:size|dimensions?|resolution|width|height|shape)\s+as\s+(?:the\s+|its\s+)?input"
    r"|\b(?:size|resolution|dimensions?)[- ]preserving\b|\bunchanged\s+(?:spatial\s+)?(?:size|resolution|dimensions?)")
_NOT_ONE = re.compile(
    r"\b(?:not|never|no longer|n't|cannot|neither|nor|unless|than|instead of|versus|vs|compared|unlike|whereas|would|if|only if|"
    r"stack\w*|layers|convolutions|convs|blocks?|followed by|then|any|every(?! side| border| edge)|all(?! sides| borders| edges)|general|odd|even)\b"
    r"|\bpool\w*|\btranspose\w*|\bdeconv\w*|\bupsampl\w*|\bsame padding\b|'same'|\bpadding='same'|\bk\b|\bf\b|[−+/](?=\s*\d|\s*[a-z]\b)")


@dataclass
class RoleKeepsSize:
    """"a ``kernel``×``kernel`` conv with ``padding``, ``stride``, ``dilation`` maps H to H" (at ``size``, or every H)."""

    kernel: int
    padding: int
    stride: int = 1
    dilation: int = 1
    size: int | None = None
    quantity: str = "output_size"

    def decide(self) -> Outcome:
        from derive import output_size

        sizes = [self.size] if self.size is not None else list(SIZES)
        text = (f"derive.output_size of a {self.kernel}×{self.kernel} conv, stride {self.stride}, padding {self.padding}"
                + (f", dilation {self.dilation}" if self.dilation != 1 else "")
                + (f", at H = {self.size}" if self.size is not None else f", for H in {SIZES[0]}..{SIZES[-1]}"))
        tried = 0
        for h in sizes:
            try:
                out = int(output_size("conv", h, self.kernel, stride=self.stride, padding=self.padding, dilation=self.dilation))
            except ValueError:
                continue  # the window does not fit this H
            tried += 1
            if out != h:
                return Outcome(Verdict.INCORRECT, f"{text}: H = {h} gives {out}, not {h}.", expected=f"{out} at H = {h}",
                               counterexample={"kernel": self.kernel, "stride": self.stride, "padding": self.padding,
                                               "dilation": self.dilation, "H": h, "output": out})
        if not tried:
            raise ValueError(f"the {self.kernel}×{self.kernel} window does not fit any input size tried")
        return Outcome(Verdict.CORRECT, f"{text}: the output size equals H every time.", expected="H")


def find(norm: str, section: str | None = None) -> list:
    """The keeps-the-size statement of a normalised sentence read by roles (empty when uncertain)."""
    text = spell_digits(re.sub(r"\bone\b", "a", norm))  # "one" is a pronoun as often as a number
    if not _KEEP.search(text) or _NOT_ONE.search(text):
        return []
    roles = stated_roles(text)
    if len(roles.get("kernel", ())) != 1 or len(roles.get("padding", ())) != 1 or any(len(v) > 1 for v in roles.values()):
        return []
    inputs, outputs, other = sized_roles(text)
    if outputs or other or len(inputs) > 1:
        return []
    one = {role: next(iter(v)) for role, v in roles.items()}
    return [RoleKeepsSize(one["kernel"], one["padding"], one.get("stride", 1), one.get("dilation", 1), inputs[0] if inputs else None)]
