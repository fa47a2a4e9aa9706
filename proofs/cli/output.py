"""Writing a command's output to ``-o PATH``: what the user named, in the way that suits what it is.

The one writer is :func:`derive.files.write_output` (``-`` is standard output, a directory is refused
with "is a directory", a regular file is replaced through a temporary and a rename, a symlink is
followed, a FIFO or device is written in place). Here its default is the command line's: ``-o``
replaces an existing regular file unless a verb asks otherwise (``derive`` without ``--force``).

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
>>> write_output(p, "hello\\n") == p
True
>>> write_output(p, "again", force=False)
Traceback (most recent call last):
...
FileExistsError: ... exists; pass --force to overwrite it (force=True in Python)
"""

from __future__ import annotations

import os
from pathlib import Path

from derive.files import check_target, write_output as _write

__all__ = ["write_output", "check_target"]


def write_output(path: str | os.PathLike, data: str | bytes, *, force: bool = True) -> Path | str:
    """:func:`derive.files.write_output` with the command line's default ``force=True``."""
    return _write(path, data, force=force)
