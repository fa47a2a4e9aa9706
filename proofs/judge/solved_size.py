r"""A size relation of a transposed convolution solved for another quantity: ``total_padding = s·(i − 1) + … − o``.

Documents that let the user fix the output size give the padding (or another size) that produces it: the
output-size relation solved for that quantity. Such a formula is checked by putting the derived output size
(:func:`derive.output_size` for ``conv_transpose``, in which the left side's symbol plays its own role) in place
of the output size on the right: the formula holds when both sides are then identical. The padding is tried
as one side's padding and as the total of both sides; a formula that holds under neither is INCORRECT, with
values where it misses.

>>> import sympy as sp
>>> s, i, q, k, d, o, P = sp.symbols("stride input_size output_padding kernel_shape dilations output_shape total_padding")
>>> roles = {"stride": "stride", "input_size": "input_size", "output_padding": "output_padding", "kernel_shape": "kernel",
...          "dilations": "dilation", "output_shape": "output_size", "total_padding": "padding"}
>>> judge_solved_size(P, s * (i - 1) + q + (k - 1) * d + 1 - o, roles, "ConvTranspose").verdict
'CORRECT'
>>> judge_solved_size(P, s * (i - 1) + q + (k - 1) * d - o, roles, "ConvTranspose").verdict
'INCORRECT'
"""

from __future__ import annotations

import itertools

import sympy as sp

from .judgement import Judgement
from .transposed import TRANSPOSED_WORDS, _derive_output_size

__all__ = ["judge_solved_size"]

_ROLES = ("input_size", "kernel", "stride", "padding", "dilation", "output_padding", "output_size")


def judge_solved_size(lhs, rhs, roles: dict, context: str = "") -> Judgement | None:
    """Judge ``lhs = rhs`` as the transposed output-size relation solved for ``lhs``; None when it is not one."""
    import re

    if not isinstance(lhs, sp.Symbol) or not re.search(TRANSPOSED_WORDS, context, re.I):
        return None
    names = {str(x) for x in rhs.free_symbols}
    by_role: dict = {}
    for n in names | {str(lhs)}:
        r = roles.get(n)
        if r not in _ROLES or r in by_role:
            return None
        by_role[r] = sp.Symbol(n)
    if roles.get(str(lhs)) == "output_size" or "output_size" not in by_role or "input_size" not in by_role:
        return None
    fn = _derive_output_size()
    if fn is None or rhs.has(sp.floor, sp.ceiling):
        return None
    one, zero = sp.Integer(1), sp.Integer(0)
    P = by_role.get("padding", zero)
    readings = []
    for label, pad in (("the padding of one side", P), ("the total padding of both sides", (zero, P))):
        try:
            o = fn("conv_transpose", by_role["input_size"], by_role.get("kernel", one), by_role.get("stride", one),
                   pad, by_role.get("dilation", one), output_padding=by_role.get("output_padding", zero))
        except (TypeError, ValueError, NotImplementedError):
            return None
        diff = sp.simplify(rhs.xreplace({by_role["output_size"]: o}) - lhs)
        if diff == 0:
            return Judgement("CORRECT", "transposed_output_size", f"the transposed convolution's output size "
                             f"{by_role['output_size']} = {o} (derived, with {label}) solved for {lhs}: identical")
        readings.append((label, o, diff))
        if "padding" not in by_role:
            break
    label, o, diff = readings[0]
    syms = sorted(diff.free_symbols | o.free_symbols, key=str)
    lows = {"input_size": 2, "kernel": 3, "stride": 2, "padding": 1, "dilation": 1, "output_padding": 0}
    for bump in itertools.product((0, 1), repeat=min(len(syms), 6)):
        vals = {x: lows.get(roles.get(str(x)), 1) + b for x, b in zip(syms, bump)}
        if all(r[2].subs(vals) != 0 for r in readings) and o.subs(vals) >= 1:
            shown = {str(k): int(v) for k, v in vals.items()}
            return Judgement("INCORRECT", "transposed_output_size", f"with {shown} the transposed convolution's "
                             f"output size is {o.subs(vals)}, and the formula gives {lhs} = "
                             f"{rhs.xreplace({by_role['output_size']: o}).subs(vals)} where {lhs} is "
                             f"{vals.get(lhs, '?')} (with the padding of one side or in total)",
                             counterexample={"values": shown})
    return None
