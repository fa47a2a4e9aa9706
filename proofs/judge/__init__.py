"""proofs.judge — the judging half: recognise, bind, compare, verdict.

Modules: :mod:`~proofs.judge.judgement` (the verdict record), :mod:`~proofs.judge.roles` (symbols to roles), :mod:`~proofs.judge.recognize`
(which quantity), :mod:`~proofs.judge.truth` (derive/numeric), :mod:`~proofs.judge.compare`
(symbolic, exhaustive, condition), :mod:`~proofs.judge.evaluate` and
:mod:`~proofs.judge.index_eval` (index formulas evaluated as written),
:mod:`~proofs.judge.arithmetic` (worked examples), :mod:`~proofs.judge.elementwise` (activations,
batch norm, losses), :mod:`~proofs.judge.subscripts` (``a_{ij}`` as tensor entries), :mod:`~proofs.judge.sizes`
(size/count judges), :mod:`~proofs.judge.transposed` (transposed-convolution output size),
:mod:`~proofs.judge.cost` (multiply-accumulates), :mod:`~proofs.judge.rf_step` (one-layer receptive-field
recursion), :mod:`~proofs.judge.formula` (the dispatcher).
"""

from .formula import TIME_LIMIT, FormulaContext, judge_sides
from .judgement import Judgement

__all__ = ["FormulaContext", "judge_sides", "Judgement", "TIME_LIMIT"]
