r"""A transposed convolution written as a scatter loop (``out[i*s + k] += x[i] * w[k]``), run and compared.

The loop nest is read with :func:`ast.parse`; the roles of its free names come from its structure: in the
written entry's index ``i·s + k − p``, the variable whose coefficient is a name is the input position (that
name is the stride), the one with coefficient 1 the kernel tap, a subtracted name the padding; the range of
the input position is the input size, the range of the tap the kernel size. The arrays are bound by the
variable that indexes them (``x[i]``: the input, ``w[k]``: the kernel); the output is allocated with the
transposed convolution's size (:func:`numeric.conv_transpose1d` / ``2d``). The nest is then run by
:mod:`proofs.judge.code_interp` for several strides and sizes and compared with numeric.

>>> src = ["for i in range(I):", "    for k in range(K):", "        out[i * s + k] += x[i] * w[k]"]
>>> [(n, j.verdict) for n, _, j in scatter_findings(list(enumerate(src, 1)))]
[(1, 'CORRECT')]
>>> bad = ["for i in range(I):", "    for k in range(K):", "        out[i + k * s] += x[i] * w[k]"]
>>> [(n, j.verdict) for n, _, j in scatter_findings(list(enumerate(bad, 1)))]
[(1, 'INCORRECT')]
"""

from __future__ import annotations

import ast

import numpy as np
import sympy as sp

from .code_interp import Unsupported, run_block
from .judgement import Judgement

__all__ = ["scatter_findings"]

#: (input size, kernel size, stride, padding) per configuration
_CONFIGS = ((4, 3, 2, 0), (5, 2, 3, 0), (4, 3, 1, 0), (5, 3, 2, 1))


def _nest(tree):
    loops, node = [], tree
    while isinstance(node, ast.For) and not node.orelse and isinstance(node.target, ast.Name):
        it = node.iter
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
                and len(it.args) == 1 and isinstance(it.args[0], ast.Name)):
            return None
        loops.append((node.target.id, it.args[0].id))
        body = node.body
        if len(body) == 1 and isinstance(body[0], ast.For):
            node = body[0]
            continue
        break
    else:
        return None
    return loops, body


def _sym(node):
    from .loop_formula import _NotFormula, _sym as to_sym

    try:
        return to_sym(node)
    except _NotFormula:
        return None


_KERNELISH = {"w", "k", "kernel", "weight", "weights", "filter", "filt", "f", "h", "g"}
_INPUTISH = {"x", "inp", "input", "in_", "a", "img", "image", "signal", "src", "data"}


def _by_name(reads):
    names = [str(r.base.label).lower() for r in reads]
    if names[0] in _INPUTISH and names[1] in _KERNELISH:
        return reads[0], reads[1]
    if names[1] in _INPUTISH and names[0] in _KERNELISH:
        return reads[1], reads[0]
    return None


def judge_scatter(tree: ast.For) -> Judgement | None:
    """Judge one scatter loop nest (1-D or 2-D, one channel); None when it is not one."""
    got = _nest(tree)
    if got is None:
        return None
    loops, body = got
    guards = []
    while len(body) == 1 and isinstance(body[0], ast.If) and not body[0].orelse:
        guards.append(body[0].test)
        body = body[0].body
    if len(body) != 1 or not isinstance(body[0], ast.AugAssign) or not isinstance(body[0].op, ast.Add):
        return None
    st = body[0]
    if not (isinstance(st.target, ast.Subscript) and isinstance(st.value, ast.BinOp) and isinstance(st.value.op, ast.Mult)):
        return None
    out_idx = _sym(st.target)
    reads = [_sym(st.value.left), _sym(st.value.right)]
    if not isinstance(out_idx, sp.Indexed) or not all(isinstance(r, sp.Indexed) for r in reads):
        return None
    loop_vars = {sp.Symbol(v): sp.Symbol(b) for v, b in loops}
    dims = len(out_idx.indices)
    if dims not in (1, 2) or any(len(r.indices) != dims for r in reads):
        return None
    named = _by_name(reads)  # (input read, kernel read) when their names say so, else None
    roles, pos, taps = {}, [], []
    for e in out_idx.indices:
        e = sp.expand(e)
        vs = [v for v in loop_vars if e.has(v)]
        if len(vs) != 2:
            return None
        co = {v: e.coeff(v) for v in vs}
        strided = [v for v in vs if co[v].is_Symbol and co[v] not in loop_vars]
        plain = [v for v in vs if co[v] == 1]
        if len(strided) != 1 or len(plain) != 1:
            return None
        i, k = strided[0], plain[0]
        if named is not None and i in named[1].indices and k in named[0].indices:
            i, k = k, i  # the names say which is the input: the stride then sits on the kernel's tap
        rest = sp.expand(e - co[strided[0]] * strided[0] - plain[0])
        if rest != 0 and not (rest.is_Symbol or (-rest).is_Symbol):
            return None
        roles[str(co[strided[0]])] = "stride"
        if rest != 0:
            roles[str(-rest if (-rest).is_Symbol else rest)] = "padding"
        pos.append(i)
        taps.append(k)
    x_read = [r for r in reads if set(r.indices) == set(pos)]
    w_read = [r for r in reads if set(r.indices) == set(taps)]
    if len(x_read) != 1 or len(w_read) != 1 or x_read[0] is w_read[0]:
        return None
    if tuple(x_read[0].indices) != tuple(pos) or tuple(w_read[0].indices) != tuple(taps):
        return None  # a read transposed against the output's axes: not read here
    out_name, x_name, w_name = (str(r.base.label) for r in (out_idx, x_read[0], w_read[0]))
    import numeric

    rng = np.random.default_rng(11)
    runs = 0
    for n_in, ksz, s, p in _CONFIGS:
        if p and not any(r == "padding" for r in roles.values()):
            continue
        shape = (n_in,) * dims
        x = rng.standard_normal(shape)
        w = rng.standard_normal((ksz,) * dims)
        conv_t = numeric.conv_transpose1d if dims == 1 else numeric.conv_transpose2d
        want = conv_t(x[None, None], w[None, None], stride=s, padding=p)[0, 0]
        env = {out_name: np.zeros(want.shape), x_name: x, w_name: w}
        for v, b in loop_vars.items():
            env[str(b)] = n_in if v in pos else ksz
        for name, r in roles.items():
            env[name] = s if r == "stride" else p
        extents = [n for n in ("O", "OH", "OW", "H_out", "W_out", "L_out", "n_out") if n not in env]
        for name in {nd.id for g in guards for nd in ast.walk(g) if isinstance(nd, ast.Name)} - set(env) - {
                str(v) for v in loop_vars}:
            if name not in extents:
                return None
            env[name] = want.shape[0]
        try:
            run_block([tree], env)
        except Unsupported:
            return None
        except (IndexError, ValueError, TypeError) as exc:
            return Judgement("INCORRECT", "transposed_index", f"scatter loop run by our interpreter: with input "
                             f"{n_in}, kernel {ksz}, stride {s}, padding {p} it fails ({type(exc).__name__}: {exc}); "
                             f"the transposed convolution's output has {want.shape[0]} entries per axis",
                             counterexample={"values": {"input": n_in, "kernel": ksz, "stride": s, "padding": p}})
        doc = env[out_name]
        if not np.allclose(doc, want, rtol=1e-9, atol=1e-9):
            at = tuple(int(a) for a in np.argwhere(~np.isclose(doc, want, rtol=1e-9, atol=1e-9))[0])
            return Judgement("INCORRECT", "transposed_index", f"scatter loop run by our interpreter: with input "
                             f"{n_in}, kernel {ksz}, stride {s}, padding {p}, entry {list(at)} is {doc[at]:.6g}, "
                             f"numeric's transposed convolution gives {want[at]:.6g}",
                             counterexample={"values": {"input": n_in, "kernel": ksz, "stride": s, "padding": p},
                                             "entry": list(at), "document": float(doc[at]), "expected": float(want[at])})
        runs += 1
    if runs < 2:
        return None
    return Judgement("CORRECT", "transposed_index", f"scatter loop run by our interpreter for {runs} input sizes, "
                     "kernels and strides (roles read from the written index: the coefficient of the input position "
                     "is the stride): equal to numeric's transposed convolution")


def scatter_findings(lines) -> list[tuple[int, str, Judgement]]:
    """(line, source, judgement) of every scatter loop nest among the ``(line, text)`` pairs."""
    from .loop_formula import _nests

    out = []
    for line, source, tree in _nests(list(lines)):
        j = judge_scatter(tree)
        if j is not None:
            out.append((line, source, j))
    return out
