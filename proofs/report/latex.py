r"""LaTeX report: a standalone document (compiles with ``pdflatex``), the correct formula typeset beside each wrong one.

Examples
--------
>>> from proofs.findings import Finding, Report, Verdict
>>> f = Finding(line=2, source="H_out = ⌊(H − k)/S⌋", kind="formula", verdict=Verdict.INCORRECT,
...             expected_latex=r"\left\lfloor \frac{H - k}{S} \right\rfloor + 1")
>>> tex = render_latex([Report("notes.md", [f])])
>>> tex.startswith(r"\documentclass") and r"\lfloor" in tex and tex.rstrip().endswith(r"\end{document}")
True
>>> escape_text("a_b & 50% ⌊x⌋")
'a\\_b \\& 50\\% $\\lfloor$x$\\rfloor$'
"""

from __future__ import annotations

import unicodedata

from ..findings import Report, Verdict
from .common import counterexample_text, not_judged_note, summary_counts, visible

__all__ = ["render_latex", "escape_text"]

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
            "}": r"\}", "[": "{[}", "]": "{]}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_UNICODE = {"⌊": r"\lfloor", "⌋": r"\rfloor", "⌈": r"\lceil", "⌉": r"\rceil", "·": r"\cdot", "×": r"\times",
            "−": "-", "∑": r"\sum", "Σ": r"\Sigma", "∏": r"\prod", "∂": r"\partial", "≤": r"\le", "≥": r"\ge",
            "≈": r"\approx", "≠": r"\neq", "∈": r"\in", "→": r"\to", "ℓ": r"\ell", "δ": r"\delta", "σ": r"\sigma",
            "μ": r"\mu", "ε": r"\varepsilon", "γ": r"\gamma", "β": r"\beta", "α": r"\alpha", "η": r"\eta",
            "λ": r"\lambda", "θ": r"\theta", "τ": r"\tau", "Δ": r"\Delta", "Ω": r"\Omega", "ℝ": r"\mathbb{R}",
            "ℤ": r"\mathbb{Z}", "∞": r"\infty", "⋆": r"\star", "∗": "*", "√": r"\surd", "²": "^2", "³": "^3",
            "₀": "_0", "₁": "_1", "₂": "_2", "₃": "_3", "₄": "_4", "ᵢ": "_i", "⊙": r"\odot", "∇": r"\nabla",
            "′": "'", "…": r"\ldots", "⁰": "^0", "¹": "^1"}


def _greek(ch: str) -> str | None:
    r"""``\Theta`` for Θ, ``\omega`` for ω (any Greek letter LaTeX names), else None.

    >>> _greek("Θ"), _greek("ω"), _greek("Ϙ")
    ('\\Theta', '\\omega', None)
    """
    name = unicodedata.name(ch, "")
    for case, prefix in (("CAPITAL", "GREEK CAPITAL LETTER "), ("SMALL", "GREEK SMALL LETTER ")):
        if name.startswith(prefix):
            word = name[len(prefix):].lower().replace("lamda", "lambda")
            if case == "SMALL" and word in _GREEK_NAMES:
                return "\\" + word
            if case == "CAPITAL" and word in _GREEK_CAPITALS:
                return "\\" + word.capitalize()
    return None


_GREEK_NAMES = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
                "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"}
#: the capitals LaTeX has commands for (the others look like Latin letters)
_GREEK_CAPITALS = {"gamma", "delta", "theta", "lambda", "xi", "pi", "sigma", "upsilon", "phi", "psi", "omega"}


def escape_text(text: str) -> str:
    """Text safe for LaTeX: specials escaped (brackets braced, so ``\\\\`` then ``[`` is no optional argument),
    control characters as spaces, common math Unicode as math, any other non-ASCII as ``?``."""
    out = []
    for ch in str(text):
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch in _UNICODE:
            out.append(f"${_UNICODE[ch]}$")
        elif ch in "\n\t":
            out.append(ch)
        elif ord(ch) < 32 or ord(ch) == 127:  # control characters: pdflatex refuses them
            out.append(" ")
        elif ord(ch) < 128:
            out.append(ch)
        elif ch in "“”":
            out.append('"')
        elif ch in "‘’":
            out.append("'")
        elif ch in "–—":
            out.append("--")
        elif _greek(ch):
            out.append(f"${_greek(ch)}$")
        else:
            out.append("?")
    return "".join(out).replace("$$", "")


_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage{amsmath,amssymb}
\usepackage[margin=2.2cm]{geometry}
\usepackage{xcolor}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
\title{convproof check}
\date{}
\begin{document}
\maketitle
"""

_COLOR = {Verdict.CORRECT: "green!50!black", Verdict.INCORRECT: "red!70!black", Verdict.CONDITIONAL: "orange!80!black",
          Verdict.UNRECOGNIZED: "gray"}


def render_latex(reports: list[Report], *, verbose: bool = False) -> str:
    """A complete ``.tex`` document of the report."""
    out = [_PREAMBLE]
    c = summary_counts(reports)
    out.append(r"\textbf{Summary:} " + ", ".join(f"{k} {v}" for k, v in c.items()) + r"\par")
    note = not_judged_note(reports, verbose)
    if note:
        out.append(rf"\emph{{{escape_text(note)}}}\par")
    for r in reports:
        out.append(rf"\section*{{{escape_text(r.document)}}}")
        shown = visible(r, verbose)
        if not shown:
            out.append(r"No formula was judged.\par")
            continue
        out.append(r"\begin{description}")
        for f in shown:
            out.append(rf"\item[Line {int(f.line)} \textcolor{{{_COLOR[f.verdict]}}}{{{f.verdict.value}}}] "
                       rf"({escape_text(f.kind)}{', ' + escape_text(f.quantity) if f.quantity else ''})\\")
            out.append(rf"\texttt{{{escape_text(' '.join(f.source.split())[:300])}}}\\")
            if f.condition:
                out.append(rf"Holds only when {escape_text(f.condition)}.\\")
            cx = counterexample_text(f)
            if cx:
                out.append(rf"Counterexample: {escape_text(cx)}.\\")
            if f.verdict in (Verdict.INCORRECT, Verdict.CONDITIONAL):
                if f.expected_latex:
                    out.append(r"Correct formula:" + "\n" + rf"\[ {f.expected_latex} \]")
                elif f.expected:
                    out.append(rf"Expected: {escape_text(f.expected)}\\")
            out.append(escape_text(f.explanation))
        out.append(r"\end{description}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"
