"""The pre-commit hook: check the changed documents and fail only on new INCORRECT findings.

pre-commit calls ``convproof-pre-commit FILE…`` with the staged documents. The hook runs
``convproof check`` on them (exit 1 only on INCORRECT; CONDITIONAL and UNRECOGNIZED never refuse a
commit) and honours a baseline: ``--baseline FILE`` in the hook's ``args``, or by default
``.convproof-baseline.json`` at the repository's top when it exists (write it with
``convproof check docs/ --write-baseline .convproof-baseline.json``). Empty files are passed over
(an empty ``notes.txt`` is not a mistake).

>>> hook_arguments(["a.md"], {"a.md": 10}, baseline_exists=False)
['check', 'a.md']
>>> hook_arguments(["--strict", "a.md", "empty.txt"], {"a.md": 10, "empty.txt": 0}, baseline_exists=True)
['check', '--baseline', '.convproof-baseline.json', '--strict', 'a.md']
>>> hook_arguments(["empty.txt"], {"empty.txt": 0}, baseline_exists=False) is None
True
"""

from __future__ import annotations

import os
import sys

__all__ = ["DEFAULT_BASELINE", "hook_arguments", "main"]

#: the baseline file the hook reads when the hook's ``args`` name none and it exists
DEFAULT_BASELINE = ".convproof-baseline.json"


def hook_arguments(argv: list[str], sizes: dict[str, int], *, baseline_exists: bool) -> list[str] | None:
    """The ``convproof`` arguments for the hook's ``argv`` (options, then files); ``None`` when no file is left.

    Parameters
    ----------
    argv : the hook's arguments: options (``--baseline FILE``, ``--strict``…) and the staged files.
    sizes : each file's size in bytes (an empty file is passed over).
    baseline_exists : whether :data:`DEFAULT_BASELINE` exists (used when ``argv`` names no baseline).
    """
    files = [a for a in argv if a in sizes]
    options = [a for a in argv if a not in sizes]
    kept = [f for f in files if sizes[f] > 0]
    if not kept:
        return None
    if "--baseline" not in options and baseline_exists:
        options = ["--baseline", DEFAULT_BASELINE] + options
    return ["check"] + options + kept


def main(argv: list[str] | None = None) -> int:
    """Run the hook; the exit status is ``convproof check``'s (1: a new INCORRECT finding)."""
    from ..cli.main import main as convproof

    argv = list(sys.argv[1:] if argv is None else argv)
    sizes = {a: os.path.getsize(a) for a in argv if not a.startswith("-") and os.path.isfile(a)}
    args = hook_arguments(argv, sizes, baseline_exists=os.path.isfile(DEFAULT_BASELINE))
    return 0 if args is None else convproof(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
