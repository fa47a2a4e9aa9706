r"""Judge what code shows: each printed, displayed, commented or asserted shape against the shape the
libraries' rules give (:mod:`proofs.code.interpret`, sizes from ``derive``).

A claim is judged only when a size rule (a convolution, a pooling, …) computed the value; a shape the code
merely echoes is not a statement about convolutions. Entries written as names (``N``, ``batch``) or ``None``
match anything; the verdict is CORRECT when every number matches, INCORRECT (with the configuration) when
one differs, and UNRECOGNIZED with the reason when the printed shape cannot be lined up with the value.

>>> from proofs.code.interpret import Shape
>>> from proofs.code.values import Tensor
>>> t = Tensor((1, 6, 28, 28), "torch", (("conv", "Conv2d on (1, 1, 32, 32): conv 32 → 28 (kernel 5, …)"),), (2, 3))
>>> compare(Shape.of(t), (1, 6, 28, 28)).verdict, compare(Shape.of(t), (1, 6, 27, 27)).verdict
('CORRECT', 'INCORRECT')
>>> compare(Shape.of(t), (14, 14)) is None, compare(Shape.of(t), (28, 28), partial=True).verdict
(True, 'CORRECT')
"""

from __future__ import annotations

from ..judge.judgement import Judgement
from .interpret import Count, Dim, Shape
from .rules import QUANTITY
from .values import Tensor, is_int

__all__ = ["compare", "judged_value"]


def judged_value(v):
    """The :class:`Shape`, :class:`Dim` or :class:`Count` a value shows when a rule computed it, else None."""
    if isinstance(v, Count):
        return v
    if isinstance(v, Tensor):
        v = Shape.of(v)
    if isinstance(v, (Shape, Dim)) and getattr(v, "tensor", None) is not None and v.tensor.derived:
        return v
    return None


def _quantity(t: Tensor) -> str:
    kinds = [k for k, _ in t.steps if k != "reshape"]
    return QUANTITY.get(kinds[-1], "output_size") if kinds else "output_size"


def _show(v) -> str:
    return "(" + ", ".join("?" if x is None else str(x) for x in v) + ("," if len(v) == 1 else "") + ")"


def compare(value, claimed: tuple, partial: bool = False) -> Judgement | None:
    """The verdict on ``claimed`` (a written shape) for ``value`` (a :class:`Shape`/:class:`Dim`); ``partial``: a
    comment may state only the spatial sizes. None when the claim cannot be a statement of this value."""
    if isinstance(value, Count):
        if len(claimed) != 1 or not is_int(claimed[0]):
            return None
        if claimed[0] != int(value):
            return Judgement("INCORRECT", "params", f"worked example (code): the model has {int(value)} parameters, not "
                             f"{claimed[0]} ({value.note})", counterexample={"stated": str(claimed[0]),
                                                                            "computed": str(int(value)), "rule": value.note},
                             expected=str(int(value)))
        return Judgement("CORRECT", "params", f"worked example (code): {int(value)} parameters ({value.note})",
                         expected=str(int(value)))
    t: Tensor = value.tensor
    if isinstance(value, Dim):
        actual, axes = (int(value),), (value.axis,)
    else:
        actual, axes = tuple(value), tuple(range(len(value)))
    if len(claimed) != len(actual):
        if not (partial and isinstance(value, Shape) and t.spatial and len(claimed) == len(t.spatial)
                and tuple(value) == t.shape):
            return None
        actual, axes = tuple(t.shape[a] for a in t.spatial), t.spatial
    if not any(is_int(c) for c in claimed):
        return None
    wrong = [(a, c, v) for a, c, v in zip(axes, claimed, actual) if is_int(c) and is_int(v) and c != v]
    rules = [note for kind, note in t.steps if kind != "reshape"]
    steps = ("…; " if len(rules) > 2 else "") + "; ".join(rules[-2:])  # the last rules applied
    q = _quantity(t)
    computed = _show(actual)
    if wrong:
        cex = {"stated": _show(claimed), "computed": computed, "axes": ", ".join(f"axis {a}: {c} ≠ {v}" for a, c, v in wrong),
               "rule": steps}
        return Judgement("INCORRECT", q, f"worked example (code): the code's shapes give {computed}, not {_show(claimed)} "
                                         f"({steps})", counterexample=cex, expected=computed)
    if not any(is_int(c) and is_int(v) for c, v in zip(claimed, actual)):
        return None
    return Judgement("CORRECT", q, f"worked example (code): {computed} from {steps}", expected=computed)
