"""Writing a command's output to ``-o PATH``: what the user named, in the way that suits what it is.

- ``-`` is standard output;
- a directory is refused with "is a directory";
- a regular file (or a new path, whose folders are made) is written to a temporary file beside it and
  renamed over it, so a reader never sees half a report; a symlink is followed
  (the file it points to is replaced, the link stays a link);
- anything else — a FIFO, a character device such as ``/dev/null`` or
  ``/dev/stdout``, a socket — is opened and written in place, never replaced.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
>>> write_output(p, "hello\\n") == p
True
>>> write_output(p, "again", force=False)
Traceback (most recent call last):
...
FileExistsError: ... exists; pass --force to overwrite it
>>> write_output(p.parent, "x")
Traceback (most recent call last):
...
IsADirectoryError: ...: is a directory; give a file name
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

__all__ = ["write_output"]


def _replace_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)  # an existing file keeps its permissions
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # mkstemp makes 0600; a new file follows the umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_output(path: str | os.PathLike, data: str | bytes, *, force: bool = True) -> Path | str:
    """Write ``data`` (text as UTF-8) to ``path``; return the path written (``"-"`` for standard output).

    Parameters
    ----------
    path : ``"-"`` (standard output), a file, a symlink to one, or a special file (FIFO, device).
    force : replace an existing regular file; when false, an existing one is refused.

    Raises
    ------
    IsADirectoryError
        When ``path`` (or the target of a symlink) is a directory.
    FileExistsError
        When ``path`` is an existing regular file and ``force`` is false.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if str(path) == "-":
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # a text-only stream (a test's capture)
            sys.stdout.write(raw.decode("utf-8"))
        else:
            out.write(raw)
            out.flush()
        return "-"
    given = Path(path)
    target = Path(os.path.realpath(given))  # a symlink (or a chain of them) is followed to what it names
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(f"{given}: is a directory; give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        with open(target, "wb") as fh:  # FIFO, device, socket: write in place, never replace the node
            fh.write(raw)
        return given
    if st is not None and not force:
        raise FileExistsError(f"{given} exists; pass --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    _replace_atomically(target, raw)
    return given
