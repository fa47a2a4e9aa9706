r"""Exact receptive fields from the index maps: transposed convolutions, residual unions, gapped supports.

The recursion of :mod:`derive.sizes.receptive_field` describes a stack whose
output ``y`` sees the input pixels ``u + y·j … u + y·j + r − 1``: an affine
window, exact for convolutions and pooling. Two things need more:

- a **transposed convolution** (stride ``s``, kernel ``k``, padding ``p``,
  dilation ``d``) is *defined* by its scatter: input ``i`` reaches the outputs
  ``o = i·s − p + t·d`` (``t = 0 … k − 1``), so output ``o`` sees the inputs
  ``i = (o + p − t·d)/s`` for the ``t`` that make this an integer. The jump is
  multiplied by ``1/s`` (a fractional stride) and the window depends on
  ``o mod s`` (between ``⌊κ/s⌋`` and ``⌈κ/s⌉`` inputs, ``κ = d(k − 1) + 1``);
- the **support** (the set of pixels, not only its span) has gaps with
  dilation, or with a stride larger than the next kernel.

Here every layer is an *index map* — :class:`Transposed`, :class:`Branches`
(parallel paths whose outputs are added: a residual block) or the plain tuple
``(k, s, p, d)`` of a convolution, ``o ↦ {o·s − p + t·d}`` — and
:func:`support` pulls an output index back through the chain, as a set. It
treats the input as unbounded: a pixel in the padding counts as a position
(where the padding of a finite input cuts the support, the gradient support is
the part that lies inside; see ``tests/derive/test_receptive_field.py``).

With the jump a fraction ``J``, shifting the output by ``Q`` (the product of
the transposed strides) shifts every pulled-back set by ``Q·J``, an integer:
:func:`exact_summary` reads one period of ``Q`` outputs and returns the largest
span (the receptive-field size, attained), ``J`` and the least offset
``min_y (first(y) − y·J)``.

Examples
--------
>>> sorted(support([(2, 1, 0, 2)], 0))           # a dilated 2-tap kernel: two pixels, a gap between them
[0, 2]
>>> sorted(support([Transposed(4, 2, 1, 1)], 0)), sorted(support([Transposed(4, 2, 1, 1)], 1))
([-1, 0], [0, 1])
>>> exact_summary([Transposed(4, 2, 1, 1)])      # (size, jump, start, period)
(2, 1/2, -1, 2)
>>> exact_summary([(3, 2, 1, 1), Transposed(3, 2, 1, 1)])
(5, 1, -2, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from .symbols import plain

__all__ = ["Transposed", "Branches", "NoReceptiveField", "support", "exact_summary", "is_affine", "jump_of"]


class NoReceptiveField(ValueError):
    """A layer after which outputs have no finite window in the input (Flatten, Linear, adaptive pooling)."""


@dataclass(frozen=True)
class Transposed:
    """A transposed convolution along one dimension: input ``i`` reaches outputs ``i·s − p + t·d``, ``t < k``.

    >>> Transposed(3, 2, 1, 1).inputs_of(4)
    [2]
    >>> Transposed(3, 2, 1, 1).inputs_of(3)
    [2, 1]
    """

    kernel: Any
    stride: Any
    padding: Any
    dilation: Any = 1

    def inputs_of(self, o: int) -> list[int]:
        """Inputs that output ``o`` sees: ``i = (o + p − t·d)/s`` for the ``t`` that make it an integer."""
        kk, ss, pp, dd = _ints(self.kernel, self.stride, self.padding, self.dilation)
        return [(o + pp - t * dd) // ss for t in range(kk) if (o + pp - t * dd) % ss == 0]


class Branches(tuple):
    """Parallel paths whose outputs are summed (a residual block), along one dimension.

    As a tuple it is the equivalent single layer ``(r, j, −u, 1)`` of the union
    of the paths' windows, when every path is affine (``None``s otherwise);
    ``paths`` keeps each path's chain of index maps for the exact support.

    >>> b = Branches([[(3, 1, 1, 1), (3, 1, 1, 1)], []])   # two 3x3 convs + identity shortcut
    >>> tuple(b), sorted(support([b], 0))
    ((5, 1, 2, 1), [-2, -1, 0, 1, 2])
    """

    paths: tuple

    def __new__(cls, paths):
        paths = tuple(tuple(p) for p in paths)
        equivalent = _union_equivalent(paths)
        obj = super().__new__(cls, equivalent)
        obj.paths = paths
        return obj


def _ints(*values) -> tuple[int, ...]:
    out = []
    for v in values:
        v = sp.sympify(v, strict=True)
        if not v.is_Integer:
            raise ValueError(f"the exact receptive field needs numeric kernel, stride, padding and dilation; got {v} "
                             "(through a transposed convolution the field depends on the output position modulo "
                             "the stride, which has no closed form here)")
        out.append(int(v))
    return tuple(out)


def is_affine(geom) -> bool:
    """True when the layer's index map is a convolution window (the affine recursion applies)."""
    if isinstance(geom, Transposed):
        return False
    if isinstance(geom, Branches):
        return all(is_affine(g) for path in geom.paths for g in path)
    return True


def jump_of(geom) -> sp.Expr:
    """Factor by which the layer multiplies the jump: ``s``, ``1/s`` for a transposed conv.

    >>> jump_of((3, 2, 1, 1)), jump_of(Transposed(4, 2, 1))
    (2, 1/2)
    """
    if isinstance(geom, Transposed):
        return 1 / sp.sympify(geom.stride, strict=True)
    if isinstance(geom, Branches):
        jumps = {sp.Mul(*(jump_of(g) for g in path)) for path in geom.paths}
        if len(jumps) > 1:
            raise ValueError(f"residual paths with different jumps {sorted(map(str, jumps))}: their outputs "
                             "cannot be added position by position")
        return jumps.pop()
    return sp.sympify(geom[1], strict=True)


def _union_equivalent(paths) -> tuple:
    from .receptive_field import advance

    if not all(is_affine(g) for path in paths for g in path):
        return (None, None, None, None)
    states = []
    for path in paths:
        st = (sp.Integer(1), sp.Integer(1), sp.Integer(0))
        for g in path:
            st = advance(st, g)
        states.append(st)
    jumps = {j for _, j, _ in states}
    if len(jumps) > 1:
        raise ValueError(f"residual paths with different jumps {sorted(map(str, jumps))}: their outputs "
                         "cannot be added position by position")
    first = sp.Min(*(u for _, _, u in states))
    last = sp.Max(*(u + r - 1 for r, _, u in states))
    return (plain(last - first + 1), plain(jumps.pop()), plain(-first), 1)


def _pull(geom, outs: set[int]) -> set[int]:
    if isinstance(geom, Transposed):
        return {i for o in outs for i in geom.inputs_of(o)}
    if isinstance(geom, Branches):
        seen: set[int] = set()
        for path in geom.paths:
            seen |= _pull_chain(path, outs)
        return seen
    kk, ss, pp, dd = _ints(*geom)
    return {o * ss - pp + t * dd for o in outs for t in range(kk)}


def _pull_chain(chain, outs: set[int]) -> set[int]:
    for geom in reversed(list(chain)):
        outs = _pull(geom, outs)
    return outs


def support(chain, index: int) -> set[int]:
    """Input indices that output ``index`` of the chain depends on (the input taken as unbounded).

    ``chain`` lists the layers' index maps along one dimension, first layer first.

    >>> sorted(support([(2, 2, 0, 1), (2, 1, 0, 1)], 0))  # non-overlapping 2x2 windows, then a 2-tap conv
    [0, 1, 2, 3]
    >>> sorted(support([(1, 2, 0, 1), (2, 1, 0, 1)], 0))  # a 1x1 stride-2 layer leaves gaps
    [0, 2]
    >>> sorted(support([Transposed(1, 2, 0, 1)], 1))     # odd outputs of a 1x1 stride-2 transposed conv see nothing
    []
    """
    return _pull_chain(chain, {int(index)})


def _period(chain) -> int:
    q = 1
    for geom in chain:
        if isinstance(geom, Transposed):
            q *= _ints(geom.stride)[0]
        elif isinstance(geom, Branches):
            for path in geom.paths:
                q *= _period(path)
    return q


def exact_summary(chain) -> tuple[int, sp.Rational, sp.Rational, int]:
    """``(size, jump, start, period)`` of a chain from its exact supports over one period of outputs.

    ``size`` is the largest span ``last − first + 1`` of an output's support
    (attained), ``jump`` the product of the jump factors, ``start`` the least
    ``first(y) − y·jump`` and ``period`` the ``Q`` after which the pattern repeats.

    Raises
    ------
    ValueError
        A symbolic layer, or a chain whose outputs see no input at all.
    """
    jump = sp.Mul(*(jump_of(g) for g in chain)) if chain else sp.Integer(1)
    q = _period(chain)
    size, start = None, None
    for y in range(q):
        seen = support(chain, y)
        if not seen:
            continue
        span = max(seen) - min(seen) + 1
        offset = plain(min(seen) - y * jump)
        size = span if size is None else max(size, span)
        start = offset if start is None else min(start, offset)
    if size is None:
        raise ValueError("no output of this stack sees any input pixel")
    return size, plain(jump), start, q
