r"""The object every backward derivation returns: formula, derivation, evaluation.

A :class:`GradientResult` holds

* ``lhs`` — what is differentiated, e.g. ``∂L/∂X[n',c',a,b]``;
* ``expr`` — the derived right-hand side, a SymPy expression general in the
  sizes (sums, ``Piecewise`` guards with the divisibility and range conditions);
* ``derivation`` — the :class:`TensorDerivation` it came out of;
* the *roles*: which keyword of :meth:`evaluate` binds which tensor, and
  which size symbol is read off which axis of which array.

:meth:`evaluate` runs ``expr`` itself on NumPy arrays (see
:mod:`derive.gradients.tensor_eval`) — it is never a call into ``numeric``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from .tensor_derivation import complete_arrays
from .tensor_eval import as_int, evaluate

__all__ = ["GradientResult", "Role"]


@dataclass(frozen=True)
class Role:
    """An array argument of :meth:`GradientResult.evaluate`.

    ``keyword`` is the argument name (``"grad_output"``), ``base`` the
    ``IndexedBase`` it binds, ``shape`` the size symbols (or expressions) of
    its axes, read off the array's shape.
    """

    keyword: str
    base: sp.IndexedBase
    shape: tuple


@dataclass
class GradientResult:
    """A derived backward pass. See the module docstring.

    ``params`` maps hyperparameter keywords (``"stride"``) to the symbols they
    bind per spatial dimension; symbolic ones must be given to :meth:`evaluate`.
    ``check_sizes`` validates the sizes read from the arrays (raises ``ValueError``).
    """

    name: str
    lhs: sp.Basic
    expr: sp.Basic
    derivation: object
    roles: tuple
    free: tuple  # ((index symbol, size expression), …) of the result
    params: Mapping[str, tuple] = field(default_factory=dict)
    derived_sizes: Mapping[sp.Symbol, Callable[[dict], int]] = field(default_factory=dict)
    functions: Mapping[str, Callable] = field(default_factory=dict)
    check_sizes: Callable[[dict], None] | None = None
    computed: list = field(default_factory=list)
    defaults: Mapping[str, object] = field(default_factory=dict)
    preprocess: Mapping[str, Callable] = field(default_factory=dict)

    # -- checking ---------------------------------------------------------------
    def checked(self, *, record: bool = False) -> "GradientResult":
        """Verify every step of the derivation and return ``self``; raise ``DerivationError`` if one fails
        (``record``: see :meth:`derive.derivation.Derivation.checked`)."""
        self.derivation.checked(record=record)
        return self

    def copy(self) -> "GradientResult":
        """A copy with its own (copied) derivation, to hand out without touching a cached original."""
        return replace(self, derivation=self.derivation.copy())

    # -- printing ---------------------------------------------------------------
    def lhs_latex(self) -> str:
        r"""``\frac{\partial L}{\partial X_{…}}`` (a partial derivative: L depends on every tensor)."""
        if isinstance(self.lhs, sp.Derivative) and len(self.lhs.variables) == 1:
            return rf"\frac{{\partial {sp.latex(self.lhs.expr)}}}{{\partial {sp.latex(self.lhs.variables[0])}}}"
        return sp.latex(self.lhs)

    def latex(self) -> str:
        r"""``lhs = expr`` in LaTeX."""
        return f"{self.lhs_latex()} = {sp.latex(self.expr)}"

    def _latex(self, printer) -> str:
        return f"{self.lhs_latex()} = {printer._print(self.expr)}"

    def _repr_latex_(self) -> str:
        return f"$${self.latex()}$$"

    def __str__(self) -> str:
        return f"{sp.sstr(self.lhs)} = {sp.sstr(self.expr)}"

    def __repr__(self) -> str:
        return f"GradientResult({self.name!r}: {self})"

    # -- evaluation ---------------------------------------------------------------
    def evaluate(self, **arrays_and_params) -> np.ndarray:
        """Evaluate the derived expression on NumPy arrays.

        Keywords are the roles (``grad_output=``, ``input=``, ``weight=`` …)
        and, for hyperparameters left symbolic, their values (``stride=2`` or
        ``stride=(2, 1)``).

        Returns
        -------
        numpy.ndarray
            float64, the shape of the differentiated tensor.

        Raises
        ------
        ValueError
            A missing array or hyperparameter, arrays whose shapes disagree.
        TypeError
            An unknown keyword.
        """
        known = {r.keyword for r in self.roles} | set(self.params)
        unknown = sorted(set(arrays_and_params) - known)
        if unknown:
            raise TypeError(f"{self.name}.evaluate() got unknown keywords {unknown}; expected some of {sorted(known)}")
        values: dict[sp.Symbol, int] = {}
        arrays_and_params = {**self.defaults, **arrays_and_params}
        for key, syms in self.params.items():
            if key in arrays_and_params:
                given = arrays_and_params[key]
                given = tuple(given) if isinstance(given, (tuple, list)) else (given,) * len(syms)
                if len(given) != len(syms):
                    raise ValueError(f"{key} needs {len(syms)} values, got {given}")
                for sym, v in zip(syms, given):
                    values[sym] = int(v) if sym.is_integer else float(v)
        arrays = {}
        for role in self.roles:
            if role.keyword not in arrays_and_params:
                if role.base in self.expr.atoms(sp.IndexedBase):
                    raise ValueError(f"{self.name}.evaluate() needs the array {role.keyword}=")
                continue
            given = arrays_and_params[role.keyword]
            if role.keyword in self.preprocess:
                given = self.preprocess[role.keyword](given, arrays_and_params)
            arr = np.asarray(given, dtype=np.float64)
            if arr.ndim != len(role.shape):
                raise ValueError(f"{role.keyword} must have {len(role.shape)} axes {role.shape}, got shape {arr.shape}")
            arrays[str(role.base.label)] = arr
            for dim, n in zip(role.shape, arr.shape):
                dim = sp.sympify(dim)
                if isinstance(dim, sp.Symbol):
                    if dim in values and values[dim] != n:
                        raise ValueError(f"{role.keyword}: axis {dim} = {n} but another array has {dim} = {values[dim]}")
                    values[dim] = int(n)
        unset = [key for key, syms in self.params.items()
                 if any(sym not in values and sym not in self.derived_sizes for sym in syms)]
        if unset:
            raise ValueError(f"{self.name}.evaluate(): no value for {unset} (left symbolic in the derivation); "
                             f"pass them, e.g. {unset[0]}=1")
        by_name = {s.name: v for s, v in values.items()}
        for sym, fn in self.derived_sizes.items():
            if sym not in values:
                values[sym] = int(fn(by_name))
                by_name[sym.name] = values[sym]
        if self.check_sizes is not None:
            self.check_sizes(by_name)
        labels = {base.label for base in self.expr.atoms(sp.IndexedBase)}
        missing = sorted(
            s.name for s in (self.expr.free_symbols - labels) | {d for _, n in self.free for d in sp.sympify(n).free_symbols}
            if isinstance(s, sp.Symbol) and s not in values and s not in {i for i, _ in self.free}
        )
        if missing:
            raise ValueError(f"{self.name}.evaluate(): no value for {missing}; pass the arrays or hyperparameters that fix them")
        grid = [(i, as_int(sp.sympify(n).xreplace(values))) for i, n in self.free]
        arrays = complete_arrays(self.computed, arrays, values, self.functions)
        fns = {name: factory(arrays, values) for name, factory in self.functions.items()}
        return evaluate(self.expr, arrays, grid=grid, values=values, functions=fns)
