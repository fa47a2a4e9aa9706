r"""Dilation: the counting convention a document uses, and the dilated kernel extent as a quantity.

Frameworks disagree on what "no dilation" is: PyTorch and TensorFlow write ``d = 1``, oneDNN writes
``DH = 0`` (its dilation is PyTorch's minus one). A document says which (the symbol table's
``dilation`` convention: ``"1"`` or ``"0"``, :mod:`proofs.notation.table`); the judge then reads the
document's dilation ``δ`` as ``d = δ + 1 − base``.

A formula relating only a kernel size and a dilation (``DKH = 1 + (KH − 1)·(DH + 1)``,
``k̂ = k + (k − 1)(d − 1)``) states the *dilated kernel extent*: the span of input one window covers. Its
truth is derived from derive's output size, not typed: a window of extent ``e`` fits ``H − e + 1`` times
in an input of size ``H`` at stride 1 without padding, so ``e = H + 1 − out(H, k, 1, 0, d)``.

Examples
--------
>>> import sympy as sp
>>> K, D = sp.symbols("KH DH")
>>> roles = {"KH": "kernel", "DH": "dilation"}
>>> judge_effective_kernel(1 + (K - 1) * (D + 1), roles, base=0).verdict
'CORRECT'
>>> judge_effective_kernel(1 + (K - 1) * (D + 1), roles, base=1).verdict  # the document counts from 1 (stated before)
'INCORRECT'
>>> judge_effective_kernel(1 + K * (D + 1), roles, base=0).verdict
'INCORRECT'
>>> j = judge_effective_kernel(1 + (K - 1) * (D + 1), roles, base=None)  # the document does not say
>>> j.verdict, "counted from 0" in j.explanation
('UNRECOGNIZED', True)
>>> judge_effective_kernel(K * D, roles, base=None).verdict  # wrong whichever way dilation is counted
'INCORRECT'
"""

from __future__ import annotations

import sympy as sp

from . import truth
from .compare import Condition, compare_scalar
from .judgement import Judgement

__all__ = ["dilation_base", "is_effective_kernel", "judge_effective_kernel", "effective_kernel_expr"]


def dilation_base(convention: str | None) -> int | None:
    """The dilation value meaning "no dilation" from the document's convention (``"0"``/``"1"``), or None."""
    return {"0": 0, "1": 1}.get(str(convention)) if convention is not None else None


def effective_kernel_expr(k, d):
    """The extent of a kernel of size ``k`` with dilation ``d`` (PyTorch's count), derived from the output size.

    >>> k, d = sp.symbols("k d", positive=True, integer=True)
    >>> sp.expand(effective_kernel_expr(k, d))
    d*k - d + 1
    """
    H = sp.Symbol("H_extent", positive=True, integer=True)
    out = truth.output_size_expr(H, k, 1, 0, d)
    return sp.simplify(H + 1 - out)


def is_effective_kernel(rhs_roles: set) -> bool:
    """Does a right side with these roles state a dilated kernel extent (a kernel and a dilation, nothing else)?"""
    return rhs_roles == {"kernel", "dilation"}


def _judge(doc, k: str, d: str, base: int, time_limit: float):
    ks, ds = sp.Symbol(k), sp.Symbol(d)
    texpr = effective_kernel_expr(ks, ds + 1 - base)
    conds = [Condition(f"{d} = {base}", lambda v: v[d] == base, trivial=True),
             Condition(f"{k} = 1", lambda v: v[k] == 1, trivial=True)]
    res = compare_scalar(doc, texpr, {k: range(1, 8), d: range(base, base + 4)}, conditions=conds, time_limit=time_limit)
    return res, texpr


def judge_effective_kernel(doc, roles: dict, *, base: int | None = None, time_limit: float = 2.0) -> Judgement:
    """Judge ``doc`` as the extent of a dilated kernel; ``base`` is the document's "no dilation" value (None: unknown).

    With the convention unknown, both counts are tried: a formula right under one only is UNRECOGNIZED
    (the document must say which), wrong under both is INCORRECT. A stated count (the symbol table holds it
    only from its statement on) decides.
    """
    from .sizes import _from_comparison

    names = sorted(str(s) for s in doc.free_symbols)
    k = [n for n in names if roles.get(n) == "kernel"]
    d = [n for n in names if roles.get(n) == "dilation"]
    if len(k) != 1 or len(d) != 1 or len(names) != 2:
        return Judgement("UNRECOGNIZED", "effective_kernel", "dilated kernel extent: the formula should involve one "
                         "kernel size and one dilation")
    k, d = k[0], d[0]
    results = [(b, *_judge(doc, k, d, b, time_limit / 2)) for b in ([base, 1 - base] if base is not None else [1, 0])]
    (b, res, texpr), (ob, ores, _) = results
    if not res.agree and ores.agree and base is None:  # right only with the other count: the document must say which
        said = "the document does not say which" if base is None else f"the document states a count from {base}"
        return Judgement("UNRECOGNIZED", "effective_kernel", f"dilated kernel extent: right if the dilation {d} is "
                         f"counted from {ob} ({'PyTorch' if ob else 'oneDNN'}: {d} = {ob} is no dilation), wrong if "
                         f"counted from {b}; {said}")
    note = f" (dilation counted from 0: {d} = 0 is no dilation, as the document states)" if base == 0 else ""
    j = _from_comparison(res, "effective_kernel", texpr, what="dilated kernel extent", conv_note=note)
    if j.verdict == "INCORRECT" and ores.agree:
        j.explanation += f"; the document counts the dilation from {b}: counted from {ob} it would hold"
    elif j.verdict == "INCORRECT":
        j.explanation += f"; wrong with {d} counted from 1 (PyTorch) and from 0 (oneDNN)"
    return j
