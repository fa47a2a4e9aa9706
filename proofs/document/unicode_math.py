"""Normalise Unicode math (``⌊(H + 2P − k)/S⌋``, ``∑_u``, ``r₁``, ``σ²``) into plain LaTeX.

The grammar reads one notation only — ASCII LaTeX. Plain-text documents write
the same mathematics with Unicode symbols; :func:`to_latex` rewrites them
(``⌊`` → ``\\lfloor``, ``·`` → ``\\cdot``, ``−`` → ``-``, ``ℓ`` → ``\\ell``,
Greek letters → their LaTeX names, sub/superscript digits → ``_{..}``/``^{..}``,
combining hats → ``\\hat{..}``), and spells the bare function words ``max``,
``min``, ``exp``, ``log`` as commands.

Examples
--------
>>> to_latex("H_out = ⌊(H + 2P − k)/S⌋ + 1")
'H_out = \\\\lfloor (H + 2P - k)/S\\\\rfloor  + 1'
>>> to_latex("r₁ = 3")
'r_{1} = 3'
>>> to_latex("σ²_B")
'\\\\sigma ^{2}_B'
>>> to_latex("∑_{u} x·y")
'\\\\sum _{u} x\\\\cdot y'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["to_latex", "GREEK", "has_math_symbol"]

#: Greek letters (Unicode) -> LaTeX command name without backslash.
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "µ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho",
    "ς": "sigma", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}

_SYMBOLS = {
    "−": "-", "–": "-", "‐": "-", "‒": "-", "﹣": "-", "－": "-",
    "·": r"\cdot ", "⋅": r"\cdot ", "∙": r"\cdot ", "•": r"\cdot ",
    "×": r"\times ", "✕": r"\times ", "÷": "/", "∕": "/", "⁄": "/",
    "∗": "*", "⋆": r"\star ", "★": r"\star ", "⊛": "*",
    "⌊": r"\lfloor ", "⌋": r"\rfloor ", "⌈": r"\lceil ", "⌉": r"\rceil ",
    "∑": r"\sum ", "⅀": r"\sum ", "∏": r"\prod ",
    "∂": r"\partial ", "∇": r"\nabla ", "√": r"\sqrt ", "∞": r"\infty ",
    "ℓ": r"\ell ", "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}",
    "≤": r"\leq ", "⩽": r"\leq ", "≦": r"\leq ", "≥": r"\geq ", "⩾": r"\geq ", "≧": r"\geq ",
    "≠": r"\neq ", "≈": r"\approx ", "≃": r"\approx ", "≅": r"\approx ", "∼": r"\sim ",
    "∈": r"\in ", "→": r"\to ", "←": r"\leftarrow ", "𝟙": r"\mathbb{1}", "⟶": r"\to ", "⇒": r"\Rightarrow ", "∝": r"\propto ", "≡": r"\equiv ",
    "≔": ":=", "≜": ":=",
    "…": r"\ldots ", "⋯": r"\cdots ", "⋮": r"\vdots ",
    "±": r"\pm ", "′": "'", "″": "''", "‴": "'''", "ʹ": "'",
    "⊙": r"\odot ", "⊗": r"\otimes ", "∘": r"\circ ",
    "‖": r"\| ", "∣": "|", "⟨": r"\langle ", "⟩": r"\rangle ",
    "□": "", "■": "", "∎": "", "◻": "", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    "ᵀ": "^{T}",
}

_SUPERSCRIPT = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", "0123456789+-=()ni"))
_SUBSCRIPT = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ", "0123456789+-=()aeoxhklmnpstij"))

_COMBINING = {"\u0302": "hat", "\u0303": "tilde", "\u0304": "bar", "\u0305": "bar", "\u0307": "dot", "\u20d7": "vec"}

#: a relation crossed by U+0338 (``≠`` decomposes to ``=`` + U+0338): its negation; others become ``\not …``,
#: which the grammar refuses (unread is better than read as the opposite relation)
_NEGATED = {"=": r"\neq ", "∈": r"\notin ", "≡": r"\not\equiv "}

#: a function word written in a roman-font command (``\operatorname{tanh}``, ``\mathrm{max}``, ``\text{exp}``):
#: the function command itself
_FONT_FUNC = re.compile(r"\\(?:operatorname\*?|mathrm|text|textrm|rm|mathop)\s*\{\s*\\?(max|min|exp|log|ln|lg|argmax|argmin|"
                        r"tanh|sinh|cosh|sin|cos|tan|sup|inf|lim|det|sgn|sqrt)\s*\}(?![A-Za-z])")

def _font_func(m: re.Match) -> str:
    """``\\operatorname{tanh}`` → ``\\tanh``, except as a label in a script (``k_{\\mathrm{max}}`` stays a name)."""
    if re.search(r"[_^]\s*\{?\s*$", m.string[: m.start()]):
        return m.group()
    return f"\\{m.group(1)} "


def _word_func(m: re.Match) -> str:
    """``max`` → ``\\max``, except as the word of a font command (``\\mathrm{max}``, a label)."""
    if re.search(r"\\(?:operatorname\*?|mathrm|text|textrm|rm|mathit|textit|mbox)\s*\{\s*$", m.string[: m.start()]):
        return m.group()
    return f"\\{m.group(1)}"


_WORD_FUNCS = re.compile(r"(?<![\\A-Za-z])(max|min|exp|log|ln|argmax|argmin|tanh|sqrt)(?![A-Za-z])")

_MATH_CHARS = set("⌊⌋⌈⌉∑∏∂∇√≤≥≠≈∈·×−ℓ") | set(_SUPERSCRIPT) | set(_SUBSCRIPT)


def has_math_symbol(text: str) -> bool:
    """True when ``text`` holds a character that only appears in mathematics.

    >>> has_math_symbol("⌊x/2⌋"), has_math_symbol("plain words")
    (True, False)
    """
    return any(ch in _MATH_CHARS for ch in text)


def _script_runs(text: str, table: dict[str, str], mark: str) -> str:
    out: list[str] = []
    run: list[str] = []
    for ch in text:
        if ch in table:
            run.append(table[ch])
            continue
        if run:
            out.append(f"{mark}{{{''.join(run)}}}")
            run = []
        out.append(ch)
    if run:
        out.append(f"{mark}{{{''.join(run)}}}")
    return "".join(out)


def _combining(text: str) -> str:
    if not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", text)):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    out: list[str] = []
    for ch in decomposed:
        accent = _COMBINING.get(ch)
        if ch == "\u0338" and out:  # the long solidus of ≠ ∉ ≢ ≮: a negated relation, never the relation itself
            out[-1] = _NEGATED.get(out[-1], f"\\not {out[-1]}")
            continue
        if accent and out:
            out[-1] = f"\\{accent}{{{out[-1]}}}"
        elif unicodedata.combining(ch):
            continue
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _greek(text: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(text):
        name = GREEK.get(ch)
        if name is None:
            out.append(ch)
            continue
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch == "Σ" and (nxt in "_^ " or nxt == ""):
            out.append(r"\sum ")
        elif ch == "Π" and nxt in "_^":
            out.append(r"\prod ")
        else:
            out.append(f"\\{name} ")
    return "".join(out)


def to_latex(text: str) -> str:
    """Rewrite Unicode math symbols of ``text`` as ASCII LaTeX (already-LaTeX text passes through).

    Parameters
    ----------
    text : str
        A formula as written in a plain-text, Markdown or LaTeX document.

    Returns
    -------
    str
        The same formula in the LaTeX dialect read by :mod:`proofs.document.parser`.

    Examples
    --------
    >>> to_latex("∂L/∂X[i,j]")
    '\\\\partial L/\\\\partial X[i,j]'
    >>> to_latex("max(0, x)")
    '\\\\max(0, x)'
    >>> to_latex(r"\\operatorname{tanh}(x) ≠ 0")
    '\\\\tanh (x) \\\\neq  0'
    """
    text = _FONT_FUNC.sub(_font_func, text)
    text = _combining(text)
    text = _script_runs(text, _SUPERSCRIPT, "^")
    text = _script_runs(text, _SUBSCRIPT, "_")
    text = "".join(_SYMBOLS.get(ch, ch) for ch in text)
    text = _greek(text)
    text = _WORD_FUNCS.sub(_word_func, text)
    text = re.sub(r"(?<=\s)mod(?=\s)", r"\\bmod", text)
    return text
