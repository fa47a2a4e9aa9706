"""derive — the truth: CNN formulas derived with SymPy from their definitions.

Output sizes, parameter counts, MACs, receptive fields (:mod:`derive.sizes`,
:mod:`derive.layers`, :mod:`derive.nets`) and backward passes
(:mod:`derive.gradients`), each carrying its :class:`Derivation` — a list of
machine-checked steps that prints as LaTeX. ``derive`` never imports
:mod:`numeric` or :mod:`proofs`.

The public names are imported on first use (:mod:`derive.lazy`): ``derive.output_size``
loads the size derivations, not the backward passes.
"""

from .lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, [
    ("derive.derivation", ("Derivation", "Step")),
    ("derive.sizes", None),
    ("derive.gradients", None),
], submodules=("layers", "nets"))
