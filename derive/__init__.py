"""derive — the truth: CNN formulas derived with SymPy from their definitions.

Output sizes, parameter counts, MACs, receptive fields (:mod:`derive.sizes`,
:mod:`derive.layers`, :mod:`derive.nets`) and backward passes
(:mod:`derive.gradients`), each carrying its :class:`Derivation` — a list of
machine-checked steps that prints as LaTeX. ``derive`` never imports
:mod:`numeric` or :mod:`proofs`.
"""

from . import layers, nets  # noqa: F401
from .derivation import Derivation, Step
from .gradients import *  # noqa: F401,F403
from .gradients import __all__ as _grad
from .sizes import *  # noqa: F401,F403
from .sizes import __all__ as _sizes

__all__ = ["Derivation", "Step", "layers", "nets", *_sizes, *_grad]
