"""A bare expression whose quantity the surrounding prose states ("a dense layer … has $nm + m$ parameters").

The sentence around the span names the quantity (parameters of a convolution,
fully connected or batch-norm layer; the extent a dilated kernel covers) and
the roles of its symbols ("from $n$ inputs to $m$ outputs", "$K$ filters",
"depth-$D$ input", "over $C$ channels", "kernel of size $k$ with dilation $d$").
The expression is then judged as ``quantity = expr`` against :mod:`derive`
(``layers.Conv2d/Linear/BatchNorm2d(...).params``; the extent from the output
size of one dilated layer). When the layer type, the quantity or a symbol's
role is not certain, nothing is returned (the span stays UNRECOGNIZED).

Examples
--------
>>> import sympy as sp
>>> n, m = sp.symbols("n m")
>>> j = judge_prose_quantity(n*m + m, "A fully connected layer from $n$ inputs to $m$ outputs has", " parameters.")
>>> j.verdict, j.quantity
('CORRECT', 'param_count')
>>> j = judge_prose_quantity(n*m, "A fully connected layer with bias from $n$ inputs to $m$ outputs has", " parameters.")
>>> j.verdict, j.counterexample["expected"] != j.counterexample["document"]
('INCORRECT', True)
>>> judge_prose_quantity(n*m, "A layer from $n$ inputs to $m$ outputs has", " parameters.") is None
True
"""

from __future__ import annotations

import itertools
import re

import sympy as sp

from . import truth
from .judgement import Judgement
from .roles import definitions_in

__all__ = ["judge_prose_quantity", "stated_quantity", "layer_kind"]

_SYM = r"\$\\?([A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)\$"


def _sentence_around(before: str, after: str) -> tuple[str, str]:
    """The part of the span's sentence before it and after it."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z$\\])|\n\s*\n", before)
    head = parts[-1] if parts else ""
    m = re.search(r"[.!?](\s|$)|\n\s*\n", after)
    tail = after[:m.start()] if m else after
    return head, tail


def stated_quantity(head: str, tail: str) -> str | None:
    """What the prose says the span is: ``"param_count"``, ``"dilated_extent"`` or None.

    >>> stated_quantity("a layer of $K$ filters has", " parameters")
    'param_count'
    >>> stated_quantity("A kernel of size $k$ with dilation $d$ covers", " pixels")
    'dilated_extent'
    >>> stated_quantity("The effective kernel size is", "") , stated_quantity("we add", " parameters")
    ('dilated_extent', None)
    """
    h, t = head.lower().rstrip(), tail.lower().lstrip()
    verb = r"(?:has|have|holds?|contains?|needs?|uses?|requires?|with|of|is|are|equals|gives|:|=)$"
    if re.match(r"(?:learnable |trainable |learned )?(?:parameters|params|weights and biases)\b", t) and re.search(verb, h):
        return "param_count"
    if re.search(r"(?:number of|total) (?:learnable |trainable )?(?:parameters|params)\s*(?:is|are|equals|:|=)$", h):
        return "param_count"
    if re.search(r"\bcovers$|\bspans$", h) and re.match(r"(?:input )?(?:pixels|positions|entries|samples|cells)\b", t):
        return "dilated_extent"
    if re.search(r"(?:effective (?:kernel|filter) (?:size|extent|width)|(?:extent|span) of the dilated (?:kernel|filter))"
                 r"\s*(?:is|becomes|equals|:|=)$", h) or re.search(
            r"(?:one|a single) dilated (?:conv\w*|layer)[^.]{0,60} has a receptive field(?: size)?(?: of| is|:|=)$", h):
        return "dilated_extent"
    return None


def layer_kind(sentence: str) -> str | None:
    """The one layer type the sentence names: ``"batchnorm"``, ``"linear"``, ``"conv"`` or None (none or several).

    >>> layer_kind("A batch-norm layer over $C$ channels has"), layer_kind("a dense layer"), layer_kind("a layer")
    ('batchnorm', 'linear', None)
    """
    low = sentence.lower()
    kinds = set()
    if re.search(r"batch[- ]?norm", low):
        kinds.add("batchnorm")
    if re.search(r"fully[- ]connected|\bdense\b|\blinear layer|\baffine layer", low):
        kinds.add("linear")
    if re.search(r"\bconv|filters?\b|kernels?\b", low):
        kinds.add("conv")
    return kinds.pop() if len(kinds) == 1 else None


#: local phrases that give a symbol its role in one sentence (role, pattern with the symbol as group 1)
_LOCAL = (
    ("channels_in", rf"depth[- ]{_SYM}"), ("channels_in", rf"{_SYM}[- ](?:input channels|inputs?|input features|input units)\b"),
    ("channels_in", rf"from {_SYM}\s*(?:inputs|input|channels|features|units)?\s*to\b"),
    ("channels_out", rf"{_SYM}[- ](?:filters|kernels|output channels|outputs?|output features|output units)\b"),
    ("channels_out", rf"\bto {_SYM}[- ](?:outputs|output|channels|features|units)\b"),
    ("channels", rf"(?:over|with|of) {_SYM}[- ]channels\b"),
    ("kernel", rf"\$\\?([A-Za-z])\s*(?:\\times|×|x)\s*\1\$ (?:filters|kernels?|convolution)"),
    ("kernel", rf"(?:kernel|filter|window) (?:of )?size {_SYM}"), ("kernel", rf"(?:kernel|filter) size {_SYM}"),
    ("dilation", rf"dilation(?: rate| factor)? (?:of )?{_SYM}"),
)


def _local_roles(sentence: str) -> dict[str, set]:
    out: dict[str, set] = {}
    for role, pat in _LOCAL:
        for m in re.finditer(pat, sentence, flags=re.I):
            out.setdefault(m.group(1).replace("{", "").replace("}", ""), set()).add(role)
    for name, role in definitions_in(sentence).items():
        out.setdefault(name, set()).add(role)
    return out


def _bias(sentence: str) -> bool | None:
    low = sentence.lower()
    if re.search(r"without (?:a )?bias|no bias|bias[- ]free|bias\s*=\s*false|excluding (?:the )?bias", low):
        return False
    if re.search(r"\bbias(?:es)?\b", low):
        return True
    return None


def _compare(expr, want, quantity: str, what: str, names: dict) -> Judgement:
    diff = sp.expand(expr - want)
    if diff == 0:
        return Judgement("CORRECT", quantity, f"the prose states the {what}; symbolically equal to derive's {want}",
                         expected=str(want), expected_latex=sp.latex(want))
    syms = sorted(expr.free_symbols | want.free_symbols, key=str)
    for vals in itertools.product(range(1, 6), repeat=len(syms)):
        sub = dict(zip(syms, vals))
        doc, exp = expr.subs(sub), want.subs(sub)
        if doc != exp:
            values = {f"{s} ({names.get(str(s), '?')})": v for s, v in sub.items()}
            return Judgement("INCORRECT", quantity, f"the prose states the {what}, which is {want} (derive), not {expr}",
                             counterexample={"values": {str(s): v for s, v in sub.items()}, "roles": values,
                                             "document": int(doc), "expected": int(exp)},
                             expected=str(want), expected_latex=sp.latex(want))
    return Judgement("UNRECOGNIZED", quantity, "differs symbolically but no small counterexample was found")


def _role_of(roles: dict[str, set], name: str) -> str | None:
    found = roles.get(name, set())
    return next(iter(found)) if len(found) == 1 else None


def judge_prose_quantity(expr, before: str, after: str, definitions: dict | None = None) -> Judgement | None:
    """Judge a bare expression as the quantity its sentence names; None when that is not certain.

    Parameters
    ----------
    expr : the SymPy expression of the span.
    before, after : the prose right before and right after the span.
    definitions : roles the whole document gives to symbols (used for the dilated extent only).

    Returns
    -------
    Judgement or None
    """
    if not isinstance(expr, sp.Expr) or not expr.free_symbols or not all(s.is_Symbol for s in expr.free_symbols):
        return None
    head, tail = _sentence_around(before, after)
    quantity = stated_quantity(head, tail)
    if quantity is None:
        return None
    sentence = f"{head} $expr$ {tail}"
    roles = _local_roles(sentence)
    names = [s.name for s in expr.free_symbols]
    if quantity == "dilated_extent":
        if "dilat" not in f"{sentence} {before[-300:]}".lower():
            return None
        for n in names:
            if n not in roles and (definitions or {}).get(n):
                roles[n] = {definitions[n]}
        k = [n for n in names if _role_of(roles, n) == "kernel"]
        d = [n for n in names if _role_of(roles, n) == "dilation"]
        if len(k) != 1 or len(d) != 1 or len(names) != 2:
            return None
        ks, ds, H = sp.Symbol(k[0], positive=True, integer=True), sp.Symbol(d[0], positive=True, integer=True), \
            sp.Symbol("H", positive=True, integer=True)
        out = truth.output_size_expr(H, ks, 1, 0, ds)
        want = sp.expand(sp.simplify(H - out + 1))
        if want.has(H) or want.has(sp.floor):
            return None
        plain = {ks: sp.Symbol(k[0]), ds: sp.Symbol(d[0])}
        return _compare(expr, want.subs(plain), "receptive_field",
                        "extent of a dilated kernel (receptive field of one dilated layer)",
                        {k[0]: "kernel", d[0]: "dilation"})
    kind = layer_kind(head)
    if kind is None:
        return None
    bound = {n: _role_of(roles, n) for n in names}
    if any(r is None for r in bound.values()):
        return None
    by = {}
    for n, r in bound.items():
        by.setdefault(r, []).append(sp.Symbol(n))
    bias = _bias(head)
    if kind == "batchnorm":
        if set(by) != {"channels"} or len(by["channels"]) != 1:
            return None
        from derive import layers

        wants = [sp.sympify(layers.BatchNorm2d(by["channels"][0]).params, strict=True)]
        what = "learnable parameters of a batch-norm layer (scale and shift per channel)"
        if not re.search(r"learnable|trainable|learned|affine|scale and shift|γ|gamma", sentence.lower()):
            return None  # running statistics are parameters in some texts: not certain
    elif kind == "linear":
        if set(by) != {"channels_in", "channels_out"} or any(len(v) != 1 for v in by.values()):
            return None
        from derive import layers

        a, b = by["channels_in"][0], by["channels_out"][0]
        wants = [sp.sympify(layers.Linear(a, b, bias=bb).params, strict=True)
                 for bb in ((bias,) if bias is not None else (True, False))]
        what = "parameters of a fully connected layer"
    else:
        if set(by) != {"channels_in", "channels_out", "kernel"} or any(len(v) != 1 for v in by.values()):
            return None
        k = by["kernel"][0]
        wants = [truth.conv_params_expr(by["channels_in"][0], by["channels_out"][0], k, k, bias=bb)
                 for bb in ((bias,) if bias is not None else (True, False))]
        what = "parameters of a convolution layer"
    wants = [sp.expand(w) for w in wants]
    for w in wants:
        if sp.expand(expr - w) == 0:
            return _compare(expr, w, "param_count", what + ("" if len(wants) == 1 else
                            f" ({'with' if w == wants[0] else 'without'} bias; the prose does not say)"), bound)
    if len(wants) > 1:
        return None  # bias not stated and the count matches neither form: left to a reader
    return _compare(expr, wants[0], "param_count", what + (" with bias" if bias else " without bias"), bound)
