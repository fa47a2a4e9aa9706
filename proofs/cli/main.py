"""The ``convproof`` command: one entry point, one verb per module.

Each verb lives in its own module of :mod:`proofs.cli` and exposes
``register(subparsers)``, which adds its sub-parser and sets ``func`` (a
callable ``(args) -> int`` exit status). ``main`` turns the library's
``ValueError``/``TypeError``/``OSError`` (and a missing optional Hypothesis) into a one-line
message and exit 2.

>>> main(["--version"])  # doctest: +SKIP
convproof 0.1.0
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from importlib.metadata import PackageNotFoundError, version

from proofs.properties.hypothesis_import import MissingHypothesis

__all__ = ["main", "build_parser", "VERBS"]

#: module of proofs.cli -> its verbs (each module registers its own)
VERBS = ("check", "derive_cmd", "calc", "prove")


def _version() -> str:
    try:
        return version("convproof")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every verb registered."""
    parser = argparse.ArgumentParser(
        prog="convproof",
        description="Derive, compute and check the mathematics of convolutional networks.",
    )
    parser.add_argument("--version", action="version", version=f"convproof {_version()}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    for name in VERBS:
        module = importlib.import_module(f"proofs.cli.{name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # e.g. `convproof derive --list | head`
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:  # pragma: no cover
            pass
        return 0
    except (ValueError, TypeError, OSError, MissingHypothesis) as exc:
        print(f"convproof {args.verb}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
