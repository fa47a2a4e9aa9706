r"""Index formulas in library notation (oneDNN): ``\dst(n, oc, oh, ow) = \bias(oc) + Σ_{ic}Σ_{kh}Σ_{kw} \src(…)·\weights(…)``.

Library documents name sizes with several capitals (``SH``, ``KH``, ``PH_L``, ``IC``), which the
parser reads as products (its notes say so); they are joined back into one name here. The roles of
the scalars are then read from the *structure* of the formula, not from their letters: in the input
index ``oh·SH + kh·(DH + 1) − PH_L`` the coefficient of the output position is the stride, the
coefficient of the kernel offset is the dilation (whatever its convention: ``DH + 1`` in oneDNN,
``DH`` in PyTorch), the subtracted constant the padding; a sum ``∑_{kh=0}^{KH−1}`` gives the kernel
size. The formula is evaluated as written (entries outside the input read as 0) for several strides,
dilations and paddings, and compared with :func:`numeric.conv2d`.

Examples
--------
>>> from proofs.document import parse_math
>>> p = parse_math(r"\dst(n, oc, oh, ow) = \bias(oc) + \sum_{ic=0}^{IC-1}\sum_{kh=0}^{KH-1}\sum_{kw=0}^{KW-1}"
...                r" \src(n, ic, oh \cdot SH + kh - PH_L, ow \cdot SW + kw - PW_L) \cdot \weights(oc, ic, kh, kw)")
>>> judge_library_index(p.sides[0], p.sides[1], p.notes).verdict
'CORRECT'
"""

from __future__ import annotations

import re

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .evaluate import EvalLimit, compile_expr
from .judgement import Judgement
from .updates import linear_part

__all__ = ["judge_library_index", "join_names"]

#: (stride, dilation, padding) of the configurations tried, on a 7×7 input, kernels 2×3
_CONFIGS = ((1, 1, 0), (2, 1, 1), (1, 2, 1), (2, 2, 0), (3, 1, 2))


def join_names(expr, notes):
    """Undo the parser's reading of ``SH``, ``PH_L``, ``IC`` as products, where its notes report it.

    >>> S, H, oh = sp.symbols("S H oh")
    >>> join_names(S * H * oh, ["'SH' read as the product S·H"])
    SH*oh
    """
    for note in notes:
        m = re.fullmatch(r"'([A-Za-z]{2,4})' read as the product [A-Za-z·]+", note)
        if not m:
            continue
        letters = m.group(1)
        head = sp.Mul(*[sp.Symbol(c) for c in letters[:-1]])
        last = letters[-1]
        tails = [s for s in expr.free_symbols if s.name == last or s.name.startswith(last + "_")]
        for t in sorted(tails, key=lambda s: -len(s.name)):
            expr = expr.subs(head * t, sp.Symbol(letters[:-1] + t.name))
    return expr


def _read(node):
    """A tensor read: ``\\src(n, c, h, w)`` (an applied function) or ``X[n, c, h, w]`` (an indexed entry)."""
    return (isinstance(node, AppliedUndef) and str(node.func.__name__) not in ("floor", "ceiling")) or \
        isinstance(node, sp.Indexed)


def _idx(node) -> tuple:
    """The indices of a read, in either notation."""
    return tuple(node.indices) if isinstance(node, sp.Indexed) else tuple(node.args)


def _nm(node) -> str:
    return str(node.base.label) if isinstance(node, sp.Indexed) else str(node.func.__name__)


def _value_for(expr, target, taken: dict):
    """The value (≥ 0) of the one unknown symbol of ``expr`` that makes it ``target`` (up to its sign), or None."""
    e = expr.xreplace(taken)
    free = list(e.free_symbols)
    if not free:
        return {} if e == target else None
    if len(free) != 1:
        return None
    sol = [s for s in sp.solve(sp.Eq(e, target), free[0]) if s.is_integer]
    # a size is not negative: a parameter that enters with the wrong sign (+P where −P belongs) is given
    # its value, and the evaluation shows the difference
    return {free[0]: abs(sol[0])} if sol else None


def judge_library_index(lhs, rhs, notes=(), *, time_limit: float = 3.0) -> Judgement | None:
    """Judge a forward convolution in library notation against numeric.conv2d; None when it is not one."""
    lhs, rhs = join_names(lhs, notes), join_names(rhs, notes)
    if not _read(lhs) or len(_idx(lhs)) != 4 or not all(a.is_Symbol for a in _idx(lhs)[:1] + _idx(lhs)[2:]):
        return None
    group = None
    if not _idx(lhs)[1].is_Symbol:  # dst(n, g·OC_G + oc_g, oh, ow): groups of output channels
        group = _group_split(_idx(lhs)[1])
        if group is None:
            return None
    sums = [n for n in sp.preorder_traversal(rhs) if isinstance(n, sp.Sum)]
    if len(sums) != 1:
        return None
    body = sums[0].function
    cond = None
    if isinstance(body, sp.Piecewise) and len(body.args) == 2 and body.args[1] == (0, True):
        body, cond = body.args[0]  # the entries read only inside the input (a loop's bound check): zeros elsewhere
    limits = {v: (lo, hi) for v, lo, hi in sums[0].limits}
    bias_part = sp.expand(rhs - sums[0])
    reads = [n for n in sp.preorder_traversal(body) if _read(n)]
    if len(reads) != 2 or sp.simplify(body - reads[0] * reads[1]) != 0:
        return None
    compound = [r for r in reads if any(not a.is_Symbol for a in _idx(r))]
    if len(compound) != 1 or len(_idx(compound[0])) != 4:
        return None
    src = compound[0]
    wts = reads[0] if reads[1] == src else reads[1]
    n, oc, oh, ow = _idx(lhs)
    if len(_idx(wts)) != (5 if group else 4) or not all(a.is_Symbol for a in _idx(wts)):
        return None
    bias = None
    if bias_part != 0:
        if not (_read(bias_part) and _idx(bias_part) == (oc,)):
            return None
        bias = bias_part
    ic = _idx(src)[1]
    if group is not None:  # src(n, g·IC_G + ic_g, …), weights(g, oc_g, ic_g, kh, kw)
        inner = _group_split(ic)
        if inner is None or inner[0] != group[0]:
            return None
        ic = inner[1]
        if _idx(wts)[:3] != (group[0], group[1], ic):
            return None
        wts_main = _idx(wts)[1:]  # (oc_g, ic_g, kh, kw) within the group
        group = (group[0], group[1], group[2], inner[2])
    else:
        wts_main = _idx(wts)
    oc_main = group[1] if group else oc
    if _idx(src)[0] != n or ic not in limits or set(wts_main) != {oc_main, ic} | set(limits) - {ic}:
        return None
    spatial = []
    for a, out in zip(_idx(src)[2:], (oh, ow)):
        kvars = [v for v in limits if v != ic and v in a.free_symbols]
        if len(kvars) != 1:
            return None
        st = linear_part(a, out)
        dl = linear_part(a, kvars[0])
        if st is None or dl is None:
            return None
        pad = -sp.expand(a - st[0] * out - dl[0] * kvars[0])
        spatial.append((kvars[0], st[0], dl[0], pad))
    if wts_main[0] != oc_main or wts_main[1] != ic or tuple(wts_main[2:]) != (spatial[0][0], spatial[1][0]):
        return None  # a layout other than (out channel, in channel, row, column): not read here
    extents = _extents(cond, _idx(src)[2:]) if cond is not None else set()
    if extents is None:
        return None
    return _evaluate(lhs, rhs, src, wts, bias, ic, limits, spatial, time_limit, group, extents)


def _extents(cond, spatial_args):
    """The names a bound check compares an input position with (``h < H``): the input's extents; None when the
    check compares a position with anything else than a number or a lone name."""
    out = set()
    for rel in cond.atoms(sp.Rel):
        for a, b in ((rel.lhs, rel.rhs), (rel.rhs, rel.lhs)):
            if any(sp.expand(a - x) == 0 for x in spatial_args):
                if b.is_Symbol:
                    out.add(b)
                elif not b.is_Integer:
                    return None
    return out


def _group_split(e):
    """``g·OC_G + oc_g`` -> ``(g, oc_g, OC_G)``: the group, the channel within it, the channels per group; or None."""
    idx = [x for x in e.free_symbols if any(ch.islower() for ch in x.name)]
    if len(idx) != 2:
        return None
    for g, inner in (idx, idx[::-1]):
        lin = linear_part(e, g)
        if lin is None or lin[1] != inner or not lin[0].free_symbols or any(
                any(ch.islower() for ch in x.name) for x in lin[0].free_symbols):
            continue
        return g, inner, lin[0]
    return None


def _configure(spatial, limits, ic, kernel, channels, s, d, p, fixed=()) -> dict | None:
    """Values of the formula's scalars for stride ``s``, dilation ``d``, padding ``p``, or None if it cannot say them.

    ``fixed`` holds further (expression, value) pairs the configuration sets (the channels per group).
    """
    taken: dict = {}
    for expr, target in fixed:
        if expr.free_symbols and expr.free_symbols <= set(taken):
            continue  # one name for two sizes (OC_G for the input channels too): the first value stands
        got = _value_for(expr, target, taken)
        if got is None:
            return None
        taken.update(got)
    # a parameter the formula writes for one axis only (a stride for rows, none for columns) is still asked of
    # both: the axis that cannot follow it shows in the evaluation; one written for no axis skips the configuration
    written = [any(e[i].free_symbols for e in spatial) for i in (1, 2, 3)]
    for (kv, stride, dil, pad), k in zip(spatial, kernel):
        for expr, target in ((limits[kv][1], k - 1), (limits[kv][0], 0)):
            got = _value_for(expr, target, taken)
            if got is None:
                return None
            taken.update(got)
        for n, (expr, target) in enumerate(((stride, s), (dil, d), (pad, p))):
            got = _value_for(expr, target, taken)
            if got is None and (expr.free_symbols or not written[n]):
                return None
            taken.update(got or {})
    for expr, target in ((limits[ic][1], channels - 1), (limits[ic][0], 0)):
        got = _value_for(expr, target, taken)
        if got is None:
            return None
        taken.update(got)
    return taken


def _evaluate(lhs, rhs, src, wts, bias, ic, limits, spatial, time_limit, group=None, extents=()):
    try:
        f = compile_expr(rhs, time_limit=time_limit)
    except EvalLimit:
        return None
    import numeric

    rng = np.random.default_rng(5)
    N, C, O, H, kh, kw = 2, 2, 3, 7, 2, 3
    G, fixed = 1, ()
    if group is not None:  # two groups of 2 output channels, 1 input channel each (a depthwise-like case)
        G, O, C = 2, 2, 1
        fixed = ((group[2], O), (group[3], C))
    x = rng.standard_normal((N, C * G, H, H))
    w = rng.standard_normal((O * G, C, kh, kw))
    b = rng.standard_normal(O * G) if bias is not None else None
    doc_w = w.reshape(G, O, C, kh, kw) if group is not None else w
    tensors = {_nm(src): x, _nm(wts): doc_w}
    if bias is not None:
        tensors[_nm(bias)] = b
    runs = 0
    for s, d, p in _CONFIGS:
        taken = _configure(spatial, limits, ic, (kh, kw), C, s, d, p, fixed)
        if taken is None:
            continue  # the formula has no parameter for this (no dilation written: dilation 1 only)
        want = numeric.conv2d(x, w, b, stride=s, padding=p, dilation=d, groups=G)
        scalars = {str(k): int(v) for k, v in taken.items()}
        scalars.update({str(e): H for e in extents})  # the input is H × H
        doc = np.zeros_like(want)
        try:
            for idx in np.ndindex(*want.shape):
                at = {str(a): i for a, i in zip(_idx(lhs), idx) if a.is_Symbol}
                if group is not None:
                    at[str(group[0])], at[str(group[1])] = divmod(idx[1], O)
                doc[idx] = f(dict(scalars, **at), tensors)
        except (EvalLimit, ValueError, TypeError, IndexError, ZeroDivisionError):
            return None
        if not np.allclose(doc, want, rtol=1e-9, atol=1e-9):
            pos = tuple(int(i) for i in np.argwhere(~np.isclose(doc, want, rtol=1e-9, atol=1e-9))[0])
            if group is not None and group[2] == group[3]:
                return Judgement("CONDITIONAL", "conv_forward", f"the input channel of group g is read with "
                                 f"{group[2]}, the output channels per group: right only when a group has as many "
                                 f"input as output channels; with {O} output and {C} input channel(s) per group, "
                                 f"entry {list(pos)} is {doc[pos]:.6g}, numeric.conv2d gives {want[pos]:.6g}",
                                 condition=f"{group[2]} equals the input channels per group",
                                 counterexample={"values": {str(k): int(v) for k, v in taken.items()},
                                                 "entry": list(pos), "document": float(doc[pos]),
                                                 "expected": float(want[pos])})
            return Judgement("INCORRECT", "conv_forward", f"evaluated as written with stride {s}, dilation {d}, "
                             f"padding {p} (values {scalars}): entry {list(pos)} is {doc[pos]:.6g}, numeric.conv2d "
                             f"gives {want[pos]:.6g}", counterexample={"values": scalars, "entry": list(pos),
                                                                       "document": float(doc[pos]),
                                                                       "expected": float(want[pos])})
        runs += 1
    if runs < 2:
        return None
    return Judgement("CORRECT", "conv_forward", f"library-notation index formula evaluated as written (entries "
                     f"outside the input read as 0) for {runs} strides/dilations/paddings, equal to numeric.conv2d; "
                     "the roles of the scalars read from the index expressions (stride: coefficient of the output "
                     "position, dilation: of the kernel offset, padding: the subtracted constant)")
