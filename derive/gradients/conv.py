r"""Backward pass of convolution (1-D/2-D; stride, padding, dilation, groups), derived.

The definition (PyTorch's cross-correlation, zero padding as an Iverson
bracket, ``g(o) = ⌊o / C_out^g⌋`` the group of output channel ``o``):

.. math::

    Y[n,o,i,j] = b[o] + \sum_{c=0}^{C_{in}^g-1}\sum_{p=0}^{k_h-1}\sum_{q=0}^{k_w-1}
        W[o,c,p,q]\,[0 \le u < H_{in}]\,[0 \le v < W_{in}]\,X[n, C_{in}^g g(o) + c, u, v],
    \quad u = s_h i + d_h p - P_h,\; v = s_w j + d_w q - P_w.

``∂L/∂X`` keeps, for every kernel offset ``p``, the condition that
``s_h`` divides ``a + P_h − d_h p`` and that the quotient is a valid output row.

Examples
--------
>>> r = conv_backward("input", stride=2, padding=1, dilation=1, groups=1, dims=1)
>>> print(r)
Derivative(L, X[n', c', a]) = Sum(Piecewise((G[n', o, (a - p + 1)/2]*W[o, c', p], (a - p >= -1) & Eq(Mod(a - p + 1, 2), 0) & (H_out >= (a - p + 1)/2 + 1)), (0, True)), (o, 0, C_out - 1), (p, 0, k - 1))
>>> import numpy as np
>>> x, w = np.ones((1, 1, 4)), np.ones((1, 1, 3))
>>> r.evaluate(grad_output=np.ones((1, 1, 2)), input=x, weight=w)
array([[[1., 2., 1., 1.]]])
>>> conv_backward("weights")
Traceback (most recent call last):
...
ValueError: conv_backward: wrt must be one of 'input', 'weight', 'bias'; got 'weights'
"""

from __future__ import annotations

import sympy as sp

from ..derivation import checked_once
from .backward import derive_by_elimination
from .hyper import SUFFIX, check_dims, check_wrt, index_symbol, per_dim, size_symbol
from ..iverson import Iverson
from .result import Role

__all__ = ["conv_backward", "conv_output_count"]

WRT = ("input", "weight", "bias")


def conv_output_count(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    """How many window positions ``i ≥ 0`` fit: ``s·i + d·(k−1) ≤ size + 2P − 1`` (the definition).

    >>> conv_output_count(5, 3, 2, 1, 1)
    3
    """
    last = size + 2 * padding - 1 - dilation * (kernel - 1)
    return 0 if last < 0 else sum(1 for i in range(last + 1) if stride * i <= last)


def _value(x, by_name: dict) -> int:
    x = sp.sympify(x)
    return int(x) if x.is_number else int(by_name[x.name])


def _grouped_channels(grouped: bool, g, C_in: sp.Symbol, C_out: sp.Symbol) -> dict:
    """Sizes derived from the per-group channel counts: ``C_in = g·C_in^g``, ``C_out = g·C_out^g``.

    >>> C_in, C_out = sp.symbols("C_in C_out")
    >>> rules = _grouped_channels(True, 2, C_in, C_out)
    >>> rules[C_in]({"C_in^g": 3}), rules[C_out]({"C_out^g": 5})
    (6, 10)
    >>> _grouped_channels(False, 1, C_in, C_out)
    {}
    """
    if not grouped:
        return {}
    return {C_in: lambda v: _value(g, v) * v["C_in^g"], C_out: lambda v: _value(g, v) * v["C_out^g"]}


def _groups(groups):
    if groups is None or isinstance(groups, str):
        return size_symbol(groups or "g")
    if isinstance(groups, bool) or not isinstance(groups, (int, sp.Basic)):
        raise TypeError(f"groups must be an int, a SymPy expression or a symbol name, got {type(groups).__name__}")
    g = sp.Integer(groups) if isinstance(groups, int) else groups
    if g.is_number and (not g.is_integer or g < 1):
        raise ValueError(f"groups must be >= 1, got {g}")
    return g


@checked_once
def conv_backward(wrt: str = "input", *, stride=None, padding=None, dilation=None, groups=1, dims: int = 2):
    r"""Derive ``∂L/∂X``, ``∂L/∂W`` or ``∂L/∂b`` of a convolution from its index sum.

    Parameters
    ----------
    wrt : {"input", "weight", "bias"}
        The tensor to differentiate with respect to.
    stride, padding, dilation : int, tuple, str, SymPy expression or None
        Per spatial dimension; ``None`` keeps the general symbol (``s_h``, ``P_h`` …).
    groups : int, str or None
        ``1`` (default) reads every input channel; ``None`` keeps the symbol ``g``.
    dims : {1, 2}
        Spatial dimensions.

    Returns
    -------
    GradientResult
        ``.expr``, ``.derivation``, ``.latex()``, ``.evaluate(grad_output=, input=, weight=)``.

    Raises
    ------
    ValueError
        ``wrt`` not one of the three; a stride/dilation below 1, a negative padding.
    """
    check_wrt(wrt, WRT, "conv_backward")
    dims = check_dims(dims)
    s = per_dim(stride, "stride", "s", dims)
    d = per_dim(dilation, "dilation", "d", dims)
    P = per_dim(padding, "padding", "P", dims, minimum=0)
    g = _groups(groups)
    sfx = SUFFIX[dims]

    N = size_symbol("N")
    C_in, C_out = size_symbol("C_in"), size_symbol("C_out")
    grouped = g != 1
    Cgi = size_symbol("C_in^g") if grouped else C_in
    Cgo = size_symbol("C_out^g") if grouped else C_out
    H_in = tuple(size_symbol(f"{'HW'[t]}_in") for t in range(dims)) if dims == 2 else (size_symbol("H_in"),)
    H_out = tuple(size_symbol(f"{'HW'[t]}_out") for t in range(dims)) if dims == 2 else (size_symbol("H_out"),)
    k = tuple(size_symbol(f"k_{x}" if x else "k") for x in sfx)

    n, o, c = index_symbol("n"), index_symbol("o"), index_symbol("c")
    out_idx = tuple(index_symbol(x) for x in "ij"[:dims])
    ker_idx = tuple(index_symbol(x) for x in "pq"[:dims])
    X, Wt, b, G, Y = (sp.IndexedBase(x) for x in ("X", "W", "b", "G", "Y"))
    L = sp.Symbol("L")

    channel = Cgi * sp.floor(o / Cgo) + c if grouped else c
    pos = tuple(s[t] * out_idx[t] + d[t] * ker_idx[t] - P[t] for t in range(dims))
    guard = sp.And(*[sp.And(sp.Ge(pos[t], 0), sp.Le(pos[t], H_in[t] - 1)) for t in range(dims)])
    body = Wt[(o, c) + ker_idx] * Iverson(guard) * X[(n, channel) + pos]
    y_def = b[o] + sp.Sum(body, (c, 0, Cgi - 1), *[(ker_idx[t], 0, k[t] - 1) for t in range(dims)])
    y_entry = Y[(n, o) + out_idx]
    loss_sum = sp.Sum(G[(n, o) + out_idx] * y_entry, (n, 0, N - 1), (o, 0, C_out - 1),
                      *[(out_idx[t], 0, H_out[t] - 1) for t in range(dims)])

    roles = (
        Role("grad_output", G, (N, C_out) + H_out),
        Role("input", X, (N, C_in) + H_in),
        Role("weight", Wt, (C_out, Cgi) + k),
        Role("bias", b, (C_out,)),
    )
    primitive = [N, *k, *H_in] + ([Cgi, Cgo] if grouped else [C_in, C_out])
    primitive += [x for x in (*s, *d, *P, g) if isinstance(x, sp.Symbol)]

    def out_count(t):
        return lambda v: conv_output_count(
            _value(H_in[t], v), _value(k[t], v), _value(s[t], v), _value(P[t], v), _value(d[t], v)
        )

    derived = _grouped_channels(grouped, g, C_in, C_out)
    for t in range(dims):
        derived[H_out[t]] = out_count(t)

    eval_derived = {}
    if grouped:
        if isinstance(g, sp.Symbol):
            eval_derived[g] = lambda v: v["C_in"] // v["C_in^g"] if v["C_in^g"] else 0
        eval_derived[Cgo] = lambda v: v["C_out"] // max(_value(g, v), 1)

    def check_sizes(v):
        gv = _value(g, v) if grouped else 1
        cgi = v.get("C_in^g", v.get("C_in"))
        if grouped and (v["C_in"] != gv * cgi or v["C_out"] % gv):
            raise ValueError(
                f"groups = {gv} must divide the channels: C_in = {v['C_in']} must equal groups * "
                f"weight.shape[1] = {gv}*{cgi}, and C_out = {v['C_out']} must be a multiple of {gv}"
            )
        if not grouped and v["C_in"] != cgi:
            raise ValueError(f"channels: input has C_in = {v['C_in']} but weight.shape[1] = {cgi}")
        for t in range(dims):
            want = out_count(t)(v)
            if v[H_out[t].name] != want:
                raise ValueError(
                    f"grad_output: {H_out[t]} = {v[H_out[t].name]} but the window fits {want} times "
                    f"(s*i + d*(k-1) <= {H_in[t]} + 2P - 1)"
                )

    free_in = (index_symbol("n'"), index_symbol("c'")) + tuple(index_symbol(x) for x in "ab"[:dims])
    if wrt == "input":
        entry = X[free_in]
        free = tuple(zip(free_in, (N, C_in) + H_in))
        prefer = [n, c, *out_idx]
        what = "the input X"
    elif wrt == "weight":
        free_w = (index_symbol("o'"), index_symbol("c'")) + tuple(index_symbol(x + "'") for x in "pq"[:dims])
        entry = Wt[free_w]
        free = tuple(zip(free_w, (C_out, Cgi) + k))
        prefer = [o, c, *ker_idx]
        what = "the weight W"
    else:
        entry = b[index_symbol("o'")]
        free = ((index_symbol("o'"), C_out),)
        prefer = [o]
        what = "the bias b"

    def hp(vals):
        return ", ".join(sp.sstr(v) for v in vals)

    assumptions = [
        "PyTorch convention: cross-correlation, NCHW, weight (C_out, C_in/groups, k...)" if dims == 2
        else "PyTorch convention: cross-correlation, NCL, weight (C_out, C_in/groups, k)",
        f"stride s = ({hp(s)}), padding P = ({hp(P)}) zeros on both sides, dilation d = ({hp(d)}), groups = {g}",
        "H_out counts the window positions: s*i + d*(k-1) <= H_in + 2P - 1",
        "G = dL/dY is the gradient arriving from the layers above",
    ]
    if grouped:
        assumptions.append("C_in = g*C_in^g and C_out = g*C_out^g; output channel o reads group floor(o/C_out^g)")
    params = {"stride": s, "padding": P, "dilation": d}
    params = {key: val for key, val in params.items() if any(isinstance(x, sp.Symbol) for x in val)}
    if isinstance(g, sp.Symbol):
        params["groups"] = (g,)
    domain = {"N": (1, 2), "C_in": (1, 2), "C_out": (1, 2), "C_in^g": (1, 2), "C_out^g": (1, 2), "g": (1, 3)}
    for t, x in enumerate(sfx):
        sx = f"_{x}" if x else ""
        domain.update({H_in[t].name: (1, 7), f"k{sx}": (1, 3), f"s{sx}": (1, 3), f"d{sx}": (1, 2), f"P{sx}": (0, 2)})
    return derive_by_elimination(
        name=f"conv{dims}d.grad_{wrt}",
        title=f"Gradient of a {dims}-D convolution with respect to {what}",
        y_entry=y_entry,
        y_def=y_def,
        y_why="definition: cross-correlation over the zero-padded input (Iverson brackets), groups of channels",
        loss=L,
        loss_sum=loss_sum,
        entry=entry,
        prefer=prefer,
        free=free,
        roles=roles,
        sizes=primitive,
        derived=derived,
        params=params,
        assumptions=assumptions,
        domain=domain,
        check_sizes=check_sizes,
        eval_derived=eval_derived,
    )
