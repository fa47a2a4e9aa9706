"""General claims that one attribute of a conv layer does or does not change a quantity:
"dilation never changes the parameter count", "stride does not affect the number of weights",
"padding doesn't change the output size", "the kernel size affects the number of parameters".

The claim is general (over every layer), so it is decided by searching a small
domain for a counterexample: a ``derive.layers.Conv2d`` (4 → 8 channels,
3×3, stride 1, padding 1, dilation 1 — the usual defaults) on a 16×16 input,
with the named attribute varied over small values and everything else kept. The
quantity is computed by derive: parameters, MACs, output size, or the
receptive field of the one layer. "Never changes" with two values that give
different results is INCORRECT, reported with the smallest such pair; "changes"
with one result for every value is INCORRECT likewise.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s, = find(normalise("Dilation never changes the parameter count."))
>>> (s.attribute, s.quantity_name, s.invariant), s.decide().verdict.value
(('dilation', 'params', True), 'CORRECT')
>>> s, = find(normalise("Padding doesn't change the output size."))
>>> s.decide().verdict.value, s.decide().counterexample["padding"]
('INCORRECT', (0, 1))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome

__all__ = ["find", "Dependence", "ATTRIBUTES", "QUANTITIES"]

#: attribute -> (regex, values searched)
ATTRIBUTES = {
    "dilation": (r"\bdilation(?: rate| factor)?s?\b|\bdilating\b", (1, 2, 3, 4)),
    "stride": (r"\bstrides?\b|\bstriding\b", (1, 2, 3, 4)),
    "padding": (r"\b(?:zero[- ])?padding\b", (0, 1, 2, 3)),
    "kernel": (r"\bkernel size\b|\bfilter size\b|\bkernel width\b", (1, 3, 5, 7)),
    "input": (r"\binput (?:size|resolution|image size)\b|\bimage (?:size|resolution)\b|\bresolution\b", (8, 12, 16, 20)),
    "out_channels": (r"\bnumber of (?:filters|kernels|output channels)\b", (4, 8, 16, 32)),
}
#: quantity -> regex
QUANTITIES = {
    "params": r"\b(?:parameter count|number of (?:learnable |trainable )?(?:parameters|weights)|parameters|weights|params)\b",
    "macs": r"\b(?:computational cost|compute|number of (?:operations|multiplications|macs|flops)|macs|flops|multiply-adds)\b",
    "output_size": r"\b(?:output (?:size|shape|resolution|dimensions?)|spatial size of the output|size of the output|feature map size)\b",
    "receptive_field": r"\breceptive field\b",
}
_INVARIANT = re.compile(r"\b(?:never|not|doesn't|does not|do not|don't|won't|will not|cannot|can't) (?:\w+ )?(?:change|affect|alter|influence|increase|modify)s?\b"
                        r"|\bhas no (?:effect|influence|impact) on\b|\bhave no (?:effect|influence|impact) on\b|\bis independent of\b"
                        r"|\bleaves? (?:the )?[\w ]{0,30}unchanged\b|\bwithout changing\b")
_DEPENDS = re.compile(r"\b(?:changes|affects|alters|influences|determines)\b")
_SKIP = re.compile(r"\b(?:next|subsequent|later|deeper|following|stack\w*|network|layers|each layer|transpose\w*|pool\w*|"
                   r"separable|depthwise|group\w*|if|when|unless|only|same padding|'same'|\"same\"|valid|fully[- ]connected|"
                   r"memory|activations?|gradient\w*|accuracy|training|learned)\b|\?")
_BASE = {"in_channels": 4, "out_channels": 8, "kernel": 3, "stride": 1, "padding": 1, "dilation": 1, "input": 16}


def _compute(quantity: str, cfg: dict):
    from derive.layers import Conv2d
    from derive.sizes.receptive_field import receptive_field

    conv = Conv2d(cfg["in_channels"], cfg["out_channels"], cfg["kernel"], stride=cfg["stride"], padding=cfg["padding"],
                  dilation=cfg["dilation"])
    shape = (cfg["in_channels"], cfg["input"], cfg["input"])
    if quantity == "params":
        return int(conv.params)
    if quantity == "macs":
        return int(conv.macs(shape))
    if quantity == "output_size":
        return int(conv.output_shape(shape)[1])
    return int(receptive_field([conv]).size[0])


@dataclass
class Dependence:
    """"``attribute`` (never) changes ``quantity_name``" of a conv layer (``invariant``: the "never" form)."""

    attribute: str
    quantity_name: str
    invariant: bool
    quantity: str = "dependence"

    def decide(self) -> Outcome:
        values = ATTRIBUTES[self.attribute][1]
        results = []
        for v in values:
            cfg = dict(_BASE, **{self.attribute: v})
            results.append((v, _compute(self.quantity_name, cfg)))
        base = ", ".join(f"{k} {v}" for k, v in _BASE.items() if k != self.attribute)
        shown = "; ".join(f"{self.attribute} {v}: {r}" for v, r in results)
        text = (f"derive.layers.Conv2d ({base}; the usual defaults) with {self.attribute} varied, "
                f"{self.quantity_name.replace('_', ' ')}: {shown}")
        first_diff = next(((a, b) for a, b in zip(results, results[1:]) if a[1] != b[1]), None)
        if self.invariant:
            if first_diff is None:
                return Outcome(Verdict.CORRECT, f"{text} — unchanged, as stated.", expected="unchanged")
            (v1, r1), (v2, r2) = first_diff
            return Outcome(Verdict.INCORRECT, f"{text} — it changes: {self.attribute} {v1} gives {r1}, {v2} gives {r2}.",
                           expected=f"depends on {self.attribute}",
                           counterexample={self.attribute: (v1, v2), self.quantity_name: (r1, r2), "layer": base})
        if first_diff is not None:
            return Outcome(Verdict.CORRECT, f"{text} — it changes, as stated.", expected=f"depends on {self.attribute}")
        return Outcome(Verdict.INCORRECT, f"{text} — the same for every {self.attribute} tried.",
                       expected="unchanged", counterexample={self.attribute: values, self.quantity_name: results[0][1]})


def find(norm: str, section: str | None = None) -> list:
    """Dependence statements of a normalised sentence (one attribute, one quantity, one verb; else none)."""
    if _SKIP.search(norm):
        return []
    attrs = [a for a, (rx, _) in ATTRIBUTES.items() if re.search(rx, norm)]
    qty = [q for q, rx in QUANTITIES.items() if re.search(rx, norm)]
    inv, dep = _INVARIANT.search(norm), _DEPENDS.search(norm)
    if len(attrs) != 1 or len(qty) != 1 or not (inv or dep) or not re.search(r"\bconv\w*|\bfilters?\b|\bkernels?\b|\blayer\b", norm + " conv"):
        return []
    a = re.search(ATTRIBUTES[attrs[0]][0], norm)
    q = re.search(QUANTITIES[qty[0]], norm)
    verb = inv or dep
    if attrs[0] == "stride" and qty[0] == "receptive_field":
        return []  # a stride changes the receptive field of the layers after it: which layer is meant is unclear
    if not a.end() <= verb.start() < q.start():
        return []  # "attribute … verb … quantity" only
    return [Dependence(attrs[0], qty[0], bool(inv))]
