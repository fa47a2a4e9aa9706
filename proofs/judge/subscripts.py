"""Read subscripted names as tensor entries when a formula is an index formula.

The parser keeps a one-identifier subscript in the name (``a_{ij}`` → ``a_ij``,
``y_i`` → ``y_i``), which is right for ``k_1`` or ``C_in`` but not for a
backprop note's ``z_{ij} = \\sum_k w_{ik} a_{kj}`` or a loss ``\\sum_i y_i \\log \\hat y_i``.
:func:`subscripts_as_indices` rewrites such names as ``Indexed`` when every
letter of the subscript is an index of the formula (a summation variable, or a
letter given by the caller).

Examples
--------
>>> import sympy as sp
>>> i, j, k, n = sp.symbols("i j k n")
>>> e = sp.Sum(sp.Symbol("w_ik") * sp.Symbol("a_kj"), (k, 1, n))
>>> subscripts_as_indices(sp.Symbol("z_ij"), e, extra="ij")
(z[i, j], Sum(a[k, j]*w[i, k], (k, 1, n)))
>>> subscripts_as_indices(sp.Symbol("k_1"), sp.Symbol("s_i"))  # nothing is an index here
(k_1, s_i)
"""

from __future__ import annotations

import re

import sympy as sp

__all__ = ["subscripts_as_indices", "summation_letters", "tensor_index_letters", "multi_index_names", "index_base",
           "one_based", "to_zero_based"]

_NAME = re.compile(r"(?P<base>(?:hat|tilde|bar)\([A-Za-z]+\)|[A-Za-z]+(?:\^\([^)]*\))?)_(?P<sub>(?:[a-z]'*){1,3})")


#: subscripts that are words, never index lists
_WORDS = {"in", "out", "max", "min", "eff", "tot", "avg", "reg", "adv", "new", "old", "io"}


def _letters(sub: str) -> list[str]:
    """``"i'j'"`` → ``["i'", "j'"]``."""
    return re.findall(r"[a-z]'*", sub)


def summation_letters(*exprs) -> set[str]:
    """Single-letter (possibly primed) variables bound by a ``Sum``/``Product`` anywhere in ``exprs``."""
    out = set()
    for e in exprs:
        for node in sp.preorder_traversal(e):
            if isinstance(node, (sp.Sum, sp.Product)):
                out |= {str(v) for v, *_ in node.limits if len(str(v).rstrip("'")) == 1}
    return out


def tensor_index_letters(*exprs) -> set[str]:
    """Single-letter (possibly primed) symbols used inside the indices of tensor entries."""
    out = set()
    for e in exprs:
        for node in sp.preorder_traversal(e):
            if isinstance(node, sp.Indexed):
                for ix in node.indices:
                    out |= {str(s) for s in ix.free_symbols if len(str(s).rstrip("'")) == 1}
    return out


def multi_index_names(*exprs) -> bool:
    """Does a name carry a subscript of two or more index-like letters (``a_ij``, ``h_i'j'``)?"""
    return any(s.is_Symbol and (m := _NAME.fullmatch(s.name)) and m.group("sub") not in _WORDS
               and len(_letters(m.group("sub"))) >= 2
               for e in exprs for s in sp.preorder_traversal(e))


def index_base(expr, letter: str) -> int:
    """1 when a sum over ``letter`` in ``expr`` starts at 1 (1-based notation), else 0."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Sum, sp.Product)):
            for v, lo, _ in node.limits:
                if str(v) == letter and lo == 1:
                    return 1
    return 0


def subscripts_as_indices(lhs, rhs, *, extra: str = ""):
    """``(lhs, rhs)`` with names ``base_sub`` turned into ``base[sub letters]`` when each letter is an index.

    The indices are the summation variables of either side plus the letters of ``extra``.
    """
    letters = summation_letters(lhs, rhs) | set(extra)
    if not letters:
        return lhs, rhs
    repl = {}
    for side in (lhs, rhs):
        for s in side.free_symbols if hasattr(side, "free_symbols") else ():
            m = _NAME.fullmatch(s.name) if s.is_Symbol else None
            if m and m.group("sub") not in _WORDS and set(_letters(m.group("sub"))) <= letters:
                repl[s] = sp.IndexedBase(m.group("base"))[tuple(sp.Symbol(ch) for ch in _letters(m.group("sub")))]
        for node in sp.preorder_traversal(side):  # names bound inside sums are not free: look at every Symbol
            if isinstance(node, sp.Symbol) and node not in repl:
                m = _NAME.fullmatch(node.name)
                if m and m.group("sub") not in _WORDS and set(_letters(m.group("sub"))) <= letters:
                    repl[node] = sp.IndexedBase(m.group("base"))[tuple(sp.Symbol(ch) for ch in _letters(m.group("sub")))]
    if not repl:
        return lhs, rhs
    return tuple(_replace(side, repl) for side in (lhs, rhs))


def _replace(e, repl):
    try:
        return e.xreplace(repl)
    except (AttributeError, TypeError):
        return e


def one_based(*exprs) -> bool:
    """Do the sums of ``exprs`` all start at 1 (and is there at least one)?"""
    lows = [lo for e in exprs for node in sp.preorder_traversal(e) if isinstance(node, (sp.Sum, sp.Product))
            for _, lo, _ in node.limits]
    return bool(lows) and all(lo == 1 for lo in lows)


def to_zero_based(lhs, rhs, letters):
    """Rewrite a 1-based index formula 0-based: every index letter ``v`` becomes ``v + 1`` (sums over
    ``1..n`` run over ``0..n−1``) and every tensor index ``e`` becomes ``e − 1``.

    >>> import sympy as sp
    >>> i, j, n = sp.symbols("i j n")
    >>> a, k, h = sp.IndexedBase("a"), sp.IndexedBase("k"), sp.IndexedBase("h")
    >>> to_zero_based(h[j], sp.Sum(k[i] * a[i + j - 1], (i, 1, n)), {"i", "j"})
    (h[j], Sum(a[i + j]*k[i], (i, 0, n - 1)))
    """
    shift = {sp.Symbol(v): sp.Symbol(v) + 1 for v in letters}

    def fix(e):
        if isinstance(e, sp.Indexed):
            return e.base[tuple(sp.expand(ix.xreplace(shift) - 1) for ix in e.indices)]
        if isinstance(e, (sp.Sum, sp.Product)):
            lims = [(v, lo - 1, hi - 1) if str(v) in letters else (v, lo, hi) for v, lo, hi in e.limits]
            return type(e)(fix(e.function), *lims)
        if not e.args or e.is_Atom:
            return e.xreplace(shift) if e in shift else e
        return e.func(*[fix(a) for a in e.args])

    return fix(lhs), fix(rhs)
