r"""Program notation to our LaTeX: a formula written as code, read the way a programmer wrote it.

A formula in back-quotes or on a line of a code block is written in program notation, where the
reading rules differ from LaTeX:

* an identifier is one name, whatever its length: ``kernel_h``, ``Width``, ``ks``,
  ``pad_shape[i]`` (LaTeX would read ``ks`` as ``k·s`` and ``in_c`` as ``i·n_c``);
* ``*`` is a product (never a convolution), ``**`` a power, ``//`` a floor division and ``%`` a
  remainder; ``x`` or ``×`` between two operands is the times sign of a shape (``local_size x 1 x 1``);
* a math function may carry its module (``numpy.sqrt``, ``np.floor``, ``math.ceil``);
* ``/`` between named operands has two readings: exact (Python 3, NumPy) or rounded down
  (C-family integer arithmetic, Python 2 on integers). :func:`code_readings` returns both
  (exact first); a single one when the operands are numbers only, or when the ``division`` of
  the document (:func:`division_convention`) says which one is meant.

Nothing is evaluated: the text is tokenised and rebuilt as LaTeX, which our grammar then reads.
Anything that is not an arithmetic expression (a call of a non-math function, attribute access,
strings, slices) makes :func:`code_readings` return ``None``.

>>> code_readings("h_o = (h_i + 2 * pad_h - kernel_h) / stride_h + 1")[0]
'h_o = (h_i + 2 \\cdot \\mathrm{pad_h} - \\mathrm{kernel_h}) / \\mathrm{stride_h} + 1'
>>> code_readings("h_o = (h_i + 2 * pad_h - kernel_h) / stride_h + 1")[1]
'h_o = \\lfloor (h_i + 2 \\cdot \\mathrm{pad_h} - \\mathrm{kernel_h}) / \\mathrm{stride_h} \\rfloor + 1'
>>> code_readings("(n_1 + n_2 + ... + n_K) * c_1 * h * w")
('(n_1 + n_2 + \\ldots + n_K) \\cdot c_1 \\cdot h \\cdot w',)
>>> code_readings("w_bound = numpy.sqrt(3 * 9 * 9)"), code_readings("local_size x 1 x 1")
(('w_bound = \\sqrt{3 \\cdot 9 \\cdot 9}',), ('\\mathrm{local_size} \\times 1 \\times 1',))
>>> code_readings("o = ceil((i - k) / s) + 1")
('o = \\lceil (i - k) / s \\rceil + 1',)
>>> code_readings("o = (i - k) // s + 1"), code_readings("y = model.fit(x)")
(('o = \\lfloor (i - k) / s \\rfloor + 1',), None)
"""

from __future__ import annotations

import re

__all__ = ["code_readings", "code_tex", "division_convention", "MATH_CALLS", "ROUNDED_DOWN"]

#: Functions a formula in code may call (with or without a module: ``np.floor``, ``math.sqrt``).
MATH_CALLS = {"floor", "ceil", "sqrt", "max", "min", "log", "log2", "log10", "exp", "abs", "sum", "prod",
              "tanh", "sigmoid", "relu", "softmax", "mean", "var", "round", "int"}
_MODULES = {"numpy", "np", "math", "torch", "tf", "jnp", "F"}
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "sigma", "tau", "phi",
          "rho", "omega", "kappa", "nu", "xi", "pi", "psi", "chi", "zeta"}

_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<number>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
    r"|(?P<op>\.\.\.|…|\*\*|//|<=|>=|!=|==|[-+*/%=<>^(),\[\]×·−≤≥≈])"
    r"|(?P<other>.)"
)
_REL = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "≤": r"\le", "≥": r"\ge", "≈": r"\approx"}


class _NotArithmetic(Exception):
    pass


class _Reader:
    """Recursive descent over code tokens; ``floor_div`` says how ``/`` between names is read."""

    def __init__(self, toks: list[tuple[str, str]], floor_div: bool) -> None:
        self.toks, self.k, self.floor_div = toks, 0, floor_div
        self.named_division = False  # a "/" with a name in an operand was read (outside floor/ceil)
        self.rounding = 0  # depth of floor(…)/ceil(…) calls: a "/" there is exact whatever the language

    def peek(self, ahead: int = 0) -> tuple[str, str] | None:
        j = self.k + ahead
        return self.toks[j] if j < len(self.toks) else None

    def take(self, text: str | None = None) -> tuple[str, str]:
        t = self.peek()
        if t is None or text is not None and t[1] != text:
            raise _NotArithmetic(f"expected {text!r}")
        self.k += 1
        return t

    def chain(self) -> str:
        parts = [self.additive()[0]]
        while (t := self.peek()) is not None and t[1] in _REL:
            self.take()
            parts += [_REL[t[1]], self.additive()[0]]
        if self.peek() is not None:
            raise _NotArithmetic(f"unexpected {self.peek()[1]!r}")
        return " ".join(parts)

    def additive(self) -> tuple[str, bool]:
        text, named = self.term()
        while (t := self.peek()) is not None and t[1] in ("+", "-", "−"):
            self.take()
            right, r_named = self.term()
            text, named = f"{text} {'-' if t[1] != '+' else '+'} {right}", named or r_named
        return text, named

    def term(self) -> tuple[str, bool]:
        text, named = self.unary()
        while (t := self.peek()) is not None and (t[1] in ("*", "/", "//", "%", "×", "·") or t == ("ident", "x")):
            self.take()
            right, r_named = self.unary()
            if t[1] in ("*", "·"):
                text = f"{text} \\cdot {right}"
            elif t[1] in ("×", "x"):
                text = f"{text} \\times {right}"
            elif t[1] == "%":
                text = f"{text} \\bmod {right}"
            elif t[1] == "//" or (t[1] == "/" and self.floor_div and not self.rounding and (named or r_named)):
                text = f"\\lfloor {text} / {right} \\rfloor"
            else:
                text = f"{text} / {right}"
                self.named_division |= (named or r_named) and not self.rounding
            named = named or r_named
        return text, named

    def unary(self) -> tuple[str, bool]:
        t = self.peek()
        if t is not None and t[1] in ("-", "−", "+"):
            self.take()
            text, named = self.unary()
            return ("-" if t[1] != "+" else "") + text, named
        return self.power()

    def power(self) -> tuple[str, bool]:
        base, named = self.postfix()
        t = self.peek()
        if t is not None and t[1] in ("**", "^"):
            self.take()
            exp, e_named = self.unary()
            return f"{base}^{{{exp}}}", named or e_named
        return base, named

    def postfix(self) -> tuple[str, bool]:
        text, named = self.atom()
        while (t := self.peek()) is not None and t[1] == "[":
            self.take()
            items = [self.additive()[0]]
            while (c := self.peek()) is not None and c[1] == ",":
                self.take()
                items.append(self.additive()[0])
            self.take("]")
            text = f"{text}[{', '.join(items)}]"
        return text, named

    def atom(self) -> tuple[str, bool]:
        t = self.peek()
        if t is None:
            raise _NotArithmetic("missing operand")
        kind, text = t
        if kind == "number":
            self.take()
            mant, _, exp = text.lower().partition("e")
            return (f"{mant} \\cdot 10^{{{int(exp)}}}" if exp else text), False
        if text in ("...", "…"):
            self.take()
            return "\\ldots", False
        if text == "(":
            self.take()
            inner, named = self.additive()
            self.take(")")
            return f"({inner})", named
        if kind == "ident":
            self.take()
            nxt = self.peek()
            if nxt is not None and nxt[1] == "(":
                return self.call(text)
            if "." in text:
                raise _NotArithmetic(f"attribute {text!r}")
            return _name(text), True
        raise _NotArithmetic(f"unexpected {text!r}")

    def call(self, name: str) -> tuple[str, bool]:
        module, _, func = name.rpartition(".")
        if module and module not in _MODULES or func not in MATH_CALLS:
            raise _NotArithmetic(f"call of {name!r}")
        self.take("(")
        rounding = func in ("floor", "ceil", "int", "round")
        self.rounding += rounding
        args = [self.additive()]
        while (c := self.peek()) is not None and c[1] == ",":
            self.take()
            args.append(self.additive())
        self.take(")")
        self.rounding -= rounding
        named = any(n for _, n in args)
        inner = ", ".join(a for a, _ in args)
        if func in ("floor", "int") and len(args) == 1:
            return f"\\lfloor {inner} \\rfloor", named
        if func == "ceil" and len(args) == 1:
            return f"\\lceil {inner} \\rceil", named
        if func == "sqrt" and len(args) == 1:
            return f"\\sqrt{{{inner}}}", named
        if func in ("max", "min", "log", "exp"):
            return f"\\{func}({inner})", named
        return f"\\mathrm{{{func}}}({inner})", named


def _name(ident: str) -> str:
    r"""One identifier as one name: ``\mathrm{…}`` when LaTeX would split it (``ks``, ``in_c``, ``a_b_c``).

    >>> _name("h_o"), _name("ks"), _name("W"), _name("pad_shape"), _name("n_1")
    ('h_o', '\\mathrm{ks}', 'W', '\\mathrm{pad_shape}', 'n_1')
    """
    head, *rest = ident.split("_")
    if len(head) <= 1 and len(rest) <= 1 and all(rest) and not ident.endswith("_"):
        return ident
    return f"\\mathrm{{{ident}}}"


def _tokens(code: str) -> list[tuple[str, str]] | None:
    code = code.replace("\\_", "_")  # LaTeX's escaped underscore (\texttt{kernel\_size})
    out = []
    for m in _TOKEN.finditer(code):
        kind = m.lastgroup
        if kind == "space":
            continue
        if kind == "other" or m.group() in ("==", "!="):
            return None
        out.append((kind, m.group()))
    return out


def code_tex(code: str, *, floor_div: bool = False) -> str | None:
    r"""``code`` (one arithmetic expression or relation chain in program notation) as LaTeX, or None.

    ``floor_div`` reads ``/`` between named operands as a division rounded down.

    >>> code_tex("out = (h - k) / s + 1", floor_div=True)
    '\\mathrm{out} = \\lfloor (h - k) / s \\rfloor + 1'
    >>> code_tex("26 / 2 = 13", floor_div=True), code_tex("print(x)")
    ('26 / 2 = 13', None)
    """
    if not isinstance(code, str):
        raise TypeError(f"code must be a str, got {type(code).__name__}")
    toks = _tokens(code)
    if not toks:
        return None
    try:
        return _Reader(toks, floor_div).chain()
    except (_NotArithmetic, RecursionError):
        return None


def code_readings(code: str, division: str | None = None) -> tuple[str, ...] | None:
    """The LaTeX readings of a formula in program notation: one, or two (exact, rounded down) for ``/``.

    Parameters
    ----------
    code : str
        The formula as written (no back-quotes).
    division : {"floor", "exact"} or None
        What the document says ``/`` means (:func:`division_convention`); None: not said.

    Returns
    -------
    tuple of str or None
        None when ``code`` is not an arithmetic expression in program notation.
    """
    if division not in (None, "floor", "exact"):
        raise ValueError(f"division must be 'floor', 'exact' or None, got {division!r}")
    toks = _tokens(code)
    if not toks:
        return None
    reader = _Reader(toks, division == "floor")
    try:
        exact = reader.chain()
    except (_NotArithmetic, RecursionError):
        return None
    if not reader.named_division or division == "exact":
        return (exact,)
    return exact, _Reader(toks, True).chain()


ROUNDED_DOWN = re.compile(
    r"\b(?:round(?:ed|s)?|rounding)\s+(?:it\s+)?down\b|\binteger\s+division\b|\bfloor(?:ed)?\s+division\b"
    r"|\b(?:get\s+rid\s+of|drop(?:ping)?|discard(?:ing)?|truncat(?:e|ed|ing))\s+the\s+(?:decimal|fraction(?:al)?)\s+part\b"
    r"|(?:\bdivision|\bdivide|[\"'`(]\s*/\s*[\"'`)])[^.\n]{0,40}?\b(?:is|means|denotes|stands\s+for|floors|rounds|truncates)"
    r"\s+(?:an?\s+|the\s+)?(?:integer|floor(?:ed)?|truncat\w*|down|towards?\s+(?:zero|minus\s+infinity))\b"
    r"|\bfloor(?:ed)?\s+(?:of\s+the\s+)?(?:quotient|result)\b|\b(?:quotient|result)\s+is\s+floored\b",
    re.I)
_ROUNDED_UP = re.compile(r"\b(?:round(?:ed|s)?|rounding)\s+(?:it\s+)?up\b", re.I)


def division_convention(text: str) -> str | None:
    """``"floor"`` when the document says results of its formulas are rounded down (integer division), else None.

    A document that says both "rounded down" and "rounded up" states no single rule (None).

    >>> division_convention("If the formula yields decimals, the number will be rounded down.")
    'floor'
    >>> division_convention("Here the division '/' is an integer division."), division_convention("Here the quotient is floored.")
    ('floor', 'floor')
    >>> division_convention("Sizes are rounded up here, and rounded down there."), division_convention("x")
    (None, None)
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if ROUNDED_DOWN.search(text) and not _ROUNDED_UP.search(text):
        return "floor"
    return None
