"""Judge a multiply-accumulate count (MACs) of a convolution against ``derive.layers``.

The truth is ``derive.layers.Conv2d(C_in, C_out, (k_h, k_w)).macs(...)`` (``Conv1d`` for a formula
with one spatial size of degree one), built in the document's own symbols: the layer runs on an
input of size ``H_out + k_h − 1`` (stride 1, no padding), so its output has the document's size.

Examples
--------
>>> import sympy as sp
>>> Ho, Wo, Co, Ci, k = sp.symbols("H_out W_out C_out C_in k")
>>> roles = {"H_out": "output_size", "W_out": "output_size", "C_out": "channels_out", "C_in": "channels_in", "k": "kernel"}
>>> judge_macs(Ho*Wo*Co*Ci*k**2, roles).verdict
'CORRECT'
>>> j = judge_macs(Ho*Wo*Co*Ci*k, roles)
>>> j.verdict, j.counterexample["document"] != j.counterexample["expected"]
('INCORRECT', True)
>>> is_macs_name("MACs"), is_macs_name("FLOPs")
(True, False)
"""

from __future__ import annotations

import re

import sympy as sp

from .compare import compare_scalar
from .judgement import Judgement

__all__ = ["is_macs_name", "judge_macs"]

_MACS_NAME = re.compile(r"(?:#|n_?|num_?)?(?:macs?|madds?|mult_?adds|multiply_?accumulates?)", re.I)


def is_macs_name(name: str) -> bool:
    """Does a left side name a multiply-accumulate count (``MACs``, ``#MACs``, ``mult_adds``)?"""
    return bool(_MACS_NAME.fullmatch(name.replace("{", "").replace("}", "").replace("\\", "").strip()))


def _layers():
    try:
        from derive import layers

        return layers
    except Exception:  # noqa: BLE001 - a half-built sibling package must not break the judge
        return None


def judge_macs(doc, roles: dict, *, context: str = "", time_limit: float = 2.0) -> Judgement:
    """Judge ``doc`` as the number of multiply-accumulates of one convolution (batch 1, groups 1).

    Parameters
    ----------
    doc : the document's right-hand side (SymPy).
    roles : symbol name -> role (``output_size``, ``channels_in``, ``channels_out``, ``channels``, ``kernel``).
    context : prose before the formula; depthwise or grouped convolutions are not judged.

    Returns
    -------
    Judgement
    """
    from .sizes import _from_comparison

    what = "multiply-accumulates"
    names = sorted(str(s) for s in doc.free_symbols)
    if re.search(r"depthwise|group", context, re.I):
        return Judgement("UNRECOGNIZED", "macs", f"{what}: a grouped or depthwise convolution is not judged")
    allowed = ("output_size", "channels_in", "channels_out", "channels", "kernel")
    unbound = [n for n in names if roles.get(n) not in allowed]
    if unbound:
        return Judgement("UNRECOGNIZED", "macs", f"{what}: cannot bind {', '.join(unbound)} to an output size, "
                         "a channel count or a kernel size")
    by = {r: [n for n in names if roles[n] == r] for r in allowed}
    outs, kern = by["output_size"], by["kernel"]
    ci = by["channels_in"] or by["channels"]
    co = by["channels_out"] or by["channels"]
    if not outs or not kern or len(outs) > 2 or len(kern) > 2 or len(ci) != 1 or len(co) != 1:
        return Judgement("UNRECOGNIZED", "macs", f"{what}: the symbols are not output sizes, one kernel size and "
                         "the input and output channel counts")
    layers = _layers()
    if layers is None:
        return Judgement("UNRECOGNIZED", "macs", f"{what}: derive.layers is not available")
    S = sp.Symbol
    try:
        one_dim = len(outs) == 1 and len(kern) == 1 and sp.degree(doc, S(outs[0])) == 1
    except (sp.PolynomialError, ValueError):  # floor(…), a fraction: not a 1-D product
        one_dim = False
    Ci, Co = S(ci[0]), S(co[0])
    if one_dim:
        k, Ho = S(kern[0]), S(outs[0])
        truth_expr = layers.Conv1d(Ci, Co, k).macs((1, Ci, Ho + k - 1))
    else:
        kh, kw = S(kern[0]), S(kern[-1])
        Ho, Wo = S(outs[0]), S(outs[-1])
        truth_expr = layers.Conv2d(Ci, Co, (kh, kw)).macs((1, Ci, Ho + kh - 1, Wo + kw - 1))
    truth_expr = sp.expand(truth_expr)
    domain = {n: range(1, 7) for n in names}
    res = compare_scalar(doc, truth_expr, domain, time_limit=time_limit)
    return _from_comparison(res, "macs", sp.factor(truth_expr), what=f"{what} (derive.layers, batch 1, groups 1)")
