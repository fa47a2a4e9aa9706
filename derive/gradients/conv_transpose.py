r"""Backward pass of transposed convolution (1-D/2-D), derived from its index sum.

Transposed convolution *scatters*: input position ``i`` and kernel offset
``p`` write to output position ``u = s·i + d·p − P``. As an index sum
(PyTorch's weight ``(C_in, C_out/groups, k…)``, ``g(o) = ⌊o/C_out^g⌋``):

.. math::

    Y[n,o,u] = b[o] + \sum_{c=0}^{C_{in}^g-1}\sum_{i=0}^{H_{in}-1}\sum_{p=0}^{k-1}
        X[n, C_{in}^g g(o) + c, i]\, W[C_{in}^g g(o) + c,\, o - C_{out}^g g(o),\, p]\;\delta(s i + d p - P,\, u)

with ``H_out = (H_in − 1)·s − 2P + d·(k − 1) + output_padding + 1``.
Differentiating, the delta of the *definition* collapses the sum over ``u``
with coefficient 1: the input gradient is an ordinary strided convolution of
``G`` — no divisibility condition, only the range ``0 ≤ s·a + d·p − P ≤ H_out − 1``.

Examples
--------
>>> r = conv_transpose_backward("input", stride=2, padding=0, dilation=1, dims=1)
>>> print(r)
Derivative(L, X[n', c', a]) = Sum(Piecewise((G[n', o, 2*a + p]*W[c', o, p], H_out >= 2*a + p + 1), (0, True)), (o, 0, C_out - 1), (p, 0, k - 1))
"""

from __future__ import annotations

import sympy as sp

from ..derivation import checked_once
from .backward import derive_by_elimination
from .conv import _grouped_channels, _groups, _value
from .hyper import SUFFIX, check_dims, check_wrt, index_symbol, per_dim, size_symbol
from .result import Role

__all__ = ["conv_transpose_backward", "conv_transpose_output_size"]


def conv_transpose_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int, output_padding: int) -> int:
    """The last position written plus one, plus ``output_padding``: ``(H−1)s − 2P + d(k−1) + op + 1``.

    >>> conv_transpose_output_size(3, 3, 2, 1, 1, 1)
    6
    """
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


@checked_once
def conv_transpose_backward(wrt: str = "input", *, stride=None, padding=None, dilation=None, output_padding=None,
                            groups=1, dims: int = 2):
    r"""Derive ``∂L/∂X``, ``∂L/∂W`` or ``∂L/∂b`` of a transposed convolution.

    Parameters
    ----------
    wrt : {"input", "weight", "bias"}
    stride, padding, dilation : int, tuple, str or None
        ``None`` keeps the general symbols.
    output_padding : int, tuple or None
        Extra rows at the end of the output (``< max(stride, dilation)``);
        ``None``: read off ``grad_output``'s shape by :meth:`evaluate`.
    groups : int, str or None
    dims : {1, 2}

    Returns
    -------
    GradientResult
        ``.evaluate(grad_output=, input=, weight=)``.

    Raises
    ------
    ValueError
        ``wrt`` not one of the three; bad hyperparameters.
    """
    check_wrt(wrt, ("input", "weight", "bias"), "conv_transpose_backward")
    dims = check_dims(dims)
    s = per_dim(stride, "stride", "s", dims)
    d = per_dim(dilation, "dilation", "d", dims)
    P = per_dim(padding, "padding", "P", dims, minimum=0)
    op = per_dim(output_padding, "output_padding", "o_p", dims, minimum=0)
    g = _groups(groups)
    grouped = g != 1
    sfx = SUFFIX[dims]
    N, C_in, C_out = size_symbol("N"), size_symbol("C_in"), size_symbol("C_out")
    Cgi = size_symbol("C_in^g") if grouped else C_in
    Cgo = size_symbol("C_out^g") if grouped else C_out
    H_in = tuple(size_symbol(f"{'HW'[t]}_in") for t in range(dims)) if dims == 2 else (size_symbol("H_in"),)
    H_out = tuple(size_symbol(f"{'HW'[t]}_out") for t in range(dims)) if dims == 2 else (size_symbol("H_out"),)
    k = tuple(size_symbol(f"k_{x}" if x else "k") for x in sfx)
    n, o, c = index_symbol("n"), index_symbol("o"), index_symbol("c")
    in_idx = tuple(index_symbol(x) for x in "ij"[:dims])
    ker_idx = tuple(index_symbol(x) for x in "pq"[:dims])
    out_idx = tuple(index_symbol(x) for x in "uv"[:dims])
    X, W, b, G, Y = (sp.IndexedBase(x) for x in ("X", "W", "b", "G", "Y"))
    group = sp.floor(o / Cgo)
    channel = Cgi * group + c if grouped else c
    local_out = o - Cgo * group if grouped else o
    scatter = sp.Mul(*[sp.KroneckerDelta(s[t] * in_idx[t] + d[t] * ker_idx[t] - P[t], out_idx[t]) for t in range(dims)])
    body = X[(n, channel) + in_idx] * W[(channel, local_out) + ker_idx] * scatter
    y_def = b[o] + sp.Sum(body, (c, 0, Cgi - 1), *[(in_idx[t], 0, H_in[t] - 1) for t in range(dims)],
                          *[(ker_idx[t], 0, k[t] - 1) for t in range(dims)])
    y_entry = Y[(n, o) + out_idx]
    loss_sum = sp.Sum(G[(n, o) + out_idx] * y_entry, (n, 0, N - 1), (o, 0, C_out - 1),
                      *[(out_idx[t], 0, H_out[t] - 1) for t in range(dims)])
    roles = (Role("grad_output", G, (N, C_out) + H_out), Role("input", X, (N, C_in) + H_in),
             Role("weight", W, (C_in, Cgo) + k), Role("bias", b, (C_out,)))
    primitive = [N, *k, *H_in] + ([Cgi, Cgo] if grouped else [C_in, C_out])
    primitive += [x for x in (*s, *d, *P, *op, g) if isinstance(x, sp.Symbol)]

    def out_size(t):
        return lambda v: conv_transpose_output_size(_value(H_in[t], v), _value(k[t], v), _value(s[t], v),
                                                    _value(P[t], v), _value(d[t], v), _value(op[t], v))

    derived = _grouped_channels(grouped, g, C_in, C_out)
    for t in range(dims):
        derived[H_out[t]] = out_size(t)
    eval_derived = {}
    if grouped:
        if isinstance(g, sp.Symbol):
            eval_derived[g] = lambda v: v["C_out"] // v["C_out^g"] if v["C_out^g"] else 0
        eval_derived[Cgi] = lambda v: v["C_in"] // max(_value(g, v), 1)
    for t in range(dims):
        if isinstance(op[t], sp.Symbol):
            eval_derived[op[t]] = (lambda t: lambda v: v[H_out[t].name] - conv_transpose_output_size(
                _value(H_in[t], v), _value(k[t], v), _value(s[t], v), _value(P[t], v), _value(d[t], v), 0))(t)

    def check_sizes(v):
        gv = _value(g, v) if grouped else 1
        if v["C_in"] % gv or v["C_out"] != gv * v.get("C_out^g", v["C_out"]):
            raise ValueError(f"groups = {gv} must divide C_in = {v['C_in']} and C_out = {v['C_out']} "
                             f"(weight.shape[1] = C_out/groups)")
        for t in range(dims):
            opv, room = _value(op[t], v), max(_value(s[t], v), _value(d[t], v))
            if not 0 <= opv < room:
                raise ValueError(f"output_padding = {opv} must satisfy 0 <= output_padding < max(stride, dilation) = {room}")
            want = out_size(t)(v)
            if v[H_out[t].name] != want:
                raise ValueError(f"grad_output: {H_out[t]} = {v[H_out[t].name]} but (H_in-1)*s - 2P + d*(k-1) "
                                 f"+ output_padding + 1 = {want}")

    def constraint(v):
        return all(_value(op[t], v) < max(_value(s[t], v), _value(d[t], v)) for t in range(dims))

    if wrt == "input":
        free_in = (index_symbol("n'"), index_symbol("c'")) + tuple(index_symbol(x) for x in "ab"[:dims])
        entry, free, prefer = X[free_in], tuple(zip(free_in, (N, C_in) + H_in)), [n, c, *in_idx, *out_idx]
    elif wrt == "weight":
        free_w = (index_symbol("c'"), index_symbol("o'")) + tuple(index_symbol(x + "'") for x in "pq"[:dims])
        entry, free, prefer = W[free_w], tuple(zip(free_w, (C_in, Cgo) + k)), [c, o, *ker_idx, *out_idx]
    else:
        entry, free, prefer = b[index_symbol("o'")], ((index_symbol("o'"), C_out),), [o]
    params = {key: val for key, val in {"stride": s, "padding": P, "dilation": d}.items()
              if any(isinstance(x, sp.Symbol) for x in val)}
    if isinstance(g, sp.Symbol):
        params["groups"] = (g,)
    domain = {"N": (1, 2), "C_in": (1, 2), "C_out": (1, 2), "C_in^g": (1, 2), "C_out^g": (1, 2), "g": (1, 2)}
    for t, x in enumerate(sfx):
        sx = f"_{x}" if x else ""
        domain.update({H_in[t].name: (1, 4), f"k{sx}": (1, 3), f"s{sx}": (1, 3), f"d{sx}": (1, 2), f"P{sx}": (0, 1),
                       f"o_p{sx}": (0, 1)})
    hp = lambda vals: ", ".join(sp.sstr(x) for x in vals)  # noqa: E731
    return derive_by_elimination(
        name=f"conv_transpose{dims}d.grad_{wrt}",
        title=f"Gradient of a {dims}-D transposed convolution with respect to the {wrt}",
        y_entry=y_entry,
        y_def=y_def,
        y_why="definition: input position i and kernel offset p scatter to output position s*i + d*p - P",
        loss=sp.Symbol("L"),
        loss_sum=loss_sum,
        entry=entry,
        prefer=prefer,
        free=free,
        roles=roles,
        sizes=primitive,
        derived=derived,
        params=params,
        assumptions=[
            "PyTorch convention: weight (C_in, C_out/groups, k...)",
            f"stride ({hp(s)}), padding ({hp(P)}), dilation ({hp(d)}), output_padding ({hp(op)}), groups {g}",
            "H_out = (H_in - 1)*s - 2P + d*(k - 1) + output_padding + 1",
        ],
        domain=domain,
        constraints=[constraint],
        check_sizes=check_sizes,
        eval_derived=eval_derived,
    )
