"""Text-level clean-up of one formula before it meets the grammar.

Steps (in order): Unicode → LaTeX (:func:`proofs.document.unicode_math.to_latex`),
removal of layout-only commands (``\\,``, ``\\quad`` …, ``\\left``/``\\right``,
``\\label``, ``\\displaystyle``, alignment ``&``), splitting off a trailing side
condition (``\\quad l = 1, \\dots, L``, ``\\text{ for } …``), pairing of ``|``
and ``\\|`` into open/close marks, lifting ``\\begin{cases}`` blocks out as
placeholders, and stripping final punctuation.

>>> n = normalize_formula(r"h_l = \\sigma(x_l), \\quad l = 1, \\dots, L.")
>>> n.main, n.conditions
('h_l = \\\\sigma(x_l)', ['l = 1, \\\\dots, L'])
>>> normalize_formula(r"\\left\\lfloor \\frac{a}{b} \\right\\rfloor").main
'\\\\lfloor \\\\frac{a}{b}  \\\\rfloor'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from .errors import MathParseError
from .to_sympy import GREEK_NAMES, KNOWN_NAMES
from .unicode_math import to_latex

__all__ = ["NormalizedFormula", "normalize_formula", "split_cases_rows", "code_identifiers"]

_LAYOUT = re.compile(
    r"\\(?:renewcommand|setlength)\s*\{[^{}]*\}\s*\{[^{}]*\}"
    r"|\\(?:label|tag\*?|eqref|ref|hspace\*?|vspace\*?|phantom|hphantom|vphantom)\s*\{[^{}]*\}"
    r"|\\(?:displaystyle|textstyle|scriptstyle|limits|nolimits|nonumber|notag|mathstrut|strut|middle"
    r"|allowbreak|medskip|smallskip|bigskip|noindent|centering|qed|blacksquare|square|Box)(?![A-Za-z])"
)
_SIZE = re.compile(r"\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)(?![A-Za-z])\s*(\.)?")
_SPACING = re.compile(r"\\[,;:!> ]|~|\\(?:thinspace|enspace|negthinspace|medspace|thickspace)(?![A-Za-z])")
_COND_SPLIT = re.compile(
    r",?\s*(?:\\q?quad(?![A-Za-z])|\\text\s*\{\s*(?:for|if|where|when|with|s\.t\.|and|for all|otherwise)\b[^{}]*\}"
    r"|\\forall(?![A-Za-z])|\\mathrm\s*\{\s*(?:for|if|where)\b[^{}]*\})"
)
_CASES = re.compile(r"\\begin\{(cases|dcases|rcases)\}(.*?)\\end\{\1\}", re.S)
_MATRIX = re.compile(r"\\begin\{([bpvBV]?matrix|smallmatrix)\*?\}(.*?)\\end\{\1\*?\}", re.S)
_ENV = re.compile(r"\\begin\{([^{}]*)\}")
_PRIME = re.compile(r"\^\s*\{\s*((?:\\prime\s*)+)\}|\^\s*\\prime(?![A-Za-z])")


@dataclass
class NormalizedFormula:
    """The cleaned formula text and what was lifted out of it."""

    main: str
    conditions: list[str] = field(default_factory=list)
    cases: list = field(default_factory=list)  # ("cases", [(value, cond)]) or ("matrix", [[cell, …], …])
    notes: list[str] = field(default_factory=list)
    code_like: bool = False  # identifiers of program code (``kernel_size``): ``*`` is a product there


def split_cases_rows(body: str) -> list[tuple[str, str]]:
    r"""Rows of a ``cases`` body as ``(value, condition)`` text pairs.

    >>> split_cases_rows(r"x & x > 0 \\ 0 & \text{otherwise}")
    [('x', 'x > 0'), ('0', '\\text{otherwise}')]
    """
    rows = []
    for row in re.split(r"\\\\", body):
        if not row.strip():
            continue
        value, _, cond = row.partition("&")
        rows.append((value.strip(), cond.strip()))
    return rows


def _pair_bars(text: str, open_mark: str, close_mark: str, bar: str, what: str) -> str:
    parts = text.split(bar)
    if len(parts) == 1:
        return text
    if len(parts) % 2 == 0:
        raise MathParseError(f"unsupported: unpaired {what}")
    out = [parts[0]]
    for k, part in enumerate(parts[1:]):
        out.append(open_mark if k % 2 == 0 else close_mark)
        out.append(part)
    return "".join(out)


#: "mod" written as a word in a font command: the remainder operator, never a product of m, o and d
_MOD_WORD = re.compile(r"\\(?:operatorname|mathrm|text|textrm|mathit|rm)\s*\{\s*(?:\\b)?mod\s*\}|\\text\s*\{\s*\\bmod\s*\}")
#: ``a % b`` between two operands, where the left one is not a bare number (``28%`` is a percentage)
_MOD_SIGN = re.compile(r"([A-Za-z_)\]}])\s*\\?%\s*(?=[A-Za-z(\d\\])")


def normalize_formula(tex: str) -> NormalizedFormula:
    """Clean one formula (see the module docstring) for :mod:`proofs.document.parser`.

    Raises
    ------
    MathParseError
        ``unsupported: \\begin{...}`` for environments other than ``cases``,
        ``unsupported: unpaired |`` for an odd number of bars.
    """
    notes: list[str] = []
    text = tex
    if "\\" in text:
        text = _old_fonts(_resizebox(text)) if _OLD_OR_BOX.search(text) else text
        text = _siunitx(text, notes) if _SI_HINT.search(text) else text
    text = _number_sign(text, notes)
    if "°" in text or "circ" in text:
        text = _DEGREES.sub(r"(\1 \\pi/180)", text)
    if ".." in text:
        text = _DOTDOT.sub(r"\1, \\ldots, \2", text)
    if _E_HINT.search(text):
        text = _e_notation(text, notes)
    text = to_latex(text)
    text = _tied_words(text)
    if "\\over" in text:
        text = _over(text, notes)
    conditions: list[str] = []
    text = _evaluation_bar(text, conditions, notes)
    text = text.replace("{,}", ",")
    text = re.sub(r"\\pmod\s*\{([^{}]*)\}", r"\\bmod (\1)", text)
    # the remainder operator in other spellings: \operatorname{mod}, \mathrm{mod}, \text{ mod }, and the code
    # operator % between two operands (a percentage follows a number and ends the operand)
    text = _MOD_WORD.sub(r" \\bmod ", text)
    text = _MOD_SIGN.sub(r"\1 \\bmod ", text)
    text = re.sub(r"\{\s*([-+=])\s*\}", r"\1", text)
    text = _LAYOUT.sub(" ", text)
    text = _SIZE.sub(" ", text)
    text = _PRIME.sub(lambda m: "'" * max(1, m.group(0).count("\\prime")), text)
    text = re.sub(r"\\\\\s*$", "", text.strip())
    text = re.sub(r"(?:\{\s*\})?(?:[_^]\s*\{\s*\})+", " ", text)  # empty scripts "x_{}", "{}_{}" (Doxygen)

    cases: list = []

    def lift(m: re.Match) -> str:
        cases.append(("cases", split_cases_rows(m.group(2))))
        return f" \\casesref{len(cases) - 1} "

    def lift_matrix(m: re.Match) -> str:
        rows = [[cell.strip() for cell in row.split("&")] for row in re.split(r"\\\\", m.group(2)) if row.strip()]
        cases.append(("matrix", rows))
        return f" \\casesref{len(cases) - 1} "

    def lift_array(m: re.Match) -> str:
        if m.group(1):  # \left\{ \begin{array} … \end{array} \right.: cases written as an array
            cases.append(("cases", split_cases_rows(m.group(2))))
        else:
            rows = [[cell.strip() for cell in row.split("&")] for row in re.split(r"\\\\", m.group(2)) if row.strip()]
            cases.append(("matrix", rows))
        return f" \\casesref{len(cases) - 1} "

    if "1" in text and "\\" in text:
        text = _indicator(text, notes)
    text = _inline_if(text, notes)
    text = _ARRAY.sub(lift_array, text)
    text = _CASES.sub(lift, text)
    text = _MATRIX.sub(lift_matrix, text)
    text = text.replace("&", " ")
    env = _ENV.search(text)
    if env:
        raise MathParseError(f"unsupported: \\begin{{{env.group(1)}}}")

    if "frac" in text or "/" in text:
        text = _d_fractions(text, notes)
    text = _differentials(text)
    if ":" in text:
        text = _signature(text, notes)
    m = _COND_SPLIT.search(text)
    if m and text[: m.start()].strip():
        rest = text[m.end():].strip()
        head = m.group(0)
        if rest or "text" in head:
            word = re.search(r"\{\s*([^{}]*)\}", head)
            cond = ((word.group(1).strip() + " ") if word else "") + rest
            conditions.append(cond.strip().rstrip(".,;"))
        text = text[: m.start()]
    text = _SPACING.sub(" ", text)
    text = re.sub(r"\\(?:lvert|left\|)", r"\\absopen ", text)
    text = re.sub(r"\\rvert", r"\\absclose ", text)
    text = re.sub(r"\\lVert", r"\\normopen ", text)
    text = re.sub(r"\\rVert", r"\\normclose ", text)
    text = text.replace("\\Vert", "\\|")
    text = _pair_bars(text, "\\normopen ", "\\normclose ", "\\|", "norm bars \\|")
    text = re.sub(r"\\vert(?![A-Za-z])|\\mid(?![A-Za-z])", "|", text)
    text = _given_bar(text, notes)
    text = _pair_bars(text, "\\absopen ", "\\absclose ", "|", "|")
    text = text.strip()
    text = re.sub(r"(?:\s*(?:[.,;:]|\\(?![A-Za-z{}|%])))+$", "", text).strip()
    text, code_like = code_identifiers(text)
    text = _applied_macros(text, notes)
    text = _declared_names(text, notes)
    return NormalizedFormula(text, conditions, cases, notes, code_like)


_OLD_OR_BOX = re.compile(r"\\(?:rm|bf|it|sf|tt|cal)(?![A-Za-z])|\\(?:resize|scale)box")
_SI_HINT = re.compile(r"\\(?:SI|num|qty)(?![A-Za-z])")
_E_HINT = re.compile(r"\d[eE][+-]?\d")
_DEGREES = re.compile(r"(?<![A-Za-z0-9_.])(\d+(?:\.\d+)?)\s*(?:°|\^\s*\{\s*\\circ\s*\}|\^\s*\\circ(?![A-Za-z]))")
_DOTDOT = re.compile(r"([A-Za-z0-9}])\s*\.\.(?!\.)\s*([A-Za-z0-9\\])")
_OLD_FONT = re.compile(r"\{\s*\\(rm|bf|it|sf|tt|cal)\s+([^{}]*)\}|\\(rm|bf|it|sf|tt|cal)\s+([A-Za-z]+|\\[A-Za-z]+)")
_NEW_FONT = {"rm": "mathrm", "bf": "mathbf", "it": "mathit", "sf": "mathsf", "tt": "mathtt", "cal": "mathcal"}


def _old_fonts(text: str) -> str:
    r"""TeX's font switches ``{\rm d}``, ``\rm C_4``, ``{\bf x}`` → ``\mathrm{d}``, ``\mathrm{C}_4``, ``\mathbf{x}``.

    >>> _old_fonts(r"{\rm d}x + \rm C_4 + {\bf W}")
    '\\mathrm{d}x + \\mathrm{C}_4 + \\mathbf{W}'
    """
    if "\\" not in text:
        return text

    def sub(m: re.Match) -> str:
        if m.group(1):
            return f"\\{_NEW_FONT[m.group(1)]}{{{m.group(2).strip()}}}"
        return f"\\{_NEW_FONT[m.group(3)]}{{{m.group(4)}}}"

    return _OLD_FONT.sub(sub, text)


def _resizebox(text: str) -> str:
    r"""``\resizebox{w}{h}{$ … $}``, ``\scalebox{s}{…}`` only size their content: the content.

    >>> _resizebox(r"\resizebox{.98\hsize}{!}{$ a = b $}")
    ' a = b '
    """
    for _ in range(5):
        m = re.search(r"\\(?:resizebox\s*\{[^{}]*\}\s*\{[^{}]*\}|scalebox\s*\{[^{}]*\})\s*(?=\{)", text)
        if not m:
            return text
        end = _balanced(text, m.end())
        if end < 0:
            return text
        inner = text[m.end() + 1:end - 1].strip()
        if inner.startswith("$") and inner.endswith("$"):
            inner = inner.strip("$")
        text = text[:m.start()] + " " + inner + " " + text[end:]
    return text


_W = r"\\(?:textrm|text|mathrm|mbox|quad|qquad)?\s*\{?\s*"
_INLINE_IF = re.compile(
    rf"^(?P<head>(?:[^=]*?(?:=|\\coloneqq)\s*)?)(?P<a>[^=]+?)\s*,?\s*(?:\\(?:textrm|text|mathrm|mbox)\s*\{{\s*if\s*\}}|(?<![A-Za-z\\])if(?![A-Za-z]))"
    rf"\s*(?P<c>.+?)\s*,?\s*(?:\\(?:textrm|text|mathrm|mbox)\s*\{{\s*(?:else|otherwise)\s*,?\s*\}}|(?<![A-Za-z\\])(?:else|otherwise)(?![A-Za-z]))"
    rf"\s*,?\s*(?P<b>.+?)\s*$", re.S)


def _inline_if(text: str, notes: list[str]) -> str:
    r"""``y = x \text{ if } x > 0 \text{ else } 0`` (and Python's ``x if x > 0 else 0``) is a piecewise value.

    >>> _inline_if(r"f(x) = x \text{ if } x > 0 \text{ else } 0.1x", [])
    'f(x) = \\begin{cases} x & x > 0 \\\\ 0.1x & \\text{otherwise} \\end{cases}'
    """
    if "\\begin" in text or "\\\\" in text or not re.search(r"(?<![A-Za-z\\])if(?![A-Za-z])", text) or not re.search(r"(?<![A-Za-z\\])(?:else|otherwise)(?![A-Za-z])", text):
        return text
    m = _INLINE_IF.match(text)
    if not m:
        return text
    notes.append("'… if … else …' read as a piecewise value")
    return (f"{m.group('head')}\\begin{{cases}} {m.group('a').strip()} & {m.group('c').strip()} \\\\ "
            f"{m.group('b').strip()} & \\text{{otherwise}} \\end{{cases}}")


_INDICATOR = re.compile(r"\\(?:mathbb|mathbf|mathds|bm)\s*\{\s*1\s*\}\s*(?=[\[_({]|\\\{)")
_CLOSE = {"[": "]", "(": ")", "{": "}"}


def _indicator(text: str, notes: list[str]) -> str:
    r"""The indicator ``\mathbb{1}[x > 0]``, ``\mathbb{1}_{x>0}``, ``𝟙(a = b)``: 1 where the condition holds, else 0.

    >>> _indicator(r"g = \mathbb{1}[x > 0] \cdot d", [])
    'g = \\begin{cases} 1 & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases} \\cdot d'
    """
    for _ in range(5):
        m = _INDICATOR.search(text)
        if not m:
            return text
        k = m.end()
        if text.startswith("\\{", k):
            opener, close, k = "\\{", "\\}", k + 2
        else:
            if text[k] == "_":
                k += 1
                while k < len(text) and text[k] == " ":
                    k += 1
                if k >= len(text) or text[k] != "{":
                    return text
            opener = text[k]
            close, k = _CLOSE[opener], k + 1
        depth, j = 0, k
        while j < len(text):
            if text.startswith(opener, j):
                depth += 1
            elif text.startswith(close, j):
                if depth == 0:
                    break
                depth -= 1
            j += 1
        if j >= len(text):
            return text
        cond = text[k:j].strip()
        text = (f"{text[:m.start()]}\\begin{{cases}} 1 & {cond} \\\\ 0 & \\text{{otherwise}} \\end{{cases}}"
                f"{text[j + len(close):]}")
        notes.append(f"indicator of {cond!r} read as 1 where it holds, else 0")
    return text


def _given_bar(text: str, notes: list[str]) -> str:
    r"""``p(y | x)`` — a lone bar inside an application's parentheses is "given", read as a second argument.

    >>> _given_bar(r"\log p(y_n | x_n) + |a|", [])
    '\\log p(y_n ; x_n) + |a|'
    """
    if text.count("|") % 2 == 0:
        return text
    depth, bars = 0, []
    for k, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 1 and (k == 0 or text[k - 1] != "\\"):
            bars.append(k)
    if len(bars) != 1:
        return text
    k = bars[0]
    notes.append("'|' inside an application read as 'given': p(a | b) → p(a; b)")
    return text[:k] + ";" + text[k + 1:]


_HASH = re.compile(r"(?:\\#|(?<![\\\w])#)\s*(?:\\(?:text|textrm|mathrm|operatorname|mbox)\s*\{\s*([^{}]*?)\s*\}|([A-Za-z][A-Za-z_ ]*[A-Za-z]|[A-Za-z]))")
_TEXT_HASH = re.compile(r"\\(text|textrm|mathrm|operatorname|mbox)\s*\{\s*(?:\\#|#)\s*([^{}]*)\}")


def _number_sign(text: str, notes: list[str]) -> str:
    r"""``\#\text{params}``, ``\# filters``, ``\text{\#params}``: "number of …", one name ``num_params``.

    >>> _number_sign(r"\#\text{params} = \text{\#weights} + \# biases", [])
    '\\mathrm{num_params} = \\mathrm{num_weights} + \\mathrm{num_biases}'
    """
    if "#" not in text:
        return text

    def name(words: str) -> str:
        return "\\mathrm{num_" + re.sub(r"\W+", "_", words.strip()) + "}"

    out = _TEXT_HASH.sub(lambda m: name(m.group(2)), text)
    out = _HASH.sub(lambda m: name(m.group(1) if m.group(1) is not None else m.group(2)), out)
    if out != text:
        notes.append("'#' before a word read as 'number of': one name num_…")
    return out


_ARRAY = re.compile(r"(\\\{\s*)?\\begin\{array\}\s*\{[^{}]*\}(.*?)\\end\{array\}", re.S)

_SI_PREFIX = {"kilo": "k", "mega": "M", "giga": "G", "tera": "T", "milli": "m", "micro": "u", "nano": "n"}
_SI_UNIT = {"byte": "B", "bit": "b", "second": "s", "hertz": "Hz", "flop": "FLOP"}
_SI = re.compile(r"\\(?:SI|qty)\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}\s*\{([^{}]*)\}|\\num\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}")
_E_NUMBER = re.compile(r"(?<![A-Za-z0-9_.\\])(\d+(?:\.\d+)?)[eE]([+-]?\d+)(?![A-Za-z0-9])")


def _siunitx(text: str, notes: list[str]) -> str:
    r"""siunitx's ``\num{1.2e6}``, ``\SI{3.2}{MB}``, ``\qty{3.2}{\mega\byte}``: the number, then the unit as a word.

    >>> _siunitx(r"M = \num{1.2e6} + \SI{3.2}{\mega\byte} + \SI{25}{\percent}", [])
    'M = 1.2e6 + 3.2\\,\\mathrm{MB} + 25\\%'
    """
    def unit(u: str) -> str:
        u = re.sub(r"\\per(?![A-Za-z])\s*", "/", u)
        for word, short in {**_SI_PREFIX, **_SI_UNIT}.items():
            u = re.sub(rf"\\{word}(?![A-Za-z])\s*", short, u)
        return u.replace("~", "").replace(" ", "")

    def sub(m: re.Match) -> str:
        if m.group(3) is not None:
            return m.group(3).strip()
        number, u = m.group(1).strip(), m.group(2).strip()
        if re.fullmatch(r"\\percent", u):
            return f"{number}\\%"
        u = unit(u)
        if not re.fullmatch(r"[A-Za-z/]+", u):
            raise MathParseError(f"unsupported: the unit {m.group(2)!r} of \\SI")
        note = f"\\SI{{{number}}}{{{m.group(2)}}} read as {number} {u}"
        if note not in notes:
            notes.append(note)
        return f"{number}\\,\\mathrm{{{u}}}"

    return _SI.sub(sub, text) if "\\" in text else text


def _e_notation(text: str, notes: list[str]) -> str:
    r"""``1.2e6``, ``1e-3``: a number in scientific notation is ``(1.2 \\times 10^{6})``, never ``1.2·e − 3``.

    >>> _e_notation("lr = 1e-3, n = 2.5E+4, x = e3", [])
    'lr = (1 \\times 10^{-3}), n = (2.5 \\times 10^{4}), x = e3'
    """
    def sub(m: re.Match) -> str:
        exponent = int(m.group(2))
        mantissa = m.group(1)
        digits = len(mantissa.replace(".", "").lstrip("0")) or 1
        last = exponent - (len(mantissa.split(".")[1]) if "." in mantissa else 0)  # power of ten of the last digit
        note = (f"e-notation {m.group()} read as {mantissa}·10^{exponent}, "
                f"a number written to {digits} significant digit(s) (last digit 10^{last})")
        if note not in notes:
            notes.append(note)
        return f"({mantissa} \\times 10^{{{exponent}}})"

    return _E_NUMBER.sub(sub, text)


def _balanced(text: str, start: int) -> int:
    """Index just past the brace group that opens at ``text[start] == '{'`` (-1 when it does not close)."""
    depth = 0
    for k in range(start, len(text)):
        if text[k] == "{" and (k == 0 or text[k - 1] != "\\"):
            depth += 1
        elif text[k] == "}" and (k == 0 or text[k - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return k + 1
    return -1


_OVER = re.compile(r"\\over(?![A-Za-z])")


def _over(text: str, notes: list[str]) -> str:
    r"""TeX's ``{a \over b}`` is ``\frac{a}{b}`` (the innermost brace group around ``\over``).

    >>> _over(r"y = {a + 1 \over b} + {1\over 2}", [])
    'y = {\\frac{a + 1 }{ b}} + {\\frac{1}{ 2}}'
    """
    for _ in range(20):
        m = _OVER.search(text)
        if not m:
            return text
        depth, open_at = 0, -1
        for k in range(m.start() - 1, -1, -1):
            if text[k] == "}" and text[k - 1:k] != "\\":
                depth += 1
            elif text[k] == "{" and text[k - 1:k] != "\\":
                if depth == 0:
                    open_at = k
                    break
                depth -= 1
        if open_at < 0:
            raise MathParseError("unsupported: \\over outside a brace group")
        close = _balanced(text, open_at)
        if close < 0:
            raise MathParseError("unsupported: unbalanced braces around \\over")
        num, den = text[open_at + 1:m.start()], text[m.end():close - 1]
        text = f"{text[:open_at]}{{\\frac{{{num}}}{{{den}}}}}{text[close:]}"
        if "\\over read as \\frac" not in notes:
            notes.append("\\over read as \\frac")
    return text


_D = r"(?:\\(?:mathrm|operatorname|text|textrm|rm)\s*\{\s*d\s*\}|\\rm\s+d(?![A-Za-z])|d(?=\s*[A-Za-z\\(]))"
_D_NUM = re.compile(rf"^\s*{_D}\s*(?![\^\s]*$)(?!\^)(.+)$", re.S)
_D_VAR = re.compile(rf"^\s*{_D}\s*((?:[A-Za-z]|\\[A-Za-z]+)(?:\s*_\s*(?:\{{[^{{}}]*\}}|[A-Za-z0-9]))?(?:\s*\^\s*\{{\s*\([^(){{}}]*\)\s*\}})?)\s*$")
_FRAC = re.compile(r"\\[dt]?frac\s*(?=\{)")
_D_ALONE = re.compile(r"\s*(?:\\(?:mathrm|operatorname|text|textrm|rm)\s*\{\s*d\s*\}|d)\s*")
_PARTIAL_VAR = re.compile(r"^\s*\\partial\s*((?:[A-Za-z]|\\[A-Za-z]+)(?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?)\s*$")
_SLASH_D = re.compile(r"(?<![A-Za-z\\])d([A-Za-z](?:_[A-Za-z0-9])?)\s*/\s*d([A-Za-z](?:_[A-Za-z0-9])?)(?![A-Za-z0-9])")


def _d_fractions(text: str, notes: list[str]) -> str:
    r"""Leibniz's ``\frac{dy}{dx}``, ``\frac{\mathrm{d}L}{\mathrm{d}w_{ij}}``, ``dy/dx`` are derivatives.

    They are rewritten with ``\partial`` (one reading for both: SymPy's ``Derivative``); read as
    letters they would be ``d·y/(d·x)`` = ``y/x``. The denominator must be ``d`` and one variable.

    >>> _d_fractions(r"\frac{dy}{dx} = \frac{\mathrm{d} L}{\mathrm{d} w_{ij}} + dL/dz", [])
    '\\frac{\\partial y}{\\partial x} = \\frac{\\partial L}{\\partial w_{ij}} + \\partial L/\\partial z'
    >>> _d_fractions(r"\frac{d}{dx} x^2 + \frac{\partial}{\partial w} L", [])
    '\\derivop{x}  x^2 + \\derivop{w}  L'
    >>> _d_fractions(r"\frac{d(k-1)}{s}", [])
    '\\frac{d(k-1)}{s}'
    """
    out, pos, changed = [], 0, False
    for m in _FRAC.finditer(text):
        if m.start() < pos:
            continue
        a_end = _balanced(text, m.end())
        if a_end < 0 or a_end >= len(text):
            continue
        b_start = a_end + len(text[a_end:]) - len(text[a_end:].lstrip())
        if b_start >= len(text) or text[b_start] != "{":
            continue
        b_end = _balanced(text, b_start)
        if b_end < 0:
            continue
        num, den = text[m.end() + 1:a_end - 1], text[b_start + 1:b_end - 1]
        mn, md = _D_NUM.match(num), _D_VAR.match(den)
        if md and _D_ALONE.fullmatch(num):  # \frac{d}{dx} f: the operator, applied to what follows
            out.append(text[pos:m.start()])
            out.append(f"\\derivop{{{md.group(1).strip()}}} ")
            pos, changed = b_end, True
            continue
        mp = _PARTIAL_VAR.match(den)
        if mp and re.fullmatch(r"\s*\\partial\s*", num):  # \frac{\partial}{\partial x} f
            out.append(text[pos:m.start()])
            out.append(f"\\derivop{{{mp.group(1).strip()}}} ")
            pos, changed = b_end, True
            continue
        if not mn or not md:
            continue
        out.append(text[pos:m.start()])
        out.append(f"\\frac{{\\partial {mn.group(1).strip()}}}{{\\partial {md.group(1).strip()}}}")
        pos, changed = b_end, True
    out.append(text[pos:])
    text = "".join(out)
    text, n = _SLASH_D.subn(r"\\partial \1/\\partial \2", text)
    if changed or n:
        notes.append("d…/d… read as a derivative")
    return text


_DIFFERENTIAL = re.compile(
    r"(?<![A-Za-z\\^_])(?:\\(?:mathrm|operatorname|text|textrm)\s*\{\s*d\s*\}\s*|d)"
    r"((?<=\})\s*[A-Za-z](?![A-Za-z])|[A-Za-z](?![A-Za-z])"
    r"|\\(?:mathbf|boldsymbol|bm|tilde|hat|vec|bar|mathit|widetilde)\s*\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+(?![A-Za-z]))")


def _differentials(text: str) -> str:
    r"""After ``\int``, ``dx``/``\mathrm{d}x``/``d\tau`` are the integral's differential (``\differential{x}``).

    >>> _differentials(r"\int_0^1 x\,dx + \int f(\tau) \mathrm{d}\tau")
    '\\int_0^1 x\\,\\differential{x} + \\int f(\\tau) \\differential{\\tau}'
    """
    k = text.find("\\int")
    if k < 0 or re.match(r"\\int[A-Za-z]", text[k:]):
        return text

    def sub(m: re.Match) -> str:
        var = m.group(1).strip()
        if re.fullmatch(r"\\[A-Za-z]+", var) and var[1:] not in GREEK_NAMES:
            return m.group()
        return f"\\differential{{{var}}}"

    return text[:k] + _DIFFERENTIAL.sub(sub, text[k:])


_SIGNATURE = re.compile(r"^\s*([^:=<>]{1,80}?)\s*:\s*"
                        r"(?!=)(.+?)\s*\\(?:to|rightarrow|longrightarrow)(?![A-Za-z])\s*(.+)$", re.S)


def _signature(text: str, notes: list[str]) -> str:
    r"""``f: \mathbb{R}^n \to \mathbb{R}^m`` declares what ``f`` maps: ``f \in \mathrm{maps}(A, B)``, not a relation.

    >>> _signature(r"f : \mathbb{R}^n \to \mathbb{R}^m", [])
    'f \\in \\mathrm{maps}(\\mathbb{R}^n, \\mathbb{R}^m)'
    """
    m = _SIGNATURE.match(text)
    if not m:
        return text
    codomain = re.sub(r"\s*:\s*[^:]*\\mapsto(?![A-Za-z]).*$", "", m.group(3), flags=re.S)  # Λ: A → B : X ↦ Λ(X)
    if re.search(r"\\(?:to|rightarrow|mapsto)(?![A-Za-z])|=", codomain):
        return text
    name = m.group(1).strip()
    notes.append(f"'{name}: … → …' read as a signature (what {name} maps), not a relation")
    if "," in name:  # f, g: A → B
        name = f"({name})"
    return f"{name} \\in \\mathrm{{maps}}({m.group(2)}, {codomain})"


_EVAL_BAR = re.compile(r"\\(?:right|[bB]igg?r?|middle)?\s*\|\s*_\s*\{([^{}]*=[^{}]*)\}|\\right\s*\|")


def _evaluation_bar(text: str, conditions: list[str], notes: list[str]) -> str:
    r"""``\left. \frac{\partial f}{\partial x} \right|_{x=0}``: "evaluated at x = 0", split off as a condition.

    >>> c = []
    >>> _evaluation_bar(r"\left.\frac{\partial f}{\partial x}\right|_{x=0} = 1", c, []), c
    ('(\\frac{\\partial f}{\\partial x}) = 1', ['at x=0'])
    """
    if not re.search(r"\\left\s*\.", text) and text.count("|") % 2 == 0:
        return text
    m = None
    for m in _EVAL_BAR.finditer(text):
        if m.group(1) is not None:
            break
    if m is None or m.group(1) is None:
        return text
    left = re.search(r"\\left\s*\.", text[:m.start()])
    if left:
        text = text[:left.start()] + "(" + text[left.end():m.start()] + ")" + text[m.end():]
    else:
        text = text[:m.start()] + text[m.end():]
    conditions.append(f"at {m.group(1).strip()}")
    notes.append(f"|_{{{m.group(1).strip()}}} read as: evaluated at {m.group(1).strip()}")
    return text


_TIED = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}(?:~[A-Za-z]{2,})+(?![A-Za-z])")


def _tied_words(text: str) -> str:
    r"""Words joined by LaTeX ties (``filter~height``, ``number~of~filters``) are one name each.

    >>> _tied_words(r"filter~height~*~filter~width + number~of~filters")
    '\\mathrm{filter_height}~*~\\mathrm{filter_width} + \\mathrm{number_of_filters}'
    >>> _tied_words(r"a~b + \text{kernel~size}")
    'a~b + \\text{kernel~size}'
    """
    if "~" not in text:
        return text
    texts = [(m.start(), m.end()) for m in _TEXT_ARG.finditer(text)]

    def name(m: re.Match) -> str:
        if any(a <= m.start() < b for a, b in texts):
            return m.group()
        return f"\\mathrm{{{m.group().replace('~', '_')}}}"

    return _TIED.sub(name, text)


_TEXT_ARG = re.compile(r"\\(?:text|textrm|textit|mathrm|operatorname|mbox|hbox)\s*\{[^{}]*\}")


@functools.lru_cache(maxsize=1)
def _known_commands() -> frozenset[str]:
    """Every command name our grammar or reader knows (the words of the terminals' patterns), plus Greek."""
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text(encoding="utf-8")
    words = set()
    for line in grammar.splitlines():
        if re.match(r"[A-Z]+(?:\.\d+)?:", line):
            words.update(re.findall(r"[A-Za-z]+", line.partition(":")[2]))
    return frozenset(words | GREEK_NAMES | {"top", "intercal", "pi", "emptyset", "varnothing", "mathrm"})


_SUM_INDEX = re.compile(r"\\(?:sum|prod|max|min)\s*_\s*\{\s*([A-Za-z]+(?:_[A-Za-z0-9]+)?)\s*(?:=|\\in\b|,|\\leq?\b|<)")
_SUM_LIST = re.compile(r"\\(?:sum|prod|max|min)\s*_\s*\{\s*((?:[A-Za-z]+(?:_[A-Za-z0-9]+)?\s*,\s*)+[A-Za-z]+(?:_[A-Za-z0-9]+)?)\s*\}")
_LEFT_CALL = re.compile(r"^[^=<>]*?(?:[A-Za-z]|\})\s*\(([^()]*)\)")


def _declared_names(text: str, notes: list[str]) -> str:
    r"""Letter pairs the formula declares as variables are names: ``kh`` in ``\sum_{kh=0}``, ``oc`` in ``f(n, oc) = …``.

    A run of two letters otherwise reads as a product (``HW`` → ``H·W``); a summation index or a whole
    argument of the left side's application (before the first relation) is one variable, so every
    occurrence of that run in the formula becomes one name.

    >>> _declared_names(r"y(n, oc) = \sum_{kh=0}^{KH-1} x(n, oc + kh)", [])
    'y(n, \\mathrm{oc}) = \\sum_{\\mathrm{kh}=0}^{KH-1} x(n, \\mathrm{oc} + \\mathrm{kh})'
    """
    declared = {m.group(1) for m in _SUM_INDEX.finditer(text)}
    for m in _SUM_LIST.finditer(text):  # \max_{kh, kw}: a list of bound variables
        declared.update(v.strip() for v in m.group(1).split(","))
    call = _LEFT_CALL.match(text)
    if call:
        declared.update(a.strip() for a in call.group(1).split(",") if re.fullmatch(r"\s*[A-Za-z]+(?:_[A-Za-z0-9]+)?\s*", a))
    declared = {d for d in declared if len(d.split("_")[0]) == 2 and d.split("_")[0] not in KNOWN_NAMES}
    for d in sorted(declared, key=len, reverse=True):
        # not inside a command's argument (``\\mathrm{oc}``, ``\\text{kh}``): a "{" after a letter
        text = re.sub(rf"(?<![\\A-Za-z0-9_])(?<![A-Za-z]{{){re.escape(d)}(?![A-Za-z0-9_])", rf"\\mathrm{{{d}}}", text)
        notes.append(f"'{d}' declared as a variable: read as one name")
    return text


def _applied_macros(text: str, notes: list[str]) -> str:
    r"""A document's own macro applied to arguments (oneDNN's ``\src(n, ic, ih, iw)``) is a named function.

    >>> _applied_macros(r"\dst(n) = \bias(oc) + \sigma(x) + \max(a, b)", [])
    '\\mathrm{dst}(n) = \\mathrm{bias}(oc) + \\sigma(x) + \\max(a, b)'
    """
    known = _known_commands()

    def name(m: re.Match) -> str:
        if m.group(1) in known:
            return m.group()
        note = f"macro \\{m.group(1)} read as the function {m.group(1)}"
        if note not in notes:
            notes.append(note)
        return f"\\mathrm{{{m.group(1)}}}"

    return re.sub(r"\\([A-Za-z]{2,})(?=\s*\()", name, text)


# an identifier of program code: letters/digits joined by underscores (``in_shape``, ``pads_begin``, ``a_b_c``)
_IDENT = re.compile(r"(?<![\\A-Za-z0-9_{])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![A-Za-z0-9_{])")


def _misread_ident(ident: str) -> bool:
    """Whether the LaTeX reading of ``ident`` differs from one name: ``a_b_c`` (two subscripts), ``in_shape`` (i·n)."""
    head, *rest = ident.split("_")
    return len(rest) >= 2 or len(head) == 2 and head.isalpha() and head not in KNOWN_NAMES


def code_identifiers(text: str) -> tuple[str, bool]:
    r"""Read identifiers of program code as one name each; say whether the text is code-like.

    Code-like: it holds an *underscore word*, two words of two or more characters joined by
    ``_`` (``kernel_size``, ``out_h``), or a name with two underscores (``a_b_c``). There, an
    identifier whose LaTeX reading would split it (``a_b_c`` as ``a_b`` sub ``c``, ``in_shape``
    as ``i·n_shape``) becomes ``\mathrm{…}``, one name; LaTeX's ``a_b``, ``H_out``, ``x_{i,j}``
    are left alone. An escaped underscore between letters (``kernel\_size``) is an underscore.

    >>> code_identifiers("out = in_shape[i] * strides[i]")
    ('out = \\mathrm{in_shape}[i] * strides[i]', True)
    >>> code_identifiers("a_b_c[i] + x_1")
    ('\\mathrm{a_b_c}[i] + x_1', True)
    >>> code_identifiers("H_out = H_in + 2P - k")
    ('H_out = H_in + 2P - k', False)
    >>> code_identifiers(r"\frac{kernel\_size}{2}")
    ('\\frac{kernel_size}{2}', True)
    """
    text = re.sub(r"(?<=[A-Za-z0-9])\\_(?=[A-Za-z0-9])", "_", text)
    code_like = False
    for m in re.finditer(r"(?<![\\A-Za-z0-9_])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+", text):
        parts = m.group().split("_")
        if len(parts) >= 3 or len(parts[0]) >= 2 and any(len(p) >= 2 for p in parts[1:]):
            code_like = True
            break
    if not code_like:
        return text, False
    return _IDENT.sub(lambda m: f"\\mathrm{{{m.group()}}}" if _misread_ident(m.group()) else m.group(), text), True
