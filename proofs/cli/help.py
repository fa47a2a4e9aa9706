"""One help style for every verb: a plain-text description, then examples and exit status.

Each verb builds its sub-parser with :func:`add_verb`, which uses argparse's
``RawDescriptionHelpFormatter`` (the text is shown as written: no reST, no
re-wrapping of the examples) and an epilog::

    examples:
      # exit 1: the notes hold planted mistakes
      convproof check examples/notes.md

    exit status:
      0 ..., 1 ..., 2 ...

Every example is a command that runs from the repository root with the shipped
files (``tests/proofs/test_cli_examples.py`` runs them all); an example whose
exit status is not 0 says ``exit N`` in its comment.

>>> import argparse
>>> sub = argparse.ArgumentParser(prog="convproof").add_subparsers()
>>> p = add_verb(sub, "demo", summary="a demo", description="Does nothing.",
...              examples=[("convproof demo", "prints nothing")], exit_status="0 always.")
>>> print(p.epilog)
examples:
  # prints nothing
  convproof demo
<BLANKLINE>
exit status:
  0 always.
>>> examples_of(p)
[('convproof demo', 0)]
"""

from __future__ import annotations

import argparse
import re

__all__ = ["add_verb", "examples_of", "epilog", "HelpFormatter"]


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs as written; option help wrapped; a wider option column."""

    def __init__(self, prog, **kwargs):
        kwargs.setdefault("max_help_position", 32)
        super().__init__(prog, **kwargs)


def epilog(examples, exit_status: str) -> str:
    """The ``examples:`` and ``exit status:`` sections (each command after its ``#`` comment)."""
    lines = ["examples:"]
    for cmd, comment in examples:
        lines += ([f"  # {comment}"] if comment else []) + [f"  {cmd}"]
    lines += ["", "exit status:"]
    lines += [f"  {line}" for line in exit_status.strip().splitlines()]
    return "\n".join(lines)


def add_verb(subparsers, name: str, *, summary: str, description: str, examples, exit_status: str,
             **kwargs) -> argparse.ArgumentParser:
    """A sub-parser ``name`` in the common style; ``examples`` are ``(command, comment)`` pairs."""
    return subparsers.add_parser(name, help=summary, description=description,
                                 epilog=epilog(examples, exit_status), formatter_class=HelpFormatter, **kwargs)


_EXIT = re.compile(r"\bexit (\d)\b")


def examples_of(parser: argparse.ArgumentParser) -> list[tuple[str, int]]:
    """The example commands of a parser's epilog with the exit status each announces (0 unless ``exit N``)."""
    out, inside, comment = [], False, ""
    for line in (parser.epilog or "").splitlines():
        if line.strip() == "examples:":
            inside = True
            continue
        if inside and not line.startswith("  "):
            break
        text = line.strip()
        if inside and text.startswith("#"):
            comment = text
        elif inside and text:
            m = _EXIT.search(comment)
            out.append((text, int(m.group(1)) if m else 0))
            comment = ""
    return out
