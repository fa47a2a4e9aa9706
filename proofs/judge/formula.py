"""Judge one parsed formula: recognise it, bind its symbols, compute its verdict.

This is the dispatcher of the judge: numeric chains go to
:mod:`~proofs.judge.arithmetic`, size and count formulas to
:mod:`~proofs.judge.sizes`, index formulas to :mod:`~proofs.judge.index_eval`;
what cannot be recognised or bound with confidence is UNRECOGNIZED with the
reason. Work per formula is bounded (evaluation budget and a time limit).

Examples
--------
>>> import sympy as sp
>>> H, P, k, S = sp.symbols("H P k S")
>>> ctx = FormulaContext(context="For input size H×W, kernel size k×k, padding P, stride S:")
>>> j = judge_sides([sp.Symbol("H_out"), (H + 2*P - k)/S + 1], ["="], ctx)
>>> j.verdict, j.quantity, j.condition
('CONDITIONAL', 'output_size', 'S divides (H + 2·P − k)')
"""

from __future__ import annotations

import re
from ..clock import now as _clock
from dataclasses import dataclass, field

import sympy as sp

from ..notation.definitions import definitions_in_line
from ..notation.formula_defs import defined_nearby
from ..notation.names import reread_runs
from .dilation import dilation_base, judge_effective_kernel
from .assignments import search_output_size
from .arithmetic import judge_chain, judge_identity, numeric_value, scientific_numbers
from .elementwise import judge_elementwise
from .index_eval import judge_index_formula
from .recognize import has_tensor_reads, recognize
from .roles import bind_roles, context_values, definitions_in, padding_convention, split_name
from .subscripts import multi_index_names, one_based, to_zero_based, subscripts_as_indices, summation_letters, tensor_index_letters
from .sizes import Judgement, _stated_ceil_mode, judge_output_size, judge_padding_left_out, judge_param_count, judge_receptive_field, judge_same_padding
from . import truth
from .cost import judge_macs
from .per_axis import layer_recurrence_scalars, merge_side_paddings, one_side_padding, per_axis_scalars
from .prose_quantity import judge_prose_quantity
from .rf_step import judge_rf_step, step_names
from .scaled_value import judge_scaled_value
from .steps import judge_function_steps, judge_sum_steps
from .transposed import looks_transposed
from .transposed_search import judge_announced_transposed
from .updates import judge_update
from .dense import judge_dense
from .library_index import judge_library_index

__all__ = ["FormulaContext", "judge_sides", "TIME_LIMIT"]

#: seconds of work allowed for one formula
TIME_LIMIT = 4.0


@dataclass
class FormulaContext:
    """Where a formula sits: the prose before and after it, its section, what the document defined.

    ``aliases`` collects notation the document introduces (``δ = ∂L/∂Y``) for later formulas.
    """

    context: str = ""
    after: str = ""
    section: str = ""
    definitions: dict = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)
    nearby: str = ""  # text of the section around the formula (for naming conventions)
    before: str = ""  # the lines just above the formula (what the prose said before it, beyond ``context``)
    declared: dict = field(default_factory=dict)  # symbol -> role declared by the author (wins over everything)
    conventions: dict = field(default_factory=dict)  # conventions in scope (proofs.notation): padding, index, bias ...
    declared_conventions: dict = field(default_factory=dict)  # conventions the author declared (win over the prose)
    defined: dict = field(default_factory=dict)  # symbol base -> the document's own definition ("define A_l = …")
    symbol_conventions: dict = field(default_factory=dict)  # letter -> padding convention stated for it
    doubled: set = field(default_factory=set)  # letters the document's formulas write as 2p (a padding per side)


def _bind(names, around: str, ctx: "FormulaContext"):
    """Roles of ``names``: the prose around the formula, the document's symbol table, declared notation on top."""
    defs = dict(ctx.definitions)
    defs.update(definitions_in(around))
    binding = bind_roles(names, around, ctx.section, defs)
    for n in names:
        if n in ctx.declared:
            binding.roles[n] = ctx.declared[n]
    return binding


#: roles a sentence may announce for the left side of the formula that ends it ("the number of windows is")
_ANNOUNCED = ("output_size",)
_ANNOUNCING = re.compile(r"(?i)^\s*(?:is|are|equals?|becomes|reads|will be|would be|is given by|is then|then is|"
                         r"we get|we have)?\s*[:=]?\s*(?:\$\$?|\\\(|\\\[)?\s*$")


def _announced_role(lhs, context: str) -> str | None:
    """The role the sentence right before a formula gives its left side: "… the number of windows is $$m = …$$".

    Only a bare symbol, only when the role words end the sentence (up to "is", "equals", ":").

    >>> import sympy as sp
    >>> _announced_role(sp.Symbol("m"), "For an input of width $a$ the number of windows is")
    'output_size'
    >>> _announced_role(sp.Symbol("m"), "the number of windows is large, so") is None
    True
    """
    if not getattr(lhs, "is_Symbol", False) or not context:
        return None
    from ..notation.lexicon import role_words

    tail = context.rstrip()[-120:]
    words = role_words(tail)
    if not words or words[-1].role not in _ANNOUNCED or not _ANNOUNCING.match(tail[words[-1].end:]):
        return None
    return words[-1].role


def _size_along_own_axis(lhs, defining, roles: dict, ctx: "FormulaContext") -> dict | None:
    """``D_out = ⌊(D_in + 2P − K)/S⌋ + 1``: a letter computed from itself with a kernel, stride or padding is a
    size along its own axis (the depth of a 3-D convolution), whatever its name suggests alone (``D`` dilation,
    ``D_in`` input channels). The structure of the formula is the evidence; a role the document defines or
    declares for the letter wins.

    >>> import sympy as sp
    >>> D_out, D_in, K, S, P = sp.symbols("D_out D_in K S P")
    >>> roles = {"D_out": "channels_out", "D_in": "channels_in", "K": "kernel", "S": "stride", "P": "padding"}
    >>> _size_along_own_axis(D_out, (D_in + 2*P - K)/S + 1, roles, FormulaContext())
    {'D_in': 'input_size', 'D_out': 'output_size'}
    >>> _size_along_own_axis(sp.Symbol("C_out"), sp.Symbol("C_in") * K**2, {"C_in": "channels_in", "K": "kernel"}, FormulaContext())
    """
    if not getattr(lhs, "is_Symbol", False):
        return None
    names = [str(x) for x in defining.free_symbols]
    if any(roles.get(n) == "input_size" for n in names) or not any(roles.get(n) in ("kernel", "stride", "padding")
                                                                  for n in names):
        return None
    base = split_name(str(lhs))[0].rstrip("'")
    own = [n for n in names if n != str(lhs) and split_name(n)[0].rstrip("'") == base
           and roles.get(n) in (None, "dilation", "channels_in", "channels")]
    if len(own) != 1 or roles.get(str(lhs)) not in (None, "channels_out", "output_size", "dilation", "channels"):
        return None
    stated = {**ctx.definitions, **ctx.declared}
    if own[0] in stated or str(lhs) in stated:
        return None
    me = sp.Symbol(own[0])
    window = {sp.Symbol(n) for n in names if roles.get(n) in ("kernel", "padding")}
    if not any(isinstance(node, sp.Add) and any(t.free_symbols == {me} for t in node.args)
               and any(t.free_symbols & window for t in node.args) for node in sp.preorder_traversal(defining)):
        return None  # a size and the window enter one sum: D_in + 2P − K
    return {own[0]: "input_size", str(lhs): "output_size"}


def _padding_convention(ctx: "FormulaContext", names=(), pads=()) -> str | None:
    """Padding per side or in total: declared, else stated for one of the formula's letters ("a total of $p_h$ rows
    of padding"), else said next to the formula, else the document's convention in scope (its section first), else
    said in the lines around."""
    stated = {ctx.symbol_conventions[n] for n in names if n in ctx.symbol_conventions}
    return (ctx.declared_conventions.get("padding") or (stated.pop() if len(stated) == 1 else None)
            or padding_convention(f"{ctx.context}\n{ctx.after}")
            or ctx.conventions.get("padding") or padding_convention(ctx.nearby)  # the section's statement before lines around
            or ("per_side" if set(pads) & ctx.doubled else None))  # the document's own formulas write this padding 2p


def _convention(ctx: "FormulaContext", name: str) -> str | None:
    """The convention ``name`` in scope: declared by the author, else stated by the document."""
    return ctx.declared_conventions.get(name) or ctx.conventions.get(name)


def _dilation_base(ctx: "FormulaContext") -> int | None:
    return dilation_base(_convention(ctx, "dilation"))


def _other_dilation_count(result, defining, roles, ctx, conv, op, budget):
    """Wrong with the dilation counted one way, right counted the other: UNRECOGNIZED, never INCORRECT.

    A document may state one count and use the other in a quoted formula, or not say at all; the count
    is a convention, not a mistake the judge can prove.
    """
    if result.verdict != "INCORRECT" or "dilation" not in {roles.get(str(x)) for x in defining.free_symbols}:
        return result
    stated = _dilation_base(ctx)
    if stated is not None:  # the document said how it counts, before this formula: the formula breaks its own rule
        result.explanation += f" (the document counts the dilation from {stated}; counted from {1 - stated} it would hold)"
        return result
    used = 1
    other = judge_output_size(defining, roles, convention=conv, op=op, time_limit=budget / 2, dilation_base=1 - used)
    if other.verdict != "CORRECT":
        return result
    said = "the document does not say which" if stated is None else f"the document states a count from {stated}"
    return Judgement("UNRECOGNIZED", "output_size", f"output size: right if the dilation is counted from {1 - used} "
                     f"({'oneDNN' if used else 'PyTorch'}), wrong if counted from {used}; {said}")


def _rounded_down(result, defining, roles, ctx, conv, op, budget):
    """A formula without a floor, CONDITIONAL on a divisibility, under the document's stated round-down convention."""
    if (result.verdict != "CONDITIONAL" or "divides" not in (result.condition or "")
            or _convention(ctx, "rounding") != "floor" or defining.has(sp.floor, sp.ceiling)):
        return result
    floored = judge_output_size(sp.floor(defining), roles, convention=conv, op=op, time_limit=budget / 2,
                                dilation_base=_dilation_base(ctx) if _dilation_base(ctx) is not None else 1)
    if floored.verdict == "UNRECOGNIZED" and floored.explanation.startswith("output size: cannot bind"):
        floored = search_output_size(sp.floor(defining), roles, convention=conv, op=op, time_limit=budget / 2) or floored
    if floored.verdict != "CORRECT":
        return result
    floored.explanation += ("; the formula has no floor, and the document states that results are rounded down: "
                            "exact under that convention")
    return floored


_NO_PADDING = re.compile(r"(?i)\b(?:no|without|not?)\s+(?:zero[- ])?padd|unpadded|\bvalid\b|simplif|"
                         r"\b(?:could|can|may|is|are|be|set to|equals?)\s+(?:0|zero)\b(?![- ]padd)|\bpad(?:ding)?\s*=\s*0\b|"
                         r"\b[A-Za-z](?:_\w+)?\s*=\s*0\b")


def _padding_left_out(result, defining, roles, ctx, conv, budget):
    """Right without padding, but the prose next to it defines a padding for it that it leaves out: CONDITIONAL."""
    if result.verdict != "CORRECT" or "padding" in {roles.get(str(x)) for x in defining.free_symbols}:
        return result
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z`$\\])", ctx.after.strip(), maxsplit=1)[0] if ctx.after.strip() else ""
    around = f"{_last_sentence(ctx.context)}\n{first}"  # the formula's own sentence: a "where" list, what precedes it
    if _NO_PADDING.search(f"{around}\n{ctx.section}"):
        return result
    local = {**definitions_in(around), **{f.symbol: f.role for f in definitions_in_line(around)}}
    pads = [n for n, r in local.items() if r == "padding" and sp.Symbol(n) not in defining.free_symbols]
    if len(pads) != 1:
        return result
    left = judge_padding_left_out(defining, roles, pads[0], convention=conv, time_limit=budget / 2)
    return left or result


def _names(sides) -> list[str]:
    """Every scalar symbol of the sides, including those inside derivatives and indices (not tensor names)."""
    out = set()
    for s in sides:
        try:
            labels = {str(n.label) for n in s.atoms(sp.IndexedBase)}
            out |= {str(x) for x in s.atoms(sp.Symbol)} - labels
        except AttributeError:
            continue
    return sorted(out)


def _last_sentence(text: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+|\n\s*\n", text.strip())
    return parts[-1] if parts else ""


def _operation_label(ctx: FormulaContext) -> str | None:
    """What the prose calls the operation just before the formula: "cross-correlation", "convolution" or None."""
    for text in (_last_sentence(ctx.context), ctx.section):
        low = text.lower()
        low = re.sub(r"(rather than|instead of|not|vs\.?|versus|unlike)\s+(true |mathematical |a |the )?"
                     r"(cross-?correlation|convolution)", " ", low)
        has_x = re.search(r"cross-?correlation|correlation", low)
        has_c = re.search(r"convolution", low)
        if has_x and not has_c:
            return "cross-correlation"
        if has_c and not has_x:
            return "true convolution" if re.search(r"true|mathematical|flipped|strict", low) else "convolution"
        if has_x and has_c:
            # the term nearest to the formula (the end of the text) wins, with the words that qualify it
            if low.rfind("correlation") > low.rfind("convolution"):
                return "cross-correlation"
            tail = low[low.rfind("correlation") + len("correlation"):]
            return "true convolution" if re.search(r"\btrue\b|mathematical|(?<!not )flipped|\bflips\b|strict", tail) \
                else "convolution"
    return None


def _distinguishes(ctx: FormulaContext) -> bool:
    """Does the document, near the formula, contrast convolution with cross-correlation?"""
    text = f"{ctx.context}\n{ctx.after}\n{ctx.nearby}".lower()
    return bool(re.search(r"cross-?correlation", text)) and bool(
        re.search(r"true convolution|mathematical convolution|flip|rather than|instead of|vs\.?|versus|technically", text))


_STATED = (
    (r"is odd", r"\bodd\b|2n ?\+ ?1"),
    (r"divides", r"\binteger\b|divisible|\bdivides\b|evenly|whole number|fraction"),
    (r"pool size .* (=|≤) stride", r"non-?overlapping|(pool(ing)? size|window size|window) (equals|=|is equal to) (the )?stride"
                               r"|stride (equals|=|is equal to) (the )?(pool(ing)? size|window)"),
)


def _states_condition(condition: str | None, ctx: FormulaContext) -> bool:
    """Does the prose next to the formula state ``condition`` (odd kernel, divisibility, non-overlapping windows)?

    Only the formula's own sentences count (the one that leads into it and the one after it): a condition stated
    beside another formula a few paragraphs away ("the number of steps must be an integer") is not this one's."""
    if not condition:
        return False
    text = f"{ctx.context}\n{ctx.after}".lower()
    return any(re.search(kind, condition) and re.search(words, text) for kind, words in _STATED)


def _dl_usage_noted(ctx: FormulaContext) -> bool:
    """Does the document note that deep learning calls cross-correlation "convolution"?"""
    text = f"{ctx.context}\n{ctx.after}\n{ctx.nearby}".lower()
    return bool(re.search(r"misnomer|strictly speaking|(literature|frameworks?|libraries|people|practitioners)[^.\n]{0,40}"
                          r"(use|call)[^.\n]{0,30}convolution|technically[^.\n]{0,40}cross-?correlation|"
                          r"(what|which) (deep learning|we|dl)[^.\n]{0,30}calls? (a )?convolution", text))


def _as_index_formula(lhs, rhs):
    """1-based backprop notation: ``a_{ij}``, ``k_{ij}`` next to sums over i, j are tensor entries, read 0-based."""
    letters = tensor_index_letters(lhs, rhs) | summation_letters(lhs, rhs)
    lhs, rhs = subscripts_as_indices(lhs, rhs, extra=letters)
    if one_based(lhs, rhs):
        lhs, rhs = to_zero_based(lhs, rhs, tensor_index_letters(lhs, rhs) | letters)
    return lhs, rhs


def _entry_derivative(lhs) -> bool:
    """``∂h_{12}/∂k_{ij}``: the derivative of one numbered entry."""
    return isinstance(lhs, sp.Derivative) and lhs.expr.is_Symbol and bool(re.fullmatch(r"\w+_\d+", lhs.expr.name))


def _fixed_bounds(expr) -> bool:
    """Does a sum of ``expr`` run between two numbers other than 0/1 … a size symbol (``∑_{i'=1}^{2}``)?"""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Sum, sp.Product)):
            if any(lo.is_Integer and hi.is_Integer for _, lo, hi in node.limits):
                return True
    return False


def _alias(lhs, rhs) -> tuple[str, str] | None:
    if lhs.is_Symbol and isinstance(rhs, sp.Derivative) and all(v.is_Symbol for v in rhs.variables):
        return lhs.name, f"d{rhs.expr}/d{rhs.variables[0]}"
    return None


#: words that introduce a new symbol right before its formula ("define $A_l = …$", "let $x = …$")
_DEFINING = re.compile(r"(?i)(?:\b(?:define|defining|let|denote|denoting|introduce|we write|we call|call|set)"
                       r"|\bdefined (?:as|by)|:=)\s*(?:\$|\\\(|\\\[)?\s*$")


def _base(lhs) -> str | None:
    """The letter a left side names, without its subscript (``A_l`` → ``A``), or None when it is no bare symbol."""
    if not getattr(lhs, "is_Symbol", False):
        return None
    return re.split(r"_", lhs.name, maxsplit=1)[0] or None


def _own_symbol(lhs, rhs, ctx: FormulaContext) -> Judgement | None:
    """A symbol the document defines itself ("define $A_l = r_l\\prod s_i$") is true by definition, and a later
    formula about it ("so $A_0 = r_0$") states a fact about the document's own symbol, not a CNN quantity that a
    nearby heading names: neither is judged as a quantity (a wrong verdict is worse than none).

    >>> import sympy as sp
    >>> ctx = FormulaContext(context="Then, define")
    >>> _own_symbol(sp.Symbol("A_l"), sp.Symbol("r_l") * sp.Symbol("s"), ctx).quantity
    'notation'
    >>> ctx.defined["A"][0]
    'A_l'
    >>> _own_symbol(sp.Symbol("A_0"), sp.Symbol("r_0"), FormulaContext(context="so", defined=ctx.defined)).explanation[:34]
    "A_0 is the document's own symbol, "
    >>> _own_symbol(sp.Symbol("H_out"), sp.Symbol("H"), FormulaContext(context="The output size is")) is None
    True
    """
    base = _base(lhs)
    if base is None:
        return None
    defining = bool(_DEFINING.search(ctx.context or ""))
    if base in ctx.defined and not (defining and ctx.defined[base][0] == lhs.name):
        name, value = ctx.defined[base]
        return Judgement("UNRECOGNIZED", "notation", f"{lhs.name} is the document's own symbol, defined as {name} = "
                         f"{value}: a statement about it is not a CNN quantity the judge can decide")
    if not defining or not rhs.free_symbols:
        return None
    bound = {**ctx.definitions, **ctx.declared}
    if lhs.name in bound or base in bound:
        return None  # "let H_out = …" for a letter the document already gave a role: judged as that quantity
    names = _names([lhs, rhs])
    if bind_roles([lhs.name], "", "", {}).role(lhs.name) is not None or recognize(lhs, rhs, bind_roles(names, "", "", {})):
        return None  # the name alone says what it is (H_out, RF, n_params): a statement about that quantity
    ctx.defined[base] = (lhs.name, str(rhs))
    return Judgement("UNRECOGNIZED", "notation", f"definition of a new symbol {lhs.name} = {rhs}: true by definition")


def judge_sides(sides, relations, ctx: FormulaContext | None = None, *, time_limit: float = TIME_LIMIT,
                notes=()) -> Judgement:
    """Judge a relation chain ``sides[0] rel sides[1] rel ...``; returns a :class:`~proofs.judge.sizes.Judgement`.

    The Judgement's ``quantity`` of ``"arithmetic"`` marks a worked example. ``notes`` are the
    parser's notes (a number written in words is a rounded statement).
    """
    ctx = ctx or FormulaContext()
    start = _clock()
    if not relations:
        shape = _output_shape_expression(sides[0], ctx, time_limit)
        if shape is not None:
            return shape
        stated = judge_prose_quantity(sides[0], ctx.context, ctx.after, ctx.definitions)
        if stated is not None:
            return stated
        mapped = _prose_index_map(sides[0], ctx)
        if mapped is not None:
            return mapped
        return Judgement("UNRECOGNIZED", None, "an expression without a relation (nothing is stated)")
    lhs, rhs = sides[0], sides[1]
    rel = relations[0]
    own = _own_symbol(lhs, rhs, ctx)
    if own is not None:
        return own
    alias = _alias(lhs, rhs)
    if alias:
        ctx.aliases[alias[0]] = alias[1]
        return Judgement("UNRECOGNIZED", "notation", f"definition of notation: {alias[0]} stands for {alias[1]}")
    if any(r not in ("=", "≈", "<", "≤", ">", "≥", "≠") for r in relations) and all(
            numeric_value(x) is not None for x in sides):
        return Judgement("UNRECOGNIZED", None, f"a chain with the relation(s) {', '.join(sorted(set(relations)))} "
                         "between numbers: not an equation to check")
    scaled = judge_scaled_value(sides, relations, ctx.after or "", context=ctx.context)
    if scaled is not None:  # "= 1.8" billion MACs, "= 3.2" MB: the number times the scale its words give
        return scaled
    if re.match(r"\s*(?i:thousands?|millions?|billions?|trillions?|mil+\b|mio\b|mln\b|mn\b|bn\b|bil+\b)|\s*[kKMGBT]\b",
                ctx.after or ""):
        return Judgement("UNRECOGNIZED", "arithmetic", "the last number continues in words after the formula "
                         f"({ctx.after.strip()[:30]!r}): its scale is not part of what was read")
    words = any(re.search(r"'[^']*\b(million|billion|thousand|hundred)[^']*' read as", n, re.I) for n in notes)
    chain = judge_chain(sides, relations, word_numbers=words, rounded=scientific_numbers(notes))
    if chain is not None and chain.verdict == "INCORRECT":
        return chain
    if chain is not None:
        worked = _worked_example(sides, ctx, chain)
        if worked is not None:
            return worked
    axis = per_axis_scalars(sides)
    if axis is not None:  # output_shape[i] = f(input_shape[i], strides[i], …): one size formula per axis
        sides = axis[0]
        lhs, rhs = sides[0], sides[1]
    recurrence = layer_recurrence_scalars(sides) if axis is None else None
    if recurrence is not None:  # n[l] = f(n[l-1], p[l], …): one layer of a stack
        sides = recurrence
        lhs, rhs = sides
    sides = reread_runs(sides, notes, known=set(ctx.definitions) | set(ctx.declared))  # IH, KH: names, not I·H
    lhs, rhs = sides[0], sides[1]
    names = _names(sides)
    around = f"{ctx.context}\n{ctx.after}"
    binding = _bind(names, around, ctx)
    announced = _announced_role(lhs, ctx.context)
    if announced is not None and binding.role(str(lhs)) is None:
        binding.roles[str(lhs)] = announced
    conv = _padding_convention(ctx, names, binding.names("padding"))
    # the defining side: the first symbolic side after the left one
    symbolic = [s for s in sides[1:] if numeric_value(s) is None]
    defining = symbolic[0] if symbolic else rhs
    if len(sides) > 2 and symbolic and has_tensor_reads(symbolic[-1]):
        # S(i,j) = (I * K)(i,j) = Σ …: the definition is the last side, stated for the one before it
        defining = symbolic[-1]
        lhs = sides[sides.index(defining) - 1] if sides.index(defining) > 0 else lhs
    helpers = defined_nearby(around, binding.unbound(_names([defining]))) if symbolic else {}
    if helpers:  # "…, where DKH = 1 + (KH − 1)·(DH + 1)": the helper letter stands for its definition
        subbed = defining.xreplace({sp.Symbol(n): e for n, e in helpers.items()})
        rebound = _bind(_names([subbed]), around, ctx)
        if not rebound.unbound(_names([subbed])):
            defining, binding = subbed, rebound
    merged = merge_side_paddings(defining, binding.roles) if symbolic else None
    if merged is not None:  # pads_start + pads_end enter only as their sum: one total padding
        defining, binding.roles, _ = merged
        conv = "total"
    elif symbolic and one_side_padding(defining, binding.roles):
        conv = "per_side"  # PW_L without PW_R: the name says it is the padding of one side
    if rel == "=" and symbolic:
        elementwise = judge_elementwise(lhs, defining, f"{ctx.section}\n{ctx.context}", known=ctx.aliases,
                                        section=ctx.section)
        if elementwise is not None:
            return elementwise
        update = judge_update(lhs, defining, f"{ctx.section}\n{ctx.before}\n{ctx.context}", ctx.aliases)
        if update is not None:
            return update
        dense = judge_dense(sides, relations, f"{ctx.section}\n{ctx.before}\n{ctx.context}", ctx.aliases)
        if dense is not None:
            return dense
    depth = _size_along_own_axis(lhs, defining, binding.roles, ctx) if symbolic else None
    if depth:
        binding.roles.update(depth)
    quantity = recognize(lhs, defining, binding, f"{ctx.section}\n{ctx.context}")
    if quantity in (None, "index") and (has_tensor_reads(lhs) or has_tensor_reads(defining)
                                        or multi_index_names(lhs, defining)):
        lhs, defining = _as_index_formula(lhs, defining)
        quantity = recognize(lhs, defining, binding, f"{ctx.section}\n{ctx.context}")
        if quantity == "index" and _entry_derivative(lhs):
            return Judgement("UNRECOGNIZED", "index", "the partial derivative of one numbered entry (a step of a "
                             "derivation), not a gradient of the loss: not judged")
    if quantity is None and binding.role(str(lhs)) == "padding" and re.search(r"\bsame\b", ctx.after.lower()):
        quantity = "same_padding"
    if rel not in ("=", "≡") and quantity not in (None,):
        return Judgement("UNRECOGNIZED", quantity, f"a relation {rel!r}, not an equation: not judged")
    budget = max(0.5, time_limit - (_clock() - start))
    result = None
    if quantity == "index":
        if not (has_tensor_reads(lhs) or isinstance(lhs, sp.Derivative)):
            result = Judgement("UNRECOGNIZED", "index", "an index formula whose left side is not a tensor entry")
        else:
            label = _operation_label(ctx)
            ij = judge_index_formula(lhs, defining, roles=binding.roles, context=f"{ctx.section}\n{ctx.context}",
                                     aliases=ctx.aliases, strict_names=_distinguishes(ctx), label=label,
                                     time_limit=budget, dl_usage_noted=_dl_usage_noted(ctx))
            result = ij
            if ij.verdict == "UNRECOGNIZED":  # library notation (oneDNN \src, \weights, SH, PH_L): read by structure
                result = judge_library_index(lhs, defining, notes, time_limit=budget) or ij
            if result.verdict in ("INCORRECT", "CONDITIONAL") and _fixed_bounds(defining):
                result = Judgement("UNRECOGNIZED", "index", "the formula's sums run over fixed numbers (one worked "
                                   "size), which the check on tensors of other sizes cannot honour; evaluated on "
                                   f"other sizes it differs ({ij.explanation})")
    elif quantity == "output_size" and symbolic:
        op = "pool" if "pool" in f"{ctx.section} {ctx.context}".lower() else "conv"
        transposed = None
        if looks_transposed(defining, f"{ctx.section}\n{ctx.context}"):
            transposed = judge_announced_transposed(defining, binding.roles, time_limit=budget / 2,
                                                    convention="total" if merged is not None else None)
        if transposed is not None and transposed.verdict == "CORRECT":
            result = transposed
        else:
            result = judge_output_size(defining, binding.roles, context=f"{ctx.section}\n{around}", convention=conv,
                                       op=op, time_limit=budget / (2 if transposed else 1),
                                       ceil_mode=_stated_ceil_mode(f"{ctx.before}\n{ctx.context}"),
                                       dilation_base=_dilation_base(ctx) if _dilation_base(ctx) is not None else 1)
            if result.verdict == "UNRECOGNIZED" and result.explanation.startswith("output size: cannot bind"):
                searched = search_output_size(defining, binding.roles, context=f"{ctx.section}\n{around}",
                                              convention=conv, op=op, time_limit=budget)
                result = searched or result
            result = _other_dilation_count(result, defining, binding.roles, ctx, conv, op, budget)
            result = _rounded_down(result, defining, binding.roles, ctx, conv, op, budget)
            result = _padding_left_out(result, defining, binding.roles, ctx, conv, budget)
            if transposed is not None and result.verdict != "CORRECT":
                # the prose announces a transposed convolution and the formula is no forward size: judged as one,
                # and when that cannot be decided, no forward verdict stands for it
                result = transposed if transposed.verdict != "UNRECOGNIZED" else Judgement(
                    "UNRECOGNIZED", "output_size", "the prose announces a transposed convolution, and as one: "
                    f"{transposed.explanation}")
    elif quantity == "effective_kernel" and symbolic:
        result = judge_effective_kernel(defining, binding.roles, base=_dilation_base(ctx), time_limit=budget)
    elif quantity == "macs" and symbolic:
        result = judge_macs(defining, binding.roles, context=_last_sentence(ctx.context), time_limit=budget)
    elif quantity in ("receptive_field", "jump") and symbolic and step_names(lhs, defining):
        result = judge_rf_step(lhs, defining, binding.roles, what=quantity)
    elif quantity == "same_padding" and symbolic:
        result = judge_same_padding(defining, binding.roles, convention=conv, time_limit=budget)
    elif quantity == "param_count" and symbolic:
        result = judge_param_count(defining, binding.roles, context=f"{ctx.section}\n{ctx.context}", time_limit=budget)
    elif quantity in ("receptive_field", "jump") and symbolic:
        result = judge_receptive_field(lhs, defining, binding.roles, what=quantity,
                                       context_values=context_values(f"{ctx.context}\n{ctx.section}"), time_limit=budget)
    if result is not None and result.verdict == "CONDITIONAL" and _states_condition(result.condition, ctx):
        result = Judgement("CORRECT", result.quantity, f"{result.explanation}; the document states this condition "
                           f"({result.condition}) next to the formula", expected=result.expected,
                           expected_latex=result.expected_latex)
    guessed = result is not None and result.verdict == "INCORRECT" and "not bound" in result.explanation
    if result is not None and (result.verdict == "UNRECOGNIZED" or guessed) and rel == "=" and len(sides) == 2 \
            and symbolic and quantity in ("output_size", "transposed_output_size"):
        from .index_mapping import judge_index_mapping

        # h_out = h_in·s − p + i·d: named like a size, but a map between positions (the names say which)
        mapped = judge_index_mapping(lhs, defining, binding.roles, f"{ctx.section}\n{ctx.context}\n{ctx.after}",
                                     dilation_base=_dilation_base(ctx), named_sides=True)
        if mapped is not None and (not guessed or mapped.verdict == "CORRECT"):
            return mapped  # a size only under guessed letters, exact as the map its names describe
    if result is not None and result.verdict != "UNRECOGNIZED":
        if chain is not None:
            result.explanation += f"; {chain.explanation}"
        return result
    if chain is not None:
        example = _example_against_truth(quantity, lhs, sides, ctx)
        if example is not None:
            return example
        return chain
    example = _example_against_truth(quantity, lhs, sides, ctx)
    if example is not None:
        return example
    ident = judge_identity(sides, relations)
    if ident is not None:
        return ident
    steps = judge_sum_steps(sides, relations)
    if steps is not None:
        return steps
    steps = judge_function_steps(sides, relations, context=f"{ctx.section}\n{ctx.context}", known=ctx.aliases,
                                 section=ctx.section)
    if steps is not None:
        return steps
    if result is not None:
        return result
    if rel == "=" and len(sides) == 2 and quantity is None:  # h = p·stride − pad + r·dil; offset = ((n·H + h)·W + w)·C + c
        from .index_mapping import index_runs, judge_index_mapping

        from .solved_size import judge_solved_size

        base = _dilation_base(ctx)
        mapped = judge_index_mapping(lhs, defining, binding.roles, f"{ctx.context}\n{ctx.after}", dilation_base=base)
        runs = index_runs(sides, notes) if mapped is None else None
        if runs is not None:  # ih = oh·SH − PH_L + kh·(DH + 1): oneDNN's names, index letters included
            mapped = judge_index_mapping(runs[0][0], runs[0][1], {**binding.roles, **runs[1]},
                                         f"{ctx.context}\n{ctx.after}", dilation_base=base)
        mapped = mapped or judge_solved_size(lhs, defining, binding.roles, f"{ctx.section}\n{ctx.before}\n{ctx.context}")
        if mapped is not None:
            return mapped
    unbound = binding.unbound(names)
    why = "not a quantity the judge knows (a definition, notation or a formula outside its catalogue)"
    if quantity:
        why = f"recognised as {quantity} but not judged"
    elif unbound and len(unbound) <= 6:
        why += f"; symbols without a role: {', '.join(unbound)}"
    return Judgement("UNRECOGNIZED", quantity, why)


_INPUT_POSITION = re.compile(r"(?i)\b(?:input|source)\s+(?:row|column|index|position|coordinate|pixel|location|"
                             r"element)\b[^.]{0,160}?(?:\bis|\bequals|=|:|\breads?|\bat)\s*\$*\s*$")


def _prose_index_map(expr, ctx: FormulaContext) -> Judgement | None:
    """"The input row read by output row o and kernel row r is $o·S + r·D − P$": the sentence is the left side
    of an input-coordinate map; the expression is judged as that map (roles from the document's notation)."""
    from .index_mapping import judge_index_mapping

    if not _INPUT_POSITION.search(ctx.context or "") or not getattr(expr, "free_symbols", None):
        return None
    names = _names([expr])
    binding = _bind(names, f"{ctx.context}\n{ctx.after}", ctx)
    return judge_index_mapping(sp.Symbol("input_position"), expr, binding.roles, ctx.context,
                               dilation_base=_dilation_base(ctx))


def _worked_example(sides, ctx: FormulaContext, chain: Judgement) -> Judgement | None:
    """A numeric worked example as the quantity its sentence names, decided from the configuration (proofs.statement)."""
    from ..statement import decide
    from .worked import example_statement

    st = example_statement(sides, ctx.context, ctx.after, roles=ctx.definitions, padding=_padding_convention(ctx))
    if st is None:
        return None
    j = decide(st)
    if j.verdict == "UNRECOGNIZED":
        return None
    j.explanation += f"; arithmetic: {chain.explanation}"
    return j


def _rf_example(lhs, sides, ctx: FormulaContext) -> Judgement | None:
    """``r₂ = 3 + 2 = 5`` for a stack the prose describes ("stride-1 3×3 convolutions")."""
    m = re.fullmatch(r"[A-Za-z]+_(\d+)", str(lhs)) if lhs.is_Symbol else None
    final = numeric_value(sides[-1])
    vals = context_values(f"{ctx.section}\n{ctx.context}")
    if not m or final is None or "kernel" not in vals or not 1 <= int(m.group(1)) <= 1000:
        return None
    n = int(m.group(1))
    size, _ = truth.receptive_field([vals["kernel"]] * n, [vals.get("stride", 1)] * n)
    used = {"layers": n, "kernel": vals["kernel"], "stride": vals.get("stride", 1)}
    if final == size:
        return Judgement("CORRECT", "receptive_field", f"worked example: {size} is the receptive field after {n} "
                         f"layer(s) of the stack the prose describes {used}", expected=str(size))
    return Judgement("INCORRECT", "receptive_field", f"worked example: after {n} layer(s) of the stack the prose "
                     f"describes {used} the receptive field is {size}, not {final}",
                     counterexample={"values": used, "document": str(final), "expected": size}, expected=str(size))


def _output_shape_expression(expr, ctx: FormulaContext, time_limit: float) -> Judgement | None:
    """A bare output shape ``⌊(n_h − k_h + p_h + s_h)/s_h⌋ × ⌊…⌋`` announced by the prose ("the output shape is")."""
    if not re.search(r"output (shape|size|dimension|height|width)s?\b[^.;]{0,60}?(\bis|\bare|\b(?:would|will|should|must|can) be|becomes|equals|"
                     r"gives|:|=)\s*(\$|\\\(|\\\[)?\s*$", ctx.context.lower()):
        return None
    factors = [f for f in sp.Mul.make_args(expr) if f.free_symbols]
    if not factors or len(factors) > 3:
        return None
    names = _names([expr])
    around = f"{ctx.context}\n{ctx.after}"
    binding = _bind(names, around, ctx)
    conv = _padding_convention(ctx, names)
    results = [judge_output_size(f, binding.roles, context=around, convention=conv, time_limit=time_limit / len(factors))
               for f in factors]
    if any(r.verdict == "UNRECOGNIZED" for r in results):
        return None
    for verdict in ("INCORRECT", "CONDITIONAL"):
        for r in results:
            if r.verdict == verdict:
                r.explanation = f"output shape, one factor per dimension: {r.explanation}"
                return r
    r = results[0]
    r.explanation = f"output shape: each of the {len(results)} factor(s) is a correct output size; {r.explanation}"
    return r


def _example_against_truth(quantity, lhs, sides, ctx: FormulaContext) -> Judgement | None:
    """A worked example whose quantity is recognised: its final value against derive, with the prose's numbers."""
    if quantity == "receptive_field":
        return _rf_example(lhs, sides, ctx)
    if quantity != "output_size":
        return None
    vals = context_values(ctx.context)
    if not {"input_size", "kernel"} <= set(vals):
        return None
    final = numeric_value(sides[-1])
    if final is None:
        return None
    want = truth.output_size_expr(vals["input_size"], vals["kernel"], vals.get("stride", 1), vals.get("padding", 0))
    want = int(want)
    used = {k: vals.get(k, d) for k, d in (("input_size", None), ("kernel", None), ("stride", 1), ("padding", 0))}
    if final == want:
        return Judgement("CORRECT", "output_size", f"worked example: arithmetic checked, and {want} is the output size "
                         f"for {used} (numbers read from the prose)", expected=str(want))
    return Judgement("INCORRECT", "output_size", f"worked example: with the numbers of the prose {used} the output "
                     f"size is {want}, not {final}", counterexample={"values": used, "document": str(final),
                                                                     "expected": want}, expected=str(want))
