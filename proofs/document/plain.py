r"""Find formulas written in plain text (no math delimiters) inside a line of prose.

A plain formula is a run of math-looking tokens around a relation sign
(``=``, ``≈``, ``≤``, ``≥``, ``≠``, ``:=``) with math-looking content on both
sides: ``H_out = ⌊(H + 2P − k)/S⌋ + 1``, ``55*55*96 = 290,400``,
``RF_ℓ = RF_{ℓ-1} + (k_ℓ - 1) · ∏ s_i``. The run stops at prose words, at
sentence punctuation, at an unmatched bracket, before a trailing parenthesis
of prose (``(weights + biases)``) and before a new formula on the same line
(``… + 1 W_out = …``). A left side may be one or two words when the right side
is clearly mathematical (``Parameters = k × k × C_in × C_out + C_out``).

>>> line = "- Output height: H_out = ⌊(H + 2P - k)/S⌋ + 1"
>>> [line[a:b] for a, b in find_plain_formulas(line)]
['H_out = ⌊(H + 2P - k)/S⌋ + 1']
>>> line = "Parameters = k × k × C_in × C_out + C_out (weights + biases)"
>>> [line[a:b] for a, b in find_plain_formulas(line)]
['Parameters = k × k × C_in × C_out + C_out']
>>> find_plain_formulas("The output size = the input size in that case.")
[]
>>> line = "as H_out = (H_in − 1)×stride − 2×padding + 1 here"
>>> [line[a:b] for a, b in find_plain_formulas(line)]
['H_out = (H_in − 1)×stride − 2×padding + 1']
"""

from __future__ import annotations

import re

__all__ = ["find_plain_formulas", "FUNCTION_WORDS"]

#: Words that are mathematical when applied (``max(0, x)``, ``conv(X, W)``).
FUNCTION_WORDS = {
    "max", "min", "log", "exp", "ln", "sqrt", "conv", "shift", "softmax", "relu", "maxpool", "avgpool",
    "gap", "bn", "ln", "mean", "var", "sum", "prod", "floor", "ceil", "flip", "rot180", "tanh", "sigmoid",
    "mod", "argmax", "argmin", "sigma", "corr", "pool", "concat", "dim", "rank", "abs", "sign",
}
_STOPWORDS = {
    "the", "a", "an", "is", "are", "and", "or", "so", "that", "where", "if", "then", "we", "it", "this",
    "with", "for", "of", "to", "in", "by", "as", "be", "at", "on", "which", "when", "since", "thus",
    "hence", "therefore", "let", "set", "get", "gives", "give", "yields", "has", "have", "was", "were",
}

_SUBSUP = "₀₁₂₃₄₅₆₇₈₉₊₋ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿᵀ"
_LETTER = r"A-Za-z\u0391-\u03a9\u03b1-\u03c9\u03d1\u03d5\u03f5ℓ"
_TOKEN = re.compile(
    rf"(?P<ident>[{_LETTER}][{_LETTER}0-9\u0300-\u036f]*[\u0300-\u036f{_SUBSUP}]*"
    rf"(?:_(?:\{{[^{{}}\n]{{0,40}}\}}|[{_LETTER}0-9]+)[{_SUBSUP}]*|\^(?:\{{[^{{}}\s]*\}}|[{_LETTER}0-9]))*'*)"
    r"|(?P<number>\d+(?:,\d{3})*(?:\.\d+)?%?(?:\^(?:\{[^{}\s]*\}|\d+))?[" + _SUBSUP + r"]*)"
    r"|(?P<rel>:=|<=|>=|==|=|≈|≤|≥|≠|≡|⩽|⩾)"
    r"|(?P<weakrel><|>|∈|→)"
    r"|(?P<op>[+\-−–*/·×÷^∑∏√∂∇∞…⋆∗_⊙Σ∏]|\.\.\.)"
    r"|(?P<open>[(\[{⌊⌈])"
    r"|(?P<close>[)\]}⌋⌉])"
    r"|(?P<space>\s+)"
    r"|(?P<punct>[,;:.!?\"“”’])"
    r"|(?P<other>.)"
)
_GREEK_RUN = "[\u0391-\u03a9\u03b1-\u03c9\u03d1\u03d5\u03f5ℓ]{1,2}"
_STRONG_OPS = set("+−–*/·×÷^∑∏√∂∇⌊⌈_Σ") | {"-"}


class _Tok:
    __slots__ = ("kind", "text", "start", "end", "glued")

    def __init__(self, kind: str, text: str, start: int, end: int) -> None:
        self.kind, self.text, self.start, self.end = kind, text, start, end
        self.glued = False  # a word operand of an infix product sign: "2×padding", "dilation×(…)", "…)/stride"

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.kind}:{self.text!r}"


_PRODUCT_SIGNS = set("×*·÷")


def _tokens(line: str) -> list[_Tok]:
    toks = [_Tok(m.lastgroup, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(line)]
    for k, t in enumerate(toks):
        if t.kind != "op" or not 0 < k < len(toks) - 1:
            continue
        left, right = toks[k - 1], toks[k + 1]
        if left.kind == "space" or right.kind == "space":
            continue  # not infix ("*emphasis*")
        if t.text in _PRODUCT_SIGNS:
            for side in (left, right):
                if side.kind == "ident":
                    side.glued = True
        elif t.text == "/" and right.kind == "ident" and left.kind in ("close", "number"):
            right.glued = True
    return toks


_UNIT_WORDS = {"thousand", "million", "billion", "trillion"}
_NOT_LATIN = re.compile(r"[^A-Za-z]")
_MATHY_IDENT = re.compile(r"[_^∂∑∏ℓ]")
_MARKED_IDENT = re.compile(rf"[_^'0-9{_SUBSUP}\u0300-\u036f]")
_GREEK_WORD = re.compile(_GREEK_RUN)


def _ident_is_math(tok: _Tok, nxt: _Tok | None) -> bool:
    word = tok.text
    if word.lower() in _UNIT_WORDS or tok.glued:
        return True
    letters = _NOT_LATIN.sub("", word)
    if len(word) == 1 or not letters:
        return True
    if _MARKED_IDENT.search(word):
        return True
    if _GREEK_WORD.fullmatch(word):
        return True
    applied = nxt is not None and nxt.kind == "open" and nxt.text in "([" and nxt.start == tok.end
    if applied:
        return True
    if word.isupper() and len(word) <= 4:
        return True
    return False


def _bracket_has_prose(toks: list[_Tok], k: int) -> bool:
    """Does the bracket opened at ``toks[k]`` hold prose words (``(weights + biases)``)?"""
    depth = 0
    for j in range(k, len(toks)):
        t = toks[j]
        if t.kind == "open":
            depth += 1
        elif t.kind == "close":
            depth -= 1
            if depth == 0:
                return False
        elif t.kind == "ident":
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if not _ident_is_math(t, nxt) and len(t.text) >= 3:
                return True
    return False


def _next_significant(toks: list[_Tok], k: int) -> int | None:
    while k < len(toks) and toks[k].kind == "space":
        k += 1
    return k if k < len(toks) else None


def _operand_end(toks: list[_Tok], k: int) -> int:
    """Index after the space-free run starting at ``k`` (``X[i, j]``, ``∂L/∂K[1]``, ``W_out``)."""
    depth = 0
    while k < len(toks):
        t = toks[k]
        if t.kind == "space" and depth == 0 or t.kind in ("rel", "punct") and depth == 0:
            break
        if t.kind == "open":
            depth += 1
        elif t.kind == "close":
            depth -= 1
            if depth < 0:
                break
        k += 1
    return k


def _extend_left(toks: list[_Tok], r: int, floor: int = 0) -> tuple[int, int]:
    """First token index of the left side of the relation at ``r`` and the number of label words."""
    depth = 0
    first = r
    words = 0
    saw_math = False
    i = r - 1
    while i >= floor:
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.kind == "space":
            i -= 1
            continue
        if words:
            if t.kind == "ident" and not _ident_is_math(t, nxt) and words < 2 and t.text.lower() not in _STOPWORDS:
                words += 1
                first = i
                i -= 1
                continue
            break
        if t.kind == "close":
            depth += 1
        elif t.kind == "open":
            if depth == 0:
                break
            depth -= 1
        elif t.kind in ("number", "op", "weakrel", "rel"):
            if t.kind == "weakrel" and t.text == "→" and depth == 0:
                break
            saw_math = True
        elif t.kind == "ident":
            if _ident_is_math(t, nxt):
                saw_math = True
            elif depth == 0 and not saw_math and t.text.lower() not in _STOPWORDS and len(t.text) >= 2:
                words = 1
            else:
                break
        elif t.kind == "punct":
            if depth == 0 or t.text in ".;:!?":
                break
        else:
            break
        first = i
        i -= 1
    return first, words


_ADDITIVE = set("+-−–")
_MULTIPLICATIVE = set("*/×·÷")


def _significant(toks: list[_Tok], k: int, step: int) -> _Tok | None:
    k += step
    while 0 <= k < len(toks) and toks[k].kind == "space":
        k += step
    return toks[k] if 0 <= k < len(toks) else None


def _phrase(toks: list[_Tok], k: int, most: int = 3) -> tuple[int, int]:
    """First and last token index of the run of words (one space apart, no stop word) around ``toks[k]``."""
    def word(j: int) -> bool:
        return 0 <= j < len(toks) and toks[j].kind == "ident" and toks[j].text.lower() not in _STOPWORDS

    def gap(j: int) -> bool:
        return 0 <= j < len(toks) and toks[j].kind == "space" and toks[j].text == " "

    first = last = k
    while last - first < 2 * (most - 1) and gap(first - 1) and word(first - 2):
        first -= 2
    while last - first < 2 * (most - 1) and gap(last + 1) and word(last + 2):
        last += 2
    return first, last


def _operand_word(toks: list[_Tok], k: int, depth: int) -> bool:
    """Is the word ``toks[k]`` an operand of the arithmetic around it (``(input - kernel + 2 * padding) / stride``)?

    Inside brackets: an arithmetic sign or an opening bracket before it, a sign or a closing bracket after it,
    and a sign on at least one side. Outside brackets: a product or division sign before it, and after it a
    sign, a closing bracket, punctuation or the end of the line (``… * filters.``).
    """
    word = toks[k].text.lower()
    if word in _STOPWORDS or word in _UNIT_WORDS:
        return False
    first, last = k, k
    if depth > 0:  # inside brackets, a name of up to three words: "(Input size - Filter size + 2 * Padding)"
        first, last = _phrase(toks, k)
    prev, nxt = _significant(toks, first, -1), _significant(toks, last, 1)
    prev_op = prev is not None and prev.kind == "op" and prev.text in _ADDITIVE | _MULTIPLICATIVE
    next_op = nxt is not None and nxt.kind == "op" and nxt.text in _ADDITIVE | _MULTIPLICATIVE
    if depth > 0:
        before = prev_op or prev is not None and prev.kind == "open" and prev.text in "(["
        after = next_op or nxt is not None and nxt.kind == "close" and nxt.text in ")]"
        return before and after and (prev_op or next_op)
    return (prev is not None and prev.kind == "op" and prev.text in _MULTIPLICATIVE
            and (nxt is None or next_op or nxt.kind == "close" or nxt.kind == "punct" and nxt.text in ".,;"))


def _extend_right(toks: list[_Tok], r: int) -> int:
    """Index after the last token of the right side(s) of the relation at ``r``."""
    depth = 0
    last = r + 1
    prev_operand = False
    i = r + 1
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.kind == "space":
            i += 1
            continue
        if t.kind == "open":
            if depth == 0 and prev_operand and toks[i - 1].kind == "space" and _bracket_has_prose(toks, i):
                break
            if t.text == "{" and depth == 0 and _next_significant(toks, i + 1) is None:
                break
            depth += 1
            prev_operand = False
        elif t.kind == "close":
            if depth == 0:
                break
            depth -= 1
            prev_operand = True
        elif t.kind in ("number", "ident"):
            if t.kind == "ident" and not _ident_is_math(t, nxt) and not _operand_word(toks, i, depth):
                if depth == 0 or len(t.text) >= 3 and t.text.lower() not in FUNCTION_WORDS:
                    break
            if depth == 0 and prev_operand and toks[i - 1].kind == "space":
                after = _next_significant(toks, _operand_end(toks, i))
                if after is not None and toks[after].kind == "rel":
                    break  # a new formula starts here: "… + 1 W_out = …"
            prev_operand = True
        elif t.kind in ("rel", "weakrel"):
            if t.kind == "weakrel" and t.text == "→" and depth == 0:
                break
            prev_operand = False
        elif t.kind == "op":
            if t.text == "∂" and depth == 0 and prev_operand and toks[i - 1].kind == "space":
                after = _next_significant(toks, _operand_end(toks, i))
                if after is not None and toks[after].kind == "rel":
                    break  # a new formula: "… = -1 ∂L/∂K[1] = …"
            prev_operand = False
        elif t.kind == "punct":
            if depth == 0 or t.text in ".;!?":
                break
            prev_operand = False
        else:
            break
        last = i + 1
        i += 1
    return last


def _strongly_math(toks: list[_Tok]) -> bool:
    for k, t in enumerate(toks):
        if t.kind == "op" and (t.text in _STRONG_OPS or t.text == "..."):
            return True
        if t.kind in ("open", "close") and t.text in "⌊⌋⌈⌉":
            return True
        if t.kind == "ident" and _MATHY_IDENT.search(t.text):
            return True
        if t.kind == "open" and t.text in "([" and k and toks[k - 1].kind == "ident" and toks[k - 1].end == t.start:
            return True
    return False


def _side_ok(toks: list[_Tok]) -> bool:
    sig = [t for t in toks if t.kind != "space"]
    if not sig:
        return False
    for k, t in enumerate(sig):
        nxt = sig[k + 1] if k + 1 < len(sig) else None
        if t.kind in ("number",) or t.kind == "ident" and _ident_is_math(t, nxt):
            return True
        if t.kind in ("open",) and t.text in "⌊⌈":
            return True
    return False


def _trim(toks: list[_Tok], a: int, b: int) -> tuple[int, int]:
    """Drop leading/trailing punctuation and operators, an unmatched opening bracket with what follows it, and
    an unmatched closing bracket with what precedes it (``… + 1) = 26``: the left side began inside a bracket).

    Iterative (one pass per unmatched bracket, no recursion), so ``x=1((((…`` of any length is safe.
    """
    while True:
        while a < b and (toks[a].kind in ("space", "punct") or toks[a].kind == "op" and toks[a].text in "-*·×+/–−"
                         and a + 1 < b and toks[a + 1].kind == "space"):
            a += 1
        while b > a and (toks[b - 1].kind in ("space", "punct") or toks[b - 1].kind in ("op", "rel", "weakrel")
                         and toks[b - 1].text not in ("…", "...", "'")):
            b -= 1
        # the first unmatched opening bracket from the left: cut there (everything after it goes);
        # a closing bracket with no opening one: the run started inside a bracket of prose, cut after it
        opens: list[int] = []
        stray = -1
        for k in range(a, b):
            if toks[k].kind == "open":
                opens.append(k)
            elif toks[k].kind == "close":
                if opens:
                    opens.pop()
                else:
                    stray = k
        if stray >= 0:
            nxt = _next_significant(toks, stray + 1)
            if nxt is None or nxt >= b or toks[nxt].kind in ("op", "rel", "weakrel"):
                return a, a  # "… + 1) + 2 = 5": the left operand is cut, there is no formula
            a = stray + 1
            continue
        if not opens:
            return a, b
        if opens[0] <= a:
            return a, a
        before = _significant(toks, opens[0], -1)
        if before is not None and before.kind == "op" and before.text in _ADDITIVE | _MULTIPLICATIVE:
            return a, a  # "z = 2 * (the first layer …": the operand of "*" is prose, there is no formula
        b = opens[0]


def find_plain_formulas(line: str) -> list[tuple[int, int]]:
    """Column ranges ``[(start, end), …]`` of plain-text formulas in one line.

    Parameters
    ----------
    line : str
        A line of prose with any delimited math, code and markup already blanked out.

    Returns
    -------
    list of (int, int)
        Half-open character ranges, left to right, not overlapping.
    """
    if not any(ch in line for ch in "=≈≤≥≠≡⩽⩾"):
        return []
    toks = _tokens(line)
    found: list[tuple[int, int]] = []
    covered = 0
    for r, t in enumerate(toks):
        if t.kind != "rel" or r < covered:
            continue
        if t.text == "==":
            continue
        first, words = _extend_left(toks, r, covered)
        end = _extend_right(toks, r)
        a, b = _trim(toks, first, end)
        if b <= r + 1 or a > r - 1 + (0 if words else 0) and a >= r:
            continue
        before = a - 1
        while before >= 0 and toks[before].kind == "space":
            before -= 1
        if before >= 0 and toks[before].text == "→":
            covered = max(covered, r + 1)  # "128 → 128 ≈ 53": the left side is cut from a mapping
            continue
        span = toks[a:b]
        sides: list[list[_Tok]] = [[]]
        for tk in span:
            if tk.kind == "rel":
                sides.append([])
            else:
                sides[-1].append(tk)
        if len(sides) < 2 or any(not [x for x in s if x.kind != "space"] for s in sides):
            covered = max(covered, r + 1)
            continue
        if words:
            ok = _strongly_math(sides[-1]) and all(_side_ok(s) for s in sides[1:])
        else:
            ok = all(_side_ok(s) for s in sides) and (
                _strongly_math(span) or all(len([x for x in s if x.kind != "space"]) <= 2 for s in sides))
        if ok:
            found.append((toks[a].start, toks[b - 1].end))
            covered = b
        else:
            covered = max(covered, r + 1)
    return found
