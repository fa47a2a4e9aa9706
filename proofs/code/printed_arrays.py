r"""Printed arrays of worked examples: a value the code computes from literal arrays (a functional convolution or
pooling evaluated with :mod:`numeric`, or the document's own function run by :mod:`proofs.judge.code_interp`) against
the array printed after the cell (``tensor([[19., 25.], [37., 43.]])``, ``array(…)``, NumPy's ``[[19. 25.] …]``).

The code is read, never executed: literal arrays come from :mod:`proofs.code.node_examples`; a statement that cannot
be evaluated forgets the names it assigns. Only a value computed by a call (not an echoed literal) is compared, and
only when the cell's displayed arrays and the printed arrays pair up one to one. Each entry is compared to the
digits printed: CORRECT when all match, INCORRECT at the first entry that differs (at its line).

>>> from proofs.code.blocks import document_cells
>>> text = '''```python
... X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
... K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
... F.conv2d(X.reshape(1, 1, 3, 3), K.reshape(1, 1, 2, 2))
... ```
...
... ```
... tensor([[[[19., 25.],
...           [37., 44.]]]])
... ```'''
>>> [(n, j.verdict, j.counterexample["index"]) for n, j in printed_judgements(document_cells(text.splitlines()))]
[(9, 'INCORRECT', '(0, 0, 1, 1)')]
"""

from __future__ import annotations

import ast
import re

import numpy as np

from ..judge.judgement import Judgement
from .node_examples import _call_name, _literal, close_to_written
from .signal_calls import SIGNAL_CALLS as _SIGNAL
from .signal_calls import convolve_call
from .node_examples import _leaves as _leaf_source

__all__ = ["printed_judgements", "parse_printed"]

_TOKEN = re.compile(r"\[|\]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|\.\.\.|…")
#: functional operators evaluated with numeric (the last part of the called name)
_OPS = {"conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool1d", "max_pool2d", "avg_pool1d",
        "avg_pool2d"}
_OP_MODULES = {"F", "functional", "torch", "nn"}
#: pooling layers (no weights: their output is determined by the input) and numeric's function for each
_LAYERS = {"MaxPool1d": "max_pool1d", "MaxPool2d": "max_pool2d", "AvgPool1d": "avg_pool1d", "AvgPool2d": "avg_pool2d"}


def parse_printed(lines: list) -> list:
    """The arrays printed in ``lines`` (``(line, text)``): ``(values, [(text, line) per entry])`` each.

    >>> [(v.shape, w[-1]) for v, w in parse_printed([(5, "tensor([[ 4.,  3.],"), (6, "        [ 2.,  4.]])")])]
    [((2, 2), ('4.', 6))]
    >>> [v.tolist() for v, _ in parse_printed([(1, "[[19. 25.]"), (2, " [37. 43.]]")])]
    [[[19.0, 25.0], [37.0, 43.0]]]
    """
    found, stack, written = [], [], []
    for line, text in lines:
        text = re.sub(r"(?:dtype|device|grad_fn|shape|requires_grad)\s*=\s*[^,)\]]*", "", text)
        for m in _TOKEN.finditer(text):
            t = m.group()
            if t in ("...", "…"):
                stack, written = [], []  # a summarized print: not all entries shown
                continue
            if t == "[":
                stack.append([])
            elif t == "]":
                if not stack:
                    continue
                done = stack.pop()
                if stack:
                    stack[-1].append(done)
                else:
                    try:
                        arr = np.array(done, dtype=float)
                    except ValueError:
                        arr = None
                    if arr is not None and arr.size == len(written) and arr.size >= 1:
                        found.append((arr, written))
                    written = []
            elif stack:
                stack[-1].append(float(t))
                written.append((t, line))
    return found


def _numeric_op(name: str, args: list, kwargs: dict):
    """numeric's ``name`` on ``args``; an unbatched input (C, H, W) as PyTorch takes it gets its batch axis."""
    import numeric

    fn = getattr(numeric, name)
    nd = 1 if name.endswith("1d") else 2
    x = np.asarray(args[0], dtype=float)
    if x.ndim == nd + 1:
        return np.asarray(fn(x[None], *args[1:], **kwargs), dtype=float)[0]
    return np.asarray(fn(x, *args[1:], **kwargs), dtype=float)


class _Shown(np.ndarray):
    """A computed array with the quantity it shows (a pooling's output or a convolution's)."""

    def __new__(cls, v, quantity: str):
        obj = np.asarray(v, dtype=float).view(cls)
        obj.quantity = quantity
        return obj


class _Reader:
    def __init__(self):
        self.env: dict = {}
        self.derived: set = set()
        self.functions: dict = {}
        self.layers: dict = {}  # name -> (numeric function, constructor args, kwargs) of a pooling layer
        self.pooled = False  # did the value last shown come from a pooling?

    def layer(self, node):
        """A pooling layer a constructor call builds (``nn.MaxPool2d(2, stride=1)``), or None."""
        if isinstance(node, ast.Name):
            return self.layers.get(node.id)
        if isinstance(node, ast.Call):
            parts = _call_name(node.func).split(".")
            if parts[-1] in _LAYERS and (len(parts) == 1 or parts[-2] in _OP_MODULES):
                args = [ast.literal_eval(a) for a in node.args]
                kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
                return _LAYERS[parts[-1]], args, kwargs
        return None

    def value(self, node):
        """``(value, derived)`` of an expression, or raise for one not evaluated."""
        from ..judge.code_interp import _Interp

        arr = _literal(node)
        if arr is not None:
            return arr.values, False
        if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
            try:
                layer = self.layer(node.func)
            except (ValueError, TypeError, SyntaxError):
                layer = None
            if layer is not None:
                self.pooled = True
                return _numeric_op(layer[0], [self.value(node.args[0])[0], *layer[1]], layer[2]), True
        if isinstance(node, ast.Call):
            name = _call_name(node.func)
            parts = name.split(".")
            if parts[-1] in _OPS and (len(parts) == 1 and parts[0] not in self.functions or
                                      len(parts) > 1 and parts[-2] in _OP_MODULES):
                args = [self.value(a)[0] for a in node.args]
                kwargs = {k.arg: self._plain(k.value) for k in node.keywords if k.arg}
                self.pooled = self.pooled or "pool" in parts[-1]
                return _numeric_op(parts[-1], args, kwargs), True
            if parts[-1] in _SIGNAL and len(parts) > 1 and parts[-2] in ("np", "numpy", "signal", "scipy"):
                args = [self.value(a)[0] for a in node.args]
                kwargs = {k.arg: self._plain(k.value) for k in node.keywords if k.arg}
                return convolve_call(parts[-1], args, kwargs), True
            if isinstance(node.func, ast.Name) and node.func.id in self.functions:
                v = _Interp(self.functions).expr(node, dict(self.env))
                return np.asarray(v, dtype=float), True
        names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        v = _Interp(self.functions).expr(node, dict(self.env))
        return v, bool(names & self.derived)

    def _plain(self, node):
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError):
            return self.value(node)[0]

    def shown(self, node):
        self.pooled = False
        try:
            v, derived = self.value(node)
        except Exception:  # noqa: BLE001 - anything not evaluated is simply not known
            return None
        if not derived or not isinstance(v, np.ndarray) or v.ndim == 0:
            return None
        return _Shown(v, "pooling" if self.pooled else "forward_index")

    def cell(self, tree, display_last: bool) -> list:
        shown = []
        body = tree.body
        for k, st in enumerate(body):
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[st.name] = st
                continue
            if isinstance(st, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
                name = st.targets[0].id
                self.env.pop(name, None)
                self.derived.discard(name)
                self.layers.pop(name, None)
                try:
                    layer = self.layer(st.value) if isinstance(st.value, ast.Call) else None
                except (ValueError, TypeError, SyntaxError):
                    layer = None
                if layer is not None:
                    self.layers[name] = layer
                    continue
                try:
                    v, derived = self.value(st.value)
                except Exception:  # noqa: BLE001
                    continue
                self.env[name] = v
                if derived:
                    self.derived.add(name)
                continue
            if isinstance(st, ast.Expr) and isinstance(st.value, ast.Call) and _call_name(st.value.func) == "print":
                one = len(st.value.args) == 1 and not st.value.keywords
                shown.append((self.shown(st.value.args[0]) if one else None, st.end_lineno))
                continue
            if isinstance(st, ast.Expr) and k == len(body) - 1 and display_last:
                shown.append((self.shown(st.value), st.end_lineno))
                continue
            if isinstance(st, ast.Expr) or isinstance(st, ast.Assign):
                try:  # x[:, 2:6] = 0 and other statements our interpreter runs
                    from ..judge.code_interp import _Interp, run_block

                    env = dict(self.env)
                    run_block([st], env, _Interp(self.functions))
                    self.env.update(env)
                    continue
                except Exception:  # noqa: BLE001 - not run: the names it writes are forgotten below
                    pass
            for n in ast.walk(st):
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                    self.env.pop(n.id, None)
                    self.derived.discard(n.id)
                if isinstance(n, (ast.Subscript, ast.Attribute)) and isinstance(n.ctx, ast.Store):
                    base = n.value
                    while isinstance(base, (ast.Subscript, ast.Attribute)):
                        base = base.value
                    if isinstance(base, ast.Name):
                        self.env.pop(base.id, None)
            if isinstance(st, ast.Expr) and isinstance(st.value, ast.Call):
                for a in st.value.args:  # a method call may change its object (x.add_(1)): forget it
                    pass
                f = st.value.func
                if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.attr.endswith("_"):
                    self.env.pop(f.value.id, None)
        return shown


def _compare(v: np.ndarray, printed, written) -> tuple:
    if printed.size != v.size:
        return None
    if printed.shape != v.shape and printed.shape != tuple(d for d in v.shape if d != 1) and \
            tuple(d for d in printed.shape if d != 1) != tuple(d for d in v.shape if d != 1):
        return None
    flat = v.ravel()
    for i, (text, ln) in enumerate(written):
        if not close_to_written(text, float(flat[i])):
            idx = tuple(int(a) for a in np.unravel_index(i, printed.shape))
            shown = f"{flat[i]:.6g}"
            return ln, Judgement("INCORRECT", getattr(v, "quantity", "forward_index"), f"worked example (printed array): the code computes "
                                 f"{shown} at index {idx}, the printed output shows {text}",
                                 counterexample={"index": str(idx), "stated": text, "computed": shown}, expected=shown)
    return written[0][1], Judgement("CORRECT", getattr(v, "quantity", "forward_index"), f"worked example (printed array): all {v.size} printed "
                                    "entries match what the code computes", expected="the printed array")


def _echo(cell) -> list:
    """A cell that is only a printed array (an output fence labelled as code: ``tensor([[19., 25.], …])``): its lines."""
    src = [t for _, t in cell.source]
    try:
        tree = ast.parse("\n".join(src))
    except (SyntaxError, ValueError):
        return []
    if len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr) and isinstance(tree.body[0].value, ast.Call) \
            and _call_name(tree.body[0].value.func) in ("tensor", "array", "Array"):
        return [(n, t) for n, t in cell.source]
    return []


def _indented_after(cell, lines) -> list:
    """Output lines indented under a Markdown fence (nbconvert's form), as ``(line, text)``."""
    if not lines or not cell.source:
        return []
    n = cell.source[-1][0] + 1  # the closing fence
    out = []
    while n < len(lines) and (not lines[n].strip() or lines[n].startswith(("    ", "\t"))):
        if lines[n].strip():
            out.append((n + 1, lines[n]))
        n += 1
    return out


def _comment_after(cell, end: int) -> list:
    """Comment lines right after source line ``end`` of the cell (``# tensor([[19., 25.], …``)."""
    out = []
    for n, t in cell.source[end:]:
        if not t.strip().startswith("#"):
            break
        out.append((n, t.strip().lstrip("#")))
    return out


def printed_judgements(cells, lines: list | None = None) -> list:
    """``(line, Judgement)`` for the printed arrays of ``cells`` (:class:`proofs.code.blocks.Cell`), read in order;
    ``lines``, the document's, let output indented under a fence be read."""
    from .blocks import source_text

    reader, found = _Reader(), []
    for k, cell in enumerate(cells):
        if not cell.source or _echo(cell):
            continue
        src = source_text(cell.source)
        try:
            tree = ast.parse(src)
        except (SyntaxError, ValueError):
            continue
        _leaf_source.src = src
        try:
            shown = reader.cell(tree, cell.display_last)
        finally:
            _leaf_source.src = None
        rest = []
        for v, end in shown:
            commented = parse_printed(_comment_after(cell, end))
            if len(commented) == 1:
                if v is not None:
                    got = _compare(v, *commented[0])
                    found += [got] if got is not None else []
            else:
                rest.append(v)
        out = [(n, t) for n, t, _ in cell.outputs] or _indented_after(cell, lines)
        if not out and k + 1 < len(cells) and not cells[k + 1].outputs:
            out = _echo(cells[k + 1])
        printed = parse_printed(out)
        if not printed or len(rest) != len(printed):
            continue
        for v, (arr, written) in zip(rest, printed):
            if v is not None:
                got = _compare(v, arr, written)
                if got is not None:
                    found.append(got)
    return found
