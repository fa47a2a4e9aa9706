r"""Meaning-preserving rewrites of a whole document, for metamorphic tests of the checker.

Every rewrite keeps the line structure (a statement stays on its line) and returns None when it does not
apply to the document.

- :func:`rename_symbols` — every base letter used as a symbol in the math is renamed consistently (same
  case, a letter the document does not use), in the math, in inline code and in prose where the letter
  stands alone (definitions such as "F is the filter size" follow). Single lower-case letters and the words
  "A"/"I" are left alone in prose (they are words there), a documented limitation.
- :func:`per_side_to_total_padding` — where the document says the padding is per side, the words are
  changed to a total padding and every ``2p`` (``2P``, ``2 \cdot p``, ``2*padding``) in the math becomes ``p``.
- :func:`latex_to_unicode` — Markdown/text only: math delimiters removed and LaTeX commands written as
  Unicode plain text (``\lfloor`` → ``⌊``, ``\frac{a}{b}`` → ``(a)/(b)``, ``\times`` → ``×``, Greek letters).

Examples
--------
>>> rename_symbols("Let $F$ be the filter size.\n$$W_2 = (W_1 - F)/S + 1$$\n")
'Let $B$ be the filter size.\n$$C_2 = (C_1 - B)/D + 1$$\n'
>>> per_side_to_total_padding("Padding $P$ on each side:\n$$o = (i + 2P - k)/s + 1$$\n")
'Padding $P$ in total over both sides:\n$$o = (i + P - k)/s + 1$$\n'
>>> per_side_to_total_padding("P pixels per side; o = (i + 2P - k)/s + 1; same: P = ⌊k/2⌋")
'P pixels in total over both sides; o = (i + P - k)/s + 1; same: (P/2) = ⌊k/2⌋'
>>> rename_symbols(r"$n_\textrm{h} - k_\textrm{h} + 1$")
'$b_\\textrm{h} - c_\\textrm{h} + 1$'
>>> rename_symbols("`6x6` input, f the filter size, $o = n - f + 1$ (i.e. valid)")
'`6x6` input, d the filter size, $b = c - d + 1$ (i.e. valid)'
>>> latex_to_unicode(r"Output: $o = \left\lfloor \frac{i + 2p - k}{s} \right\rfloor + 1$ with $\alpha$.")
'Output: o = ⌊ (i + 2p - k)/(s) ⌋ + 1 with α.'
"""

from __future__ import annotations

import re
import string

__all__ = ["TRANSFORMS", "rename_symbols", "per_side_to_total_padding", "latex_to_unicode", "math_segments"]

_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$|\\\\?\(.+?\\\\?\)|\\\\?\[.+?\\\\?\]|:math:`[^`]+`|``[^`]+``|`[^`\n]+`"
                   r"|\\begin\{(equation|align|gather|multline|eqnarray)\*?\}.+?\\end\{\1\*?\}", re.S)
_LETTER = r"(?<![\\A-Za-z])(?<!\d(?=x\d))([A-Za-z])(?![A-Za-z])"
_WORD_LETTERS = {"a", "A", "I"}


def math_segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of every delimited math or inline-code segment."""
    return [m.span() for m in _MATH.finditer(text)]


def _letters_in_math(text: str, segs) -> list[str]:
    seen = []
    for a, b in segs:
        body = re.sub(r"\\(?:textrm|text|mathrm|operatorname|textit|mathit)\{[^{}]*\}|\\[A-Za-z]+", " ", text[a:b])
        body = re.sub(r"^(:math:|\$\$|\$|``|`|\\\\?\(|\\\\?\[)|(\$\$|\$|``|`|\\\\?\)|\\\\?\])$", " ", body)
        for m in re.finditer(_LETTER, body):
            if m.group(1) not in seen:
                seen.append(m.group(1))
    return seen


def rename_symbols(text: str) -> str | None:
    """Rename every symbol letter consistently (see the module docstring); None if the math has no letters."""
    segs = math_segments(text)
    used = _letters_in_math(text, segs)
    if not used:
        return None
    free = {c: [x for x in (string.ascii_uppercase if c.isupper() else string.ascii_lowercase)
                if x not in used and x not in _WORD_LETTERS and x not in "xo"] for c in "Aa"}
    mapping = {}
    for c in used:
        pool = free["A" if c.isupper() else "a"]
        if not pool:
            return None
        mapping[c] = pool.pop(0)

    def sub_math(seg: str) -> str:
        # commands, and the words inside \text{…}-like groups, are kept as they are
        parts = re.split(r"(\\(?:textrm|text|mathrm|operatorname|textit|mathit)\{[^{}]*\}|\\[A-Za-z]+)", seg)
        return "".join(p if p.startswith("\\") else re.sub(_LETTER, lambda m: mapping.get(m.group(1), m.group(1)), p)
                       for p in parts)

    out, last = [], 0
    for a, b in segs:
        out.append(_rename_prose(text[last:a], mapping))
        out.append(sub_math(text[a:b]))
        last = b
    out.append(_rename_prose(text[last:], mapping))
    return "".join(out)


def _rename_prose(chunk: str, mapping: dict) -> str:
    def repl(m):
        c = m.group(1)
        return c if c in _WORD_LETTERS else mapping.get(c, c)
    return re.sub(r"(?<![\\A-Za-z0-9'’.])([A-Za-z])(?![A-Za-z0-9'’]|\.[A-Za-z])", repl, chunk)


_PER_SIDE = re.compile(r"\b(on each side|per side|on both sides|on every side|to each side|each side)\b", re.I)
_PHRASE = {"on each side": "in total over both sides", "per side": "in total over both sides",
           "on both sides": "in total over both sides", "on every side": "in total over both sides",
           "to each side": "to both sides together, in total", "each side": "both sides together, in total"}
_TWO_PAD = re.compile(r"(?<![\w.])2\s*(?:\*|\\cdot|\\times|×|·)?\s*(p|P|pad|padding|p_\{?[a-z]\}?|P_\{?[a-z]\}?)(?![\w{])")
_OPS = r"=+\-−*/×·(⌊⌈^<>≤≥"


def per_side_to_total_padding(text: str) -> str | None:
    """Per-side padding → total padding, words and formulas together; None if the document never says 'per side'.

    With ``P`` now the total, ``2P`` becomes ``P`` and any other use of ``P`` inside an expression (``P = ⌊k/2⌋``)
    becomes ``(P/2)``; a ``P`` in prose ("P is the padding") is left as it is.
    """
    m = _TWO_PAD.search(text)
    if not _PER_SIDE.search(text) or not m:
        return None
    pad = m.group(1)
    text = _PER_SIDE.sub(lambda x: _PHRASE[x.group(1).lower()], text)
    marker = "\x00"
    text = _TWO_PAD.sub(lambda x: marker if x.group(1) == pad else x.group(0), text)
    lone = re.compile(rf"(?<![\\\w]){re.escape(pad)}(?![\w{{])")

    def in_expression(x) -> bool:
        before = text[:x.start()].rstrip()[-1:]
        after = text[x.end():].lstrip()[:1]
        return bool(before and before in _OPS) or bool(after and after in _OPS)

    text = lone.sub(lambda x: f"({pad}/2)" if in_expression(x) else x.group(0), text)
    return text.replace(marker, pad)


_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η", "theta": "θ",
          "lambda": "λ", "mu": "μ", "sigma": "σ", "tau": "τ", "phi": "φ", "omega": "ω", "Delta": "Δ", "Sigma": "Σ"}
_SIMPLE = {r"\lfloor": "⌊", r"\rfloor": "⌋", r"\lceil": "⌈", r"\rceil": "⌉", r"\times": "×", r"\cdot": "·",
           r"\le": "≤", r"\leq": "≤", r"\ge": "≥", r"\geq": "≥", r"\neq": "≠", r"\approx": "≈", r"\sum": "Σ",
           r"\prod": "∏", r"\in": "∈", r"\infty": "∞", r"\partial": "∂", r"\circledast": "⊛", r"\ast": "∗"}


def _group(s: str, i: int) -> tuple[str, int] | None:
    """The brace group starting at ``s[i] == "{"``: (content, index after the closing brace)."""
    if i >= len(s) or s[i] != "{":
        return None
    depth = 0
    for j in range(i, len(s)):
        depth += {"{": 1, "}": -1}.get(s[j], 0)
        if depth == 0:
            return s[i + 1:j], j + 1
    return None


def _frac(s: str) -> str:
    """``\frac{a}{b}`` → ``(a)/(b)``, nested braces included (innermost first)."""
    while True:
        at = max(s.rfind(r"\frac{"), s.rfind(r"\dfrac{"), s.rfind(r"\tfrac{"))
        if at < 0:
            return s
        start = s.index("{", at)
        num = _group(s, start)
        den = _group(s, num[1]) if num else None
        if not den:
            return s
        s = s[:at] + f"({num[0]})/({den[0]})" + s[den[1]:]


def _to_unicode(seg: str) -> str:
    s = re.sub(r"^(\$\$|\$|\\\\?\(|\\\\?\[)|(\$\$|\$|\\\\?\)|\\\\?\])$", "", seg.strip())
    s = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])", "", s)
    s = re.sub(r"\\(?:text|mathrm|operatorname|textrm|mathit)\{([^{}]*)\}", r"\1", s)
    s = _frac(s)
    for k in sorted(_SIMPLE, key=len, reverse=True):
        s = re.sub(re.escape(k) + r"(?![A-Za-z])", _SIMPLE[k], s)
    s = re.sub(r"\\hat\{([A-Za-z])\}", "\\1\u0302", s)
    s = re.sub(r"\^\{([^{}]*)\}", r"^(\1)", s)
    s = re.sub(r"\\(max|min|log|exp|ln|sin|cos|tanh)(?![A-Za-z])", r"\1", s)
    s = re.sub(r"\\([A-Za-z]+)", lambda m: _GREEK.get(m.group(1), m.group(0)), s)
    s = re.sub(r"\\[,;: !]", " ", s)
    return s


def latex_to_unicode(text: str, fmt: str = "markdown") -> str | None:
    """Markdown/text documents with $-math → Unicode plain text (line structure kept); None for other formats
    or documents without $-math."""
    if fmt not in ("markdown", "text"):
        return None
    segs = [(a, b) for a, b in math_segments(text) if text[a] == "$" or text[a] == "\\"]
    if not segs:
        return None
    out, last = [], 0
    for a, b in segs:
        seg = text[a:b]
        conv = _to_unicode(seg)
        if seg.count("\n") != conv.count("\n"):                 # keep the line structure
            conv = conv.replace("\n", " ") + "\n" * seg.count("\n")
        out += [text[last:a], conv]
        last = b
    out.append(text[last:])
    return "".join(out)


TRANSFORMS = {"rename": rename_symbols, "total_padding": per_side_to_total_padding, "unicode": latex_to_unicode}
