"""Validate every answer key: fields, enums, quotes on their lines, evidence scripts present.

Usage::

    python benchmarks/documents/check_keys.py [--root DIR]   # exit 1 and list the problems, if any
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from doc_keys import DOCS_ROOT, KEY_SUFFIX, SPLITS, key_errors  # noqa: E402

__all__ = ["all_key_errors", "main"]


def all_key_errors(root: Path = DOCS_ROOT) -> list[str]:
    """Problems of every key under ``root/test`` and ``root/tune``."""
    errs = []
    for sp in SPLITS:
        folder = Path(root) / sp
        for doc in sorted(folder.glob("*")) if folder.is_dir() else []:
            if not doc.name.endswith(KEY_SUFFIX) and not doc.name.startswith("."):
                errs += [f"{sp}/{e}" for e in key_errors(doc, Path(root))]
    return errs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="validate the answer keys")
    ap.add_argument("--root", default=str(DOCS_ROOT))
    a = ap.parse_args(argv)
    errs = all_key_errors(Path(a.root))
    for e in errs:
        print(e, file=sys.stderr)
    print(f"key check: {'FAILED, ' + str(len(errs)) + ' problem(s)' if errs else 'ok'}")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
