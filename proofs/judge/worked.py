r"""Worked examples judged as what they compute: a :class:`~proofs.statement.Statement` from the sentence around them.

``64 · 128 · 9 + 64 = 73,792`` in "a layer with 128 filters of size 3×3 on a 64-channel input, each with
its bias, holds … parameters" is a parameter count of that layer. The quantity comes from the words of
the sentence (parameters/weights, MACs, output size), the configuration from
:func:`proofs.notation.configuration.read_configuration` (with the symbol table in scope, so
``$a = 32$`` counts when ``a`` is the input size), and :func:`proofs.statement.decide` computes the
verdict. The example is taken as that quantity only when every number of its expression is a number of
the configuration (or a product of two of them, 1 or 2): "3 · 3 · 64 = 576 weights per filter" is not the
layer's count, and is left to the arithmetic.

Examples
--------
>>> import sympy as sp
>>> from fractions import Fraction
>>> e = sp.Add(sp.Mul(64, 128, 9, evaluate=False), 64, evaluate=False)
>>> st = example_statement([e, sp.Integer(73792)], "A layer with 128 filters of size 3×3 on a 64-channel input, each with its bias, holds", " parameters.")
>>> st.quantity, st.asserted, st.bias
('param_count', Fraction(73792, 1), True)
>>> example_statement([sp.Mul(3, 3, 64, evaluate=False), sp.Integer(576)], "128 filters of size 3×3 on a 64-channel input: each filter has", " weights") is None
True
"""

from __future__ import annotations

import re

import sympy as sp

from ..notation.configuration import read_configuration
from ..statement import Statement
from .arithmetic import numeric_value

__all__ = ["example_statement"]

_QUANTITY_WORDS = (
    ("param_count", r"\b(?:parameters|params|learnable|trainable|weights)\b"),
    ("macs", r"\b(?:macs?|multiply[- ]accumulates?|mult[- ]adds|multiplications)\b"),
    ("output_size", r"\boutput (?:size|width|height|length|side|is)\b|\bwindows?\b|\boutputs?\b"),
)
#: the example is a part of the layer's count, not the count
_PART = re.compile(r"(?i)\b(?:per|each|every|one|a single|single) (?:filter|kernel|output channel|neuron|channel|unit|position|pixel|window)\b"
                   r"(?! *,? each with)|\bper-\w+\b|\bbias(?:es)? alone\b|\bbiases\s*:?\s*$")


def _sentence(before: str, after: str) -> tuple[str, str]:
    head = re.split(r"(?<=[.!?])\s+(?=[A-Z$\\])|\n\s*\n", before.strip())[-1] if before.strip() else ""
    tail = re.split(r"(?<=[.!?])\s|\n\s*\n", after.strip(), maxsplit=1)[0] if after.strip() else ""
    return head, tail


def _quantity(head: str, tail: str) -> str | None:
    text = f"{head} {tail}".lower()
    near = f"{head[-60:]} {tail[:40]}".lower()
    found = [q for q, rx in _QUANTITY_WORDS if re.search(rx, near)] or [q for q, rx in _QUANTITY_WORDS if re.search(rx, text)]
    found = list(dict.fromkeys(found))
    if len(found) != 1:
        return None
    return found[0]


def _atoms(expr) -> list[int]:
    out = []
    for node in sp.preorder_traversal(expr):
        if node.is_Integer:
            out.append(abs(int(node)))
        elif node.is_Rational and not node.is_Integer:
            out += [abs(int(node.p)), abs(int(node.q))]
        elif node.is_Float:
            return [-1]
    return out


def _allowed(values: dict) -> set[int]:
    base = {1, 2}
    for v in values.values():
        base |= set(v) if isinstance(v, tuple) else {v}
    base |= {a * b for a in list(base) for b in list(base)}
    base |= {v - 1 for v in base if v > 1}
    return base


def example_statement(sides, before: str, after: str, *, roles: dict | None = None,
                      padding: str | None = None) -> Statement | None:
    """The :class:`Statement` a numeric worked example makes, or None when the sentence does not settle one."""
    if len(sides) < 2:
        return None
    final = numeric_value(sides[-1])
    if final is None or (hasattr(final, "denominator") and final.denominator != 1):
        return None
    head, tail = _sentence(before, after)
    if _PART.search(f"{head[-80:]} {tail[:60]}"):
        return None
    quantity = _quantity(head, tail)
    if quantity is None:
        return None
    conf = read_configuration(head, roles=roles)
    if conf.conflicts:
        return None
    exprs = [s for s in sides[:-1] if numeric_value(s) is not None and not s.is_Number]
    allowed = _allowed(conf.values)
    if any(a not in allowed for e in exprs for a in _atoms(e)):
        return None
    bias = conf.bias
    if quantity == "param_count" and re.search(r"(?i)\bweights\b", f"{head[-60:]} {tail[:40]}") and not re.search(
            r"(?i)param", f"{head} {tail}"):
        bias = False
    return Statement(quantity, dict(conf.values), final, bias=bias, padding=padding,
                     evidence=", ".join(f"{k} from {v!r}" for k, v in conf.evidence.items())[:200])
