"""Numbers in words and digits, kernel sizes, percentages, ratios and hedges.

Claim forms read numbers the way CNN prose writes them: ``three``, ``3``,
``102,464``; kernel sizes ``3×3``, ``3x3``, ``3 x 3``, ``3-by-3``; percentages
``28%``, ``28 percent``; ratios ``1/9``, ``one ninth``, ``9 times fewer``; and
hedges (``about``, ``roughly``, ``≈``) that widen the tolerance of a
comparison. :func:`normalise` turns a sentence into a lower-case, one-spaced
text in which these have one spelling each; every number read is bounded by
:data:`MAX_NUMBER` so that no later computation can be asked to allocate
``10^9×10^9`` of anything.

Examples
--------
>>> normalise("**Two** 3 x 3 convs: RF = 5\\\\times 5")
'two 3×3 convs: rf = 5×5'
>>> parse_count("three"), parse_count("a"), parse_count("12")
(3, 1, 12)
>>> parse_fraction("1/9"), parse_fraction("one ninth")
(Fraction(1, 9), Fraction(1, 9))
>>> is_hedged("needs about 1/9 of the parameters")
True
"""

from __future__ import annotations

import re
from fractions import Fraction

__all__ = [
    "MAX_NUMBER",
    "COUNT",
    "KERNEL",
    "NUMBER_WORDS",
    "normalise",
    "parse_count",
    "parse_fraction",
    "parse_number",
    "is_hedged",
    "HEDGE",
]

#: the largest number a claim may mention before it is judged out of bounds
MAX_NUMBER = 100_000

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "hundred": 100, "a": 1, "an": 1, "single": 1, "one single": 1,
}
_ORDINAL_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "ninths": 9, "tenth": 10,
    "sixteenth": 16, "twenty-fifth": 25, "forty-ninth": 49,
}

#: a count: digits or a number word (regex fragment, one group-free alternation)
COUNT = r"(?:\d{1,6}|" + "|".join(sorted((w for w in NUMBER_WORDS if " " not in w), key=len, reverse=True)) + r")"
#: a square kernel size ``k×k`` after :func:`normalise` (two groups)
KERNEL = r"(\d{1,6})×(\d{1,6})"
#: words that make a numeric claim approximate
HEDGE = re.compile(r"\b(?:about|around|roughly|approximately|approx\.?|nearly|almost|close to|some|circa|on the order of)\b|[~≈∼]")

_LATEX = [
    (r"\times", "×"), (r"\cdot", "·"), (r"\approx", "≈"), (r"\sim", "~"), (r"\sqrt", "√"),
    (r"\delta", "δ"), (r"\Delta", "Δ"), (r"\%", "%"), (r"\ell", "ℓ"), (r"\log", "log"),
    (r"\left", ""), (r"\right", ""), (r"\,", " "), (r"\;", " "), (r"\!", ""), ("\\(", " "), ("\\)", " "),
]
_SMALL = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
_SUPERSCRIPTS = str.maketrans({"²": "^2", "³": "^3", "⁴": "^4", "¹": "^1", "⁰": "^0"})


_WORD_VALUES = {**{w: v for w, v in NUMBER_WORDS.items() if " " not in w and w not in ("a", "an", "single", "hundred", "zero")},
                "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_WORD_ALT = "|".join(sorted(_WORD_VALUES, key=len, reverse=True))
#: a number spelled with a scale word or a decimal point: "twelve thousand eight hundred", "eleven point seven million"
_LARGE_WORDS = re.compile(
    r"\b(?:" + _WORD_ALT + r")(?:[- ](?:and[- ])?(?:" + _WORD_ALT + r"|hundred|thousand|million|billion|point)\b)+")


def _spell_large(match: re.Match) -> str:
    """Digits for one spelled number: "twelve thousand eight hundred" → "12800", "eleven point seven million" →
    "11.7 million" (a last scale word stays a word: it carries the rounding)."""
    words = [w for w in re.split(r"[- ]", match.group(0)) if w != "and"]
    if not any(w in _SCALES or w == "point" for w in words) or words[-1] == "point":
        return match.group(0)
    tail = ""
    if words[-1] in ("million", "billion") or (words[-1] == "thousand" and "thousand" not in words[:-1]
                                                 and not any(w in _SCALES for w in words[:-1])):
        tail = " " + words.pop()
    total, current, decimals = 0, 0, None
    for w in words:
        if w == "point":
            decimals = ""
        elif decimals is not None:
            if w not in _WORD_VALUES or _WORD_VALUES[w] > 9:
                return match.group(0)
            decimals += str(_WORD_VALUES[w])
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in _SCALES:
            total += max(current, 1) * _SCALES[w]
            current = 0
        else:
            current += _WORD_VALUES[w]
    value = str(total + current) + (f".{decimals}" if decimals else "")
    return value + tail


def normalise(text: str) -> str:
    """One spelling for what prose writes many ways.

    Lower-case; Markdown emphasis, backticks and ``$`` removed; LaTeX
    ``\\times``/``\\cdot``/``\\sqrt`` replaced by their symbols; ``3 x 3``,
    ``3X3``, ``3*3``, ``3-by-3`` and ``3 × 3`` become ``3×3``; dashes become
    ``-``; thousands separators dropped (``102,464`` → ``102464``); runs of
    spaces collapsed.

    Examples
    --------
    >>> normalise("A 7-by-7 kernel sees 102,464 pixels — roughly.")
    'a 7×7 kernel sees 102464 pixels - roughly.'
    >>> normalise(r"\\(3 \\times 3\\) conv, stride\\_2")
    '3×3 conv, stride 2'
    >>> normalise("Twelve thousand eight hundred weights; about eleven point seven million in all; sixty million")
    '12800 weights; about 11.7 million in all; 60 million'
    >>> normalise("a 7x7/2 stem then a 3x3/2 max-pool")
    'a stride-2 7×7 conv then a stride-2 3×3 max-pool'
    >>> normalise("two 3x3 convs, each followed by 2x2 max pooling")
    'one 3×3 conv followed by one 2×2 max pooling followed by one 3×3 conv followed by one 2×2 max pooling'
    """
    t = text
    for a, b in _LATEX:
        t = t.replace(a, b)
    t = re.sub(r"\\(?:text|mathrm|textrm|mathit|emph|textbf|textit|operatorname)\{([^{}]*)\}", r"\1", t)
    t = t.replace("\\_", " ").replace("\\", " ")
    t = t.translate(_SUPERSCRIPTS)
    t = re.sub(r"(\d)\s*\*\s*(?=\d)", r"\1×", t)
    t = re.sub(r"[*`$]|(?<![a-zA-Z0-9])_|_(?![a-zA-Z0-9{])", " ", t)
    t = t.replace("{", "").replace("}", "")
    t = re.sub(r"[–—−‐‑]", "-", t)
    t = t.replace("’", "'").replace("“", '"').replace("”", '"')
    t = t.lower()
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", t)
    t = _LARGE_WORDS.sub(_spell_large, t)
    t = re.sub(r"(\d)\s*(?:×|x|\*|-by-|\s+by\s+)\s*(?=\d)", r"\1×", t)
    t = re.sub(r"\b(pointwise|depthwise|dilated|strided) \((\d{1,3}×\d{1,3})\) ", r"\1 \2 ", t)  # "a pointwise (1×1) conv"
    # "a 7×7/2 stem", "3×3/2 max-pool": kernel/stride before a layer noun, as "stride-2 7×7 conv"
    t = re.sub(r"(?<![\d×])(\d{1,3}×\d{1,3})\s?/\s?(\d{1,2})\s+(?:(stem|conv\w*|layers?)|((?:max|avg|average)?[- ]?pool\w*))\b",
               lambda m: f"stride-{m.group(2)} {m.group(1)} " + ("conv" if m.group(3) else m.group(4)), t)
    t = re.sub(r"\s+", " ", t).strip()
    # "two 3×3 convs, each followed by 2×2 max pooling": the pairs written out, one after the other
    t = re.sub(r"\b(two|three|four|2|3|4) ((?:stride-\d )?\d{1,2}×\d{1,2}) (?:conv(?:olution)?s?|conv(?:olutional)? layers|layers)"
               r",? each (?:one )?followed by (?:an? |one )?((?:stride-\d )?\d{1,2}×\d{1,2} (?:max|avg|average)[- ]?pool(?:ing)?)\b",
               lambda m: " followed by ".join([f"one {m.group(2)} conv followed by one {m.group(3)}"]
                                              * _SMALL[m.group(1)]), t)
    return t


def parse_number(token: str) -> int:
    """An integer written in digits or words, bounded by :data:`MAX_NUMBER`.

    Raises
    ------
    ValueError
        if the token is not a number or exceeds the bound.

    Examples
    --------
    >>> parse_number("twenty"), parse_number("64")
    (20, 64)
    >>> parse_number("1000000")
    Traceback (most recent call last):
    ...
    ValueError: number 1000000 exceeds the bound 100000 for claims in words
    """
    token = token.strip().lower()
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    if not re.fullmatch(r"\d{1,30}", token):
        raise ValueError(f"not a number: {token!r}")
    if len(token) > 7 or int(token) > MAX_NUMBER:
        raise ValueError(f"number {token} exceeds the bound {MAX_NUMBER} for claims in words")
    return int(token)


def parse_count(token: str) -> int:
    """A count of layers or channels (``"a"`` and ``"single"`` count as 1).

    Examples
    --------
    >>> parse_count("Two")
    2
    """
    return parse_number(token)


def parse_fraction(text: str) -> Fraction:
    """A ratio written ``1/9``, ``one ninth``, ``a ninth``, ``half`` or ``0.11``.

    Raises
    ------
    ValueError
        if the text is not a ratio, or its numbers exceed the bound.

    Examples
    --------
    >>> parse_fraction("a quarter"), parse_fraction("0.25"), parse_fraction("2/18")
    (Fraction(1, 4), Fraction(1, 4), Fraction(1, 9))
    >>> parse_fraction("1/0")
    Traceback (most recent call last):
    ...
    ValueError: ratio 1/0 has a zero denominator
    """
    t = text.strip().lower()
    m = re.fullmatch(r"(\d{1,7})\s*/\s*(\d{1,7})", t)
    if m:
        num, den = parse_number(m.group(1)), parse_number(m.group(2))
        if den == 0:
            raise ValueError(f"ratio {num}/0 has a zero denominator")
        return Fraction(num, den)
    m = re.fullmatch(r"(\d{1,3})?\.(\d{1,6})", t)
    if m:
        return Fraction(t).limit_denominator(1000)
    m = re.fullmatch(r"(?:(\w+)[\s-]+)?([a-z-]+)", t)
    if m and m.group(2) in _ORDINAL_DENOMINATORS:
        num = parse_number(m.group(1)) if m.group(1) else 1
        return Fraction(num, _ORDINAL_DENOMINATORS[m.group(2)])
    raise ValueError(f"not a ratio: {text!r}")


def is_hedged(text: str) -> bool:
    """True when the text qualifies its number as approximate (``about``, ``~``, ``≈``…).

    Examples
    --------
    >>> is_hedged("uses 28% fewer parameters"), is_hedged("roughly 28% fewer")
    (False, True)
    """
    return HEDGE.search(text.lower()) is not None
