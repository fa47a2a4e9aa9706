r"""Receptive field, jump (effective stride) and start of a stack of layers.

Definitions (typed; Araujo, Norelli & Sabour, "Computing Receptive Fields of
Convolutional Neural Networks", Distill 2019), per spatial dimension, layer
``l`` having kernel ``k_l``, stride ``s_l``, left padding ``p_l`` and dilation
``d_l`` (effective kernel ``κ_l = d_l(k_l − 1) + 1``)::

    r_0 = 1,  j_0 = 1,  u_0 = 0
    r_l = r_{l−1} + (κ_l − 1)·j_{l−1}     (size of the receptive field)
    j_l = j_{l−1}·s_l                      (jump: input pixels between neighbouring outputs)
    u_l = u_{l−1} − p_l·j_{l−1}            (start: input index of the first pixel seen by output 0)

Output ``y`` of the stack sees input pixels ``u + y·j … u + y·j + r − 1``;
``−u`` is Araujo's *effective padding*. The closed forms for uniform stacks
are *solved* (``rsolve`` for the jump, ``summation`` of the telescoped
recursion for the size), not typed.

Examples
--------
>>> rf = receptive_field([(3, 1, 1), (3, 1, 1)])
>>> rf.size, rf.jump, rf.start
(5, 1, -2)
>>> rf = receptive_field([(7, 2, 3), (3, 2, 1)])
>>> rf.size, rf.jump, rf.start
(11, 4, -5)
>>> der = receptive_field_derivation(uniform=True)
>>> der.steps[5].rhs
Piecewise((L*d*(k - 1) + 1, Eq(s, 1)), (d*(k - 1)*(s**L - 1)/(s - 1) + 1, True))
>>> der.result
L*(k - 1) + 1
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import sympy as sp
from sympy.printing.latex import LatexPrinter

from ..derivation import Derivation, checked_once
from .rf_exact import Branches, NoReceptiveField, Transposed, exact_summary, is_affine, jump_of, support
from .symbols import L, P, as_size_expr, d, k, plain, s

__all__ = ["receptive_field", "receptive_field_derivation", "ReceptiveField", "layer_geometry", "advance", "Trunk",
           "Transposed", "Branches", "NoReceptiveField"]

_l = sp.Symbol("l", integer=True, nonnegative=True)
_m = sp.Symbol("m", integer=True, nonnegative=True)


@dataclass
class ReceptiveField:
    """Receptive field of a stack: ``size``, ``jump``, ``start`` (tuples for 2-D stacks).

    ``size`` is the number of input pixels from the first to the last one an
    output sees (the *span*; with dilation, or a stride larger than the next
    kernel, the pixels inside it may have gaps: :meth:`support` lists them).
    ``start`` is the input index of the first pixel seen by output 0 (negative
    when it lies in the padding); ``effective_padding`` is ``-start``;
    ``center`` is the centre of that first receptive field.

    Through a transposed convolution the jump is a fraction and the window
    depends on the output position: ``size`` is then the largest span (attained
    by some output), ``start`` the least ``first(y) − y·jump``, and :meth:`span`
    gives each output's exact span.

    Indices are those of the zero-padded input (negative ones lie in the
    padding); with ``padding_mode`` ``'reflect'``, ``'replicate'`` or
    ``'circular'`` a padded index stands for the input pixel it copies.
    """

    size: Any
    jump: Any
    start: Any
    derivation: Derivation = field(repr=False)
    chains: tuple = field(default=(), repr=False, compare=False)

    @property
    def effective_padding(self):
        """Araujo's effective padding, ``-start``."""
        return tuple(-u for u in self.start) if isinstance(self.start, tuple) else -self.start

    @property
    def center(self):
        """Centre of the receptive field of output 0, ``start + (size − 1)/2``."""
        if isinstance(self.start, tuple):
            return tuple(u + sp.Rational(1, 2) * (r - 1) for u, r in zip(self.start, self.size))
        return self.start + sp.Rational(1, 2) * (self.size - 1)

    def _dim(self, dim: int):
        r, j, u = (self.size, self.jump, self.start)
        if isinstance(r, tuple):
            r, j, u = r[dim], j[dim], u[dim]
        chain = self.chains[dim] if dim < len(self.chains) else ()
        return r, j, u, chain

    def span(self, index, dim: int = 0):
        """Input indices ``(first, last)`` seen by output ``index`` along ``dim`` (None if it sees none).

        >>> receptive_field([(3, 2, 1)]).span(4)
        (7, 9)
        """
        r, j, u, chain = self._dim(dim)
        if all(is_affine(g) for g in chain):
            first = u + index * j
            return (_num(first), _num(first + r - 1)) if sp.sympify(first).is_number else (first, first + r - 1)
        seen = support(chain, index)
        return (min(seen), max(seen)) if seen else None

    def support(self, index: int, dim: int = 0) -> list[int]:
        """The input indices output ``index`` depends on, sorted (the input taken as unbounded).

        Equal to the gradient support ``{x : ∂y[index]/∂x[x] ≠ 0}`` (positive weights)
        when the span lies inside the input; inside the span, with gaps where
        dilation or a large stride skips pixels.

        >>> rf = receptive_field([(2, 1, 1, 2), (3, 1, 0, 1)])
        >>> rf.span(0), rf.support(0)
        ((-1, 3), [-1, 0, 1, 2, 3])
        >>> receptive_field([(2, 1, 0, 2)]).support(0)
        [0, 2]
        """
        *_, chain = self._dim(dim)
        return sorted(support(chain, index))

    def _latex(self, printer):
        return r"r = %s,\ j = %s,\ u = %s" % (printer._print(self.size), printer._print(self.jump),
                                               printer._print(self.start))

    def _repr_latex_(self):
        return "$" + self._latex(LatexPrinter()) + "$"


def layer_geometry(layer) -> list[tuple] | None:
    """Per-dimension ``(kernel, stride, left padding, dilation)`` of a layer, or None if it keeps positions.

    Accepts a tuple ``(k, s[, p[, d]])`` (1-D), or any object with an
    ``rf_geometry()`` method (the layers of :mod:`derive.layers`).

    >>> layer_geometry((3, 2))
    [(3, 2, 0, 1)]
    >>> layer_geometry((3, 2, 1, 2, 5))
    Traceback (most recent call last):
    ...
    ValueError: a layer tuple is (kernel, stride[, padding[, dilation]]), got 5 values: (3, 2, 1, 2, 5)
    """
    if isinstance(layer, (tuple, list)):
        if not 1 <= len(layer) <= 4:
            raise ValueError(f"a layer tuple is (kernel, stride[, padding[, dilation]]), got {len(layer)} values: {tuple(layer)!r}")
        kk, ss, pp, dd = (list(layer) + [1, 0, 1][len(layer) - 1:])[:4] if len(layer) > 1 else (layer[0], 1, 0, 1)
        return [(as_size_expr(kk, "kernel", "kernel_size"), as_size_expr(ss, "stride", "stride"),
                 as_size_expr(pp, "padding", "padding"), as_size_expr(dd, "dilation", "dilation"))]
    if isinstance(layer, Transposed):
        return [layer]
    if hasattr(layer, "rf_geometry"):
        return layer.rf_geometry()
    raise TypeError(f"cannot take the receptive field of {type(layer).__name__}; "
                    "give (kernel, stride[, padding[, dilation]]) tuples or derive.layers objects")


def advance(state: tuple, geometry: tuple) -> tuple:
    """One step of the recursion along one dimension: ``(r, j, u)`` → the state after the layer.

    >>> advance((1, 1, 0), (3, 2, 1, 1))
    (3, 2, -1)
    >>> advance((1, 1, 0), Transposed(4, 2, 1))
    Traceback (most recent call last):
    ...
    ValueError: a transposed convolution has no affine window recursion; use receptive_field(), which reads its index map
    """
    if not is_affine(geometry):
        raise ValueError("a transposed convolution has no affine window recursion; "
                         "use receptive_field(), which reads its index map")
    r, j, u = state
    kk, ss, pp, dd = geometry
    return (sp.expand(r + dd * (kk - 1) * j), sp.expand(j * ss), sp.expand(u - pp * j))


def _flatten(layers) -> list:
    out = []
    for layer in layers:
        if hasattr(layer, "rf_layers"):
            out.extend(_flatten(layer.rf_layers()))
        else:
            out.append(layer)
    return out


_num = plain  # numbers as plain int (json, format), formulas as SymPy


class Trunk:
    """The stack so far, per spatial dimension: its chain of index maps and, while it is affine, ``(r, j, u)``.

    One mechanism for :func:`receptive_field` and the rows of
    :meth:`~derive.sizes.network.Network.table`, so both always agree.

    >>> t = Trunk(1)
    >>> t.push([(3, 2, 1, 1)]); t.summary()
    ((3,), (2,), (-1,))
    >>> t.push([Transposed(3, 2, 1, 1)]); t.summary()
    ((5,), (1,), (-2,))
    """

    def __init__(self, ndim: int):
        self.chains: list[list] = [[] for _ in range(ndim)]
        self.affine: list[tuple | None] = [(sp.Integer(1), sp.Integer(1), sp.Integer(0))] * ndim

    def push(self, geometry) -> None:
        """Append one layer (``rf_geometry()``: one entry per dimension, or one for all)."""
        if len(geometry) == 1 and len(self.chains) > 1:
            geometry = list(geometry) * len(self.chains)
        if len(geometry) != len(self.chains):
            raise ValueError(f"a layer with {len(geometry)} spatial dimensions in a stack with {len(self.chains)}")
        for dim, g in enumerate(geometry):
            self.chains[dim].append(g)
            st = self.affine[dim]
            self.affine[dim] = advance(st, g) if st is not None and is_affine(g) else None

    def summary(self) -> tuple[tuple, tuple, tuple]:
        """``(sizes, jumps, starts)``, one entry per dimension."""
        out = []
        for chain, st in zip(self.chains, self.affine):
            out.append(st if st is not None else exact_summary(chain)[:3])
        return tuple(tuple(_num(x[i]) for x in out) for i in range(3))


def receptive_field(layers: Iterable) -> ReceptiveField:
    r"""Receptive field of a stack, by running the recursion (symbolic in any symbol).

    Parameters
    ----------
    layers : iterable
        ``(kernel, stride[, padding[, dilation]])`` tuples (1-D), or layers of
        :mod:`derive.layers` (2-D ones give tuples ``(along H, along W)``), or a
        :class:`~derive.sizes.network.Network`. Layers that keep positions (ReLU,
        batch norm, …) are skipped; residual blocks contribute the union of their branches.

    Returns
    -------
    ReceptiveField
        ``size``, ``jump``, ``start`` and the ``derivation`` (one checked step per layer).
        Numbers are plain ``int`` (a transposed convolution makes the jump a fraction).

    Raises
    ------
    ValueError
        A layer that has no finite receptive field (Flatten, Linear, adaptive pooling),
        or a symbolic transposed convolution (see :mod:`derive.sizes.rf_exact`).

    Examples
    --------
    >>> from derive.sizes.symbols import k
    >>> receptive_field([(k, 1)] * 3).size
    3*k - 2
    >>> receptive_field([(3, 1, 0, 2), (3, 1, 0, 4)]).size
    13

    Through a transposed convolution (stride 2 halves the jump; each output sees
    ⌈4/2⌉ = 2 inputs):

    >>> from derive.layers import Conv2d, ConvTranspose2d
    >>> rf = receptive_field([Conv2d(1, 1, 3, stride=2, padding=1), ConvTranspose2d(1, 1, 4, stride=2, padding=1)])
    >>> rf.size, rf.jump, rf.start
    ((5, 5), (1, 1), (-3, -3))
    >>> rf.span(1)
    (-1, 3)
    """
    if hasattr(layers, "rf_layers"):
        layers = layers.rf_layers()
    geoms = []
    for layer in _flatten(list(layers)):
        g = layer_geometry(layer)
        if g is None:
            continue
        geoms.append((layer, g))
    ndim = max((len(g) for _, g in geoms), default=1)
    der = Derivation("Receptive field of a stack (Araujo et al., Distill 2019)",
                     assumptions=["r_0 = 1, j_0 = 1, u_0 = 0 (one input pixel)",
                                  "r_l = r_{l-1} + (d_l(k_l - 1) + 1 - 1) j_{l-1}",
                                  "j_l = j_{l-1} s_l,  u_l = u_{l-1} - p_l j_{l-1}"])
    trunk = Trunk(ndim)
    names = "HW" if ndim == 2 else ("DHW" if ndim == 3 else "x" * ndim)
    for n, (layer, g) in enumerate(geoms, 1):
        before = list(trunk.affine)
        trunk.push(g)
        for dim, st in enumerate(before):
            geom = trunk.chains[dim][-1]
            if st is None or not is_affine(geom):
                continue
            r, j, _ = st
            kk, ss, pp, dd = (sp.sympify(v, strict=True) for v in geom)
            tag = f"{n}" + (f",{names[dim]}" if ndim > 1 else "")
            shown = sp.Add(r, sp.Mul(dd * (kk - 1) + 1 - 1 if not (dd * (kk - 1)).is_number else
                                     sp.UnevaluatedExpr(dd * (kk - 1) + 1) - 1, j, evaluate=False),
                           evaluate=False)
            der.step(shown, trunk.affine[dim][0], f"r_{tag}: recursion")
    for dim, st in enumerate(trunk.affine):
        if st is None:
            _exact_steps(der, trunk.chains[dim], names[dim] if ndim > 1 else "")
    der.checked()  # every step checked before the result is handed out
    size, jump, start = trunk.summary()
    chains = tuple(tuple(c) for c in trunk.chains)
    if ndim == 1:
        return ReceptiveField(size[0], jump[0], start[0], der, chains)
    return ReceptiveField(size, jump, start, der, chains)


def _exact_steps(der: Derivation, chain, axis: str) -> None:
    """Steps for a chain through a transposed convolution: the jump, and the size as the largest span of a period."""
    size, jump, start, q = exact_summary(chain)
    tag = f"_{axis}" if axis else ""
    factors = [jump_of(g) for g in chain]
    der.step(sp.Mul(*factors, evaluate=False), jump,
             f"j{tag}: product of the jump factors (a transposed conv with stride s multiplies the jump by 1/s)")
    spans = []
    for y in range(q):
        seen = support(chain, y)
        if seen:
            spans.append(sp.Integer(max(seen) - min(seen) + 1))
    der.step(sp.Max(*spans, evaluate=False) if len(spans) > 1 else spans[0], size,
             f"r{tag}: largest span over one period ({q} outputs) of the exact index maps "
             "(transposed: output o sees inputs (o + p - t d)/s)")


@checked_once
def receptive_field_derivation(uniform: bool = True, depth: int = 3) -> Derivation:
    r"""The receptive-field recursion and its closed form.

    ``uniform=True``: ``L`` identical layers (kernel ``k``, stride ``s``,
    dilation ``d``, padding ``P``); the jump ``s^L`` comes from ``rsolve``, the
    size from ``summation`` of the telescoped recursion,
    ``1 + d(k−1)(s^L − 1)/(s − 1)`` (``1 + L·d(k−1)`` when ``s = 1``, so
    ``1 + L(k−1)`` without dilation), the start from ``summation`` too.
    ``uniform=False``: ``depth`` layers with their own symbols, unrolled to
    ``1 + Σ_l d_l(k_l − 1) Π_{i<l} s_i``.

    Examples
    --------
    >>> der = receptive_field_derivation(uniform=True)
    >>> der.verify()
    True
    >>> der.steps[-1].rhs
    L*(k - 1) + 1
    >>> receptive_field_derivation(uniform=False, depth=2).verify()
    True
    """
    if uniform:
        return _uniform_derivation()
    return _general_derivation(depth)


def _uniform_derivation() -> Derivation:
    der = Derivation("Receptive field of L identical layers (closed form)",
                     assumptions=["L layers with kernel k, stride s, dilation d, padding P",
                                  "r_0 = 1, j_0 = 1, u_0 = 0"],
                     domain={"L": (1, 6), "k": (1, 7), "s": (1, 4), "d": (1, 3), "P": (0, 3), "l": (0, 6)})
    r, j, u = sp.Function("r"), sp.Function("j"), sp.Function("u")
    der.define(j(_l + 1), s * j(_l), "definition: the jump multiplies by the stride")
    jump = sp.rsolve(j(_l + 1) - s * j(_l), j(_l), {j(0): 1})
    der.step(jump.subs(_l, _l + 1), s * jump, "rsolve: j_l = s^l satisfies the recursion")
    der.step(jump.subs(_l, 0), 1, "and the initial value j_0 = 1")
    der.define(r(_l + 1) - r(_l), d * (k - 1) * j(_l), "definition: each layer adds (d(k-1)+1 - 1) jumps")
    telescoped = 1 + sp.Sum(d * (k - 1) * jump.subs(_l, _m), (_m, 0, L - 1))
    size = sp.summation(d * (k - 1) * jump.subs(_l, _m), (_m, 0, L - 1)) + 1
    size = sp.piecewise_fold(size)
    size = sp.Piecewise(*[(sp.factor_terms(sp.simplify(e)), c) for e, c in size.args])
    der.step(telescoped, size, "telescope r_L = r_0 + sum of the increments; sympy.summation (geometric)")
    pretty = sp.Piecewise((1 + L * d * (k - 1), sp.Eq(s, 1)), (1 + d * (k - 1) * (s ** L - 1) / (s - 1), True))
    der.step(size, pretty, "regroup")
    size = pretty
    der.step(size.subs(L, L + 1) - size, d * (k - 1) * s ** L, "check: the closed form satisfies the recursion")
    start = -sp.summation(P * jump.subs(_l, _m), (_m, 0, L - 1))
    start = sp.piecewise_fold(start)
    der.define(u(_l + 1) - u(_l), -P * j(_l), "definition: each layer moves the start left by p_l jumps")
    der.step(-sp.Sum(P * jump.subs(_l, _m), (_m, 0, L - 1)), start, "telescope and sum the start (sympy.summation)")
    der.step(jump.subs(_l, L), s ** L, "jump of the stack: j_L = s^L")
    der.step(size.subs(s, 1), L * d * (k - 1) + 1, "stride 1: the s = 1 branch")
    der.step((L * d * (k - 1) + 1).subs(d, 1), L * (k - 1) + 1, "stride 1, no dilation: 1 + L(k - 1)")
    return der


def _general_derivation(depth: int) -> Derivation:
    if not isinstance(depth, int) or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth!r}")
    ks = [sp.Symbol(f"k_{i}", integer=True, positive=True) for i in range(1, depth + 1)]
    ss = [sp.Symbol(f"s_{i}", integer=True, positive=True) for i in range(1, depth + 1)]
    ds = [sp.Symbol(f"d_{i}", integer=True, positive=True) for i in range(1, depth + 1)]
    ps = [sp.Symbol(f"p_{i}", integer=True, nonnegative=True) for i in range(1, depth + 1)]
    der = Derivation(f"Receptive field of a stack of {depth} layers (recursion, unrolled)",
                     assumptions=["layer l: kernel k_l, stride s_l, dilation d_l, left padding p_l",
                                  "r_0 = 1, j_0 = 1, u_0 = 0"],
                     domain={n: (1, 5) for n in [x.name for x in ks + ss + ds]})
    rf = receptive_field([(kk, st, pp, dd) for kk, st, pp, dd in zip(ks, ss, ps, ds)])
    der.extend(rf.derivation)
    closed = 1 + sum(ds[l] * (ks[l] - 1) * sp.Mul(*ss[:l]) for l in range(depth))
    der.step(rf.size, closed, "collect: r_L = 1 + sum_l d_l (k_l - 1) prod_{i<l} s_i")
    der.step(rf.jump, sp.Mul(*ss), "j_L = prod_l s_l")
    der.step(rf.start, -sum(ps[l] * sp.Mul(*ss[:l]) for l in range(depth)), "u_L = -sum_l p_l prod_{i<l} s_i")
    return der
