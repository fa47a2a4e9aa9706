"""proofs — the judge: documents, claims, properties and verdicts.

``proofs`` may import :mod:`derive` and :mod:`numeric`; they never import it.
Submodules: :mod:`proofs.strategies` (Hypothesis strategies),
:mod:`proofs.agreement` (derive == numeric == finite differences),
:mod:`proofs.course` (many documents at once).

The public names (``check_document``, ``check_equivariance``, ``Verdict`` …)
are imported on first use (:mod:`derive.lazy`), so that ``import proofs.cli.main``
and ``convproof --help`` do not load the judge, and ``convproof check`` does not
load the property toolkit.
"""

from derive.lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, [
    ("proofs.findings", ("Finding", "Report", "Verdict")),
    ("proofs.checker", None),
    ("proofs.properties", None),
])
