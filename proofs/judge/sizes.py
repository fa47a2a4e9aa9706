"""Judge size and count formulas: output size, "same" padding, parameter count, receptive field, jump.

Each judge binds the formula's symbols to roles (:mod:`proofs.judge.roles`),
builds the truth in the *document's own symbols* from :mod:`derive`
(:mod:`proofs.judge.truth`), and compares the two over the admissible integers
(:mod:`proofs.judge.compare`), trying every padding convention the context
allows (per side, as CS231n's ``2P``; in total, as d2l's ``p_h``).

Examples
--------
>>> import sympy as sp
>>> W, F, P, S = sp.symbols("W F P S")
>>> roles = {"W": "input_size", "F": "kernel", "P": "padding", "S": "stride"}
>>> j = judge_output_size((W - F + 2*P)/S + 1, roles)
>>> j.verdict, j.condition
('CONDITIONAL', 'S divides (2·P + W − F)')
>>> judge_output_size(sp.floor((W - F + 2*P)/S) + 1, roles).verdict
'CORRECT'
>>> judge_output_size(sp.floor((W - F + P)/S) + 1, roles, convention="per_side").verdict
'INCORRECT'
>>> judge_output_size(sp.floor((W - F + P)/S) + 1, roles).explanation  # right if P is the total padding
'output size: symbolically equal (padding counted in total, on both sides together)'
"""

from __future__ import annotations

import re

import sympy as sp

from . import truth
from .compare import Condition, compare_scalar, compare_values, fmt_number
from .evaluate import EvalLimit, compile_expr
from .exact import EvalError, exact_value
from .judgement import Judgement

__all__ = [
    "Judgement",
    "judge_output_size",
    "judge_padding_left_out",
    "judge_same_padding",
    "judge_param_count",
    "judge_receptive_field",
    "pretty",
]




_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def pretty(expr) -> str:
    """A readable one-line form: ``⌊(H + 2·P − k)/S⌋ + 1``.

    >>> import sympy as sp
    >>> H, P, k, S = sp.symbols("H P k S")
    >>> pretty(sp.floor((H + 2*P - k)/S) + 1)
    '⌊(H + 2·P − k)/S⌋ + 1'
    >>> pretty(k**2 * sp.Symbol("C_in") - 1)
    'C_in·k² − 1'
    """
    e = sp.sympify(expr, strict=True)  # SymPy objects only; strict refuses strings
    if e.is_Add:
        terms = sorted(e.args, key=lambda t: (t.is_number, t.could_extract_minus_sign(), sp.default_sort_key(t)))
        out = ""
        for n, t in enumerate(terms):
            neg = t.could_extract_minus_sign()
            body = pretty(-t if neg else t)
            if n == 0:
                out = ("−" if neg else "") + body
            else:
                out += (" − " if neg else " + ") + body
        return out
    if e.is_Mul:
        num, den = e.as_numer_denom()
        if den != 1:
            ntext = pretty(num)
            dtext = pretty(den)
            if num.is_Add:
                ntext = f"({ntext})"
            if not (den.is_Symbol or den.is_Integer):
                dtext = f"({dtext})"
            return f"{ntext}/{dtext}"
        if e.could_extract_minus_sign():
            return "−" + pretty(-e)
        parts = []
        for a in sorted(e.args, key=lambda t: (not t.is_number, sp.default_sort_key(t))):
            txt = pretty(a)
            parts.append(f"({txt})" if a.is_Add else txt)
        return "·".join(parts)
    if e.is_Pow:
        base = pretty(e.base)
        if not (e.base.is_Symbol or e.base.is_Integer):
            base = f"({base})"
        if e.exp == -1:
            return f"1/{base}"
        if e.exp.is_Integer and e.exp > 0:
            return base + str(e.exp).translate(_SUPER)
        return f"{base}^({pretty(e.exp)})"
    if isinstance(e, sp.floor):
        return f"⌊{pretty(e.args[0])}⌋"
    if isinstance(e, sp.ceiling):
        return f"⌈{pretty(e.args[0])}⌉"
    if e.is_Rational and not e.is_Integer:
        return f"{e.p}/{e.q}"
    return str(e)


def _latex(expr) -> str:
    return sp.latex(expr)


def _one(roles: dict, role: str, names) -> str | None:
    found = [n for n in names if roles.get(n) == role]
    if len(found) > 1:
        raise _Ambiguous(f"two symbols play the role {role}: {', '.join(found)}")
    return found[0] if found else None


class _Ambiguous(ValueError):
    pass


def _unrec(why: str, quantity=None) -> Judgement:
    return Judgement("UNRECOGNIZED", quantity, why)


def _from_comparison(res, quantity, expected_expr, *, what: str, conv_note: str = "") -> Judgement:
    exp_text, exp_tex = pretty(expected_expr), _latex(expected_expr)
    if res.agree:
        how = "symbolically equal" if res.symbolic else res.reason
        return Judgement("CORRECT", quantity, f"{what}: {how}{conv_note}", expected=exp_text, expected_latex=exp_tex)
    if res.counterexample is None:
        return Judgement("UNRECOGNIZED", quantity, f"{what}: {res.reason}")
    if res.condition and not res.condition_trivial:
        return Judgement("CONDITIONAL", quantity, f"{what}: {res.reason}{conv_note}", counterexample=res.counterexample,
                         condition=res.condition, expected=exp_text, expected_latex=exp_tex)
    cex = res.counterexample
    extra = f"; it holds only when {res.condition}" if res.condition else ""
    return Judgement("INCORRECT", quantity,
                     f"{what}: at {_fmt_values(cex['values'])} the document gives {cex['document']} but the "
                     f"true value is {cex['expected']}{extra}", counterexample=cex, expected=exp_text,
                     expected_latex=exp_tex)


def _fmt_values(values: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())


# --------------------------------------------------------------------------- output size


def judge_output_size(doc, roles: dict, *, context: str = "", convention: str | None = None,
                      op: str = "conv", time_limit: float = 2.0, ceil_mode: bool | None = None,
                      dilation_base: int = 1) -> Judgement:
    """Judge a formula for the output size of a convolution or pooling window.

    Parameters
    ----------
    doc : the document's right-hand side (SymPy).
    roles : symbol name -> role (``input_size``, ``kernel``/``pool``, ``stride``, ``padding``, ``dilation``).
    convention : ``"per_side"``, ``"total"`` or None (try both).
    op : ``"conv"`` or a pooling op.
    ceil_mode : the rounding the prose before the formula states (None: read from ``context``, else both tried).
    dilation_base : the document's value for "no dilation" (1 as PyTorch, 0 as oneDNN: its ``DH`` is ``d − 1``).
    """
    names = sorted(str(s) for s in doc.free_symbols)
    unbound = [n for n in names if n not in roles]
    if unbound:
        return _unrec(f"output size: cannot bind {', '.join(unbound)} to a role", "output_size")
    try:
        H = _one(roles, "input_size", names)
        k = _one(roles, "kernel", names) or _one(roles, "pool", names)
        s = _one(roles, "stride", names)
        P = _one(roles, "padding", names)
        d = _one(roles, "dilation", names)
    except _Ambiguous as exc:
        return _unrec(f"output size: {exc}", "output_size")
    if H is not None and k is None and s is not None and re.search(r"\bsame(?:_upper|_lower)?\b", context, re.I) \
            and set(names) == {H, s}:
        from .transposed import TRANSPOSED_WORDS

        if re.search(TRANSPOSED_WORDS, context, re.I):  # a transposed convolution's SAME size is H·s, not ⌈H/s⌉
            return _unrec("output size with SAME padding in a transposed convolution's text: not judged as a "
                          "forward size", "output_size")
        return _same_output_size(doc, H, s, time_limit)
    if H is None or k is None:
        return _unrec("output size: the formula does not involve both an input size and a kernel size", "output_size")
    if [r for n, r in roles.items() if n in names and r not in ("input_size", "kernel", "pool", "stride", "padding", "dilation")]:
        return _unrec("output size: the formula involves symbols that are not sizes", "output_size")
    sym = {n: sp.Symbol(n) for n in names}
    if s is not None and _grows_with_stride(doc, sym[H], sym[s]):
        return _unrec("output size: the formula multiplies the input size by the stride, as a transposed convolution "
                      "or an unpooling does; it is no forward window count", "output_size")
    Hs, ks = sym[H], sym[k]
    ss = sym[s] if s else sp.Integer(1)
    ds = sym[d] + (1 - dilation_base) if d else sp.Integer(1)
    dil = lambda v: v.get(d, dilation_base) + 1 - dilation_base  # noqa: E731 - PyTorch's dilation at a point
    conventions = [convention] if convention else ["per_side", "total"]
    if P is None:
        conventions = ["per_side"]
    ceil_modes = [False, True] if (doc.has(sp.ceiling) and op != "conv") else [False]
    stated = ceil_mode if ceil_mode is not None else _stated_ceil_mode(context)
    if stated is not None and doc.has(sp.ceiling) and op != "conv":
        ceil_modes = [stated]  # the prose says which rounding the formula is for: the other one is not a reading
    truth_op = "conv" if op == "conv" else "max_pool"  # pooling's ceil mode drops a window that starts in the padding
    domain = {H: range(1, 17), k: range(1, 8)}
    if s:
        domain[s] = range(1, 5)
    if P:
        domain[P] = range(0, 4)
    if d:
        domain[d] = range(dilation_base, dilation_base + 3)
    results = []
    for conv, ceil in [(c, m) for c in conventions for m in ceil_modes]:
        Ps = sym[P] if P else sp.Integer(0)
        if conv == "total":
            truth_expr = truth.output_size_expr(Hs + Ps, ks, ss, 0, ds, op=truth_op if ceil else "conv", ceil_mode=ceil)
            total = lambda v, P=P: v.get(P, 0)  # noqa: E731
        else:
            truth_expr = truth.output_size_expr(Hs, ks, ss, Ps, ds, op=truth_op if ceil else "conv", ceil_mode=ceil)
            total = lambda v, P=P: 2 * v.get(P, 0)  # noqa: E731

        def admissible(v, total=total):
            ext = dil(v) * (v[k] - 1) + 1
            return ext <= v[H] + total(v)

        numer = Hs + (2 * sym[P] if (P and conv == "per_side") else (sym[P] if P else 0)) - ds * (ks - 1) - 1
        numer_text = pretty(sp.expand(numer))
        conds = []
        if s:
            conds.append(Condition(f"{s} divides ({numer_text})",
                                   lambda v, total=total: (v[H] + total(v) - dil(v) * (v[k] - 1) - 1) % v[s] == 0))
            conds.append(Condition(f"{s} = 1", lambda v: v[s] == 1, trivial=True))
        if P:
            conds.append(Condition(f"{P} = 0", lambda v: v[P] == 0, trivial=True))
        if d:
            conds.append(Condition(f"{d} = {dilation_base}", lambda v: v[d] == dilation_base, trivial=True))
        conds.append(Condition(f"{k} is odd", lambda v: v[k] % 2 == 1))
        res = compare_scalar(doc, truth_expr, domain, admissible=admissible, conditions=conds, time_limit=time_limit)
        results.append((conv, truth_expr, res))
        if res.agree:
            break
    for conv, texpr, res in results:
        if res.agree:
            note = " (padding counted in total, on both sides together)" if conv == "total" else ""
            note += " (ceil mode)" if texpr.has(sp.ceiling) else ""
            return _from_comparison(res, "output_size", texpr, what="output size", conv_note=note)
    for conv, texpr, res in results:
        if res.condition and not res.condition_trivial:
            note = " (padding counted in total)" if conv == "total" else ""
            return _from_comparison(res, "output_size", texpr, what="output size", conv_note=note)
    if P is None and _padding_implied(context):
        implied = _implied_padding(doc, Hs, ks, ss, ds, domain, time_limit)
        if implied is not None:
            return implied
        return _unrec("output size: the prose speaks of a padding that the formula does not name (it may be "
                      "substituted already); not judged", "output_size")
    conv, texpr, res = results[0]
    j = _from_comparison(res, "output_size", texpr, what="output size")
    if len(results) > 1 and j.verdict == "INCORRECT":
        j.explanation += "; it is wrong with padding per side and with padding in total"
    return j


def _grows_with_stride(doc, H, s) -> bool:
    """Does ``doc`` hold a term ``H·s`` with ``s`` in no denominator (``(H − 1)·s + k``: a size that grows with s)?

    >>> H, s, k = sp.symbols("H s k")
    >>> _grows_with_stride((H - 1) * s + k, H, s), _grows_with_stride(sp.floor((H - k) / s) + 1, H, s)
    (True, False)
    >>> _grows_with_stride(sp.floor((H - s) / k) + 1, H, s)  # the roles swapped: still a window count, and wrong
    False
    >>> _grows_with_stride(sp.floor((s - k) / H) + 1, H, s)  # s divided by the input size: no product of the two
    False
    """
    for node in sp.preorder_traversal(doc):
        if isinstance(node, sp.Pow) and node.exp.is_negative and s in node.base.free_symbols:
            return False

    def is_s(f) -> bool:
        return f == s or (isinstance(f, sp.Pow) and f.base == s and f.exp.is_positive)

    def product(e) -> bool:  # a term in which s multiplies something holding H (not both merely inside one floor)
        for t in sp.Add.make_args(sp.expand(e)):
            factors = sp.Mul.make_args(t)
            if any(is_s(f) for f in factors) and any(H in f.free_symbols and not (f.is_Pow and f.exp.is_negative)
                                                     for f in factors if not is_s(f)):
                return True
        return False

    parts = [doc] + [n.args[0] for n in sp.preorder_traversal(doc) if isinstance(n, (sp.floor, sp.ceiling))]
    return any(product(e) for e in parts)


def _stated_ceil_mode(context: str) -> bool | None:
    """True/False when the prose says the formula is for ceil mode enabled/disabled, else None.

    >>> _stated_ceil_mode("the output shape when ceil_mode is enabled:"), _stated_ceil_mode("with ceil_mode=False")
    (True, False)
    """
    low = context.lower()[-400:]
    on = [m.end() for m in re.finditer(r"ceil[_ ]mode\s*(?:is\s+|=\s*)?(?:enabled|true|on|set)\b|ceil_mode=true", low)]
    off = [m.end() for m in re.finditer(r"ceil[_ ]mode\s*(?:is\s+|=\s*)?(?:disabled|false|off|not set)\b|ceil_mode=false", low)]
    if not on and not off:
        return None
    return max(on or [-1]) > max(off or [-1])


def _same_output_size(doc, H: str, s: str, time_limit: float) -> Judgement:
    """``"SAME"`` padding (TensorFlow, ONNX ``SAME_UPPER``/``SAME_LOWER``): the size depends on input and stride only."""
    Hs, ss = sp.Symbol(H), sp.Symbol(s)
    expected = truth.output_size_expr(Hs, sp.Symbol("k"), ss, "SAME")
    if sp.Symbol("k") in expected.free_symbols:
        return _unrec("output size with SAME padding: derive's answer depends on the kernel", "output_size")
    conds = [] if doc.has(sp.floor, sp.ceiling) else [  # an exact division: right where it divides
        Condition(f"{s} divides ({H} − 1)", lambda v: (v[H] - 1) % v[s] == 0),
        Condition(f"{s} divides {H}", lambda v: v[H] % v[s] == 0), Condition(f"{s} = 1", lambda v: v[s] == 1, trivial=True)]
    res = compare_scalar(doc, expected, {H: range(1, 33), s: range(1, 6)}, conditions=conds, time_limit=time_limit)
    j = _from_comparison(res, "output_size", expected, what="output size with SAME padding")
    return j


def _padding_implied(context: str) -> bool:
    """Does the prose (or heading) speak of a padding (half, full, same, zero padding) rather than none?

    >>> _padding_implied("Half (same) padding"), _padding_implied("No zero padding, unit strides")
    (True, False)
    """
    low = context.lower()
    if re.search(r"\bno (zero[- ])?padding|without (zero[- ])?padding|unpadded|\bvalid\b|\bnot\b[^.]{0,30}padding", low):
        return False
    return bool(re.search(r"\b(half|full|same|zero|arbitrary)[- ]?\)?\s*\(?(same\)?\s*)?padd|padd(ed|ing) with", low))


def _implied_padding(doc, Hs, ks, ss, ds, domain, time_limit):
    """The formula as the output size with a padding scheme substituted (half ``⌊k/2⌋``, full ``k − 1``)."""
    for label, pad in (("half padding p = ⌊k/2⌋", sp.floor(ks / 2)), ("full padding p = k − 1", ds * (ks - 1))):
        texpr = truth.output_size_expr(Hs, ks, ss, pad, ds, op="conv")
        res = compare_scalar(doc, texpr, domain, time_limit=time_limit / 2)
        if res.agree:
            return _from_comparison(res, "output_size", texpr, what="output size",
                                    conv_note=f" (with {label} substituted, the padding the prose describes)")
    return None


def judge_same_padding(doc, roles: dict, *, convention: str | None = None, time_limit: float = 2.0) -> Judgement:
    """Judge a "same" padding formula ``P = f(k)``: stride 1, the output size must equal the input size.

    >>> import sympy as sp
    >>> k = sp.Symbol("k")
    >>> judge_same_padding(sp.floor(k/2), {"k": "kernel"}).condition
    'k is odd'
    """
    names = sorted(str(s) for s in doc.free_symbols)
    k = [n for n in names if roles.get(n) == "kernel"]
    if len(k) != 1 or len(names) != 1:
        return _unrec("same padding: the formula should involve the kernel size only", "same_padding")
    k = k[0]
    per_side = convention != "total"

    def doc_out(v, per_side=per_side):
        P = exact_value(doc, v)
        if P.denominator != 1 or P < 0:
            raise EvalError("padding is not a non-negative integer")
        return truth.output_size_value(v["H_in"], v[k], 1, (2 if per_side else 1) * int(P))

    res = compare_values(doc_out, lambda v: v["H_in"], {"H_in": range(1, 13), k: range(1, 8)},
                         admissible=lambda v: v[k] <= v["H_in"],
                         conditions=[Condition(f"{k} is odd", lambda v: v[k] % 2 == 1)], time_limit=time_limit)
    if not res.agree and convention is None:
        alt = judge_same_padding(doc, roles, convention="total", time_limit=time_limit)
        if alt.verdict == "CORRECT":
            return alt
    expected = (sp.Symbol(k) - 1) / 2 if per_side else sp.Symbol(k) - 1
    if res.counterexample:
        res.counterexample["note"] = "document's padding, stride 1: output size vs input size"
    what = "same padding (output size = input size at stride 1" + ("" if per_side else ", padding counted in total") + ")"
    j = _from_comparison(res, "same_padding", expected, what=what)
    if j.verdict == "CONDITIONAL":
        j.expected = f"{pretty(expected)} (exists only for odd {k})"
    return j


# --------------------------------------------------------------------------- parameter count


def judge_param_count(doc, roles: dict, *, context: str = "", time_limit: float = 2.0) -> Judgement:
    """Judge a parameter count of a convolution (with or without bias; depthwise-separable in context).

    >>> import sympy as sp
    >>> k, Ci, Co = sp.symbols("k C_in C_out")
    >>> judge_param_count(k**2*Ci*Co + Co, {"k": "kernel", "C_in": "channels_in", "C_out": "channels_out"}).verdict
    'CORRECT'
    >>> judge_param_count(k**2*Ci*Co + Ci, {"k": "kernel", "C_in": "channels_in", "C_out": "channels_out"}).verdict
    'INCORRECT'
    """
    names = sorted(str(s) for s in doc.free_symbols)
    unbound = [n for n in names if n not in roles]
    if unbound:
        return _unrec(f"parameter count: cannot bind {', '.join(unbound)} to a role", "param_count")
    kern = [n for n in names if roles[n] == "kernel"]
    ci = [n for n in names if roles[n] == "channels_in"]
    co = [n for n in names if roles[n] == "channels_out"]
    ch = [n for n in names if roles[n] == "channels"]
    other = [n for n in names if roles[n] not in ("kernel", "channels_in", "channels_out", "channels")]
    if other or not kern or len(kern) > 2 or len(ci) > 1 or len(co) > 1 or len(ch) > 1:
        return _unrec("parameter count: the symbols are not one kernel size and channel counts", "param_count")
    if not (ci or co or ch):
        return _unrec("parameter count: no channel count in the formula", "param_count")
    sym = {n: sp.Symbol(n) for n in names}
    kh, kw = (sym[kern[0]], sym[kern[-1]])
    c_in = sym[ci[0]] if ci else (sym[ch[0]] if ch else sp.Integer(1))
    c_out = sym[co[0]] if co else (sym[ch[0]] if ch else sp.Integer(1))
    low = context.lower()
    variants = []
    if re.search(r"separable|depthwise", low):
        variants += [(f"depthwise-separable, {label}", truth.separable_params_expr(c_in, c_out, kh, kw, bias=which))
                     for label, which in (("without biases", "none"), ("bias on the pointwise conv", "pointwise"),
                                          ("both biases", "both"))]
    variants += [("with bias", truth.conv_params_expr(c_in, c_out, kh, kw, bias=True)),
                 ("without bias", truth.conv_params_expr(c_in, c_out, kh, kw, bias=False))]
    domain = {n: range(1, 8) for n in names}
    results = []
    for label, texpr in variants:
        res = compare_scalar(doc, texpr, domain, time_limit=time_limit / len(variants))
        if res.agree:
            return _from_comparison(res, "param_count", texpr, what=f"parameter count ({label})")
        results.append((label, texpr, res))
    # report against the variant the formula is closest to (bias term present or not)
    kern_syms = {sym[n] for n in kern}
    has_const_channel_term = any(t.free_symbols and not (t.free_symbols & kern_syms) for t in sp.Add.make_args(sp.expand(doc)))
    pick = next((r for r in results if ("with bias" == r[0]) == bool(has_const_channel_term)), results[0])
    label, texpr, res = pick
    return _from_comparison(res, "param_count", texpr, what=f"parameter count ({label})")


# --------------------------------------------------------------------------- receptive field and jump


def _sequence_form(expr, index_vars: set[str]):
    """Symbols ``k_l``, ``s_i`` whose subscript is an index variable become sequence reads ``k[l]``."""
    reps = {}
    for sym in expr.free_symbols | {s for n in sp.preorder_traversal(expr) if isinstance(n, (sp.Sum, sp.Product))
                                    for s in n.function.free_symbols}:
        name = str(sym)
        if "_" in name:
            base, sub = name.split("_", 1)
            if sub in index_vars:
                reps[sym] = sp.IndexedBase(base)[sp.Symbol(sub)]
    return expr.xreplace(reps) if reps else expr


def judge_receptive_field(lhs, doc, roles: dict, *, what: str = "receptive_field", context_values: dict | None = None,
                          time_limit: float = 2.0) -> Judgement:
    """Judge a receptive-field (or jump) formula: closed form, sum/product over layers, or recursion.

    The document's formula is evaluated as written on random stacks of layers (kernel sizes and
    strides per layer) and compared with :func:`derive.receptive_field` (size and jump).

    >>> import sympy as sp
    >>> L, k = sp.symbols("L k")
    >>> judge_receptive_field(sp.Symbol("RF"), 1 + L*(k - 1), {"L": "layers", "k": "kernel"}).verdict
    'CORRECT'
    """
    import random

    if not lhs.is_Symbol:
        return _unrec("receptive field: the left side is not the receptive field of one layer (a recursion read "
                      "backwards, from the output, is not judged)", what)
    context_values = context_values or {}
    lhs_name = str(lhs) if lhs.is_Symbol else ""
    layer_var = None
    if "_" in lhs_name:
        sub = lhs_name.split("_", 1)[1]
        if re.fullmatch(r"[A-Za-z]+", sub) and sub not in ("in", "out"):
            layer_var = sub
    index_vars = {str(v) for n in sp.preorder_traversal(doc) if isinstance(n, (sp.Sum, sp.Product)) for v in n.variables}
    if layer_var:
        index_vars.add(layer_var)
    seq = _sequence_form(doc, index_vars)
    reads = {str(n.base.label) for n in sp.preorder_traversal(seq) if isinstance(n, sp.Indexed)}
    free = {str(s) for s in seq.atoms(sp.Symbol)} - reads
    free -= index_vars
    free_roles = {n: roles.get(n) for n in free}
    layers_sym = [n for n, r in free_roles.items() if r == "layers"] or [n for n in free if n in ("L", "N", "n", "l")]
    k_sym = [n for n, r in free_roles.items() if r == "kernel"]
    s_sym = [n for n, r in free_roles.items() if r == "stride"]
    d_sym = [n for n, r in free_roles.items() if r == "dilation"]
    unknown = [n for n in free if n not in layers_sym + k_sym + s_sym + d_sym]
    if unknown:
        return _unrec(f"receptive field: cannot bind {', '.join(sorted(unknown))}", what)
    kern_seq = [r for r in reads if roles.get(r) == "kernel" or r.lower() in ("k", "f")]
    stride_seq = [r for r in reads if roles.get(r) == "stride" or r.lower() == "s"]
    dil_seq = [r for r in reads if r.lower() == "d"]
    rec_seq = [r for r in reads if r not in kern_seq + stride_seq + dil_seq]
    if len(rec_seq) > 1:
        return _unrec(f"receptive field: unknown sequences {', '.join(rec_seq)}", what)
    try:
        f = compile_expr(seq, time_limit=time_limit)
    except EvalLimit as exc:
        return _unrec(f"receptive field: {exc}", what)
    rng = random.Random(0)
    runs = []
    fixed_k = context_values.get("kernel")
    fixed_s = context_values.get("stride")
    for trial in range(40):
        L = rng.randint(1, 5)
        uniform = bool(k_sym or s_sym) or not (kern_seq or stride_seq)
        kk = [rng.randint(1, 6)] * L if uniform else [rng.randint(1, 6) for _ in range(L)]
        ss = [rng.randint(1, 3)] * L if uniform else [rng.randint(1, 3) for _ in range(L)]
        if fixed_k and not (k_sym or kern_seq):
            kk = [fixed_k] * L
        if not (s_sym or stride_seq):
            ss = [fixed_s or 1] * L
        runs.append((L, kk, ss))
    for origin in (1, 0):
        ok_all, cex = True, None
        for L, kk, ss in runs:
            rf = [truth.receptive_field(kk[:n], ss[:n]) for n in range(0, L + 1)]  # rf[n] after n layers
            scal = {}
            for n in layers_sym:
                scal[n] = L
            for n in k_sym:
                scal[n] = kk[0]
            for n in s_sym:
                scal[n] = ss[0]
            for n in d_sym:
                scal[n] = 1
            tensors = {}
            for r in kern_seq:
                tensors[r] = {i + origin: kk[i] for i in range(L)}
            for r in stride_seq:
                tensors[r] = {i + origin: ss[i] for i in range(L)}
            for r in dil_seq:
                tensors[r] = {i + origin: 1 for i in range(L)}
            want_layer = L
            if layer_var:
                scal[layer_var] = L - 1 + origin
            for r in rec_seq:
                tensors[r] = {i - 1 + origin: (rf[i][0] if what == "receptive_field" else rf[i][1]) for i in range(0, L + 1)}
            try:
                got = f(scal, tensors)
            except (EvalLimit, ValueError, ZeroDivisionError, OverflowError) as exc:
                return _unrec(f"receptive field: {exc}", what)
            want = rf[want_layer][0] if what == "receptive_field" else rf[want_layer][1]
            if abs(got - want) > 1e-9:
                ok_all = False
                cex = {"values": {"layers": L, "kernel_sizes": kk, "strides": ss}, "document": fmt_number(round(got)),
                       "expected": want}
                break
        if ok_all:
            lab = "receptive field" if what == "receptive_field" else "jump (effective stride)"
            note = " (layers counted from 0)" if origin == 0 else ""
            return Judgement("CORRECT", what, f"{lab}: evaluated as written on {len(runs)} random stacks and equal to "
                             f"derive's recursion{note}")
        if origin == 1:
            first_cex = cex
    lab = "receptive field" if what == "receptive_field" else "jump"
    exp = ("r_ℓ = r_{ℓ−1} + (k_ℓ − 1)·∏_{i<ℓ} s_i,  r_0 = 1" if what == "receptive_field" else "j_ℓ = ∏_{i≤ℓ} s_i")
    exp_tex = (r"r_\ell = r_{\ell-1} + (k_\ell - 1)\prod_{i=1}^{\ell-1} s_i" if what == "receptive_field"
               else r"j_\ell = \prod_{i=1}^{\ell} s_i")
    return Judgement("INCORRECT", what, f"{lab}: for the stack {first_cex['values']} the document gives "
                     f"{first_cex['document']} but the true value is {first_cex['expected']}",
                     counterexample=first_cex, expected=exp, expected_latex=exp_tex)


def judge_padding_left_out(doc, roles: dict, padding: str, *, convention: str | None = None, time_limit: float = 2.0):
    """An output-size formula without the padding ``padding`` that the prose defines for it: right only at zero padding.

    The truth is derive's output size with the padding as a free hyperparameter; the formula, which does not
    involve it, agrees only where it is 0 — the condition a reader states ("holds without padding").
    Returns None unless the formula is exactly right at zero padding and wrong elsewhere.

    >>> import sympy as sp
    >>> W, F, S = sp.symbols("W F S")
    >>> j = judge_padding_left_out(sp.floor((W - F)/S) + 1, {"W": "input_size", "F": "kernel", "S": "stride"}, "P")
    >>> j.verdict, j.condition
    ('CONDITIONAL', 'P = 0')
    """
    names = sorted(str(s) for s in doc.free_symbols)
    try:
        H = _one(roles, "input_size", names)
        k = _one(roles, "kernel", names) or _one(roles, "pool", names)
        s = _one(roles, "stride", names)
        d = _one(roles, "dilation", names)
    except _Ambiguous:
        return None
    if H is None or k is None or padding in names or any(roles.get(n) is None for n in names):
        return None
    sym = {n: sp.Symbol(n) for n in names + [padding]}
    ss, ds = (sym[s] if s else 1), (sym[d] if d else 1)
    total = convention == "total"
    texpr = truth.output_size_expr(sym[H] + (sym[padding] if total else 0), sym[k], ss, 0 if total else sym[padding], ds)
    domain = {H: range(1, 17), k: range(1, 8), padding: range(0, 4)}
    if s:
        domain[s] = range(1, 5)
    if d:
        domain[d] = range(1, 4)
    ext = lambda v: (v.get(d, 1) if d else 1) * (v[k] - 1) + 1  # noqa: E731
    res = compare_scalar(doc, texpr, domain, admissible=lambda v: ext(v) <= v[H],
                         conditions=[Condition(f"{padding} = 0", lambda v: v[padding] == 0)], time_limit=time_limit)
    if res.agree or res.condition != f"{padding} = 0":
        return None
    return _from_comparison(res, "output_size", texpr, what=f"output size: the prose defines the padding {padding} "
                            "for this formula, which leaves it out")
