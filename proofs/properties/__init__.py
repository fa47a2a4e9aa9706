"""Equivariance, invariance and agreement as properties — a Hypothesis toolkit for any function.

Point :func:`check_equivariance` / :func:`check_invariance` /
:func:`check_gradient` at any callable NumPy -> NumPy (our numeric functions,
a hand-written conv, a wrapped PyTorch module): they run the property with
Hypothesis and return a :class:`PropertyResult` — ``holds``, the shrunk
counterexample, the condition, measurements, evidence and a ``verdict``.

Modules: :mod:`.shifts` (circular and zero-fill shifts), :mod:`.equivariance`,
:mod:`.invariance`, :mod:`.gradient_check`, :mod:`.conv_statements` and
:mod:`.pool_statements` (the exact statements, with their derivations),
:mod:`.measurements` (shift-consistency, receptive field from gradients, ERF),
:mod:`.scale` (the stride or upsampling factor, checked against the shapes
or measured), :mod:`.result`, and the plumbing :mod:`.runner`, :mod:`.calling`,
:mod:`.margins`, :mod:`.networks`, :mod:`.hypothesis_import` (Hypothesis is
imported when a property runs: ``import proofs`` works without it).
"""

from .conv_statements import conv_equivariance, global_pool_invariance, stack_equivariance
from .equivariance import check_equivariance
from .gradient_check import check_gradient, finite_difference_gradient
from .invariance import check_invariance
from .measurements import effective_receptive_field, measure_receptive_field, shift_consistency
from .pool_statements import (
    global_max_zero_shift,
    max_pool_shift_bound,
    pool_equivariance,
    pool_window_invariance,
)
from .result import Counterexample, PropertyResult
from .shifts import circular_shift, zero_shift

__all__ = [
    "PropertyResult",
    "Counterexample",
    "circular_shift",
    "zero_shift",
    "check_equivariance",
    "check_invariance",
    "check_gradient",
    "finite_difference_gradient",
    "conv_equivariance",
    "stack_equivariance",
    "global_pool_invariance",
    "pool_equivariance",
    "pool_window_invariance",
    "global_max_zero_shift",
    "max_pool_shift_bound",
    "shift_consistency",
    "measure_receptive_field",
    "effective_receptive_field",
]
