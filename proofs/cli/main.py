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
import difflib
import importlib
import os
import sys
from importlib.metadata import PackageNotFoundError, version

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
    from .help import HelpFormatter

    parser = argparse.ArgumentParser(
        prog="convproof",
        description="Derive, compute and check the mathematics of convolutional networks.",
        epilog="Run `convproof VERB --help` for a verb's options, examples and exit status.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"convproof {_version()}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    for name in VERBS:
        module = importlib.import_module(f"proofs.cli.{name}")
        module.register(sub)
    return parser


def _user_errors() -> tuple:
    """The errors that are the user's (a one-line message, exit 2): ValueError, TypeError, OSError and, when
    Hypothesis was asked for, its absence (looked up only then, so that the parser stays light)."""
    errors: tuple = (ValueError, TypeError, OSError)
    lazy = sys.modules.get("proofs.properties.hypothesis_import")
    return errors + (lazy.MissingHypothesis,) if lazy is not None else errors


def _verb_parser(parser: argparse.ArgumentParser, verb: str | None) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and verb in action.choices:
            return action.choices[verb]
    return parser


def _unrecognized(parser: argparse.ArgumentParser, extra: list[str]) -> str:
    """``unrecognized arguments: --kernal (did you mean --kernel-size?)``, from the verb's own options
    (a quiet alias is matched too, and its documented spelling suggested)."""
    shown = {a.dest: a.option_strings[0] for a in parser._actions
             if a.option_strings and a.help is not argparse.SUPPRESS}
    spelling = {o.lstrip("-"): shown.get(a.dest, o) for a in parser._actions for o in a.option_strings
                if o.startswith("--") and a.dest in shown}
    hints = []
    for word in extra:
        if word.startswith("--"):
            close = difflib.get_close_matches(word.split("=")[0].lstrip("-"), list(spelling), n=1, cutoff=0.7)
            if close:
                hints.append(f"{word}: did you mean {spelling[close[0]]}?")
    return f"unrecognized arguments: {' '.join(extra)}" + (f" ({'; '.join(hints)})" if hints else "")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status.

    A wrong option is reported by the verb's parser, with the verb's usage:

    >>> main(["rf", "conv", "--kernal", "3"])  # doctest: +SKIP
    usage: convproof rf [-h] [--format {text,json,md,tex}] ...
    convproof rf: error: unrecognized arguments: --kernal 3 (--kernal: did you mean --kernel-size?)
    """
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        verb_parser = _verb_parser(parser, getattr(args, "verb", None))
        verb_parser.error(_unrecognized(verb_parser, extra))  # exits 2 with the verb's usage
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
    except _user_errors() as exc:
        print(f"convproof {args.verb}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
