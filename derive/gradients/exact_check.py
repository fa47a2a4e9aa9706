r"""Exact check at tiny concrete sizes: symbolic tensors, SymPy's ``diff``, entry by entry.

The forward pass is computed here *independently* of the index-sum
definitions — plain loops over output positions, as PyTorch describes the
operator — on tensors whose entries are SymPy symbols. ``L = Σ G·Y`` is
differentiated with SymPy with respect to every entry of the chosen tensor,
and each exact derivative is compared with the general derived formula
instantiated at those sizes (sums expanded with ``doit``, conditions decided).

Examples
--------
>>> exact_check("conv", "input", (1, 2, 4, 3), (2, 1, 2, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2)
True
>>> exact_check("avg_pool", "input", (1, 1, 5), (3,), stride=(2,), padding=(1,), ceil_mode=True,
...             count_include_pad=False)
True
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp

from .conv import conv_backward, conv_output_count
from .conv_transpose import conv_transpose_backward, conv_transpose_output_size
from .dense import dense_backward
from .pooling import pool_backward, pool_output_count

__all__ = ["exact_check", "symbolic_tensor"]


def symbolic_tensor(name: str, shape) -> np.ndarray:
    """An object array of SymPy symbols ``name_i_j…``.

    >>> symbolic_tensor("x", (2,))
    array([x_0, x_1], dtype=object)
    """
    arr = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        arr[idx] = sp.Symbol(f"{name}_{'_'.join(map(str, idx))}", real=True)
    return arr


def _conv_forward(x, w, b, stride, padding, dilation, groups):
    N, C_in, *spatial = x.shape
    C_out, cg, *k = w.shape
    dims = len(spatial)
    out = [conv_output_count(spatial[t], k[t], stride[t], padding[t], dilation[t]) for t in range(dims)]
    y = np.empty((N, C_out, *out), dtype=object)
    per = C_out // groups
    for n, o in itertools.product(range(N), range(C_out)):
        for pos in np.ndindex(*out):
            acc = b[o]
            for c in range(cg):
                for off in np.ndindex(*k):
                    u = [stride[t] * pos[t] + dilation[t] * off[t] - padding[t] for t in range(dims)]
                    if all(0 <= u[t] < spatial[t] for t in range(dims)):
                        acc += w[(o, c, *off)] * x[(n, (o // per) * cg + c, *u)]
            y[(n, o, *pos)] = acc
    return y


def _conv_transpose_forward(x, w, b, stride, padding, dilation, groups, output_padding):
    N, C_in, *spatial = x.shape
    _, cgo, *k = w.shape
    dims = len(spatial)
    out = [conv_transpose_output_size(spatial[t], k[t], stride[t], padding[t], dilation[t], output_padding[t])
           for t in range(dims)]
    C_out = cgo * groups
    y = np.empty((N, C_out, *out), dtype=object)
    for idx in np.ndindex(*y.shape):
        y[idx] = b[idx[1]]
    per_in = C_in // groups
    for n, c in itertools.product(range(N), range(C_in)):
        g = c // per_in
        for pos in np.ndindex(*spatial):
            for m in range(cgo):
                for off in np.ndindex(*k):
                    u = [stride[t] * pos[t] + dilation[t] * off[t] - padding[t] for t in range(dims)]
                    if all(0 <= u[t] < out[t] for t in range(dims)):
                        y[(n, g * cgo + m, *u)] += x[(n, c, *pos)] * w[(c, m, *off)]
    return y


def _avg_pool_forward(x, kernel, stride, padding, ceil_mode, count_include_pad):
    N, C, *spatial = x.shape
    dims = len(spatial)
    out = [pool_output_count(spatial[t], kernel[t], stride[t], padding[t], 1, ceil_mode) for t in range(dims)]
    y = np.empty((N, C, *out), dtype=object)
    for n, c in itertools.product(range(N), range(C)):
        for pos in np.ndindex(*out):
            start = [stride[t] * pos[t] - padding[t] for t in range(dims)]
            end = [min(start[t] + kernel[t], spatial[t] + padding[t]) for t in range(dims)]
            count = int(np.prod([end[t] - start[t] for t in range(dims)]))
            lo = [max(start[t], 0) for t in range(dims)]
            hi = [min(end[t], spatial[t]) for t in range(dims)]
            if not count_include_pad:
                count = int(np.prod([hi[t] - lo[t] for t in range(dims)]))
            acc = sp.Integer(0)
            for u in itertools.product(*[range(lo[t], hi[t]) for t in range(dims)]):
                acc += x[(n, c, *u)]
            y[(n, c, *pos)] = acc / count
    return y


def _instantiate(expr, values, tensors):
    """The general formula at concrete sizes and indices, with tensor entries replaced by symbols."""
    e = expr.subs(values).doit()

    def entry(ix):
        arr = tensors[str(ix.base.label)]
        idx = tuple(int(i) for i in ix.indices)
        if any(i < 0 or i >= d for i, d in zip(idx, arr.shape)):
            raise IndexError(f"the formula reads {ix} outside the tensor of shape {arr.shape}")
        return arr[idx]

    return e.replace(lambda a: isinstance(a, sp.Indexed), entry)


def exact_check(op: str, wrt: str, input_shape, weight_shape, **options) -> bool:
    """Compare the derived gradient with SymPy's exact derivative at concrete tiny sizes.

    Parameters
    ----------
    op : {"conv", "conv_transpose", "avg_pool", "dense"}
    wrt : {"input", "weight", "bias"}
    input_shape : tuple
    weight_shape : tuple
        The weight's shape; for ``avg_pool`` the kernel size.
    **options
        ``stride``, ``padding``, ``dilation``, ``groups`` (tuples per dimension
        where applicable), ``output_padding``, ``ceil_mode``, ``count_include_pad``.

    Returns
    -------
    bool
        True when every entry agrees exactly.

    Raises
    ------
    AssertionError
        An entry that disagrees, with its index and both expressions.
    """
    dims = len(input_shape) - 2
    x = symbolic_tensor("x", input_shape)
    if op == "dense":
        w = symbolic_tensor("w", weight_shape)
        b = symbolic_tensor("b", (weight_shape[0],))
        y = np.array([[b[o] + sum(w[o, i] * x[n, i] for i in range(weight_shape[1])) for o in range(weight_shape[0])]
                      for n in range(input_shape[0])], dtype=object)
        result = dense_backward(wrt)
        tensors = {"X": x, "W": w, "b": b}
    elif op == "avg_pool":
        kernel = tuple(weight_shape)
        y = _avg_pool_forward(x, kernel, options["stride"], options["padding"], options.get("ceil_mode", False),
                              options.get("count_include_pad", True))
        result = pool_backward("avg", kernel, stride=options["stride"], padding=options["padding"],
                               ceil_mode=options.get("ceil_mode", False),
                               count_include_pad=options.get("count_include_pad", True), dims=dims)
        tensors = {"X": x}
    else:
        w = symbolic_tensor("w", weight_shape)
        groups = options.get("groups", 1)
        stride, padding, dilation = options["stride"], options["padding"], options["dilation"]
        if op == "conv":
            b = symbolic_tensor("b", (weight_shape[0],))
            y = _conv_forward(x, w, b, stride, padding, dilation, groups)
            result = conv_backward(wrt, stride=stride, padding=padding, dilation=dilation, groups=groups, dims=dims)
        else:
            op_pad = options.get("output_padding", (0,) * dims)
            b = symbolic_tensor("b", (weight_shape[1] * groups,))
            y = _conv_transpose_forward(x, w, b, stride, padding, dilation, groups, op_pad)
            result = conv_transpose_backward(wrt, stride=stride, padding=padding, dilation=dilation, groups=groups,
                                             dims=dims)
        tensors = {"X": x, "W": w, "b": b}
    g = symbolic_tensor("g", y.shape)
    tensors["G"] = g
    loss = sum(g[idx] * y[idx] for idx in np.ndindex(*y.shape))
    target = {"input": x, "weight": tensors.get("W"), "bias": tensors.get("b")}[wrt]
    # sizes: read off the concrete tensors through the result's roles
    values = {}
    for role in result.roles:
        arr = tensors.get(str(role.base.label))
        if arr is None:
            continue
        for dim, nval in zip(role.shape, arr.shape):
            if isinstance(dim, sp.Symbol):
                values[dim] = nval
    by_name = {s.name: v for s, v in values.items()}
    for sym, fn in result.derived_sizes.items():
        if sym not in values:
            values[sym] = fn(by_name)
            by_name[sym.name] = values[sym]
    free = [sym for sym, _ in result.free]
    for idx in np.ndindex(*target.shape):
        exact = sp.diff(loss, target[idx])
        point = {**values, **{sym: v for sym, v in zip(free, idx)}}
        derived = _instantiate(result.expr, point, tensors)
        if sp.expand(exact - derived) != 0:
            raise AssertionError(f"{op} d/d{wrt}{idx}: SymPy's derivative {exact} != derived formula {derived}")
    return True
