"""Small symbolic sizes written in prose — ``2n+1``, ``1 + L(k-1)``, ``(k-1)/2`` — read without ``eval``.

Claims state sizes as short expressions in one-letter symbols. This module
tokenises such an expression (integers, one-letter symbols, ``+ - · * × / ^``,
parentheses, implicit products such as ``2n`` and ``l(k-1)``) and builds a
function of the symbols with a recursive-descent parser: nothing is passed to
``eval`` or SymPy, the length is bounded (:data:`MAX_EXPRESSION_CHARS`), and
the values are exact :class:`~fractions.Fraction` s.

Examples
--------
>>> e = parse_expression("1 + l(k-1)")
>>> sorted(e.symbols), e({"l": 3, "k": 3})
(['k', 'l'], Fraction(7, 1))
>>> parse_expression("(2n+1)").evaluate(n=2)
Fraction(5, 1)
>>> parse_expression("2 + + n")
Traceback (most recent call last):
...
ValueError: cannot read the expression '2 + + n' at '+'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

__all__ = ["Expression", "parse_expression", "leading_expression", "MAX_EXPRESSION_CHARS"]

#: expressions longer than this are not read (bounded work per sentence)
MAX_EXPRESSION_CHARS = 40
# one-letter symbols; "a" is read as the article of prose, never as a symbol
_TOKEN = re.compile(r"\s*(\d{1,4}|[b-z](?![a-z])|[-+·*×/^()])")
_EXPRESSION_START = re.compile(r"(?:\d{1,4}|[b-z](?![a-z])|\()")


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its text, its symbols and a function of their values."""

    text: str
    symbols: frozenset
    _fn: Callable[[dict], Fraction]

    def __call__(self, values: dict) -> Fraction:
        missing = sorted(self.symbols - set(values))
        if missing:
            raise ValueError(f"no value for the symbol(s) {', '.join(missing)} of {self.text!r}")
        return self._fn(values)

    def evaluate(self, **values) -> Fraction:
        """The value for the given symbol values (keyword form of calling)."""
        return self(values)


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            if text[pos:].strip() == "":
                break
            raise ValueError(f"cannot read the expression {text!r} at {text[pos:pos + 5].strip()!r}")
        out.append(m.group(1))
        pos = m.end()
    return out


def parse_expression(text: str) -> Expression:
    """Parse ``text`` into an :class:`Expression`.

    Raises
    ------
    ValueError
        if the text is longer than :data:`MAX_EXPRESSION_CHARS`, empty, or not
        an expression of this small grammar.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_expression: text must be a str, got {type(text).__name__}")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ValueError(f"expression of {len(text)} characters exceeds the bound {MAX_EXPRESSION_CHARS}")
    tokens = _tokens(text)
    if not tokens:
        raise ValueError("empty expression")
    pos = 0
    symbols: set[str] = set()

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def fail():
        raise ValueError(f"cannot read the expression {text!r} at {peek() or 'its end'!r}")

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def atom():
        t = peek()
        if t is None:
            fail()
        if t.isdigit():
            take()
            v = Fraction(int(t))
            return lambda env: v
        if re.fullmatch(r"[a-z]", t):
            take()
            symbols.add(t)
            return lambda env: Fraction(env[t])
        if t == "(":
            take()
            inner = expr()
            if peek() != ")":
                fail()
            take()
            return inner
        if t == "-":
            take()
            operand = power()
            return lambda env: -operand(env)
        fail()

    def power():
        base = atom()
        if peek() == "^":
            take()
            t = peek()
            if t is None or not t.isdigit() or int(t) > 4:
                fail()
            take()
            e = int(t)
            return lambda env: base(env) ** e
        return base

    def term():
        left = power()
        while True:
            t = peek()
            if t in ("·", "*", "×", "/"):
                take()
                right = power()
                if t == "/":
                    left = (lambda a, b: lambda env: a(env) / b(env))(left, right)
                else:
                    left = (lambda a, b: lambda env: a(env) * b(env))(left, right)
            elif t is not None and (t == "(" or t.isdigit() or re.fullmatch(r"[a-z]", t)):
                right = power()  # implicit product: 2n, l(k-1)
                left = (lambda a, b: lambda env: a(env) * b(env))(left, right)
            else:
                return left

    def expr():
        left = term()
        while peek() in ("+", "-"):
            op = take()
            right = term()
            left = ((lambda a, b: lambda env: a(env) + b(env)) if op == "+"
                    else (lambda a, b: lambda env: a(env) - b(env)))(left, right)
        return left

    fn = expr()
    if pos != len(tokens):
        fail()
    return Expression(text.strip(), frozenset(symbols), fn)


def leading_expression(text: str, *, symbolic: bool = True) -> str | None:
    """The longest prefix of ``text`` (after spaces) that reads as an expression with a symbol.

    Stops before the first word of prose; a square size ``(2n+1)×(2n+1)`` gives
    its side. None when the prefix has no symbol (a plain number is not symbolic),
    unless ``symbolic=False``.

    Examples
    --------
    >>> leading_expression(" (2n+1)×(2n+1) for n layers")
    '(2n+1)'
    >>> leading_expression(" 1 + l(k-1) when stacking"), leading_expression(" 7×7 region")
    ('1 + l(k-1)', None)
    >>> leading_expression(" 1 preserves the size", symbolic=False)
    '1'
    """
    text = text[: MAX_EXPRESSION_CHARS * 2 + 5]
    m = re.match(r"\s*", text)
    start = m.end()
    if not _EXPRESSION_START.match(text, start):
        return None
    best = None
    pos = start
    while True:
        t = _TOKEN.match(text, pos)
        if not t:
            break
        pos = t.end()
        piece = text[start:pos].strip()
        if len(piece) > MAX_EXPRESSION_CHARS:
            break
        try:
            e = parse_expression(piece)
        except ValueError:
            continue
        if e.symbols or not symbolic:
            best = piece
    if best is None:
        return None
    square = re.fullmatch(r"\((.+)\)\s*×\s*\(\1\)|(.+?)\s*×\s*\2", best)
    if square:
        return "(" + (square.group(1) or square.group(2)) + ")" if square.group(1) else square.group(2)
    return best
