r"""Mutation operators: the mistakes people make in CNN formulas, applied to a formula's source text.

Each operator takes the text of one formula or worked example *as written in the document* (LaTeX,
Unicode or plain text, with its delimiters) and returns the list of mutated texts it can make from it
(empty when it does not apply). Operators edit text only; whether a mutant still means the same thing is
decided elsewhere, by value (``checker_mutants.equivalent``).

Examples
--------
>>> padding_once(r"$o = \lfloor (i + 2p - k)/s \rfloor + 1$")
['$o = \\lfloor (i + p - k)/s \\rfloor + 1$']
>>> padding_dropped("W_2 = (W_1 - F + 2P)/S + 1")
['W_2 = (W_1 - F)/S + 1']
>>> plus_one_removed("o = (i - k)/s + 1")
['o = (i - k)/s']
>>> plus_one_added("$o = i - k$")
['$o = i - k + 1$']
>>> floor_ceil(r"\lfloor x/s \rfloor + 1")
['\\lceil x/s \\rceil + 1', ' x/s  + 1']
>>> stride_fraction(r"\frac{W - F}{S} + 1")
['\\frac{W - F}{S + 1}']
>>> stride_fraction("(W-F+2P)/(S+1)")
['(W-F+2P)/S + 1']
>>> swap_roles("o = (i - k)/s + 1")[:2]
['o = (k - i)/s + 1', 'o = (s - k)/i + 1']
>>> all(r"\sum_{u=0}" in m for m in swap_roles(r"y_i = \sum_{u=0}^{k-1} w_u x_{i+u}"))
True
>>> swap_roles(r"$p_\textrm{h}=k_\textrm{h}-1$")
[]
>>> bias_terms("3*3*64*128 + 128")
['3*3*64*128', '3*3*64*128 + 3', '3*3*64*128 + 64']
>>> index_shift_sign("x_{i+u,j+v}")
['x_{i-u,j+v}', 'x_{i+u,j-v}']
>>> sum_range(r"\sum_{u=0}^{H-1} w_u")
['\\sum_{u=0}^{H} w_u', '\\sum_{u=1}^{H-1} w_u']
>>> dilation_extent("i + 2p - d(k - 1) - 1")
['i + 2p - dk - 1']
>>> stride_product(r"\prod_{i=1}^{l-1} s_i")
['\\prod_{i=1}^{l} s_i', '\\prod_{i=0}^{l-1} s_i']
"""

from __future__ import annotations

import re

__all__ = ["OPERATORS", "padding_once", "padding_dropped", "padding_doubled", "plus_one_removed", "plus_one_added",
           "floor_ceil", "stride_fraction", "swap_roles", "bias_terms", "index_shift_sign", "sum_range",
           "dilation_extent", "stride_product", "symbols_in"]

# a symbol as written: letter(s) with an optional subscript (_h, _{in}, [i]); \word commands excluded
_SYM = r"(?<![\\A-Za-z_])(?:[A-Za-z](?:_\{[^{}]{1,12}\}|_[A-Za-z0-9]|\[[a-z0-9]\])?|[a-z][a-z_]*[a-z](?:\[[a-z0-9]\])?)(?![\w{\\])"
_PAD = r"(?:p|P|pad|padding|pads?(?:_\w+)?|p_\{?[a-z0-9]+\}?|P_\{?[a-z0-9]+\}?|padding\[[a-z0-9]\])"
_TIMES = r"\s*(?:\*|\\cdot|\\times|×|·)?\s*"
_COMMANDS = {"frac", "lfloor", "rfloor", "lceil", "rceil", "left", "right", "sum", "prod", "cdot", "times", "max",
             "min", "floor", "ceil", "text", "mathrm", "operatorname", "begin", "end", "sqrt", "log", "exp", "in"}


def _each(text: str, pattern: str, repl, flags=0) -> list[str]:
    """One mutant per match of ``pattern`` (the match replaced by ``repl(match)``), in order, without duplicates."""
    out = []
    for m in re.finditer(pattern, text, flags):
        new = text[:m.start()] + repl(m) + text[m.end():]
        if new != text and new not in out:
            out.append(new)
    return out


def padding_once(text: str) -> list[str]:
    """A padding counted on one side only: ``2p`` → ``p``."""
    return _each(text, rf"(?<![\w.])2{_TIMES}({_PAD})(?![\w{{])", lambda m: m.group(1))


def padding_dropped(text: str) -> list[str]:
    """The padding term dropped: ``+ 2p`` → nothing."""
    return _each(text, rf"\s*\+\s*2{_TIMES}{_PAD}(?![\w{{])", lambda m: "")


def padding_doubled(text: str) -> list[str]:
    """A padding counted twice as often: ``2p`` → ``4p``, ``+ p`` → ``+ 2p``."""
    out = _each(text, rf"(?<![\w.])2({_TIMES}{_PAD})(?![\w{{])", lambda m: "4" + m.group(1))
    return out + [t for t in _each(text, rf"(\+\s*)({_PAD})(?![\w{{])", lambda m: m.group(1) + "2" + m.group(2))
                  if t not in out]


def plus_one_removed(text: str) -> list[str]:
    """A ``+ 1`` removed (the last window forgotten)."""
    return _each(text, r"\s*\+\s*1(?![\d.,])", lambda m: "")


def plus_one_added(text: str) -> list[str]:
    """A ``+ 1`` added at the end of the right-hand side (before closing delimiters and punctuation)."""
    if not re.search(r"=|≈", text):
        return []
    m = re.match(r"^(.*?[\w)}\]⌋⌉])((?:\s|\$|\\\)|\\\]|\\\\\)|\\\\\]|`|[.,;])*)$", text, re.S)
    return [m.group(1) + " + 1" + m.group(2)] if m else []


_FLOOR_PAIRS = [(r"\lfloor", r"\rfloor", r"\lceil", r"\rceil"), ("⌊", "⌋", "⌈", "⌉"),
                ("floor(", ")", "ceil(", ")")]


def floor_ceil(text: str) -> list[str]:
    """Floor ↔ ceil, and the rounding removed."""
    out = []
    for lo, hi, clo, chi in _FLOOR_PAIRS[:2]:
        for a, b, c, d in ((lo, hi, clo, chi), (clo, chi, lo, hi)):
            if a in text and b in text:
                out.append(text.replace(a, c).replace(b, d))
                out.append(text.replace(r"\left" + a, "").replace(r"\right" + b, "").replace(a, "").replace(b, ""))
    for name, other in (("floor", "ceil"), ("ceil", "floor")):
        if re.search(rf"\b{name}\s*\(", text):
            out.append(re.sub(rf"\b{name}(\s*\()", rf"{other}\1", text))
    return [t for i, t in enumerate(out) if t != text and t not in out[:i]]


def stride_fraction(text: str) -> list[str]:
    """The stride moved into / out of the fraction: ``A/S + 1`` ↔ ``A/(S + 1)``, ``\\frac{A}{S} + 1`` ↔ ``\\frac{A}{S + 1}``."""
    out = _each(text, r"\\frac\{([^{}]+)\}\{([^{}]+)\}\s*\+\s*1(?![\d.])", lambda m: rf"\frac{{{m.group(1)}}}{{{m.group(2)} + 1}}")
    out += _each(text, r"\\frac\{([^{}]+)\}\{([^{}]+?)\s*\+\s*1\s*\}", lambda m: rf"\frac{{{m.group(1)}}}{{{m.group(2)}}} + 1")
    out += _each(text, r"/\s*\(\s*([\w\[\]{}]+)\s*\+\s*1\s*\)", lambda m: f"/{m.group(1)} + 1")
    out += _each(text, r"/\s*([A-Za-z][\w\[\]{}]*)\s*\+\s*1(?![\d.])", lambda m: f"/({m.group(1)} + 1)")
    return list(dict.fromkeys(out))


def symbols_in(text: str) -> list[str]:
    """Distinct symbols of a formula's text, in order of first appearance (commands and numbers excluded).

    >>> symbols_in(r"$H_{out} = \\lfloor (H + 2P - k)/S \\rfloor + 1$")
    ['H_{out}', 'H', 'P', 'k', 'S']
    """
    seen = []
    for m in re.finditer(_SYM, text):
        s = m.group(0)
        if s not in seen and s.strip("_") not in _COMMANDS:
            seen.append(s)
    return seen


_BOUND = re.compile(r"(?:\\sum|\\prod|\\max|\\min|∑|Σ|∏|max|min)_\{([^{}]*)\}")


def swap_roles(text: str, limit: int = 4) -> list[str]:
    """Two symbols of the right-hand side exchanged (e.g. kernel and stride); summation and max/min
    variables (and their bounds in the subscript) are left alone: renaming them changes nothing."""
    rhs_at = max(text.rfind("="), 0)
    bound = {s for m in _BOUND.finditer(text) for s in symbols_in(m.group(1))}
    syms = [s for s in symbols_in(text[rhs_at:]) if len(s) <= 12 and s not in bound]
    out = []
    for i in range(len(syms)):
        for j in range(i + 1, len(syms)):
            a, b = syms[i], syms[j]
            pat = re.compile(rf"(?<![\\A-Za-z_]){re.escape(a)}(?![\w{{])|(?<![\\A-Za-z_]){re.escape(b)}(?![\w{{])")
            new = text[:rhs_at] + pat.sub(lambda m: b if m.group(0) == a else a, text[rhs_at:])
            if new != text and new not in out:
                out.append(new)
            if len(out) >= limit:
                return out
    return out


def bias_terms(text: str) -> list[str]:
    """A bias term dropped, or counted per input channel: in ``A×B×…×C + C`` the ``+ C`` removed or replaced by
    another factor of the product."""
    out = []
    for m in re.finditer(r"((?:[\w{}\[\]]+\s*(?:\*|\\times|×|·|\\cdot|x)\s*)+[\w{}\[\]]+)\s*\+\s*([\w{}\[\]]+)", text):
        factors = [f.strip() for f in re.split(r"\*|\\times|×|·|\\cdot|(?<=\d)x(?=\d)|(?<=\s)x(?=\s)", m.group(1))]
        bias = m.group(2)
        if bias not in factors:
            continue
        head = text[:m.start()] + m.group(1)
        tail = text[m.end():]
        out.append(head + tail)
        for f in factors:
            if f != bias and f and head + " + " + f + tail not in out:
                out.append(head + " + " + f + tail)
    return list(dict.fromkeys(o for o in out if o != text))


def index_shift_sign(text: str) -> list[str]:
    """The sign of an index shift flipped: ``x_{i+u}`` → ``x_{i-u}``, ``X[i - m]`` → ``X[i + m]``."""
    return _each(text, r"(?<=[_{(\[,\s])([a-z](?:'|\\prime)?)\s*([+-])\s*([a-z])(?=\s*[,}\])])",
                 lambda m: f"{m.group(1)}{'-' if m.group(2) == '+' else '+'}{m.group(3)}")


def _range(text: str, op: str) -> list[str]:
    out = _each(text, rf"(\\{op}_\{{[^{{}}]*\}}\^\{{)([^{{}}]+?)\s*-\s*1\}}", lambda m: f"{m.group(1)}{m.group(2)}}}")
    out += _each(text, rf"(\\{op}_\{{\s*\w+\s*=\s*)([01])(\s*\}})", lambda m: f"{m.group(1)}{1 - int(m.group(2))}{m.group(3)}")
    return out


def sum_range(text: str) -> list[str]:
    """A sum's range off by one: upper bound ``H-1`` → ``H``, lower bound 0 ↔ 1."""
    return _range(text, "sum")


def stride_product(text: str) -> list[str]:
    """A product of strides over the wrong range: upper bound ``l-1`` → ``l``, lower bound 0 ↔ 1."""
    return _range(text, "prod")


def dilation_extent(text: str) -> list[str]:
    """``d(k−1)`` → ``dk`` (the dilated extent miscounted)."""
    return _each(text, rf"([A-Za-z][\w\[\]{{}}]*){_TIMES}\(\s*([A-Za-z][\w\[\]{{}}]*)\s*-\s*1\s*\)",
                 lambda m: f"{m.group(1)}{m.group(2)}" if len(m.group(1)) == 1 and len(m.group(2)) == 1
                 else f"{m.group(1)} * {m.group(2)}")


OPERATORS = {
    "padding_once": padding_once, "padding_dropped": padding_dropped, "padding_doubled": padding_doubled,
    "plus_one_removed": plus_one_removed, "plus_one_added": plus_one_added, "floor_ceil": floor_ceil,
    "stride_fraction": stride_fraction, "swap_roles": swap_roles, "bias_terms": bias_terms,
    "index_shift_sign": index_shift_sign, "sum_range": sum_range, "dilation_extent": dilation_extent,
    "stride_product": stride_product,
}
