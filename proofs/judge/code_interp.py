r"""A small interpreter for the array code documents write: loops, index arithmetic, NumPy slices and sums.

Documents show convolution and pooling as Python loop nests (``for i in range(H - k + 1): ... out[i, j] =
(X[i:i + h, j:j + w] * K).sum()``). To judge such a loop nest it must be *run* — but document code is never
passed to ``exec``/``eval``. This module walks the tree :func:`ast.parse` gives and evaluates a small,
closed subset of Python: assignments (also tuple unpacking and ``+=`` into array entries), ``for`` over
``range``, ``if``, ``return``, arithmetic and comparisons, subscripts and slices of arrays the caller made,
``.shape``, and a short list of NumPy calls (``np.zeros``, ``np.sum``, ``np.pad`` with zeros, ``np.max``,
…). Anything else raises :class:`Unsupported`; a step budget bounds the work.

>>> import ast, numpy as np
>>> fn = ast.parse("def corr2d(X, K):\n    h, w = K.shape\n    Y = np.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))\n"
...                "    for i in range(Y.shape[0]):\n        for j in range(Y.shape[1]):\n"
...                "            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()\n    return Y\n").body[0]
>>> call_function(fn, [np.arange(9.0).reshape(3, 3), np.ones((2, 2))]).tolist()
[[8.0, 12.0], [20.0, 24.0]]
>>> call_function(ast.parse("def f(x):\n    return __import__('os')\n").body[0], [1])  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
...
proofs.judge.code_interp.Unsupported: call of __import__ is not interpreted
"""

from __future__ import annotations

import ast
import math
import operator
import re

import numpy as np

__all__ = ["Unsupported", "call_function", "run_block"]

_MAX_STEPS = 200_000
_MAX_ELEMENTS = 200_000


class Unsupported(Exception):
    """The code uses something the interpreter does not evaluate (or exceeds its budget)."""


class _Return(Exception):
    def __init__(self, value):
        self.value = value


_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
        ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow, ast.MatMult: operator.matmul}
_CMP = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Eq: operator.eq,
        ast.NotEq: operator.ne}
_MODULES = {"np", "numpy", "math", "torch", "nd", "jnp", "onp", "d2l", "tf"}


def _shape_arg(v):
    shape = tuple(int(x) for x in (v if isinstance(v, (tuple, list)) else (v,)))
    if any(s < 0 for s in shape) or math.prod(shape) > _MAX_ELEMENTS:
        raise Unsupported(f"array of shape {shape} is not made")
    return shape


def _pad(a, width, mode="constant", constant_values=0, **_):
    if mode != "constant" or constant_values != 0:
        raise Unsupported("only zero padding is interpreted")
    return np.pad(np.asarray(a, dtype=float), width)


_FUNCS = {
    "range": lambda *a: range(*(int(x) for x in a)) if all(float(x) == int(x) for x in a) else _bad("range"),
    "len": len, "int": int, "float": float, "abs": abs, "min": min, "max": max, "sum": sum, "round": round,
    "zeros_like": lambda a, *r, **k: np.zeros(np.shape(a)),
    "empty_like": lambda a, *r, **k: np.zeros(np.shape(a)), "floor": math.floor, "ceil": math.ceil,
    "sqrt": np.sqrt, "exp": np.exp, "dot": np.dot, "multiply": np.multiply, "pad": _pad, "flip": np.flip,
    "fliplr": np.fliplr, "flipud": np.flipud, "array": np.asarray, "asarray": np.asarray, "amax": np.max,
    "tensordot": np.tensordot, "stack": lambda a, axis=0, dim=None: np.stack(a, axis if dim is None else dim),
    "enumerate": lambda a: list(enumerate(a)), "zip": lambda *a: list(zip(*a)),
}
for _make in ("zeros", "empty", "ones"):  # torch.zeros(size=(…)), torch.zeros(2, 3)
    _FUNCS[_make] = (lambda f: lambda *s, size=None, **k: f(_shape_arg(size if size is not None else
                                                                        (s[0] if len(s) == 1 else s))))(
        np.ones if _make == "ones" else np.zeros)
_REDUCE = {"sum": np.sum, "max": np.max, "min": np.min, "mean": np.mean, "reduce_sum": np.sum, "reduce_max": np.max,
           "reduce_mean": np.mean, "amax": np.max}
_METHODS = {"sum", "max", "min", "mean", "reshape", "flatten", "ravel", "copy", "item", "astype", "dot"}


def _bad(what):
    raise Unsupported(f"{what} with these arguments is not interpreted")


class _Interp:
    def __init__(self, functions=None):
        self.steps = self.stack = 0
        self.functions = functions or {}  # the document's own functions, callable by name (or d2l.name)

    def tick(self):
        self.steps += 1
        if self.steps > _MAX_STEPS:
            raise Unsupported(f"more than {_MAX_STEPS} steps")

    # statements
    def block(self, body, env):
        for st in body:
            self.stmt(st, env)

    def stmt(self, st, env):
        self.tick()
        if isinstance(st, ast.Assign):
            v = self.expr(st.value, env)
            for t in st.targets:
                self.assign(t, v, env)
        elif isinstance(st, ast.AnnAssign) and st.value is not None:
            self.assign(st.target, self.expr(st.value, env), env)
        elif isinstance(st, ast.AugAssign):
            op = _BIN.get(type(st.op))
            if op is None:
                raise Unsupported(f"augmented {type(st.op).__name__}")
            cur = self.expr(_as_load(st.target), env)
            self.assign(st.target, op(cur, self.expr(st.value, env)), env)
        elif isinstance(st, ast.For):
            it = self.expr(st.iter, env)
            if st.orelse:
                raise Unsupported("a for loop with an else branch")
            if isinstance(it, np.ndarray):
                it = list(it) if it.ndim else _bad("iteration over a scalar")
            if not isinstance(it, (range, list, tuple)):
                raise Unsupported("a for loop over something other than range(), enumerate() or an array")
            for i in it:
                self.assign(st.target, i, env)
                self.block(st.body, env)
        elif isinstance(st, ast.If):
            self.block(st.body if self.expr(st.test, env) else st.orelse, env)
        elif isinstance(st, ast.Return):
            raise _Return(None if st.value is None else self.expr(st.value, env))
        elif isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
            pass  # a docstring
        elif isinstance(st, ast.Assert):
            if not self.expr(st.test, env):  # the code refuses these inputs: a precondition of the document's
                raise AssertionError(f"assert {ast.unparse(st.test)} fails")
        elif isinstance(st, ast.Pass):
            pass
        else:
            raise Unsupported(f"statement {type(st).__name__}")

    def assign(self, t, v, env):
        if isinstance(t, ast.Name):
            env[t.id] = v
        elif isinstance(t, (ast.Tuple, ast.List)):
            vals = list(v)
            if len(vals) != len(t.elts):
                raise Unsupported("unpacking of a different length")
            for e, x in zip(t.elts, vals):
                self.assign(e, x, env)
        elif isinstance(t, ast.Subscript):
            base = self.expr(t.value, env)
            if not isinstance(base, np.ndarray):
                raise Unsupported("assignment into something other than an array")
            base[self.index(t.slice, env)] = v
        else:
            raise Unsupported(f"assignment to {type(t).__name__}")

    # expressions
    def index(self, node, env):
        if isinstance(node, ast.Tuple):
            return tuple(self.index(e, env) for e in node.elts)
        if isinstance(node, ast.Slice):
            parts = [None if p is None else self.expr(p, env) for p in (node.lower, node.upper, node.step)]
            return slice(*parts)
        v = self.expr(node, env)
        if isinstance(v, (float, np.floating)):
            raise Unsupported("a float used as an index")
        return v

    def expr(self, n, env):
        self.tick()
        if isinstance(n, ast.Constant):
            if isinstance(n.value, (int, float, str)) or n.value is None:
                return n.value
            raise Unsupported("constant")
        if isinstance(n, ast.Name):
            if n.id in env:
                return env[n.id]
            raise Unsupported(f"name {n.id} is not defined")
        if isinstance(n, ast.BinOp):
            op = _BIN.get(type(n.op))
            if op is None:
                raise Unsupported(f"operator {type(n.op).__name__}")
            return op(self.expr(n.left, env), self.expr(n.right, env))
        if isinstance(n, ast.UnaryOp):
            v = self.expr(n.operand, env)
            if isinstance(n.op, ast.USub):
                return -v
            if isinstance(n.op, ast.UAdd):
                return v
            if isinstance(n.op, ast.Not):
                return not v
            raise Unsupported("unary operator")
        if isinstance(n, ast.Compare):
            left = self.expr(n.left, env)
            for op, c in zip(n.ops, n.comparators):
                right = self.expr(c, env)
                f = _CMP.get(type(op))
                if f is None or not f(left, right):
                    if f is None:
                        raise Unsupported("comparison")
                    return False
                left = right
            return True
        if isinstance(n, ast.BoolOp):
            vals = (self.expr(v, env) for v in n.values)
            return all(vals) if isinstance(n.op, ast.And) else any(vals)
        if isinstance(n, ast.IfExp):
            return self.expr(n.body if self.expr(n.test, env) else n.orelse, env)
        if isinstance(n, (ast.Tuple, ast.List)):
            return tuple(self.expr(e, env) for e in n.elts)
        if isinstance(n, ast.Subscript):
            base = self.expr(n.value, env)
            if isinstance(base, dict):
                key = self.expr(n.slice, env)
                if key not in base:
                    raise Unsupported(f"key {key!r} is not given")
                return base[key]
            if not isinstance(base, (np.ndarray, tuple, list)):
                raise Unsupported("subscript of something other than an array")
            return base[self.index(n.slice, env)]  # Python's own semantics: x[-1] wraps, as the code would
        if isinstance(n, ast.Attribute):
            if isinstance(n.value, ast.Name) and n.value.id in _MODULES and n.value.id not in env \
                    and re.fullmatch(r"u?int\d*|float\d*|double", n.attr):
                return None  # a dtype (np.float32): the interpreter computes in float64
            base = self.expr(n.value, env)
            if isinstance(base, np.ndarray) and n.attr in ("shape", "T", "size", "ndim"):
                return getattr(base, n.attr)
            raise Unsupported(f"attribute .{n.attr}")
        if isinstance(n, ast.Call):
            return self.call(n, env)
        if isinstance(n, (ast.ListComp, ast.GeneratorExp)):
            return self.comprehension(n, env)
        raise Unsupported(f"expression {type(n).__name__}")

    def comprehension(self, n, env):
        if len(n.generators) != 1 or n.generators[0].is_async:
            raise Unsupported("a comprehension over several loops")
        g = n.generators[0]
        it = self.expr(g.iter, env)
        if isinstance(it, np.ndarray):
            it = list(it)
        if not isinstance(it, (range, list, tuple)):
            raise Unsupported("a comprehension over something other than a range, zip or array")
        out, inner = [], dict(env)
        for v in it:
            self.assign(g.target, v, inner)
            if all(self.expr(c, inner) for c in g.ifs):
                out.append(self.expr(n.elt, inner))
        return out

    def call(self, n, env):
        args = [self.expr(a, env) for a in n.args if not isinstance(a, ast.Starred)]
        if any(isinstance(a, ast.Starred) for a in n.args):
            raise Unsupported("starred arguments")
        kwargs = {k.arg: self.expr(k.value, env) for k in n.keywords if k.arg is not None}
        f = n.func
        own = f.id if isinstance(f, ast.Name) and f.id not in env else \
            f.attr if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "d2l" else None
        if own in self.functions:
            return _call(self.functions[own], args, kwargs, self)
        if isinstance(f, ast.Attribute) and f.attr in ("set", "add") and isinstance(f.value, ast.Subscript) \
                and isinstance(f.value.value, ast.Attribute) and f.value.value.attr == "at":  # jax: Y.at[i].set(v)
            base = self.expr(f.value.value.value, env)
            if not isinstance(base, np.ndarray) or len(args) != 1:
                raise Unsupported(".at[…] of a non-array")
            new = base.copy()
            idx = self.index(f.value.slice, env)
            new[idx] = args[0] if f.attr == "set" else new[idx] + args[0]
            return new
        if isinstance(f, ast.Name) and f.id not in env and f.id in _FUNCS:
            return _FUNCS[f.id](*args, **kwargs)
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in _MODULES \
                and f.value.id not in env:
            name = f.attr
            if name in _REDUCE:
                return _REDUCE[name](args[0], **_axis(kwargs))
            if name in _FUNCS and name not in ("range", "len", "sum", "min", "max", "int", "float", "abs", "round"):
                return _FUNCS[name](*args, **kwargs)
            raise Unsupported(f"call of {f.value.id}.{name} is not interpreted")
        if isinstance(f, ast.Attribute) and f.attr in _METHODS:
            base = self.expr(f.value, env)
            if not isinstance(base, np.ndarray) and not isinstance(base, (np.floating, float, int)):
                raise Unsupported(f"method .{f.attr} of a non-array")
            base = np.asarray(base)
            if f.attr in _REDUCE:
                return _REDUCE[f.attr](base, **_axis(kwargs))
            if f.attr == "reshape":
                return base.reshape(*(int(a) if not isinstance(a, tuple) else a for a in args))
            if f.attr in ("flatten", "ravel"):
                return base.ravel()
            if f.attr == "dot":
                return np.dot(base, args[0])
            if f.attr == "item":
                return base.item()
            return base.copy()
        name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", type(f).__name__)
        raise Unsupported(f"call of {name} is not interpreted")


def _axis(kwargs):
    return {"axis": kwargs["axis"]} if "axis" in kwargs else {}


def _as_load(t):
    if isinstance(t, ast.Name):
        return ast.Name(id=t.id, ctx=ast.Load())
    if isinstance(t, ast.Subscript):
        return ast.Subscript(value=t.value, slice=t.slice, ctx=ast.Load())
    raise Unsupported("augmented assignment target")


def run_block(body, env: dict, interp=None):
    """Run statements ``body`` (a list of :mod:`ast` nodes) in ``env``; returns the value returned, if any."""
    try:
        (interp or _Interp()).block(body, env)
    except _Return as r:
        return r.value
    return None


def call_function(fn: ast.FunctionDef, args: list, kwargs: dict | None = None, functions: dict | None = None):
    """Call the parsed function ``fn`` with ``args``/``kwargs``; defaults of its parameters are evaluated too.
    ``functions`` are the other functions the code may call (name -> :class:`ast.FunctionDef`).

    Raises :class:`Unsupported` for code outside the interpreted subset, and the error the code raises
    (``IndexError``, ``ValueError``, ...) when it fails on these arguments.
    """
    return _call(fn, args, kwargs, _Interp(functions))


def _call(fn, args, kwargs, interp):
    if getattr(interp, "stack", 0) > 8:
        raise Unsupported("calls nested too deeply")
    if fn.args.vararg or fn.args.kwarg or fn.args.posonlyargs or fn.args.kwonlyargs:
        raise Unsupported("variable or keyword-only parameters")
    params = [a.arg for a in fn.args.args]
    defaults = dict(zip(params[len(params) - len(fn.args.defaults):], fn.args.defaults))
    env: dict = {}
    kwargs = dict(kwargs or {})
    for k, name in enumerate(params):
        if k < len(args):
            env[name] = args[k]
        elif name in kwargs:
            env[name] = kwargs.pop(name)
        elif name in defaults:
            env[name] = _Interp().expr(defaults[name], {})
        else:
            raise Unsupported(f"no value for parameter {name}")
    if kwargs:
        raise Unsupported(f"unknown parameters {sorted(kwargs)}")
    interp.stack = getattr(interp, 'stack', 0) + 1
    try:
        return run_block(fn.body, env, interp)
    finally:
        interp.stack -= 1
