r"""Per-axis sizes written as array entries: ``output_spatial_shape[i] = floor((input_spatial_shape[i] + …) / strides[i] + 1)``.

Operator specifications (ONNX, framework docs) write one size formula for every axis ``i`` with word-named
arrays. When every array read of a formula is an entry at the *same* axis index and every array's name
names a role by its words (:func:`proofs.judge.roles.role_from_identifier`), the formula is a scalar size
formula: each ``name[i]`` becomes the scalar ``name``, and a ``*`` between two of them is a product (the
grammar reads ``*`` between array entries as a convolution, which a size formula cannot hold).

Examples
--------
>>> import sympy as sp
>>> i = sp.Symbol("i")
>>> out, inp, k, s = (sp.IndexedBase(n) for n in ("output_shape", "input_size", "kernel_shape", "strides"))
>>> sides, roles = per_axis_scalars([out[i], sp.floor((inp[i] - k[i]) / s[i]) + 1])
>>> sides[1], roles["strides"]
(floor((input_size - kernel_shape)/strides) + 1, 'stride')
>>> per_axis_scalars([out[i], inp[i + 1]]) is None  # two different positions: not a per-axis size
True
>>> H, Ho = sp.symbols("in_height out_height")
>>> per_axis_scalars([Ho, sp.ceiling(H / s[1])])[0][1]  # one axis named by its number
ceiling(in_height/strides)
>>> x, y = sp.IndexedBase("x"), sp.IndexedBase("y")
>>> per_axis_scalars([y[0], 2 * x[0]]) is None  # entries of arrays without a role: not sizes
True
"""

from __future__ import annotations

import re

import sympy as sp

from ..notation.names import side_of
from .roles import role_from_identifier

__all__ = ["per_axis_scalars", "layer_recurrence_scalars", "merge_side_paddings", "one_side_padding"]


def _reads(expr):
    """(node, name, index) for every array read: ``a[i]`` and the grammar's ``at(a_b[c], i)`` for ``a_b_c[i]``."""
    out, inside = [], set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Function) and type(node).__name__ == "at" and len(node.args) == 2 \
                and isinstance(node.args[0], sp.Indexed) and len(node.args[0].indices) == 1 and node.args[0].indices[0].is_Symbol:
            inner = node.args[0]
            out.append((node, f"{inner.base.label}_{inner.indices[0]}", node.args[1]))
            inside.add(inner)
        elif isinstance(node, sp.Indexed) and node not in inside:
            out.append((node, str(node.base.label), node.indices[0] if len(node.indices) == 1 else None))
    return out


def per_axis_scalars(sides):
    """``(scalar sides, {name: role})`` when the formula is a per-axis size formula, else None."""
    reads = [r for s in sides for r in _reads(s)]
    if not reads:
        return None
    # pads[start_i], pads[end_i]: the begin and end entries of axis i
    axis = {idx for _, _, idx in reads if idx is not None and idx.is_Symbol and "_" not in idx.name}
    if len(axis) == 1:
        a = next(iter(axis)).name
        reads = [(node, f"{name}_{idx.name[:-len(a) - 1]}", next(iter(axis)))
                 if idx is not None and idx.is_Symbol and re.fullmatch(rf"(?:start|begin|end|left|right)_{a}", idx.name)
                 else (node, name, idx) for node, name, idx in reads]
    indices = {idx for _, _, idx in reads}
    if len(indices) != 1 or None in indices or not (next(iter(indices)).is_Symbol or next(iter(indices)).is_Integer):
        return None  # strides[i] or strides[1] (TensorFlow's NHWC axis, Paddle's strides[0]): one axis throughout
    roles = {}
    for _, name, _ in reads:
        role = role_from_identifier(name)
        if role is None:
            return None
        roles[name] = role
    swap = {node: sp.Symbol(name) for node, name, _ in reads}
    out = []
    for s in sides:
        e = s.xreplace({n: v for n, v in swap.items() if not isinstance(n, sp.Indexed)})
        e = e.xreplace({n: v for n, v in swap.items() if isinstance(n, sp.Indexed)})
        e = e.replace(lambda x: isinstance(x, sp.Function) and type(x).__name__ == "conv" and len(x.args) == 2,
                      lambda x: sp.Mul(*x.args))
        if any(isinstance(n, (sp.Indexed, sp.IndexedBase)) for n in sp.preorder_traversal(e)):
            return None
        out.append(e)
    return out, roles


def layer_recurrence_scalars(sides):
    """``n[l] = (n[l-1] + 2p[l] − f[l])/s[l] + 1``: a one-layer recurrence written with layer indices, as scalars.

    The quantity on the left at layer ``l`` and the same quantity at ``l − 1`` on the right become
    ``n_out`` and ``n_in``; every other ``x[l]`` becomes ``x`` (its role then comes from its name or the
    document's definitions). None unless the formula has exactly that shape.

    >>> import sympy as sp
    >>> l = sp.Symbol("l"); n, p, f, s = (sp.IndexedBase(c) for c in "npfs")
    >>> out, rhs = layer_recurrence_scalars([n[l], (n[l - 1] + 2*p[l] - f[l]) / s[l] + 1])
    >>> out, sp.simplify(rhs - ((sp.Symbol("n_in") + 2*sp.Symbol("p") - sp.Symbol("f")) / sp.Symbol("s") + 1))
    (n_out, 0)
    """
    if len(sides) != 2 or not isinstance(sides[0], sp.Indexed) or len(sides[0].indices) != 1:
        return None
    lhs = sides[0]
    layer = lhs.indices[0]
    if not layer.is_Symbol:
        return None
    base = lhs.base.label
    swap = {}
    for node in sp.preorder_traversal(sides[1]):
        if isinstance(node, sp.Indexed):
            if len(node.indices) != 1:
                return None
            idx = node.indices[0]
            if node.base.label == base and idx == layer - 1:
                swap[node] = sp.Symbol(f"{base}_in")
            elif idx == layer and node.base.label != base:
                swap[node] = sp.Symbol(str(node.base.label))
            else:
                return None
    if sp.Symbol(f"{base}_in") not in swap.values() or len(swap) < 2:
        return None
    if any(isinstance(n, sp.Function) and type(n).__name__ in ("at", "conv") for n in sp.preorder_traversal(sides[1])):
        return None
    return [sp.Symbol(f"{base}_out"), sides[1].xreplace(swap)]


def merge_side_paddings(expr, roles: dict):
    """``… − pads_start − pads_end``: the two sides' paddings enter only as their sum; write it as one total.

    The two sides are told by the names' last part (:func:`proofs.notation.names.side_of`: ``_start``/``_end``,
    ``_begin``/``_end``, ``_left``/``_right``, ``_L``/``_R``, ``_top``/``_bottom``) on the same stem.
    Returns ``(expr, roles, name of the total)`` or None when there is no such pair or they do not enter as a sum.

    >>> import sympy as sp
    >>> a, b, x = sp.symbols("pads_start pads_end x")
    >>> merge_side_paddings(x - a - b, {"pads_start": "padding", "pads_end": "padding", "x": "input_size"})[0]
    -pads_total + x
    >>> l, r = sp.symbols("PH_L PH_R")
    >>> merge_side_paddings(x + l + r, {"PH_L": "padding", "PH_R": "padding", "x": "input_size"})[0]
    PH_total + x
    >>> merge_side_paddings(x + 2*l + r, {"PH_L": "padding", "PH_R": "padding", "x": "input_size"}) is None
    True
    >>> c, e = sp.symbols("PH_C PH_E")  # sides named by letters of the document's own choice
    >>> merge_side_paddings(x + c + e, {"PH_C": "padding", "PH_E": "padding", "x": "input_size"})[0]
    PH_total + x
    """
    pads = [n for n, r in roles.items() if r == "padding" and sp.Symbol(n) in expr.free_symbols]
    stems: dict[str, dict[str, str]] = {}
    for n in pads:
        side = side_of(n)
        if side is not None:
            stem = re.sub(r"[A-Za-z]+$", "", n) if "_" in n else n
            stems.setdefault(stem, {}).setdefault(side, n)
    if not any(set(sides) == {"begin", "end"} for sides in stems.values()):
        # PH_C + PH_E: two paddings on one stem told apart by a one-letter subscript; in a sum, which is which is moot
        by_stem: dict[str, list[str]] = {}
        for n in pads:
            m = re.fullmatch(r"(.+_)[A-Za-z0-9]", n)
            if m:
                by_stem.setdefault(m.group(1), []).append(n)
        stems = {stem: {"begin": a, "end": b} for stem, (a, b) in
                 ((st, sorted(ns)) for st, ns in by_stem.items() if len(ns) == 2)}
    for stem, sides in stems.items():
        if set(sides) != {"begin", "end"}:
            continue
        one, two = sides["begin"], sides["end"]
        total = sp.Symbol(f"{stem}total" if stem.endswith("_") else f"{stem}_total")
        merged = sp.expand(expr.subs(sp.Symbol(two), total - sp.Symbol(one)))
        if sp.Symbol(one) in merged.free_symbols:
            return None
        new_roles = {n: r for n, r in roles.items() if n not in (one, two)}
        new_roles[str(total)] = "padding"
        return merged, new_roles, str(total)
    return None


def one_side_padding(expr, roles: dict) -> bool:
    """Does ``expr`` hold a padding whose name says it is one side's (``PW_L``, ``pad_top``)? Then it is per side.

    >>> import sympy as sp
    >>> one_side_padding(sp.Symbol("IW") + sp.Symbol("PW_L"), {"IW": "input_size", "PW_L": "padding"})
    True
    >>> one_side_padding(sp.Symbol("IW") + sp.Symbol("P"), {"IW": "input_size", "P": "padding"})
    False
    """
    return any(roles.get(str(x)) == "padding" and side_of(str(x)) is not None for x in expr.free_symbols)
