r"""The Iverson bracket ``[P]``: 1 when the condition holds, 0 otherwise.

Zero padding is written with it: the padded input is ``[0 ≤ u ≤ H−1]·X[u]``.
It is *strongly zero* (Knuth): ``[false]·X[u]`` is 0 even where ``X[u]`` is not
defined, which is how :mod:`derive.gradients.tensor_eval` evaluates it. The size formulas
(:mod:`derive.sizes.counting`) write their window-counting definitions with it too.

Examples
--------
>>> import sympy as sp
>>> u = sp.Symbol("u", integer=True)
>>> Iverson(sp.Ge(u, 0)).xreplace({u: -1}), Iverson(sp.Ge(u, 0)).xreplace({u: 2})
(0, 1)
>>> sp.latex(Iverson(sp.Ge(u, 0)))
'\\left[u \\geq 0\\right]'
>>> Iverson(sp.Ge(u, 0)).rewrite(sp.Piecewise)
Piecewise((1, u >= 0), (0, True))
"""

from __future__ import annotations

import sympy as sp

__all__ = ["Iverson"]


class Iverson(sp.Function):
    """``[cond]`` as a SymPy function of one Boolean argument."""

    @classmethod
    def eval(cls, cond):
        if cond is sp.true:
            return sp.Integer(1)
        if cond is sp.false:
            return sp.Integer(0)
        return None

    def _eval_rewrite_as_Piecewise(self, cond, **kwargs):
        return sp.Piecewise((1, cond), (0, True))

    def _latex(self, printer):
        return r"\left[" + printer._print(self.args[0]) + r"\right]"

    def _sympystr(self, printer):
        return "[" + printer._print(self.args[0]) + "]"
