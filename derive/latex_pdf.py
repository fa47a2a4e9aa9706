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

from .files import check_target, write_output

__all__ = ["compile_pdf", "write_pdf", "have_pdflatex", "print_document", "PdflatexMissing", "LatexError"]

_TEXT_ESCAPES = {"%": r"\%", "&": r"\&", "_": r"\_", "#": r"\#", "$": r"\$", "{": r"\{", "}": r"\}",
                 "\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}", "<": r"$<$", ">": r"$>$"}


def text_escape(text: str) -> str:
    r"""Escape plain text for LaTeX text mode (``<``/``>`` as math, which every font encoding has).

    >>> text_escape("s*i + d*(k-1) <= H_in")
    's*i + d*(k-1) $<$= H\\_in'
    """
    return "".join(_TEXT_ESCAPES.get(ch, ch) for ch in text)


def _result_block(lhs: str, rel: str, rhs, fit) -> list[str]:
    """The result; a sum of a guarded term is shown over an explicit index set, one condition a line."""
    import sympy as sp

    if isinstance(rhs, sp.Sum) and isinstance(rhs.function, sp.Piecewise) and len(rhs.function.args) == 2 \
            and rhs.function.args[1][0] == 0:
        body, cond = rhs.function.args[0]
        idx = [lim[0] for lim in rhs.limits]
        tup = sp.latex(sp.Tuple(*idx)) if len(idx) > 1 else sp.latex(idx[0])
        conds = [rf"{sp.latex(lo)} \le {sp.latex(i)} \le {sp.latex(hi)}" for i, lo, hi in rhs.limits]
        conds += [sp.latex(c) for c in sp.And.make_args(cond)]
        lines = [fit(rf"{lhs} {rel} \sum_{{{tup} \in S}} {sp.latex(body)}"),
                 r"\noindent where $S$ is the set of " + f"${tup}$" + r" with",
                 r"\begin{gather*}" + r" \\ ".join(conds) + r"\end{gather*}"]
        return lines
    return [fit(f"{lhs} {rel} {sp.latex(rhs)}")]


def print_document(derivation) -> str:
    r"""A LaTeX document laid out for print: the result first, then one numbered step per line.

    Every displayed equation is scaled down to the line width when it is wider
    (``graphicx``), so long index sums stay on the page; each step shows its
    justification and its check status. (``Derivation.to_tex_document`` is the
    canonical ``align*`` rendering; this is its page layout.)

    >>> import sympy as sp
    >>> from derive.derivation import Derivation
    >>> d = Derivation("x"); d.step(sp.Integer(1) + 1, 2, "arithmetic")
    >>> "\\section*{Result}" in print_document(d)
    True
    """
    from sympy import Derivative, latex

    from .derivation import RELATIONS

    def side(expr) -> str:
        if isinstance(expr, Derivative) and len(expr.variables) == 1:
            return r"\frac{\partial " + latex(expr.expr) + r"}{\partial " + latex(expr.variables[0]) + "}"
        return latex(expr)

    def fit(math: str) -> str:
        return (r"\par\noindent\sbox0{$\displaystyle " + math + r"$}\ifdim\wd0>\linewidth"
                r"\resizebox{\linewidth}{!}{\usebox0}\else\hfill\usebox0\hfill\null\fi\par")

    parts = [
        r"\documentclass[11pt]{article}",
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage{amsmath,amssymb,graphicx}",
        r"\usepackage[margin=2cm,landscape]{geometry}",
        rf"\title{{{text_escape(derivation.title)}}}",
        r"\author{convproof --- every step machine-checked}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
    ]
    if derivation.steps:
        last = derivation.steps[-1]
        parts += [r"\section*{Result}"] + _result_block(side(last.lhs), RELATIONS[last.relation][0], last.rhs, fit)
    if derivation.assumptions:
        parts += [r"\section*{Assumptions}", r"\begin{itemize}"]
        parts += [rf"\item {text_escape(a)}" for a in derivation.assumptions]
        parts.append(r"\end{itemize}")
    parts += [r"\section*{Derivation}", r"\begin{enumerate}"]
    for step in derivation.steps:
        rel = RELATIONS[step.relation][0]
        parts.append(rf"\item {text_escape(step.reason)} \hfill \textit{{({text_escape(step.status)})}}")
        parts.append(fit(side(step.lhs) + " " + rel + " " + side(step.rhs)))
    parts += [r"\end{enumerate}", r"\end{document}"]
    return "\n".join(parts) + "\n"


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


def write_pdf(tex: str, path: str | os.PathLike, *, force: bool = False, timeout: float = 60.0) -> Path | str:
    """Compile ``tex`` and write the PDF to ``path`` with :func:`derive.files.write_output` (a regular file
    atomically and not over an existing one unless ``force``; a FIFO or device in place; ``-`` to standard output).

    The target is checked before pdflatex runs (a directory or an existing file is refused at once)."""
    check_target(path, force=force)
    return write_output(path, compile_pdf(tex, timeout=timeout), force=force)
