r"""Assignments in library/specification notation, judged as one computation.

API references and specifications state padding and output sizes as *assignments* in program notation,
often several in a row, under a condition or behind a mode label::

    out_height = ceil(float(in_height) / float(strides[1]))
    if (in_height % strides[1] == 0):
      pad_along_height = max(filter_height - strides[1], 0)
    pad_top = pad_along_height // 2
    If (auto_pads == SAME_UPPER): pads[start_i] = total_padding[i]/2; pads[end_i] = total_padding[i] - ...
    VALID: output_spatial_shape[i] = floor((input_spatial_shape[i] - ...) / strides_spatial_shape[i]) + 1

This module reads such lines (code blocks, inline code, prose) with proofs' own code grammar
(:mod:`proofs.document.code_notation`, never ``eval``), binds every name by its words
(:mod:`proofs.notation.spec_names`: role and, for padding, total / first side / last side), substitutes
helper names defined earlier (``effective_filter = (k - 1) * d + 1``) and judges each defined quantity
against ``derive``:

* the **total padding** of ``SAME`` (TensorFlow; ONNX ``SAME_UPPER``/``SAME_LOWER``), or the padding
  that makes a given output size (transposed convolution: ``output_padding`` present), each branch of an
  ``if``/``else`` on its own domain;
* the **split** of a total padding into the first and last side (``SAME``/``SAME_UPPER``: the odd pixel
  at the end; ``SAME_LOWER``: at the beginning), the mode read from the line's condition or label or,
  failing that, from the text around it (TensorFlow/Keras: ``SAME``);
* **output sizes** (SAME: ``ceil(H/s)``; otherwise the output-size judge of :mod:`proofs.judge.sizes`).

A verdict is given only when every name has a role and the mode is known; otherwise UNRECOGNIZED with
the roles that were found.

Examples
--------
>>> text = '''For SAME padding (TensorFlow):
... ```
... out_height = ceil(float(in_height) / float(strides[1]))
... pad_along_height = max((out_height - 1) * strides[1] + filter_height - in_height, 0)
... pad_top = pad_along_height // 2
... pad_bottom = pad_along_height - pad_top
... pad_left = pad_along_width - pad_along_width // 2
... ```'''
>>> [(f.line, f.verdict.value) for f in spec_block_findings(text.splitlines())]
[(3, 'CORRECT'), (4, 'CORRECT'), (5, 'CORRECT'), (6, 'CORRECT'), (7, 'INCORRECT')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from ..clock import now as _clock
from ..notation.spec_names import axis_of, spec_role
from .compare import Condition, compare_values
from .exact import EvalError, exact_value
from .judgement import Judgement

__all__ = ["Assignment", "assignments_in", "judge_assignment", "spec_block_findings", "merge_spec_findings",
           "span_assignments"]

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*(?:\s*\[[^\]\n]{1,20}\])?"
_ASSIGN = re.compile(rf"(?<![\w\].])({_IDENT})\s*=(?!=)\s*")
_CAST = re.compile(r"\b(?:float|double|int|long|static_cast\s*<\s*\w+\s*>)\s*(?=\()")
_IF = re.compile(r"(?i)^\s*}?\s*(?:else\s+)?if\b\s*(.*?)\s*(?::|\{|\bthen\b)?\s*$")
_ELSE = re.compile(r"(?i)^\s*}?\s*else\s*[:{]?\s*$")
_C_INTEGER = re.compile(r"\b(?:int|long|short|size_t|u?int(?:8|16|32|64)_t|unsigned|index_t|dim_t)\s+$")
_MODE_WORD = re.compile(r"\b((?i:same_upper|same_lower)|VALID|SAME)\b")
_UPPER_LOWER = re.compile(r"(?i)\bsame_(upper|lower)\b")


def _modes(text: str) -> set[str]:
    """``{"SAME_UPPER", "SAME_LOWER"}`` ∩ the modes named in ``text`` (any case: OpenVINO writes ``same_upper``)."""
    return {f"SAME_{m.upper()}" for m in _UPPER_LOWER.findall(text)}
_CANON = {"input_size": "H", "output_size": "O", "kernel": "k", "pool": "k", "stride": "s", "dilation": "d",
          "output_padding": "a"}
_PAD_CANON = {"total": "T", "begin": "B", "end": "E", None: "P"}
_MAX_EXPR = 300


@dataclass
class Assignment:
    """One ``name = expression`` of a document, with the condition or mode label it stands under."""

    line: int
    name: str
    readings: list  # SymPy right-hand sides (one per reading of the code's '/')
    source: str
    condition: tuple | None = None  # ("mode", "upper"|"lower") or ("expr", lhs, op, rhs)
    label: str | None = None  # VALID, SAME, SAME_UPPER, SAME_LOWER written before the assignment
    notes: list = field(default_factory=list)
    span: bool = False  # a math span (LaTeX): its general output sizes are the formula judge's, not ours
    prefix: str = ""  # the text of the line before the name (``GEMM`` in ``GEMM M = N*P*Q``)
    stated: Fraction | None = None  # the value written after the formula (``P = (H - R)/s + 1 = 16``)


def _parse_code(code: str) -> list:
    """SymPy readings of one expression in program notation (``float()``/``int()`` casts dropped)."""
    from ..document import parse_math
    from ..document.code_notation import code_readings

    cast = bool(_CAST.search(code))
    code = _CAST.sub("", code)
    try:
        readings = code_readings(code, "exact" if cast else None)
    except (TypeError, ValueError):
        return []
    out = []
    for tex in readings or ():
        try:
            parsed = parse_math(tex)
        except Exception:  # noqa: BLE001 - what our grammar cannot read is not judged
            return []
        if len(parsed.sides) != 1 or parsed.relations:
            return []
        out.append(parsed.sides[0])
    return out


def _rhs_extent(text: str) -> str:
    """The expression at the start of ``text``: up to a top-level ``;``, ``,``, back-quote, ``$`` or prose."""
    depth, prev_word, end = 0, False, len(text)
    i = 0
    while i < len(text):
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            if depth == 0:
                end = i
                break
            depth -= 1
        elif depth == 0 and c in ";,`$:\n{}" or c in "'\"":
            end = i
            break
        m = re.match(r"[A-Za-z_]\w*", text[i:])
        if m:
            if depth == 0 and prev_word:
                end = i
                break
            prev_word = True
            i += m.end()
            continue
        if not c.isspace():
            prev_word = False
        i += 1
    return text[:end].strip().rstrip(".").strip()


def _condition(text: str):
    text = text.strip().strip("(){}:").strip()
    m = re.search(r"==|!=|>=|<=|(?<![<>=!])[<>](?!=)", text)
    if not m:
        return None
    left, op, right = text[: m.start()], m.group(0), text[m.end():]
    mode = _MODE_WORD.search(left + " " + right)
    if mode and mode.group(1).upper() in ("SAME_UPPER", "SAME_LOWER") and op in ("==", "!="):
        upper = (mode.group(1).upper() == "SAME_UPPER") == (op == "==")
        return ("mode", "upper" if upper else "lower")
    lhs, rhs = _parse_code(left.strip("() ")), _parse_code(right.strip("() "))
    if len(lhs) != 1 or len(rhs) != 1:
        return None
    return ("expr", lhs[0], op, rhs[0])


def _negate(cond):
    if cond is None:
        return None
    if cond[0] == "mode":
        return ("mode", "lower" if cond[1] == "upper" else "upper")
    return ("not", cond)


_FUNC_DEF = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\s*\(\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*\)\s*=(?!=)\s*")


def _split_args(text: str) -> list[str] | None:
    args, depth, cur = [], 0, ""
    for c in text:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
        else:
            cur += c
    args.append(cur.strip())
    return args if depth == 0 and all(args) else None


def _applied(rhs: str, functions: dict) -> list | None:
    """``f(height, kernel[0], …)`` with ``f`` defined earlier: the definition's readings with the arguments put in."""
    m = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*\((.*)\)\s*", rhs)
    if not m or m.group(1) not in functions:
        return None
    params, bodies = functions[m.group(1)]
    args = _split_args(m.group(2))
    if args is None or len(args) != len(params):
        return None
    values = []
    for arg in args:
        parsed = _parse_code(arg)
        if len(parsed) != 1:
            return None
        values.append(parsed[0])
    swap = {sp.Symbol(p): v for p, v in zip(params, values)}
    return [b.xreplace(swap) for b in bodies]


_C_DECL = re.compile(r"^\s*(?:const\s+)?(?:int|long|size_t|auto|float|double|unsigned|dim_t|index_t)\b")


def _continued(line: str, lines, n: int, joined_into: set) -> str:
    """``line`` (the n-th, 1-based) with the lines that continue its statement (at most two): while a bracket
    is open, or a C declaration without its ``;`` is followed by a line opening with ``/ * + %``."""
    from .code_values import strip_comment

    for k in range(n, min(n + 2, len(lines))):
        depth = line.count("(") - line.count(")") + line.count("[") - line.count("]")
        nxt = strip_comment(lines[k].replace("\\_", "_"))[0]
        c_rest = _C_DECL.match(line) and "=" in line and not line.rstrip().endswith(";") and \
            re.match(r"\s*[/*+%](?![/*])\s", nxt)
        if not nxt.strip() or "=" not in line or not (depth > 0 and line.count("`") % 2 == 0 or c_rest):
            break
        line = f"{line.rstrip()} {nxt.strip()}"
        joined_into.add(k + 1)
    return line


def assignments_in(lines) -> list[Assignment]:
    """Every ``name = expression`` in ``lines`` that our code grammar reads, with its condition and label.

    >>> a = assignments_in(["if (in_h % s == 0):", "  pad = max(k - s, 0)", "else:", "  pad = max(k - (in_h % s), 0)"])
    >>> [(x.line, x.name, x.condition[0]) for x in a]
    [(2, 'pad', 'expr'), (4, 'pad', 'not')]
    >>> [x.name for x in assignments_in(["The output is `out = (in - k) // s + 1`, where s is the stride."])]
    ['out']
    """
    out: list[Assignment] = []
    functions: dict = {}
    pending, pending_indent, last_cond = None, -1, None
    from .code_values import strip_comment

    joined_into: set = set()
    for n, raw in enumerate(lines, start=1):
        if n in joined_into:
            continue  # the rest of a statement begun on an earlier line
        line, comment = strip_comment(raw.replace("\\_", "_"))
        if comment is not None and not line.strip():
            continue  # a comment line: neither code nor a break in the block
        line = _continued(line, lines, n, joined_into)
        if (fd := _FUNC_DEF.search(line)) and not _ASSIGN.search(line[: fd.start()]):
            body = _parse_code(_rhs_extent(line[fd.end():]))
            if body:
                functions[fd.group(1)] = ([p.strip() for p in fd.group(2).split(",")], body)
            continue
        if not line.strip():
            pending = None
            continue
        indent = len(line) - len(line.lstrip())
        if pending is not None and indent <= pending_indent and not _ELSE.match(line):
            pending = None
        if "=" not in line.replace("==", "").replace("!=", "").replace("<=", "").replace(">=", ""):
            if _ELSE.match(line):
                pending, pending_indent = _negate(last_cond), indent
            elif (m := _IF.match(line)) and m.group(1):
                last_cond = _condition(m.group(1))
                pending, pending_indent = last_cond, indent
            continue
        for m in _ASSIGN.finditer(line):
            prefix = line[: m.start()]
            rhs = _rhs_extent(line[m.end():])
            stated = None
            if (tail := re.search(r"(?<![<>=!])=(?!=)\s*(-?\d+(?:\.\d+)?)\s*$", rhs)):
                rhs, stated = rhs[: tail.start()].strip(), Fraction(tail.group(1))  # formula = its value
            if not rhs or len(rhs) > _MAX_EXPR or not re.search(r"[A-Za-z]", rhs) or "=" in rhs.replace("==", ""):
                continue
            readings = _applied(rhs, functions) or _parse_code(rhs)
            if not readings:
                continue
            if len(readings) == 2 and _C_INTEGER.search(line[: m.start()]):  # int x = a / b: C's integer division
                readings = readings[1:]
            cond, label = pending, None
            head = prefix.split(";")[0] if ";" in prefix else prefix
            if (c := re.search(r"(?i)\bif\s*(.*?)\s*[:{]\s*$", head.split("`")[-1])) or \
                    (c := re.search(r"(?i)\bif\s*\((.*)\)\s*[:{]?", head)):
                cond = last_cond = _condition(c.group(1))
            elif re.search(r"(?i)\belse\b", head):
                cond = _negate(last_cond)
            if (w := [x.upper() for x in _MODE_WORD.findall(head)]) and cond is None:
                label = "SAME" if all(x.startswith("SAME") for x in w) and len(set(w)) > 1 else w[-1]
            name = re.sub(r"\s+", "", m.group(1))
            out.append(Assignment(n, name, readings, raw.strip(), cond, label, prefix=prefix.split("`")[-1][-40:],
                                  stated=stated))
    return out


# --------------------------------------------------------------------------- binding


def _names(expr) -> dict:
    """name as written (``strides[1]``) -> the SymPy node standing for it."""
    found = {}
    for node in expr.atoms(sp.Indexed):
        found[f"{node.base}[{','.join(str(i) for i in node.indices)}]"] = node
    idx_syms = set().union(*(node.free_symbols for node in found.values())) if found else set()
    for s in expr.free_symbols:
        if s not in idx_syms or not found:
            if not isinstance(s, sp.Indexed):
                found.setdefault(str(s), s)
    return found


#: a dimension letter's role (:mod:`proofs.notation.dim_letters`) as the role of a size along an axis
_DIM_ROLE = {"in_h": "input_size", "in_w": "input_size", "out_h": "output_size", "out_w": "output_size",
             "k_h": "kernel", "k_w": "kernel"}


def _role(name: str, context: str, dims: dict | None = None) -> tuple[str | None, str | None]:
    if dims and name in dims:  # a letter the document's prose defines (N images, R × S filters, P × Q output)
        return _DIM_ROLE.get(dims[name]), None
    role, part = spec_role(name)
    if role is None and re.fullmatch(r"(?i)height|width|length|size", name):
        return "input_size", None  # a bare dimension word beside out_height: the size being transformed
    if role is None and len(name) <= 3:
        from .roles import bind_roles

        role = bind_roles([name], context).role(name)
    return role, part


def _axis(name: str, dims: dict | None) -> str | None:
    if dims and name in dims:
        return dims[name][-1] if dims[name] in _DIM_ROLE else None
    return axis_of(name)


def _canonical(expr, context: str, defs: dict, depth: int = 0, dims: dict | None = None):
    """``(expr in canonical letters, {letter: name}, reason)``; letters H O k s d a T B E P."""
    mapping, letters, unbound = {}, {}, []
    for name, node in _names(expr).items():
        if name in defs and depth < 3:  # a helper defined earlier: its definition stands for it
            sub, sub_letters, why = _canonical(defs[name], context, defs, depth + 1, dims)
            own = _role(name, context, dims)[0]
            if why is None and (own is None or own in {_role(v, context, dims)[0] for v in sub_letters.values()}):
                mapping[node] = sub
                for k, v in sub_letters.items():
                    if letters.setdefault(k, v) != v:
                        return None, letters, f"'{v}' and '{letters[k]}' both read as {k}"
                continue
        role, part = _role(name, context, dims)
        if role == "padding":
            letter = _PAD_CANON[part]
        else:
            letter = _CANON.get(role)
        if letter is None:
            unbound.append(name)
            continue
        if letters.setdefault(letter, name) != name:
            return None, letters, f"'{name}' and '{letters[letter]}' both read as {letter}"
        mapping[node] = sp.Symbol(letter)
    if unbound:
        return None, letters, f"no role for {', '.join(sorted(unbound))}"
    axes = {a for a in (_axis(v, dims) for v in letters.values()) if a in ("h", "w", "d3")}
    if len(axes) > 1:
        return None, letters, "names of different axes in one formula"
    return expr.xreplace(mapping), letters, None


# --------------------------------------------------------------------------- truth (from derive)


def _same_pads(v, lower: bool) -> tuple[int, int]:
    return _same_pads_at(v["H"], v["k"], v["s"], v.get("d", 1), lower)


@lru_cache(maxsize=8192)
def _same_pads_at(H: int, k: int, s: int, d: int, lower: bool) -> tuple[int, int]:
    from derive.sizes.tf_padding import tf_same_padding

    b, e = tf_same_padding(H, k, s, d, lower=lower)
    return int(b), int(e)


def _output_size(op, H, k, s, pad, d=1, **kw) -> int:
    import derive

    return int(derive.output_size(op, H, k, s, pad, d, **kw))


def _cond_holds(cond, v, letters_expr) -> bool:
    if cond is None or cond[0] == "mode":
        return True
    if cond[0] == "not":
        return not _cond_holds(cond[1], v, letters_expr)
    _, lhs, op, rhs = cond
    a, b = exact_value(letters_expr(lhs), v), exact_value(letters_expr(rhs), v)
    return {"==": a == b, "!=": a != b, ">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b}[op]


def _integer(x: Fraction) -> int:
    if x.denominator != 1:
        raise EvalError(f"padding {x} is not an integer")
    return int(x)


# --------------------------------------------------------------------------- judging


def _from(res, quantity: str, what: str, expected: str) -> Judgement:
    from .sizes import _from_comparison

    return _from_comparison(res, quantity, sp.Symbol(expected), what=what)


def _judge_total(doc, letters, same: bool, admissible, time_limit) -> Judgement:
    have = set(str(s) for s in doc.free_symbols)
    if "k" not in have or not have <= {"H", "O", "k", "s", "d", "a"}:
        return Judgement("UNRECOGNIZED", "same_padding", f"total padding: the formula's names read as {sorted(have)}")
    dil = "d" in have
    domain = {"H": range(1, 17), "k": range(1, 7), "s": range(1, 5)}
    if dil:
        domain["d"] = range(1, 4)
    if "a" in have:  # transposed convolution: the padding that gives the output size O
        domain.update({"O": range(1, 40), "a": range(0, 4)})
        def truth(v):
            full = _output_size("conv_transpose", v["H"], v["k"], v["s"], 0, v.get("d", 1), output_padding=v["a"])
            if v["O"] > full or (full - v["O"]) % 1:
                raise ValueError("output larger than with no padding")
            return Fraction(full - v["O"])
        adm = lambda v: v["a"] < max(v["s"], v.get("d", 1)) and admissible(v)  # noqa: E731
        what, expected = "total padding for output size O (transposed convolution)", "s·(H−1) + a + d·(k−1) + 1 − O"
    elif "O" in have and not same:
        domain["O"] = range(1, 25)
        def truth(v):
            for t in range(0, 64):
                ext = v.get("d", 1) * (v["k"] - 1) + 1
                if v["H"] + t >= ext and _output_size("conv", v["H"] + t, v["k"], v["s"], 0, v.get("d", 1)) >= v["O"]:
                    return Fraction(t)
            raise ValueError("no padding reaches this output size")
        adm = admissible
        what, expected = "total padding that makes O windows fit", "max((O−1)·s + d·(k−1) + 1 − H, 0)"
    elif same:
        def truth(v):
            return Fraction(sum(_same_pads(v, False)))
        adm = admissible
        what, expected = "total SAME padding", "max((⌈H/s⌉−1)·s + d·(k−1) + 1 − H, 0)"
    else:
        return Judgement("UNRECOGNIZED", "same_padding", "total padding: neither SAME nor a target output size is stated")

    def value(v):
        w = dict(v)
        if same and "O" in have and "a" not in have:  # SAME: the output is the SAME output size
            w["O"] = -(-v["H"] // v["s"])
        return Fraction(_integer(exact_value(doc, w)))

    conds = [Condition("the dilated kernel is at least the stride ((k−1)·d + 1 ≥ s)",
                       lambda v: v.get("d", 1) * (v["k"] - 1) + 1 >= v["s"]),
             Condition("the stride divides the input size (H mod s = 0)", lambda v: v["H"] % v["s"] == 0),
             Condition("the stride does not divide the input size (H mod s ≠ 0)", lambda v: v["H"] % v["s"] != 0),
             Condition("s = 1", lambda v: v["s"] == 1, trivial=True)]
    res = compare_values(value, truth, domain, admissible=adm, conditions=conds, limit=1200, time_limit=time_limit)
    return _from(res, "same_padding", what, expected)


def _judge_split(doc, side: str, mode: str | None, admissible, time_limit) -> Judgement:
    have = set(str(s) for s in doc.free_symbols)
    other = "E" if side == "B" else "B"
    if not have or not have <= {"T", "H", "k", "s", "d", other} or "T" not in have and "k" not in have:
        return Judgement("UNRECOGNIZED", "same_padding", f"padding split: the formula's names read as {sorted(have)}")
    if mode is None:
        return Judgement("UNRECOGNIZED", "same_padding",
                         "padding split: the document does not say which side takes the odd pixel here "
                         "(SAME/SAME_UPPER: the end; SAME_LOWER: the beginning)")
    lower = mode == "lower"
    domain = {"H": range(1, 17), "k": range(1, 7), "s": range(1, 5)}
    if "d" in have:
        domain["d"] = range(1, 4)

    def value(v):
        b, e = _same_pads(v, lower)  # the other side at its true value: each line is judged on its own
        w = dict(v, T=b + e, B=b, E=e)
        return Fraction(_integer(exact_value(doc, w)))

    def truth(v):
        return Fraction(_same_pads(v, lower)[0 if side == "B" else 1])

    res = compare_values(value, truth, domain, admissible=admissible, limit=1200, time_limit=time_limit)
    which = "first (top/left/begin)" if side == "B" else "last (bottom/right/end)"
    rule = "SAME_LOWER: the odd pixel at the beginning" if lower else "SAME/SAME_UPPER: the odd pixel at the end"
    expected = ("⌈T/2⌉" if lower else "⌊T/2⌋") if side == "B" else ("⌊T/2⌋" if lower else "T − ⌊T/2⌋")
    return _from(res, "same_padding", f"{which} side of the total padding T ({rule})", expected)


def _judge_output(doc, letters, same: bool, label, context, time_limit, doubled=frozenset()) -> Judgement:
    from .sizes import _same_output_size, judge_output_size

    have = set(str(s) for s in doc.free_symbols)
    if re.search(r"(?i)transpos|deconv|fractionally", context):
        return Judgement("UNRECOGNIZED", "output_size", "output size in a transposed convolution's text: not judged here")
    if same and have == {"H", "s"}:
        return _same_output_size(doc, "H", "s", time_limit)
    if label == "VALID" and have & {"T", "B", "E", "P"}:
        return Judgement("UNRECOGNIZED", "output_size", "output size: VALID with a padding term")
    roles = {"H": "input_size", "k": "kernel", "s": "stride", "d": "dilation", "P": "padding", "T": "padding"}
    convention = None
    if {"B", "E"} <= have:
        doc = sp.expand(doc.xreplace({sp.Symbol("B"): sp.Symbol("T") - sp.Symbol("E")}))
        have = set(str(s) for s in doc.free_symbols)
    if "T" in have:
        convention = "total"
    elif "P" in have and letters.get("P") in doubled:  # the document writes 2·pad elsewhere: pad is one side's
        convention = "per_side"
    if not have <= set(roles) or "k" not in have or "H" not in have:
        return Judgement("UNRECOGNIZED", "output_size", f"output size: the formula's names read as {sorted(have)}")
    op = "max_pool" if re.search(r"(?i)pool", context) and not re.search(r"(?i)\bconv", context) else "conv"
    return judge_output_size(doc, roles, context=context, convention=convention, op=op, time_limit=time_limit)


def _mode(a: Assignment, around: str) -> str | None:
    if a.condition and a.condition[0] == "mode":
        return a.condition[1]
    if a.label in ("SAME_UPPER", "SAME_LOWER"):
        return "upper" if a.label == "SAME_UPPER" else "lower"
    named = _modes(around)
    upper, lower = "SAME_UPPER" in named, "SAME_LOWER" in named
    if upper != lower:
        return "upper" if upper else "lower"
    if not upper and re.search(r"(?i:\btensorflow\b|\bkeras\b|\btf\.|\bjax\b|\bsame[ -]padd|['\"]same['\"])|\bSAME\b", around):
        return "upper"
    return None


def _same(a: Assignment, around: str) -> bool:
    if a.label == "VALID":
        return False
    if a.label and a.label.startswith("SAME") or (a.condition and a.condition[0] == "mode"):
        return True
    return bool(re.search(r"\bSAME(?:_UPPER|_LOWER)?\b|(?i:\bsame\b[ -]padd|padding\s*=\s*['\"]same|['\"]same['\"])",
                          around))


def _dilation_from_zero(expr) -> bool:
    """Is the dilation ``d`` written only as ``(d + 1)`` (oneDNN's convention: 0 means no dilation)?

    >>> k, d = sp.symbols("k d")
    >>> _dilation_from_zero((k - 1) * (d + 1) + 1), _dilation_from_zero((k - 1) * d + 1)
    (True, False)
    """
    d = sp.Symbol("d")
    if d not in getattr(expr, "free_symbols", ()):
        return False
    return expr.xreplace({d + 1: sp.Symbol("_dplus1")}).free_symbols.isdisjoint({d})


def judge_assignment(a: Assignment, block: list[Assignment], around: str, *, time_limit: float = 1.0,
                     dims: dict | None = None, doubled=frozenset()) -> Judgement:
    """Judge one assignment, with the earlier assignments of ``block`` as the definitions it may use; ``dims``:
    the document's dimension letters (:func:`proofs.notation.dim_letters.dimension_letters`); ``doubled``: the
    names the document multiplies by 2 somewhere (a padding written ``2*pad_h`` is one side's padding)."""
    from .gemm_dims import gemm_context, gemm_letter, judge_gemm

    bare = a.name in ("M", "N", "K") and gemm_context(a.prefix, around)
    if gemm_letter(a.name) is not None or bare:
        if len(a.readings) != 1:
            return Judgement("UNRECOGNIZED", "gemm_dimension", f"{a.name}: a division in a GEMM dimension")
        from ..notation.dim_letters import convention_letters

        weak = convention_letters(around)
        return judge_gemm(a.name, a.readings[0], dims or {}, around, letter=a.name if bare else None, weak=weak)
    role, part = (_role(a.name, around, dims) if dims and a.name in dims else spec_role(a.name))
    if role is None:
        role, part = _role(a.name, around)
    earlier = [b for b in block if b.line <= a.line and b is not a]
    defs = {b.name: b.readings[0] for b in earlier if len(b.readings) == 1 and b.name != a.name}
    judged = []
    for doc in a.readings:
        canon, letters, why = _canonical(doc, around, {k: v for k, v in defs.items() if spec_role(k)[0] != "padding"
                                                       and spec_role(k)[0] != "output_size"}, dims=dims)
        if why is not None:
            judged.append(Judgement("UNRECOGNIZED", None, f"{a.name}: {why}"))
            continue

        def as_letters(e, around=around):
            c, _, w = _canonical(e, around, {}, dims=dims)
            if w is not None:
                raise EvalError(w)
            return c

        def admissible(v, cond=a.condition):
            try:
                return _cond_holds(cond, v, as_letters)
            except (EvalError, ZeroDivisionError):
                return False

        zero_based = _dilation_from_zero(canon)
        if zero_based:  # oneDNN: DH = 0 is no dilation, (DH + 1) the spacing of the taps
            canon = canon.xreplace({sp.Symbol("d"): sp.Symbol("d") - 1})
        if role == "padding" and part in ("total", None):
            j = _judge_total(canon, letters, _same(a, around), admissible, time_limit)
            if part is None and j.verdict != "CORRECT":
                j = Judgement("UNRECOGNIZED", "same_padding",
                              f"{a.name}: a padding not named total or per side; as a total it is {j.verdict}")
        elif role == "padding":
            side = "B" if part == "begin" else "E"
            j = _judge_split(canon, side, _mode(a, around), admissible, time_limit)
        elif role == "output_size" and not (a.span and set(map(str, canon.free_symbols)) != {"H", "s"}):
            j = _judge_output(canon, letters, _same(a, around), a.label, around, time_limit, doubled)
        else:
            j = Judgement("UNRECOGNIZED", None, f"{a.name}: not a padding or an output size ({role})")
        if zero_based and j.verdict != "UNRECOGNIZED":
            j.explanation = f"{j.explanation} (dilation counted from 0: the document's (d + 1) is the tap spacing)"
        if j.counterexample or j.verdict in ("INCORRECT", "CONDITIONAL"):
            j.explanation = f"{j.explanation} [{', '.join(f'{k} = {v}' for k, v in sorted(letters.items()))}]"
        judged.append(j)
    if role == "padding" and len(judged) == 2 and judged[1].verdict != "UNRECOGNIZED":
        return judged[1]  # a padding is a whole number: the '/' of a split is the integer division
    verdicts = {j.verdict for j in judged}
    if len(verdicts) == 1:
        return judged[0]
    return Judgement("UNRECOGNIZED", judged[0].quantity,
                     "the division '/' of program code may be exact or rounded down, and the verdicts differ: "
                     + "; ".join(j.verdict for j in judged))


def _section_start(lines, line: int, reach: int = 40) -> int:
    """0-based index of the first line of the text that ``line`` (1-based) is read with: its section, at most
    ``reach`` lines back (a Markdown heading, or an rST title's underline, opens a section)."""
    lo = max(0, line - 1 - reach)
    for i in range(line - 2, lo - 1, -1):
        text = lines[i]
        if re.match(r"\s{0,3}#{1,6}\s", text) or (i > 0 and re.fullmatch(r"([=\-~^\"'#*+])\1{2,}\s*", text)
                                                and lines[i - 1].strip()):
            return max(i - 1, 0)
    return lo


_RANK = {"INCORRECT": 3, "CONDITIONAL": 2, "CORRECT": 1}


def span_assignments(spans) -> list[Assignment]:
    """The ``name = expression`` math spans (LaTeX: ``P_{top} = \\lfloor P_{total}/2 \\rfloor``) as assignments."""
    from ..document import parse_math

    out = []
    for span in spans or ():
        if getattr(span, "origin", "") in ("code", "plain") or "=" not in span.tex or len(span.tex) > _MAX_EXPR:
            continue
        try:
            parsed = parse_math(span.tex)
        except Exception:  # noqa: BLE001 - what our grammar cannot read is not judged
            continue
        if parsed.relations != ["="] or len(parsed.sides) != 2:
            continue
        lhs, rhs = parsed.sides
        if not isinstance(lhs, (sp.Symbol, sp.Indexed)) or not getattr(rhs, "free_symbols", None):
            continue
        name = str(lhs).replace("{", "").replace("}", "")
        head = "\n".join(x for x in (span.context or "",) if x)[-80:]
        label = (w[-1].upper() if (w := _MODE_WORD.findall(head)) else None)
        out.append(Assignment(span.line, name, [rhs], span.source.strip(), None, label, span=True))
    return out


def _comment_verdicts(lines, assigns, by_line: dict, skip) -> None:
    """Add to ``by_line`` an INCORRECT for each computed line whose comment states a number its own formula,
    with the block's values, never gives (:mod:`proofs.judge.code_values`)."""
    from .code_values import comment_checks

    by_number = {a.line: a for a in assigns if not a.span}
    for c in comment_checks(lines, list(by_number.values())):
        if c.line in skip or c.stated in c.computed:
            continue
        a = by_number[c.line]
        role = spec_role(a.name)[0]
        quantity = next((j.quantity for _, j in by_line.get(c.line, ()) if j.quantity), None) or \
            {"output_size": "output_size", "padding": "same_padding"}.get(role or "")
        got = sorted(c.computed)
        shown = " or ".join(str(x) for x in got)
        by_line.setdefault(c.line, []).append((a, Judgement(
            "INCORRECT", quantity, f"worked example in code: with the block's values the line computes {shown}, "
                                   f"its comment says {c.stated}",
            counterexample={"document": str(c.stated), "expected": shown}, expected=shown)))


def spec_block_findings(lines, *, skip=(), spans=(), division: str | None = None, time_limit: float = 1.0,
                        total_limit: float = 15.0) -> list:
    """Findings for the assignments of ``lines`` (and of the math ``spans``) that are judged (one per line, the
    worst verdict of its line); ``division="floor"``: the document says its divisions are rounded down."""
    from ..findings import Finding, Verdict

    assigns = assignments_in(lines)
    if division == "floor":
        for a in assigns:
            a.readings = a.readings[-1:]
    taken = {a.line for a in assigns}
    assigns = sorted(assigns + [a for a in span_assignments(spans) if a.line not in taken], key=lambda a: a.line)
    by_line: dict[int, list] = {}
    from ..notation.dim_letters import dimension_letters

    dims = dimension_letters("\n".join(lines))
    doubled = frozenset(re.sub(r"\s+", "", x or y) for x, y in re.findall(
        r"(?<![\w.])2\s*\*\s*([A-Za-z_]\w*(?:\s*\[[^\]\n]{1,20}\])?)(?![\w\[(])|"
        r"(?<![\w.\]])([A-Za-z_]\w*(?:\s*\[[^\]\n]{1,20}\])?)\s*\*\s*2(?![\w.])", "\n".join(lines)))

    stop = _clock() + total_limit
    for a in assigns:
        if a.line in skip:  # the line has a verdict already
            continue
        if _clock() > stop:  # a long specification: the rest is left to the formula judge's findings
            break
        around = "\n".join(lines[_section_start(lines, a.line): a.line])
        block = [b for b in assigns if a.line - 40 <= b.line <= a.line]
        try:
            j = judge_assignment(a, block, around, time_limit=time_limit, dims=dims, doubled=doubled)
        except (EvalError, ValueError, TypeError, ZeroDivisionError, RecursionError) as exc:
            j = Judgement("UNRECOGNIZED", None, f"{a.name}: {exc}")
        by_line.setdefault(a.line, []).append((a, j))
    _comment_verdicts(lines, assigns, by_line, skip)
    out = []
    for line, items in sorted(by_line.items()):
        judged = [(a, j) for a, j in items if j.verdict in _RANK]
        if not judged:
            continue
        a, j = max(judged, key=lambda t: _RANK[t[1].verdict])
        out.append(Finding(line=line, source=a.source, kind="formula", verdict=Verdict(j.verdict), quantity=j.quantity,
                           condition=j.condition, counterexample=j.counterexample, expected=j.expected,
                           explanation=f"{a.name}: {j.explanation}"))
    return out


def merge_spec_findings(findings: list, lines, *, spans=(), time_limit: float = 1.0) -> list:
    """``findings`` with the judged assignments of ``lines`` added: a line that already has a verdict keeps it,
    an UNRECOGNIZED formula finding on the line gives way to the assignment's verdict."""
    decided = {f.line for f in findings if f.verdict.value != "UNRECOGNIZED"}
    from ..document.code_notation import division_convention

    mine = spec_block_findings(lines, skip=decided, spans=spans, division=division_convention("\n".join(lines)),
                               time_limit=time_limit)
    from .split_rule import prose_split_findings

    mine += [f for f in prose_split_findings(lines) if f.line not in decided | {m.line for m in mine}]
    if not mine:
        return findings
    new = [f for f in mine if f.line not in decided]
    replaced = {f.line for f in new}
    kept = [f for f in findings if not (f.line in replaced and f.kind == "formula" and f.verdict.value == "UNRECOGNIZED")]
    return kept + new
