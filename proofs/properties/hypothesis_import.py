"""Hypothesis, imported where a property is run — with a clear message when it is not installed.

Hypothesis is needed to *run* a property check (``check_equivariance``,
``convproof prove equivariance`` ...), not to import :mod:`proofs` or to check
a document. Every module that draws examples asks for it here, at call time.

>>> st, nps = hypothesis_modules("check_equivariance")
>>> st.integers(0, 3), nps.arrays  # doctest: +ELLIPSIS
(integers(min_value=0, max_value=3), <function arrays at ...>)
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["MissingHypothesis", "require_hypothesis", "hypothesis_modules", "INSTALL_HINT", "storage_outside_cwd",
           "cache_directory"]

INSTALL_HINT = "pip install hypothesis  (or: pip install 'convproof[prove]')"


class MissingHypothesis(ImportError):
    """Hypothesis is not installed, and the feature asked for runs property checks with it."""


def require_hypothesis(what: str):
    """The ``hypothesis`` module, or :class:`MissingHypothesis` naming ``what`` needs it and how to install it."""
    try:
        import hypothesis
    except ImportError as exc:
        raise MissingHypothesis(f"{what} runs property checks with Hypothesis, which is not installed: "
                                f"{INSTALL_HINT}") from exc
    return hypothesis


def hypothesis_modules(what: str):
    """``(hypothesis.strategies, hypothesis.extra.numpy)`` for ``what``; see :func:`require_hypothesis`."""
    require_hypothesis(what)
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as nps

    return st, nps


def cache_directory() -> Path:
    """Where runs made by convproof keep Hypothesis' files: ``$XDG_CACHE_HOME/convproof/hypothesis``
    (default ``~/.cache/convproof/hypothesis``) — never the user's current directory.

    >>> cache_directory().parts[-2:]
    ('convproof', 'hypothesis')
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "convproof" / "hypothesis"


@contextlib.contextmanager
def storage_outside_cwd():
    """Within the block, Hypothesis writes its files (the example database is off anyway; the cache of
    constants it reads from local modules) under :func:`cache_directory` instead of ``./.hypothesis``.

    A storage directory the user chose (``HYPOTHESIS_STORAGE_DIRECTORY`` or
    ``hypothesis.configuration.set_hypothesis_home_dir``) is kept; the previous
    setting is restored on exit.
    """
    from hypothesis import configuration

    key = "__hypothesis_home_directory"  # module global of hypothesis.configuration (no public getter)
    before = getattr(configuration, key, None)
    default = getattr(configuration, "__hypothesis_home_directory_default", None)
    chosen = os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY") or (before is not None and before != default)
    if chosen:
        yield
        return
    configuration.set_hypothesis_home_dir(cache_directory())
    try:
        yield
    finally:
        setattr(configuration, key, before)
