r"""Steps of a derivation with index sums: both sides evaluated at random admissible values.

A chain such as ``Σ_{i=1}^{n} (x_i + 1) = Σ_{i=1}^{n} x_i + n`` is a step SymPy cannot always decide
symbolically once the sums hold sequences. Here each ``x_i`` under a sum over ``i`` becomes the entry
``x[i]`` of a sequence, the sums' symbolic bounds get small random sizes, every entry a random integer,
and the two sides are computed exactly. A step is CORRECT when both sides agree at every draw, and
INCORRECT at the first draw where they differ (the values are the counterexample). Derivatives and
unknown functions are not evaluated (None: not judged here).

Steps through activations (:func:`judge_function_steps`) write out the named activations and their
derivatives (``σ′ = σ(1 − σ)``, ``tanh′ = 1 − tanh²``, ``ReLU′`` a step), read a Hadamard product entry by
entry and ``∂L/∂a`` of an unwritten dependence as one name, and evaluate both sides at random points —
the arguments of activations with both signs, since ``ReLU′`` and a leaky slope differ only below zero. A
generic name (``σ``, ``f``, ``φ``) is tried in every reading the document allows (the activation its prose
names, ``σ`` as the sigmoid): a step holds when one reading makes it exact and breaks only when all fail.

Examples
--------
>>> from proofs.document import parse_math
>>> p = parse_math(r"\sum_{i=1}^{n} (x_i + 1) = \sum_{i=1}^{n} x_i + n")
>>> judge_sum_step(p.sides[0], p.sides[1]).verdict
'CORRECT'
>>> p = parse_math(r"\sum_{i=1}^{n} 2 x_i = \sum_{i=1}^{n} x_i + 2")
>>> j = judge_sum_step(p.sides[0], p.sides[1])
>>> j.verdict, j.counterexample["left"] != j.counterexample["right"]
('INCORRECT', True)
"""

from __future__ import annotations

import random
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef

from .judgement import Judgement
from .subscripts import subscripts_as_indices

__all__ = ["judge_sum_step", "judge_sum_steps", "judge_function_steps"]

_MAX_TERMS = 400


def _evaluable(e) -> bool:
    if not e.has(sp.Sum, sp.Product):
        return False
    return not any(isinstance(n, (sp.Derivative, AppliedUndef, sp.Integral, sp.Piecewise)) for n in sp.preorder_traversal(e))


def _bounds(e) -> set:
    out = set()
    for node in sp.preorder_traversal(e):
        if isinstance(node, (sp.Sum, sp.Product)):
            for _, lo, hi in node.limits:
                out |= lo.free_symbols | hi.free_symbols
    return out


def _value(e, sizes: dict, entries: dict, scalars: dict, rng: random.Random):
    e = e.xreplace(sizes)
    e = e.doit()
    reads = {n for n in sp.preorder_traversal(e) if isinstance(n, sp.Indexed)}
    if len(reads) > _MAX_TERMS:
        raise ValueError("too many terms")
    for r in reads:
        if not all(ix.is_Integer for ix in r.indices):
            raise ValueError("an entry with a symbolic index survives")
        entries.setdefault(r, sp.Integer(rng.randint(-5, 5)))
    e = e.xreplace(entries).xreplace(scalars)
    if e.free_symbols:
        raise ValueError("a symbol without a value")
    v = sp.nsimplify(e) if e.is_Float else e
    if not v.is_Rational:
        raise ValueError("not a rational value")
    return Fraction(int(v.p), int(v.q))


def _names(e) -> set[str]:
    """Free scalar names and sequence names of ``e`` (bound summation variables excluded)."""
    out = {str(x) for x in e.free_symbols if not isinstance(x, sp.Indexed)}
    out |= {str(n.base.label) for n in sp.preorder_traversal(e) if isinstance(n, sp.Indexed)}
    out -= {str(v) for n in sp.preorder_traversal(e) if isinstance(n, (sp.Sum, sp.Product)) for v, *_ in n.limits}
    return out


def _sequence_entries(a, b):
    """``s_l`` beside ``∏_i s_i`` is the entry ``s[l]`` of the same sequence (a subscript that is a letter or a number).

    >>> import sympy as sp
    >>> i, l = sp.symbols("i l")
    >>> s = sp.IndexedBase("s")
    >>> _sequence_entries(sp.Symbol("s_l") * sp.Product(s[i], (i, 1, l)), sp.Integer(0))[0]
    s[l]*Product(s[i], (i, 1, l))
    """
    bases = {str(n.base.label): n.base for side in (a, b) for n in sp.preorder_traversal(side) if isinstance(n, sp.Indexed)}
    reps = {}
    for side in (a, b):
        for sym in side.atoms(sp.Symbol):
            base, _, sub = sym.name.partition("_")
            if base in bases and sub and (sub.isdigit() or (sub.isalpha() and len(sub) == 1)):
                reps[sym] = bases[base][sp.Integer(int(sub)) if sub.isdigit() else sp.Symbol(sub)]
    return (a.xreplace(reps), b.xreplace(reps)) if reps else (a, b)


def judge_sum_steps(sides, relations) -> Judgement | None:
    """Every ``=`` link of a chain between two computations with sums; the first broken one, or all CORRECT."""
    done = 0
    for n, rel in enumerate(relations):
        if rel != "=":
            continue
        j = judge_sum_step(sides[n], sides[n + 1])
        if j is None:
            continue
        if j.verdict == "INCORRECT":
            j.explanation = f"step {n + 1}: {j.explanation}"
            j.counterexample["link"] = n + 1
            return j
        done += 1
    if done:
        return Judgement("CORRECT", "identity", f"{done} derivation step(s) with index sums hold (evaluated exactly at "
                         "random sizes and entries)")
    return None


def judge_sum_step(a, b, *, draws: int = 8, seed: int = 0) -> Judgement | None:
    """Judge ``a = b`` (sides with index sums) by exact evaluation at random sizes and entries, or None."""
    if not (_evaluable(a) or _evaluable(b)) or any(
            isinstance(n, (sp.Derivative, AppliedUndef)) for s in (a, b) for n in sp.preorder_traversal(s)):
        return None
    if a.is_Atom or b.is_Atom or isinstance(a, sp.Indexed) or isinstance(b, sp.Indexed):
        return None  # "S = Σ x_i" defines S: not a step between two computations
    a, b = _sequence_entries(*subscripts_as_indices(a, b))
    if _names(a) != _names(b):
        return None  # a side with a name the other lacks is a definition or a change of notation
    rng = random.Random(seed)
    sizes_syms = _bounds(a) | _bounds(b)
    bases = {n.base for s in (a, b) for n in sp.preorder_traversal(s) if isinstance(n, sp.Indexed)}
    others = ((a.free_symbols | b.free_symbols) - sizes_syms) - {x for s in (a, b) for n in sp.preorder_traversal(s)
                                                                   if isinstance(n, (sp.Sum, sp.Product))
                                                                   for x in [v for v, *_ in n.limits]}
    labels = {b.label for b in bases}
    others = {o for o in others if not isinstance(o, sp.Indexed) and o not in bases and o not in labels and o.is_Symbol}
    agree = 0
    for _ in range(draws):
        sizes = {s: sp.Integer(rng.randint(1, 5)) for s in sizes_syms}
        scalars = {s: sp.Integer(rng.randint(-4, 6)) for s in others}
        entries: dict = {}
        try:
            va = _value(a, sizes, entries, scalars, rng)
            vb = _value(b, sizes, entries, scalars, rng)
        except (ValueError, TypeError, ZeroDivisionError, RecursionError, AttributeError):
            continue
        if va != vb:
            shown = {str(k): int(v) for k, v in {**sizes, **scalars}.items()}
            shown.update({str(k): int(v) for k, v in list(entries.items())[:8]})
            return Judgement("INCORRECT", "identity", f"derivation step fails at {shown}: the left side is "
                             f"{va}, the right side {vb}", counterexample={"values": shown, "left": str(va),
                                                                              "right": str(vb)})
        agree += 1
    if agree >= 3:
        return Judgement("CORRECT", "identity", f"derivation step: both sides equal at {agree} random sizes and "
                         "entries (index sums evaluated exactly)")
    return None


# --------------------------------------------------------------------------- steps with functions

def _with_definitions(e, context: str, known: dict | None, section: str, reading: dict | None = None):
    """``e`` with named activations (``σ(x)``, ``softplus(x)``) and the document's own functions written out,
    derivatives carried out; None when an unknown function or a tensor read remains."""
    from .activations import DEFINITIONS, _x, function_name

    if isinstance(e, sp.Mul):  # d·E/dx: \frac{d}{dx} E read as a product
        d = [f for f in e.args if f.is_Symbol and f.name == "d"]
        dx = [f for f in e.args if f.is_Pow and f.exp == -1 and f.base.is_Symbol and f.base.name.startswith("d")
              and len(f.base.name) == 2]
        if len(d) == 1 and len(dx) == 1:
            var = sp.Symbol(dx[0].base.name[1:])
            e = sp.Derivative(sp.Mul(*[f for f in e.args if f not in (d[0], dx[0])]), var)
    e = _named_derivatives(_elementwise_reading(e))
    if any(isinstance(n, sp.Derivative) and n.expr.free_symbols - set(n.variables) and not n.expr.has(AppliedUndef)
           and not isinstance(n.expr, sp.Function) for n in sp.preorder_traversal(e)):
        return None  # ∂L/∂x of a name L whose dependence on x is not written: not a computation to carry out
    reps = {}
    for node in sp.preorder_traversal(e):
        if isinstance(node, AppliedUndef):
            name = str(node.func.__name__)
            order = len(name) - len(name.rstrip("'"))
            base = name.rstrip("'")
            if len(node.args) != 1:
                return None
            own = (known or {}).get(f"fn:{base}")
            if own and own[0] == section:
                body = own[1]
            else:
                act = (reading or {}).get(base) or function_name(base, context)
                if act is None or len(DEFINITIONS[act][0]) != 1 or DEFINITIONS[act][1]:
                    return None
                body = DEFINITIONS[act][0][0]
            body = sp.diff(body, _x, order) if order else body
            reps[node] = body.xreplace({_x: node.args[0]})
    out = e.xreplace(reps)
    if any(isinstance(n, (sp.Indexed, sp.Sum, sp.Product, sp.Integral, AppliedUndef)) for n in sp.preorder_traversal(out)):
        return None
    if out.has(sp.Derivative):
        out = out.doit()
        if out.has(sp.Derivative):
            return None
    return out


def _defines(e) -> bool:
    """``f(x)``, ``g(x, y)``: a function applied to plain names, the left side of a definition."""
    return isinstance(e, AppliedUndef) and e.func.__name__ not in ("hadamard", "transpose") and all(
        isinstance(a, sp.Symbol) for a in e.args)


def _named_derivatives(e):
    r"""``∂L/∂a`` of a name ``L`` whose dependence on ``a`` is not written: a quantity of its own (one name,
    the same on both sides of a step), not a derivative to carry out.

    >>> import sympy as sp
    >>> L, a, z = sp.symbols("L a z")
    >>> _named_derivatives(sp.Derivative(L, a) * sp.Function("f")(z))
    ∂L/∂a*f(z)
    """
    reps = {n: sp.Symbol(f"∂{n.expr}/∂{','.join(map(str, n.variables))}") for n in sp.preorder_traversal(e)
            if isinstance(n, sp.Derivative) and isinstance(n.expr, (sp.Symbol, sp.Indexed))}
    return e.xreplace(reps) if reps else e


def _elementwise_reading(e):
    r"""``(Wᵀδ′) ⊙ σ′(z)`` read entry by entry: the Hadamard product as a product and ``Wᵀ`` as a name of its own.

    A step of a backpropagation chain that is wrong entry by entry is wrong (a 1×1 case is admissible), and
    the activations inside it are then evaluated like any other step's.

    >>> import sympy as sp
    >>> W, d, z = sp.symbols("W delta z")
    >>> _elementwise_reading(sp.Function("hadamard")(sp.Function("transpose")(W) * d, sp.Function("f")(z)))
    W^T*delta*f(z)
    """
    reps = {}
    for node in sp.postorder_traversal(e):
        if isinstance(node, AppliedUndef) and node.func.__name__ == "transpose" and len(node.args) == 1 \
                and isinstance(node.args[0], sp.Symbol):
            reps[node] = sp.Symbol(f"{node.args[0].name}^T")
    e = e.xreplace(reps) if reps else e
    while True:
        had = [n for n in sp.preorder_traversal(e) if isinstance(n, AppliedUndef) and n.func.__name__ == "hadamard"]
        if not had:
            return e
        e = e.xreplace({had[-1]: sp.Mul(*had[-1].args)})


def _activation_arguments(e) -> set:
    """Symbols inside the argument of an applied function (``z`` in ``σ(z)``, ``tanh(z)``, ``ReLU′(z)``): they
    range over both signs, where a ReLU′ or a leaky slope differs."""
    out = set()
    for node in sp.preorder_traversal(e):
        if isinstance(node, (AppliedUndef, sp.Function)) and not isinstance(node, sp.Piecewise) and node.args:
            out |= {x for a in node.args for x in getattr(a, "free_symbols", set())}
    return out


def _compare_sides(ea, eb, signed: set, rng: random.Random, points: int):
    """"holds" (SymPy, or equal at ≥ 3 random points), ``(point, left, right)`` where they differ, or None.

    Arguments of activations (``signed``) are drawn with both signs — ReLU′, a leaky slope or an ELU differ
    only for negative inputs; every other symbol stays positive (sizes, rates, variances under a root)."""
    try:
        if sp.simplify(ea - eb) == 0:
            return "holds"
    except (TypeError, ValueError, RecursionError, NotImplementedError):
        pass
    syms = sorted(ea.free_symbols, key=str)
    agree = 0
    for _ in range(points):
        at = {x: sp.Rational(rng.randint(3, 25), 10) * (rng.choice((-1, 1)) if str(x) in signed else 1) for x in syms}
        try:
            va, vb = _float_at(ea, at), _float_at(eb, at)
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            continue
        if abs(va - vb) > 1e-9 * max(1.0, abs(va), abs(vb)):
            return at, va, vb
        agree += 1
    return "holds" if agree >= 3 else None


def _readings(a, b, context: str, known: dict | None, section: str) -> list[dict]:
    """The plausible meanings of the generic function names of a step (``σ``, ``f``, ``φ``): the activation the
    prose names and, for ``σ``, the sigmoid it usually is; the document's own definition in the section wins.

    >>> import sympy as sp
    >>> z = sp.Symbol("z")
    >>> _readings(sp.Function("sigma")(z), sp.Integer(1), "A ReLU step:", {}, "")
    [{'sigma': 'relu'}, {'sigma': 'sigmoid'}]
    """
    from .activations import GENERIC, function_name

    names = sorted({str(n.func.__name__).rstrip("'") for s in (a, b) for n in sp.preorder_traversal(s)
                    if isinstance(n, AppliedUndef)})
    options = []
    for name in names:
        if name.lower() not in GENERIC or ((known or {}).get(f"fn:{name}") or ("",))[0] == section and (known or {}).get(f"fn:{name}"):
            continue
        acts = [act for act in (function_name(name, context), "sigmoid" if name == "sigma" else None) if act]
        if acts:
            options.append((name, list(dict.fromkeys(acts))))
    readings = [{}]
    for name, acts in options[:3]:
        readings = [{**r, name: act} for r in readings for act in acts]
    return readings


def _float_at(e, point: dict):
    v = sp.N(e.xreplace(point), 30)
    if not v.is_number or not v.is_real:
        raise ValueError("not a real value")
    return float(v)


def judge_function_steps(sides, relations, *, context: str = "", known: dict | None = None, section: str = "",
                         points: int = 10, seed: int = 0) -> Judgement | None:
    r"""Every ``=`` link between two computations with elementary functions (exp, log, roots, named activations,
    derivatives): SymPy decides it, else evaluation at random positive points; the first broken link, or CORRECT.

    >>> from proofs.document import parse_math
    >>> p = parse_math(r"\frac{e^{-x}}{(1 + e^{-x})^2} = \sigma(x)(1 - \sigma(x))")
    >>> judge_function_steps(p.sides, p.relations, context="The sigmoid:").verdict
    'CORRECT'
    >>> p = parse_math(r"\frac{e^{-x}}{(1 + e^{-x})^2} = \sigma(x)(1 + \sigma(x))")
    >>> judge_function_steps(p.sides, p.relations, context="The sigmoid:").verdict
    'INCORRECT'
    """
    rng = random.Random(seed)
    done = 0
    for n, rel in enumerate(relations):
        if rel != "=":
            continue
        a, b = sides[n], sides[n + 1]
        if a.is_Atom or b.is_Atom or _defines(a) or _defines(b):
            continue  # "y = …", "f(x) = …" define a name: not a step
        if not any(isinstance(x, (AppliedUndef, sp.Derivative, sp.Function)) and not isinstance(x, sp.Piecewise)
                   for s in (a, b) for x in sp.preorder_traversal(s)) and not (a.has(sp.Pow) or b.has(sp.Pow)):
            continue  # plain polynomial algebra: proofs.judge.arithmetic.judge_identity decides it exactly
        signed = {str(x) for x in _activation_arguments(a) | _activation_arguments(b)}
        outcomes = []
        for reading in _readings(a, b, context, known, section):
            ea = _with_definitions(a, context, known, section, reading)
            eb = _with_definitions(b, context, known, section, reading)
            if ea is None or eb is None or not (ea.free_symbols | eb.free_symbols) or ea.free_symbols != eb.free_symbols:
                continue
            outcomes.append((reading, _compare_sides(ea, eb, signed, rng, points)))
        if not outcomes or any(o is None for _, o in outcomes):
            continue  # some reading could not be decided
        if any(o == "holds" for _, o in outcomes):
            done += 1  # a reading the document's names allow makes the step exact
            continue
        reading, (at, va, vb) = outcomes[0]
        shown = {str(k): float(v) for k, v in at.items()}
        names = "".join(f"; {k} read as {v}" for k, v in reading.items())
        tried = f" (every reading fails: {', '.join('/'.join(r.values()) for r, _ in outcomes)})" if len(outcomes) > 1 else ""
        return Judgement("INCORRECT", "identity", f"step {n + 1} of the derivation breaks: at {shown} the side "
                         f"before it is {va:.6g}, this side {vb:.6g}{names}{tried}",
                         counterexample={"values": shown, "left": va, "right": vb, "link": n + 1},
                         expected=sp.sstr(a))
    if done:
        return Judgement("CORRECT", "identity", f"{done} derivation step(s) with functions hold (SymPy, else "
                         f"evaluated at {points} random points)")
    return None
