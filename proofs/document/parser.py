r"""Parse one formula (LaTeX or Unicode math) into SymPy objects: :func:`parse_math`.

Pipeline: bounds on the raw text (:mod:`~proofs.document.bounds`) →
clean-up (:mod:`~proofs.document.normalize`) → LALR parse with our grammar
(``grammar.lark``) → SymPy objects (:mod:`~proofs.document.to_sympy`, whose
docstring lists the reading rules). Nothing is ever evaluated as code.

Examples
--------
>>> pm = parse_math(r"H_{out} = \left\lfloor \frac{H + 2P - k}{S} \right\rfloor + 1")
>>> pm.relations
['=']
>>> pm.sides[0], pm.sides[1]
(H_out, floor((H + 2*P - k)/S) + 1)
>>> parse_math("⌊(224 − 7 + 2·3)/2⌋ + 1 = ⌊223/2⌋ + 1 = 112").sides
[112, 112, 112]
>>> parse_math(r"10^{10^{10}}")
Traceback (most recent call last):
...
proofs.document.errors.MathParseError: bound exceeded: exponent 10^10 > 10^4
"""

from __future__ import annotations

import re

import functools
from dataclasses import dataclass, field
from importlib import resources

import sympy as sp
from lark import Lark
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from . import bounds
from .errors import MathParseError
from .normalize import normalize_formula
from .to_sympy import Builder

__all__ = ["ParsedMath", "parse_math", "MathParseError"]


@dataclass(frozen=True)
class ParsedMath:
    r"""A formula read into SymPy.

    Attributes
    ----------
    text : str
        The input, as given.
    sides : list
        SymPy objects, one per side of the relation chain (one for a bare expression).
    relations : list of str
        ``len(sides) - 1`` relations among ``= ≈ < ≤ > ≥ ≠ ∈ → ∝ ≡``.
    notes : list of str
        Ambiguities resolved while reading (e.g. ``"d(…) read as multiplication"``).
    conditions : list of str
        Side conditions split off the formula (``\quad l = 1,\dots,L`` → ``"l = 1,\dots,L"``).
    """

    text: str
    sides: list
    relations: list[str]
    notes: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)

    @property
    def lhs(self):
        """The first side."""
        return self.sides[0]

    @property
    def rhs(self):
        """The last side (the first one for a bare expression)."""
        return self.sides[-1]


@functools.lru_cache(maxsize=1)
def _lark() -> Lark:
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", maybe_placeholders=False, propagate_positions=False)


#: an operator or function written on its own (``$\\odot$``, ``$*$``, ``:math:`tanh```, a ``\\cdot`` placeholder
#: in a matrix cell): prose names it, nothing is computed with it
_LONE = re.compile(r"\s*(?:\\(cdot|times|star|odot|otimes|circ|ast|circledast|bullet|rtimes|ltimes|oplus|"
                   r"exp|log|ln|tanh|sinh|cosh|sin|cos|tan|max|min|sum|prod|argmax|argmin|int|partial|nabla)"
                   r"|(\*)(?:_\{?\\?(?:text|mathrm)?\{?([A-Za-z0-9]+)\}?\}?)?)\s*")


def _lone_symbol(text: str):
    m = _LONE.fullmatch(text)
    if not m:
        return None
    name = m.group(1) or ("ast" + (f"_{m.group(3)}" if m.group(3) else ""))
    return sp.Symbol(name)


#: functions of our own reading (``conv(a, b)``, ``at(e, i)`` …), not names of the document
_READER_FUNCS = {"at", "conv", "corr", "dilated_conv", "transpose", "hadamard", "kron", "compose", "maps",
                 "semidirect", "semidirect_left", "RealSpace", "differential", "int_over", "starred", "norm",
                 "inner", "partial", "partial_ratio", "nabla", "max_over", "min_over", "is_window_max"}


def _applied_names(sides) -> set[str]:
    """Names the formula applies as functions: ``k`` of ``k(x, y)``, ``f`` and ``k`` of ``(f * k)(x)``."""
    names: set[str] = set()
    for side in sides:
        if not isinstance(side, sp.Basic):
            continue
        for n in sp.preorder_traversal(side):
            if not isinstance(n, sp.core.function.AppliedUndef):
                continue
            fname = n.func.__name__
            if fname not in _READER_FUNCS and not fname.startswith("conv_"):
                names.add(fname)
            elif fname == "at" and isinstance(n.args[0], sp.core.function.AppliedUndef) and (
                    n.args[0].func.__name__ in ("conv", "corr") or n.args[0].func.__name__.startswith("conv_")):
                names.update(a.name for a in n.args[0].args if isinstance(a, sp.Symbol))
    return names


def _product_reads(notes: list[str]) -> set[str]:
    """Names whose application was read as a product (the note ``k(…) read as multiplication``)."""
    return {m.group(1) for n in notes if (m := re.fullmatch(r"(\S+)\(…\) read as multiplication", n))}


def _syntax_reason(err: UnexpectedInput, text: str) -> str:
    col = getattr(err, "column", None)
    if isinstance(err, UnexpectedCharacters):
        ch = text[err.pos_in_stream] if 0 <= err.pos_in_stream < len(text) else "?"
        return f"syntax: unexpected character {ch!r} at col {col}"
    if isinstance(err, UnexpectedToken):
        tok = err.token
        if tok.type == "$END":
            return "syntax: unexpected end of formula"
        return f"syntax: unexpected token {tok.value!r} at col {col}"
    if isinstance(err, UnexpectedEOF):
        return "syntax: unexpected end of formula"
    return f"syntax: {type(err).__name__}"  # pragma: no cover


def _parse_tree(text: str):
    try:
        return _lark().parse(text)
    except UnexpectedInput as err:
        raise MathParseError(_syntax_reason(err, text), text) from None
    except LarkError as err:  # pragma: no cover - other lark failures
        raise MathParseError(f"syntax: {err}", text) from None


def _count_nodes(tree) -> int:
    """Number of nodes of ``tree``; refuses trees that are too large or too deep for the reader."""
    count, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > bounds.MAX_TREE_NODES:
            raise MathParseError(f"bound exceeded: parse tree with more than {bounds.MAX_TREE_NODES} nodes")
        if depth > bounds.MAX_TREE_DEPTH:
            raise MathParseError(f"bound exceeded: parse tree deeper than {bounds.MAX_TREE_DEPTH} levels")
        stack.extend((c, depth + 1) for c in getattr(node, "children", ()))
    return count


def _check_result_depth(expr) -> None:
    """Refuse results nested deeper than the printers and the judge can walk (``x_x_x_…``)."""
    stack = [(expr, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > bounds.MAX_RESULT_DEPTH:
            raise MathParseError(f"bound exceeded: expression nested deeper than {bounds.MAX_RESULT_DEPTH} levels")
        stack.extend((a, depth + 1) for a in getattr(node, "args", ()) if isinstance(a, sp.Basic))


def _parse_piece(text: str, builder: Builder):
    tree = _parse_tree(text)
    _count_nodes(tree)
    return builder.visit(tree)


_WORD_WRAP = r"\\(?:text|textrm|mathrm|textit|mathit|operatorname|mbox)\s*\{\s*"
#: a condition's leading word (``\text{if } x > 0``, ``\mathrm{for}\ x>0``, ``when x > 0``): not part of the relation
_COND_WORD = re.compile(rf"^\s*(?:{_WORD_WRAP}(?:if|for|when|whenever|where|for\s+all)\s*[,:]?\s*\}}|"
                        r"(?:if|for|when|whenever|where)(?![A-Za-z]))\s*(?:\\[ ,;:]\s*)*", re.I)
_COND_AND = re.compile(rf"{_WORD_WRAP}\s*and\s*\}}|\\(?:wedge|land)(?![A-Za-z])|(?<![A-Za-z\\])and(?![A-Za-z])")
_COND_OR = re.compile(rf"{_WORD_WRAP}\s*or\s*\}}|\\(?:vee|lor)(?![A-Za-z])|(?<![A-Za-z\\])or(?![A-Za-z])")


def _truthy_condition(text: str) -> bool:
    t = re.sub(r"\\(?:textrm|textit|text|mathrm|mathit|mbox)", "", text)
    t = t.replace("{", "").replace("}", "").strip().rstrip(".,;").strip().lower()
    return t in ("", "otherwise", "else", "sonst", "elsewhere", "in all other cases", "else where")


def _condition_text(cond: str) -> str:
    r"""The relation of a ``cases`` condition: its leading word dropped, "and" read as a comma (all must hold).

    >>> _condition_text(r"\text{if } x > 0 \text{ and } x < 1,")
    'x > 0  ,  x < 1'
    >>> _condition_text(r"\mathrm{for}\ x \leq 0")
    'x \\leq 0'
    """
    if _COND_OR.search(cond):
        raise MathParseError("unsupported: a \\begin{cases} condition with 'or'")
    cond = _COND_WORD.sub("", cond.strip().rstrip(".,;"))
    return _COND_AND.sub(" , ", cond).rstrip(".,; ")


def _matrix(rows, builder: Builder):
    def entry(cell: str):
        main = normalize_formula(cell).main
        lone = _lone_symbol(main)  # a "\cdot" placeholder cell
        return lone if lone is not None else _single_expr(_parse_piece(main, builder), "matrix entry")

    cells = [[entry(cell) for cell in row] for row in rows]
    if len({len(r) for r in cells}) != 1:
        raise MathParseError(f"syntax: matrix rows of different lengths {[len(r) for r in cells]}")
    return sp.ImmutableMatrix(cells)


def _cases(cases_text, builder: Builder) -> list:
    built = []
    for kind, rows in cases_text:
        if kind == "matrix":
            built.append(_matrix(rows, builder))
            continue
        pieces = []
        for value, cond in rows:
            v = _single_expr(_parse_piece(normalize_formula(value).main, builder))
            if _truthy_condition(cond):
                c = sp.true
            elif (wm := _window_max_condition(cond, builder)) is not None:
                c = wm
            else:
                norm = normalize_formula(_condition_text(cond))
                chains = _parse_piece(norm.main, builder)
                c = sp.And(*[builder._relational(sides, rels) if rels else _to_bool(sides[0].expr)
                              for sides, rels in chains])
            pieces.append((v, c))
        try:
            built.append(sp.Piecewise(*pieces))
        except (TypeError, ValueError) as err:
            raise MathParseError(f"unsupported: \\begin{{cases}} ({err})") from None
    return built


_ACCESS = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_\{[^{}]*\}|\[[^\[\]]*\])")


def _window_max_condition(cond: str, builder: Builder):
    r"""``X[i,j] = max in pool``, ``X_{i,j} is the maximum of its window`` → ``Eq(is_window_max(X[i, j]), 1)``.

    The words say "this entry is the maximum of (one of) its pooling window(s)"; the entry is read
    with our grammar. None when the condition is not of this kind.
    """
    text = re.sub(r"\\text\s*\{([^{}]*)\}", r" \1 ", cond).replace("\\max", "max")
    if not re.search(r"\b(arg ?max|max(imum)?|largest)\b", text, re.I) or not re.search(
            r"\b(pool|pooling|window|region|its|patch)\b|=\s*max\s*$", text, re.I):
        return None
    m = _ACCESS.search(text)
    if not m:
        return None
    chains = _parse_piece(normalize_formula(m.group()).main, builder)
    entry = _single_expr(chains, "window entry")
    if not isinstance(entry, sp.Indexed):
        return None
    builder.note(f"condition {text.strip()!r} read as: the entry is the maximum of its pooling window")
    return sp.Eq(sp.Function("is_window_max")(entry), 1)


def _to_bool(expr):
    if expr in (sp.true, sp.false) or isinstance(expr, sp.logic.boolalg.Boolean):
        return expr
    raise MathParseError("unsupported: \\begin{cases} condition that is not a relation")


def _single_expr(chains, what: str = "\\begin{cases} value"):
    if len(chains) != 1 or chains[0][1]:
        raise MathParseError(f"unsupported: {what} that is not one expression")
    return chains[0][0][0].expr


def _combine(chains, builder: Builder) -> tuple[list, list[str]]:
    """One relation chain from the comma-separated chains of a formula."""
    if len(chains) == 1:
        sides, rels = chains[0]
        return [s.expr for s in sides], rels
    with_rel = [c for c in chains if c[1]]
    if len(chains[0][1]) >= 1 and all(not c[1] for c in chains[1:]):
        builder.note("comma list after a relation read as a tuple")
        sides, rels = chains[0]
        items = [sides[-1].expr] + [c[0][0].expr for c in chains[1:]]
        return [s.expr for s in sides[:-1]] + [sp.Tuple(*items)], rels
    if not with_rel:
        return [sp.Tuple(*[c[0][0].expr for c in chains])], []
    if len(with_rel) == len(chains) and all(len(c[1]) == 1 for c in chains) and len({c[1][0] for c in chains}) == 1:
        builder.note("comma-separated relations read as one relation between tuples")
        return ([sp.Tuple(*[c[0][0].expr for c in chains]), sp.Tuple(*[c[0][1].expr for c in chains])],
                [chains[0][1][0]])
    if all(not c[1] for c in chains[:-1]) and chains[-1][1]:
        # "a, b \in (…)": the bare items share the relation of the last one
        builder.note("comma list before a relation read as a tuple")
        sides, rels = chains[-1]
        first = sp.Tuple(*[c[0][0].expr for c in chains[:-1]], sides[0].expr)
        return [first] + [s.expr for s in sides[1:]], rels
    raise MathParseError("unsupported: several comma-separated formulas of different kinds")


def parse_math(tex: str) -> ParsedMath:
    r"""Read one formula into SymPy objects, safely.

    Parameters
    ----------
    tex : str
        A formula without its delimiters: LaTeX (``\frac{\partial L}{\partial W}``)
        or Unicode math (``∂L/∂X[i,j,d] = ∑_{u,v} …``).

    Returns
    -------
    ParsedMath
        ``sides``/``relations`` of the relation chain, plus ``notes`` and ``conditions``.

    Raises
    ------
    MathParseError
        With ``reason`` ``"unsupported: …"``, ``"bound exceeded: …"`` or ``"syntax: …"``.
        It is the only exception that leaves this function.

    Examples
    --------
    >>> parse_math("RF_ℓ = RF_{ℓ-1} + (k_ℓ - 1) · ∏_{i=1}^{ℓ-1} s_i").sides[1]
    (k_ell - 1)*Product(s_i, (i, 1, ell - 1)) + RF[ell - 1]
    >>> parse_math(r"\begin{tabular}{c} 1 \end{tabular}")
    Traceback (most recent call last):
    ...
    proofs.document.errors.MathParseError: unsupported: \begin{tabular}
    """
    if not isinstance(tex, str):
        raise MathParseError(f"syntax: expected a str, got {type(tex).__name__}")
    try:
        bounds.check_length(tex)
        if "\x00" in tex:
            raise MathParseError("syntax: NUL character in formula")
        bounds.check_nesting(tex)
        _lark()  # built once per process (about a second), outside the per-formula time budget
        deadline = bounds.Deadline()
        norm = normalize_formula(tex)
        if not norm.main.strip():
            raise MathParseError("syntax: empty formula")
        bounds.check_nesting(norm.main)
        lone = _lone_symbol(norm.main)
        if lone is not None:
            return ParsedMath(text=tex, sides=[lone], relations=[], notes=list(norm.notes) + [
                f"the operator or function {norm.main.strip()} on its own: read as its name {lone}"],
                conditions=norm.conditions)
        builder = Builder(deadline=deadline, code_like=norm.code_like)
        builder.cases = _cases(norm.cases, builder)
        chains = _parse_piece(norm.main, builder)
        sides, rels = _combine(chains, builder)
        functions = _applied_names(sides) & _product_reads(builder.notes)
        if functions:  # the formula applies k elsewhere (k(x, y), (f * k)(x)): its k(x - z) is an application too
            builder = Builder(deadline=deadline, code_like=norm.code_like, functions=frozenset(functions))
            builder.cases = _cases(norm.cases, builder)
            sides, rels = _combine(_parse_piece(norm.main, builder), builder)
            builder.note(f"{', '.join(sorted(functions))} applied elsewhere in the formula: every "
                         f"{sorted(functions)[0]}(…) read as a function application")
        for side in sides:
            _check_result_depth(side)
            if isinstance(side, sp.Basic) and any(getattr(n.func, "__name__", "") == "differential"
                                                  for n in sp.preorder_traversal(side)):
                raise MathParseError("unsupported: a differential d… that no \\int takes")
        deadline.check()
        return ParsedMath(text=tex, sides=sides, relations=rels, notes=list(norm.notes) + builder.notes,
                          conditions=norm.conditions)
    except MathParseError as err:
        if err.text is None:
            err.text = tex
        raise
    except RecursionError:
        raise MathParseError("bound exceeded: nesting too deep for the reader", tex) from None
    except Exception as err:  # noqa: BLE001 - the contract: nothing else escapes
        raise MathParseError(f"internal: {type(err).__name__}: {str(err)[:120]}", tex) from None
