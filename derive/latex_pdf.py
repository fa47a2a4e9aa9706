r"""Compile a LaTeX document to PDF with ``pdflatex``, safely.

The document is written into a fresh temporary directory and compiled there
with ``-interaction=nonstopmode -halt-on-error -no-shell-escape``, file
access restricted to that directory (``openin_any``/``openout_any = p``),
under a timeout. Only the PDF's bytes come back; nothing is left behind.

Examples
--------
>>> have_pdflatex() in (True, False)
True
>>> compile_pdf(r"\documentclass{article}\begin{document}x\end{document}", pdflatex="/nonexistent/pdflatex")
Traceback (most recent call last):
...
derive.latex_pdf.PdflatexMissing: pdflatex not found (/nonexistent/pdflatex); install TeX Live (texlive-latex-base, texlive-latex-recommended)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .derivation import write_atomically

__all__ = ["compile_pdf", "write_pdf", "have_pdflatex", "PdflatexMissing", "LatexError"]


class PdflatexMissing(FileNotFoundError):
    """``pdflatex`` is not installed (or not where it was said to be)."""


class LatexError(RuntimeError):
    """``pdflatex`` ran and failed; the message holds the end of its log."""


def have_pdflatex() -> bool:
    """Whether ``pdflatex`` is on the ``PATH``."""
    return shutil.which("pdflatex") is not None


def compile_pdf(tex: str, *, timeout: float = 60.0, pdflatex: str | None = None) -> bytes:
    """Compile the LaTeX source ``tex``; return the PDF's bytes.

    Parameters
    ----------
    tex : str
        A complete document.
    timeout : float
        Seconds before ``pdflatex`` is stopped.
    pdflatex : str, optional
        The executable; default: ``pdflatex`` from the ``PATH``.

    Raises
    ------
    PdflatexMissing
        No ``pdflatex``.
    LatexError
        A LaTeX error (with the log's last lines), or the timeout.
    """
    exe = pdflatex or shutil.which("pdflatex")
    if exe is None or not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
        raise PdflatexMissing(
            f"pdflatex not found ({exe or 'not on PATH'}); install TeX Live "
            "(texlive-latex-base, texlive-latex-recommended)"
        )
    env = dict(os.environ, openin_any="p", openout_any="p", shell_escape="f")
    with tempfile.TemporaryDirectory(prefix="convproof-tex-") as tmp:
        src = Path(tmp) / "derivation.tex"
        src.write_text(tex, encoding="utf-8")
        cmd = [exe, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", src.name]
        try:
            proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired as exc:
            raise LatexError(f"pdflatex did not finish within {timeout:g} s") from exc
        pdf = Path(tmp) / "derivation.pdf"
        if proc.returncode != 0 or not pdf.exists():
            log = (Path(tmp) / "derivation.log")
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else proc.stdout.decode(errors="replace")
            errors = [line for line in text.splitlines() if line.startswith("!")]
            tail = "\n".join(text.splitlines()[-15:])
            raise LatexError(f"pdflatex failed (exit {proc.returncode}): {' | '.join(errors[:3]) or 'see log'}\n{tail}")
        return pdf.read_bytes()


def write_pdf(tex: str, path: str | os.PathLike, *, force: bool = False, timeout: float = 60.0) -> Path:
    """Compile ``tex`` and write the PDF to ``path`` atomically (no overwrite unless ``force``)."""
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; pass force=True (--force) to overwrite it")
    return write_atomically(path, compile_pdf(tex, timeout=timeout), force=force)
