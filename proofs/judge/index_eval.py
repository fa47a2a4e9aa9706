"""Judge an index formula by evaluating it *as written* and comparing with :mod:`numeric`.

The formula (a convolution definition, a multi-channel forward pass, a gradient,
a pooling window or its backward pass) is compiled by :mod:`proofs.judge.evaluate`
and run on small random tensors laid out as the document lays them out (the role
of each axis — row, column, input channel, output channel, kernel row... — is
read from the index expressions). The result is compared entry by entry with the
operator of :mod:`numeric` (through :mod:`proofs.judge.truth`). Strides, kernel
and pool sizes that the formula names are varied; when the formula agrees only
for some of them, the condition is reported (``pool size = stride``); when it
agrees only where its own parameter is switched off (``s = 1``), it is wrong.

This is how a swapped convolution/cross-correlation name, a flipped kernel, a
missing index or a missing divisibility condition is caught.

Examples
--------
>>> import sympy as sp
>>> i, j, u, v, k = sp.symbols("i j u v k")
>>> I, K = sp.IndexedBase("I"), sp.IndexedBase("K")
>>> lhs = sp.Function("conv")(I, K)(i, j) if False else sp.IndexedBase("Y")[i, j]
>>> rhs = sp.Sum(I[i + u, j + v] * K[u, v], (u, 0, k - 1), (v, 0, k - 1))
>>> r = judge_index_formula(lhs, rhs, roles={"k": "kernel"})
>>> r.verdict, r.quantity
('CORRECT', 'cross_correlation')
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..clock import now as _clock
from . import truth
from .judgement import Judgement
from .evaluate import EvalLimit, access_args, compile_expr, is_access, tensor_name

__all__ = ["IndexJudgement", "judge_index_formula", "accesses"]

_KERNEL_NAMES = {"W", "K", "w", "k", "F", "f", "kernel", "Kernel", "filter", "theta", "Theta", "H_k"}
_BIAS_NAMES = {"b", "B", "bias", "beta"}
_GRAD_NAMES = {"delta", "G", "g", "dY", "dy", "dZ", "grad", "E", "Delta"}


#: the outcome of an index-formula check (the judge's common :class:`~proofs.judge.judgement.Judgement`)
IndexJudgement = Judgement


def _symbols_of(bound) -> set:
    """The symbols of a sum's bound: a SymPy expression's free symbols, none for a plain int (never parses text).

    >>> sorted(map(str, _symbols_of(sp.Symbol("k") - 1))), _symbols_of(3)
    (['k'], set())
    """
    if isinstance(bound, sp.Basic):
        return set(bound.free_symbols)
    if isinstance(bound, int):
        return set()
    raise TypeError(f"a sum's bound must be a SymPy expression or an int, got {type(bound).__name__}")

def accesses(expr) -> list:
    """Every tensor read in ``expr`` (outermost first), without descending into a read's indices."""
    out = []

    def walk(e):
        if is_access(e):
            out.append(e)
            return
        for a in e.args:
            if isinstance(a, sp.Basic):
                walk(a)

    walk(expr)
    return out


def _bound_vars(expr) -> dict:
    out = {}
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Sum, sp.Product)):
            for v, lo, hi in node.limits:
                out[str(v)] = (lo, hi)
        elif isinstance(node, AppliedUndef) and str(node.func.__name__) in ("max_over", "min_over"):
            for lim in node.args[1:]:
                if isinstance(lim, sp.Tuple) and len(lim) == 3:
                    out[str(lim[0])] = (lim[1], lim[2])
    return out


def _syms(e) -> set:
    return {str(s) for s in e.free_symbols}


class _Unrecognized(Exception):
    pass


def _classify_tensors(lhs, rhs, reads, alias_grad):
    """Name -> 'x' | 'w' | 'b' | 'g' | 'y' | 'dx' | 'dw' | 'db', plus the operation."""
    lhs_name = tensor_name(lhs)
    names = []
    for r in reads:
        n = tensor_name(r)
        if n not in names:
            names.append(n)
    kinds = {}
    gradient = isinstance(lhs, sp.Derivative)
    for n in names:
        if n.startswith("d") and "/d" in n or n in alias_grad or (gradient and n in _GRAD_NAMES):
            kinds[n] = "g"
    op = None
    if isinstance(lhs, sp.Derivative):
        wrt = lhs.variables[0] if lhs.variables else None
        w = tensor_name(wrt) if wrt is not None else None
        if w is None:
            raise _Unrecognized("the gradient is taken with respect to a whole tensor, not an entry")
        if w in _KERNEL_NAMES:
            op = "grad_weight"
        elif w in _BIAS_NAMES:
            op = "grad_bias"
        else:
            op = "grad_input"
    else:
        op = "forward"
    others = [n for n in names if n not in kinds]
    if op == "forward":
        bias = [n for n in others if n in _BIAS_NAMES]
        for n in bias:
            kinds[n] = "b"
        rest = [n for n in others if n not in bias]
        if len(rest) == 1:
            kinds[rest[0]] = "x"
        elif len(rest) == 2:
            a, b = rest
            if a in _KERNEL_NAMES and b not in _KERNEL_NAMES:
                kinds[a], kinds[b] = "w", "x"
            elif b in _KERNEL_NAMES and a not in _KERNEL_NAMES:
                kinds[a], kinds[b] = "x", "w"
            else:
                # the one read at compound positions (i+u) is the input
                comp = {n: any(not a_.is_Symbol and not a_.is_Integer for r in reads if tensor_name(r) == n
                               for a_ in access_args(r)) for n in rest}
                if comp[a] and not comp[b]:
                    kinds[a], kinds[b] = "x", "w"
                elif comp[b] and not comp[a]:
                    kinds[a], kinds[b] = "w", "x"
                else:
                    raise _Unrecognized("cannot tell the input from the kernel")
        elif rest:
            raise _Unrecognized(f"{len(rest)} tensors besides the bias: {', '.join(rest)}")
    elif op == "grad_input":
        for n in others:
            kinds[n] = "w"
    elif op == "grad_weight":
        for n in others:
            kinds[n] = "x"
    if list(kinds.values()).count("x") > 1 or list(kinds.values()).count("w") > 1:
        raise _Unrecognized("more than one tensor plays the same role")
    return op, kinds, lhs_name


def judge_index_formula(lhs, rhs, *, roles: dict | None = None, context: str = "", aliases: dict | None = None,
                        strict_names: bool = False, label: str | None = None, time_limit: float = 3.0,
                        dl_usage_noted: bool = False, origin_fixed: bool = False) -> IndexJudgement:
    """Evaluate ``lhs = rhs`` as written on small tensors and compare with the true operator.

    Parameters
    ----------
    lhs, rhs : SymPy expressions (the left side a tensor entry, an applied function or a ∂L/∂X entry).
    roles : scalar symbol name -> role (``"kernel"``, ``"stride"``, ``"pool"``, ``"channels_in"``...).
    context : prose around the formula (pooling, average/max...).
    aliases : tensor aliases the document defined (``{"delta": "dL/dY"}``).
    strict_names : the document distinguishes convolution from cross-correlation, so the name must match.
    label : what the document calls the operation ("convolution", "cross-correlation") if it says.
    origin_fixed : the formula comes from code whose output index starts at 0 (a loop over ``range(OH)``): the
        entries must be the operation's without an index shift.
    dl_usage_noted : the document notes that deep learning calls cross-correlation "convolution"; a
        cross-correlation named convolution is then CONDITIONAL on that reading, not INCORRECT.

    Returns
    -------
    IndexJudgement
    """
    _DEADLINE["at"] = _clock() + time_limit
    _DEADLINE["origin_fixed"] = origin_fixed
    try:
        return _judge(lhs, rhs, roles or {}, context, aliases or {}, strict_names, label, time_limit, dl_usage_noted)
    except _Unrecognized as exc:
        return IndexJudgement("UNRECOGNIZED", explanation=f"index formula not judged: {exc}")
    except EvalLimit as exc:
        return IndexJudgement("UNRECOGNIZED", explanation=f"could not evaluate the formula as written: {exc}")
    except (ValueError, TypeError, IndexError, KeyError, ZeroDivisionError, OverflowError, RecursionError) as exc:
        return IndexJudgement("UNRECOGNIZED", explanation=f"could not evaluate the formula as written ({type(exc).__name__}: {exc})")


#: the instant the current judgement must finish by, and whether the index origin is fixed (set by judge_index_formula)
_DEADLINE = {"at": None}


def _compile(expr, **kw):
    return compile_expr(expr, deadline=_DEADLINE["at"], **kw)


def _lhs_access(lhs):
    """(target node, index expressions) of the left side."""
    if isinstance(lhs, sp.Derivative):
        wrt = lhs.variables[0] if lhs.variables else None
        return lhs, tuple(access_args(wrt)) if wrt is not None else ()
    if isinstance(lhs, sp.Mul):  # "MaxPool(X)[i,j]" read as MaxPool·X[i, j]
        reads = [a for a in lhs.args if is_access(a)]
        rest = [a for a in lhs.args if not is_access(a)]
        if len(reads) == 1 and all(a.is_Symbol for a in rest):
            return reads[0], tuple(access_args(reads[0]))
    if is_access(lhs):
        return lhs, tuple(access_args(lhs))
    raise _Unrecognized("the left side is not a tensor entry")


def _subscripts_as_reads(expr, loop_vars: set):
    """``b_c_out`` where ``c_out`` is an index variable is the entry ``b[c_out]``."""
    reps = {}
    for sym in expr.atoms(sp.Symbol):
        name = sym.name
        if "_" in name:
            base, sub = name.split("_", 1)
            if base and sub in loop_vars:
                reps[sym] = sp.IndexedBase(base)[sp.Symbol(sub)]
    return expr.xreplace(reps) if reps else expr


#: the tensor holding "this entry is the maximum of one of its pooling windows" (1/0), built from numeric
WINDOW_MAX = "#winmax"


def _window_max_reads(rhs):
    """``is_window_max(X[i, j])`` (a condition in words, see the parser) → the read ``#winmax[i, j]``.

    Returns the rewritten expression and the name of the tensor whose entries are tested (or None).
    """
    found = [n for n in sp.preorder_traversal(rhs)
             if isinstance(n, AppliedUndef) and n.func.__name__ == "is_window_max" and len(n.args) == 1
             and isinstance(n.args[0], sp.Indexed)]
    if not found:
        return rhs, None
    names = {tensor_name(n.args[0]) for n in found}
    if len(names) != 1:
        raise _Unrecognized("the window-maximum condition tests several tensors")
    reps = {n: sp.IndexedBase(WINDOW_MAX)[n.args[0].indices] for n in found}
    return rhs.xreplace(reps), names.pop()


def _operator_notation(lhs, rhs):
    """``f[m,n]*g[m,n]`` in front of a sum that defines it: the operator notation (f ∗ g)[m, n], not a product of
    two entries — the entry ``(f*g)[m, n]``; else None."""
    op = "convolution"
    if isinstance(lhs, AppliedUndef) and str(lhs.func.__name__) in ("conv", "corr"):  # the parser's reading of f∗g
        op = "convolution" if str(lhs.func.__name__) == "conv" else "cross-correlation"
    elif not isinstance(lhs, sp.Mul):
        return None
    if len(lhs.args) != 2 or not all(is_access(a) for a in lhs.args):
        return None
    a, b = lhs.args
    idx = tuple(access_args(a))
    if idx != tuple(access_args(b)) or not all(i.is_Symbol for i in idx) or not rhs.has(sp.Sum):
        return None
    bound = {str(v) for v in _bound_vars(rhs)}
    if {str(i) for i in idx} != _index_names(rhs) - bound:
        return None
    return sp.IndexedBase(f"({tensor_name(a)}*{tensor_name(b)})")[idx], op


def _index_names(expr) -> set:
    """The plain symbols of ``expr`` (not the tensors: SymPy counts an entry and its base as free symbols too)."""
    tensors = {tensor_name(r) for r in accesses(expr)}
    return {str(x) for x in expr.free_symbols if isinstance(x, sp.Symbol)} - tensors


def _both_sums(lhs, rhs) -> bool:
    """Both sides sums over entries of the same tensors (an identity to evaluate); sides that read different
    tensors (W on one, V on the other: a re-indexing that defines V) are not."""
    if not all(e.has(sp.Sum) and accesses(e) for e in (lhs, rhs)) or is_access(lhs):
        return False
    return {tensor_name(r) for r in accesses(lhs)} == {tensor_name(r) for r in accesses(rhs)}


def _judge_identity(lhs, rhs, time_limit):
    """Two index expressions claimed equal (``Σ_u f[u] g[n−u] = Σ_u f[n−u] g[u]``): both evaluated on the same
    random tensors (zero outside 0 … 5 on every axis) at every free index in −3 … 8."""
    free = sorted((_index_names(lhs) | _index_names(rhs)) - set(_bound_vars(lhs)) - set(_bound_vars(rhs)))
    if not free or len(free) > 2:
        raise _Unrecognized("an identity of index expressions with no or many free indices")
    in_bounds = {str(x) for b in list(_bound_vars(lhs).values()) + list(_bound_vars(rhs).values()) for e in b
                 for x in _symbols_of(e)}
    if in_bounds & set(free):
        raise _Unrecognized("an identity whose sums run up to a free size: its values are not all indices")
    names = {tensor_name(r): len(access_args(r)) for r in accesses(lhs) + accesses(rhs)}
    rng = np.random.default_rng(3)
    tensors = {n: rng.standard_normal((5,) * k) for n, k in names.items()}
    fl, fr = _compile(lhs, bare_range=10, time_limit=time_limit), _compile(rhs, bare_range=10, time_limit=time_limit)
    for point in itertools.product(range(-3, 9), repeat=len(free)):
        at = dict(zip(free, point))
        a, b = fl(at, tensors), fr(at, tensors)
        if not np.isclose(a, b, rtol=1e-9, atol=1e-9):
            return IndexJudgement("INCORRECT", "index_identity", f"both sides evaluated on the same random tensors "
                                  f"(zero outside 0…4): at {at} the left side is {a:.6g}, the right side {b:.6g}",
                                  counterexample={"values": at, "left": round(float(a), 6), "right": round(float(b), 6)})
    return IndexJudgement("CORRECT", "index_identity", "both sides evaluated on the same random tensors (zero outside "
                          f"0…4 on every axis) at every {', '.join(free)} in −3…8: equal")


def _without_constant(rhs, free: set, roles: dict):
    """``u + Σ …`` where ``u`` is a lone name with no role, used nowhere else (a constant bias, "say u"): the
    formula holds exactly when the rest does, so the rest is judged."""
    if not isinstance(rhs, sp.Add) or not rhs.has(sp.Sum):
        return rhs
    lone = [t for t in rhs.args if t.is_Symbol and str(t) not in free and str(t) not in roles]
    keep = rhs
    for t in lone:
        rest = keep - t
        if t not in rest.free_symbols and accesses(rest):
            keep = rest
    return keep


def _judge(lhs, rhs, roles, context, aliases, strict_names, label, time_limit, dl_usage_noted=False):
    low = context.lower()
    notation = _operator_notation(lhs, rhs)
    if notation is not None:  # (f ∗ g)[m, n] = Σ …: the document names the operation by its symbol
        lhs, label = notation[0], label or notation[1]
    elif _both_sums(lhs, rhs):
        return _judge_identity(lhs, rhs, time_limit)
    target, lhs_idx = _lhs_access(lhs)
    if lhs_idx and all(a.is_Symbol for a in lhs_idx):
        rhs = _subscripts_as_reads(rhs, {str(a) for a in lhs_idx} | set(_bound_vars(rhs)))
    if not lhs_idx or not all(a.is_Symbol for a in lhs_idx):
        raise _Unrecognized("the left side's indices are not plain index variables")
    free = [str(a) for a in lhs_idx]
    if len(set(free)) != len(free):
        raise _Unrecognized("repeated index on the left side")
    rhs = _without_constant(rhs, set(free), roles)
    rhs, winmax = _window_max_reads(rhs)
    reads = accesses(rhs)
    if not reads:
        raise _Unrecognized("the right side reads no tensor entry")
    alias_grad = {a for a, t in aliases.items() if t.startswith("d")}
    op, kinds, _ = _classify_tensors(lhs, rhs, [r for r in reads if tensor_name(r) != WINDOW_MAX], alias_grad)
    if winmax is not None:
        kinds[WINDOW_MAX] = "x"
    bound = _bound_vars(rhs)
    scalar_roles = {n: r for n, r in roles.items() if n not in free and n not in bound}
    has_max = any(isinstance(n, AppliedUndef) and str(n.func.__name__) == "max_over" for n in sp.preorder_traversal(rhs))
    pooling = ("pool" in low or has_max) and "w" not in kinds.values() or winmax is not None
    if pooling:
        if op == "forward":
            return _judge_pool_forward(lhs, rhs, free, reads, kinds, bound, scalar_roles, low, time_limit)
        if op == "grad_input":
            return _judge_pool_backward(lhs, rhs, free, reads, kinds, bound, scalar_roles, low, time_limit, winmax)
        raise _Unrecognized("pooling formula of an unknown kind")
    if "w" not in kinds.values() and op in ("forward", "grad_input"):
        raise _Unrecognized("no kernel tensor is read")
    return _judge_conv(lhs, rhs, op, free, reads, kinds, bound, scalar_roles, strict_names, label, low, time_limit,
                       dl_usage_noted)


# --------------------------------------------------------------------------- axis roles


def _axis_roles(op, free, reads, kinds, lhs_kind, bound):
    """Role of every index variable and every tensor axis."""
    by_kind = {}
    for r in reads:
        by_kind.setdefault(kinds.get(tensor_name(r)), []).append(r)
    loop_vars = set(free) | set(bound)
    kernel_t = by_kind.get("w", [None])[0]
    # kernel offset variables: in the kernel tensor's axes, or the free vars of dW
    if op == "grad_weight":
        kvars_all = free
    elif kernel_t is not None:
        kvars_all = [str(a) for a in access_args(kernel_t) if a.is_Symbol]
    else:
        kvars_all = []
    compound = []  # (tensor read, axis, set of loop vars)
    for r in reads:
        for ax, a in enumerate(access_args(r)):
            vs = _syms(a) & loop_vars
            if not a.is_Symbol and vs:
                compound.append((r, ax, vs))
    kvars = [v for v in kvars_all if any(v in vs for _, _, vs in compound)]
    if kernel_t is not None and kernel_t is not None:
        # flipped kernels (K[k-1-u, k-1-v]) read offsets through an expression
        for a in access_args(kernel_t):
            vs = _syms(a) & loop_vars
            if not a.is_Symbol and len(vs) == 1:
                (v,) = vs
                if v not in kvars:
                    kvars.append(v)
    var_role = {}
    if len(kvars) > 2:
        raise _Unrecognized("more than two kernel offset variables")
    for n, v in enumerate(kvars):
        var_role[v] = ("kr", "kc")[n]
    for r, ax, vs in compound:
        ks = [v for v in vs if v in var_role and var_role[v] in ("kr", "kc")]
        others = [v for v in vs if v not in var_role]
        if len(ks) == 1 and len(others) == 1:
            var_role[others[0]] = "r" if var_role[ks[0]] == "kr" else "c"
    if op in ("forward",) or op == "grad_input":
        pass
    # remaining single-variable axes: channels
    x_like = {"forward": ("x",), "grad_input": (), "grad_weight": ("x",), "grad_bias": ()}[op]
    out_like = {"forward": ("b",), "grad_input": ("g",), "grad_weight": ("g",), "grad_bias": ("g",)}[op]
    for r in reads:
        kind = kinds.get(tensor_name(r))
        for a in access_args(r):
            if a.is_Symbol and str(a) not in var_role and str(a) in loop_vars:
                if kind in x_like:
                    var_role[str(a)] = "ci"
                elif kind in out_like and not (op == "grad_bias" and str(a) not in free):
                    var_role[str(a)] = "co"
    # left side: free vars not yet classified
    read_vars = {v for r in reads for a in access_args(r) for v in _syms(a)}
    for v in free:
        if v in var_role:
            continue
        missing = [p for p in ("r", "c") if p not in var_role.values()]
        if op == "forward" and v not in read_vars and len(missing) == 1 and len(free) == 2:
            var_role[v] = missing[0]  # Y[i, j] whose i no read uses: still the output's row (or column), as written
        elif op == "forward":
            var_role[v] = "co"
        elif op == "grad_input":
            var_role[v] = "ci"
    # positions of grad_input / grad_weight read without kernel partners (δ[i, j], X[i, j])
    spatial_order = []
    for r in reads:
        for a in access_args(r):
            for v in sorted(_syms(a) & loop_vars, key=lambda s: str(a).find(s)):
                if v not in var_role and v not in spatial_order:
                    spatial_order.append(v)
    for v in free:
        if v not in var_role and v not in spatial_order:
            spatial_order.append(v)
    for v in spatial_order:
        if "r" not in var_role.values():
            var_role[v] = "r"
        elif "c" not in var_role.values():
            var_role[v] = "c"
    # position variables that still lack a role go by order
    return var_role


def _tensor_axes(node_args, var_role, which):
    roles = []
    for a in node_args:
        vs = [v for v in _syms(a) if v in var_role]
        rs = {var_role[v] for v in vs}
        if not rs:
            raise _Unrecognized(f"cannot tell what the index {a} of {which} stands for")
        spatial = rs & {"r", "c", "kr", "kc"}
        if spatial:
            rr = ("r" if rs & {"r", "kr"} and not rs & {"c", "kc"} else "c" if rs & {"c", "kc"} and not rs & {"r", "kr"} else None)
            if rr is None:
                raise _Unrecognized(f"the index {a} of {which} mixes rows and columns")
            if len(rs) == 1 and rs <= {"kr", "kc"} and which in ("w", "dw"):
                roles.append(next(iter(rs)))
            else:
                roles.append(rr)
        elif len(rs) == 1:
            roles.append(next(iter(rs)))
        else:
            raise _Unrecognized(f"the index {a} of {which} mixes channels")
    if len(set(roles)) != len(roles):
        raise _Unrecognized(f"two axes of {which} have the same role")
    return roles


#: canonical axis order of each array (NCHW without the batch axis)
_CANON = {"x": ["ci", "r", "c"], "w": ["co", "ci", "kr", "kc"], "b": ["co"], "g": ["co", "r", "c"], "y": ["co", "r", "c"]}


def _to_doc(arr, canon, doc_roles, which):
    # squeeze canonical axes the document does not index (they have size 1)
    keep = [r for r in canon if r in doc_roles]
    for ax, r in reversed(list(enumerate(canon))):
        if r not in doc_roles:
            if arr.shape[ax] != 1:
                raise _Unrecognized(f"{which} has no {r} axis")
            arr = arr.reshape(arr.shape[:ax] + arr.shape[ax + 1:])
    perm = [keep.index(r) for r in doc_roles]
    return np.ascontiguousarray(np.transpose(arr, perm))


def _scalar_values(scalar_roles, sizes):
    vals = {}
    for n, r in scalar_roles.items():
        if r in ("kernel", "pool"):
            vals[n] = sizes["k"]
        elif r == "stride":
            vals[n] = sizes["s"]
        elif r == "channels_in":
            vals[n] = sizes["ci"]
        elif r == "channels_out":
            vals[n] = sizes["co"]
        elif r == "padding":
            vals[n] = 0
        elif r == "dilation":
            vals[n] = 1
        elif r == "input_size":
            vals[n] = sizes["H"]
        elif r == "output_size":
            vals[n] = sizes["Ho"]
    return vals


def _zero_base_channels(rhs, var_role):
    """Sums over a channel written 1..C read 1-based labels: relabel them 0..C−1 (a pure relabelling)."""
    reps = {}
    for node in sp.preorder_traversal(rhs):
        if isinstance(node, sp.Sum):
            new = []
            changed = False
            for v, lo, hi in node.limits:
                if var_role.get(str(v)) in ("ci", "co") and lo == 1:
                    new.append((v, 0, hi - 1))
                    changed = True
                else:
                    new.append((v, lo, hi))
            if changed:
                reps[node] = sp.Sum(node.function, *new)
    return rhs.xreplace(reps) if reps else rhs


def _bare_ranges(rhs, tensors, scalars):
    """For each summation variable over a bare index set, the range of an axis it indexes on its own."""
    out = dict(scalars)
    bare = [str(v) for node in sp.preorder_traversal(rhs) if isinstance(node, (sp.Sum, sp.Product))
            for v, lo, hi in node.limits if lo == -sp.oo or hi == sp.oo]
    reads = accesses(rhs)
    for v in bare:
        for r in reads:
            arr = tensors.get(tensor_name(r))
            if arr is None or isinstance(arr, dict):
                continue
            for ax, a in enumerate(access_args(r)):
                if a.is_Symbol and str(a) == v and ax < arr.ndim:
                    out["#lo:" + v], out["#hi:" + v] = 0, arr.shape[ax] - 1
                    break
            if "#lo:" + v in out:
                break
    return out


def _evaluate_grid(f, lhs_vars, ranges, scalars, tensors, rhs=None):
    if rhs is not None:
        scalars = _bare_ranges(rhs, tensors, scalars)
    out = np.zeros([len(r) for r in ranges])
    for pos in itertools.product(*[range(len(r)) for r in ranges]):
        s = dict(scalars)
        for v, rr, p in zip(lhs_vars, ranges, pos):
            s[v] = rr[p]
        out[pos] = f(s, tensors)
    return out


def _judge_conv(lhs, rhs, op, free, reads, kinds, bound, scalar_roles, strict_names, label, low, time_limit,
                dl_usage_noted=False):
    var_role = _axis_roles(op, free, reads, kinds, None, bound)
    doc_axes = {}
    for r in reads:
        kind = kinds[tensor_name(r)]
        axes = _tensor_axes(access_args(r), var_role, kind)
        if kind in doc_axes and doc_axes[kind] != axes:
            raise _Unrecognized(f"{tensor_name(r)} is read with two different layouts")
        doc_axes[kind] = axes
    target_kind = {"forward": "y", "grad_input": "x", "grad_weight": "w", "grad_bias": "b"}[op]
    lhs_axes = [var_role.get(v) for v in free]
    if None in lhs_axes:
        raise _Unrecognized("cannot tell what each index of the left side stands for")
    lhs_axes = [("kr" if a == "r" else "kc" if a == "c" else a) if target_kind == "w" else a for a in lhs_axes]
    two_d = any(a in ("c", "kc") for axes in doc_axes.values() for a in axes) or "c" in lhs_axes or "kc" in lhs_axes
    has_ci = any("ci" in a for a in doc_axes.values()) or "ci" in lhs_axes
    has_co = any("co" in a for a in doc_axes.values()) or "co" in lhs_axes
    strides = [1, 2, 3] if "stride" in scalar_roles.values() else [1]
    rhs0 = _zero_base_channels(rhs, var_role)
    f = _compile(rhs0, bare_range=10, time_limit=time_limit)
    single = op == "forward" and not has_ci and not has_co and "b" not in kinds.values()
    rng = np.random.default_rng(0)
    results = []
    for s in strides:
        for H in (6, 7) if s > 1 else (6,):
            for k in (2, 3):
                sizes = {"H": H, "k": k, "s": s, "ci": 2 if has_ci else 1, "co": 2 if has_co else 1}
                Wd = H if two_d else 1
                kw = k if two_d else 1
                Ho, Wo = (H - k) // s + 1, (Wd - kw) // s + 1
                sizes["Ho"] = Ho
                x = rng.standard_normal((1, sizes["ci"], H, Wd))
                w = rng.standard_normal((sizes["co"], sizes["ci"], k, kw))
                b = rng.standard_normal(sizes["co"]) if "b" in kinds.values() else None
                g = rng.standard_normal((1, sizes["co"], Ho, Wo))
                canon = {"x": x[0], "w": w, "b": b, "g": g[0]}
                if not two_d:
                    canon = {"x": x[0][:, :, 0], "w": w[:, :, :, 0], "b": b, "g": g[0][:, :, 0]}
                tensors = {}
                for name, kind in kinds.items():
                    base_roles = [r for r in _CANON[kind] if two_d or r not in ("c", "kc")]
                    tensors[name] = _to_doc(canon[kind], base_roles, doc_axes.get(kind, []), kind)
                scal = _scalar_values(scalar_roles, sizes)
                if single:
                    j = _judge_single(f, free, lhs_axes, tensors, kinds, canon, _bare_ranges(rhs0, tensors, scal), sizes, two_d, strict_names, label, low,
                                      dl_usage_noted)
                    if j.verdict == "CORRECT" and len(strides) > 1:  # the stride the formula names must act as one
                        scal2 = _bare_ranges(rhs0, tensors, _scalar_values(scalar_roles, dict(sizes, s=2)))
                        j = _strided_single(f, free, tensors, canon, scal2, scalar_roles, j)
                    return j
                if op == "forward":
                    want = truth.conv2d(x, w, b, stride=s)[0]
                elif op in ("grad_input", "grad_weight", "grad_bias"):
                    gx, gw, gb = truth.conv2d_backward(g, x, w, stride=s)
                    want = {"grad_input": gx[0], "grad_weight": gw, "grad_bias": gb}[op]
                if not two_d:
                    want = want[..., 0] if op != "grad_bias" else want
                canon_roles = [r for r in _CANON[target_kind] if two_d or r not in ("c", "kc")]
                want_doc = _to_doc(want, canon_roles, lhs_axes, "the left side")
                ranges = [range(n) for n in want_doc.shape]
                got = _evaluate_grid(f, free, ranges, scal, tensors, rhs0)
                ok = np.allclose(got, want_doc, rtol=1e-9, atol=1e-9)
                results.append((s, H, k, ok, got, want_doc))
    return _verdict_from_runs(op, results, scalar_roles, rhs)


def _first_diff(got, want):
    idx = np.argwhere(~np.isclose(got, want, rtol=1e-9, atol=1e-9))[0]
    return tuple(int(i) for i in idx), float(got[tuple(idx)]), float(want[tuple(idx)])


_OP_NAMES = {"forward": "conv_forward", "grad_input": "conv_grad_input", "grad_weight": "conv_grad_weight",
             "grad_bias": "conv_grad_bias"}

_EXPECTED = {
    "forward": ("Y[o,i,j] = b[o] + Σ_c Σ_u Σ_v X[c, s·i+u, s·j+v] · W[o,c,u,v]",
                r"Y_{o,i,j} = b_o + \sum_{c}\sum_{u}\sum_{v} X_{c,\,s i+u,\,s j+v}\, W_{o,c,u,v}"),
    "grad_input": ("∂L/∂X[c,a,b] = Σ_o Σ_u Σ_v [s | a−u] [s | b−v] ∂L/∂Y[o,(a−u)/s,(b−v)/s] · W[o,c,u,v]",
                   r"\frac{\partial L}{\partial X_{c,a,b}} = \sum_{o}\sum_{u}\sum_{v} [s \mid a-u]\,[s \mid b-v]\,"
                   r"\frac{\partial L}{\partial Y_{o,(a-u)/s,(b-v)/s}}\, W_{o,c,u,v}"),
    "grad_weight": ("∂L/∂W[o,c,u,v] = Σ_i Σ_j ∂L/∂Y[o,i,j] · X[c, s·i+u, s·j+v]",
                    r"\frac{\partial L}{\partial W_{o,c,u,v}} = \sum_{i}\sum_{j} \frac{\partial L}{\partial Y_{o,i,j}}\, X_{c,\,s i+u,\,s j+v}"),
    "grad_bias": ("∂L/∂b[o] = Σ_i Σ_j ∂L/∂Y[o,i,j]", r"\frac{\partial L}{\partial b_o} = \sum_{i}\sum_{j} \frac{\partial L}{\partial Y_{o,i,j}}"),
}


def _verdict_from_runs(op, results, scalar_roles, rhs, quantity=None, conditions=None, expected=None):
    quantity = quantity or _OP_NAMES.get(op, op)
    exp_text, exp_tex = expected or _EXPECTED.get(op, (None, None))
    stride_names = [n for n, r in scalar_roles.items() if r == "stride"]
    s_name = stride_names[0] if stride_names else "s"
    good = [r for r in results if r[3]]
    bad = [r for r in results if not r[3]]
    if not bad:
        cfg = sorted({(r[0]) for r in results})
        note = f" for stride {', '.join(map(str, cfg))}" if len(cfg) > 1 else ""
        return IndexJudgement("CORRECT", quantity, f"evaluated as written on random tensors and equal to the "
                              f"{quantity.replace('_', ' ')} of numeric{note} ({len(results)} configurations)")
    s, H, k, _, got, want = bad[0]
    pos, gv, wv = _first_diff(got, want)
    cex = {"values": {s_name: s, "size": H, "kernel": k}, "entry": list(pos), "document": round(gv, 6),
           "expected": round(wv, 6), "note": "random tensors (seed 0) laid out as the document indexes them"}
    for text, pred, trivial in conditions or []:
        if all(pred(r) for r in good) and not any(pred(r) for r in bad) and good:
            if trivial:
                return IndexJudgement("INCORRECT", quantity, f"agrees with numeric only when {text}: the formula "
                                      f"involves {s_name} but is wrong for any other value", counterexample=cex,
                                      expected=exp_text, expected_latex=exp_tex)
            return IndexJudgement("CONDITIONAL", quantity, f"agrees with numeric exactly when {text}",
                                  counterexample=cex, condition=text, expected=exp_text, expected_latex=exp_tex)
    if good and all(r[0] == 1 for r in good) and all(r[0] != 1 for r in bad):
        return IndexJudgement("INCORRECT", quantity, f"agrees with numeric only for stride 1: with {s_name} = {s} "
                              f"entry {list(pos)} is {gv:.4g} but the true value is {wv:.4g}",
                              counterexample=cex, expected=exp_text, expected_latex=exp_tex)
    return IndexJudgement("INCORRECT", quantity, f"evaluated as written, entry {list(pos)} is {gv:.4g} but "
                          f"numeric gives {wv:.4g}", counterexample=cex, expected=exp_text, expected_latex=exp_tex)


# --------------------------------------------------------------------------- single-channel definition


def _shift_match(got, want):
    """Offsets t such that got[p] == want[p + t] wherever either is non-zero (None if none)."""
    for t in itertools.product(*[range(-5, 6)] * got.ndim):
        ok = True
        rolled = want
        for ax, tt in enumerate(t):
            rolled = np.roll(rolled, -tt, axis=ax)
        if np.allclose(got, rolled, atol=1e-9):
            return t
    return None


def _judge_single(f, free, lhs_axes, tensors, kinds, canon, scal, sizes, two_d, strict_names, label, low,
                  dl_usage_noted=False):
    """A single-channel convolution/cross-correlation definition, compared up to an index offset."""
    x = canon["x"][0]
    w = canon["w"][0, 0]
    pad = 3
    xr = {n: t for n, t in tensors.items()}
    H = x.shape[0]
    rng = range(-pad, H + pad) if True else None
    ranges = [rng] * len(free)
    got = _evaluate_grid(f, free, ranges, scal, xr)
    # full cross-correlation and full convolution on the same grid (zero outside)
    big = np.zeros([len(r) for r in ranges])

    def corr(kern):
        out = big.copy()
        for pos in itertools.product(*[range(len(r)) for r in ranges]):
            acc = 0.0
            for off in itertools.product(*[range(n) for n in kern.shape]):
                src = tuple(r[p] + o for r, p, o in zip(ranges, pos, off))
                if all(0 <= q < n for q, n in zip(src, x.shape)):
                    acc += x[src] * kern[off]
            out[pos] = acc
        return out

    kern = w if two_d else w
    xcorr = corr(kern)
    conv = corr(np.flip(kern))
    t_x, t_c = _shift_match(got, xcorr), _shift_match(got, conv)
    if _DEADLINE.get("origin_fixed"):  # code with explicit ranges: out[0] is the first window, no shift allowed
        if (t_x is not None and any(t_x)) or (t_c is not None and any(t_c)):
            if not (t_x is not None and not any(t_x)) and not (t_c is not None and not any(t_c)):
                raise _Unrecognized("the entries are those of the operation shifted against the code's output range")
        t_x = t_x if t_x is not None and not any(t_x) else None
        t_c = t_c if t_c is not None and not any(t_c) else None
    is_xcorr = t_x is not None
    is_conv = t_c is not None
    sym = kern.shape[0] == 1
    if not is_xcorr and not is_conv:
        pos, gv, wv = _first_diff(got, xcorr)
        return IndexJudgement("INCORRECT", "convolution_definition",
                              "evaluated as written, it is neither a cross-correlation nor a convolution of the "
                              "two arrays (at any index offset)",
                              counterexample={"entry": [p - pad for p in pos], "document": round(gv, 6),
                                              "cross_correlation": round(wv, 6)},
                              expected="(I ⋆ K)(i,j) = Σ_m Σ_n I(i+m, j+n) K(m,n)  or  (I * K)(i,j) = Σ_m Σ_n I(i−m, j−n) K(m,n)",
                              expected_latex=r"(I \star K)_{i,j} = \sum_m\sum_n I_{i+m,j+n}K_{m,n}")
    computed = "cross_correlation" if is_xcorr else "convolution"
    lab = (label or "").lower()
    says_xcorr = "correlation" in lab
    says_conv = "convolution" in lab and not says_xcorr
    exp_conv = ("(I * K)(i,j) = Σ_m Σ_n I(i−m, j−n) · K(m,n)", r"(I * K)(i,j) = \sum_m \sum_n I(i-m, j-n)\, K(m,n)")
    exp_corr = ("(I ⋆ K)(i,j) = Σ_m Σ_n I(i+m, j+n) · K(m,n)", r"(I \star K)(i,j) = \sum_m \sum_n I(i+m, j+n)\, K(m,n)")
    if says_xcorr and computed == "convolution":
        return IndexJudgement("INCORRECT", "cross_correlation",
                              "called a cross-correlation, but evaluated as written it flips the kernel: it is a "
                              "true convolution",
                              counterexample=_cex_pair(got, xcorr, pad), expected=exp_corr[0], expected_latex=exp_corr[1])
    if says_conv and computed == "cross_correlation" and strict_names and dl_usage_noted:
        return IndexJudgement("CONDITIONAL", "convolution",
                              "evaluated as written the kernel is not flipped: a cross-correlation. The document "
                              "contrasts it with the true (flipped) convolution, and also notes that deep learning "
                              "calls cross-correlation 'convolution'; the formula is right only in that sense",
                              counterexample=_cex_pair(got, conv, pad), expected=exp_conv[0], expected_latex=exp_conv[1],
                              condition="“convolution” read in the deep-learning sense (cross-correlation), as the "
                                        "document notes")
    if says_conv and computed == "cross_correlation" and strict_names:
        explicit = "true" in lab  # "the true convolution flips the kernel:" names the flipped one outright
        return IndexJudgement("INCORRECT", "true_convolution" if explicit else "convolution",
                              ("called the true (flipped) convolution" if explicit else "called (true) convolution")
                              + ", but evaluated as written the kernel is not flipped: it is "
                              "a cross-correlation (the document itself distinguishes the two)",
                              counterexample=_cex_pair(got, conv, pad), expected=exp_conv[0], expected_latex=exp_conv[1])
    expl = f"evaluated as written it is a {computed.replace('_', '-')}"
    if says_conv and computed == "cross_correlation":
        expl += " (what deep learning calls convolution)"
    return IndexJudgement("CORRECT", computed, expl + "; equal to the reference up to the index origin")


def _strided_single(f, free, tensors, canon, scal, scalar_roles, at_stride_1):
    """A single-channel definition that names a stride, evaluated with stride 2: it must be a strided
    cross-correlation (or convolution), ``got[i] = D(2·i + t)`` for one index origin ``t``, where ``D`` is the
    dense (stride-1) operation with zeros outside the image. ``I(i + s·m)`` (a dilation) is not."""
    x, w = canon["x"][0], canon["w"][0, 0]
    pad, s = 3, 2
    H = x.shape[0]
    ranges = [range(-pad, H + pad)] * len(free)
    got = _evaluate_grid(f, free, ranges, scal, dict(tensors))
    reach = s * (H + pad) + 8
    lo = -reach
    dense_shape = [2 * reach + 1] * x.ndim
    stride_name = next((n for n, r in scalar_roles.items() if r == "stride"), "s")
    best = None
    for kern, name in ((w, "cross-correlation"), (np.flip(w), "convolution")):
        dense = np.zeros(dense_shape)
        for q in itertools.product(*[range(-H - 4, 2 * H + 4)] * x.ndim):  # D(q) = Σ_off x[q + off] · kern[off]
            acc = 0.0
            for off in itertools.product(*[range(n) for n in kern.shape]):
                src = tuple(a + b for a, b in zip(q, off))
                if all(0 <= c < n for c, n in zip(src, x.shape)):
                    acc += x[src] * kern[off]
            dense[tuple(c - lo for c in q)] = acc
        grid = np.array(list(ranges[0]))
        for t in itertools.product(range(-5, 6), repeat=x.ndim):
            if _DEADLINE.get("origin_fixed") and any(t):
                continue
            idx = np.ix_(*[s * grid + tt - lo for tt in t])
            ref = dense[idx]
            if np.allclose(got, ref, atol=1e-9):
                return IndexJudgement("CORRECT", at_stride_1.quantity, at_stride_1.explanation + f"; with "
                                      f"{stride_name} = 2 it is the strided {name} (every 2nd position)")
            if best is None and not any(t):
                best = (name, ref)  # the counterexample: the index origin of the definition, 0
    pos, gv, wv = _first_diff(got, best[1])
    return IndexJudgement("INCORRECT", at_stride_1.quantity, f"agrees with a {at_stride_1.quantity.replace('_', '-')} "
                          f"only for stride 1: evaluated as written with {stride_name} = 2 it is no strided "
                          "cross-correlation or convolution at any index origin (the stride must multiply the "
                          "output position, not the kernel offset)",
                          counterexample={"values": {stride_name: 2}, "entry": [p - pad for p in pos],
                                          "document": round(gv, 6), "strided_cross_correlation": round(wv, 6),
                                          "note": "random image and kernel (seed 0)"})


def _cex_pair(got, other, pad):
    diff = np.argwhere(~np.isclose(got, other, rtol=1e-9, atol=1e-9))
    inside = [d for d in diff if all(x >= pad for x in d)]  # prefer an entry inside the image
    if len(diff) == 0:
        pos, gv, wv = (0,), 0.0, 0.0
    else:
        pos = tuple(int(x) for x in (inside[0] if inside else diff[0]))
        gv, wv = float(got[pos]), float(other[pos])
    return {"entry": [p - pad for p in pos], "document": round(gv, 6), "other_operation": round(wv, 6),
            "note": "random 6×6 image and 2×2 kernel (seed 0); the document's formula and the operation it names differ"}


# --------------------------------------------------------------------------- pooling


#: letters that name a channel index on the left side of a pooling formula (``Y_{i,j,c}``)
_CHANNEL_INDEX = ("c", "ch", "k", "d", "f", "ci", "co")


def _lhs_plane(free, reads) -> dict:
    """Rows and columns of the output bound by the left side's order (the evidence of the written indices).

    The free indices a window offset is added to (``pi + m``) are positions; a free index only ever read bare
    (``X_{…, c}``) is the channel. When all three are used in offsets, a channel letter (``c``) names the
    channel. The first position on the left is the row, the second the column. Empty when this does not
    settle two positions.

    >>> import sympy as sp
    >>> X = sp.IndexedBase("X"); i, j, c, m, n, p = sp.symbols("i j c m n p")
    >>> _lhs_plane(["i", "j", "c"], [X[p*i + m, c + n, p*j]])
    {'i': 'r', 'j': 'c', 'c': 'ci'}
    >>> _lhs_plane(["j", "i"], [X[p*i + m, p*j + n]])
    {'j': 'r', 'i': 'c'}
    """
    args = [a for r in reads for a in access_args(r)]
    used = {v for a in args if not a.is_Symbol for v in _syms(a) & set(free)}
    positions = [v for v in free if v in used]
    if len(positions) == 3 and len(free) == 3:
        named = [v for v in positions if v.lower() in _CHANNEL_INDEX]
        if len(named) != 1:
            return {}
        positions.remove(named[0])
    if len(positions) != 2 or len(free) - len(positions) > 1:
        return {}
    out = dict(zip(positions, ("r", "c")))
    out.update({v: "ci" for v in free if v not in out})
    return out


def _pool_roles(free, reads, bound):
    """Roles of the pooling formula's variables: output/input position row/col, window offsets, channel."""
    loop_vars = set(free) | set(bound)
    var_role = _lhs_plane(free, reads)
    for r in reads:
        for a in access_args(r):
            vs = _syms(a) & loop_vars
            if a.is_Symbol or not vs:
                continue
            pos = [v for v in vs if v not in bound] or [v for v in vs if v in free]
            if len(pos) != 1:
                if var_role:
                    continue  # no single position variable: the read's axes follow the left side's (_pool_runs)
                raise _Unrecognized(f"the pooling index {a} has no single position variable")
            if pos[0] not in var_role:
                var_role[pos[0]] = "r" if "r" not in var_role.values() else "c"
            for o in vs - set(pos):
                var_role.setdefault(o, "k" + var_role[pos[0]])
    for r in reads:
        for a in access_args(r):
            if a.is_Symbol and str(a) in loop_vars and str(a) not in var_role:
                var_role[str(a)] = "ci" if str(a) in free else ("r" if "r" not in var_role.values() else "c")
    for v in free:
        if v not in var_role:
            var_role[v] = "r" if "r" not in var_role.values() else ("c" if "c" not in var_role.values() else "ci")
    return var_role


def _pool_runs(f, free, var_role, reads, kinds, scalar_roles, fwd, kind_pool, rhs, winmax=None):
    names = {tensor_name(r) for r in reads} - {WINDOW_MAX}
    lhs_axes = [var_role.get(v) for v in free]
    if sorted(a for a in lhs_axes if a in ("r", "c")) != ["c", "r"]:
        raise _Unrecognized("only two-dimensional pooling formulas are judged")
    layouts = {}
    for r in reads:
        axes = [var_role.get(str(a)) if a.is_Symbol else None for a in access_args(r)]
        if None in axes:
            axes = []
            for a in access_args(r):
                rs = {var_role.get(v) for v in _syms(a) if v in var_role}
                rr = "r" if rs & {"r", "kr"} else "c" if rs & {"c", "kc"} else "ci" if "ci" in rs else None
                if rr is None and len(access_args(r)) == len(lhs_axes):
                    axes = list(lhs_axes)  # an index of no position: the input is stored as the output is written
                    break
                if rr is None:
                    raise _Unrecognized(f"cannot tell what the index {a} stands for")
                axes.append(rr)
        layouts[tensor_name(r)] = axes
    for n, axes in layouts.items():
        layouts[n] = _same_plane_order(axes, lhs_axes)
    has_c = "ci" in lhs_axes
    results = []
    rng = np.random.default_rng(1)
    stride_named = "stride" in scalar_roles.values()
    pool_named = "pool" in scalar_roles.values() or "kernel" in scalar_roles.values()
    if stride_named and not pool_named and _window_sized_by(rhs, {n for n, r in scalar_roles.items() if r == "stride"}):
        stride_named = False  # "p×p windows with stride p": one letter is both, the window moves by its own size
    for p in (2, 3) if pool_named else (2,):
        for s in ((1, 2, 3) if stride_named else (p,)):
            for H in (6, 7):
                C = 2 if has_c else 1
                x = rng.standard_normal((1, C, H, H))
                Ho = (H - p) // s + 1
                g = rng.standard_normal((1, C, Ho, Ho))
                scal = {}
                for n, r in scalar_roles.items():
                    if r in ("pool", "kernel"):
                        scal[n] = p
                    elif r == "stride":
                        scal[n] = s
                    elif r == "input_size":
                        scal[n] = H
                tensors = {}
                canon_roles = ["ci", "r", "c"]
                for n in names:
                    src = g[0] if kinds.get(n) == "g" else x[0]
                    tensors[n] = _to_doc(src, canon_roles, layouts[n], n)
                if winmax is not None:  # 1 where the entry is the maximum of a window it belongs to
                    mask = (truth.max_pool2d_backward(np.ones_like(g), x, p, s)[0] > 0).astype(float)
                    tensors[WINDOW_MAX] = _to_doc(mask, canon_roles, layouts[WINDOW_MAX], winmax)
                if fwd:
                    want = (truth.avg_pool2d if kind_pool == "avg" else truth.max_pool2d)(x, p, s)[0]
                else:
                    want = (truth.avg_pool2d_backward if kind_pool == "avg" else truth.max_pool2d_backward)(g, x, p, s)[0]
                want_doc = _to_doc(want, canon_roles, lhs_axes, "the left side")
                for node in sp.preorder_traversal(rhs):  # ∑_{p,q}, max_{(u,v) ∈ window}: offsets over the window
                    if isinstance(node, sp.Sum) or isinstance(node, AppliedUndef) and node.func.__name__ == "max_over":
                        limits = node.limits if isinstance(node, sp.Sum) else [t for t in node.args[1:]
                                                                               if isinstance(t, sp.Tuple) and len(t) == 3]
                        for v, lo, hi in limits:
                            if lo == -sp.oo and hi == sp.oo and var_role.get(str(v)) in ("kr", "kc"):
                                scal["#lo:" + str(v)], scal["#hi:" + str(v)] = 0, p - 1
                got = _evaluate_grid(f, free, [range(n) for n in want_doc.shape], scal, tensors, rhs)
                ok = np.allclose(got, want_doc, rtol=1e-9, atol=1e-9)
                results.append((s, H, p, ok, got, want_doc))
    return results


def _window_sized_by(rhs, names: set) -> bool:
    """Does a letter of ``names`` bound the window of ``rhs`` (the range of a sum or a max over offsets)?

    >>> m, p = sp.symbols("m p")
    >>> _window_sized_by(sp.Sum(m, (m, 0, p - 1)), {"p"}), _window_sized_by(sp.Sum(m, (m, 0, 2)), {"p"})
    (True, False)
    """
    for node in sp.preorder_traversal(rhs):
        limits = node.limits if isinstance(node, sp.Sum) else (
            [t for t in node.args[1:] if isinstance(t, sp.Tuple) and len(t) == 3]
            if isinstance(node, AppliedUndef) and node.func.__name__ == "max_over" else [])
        if any({str(x) for x in (_symbols_of(lo) | _symbols_of(hi))} & names
               for _, lo, hi in limits):
            return True
    return False


def _same_plane_order(axes: list, lhs_axes: list) -> list:
    """A read tensor's rows and columns in the order of the left side's: a formula that reads the input at
    (column, row) for the output at (row, column) transposes the image, which no layout convention means.

    The binding keeps the evidence of the written indices (the left side's first spatial index is the row, and
    the input is stored the same way); it never re-reads the input as a transposed layout to make a formula work.

    >>> _same_plane_order(["c", "r", "ci"], ["r", "c", "ci"]), _same_plane_order(["ci", "r", "c"], ["r", "c", "ci"])
    (['r', 'c', 'ci'], ['ci', 'r', 'c'])
    """
    plane = [a for a in lhs_axes if a in ("r", "c")]
    mine = [a for a in axes if a in ("r", "c")]
    if len(plane) != 2 or len(mine) != 2 or mine == plane:
        return axes
    swap = {"r": "c", "c": "r"}
    return [swap.get(a, a) for a in axes]


def _pool_kind(rhs, low):
    if any(isinstance(n, AppliedUndef) and str(n.func.__name__) == "max_over" for n in sp.preorder_traversal(rhs)):
        return "max"
    if any(isinstance(n, sp.Sum) for n in sp.preorder_traversal(rhs)) or "average" in low or "avg" in low:
        return "avg"
    if "max" in low:
        return "max"
    return None


def _judge_pool_forward(lhs, rhs, free, reads, kinds, bound, scalar_roles, low, time_limit):
    kind_pool = _pool_kind(rhs, low)
    if kind_pool is None:
        raise _Unrecognized("neither a maximum nor an average over a window")
    var_role = _pool_roles(free, reads, bound)
    f = _compile(rhs, bare_range=10, time_limit=time_limit)
    results = _pool_runs(f, free, var_role, reads, kinds, scalar_roles, True, kind_pool, rhs)
    pool_name = next((n for n, r in scalar_roles.items() if r in ("pool", "kernel")), "p")
    s_name = next((n for n, r in scalar_roles.items() if r == "stride"), "s")
    conds = [(f"pool size {pool_name} = stride {s_name}", lambda r: r[0] == r[2], False)]
    if kind_pool == "avg":
        exp = ("Y[i,j] = (1/k²) Σ_u Σ_v X[s·i+u, s·j+v]",
               r"Y_{i,j} = \frac{1}{k^2}\sum_{u=0}^{k-1}\sum_{v=0}^{k-1} X_{s i+u,\,s j+v}")
    else:
        exp = ("Y[i,j] = max_{0≤u<k, 0≤v<k} X[s·i+u, s·j+v]", r"Y_{i,j} = \max_{0 \le u,v < k} X_{s i+u,\,s j+v}")
    return _verdict_from_runs("pool", results, scalar_roles, rhs, quantity=f"{kind_pool}_pool_forward",
                              conditions=conds, expected=exp)


def _judge_pool_backward(lhs, rhs, free, reads, kinds, bound, scalar_roles, low, time_limit, winmax=None):
    kind_pool = "max" if winmax is not None else _pool_kind(rhs, low)
    if kind_pool != "avg" and winmax is None:
        raise _Unrecognized("a max-pooling backward without a condition on the window's maximum is not evaluated")
    if "g" not in kinds.values():
        raise _Unrecognized("no upstream gradient is read")
    var_role = {}
    for v in free:
        var_role[v] = "r" if "r" not in var_role.values() else ("c" if "c" not in var_role.values() else "ci")
    for r in reads:
        for a in access_args(r):
            if a.is_Symbol and str(a) in free:
                continue
            rs = {var_role.get(v) for v in _syms(a) if v in var_role}
            if len(rs) > 1:
                raise _Unrecognized(f"the index {a} mixes axes")
    f = _compile(rhs, bare_range=10, time_limit=time_limit)
    results = _pool_runs(f, free, var_role, reads, kinds, scalar_roles, False, kind_pool, rhs, winmax)
    pool_name = next((n for n, r in scalar_roles.items() if r in ("pool", "kernel")), "p")
    s_name = next((n for n, r in scalar_roles.items() if r == "stride"), "s")
    conds = [(f"pool size {pool_name} = stride {s_name} (non-overlapping windows)", lambda r: r[0] == r[2], False)]
    if kind_pool == "max":  # a gap between windows is fine: those entries get no gradient either way
        conds = [(f"pool size {pool_name} ≤ stride {s_name} (windows do not overlap)", lambda r: r[2] <= r[0], False)]
        exp = ("∂L/∂X[a,b] = Σ over the windows (i,j) whose maximum is X[a,b] of ∂L/∂Y[i,j]",
               r"\frac{\partial L}{\partial X_{a,b}} = \sum_{(i,j):\ X_{a,b} = \max \text{window}(i,j)} "
               r"\frac{\partial L}{\partial Y_{i,j}}")
        return _verdict_from_runs("max_pool_backward", results, scalar_roles, rhs, quantity="max_pool_backward",
                                  conditions=conds, expected=exp)
    exp = ("∂L/∂X[a,b] = (1/k²) Σ_{i,j: a−s·i ∈ [0,k), b−s·j ∈ [0,k)} ∂L/∂Y[i,j]",
           r"\frac{\partial L}{\partial X_{a,b}} = \frac{1}{k^2}\sum_{i,j:\ 0 \le a - s i < k,\ 0 \le b - s j < k} \frac{\partial L}{\partial Y_{i,j}}")
    return _verdict_from_runs("avg_pool_backward", results, scalar_roles, rhs, quantity="avg_pool_backward",
                              conditions=conds, expected=exp)
