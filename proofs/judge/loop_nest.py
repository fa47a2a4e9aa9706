r"""Loop nests in code blocks that compute a convolution or a pooling, run and compared with :mod:`numeric`.

A document's code block ``def conv2d(X, K): ... for i in ...: for j in ...: Y[i, j] = (X[i:i+h, j:j+w] * K).sum()``
is a statement: *this computes the convolution*. It is read with :func:`ast.parse` (parsing only) and run by
:mod:`proofs.judge.code_interp` on small random arrays, and its result is compared with :func:`numeric.conv2d`
(or the pooling of :mod:`numeric`):

* the operation comes from the function's name (``conv``/``corr``/``pool``, ``max``/``avg``); a name with
  ``corr`` must compute a cross-correlation, one with ``conv`` may compute either convention;
* the arrays' layouts are read from the code: the number of indices of each array parameter (``x[n, c, i, j]``,
  ``N, C, H, W = x.shape``); where several layouts fit (``C×H×W`` or ``H×W×C``), each is tried;
* hyperparameters passed as parameters are bound by their role (stride, padding, pool size) and varied;
  ones the code fixes itself are searched among a few values (stride 1 or 2; padding 0, 1, half, full);
* configurations run from square to rectangular (5×5 input, 3×3 kernel; then 5×7 with 2×3).

CORRECT when one reading agrees on every configuration; CONDITIONAL (square inputs and kernels) when it agrees
only on the square ones; INCORRECT, with the configuration and the entries (or shapes) that differ, when the code
runs but no reading agrees even on the first configuration. Anything the interpreter cannot run is not judged.

>>> src = ["def corr2d(X, K):", "    h, w = K.shape", "    Y = np.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))",
...        "    for i in range(Y.shape[0]):", "        for j in range(Y.shape[1]):",
...        "            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()", "    return Y"]
>>> [(n, j.verdict) for n, _, j in loop_nest_findings(list(enumerate(src, 1)))]
[(1, 'CORRECT')]
>>> bad = [s.replace("w + 1))", "w))") for s in src]
>>> [(n, j.verdict) for n, _, j in loop_nest_findings(list(enumerate(bad, 1)))]
[(1, 'INCORRECT')]
"""

from __future__ import annotations

import ast
import itertools
import re
import textwrap
from ..clock import now as _clock

import numpy as np

from .code_interp import Unsupported, call_function
from .judgement import Judgement

__all__ = ["loop_nest_findings", "loop_nest_document_findings", "judge_function"]

_DEF = re.compile(r"^(\s*)def\s+([A-Za-z_]\w*)\s*\(")
_OPERATION = re.compile(r"conv|corr|pool", re.I)
_NOT_FORWARD = re.compile(r"back|grad|transpose|deconv|im2col|col2im|unpool|net\b|model|init|relu|_bw|bprop|"
                          r"fft|winograd|separable|depthwise|group|dilat|test|check|plot|show|visual|train", re.I)
_BIAS = {"b", "bias", "biases"}
_KERNEL = {"w", "k", "kernel", "filter", "filters", "weights", "weight", "filt", "h", "g"}

#: spatial configurations: (H, W, kh, kw), square first
_SHAPES = ((5, 5, 3, 3), (6, 6, 2, 2), (5, 7, 2, 3), (7, 6, 3, 2))
#: (stride, padding, dilation) given to the hyperparameters the function takes, per configuration: the first and the
#: rectangular one keep the plain values, so that a failure there is the shape's
_HYPER = ((1, 0, 1), (2, 1, 2), (1, 0, 1), (2, 1, 1))
_RECTANGULAR = 2
#: seconds one function may take to judge (all readings and configurations), and one document
_SECONDS_PER_FUNCTION = 4.0
_SECONDS_PER_DOCUMENT = 20.0


def _role(name: str) -> str | None:
    n = name.lower().replace("_", "")
    if "stride" in n or n in ("s", "step", "sh", "sw"):
        return "stride"
    if "pad" in n or n == "p":
        return "pad"
    if "dil" in n:
        return "dil"
    if any(w in n for w in ("size", "pool", "window", "kernel", "filter")) or n in ("k", "f", "ks", "kh", "kw"):
        return "size"
    return None


def _blocks(lines):
    """(line, source, FunctionDef) of every function the lines define (indented bodies, fenced or notebook code)."""
    out = []
    for k, (line, text) in enumerate(lines):
        m = _DEF.match(text)
        if not m:
            continue
        indent = len(m.group(1))
        body = [text]
        depth = _depth_change(text)  # a signature over several lines closes at the indentation of the def
        for _, t in lines[k + 1:]:
            if depth <= 0 and t.strip() and (len(t) - len(t.lstrip())) <= indent:
                break
            body.append(t)
            depth += _depth_change(t)
        try:
            tree = ast.parse(textwrap.dedent("\n".join(body)))
        except (SyntaxError, ValueError, RecursionError):
            continue
        if tree.body and isinstance(tree.body[0], ast.FunctionDef):
            out.append((line, text.strip(), tree.body[0]))
    return out


def _depth_change(text: str) -> int:
    code = text.split("#", 1)[0]
    return sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")


def _depth(fn, name) -> tuple[int, int]:
    """How many indices the code gives array ``name`` (``x[n, c, i, j]``, ``x[n][c]``, ``N, C, H, W = x.shape``), and
    the least number of axes its ``.shape[i]`` reads show."""
    best = low = 0
    for node in ast.walk(fn):
        if isinstance(node, ast.Subscript):
            chain, base = 0, node
            while isinstance(base, ast.Subscript):
                chain += len(base.slice.elts) if isinstance(base.slice, ast.Tuple) else 1
                base = base.value
            if isinstance(base, ast.Name) and base.id == name:
                best = max(best, chain)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "shape" \
                and isinstance(node.value.value, ast.Name) and node.value.value.id == name \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int):
            low = max(low, node.slice.value + 1)  # K.shape[1]: at least two axes
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
            v = node.value
            if isinstance(v, ast.Attribute) and v.attr == "shape" and isinstance(v.value, ast.Name) and v.value.id == name:
                best = max(best, len(node.targets[0].elts))
    return best, low


def _axes(fn, name, fallback: int) -> int:
    exact, low = _depth(fn, name)
    return exact or max(low, fallback)


def _spatial(layout) -> int:
    return sum(a in ("H", "W", "kh", "kw") for a in layout)


def _dict_keys(fn, name) -> list[str]:
    return sorted({n.slice.value for n in ast.walk(fn) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)
                   and n.value.id == name and isinstance(n.slice, ast.Constant) and isinstance(n.slice.value, str)})


def _kind(fn) -> str | None:
    name = fn.name.lower()
    if "pool" in name:
        if "max" in name:
            return "max_pool"
        if "avg" in name or "average" in name or "mean" in name:
            return "avg_pool"
        return None
    return "corr" if "corr" in name else "conv"


# layouts: the document's axis order of (N, C, H, W) for an input, (F, C, kh, kw) for a kernel
_IN_LAYOUTS = {1: [("W",)], 2: [("H", "W")], 3: [("C", "H", "W"), ("H", "W", "C")],
               4: [("N", "C", "H", "W"), ("N", "H", "W", "C")]}
_K_LAYOUTS = {1: [("kw",)], 2: [("kh", "kw")], 3: [("C", "kh", "kw"), ("kh", "kw", "C")],
              4: [("F", "C", "kh", "kw"), ("kh", "kw", "C", "F"), ("F", "kh", "kw", "C")]}
_SIZES = {"N": 2, "C": 2, "F": 3}


def _to_doc(a, names, layout):
    """``a`` (axes ``names``) transposed to ``layout``, with the axes ``layout`` lacks dropped (index 0)."""
    for ax in [x for x in names if x not in layout]:
        a = a[(slice(None),) * names.index(ax) + (0,)]
        names = tuple(x for x in names if x != ax)
    return np.ascontiguousarray(np.transpose(a, [names.index(x) for x in layout]))


def _truth(kind, x, w, b, s, p, d, k, flip):
    import numeric

    if kind == "max_pool":
        return numeric.max_pool2d(x, k, stride=s, padding=p)
    if kind == "avg_pool":
        return numeric.avg_pool2d(x, k, stride=s, padding=p)
    if flip:
        w = w[:, :, ::-1, ::-1]
    return numeric.conv2d(x, np.ascontiguousarray(w), b, stride=s, padding=p, dilation=d)


class _Reading:
    """One way of calling the function: layouts, flip, the values of what the code fixes itself."""

    def __init__(self, in_layout, k_layout, flip, fixed):
        self.in_layout, self.k_layout, self.flip, self.fixed = in_layout, k_layout, flip, fixed

    def describe(self) -> str:
        parts = [f"input {'×'.join(self.in_layout)}"]
        if self.k_layout:
            parts.append(f"kernel {'×'.join(self.k_layout)}" + (" flipped (true convolution)" if self.flip else ""))
        parts += [f"{k} {v}" for k, v in self.fixed.items()]
        return ", ".join(parts)


def _pad_value(p, k):
    return {"half": (k - 1) // 2, "full": k - 1}.get(p, p)


def judge_function(fn: ast.FunctionDef, functions: dict | None = None) -> Judgement | None:
    """Judge one parsed function named for a convolution or pooling; None when it cannot be read or run.
    ``functions``: the document's other functions, which it may call (name -> FunctionDef).

    A pooling function with a mode parameter (``mode='max'`` compared with ``'max'``, ``'avg'``) is judged
    for each mode it names: CORRECT when every mode is, else the first mode's failure."""
    if not _OPERATION.search(fn.name) or _NOT_FORWARD.search(fn.name):
        return None
    params = [a.arg for a in fn.args.args]
    modes = _modes(fn, params)
    if "pool" in fn.name.lower() and modes:
        (mode_param, values), = modes.items() if len(modes) == 1 else ((None, None),)
        if mode_param is None:
            return None
        verdicts = []
        for value, kind in values:
            j = _judge_kind(fn, kind, functions, {mode_param: value})
            if j is None:
                return None
            if j.verdict != "CORRECT":
                j.explanation = f"with {mode_param}={value!r}: {j.explanation}"
                return j
            verdicts.append((value, j))
        j = verdicts[0][1]
        j.explanation = f"for {mode_param} = {', '.join(repr(v) for v, _ in verdicts)}: {j.explanation}"
        return j
    return _judge_kind(fn, _kind(fn), functions, {})


_POOL_MODES = {"max": "max_pool", "avg": "avg_pool", "mean": "avg_pool", "average": "avg_pool"}


def _modes(fn, params) -> dict:
    """Parameters compared with the names of pooling modes: name -> [(value, kind)]."""
    out: dict = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id in params \
                and len(node.comparators) == 1 and isinstance(node.comparators[0], ast.Constant) \
                and isinstance(node.comparators[0].value, str):
            v = node.comparators[0].value
            if v.lower() in _POOL_MODES and (v, _POOL_MODES[v.lower()]) not in out.get(node.left.id, []):
                out.setdefault(node.left.id, []).append((v, _POOL_MODES[v.lower()]))
    return out


def _pair(fn, name) -> bool:
    """``name`` is used as a pair of numbers (``p_h, p_w = pool_size``, ``size[0]``), never as an array."""
    used = False
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple) and isinstance(node.value, ast.Name) \
                and node.value.id == name and len(node.targets[0].elts) == 2:
            used = True
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == name:
            if not (isinstance(node.slice, ast.Constant) and node.slice.value in (0, 1)):
                return False
            used = True
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == name:
            return False
    return used


def _judge_kind(fn, kind, functions, extra: dict) -> Judgement | None:
    if kind is None:
        return None
    if not any(isinstance(n, (ast.For, ast.comprehension)) for n in ast.walk(fn)):
        return None
    params = [a.arg for a in fn.args.args]
    n_default = len(fn.args.defaults)
    required = params[:len(params) - n_default]
    arrays, scalars, dicts = [], {}, {}
    modes = _modes(fn, params)
    for name in params:
        keys = _dict_keys(fn, name)
        if name in modes:
            continue
        if keys:
            dicts[name] = keys
        elif _pair(fn, name) and _role(name):
            scalars[name] = ("pair", _role(name))
        elif any(_depth(fn, name)) or (name in required and _role(name) is None):
            arrays.append(name)
        elif _role(name):
            scalars[name] = _role(name)
        else:
            return None
    need = 1 if kind.endswith("pool") else 2
    if len(arrays) < need or len(arrays) > need + (0 if kind.endswith("pool") else 1):
        return None
    if need == 2 and arrays[0].lower() in _KERNEL and arrays[1].lower() not in _KERNEL:
        arrays[:2] = arrays[1], arrays[0]  # conv(kernel, image)
    bias = arrays[2] if len(arrays) == 3 else None
    if bias is not None and bias.lower() not in _BIAS:
        return None
    keyroles = {}
    for name, keys in dicts.items():
        for key in keys:
            r = _role(key)
            if r is None:
                return None
            keyroles[(name, key)] = (r, key.lower())
    given = {_plain(r) for r in scalars.values()} | {r for r, _ in keyroles.values()}
    if kind.endswith("pool") and given & {"dil"}:
        return None
    d_in = _axes(fn, arrays[0], 0)
    d_k = _axes(fn, arrays[1], d_in) if need == 2 else 0  # a kernel only multiplied whole: a window's axes
    if d_in == 0:  # the arrays are only passed on (zip(X, K), corr2d(x, k)): every usual number of axes is tried
        dims = [(2, 2), (3, 3), (3, 4)] if need == 2 else [(2, 0), (3, 0), (4, 0)]
    else:
        dims = [(d_in, d_k)]
    dims = [(a, b) for a, b in dims if a in _IN_LAYOUTS and (need == 1 or (b in _K_LAYOUTS and b <= a + 1))]
    if not dims:
        return None
    free_stride = [1, 2] if "stride" not in given else [None]
    free_pad = [0, 1, "half", "full"] if "pad" not in given and kind.startswith("c") else ([0] if "pad" not in given else [None])
    free_size = [2, 3] if kind.endswith("pool") and "size" not in given else [None]
    readings = []
    for il, kl in ((il, kl) for d_in, d_k in dims for il in _IN_LAYOUTS[d_in]
                   for kl in (_K_LAYOUTS[d_k] if need == 2 else [None])):
        if kl is not None and (("C" in kl) != ("C" in il) or _spatial(kl) != _spatial(il)):
            continue
        for flip in ((False,) if kind != "conv" else (False, True)):
            for s, p, k in itertools.product(free_stride, free_pad, free_size):
                fixed = {n: v for n, v in (("stride", s), ("padding", p), ("size", k)) if v is not None}
                readings.append(_Reading(il, kl, flip, fixed))
    rng = np.random.default_rng(7)
    alive, ran = list(readings), False
    deadline = _clock() + _SECONDS_PER_FUNCTION
    single = len({(r.in_layout, r.k_layout) for r in readings}) == 1  # one way to lay the arrays out (1-D, 2-D)
    for c, (H, W, kh, kw) in enumerate(_SHAPES):
        if kind.endswith("pool"):
            kw = kh
        if dims == [(1, 1)] and H != W:
            continue
        still, failures = [], []
        for rd in alive:
            if _clock() > deadline:
                return None  # too much work for one function: not judged
            out = _run(fn, kind, rd, arrays, scalars, keyroles, bias, (H, W, kh, kw), c, rng, functions, extra)
            if out is None:  # this configuration is outside the reading (half padding of a 2×3 kernel)
                still.append(rd)
                continue
            ok, detail, runs = out
            ran = ran or runs
            if ok:
                still.append(rd)
            else:  # an error on the first configuration may be a layout guessed wrong: reported, not counted
                failures.append((rd, detail, runs or c > 0 or single))
        if still:
            alive = still
            continue
        if not any(f[2] for f in failures) or (c == 0 and not ran and not single):
            return None
        rd, detail, _ = failures[0]  # the first reading (the plainest layouts) that failed
        if c == _RECTANGULAR:
            return Judgement("CONDITIONAL", "forward_index", f"loop nest run by our interpreter: agrees with numeric "
                             f"({rd.describe()}) on square inputs and kernels only; {detail}",
                             condition="square input and kernel", counterexample={"reading": rd.describe(),
                                                                                   "detail": detail})
        return Judgement("INCORRECT", "forward_index", f"loop nest run by our interpreter does not compute the "
                         f"{_NAMES[kind]} for any reading of its arrays and hyperparameters"
                         f"{' that agrees on a simpler case' if c else ''}; e.g. {rd.describe()}: {detail}",
                         counterexample={"reading": rd.describe(), "detail": detail})
    if not ran:
        return None
    best = alive[0]
    return Judgement("CORRECT", "forward_index", f"loop nest run by our interpreter on random arrays ({best.describe()}) "
                     f"for {len(_SHAPES)} input/kernel shapes{_varied(scalars, keyroles)}: equal to numeric's "
                     f"{_NAMES[kind]}")


_NAMES = {"conv": "convolution", "corr": "cross-correlation", "max_pool": "max pooling", "avg_pool": "average pooling"}


def _varied(scalars, keyroles) -> str:
    roles = sorted({_plain(r) for r in scalars.values()} | {r for r, _ in keyroles.values()})
    return f" and varied {', '.join(roles)}" if roles else ""


def _plain(role) -> str:
    return role[1] if isinstance(role, tuple) else role


def _hyper(role, c, kh, kw, key=""):
    """The value configuration ``c`` gives a passed hyperparameter (varied with the configuration)."""
    if role in ("stride", "pad", "dil"):
        return _HYPER[c][("stride", "pad", "dil").index(role)]
    if "w" in key.replace("window", "") and not key.endswith("h"):
        return kw
    return kh


def _run(fn, kind, rd, arrays, scalars, keyroles, bias, shape, c, rng, functions=None, extra=None):
    """(agrees, what differs, ran) for one reading and configuration; None when the call is outside the reading."""
    H, W, kh, kw = shape
    if len(rd.in_layout) == 1:
        H, kh = 1, 1
    s = p = d = None
    args_s = {}
    for name, role in scalars.items():
        if isinstance(role, tuple):  # a pair: (rows, columns)
            args_s[name] = (kh, kw) if role[1] == "size" else (_hyper(role[1], c, kh, kw),) * 2
        else:
            args_s[name] = _hyper(role, c, kh, kw, name.lower())
    dict_args: dict = {}
    for (name, key), (role, low) in keyroles.items():
        dict_args.setdefault(name, {})[key] = _hyper(role, c, kh, kw, low)
    roles_given = {}
    for name, role in scalars.items():
        roles_given[_plain(role)] = args_s[name][0] if isinstance(role, tuple) else args_s[name]
    for (name, key), (role, low) in keyroles.items():
        roles_given.setdefault(role, dict_args[name][key])
    s = roles_given.get("stride", rd.fixed.get("stride", 1))
    d = roles_given.get("dil", 1)
    if kind.endswith("pool"):
        kh = kw = roles_given.get("size", rd.fixed.get("size", kh))
        p = roles_given.get("pad", 0)
    else:
        p = roles_given.get("pad", _pad_value(rd.fixed.get("padding", 0), kh))
        if rd.fixed.get("padding") in ("half", "full") and kh != kw:
            return None
    # an axis the document's arrays do not have is one long, so that dropping it loses nothing
    n_, c_ = (_SIZES[a] if a in rd.in_layout else 1 for a in ("N", "C"))
    f_ = _SIZES["F"] if rd.k_layout is not None and "F" in rd.k_layout else 1
    x = rng.standard_normal((n_, c_, H, W))
    w = rng.standard_normal((f_, c_, kh, kw))
    b = rng.standard_normal(f_) if bias else None
    try:
        want = _truth(kind, x, w, b, s, p, d, kh, rd.flip)
    except (ValueError, TypeError):
        return None
    xi = _to_doc(x, ("N", "C", "H", "W"), rd.in_layout)
    if rd.k_layout is not None:
        wk = _to_doc(w, ("F", "C", "kh", "kw"), rd.k_layout)
        f_axis = "F" in rd.k_layout
    else:
        wk, f_axis = None, True
    out_layout = tuple(a for a in rd.in_layout if a != "C") if not f_axis else \
        tuple("F" if a == "C" else a for a in rd.in_layout) if "C" in rd.in_layout else ("F",) + rd.in_layout
    if kind.endswith("pool"):
        out_layout = rd.in_layout
    want_doc = _to_doc(want, ("N", "F" if not kind.endswith("pool") else "C", "H", "W"),
                       tuple(a for a in out_layout))
    kwargs = dict(args_s, **dict_args, **(extra or {}))
    kwargs[arrays[0]] = xi
    if wk is not None:
        kwargs[arrays[1]] = wk
    if bias:
        kwargs[bias] = b
    try:
        got = call_function(fn, [], kwargs, functions)
    except (IndexError, ValueError, TypeError, ZeroDivisionError, OverflowError, KeyError, AssertionError) as exc:
        return False, f"the code fails on a {H}×{W} input with a {kh}×{kw} kernel, stride {s}, padding {p} " \
                      f"({type(exc).__name__}: {exc})", False
    if isinstance(got, tuple):
        got = next((g for g in got if isinstance(g, np.ndarray)), None)
    if not isinstance(got, np.ndarray) or got.dtype.kind not in "fiu":
        raise Unsupported("the function returns no numeric array")
    conf = f"{H}×{W} input, {kh}×{kw} {'window' if kind.endswith('pool') else 'kernel'}, stride {s}, padding {p}"
    if got.shape != want_doc.shape:
        return False, f"on a {conf}: the code's output has shape {got.shape}, the {_NAMES[kind]} has {want_doc.shape}", True
    if np.allclose(got, want_doc, rtol=1e-9, atol=1e-9):
        return True, "", True
    pos = tuple(int(i) for i in np.argwhere(~np.isclose(got, want_doc, rtol=1e-9, atol=1e-9))[0])
    return False, f"on a {conf}: entry {list(pos)} is {got[pos]:.6g}, numeric gives {want_doc[pos]:.6g}", True


def loop_nest_findings(lines) -> list[tuple[int, str, Judgement]]:
    """(line, source, judgement) for every convolution/pooling function the ``(line, text)`` pairs define."""
    out = []
    blocks = _blocks(list(lines))
    functions: dict = {}
    for _, _, fn in blocks:
        functions.setdefault(fn.name, fn)  # a name defined again (one per framework): the first definition
    stop = _clock() + _SECONDS_PER_DOCUMENT
    for line, source, fn in blocks:
        if _clock() > stop:
            break
        try:
            j = judge_function(fn, functions)
        except (Unsupported, RecursionError, MemoryError):
            j = None
        if j is not None:
            out.append((line, source, j))
    return out


def loop_nest_document_findings(doc) -> list:
    """The findings of :func:`loop_nest_findings` on a read document's lines (a notebook's code cells at their
    lines in the ``.ipynb`` file), as :class:`~proofs.findings.Finding` objects of kind ``code``."""
    from ..findings import Finding, Verdict
    from .summary_document import _lines

    notebook = bool(getattr(doc, "origins", None))
    try:
        from .loop_formula import loop_formula_findings

        lines = _lines(doc)
        from .scatter_nest import scatter_findings

        found = loop_nest_findings(lines) + loop_formula_findings(lines) + scatter_findings(lines)
    except Exception as exc:  # noqa: BLE001 - code the reader cannot take must not lose the report
        return [Finding(line=1, source="", kind="example", verdict=Verdict.UNRECOGNIZED,
                        explanation=f"loop nests could not be checked ({type(exc).__name__}: {exc})")]
    return [Finding(line=line, source=source, kind="formula", verdict=Verdict(j.verdict), quantity=j.quantity,
                    condition=j.condition, counterexample=j.counterexample, explanation=j.explanation,
                    section=None if notebook else doc.section_at(line)) for line, source, j in found]
