r"""Output sizes of convolution, transposed convolution and pooling, derived from definitions.

Each formula comes out of SymPy from the *definition* of the output size as a
count of window positions (see :mod:`derive.sizes.counting`):

- **conv / floor-mode pooling**: the number of integers ``i ≥ 0`` with
  ``s·i + d·(k−1) ≤ H + P_l + P_r − 1`` (window ``i`` fits in the padded input)
  → ``⌊(H + 2P − d(k−1) − 1)/s⌋ + 1``;
- **ceil-mode pooling** (PyTorch): windows are taken while the previous one
  left positions uncovered, ``s(i−1) + d(k−1) ≤ H + P_l + P_r − 2``, and the
  last one must start inside the input or the left padding, ``s·i ≤ H + P_l − 1``
  → ``min(⌈(H + 2P − d(k−1) − 1)/s⌉, ⌊(H + P − 1)/s⌋) + 1``;
- **transposed conv**: the sizes ``X`` that the convolution with the same
  arguments maps back to ``H`` (definition of the transpose of the shape map),
  the smallest one plus ``output_padding`` → ``(H−1)s − 2P + d(k−1) + 1 + o_p``.

TensorFlow/JAX ``"SAME"``/``"VALID"``/``"SAME_LOWER"`` padding is derived in
:mod:`derive.sizes.tf_padding`.

Examples
--------
>>> from derive.sizes.symbols import H, k, s, P, d
>>> output_size("conv", H, k, s, P, d)
floor((H + 2*P - d*(k - 1) - 1)/s) + 1
>>> output_size("conv", 224, 7, stride=2, padding=3)
112
>>> output_size("max_pool", 112, 3, stride=2, padding=1)
56
>>> output_size("max_pool", 6, 3, stride=2, ceil_mode=True)
3
>>> output_size("conv_transpose", 7, 3, stride=2, padding=1, output_padding=1)
14
>>> output_size("conv", 4, 5)
Traceback (most recent call last):
...
ValueError: conv: H_out = ⌊(4 + 0 + 0 − 1·(5 − 1) − 1)/1⌋ + 1 = 0 < 1 (kernel larger than padded input)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from ..derivation import Derivation
from ..iverson import Iverson
from .counting import count_positions
from .symbols import H, P, P_l, P_r, as_size_expr, d, k, o_p, s

__all__ = ["output_size", "output_size_derivation", "OPS", "parse_padding", "tidy"]

#: the operators whose output size is derived here
OPS = ("conv", "conv_transpose", "max_pool", "avg_pool")
PADDING_STRINGS = ("SAME", "VALID", "SAME_LOWER")

_i = sp.Symbol("i", integer=True, nonnegative=True)
_X = sp.Symbol("X", integer=True, positive=True)
#: random admissible points per step, for steps the grid cannot evaluate
_SAMPLES = 16
_DOMAIN = {"H": (1, 24), "k": (1, 6), "s": (1, 4), "d": (1, 3), "P": (0, 4), "P_l": (0, 4), "P_r": (0, 4),
           "i": (0, 30), "X": (1, 40), "o_p": (0, 3)}
#: the stated bounded grid on which every floor/ceiling step SymPy cannot decide is checked exhaustively
#: (``i`` covers every window position of the largest padded input, ``H + P_l + P_r − 1 ≤ 69``)
GRID = {"H": (1, 64), "k": (1, 7), "s": (1, 4), "P": (0, 3), "P_l": (0, 3), "P_r": (0, 3), "d": (1, 3),
        "i": (0, 69)}
#: transposed convolution: ``X`` covers every size the convolution could map back to ``H`` (≤ 31·4 + 18 + 4)
GRID_TRANSPOSE = {"H": (1, 32), "k": (1, 7), "s": (1, 4), "P": (0, 3), "P_l": (0, 3), "P_r": (0, 3), "d": (1, 3),
                  "o_p": (0, 3), "X": (1, 150)}


def _fits(v: dict) -> bool:
    pad = v.get("P", 0) * 2 if "P" in v else v.get("P_l", 0) + v.get("P_r", 0)
    return v.get("d", 1) * (v.get("k", 1) - 1) + 1 <= v.get("H", 1) + pad


def _in_sum(v: dict) -> bool:
    """The position ``i`` lies in the summation range ``0 … H + P_l + P_r − 1`` of the definition."""
    pad = v.get("P", 0) * 2 if "P" in v else v.get("P_l", 0) + v.get("P_r", 0)
    return v.get("i", 0) <= v.get("H", 1) + pad - 1


def _pads(symmetric: bool):
    return (P, P) if symmetric else (P_l, P_r)


def _regroup(der: Derivation, raw: sp.Expr, pretty: sp.Expr) -> sp.Expr:
    der.step(raw, pretty, "regroup")
    return pretty


def _conv_pretty(pl, pr):
    return sp.floor((H + pl + pr - d * (k - 1) - 1) / s) + 1


def _conv_derivation(symmetric: bool = True, title: str = "Output size of a convolution") -> Derivation:
    pl, pr = _pads(symmetric)
    der = Derivation(
        title,
        assumptions=[
            "H, k, s, d positive integers; paddings nonnegative integers",
            "the dilated kernel fits in the padded input: d(k-1) + 1 <= H + P_left + P_right",
            "window i covers padded positions s i, s i + d, ..., s i + d(k-1)",
            "i ranges over the summation, 0 <= i <= H + P_left + P_right - 1",
        ],
        domain=_DOMAIN,
        samples=_SAMPLES,
        constraints=[_fits, _in_sum],
        grid=GRID,
    )
    fit = s * _i + d * (k - 1) <= H + pl + pr - 1
    der.define(sp.Symbol("H_out"), sp.Sum(Iverson(fit), (_i, 0, H + pl + pr - 1)),
               "definition: count the window positions i >= 0 whose last tap is inside the padded input")
    count = count_positions(der, _i, [fit], H + pl + pr - 1)
    _regroup(der, count, _conv_pretty(pl, pr))
    return der


def _ceil_pool_derivation(symmetric: bool = True, op: str = "max_pool") -> Derivation:
    pl, pr = _pads(symmetric)
    dil = d if op == "max_pool" else sp.Integer(1)
    half = (lambda v: 2 * v.get("P", 0) <= v.get("k", 1)) if symmetric else (
        lambda v: 2 * np.maximum(v.get("P_l", 0), v.get("P_r", 0)) <= v.get("k", 1))
    der = Derivation(
        f"Output size of {op.replace('_', ' ')}ing with ceil_mode=True (PyTorch)",
        assumptions=[
            "H, k, s, d positive integers; paddings nonnegative, at most half the kernel size (PyTorch)",
            "ceil mode: a further window is taken while positions of the padded input are left uncovered",
            "PyTorch: the last window must start inside the input or the left padding",
            "i ranges over the summation, 0 <= i <= H + P_left + P_right - 1",
        ],
        domain=_DOMAIN,
        samples=_SAMPLES,
        constraints=[_fits, half, _in_sum],
        grid=GRID,
    )
    uncovered = s * (_i - 1) + dil * (k - 1) <= H + pl + pr - 2
    starts_inside = s * _i <= H + pl - 1
    der.define(sp.Symbol("H_out"), sp.Sum(Iverson(sp.And(uncovered, starts_inside)), (_i, 0, H + pl + pr - 1)),
               "definition: window i is taken if window i-1 left positions uncovered and i starts before the right padding")
    count = count_positions(der, _i, [uncovered, starts_inside], H + pl + pr - 1)
    x = H + pl + pr - dil * (k - 1) - 1
    ceil_form = sp.Min(sp.ceiling(x / s), sp.floor((H + pl - 1) / s)) + 1
    der.step(count, ceil_form, "floor((x - 1)/s) + 1 = ceil(x/s) for integers x")
    c = sp.ceiling(x / s) + 1
    torch_rule = sp.Piecewise((c - 1, (c - 1) * s >= H + pl), (c, True))
    der.step(torch_rule, ceil_form,
             "agrees with PyTorch's rule: ceil, then drop a last window that starts in the right padding")
    return der


def _transpose_derivation(symmetric: bool = True) -> Derivation:
    pl, pr = _pads(symmetric)
    der = Derivation(
        "Output size of a transposed convolution",
        assumptions=[
            "H, k, s, d positive integers; paddings nonnegative; 0 <= o_p < s",
            "definition: the transposed conv produces a size X that the conv with the same arguments maps back to H",
            "output_padding o_p chooses among the s sizes that do so",
        ],
        domain=_DOMAIN,
        samples=_SAMPLES,
        grid=GRID_TRANSPOSE,
        constraints=[lambda v: v.get("o_p", 0) < v.get("s", 1),
                     lambda v: (v.get("H", 1) - 1) * v.get("s", 1) + v.get("d", 1) * (v.get("k", 1) - 1) + 1
                     - (2 * v["P"] if "P" in v else v.get("P_l", 0) + v.get("P_r", 0)) >= 1],
    )
    conv_of_x = _conv_pretty(pl, pr).subs(H, _X)
    der.define(conv_of_x, H, "definition: the convolution of the output has the size of the input")
    y = (_X + pl + pr - d * (k - 1) - 1)
    interval = sp.And(s * (H - 1) <= y, y <= s * (H - 1) + s - 1)
    der.step(sp.Eq(conv_of_x, H), interval, "floor(y/s) = n iff s n <= y <= s n + s - 1 (s > 0)", relation="iff")
    low = sp.solve(s * (H - 1) <= y, _X)
    x_min = low.lhs if isinstance(low, (sp.LessThan, sp.StrictLessThan)) else low.rhs
    high = sp.solve(y <= s * (H - 1) + s - 1, _X)
    x_max = high.rhs if isinstance(high, (sp.LessThan, sp.StrictLessThan)) else high.lhs
    der.step(interval, sp.And(x_min <= _X, _X <= x_max), "solve both inequalities for X (sympy.solve)", relation="iff")
    der.step(x_max - x_min + 1, s, "there are s such sizes: X = X_min + o_p with 0 <= o_p <= s - 1")
    result = x_min + o_p
    der.step(conv_of_x.subs(_X, result), H, "check: the convolution maps X_min + o_p back to H")
    pretty = (H - 1) * s - pl - pr + d * (k - 1) + o_p + 1
    _regroup(der, result, pretty)
    return der


# ----------------------------------------------------------------------------------------------
def _general(op: str, ceil_mode: bool, symmetric: bool) -> sp.Expr:
    """The derived general formula, from the checked derivation (built and checked once per process)."""
    return _general_derivation(op, ceil_mode, symmetric).result


def _general_derivation(op: str, ceil_mode: bool, symmetric: bool) -> Derivation:
    """The derivation, checked when it is built (cached: the cost is paid once per process).

    Floor-mode pooling counts its windows as a convolution does: it shares the
    checked convolution derivation, under its own title.
    """
    if op in ("max_pool", "avg_pool") and not ceil_mode:
        der = _checked_general("conv", False, symmetric).copy()
        der.title = f"Output size of {op.replace('_', ' ')}ing (floor mode)"
        return der
    return _checked_general(op, ceil_mode, symmetric)


@lru_cache(maxsize=None)
def _checked_general(op: str, ceil_mode: bool, symmetric: bool) -> Derivation:
    return _build_general(op, ceil_mode, symmetric).checked(record=True)


def _build_general(op: str, ceil_mode: bool, symmetric: bool) -> Derivation:
    if op == "conv_transpose":
        return _transpose_derivation(symmetric)
    if op in ("max_pool", "avg_pool") and ceil_mode:
        return _ceil_pool_derivation(symmetric, op)
    return _conv_derivation(symmetric, "Output size of a convolution")


def tidy(expr: sp.Expr) -> sp.Expr:
    """Write the argument of every floor/ceiling over one denominator (``⌊H/2 − 1/2⌋`` → ``⌊(H − 1)/2⌋``).

    >>> from derive.sizes.symbols import H
    >>> tidy(sp.floor(H / 2 - sp.Rational(1, 2)) + 1)
    floor((H - 1)/2) + 1
    """
    return expr.replace(lambda x: isinstance(x, (sp.floor, sp.ceiling)), lambda x: x.func(sp.together(x.args[0])))


def parse_padding(padding):
    """Normalise a padding argument to ``(left, right)`` SymPy expressions or a TF string.

    >>> parse_padding(1)
    (1, 1)
    >>> parse_padding((0, 1))
    (0, 1)
    >>> parse_padding("same")
    'SAME'
    >>> parse_padding("full")
    Traceback (most recent call last):
    ...
    ValueError: padding must be an int, a SymPy expression, a (left, right) pair or one of 'SAME', 'VALID', 'SAME_LOWER'; got 'full'
    """
    if isinstance(padding, str):
        if padding.upper() in PADDING_STRINGS:
            return padding.upper()
        raise ValueError(
            "padding must be an int, a SymPy expression, a (left, right) pair or one of "
            f"'SAME', 'VALID', 'SAME_LOWER'; got {padding!r}"
        )
    if isinstance(padding, (tuple, list)):
        if len(padding) != 2:
            raise ValueError(f"a per-side padding is a (left, right) pair, got {len(padding)} values: {padding!r}")
        return (as_size_expr(padding[0], "padding", "padding (left)"),
                as_size_expr(padding[1], "padding", "padding (right)"))
    p = as_size_expr(padding, "padding", "padding")
    return (p, p)


def _fmt(v) -> str:
    return sp.sstr(v)


def _validate(op, size, kernel, stride, pads, dil, out_pad, ceil_mode):
    if op not in OPS:
        raise ValueError(f"unknown op {op!r}; expected one of {list(OPS)}")
    if ceil_mode and op not in ("max_pool", "avg_pool"):
        raise ValueError(f"ceil_mode applies to pooling only, not to {op!r}")
    if out_pad != 0 and op != "conv_transpose":
        raise ValueError(f"output_padding applies to 'conv_transpose' only, not to {op!r} (got {out_pad})")
    if op == "avg_pool" and dil != 1:
        raise ValueError(f"avg_pool has no dilation (as in PyTorch); got dilation={dil}")
    if op == "conv_transpose" and out_pad.is_number and stride.is_number and dil.is_number:
        if out_pad >= max(stride, dil):
            raise ValueError(
                f"conv_transpose: output_padding must be smaller than max(stride, dilation): "
                f"output_padding = {out_pad} >= max({stride}, {dil}) = {max(stride, dil)}")
    if op in ("max_pool", "avg_pool") and not isinstance(pads, str):
        for side, p in zip(("left", "right"), pads):
            if p.is_number and kernel.is_number and 2 * p > kernel:
                raise ValueError(
                    f"{op}: padding must be at most half the window (PyTorch): {side} padding {p} > "
                    f"kernel_size/2 = {_fmt(kernel)}/2")


def output_size(op, size, kernel_size, stride=1, padding=0, dilation=1, *, output_padding=0, ceil_mode=False):
    r"""Output size along one spatial dimension, from the derived formula.

    Parameters
    ----------
    op : {"conv", "conv_transpose", "max_pool", "avg_pool"}
    size, kernel_size, stride, dilation : int, SymPy expression or symbol name
        Positive integers.
    padding : int, expression, ``(left, right)`` pair, or ``"SAME"``/``"VALID"``/``"SAME_LOWER"``
        TensorFlow/JAX semantics for the strings (see :mod:`derive.sizes.tf_padding`).
    output_padding : int or expression
        Transposed conv only; must be ``< max(stride, dilation)``.
    ceil_mode : bool
        Pooling only (PyTorch's rule).

    Returns
    -------
    sympy.Expr
        An ``Integer`` when every argument is numeric.

    Raises
    ------
    ValueError
        Unknown op or padding string, a non-integer or nonpositive size, a kernel
        larger than the padded input, ``output_padding >= max(stride, dilation)``,
        pooling padding above half the window.

    Examples
    --------
    >>> output_size("conv", 32, 3, padding=1)
    32
    >>> output_size("conv", "H", 3, stride=2, padding="SAME")
    ceiling(H/2)
    >>> output_size("avg_pool", 7, 2, stride=2, ceil_mode=True)
    4
    >>> output_size("max_pool", 5, 2, padding=2)
    Traceback (most recent call last):
    ...
    ValueError: max_pool: padding must be at most half the window (PyTorch): left padding 2 > kernel_size/2 = 2/2
    >>> output_size("conv", 8, 3, padding="full")
    Traceback (most recent call last):
    ...
    ValueError: padding must be an int, a SymPy expression, a (left, right) pair or one of 'SAME', 'VALID', 'SAME_LOWER'; got 'full'
    """
    if op not in OPS:
        raise ValueError(f"unknown op {op!r}; expected one of {list(OPS)}")
    size_e = as_size_expr(size, "size", "size")
    kernel = as_size_expr(kernel_size, "kernel", "kernel_size")
    stride_e = as_size_expr(stride, "stride", "stride")
    dil = as_size_expr(dilation, "dilation", "dilation")
    out_pad = as_size_expr(output_padding, "output_padding", "output_padding")
    pads = parse_padding(padding)
    _validate(op, size_e, kernel, stride_e, pads, dil, out_pad, bool(ceil_mode))
    if isinstance(pads, str):
        if op == "conv_transpose":
            raise ValueError(f"padding {pads!r} is supported for conv and pooling, not for conv_transpose")
        if ceil_mode:
            raise ValueError(f"ceil_mode applies to explicit padding, not to {pads!r}")
        from .tf_padding import tf_output_size

        return tf_output_size(size_e, kernel, stride_e, dil, pads)
    pl, pr = pads
    symmetric = pl == pr
    formula = _general(op, bool(ceil_mode), symmetric)
    values = {H: size_e, k: kernel, s: stride_e, d: dil, o_p: out_pad}
    values.update({P: pl} if symmetric else {P_l: pl, P_r: pr})
    result = formula.xreplace(values)
    if result.is_number and result < 1:
        with sp.evaluate(False):
            shown = formula.xreplace(values)
        raise ValueError(_too_small(op, size_e, kernel, stride_e, pl, pr, dil, out_pad, result, shown))
    return sp.Integer(result) if result.is_number else _simplest(result)[0]


@lru_cache(maxsize=4096)
def _simplest(expr: sp.Expr) -> tuple[sp.Expr, str | None]:
    """Ceil-mode sizes with one symbol left: the shortest equal form, proved (:mod:`.floor_forms`)."""
    if len(expr.free_symbols) != 1 or not expr.has(sp.Min, sp.Max):
        return expr, None
    from .floor_forms import simplest_equal

    return simplest_equal(expr, next(iter(expr.free_symbols)))


def _too_small(op, h, kk, ss, pl, pr, dd, op_, result, shown) -> str:
    if op == "conv_transpose":
        return (f"conv_transpose: H_out = ({h} − 1)·{ss} − {pl} − {pr} + {dd}·({kk} − 1) + {op_} + 1 = {result} < 1 "
                f"(padding crops more than the transposed convolution produces)")
    return (f"{op}: H_out = ⌊({h} + {pl} + {pr} − {dd}·({kk} − 1) − 1)/{ss}⌋ + 1 = {result} < 1 "
            f"(kernel larger than padded input)")


def output_size_derivation(op="conv", size=None, kernel_size=None, stride=None, padding=None, dilation=None, *,
                           output_padding=None, ceil_mode=False) -> Derivation:
    r"""The derivation of the output-size formula of ``op``, optionally instantiated.

    Arguments left as ``None`` stay general symbols (``H, k, s, P, d, o_p``);
    given ones are substituted in a last step. ``padding`` may be a
    ``(left, right)`` pair (derived with ``P_l, P_r``) or a TF string.

    Examples
    --------
    The general derivation is built and checked once per process (the
    floor/ceiling steps at every admissible point of :data:`GRID`); each call
    returns a checked copy.

    >>> der = output_size_derivation("conv")
    >>> der.result
    floor((H + 2*P - d*(k - 1) - 1)/s) + 1
    >>> [st.status for st in der.steps]
    ['definition', 'exhaustive', 'exhaustive', 'exhaustive', 'symbolic', 'symbolic']
    >>> der.steps[1].note
    'checked at all 754,052 admissible points of H = 1..64, P = 0..3, d = 1..3, i = 0..69, k = 1..7, s = 1..4'
    >>> der.verify()
    True
    >>> output_size_derivation("conv", 224, 7, 2, 3, dilation=1).result
    112
    >>> output_size_derivation("max_pool", ceil_mode=True).result
    Min(ceiling((H + 2*P - d*(k - 1) - 1)/s), floor((H + P - 1)/s)) + 1
    """
    if op not in OPS:
        raise ValueError(f"unknown op {op!r}; expected one of {list(OPS)}")
    if isinstance(padding, str):
        from .tf_padding import tf_padding_derivation

        pad = parse_padding(padding)
        if op == "conv_transpose":
            raise ValueError(f"padding {pad!r} is supported for conv and pooling, not for conv_transpose")
        der = tf_padding_derivation(pad).copy()
        given = {H: size, k: kernel_size, s: stride, d: dilation}
        return _instantiate(der, given, op, size, kernel_size, stride, pad, dilation, output_padding, ceil_mode)
    if op == "avg_pool" and dilation is None:
        dilation = 1  # PyTorch's avg_pool has no dilation
    symmetric = not isinstance(padding, (tuple, list))
    der = _general_derivation(op, bool(ceil_mode), symmetric).copy()
    given = {H: size, k: kernel_size, s: stride, d: dilation, o_p: output_padding}
    if symmetric:
        given[P] = padding
    else:
        given[P_l], given[P_r] = padding
    return _instantiate(der, given, op, size, kernel_size, stride, padding, dilation, output_padding, ceil_mode)


def _instantiate(der, given, op, size, kernel_size, stride, padding, dilation, output_padding, ceil_mode):
    given = {sym: v for sym, v in given.items() if v is not None}
    if not given:
        return der
    value = output_size(op, H if size is None else size, k if kernel_size is None else kernel_size,
                        s if stride is None else stride, P if padding is None else padding,
                        (1 if op == "avg_pool" else d) if dilation is None else dilation,
                        output_padding=(o_p if op == "conv_transpose" else 0) if output_padding is None
                        else output_padding, ceil_mode=ceil_mode)
    roles = {H: "size", k: "kernel", s: "stride", d: "dilation", o_p: "output_padding"}
    subs = {sym: as_size_expr(v, roles.get(sym, "padding"), sym.name) for sym, v in given.items()}
    with sp.evaluate(False):
        shown = der.result.xreplace(subs)
    first = len(der.steps)
    substituted = der.result.xreplace(subs)
    why = "substitute " + ", ".join(f"{sym} = {sp.sstr(v)}" for sym, v in subs.items())
    if substituted != value and not value.is_number:
        _, reason = _simplest(substituted)
        der.step(shown, substituted, why)
        der.step(substituted, value, f"simplest equal form: {reason}")
    else:
        der.step(shown, value, why)
    return der.checked(first)
