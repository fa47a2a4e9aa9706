r"""Values and identities of named activations written as formulas: ``σ(0) = 0.5``, ``ReLU(−3) = 0``,
``GELU(1) ≈ 0.841``, ``σ(−x) = 1 − σ(x)``.

Each call of a named activation is replaced by its definition (:data:`proofs.judge.activations.DEFINITIONS`)
and both sides are computed: exactly when there is no variable left (to the digits the document writes,
when it writes a rounded decimal or ``≈``), else at sample points of the one variable. A generic name
(``σ``, ``f``) counts only when the prose just before the formula names exactly one activation. A value
that depends on a parameter the document leaves open (leaky ReLU's slope on negative inputs) is not
judged; for GELU any of its conventions (exact, tanh or sigmoid approximation) may be meant.

Definitions ``f(x) = …`` (a call on a bare variable) are left to the formula judge.

Examples
--------
>>> [j.verdict for _, _, j in activation_values([r"For the logistic sigmoid $\sigma(0) = 0.5$ and $\sigma(2) = 0.5$."])]
['CORRECT', 'INCORRECT']
>>> [j.verdict for _, _, j in activation_values([r"$\mathrm{GELU}(1) \approx 0.841$", r"logistic: $\sigma(-x) = \sigma(x)$"])]
['CORRECT', 'INCORRECT']
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef

from .activations import _NAMES, DEFINITIONS, GENERIC, POINTS, _x
from .judgement import Judgement

__all__ = ["activation_values", "plain_definitions"]

_SPAN = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)|:math:`([^`]+)`")
_ALT = (sp.Rational(7, 10), sp.Rational(13, 10))


def _act_of(name: str, prose_acts: set[str]) -> str | None:
    if "'" in name:
        return None  # a derivative: not a value of the function
    low = re.sub(r"[{}\\_ \-]", "", name).lower()
    if low in _NAMES and low != "sigma":
        return _NAMES[low]
    if low in GENERIC and len(prose_acts) == 1:
        return next(iter(prose_acts))
    return None


def _decimals(q) -> int | None:
    """Digits after the point of a terminating decimal (``22/25`` → 2, ``3`` → 0), else None."""
    if isinstance(q, sp.Integer):
        return 0
    if not isinstance(q, sp.Rational):
        return None
    d, twos, fives = int(q.q), 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    return max(twos, fives) if d == 1 else None


def _settings(acts: set[str]):
    """Parameter values to try: the defaults, then other values of every parameter that is a choice."""
    out = [{}]
    for act in acts:
        if act == "selu":
            continue
        for p in DEFINITIONS[act][1]:
            out += [{p: v} for v in _ALT]
    return out


def _substitute(e, calls: dict, convention: dict, setting: dict):
    reps = {}
    for node, act in calls.items():
        defs, defaults = DEFINITIONS[act]
        d = defs[min(convention.get(act, 0), len(defs) - 1)]
        d = d.xreplace({p: setting.get(p, v) for p, v in defaults.items()})
        reps[node] = d.xreplace({_x: node.args[0]})
    return e.xreplace(reps)


def _judge(lhs, rhs, rel: str, calls: dict):
    acts = set(calls.values())
    conventions = [{}] + [{"gelu": i} for i in (1, 2)] if "gelu" in acts else [{}]
    free = (lhs.free_symbols | rhs.free_symbols)
    if len(free) > 1 or (free and rel != "="):
        return None
    var = next(iter(free)) if free else None
    digits = _decimals(rhs) if not rhs.free_symbols else None
    tol = 0.5 * 10.0 ** -digits + 1e-12 if digits is not None and (rel != "=" or digits >= 2) else 1e-9
    outcomes = []
    for setting in _settings(acts):
        for conv in conventions:
            a, b = _substitute(lhs, calls, conv, setting), _substitute(rhs, calls, conv, setting)
            points = [None] if var is None else list(POINTS)
            miss = None
            for p in points:
                va = float(sp.N(a if p is None else a.xreplace({var: p}), 30))
                vb = float(sp.N(b if p is None else b.xreplace({var: p}), 30))
                scale = 1.0 if var is None and tol != 1e-9 else max(1.0, abs(vb))
                if not abs(va - vb) <= tol * scale:
                    miss = (p, va, vb)
                    break
            outcomes.append((setting, conv, miss))
    default = [o for o in outcomes if not o[0]]
    if any(m is None for s, _, m in default):
        return Judgement("CORRECT", "activation", "computed from the definition"
                         f"{'s' if len(acts) > 1 else ''} of {', '.join(sorted(a.replace('_', ' ') for a in acts))}"
                         f"{' at x = ' + ', '.join(f'{float(p):g}' for p in POINTS) if var is not None else ''}")
    if any(m is None for _, _, m in outcomes) or len({m[1:] for _, _, m in outcomes}) > 1:
        return None  # wrong at the default, but it depends on a parameter the document does not give
    p, va, vb = default[0][2]
    where = f"at {var} = {float(p):g} " if p is not None else ""
    return Judgement("INCORRECT", "activation", f"computed from the definition of "
                     f"{', '.join(sorted(a.replace('_', ' ') for a in acts))}: {where}the left side is {va:.6g}, "
                     f"the right side {vb:.6g}", counterexample={**({str(var): float(p)} if p is not None else {}),
                                                                 "left": va, "right": vb})


def _prose_acts(text: str) -> set[str]:
    """Activations a line names, in words or in its formulas (a generic ``f`` needs exactly one)."""
    from .activation_claims import _acts

    return _acts(text)


_PLAIN = re.compile(r"(?<![\w\\$])([A-Za-z][\w]*)\(\s*([a-z])\s*\)\s*=\s*")
_STOP = re.compile(r"[,;`]|\.(?:\s|$)|\s(?:for|if|where|with|when|and)\s")
#: a derivative operator right before the name: ``d/dx relu(x) = …``, ``(d)/(dq)ReLU(q) = …`` states the derivative
_DIFF_BEFORE = re.compile(r"(?:\(?\s*d\s*\)?\s*/\s*\(?\s*d\s*\w+\s*\)?|[∂∇]\s*/\s*∂\s*\w+|\\partial\s*/\s*\\partial\s*\w+)\s*$")


def _formula_end(text: str, start: int) -> int:
    """Where a code-like formula starting at ``start`` ends: a comma, semicolon, full stop or word outside brackets."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and _STOP.match(text, i):
            return i
        i += 1
    return len(text.rstrip().rstrip("."))


def plain_definitions(lines: list[str]) -> list[tuple[int, str, Judgement]]:
    """Definitions written as code-like text outside math (``sigmoid(x) = 1 / (1 + exp(-x))`` in API docs),
    judged by :func:`proofs.judge.activations.judge_activation` when the name is an activation's."""
    from ..document import MathParseError, parse_math
    from .activations import judge_activation

    out = []
    for n, raw in enumerate(lines, start=1):
        text = _SPAN.sub(" ", raw)
        if "(" not in text or "=" not in text:
            continue
        for m in _PLAIN.finditer(text):
            name = m.group(1)
            if _act_of(name, set()) is None or _DIFF_BEFORE.search(text[:m.start()]):
                continue
            body = text[m.end():_formula_end(text, m.end())].strip()
            if not body:
                continue
            try:
                parsed = parse_math(f"{name}({m.group(2)}) = {body}")
            except (MathParseError, ValueError, TypeError, RecursionError):
                continue
            if len(parsed.sides) != 2:
                continue
            lhs, rhs = parsed.sides
            if any(str(c.func.__name__) == "conv" for c in rhs.atoms(AppliedUndef)):
                continue  # '*' read as a convolution: not this formula's meaning
            rhs = rhs.xreplace({c: sp.Abs(c.args[0]) for c in rhs.atoms(AppliedUndef)
                                if str(c.func.__name__) == "abs" and len(c.args) == 1})
            try:
                j = judge_activation(lhs, rhs)
            except (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
                continue
            if j is not None and j.quantity == "activation":
                out.append((n, m.group(0) + body, j))
    return out


def activation_values(lines: list[str]) -> list[tuple[int, str, Judgement]]:
    """``(line, source, judgement)`` for each one-line formula that states a value or identity of named activations."""
    from ..document import MathParseError, parse_math

    out = []
    for n, raw in enumerate(lines, start=1):
        if "$" not in raw and "\\(" not in raw and ":math:" not in raw:
            continue
        acts_here = _prose_acts(raw)  # its line's words and formulas, else the line above
        if not acts_here and n > 1 and lines[n - 2].strip():
            acts_here = _prose_acts(lines[n - 2])
        if not acts_here:
            continue  # no activation named here: no call in the line can be one
        for m in _SPAN.finditer(raw):
            tex = next(g for g in m.groups() if g is not None)
            try:
                parsed = parse_math(tex)
            except (MathParseError, ValueError, TypeError, RecursionError):
                continue
            if len(parsed.sides) != 2 or parsed.relations[0] not in ("=", "≈"):
                continue
            lhs, rhs = parsed.sides
            if not all(isinstance(s, sp.Expr) for s in (lhs, rhs)):
                continue
            if isinstance(lhs, (AppliedUndef, sp.Function)) and len(lhs.args) == 1 and lhs.args[0].is_Symbol:
                continue  # a definition f(x) = …: the formula judge's
            calls = {}
            for node in sp.preorder_traversal(sp.Tuple(lhs, rhs)):
                if isinstance(node, AppliedUndef) and len(node.args) == 1:
                    act = _act_of(str(node.func.__name__), acts_here)
                    if act is None:
                        calls = None
                        break
                    calls[node] = act
            if not calls or any(isinstance(a, sp.Indexed) for a in sp.preorder_traversal(sp.Tuple(lhs, rhs))):
                continue
            try:
                j = _judge(lhs, rhs, parsed.relations[0], calls)
            except (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
                continue
            if j is not None:
                out.append((n, m.group(0), j))
    return out
