"""proofs — the judge: documents, claims, properties and verdicts.

``proofs`` may import :mod:`derive` and :mod:`numeric`; they never import it.
Submodules: :mod:`proofs.strategies` (Hypothesis strategies),
:mod:`proofs.agreement` (derive == numeric == finite differences),
:mod:`proofs.course` (many documents at once).
"""

from .checker import *  # noqa: F401,F403
from .checker import __all__ as _checker
from .findings import Finding, Report, Verdict
from .properties import *  # noqa: F401,F403
from .properties import __all__ as _properties

__all__ = ["Finding", "Report", "Verdict", *_checker, *_properties]
