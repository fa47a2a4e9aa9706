r"""Turn a parse tree of :mod:`proofs.document.grammar` into SymPy objects.

Only SymPy *constructors* are called (``Symbol``, ``Add``, ``Sum`` …) on pieces
of our own tree; no text is ever given to ``sympify``/``eval``.

Reading rules (the judge relies on them)
----------------------------------------
Names
    ``Symbol(name)`` without assumptions. ``name`` = base + ``^(label)`` +
    ``_sub`` + primes: ``H_{out}``/``H_out`` → ``H_out``, ``C_{\text{in}}`` →
    ``C_in``, ``k_\ell``/``k_ℓ`` → ``k_ell``, ``\delta``/``δ`` → ``delta``,
    ``K^{(l)}`` → ``K^(l)``, ``Z^{(l)}_j`` → ``Z^(l)_j``, ``i'`` → ``i'``,
    ``\hat{y}_i`` → ``hat(y)_i``, ``\mathcal{L}``/``\mathbf{x}`` → ``L``/``x``.
    A subscript that is one identifier or number belongs to the name
    (``k_1``, ``s_i``, ``a_{ij}`` → ``a_ij``, noted); a subscript with commas
    or operators indexes: ``X_{i+m,j+n}`` → ``Indexed(IndexedBase('X'), i+m, j+n)``;
    so does ``X[i, j]`` and d2l's ``[\mathbf{X}]_{i,j}``.
Letter runs
    A run of letters is one name when it is a known name (``RF``, ``BN``,
    ``ReLU`` … see :data:`KNOWN_NAMES`) or has 3 or more letters
    (``conv``, ``Parameters``, ``MaxPool``); shorter runs are products of
    single letters (``HW`` → ``H*W``, ``2P`` → ``2*P``). Inside a subscript a
    run is always one label (``H_{out}``).
Application
    ``name(args)`` is a function application ``Function(name)(*args)`` when there
    are several arguments (``I(i+m, j+n)``), when the name is a word or a usual
    function letter (``f``, ``g``, ``\sigma``, ``\phi``, ``O``), or when a
    single letter is applied to a single atom (``L(W_t)``); otherwise it is a
    product, noted (``d(k-1)`` → ``d*(k - 1)``). A bracketed compound applied or
    indexed (``(I * K)(i, j)``, ``(W * x)_{i,j}``) is ``Function('at')(expr, i, j)``.
Operators
    ``*`` between two tensor-like operands (capital names, applications,
    derivatives) is ``Function('conv')(a, b)`` (noted); otherwise a product. In
    code-like text (identifiers such as ``in_shape``, ``kernel_size``, see
    :func:`proofs.document.normalize.code_identifiers`) ``*`` is always a product.
    ``\star``/``⋆`` → ``corr(a, b)``; ``*_d`` → ``dilated_conv(a, b, d)``;
    ``\odot`` → ``hadamard(a, b)``; ``\otimes`` → ``kron(a, b)``;
    ``\bmod`` → ``Mod``; ``\nabla f`` → ``nabla(f)``; ``x^T`` → ``transpose(x)``.
Big operators
    ``\sum``/``\prod`` with ``_{m=0}^{k-1}``, ``_{0\le m<k}``, ``_{m,n\in[0,p)}``,
    ``_{p,q\in\{0,\ldots,k-1\}}`` → ``Sum``/``Product`` with inclusive integer
    bounds; a bare index (``\sum_m``, ``\sum_{i,j}``, ``(m,n)\in\Omega``) runs over
    ``(-oo, oo)``, i.e. "all valid indices" (noted). ``\max``/``\min`` over a
    range → ``Function('max_over')(body, Tuple(m, lo, hi), ...)``.
Numbers
    Integers and decimals are exact (``0.5`` → ``1/2``); ``102,464`` → 102464
    only for groups of three digits; ``28\%`` → ``7/25``; ``\text{million}`` → 10**6.
Other
    ``\mathbb{R}^{H\times W}`` → ``Function('RealSpace')(H, W)``; ``O(n^2)`` →
    ``Function('O')(n**2)``; ``\partial L/\partial X`` and ``\frac{\partial L}{\partial X}``
    → ``Derivative(L, X)``; ``\begin{cases}`` → ``Piecewise``; ``\ldots`` →
    ``Symbol('ldots')``; ``\infty`` → ``oo``; ``\begin{bmatrix}`` (and ``pmatrix`` …) →
    ``ImmutableMatrix``; ``*`` between matrices or shape tuples → ``conv``; several words
    in a row (``output size``) → one name ``output_size``; ``a, b \in S`` → ``(a, b) ∈ S``;
    ``l = 1, \dots, L`` → ``l = (1, ldots, L)``; ``k=3, P=1`` → ``(k, P) = (3, 1)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from lark import Token, Tree

from . import bounds
from .errors import MathParseError

__all__ = ["Builder", "KNOWN_NAMES", "GREEK_NAMES", "RELATIONS"]

GREEK_NAMES = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
    "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma",
    "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda",
    "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell", "imath", "jmath", "hbar", "aleph",
}
_GREEK_ALIAS = {"varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi", "varsigma": "sigma",
                "varrho": "rho", "varpi": "pi"}

#: Two-letter runs read as one name (longer runs always are).
KNOWN_NAMES = {"RF", "BN", "LN", "GN", "IN", "FC", "ln", "lg", "id", "dx", "Re", "Im", "MB", "KB", "GB"}

#: Single letters (or Greek names) that are functions when applied to one argument.
FUNCTION_LETTERS = {"f", "g", "sigma", "phi", "psi", "tau", "O", "Omega", "varphi", "T", "F", "P", "E"}

#: Grammar relation spelling -> relation string of :class:`~proofs.document.parser.ParsedMath`.
RELATIONS = {
    "=": "=", "\\approx": "≈", "\\sim": "≈", "\\simeq": "≈", "\\doteq": "≈",
    "<": "<", "\\lt": "<", "\\leq": "≤", "\\le": "≤", "\\leqslant": "≤", "<=": "≤",
    ">": ">", "\\gt": ">", "\\geq": "≥", "\\ge": "≥", "\\geqslant": "≥", ">=": "≥",
    "\\neq": "≠", "\\ne": "≠", "!=": "≠", "\\in": "∈",
    "\\to": "→", "\\rightarrow": "→", "\\longrightarrow": "→", "\\mapsto": "→",
    "\\Rightarrow": "→", "\\implies": "→", "\\propto": "∝", "\\equiv": "≡",
    ":=": "=", "\\coloneqq": "=", "\\triangleq": "=", "\\leftarrow": "=", "\\gets": "=",
}
#: definitions and assignments (``μ_B ← (1/m) Σ x_i`` in an algorithm): read as '='
_DEFINITION_RELS = {":=", "\\coloneqq", "\\triangleq", "\\leftarrow", "\\gets"}

_UNIT_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}

_LDOTS = sp.Symbol("ldots")
_WORD_LABELS = KNOWN_NAMES | {"in", "out", "io", "eff", "tot"}
#: Base letters read as sizes/counts, so that ``H * W`` or ``C_in * k * k`` stay products.
_SIZE_LETTERS = {"H", "W", "C", "N", "D", "L", "S", "P", "F", "k", "s", "p", "d", "n", "h", "w", "c", "m", "o", "r"}
#: Lower-case letters read as signals/tensors, so that ``W * x`` is a convolution.
_SIGNAL_LETTERS = {"x", "y", "z", "a", "f", "g", "h", "u", "v", "b", "e", "delta", "sigma", "phi", "psi"}
#: Greek letters that name scalars (rates, coefficients, moments, noise), never a kernel: ``α * x`` is a product
_SCALAR_GREEK = {"alpha", "beta", "gamma", "eta", "lambda", "epsilon", "mu", "rho", "kappa", "nu", "tau", "sigma",
                 "xi", "zeta", "omega"}
_TENSOR_FUNCS = {"conv", "corr", "dilated_conv", "at", "transpose"}

#: function names written out in code style (``floor(x)``, ``math.ceil(x)``) that are rounding
_ROUNDING_FUNCS = {"floor": sp.floor, "ceil": sp.ceiling, "ceiling": sp.ceiling}

#: functions of the grammar's FUNC terminal that have a formula, so that a prime (``\tanh'(x)``) is their derivative
_PRIMED_FUNCS = {"exp": sp.exp, "log": sp.log, "ln": sp.log, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
                 "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh}


@dataclass
class Item:
    """A built piece with what the next reading step needs to know about it."""

    expr: object
    kind: str = "other"  # name | group | number | partial | word_run | realspace | other
    name: str | None = None  # the symbol name, for kind == "name"
    base: str | None = None  # the name without sub/label/primes
    args: list = field(default_factory=list)  # the items of a bracket group
    tensor: bool = False  # looks like a tensor / signal (for the reading of '*')
    var: object = None  # the variable of a partial  (kind == "partial")
    closed: bool = False  # a bracket group that is a closed list ``[a, b]``
    star: tuple | None = None  # (a, b) of an ``a * b`` read as a product, for ``(f * g)(i)``
    group_posts: tuple | None = None  # (group item, posts) of ``(x)^2``/``(X)[c]`` for ``f(x)^2``
    size: bool = False  # a product of sizes (``F * F``), for the reading of a following '*'
    func_of: tuple | None = None  # (function name, scripts, name item) of ``\log p``: ``\log p(x)`` is log(p(x))


def _tok(tree) -> Token | None:
    return tree if isinstance(tree, Token) else None


class Builder:
    """Build SymPy objects from a parse tree, collecting notes.

    Parameters
    ----------
    cases : list
        Pre-built ``Piecewise`` objects for the ``\\casesrefN`` placeholders.
    deadline : bounds.Deadline
        Checked at every node.
    """

    def __init__(self, cases=None, deadline: bounds.Deadline | None = None, code_like: bool = False,
                 functions: frozenset = frozenset()) -> None:
        self.notes: list[str] = []
        self.functions = functions  # names the formula applies elsewhere: ``k(x - z)`` is then k applied too
        self.code_like = code_like  # program-code identifiers (``in_shape[i] * strides[i]``): ``*`` is a product
        self.cases = cases or []
        self.deadline = deadline or bounds.Deadline()
        self._index_depth = 0  # > 0 while reading an index list, where "1,100" means (1, 100)

    # ------------------------------------------------------------------ helpers
    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def visit(self, tree, raw: bool = False) -> Item:
        self.deadline.check()
        method = getattr(self, "r_" + tree.data, None)
        if method is None:  # pragma: no cover - grammar and builder out of sync
            raise MathParseError(f"internal: no reading for rule {tree.data}")
        item = method(tree)
        if not isinstance(item, Item):
            return item
        if not raw and item.kind == "word_run":
            self.note(f"'{''.join(item.args)}' read as the product {'·'.join(item.args)}")
            return Item(sp.Mul(*[sp.Symbol(ch) for ch in item.args]))
        if not raw and item.kind == "realspace":
            return Item(sp.Function("RealSpace")())
        return item

    def expr(self, tree):
        return self.visit(tree).expr

    # ------------------------------------------------------------------ lists and chains
    def chains(self, clist: Tree) -> list[tuple[list, list[str]]]:
        """The chains of a ``clist`` as ``(sides, relations)`` pairs."""
        out = []
        for child in clist.children:
            if isinstance(child, Tree) and child.data == "chain":
                out.append(self.chain(child))
        return out

    def chain(self, tree: Tree) -> tuple[list[Item], list[str]]:
        sides, rels = [], []
        for child in tree.children:
            if isinstance(child, Token):
                v = child.value.strip()
                rels.append(RELATIONS[v])
                if v in _DEFINITION_RELS:
                    self.note(f"'{v}' read as '='")
                if v in ("\\sim", "\\simeq"):
                    self.note(f"'{v}' read as '≈'")
            else:
                sides.append(self.visit(child))
        return sides, rels

    def list_items(self, clist: Tree) -> list[Item]:
        """Items of a bracketed list; relations inside brackets are refused."""
        items = []
        for sides, rels in self.chains(clist):
            if rels:
                raise MathParseError(f"unsupported: relation {rels[0]} inside brackets")
            if sides[0].kind == "numlist":
                items.extend(sides[0].args)
            else:
                items.append(sides[0])
        return items

    def index_items(self, clist: Tree) -> list[Item]:
        """Items of an index list (``X[1,100]`` is two indices, not 1100)."""
        self._index_depth += 1
        try:
            return self.list_items(clist)
        finally:
            self._index_depth -= 1

    def _relational(self, sides: list[Item], rels: list[str]):
        ops = {"=": sp.Eq, "<": sp.StrictLessThan, "≤": sp.LessThan, ">": sp.StrictGreaterThan,
               "≥": sp.GreaterThan, "≠": sp.Ne}
        parts = []
        for (a, b), r in zip(zip(sides, sides[1:]), rels):
            if r == "∈":
                parts.append(sp.Function("Contains")(a.expr, b.expr))
                continue
            op = ops.get(r)
            if op is None:
                raise MathParseError(f"unsupported: relation {r} inside brackets")
            parts.append(op(a.expr, b.expr, evaluate=False))
        return parts[0] if len(parts) == 1 else sp.And(*parts, evaluate=False)

    def r_start(self, tree: Tree):
        return self.chains(tree.children[0])

    # ------------------------------------------------------------------ arithmetic
    def r_sum(self, tree: Tree) -> Item:
        kids = tree.children
        first = self.visit(kids[0])
        if len(kids) == 1:
            return first
        terms = [first.expr]
        for op, operand in zip(kids[1::2], kids[2::2]):
            value = self.expr(operand)
            if op.value == "+":
                terms.append(value)
            elif op.value == "-":
                terms.append(self._mul(-1, value))
            else:
                raise MathParseError(f"unsupported: {op.value}")
        if any(isinstance(t, sp.MatrixBase) for t in terms):
            total = terms[0]
            try:
                for t in terms[1:]:
                    total = total + t
            except (sp.ShapeError, TypeError, ValueError) as err:
                raise MathParseError(f"unsupported: matrix sum ({str(err)[:60]})") from None
            return Item(total)
        terms = [self._bracket_value(t) for t in terms]
        for t in terms:
            if not isinstance(t, sp.Expr):
                raise MathParseError(f"unsupported: arithmetic on {type(t).__name__} {str(t)[:40]}")
        return Item(sp.Add(*terms))

    def _bracket_value(self, t):
        """``[a + b]`` in arithmetic (``2[a + b]``, ``[\\frac{n - k}{s}] + 1``) is a bracket around one value."""
        if isinstance(t, sp.Tuple) and len(t) == 1 and isinstance(t[0], sp.Expr):
            self.note("[…] around one value in arithmetic read as brackets (grouping), not as a list or the integer part")
            return t[0]
        return t

    def r_neg(self, tree: Tree) -> Item:
        inner = self.visit(tree.children[-1])
        return Item(self._mul(-1, inner.expr), kind="number" if inner.kind == "number" else "other")

    def r_mulop(self, tree: Tree) -> Token:  # pragma: no cover - read inline by r_term
        return tree.children[0]

    def r_term(self, tree: Tree) -> Item:
        kids = tree.children
        left = self.visit(kids[0])
        if len(kids) == 1:
            return left
        for op_tree, operand in zip(kids[1::2], kids[2::2]):
            op = op_tree.children[0]
            right = self.visit(operand)
            left = self._binary(op, left, right)
        return left

    @staticmethod
    def _is_tensorish(item: Item) -> bool:
        """A tensor or signal: a capital letter, ``x``/``y``/``f``/``g``…, an application, index or derivative."""
        if item.tensor:
            return True
        return item.kind == "name" and bool(item.base) and (
            len(item.base) == 1 and item.base.isupper() or item.base in _SIGNAL_LETTERS)

    @staticmethod
    def _is_scalarish(item: Item) -> bool:
        """A coefficient: a Greek letter that names a scalar (``α``, ``η``, ``β``), or arithmetic of such and numbers."""
        if item.tensor:
            return False
        if item.kind == "name":
            return item.base in _SCALAR_GREEK
        expr = item.expr
        if not isinstance(expr, sp.Expr) or isinstance(expr, sp.MatrixBase) or expr.atoms(sp.Indexed, sp.Function):
            return False
        names = expr.free_symbols
        return bool(names) and all(isinstance(n, sp.Symbol) and n.name in _SCALAR_GREEK for n in names)

    @staticmethod
    def _is_sizeish(item: Item) -> bool:
        """A size or count: ``H``, ``W``, ``C_in``, ``k``, ``s`` … (a name whose base letter names a size)."""
        if item.size or item.kind == "number":
            return True
        return item.kind == "name" and bool(item.base) and item.base in _SIZE_LETTERS

    def _binary(self, op: Token, left: Item, right: Item) -> Item:
        v = op.value.strip()
        a, b = self._bracket_value(left.expr), self._bracket_value(right.expr)
        if v in ("/", "\\div"):
            return Item(self._mul(a, self._pow(b, sp.Integer(-1))))
        if v in ("\\cdot", "\\times", "\\cdotp", "\\bullet"):
            return Item(self._mul(a, b), kind="number" if left.kind == right.kind == "number" else "other",
                        size=self._is_sizeish(left) and self._is_sizeish(right))
        if v in ("\\bmod", "\\mod"):
            return Item(sp.Mod(a, b))
        if v.startswith("*_") or v.startswith("\\ast_"):
            d = v.partition("_")[2]
            d = d[1:-1].strip() if d.startswith("{") else d
            if not re.fullmatch(r"[A-Za-z0-9]", d):
                label = re.sub(r"\\[A-Za-z]+\s*\{([^{}]*)\}", r"\1", d)
                label = re.sub(r"\W+", "_", label).strip("_")
                if not label:
                    raise MathParseError(f"unsupported: operator {v}")
                self.note(f"'*_{{{d}}}' read as a named convolution conv_{label}(a, b)")
                return Item(sp.Function(f"conv_{label}")(a, b), tensor=True)
            self.note(f"'*_{d}' read as dilated convolution dilated_conv(a, b, {d})")
            return Item(sp.Function("dilated_conv")(a, b, self._label_symbol(d)), tensor=True)
        if v == "*" and self.code_like:
            return Item(self._mul(a, b), size=self._is_sizeish(left) and self._is_sizeish(right))
        if v in ("*", "\\ast", "\\circledast"):
            if isinstance(a, (sp.MatrixBase, sp.Tuple)) or isinstance(b, (sp.MatrixBase, sp.Tuple)):
                self.note("'*' between matrices or shapes read as convolution conv(a, b)")
                return Item(sp.Function("conv")(a, b), tensor=True)
            numeric = getattr(a, "is_number", False) or getattr(b, "is_number", False)
            if not numeric and (self._is_scalarish(left) or self._is_scalarish(right)):
                # α * x, η * g, (1 − β) * v, σ * ε: a coefficient that names a scalar scales, it is not convolved
                self.note("'*' beside a scalar coefficient (a Greek letter such as α, η, β) read as a product")
                return Item(self._mul(a, b))
            sizes = self._is_sizeish(left) and self._is_sizeish(right)
            if not numeric and not sizes and (self._is_tensorish(left) or self._is_tensorish(right)):
                self.note("'*' between tensors read as convolution conv(a, b)")
                return Item(sp.Function("conv")(a, b), tensor=True)
            return Item(self._mul(a, b), star=None if numeric else (a, b), size=sizes)
        if v == "\\star":
            self.note("'⋆' read as cross-correlation corr(a, b)")
            return Item(sp.Function("corr")(a, b), tensor=True)
        names = {"\\odot": "hadamard", "\\otimes": "kron", "\\circ": "compose", "\\rtimes": "semidirect",
                 "\\ltimes": "semidirect_left"}
        if v in names:
            return Item(sp.Function(names[v])(a, b), tensor=True)
        raise MathParseError(f"unsupported: operator {v}")  # pragma: no cover

    @staticmethod
    def _mul(*factors):
        factors = tuple(sp.Integer(f) if isinstance(f, int) else f for f in factors)
        if any(isinstance(f, sp.MatrixBase) for f in factors):
            result = factors[0]
            for f in factors[1:]:
                try:
                    result = result * f
                except (sp.ShapeError, TypeError, ValueError) as err:
                    raise MathParseError(f"unsupported: matrix product ({str(err)[:60]})") from None
            return result
        for f in factors:
            if not isinstance(f, sp.Expr):
                raise MathParseError(f"unsupported: arithmetic on {type(f).__name__} {str(f)[:40]}")
        return sp.Mul(*factors)

    def _pow(self, base, exponent):
        for f in (base, exponent):
            if not isinstance(f, sp.Expr):
                raise MathParseError(f"unsupported: power of {type(f).__name__} {str(f)[:40]}")
        bounds.check_exponent(base, exponent)
        if base == 0 and getattr(exponent, "is_negative", False):
            return sp.Pow(base, exponent, evaluate=False)
        return sp.Pow(base, exponent)

    # ------------------------------------------------------------------ big operators
    def r_juxt_bigop(self, tree: Tree) -> Item:
        kids = tree.children
        big = self.visit(kids[-1])
        if len(kids) == 1:
            return big
        pre = self.visit(kids[0])
        return Item(self._mul(pre.expr, big.expr), tensor=big.tensor)

    def r_juxt_nabla(self, tree: Tree) -> Item:
        kids = tree.children
        inner = self.visit(kids[-1])
        val = sp.Function("nabla")(inner.expr)
        if len(kids) == 3:
            return Item(self._mul(self.expr(kids[0]), val))
        return Item(val)

    def r_juxt_nabla_sub(self, tree: Tree) -> Item:
        kids = tree.children
        var = self.expr(kids[-2])
        inner = self.visit(kids[-1])
        val = sp.Function("nabla")(inner.expr, var)
        if len(kids) == 5:
            return Item(self._mul(self.expr(kids[0]), val))
        return Item(val)

    def r_juxt_derivop(self, tree: Tree) -> Item:
        r"""``\frac{d}{dx} f``, ``\frac{\partial}{\partial x} f`` (marked ``\derivop{x} f`` by the normaliser) → ``Derivative(f, x)``."""
        kids = tree.children
        var = self.expr(kids[-2])
        if not isinstance(var, (sp.Symbol, sp.Indexed)):
            raise MathParseError(f"unsupported: derivative with respect to {var}")
        val = self._derivative(self.expr(kids[-1]), var)
        if len(kids) == 4:
            return Item(self._mul(self.expr(kids[0]), val.expr), tensor=True)
        return val

    def r_bigop(self, tree: Tree) -> Item:
        op_tok, scripts, body_tree = tree.children
        op = op_tok.value.strip()[1:]
        body = self.visit(body_tree)
        subs = [s for s in scripts.children if s.data == "sub"]
        sups = [s for s in scripts.children if s.data == "sup"]
        upper = self.expr(sups[0].children[1]) if sups else None
        if op == "int":
            return self._integral(body, subs, upper)
        if op == "lim" and subs and subs[0].children[1].data == "sarg_group":
            chains = self.chains(subs[0].children[1].children[0])
            if len(chains) == 1 and chains[0][1] == ["→"] and isinstance(chains[0][0][0].expr, sp.Symbol):
                var, point = chains[0][0][0].expr, chains[0][0][1].expr
                return Item(sp.Limit(body.expr, var, point, dir="+-" if point.is_finite else "-"), tensor=body.tensor)
            raise MathParseError("unsupported: \\lim without 'variable \\to point'")
        limits = self._limits(subs[0].children[1] if subs else None, upper)
        if not limits:
            if op in ("sum", "prod"):
                self.note(f"\\{op} without an index: read as a function {op}(body)")
                return Item(sp.Function(op)(body.expr))
            name = {"max": "Max", "min": "Min"}.get(op)
            if name and isinstance(body.expr, sp.Tuple):
                return Item(getattr(sp, name)(*body.expr))
            return Item(sp.Function(op)(body.expr))
        if op == "sum":
            return Item(sp.Sum(body.expr, *limits), tensor=body.tensor)
        if op == "prod":
            return Item(sp.Product(body.expr, *limits))
        return Item(sp.Function(f"{op}_over")(body.expr, *[sp.Tuple(*lim) for lim in limits]))

    def _integral(self, body: Item, subs, upper) -> Item:
        r"""``\int_a^b f(x)\,dx`` → ``Integral(f(x), (x, a, b))``; the differential ``dx`` names the variable.

        ``\int_G f\,dg`` (a domain, no upper bound) → ``int_over(f, g, G)``. Nested integrals
        ``\int_A \int_B f\,dx\,dh``: the inner one takes the first differential, the outer one the next.
        """
        factors = list(sp.Mul.make_args(body.expr))
        diffs = [f for f in factors if isinstance(f, sp.core.function.AppliedUndef) and f.func.__name__ == "differential"]
        if not diffs:
            raise MathParseError("unsupported: \\int without a differential (dx)")
        factors.remove(diffs[0])
        rest = [f for f in factors if f in diffs[1:]]
        integrand = self._mul(*[f for f in factors if f not in diffs[1:]])
        if any(isinstance(n, sp.core.function.AppliedUndef) and n.func.__name__ == "differential"
               for n in sp.preorder_traversal(integrand)):
            raise MathParseError("unsupported: a differential inside the integrand")
        var = diffs[0].args[0]
        lower = self.expr(subs[0].children[1]) if subs else None
        if lower is None and upper is None:
            value = sp.Integral(integrand, var)
        elif lower is not None and upper is None:
            value = sp.Function("int_over")(integrand, var, lower)
        elif lower is not None:
            value = sp.Integral(integrand, (var, lower, upper))
        else:
            raise MathParseError("unsupported: \\int with an upper bound only")
        return Item(self._mul(value, *rest), tensor=body.tensor)

    def _limits(self, sarg, upper) -> list[tuple]:
        """Summation limits ``(var, lo, hi)`` from a subscript (and superscript) of a big operator."""
        if sarg is None:
            return []
        if sarg.data != "sarg_group":
            return [self._limit(var, None, upper) for var in self._vars(self.visit(sarg).expr)]
        chains = self.chains(sarg.children[0])
        limits: list[tuple] = []
        pending: list = []  # bare variables waiting for a set ("m, n \in [0, p)")
        for sides, rels in chains:
            exprs = [s.expr for s in sides]
            if not rels:
                pending.extend(self._vars(exprs[0]))
                continue
            if rels == ["="]:
                for var in pending:
                    limits.append(self._limit(var, None, None))
                pending = []
                for var in self._vars(exprs[0]):
                    limits.append(self._limit(var, exprs[1], upper))
            elif rels == ["∈"]:
                lo, hi = self._range_of(sides[1])
                for var in pending + self._vars(exprs[0]):
                    limits.append(self._limit(var, lo, hi))
                pending = []
            elif len(rels) == 2 and all(r in ("<", "≤") for r in rels):
                lo = exprs[0] + (1 if rels[0] == "<" else 0)
                hi = exprs[2] - (1 if rels[1] == "<" else 0)
                for var in pending + self._vars(exprs[1]):
                    limits.append(self._limit(var, lo, hi))
                pending = []
            elif len(rels) == 1 and rels[0] in ("<", "≤"):
                hi = exprs[1] - (1 if rels[0] == "<" else 0)
                for var in pending + self._vars(exprs[0]):
                    limits.append(self._limit(var, None, hi))
                pending = []
            else:
                raise MathParseError(f"unsupported: summation range with {' '.join(rels)}")
        for var in pending:
            limits.append(self._limit(var, None, upper if len(pending) == 1 and not limits else None))
        return limits

    def _vars(self, expr) -> list:
        items = list(expr) if isinstance(expr, sp.Tuple) else [expr]
        for v in items:
            if not isinstance(v, sp.Symbol):
                raise MathParseError(f"unsupported: summation index {v}")
        return items

    def _limit(self, var, lo, hi) -> tuple:
        if lo is None or hi is None:
            self.note(f"index {var} without {'bounds' if lo is None and hi is None else 'both bounds'}: "
                      "read as running over all valid values (-oo, oo)")
        return (var, -sp.oo if lo is None else lo, sp.oo if hi is None else hi)

    def _range_of(self, item: Item):
        s = item.expr
        if isinstance(s, sp.Interval):
            lo = s.start + (1 if s.left_open else 0)
            hi = s.end - (1 if s.right_open else 0)
            return lo, hi
        if isinstance(s, (sp.Tuple, sp.FiniteSet)):
            elems = list(s.args)
            nums = [e for e in elems if e != _LDOTS]
            if _LDOTS in elems and len(nums) >= 2:
                return nums[0], nums[-1]
            if item.closed and len(elems) == 2:
                return elems[0], elems[1]
        self.note(f"index set {s} is not a range: indices read as running over all valid values")
        return None, None

    # ------------------------------------------------------------------ juxtaposition
    def r_juxt(self, tree: Tree) -> Item:
        items = [self.visit(c) for c in tree.children]
        for n, it in enumerate(items):
            if it.kind == "indicator_paren":
                if n == 0 or items[n - 1].expr != 1:
                    raise MathParseError("unsupported: relation inside brackets")
                it.kind = "other"
        if len(items) == 1:
            return items[0]
        out: list[Item] = []
        i = 0
        while i < len(items):
            it = items[i]
            nxt = items[i + 1] if i + 1 < len(items) else None
            rounding = _ROUNDING_FUNCS.get(it.name) if it.kind == "name" else None
            if (rounding is not None and nxt is not None and nxt.kind == "group" and not nxt.closed
                    and len(nxt.args) == 1):
                inner = nxt.args[0].expr
                self.note(f"{it.name}(…) read as {rounding.__name__}")
                out.append(Item(rounding(inner), kind="number" if inner.is_number else "other"))
                i += 2
                continue
            if (nxt is not None and nxt.kind == "group" and it.func_of is not None and not nxt.closed
                    and (self._applies(it.func_of[2], nxt)
                         or len(nxt.args) == 1 and isinstance(nxt.args[0].expr, (sp.Symbol, sp.Indexed)))):
                # \log p(x): the function of p applied to x, not log(p)·x
                fname, scripts, inner = it.func_of
                self.note(f"∂_{scripts} {inner.name}(…) read as the derivative of {inner.name}(…)" if fname == "partial"
                          else f"\\{fname} {inner.name}(…) read as {fname}({inner.name}(…))")
                applied = Item(sp.Function(inner.name)(*[a.expr for a in nxt.args]), tensor=True)
                if fname == "partial":  # \partial_i f(i, j): the derivative of the applied f
                    out.append(self._derivative(applied.expr, scripts))
                else:
                    out.append(self._func_value(fname, scripts, applied))
                i += 2
                continue
            if nxt is not None and nxt.kind == "group" and it.kind == "name" and self._applies(it, nxt):
                out.append(Item(sp.Function(it.name)(*[a.expr for a in nxt.args]), tensor=True))
                i += 2
                continue
            if (nxt is not None and nxt.group_posts is not None and it.kind == "name"
                    and self._applies(it, nxt.group_posts[0])):
                group, posts = nxt.group_posts
                applied = Item(sp.Function(it.name)(*[a.expr for a in group.args]), tensor=True)
                out.append(self._apply_posts(applied, posts))
                i += 2
                continue
            if nxt is not None and nxt.kind == "group" and it.star is not None and not nxt.closed:
                self.note("'*' in a bracket that is then applied read as convolution conv(a, b)")
                out.append(Item(sp.Function("at")(sp.Function("conv")(*it.star), *[a.expr for a in nxt.args]),
                                tensor=True))
                i += 2
                continue
            if nxt is not None and nxt.kind == "group" and self._has_tensor_op(it.expr) and it.kind != "name":
                out.append(Item(sp.Function("at")(it.expr, *[a.expr for a in nxt.args]), tensor=True))
                i += 2
                continue
            if (it.kind == "number" and nxt is not None and nxt.kind == "name" and nxt.name == "x"
                    and i + 2 < len(items) and items[i + 2].kind == "number"):
                self.note("'x' between numbers read as ×")
                out.append(Item(self._mul(it.expr, items[i + 2].expr), kind="number"))
                i += 3
                continue
            if it.kind == "name" and nxt is not None and nxt.kind == "group" and not nxt.closed:
                self.note(f"{it.name}(…) read as multiplication")
            out.append(it)
            i += 1
        ops = [n for n, o in enumerate(out) if o.kind == "diffop"]
        if ops and ops[0] + 1 < len(out):  # d/dz tanh(z): the operator applies to the rest of the product
            n = ops[0]
            rest = self._mul(*[o.expr for o in out[n + 1:]])
            applied = self._derivative(rest, out[n].var)
            out = out[:n] + [applied]
        if len(out) == 1:
            return out[0]
        if all(o.kind == "name" and o.name == o.base and len(o.base) >= 3 and o.base.isalpha()
               and o.base not in GREEK_NAMES for o in out):
            name = "_".join(o.base for o in out)
            self.note(f"words '{' '.join(o.base for o in out)}' read as the name {name}")
            return self._name_item(name)
        expr = self._mul(*[self._bracket_value(o.expr) for o in out])
        return Item(expr, kind="number" if all(o.kind == "number" for o in out) else "other",
                    tensor=any(o.tensor for o in out))

    @staticmethod
    def _has_tensor_op(expr) -> bool:
        return isinstance(expr, sp.Basic) and any(
            isinstance(f, sp.core.function.AppliedUndef)
            and (f.func.__name__ in _TENSOR_FUNCS or f.func.__name__.startswith("conv_"))
            for f in sp.preorder_traversal(expr))

    def _applies(self, name: Item, group: Item) -> bool:
        if group.closed:
            return False
        if len(group.args) >= 2 or name.name in self.functions:
            return True
        base = name.base or ""
        if base in FUNCTION_LETTERS or len(base) >= 2 and base not in GREEK_NAMES or base in ("sigma", "phi", "psi", "tau"):
            return True
        arg = group.args[0].expr if group.args else None
        if len(base) == 1 and isinstance(arg, (sp.Symbol, sp.Indexed)) and base.isupper():
            return True
        if name.name != base and "_" in (name.name or "") and isinstance(arg, sp.Symbol) and arg.name != _LDOTS.name:
            # p_{ij}(x), h_k(t): a subscripted name applied to one bare variable is a family of functions;
            # a product would be written p_{ij} x (compound arguments, s_i(k_i - 1), stay products)
            self.note(f"{name.name}({arg}) read as a function application")
            return True
        return False

    # ------------------------------------------------------------------ postfix: names, scripts, indices
    def r_postfix(self, tree: Tree) -> Item:
        item = self.visit(tree.children[0], raw=True)
        posts = list(tree.children[1:])
        prefix = None
        if item.kind == "word_run":
            letters = item.args
            prefix = self._mul(*[sp.Symbol(ch) for ch in letters[:-1]])
            item = self._name_item(letters[-1])
            self.note(f"'{''.join(letters)}' read as the product {'·'.join(letters)}")
        if item.kind == "realspace":
            result = self._realspace(posts)
        else:
            result = self._apply_posts(item, posts)
            if item.kind == "group" and posts and not item.closed:
                result.group_posts = (item, posts)
        if prefix is not None:
            return Item(self._mul(prefix, result.expr))
        return result

    def _realspace(self, posts) -> Item:
        dims = []
        rest = list(posts)
        if rest and rest[0].data == "sup":
            dims = self._times_factors(rest.pop(0).children[1])
        item = Item(sp.Function("RealSpace")(*dims))
        return self._apply_posts(item, rest) if rest else item

    def _times_factors(self, sarg) -> list:
        """``H \\times W \\times C`` → ``[H, W, C]`` (a superscript of ℝ)."""
        if sarg.data != "sarg_group":
            return [self.expr(sarg)]
        chains = sarg.children[0].children
        if len(chains) != 1:
            return [self.expr(c) for c in chains if isinstance(c, Tree)]
        sum_tree = chains[0].children[0]
        if len(sum_tree.children) == 1 and isinstance(sum_tree.children[0], Tree) and sum_tree.children[0].data == "term":
            term = sum_tree.children[0]
            factors = [term.children[0]]
            for op_tree, operand in zip(term.children[1::2], term.children[2::2]):
                if op_tree.children[0].value.strip() not in ("\\times", "*", "\\cdot"):
                    return [self.expr(sarg.children[0].children[0])]
                factors.append(operand)
            return [self.expr(f) for f in factors]
        return [self.expr(chains[0])]

    def _name_item(self, name: str) -> Item:
        return Item(sp.Symbol(name), kind="name", name=name, base=name)

    def _label_symbol(self, text: str):
        return sp.Integer(int(text)) if text.isdigit() else sp.Symbol(text)

    def _script_label(self, sarg) -> str | None:
        """The text of a subscript that is one identifier or number, else None."""
        if sarg.data == "sarg_token":
            tok = sarg.children[0]
            if tok.type == "WORD" or tok.type == "NUMBER" and "," not in tok.value and "." not in tok.value:
                return tok.value
            if tok.type == "CMD":
                return self._cmd_name(tok.value)
            if tok.type == "TEXTCMD":
                return _text_content(tok.value).replace(" ", "") or None
            return None
        if sarg.data in ("sarg_font", "sarg_accent"):
            it = self.visit(sarg.children[1])
            return it.name if it.kind == "name" else None
        if sarg.data != "sarg_group":
            return None
        clist = sarg.children[0]
        if len(clist.children) != 1:
            return None
        node = clist.children[0]  # chain
        if len(node.children) != 1:
            return None
        node = node.children[0]  # sum
        if len(node.children) != 1 or not isinstance(node.children[0], Tree) or node.children[0].data != "term":
            return None
        node = node.children[0]
        if len(node.children) != 1:
            return None
        node = node.children[0]  # juxt
        if node.data != "juxt":
            return None
        parts = []
        for post in node.children:
            atom = post.children[0]
            if atom.data == "word":
                parts.append(atom.children[0].value)
                if len(node.children) == 1 and len(post.children) == 1:
                    if len(atom.children[0].value) == 2 and atom.children[0].value not in _WORD_LABELS:
                        self.note(f"subscript '{atom.children[0].value}' read as one label")
                    continue
            elif atom.data == "number" and "," not in atom.children[0].value:
                parts.append(atom.children[0].value)
            elif atom.data == "cmd":
                parts.append(self._cmd_name(atom.children[0].value))
            elif atom.data == "text":
                parts.append(_text_content(atom.children[0].value).replace(" ", ""))
            elif atom.data in ("font", "accent"):
                it = self.visit(atom)
                if it.kind != "name":
                    return None
                parts.append(it.name)
            else:
                return None
            for p in post.children[1:]:
                if p.data == "prime":
                    parts[-1] += p.children[0].value
                elif p.data == "sub":
                    inner = self._script_label(p.children[1])
                    if inner is None:
                        return None
                    parts[-1] += "_" + inner
                else:
                    return None
        if len(parts) > 1:
            if all(len(p.rstrip("'")) == 1 for p in parts):  # a_{ij}, h_{i'j'}
                self.note(f"subscript '{''.join(parts)}' read as one label")
            else:
                return None
        return "".join(parts)

    def _sup_label(self, sarg) -> str | None:
        """``^{(l)}`` / ``^{(l-1)}`` / ``^{[l]}`` → ``'l'`` / ``'l-1'`` / ``'l'``: a layer label, not a power.

        So is a bare ``^\\ell`` / ``^{\\ell-1}``: the script ℓ names a layer and is never written as an exponent.
        """
        ell = self._ell_label(sarg)
        if ell is not None:
            return ell
        if sarg.data != "sarg_group":
            return None
        clist = sarg.children[0]
        if len(clist.children) != 1:
            return None
        chain = clist.children[0]
        if len(chain.children) != 1:
            return None
        sum_tree = chain.children[0]
        if len(sum_tree.children) != 1 or not isinstance(sum_tree.children[0], Tree):
            return None
        term = sum_tree.children[0]
        if term.data != "term" or len(term.children) != 1:
            return None
        juxt = term.children[0]
        if juxt.data != "juxt" or len(juxt.children) != 1:
            return None
        post = juxt.children[0]
        # ``^{(l)}`` and ``^{[l]}`` (the deeplearning.ai notation) both label a layer; neither is a power
        if len(post.children) != 1 or post.children[0].data not in ("paren", "brack"):
            return None
        inner = self._single(post.children[0].children[0], "superscript label")
        text = str(inner).replace(" ", "").replace("**", "^")
        return text

    def _ell_label(self, sarg) -> str | None:
        """``\\ell``, ``{\\ell}``, ``{\\ell - 1}``, ``{\\ell+1}`` → ``'ell'``, ``'ell-1'`` …; else None."""
        if sarg.data == "sarg_token":
            tok = sarg.children[0]
            return "ell" if tok.type == "CMD" and tok.value == "\\ell" else None
        if sarg.data != "sarg_group":
            return None
        try:
            expr = self._single(sarg.children[0], "superscript")
        except MathParseError:
            return None
        ell = sp.Symbol("ell")
        if not isinstance(expr, sp.Expr) or expr.free_symbols != {ell}:
            return None
        shift = sp.expand(expr - ell)
        if not shift.is_Integer:
            return None
        return "ell" if shift == 0 else f"ell{'+' if shift > 0 else '-'}{abs(shift)}"

    def _sup_kind(self, sarg) -> str:
        if sarg.data == "sarg_token":
            tok = sarg.children[0]
            if tok.type == "WORD" and tok.value == "T" or tok.type == "CMD" and tok.value in ("\\top", "\\intercal"):
                return "transpose"
            if tok.type == "MULOP":
                return "star"
        if self._sup_label(sarg) is not None:
            return "label"
        return "power"

    def _apply_posts(self, item: Item, posts) -> Item:
        # ``x^2_i`` means ``(x_i)^2``: move a power after a following subscript.
        posts = list(posts)
        k = 0
        while k + 1 < len(posts):
            if posts[k].data == "sup" and posts[k + 1].data == "sub" and self._sup_kind(posts[k].children[1]) == "power":
                posts[k], posts[k + 1] = posts[k + 1], posts[k]
                k += 2
            else:
                k += 1
        if item.kind == "name" and len(posts) >= 2 and posts[0].data == "sub" and posts[1].data == "sup" \
                and self._sup_kind(posts[1].children[1]) == "label":
            posts[0], posts[1] = posts[1], posts[0]  # y_{i,j}^{(l)}: the layer label belongs to the name y^(l)
        if item.kind == "name":
            base, label, sub, primes = item.name, None, None, ""
            while posts:
                p = posts[0]
                if p.data == "prime":
                    primes += p.children[0].value
                elif p.data == "sub" and sub is None:
                    lab = self._script_label(p.children[1])
                    if lab is None:
                        break
                    sub = lab
                elif p.data == "sup" and label is None and self._sup_kind(p.children[1]) == "label":  # x^{(l)}_i, x_i^{[l]}
                    label = self._sup_label(p.children[1])
                elif p.data == "sup" and self._sup_kind(p.children[1]) == "star":
                    primes += "^*"
                else:
                    break
                posts.pop(0)
            name = base + (f"^({label})" if label is not None else "") + (f"_{sub}" if sub is not None else "") + primes
            item = Item(sp.Symbol(name), kind="name", name=name, base=item.base or base,
                        tensor=self._tensor_name(item.base or base))
        if not posts:
            return item
        if item.star is not None and posts[0].data in ("sub", "index"):
            self.note("'*' in a bracket that is then indexed read as convolution conv(a, b)")
            item = Item(sp.Function("conv")(*item.star), tensor=True)
        expr, kind, tensor = item.expr, item.kind, item.tensor
        for k, p in enumerate(posts):
            if p.data == "index" and isinstance(expr, (sp.Indexed, sp.core.function.AppliedUndef)):
                nxt = self.list_items(p.children[0])
                if len(nxt) == 1 and nxt[0].kind == "name" and nxt[0].tensor:
                    self.note(f"[{nxt[0].name}] after an indexed tensor read as a new factor")
                    rest = self._apply_posts(nxt[0], posts[k + 1:])
                    return Item(self._mul(expr, rest.expr), tensor=True)
            if (p.data == "index" or expr == 1 and p.data == "sub") and isinstance(p.children[-1], Tree) and (
                    indicator := self._iverson(p.children[-1].children[0] if p.data == "sub" else p.children[0])) is not None:
                # \mathbb{1}[z > 0], \mathbf{1}_{z>0}: the indicator of the comparison; g\,[z > 0] a product with it
                expr = indicator.expr if expr == 1 else self._mul(expr, indicator.expr)
            elif p.data == "sub":
                idx = self._script_indices(p.children[1])
                expr, tensor = self._index(expr, idx, item), True
            elif p.data == "index":
                idx_items = self.index_items(p.children[0])
                if getattr(expr, "is_number", False) and len(idx_items) == 1:
                    self.note("[…] after a number read as a bracketed factor")
                    expr = self._mul(expr, idx_items[0].expr)
                else:
                    expr, tensor = self._index(expr, [a.expr for a in idx_items], item), True
            elif p.data == "sup":
                expr = self._bracket_value(expr)
                sk = self._sup_kind(p.children[1])
                if sk == "transpose":
                    expr = expr.T if isinstance(expr, sp.MatrixBase) else sp.Function("transpose")(expr)
                elif sk == "star":
                    self.note("^* on a compound read as a starred (marked) quantity starred(…)")
                    expr = sp.Function("starred")(expr)
                else:
                    if sk == "label":
                        self.note("parenthesised superscript on a compound read as a power")
                    exponent = self.expr(p.children[1])
                    if expr == sp.Symbol("e"):
                        self.note("e^{…} read as exp(…)")
                        bounds.check_exponent(sp.E, exponent)
                        expr = sp.exp(exponent)
                    else:
                        expr = self._pow(expr, exponent)
            elif p.data == "prime":
                self.note("prime on a bracket read as transpose")
                expr = expr.T if isinstance(expr, sp.MatrixBase) else sp.Function("transpose")(expr)
            elif p.data == "factorial":
                bounds.check_factorial(expr)
                expr = sp.factorial(expr)
            elif p.data == "percent":
                expr = self._mul(expr, sp.Rational(1, 100))
            kind = "number" if kind == "number" and getattr(expr, "is_number", False) else "other"
            item = Item(expr, kind=kind, tensor=tensor)
        return Item(expr, kind=kind, tensor=tensor)

    @staticmethod
    def _tensor_name(base: str) -> bool:
        return len(base) == 1 and base.isupper()

    def _script_indices(self, sarg) -> list:
        groups = self._juxtaposed_groups(sarg)
        if groups is not None:
            self.note("subscript of bracketed groups side by side read as one index per group")
            return groups
        if sarg.data == "sarg_group":
            return [it.expr for it in self.index_items(sarg.children[0])]
        return [self.expr(sarg)]

    def _juxtaposed_groups(self, sarg) -> list | None:
        """``y_{(i+a)(j+b)}`` → ``[i + a, j + b]``: bracketed groups side by side in a subscript are indices, not a product."""
        if sarg.data != "sarg_group":
            return None
        node = sarg.children[0]
        for _ in range(3):  # clist → chain → sum → term
            if len(node.children) != 1 or not isinstance(node.children[0], Tree):
                return None
            node = node.children[0]
        if node.data != "term" or len(node.children) != 1 or node.children[0].data != "juxt":
            return None
        posts = node.children[0].children
        if len(posts) < 2 or any(len(p.children) != 1 or p.children[0].data != "paren" for p in posts):
            return None
        return [self._single(p.children[0].children[0], "index group") for p in posts]

    def _index(self, expr, idx: list, item: Item):
        if not idx:
            raise MathParseError("syntax: empty index")
        if isinstance(expr, sp.Symbol):
            return sp.Indexed(sp.IndexedBase(expr.name), *idx)
        if isinstance(expr, sp.core.function.AppliedUndef) and expr.func.__name__ == "norm" and len(idx) == 1:
            return sp.Function("norm")(*expr.args, idx[0])
        return sp.Function("at")(expr, *idx)

    # ------------------------------------------------------------------ scripts
    def r_sarg_group(self, tree: Tree) -> Item:
        items = self.list_items(tree.children[0])
        if len(items) == 1:
            return items[0]
        return Item(sp.Tuple(*[i.expr for i in items]))

    def r_sarg_empty(self, tree: Tree) -> Item:
        raise MathParseError("syntax: empty script {}")

    def r_sarg_token(self, tree: Tree) -> Item:
        tok = tree.children[0]
        return self._token_item(tok)

    def r_sarg_neg(self, tree: Tree) -> Item:
        return Item(self._mul(-1, self.expr(tree.children[1])))

    def r_sarg_font(self, tree: Tree) -> Item:
        return self._font(tree.children[0], tree.children[1])

    def r_sarg_accent(self, tree: Tree) -> Item:
        return self._accent(tree.children[0], tree.children[1])

    def _token_item(self, tok: Token) -> Item:
        handlers = {"WORD": self.r_word, "NUMBER": self.r_number, "CMD": self.r_cmd, "TEXTCMD": self.r_text,
                    "INFTY": self.r_infty, "ELLIPSIS": self.r_ellipsis}
        if tok.type == "MULOP":
            raise MathParseError(f"unsupported: operator {tok.value} as a script")
        return handlers[tok.type](Tree(tok.type.lower(), [tok]))

    # ------------------------------------------------------------------ atoms
    def r_number(self, tree: Tree) -> Item:
        text = tree.children[0].value
        if "," in text and self._index_depth:
            parts = [Item(sp.Integer(int(t)), kind="number") for t in text.split(",") if t.isdigit()]
            if len(parts) == len(text.split(",")):
                return Item(None, kind="numlist", args=parts)
        if "," in text:
            self.note(f"'{text}' read as the number {text.replace(',', '')} (thousands separators)")
            text = text.replace(",", "")
        if len(text) > 400:
            raise MathParseError(f"bound exceeded: number with {len(text)} digits > 400")
        if "." in text:
            whole, frac = text.split(".")
            value = sp.Rational(int(whole or "0") * 10 ** len(frac) + int(frac), 10 ** len(frac))
        else:
            value = sp.Integer(int(text))
        return Item(value, kind="number")

    def r_word(self, tree: Tree) -> Item:
        word = tree.children[0].value
        if len(word) == 1 or word in KNOWN_NAMES or len(word) >= 3:
            if word.lower() in _UNIT_WORDS:
                self.note(f"'{word}' read as {_UNIT_WORDS[word.lower()]}")
                return Item(sp.Integer(_UNIT_WORDS[word.lower()]), kind="number")
            return self._name_item(word)
        return Item(None, kind="word_run", args=list(word))

    def _cmd_name(self, cmd: str) -> str:
        name = cmd[1:]
        if name in GREEK_NAMES:
            return _GREEK_ALIAS.get(name, name)
        raise MathParseError(f"unsupported: {cmd}")

    def r_cmd(self, tree: Tree) -> Item:
        cmd = tree.children[0].value
        if cmd in ("\\top", "\\intercal"):
            return self._name_item("T")
        if cmd == "\\pi":
            self.note("\\pi read as the constant π")
            return Item(sp.pi, kind="number")
        if cmd == "\\emptyset" or cmd == "\\varnothing":
            return Item(sp.EmptySet)
        return self._name_item(self._cmd_name(cmd))

    def r_text(self, tree: Tree) -> Item:
        content = _text_content(tree.children[0].value).strip()
        if not content:
            raise MathParseError("syntax: empty \\text{}")
        low = content.lower()
        if low in _UNIT_WORDS:
            self.note(f"'{content}' read as {_UNIT_WORDS[low]}")
            return Item(sp.Integer(_UNIT_WORDS[low]), kind="number")
        first = low.split()[0]
        if first in _UNIT_WORDS:
            self.note(f"'{content}' read as {_UNIT_WORDS[first]} (the rest is a unit)")
            return Item(sp.Integer(_UNIT_WORDS[first]), kind="number")
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", content):
            return self._name_item(content)
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9_\- ]*", content) or re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-.,:;'()/$ ]*", content) \
                and content.count("(") == content.count(")"):
            # words with punctuation (\text{Pool (local invariance)}, \text{size along axis $j$}) are a label
            name = re.sub(r"[^A-Za-z0-9_\-]+", "_", content.replace("$", "")).strip("_")
            self.note(f"text '{content}' read as the name {name}")
            return self._name_item(name)
        if m := re.fullmatch(r"([A-Za-z][A-Za-z0-9_]*)\s*\[\s*([0-9]+|[A-Za-z])\s*\]", content):
            # \text{padding[0]}: an entry of a named array (PyTorch's docs), as \text{padding}[0] reads
            self.note(f"text '{content}' read as the entry {m.group(2)} of the array {m.group(1)}")
            return Item(sp.Indexed(sp.IndexedBase(m.group(1)), self._label_symbol(m.group(2))))
        raise MathParseError(f"unsupported: text '{content[:40]}'")

    def r_infty(self, tree: Tree) -> Item:
        return Item(sp.oo, kind="number")

    def r_ellipsis(self, tree: Tree) -> Item:
        return Item(_LDOTS)

    def r_caseref(self, tree: Tree) -> Item:
        k = int(tree.children[0].value[len("\\casesref"):])
        return Item(self.cases[k])

    def _group(self, clist: Tree, closed: bool = False) -> Item:
        items = self.list_items(clist)
        if len(items) == 1 and not closed:
            inner = items[0]
            return Item(inner.expr, kind="group", args=items, tensor=inner.tensor, star=inner.star)
        return Item(sp.Tuple(*[i.expr for i in items]), kind="group", args=items, closed=closed)

    def _iverson(self, clist: Tree) -> Item | None:
        r"""``[z > 0]``, ``\mathbb{1}(z > 0)``: a bracket holding one comparison is its indicator (1 where it
        holds, else 0) — the derivative of ReLU as derivations write it; None for any other bracket."""
        chains = self.chains(clist)
        if len(chains) != 1 or len(chains[0][1]) != 1 or chains[0][1][0] not in ("<", ">", "≤", "≥"):
            return None
        sides, rels = chains[0]
        self.note("a bracket holding a comparison read as its indicator (1 where it holds, 0 elsewhere)")
        return Item(sp.Piecewise((sp.Integer(1), self._relational(sides, rels)), (sp.Integer(0), True)))

    def r_paren(self, tree: Tree) -> Item:
        indicator = self._iverson(tree.children[0])
        if indicator is not None:  # an indicator only as 𝟙(z > 0): a bare "(x > 0)" is a condition (r_juxt)
            indicator.kind = "indicator_paren"
            return indicator
        return self._group(tree.children[0])

    def r_brack(self, tree: Tree) -> Item:
        indicator = self._iverson(tree.children[0])
        if indicator is not None:
            return indicator
        items = self.list_items(tree.children[0])
        if len(items) == 1 and items[0].kind == "name":
            self.note(f"[{items[0].name}] read as the tensor {items[0].name}")
            it = items[0]
            return Item(it.expr, kind="name", name=it.name, base=it.base, tensor=True)
        return self._group(tree.children[0], closed=True)

    def r_interval_co(self, tree: Tree) -> Item:
        items = self.list_items(tree.children[0])
        if len(items) != 2:
            raise MathParseError("syntax: an interval [a, b) needs two ends")
        return Item(sp.Interval(items[0].expr, items[1].expr, False, True))

    def r_interval_oc(self, tree: Tree) -> Item:
        items = self.list_items(tree.children[0])
        if len(items) != 2:
            raise MathParseError("syntax: an interval (a, b] needs two ends")
        return Item(sp.Interval(items[0].expr, items[1].expr, True, False))

    def r_brace(self, tree: Tree) -> Item:
        items = self.list_items(tree.children[0])
        if len(items) == 1:
            return items[0]
        return Item(sp.Tuple(*[i.expr for i in items]), kind="group", args=items, closed=True)

    def r_set(self, tree: Tree) -> Item:
        items = self.list_items(tree.children[1])
        return Item(sp.Tuple(*[i.expr for i in items]), args=items, closed=True)

    def r_floor(self, tree: Tree) -> Item:
        inner = self._single(tree.children[1], "\\lfloor … \\rfloor")
        return Item(sp.floor(inner), kind="number" if inner.is_number else "other")

    def r_ceil(self, tree: Tree) -> Item:
        inner = self._single(tree.children[1], "\\lceil … \\rceil")
        return Item(sp.ceiling(inner), kind="number" if inner.is_number else "other")

    def r_abs(self, tree: Tree) -> Item:
        return Item(sp.Abs(self._single(tree.children[1], "|…|")))

    def r_norm(self, tree: Tree) -> Item:
        return Item(sp.Function("norm")(self._single(tree.children[1], "‖…‖")))

    def r_angle(self, tree: Tree) -> Item:
        return Item(sp.Function("inner")(*[i.expr for i in self.list_items(tree.children[1])]))

    def _single(self, clist: Tree, what: str):
        items = self.list_items(clist)
        if len(items) != 1:
            raise MathParseError(f"syntax: {what} holds {len(items)} comma-separated parts")
        return items[0].expr

    def r_farg_group(self, tree: Tree) -> Item:
        items = self.list_items(tree.children[0])
        if len(items) != 1:
            return Item(sp.Tuple(*[i.expr for i in items]))
        return items[0]

    def r_farg_token(self, tree: Tree) -> Item:
        tok = tree.children[0]
        if tok.type == "NUMBER" and len(tok.value) > 1 and tok.value.isdigit():
            # \frac12 = 1/2: each digit is one argument; we only see this token, so refuse.
            raise MathParseError("unsupported: \\frac with digit-run arguments")
        return self._token_item(tok)

    def _partial_var(self, item: Item):
        return item.var if item.kind == "partial" else None

    def r_frac(self, tree: Tree) -> Item:
        num = self.visit(tree.children[1])
        den = self.visit(tree.children[2])
        if num.kind == "partial" and den.kind == "partial":
            return self._derivative(num.var, den.var)
        if num.kind == "partial" or den.kind == "partial":
            raise MathParseError("unsupported: \\partial on one side of a fraction only")
        leibniz = self._leibniz(num.expr, den.expr)
        if leibniz is not None:
            return leibniz
        return Item(self._mul(num.expr, self._pow(den.expr, sp.Integer(-1))),
                    kind="number" if num.kind == den.kind == "number" else "other")

    def _leibniz(self, num, den) -> Item | None:
        r"""``\frac{d}{dz}`` (an operator on what follows) and ``\frac{dF}{dz}`` (a derivative): ``d`` on both
        sides of the fraction is the differential, not a factor that cancels (which read ``d tanh(z)/dz`` as
        ``tanh(z)/z``)."""
        d = sp.Symbol("d")

        def differential(e):  # d·x or the one name dx → x
            if isinstance(e, sp.Mul) and len(e.args) == 2 and d in e.args:
                (x,) = [a for a in e.args if a != d]
                return x if isinstance(x, (sp.Symbol, sp.Indexed, sp.core.function.AppliedUndef)) or x.is_Function else None
            if isinstance(e, sp.Symbol) and len(e.name) == 2 and e.name[0] == "d" and e.name[1].isalpha():
                return sp.Symbol(e.name[1])
            return None

        var = differential(den)
        if var is None or not isinstance(var, (sp.Symbol, sp.Indexed)):
            return None
        if num == d:
            self.note(f"d/d{var} read as the derivative with respect to {var} of what follows")
            return Item(sp.Function("diffop")(var), kind="diffop", var=var)
        f = differential(num)
        if f is not None:
            self.note(f"d{f}/d{var} read as a derivative")
            return self._derivative(f, var)
        return None

    def _derivative(self, f, x) -> Item:
        try:
            return Item(sp.Derivative(f, x), tensor=True)
        except (ValueError, TypeError):
            self.note(f"∂{f}/∂{x} is not a derivative SymPy can hold: read as partial_ratio")
            return Item(sp.Function("partial_ratio")(f, x), tensor=True)

    def r_deriv(self, tree: Tree) -> Item:
        f = self.expr(tree.children[1])
        x = self.expr(tree.children[4])
        return self._derivative(f, x)

    def r_partial(self, tree: Tree) -> Item:
        var = self.expr(tree.children[1])
        return Item(sp.Function("partial")(var), kind="partial", var=var)

    def r_partial_sub(self, tree: Tree) -> Item:
        var = self.expr(tree.children[2])
        f = self.expr(tree.children[3])
        self.note("\\partial_{x} f read as the derivative of f with respect to x")
        item = self._derivative(f, var)
        if isinstance(f, sp.Symbol):
            item.func_of = ("partial", var, self._name_item(f.name))
        return item

    def r_sqrt(self, tree: Tree) -> Item:
        return Item(sp.sqrt(self.expr(tree.children[1])))

    def r_nthroot(self, tree: Tree) -> Item:
        n = self._single(tree.children[1], "\\sqrt[n]")
        if n == 0:
            raise MathParseError("syntax: zeroth root")
        bounds.check_exponent(sp.Integer(2), n)
        return Item(sp.root(self.expr(tree.children[2]), n))

    def _accent(self, tok: Token, atom_tree) -> Item:
        accent = tok.value[1:].replace("wide", "").replace("overline", "bar")
        inner = self.visit(atom_tree, raw=True)
        if inner.kind == "word_run":
            inner = self._name_item("".join(inner.args))
        if inner.kind == "name":
            name = f"{accent}({inner.name})"
            return Item(sp.Symbol(name), kind="name", name=name, base=name, tensor=inner.tensor)
        return Item(sp.Function(accent)(inner.expr))

    def r_accent(self, tree: Tree) -> Item:
        return self._accent(tree.children[0], tree.children[1])

    def _font(self, tok: Token, atom_tree) -> Item:
        font = tok.value[1:]
        inner = self.visit(atom_tree, raw=True)
        if inner.kind == "word_run":
            inner = self._name_item("".join(inner.args))
        if font == "mathbb" and inner.kind == "name" and inner.name == "R":
            return Item(None, kind="realspace")
        if inner.kind == "name":
            if font not in ("mathbf", "boldsymbol", "bm", "pmb"):
                self.note(f"\\{font}{{{inner.name}}} read as {inner.name}")
            return Item(inner.expr, kind="name", name=inner.name, base=inner.base,
                        tensor=inner.tensor or font in ("mathbf", "boldsymbol", "bm") and inner.base.isupper())
        return inner

    def r_font(self, tree: Tree) -> Item:
        return self._font(tree.children[0], tree.children[1])

    def r_maxcall(self, tree: Tree) -> Item:
        which = tree.children[0].value.strip()[1:]
        args = [i.expr for i in self.list_items(tree.children[1])]
        fn = sp.Max if which == "max" else sp.Min
        return Item(fn(*args))

    def r_func_prime(self, tree: Tree) -> Item:
        r"""``\tanh'(x)``, ``\exp''(x)``: the derivative of the named function, evaluated at the argument.

        >>> from proofs.document.parser import parse_math
        >>> parse_math(r"\tanh'(x) = 1 - \tanh^2(x)").sides
        [1 - tanh(x)**2, 1 - tanh(x)**2]
        """
        tok, primes, scripts, arg_tree = tree.children
        name = tok.value[1:]
        fn = _PRIMED_FUNCS.get(name)
        if fn is None or scripts.children:
            raise MathParseError(f"unsupported: derivative {tok.value}{primes.value} of a function without a formula")
        arg_item = self.visit(arg_tree)
        args = [a.expr for a in arg_item.args] if arg_item.kind == "group" else [arg_item.expr]
        if len(args) != 1:
            raise MathParseError(f"unsupported: {tok.value}{primes.value} of {len(args)} arguments")
        t = sp.Dummy("t")
        val = sp.diff(fn(t), t, len(primes.value)).subs(t, args[0])
        self.note(f"{tok.value}{primes.value}(…) read as the derivative of {name} at the argument")
        return Item(val)

    def r_differential(self, tree: Tree) -> Item:
        """``\\differential{x}`` (the ``dx`` of an integral, marked by the normaliser) → ``differential(x)``."""
        var = self.visit(tree.children[1])
        if not isinstance(var.expr, sp.Symbol):
            raise MathParseError(f"unsupported: differential d({var.expr}) of something that is not a variable")
        return Item(sp.Function("differential")(var.expr))

    def r_func(self, tree: Tree) -> Item:
        r"""``\tanh x``, ``\log_2 n``, ``\exp(x)``: a named function applied to what follows.

        A power written after a parenthesised argument raises the value, not the argument: ``\tanh(z)^2`` is
        ``(tanh z)²``, as ``\tanh^2(z)``; ``\tanh z^2`` stays ``tanh(z²)``.

        >>> from proofs.document.parser import parse_math
        >>> parse_math(r"\tanh(z)^{2} = \tanh^2(z)").sides, parse_math(r"\tanh z^2").sides
        ([tanh(z)**2, tanh(z)**2], [tanh(z**2)])
        """
        name = tree.children[0].value[1:]
        scripts = tree.children[1].children
        arg_tree, outer = tree.children[2], None
        posts = arg_tree.children[1:] if isinstance(arg_tree, Tree) and arg_tree.data == "postfix" else []
        if (len(posts) == 1 and isinstance(posts[0], Tree) and posts[0].data == "sup"
                and isinstance(arg_tree.children[0], Tree) and arg_tree.children[0].data == "paren"):
            arg_tree, outer = Tree("postfix", [arg_tree.children[0]]), posts[0]
        arg_item = self.visit(arg_tree)
        item = self._func_value(name, scripts, arg_item)
        if outer is not None:
            return Item(self._pow(item.expr, self.expr(outer.children[1])))
        if arg_item.kind == "name":
            item.func_of = (name, scripts, arg_item)
        return item

    def _func_value(self, name: str, scripts, arg_item: Item) -> Item:
        args = [a.expr for a in arg_item.args] if arg_item.kind == "group" else [arg_item.expr]
        if len(args) != 1:
            return Item(sp.Function(name)(*args))
        x = args[0]
        base = None
        power = None
        for s in scripts:
            if s.data == "sub":
                base = self.expr(s.children[1])
            else:
                power = self.expr(s.children[1])
        if name == "exp":
            bounds.check_exponent(sp.E, x)
            val = sp.exp(x)
        elif name in ("log", "ln", "lg"):
            if name == "lg":
                base = base or sp.Integer(2)
            val = sp.log(x, base) if base is not None else sp.log(x)
        elif name in ("sin", "cos", "tan", "tanh", "sinh", "cosh"):
            val = getattr(sp, name)(x)
        elif name == "sgn":
            val = sp.sign(x)
        else:
            val = sp.Function(name)(x)
        if power is not None:
            val = self._pow(val, power)
        return Item(val)


def _text_content(tok_value: str) -> str:
    return tok_value[tok_value.index("{") + 1: -1]
