r"""Parameter counts and MACs, derived as numbers of entries and numbers of product terms.

Definitions (typed): a layer has one parameter per index tuple of its weight
and bias tensors, ``#params = Σ_{indices} 1``; its MACs are the product terms
of the index sum that defines each output, summed over the outputs. SymPy's
``summation`` turns those sums into products of the shape entries.

Examples
--------
>>> der = conv_params_derivation()
>>> der.verify(), der.result
(True, C_out*(C_in*k**2 + 1))
>>> separable_ratio_derivation().result == 1 / k**2 + 1 / C_out
True
>>> stacked_convs_vs_single_derivation().verify()
True
"""

from __future__ import annotations

import sympy as sp

from ..derivation import Derivation, checked_once
from .receptive_field import receptive_field
from .symbols import C, C_in, C_out, H, W, k, size_symbol

__all__ = [
    "conv_params_derivation",
    "conv_macs_derivation",
    "separable_ratio_derivation",
    "stacked_convs_vs_single_derivation",
    "tensor_entries",
]

_o, _c, _p, _q, _i, _j = (sp.Symbol(n, integer=True, nonnegative=True) for n in ("o", "c", "p", "q", "i", "j"))
_DOMAIN = {"C": (1, 8), "C_in": (1, 8), "C_out": (1, 8), "k": (1, 7), "H": (1, 9), "W": (1, 9), "n": (1, 5)}


def tensor_entries(shape, indices=None) -> tuple[sp.Sum, sp.Expr]:
    r"""``(Σ_{index tuple} 1, its value by summation)`` for a tensor of ``shape``.

    >>> tensor_entries((C_out, C_in, 3, 3))[1]
    9*C_in*C_out
    """
    idx = list(indices or [sp.Symbol(f"i_{n}", integer=True, nonnegative=True) for n in range(len(shape))])
    limits = [(ix, 0, n - 1) for ix, n in zip(idx, shape)]
    total = sp.Sum(1, *limits)
    return total, sp.summation(1, *limits)


@checked_once
def conv_params_derivation() -> Derivation:
    r"""Parameters of a ``k×k`` convolution ``C_in → C_out`` with bias: ``C_out(C_in k² + 1)``.

    >>> d = conv_params_derivation()
    >>> d.verify(), [s.status for s in d.steps]
    (True, ['definition', 'symbolic', 'symbolic'])
    """
    der = Derivation("Parameters of a convolution layer",
                     assumptions=["weight W[o, c, p, q] with shape (C_out, C_in, k, k)", "bias b[o] with shape (C_out,)"],
                     domain=_DOMAIN)
    w_sum, w_count = tensor_entries((C_out, C_in, k, k), (_o, _c, _p, _q))
    b_sum, b_count = tensor_entries((C_out,), (_o,))
    der.define(sp.Symbol("n_params"), w_sum + b_sum, "definition: one parameter per entry of W and b")
    der.step(w_sum + b_sum, w_count + b_count, "sympy.summation of the constant 1")
    der.step(w_count + b_count, sp.factor(w_count + b_count), "factor")
    return der


@checked_once
def conv_macs_derivation() -> Derivation:
    r"""MACs of a convolution: ``H_out W_out C_out · C_in k²`` (product terms of the index sum).

    >>> conv_macs_derivation().result
    C_in*C_out*H_out*W_out*k**2
    """
    h_out, w_out = size_symbol("H_out"), size_symbol("W_out")
    der = Derivation("Multiply-accumulates of a convolution layer",
                     assumptions=["Y[o,i,j] = b[o] + sum_c sum_p sum_q W[o,c,p,q] X[c, s i + d p, s j + d q]",
                                  "one MAC per product term; the bias add is not a MAC; FLOPs = 2 MACs"],
                     domain={**_DOMAIN, "H_out": (1, 6), "W_out": (1, 6)})
    per_output, per_value = tensor_entries((C_in, k, k), (_c, _p, _q))
    der.define(sp.Symbol("m"), per_output, "definition: product terms in the sum defining one output")
    der.step(per_output, per_value, "sympy.summation")
    outputs, outputs_value = tensor_entries((C_out, h_out, w_out), (_o, _i, _j))
    der.define(sp.Symbol("MACs"), sp.Sum(per_value, *outputs.limits), "definition: sum over the outputs")
    der.step(sp.Sum(per_value, *outputs.limits), outputs_value * per_value, "sympy.summation")
    return der


@checked_once
def separable_ratio_derivation() -> Derivation:
    r"""Depthwise-separable vs standard ``k×k`` conv (no bias): ratio ``1/k² + 1/C_out``, exactly.

    >>> d = separable_ratio_derivation()
    >>> d.verify()
    True
    """
    der = Derivation("Depthwise-separable versus standard convolution",
                     assumptions=["standard: W (C_out, C_in, k, k)", "depthwise: (C_in, 1, k, k); pointwise: (C_out, C_in, 1, 1)",
                                  "no biases; the MAC ratio is the same (every term is multiplied by H_out W_out)"],
                     domain=_DOMAIN)
    std_sum, std = tensor_entries((C_out, C_in, k, k), (_o, _c, _p, _q))
    dw_sum, dw = tensor_entries((C_in, 1, k, k), (_c, _o, _p, _q))
    pw_sum, pw = tensor_entries((C_out, C_in, 1, 1), (_o, _c, _p, _q))
    der.define(sp.Symbol("n_std"), std_sum, "definition: entries of the standard weight")
    der.step(std_sum, std, "sympy.summation")
    der.define(sp.Symbol("n_sep"), dw_sum + pw_sum, "definition: entries of the depthwise and pointwise weights")
    der.step(dw_sum + pw_sum, dw + pw, "sympy.summation")
    ratio = (dw + pw) / std
    der.step(ratio, sp.cancel(ratio), "cancel C_in")
    der.step(sp.cancel(ratio), sp.apart(sp.cancel(ratio), k), "partial fractions: exact ratio 1/k^2 + 1/C_out")
    return der


@checked_once
def stacked_convs_vs_single_derivation() -> Derivation:
    r"""Two stacked ``3×3`` convs vs one ``5×5`` (``C → C``, no bias): same receptive field 5, params ``18C²`` vs ``25C²``.

    Also in general: ``n`` stacked ``k×k`` (stride 1) see ``n(k−1)+1`` pixels,
    like one ``(n(k−1)+1)×(n(k−1)+1)`` conv, with ``n k² C²`` against ``(n(k−1)+1)² C²`` parameters.

    >>> stacked_convs_vs_single_derivation().result
    18/25
    """
    n = size_symbol("n")
    der = Derivation("Stacked 3x3 convolutions versus one 5x5",
                     assumptions=["C input and output channels, stride 1, no bias"], domain=_DOMAIN)
    rf_two = receptive_field([(3, 1), (3, 1)])
    der.extend(rf_two.derivation)
    rf_one = receptive_field([(5, 1)])
    der.step(rf_two.size, rf_one.size, "the same receptive field as one 5x5")
    two = 2 * tensor_entries((C, C, 3, 3))[1]
    one = tensor_entries((C, C, 5, 5))[1]
    der.step(2 * tensor_entries((C, C, 3, 3))[0], two, "two 3x3 layers: 2 C^2 3^2 (sympy.summation)")
    der.step(tensor_entries((C, C, 5, 5))[0], one, "one 5x5 layer: C^2 5^2")
    rf_n = receptive_field([(k, 1)] * 3).size
    der.step(rf_n, 3 * (k - 1) + 1, "in general (here n = 3 layers): n(k - 1) + 1")
    general = (n * k ** 2 * C ** 2) / ((n * (k - 1) + 1) ** 2 * C ** 2)
    der.step(general.subs({n: 2, k: 3}), sp.Rational(18, 25), "n = 2, k = 3: ratio of the counts")
    der.step(two / one, sp.Rational(18, 25), "18 C^2 / 25 C^2")
    return der
