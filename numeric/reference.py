"""Slow, obviously correct NumPy loops: the oracle of the kernel tests.

Each function reads line by line against the formula it computes. They are not
the fast path (use :mod:`numeric`); they exist so that every kernel is tested
against an independent, simple implementation.
"""

from .reference_conv import *  # noqa: F401,F403
from .reference_conv import __all__ as _conv
from .reference_pool import *  # noqa: F401,F403
from .reference_pool import __all__ as _pool

__all__ = [*_conv, *_pool]
