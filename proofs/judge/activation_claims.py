r"""Claims about activations in words and in tables, judged by computing the named function's facts.

Front-ends of :mod:`proofs.judge.activation_facts` and :func:`proofs.judge.activations.judge_activation`:

* a sentence that names exactly one activation and states one property of it (or of its derivative,
  when it speaks of the derivative/gradient): its range (``(0, 1)``, ``[0, ∞)``, "between −1 and 1"),
  bounded/unbounded, monotone or not, zero-centred or not, differentiable at 0 or not, its value or its
  derivative's value at 0, the maximum of its derivative; or that gives its definition or derivative
  as a formula ("the derivative of tanh is $1 - \tanh^2(x)$");
* a table row whose first cell names an activation: the cells under a formula/function header, a
  derivative header and a range header are each judged (``f(x)`` in a cell is the row's function).

A property whose truth depends on a parameter the sentence does not give (ELU's α) is not judged.
Ranges whose endpoints are right but whose brackets differ are not judged either (a convention of
notation, not a computation). Each result is ``(line, source, Judgement)``.

Examples
--------
>>> out = activation_claims(["Tanh squashes its input to the range (0, 1)."])
>>> [(n, j.verdict) for n, _, j in out]
[(1, 'INCORRECT')]
>>> out = activation_claims(["The derivative of the sigmoid never exceeds 0.25."])
>>> [(n, j.verdict) for n, _, j in out]
[(1, 'CORRECT')]
>>> rows = ["| Name | Formula | Derivative | Range |", "|---|---|---|---|",
...         "| Tanh | $\\tanh(x)$ | $1 - f(x)^2$ | $(-1, 1)$ |"]
>>> [j.verdict for _, _, j in activation_claims(rows)]
['CORRECT', 'CORRECT', 'CORRECT']
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef

from .activation_facts import facts
from .activations import _PROSE, DEFINITIONS, GENERIC, _x, judge_activation
from .judgement import Judgement

__all__ = ["activation_claims"]

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)|:math:`([^`]+)`")
_INF = r"(?:[-−+]\s*)?(?:\\infty|∞|\\inf\b|inf(?:inity)?\b)"
_NUM = r"[-−]?\s*(?:\d+(?:\.\d+)?|\.\d+|\\frac\{\d+\}\{\d+\}|\d+/\d+)"
_SYM = r"[-−]?\s*(?:\\lambda\s*|λ)?(?:\\alpha|α)"
_END = rf"(?:{_INF}|{_NUM}|{_SYM})"
_INTERVAL = re.compile(rf"(?<![\w)])(\\left\s*)?([\(\[\]])\s*({_END})\s*,\s*({_END})\s*(\\right\s*)?([\)\]\[])")
_WORD_NUM = {"zero": "0", "one": "1", "infinity": "\\infty", "minus one": "-1", "negative one": "-1"}
_BETWEEN = re.compile(rf"\b(?:between|from)\s+({_END}|minus one|negative one|zero|one)\s+(?:and|to)\s+"
                      rf"({_END}|zero|one|infinity)(?![\w.]*\d)")
_DERIV = re.compile(r"\bderivatives?\b|(?<!vanishing )\bgradients?\b(?! descent| flow| vanish| explod| based| of the loss)|"
                    r"\bslopes?\b")
_INPUT = re.compile(r"\bfor (?:all )?(?:\$?x|inputs?)\b|\\in\b|∈|\binputs? (?:in|between|from)\b|\bx (?:in|between)\b")
_RANGE_WORD = re.compile(r"\brange|\binterval|squash|\bmaps?\b|\boutputs?\b|\bvalues?\b|\blies?\b|\bbounded\b|"
                         r"\bbetween\b|\breturns?\b|\bproduces?\b|\bcodomain")
_AT0 = re.compile(r"\bat\s+(?:\$?\s*[xz]\s*=\s*)?\$?(?:0|zero)\b\$?|\bat the origin\b|\(0\)|"
                  r"\b(?:when|where|if|as)\s+(?:the\s+)?(?:input|argument|\$?[xz]\$?)\s+(?:is|equals|=|nears|approaches|"
                  r"is close to|goes to|tends to)\s+(?:precisely |exactly )?(?:equal to )?\$?(?:0|zero)\b\$?")
_NUMBER = re.compile(r"(?<![\w.^_{])[-−]?(?:\d+\.\d+|\.\d+|\d+(?:/\d+)?)(?![\w.]*[\d(])")
_PARAM_NAMES = {"alpha", "beta", "lambda"}


#: the whole name of a compound activation, removed before the names inside it are looked for
_WHOLE = {"leaky_relu": r"leaky[- _]?(?:relu|rectified linear(?: units?)?|rectifier)?", "relu6": r"relu[- ]?6"}
#: activations whose parameters are constants of the definition (SELU's λ and α), not a choice of the author
_FIXED = {"selu"}


def _acts(text: str) -> set[str]:
    """The activations a text names (a compound name such as "leaky ReLU" counts once)."""
    low = text.lower()
    found = set()
    for pattern, act in _PROSE:
        if re.search(pattern, low):
            found.add(act)
            low = re.sub(_WHOLE.get(act, pattern), " ", low)
    return found


def _canon(act: str) -> str:
    return act.replace("_", "")


# --------------------------------------------------------------------------- intervals

def _endpoint(text: str, params: dict) -> float | None:
    t = text.replace("−", "-").replace(" ", "")
    if re.fullmatch(_INF.replace(r"(?:[-−+]\s*)?", "[-+]?"), t):
        return -math.inf if t.startswith("-") else math.inf
    t = _WORD_NUM.get(t, t)
    if t in ("\\infty", "-\\infty"):
        return -math.inf if t.startswith("-") else math.inf
    m = re.fullmatch(r"(-?)\\frac\{(\d+)\}\{(\d+)\}", t)
    if m:
        return float((-1 if m.group(1) else 1) * Fraction(int(m.group(2)), int(m.group(3))))
    m = re.fullmatch(r"(-?)(\\lambda|λ)?(\\alpha|α)", t)
    if m:
        if "alpha" not in params or (m.group(2) and "lambda" not in params):
            return None
        v = params["alpha"] * (params["lambda"] if m.group(2) else 1)
        return -v if m.group(1) else v
    try:
        return float(Fraction(t))
    except (ValueError, ZeroDivisionError):
        return None


def _decimals(text: str) -> int | None:
    m = re.search(r"\.(\d+)", text)
    return len(m.group(1)) if m else None


def _close(doc: float, true: float, written: str, approx: bool) -> bool:
    if math.isinf(doc) or math.isinf(true):
        return doc == true
    k = _decimals(written)
    tol = 0.5 * 10 ** -k + 1e-12 if (k is not None and approx) or (k is not None and k >= 2) else 1e-9
    return abs(doc - true) <= tol * (1 if k is not None else max(1.0, abs(true)))


def _fmt(v: float) -> str:
    return "∞" if v == math.inf else "−∞" if v == -math.inf else f"{v:.6g}"


def _true_range(f) -> str:
    return f"{'[' if f.inf_attained else '('}{_fmt(f.inf)}, {_fmt(f.sup)}{']' if f.sup_attained else ')'}"


def _param_values(text: str, act: str) -> tuple[dict, bool]:
    """Parameter values the sentence gives (``α = 0.1``), and whether the claim names the parameter symbolically."""
    given = {}
    for name, pat in (("alpha", r"(?:\\alpha|α|alpha|negative[_ ]slope|slope)"), ("lambda", r"(?:\\lambda|λ|lambda)")):
        m = re.search(pat + r"\s*\$?\s*(?:=|of|is)\s*\$?\s*(\d+(?:\.\d+)?)", text)
        if m:
            given[name] = float(m.group(1))
    return given, bool(re.search(r"\\alpha|α|\\lambda|λ", text))


def _facts_for(act: str, order: int, given: dict):
    names = {p.name for p in DEFINITIONS[act][1]}
    return facts(act, order, 0, tuple(sorted((k, v) for k, v in given.items() if k in names)))


def _sensitive(act: str, order: int, given: dict, prop) -> bool:
    """Does ``prop(facts)`` change with a parameter the text does not fix?"""
    free = [p.name for p in DEFINITIONS[act][1] if p.name not in given and act not in _FIXED]
    base = prop(_facts_for(act, order, given))
    for name in free:
        for alt in (0.7, 1.3):
            if prop(_facts_for(act, order, {**given, name: alt})) != base:
                return True
    return False


def _judge_range(act, order, lo_t, hi_t, brackets, given, symbolic, approx, what) -> Judgement | None:
    names = {p.name for p in DEFINITIONS[act][1]}
    if symbolic:  # endpoints written with α/λ: judge at parameter values other than the defaults
        given = {**{n: v for n, v in (("alpha", 0.7), ("lambda", 1.3)) if n in names}, **given}
    elif _sensitive(act, order, given, lambda f: (round(f.inf, 9), round(f.sup, 9))):
        return None
    f = _facts_for(act, order, given)
    if math.isnan(f.inf) or math.isnan(f.sup):
        return None  # extremes not known (a derivative with jumps)
    lo, hi = _endpoint(lo_t, given), _endpoint(hi_t, given)
    if lo is None or hi is None or lo >= hi:
        return None
    truth = _true_range(f)
    if not (_close(lo, f.inf, lo_t, approx) and _close(hi, f.sup, hi_t, approx)):
        outside = _witness(act, order, given, lo, hi)
        cex = {"claimed": f"{brackets[0] or '('}{lo_t}, {hi_t}{brackets[1] or ')'}", "range": truth}
        if outside:
            cex.update(outside)
        why = (f"at x = {outside['x']:g} the value is {outside['value']:.6g}, outside the stated range" if outside else
               "the stated range is wider than the values the function takes")
        return Judgement("INCORRECT", "activation", f"range of {what}: {why}; computed range {truth}",
                         counterexample=cex, expected=truth)
    open_ok = [brackets[0] in ("", "[" if f.inf_attained else "(") or math.isinf(lo),
               brackets[1] in ("", "]" if f.sup_attained else ")") or math.isinf(hi)]
    if not all(open_ok):
        return None
    return Judgement("CORRECT", "activation", f"range of {what}: computed {truth} (limits at ±∞ with SymPy, "
                     "extremes on a grid refined by Newton's method)", expected=truth)


def _witness(act, order, given, lo, hi) -> dict | None:
    """A point where the function leaves the stated interval."""
    import mpmath

    defs, defaults = DEFINITIONS[act]
    vals = {p: sp.nsimplify(given.get(p.name, d)) for p, d in defaults.items()}
    x = sp.Symbol("x", real=True)
    e = defs[0].xreplace(vals).xreplace({next(iter(defs[0].free_symbols - set(defaults))): x})
    e = sp.diff(e, x) if order else e
    fm = sp.lambdify(x, e, modules="mpmath")
    for p in sorted((i / 4 for i in range(-40, 41)), key=abs):
        v = float(fm(mpmath.mpf(p)))
        if v < lo - 1e-9 or v > hi + 1e-9 or (v <= lo and not math.isinf(lo) and False):
            return {"x": p, "value": v}
    return None


# --------------------------------------------------------------------------- sentences

#: a property is asserted of the subject: "X is (not) …", "its outputs are …" (not "a width-bounded network")
_COPULA = r"\b(?:is|are|remains?|stays?|being)\s+(?:(?:not|also|both|always|never|everywhere|nowhere)\s+)*(?:non-?)?"


def _negated(text: str, m: re.Match) -> bool:
    said = m.group(0)
    if re.search(r"\b(?:not|never|nowhere)\b|\bnon-?(?=\w)", said):
        return True
    before = text[max(0, m.start() - 14): m.start()]
    return bool(re.search(r"\bnot\s+$|n't\s+$|\bnon-?\s*$|\bun$|\bneither\s+$|\bnor\s+$|\bnot\s+\w+ly\s+$", before))


def _sentences(lines: list[str]):
    """``(line, text)`` of each sentence outside code blocks and tables."""
    buf, start, fence = [], None, False
    out = []

    def flush():
        if buf:
            text = " ".join(t for _, t in buf)
            offsets, pos = [], 0
            for n, t in buf:
                offsets.append((pos, n))
                pos += len(t) + 1
            for m in re.finditer(r"(?:[^.!?]|[.!?](?![*_)\]]*(?:\s|$)))+(?:[.!?][*_)\]]*(?=\s|$)|$)", text):
                s = m.group(0).strip()
                if len(s) > 3:
                    line = max(n for p, n in offsets if p <= m.start() + (len(m.group(0)) - len(m.group(0).lstrip())))
                    out.append((line, s))
        buf.clear()

    for n, raw in enumerate(lines, start=1):
        s = raw.strip()
        if s.startswith(("```", "~~~")):
            fence = not fence
            flush()
            continue
        if fence or not s or s.startswith("|") or "&" in s or s.startswith(("#", "\\begin", "\\end", "$$")):
            flush()
            continue
        if re.match(r"\\item\b|[-*+]\s|\d+[.)]\s", s):  # a list item starts a sentence
            flush()
        buf.append((n, s))
    flush()
    return out


def _value_claim(text: str, exclude: list[tuple[int, int]]):
    """The one number the sentence asserts (after a verb such as "is", outside formulas), or None."""
    formulas = [(m.start(), m.end()) for m in _MATH.finditer(text)
                if not re.fullmatch(r"\s*[-−]?[\d.]+\s*", next(g for g in m.groups() if g is not None))]
    nums = [m for m in _NUMBER.finditer(text) if not any(a <= m.start() < b for a, b in exclude + formulas)
            and not re.search(r"(?:[<>≤≥]=?|\\(?:le|ge|leq|geq|lt|gt))\s*\$?\s*$", text[:m.start()])]
    if len(nums) != 1 or re.match(r"\s*[*·×]?\s*\$?(?:\\[a-z]+|[b-hj-z]\b|[αβλ])", text[nums[0].end():]):
        return None  # a coefficient ("0.2 x", "0.5 α"), not a value
    lead = text[max(0, nums[0].start() - 30): nums[0].start()]
    verb = (r"(?:\bis|\bequals?|\bof|=|\bto|\bgives|\boutputs|\breturns|\bvalue|\bexactly|\babout|approximately|≈|\bbe|"
            r"\bexceeds?|\bthan|\bat most|\bat least|\bapproach(?:es)?|\btends|\bconverges|\bsaturates|\bbecomes?|\bat)")
    return nums[0] if re.search(verb + r"[\s$]*(?:\w+\s+){0,2}[\s$]*$", lead) else None


#: words that make a named activation the thing compared with, not the subject ("unlike the sigmoid, its output …")
_COMPARISON = re.compile(r"\b(?:unlike|like|than|compared|similar(?:ly)?|versus|vs\.?|instead|rather|whereas|"
                         r"contrast|opposed|as with|just as|same as)\b")


def _sentence(line: int, text: str) -> list[tuple[int, str, Judgement]]:
    acts = _acts(_MATH.sub(lambda m: " ", text)) or _acts(text)
    if len(acts) != 1 or _COMPARISON.search(_MATH.sub(" ", text).lower()):
        return []
    act = acts.pop()
    low = text.lower()
    order = 1 if _DERIV.search(low) else 0
    what = f"{'the derivative of ' if order else ''}{act.replace('_', ' ')}"
    given, symbolic = _param_values(text, act)
    approx = bool(re.search(r"approx|about|roughly|around|≈|\\approx|~", low))
    out = []
    # formulas: "the derivative of tanh is $…$", "ReLU is defined as $…$"
    out += _formula_claims(line, text, act, order)
    if out:
        return out
    spans = [(m.start(), m.end()) for m in _INTERVAL.finditer(text)]
    m = _INTERVAL.search(text)
    b = _BETWEEN.search(low) if m is None else None
    at = (m or b).start() if (m or b) else 0
    tail = re.search(r"\binputs?\b(?:\W+\w+){0,12}\W*$", low[:at])
    about_input = tail and not re.search(r"\b(?:to|into|onto)\s+(?:the\s+|a\s+|an\s+)?(?:(?:open\s+|closed\s+)?"
                                         r"(?:range|interval)\b|\W*$)", tail.group(0))
    if (m or b) and _RANGE_WORD.search(low) and not _INPUT.search(low) and not about_input and \
            not re.search(r"\bat\s+x\b", low):
        if m:
            j = _judge_range(act, order, m.group(3), m.group(4), (m.group(2), m.group(6)), given, symbolic, approx, what)
        else:
            j = _judge_range(act, order, b.group(1), b.group(2), ("", ""), given, symbolic, approx, what)
        return [(line, text, j)] if j else []
    if symbolic:
        return []
    side = _side_claims(line, text, act, order, given, what)
    if side:
        return side
    limit = _limit_claim(line, text, act, order, given, what)
    if limit:
        return limit
    checks = []
    if order == 0 and (d := re.search(_COPULA + r"differentiable\s+(?:at\s+(?:\$?\s*[xz]\s*=\s*)?\$?(?:0|zero)\b|at the origin|"
                                      r"(?:when|where|if)\s+(?:the\s+)?(?:input|argument|\$?[xz]\$?)\s+[\w\s]{0,40}?"
                                      r"\b(?:0|zero)\b)", low)):
        claim = not _negated(low, d)
        checks.append(("differentiable at 0", lambda f: f.differentiable0, claim))
    if order == 0 and (d := re.search(_COPULA + r"monoton", low)):
        claim = not _negated(low, d)
        checks.append(("monotone", lambda f: f.monotone is not None, claim))
    if order == 0 and (d := re.search(_COPULA + r"strictly (?:monotonically )?increasing", low)):
        checks.append(("strictly increasing", lambda f: f.monotone == "increasing", not _negated(low, d)))
    if order == 0 and (d := re.search(_COPULA + r"zero[- ]?cent(?:ered|red)", low)):
        claim = not _negated(low, d)
        checks.append(("zero-centred", lambda f: True if f.odd else False if f.inf >= 0 else None, claim))
    if (d := re.search(_COPULA + r"(un)?bounded(?:\s+(?:from\s+)?(above|below))?", low)) and not spans:
        side, claim = d.group(2), not (_negated(low, d) or d.group(1))
        test = ((lambda f: not math.isinf(f.sup)) if side == "above" else (lambda f: not math.isinf(f.inf))
                if side == "below" else (lambda f: not math.isinf(f.inf) and not math.isinf(f.sup)))
        checks.append((f"bounded{' ' + side if side else ''}", test, claim))
    if len(checks) == 1:
        name, prop, claim = checks[0]
        if _sensitive(act, order, given, prop):
            return []
        truth = prop(_facts_for(act, order, given))
        if truth is None:
            return []
        f = _facts_for(act, order, given)
        evidence = (f"computed: range {_true_range(f)}, one-sided derivatives at 0: {f.left0:g} and {f.right0:g}, "
                    f"{f.monotone or 'not monotone'} on a grid from −20 to 20")
        verdict = "CORRECT" if truth == claim else "INCORRECT"
        cex = None if truth == claim else {"property": name, "claimed": claim, "computed": truth,
                                           "range": _true_range(f), "left_derivative_at_0": f.left0,
                                           "right_derivative_at_0": f.right0}
        return [(line, text, Judgement(verdict, "activation", f"{what} {'is' if truth else 'is not'} {name}: "
                                       f"{evidence}", counterexample=cex))]
    # a value: at 0, or the maximum of the derivative
    at0 = _AT0.search(low)
    bare = _MATH.sub(" ", low)
    peak = re.search(r"\bmaximum\b|\bmaximal\b|\bat most\b|\bpeaks?\b|never (?:exceeds|greater|larger|more)|"
                     r"no (?:greater|larger|more) than|\bupper bound", bare)
    trough = re.search(r"\bminimum\b|\bminimal\b|\bat least\b|\blower bound|never (?:below|less|smaller)|"
                       r"no (?:less|smaller|lower) than", bare)
    num = _value_claim(low, spans + ([(at0.start(), at0.end())] if at0 else []))
    if num is None or [at0, peak, trough].count(None) not in (1, 2) or (peak and trough):
        return []
    written = num.group(0).replace("−", "-")
    doc = float(Fraction(written))
    if (peak or trough) and at0:  # "reaches its maximum of v at 0": the extreme, taken at 0
        ext = "sup" if peak else "inf"
        key, label = (lambda f: (round(getattr(f, ext), 9), round(f.at0, 9))), f"{'maximum' if peak else 'minimum'} at 0"
        truth_of = lambda f: getattr(f, ext) if abs(getattr(f, ext) - f.at0) < 1e-12 else math.nan  # noqa: E731
    elif peak:
        key, label = (lambda f: round(f.sup, 9)), "maximum"
        truth_of = lambda f: f.sup  # noqa: E731
    elif trough:
        key, label = (lambda f: round(f.inf, 9)), "minimum"
        truth_of = lambda f: f.inf  # noqa: E731
    elif at0:
        key, label = (lambda f: round(f.at0, 9)), "value at 0"
        truth_of = lambda f: f.at0  # noqa: E731
        if order == 1 and not _facts_for(act, 0, given).differentiable0:
            return []
    else:
        return []
    if _sensitive(act, order, given, key):
        return []
    f = _facts_for(act, order, given)
    true = truth_of(f)
    if math.isinf(true) or any(math.isnan(v) for v in (f.inf, f.sup, f.at0 if at0 else 0.0)):
        return []
    if math.isnan(true):
        j = Judgement("INCORRECT", "activation", f"{label} of {what}: the extreme is not taken at 0 (value at 0 "
                      f"{f.at0:.6g}, extreme {f.sup if peak else f.inf:.6g})",
                      counterexample={"claimed": doc, "at_0": f.at0, "extreme": f.sup if peak else f.inf})
        return [(line, text, j)]
    ok = _close(doc, true, written, approx)
    j = Judgement("CORRECT" if ok else "INCORRECT", "activation", f"{label} of {what}: computed {true:.6g}"
                  f"{'' if ok else f', not {written}'}", counterexample=None if ok else
                  {"claimed": doc, "computed": true}, expected=f"{true:.6g}")
    return [(line, text, j)]


_TOWARDS = re.compile(r"(?:as|when|for)\s+(?:the\s+)?(?:input|argument|\$?[xz]\$?)s?\s+(?:diverges?|moves?|goes|gets?|"
                      r"grows?|becomes?|tends?|approaches|→|\\to|\\rightarrow)\s*(?:away\s+)?(?:from\s+(?:0|zero)\s+)?"
                      r"(?:(?:in\s+)?(either|both)\s+directions?|(?:to\s+|towards\s+)?(?:large\s+)?(?:(minus|negative|-|−)\s*)?"
                      r"(?:\\infty|∞|infinity|large|big)(?:\s+(positive|negative))?)|"
                      r"\bfor\s+(?:very\s+)?large\s+(?:(positive|negative)\s+)?(?:inputs|arguments|values|\|x\|)|"
                      r"\blarge\s+(positive|negative)\s+(?:inputs|numbers|values)")
_APPROACH = re.compile(r"\b(?:approach(?:es)?|tends?\s+to|goes\s+to|converges?\s+to|saturates?\s+(?:at|to)|become|becomes|"
                       r"→|vanish(?:es)?)\b")


def _limit_claim(line: int, text: str, act: str, order: int, given: dict, what: str):
    """"the derivative approaches 0 as the input diverges from 0 in either direction", "large negative inputs
    become 0": the limit at −∞, +∞ or both, computed with SymPy."""
    low = _MATH.sub(lambda m: " " + next(g for g in m.groups() if g is not None) + " ", text).lower()
    t = _TOWARDS.search(low)
    a = _APPROACH.search(low)
    if not t or not a:
        return []
    both = t.group(1)
    neg = bool(t.group(2)) or "negative" in [t.group(3), t.group(4), t.group(5)]
    pos = "positive" in [t.group(3), t.group(4), t.group(5)]
    sides = ("neg", "pos") if both or not (neg or pos) and re.search(r"either|both|\|x\|", t.group(0)) else \
        ("neg",) if neg else ("pos",) if pos or re.search(r"\\infty|∞|infinity", t.group(0)) else ()
    if not sides:
        return []
    vanish = re.search(r"\bvanish", a.group(0))
    num = None if vanish else _value_claim(low[a.start():], [])
    if num is None and not vanish:
        return []
    claimed = 0.0 if vanish else float(Fraction(num.group(0).replace("−", "-")))
    key = lambda f: tuple(round(getattr(f, f"lim_{s}"), 9) for s in sides)  # noqa: E731
    if _sensitive(act, order, given, key):
        return []
    f = _facts_for(act, order, given)
    limits = {s: getattr(f, f"lim_{s}") for s in sides}
    ok = all(not math.isinf(v) and abs(v - claimed) <= 1e-9 for v in limits.values())
    shown = ", ".join(f"{'−∞' if s == 'neg' else '+∞'}: {_fmt(v)}" for s, v in limits.items())
    return [(line, text, Judgement("CORRECT" if ok else "INCORRECT", "activation", f"limit of {what} "
                                   f"(SymPy) at {shown}", counterexample=None if ok else
                                   {"claimed": claimed, **{f"limit_{s}": v for s, v in limits.items()}}))]


_SIDE = re.compile(r"\b(?:when|where|if|for)\s+(?:the\s+|all\s+|an?\s+)?(?:input|argument|\$?[xz]\$?)s?\s+(?:is|are)\s+"
                   r"(?:strictly\s+)?(negative|positive)|\bfor\s+(?:all\s+)?(negative|positive)\s+(?:inputs|arguments|values)|"
                   r"\$?[xz]\s*([<>≤≥])=?\s*0\$?")


def _side_claims(line: int, text: str, act: str, order: int, given: dict, what: str):
    """"the derivative is 0 when the input is negative, and 1 when it is positive": the function (or its
    derivative) is that constant on that side of 0 — checked at points on the side."""
    import mpmath

    clauses = re.split(r",\s*(?:and|while|but)\s+|;\s*|\band\s+(?=when|for|if)", text)
    found = []
    for clause in clauses:
        low = clause.lower()
        m = _SIDE.search(low)
        if not m:
            continue
        side = m.group(1) or m.group(2) or ("negative" if m.group(3) in "<≤" else "positive")
        num = _value_claim(low, [(m.start(), m.end())])
        if num is None:
            return []
        found.append((side, num.group(0).replace("−", "-")))
    if not found:
        return []
    defs, defaults = DEFINITIONS[act]
    settings = [given] + ([] if act in _FIXED else [{**given, p.name: alt} for p in defaults if p.name not in given
                                                      for alt in (0.7, 1.3)])
    out = []
    for side, written in found:
        pts = [p if side == "positive" else -p for p in (0.01, 0.3, 1.0, 2.5, 7.0)]
        verdicts = set()
        for setting in settings:  # a parameter the text leaves open must not change the verdict
            vals = {p: sp.nsimplify(setting.get(p.name, d)) for p, d in defaults.items()}
            e = sp.diff(defs[0].xreplace(vals), _x) if order else defs[0].xreplace(vals)
            fm = sp.lambdify(_x, e, modules="mpmath")
            with mpmath.workdps(30):
                got = [(p, float(fm(mpmath.mpf(p)))) for p in pts]
            wrong = [(p, v) for p, v in got if abs(v - float(Fraction(written))) > 1e-9 * max(1.0, abs(v))]
            verdicts.add(bool(wrong))
            if setting is given:
                bad = wrong
        if len(verdicts) != 1:
            return []
        verdict = "INCORRECT" if bad else "CORRECT"
        why = (f"at x = {bad[0][0]:g} it is {bad[0][1]:.6g}" if bad else
               f"equal to {written} at x = {', '.join(f'{p:g}' for p in pts)}")
        out.append((line, text, Judgement(verdict, "activation", f"{what} for {side} inputs: {why}",
                                          counterexample={"x": bad[0][0], "value": bad[0][1], "claimed": written}
                                          if bad else None)))
    return out[:1] if len({v.verdict for _, _, v in out}) == 1 else [o for o in out if o[2].verdict == "INCORRECT"]


def _formula_claims(line: int, text: str, act: str, order: int) -> list[tuple[int, str, Judgement]]:
    """A formula given in words for the named function: "… is defined as $…$", "its derivative is $…$"."""
    out = []
    for m in _MATH.finditer(text):
        tex = next(g for g in m.groups() if g is not None)
        before = text[:m.start()].lower().rstrip()
        if not re.search(r"(?:\bis|\bas|\bby|\bequals|\bcomputes|:|=)$", before):
            continue
        j = _judge_cell(tex, act, order, alone=True)
        if j is not None:
            out.append((line, m.group(0), j))
    return out


# --------------------------------------------------------------------------- cells and tables

def _judge_cell(tex: str, act: str, order: int, alone: bool = False) -> Judgement | None:
    """Judge ``tex`` as the definition (order 0) or derivative of ``act``; ``alone``: only a formula without ``=``
    (an equation is the formula judge's)."""
    from ..document import MathParseError, parse_math

    try:
        parsed = parse_math(tex)
    except (MathParseError, ValueError, TypeError, RecursionError):
        return None
    if len(parsed.sides) > 2 - alone or any(r != "=" for r in parsed.relations):
        return None
    rhs = parsed.sides[-1]
    if not isinstance(rhs, sp.Expr) or rhs.is_Atom:
        return None
    if len(parsed.sides) == 2 and not isinstance(parsed.sides[0], (AppliedUndef, sp.Derivative, sp.Function, sp.Symbol)):
        return None
    free = [s for s in rhs.free_symbols if isinstance(s, sp.Symbol) and s.name not in _PARAM_NAMES]
    calls = {c for c in rhs.atoms(AppliedUndef) if len(c.args) == 1 and c.args[0].is_Symbol}
    variables = set(free) | {c.args[0] for c in calls}
    if len(variables) != 1:
        return None
    var = variables.pop()
    own = _canon(act)
    rhs = rhs.xreplace({c: sp.Function(own)(c.args[0]) for c in calls
                        if str(c.func.__name__).lower() in GENERIC and str(c.func.__name__) != "sigma"})
    lhs = sp.Function(own + "'" * order)(var)
    j = judge_activation(lhs, rhs)
    return j if j is not None and j.quantity == "activation" else None


_HEAD_DERIV = re.compile(r"(?i)deriv|gradient|f'|f\^\{?\\prime|\\prime|d/dx|\\frac\{d|slope")
_HEAD_RANGE = re.compile(r"(?i)\brange|codomain|output (?:range|values)|\bbounds\b")
_HEAD_FORMULA = re.compile(r"(?i)formula|equation|definition|function|expression|f\(x\)|\bforward\b|\bdefined\b")


def _split_row(raw: str, latex: bool) -> list[str]:
    if latex:
        s = re.sub(r"\\(?:hline|toprule|midrule|bottomrule)", "", raw).strip().rstrip("\\").strip()
        return [c.strip() for c in s.split("&")]
    cells, cur, in_math = [], "", False
    s = raw.strip().strip("|")
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and s[i + 1] == "|":
            cur += "|"
            i += 2
            continue
        if ch == "$":
            in_math = not in_math
        if ch == "|" and not in_math:
            cells.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    cells.append(cur.strip())
    return cells


def _tables(lines: list[str]):
    """Tables as ``(header cells, [(line, cells)])`` from :func:`proofs.judge.tables.tables_in`, each row split
    again from its line so that ``$…|x|…$`` stays one Markdown cell and a LaTeX comment is no cell."""
    from .tables import tables_in

    out = []
    for rows in tables_in(lines):
        cells = []
        for n, _ in rows:
            raw = lines[n - 1].strip()
            latex = not raw.startswith("|")
            cells.append((n, _split_row(re.sub(r"(?<!\\)%.*$", "", raw) if latex else raw, latex)))
        if len(cells) > 1:
            out.append((cells[0][1], cells[1:]))
    return out


def _strip(cell: str) -> str:
    c = re.sub(r"\\text(?:bf|it|tt)?\{([^{}]*)\}|\*\*([^*]*)\*\*|`([^`]*)`", lambda m: next(g for g in m.groups() if g), cell)
    return c.strip()


def _math_of(cell: str) -> str | None:
    c = _strip(cell)
    m = _MATH.fullmatch(c)
    if m:
        return next(g for g in m.groups() if g is not None)
    return c if re.search(r"[\\^()]", c) and not re.search(r"[A-Za-z]{4,} [A-Za-z]{3,}", c) else None


_FILLER = re.compile(r"(?i)\b(?:the|a|an|function|functions|activation|unit|units|non-?linearity|layer|curve|"
                     r"linear|rectified|rectifier|logistic|hyperbolic|tangent|sigmoid|sigmoidal|exponential|scaled|"
                     r"gaussian|error|parametric|leaky|hard|smooth)\b|[\W\d_]+")


def _row_act(name: str) -> str | None:
    """The activation a row's first cell names — None when it qualifies the name ("tanh (skewed)", "ReLU, capped")."""
    acts = _acts(name)
    if len(acts) != 1:
        return None
    act = acts.pop()
    rest = re.sub(_WHOLE.get(act, r"$^"), " ", name.lower())
    for pattern, _ in _PROSE:
        rest = re.sub(pattern, " ", rest)
    rest = _FILLER.sub(" ", re.sub(r"\\(?:mathrm|text|operatorname)|[{}]", " ", rest)).strip()
    return act if not rest else None


def _row(line: int, header: list[str], cells: list[str]) -> list[tuple[int, str, Judgement]]:
    act = _row_act(_strip(cells[0]))
    if act is None or len(cells) != len(header):
        return []
    out = []
    for i, (head, cell) in enumerate(zip(header, cells)):
        if i == 0:
            continue
        head = _strip(head)
        if _HEAD_RANGE.search(head):
            order = 1 if _HEAD_DERIV.search(head) else 0
            m = _INTERVAL.fullmatch(_strip(cell).replace("$", "").strip())
            if m:
                given, symbolic = _param_values(" ".join(cells), act)
                j = _judge_range(act, order, m.group(3), m.group(4), (m.group(2), m.group(6)), given, symbolic, False,
                                 f"{'the derivative of ' if order else ''}{act.replace('_', ' ')}")
                if j:
                    out.append((line, cell, j))
            continue
        order = 1 if _HEAD_DERIV.search(head) else 0 if _HEAD_FORMULA.search(head) else None
        tex = _math_of(cell)
        if order is None or tex is None:
            continue
        j = _judge_cell(tex, act, order)
        if j is not None:
            j.explanation = f"table row {_strip(cells[0])}: {j.explanation}"
            out.append((line, cell, j))
    return out


def activation_claims(lines: list[str]) -> list[tuple[int, str, Judgement]]:
    """Judge every activation claim of a document's lines (sentences and table rows); ``(line, source, judgement)``."""
    out = []
    for header, rows in _tables(lines):
        for line, cells in rows:
            try:
                out += _row(line, header, cells)
            except (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
                continue
    for line, text in _sentences(lines):
        try:
            out += _sentence(line, text)
        except (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
            continue
    from .activation_values import activation_values, plain_definitions

    return out + activation_values(lines) + plain_definitions(lines)
