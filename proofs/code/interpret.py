r"""Follow a program's shapes without running it: an abstract interpreter over Python's ``ast``.

The code is parsed with :func:`ast.parse` (never compiled, imported or executed). Statements are followed in
order with an environment of abstract values (:mod:`proofs.code.values`): literals, tensors of known shape,
layer objects, import aliases. Library calls go to the per-library modules (``torch_lib``, ``keras_lib``,
``jax_lib``, ``numpy_lib``, ``creation``); anything else is :class:`Unknown` with the reason. Loops over a
known sequence (``for layer in net:``, ``range(3)``) are unrolled; a function ``def f(): … return expr`` is
followed when called. Every ``print``, displayed expression, ``assert x.shape == …`` and statement with a
comment becomes an :class:`Event` for the judge.

>>> it = Interpreter()
>>> evs = it.run("import torch\nx = torch.randn(1, 3, 32, 32)\ny = torch.nn.Conv2d(3, 8, 3)(x)\nprint(y.shape)\n")
>>> [(e.kind, e.line, [type(p).__name__ for p in e.parts]) for e in evs]
[('print', 4, ['Shape'])]
>>> evs[0].parts[0]
(1, 8, 30, 30)
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from . import creation, flax_lib, jax_lib, keras_lib, numpy_lib, params, torch_lib, user
from .names import canonical, resolve
from .values import Layer, Tensor, Undetermined, is_int

__all__ = ["Interpreter", "Event", "Unknown", "Shape", "Dim", "Count", "Text", "MAX_UNROLL"]

#: the most iterations of one loop followed
MAX_UNROLL = 64


class Unknown:
    """A value the code read does not determine, with the reason."""

    def __init__(self, reason: str):
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"


class Shape(tuple):
    """A tensor's ``.shape``/``.size()``: a tuple that remembers its tensor (for the printed form and the rules)."""

    tensor: Tensor

    @classmethod
    def of(cls, t: Tensor, dims=None) -> Shape:
        s = cls(t.shape if dims is None else dims)
        s.tensor = t
        return s


class Dim(int):
    """One entry of a tensor's shape, remembering its tensor."""

    tensor: Tensor
    axis: int

    @classmethod
    def of(cls, t: Tensor, axis: int) -> Dim:
        d = cls(t.shape[axis])
        d.tensor, d.axis = t, axis
        return d


class Count(int):
    """A number of learnable parameters the reader computed (``sum(p.numel() for p in net.parameters())``)."""

    note: str = ""

    @classmethod
    def of(cls, n: int, note: str) -> Count:
        c = cls(n)
        c.note = note
        return c


@dataclass
class Text:
    """A formatted string (f-string, ``str.format``) as its parts: literal text and values."""

    parts: list


@dataclass(frozen=True)
class _Module:
    path: str


@dataclass(frozen=True)
class _Class:
    name: str


@dataclass
class _Function:
    node: ast.FunctionDef


@dataclass
class Event:
    """Something the code shows or asserts: ``kind`` is ``print`` (stdout), ``result`` (a displayed value),
    ``comment`` (a comment on the statement's line), ``assert`` (``assert x.shape == literal``) or ``opaque``
    (a call that may print what the reader cannot predict)."""

    kind: str
    line: int
    parts: list = field(default_factory=list)
    value: object = None
    text: str = ""
    in_loop: bool = False
    #: a comment-only line after the statement (its full shape is needed: a partial one may be about what follows)
    after: bool = False


#: methods that change their object in place (what a branch not followed may have done)
_MUTATORS = {"append", "extend", "insert", "add", "add_module", "pop", "remove", "update", "setdefault", "register_module",
             "clear", "__setitem__"}


#: methods of a model that return the model itself
_MODEL_KEEP = {"to", "cuda", "cpu", "eval", "train", "float", "double", "half", "requires_grad_"}


class _Return(Exception):
    def __init__(self, value):
        self.value = value


_BUILTIN_KEEP = {"list": list, "tuple": tuple}


class Interpreter:
    """An abstract interpreter whose environment persists across :meth:`run` calls (a notebook's cells)."""

    def __init__(self):
        self.env: dict = {}
        self.aliases: dict = {}
        self.events: list[Event] = []
        #: methods attached to classes by a decorator (``@d2l.add_to_class(Model)``), by name
        self.methods: dict = {}
        self._loop = 0
        self._depth = 0

    # ---------------------------------------------------------------- statements
    def run(self, source: str, *, display_last: bool = False, line_of=None, comments: dict | None = None) -> list[Event]:
        """Follow ``source``; return its events. ``display_last``: the last expression is displayed (a notebook
        cell, a doctest line). ``line_of(n)`` maps the source's line ``n`` to the document's line. ``comments``:
        source line → comment text. Raises ``SyntaxError`` when ``source`` is not Python."""
        tree = ast.parse(source)
        self._src = source
        self.events = []
        self._line_of = line_of or (lambda n: n)
        self._comments = comments or {}
        body = tree.body
        for i, stmt in enumerate(body):
            last = display_last and i == len(body) - 1
            self._stmt(stmt, last)
        return self.events

    def _emit(self, kind, node, **kw) -> None:
        self.events.append(Event(kind, self._line_of(node.lineno), in_loop=self._loop > 0, **kw))

    def _comment(self, stmt, value, shown: bool = False) -> None:
        """Comments on the statement's lines are claims about its value; for a statement that shows a value (a print,
        an expression), so are the comment-only lines right after it (``# torch.Size([1, 6, 28, 28])``)."""
        if self._loop or self._depth:
            return
        end = getattr(stmt, "end_lineno", None) or stmt.lineno
        for n in range(stmt.lineno, end + 1):
            if n in self._comments:
                self.events.append(Event("comment", self._line_of(n), value=value, text=self._comments[n]))
        if shown:
            src = self._src.split("\n")
            n = end + 1
            while n in self._comments and n <= len(src) and src[n - 1].lstrip().startswith("#") and n <= end + 3:
                self.events.append(Event("comment", self._line_of(n), value=value, text=self._comments[n], after=True))
                n += 1

    def _assign(self, target, value) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = value
        elif isinstance(target, ast.Attribute):
            obj = self.value_of(target.value)
            if isinstance(obj, user.Instance):
                obj.attrs[target.attr] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = value if isinstance(value, (tuple, list)) and len(value) == len(target.elts) else None
            for k, t in enumerate(target.elts):
                self._assign(t, items[k] if items is not None else Unknown("unpacking an unknown value"))

    def _forget(self, stmts) -> None:
        """Code not followed (an undecided branch, a loop over unknown data): every name it may rebind or mutate
        becomes unknown, and its prints make the output lines after it unpredictable."""
        for node in stmts:
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    self.env[sub.id] = Unknown(f"{sub.id} is assigned in a branch or loop not followed")
                base = None
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in _MUTATORS:
                    base = sub.func.value
                elif isinstance(sub, (ast.Attribute, ast.Subscript)) and isinstance(sub.ctx, ast.Store):
                    base = sub.value
                if isinstance(base, ast.Name):
                    held = self.env.get(base.id)
                    if isinstance(base, ast.Name) and isinstance(held, user.Instance) and isinstance(sub, ast.Attribute):
                        held.attrs[sub.attr] = Unknown(f"{sub.attr} is set in a branch not followed")
                    else:
                        self.env[base.id] = Unknown(f"{base.id} is changed in a branch or loop not followed")
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "print":
                    self.events.append(Event("opaque", self._line_of(sub.lineno), in_loop=True))

    def _stmt(self, stmt, last: bool = False) -> None:
        try:
            self._stmt_inner(stmt, last)
        except Undetermined:
            self._forget([stmt])

    def _stmt_inner(self, stmt, last: bool) -> None:
        if isinstance(stmt, ast.Import):
            for a in stmt.names:
                if a.asname:
                    self.aliases[a.asname] = a.name
                else:
                    head = a.name.split(".")[0]
                    self.aliases[head] = head
        elif isinstance(stmt, ast.ImportFrom):
            for a in stmt.names:
                if stmt.module and a.name != "*":
                    self.aliases[a.asname or a.name] = f"{stmt.module}.{a.name}"
        elif isinstance(stmt, ast.Assign):
            value = self.value_of(stmt.value)
            for t in stmt.targets:
                self._assign(t, value)
            self._comment(stmt, value)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            value = self.value_of(stmt.value)
            self._assign(stmt.target, value)
            self._comment(stmt, value)
        elif isinstance(stmt, ast.AugAssign):
            if isinstance(stmt.target, ast.Name):
                load = ast.copy_location(ast.Name(stmt.target.id, ast.Load()), stmt.target)
                self._assign(stmt.target, self.value_of(ast.copy_location(ast.BinOp(load, stmt.op, stmt.value), stmt)))
            else:
                self._forget([stmt])
        elif isinstance(stmt, ast.Expr):
            self._expr_stmt(stmt, last)
        elif isinstance(stmt, ast.For):
            self._for(stmt)
        elif isinstance(stmt, ast.FunctionDef):
            if any((self._dotted(d.func if isinstance(d, ast.Call) else d) or "").endswith("add_to_class")
                   for d in stmt.decorator_list):
                self.methods[stmt.name] = stmt  # a method attached to a class after its definition
            else:
                self.env[stmt.name] = _Function(stmt)
        elif isinstance(stmt, ast.Return):
            raise _Return(self.value_of(stmt.value) if stmt.value is not None else None)
        elif isinstance(stmt, ast.With):
            for s in stmt.body:
                self._stmt(s)
        elif isinstance(stmt, ast.Assert):
            self._assert(stmt)
        elif isinstance(stmt, ast.ClassDef):
            self.env[stmt.name] = user.ClassDef(stmt)
        elif isinstance(stmt, ast.If):
            test = self.value_of(stmt.test)
            if isinstance(test, (bool, int, type(None), Layer, Tensor, user.Instance)):
                for s in (stmt.body if test else stmt.orelse):
                    self._stmt(s)
            else:
                self._forget([stmt])
        elif isinstance(stmt, (ast.While, ast.Try, ast.AsyncFunctionDef)):
            self._forget([stmt])

    def _expr_stmt(self, stmt, last: bool) -> None:
        call = stmt.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print":
            if any(k.arg in ("sep", "end", "file") for k in call.keywords) or any(
                    isinstance(a, ast.Starred) for a in call.args):
                self._emit("opaque", stmt)
                return
            parts: list = []
            for k, a in enumerate(call.args):
                if k:
                    parts.append(" ")
                v = self.value_of(a)
                parts.extend(v.parts if isinstance(v, Text) else [v])
            self._emit("print", stmt, parts=parts)
            self._comment(stmt, parts, shown=True)
            return
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) \
                and call.func.attr in ("append", "add_module", "extend"):
            if self._mutate(call.func.value.id, call.func.attr, call):
                return
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "build" \
                and isinstance(call.func.value, ast.Name) and len(call.args) == 1:
            seq, shape = self.env.get(call.func.value.id), self.value_of(call.args[0])
            if isinstance(seq, Layer) and seq.lib == "keras" and seq.name == "Sequential" and isinstance(shape, (tuple, list)):
                self.env[call.func.value.id] = Layer("keras", "Sequential", {"built": tuple(shape)}, seq.children)
                return
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "add" \
                and isinstance(call.func.value, ast.Name):
            seq = self.env.get(call.func.value.id)
            if isinstance(seq, Layer) and seq.name == "Sequential":
                item = self.value_of(call.args[0]) if call.args else None
                if isinstance(item, (Layer, Tensor)):
                    self.env[call.func.value.id] = Layer(seq.lib, "Sequential", {}, seq.children + (item,))
                else:
                    self.env[call.func.value.id] = Unknown("a layer added to the model is not known")
                return
        value = self.value_of(call)
        if last and not (isinstance(call, ast.Call) and isinstance(value, Unknown)):
            self._emit("result", stmt, parts=[value])
        elif isinstance(call, ast.Call):
            self._emit("opaque", stmt)
        self._comment(stmt, value, shown=not isinstance(call, ast.Call) or isinstance(value, (Shape, Dim)))

    def _mutate(self, name: str, how: str, call) -> bool:
        """``xs.append(v)``, ``xs.extend(vs)``, ``net.add_module("n", layer)``: the new value bound to ``name``."""
        old = self.env.get(name)
        pos, _ = self._args(call) if not any(isinstance(a, ast.Starred) for a in call.args) else ([], {})
        if isinstance(old, list) and how in ("append", "extend") and len(pos) == 1:
            self.env[name] = old + ([pos[0]] if how == "append" else list(pos[0]) if isinstance(pos[0], (list, tuple)) else
                                    [Unknown("extended by an unknown value")])
            return True
        if isinstance(old, Layer) and old.name == "Sequential" and how == "add_module" and len(pos) == 2:
            names = old.args.get("names") or tuple(str(i) for i in range(len(old.children)))
            self.env[name] = Layer(old.lib, "Sequential", {"names": names + (str(pos[0]),)}, old.children + (pos[1],))
            return True
        return False

    def apply(self, layer, x):
        """``layer(x)`` for a library layer, a ``Sequential`` (its children in turn) or a document's module."""
        if isinstance(x, Unknown):
            raise Undetermined(x.reason)
        if isinstance(layer, user.Instance):
            return user.call(self, layer, [x], {})
        if isinstance(layer, Unknown):
            raise Undetermined(layer.reason)
        if not isinstance(layer, Layer):
            raise Undetermined("a call of a value that is not a known layer")
        if layer.name == "Sequential":
            for child in layer.children:
                x = child if isinstance(child, Tensor) else self.apply(child, x)
            return x
        return _apply(layer, x)

    def call_function(self, node: ast.FunctionDef, pos: list, kw: dict):
        """Follow a document's function (or method, ``self`` first in ``pos``) on abstract arguments."""
        return self._user_call(_Function(node), list(pos), dict(kw))

    def _for(self, stmt) -> None:
        seq = self.value_of(stmt.iter)
        items = None
        if isinstance(seq, Layer) and seq.name == "Sequential":
            items = list(seq.children)
        elif isinstance(seq, (list, tuple)) and not isinstance(seq, Shape):
            items = list(seq)
        elif isinstance(seq, range):
            items = list(seq)
        elif isinstance(seq, user.Instance):
            items = [v for _, v in seq.named_children()]
        if items is None or len(items) > MAX_UNROLL or stmt.orelse:
            self._forget([stmt])
            return
        self._loop += 1
        try:
            for item in items:
                self._assign(stmt.target, item)
                for s in stmt.body:
                    self._stmt(s)
        finally:
            self._loop -= 1

    def _assert(self, stmt) -> None:
        t = stmt.test
        if isinstance(t, ast.Compare) and len(t.ops) == 1 and isinstance(t.ops[0], ast.Eq):
            left, right = self.value_of(t.left), self.value_of(t.comparators[0])
            for got, claim, node in ((left, right, t.comparators[0]), (right, left, t.left)):
                if isinstance(got, (Shape, Dim)) and not isinstance(claim, (Shape, Dim, Unknown)):
                    self._emit("assert", stmt, value=got, parts=[claim], text=ast.get_source_segment(self._src, node) or "")
                    return

    # ---------------------------------------------------------------- expressions
    def value_of(self, node):
        """The abstract value of an expression node (never raises on unknown code: :class:`Unknown`)."""
        try:
            return self._eval(node)
        except Undetermined as exc:
            return Unknown(exc.reason)
        except (RecursionError, TypeError, ValueError, ZeroDivisionError, IndexError, KeyError, AttributeError,
                OverflowError) as exc:
            return Unknown(f"{type(exc).__name__} while reading the code")

    def _dotted(self, node) -> str | None:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            base = self._dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def _eval(self, node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [self._eval(e) for e in node.elts]
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Name):
            if node.id in self.env:
                return self.env[node.id]
            if node.id == "__name__":
                return "__main__"  # a document's script runs as the main module
            if node.id in ("None", "True", "False"):
                return {"None": None, "True": True, "False": False}[node.id]
            path = resolve(node.id, self.aliases)
            return _Module(path) if path else Unknown(f"{node.id} is not defined in the code read")
        if isinstance(node, ast.Attribute):
            return self._attribute(self._eval(node.value), node.attr)
        if isinstance(node, ast.Subscript):
            return self._subscript(self._eval(node.value), node.slice)
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            v = self._eval(node.operand)
            return -v if is_int(v) else Unknown("negation of an unknown value")
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                if isinstance(v, ast.Constant):
                    parts.append(v.value)
                elif isinstance(v, ast.FormattedValue):
                    spec = v.format_spec
                    plain = spec is None or (isinstance(spec, ast.JoinedStr) and len(spec.values) == 1 and isinstance(
                        spec.values[0], ast.Constant) and spec.values[0].value in (",", "d", "_", ",d"))
                    value = self._eval(v.value) if plain and v.conversion in (-1, 115, 114) else Unknown("a formatted value")
                    if spec is not None and not is_int(value):
                        value = Unknown("a formatted value")
                    parts.append(value)
            return Text(parts)
        if isinstance(node, ast.Call):
            return self._call(node)
        return Unknown(f"{type(node).__name__} expressions are not followed")

    def _attribute(self, base, attr: str):
        if isinstance(base, _Module):
            return _Module(f"{base.path}.{attr}")
        if isinstance(base, Tensor):
            if attr == "shape":
                return Shape.of(base)
            if attr == "ndim":
                return base.rank
            if attr == "at":  # JAX's functional update x.at[i].set(v): the shape stays
                return _At(base)
            if attr == "T":
                return base.with_shape(tuple(reversed(base.shape)), "reshape", "transpose")
            return _Bound(base, attr, self)
        if isinstance(base, Layer):
            if attr == "__class__":
                return _Class(base.name)
            if attr == "layers" and base.name == "Sequential":
                return [c for c in base.children if isinstance(c, Layer)]
            if attr in ("weight", "bias") and base.lib == "torch":
                shapes = params.param_shapes(base)
                if attr not in shapes:
                    raise Undetermined(f"nn.{base.name} has no {attr}")
                return Tensor(shapes[attr], "torch", (("params", f"nn.{base.name}.{attr}: {shapes[attr]}"),))
            if attr == "output_shape" and base.lib == "keras" and base.name == "Sequential":
                return Shape.of(self.apply(base, _keras_input(base)))
            return _Bound(base, attr, self)
        if isinstance(base, user.Instance):
            if attr == "__class__":
                return _Class(base.name)
            if attr in base.attrs:
                return base.attrs[attr]
            return _Bound(base, attr, self)
        if isinstance(base, user.ClassDef) and attr == "__name__":
            return base.name
        if isinstance(base, _Class) and attr == "__name__":
            return base.name
        if isinstance(base, _At):
            return _Bound(base, attr, self)
        if isinstance(base, str) and attr == "format":
            return _Bound(base, attr, self)
        if isinstance(base, Shape) and attr in ("numel",):
            return _Bound(base, attr, self)
        return Unknown(f".{attr} of a value not followed")

    def _tensor_index(self, t: Tensor, index_node):
        """``x[0]``, ``x[None]``, ``x[0, 1]``, ``x[:, None]``: integers drop an axis, ``None`` adds one, ``:`` keeps it."""
        items = index_node.elts if isinstance(index_node, ast.Tuple) else [index_node]
        shape, axis = [], 0
        for it in items:
            if isinstance(it, ast.Slice) and it.lower is None and it.upper is None and it.step is None:
                shape.append(t.shape[axis])
                axis += 1
                continue
            v = self._eval(it)
            if isinstance(v, _Module) and v.path.endswith(".newaxis"):
                v = None
            if v is None:
                shape.append(1)
            elif is_int(v):
                if not (is_int(t.shape[axis]) and -t.shape[axis] <= v < t.shape[axis]):
                    raise Undetermined("an index outside the tensor (the code would fail)")
                axis += 1
            else:
                raise Undetermined("indexing a tensor with a value not followed")
            if axis > t.rank:
                raise Undetermined("too many indices for the tensor")
        return Tensor(tuple(shape) + t.shape[axis:], t.lib, t.steps + (("reshape", "index"),))

    def _subscript(self, base, index_node):
        if isinstance(base, _At):
            return base
        if isinstance(base, Tensor):
            return self._tensor_index(base, index_node)
        index = self._eval(index_node) if not isinstance(index_node, ast.Slice) else None
        if isinstance(index_node, ast.Slice):
            lo, hi, st = (self._eval(x) if x is not None else None for x in (index_node.lower, index_node.upper, index_node.step))
            if not all(v is None or is_int(v) for v in (lo, hi, st)):
                return Unknown("a slice with unknown bounds")
            if isinstance(base, Shape):
                return Shape.of(base.tensor, tuple(base)[slice(lo, hi, st)])
            if isinstance(base, (tuple, list)):
                return base[slice(lo, hi, st)]
            return Unknown("slicing a value not followed")
        if isinstance(base, Shape) and is_int(index):
            return Dim.of(base.tensor, index % len(base)) if tuple(base) == base.tensor.shape else tuple(base)[index]
        if isinstance(base, (tuple, list)) and is_int(index):
            return base[index]
        if isinstance(base, Layer) and base.name == "Sequential" and is_int(index):
            return base.children[index]
        return Unknown("indexing a value not followed")

    def _binop(self, node):
        a, b = self._eval(node.left), self._eval(node.right)
        if isinstance(node.op, ast.Mod) and isinstance(a, str):
            return Unknown("%-formatting")
        if isinstance(a, Tensor) and isinstance(b, Tensor) and isinstance(node.op, (ast.Add, ast.Mult, ast.Sub, ast.Div)):
            return creation.broadcast(a, b)
        if isinstance(a, Tensor) and (is_int(b) or isinstance(b, float)) or isinstance(b, Tensor) and (is_int(a) or isinstance(a, float)):
            return a if isinstance(a, Tensor) else b
        if is_int(a) and is_int(b):
            ops = {ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b,
                   ast.FloorDiv: lambda: a // b, ast.Mod: lambda: a % b}
            f = ops.get(type(node.op))
            return int(f()) if f else Unknown("an operation on integers not followed")
        if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and isinstance(node.op, ast.Add) \
                and not isinstance(a, Shape):
            return tuple(a) + tuple(b)
        return Unknown("an operation on values not followed")

    def _args(self, node) -> tuple[list, dict]:
        pos, kw = [], {}
        for a in node.args:
            if isinstance(a, ast.Starred):
                v = self._eval(a.value)
                if not isinstance(v, (tuple, list)):
                    raise Undetermined("*args of an unknown value")
                pos.extend(v)
            else:
                pos.append(self.value_of(a))
        for k in node.keywords:
            if k.arg is None:
                raise Undetermined("**kwargs not followed")
            kw[k.arg] = self.value_of(k.value)
        return pos, kw

    def _param_sum(self, node):
        """``sum(p.numel() for p in net.parameters() [if p.requires_grad])``: the model's parameter count."""
        gen = node.args[0]
        g = gen.generators[0] if len(gen.generators) == 1 else None
        ok = (g is not None and isinstance(g.target, ast.Name) and isinstance(gen.elt, ast.Call)
              and isinstance(gen.elt.func, ast.Attribute) and gen.elt.func.attr == "numel"
              and isinstance(gen.elt.func.value, ast.Name) and gen.elt.func.value.id == g.target.id
              and isinstance(g.iter, ast.Call) and isinstance(g.iter.func, ast.Attribute)
              and g.iter.func.attr == "parameters" and not g.iter.args
              and all(isinstance(c, ast.Attribute) and c.attr == "requires_grad" for c in g.ifs))
        if not ok:
            raise Undetermined("a sum the reader does not follow")
        model = self._eval(g.iter.func.value)
        return Count.of(params.count(model), f"parameters of {getattr(model, 'name', 'the model')} (derive's layer tensors)")

    def _call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id == "sum" and len(node.args) == 1 \
                and isinstance(node.args[0], ast.GeneratorExp) and "sum" not in self.env:
            return self._param_sum(node)
        fn = self._eval(node.func)
        pos, kw = self._args(node)
        if any(isinstance(v, Unknown) for v in pos + list(kw.values())):
            bad = next(v for v in pos + list(kw.values()) if isinstance(v, Unknown))
            # a library call needs its arguments, except a container of layers and a random key
            if isinstance(fn, _Module) and not (fn.path.split(".")[-1] in ("print", "len", "Sequential")
                                                or ".random." in fn.path):
                return Unknown(bad.reason)
        if isinstance(fn, _Module):
            return _library_call(fn.path, pos, kw)
        if isinstance(fn, Layer):
            if len(pos) != 1 or kw:
                raise Undetermined(f"{fn.name} called with other than one input")
            return self.apply(fn, pos[0])
        if isinstance(fn, _Bound):
            return fn.call(pos, kw)
        if isinstance(fn, _Function):
            return self._user_call(fn, pos, kw)
        if isinstance(fn, user.ClassDef):
            return user.construct(self, fn, pos, kw)
        if isinstance(fn, user.Instance):
            return user.call(self, fn, pos, kw)
        if isinstance(fn, Unknown):
            if isinstance(node.func, ast.Name) and node.func.id in ("len", "tuple", "list", "int", "range", "print", "str"):
                return _builtin(node.func.id, pos, kw)
            return Unknown(fn.reason)
        return Unknown("a call of a value not followed")

    def _user_call(self, fn: _Function, pos: list, kw: dict):
        if self._depth > 8:
            raise Undetermined("functions nested too deeply")
        args = fn.node.args
        names = [a.arg for a in args.args]
        if len(pos) > len(names) or args.vararg or (kw.keys() - set(names) and not args.kwarg):
            raise Undetermined(f"{fn.node.name}() called with arguments not followed")
        saved = dict(self.env)
        defaults = dict(zip(names[len(names) - len(args.defaults):], args.defaults))
        self._depth += 1  # a function's prints are events in call order; its comments are not claims
        try:
            for n in names:
                self.env[n] = pos.pop(0) if pos else (kw.pop(n) if n in kw else
                                                      (self.value_of(defaults[n]) if n in defaults else Unknown("missing")))
            if args.kwarg:
                self.env[args.kwarg.arg] = {k: v for k, v in kw.items() if k not in names}
            for s in fn.node.body:
                self._stmt(s)
            return None
        except _Return as r:
            return r.value
        finally:
            self.env = saved
            self._depth -= 1


@dataclass(frozen=True)
class _At:
    """``x.at[…]``: its ``set``/``add``/``multiply``… return an array of ``x``'s shape."""

    tensor: Tensor


class _Bound:
    """A method of a tensor, layer, string or shape, waiting for its arguments."""

    def __init__(self, obj, name: str, interp=None):
        self.obj, self.name, self.interp = obj, name, interp

    def call(self, pos: list, kw: dict):
        o = self.obj
        if isinstance(o, _At):
            return o.tensor
        if isinstance(o, str) and self.name == "format":
            import string

            parts, k = [], 0
            for lit, field_, spec, conv in string.Formatter().parse(o):
                parts.append(lit)
                if field_ is None:
                    continue
                if spec or (conv not in (None, "s", "r")):
                    parts.append(Unknown("a format spec"))
                elif field_ == "":
                    parts.append(pos[k] if k < len(pos) else Unknown("missing")); k += 1
                elif field_.isdigit():
                    parts.append(pos[int(field_)] if int(field_) < len(pos) else Unknown("missing"))
                else:
                    parts.append(kw.get(field_, Unknown("a named field")))
            return Text(parts)
        if isinstance(o, Tensor):
            if self.name == "size":
                if not pos and not kw:
                    return Shape.of(o)
                if len(pos) == 1 and is_int(pos[0]):
                    return Dim.of(o, pos[0] % o.rank)
            out = creation.method(o, self.name, pos, kw)
            return Shape.of(o) if isinstance(out, tuple) and not isinstance(out, Tensor) else out
        if isinstance(o, (Layer, user.Instance)) and self.name in _MODEL_KEEP:
            return o
        if isinstance(o, (Layer, user.Instance)) and self.name in ("children", "named_children") and not pos:
            named = _named_children(o)
            return [v for _, v in named] if self.name == "children" else [tuple(p) for p in named]
        if isinstance(o, user.Instance):
            fn = o.cls.method(self.name) or self.interp.methods.get(self.name)
            if fn is None:
                raise Undetermined(f"{o.name}.{self.name}() is not defined in the code read")
            return self.interp.call_function(fn, [o] + list(pos), kw)
        if isinstance(o, Layer):
            if self.name in ("forward", "__call__", "call") and len(pos) == 1:
                return self.interp.apply(o, pos[0])
            if o.lib == "keras" and o.name == "Sequential" and self.name == "count_params" and not pos:
                n = params.keras_count(o, self.interp.apply, _keras_input(o))
                return Count.of(n, "parameters of the Keras model (derive's layer tensors; batch norm with its moving "
                                   "statistics)")
            if o.lib == "flax" and self.name in ("init_with_output", "apply") and len(pos) >= 2:
                y = self.interp.apply(o, pos[1])
                return (y, Unknown("the parameters")) if self.name == "init_with_output" else y
            if self.name == "compute_output_shape" and o.lib == "keras" and len(pos) == 1 and isinstance(pos[0], tuple):
                t = self.interp.apply(o, Tensor(tuple(pos[0]), "keras"))
                return Shape.of(t)
        raise Undetermined(f".{self.name}() not followed")


def _builtin(name: str, pos: list, kw: dict):
    if name == "len" and len(pos) == 1:
        v = pos[0]
        if isinstance(v, Tensor):
            return Dim.of(v, 0)
        if isinstance(v, (tuple, list)):
            return len(v)
    if name in ("tuple", "list") and len(pos) == 1 and isinstance(pos[0], (tuple, list)):
        return Shape.of(pos[0].tensor, tuple(pos[0])) if isinstance(pos[0], Shape) and name == "tuple" else _BUILTIN_KEEP[name](pos[0])
    if name == "int" and len(pos) == 1 and is_int(pos[0]):
        return pos[0]
    if name == "range" and all(is_int(p) for p in pos) and 1 <= len(pos) <= 3:
        return range(*pos)
    if name == "str" and len(pos) == 1:
        return Text([pos[0]])
    raise Undetermined(f"{name}() not followed")


def _keras_input(seq: Layer) -> Tensor:
    """The input a Keras ``Sequential`` was built for: ``build(shape)``, an ``Input`` first, or ``input_shape=``."""
    if seq.args.get("built"):
        return Tensor(tuple(seq.args["built"]), "keras")
    first = seq.children[0] if seq.children else None
    if isinstance(first, Tensor):
        return first
    shape = first.args.get("input_shape") if isinstance(first, Layer) else None
    if isinstance(shape, (tuple, list)) and all(is_int(v) or v is None for v in shape):
        return Tensor((None,) + tuple(shape), "keras")
    raise Undetermined("the model's input shape is not stated")


def _named_children(o) -> list:
    if isinstance(o, user.Instance):
        return o.named_children()
    if o.name == "Sequential":
        names = o.args.get("names") or tuple(str(i) for i in range(len(o.children)))
        return list(zip(names, o.children))
    return []


def _apply(layer: Layer, x):
    if layer.lib == "flax":
        return flax_lib.apply(layer, x)
    if layer.lib == "torch":
        return torch_lib.apply(layer, x)
    if layer.lib == "keras":
        return keras_lib.apply(layer, x)
    raise Undetermined(f"a {layer.lib} layer")


def _library_call(path: str, pos: list, kw: dict):
    """Dispatch ``path(*pos, **kw)`` to the library module that models it."""
    path = canonical(path)
    parts = path.split(".")
    last = parts[-1]
    if path.startswith("torch.nn.functional.") and last != "pad":
        return torch_lib.functional(last, pos, kw)
    if path in ("torch.nn.Parameter", "torch.nn.parameter.Parameter") and pos and isinstance(pos[0], Tensor):
        return pos[0]
    if path.startswith("torch.nn.") and len(parts) == 3:
        return torch_lib.construct(last, pos, kw)
    if path == "torch.flatten":
        x = pos[0] if pos else None
        return torch_lib.flatten(x, pos[1] if len(pos) > 1 else kw.get("start_dim", 0), pos[2] if len(pos) > 2 else kw.get("end_dim", -1))
    if path in ("torch.reshape", "numpy.reshape", "jax.numpy.reshape", "tf.reshape") and len(pos) >= 2 and isinstance(pos[0], Tensor):
        return creation.reshape(pos[0], pos[1])
    if path in ("torch.cat", "torch.concat", "numpy.concatenate", "jax.numpy.concatenate", "tf.concat", "keras.layers.concatenate"):
        return creation.concatenate(pos[0] if pos else kw.get("tensors", kw.get("values")),
                                    pos[1] if len(pos) > 1 else kw.get("dim", kw.get("axis", -1 if path.startswith("keras") else 0)))
    if path in ("numpy.pad", "jax.numpy.pad", "tf.pad", "torch.nn.functional.pad") and len(pos) >= 2:
        return creation.pad(pos[0], pos[1], "torch" if path.startswith("torch") else "axes")
    if last in ("transpose", "permute_dims", "squeeze", "expand_dims", "unsqueeze") and pos and isinstance(pos[0], Tensor) \
            and parts[0] in ("numpy", "jax", "torch", "tf"):
        return creation.method(pos[0], last, list(pos[1:]), kw)
    if path == "torch.Size" and pos and isinstance(pos[0], (list, tuple)):
        return tuple(pos[0])
    if path.startswith("torch.") and len(parts) == 2:
        return creation.create("torch", last, pos, kw)
    if path.startswith("keras.layers."):
        if last == "Input":
            shape = kw.get("shape", pos[0] if pos else None)
            if not isinstance(shape, (tuple, list)) or not all(is_int(v) or v is None for v in shape):
                raise Undetermined("keras.Input without a known shape")
            return Tensor((kw.get("batch_size"),) + tuple(shape), "keras")
        if last == "Sequential" and not pos and not kw:
            return Layer("keras", "Sequential", {}, ())
        return keras_lib.construct(last, pos, kw)
    if path.startswith("flax.linen."):
        if last[:1].isupper():
            return flax_lib.construct(last, pos, kw)
        return flax_lib.functional(last, pos, kw)
    if path.startswith("tf.nn."):
        return keras_lib.tf_nn(last, pos, kw)
    if path.startswith("jax.lax."):
        if last in jax_lib.FUNCTIONS:
            return jax_lib.FUNCTIONS[last](pos, kw)
        if last == "conv_dimension_numbers" and len(pos) == 3:
            return tuple(pos[2])
        raise Undetermined(f"lax.{last} is not modelled")
    if path.endswith("ConvDimensionNumbers"):
        return {"lhs_spec": kw.get("lhs_spec", pos[0] if pos else None), "rhs_spec": kw.get("rhs_spec", pos[1] if len(pos) > 1 else None),
                "out_spec": kw.get("out_spec", pos[2] if len(pos) > 2 else None)}
    if path in ("numpy.convolve", "numpy.correlate", "jax.numpy.convolve", "jax.numpy.correlate"):
        return numpy_lib.np_convolve(last, pos, kw)
    if path.startswith("scipy.signal.") and last in ("convolve", "correlate", "convolve2d", "correlate2d", "fftconvolve"):
        return numpy_lib.scipy_convolve(last, pos, kw)
    for prefix, lib in (("numpy.", "numpy"), ("jax.numpy.", "jax"), ("jax.", "jax"), ("tf.", "tf")):
        if path.startswith(prefix):
            return creation.create(lib, path[len(prefix):], pos, kw)
    raise Undetermined(f"{path} is not modelled")
