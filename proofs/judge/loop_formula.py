r"""A bare loop nest in a code block, read as the index formula it computes, and judged as one.

Documents write the direct convolution as loops whose sizes and hyperparameters are free names
(``for oh in range(OH): ... out[n, oc, oh, ow] += inp[n, ic, oh*SH - PH + kh, ow*SW - PW + kw] * w[oc, ic, kh, kw]``).
Such a nest cannot be run without knowing what ``SH`` or ``PH`` are — but it *is* an index formula:
the loop variables that index the written entry are its free indices, the others are summed over their
ranges. The nest is read with :func:`ast.parse` (never executed) into

``out[n, oc, oh, ow] = Σ_{ic=0}^{IC−1} Σ_{kh=0}^{KH−1} Σ_{kw=0}^{KW−1} inp[…] · w[…]``

and judged by :func:`proofs.judge.library_index.judge_library_index`, which binds the roles of the free
names by structure (the coefficient of the output position is the stride, the subtracted constant the
padding, the coefficient of the kernel offset the dilation) and evaluates the formula against numeric.

>>> lines = ["for n in range(N):", "  for oc in range(OC):", "    for oh in range(OH):", "      for ow in range(OW):",
...          "        for ic in range(IC):", "          for kh in range(KH):", "            for kw in range(KW):",
...          "              out[n][oc][oh][ow] += inp[n][ic][oh*SH - PH + kh][ow*SW - PW + kw] * w[oc][ic][kh][kw]"]
>>> [(n, j.verdict) for n, _, j in loop_formula_findings(list(enumerate(lines, 1)))]
[(1, 'CORRECT')]
"""

from __future__ import annotations

import ast
import re
import textwrap

import sympy as sp

from .judgement import Judgement

__all__ = ["loop_formula_findings", "loop_as_formula", "accumulation_as_formula"]

_FOR = re.compile(r"^(\s*)for\s+\w+\s+in\s+range\s*\(")


class _NotFormula(Exception):
    pass


def _sym(node):
    """An index expression (names, integers, + − ·, parentheses) as SymPy; anything else is not a formula."""
    if isinstance(node, ast.Name):
        return sp.Symbol(node.id)
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return sp.Integer(node.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
        a, b = _sym(node.left), _sym(node.right)
        return a + b if isinstance(node.op, ast.Add) else a - b if isinstance(node.op, ast.Sub) else a * b
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_sym(node.operand)
    if isinstance(node, ast.Subscript):
        base, idx = _entry(node)
        return sp.IndexedBase(base)[tuple(idx)]
    raise _NotFormula(type(node).__name__)


def _entry(node):
    """``a[i][j]`` or ``a[i, j]`` -> ("a", [i, j])."""
    idx = []
    while isinstance(node, ast.Subscript):
        s = node.slice
        parts = s.elts if isinstance(s, ast.Tuple) else [s]
        if any(isinstance(p, ast.Slice) for p in parts):
            raise _NotFormula("a slice")
        idx[:0] = [_sym(p) for p in parts]
        node = node.value
    if not isinstance(node, ast.Name):
        raise _NotFormula("an entry of something other than a named array")
    return node.id, idx


def _range(call):
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "range"
            and 1 <= len(call.args) <= 2 and not call.keywords):
        raise _NotFormula("a loop over something other than range(a) or range(a, b)")
    lo, hi = (sp.Integer(0), _sym(call.args[0])) if len(call.args) == 1 else (_sym(call.args[0]), _sym(call.args[1]))
    return lo, hi - 1


def loop_as_formula(tree: ast.For):
    """(lhs, rhs) of a perfect loop nest ending in ``T[…] += A[…]·B[…]`` (also ``acc += …; T[…] = acc`` and a bias
    ``T[…] = b[…]`` before the sums), or None."""
    loops, node = [], tree
    while True:
        if not isinstance(node, ast.For) or node.orelse or not isinstance(node.target, ast.Name):
            return None
        loops.append((sp.Symbol(node.target.id), *_range(node.iter)))
        body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        if len(body) == 1 and isinstance(body[0], ast.For):
            node = body[0]
            continue
        break
    acc, init, target = None, sp.Integer(0), None
    inner_loops = []
    stmts = list(body)
    # an initial value before the summing loops: acc = b[oc] (…; out[…] = acc), or out[…] = b[oc]
    if len(stmts) >= 2 and isinstance(stmts[0], ast.Assign) and isinstance(stmts[1], ast.For):
        first = stmts[0].targets[0]
        if isinstance(first, ast.Name) and len(stmts) == 3 and isinstance(stmts[2], ast.Assign) \
                and isinstance(stmts[2].value, ast.Name) and stmts[2].value.id == first.id \
                and isinstance(stmts[2].targets[0], ast.Subscript):
            acc, target = first.id, stmts[2].targets[0]
        elif isinstance(first, ast.Subscript) and len(stmts) == 2:
            target = first
        else:
            return None
        v = stmts[0].value
        init = sp.Integer(0) if isinstance(v, ast.Constant) and v.value in (0, 0.0) else _sym(v)
        node = stmts[1]
        while True:
            if not isinstance(node, ast.For) or node.orelse or not isinstance(node.target, ast.Name):
                return None
            inner_loops.append((sp.Symbol(node.target.id), *_range(node.iter)))
            if len(node.body) == 1 and isinstance(node.body[0], ast.For):
                node = node.body[0]
                continue
            break
        stmts = node.body
    st, skip, guard, helpers = _innermost(stmts)
    if acc is not None:
        if not (isinstance(st.target, ast.Name) and st.target.id == acc):
            return None
    elif target is None:
        if not isinstance(st.target, ast.Subscript):
            return None
        target = st.target
    elif _entry(st.target) != _entry(target):
        return None
    name, idx = _entry(target)
    lhs = sp.IndexedBase(name)[tuple(idx)]
    term = _product(st.value).xreplace(helpers)
    if skip or guard is not None:
        from sympy.logic.boolalg import to_nnf

        cond = to_nnf(sp.And(sp.Not(sp.Or(*skip)) if skip else sp.true, guard if guard is not None else sp.true))
        term = sp.Piecewise((term, cond.xreplace(helpers)), (0, True))
    free = set().union(*(i.free_symbols for i in idx))
    sums = [(v, lo, hi) for v, lo, hi in loops + inner_loops if v not in free]
    if not sums or any(not i.is_Symbol for i in idx):
        return None
    rhs = init + sp.Sum(term, *sums)
    return lhs, rhs


def _innermost(stmts):
    """The accumulation of the innermost body, with helper names (``ih = oh*SH - PH + kh``), bound checks that skip
    (``if ih < 0 or ih >= IH: continue``) and a guard around it (``if 0 <= ih < IH: …``)."""
    helpers: dict = {}
    skip = []
    guard = None
    for k, st in enumerate(stmts):
        last = k == len(stmts) - 1
        if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name) and not last:
            helpers[sp.Symbol(st.targets[0].id)] = _sym(st.value).xreplace(helpers)
        elif isinstance(st, ast.If) and not st.orelse and len(st.body) == 1 and isinstance(st.body[0], ast.Continue):
            skip.append(_cond(st.test).xreplace(helpers))
        elif last and isinstance(st, ast.If) and not st.orelse and len(st.body) == 1:
            guard = _cond(st.test).xreplace(helpers)
            st = st.body[0]
            if isinstance(st, ast.AugAssign) and isinstance(st.op, ast.Add):
                return st, skip, guard, helpers
            raise _NotFormula("a guarded statement that is not an accumulation")
        elif last and isinstance(st, ast.AugAssign) and isinstance(st.op, ast.Add):
            return st, skip, guard, helpers
        else:
            raise _NotFormula(f"statement {type(st).__name__} in the innermost loop")
    raise _NotFormula("no accumulation")


_REL = {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge, ast.Eq: sp.Eq, ast.NotEq: sp.Ne}


def _cond(node):
    if isinstance(node, ast.BoolOp):
        parts = [_cond(v) for v in node.values]
        return sp.And(*parts) if isinstance(node.op, ast.And) else sp.Or(*parts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return sp.Not(_cond(node.operand))
    if isinstance(node, ast.Compare):
        out, left = [], _sym(node.left)
        for op, c in zip(node.ops, node.comparators):
            rel = _REL.get(type(op))
            if rel is None:
                raise _NotFormula("a comparison")
            right = _sym(c)
            out.append(rel(left, right))
            left = right
        return sp.And(*out)
    raise _NotFormula("a condition")


def _product(node):
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult)):
        raise _NotFormula("the accumulated term is not a product")
    a, b = _sym(node.left), _sym(node.right)
    if not (isinstance(a, sp.Indexed) and isinstance(b, sp.Indexed)):
        raise _NotFormula("the accumulated term is not a product of two entries")
    return a * b


def _nests(lines):
    """(line, source, outermost For) of each loop nest that is not inside a function or another loop."""
    out = []
    k = 0
    in_def = None  # the indentation of the function whose body the lines are in (its loops are judged as code)
    while k < len(lines):
        line, text = lines[k]
        ind = len(text) - len(text.lstrip())
        if text.strip() and in_def is not None and ind <= in_def:
            in_def = None
        if re.match(r"\s*def\s", text):
            in_def = ind
        m = _FOR.match(text)
        if not m or in_def is not None:
            k += 1
            continue
        indent = len(m.group(1))
        body = [text]
        j = k + 1
        while j < len(lines) and (not lines[j][1].strip() or len(lines[j][1]) - len(lines[j][1].lstrip()) > indent):
            body.append(lines[j][1])
            j += 1
        try:
            tree = ast.parse(textwrap.dedent("\n".join(body)))
        except (SyntaxError, ValueError, RecursionError):
            tree = None
        if tree is not None and tree.body and isinstance(tree.body[0], ast.For):
            out.append((line, text.strip(), tree.body[0]))
        k = j
    return out


_ACCUMULATE = re.compile(r"`([^`]*\[[^`]*\+=[^`]*\[[^`]*)`|^\s*([A-Za-z_]\w*\s*\[[^#]*\+=.*\]\s*;?)\s*(?:#.*)?$")


def accumulation_as_formula(code: str):
    """``out[n][oc][oh][ow] += src[…][…] * wei[…]`` alone (no loops around it): the indices of the written entry are
    free, the others are summed, each over ``0 … K−1`` for a size ``K`` left to the judge to set; or None.

    >>> lhs, rhs = accumulation_as_formula("y[i][j] += x[i*S + u][j*S + v] * w[u][v]")
    >>> lhs, sorted(str(v) for v, *_ in rhs.limits)
    (y[i, j], ['u', 'v'])
    """
    code = re.sub(r"\b(in|is|from|lambda|def|class|for|if|else|not|and|or|with|as)(\s*\[)", r"\1_\2", code)  # C names
    try:
        tree = ast.parse(code.strip().rstrip(";"))
    except (SyntaxError, ValueError, RecursionError):
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.AugAssign) or not isinstance(tree.body[0].op, ast.Add):
        return None
    st = tree.body[0]
    try:
        if not isinstance(st.target, ast.Subscript):
            return None
        name, idx = _entry(st.target)
        term = _product(st.value)
    except _NotFormula:
        return None
    if not all(i.is_Symbol for i in idx):
        return None
    free = set(idx)
    inner = sorted({v for r in term.atoms(sp.Indexed) for i in r.indices for v in i.free_symbols
                    if i.is_Symbol or True} - free, key=str)
    # the summed indices: those that index the kernel on their own (a name alone on an axis of some read)
    alone = {i for r in term.atoms(sp.Indexed) for i in r.indices if i.is_Symbol} - free
    summed = [v for v in inner if v in alone]
    if not summed:
        return None
    limits = [(v, 0, sp.Symbol(f"#{v}") - 1) for v in summed]
    return sp.IndexedBase(name)[tuple(idx)], sp.Sum(term, *limits)


def _accumulations(lines, covered):
    """(line, source, code) of accumulation statements outside the loop nests already read."""
    out = []
    for line, text in lines:
        if line in covered or "+=" not in text or "[" not in text:
            continue
        m = _ACCUMULATE.search(text)
        if m:
            out.append((line, text.strip(), m.group(1) or m.group(2)))
    return out


def _blocks_lines(lines) -> set:
    """The lines inside a ``def``, ``for`` or ``while`` block (Python indentation or C braces): a statement there is
    part of a larger statement, judged with it or not at all."""
    covered: set = set()
    opened = None  # indentation of the innermost open block header
    depth = 0
    for line, text in lines:
        ind = len(text) - len(text.lstrip())
        if text.strip() and opened is not None and ind <= opened and depth <= 0:
            opened = None
        if opened is not None or depth > 0:
            covered.add(line)
        if re.match(r"\s*(def|for|while)\b", text):
            opened = ind if opened is None else min(opened, ind)
            covered.add(line)
        if opened is not None or depth > 0:
            depth += text.count("{") - text.count("}")
    return covered


def _structural_roles(lhs, rhs) -> dict:
    """Roles of the free names by structure: the coefficient of an output index inside a read is the stride, the
    upper end (+1) of a summed kernel offset's range is the kernel size."""
    roles: dict = {}
    free = set(lhs.indices)
    sums = [x for x in sp.preorder_traversal(rhs) if isinstance(x, sp.Sum)]
    for r in rhs.atoms(sp.Indexed):
        for a in r.indices:
            if a.is_Symbol:
                continue
            for v in free & a.free_symbols:
                c = sp.expand(a).coeff(v)
                if c.is_Symbol:
                    roles[str(c)] = "stride"
    for sm in sums:
        for v, lo, hi in sm.limits:
            k = sp.expand(hi + 1)
            if lo == 0 and k.is_Symbol and any(v in a.free_symbols and not a.is_Symbol
                                                for r in rhs.atoms(sp.Indexed) for a in r.indices):
                roles.setdefault(str(k), "kernel")
    return roles


def _judge_plain(lhs, rhs):
    """A loop nest without channels (``out[i][j] += x[i*s + u][j*s + v] * w[u][v]``): the index-formula judge, with
    the roles the structure gives; None when it does not judge it."""
    from .index_eval import judge_index_formula

    j = judge_index_formula(lhs, rhs, roles=_structural_roles(lhs, rhs), origin_fixed=True)
    return None if j.verdict == "UNRECOGNIZED" else j


def loop_formula_findings(lines) -> list[tuple[int, str, Judgement]]:
    """(line, source, judgement) of every bare loop nest computing a convolution that the lines hold, and of every
    lone accumulation statement (``out[…] += src[…] * wei[…]``) outside them."""
    from .library_index import judge_library_index

    out = []
    lines = list(lines)
    nests = _nests(lines)
    covered = _blocks_lines(lines)
    candidates = []
    for line, source, tree in nests:
        try:
            pair = loop_as_formula(tree)
        except _NotFormula:
            continue
        if pair is not None:
            candidates.append((line, source, pair, "loop nest"))
    from .c_loops import c_nests

    for line, source, py in c_nests(lines):
        try:
            tree = ast.parse(py)
            pair = loop_as_formula(tree.body[0]) if tree.body and isinstance(tree.body[0], ast.For) else None
        except (_NotFormula, SyntaxError, ValueError, RecursionError):
            continue
        if pair is not None:
            candidates.append((line, source, pair, "C loop nest"))
    for line, source, code in _accumulations(lines, covered):
        pair = accumulation_as_formula(code)
        if pair is not None:
            candidates.append((line, source, pair, "accumulation"))
    for line, source, pair, what in candidates:
        lhs, rhs = pair
        try:
            j = judge_library_index(lhs, rhs) or _judge_plain(lhs, rhs)
        except (ValueError, TypeError, ArithmeticError, RecursionError):
            j = None
        if j is not None:
            j.explanation = f"{what} read as the index formula {lhs} = {rhs}: {j.explanation}"
            out.append((line, source, j))
    return out
