"""derive.sizes — output sizes, parameter counts, MACs and receptive fields, derived with SymPy.

Modules: :mod:`.symbols` (shared symbols and their assumptions),
:mod:`.counting` (counting window positions), :mod:`.output_size`,
:mod:`.tf_padding`, :mod:`.receptive_field`, :mod:`.counts` (parameter and
MAC derivations), :mod:`.network` (stacks and residual blocks),
:mod:`.spec_file` (TOML network specs).
"""

from . import symbols
from .counts import *  # noqa: F401,F403
from .counts import __all__ as _counts
from .output_size import output_size, output_size_derivation
from .receptive_field import ReceptiveField, receptive_field, receptive_field_derivation
from .tf_padding import tf_same_padding
from .network import *  # noqa: F401,F403
from .network import __all__ as _network
from .spec_file import load_spec, SpecError

__all__ = [
    "symbols",
    "output_size",
    "output_size_derivation",
    "tf_same_padding",
    "receptive_field",
    "receptive_field_derivation",
    "ReceptiveField",
    *_counts,
    *_network,
    "load_spec",
    "SpecError",
]
