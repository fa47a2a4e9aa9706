r"""Worked examples with explicit values: an operator node applied to literal arrays and the expected array written
out (``node = onnx.helper.make_node("MaxPool", inputs=["x"], outputs=["y"], kernel_shape=[2, 2], …)``, ``x =
np.array([[[[1, 2], …]]])``, ``y = np.array(…)``, ``expect(node, inputs=[x], outputs=[y], …)``).

The code is read with :mod:`ast`, never run: an array is known when it is a literal (``np.array``/``np.asarray``/
``torch.tensor`` of nested lists, ``np.arange``/``np.ones``/``np.zeros``, then ``.reshape``/``.astype``), at most
10^5 entries; any other assignment to a name forgets it. The node's operator and attributes are read by their
names, evaluated by :mod:`proofs.code.onnx_eval` (with :mod:`numeric`), and each expected entry is compared to the
digits written: CORRECT when all match, INCORRECT at the first entry that differs (its index, the document's and
the computed value, the configuration), UNRECOGNIZED when the operator or an attribute is not evaluated. An
expected array that is not a literal (a reference function's result) states nothing and is not judged.

>>> src = '''node = onnx.helper.make_node("MaxPool", inputs=["x"], outputs=["y"], kernel_shape=[2, 2], strides=[2, 2])
... x = np.array([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]).astype(np.float32)
... y = np.array([[[[6, 8],
...                 [14, 15]]]]).astype(np.float32)
... expect(node, inputs=[x], outputs=[y], name="test")'''
>>> [(n, j.verdict, j.counterexample["index"]) for n, j in node_judgements(src)]
[(4, 'INCORRECT', '(0, 0, 1, 1)')]
>>> [(n, j.verdict) for n, j in node_judgements(src.replace("15]", "16]"))]
[(3, 'CORRECT')]
"""

from __future__ import annotations

import ast
import math
import re

import numpy as np

from ..judge.judgement import Judgement
from .onnx_eval import Unsupported, evaluate

__all__ = ["node_judgements", "LiteralArray", "close_to_written"]

_MAX = 10 ** 5
_QUANTITY = {"Conv": "forward_index", "ConvTranspose": "forward_index", "MaxPool": "pooling",
             "AveragePool": "pooling", "LpPool": "pooling", "GlobalAveragePool": "pooling", "GlobalMaxPool": "pooling"}


class LiteralArray:
    """An array whose entries the code writes: the values, and per entry the written text and its line."""

    def __init__(self, values: np.ndarray, written: list | None = None):
        self.values = values
        self.written = written  # [(text, line)] in C order, or None when not written out (np.arange, …)


def _call_name(f) -> str:
    parts = []
    while isinstance(f, ast.Attribute):
        parts.append(f.attr)
        f = f.value
    if isinstance(f, ast.Name):
        parts.append(f.id)
    return ".".join(reversed(parts))


def _leaves(node, out: list) -> bool:
    """The written numbers of a nested list literal, in order; False when it is not one."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_leaves(e, out) for e in node.elts)
    sign, inner = "", node
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign, inner = ("-" if isinstance(node.op, ast.USub) else ""), node.operand
    if isinstance(inner, ast.Constant) and isinstance(inner.value, (int, float)) and not isinstance(inner.value, bool):
        seg = ast.get_source_segment(_leaves.src, inner) if _leaves.src else None
        out.append((sign + (seg or repr(inner.value)), inner.lineno))
        return True
    return False


_leaves.src = None


def _literal(node) -> LiteralArray | None:
    """The array an expression writes, or None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        attr, base = node.func.attr, node.func.value
        if attr in ("astype", "float", "double", "numpy", "detach", "clone", "to"):
            return _literal(base)
        if attr in ("reshape", "view"):
            arr = _literal(base)
            args = node.args[0] if len(node.args) == 1 else ast.Tuple(elts=node.args)
            try:
                shape = ast.literal_eval(args)
                return arr and LiteralArray(arr.values.reshape(shape), arr.written)
            except (ValueError, TypeError, SyntaxError):
                return None
    if not isinstance(node, ast.Call):
        return None
    name = _call_name(node.func).split(".")[-1]
    if name in ("array", "asarray", "tensor", "Tensor", "FloatTensor") and node.args:
        written: list = []
        if not _leaves(node.args[0], written):
            return None
        try:
            values = np.array(ast.literal_eval(node.args[0]), dtype=float)
        except (ValueError, TypeError, SyntaxError):
            return None
        if values.size > _MAX or values.size != len(written):
            return None
        return LiteralArray(values, written)
    try:
        args = [ast.literal_eval(a) for a in node.args]
    except (ValueError, TypeError, SyntaxError):
        return None
    if name == "arange" and 1 <= len(args) <= 3 and all(isinstance(a, (int, float)) for a in args):
        n = math.ceil((args[-2 if len(args) > 1 else 0] - (args[0] if len(args) > 1 else 0)) / (args[2] if len(args) == 3 else 1)) \
            if len(args) > 1 else args[0]
        if 0 <= n <= _MAX:
            return LiteralArray(np.arange(*args, dtype=float))
    if name in ("ones", "zeros") and len(args) == 1:
        shape = args[0] if isinstance(args[0], (tuple, list)) else (args[0],)
        if all(isinstance(a, int) for a in shape) and math.prod(shape) <= _MAX:
            return LiteralArray((np.ones if name == "ones" else np.zeros)(shape, dtype=float))
    return None


def _constant(node, consts: dict):
    if isinstance(node, ast.Name) and node.id in consts:
        return consts[node.id]
    return ast.literal_eval(node)


def _node(call: ast.Call, consts: dict | None = None):
    """``(op, inputs, outputs, attrs)`` of a ``make_node`` call (names of constants assigned above resolved), or None."""
    if not _call_name(call.func).endswith("make_node") or not call.args:
        return None
    try:
        op = _constant(call.args[0], consts or {})
        kw = {k.arg: _constant(k.value, consts or {}) for k in call.keywords if k.arg}
        if len(call.args) > 1:
            kw.setdefault("inputs", ast.literal_eval(call.args[1]))
        if len(call.args) > 2:
            kw.setdefault("outputs", ast.literal_eval(call.args[2]))
    except (ValueError, TypeError, SyntaxError):
        return (op if "op" in locals() else "?", [], [], {"unknown": True})
    return op, list(kw.pop("inputs", [])), list(kw.pop("outputs", [])), kw


def _decimals(text: str) -> int | None:
    t = text.lower().lstrip("+-")
    if "e" in t or "j" in t:
        return None
    return len(t.split(".")[1]) if "." in t else 0


def close_to_written(text: str, computed: float) -> bool:
    """Does ``computed`` agree with the number as written (to its last written digit; an integer exactly)?

    >>> close_to_written("0.1511", 0.15114), close_to_written("0.1511", 0.1513), close_to_written("6", 6.4)
    (True, False, False)
    """
    doc = float(text)
    slack = 1e-5 * max(1.0, abs(computed))  # float32 arithmetic in the document's own run
    d = _decimals(text)
    if d is None:
        mant = text.lower().split("e")
        d = 0 if "." not in mant[0] else len(mant[0].split(".")[1])
        return abs(doc - computed) <= 0.5 * 10 ** (int(mant[1]) - d) * (1 + 1e-9) + slack
    if d == 0:
        return abs(doc - computed) <= slack
    return abs(doc - computed) <= 0.5 * 10 ** -d * (1 + 1e-9) + slack


def _config(op: str, attrs: dict) -> str:
    return op + "(" + ", ".join(f"{k}={v}" for k, v in attrs.items() if k not in ("name", "domain")) + ")"


def _judge(op, attrs, ins, expected: LiteralArray, line: int):
    try:
        got = evaluate(op, [a.values if a is not None else None for a in ins], attrs)
    except Unsupported as exc:
        return line, Judgement("UNRECOGNIZED", _QUANTITY.get(op, "forward_index"),
                               f"worked example (node): not evaluated: {exc}")
    cfg = _config(op, attrs)
    if got.shape != expected.values.shape:
        return line, Judgement("UNRECOGNIZED", _QUANTITY[op], f"worked example (node): {cfg} gives shape "
                               f"{got.shape}, the expected array has shape {expected.values.shape}; not compared entry by entry")
    for flat, (text, ln) in enumerate(expected.written):
        v = float(got.flat[flat])
        if not close_to_written(text, v):
            idx = tuple(int(i) for i in np.unravel_index(flat, got.shape))
            shown = f"{v:.6g}"
            return ln, Judgement("INCORRECT", _QUANTITY[op], f"worked example (node): {cfg} gives {shown} at index "
                                 f"{idx}, not {text}", counterexample={"index": str(idx), "stated": text,
                                                                       "computed": shown, "configuration": cfg},
                                 expected=shown)
    return line, Judgement("CORRECT", _QUANTITY[op], f"worked example (node): every one of the {got.size} entries "
                           f"matches {cfg}", expected="the stated array")


def _assigned(stmt) -> list:
    names = []
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.append(node.id)
    return names


def _scope(body, env: dict, nodes: dict, lines: dict, found: list, consts: dict | None = None) -> None:
    consts = {} if consts is None else consts
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            _scope(stmt.body, {}, {}, {}, found)
            continue
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, value = stmt.targets[0].id, stmt.value
            env.pop(name, None)
            nodes.pop(name, None)
            consts.pop(name, None)
            if isinstance(value, ast.Constant) and isinstance(value.value, (int, float, str)):
                consts[name] = value.value
            if isinstance(value, ast.Call) and _node(value, consts) is not None:
                nodes[name] = _node(value, consts)
                continue
            arr = _literal(value)
            if arr is not None:
                env[name], lines[name] = arr, stmt.lineno
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and _call_name(stmt.value.func) == "expect":
            _expect(stmt.value, env, nodes, lines, found)
            continue
        for name in _assigned(stmt):  # anything else that writes a name (a loop, x[0] = …, x += …) forgets it
            env.pop(name, None)
            nodes.pop(name, None)
            consts.pop(name, None)
        for node in ast.walk(stmt):  # x[...] = v, x += v through a subscript or attribute
            if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
                base = node.value
                while isinstance(base, (ast.Subscript, ast.Attribute)):
                    base = base.value
                if isinstance(base, ast.Name):
                    env.pop(base.id, None)


def _names(node) -> list | None:
    if isinstance(node, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Name) for e in node.elts):
        return [e.id for e in node.elts]
    return None


def _expect(call: ast.Call, env, nodes, lines, found) -> None:
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    node_arg = call.args[0] if call.args else kw.get("node")
    ins = _names(kw.get("inputs", call.args[1] if len(call.args) > 1 else None))
    outs = _names(kw.get("outputs", call.args[2] if len(call.args) > 2 else None))
    if not isinstance(node_arg, ast.Name) or node_arg.id not in nodes or not ins or not outs:
        return
    op, _, _, attrs = nodes[node_arg.id]
    if not isinstance(op, str) or not re.search(r"(?i)conv|pool", op):
        return  # an operator of another family (Add, Relu, …) is not a statement of this kind
    y = outs[0]
    if y not in env or env[y].written is None:
        return  # the expected values are computed, not written: no statement of values
    if attrs.get("unknown") or any(a not in env for a in ins):
        missing = [a for a in ins if a not in env]
        what = f"the input(s) {', '.join(missing)} are" if missing else f"an attribute of the {op} node is"
        found.append((lines[y], Judgement("UNRECOGNIZED", _QUANTITY.get(op, "forward_index"),
                                          f"worked example (node): {what} not a literal value")))
        return
    found.append(_judge(op, attrs, [env[a] for a in ins], env[y], lines[y]))


def node_judgements(src: str, line_of=lambda n: n) -> list:
    """``(line, Judgement)`` for each node example in the code ``src`` (lines mapped by ``line_of``)."""
    try:
        tree = ast.parse(src)
    except (SyntaxError, ValueError):
        return []
    found: list = []
    _leaves.src = src
    try:
        _scope(tree.body, {}, {}, {}, found)
    finally:
        _leaves.src = None
    return [(line_of(n), j) for n, j in found]
