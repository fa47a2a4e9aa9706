r"""Backward pass of max and average pooling (1-D/2-D), derived from the window sums.

Max pooling is written as a sum over the window that selects the arg-max,

.. math:: Y[n,c,i,j] = \sum_{p,q} [p = A_h(n,c,i,j)]\,[q = A_w(n,c,i,j)]\; X[n,c,s_h i + d_h p - P_h, s_w j + d_w q - P_w],

where ``(A_h, A_w)`` is the window offset of the *first* maximum in row-major
window order (the tie rule of PyTorch), over the positions inside the input
(padding is −∞). ``A`` is locally constant in ``X`` (where the maximum is
unique), so differentiating routes ``G`` to the arg-max.

Average pooling divides the window sum of the zero-padded input by the
divisor of its window: with ``count_include_pad`` the positions inside the
padded input, ``min(s·i − P + k, H_in + P) − (s·i − P)``, otherwise the
positions inside the input, ``min(s·i − P + k, H_in) − max(s·i − P, 0)``
(with ``ceil_mode`` the last window may stick out of the padded input and is
clipped). Overlapping windows (``s < k``) simply add up in the gradient.

Examples
--------
>>> import numpy as np
>>> r = pool_backward("avg", 2, stride=1, dims=1)
>>> r.evaluate(grad_output=np.array([[[1.0, 1.0]]]), input=np.zeros((1, 1, 3)))
array([[[0.5, 1. , 0.5]]])
>>> m = pool_backward("max", 2, dims=1)
>>> m.evaluate(grad_output=np.array([[[5.0]]]), input=np.array([[[3.0, 3.0]]]))  # tie: the first maximum
array([[[5., 0.]]])
>>> pool_backward("min", 2)
Traceback (most recent call last):
...
ValueError: pool_backward: kind must be one of 'max', 'avg'; got 'min'
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..derivation import checked_once
from .backward import derive_by_elimination
from .conv import _value
from .hyper import SUFFIX, check_dims, check_wrt, index_symbol, per_dim, size_symbol
from ..iverson import Iverson
from .result import Role

__all__ = ["pool_backward", "pool_output_count", "argmax_offsets"]


def pool_output_count(size: int, kernel: int, stride: int, padding: int, dilation: int = 1, ceil_mode: bool = False) -> int:
    """Window starts ``i ≥ 0`` counted from the definition (PyTorch's pooling rule).

    Floor mode: the window fits, ``s·i + d·(k−1) ≤ H + 2P − 1``. Ceil mode: a
    partial last window is allowed, ``s·i ≤ H + 2P − 1 − d·(k−1) + s − 1``,
    but it must start inside the input or the left padding, ``s·i < H + P``.

    >>> pool_output_count(5, 2, 2, 0), pool_output_count(5, 2, 2, 0, ceil_mode=True)
    (2, 3)
    """
    last = size + 2 * padding - 1 - dilation * (kernel - 1)
    if last < 0:
        return 0
    if not ceil_mode:
        return sum(1 for i in range(last + 1) if stride * i <= last)
    return sum(1 for i in range(last + stride) if stride * i <= last + stride - 1 and stride * i < size + padding)


def argmax_offsets(x: np.ndarray, out_shape, kernel, stride, padding, dilation):
    """Window offsets ``(p, q)`` of the first maximum (row-major) of every window.

    The definition of ``A`` in the max-pooling sum, evaluated: positions
    outside the input count as −∞. Returns one integer array per spatial
    dimension, of shape ``(N, C, *out_shape)``.

    >>> argmax_offsets(np.array([[[1.0, 4.0, 4.0, 2.0]]]), (2,), (2,), (2,), (0,), (1,))
    (array([[[1, 0]]]),)
    """
    dims = len(kernel)
    x = np.asarray(x, dtype=np.float64)
    N, C = x.shape[:2]
    windows = np.full((N, C, *out_shape, *kernel), -np.inf)
    for out_pos in np.ndindex(*out_shape):
        for off in np.ndindex(*kernel):
            pos = [stride[t] * out_pos[t] + dilation[t] * off[t] - padding[t] for t in range(dims)]
            if all(0 <= pos[t] < x.shape[2 + t] for t in range(dims)):
                windows[(slice(None), slice(None), *out_pos, *off)] = x[(slice(None), slice(None), *pos)]
    flat = windows.reshape(N, C, *out_shape, -1).argmax(axis=-1)  # argmax: first maximum in row-major order
    return tuple(np.asarray(a) for a in np.unravel_index(flat, kernel))


def _ceil_mode_flag(value) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"ceil_mode must be a bool, got {value!r}")
    return value


@checked_once
def pool_backward(
    kind: str,
    kernel_size=None,
    *,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    dims: int = 2,
):
    r"""Derive ``∂L/∂X`` of max or average pooling from the window sum.

    Parameters
    ----------
    kind : {"max", "avg"}
    kernel_size : int, tuple, str or None
        ``None`` keeps the symbol ``k`` (``k_h``, ``k_w``).
    stride : int, tuple, str or None
        ``None`` means ``stride = kernel_size`` (PyTorch's default).
    padding, dilation : int, tuple or str
        Dilation applies to max pooling only (PyTorch has none for average).
    ceil_mode : bool
        Count a partial last window (it must start inside the input or left padding).
    count_include_pad : bool
        Average pooling: divide by the window positions inside the *padded* input.
    dims : {1, 2}

    Returns
    -------
    GradientResult
        ``.evaluate(grad_output=, input=)``.

    Raises
    ------
    ValueError
        Unknown ``kind``; dilation with average pooling; bad hyperparameters.
    """
    check_wrt(kind, ("max", "avg"), "pool_backward", "kind")
    dims = check_dims(dims)
    ceil_mode = _ceil_mode_flag(ceil_mode)
    if not isinstance(count_include_pad, bool):
        raise TypeError(f"count_include_pad must be a bool, got {count_include_pad!r}")
    k = per_dim(kernel_size, "kernel_size", "k", dims)
    s = k if stride is None else per_dim(stride, "stride", "s", dims)
    P = per_dim(padding, "padding", "P", dims, minimum=0)
    d = per_dim(dilation, "dilation", "d", dims)
    if kind == "avg" and any(x != 1 for x in d):
        raise ValueError(f"average pooling has no dilation (PyTorch's avg_pool{dims}d); got dilation = {dilation!r}")
    for t in range(dims):
        if P[t].is_number and k[t].is_number and 2 * P[t] > k[t]:
            raise ValueError(f"padding {P[t]} must be at most half the kernel size {k[t]} (PyTorch's pooling rule)")
    sfx = SUFFIX[dims]
    N, C = size_symbol("N"), size_symbol("C")
    H_in = tuple(size_symbol(f"{'HW'[t]}_in") for t in range(dims)) if dims == 2 else (size_symbol("H_in"),)
    H_out = tuple(size_symbol(f"{'HW'[t]}_out") for t in range(dims)) if dims == 2 else (size_symbol("H_out"),)
    n, c = index_symbol("n"), index_symbol("c")
    out_idx = tuple(index_symbol(x) for x in "ij"[:dims])
    ker_idx = tuple(index_symbol(x) for x in "pq"[:dims])
    X, G, Y = sp.IndexedBase("X"), sp.IndexedBase("G"), sp.IndexedBase("Y")
    L = sp.Symbol("L")
    pos = tuple(s[t] * out_idx[t] + d[t] * ker_idx[t] - P[t] for t in range(dims))
    inside = sp.And(*[sp.And(sp.Ge(pos[t], 0), sp.Le(pos[t], H_in[t] - 1)) for t in range(dims)])
    read = X[(n, c) + pos]
    extra = []
    functions = {}
    if kind == "max":
        A = tuple(sp.Function(f"A_{x}" if x else "A") for x in sfx)
        select = sp.And(*[sp.Eq(ker_idx[t], A[t](n, c, *out_idx)) for t in range(dims)])
        body = Iverson(select) * Iverson(inside) * read
        y_why = (
            "definition: the maximum is the entry at the arg-max A (first maximum in row-major window order, "
            "positions outside the input are -infinity); A is locally constant in X"
        )
        factory = _argmax_factory(dims, k, s, P, d, H_out)
        for t, fn in enumerate(A):
            functions[fn.__name__] = (lambda t: lambda arrays, values: factory(arrays, values)[t])(t)
        y_def = sp.Sum(body, *[(ker_idx[t], 0, k[t] - 1) for t in range(dims)])
    else:
        divisor = []
        for t in range(dims):
            start = s[t] * out_idx[t] - P[t]
            if count_include_pad:
                divisor.append(sp.Min(start + k[t], H_in[t] + P[t]) - start)
            else:
                divisor.append(sp.Min(start + k[t], H_in[t]) - sp.Max(start, 0))
        D = sp.Function("D")
        extra.append((D(*out_idx), sp.Mul(*divisor), "definition: the divisor of window " + ", ".join(map(str, out_idx))
                      + (" counts its positions inside the padded input (count_include_pad)" if count_include_pad
                         else " counts its positions inside the input (count_include_pad=False)")))
        body = Iverson(inside) * read
        y_def = sp.Sum(body, *[(ker_idx[t], 0, k[t] - 1) for t in range(dims)]) / sp.Mul(*divisor)
        y_why = "definition: the mean over the window of the zero-padded input, divided by the window's divisor D"
    y_entry = Y[(n, c) + out_idx]
    loss_sum = sp.Sum(G[(n, c) + out_idx] * y_entry, (n, 0, N - 1), (c, 0, C - 1),
                      *[(out_idx[t], 0, H_out[t] - 1) for t in range(dims)])
    roles = (Role("grad_output", G, (N, C) + H_out), Role("input", X, (N, C) + H_in))
    primitive = [N, C, *H_in] + [x for x in (*k, *s, *P, *d) if isinstance(x, sp.Symbol)]

    def out_count(t):
        return lambda v: pool_output_count(_value(H_in[t], v), _value(k[t], v), _value(s[t], v),
                                           _value(P[t], v), _value(d[t], v), ceil_mode)

    derived = {H_out[t]: out_count(t) for t in range(dims)}

    def check_sizes(v):
        for t in range(dims):
            want = out_count(t)(v)
            if v[H_out[t].name] != want:
                raise ValueError(f"grad_output: {H_out[t]} = {v[H_out[t].name]} but pooling gives {want} windows "
                                 f"(ceil_mode={ceil_mode})")

    free_in = (index_symbol("n'"), index_symbol("c'")) + tuple(index_symbol(x) for x in "ab"[:dims])
    free = tuple(zip(free_in, (N, C) + H_in))

    def constraint(v):
        return all(2 * _value(P[t], v) <= _value(k[t], v) for t in range(dims))

    domain = {"N": (1, 2), "C": (1, 2)}
    for t, x in enumerate(sfx):
        sx = f"_{x}" if x else ""
        domain.update({H_in[t].name: (1, 7), f"k{sx}": (1, 3), f"s{sx}": (1, 3), f"d{sx}": (1, 2), f"P{sx}": (0, 1)})
    params = {key: val for key, val in {"kernel_size": k, "stride": s, "padding": P, "dilation": d}.items()
              if any(isinstance(x, sp.Symbol) for x in val)}
    hp = lambda vals: ", ".join(sp.sstr(v) for v in vals)  # noqa: E731
    assumptions = [
        f"{kind} pooling, kernel k = ({hp(k)}), stride s = ({hp(s)}), padding P = ({hp(P)}), dilation d = ({hp(d)}), "
        f"ceil_mode = {ceil_mode}" + ("" if kind == "max" else f", count_include_pad = {count_include_pad}"),
        "H_out counts the window starts (PyTorch's rule; with ceil_mode a last window must start inside the "
        "input or the left padding)",
        "padding is at most half the kernel size (PyTorch), so every window holds an input position",
    ]
    if kind == "max":
        assumptions.append("ties go to the first maximum in row-major window order")
    result = derive_by_elimination(
        name=f"{kind}_pool{dims}d.grad_input",
        title=f"Gradient of {dims}-D {'max' if kind == 'max' else 'average'} pooling with respect to its input",
        y_entry=y_entry,
        y_def=y_def,
        y_why=y_why,
        loss=L,
        loss_sum=loss_sum,
        entry=X[free_in],
        prefer=[n, c, *out_idx],
        free=free,
        roles=roles,
        sizes=primitive,
        derived=derived,
        params=params,
        assumptions=assumptions,
        domain=domain,
        constraints=[constraint],
        check_sizes=check_sizes,
        functions=functions,
        extra_definitions=extra,
    )
    if kind == "max":
        result.derivation.fd_step = 1e-6  # the arg-max must not move under the perturbation
        result.derivation.rtol = 1e-6
    return result


def _argmax_factory(dims, k, s, P, d, H_out):
    def factory(arrays, values):
        by_name = {sym.name: v for sym, v in values.items()}
        x = arrays["X"]
        kern = tuple(_value(k[t], by_name) for t in range(dims))
        out_shape = tuple(_value(H_out[t], by_name) for t in range(dims))
        offsets = argmax_offsets(x, out_shape, kern, tuple(_value(s[t], by_name) for t in range(dims)),
                                 tuple(_value(P[t], by_name) for t in range(dims)),
                                 tuple(_value(d[t], by_name) for t in range(dims)))

        def lookup(table):
            def fn(*idx):
                idx = np.broadcast_arrays(*[np.asarray(i, dtype=np.float64) for i in idx])
                ok = np.ones(idx[0].shape, dtype=bool)
                ints = []
                for ax, i in enumerate(idx):
                    r = np.rint(i)
                    ok &= (np.abs(i - r) < 1e-9) & (r >= 0) & (r <= table.shape[ax] - 1)
                    ints.append(r)
                safe = tuple(np.where(ok, r, 0).astype(np.int64) for r in ints)
                return np.where(ok, table[safe], np.nan)
            return fn

        return tuple(lookup(t) for t in offsets)

    return factory
