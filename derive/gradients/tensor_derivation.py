r"""A :class:`~derive.derivation.Derivation` whose steps may speak of tensors.

A step such as ``∂L/∂X[n',c',a,b] = Σ_o Σ_p Σ_q Piecewise(…)`` has ``Indexed``
entries; the base class cannot sample those, so it would call the step
unverifiable. :class:`TensorDerivation` checks such a step *numerically at
random admissible sizes and random tensors*:

* the size symbols are drawn from the domain and filtered by the
  constraints (as in the base class), then the derived sizes (``H_out`` as
  the number of window positions, ``C_in = g·C_in^g`` …) are computed;
* every tensor gets random float64 entries of its (now concrete) shape;
* both sides are evaluated over *every* value of the step's free indices with
  :func:`~derive.gradients.tensor_eval.evaluate`; a side that is a formal
  derivative ``∂L/∂X[e]`` is computed by central finite differences of the
  definition of ``L`` (exact for the linear operators, ``h = 1e-5`` else);
* a NaN (an unguarded read outside a tensor) or a mismatch fails the step
  with the sizes where it broke.

Steps without tensors are checked by the base class, unchanged.
"""

from __future__ import annotations

import itertools
import random
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from ..derivation import Derivation, Step
from .tensor_eval import as_int, evaluate

__all__ = ["TensorDerivation", "complete_arrays"]


def complete_arrays(computed, arrays: dict, values: dict, functions=None) -> dict:
    """Evaluate the computed tensors ``[(base, indices, sizes, definition)]`` in order."""
    if not computed:
        return arrays
    arrays = dict(arrays)
    for base, indices, sizes, definition in computed:
        grid = [(i, as_int(sp.sympify(n).xreplace(values))) for i, n in zip(indices, sizes)]
        fns = {name: f(arrays, values) for name, f in (functions or {}).items()}
        arrays[str(base.label)] = evaluate(definition, arrays, grid=grid, values=values, functions=fns)
    return arrays


def _has_tensor(expr: sp.Basic, functions=()) -> bool:
    return bool(expr.atoms(sp.Indexed)) or bool(expr.atoms(sp.Derivative)) or any(expr.has(f) for f in functions)


class TensorDerivation(Derivation):
    """A derivation over index sums, checked at random sizes and tensors.

    Parameters
    ----------
    title : str
        What is derived.
    tensors : mapping
        ``{IndexedBase: shape}`` with the shape as expressions in the sizes.
    indices : mapping
        ``{free index symbol: size expression}``; the index runs over ``0 … size−1``.
    sizes : sequence of symbols
        The primitive size symbols to sample (domain + constraints apply).
    derived : mapping, optional
        ``{symbol: callable(values_by_name) -> int}`` for sizes computed from
        the primitive ones (e.g. ``H_out``); a sample where one is < 1 is rejected.
    definitions : mapping, optional
        ``{symbol: expression}`` or ``{function: Lambda}`` written out before a
        side is evaluated (``L`` ↦ its index sum, ``Y(i)`` ↦ its sum).
    functions : mapping, optional
        ``{name: factory(arrays, values) -> callable}`` for undefined functions
        in the steps (the arg-max of a pooling window).
    computed : list, optional
        ``[(IndexedBase, index symbols, {symbol: size}, definition)]``: tensors
        evaluated from their definitions (a channel mean ``μ[c]``), in order,
        after every draw and every finite-difference perturbation.
    generators : mapping, optional
        ``{tensor name: fn(numpy Generator, shape) -> array}`` for tensors that
        must satisfy a constraint (rows of a target distribution sum to 1).
    tensor_samples : int
        How many random (sizes, tensors) draws check each tensor step.
    **kwargs
        Passed to :class:`~derive.derivation.Derivation` (assumptions, domain,
        constraints, seed).
    """

    def __init__(
        self,
        title: str,
        *,
        tensors: Mapping[sp.IndexedBase, tuple],
        indices: Mapping[sp.Symbol, sp.Expr],
        sizes: list[sp.Symbol],
        derived: Mapping[sp.Symbol, Callable[[dict], int]] | None = None,
        definitions: Mapping[sp.Symbol, sp.Expr] | None = None,
        functions: Mapping[str, Callable] | None = None,
        computed: list | None = None,
        generators: Mapping[str, Callable] | None = None,
        tensor_samples: int = 3,
        fd_step: float = 0.5,
        rtol: float = 1e-7,
        **kwargs,
    ) -> None:
        super().__init__(title, **kwargs)
        self.tensors = dict(tensors)
        self.indices = dict(indices)
        self.sizes = list(sizes)
        self.derived = dict(derived or {})
        self.definitions = dict(definitions or {})
        self.functions = dict(functions or {})
        self.computed = list(computed or [])
        self.generators = dict(generators or {})
        self.tensor_samples = tensor_samples
        self.fd_step = fd_step
        self.rtol = rtol
        self._cache: dict = {}

    # -- sampling --------------------------------------------------------------------
    def draw(self, t: int) -> tuple[dict, dict] | None:
        """The ``t``-th random ``(sizes, arrays)``, the same for every step."""
        if ("draw", t) in self._cache:
            return self._cache[("draw", t)]
        rng = random.Random(self.seed * 1000 + t)
        result = None
        for _ in range(100):
            values = self._sample(self.sizes, rng)
            if values is None:
                break
            by_name = {s.name: v for s, v in values.items()}
            ok = True
            for sym, fn in self.derived.items():
                v = int(fn(by_name))
                if v < 1:
                    ok = False
                    break
                values[sym] = v
                by_name[sym.name] = v
            if not ok:
                continue
            nprng = np.random.default_rng(self.seed * 1000 + t)
            arrays = {}
            for base, shape in self.tensors.items():
                dims = tuple(as_int(sp.sympify(d).xreplace(values)) for d in shape)
                gen = self.generators.get(str(base.label))
                arrays[str(base.label)] = gen(nprng, dims) if gen else nprng.standard_normal(dims)
            result = (values, arrays)
            break
        self._cache[("draw", t)] = result
        return result

    def complete(self, arrays: dict, values: dict) -> dict:
        """``arrays`` plus the computed tensors, evaluated from their definitions."""
        return complete_arrays(self.computed, arrays, values, self.functions)

    def _functions(self, arrays, values):
        return {name: factory(arrays, values) for name, factory in self.functions.items()}

    # -- evaluation -------------------------------------------------------------------
    def _grid(self, expr: sp.Basic, values: dict) -> list[tuple[sp.Symbol, int]]:
        free = expr.free_symbols
        return [(s, as_int(sp.sympify(n).xreplace(values))) for s, n in self.indices.items() if s in free]

    def evaluate_side(self, expr: sp.Basic, values: dict, arrays: dict, grid) -> np.ndarray:
        """Evaluate one side of a step over ``grid``, finite differences for ``∂L/∂X[e]``."""
        if isinstance(expr, sp.Derivative):
            return self._finite_difference(expr, values, arrays, grid)
        expr = self.substitute(expr)
        arrays = self.complete(arrays, values)
        return evaluate(expr, arrays, grid=grid, values=values, functions=self._functions(arrays, values))

    def _finite_difference(self, expr: sp.Derivative, values, arrays, grid) -> np.ndarray:
        (entry, count), = expr.variable_count
        if count != 1 or not isinstance(entry, sp.Indexed):
            raise ValueError(f"only first derivatives w.r.t. one tensor entry are checked, got {expr}")
        f = self.substitute(expr.expr)
        name = str(entry.base.label)
        shape = [n for _, n in grid]
        out = np.empty(shape)
        h = self.fd_step
        for point in itertools.product(*[range(n) for n in shape]):
            env = {s: sp.Integer(v) for (s, _), v in zip(grid, point)}
            env.update({s: sp.sympify(v) for s, v in values.items()})
            idx = tuple(as_int(sp.sympify(ix).xreplace(env)) for ix in entry.indices)
            if any(i < 0 or i >= d for i, d in zip(idx, arrays[name].shape)):
                out[point] = 0.0  # L does not depend on an entry outside the tensor
                continue
            vals = []
            for sign in (1, -1):
                arr = dict(arrays)
                arr[name] = arrays[name].copy()
                arr[name][idx] += sign * h
                arr = self.complete(arr, values)
                vals.append(float(evaluate(f, arr, values=values, functions=self._functions(arr, values))))
            out[point] = (vals[0] - vals[1]) / (2 * h)
        return out

    # -- the checks of the base class, extended ---------------------------------------------
    def _defined_functions(self):
        return [f for f, v in self.definitions.items() if isinstance(v, sp.Lambda)]

    def substitute(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with the defined symbols and functions (``Y(i)`` ↦ its sum) written out."""
        for f, v in self.definitions.items():
            expr = expr.replace(f, v) if isinstance(v, sp.Lambda) else expr.xreplace({f: v})
        return expr

    def _is_tensor_step(self, step: Step) -> bool:
        fns = self._defined_functions()
        return _has_tensor(step.lhs, fns) or _has_tensor(step.rhs, fns)

    def _check_quick(self, step: Step) -> bool:
        if self._is_tensor_step(step):
            return step.relation == "=" and step.lhs == step.rhs
        return super()._check_quick(step)

    def _check_symbolic(self, step: Step) -> bool:
        if self._is_tensor_step(step):
            return step.relation == "=" and step.lhs == step.rhs
        return super()._check_symbolic(step)

    def _check_numeric(self, step: Step, rng: random.Random) -> tuple[str, dict | None, int]:
        if not self._is_tensor_step(step):
            return super()._check_numeric(step, rng)
        if step.relation != "=":
            return "unverifiable", {"reason": "tensor steps are checked as equalities only"}, 0
        checked = 0
        for t in range(self.tensor_samples):
            drawn = self.draw(t)
            if drawn is None:
                break
            values, arrays = drawn
            grid = self._grid(sp.Tuple(step.lhs, step.rhs), values)
            key = (sp.srepr(step.lhs), t)
            lhs = self._cache.get(key)
            if lhs is None:
                lhs = self.evaluate_side(step.lhs, values, arrays, grid)
                self._cache[key] = lhs
            rhs = self.evaluate_side(step.rhs, values, arrays, grid)
            scale = max(1.0, float(np.nanmax(np.abs(lhs))) if lhs.size and not np.all(np.isnan(lhs)) else 1.0)
            bad = np.isnan(lhs) | np.isnan(rhs) | (np.abs(lhs - rhs) > self.rtol * scale + 1e-9)
            if np.any(bad):
                where = tuple(int(i[0]) for i in np.nonzero(bad))
                failure = {s.name: v for s, v in values.items()}
                failure.update({s.name: v for (s, _), v in zip(grid, where)})
                failure.update(lhs=float(lhs[where]), rhs=float(rhs[where]))
                return "failed", failure, checked
            checked += 1
        if checked == 0:
            return "unverifiable", {"reason": "no admissible sample"}, 0
        return "numeric", None, checked
