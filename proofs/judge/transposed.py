"""Judge the output size of a transposed convolution against ``derive.output_size("conv_transpose", ...)``.

A formula is read as a transposed convolution's output size when the prose speaks of one
("ConvTranspose2d", "transposed convolution", "deconvolution", "fractionally strided") and
the stride multiplies the input size instead of dividing it.

Examples
--------
>>> import sympy as sp
>>> H, s, p, d, k, q = sp.symbols("H_in stride padding dilation kernel_size output_padding")
>>> roles = {"H_in": "input_size", "stride": "stride", "padding": "padding", "dilation": "dilation",
...          "kernel_size": "kernel", "output_padding": "output_padding"}
>>> judge_transposed_output_size((H - 1)*s - 2*p + d*(k - 1) + q + 1, roles).verdict
'CORRECT'
>>> j = judge_transposed_output_size((H - 1)*s - 2*p + d*(k - 1) + 1 + 1, roles)
>>> j.verdict, sorted(j.counterexample["values"])[:2]
('INCORRECT', ['H_in', 'dilation'])
>>> looks_transposed(H*s, "ConvTranspose2d"), looks_transposed(H/s, "ConvTranspose2d")
(True, False)
"""

from __future__ import annotations

import re

import sympy as sp

from .compare import Condition, compare_scalar
from .judgement import Judgement

__all__ = ["looks_transposed", "judge_transposed_output_size", "TRANSPOSED_WORDS"]

#: prose that announces a transposed convolution
TRANSPOSED_WORDS = r"transpose|deconvolution|fractionally[- ]strided|up-?convolution|unpool"

_ROLES = ("input_size", "kernel", "stride", "padding", "dilation", "output_padding")


def looks_transposed(doc, context: str) -> bool:
    """Does the prose announce a transposed convolution, and does no denominator hold a symbol?

    >>> import sympy as sp
    >>> looks_transposed(sp.Symbol("H") - 1, "a plain convolution")
    False
    """
    if not re.search(TRANSPOSED_WORDS, context, re.I):
        return False
    num, den = sp.together(doc).as_numer_denom()
    return not den.free_symbols and not doc.has(sp.floor, sp.ceiling)


def _derive_output_size():
    try:
        import derive

        return getattr(derive, "output_size", None)
    except Exception:  # noqa: BLE001 - a half-built sibling package must not break the judge
        return None


def judge_transposed_output_size(doc, roles: dict, *, time_limit: float = 2.0, convention: str | None = None,
                                 unit_stride: bool = False) -> Judgement:
    """Judge ``doc`` as the output size of a transposed convolution (PyTorch's padding per side,
    or in total when ``convention`` is ``"total"``).

    Parameters
    ----------
    doc : the document's right-hand side (SymPy).
    roles : symbol name -> role (``input_size``, ``kernel``, ``stride``, ``padding``, ``dilation``,
        ``output_padding``).
    unit_stride : a formula without a stride is the stride-1 case (the prose says so, or it
        announces the transposed convolution of a stride-1 convolution).

    Returns
    -------
    Judgement
        CORRECT, INCORRECT with a counterexample, or UNRECOGNIZED with the reason.
    """
    from .sizes import _from_comparison  # the shared verdict wording of size judges

    names = sorted(str(s) for s in doc.free_symbols)
    unbound = [n for n in names if roles.get(n) not in _ROLES]
    if unbound:
        return Judgement("UNRECOGNIZED", "output_size",
                         f"transposed convolution output size: cannot bind {', '.join(unbound)} to a size role")
    by_role: dict[str, str] = {}
    for n in names:
        if roles[n] in by_role:
            return Judgement("UNRECOGNIZED", "output_size",
                             f"transposed convolution output size: two symbols play the role {roles[n]}")
        by_role[roles[n]] = n
    if "input_size" not in by_role or ("stride" not in by_role and not unit_stride):
        return Judgement("UNRECOGNIZED", "output_size", "transposed convolution output size: the formula does not "
                         "involve both an input size and a stride")
    fn = _derive_output_size()
    if fn is None:
        return Judgement("UNRECOGNIZED", "output_size", "transposed convolution output size: derive.output_size "
                         "is not available")
    sym = {r: sp.Symbol(n) for r, n in by_role.items()}
    one, zero = sp.Integer(1), sp.Integer(0)
    try:
        truth_expr = fn("conv_transpose", sym["input_size"], sym.get("kernel", one), sym.get("stride", one),
                        (zero, sym["padding"]) if (convention == "total" and "padding" in sym) else sym.get("padding", zero),
                        sym.get("dilation", one),
                        output_padding=sym.get("output_padding", zero))
    except (TypeError, ValueError, NotImplementedError) as exc:
        return Judgement("UNRECOGNIZED", "output_size", f"transposed convolution output size: {exc}")
    ranges = {"input_size": range(1, 13), "kernel": range(1, 7), "stride": range(1, 5), "padding": range(0, 4),
              "dilation": range(1, 4), "output_padding": range(0, 4)}
    domain = {n: ranges[r] for r, n in by_role.items()}
    H, k, s = by_role["input_size"], by_role.get("kernel"), by_role.get("stride")
    P, d, q = by_role.get("padding"), by_role.get("dilation"), by_role.get("output_padding")

    def admissible(v):
        stride = v[s] if s else 1
        if q and v[q] >= max(stride, v.get(d, 1)):
            return False  # PyTorch: output_padding < max(stride, dilation)
        out = (v[H] - 1) * stride - 2 * v.get(P, 0) + v.get(d, 1) * (v.get(k, 1) - 1) + v.get(q, 0) + 1
        return out >= 1

    conds = [Condition(f"{n} = {val}", (lambda v, n=n, val=val: v[n] == val), trivial=True)
             for n, val in ((P, 0), (q, 0), (d, 1)) if n]
    res = compare_scalar(doc, truth_expr, domain, admissible=admissible, conditions=conds, time_limit=time_limit)
    return _from_comparison(res, "output_size", truth_expr, what="transposed convolution output size")
