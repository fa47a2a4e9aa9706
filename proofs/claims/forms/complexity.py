"""Complexity claims O(·) about a convolution layer, in the sizes they name.

Recognised wording, e.g. "the cost of a conv layer is O(H·W·C_in·C_out·k²)",
"Time Complexity: O(H_out · W_out · C_out · k² · C_in)", "parameters reduced
to O(k²·C_in·C_out)", "O(H_out·W_out·C_out) for the output + O(k²·C_in·C_out)
for the weights". The factors of the O(·) are read as a product of named sizes
(``H``, ``W``, ``H_out``, ``C_in``, ``C_out``, ``k``/``F``, powers ``k²``,
``k^2``); any other symbol, ``log`` or a sum makes the statement unreadable
and it is not reported.

Decision: the MACs (``derive.layers.Conv2d(...).macs``), the parameter count
(``.params``) or the output size come from :mod:`derive`; the exponent of each
size in the leading term is measured by scaling that size alone (a 16× larger
size multiplies a term of degree e by 16^e) and compared with the claimed
exponents: equal → CORRECT; a claimed exponent below the derived one → the
bound is violated → INCORRECT with the scaling as counterexample; above it →
CORRECT as an upper bound that is not tight.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("For conv layer: $O(H \\\\cdot W \\\\cdot C_{in} \\\\cdot C_{out} \\\\cdot k^2)$"), "Computational Cost")[0]
>>> s.what, sorted(s.claimed.items())
('macs', [('C_in', 1), ('C_out', 1), ('k', 2), ('spatial', 2)])
>>> find(normalise("FFT convolution: O(n log n) for large kernels"), None)
[]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ...findings import Verdict
from ..decide import Outcome
from ..numbers_words import normalise
from ..truth import conv_macs, conv_params, output_size

__all__ = ["find", "ConvComplexity", "parse_monomial", "ROLES"]

#: size names → role (lower-case, as after normalisation)
ROLES = {
    "h": "H", "h_in": "H", "h_out": "H", "h'": "H", "n_h": "H", "h_o": "H",
    "w": "W", "w_in": "W", "w_out": "W", "w'": "W", "n_w": "W", "w_o": "W",
    "c_in": "C_in", "cin": "C_in", "c_i": "C_in", "c_{in}": "C_in",
    "c_out": "C_out", "cout": "C_out", "c_o": "C_out",
    "k": "k", "f": "k", "k_h": "k_h", "k_w": "k_w",
}
_O = re.compile(r"\bo\(([^()]{1,160})\)")
_OTHER_SUBJECT = re.compile(r"\b(?:fft|fc|fully[- ]connected|dense|attention|transformer|mlp|matrix multipl\w*|gemm|im2col|winograd)\b")
_MACS = re.compile(r"\b(?:time|cost|comput\w*|flops?|macs?|operations|multipl\w*|multiply-adds?)\b")
_PARAMS = re.compile(r"\b(?:param\w*|weights?)\b")
_CONNECTIONS = re.compile(r"^\s*(?:connections?|weights?|inputs?) (?:per|for each|to each|of each|of an?|of one) (?:output|neuron|unit|output (?:neuron|pixel|unit))\b")
_MATHCAL = re.compile(r"\\?mathcal\s*\{?o\}?\s*\(")
_ACTIVATIONS = re.compile(r"\b(?:activations?|outputs?|feature maps?|output (?:tensor|volume|map)s?)\b[^.;+]{0,30}?(?:\b(?:is|are|needs?|requires?|takes?|uses?|costs?|scales? (?:as|like)|grows? (?:as|like))\b|[:=])\s*(?:only |about |roughly )?$")
_OUTPUT = re.compile(r"^\s*(?:for|of|to store) (?:the )?(?:outputs?|activations?|feature maps?)")
_WEIGHTS = re.compile(r"^\s*for (?:the )?(?:weights?|param\w*|kernels?|filters?)")


def parse_monomial(expr: str) -> dict[str, int] | None:
    """Exponents of the named sizes in a product such as ``h·w·c_in·c_out·k^2``; None when unreadable.

    ``H`` and ``W`` are reported together as ``spatial``, ``k_h·k_w`` as ``k^2``.

    Examples
    --------
    >>> parse_monomial("h_out · w_out · c_out · k^2 · c_in")
    {'spatial': 2, 'C_out': 1, 'k': 2, 'C_in': 1}
    >>> parse_monomial("n log n") is None, parse_monomial("d^2") is None
    (True, True)
    """
    factors = [f for f in re.split(r"\s*(?:·|×|\*|\s)\s*", expr.strip()) if f]
    if not factors or len(factors) > 12:
        return None
    out: dict[str, int] = {}
    for f in factors:
        m = re.fullmatch(r"([a-z](?:_?\{?[a-z]{1,3}\}?)?'?)(?:\^(\d))?", f)
        if not m:
            if re.fullmatch(r"\d{1,4}", f):
                continue
            return None
        role = ROLES.get(m.group(1).replace("{", "").replace("}", ""))
        if role is None:
            return None
        e = int(m.group(2) or 1)
        if role in ("H", "W"):
            role = "spatial"
        if role in ("k_h", "k_w"):
            role = "k"
        out[role] = out.get(role, 0) + e
    return out


@dataclass
class ConvComplexity:
    """"the ``what`` (macs/params/output) of a conv layer is O(``claimed`` monomial)"."""

    what: str
    claimed: dict[str, int]
    source: str
    quantity: str = "complexity"

    def _value(self, c_in: int, c_out: int, k: int, size: int) -> int:
        if self.what == "macs":
            return conv_macs(c_in, c_out, k, size, padding=k // 2)
        if self.what == "params":
            return conv_params(c_in, c_out, k, bias=True)
        if self.what == "connections":  # the weights one output neuron is connected through: one filter
            return conv_params(c_in, 1, k, bias=False)
        side = output_size("conv", size, k, stride=1, padding=k // 2)  # 'same' padding, stride 1
        return c_out * side * side

    def _derived(self) -> dict[str, int]:
        base = dict(c_in=16, c_out=16, k=3, size=16)
        scale = {"c_in": 16, "c_out": 16, "k": 5, "size": 16}
        v0 = self._value(**base)
        out = {}
        for name, role in (("c_in", "C_in"), ("c_out", "C_out"), ("k", "k"), ("size", "spatial")):
            args = dict(base)
            if name == "k":
                args["k"], factor = 15, 5
            else:
                args[name] = base[name] * scale[name]
                factor = scale[name]
            if name == "size" and self.what in ("params", "connections"):
                out[role] = 0
                continue
            ratio = self._value(**args) / v0
            e = round(math.log(ratio) / math.log(factor))
            if e:
                out[role] = e
        return out

    def decide(self) -> Outcome:
        derived = self._derived()
        assumed = ""
        if not {"C_in", "C_out"} & set(self.claimed):
            # "the cost of a k×k convolution on an h×w image is O(h·w·k²)": one input and one output channel
            derived = {r: e for r, e in derived.items() if r not in ("C_in", "C_out")}
            assumed = " (the claim names no channel count: read for one input and one output channel)"
        roles = sorted(set(derived) | set(self.claimed))
        mono = lambda d: " · ".join(f"{r}" + (f"^{d[r]}" if d[r] > 1 else "") for r in roles if d.get(r)) or "1"  # noqa: E731
        what = {"macs": "MACs (derive.layers.Conv2d.macs)", "params": "parameters (derive.layers.Conv2d.params)",
                "output": "output elements (C_out · derive.output_size², stride 1, 'same' padding)",
                "connections": "connections of one output neuron (derive.layers.Conv2d(C_in, 1, k, bias=False).params)"}[self.what]
        text = (f"{what}{assumed}, leading term measured by scaling each size: Θ({mono(derived)}) "
                f"(spatial = H·W); the claim says O({mono(self.claimed)})")
        low = [r for r in roles if self.claimed.get(r, 0) < derived.get(r, 0)]
        if not low and all(self.claimed.get(r, 0) == derived.get(r, 0) for r in roles):
            return Outcome(Verdict.CORRECT, text + ": the same.", expected=f"O({mono(derived)})")
        if not low:
            return Outcome(Verdict.CORRECT, text + ": a valid upper bound, though not tight.", expected=f"O({mono(derived)})")
        r = low[0]
        return Outcome(Verdict.INCORRECT, text + f": it misses {r}^{derived[r] - self.claimed.get(r, 0)}.",
                       expected=f"O({mono(derived)})",
                       counterexample={"size": r, "derived_exponent": derived.get(r, 0), "claimed_exponent": self.claimed.get(r, 0),
                                       "note": f"multiplying {r} by 16 multiplies the {self.what} by 16^{derived.get(r, 0)}"})


def _last(pattern: re.Pattern, text: str) -> int:
    """Where the last match of ``pattern`` in ``text`` starts (-1 when none): the nearest word wins."""
    starts = [m.start() for m in pattern.finditer(text)]
    return starts[-1] if starts else -1


def find(norm: str, section: str | None) -> list:
    """Complexity statements of a normalised sentence."""
    if "o(" not in norm:
        return []
    sec = normalise(section or "")
    if _OTHER_SUBJECT.search(norm) or (not re.search(r"\bconv\w*", norm) and _OTHER_SUBJECT.search(sec)):
        return []
    norm = _MATHCAL.sub("o(", norm)
    out = []
    previous_end = 0
    for m in _O.finditer(norm):
        mono = parse_monomial(m.group(1))
        if not mono:
            continue
        before = norm[max(previous_end, m.start() - 60): m.start()]
        previous_end = m.end()
        after = norm[m.end(): m.end() + 30]
        if _OUTPUT.search(after) or _ACTIVATIONS.search(before):
            what = "output"
        elif _CONNECTIONS.search(after):
            what = "connections"
        elif _WEIGHTS.search(after) or _last(_PARAMS, before) > _last(_MACS, before):
            what = "params"
        elif _MACS.search(before) or _MACS.search(sec) or re.search(r"\b(?:time|comput\w*|cost)\b", norm[: m.start()]):
            what = "macs"
        else:
            continue
        out.append(ConvComplexity(what, mono, m.group(0)))
    return out[:3]
