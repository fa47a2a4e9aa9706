"""Output size of ONE layer read by roles: the sentence's input size, output size, kernel, stride, padding, dilation.

Worked examples in prose state a layer and what it does to a size in any order and any mood — "for a 7x7
input and a 3x3 filter with stride 1 and pad 0 we would get a 5x5 output", "the input volume of size
[224x224x64] is pooled with filter size 2, stride 2 into output volume of size [112x112x64]", "if the input
is 32 pixels wide and the filter 5 wide, the output is 28 pixels wide". This form reads such a sentence by
roles instead of by a sentence pattern: the layer's attributes from :func:`~proofs.claims.roles.stated_roles`,
the sizes from :func:`~proofs.claims.roles.sized_roles` (a size is the input when an input word — input, image, picture, volume
*of the input*, from, on, over — stands next to it, the output when an output word — output, result, gives,
get, into, becomes — does). It is a fallback: :func:`proofs.claims.claims_of_sentence` asks it only when no
other form read the sentence.

Nothing uncertain is decided: the sentence must state exactly one kernel and at most one value per other
role, exactly one input and one output size and no other size, one kind of layer (a convolution or a
pooling, not both, not transposed), and no comparison, stack or general claim. An unstated padding of a
convolution is tried as 0 and as 'same' (INCORRECT only when neither gives the claimed size); a pooling
without a stated stride has stride = window (the default of PyTorch and Keras), said in the finding.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s, = find(normalise("For a 7x7 input and a 3x3 filter with stride 1 and pad 0 we would get a 5x5 output."))
>>> s.decide().verdict.value
'CORRECT'
>>> s, = find(normalise("The input volume of size [224x224x64] is pooled with filter size 2, stride 2 into "
...                     "an output volume of size [110x110x64]."))
>>> o = s.decide(); o.verdict.value, o.expected
('INCORRECT', '112')
>>> find(normalise('A 128x128x3 input through 5x5 kernels with "same" padding stays 124x124.'))[0].decide().verdict.value
'INCORRECT'
>>> find(normalise("With padding='SAME' and strides=2, an input of height 5 gives an output of height 3."))[0].decide().verdict.value
'CORRECT'
>>> find(normalise("Three 3x3 convs map a 7x7 input to a 1x1 output."))
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..layer_reading import spell_digits
from ..roles import shapes_as_sizes, sized_roles, stated_roles

__all__ = ["find", "RoleOutputSize"]

#: not one layer, or not this layer's size: stacks, comparisons, general claims, transposed layers
_NOT_ONE = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|[2-9]|\d{2}) (?:\w+ ){0,3}?(?:layers|convs|convolutions|filters each|blocks|pooling layers)\b"
    r"|\bstack|\bblocks?\b|\bfollowed by\b|\bthen\b|\bafter (?:a|the|each|every)\b|\beach\b(?! side| border| edge)|\bevery\b(?! side| border| edge)|\balways\b|\bany\b|\bin general\b|\bnever\b"
    r"|\bthan\b|\binstead of\b|\bversus\b|\bvs\b|\bcompared\b|\bunlike\b|\bwhereas\b|\bunless\b|\bnot\b|\bn't\b"
    r"|\btranspose\w*|\bdeconv\w*|\bupsampl\w*|\bfractionally|\bceil|\bdilat\w* rates\b|\bdepthwise\b|\bfully[- ]connected\b|\bdense\b")
#: "if/when <configuration> then <claim>": the "then" of a conditional, not of a sequence of layers
_IF_THEN = re.compile(r"^(\W*(?:if|when)\b[^.;]*?)\s*,?\s*\bthen\b")
#: TensorFlow's 'same' padding named ("'same' padding", "padding='same'")
_SAME = re.compile(r"[\"']?\bsame\b[\"']? padding|\bpadding\s*=\s*[\"']?same\b|\bpadding (?:is |of )?[\"']same\b")
_POOL = re.compile(r"\b(max|avg|average|mean)?[- ]?pool(?:s|ed|ing)?\b")
_CONV = re.compile(r"\bconv\w*|\bconvol\w*")


@dataclass
class RoleOutputSize:
    """One layer (``kind``, ``kernel``, ``stride``, ``padding``, ``dilation``) maps ``size`` to ``claimed``."""

    kind: str
    kernel: int  # 0: not stated (TensorFlow's SAME padding does not depend on it)
    size: int
    claimed: int
    stride: int | None = None
    padding: int | str | None = None  # per side, "SAME" (TensorFlow's), or None: not stated
    dilation: int = 1
    quantity: str = "output_size"

    def _candidates(self) -> list[tuple[int, str]]:
        from derive import output_size

        pool = self.kind != "conv"
        stride = self.stride if self.stride is not None else (self.kernel if pool else 1)
        paddings = [self.padding] if self.padding is not None else ([0] if pool else [0, "SAME"])
        if pool and self.padding == "SAME":
            raise ValueError("'same' padding of a pooling layer is not computed here")
        out = []
        for p in paddings:
            try:
                side = int(output_size(self.kind, self.size, self.kernel or 1, stride=stride, padding=p, dilation=self.dilation))
            except ValueError:
                continue
            name = (f"{self.kind} k={self.kernel or 'any (not stated; SAME does not depend on it)'}, stride={stride}" + ("" if self.stride is not None or not pool else " (not stated: the window)")
                    + f", padding={'same' if p == 'SAME' else p}" + ("" if self.padding is not None else " (not stated)")
                    + (f", dilation={self.dilation}" if self.dilation != 1 else ""))
            out.append((side, name))
        return out

    def decide(self) -> Outcome:
        candidates = self._candidates()
        if not candidates:
            raise ValueError(f"the {self.kernel}×{self.kernel} window does not fit a {self.size}×{self.size} input under any padding tried")
        for side, name in candidates:
            if side == self.claimed:
                return Outcome(Verdict.CORRECT, f"derive.output_size: {name} maps {self.size} to {side}, as stated.", expected=str(side))
        shown = "; ".join(f"{name} maps {self.size} to {side}" for side, name in candidates)
        return Outcome(Verdict.INCORRECT, f"derive.output_size: {shown}, not {self.claimed}.", expected=str(candidates[0][0]),
                       counterexample={"input": self.size, "claimed": self.claimed, "computed": {name: side for side, name in candidates}})


def find(norm: str, section: str | None = None) -> list:
    """The one-layer output-size statement of a normalised sentence read by roles (empty when uncertain)."""
    norm = spell_digits(re.sub(r"\bone\b", "a", norm))  # "one" is a pronoun as often as a number
    norm = _IF_THEN.sub(r"\1,", norm)  # "if …, then the output is …": a condition, not a second layer
    norm = shapes_as_sizes(norm)  # "an input of shape (1, 3, 32, 32)": its spatial side
    if _NOT_ONE.search(norm):
        return []
    pool, conv = _POOL.search(norm), _CONV.search(norm)
    if pool and conv:
        return []
    kind = ("avg_pool" if pool.group(1) in ("avg", "average", "mean") else "max_pool") if pool else "conv"
    roles = stated_roles(norm)
    if any(len(v) > 1 for v in roles.values()):
        return []
    if not roles.get("kernel"):
        # TensorFlow's SAME: ceil(size / stride) whatever the kernel ("with padding='SAME' and strides=2, height 5 gives 3")
        if not (_SAME.search(norm) and roles.get("stride") and kind == "conv" and "padding" not in roles):
            return []
        roles["kernel"] = {0}
    if not (conv or pool or re.search(r"\b(?:filter|kernel)(?:s|_size)?\b", norm) or not roles["kernel"] - {0}):
        return []
    inputs, outputs, other = sized_roles(norm)
    if len(inputs) != 1 or len(outputs) != 1 or other:
        return []
    one = {role: next(iter(v)) for role, v in roles.items()}
    if _SAME.search(norm):
        if "padding" in one:
            return []
        one["padding"] = "SAME"
    return [RoleOutputSize(kind, one["kernel"], inputs[0], outputs[0], one.get("stride"), one.get("padding"), one.get("dilation", 1))]
