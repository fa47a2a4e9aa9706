"""Receptive fields stated as formulas in words: "after n layers of 3×3 convs the RF is (2n+1)×(2n+1)".

Recognised wording (after :func:`~proofs.claims.numbers_words.normalise`), e.g.
"n stacked 3×3 convolutions have a receptive field of (2n+1)×(2n+1)", "for L
layers with kernel size k, RF = 1 + L(k-1)", "the receptive field of d layers
of 5×5 convs is 4d+1". The layer-count symbol is the one written before
"layers"/"convs" (or after "depth"); the kernel is a number (``3×3``) or a
symbol ("kernel size k"); the stride and dilation must be numbers (default 1).
The expression is read by :mod:`proofs.claims.symbolic` (never ``eval``).

Decision: for every depth 1..:data:`DEPTHS` (and every kernel 2..7 when the
kernel is a symbol) ``derive.receptive_field`` of the stack is compared with
the expression: equal everywhere → CORRECT; else INCORRECT with the first
configuration where they differ.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("After n layers of 3×3 convolutions the receptive field is (2n+1)×(2n+1)."))[0]
>>> s.expression.text, s.depth, s.kernel
('(2n+1)', 'n', 3)
>>> s.decide().verdict.value
'CORRECT'
>>> find(normalise("The receptive field is 7×7."))
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..numbers_words import KERNEL, parse_number
from ..symbolic import Expression, leading_expression, parse_expression
from ..truth import LayerSpec, receptive_field
from .stacks import MAX_KERNEL

__all__ = ["find", "SymbolicReceptiveField", "DEPTHS", "KERNELS"]

#: depths at which a symbolic receptive field is compared with derive
DEPTHS = range(1, 7)
#: kernel sizes tried when the kernel is a symbol
KERNELS = range(2, 8)

_RF = re.compile(r"\b(?:receptive[- ]fields?|rfs?)\b")
_THEN = re.compile(r"(?:\b(?:is|equals?|of|becomes|grows to|is now)\b|[:=])\s*(?:a |an |of |size )?")
_LAYER_NOUN = re.compile(r"\s*(?:stacked|consecutive|layers?|convs?|convolutions?|conv)\b")
_DEPTH = re.compile(r"\b([a-z])\s+(?:stacked\s+|consecutive\s+|successive\s+)?(?:(?:\d{1,3}|[a-z])×(?:\d{1,3}|[a-z])\s+)?(?:conv(?:olution(?:al)?)?\s+)?(?:layers|convs|convolutions)\b|\bdepth\s+([a-z])\b")
_KERNEL_SYMBOL = re.compile(r"\b(?:kernel|filter)(?:\s+size)?(?:\s+of)?\s*(?:=\s*)?([a-z])\b|\b([a-z])×\2\s+(?:conv|kernel|filter)")
_STRIDE = re.compile(r"\bstride\s*(?:of\s+|=\s*)?([a-z]|\d{1,3})\b")
_DILATION = re.compile(r"\bdilation\s*(?:rate\s+|of\s+|=\s*)?([a-z]|\d{1,3})\b")


@dataclass
class SymbolicReceptiveField:
    """"``depth`` layers of ``kernel``×``kernel`` conv have a receptive field of ``expression``"."""

    expression: Expression
    depth: str
    kernel: int | str
    stride: int = 1
    dilation: int = 1
    quantity: str = "receptive_field"

    def decide(self) -> Outcome:
        kernels = KERNELS if isinstance(self.kernel, str) else [self.kernel]
        if not 1 <= max(kernels) <= MAX_KERNEL or not 1 <= self.stride <= MAX_KERNEL or not 1 <= self.dilation <= MAX_KERNEL:
            raise ValueError(f"kernel {self.kernel}, stride {self.stride} or dilation {self.dilation} outside 1..{MAX_KERNEL}")
        compared = 0
        for k in kernels:
            for depth in DEPTHS:
                env = {self.depth: depth}
                if isinstance(self.kernel, str):
                    env[self.kernel] = k
                claimed = self.expression(env)
                rf = receptive_field([LayerSpec("conv", k, stride=self.stride, dilation=self.dilation)] * depth)
                compared += 1
                if claimed != rf:
                    return Outcome(
                        Verdict.INCORRECT,
                        f"derive.receptive_field of {depth} × {k}×{k} conv (stride {self.stride}, dilation {self.dilation}) "
                        f"is {rf}, but {self.expression.text} gives {claimed} at {', '.join(f'{a} = {b}' for a, b in env.items())}.",
                        expected=str(rf),
                        counterexample={**env, "derived": rf, "claimed": str(claimed)},
                    )
        what = f"{self.kernel}×{self.kernel}" if isinstance(self.kernel, int) else f"k×k (k = {KERNELS[0]}..{KERNELS[-1]})"
        return Outcome(Verdict.CORRECT,
                       f"derive.receptive_field of {self.depth} × {what} conv (stride {self.stride}, dilation {self.dilation}) "
                       f"equals {self.expression.text} for {self.depth} = {DEPTHS[0]}..{DEPTHS[-1]} ({compared} configurations).",
                       expected=self.expression.text)


def _number_or_none(m) -> int | None | str:
    if not m:
        return 1
    value = m.group(1)
    return parse_number(value) if value.isdigit() else None


def find(norm: str) -> list:
    """Symbolic receptive-field statements of a normalised sentence (empty when none)."""
    text = None
    for rf in _RF.finditer(norm):
        for then in _THEN.finditer(norm, rf.end(), min(len(norm), rf.end() + 60)):
            candidate = leading_expression(norm[then.end():])
            if candidate is not None and not _LAYER_NOUN.match(norm, then.end() + norm[then.end():].index(candidate[0]) + len(candidate)):
                text = candidate
                break
        if text is not None:
            break
    if text is None:
        return []
    expression = parse_expression(text)
    dm = _DEPTH.search(norm)
    if not dm:
        return []
    depth = dm.group(1) or dm.group(2)
    km = re.search(KERNEL, norm)
    ks = _KERNEL_SYMBOL.search(norm)
    if km and km.group(1) == km.group(2):
        kernel: int | str = parse_number(km.group(1))
    elif ks:
        kernel = ks.group(1) or ks.group(2)
    else:
        return []
    stride, dilation = _number_or_none(_STRIDE.search(norm)), _number_or_none(_DILATION.search(norm))
    if stride is None or dilation is None:
        raise ValueError("the stride or dilation is a symbol: only numeric strides and dilations are decided")
    unknown = expression.symbols - {depth} - ({kernel} if isinstance(kernel, str) else set())
    if unknown:
        raise ValueError(f"the symbol(s) {', '.join(sorted(unknown))} of {expression.text!r} are not defined in the sentence")
    if depth not in expression.symbols:
        return []
    return [SymbolicReceptiveField(expression, depth, kernel, stride, dilation)]
