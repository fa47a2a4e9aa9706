"""proofs — the judge: documents, claims, properties and verdicts.

``proofs`` may import :mod:`derive` and :mod:`numeric`; they never import it.
"""

from .findings import Finding, Report, Verdict

__all__ = ["Finding", "Report", "Verdict"]
