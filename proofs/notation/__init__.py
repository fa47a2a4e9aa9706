"""proofs.notation — what a document's letters mean, read from the whole document before any formula is judged.

:mod:`~proofs.notation.lexicon` (role words), :mod:`~proofs.notation.definitions` (definitions in a
line of prose), :mod:`~proofs.notation.declared` (notation declared in a comment, front matter or on the
command line), :mod:`~proofs.notation.table` (the :class:`SymbolTable` with scopes and conventions).
"""

from .declared import Declared, parse_declared
from .table import SymbolTable, build_symbol_table

__all__ = ["SymbolTable", "build_symbol_table", "Declared", "parse_declared"]
