r"""Writing an output file to what the user named, in the way that suits what it is.

Every writer of convproof (``-o FILE``, ``--write-baseline``, a derivation's
``.tex``/``.pdf``) goes through :func:`write_output`:

- ``-`` is standard output;
- a directory is refused with "is a directory";
- a regular file (or a new path, whose folders are made) is written to a
  temporary file beside it and renamed over it, so a reader never sees half a
  file; an existing file keeps its permissions, a new one follows the umask;
- a symlink (or a chain of them) is followed: the file it names is replaced,
  the link stays a link;
- anything else — a FIFO, a character device such as ``/dev/null`` or
  ``/dev/stdout``, a socket — is opened and written in place, never replaced
  (as root, renaming over ``/dev/null`` would replace the device node).

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
>>> write_output(p, "hello\n") == p
True
>>> write_output(p, "again")
Traceback (most recent call last):
...
FileExistsError: ... exists; pass --force to overwrite it (force=True in Python)
>>> _ = write_output(p, "again", force=True); p.read_text()
'again'
>>> write_output(p.parent, "x")
Traceback (most recent call last):
...
IsADirectoryError: ...: is a directory; give a file name
>>> write_output("/dev/null", b"bytes are written as they are")
PosixPath('/dev/null')
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

__all__ = ["write_output", "check_target"]


def check_target(path: str | os.PathLike, *, force: bool = False) -> os.stat_result | None:
    """Refuse ``path`` before anything is computed for it; return the ``stat`` of what it names (None if new).

    ``-`` and special files (FIFO, device, socket) are always accepted.

    Raises
    ------
    IsADirectoryError
        ``path`` (or the target of a symlink) is a directory.
    FileExistsError
        ``path`` is an existing regular file (through symlinks) and ``force`` is false.
    """
    if str(path) == "-":
        return None
    try:
        st = os.stat(path)  # follows symlinks
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(f"{path}: is a directory; give a file name")
    if stat.S_ISREG(st.st_mode) and not force:
        raise FileExistsError(f"{path} exists; pass --force to overwrite it (force=True in Python)")
    return st


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


def _write_stdout(raw: bytes) -> None:
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (a test's capture)
        sys.stdout.write(raw.decode("utf-8"))
    else:
        out.write(raw)
        out.flush()


def write_output(path: str | os.PathLike, data: str | bytes, *, force: bool = False) -> Path | str:
    """Write ``data`` (text as UTF-8) to ``path``; return the path written (``"-"`` for standard output).

    Parameters
    ----------
    path : ``"-"`` (standard output), a file, a symlink to one, or a special file (FIFO, device).
    data : text or bytes.
    force : replace an existing regular file; when false (the default), an existing one is refused.

    Raises
    ------
    IsADirectoryError, FileExistsError
        As :func:`check_target`.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if str(path) == "-":
        _write_stdout(raw)
        return "-"
    given = Path(path)
    st = check_target(given, force=force)
    if st is not None and not stat.S_ISREG(st.st_mode):
        with open(given, "wb") as fh:  # FIFO, device, socket: write in place, never replace the node
            fh.write(raw)
        return given
    target = Path(os.path.realpath(given))  # a symlink (or a chain, or a dangling one) names the file to write
    target.parent.mkdir(parents=True, exist_ok=True)
    _replace_atomically(target, raw)
    return given
