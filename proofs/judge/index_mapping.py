r"""Index maps without tensors: the input coordinate a convolution reads, and linear offsets of a layout.

Two kinds of one-line index formula, judged by structure and by evaluation (never by their letters alone):

* **the coordinate map** of an implicit GEMM or a direct convolution, ``h = p·stride_h − pad_h + r·dilation_h``:
  of its two index variables, the one multiplied by the stride (a symbol the document binds to the role
  stride) is the output position, the other the kernel tap, whose coefficient must be 1 or the dilation
  (``d`` or ``d + 1``, either count); the constant must be minus the padding. A padding added, a stride on
  both variables, or a stride times something else is INCORRECT, with the values where the first tap of the
  first output lands elsewhere than numeric's convolution reads.
* **a linear offset** (a layout, or the flattened index of an implicit GEMM), ``offset = ((n·H + h)·W + w)·C + c``,
  ``npq = n·P·Q + p·Q + q``: each lower-case index runs over its upper-case extent (``h`` over ``H``; where the
  extent is not written, the one the structure gives); the map is enumerated on small extents and must be a
  bijection onto ``0 … N−1``; where the sentence names one layout (``NHWC``), the strides must be that layout's.

>>> import sympy as sp
>>> h, p, r, S, P, D = sp.symbols("h p r stride_h pad_h dilation_h")
>>> roles = {"stride_h": "stride", "pad_h": "padding", "dilation_h": "dilation"}
>>> judge_index_mapping(h, p * S - P + r * D, roles).verdict
'CORRECT'
>>> judge_index_mapping(h, p * S + P + r * D, roles).verdict
'INCORRECT'
>>> n, c, H, W, C, w = sp.symbols("n c H W C w")
>>> judge_index_mapping(sp.Symbol("offset"), ((n * H + h) * W + w) * C + c, {}, "an NHWC tensor").verdict
'CORRECT'
>>> judge_index_mapping(sp.Symbol("offset"), ((n * H + h) * W + w) * C + c, {}, "an NCHW tensor").verdict
'INCORRECT'
"""

from __future__ import annotations

import itertools
import re

import sympy as sp

from .judgement import Judgement

__all__ = ["judge_index_mapping", "index_runs"]

_LAYOUT = re.compile(r"\b(?=[NCHWD]{3,5}\b)(?!\w*(\w)\w*\1)[NCHWD]+\b")


def index_runs(sides, notes) -> tuple[list, dict] | None:
    """``ih = oh·SH − PH_L + kh·(DH + 1)`` in the notation of oneDNN: the grammar's letter runs re-read as names
    when each is an abbreviation with a role (``SH`` stride, ``PH_L`` padding, ``DH`` dilation) or the
    lower-case index along such an extent (``ih`` along ``IH``, ``kh`` along ``KH``); the sides and the roles of
    the new names, or None.

    >>> from proofs.document import parse_math
    >>> p = parse_math(r"ih = oh \\cdot SH - PH_L + kh \\cdot (DH + 1)")
    >>> sides, roles = index_runs(p.sides, p.notes)
    >>> sides[0], sorted(roles.items())
    (ih, [('DH', 'dilation'), ('PH_L', 'padding'), ('SH', 'stride')])
    """
    from ..notation.names import abbreviation_role, rejoin_runs, runs_in_notes

    runs = runs_in_notes(notes)
    if not runs:
        return None
    out = [rejoin_runs(x, runs) for x in sides]
    before = set().union(*(getattr(x, "free_symbols", set()) for x in sides))
    new = {str(x) for x in set().union(*(getattr(x, "free_symbols", set()) for x in out)) - before}
    roles = {}
    for name in new:
        role = abbreviation_role(name)
        if role is not None:
            roles[name] = role
        elif not (re.fullmatch(r"[a-z]{2}", name) and abbreviation_role(name.upper()) in (
                "input_size", "output_size", "kernel")):
            return None
    return (out, roles) if roles else None


def judge_index_mapping(lhs, rhs, roles: dict, context: str = "", *, dilation_base: int | None = None,
                        named_sides: bool = False) -> Judgement | None:
    """Judge ``lhs = rhs`` as a coordinate map or a linear offset; None when it is neither.

    ``dilation_base`` is the count of the dilation the document states (0: oneDNN, where no dilation is 0 and
    the tap moves by ``d + 1``; 1: PyTorch); None tries both. ``named_sides``: judged only when the names say
    which side of the layer the left side and the position are on (``h_out``, ``h_in``, ``oh``, ``ih``)."""
    if not isinstance(lhs, (sp.Symbol, sp.Indexed)) and not (hasattr(lhs, "func") and lhs.is_Function):
        return None
    try:
        rhs = sp.expand(rhs)
    except (TypeError, ValueError):
        return None
    if not rhs.free_symbols or rhs.has(sp.Sum, sp.Indexed, sp.floor, sp.ceiling) or not rhs.is_polynomial():
        return None
    found = _coordinate(rhs, roles, dilation_base)
    if named_sides:  # read as a size first: a map only where the names say which side each position is on
        m = found and re.search(r"output position (\S+) is multiplied|input coordinate = (\S+?)·", found.explanation)
        if not m or _side(lhs) is None or _side(m.group(1) or m.group(2)) is None:
            return None
    if found is not None and found.verdict == "CORRECT":
        found = _direction(lhs, found, context) or found
    return found or (None if named_sides else _offset(rhs, context))


_TRANSPOSED = re.compile(r"(?i)transpos|deconv|fractionally[- ]strided|up-?sampl|scatter")


def _side(sym) -> str | None:
    """``in``/``out`` as a name says it (``h_in``, ``x_out``, ``ih``, ``oh``, ``i_{out}``), else None."""
    name = str(sym)
    if re.search(r"(?:^|_|\{)in(?:put)?\b|^i[hwd]$", name):
        return "in"
    if re.search(r"(?:^|_|\{)out(?:put)?\b|^o[hwd]$", name):
        return "out"
    return None


def _direction(lhs, found: Judgement, context: str) -> Judgement | None:
    """``h_out = h_in·s − p + i·d`` has the form of the input coordinate a convolution reads with the names
    swapped: it is the position a transposed convolution writes. Right where the prose speaks of a transposed
    convolution (or a gradient), not judged otherwise; None when the names do not say which side is which."""
    m = re.search(r"output position (\S+) is multiplied", found.explanation) or re.match(
        r"input coordinate = (\S+?)·", found.explanation)
    if m is None:
        return None
    left, pos = _side(lhs), _side(m.group(1))
    if left is None or pos is None or left == "in" and pos == "out":
        return None
    if left == pos:
        return Judgement("UNRECOGNIZED", "forward_index", f"{lhs} and {m.group(1)} are named the same side of the "
                         "layer: which is the output position cannot be told")
    if _TRANSPOSED.search(context or ""):
        return Judgement("CORRECT", "transposed_index", f"{lhs} = {m.group(1)}·stride − padding + tap·dilation: the "
                         "output position a transposed convolution writes from input position "
                         f"{m.group(1)} (the forward convolution's read map, its sides exchanged)")
    return Judgement("UNRECOGNIZED", "forward_index", f"{lhs} = {m.group(1)}·stride − …: the output written from an "
                     "input position, the map of a transposed convolution, but the prose does not speak of one")


# --------------------------------------------------------------------------- input coordinate


def _named(expr, roles, role) -> list:
    """The symbols bound to ``role``; where several are, the ones a longer name binds (``stride_w`` over ``s``,
    a letter the role table guessed from its initial)."""
    found = [s for s in expr.free_symbols if roles.get(str(s)) == role]
    return [s for s in found if len(str(s)) > 1] if len(found) > 1 else found


def _coordinate(rhs, roles, dilation_base=None):
    """The two index variables are found by structure (the one the stride multiplies, the one the dilation
    multiplies or the one left alone); only the stride, dilation and padding symbols are taken from the roles."""
    strides, dils = (_named(rhs, roles, r) for r in ("stride", "dilation"))
    if len(strides) != 1 or len(dils) > 1:
        return None
    S = strides[0]
    with_s = [t for t in sp.Add.make_args(rhs) if t.has(S)]
    if len(with_s) != 1 or len(with_s[0].free_symbols) != 2:
        return None  # the stride on neither or both variables: which is the output position cannot be told
    (out,) = with_s[0].free_symbols - {S}
    rest = rhs.free_symbols - {S, out} - set(dils)
    taps = [t for t in rest if dils and any(term.has(dils[0]) and term.has(t) for term in sp.Add.make_args(rhs))]
    singles = [t for t in rest if t not in taps]
    pads = [t for t in _named(rhs, roles, "padding") if t in singles]
    if len(pads) != 1:
        return None  # no padding written: an unpadded layer, or a coordinate in the padded frame
    Pd = pads[0]
    taps = taps or [t for t in singles if t != Pd]
    if len(taps) != 1 or len(rest) != 2:
        return None
    tap = taps[0]
    poly = sp.Poly(rhs, out, tap)
    if poly.total_degree() != 1:
        return None
    c_out, c_tap, const = poly.coeff_monomial(out), poly.coeff_monomial(tap), poly.coeff_monomial(1)
    counts = (0, 1) if dilation_base is None else (1 - dilation_base,)  # tap step − d: 1 counted from 0, 0 from 1
    dil_ok = c_tap == 1 and not dils or (len(dils) == 1 and sp.expand(c_tap - dils[0]) in counts)
    if c_tap == 1 and dils and dilation_base is None:
        dil_ok = True  # a dilation named but not applied: the formula of an undilated layer
    problems = []
    if sp.expand(c_out - S) != 0:
        problems.append(f"the output position {out} is multiplied by {c_out}, not by the stride {S}")
    if not dil_ok:
        want_c = "the dilation" if dilation_base is None else f"{dils[0]} + 1 (the dilation counted from 0)" \
            if dilation_base == 0 else f"{dils[0]} (the dilation counted from 1)"
        problems.append(f"the kernel tap {tap} is multiplied by {c_tap}, not by {want_c}")
    if sp.expand(const + Pd) != 0:
        problems.append(f"the constant is {const}, not −{Pd} (the padding shifts the window back)")
    if not problems:
        return Judgement("CORRECT", "forward_index", f"input coordinate = {out}·{S} − {Pd} + {tap}·"
                         f"{c_tap if c_tap.is_Atom else f'({c_tap})'}: the output position times the stride, minus the padding, "
                         "plus the kernel tap (times the dilation), as numeric's convolution reads")
    vals = {str(S): 2, str(Pd): 1, str(out): 1, str(tap): 1}
    for dsym in dils:
        vals[str(dsym)] = 2
    subs = {sp.Symbol(k): v for k, v in vals.items()}
    subs.update({s: vals[str(s)] for s in rhs.free_symbols if str(s) in vals})
    got = int(rhs.subs(subs))
    if not dils:
        d_val = 1
    elif dilation_base is not None:
        d_val = vals[str(dils[0])] + 1 - dilation_base
    else:
        d_val = int(c_tap.subs(subs)) if dil_ok else vals[str(dils[0])]
    want = _read_coordinate(1, 1, stride=2, padding=1, dilation=d_val)
    return Judgement("INCORRECT", "forward_index", "; ".join(problems) + f". With {vals}: the formula gives "
                     f"{got}; output {out} = 1, tap {tap} = 1 reads input coordinate {want} (numeric.conv2d, "
                     f"dilation {d_val})", counterexample={"values": vals, "document": got, "expected": want})


def _read_coordinate(out: int, tap: int, *, stride: int, padding: int, dilation: int) -> int:
    """The input coordinate numeric's convolution reads for output ``out`` and tap ``tap``: a one-hot kernel at
    ``tap`` over the input ``1, 2, 3, …`` returns the (1-based) value it read.

    >>> _read_coordinate(1, 1, stride=2, padding=1, dilation=2)
    3
    """
    import numpy as np
    import numeric

    n = out * stride + tap * dilation + 2 * padding + 2
    x = np.arange(1, n + 1, dtype=np.float64).reshape(1, 1, 1, n)
    w = np.zeros((1, 1, 1, tap + 1))
    w[0, 0, 0, tap] = 1.0
    y = numeric.conv2d(x, w, stride=(1, stride), padding=(0, padding), dilation=(1, dilation))
    return int(y[0, 0, 0, out]) - 1


# --------------------------------------------------------------------------- linear offsets


def _offset(rhs, context):
    syms = sorted(rhs.free_symbols, key=str)
    idx = [s for s in syms if re.fullmatch(r"[a-z][a-z0-9]*", str(s))]
    ext = [s for s in syms if re.fullmatch(r"[A-Z][A-Za-z0-9]*", str(s))]
    if len(idx) < 2 or len(idx) + len(ext) != len(syms) or not ext:
        return None
    poly = sp.Poly(rhs, *idx)
    if poly.total_degree() != 1 or poly.coeff_monomial(1) != 0:
        return None
    coef = {v: poly.coeff_monomial(v) for v in idx}
    if any(c == 0 or not (c == 1 or (c.is_Mul or c.is_Symbol or c.is_Pow) and c.free_symbols <= set(ext)
                          and sp.Poly(c, *ext).is_monomial and sp.Poly(c, *ext).LC() == 1) for c in coef.values()):
        return None
    by_name = {str(s): s for s in ext}
    extent = {v: by_name.get(str(v).upper()) for v in idx}
    # an extent not written as the index's capital: the one the chain of strides gives (the next stride / this one)
    order = sorted(idx, key=lambda v: sp.Poly(coef[v], *ext).total_degree() if coef[v] != 1 else 0)
    for a, b in zip(order, order[1:]):
        if extent[a] is None:
            q = sp.cancel(coef[b] / coef[a])
            if q.free_symbols and q.free_symbols <= set(ext) and q.is_Symbol:
                extent[a] = q
    if any(e is None for v, e in extent.items() if v != order[-1]):
        return None
    layouts = {m.group(0) for m in _LAYOUT.finditer(context or "")}
    # enumerate on small extents: 2, 3, 4, ... for the extents in order
    values = {e: 2 + k for k, e in enumerate(sorted({e for e in extent.values() if e is not None} | set(ext), key=str))}
    sizes = [values[extent[v]] if extent[v] is not None else 2 for v in idx]
    seen: dict = {}
    f = sp.lambdify(idx + list(values), rhs, "math")
    total = 1
    for n in sizes:
        total *= n
    for point in itertools.product(*[range(n) for n in sizes]):
        off = f(*point, *values.values())
        if off in seen or not 0 <= off < total:
            where = dict(zip(map(str, idx), point))
            vals = {str(e): v for e, v in values.items()}
            if off in seen:
                other = dict(zip(map(str, idx), seen[off]))
                why = f"two elements share offset {off}: {other} and {where}"
            else:
                why = f"element {where} gets offset {off}, outside 0 … {total - 1}"
            return Judgement("INCORRECT", "layout_offset", f"enumerated with extents {vals}: {why}; a layout "
                             "offset must number the elements one to one", counterexample={"values": vals,
                                                                                            "detail": why})
        seen[off] = point
    named = [L for L in layouts if {c.lower() for c in L} == {str(v) for v in idx}]
    if named:
        fits = [L for L in named if all(sp.expand(coef[sp.Symbol(ch.lower())] - sp.Mul(
            *[extent[sp.Symbol(x.lower())] or sp.Symbol(x) for x in L[L.index(ch) + 1:]])) == 0 for ch in L)]
        if not fits:
            actual = "".join(str(v).upper() for v in sorted(idx, key=lambda v: -_stride_value(coef[v], values)))
            return Judgement("INCORRECT", "layout_offset", f"the strides are those of {actual}, not of "
                             f"{' or '.join(sorted(named))}: in {named[0]} the last letter varies fastest",
                             counterexample={"layout": named[0], "strides_order": actual})
        return Judgement("CORRECT", "layout_offset", f"the offset of the {fits[0]} layout: enumerated on extents "
                         f"{ {str(e): v for e, v in values.items()} }, one to one onto 0 … {total - 1}, the last "
                         "letter fastest")
    return Judgement("CORRECT", "layout_offset", f"a linear offset enumerated on extents "
                     f"{ {str(e): v for e, v in values.items()} }: one to one onto 0 … {total - 1}")


def _stride_value(c, values) -> int:
    return int(c.subs(values)) if c != 1 else 1
