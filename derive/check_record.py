"""A record, kept between runs, of derivations that were checked and held.

Checking a derivation costs from a few milliseconds to a few seconds (an
exhaustive grid, finite differences over random tensors). Every public builder
of :mod:`derive` checks its derivation when it builds it
(:meth:`~derive.derivation.Derivation.checked`); this module lets a later
*process* reuse that check for the very same derivation, the way Numba reuses a
compiled kernel:

* the key is a SHA-256 of everything the check depends on — the SymPy
  structure (``srepr``) of every step and of the derivation's tensors, its
  domain, grid, sampling parameters and title — and of the source of
  :mod:`derive` itself and the SymPy and NumPy versions (the constraints are
  code: a changed line of ``derive`` is a new key);
* only derivations whose every step held are recorded, with each step's
  status and note (``"checked at all 41,216 admissible points of …"``);
* a different or wrong step has another key and is checked afresh.

The record lives in ``$CONVPROOF_CACHE_DIR`` (default
``$XDG_CACHE_HOME/convproof/derivations``, i.e. ``~/.cache/…``); set
``CONVPROOF_CACHE_DIR=off`` to check every derivation in every process. An
unwritable or corrupt record is ignored (the derivation is then simply checked).

>>> import sympy as sp, tempfile, os
>>> from derive.derivation import Derivation
>>> os.environ["CONVPROOF_CACHE_DIR"] = tempfile.mkdtemp()
>>> x = sp.Symbol("x", integer=True)
>>> d = Derivation("demo"); d.step(sp.floor(x / 2) + sp.ceiling(x / 2), x, "halves", )
>>> d.domain["x"] = (-5, 5)
>>> replay(d, 0)
False
>>> d.checked(record=True).steps[0].status
'numeric'
>>> e = Derivation("demo"); e.step(sp.floor(x / 2) + sp.ceiling(x / 2), x, "halves"); e.domain["x"] = (-5, 5)
>>> replay(e, 0), e.steps[0].status
(True, 'numeric')
>>> del os.environ["CONVPROOF_CACHE_DIR"]
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

__all__ = ["record_dir", "key", "replay", "record"]

#: the extra attributes of a tensor derivation that its checks depend on
_TENSOR_ATTRS = ("tensors", "indices", "sizes", "derived", "definitions", "functions", "computed",
                 "generators", "tensor_samples", "fd_step", "rtol")


def record_dir() -> Path | None:
    """Where records are kept, or None when ``CONVPROOF_CACHE_DIR=off``."""
    given = os.environ.get("CONVPROOF_CACHE_DIR")
    if given is not None:
        return None if given.strip().lower() in ("off", "0", "no", "") else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "convproof" / "derivations"


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """SHA-256 of the source of every module of :mod:`derive`, and of the SymPy and NumPy versions."""
    import numpy
    import sympy

    h = hashlib.sha256(f"sympy {sympy.__version__} numpy {numpy.__version__}".encode())
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _describe(value, depth: int = 0) -> str:
    """A stable text for the key: SymPy's ``srepr`` for SymPy objects, inside containers too; a function by
    its name, bytecode, constants and the values it closes over (a changed lambda is a new key)."""
    import sympy as sp

    if depth > 4:
        return "…"
    if isinstance(value, sp.Basic):
        return sp.srepr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{_describe(k, depth + 1)}: {_describe(v, depth + 1)}"
                                      for k, v in value.items())) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_describe(v, depth + 1) for v in value) + "]"
    code = getattr(value, "__code__", None)
    if code is not None:
        cells = []
        for cell in getattr(value, "__closure__", None) or ():
            try:
                cells.append(_describe(cell.cell_contents, depth + 1))
            except ValueError:  # an empty cell
                cells.append("<empty>")
        return f"{getattr(value, '__qualname__', '?')}:{_code(code)}:{cells}"
    if callable(value):
        return getattr(value, "__qualname__", type(value).__name__)
    return repr(value)


def _code(code) -> str:
    """A digest of a code object: its bytecode, names and constants (nested code objects by their digest)."""
    consts = [(_code(c) if hasattr(c, "co_code") else repr(c)) for c in code.co_consts]
    text = f"{code.co_code.hex()} {code.co_names} {consts}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def key(der, start: int) -> str:
    """The key of checking ``der``'s steps from ``start`` on."""
    parts = [_code_fingerprint(), type(der).__name__, der.title, str(start), _describe(der.domain),
             _describe(der.grid), str(der.samples), str(der.seed), _describe(der.constraints)]
    parts += [f"{_describe(s.lhs)} {s.relation} {_describe(s.rhs)} {s.definition} {s.why}" for s in der.steps]
    parts += [_describe(getattr(der, a, None)) for a in _TENSOR_ATTRS]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def replay(der, start: int) -> bool:
    """Set the steps' statuses from a record of the same check, if there is one; True when there was."""
    from .derivation import PASSED

    where = record_dir()
    if where is None:
        return False
    try:
        saved = json.loads((where / f"{key(der, start)}.json").read_text(encoding="utf-8"))
        steps = der.steps[start:]
        if len(saved) != len(steps) or any(status not in PASSED for status, _, _ in saved):
            return False
        for step, (status, note, checked_at) in zip(steps, saved):
            step.status, step.note, step.checked_at, step.failure = status, note, checked_at, None
        return True
    except (OSError, ValueError, TypeError):
        return False


def record(der, start: int) -> None:
    """Record that ``der``'s steps from ``start`` on held (best effort: a failure to write is ignored)."""
    from .files import write_output

    where = record_dir()
    if where is None:
        return
    data = [[s.status, s.note, s.checked_at] for s in der.steps[start:]]
    try:
        where.mkdir(parents=True, exist_ok=True)
        write_output(where / f"{key(der, start)}.json", json.dumps(data), force=True)
    except OSError:
        pass
