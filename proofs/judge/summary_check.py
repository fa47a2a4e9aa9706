r"""Model summaries judged cell by cell: each row's output shape and parameter count, and the totals.

A summary (:mod:`proofs.document.summary_text`) is bound to the code that built the model when the
document has it (:mod:`proofs.document.summary_code`): the rows' layer types must be, in order, the types
of a run of the constructor calls written before the summary (Keras ``InputLayer`` rows with ``Input``
calls). Then every row is recomputed with ``derive`` (:func:`proofs.judge.summary_layers.effect`) from the
shape before it — the true one, from the declared input shape, where known; else the shape the
document states for the previous row — and compared with the row: the output shape and the parameter
count (CONDITIONAL "holds without bias" when it is the count of the layer without its bias).

Without the code, a row is judged only as far as the rows themselves determine it (binding by evidence):
a layer type without parameters (pooling, flatten, dropout, activations) has 0; a shape-keeping layer
(activation, dropout, batch norm) has the previous row's shape and flatten its product — INCORRECT only
in a chain (a Keras summary of a sequential model, which has no "Connected to" column); a dense layer's
count follows from the two shapes; a convolution's count must be ``K·C_in·C_out/g (+ C_out)`` for some
kernel area ``K`` — CORRECT only when one square kernel with the framework's default bias explains it.
In every summary ``Total params`` is the sum of the rows, ``Trainable + Non-trainable = Total``, and the
sizes in bytes of Keras 3 and torchsummary are the counts at 4 bytes (float32) each.

Examples
--------
>>> code = [(1, "model.add(layers.Conv2D(32, (3, 3), input_shape=(28, 28, 1)))"), (2, "model.add(layers.MaxPooling2D((2, 2)))"),
...         (3, "model.add(layers.Flatten())"), (4, "model.add(layers.Dense(10))")]
>>> table = ["Layer (type)                 Output Shape              Param #",
...          "conv2d_1 (Conv2D)            (None, 26, 26, 32)        320",
...          "max_pooling2d_1 (MaxPooling2 (None, 12, 12, 32)        0",
...          "flatten_1 (Flatten)          (None, 5408)              0",
...          "dense_1 (Dense)              (None, 10)                54090",
...          "Total params: 54,400", "Trainable params: 54,410", "Non-trainable params: 0"]
>>> for line, src, j in summary_findings(code + list(enumerate(table, 5))):
...     print(line, src, j.verdict, j.expected)
6 (None, 26, 26, 32) CORRECT (None, 26, 26, 32)
6 320 CORRECT 320
7 (None, 12, 12, 32) INCORRECT (None, 13, 13, 32)
7 0 CORRECT 0
8 (None, 5408) CORRECT (None, 5408)
8 0 CORRECT 0
9 (None, 10) CORRECT (None, 10)
9 54090 CORRECT 54090
10 Total params: 54,400 INCORRECT 54410
11 Trainable params: 54,410 CORRECT 54410
12 Non-trainable params: 0 CORRECT 0
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from ..document.summary_code import input_size_calls, layer_calls
from ..document.summary_text import ModelSummary, SummaryRow, find_summaries
from .judgement import Judgement
from .summary_layers import SHAPE_KEEPING, ZERO_PARAM, Effect, canonical, effect, input_shape_of

__all__ = ["summary_findings"]

_MB = 1024 ** 2
#: code that freezes layers: the trainable counts then depend on more than the layers' definitions
_FREEZE = re.compile(r"\.trainable\s*=|trainable\s*=\s*False|requires_grad")
_UNITS = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}


def _show(shape: tuple) -> str:
    return "(" + ", ".join("None" if v is None else str(v) for v in shape) + ("," if len(shape) == 1 else "") + ")"


def _fmt(n) -> str:
    return f"{n:,}" if isinstance(n, int) else str(n)


def _leaves(s: ModelSummary) -> list[SummaryRow]:
    rows = s.rows
    if s.style != "torchinfo":
        return list(rows)
    return [r for i, r in enumerate(rows) if not (i + 1 < len(rows) and rows[i + 1].depth > r.depth) and r.depth > 0]


def _windows(rows: list[SummaryRow], calls: list) -> list[list]:
    kinds = [canonical(r.kind) for r in rows]
    if "input" not in kinds:
        calls = [c for c in calls if canonical(c.kind) != "input"]
    ck = [canonical(c.kind) for c in calls]
    n = len(kinds)
    return [calls[i:i + n] for i in range(len(calls) - n + 1) if ck[i:i + n] == kinds]


def _input_shape(window: list, s: ModelSummary, sizes: list, calls: list = ()) -> tuple | None:
    """The per-sample input of the window's model: Keras — the first layer's ``input_shape``, else an
    ``Input(shape=…)`` call right before the window, else ``model.build((None, …))``; PyTorch — the
    ``summary(model, size)`` call before the summary."""
    first = window[0]
    if first.framework == "keras":
        shape = input_shape_of(first)
        k = next((i for i, c in enumerate(calls) if c is first), None)
        if shape is None and k:
            prev = calls[k - 1]
            shape = input_shape_of(prev) if canonical(prev.kind) == "input" else None
        if shape is None:
            built = [size for line, size, batch in sizes if line < s.header_line and size and size[0] is None]
            shape = built[-1][1:] if built else None
        return tuple(shape) if shape and all(isinstance(v, int) for v in shape) else None
    before = [(line, size, batch) for line, size, batch in sizes if line < s.header_line and None not in size]
    if not before:
        return None
    _, size, batch = before[-1]
    return tuple(size[1:]) if batch else tuple(size)


def _expected(window: list, rows: list[SummaryRow], start: tuple | None) -> list[Effect | None]:
    """Each row's effect, from the true shape before it where known, else the shape the previous row states."""
    out: list[Effect | None] = []
    true = start
    for i, (call, row) in enumerate(zip(window, rows)):
        before = true if true is not None else (rows[i - 1].shape[1:] if i and rows[i - 1].shape else None)
        e = effect(call, before) if canonical(call.kind) != "input" else effect(call, None)
        out.append(e)
        true = e.shape if e is not None else None
    return out


def _shape_judgement(row: SummaryRow, shape: tuple, config: str, how: str) -> Judgement:
    want = (None, *shape)
    if row.shape is not None and row.shape[1:] == tuple(shape):
        return Judgement("CORRECT", "output_shape", f"summary row {row.name!r}: the output shape {_show(want)} follows "
                         f"from {how} ({config}; derive)", expected=_show(want))
    return Judgement("INCORRECT", "output_shape", f"summary row {row.name!r}: {how} ({config}) gives the output shape "
                     f"{_show(want)}, not {row.shape_text}", counterexample={"values": {"layer": row.name, "config": config},
                                                                                "document": row.shape_text,
                                                                                "expected": _show(want)},
                     expected=_show(want))


def _param_judgement(row: SummaryRow, e: Effect, how: str) -> Judgement:
    if row.params == e.params:
        return Judgement("CORRECT", "param_count", f"summary row {row.name!r}: {_fmt(e.params)} parameters ({how}: "
                         f"{e.config}; derive)", expected=str(e.params))
    if e.params_without_bias is not None and row.params == e.params_without_bias:
        return Judgement("CONDITIONAL", "param_count", f"summary row {row.name!r}: {_fmt(row.params)} is the count "
                         f"without bias; the layer ({e.config}) has a bias, which makes it {_fmt(e.params)}",
                         condition="holds without bias", counterexample={"values": {"layer": row.name, "config": e.config},
                                                                          "document": row.params_text,
                                                                          "expected": e.params},
                         expected=str(e.params))
    return Judgement("INCORRECT", "param_count", f"summary row {row.name!r}: the layer ({e.config}; {how}) has "
                     f"{_fmt(e.params)} parameters, not {row.params_text}",
                     counterexample={"values": {"layer": row.name, "config": e.config}, "document": row.params_text,
                                     "expected": e.params}, expected=str(e.params))


def _bound_rows(s: ModelSummary, rows, windows, sizes, calls) -> list[tuple[int, str, Judgement]]:
    per_window = []
    for w in windows:
        start = _input_shape(w, s, sizes, calls)
        per_window.append((w, _expected(w, rows, start), start))
    out = []
    for i, row in enumerate(rows):
        shapes = {e[i].shape if e[i] else None for _, e, _ in per_window}
        params = {(e[i].params, e[i].params_without_bias) if e[i] else None for _, e, _ in per_window}
        w, effects, start = per_window[-1]
        e = effects[i]
        call = w[i]
        how = f"{call.text.strip()} at line {call.line}"
        if e is None:
            continue
        if len(shapes) == 1 and row.shape is not None and canonical(call.kind) != "input":
            src = ("the declared input shape" if i == 0 else "the shape derived for the row before it") \
                if start is not None and all(x is not None for x in effects[:i]) else "the shape the row before it states"
            out.append((row.line, row.shape_text, _shape_judgement(row, e.shape, e.config, f"{how} on {src}")))
        if len(params) == 1 and row.params is not None:
            out.append((row.line, row.params_text, _param_judgement(row, e, how)))
        elif len(params) == 1 and row.params_text == "--" and e.params == 0:  # torchinfo's mark of no parameters
            out.append((row.line, row.params_text, Judgement("CORRECT", "param_count", f"summary row {row.name!r}: "
                        f"no parameters ({how}: {e.config}; derive)", expected="0")))
    return out


def _conv_readings(c_in: int, c_out: int, p: int) -> list[tuple[bool, int, int]]:
    """``(bias, groups, kernel area)`` for which a convolution from ``c_in`` to ``c_out`` channels holds ``p``
    parameters (asked of derive's count for each reading)."""
    from derive import layers

    out = []
    for bias in (True, False):
        for g in range(1, min(c_in, c_out) + 1):
            if c_in % g or c_out % g:
                continue
            unit = layers.Conv2d(c_in, c_out, 1, groups=g, bias=False).params  # weights of a 1×1 kernel
            rest = p - (c_out if bias else 0)
            if rest > 0 and rest % unit == 0:
                k_area = rest // unit
                if layers.Conv2d(c_in, c_out, (1, k_area), groups=g, bias=bias).params == p:
                    out.append((bias, g, k_area))
    return out


def _evidence_rows(s: ModelSummary, rows: list[SummaryRow]) -> list[tuple[int, str, Judgement]]:
    """Rows judged from the rows alone (no model code bound)."""
    from derive import layers

    chain = s.style == "keras" and not s.connected
    channels_last = s.style == "keras"
    out = []
    for i, row in enumerate(rows):
        kind = canonical(row.kind)
        prev = rows[i - 1].shape[1:] if i and rows[i - 1].shape else None
        own = row.shape[1:] if row.shape else None
        name = f"summary row {row.name!r}"
        if kind in ZERO_PARAM and row.params is not None:
            ok = row.params == 0
            out.append((row.line, row.params_text, Judgement(
                "CORRECT" if ok else "INCORRECT", "param_count",
                f"{name}: a {row.kind} layer has no learnable parameters" + ("" if ok else f", not {row.params_text}"),
                counterexample=None if ok else {"values": {"layer": row.name}, "document": row.params_text, "expected": 0},
                expected="0")))
        if prev is None or own is None or None in prev or None in own:
            continue
        if kind in SHAPE_KEEPING or kind == "flatten":
            want = prev if kind != "flatten" else (math.prod(prev),)
            what = "keeps the shape of its input" if kind != "flatten" else "flattens its input"
            if own == tuple(want):
                out.append((row.line, row.shape_text, Judgement("CORRECT", "output_shape", f"{name}: a {row.kind} layer "
                            f"{what}: {_show((None, *want))}", expected=_show((None, *want)))))
            elif chain:
                out.append((row.line, row.shape_text, Judgement(
                    "INCORRECT", "output_shape", f"{name}: a {row.kind} layer {what}, the row before it in this "
                    f"sequential model gives {_show((None, *prev))}, so {_show((None, *want))}, not {row.shape_text}",
                    counterexample={"values": {"layer": row.name, "input": _show((None, *prev))},
                                    "document": row.shape_text, "expected": _show((None, *want))},
                    expected=_show((None, *want)))))
        if row.params is None:
            continue
        if kind == "batchnorm":
            c = own[-1] if channels_last else own[0]
            bn = layers.BatchNorm2d(c)
            moving = sum(math.prod(sh) for sh in bn.buffer_shapes.values() if len(sh) == 1)
            want_p = int(bn.params) + (int(moving) if channels_last else 0)
            if row.params == want_p:
                out.append((row.line, row.params_text, Judgement("CORRECT", "param_count", f"{name}: batch "
                            f"normalisation of {c} channels holds {_fmt(want_p)} parameters"
                            + (" (γ, β and the moving mean and variance)" if channels_last else " (γ and β)"),
                            expected=str(want_p))))
        elif kind == "dense":
            n_in = prev[-1] if (channels_last or len(prev) == len(own)) else math.prod(prev)
            units = own[-1]
            full, nob = int(layers.Linear(n_in, units).params), int(layers.Linear(n_in, units, bias=False).params)
            conf = f"{n_in}→{units} features, from the shapes of this row and the row before"
            if row.params == full:
                out.append((row.line, row.params_text, Judgement("CORRECT", "param_count", f"{name}: {conf}: "
                            f"{_fmt(full)} parameters with the default bias", expected=str(full))))
            elif row.params == nob and chain:
                out.append((row.line, row.params_text, Judgement(
                    "CONDITIONAL", "param_count", f"{name}: {_fmt(nob)} is the count of {conf} without bias; with the "
                    f"framework's default bias it is {_fmt(full)}", condition="holds without bias",
                    counterexample={"values": {"layer": row.name, "config": conf}, "document": row.params_text,
                                    "expected": full}, expected=str(full))))
            elif chain:
                out.append((row.line, row.params_text, Judgement(
                    "INCORRECT", "param_count", f"{name}: {conf}: {_fmt(full)} parameters ({_fmt(nob)} without bias), "
                    f"not {row.params_text}", counterexample={"values": {"layer": row.name, "config": conf},
                                                             "document": row.params_text, "expected": full},
                    expected=str(full))))
        elif kind in ("conv2d", "conv1d") and len(own) == len(prev):
            c_in, c_out = (prev[-1], own[-1]) if channels_last else (prev[0], own[0])
            readings = _conv_readings(c_in, c_out, row.params)
            squares = [(b, g, a) for b, g, a in readings if g == 1 and b and math.isqrt(a) ** 2 == a
                       and kind == "conv2d"] or [(b, g, a) for b, g, a in readings if g == 1 and b and kind == "conv1d"]
            conf = f"{c_in}→{c_out} channels, from the shapes of this row and the row before"
            if len(squares) == 1:
                a = squares[0][2]
                k = f"{math.isqrt(a)}×{math.isqrt(a)}" if kind == "conv2d" else str(a)
                out.append((row.line, row.params_text, Judgement("CORRECT", "param_count", f"{name}: {conf}: "
                            f"{_fmt(row.params)} parameters is a {k} kernel with the default bias (bound by evidence: "
                            "the model's code is not in the document)", expected=str(row.params))))
            elif not readings and chain:
                out.append((row.line, row.params_text, Judgement(
                    "INCORRECT", "param_count", f"{name}: {conf}: no kernel size, grouping or bias gives "
                    f"{row.params_text} parameters (a count is K·{c_in}·{c_out}/g, plus {c_out} with bias)",
                    counterexample={"values": {"layer": row.name, "config": conf}, "document": row.params_text,
                                    "expected": f"K·{c_in}·{c_out}/g (+{c_out})"})))
    return out


def _rounded_ok(stated: Fraction, truth: Fraction, text: str) -> bool:
    dec = len(text.split(".")[1]) if "." in text else 0
    return abs(Fraction(stated) - truth) <= Fraction(1, 2 * 10 ** dec) + Fraction(1, 10 ** (dec + 6))


def _footer(s: ModelSummary, rows: list[SummaryRow], bound: list | None, sizes: list) -> list[tuple[int, str, Judgement]]:
    out = []
    f = s.footer
    counts = [r.params for r in rows]
    known = all(c is not None or canonical(r.kind) in ZERO_PARAM for c, r in zip(counts, rows))
    total_rows = sum(c or 0 for c in counts)
    tot = f.get("total params")

    def verdict(item, truth, what: str, quantity: str = "table_total", ok=None):
        ok = (item.value == truth) if ok is None else ok
        shown = _fmt(truth) if isinstance(truth, int) else f"{float(truth):.4g}"
        if ok:
            return (item.line, item.text, Judgement("CORRECT", quantity, f"summary: {item.text} — {what}",
                                                    expected=str(truth)))
        return (item.line, item.text, Judgement("INCORRECT", quantity, f"summary: {what} is {shown}, not "
                                                f"{item.text.split(':', 1)[1].strip()}",
                                                counterexample={"values": {"rows": len(rows)}, "document": item.text,
                                                                "expected": truth}, expected=str(truth)))

    if tot is not None and known and len(rows) >= 1:
        out.append(verdict(tot, total_rows, f"the sum of the {len(rows)} rows' parameters"))
    tr, nt = f.get("trainable params"), f.get("non-trainable params")
    if tr is not None and nt is not None and tot is not None:
        if bound is not None:
            trainable = sum(e.trainable for e in bound)
            out.append(verdict(tr, trainable, "the trainable parameters of the rows (derive)"))
            out.append(verdict(nt, sum(e.params - e.trainable for e in bound),
                               "the parameters that are not trained (in Keras, batch norm's moving mean and variance)"))
        elif tr.value + nt.value != tot.value:
            out.append(verdict(nt, tot.value - tr.value, "Total − Trainable"))
        else:
            out.append(verdict(nt, nt.value, "Trainable + Non-trainable = Total"))
    for key in ("total params", "trainable params", "non-trainable params"):
        item = f.get(key)
        if item is not None and item.size is not None:
            value, unit = item.size
            truth = Fraction(item.value * 4, _UNITS[unit])
            text = item.text.split("(")[-1]
            ok = _rounded_ok(value, truth, text.split()[0])
            out.append((item.line, item.text, Judgement(
                "CORRECT" if ok else "INCORRECT", "memory",
                f"summary: {_fmt(item.value)} parameters at 4 bytes (float32) are {float(truth):.2f} {unit}"
                + ("" if ok else f", not {value} {unit}"), expected=f"{float(truth):.2f} {unit}",
                counterexample=None if ok else {"values": {"params": item.value}, "document": f"{value} {unit}",
                                                "expected": f"{float(truth):.2f} {unit}"})))
    fb = f.get("forward/backward pass size (mb)")
    if fb is not None and s.style == "torchsummary" and all(r.shape for r in s.rows):
        # torchsummary: every row's output and its gradient, 4 bytes (float32) each
        values = sum(math.prod(v if v is not None else 1 for v in r.shape) for r in s.rows)
        truth = Fraction(2 * values * 4, _MB)
        out.append(verdict(fb, truth, f"the {len(s.rows)} rows' outputs and their gradients ({_fmt(2 * values)} values) "
                           "at 4 bytes (float32) in MB", "memory",
                           ok=_rounded_ok(fb.value, truth, fb.text.split(":")[1].strip())))
    isz = f.get("input size (mb)")
    before = [size for line, size, batch in sizes if line < s.header_line and not batch]
    if isz is not None and s.style == "torchsummary" and before:
        truth = Fraction(math.prod(before[-1]) * 4, _MB)
        out.append(verdict(isz, truth, f"the input {before[-1]} at 4 bytes (float32) in MB", "memory",
                           ok=_rounded_ok(isz.value, truth, isz.text.split(":")[1].strip())))
    ps = f.get("params size (mb)")
    if ps is not None and tot is not None:
        truth = Fraction(tot.value * 4, _MB)
        out.append(verdict(ps, truth, f"{_fmt(tot.value)} parameters at 4 bytes (float32) in MB (2²⁰ bytes)", "memory",
                           ok=_rounded_ok(ps.value, truth, ps.text.split(":")[1].strip())))
    parts = [f.get(k) for k in ("input size (mb)", "forward/backward pass size (mb)", "params size (mb)")]
    est = f.get("estimated total size (mb)")
    if est is not None and all(parts):
        truth = sum(Fraction(p.value) for p in parts)
        dec = max(len(p.text.split(":")[1].strip().split(".")[-1]) for p in parts)
        ok = abs(Fraction(est.value) - truth) <= Fraction(len(parts) + 1, 2 * 10 ** dec)
        out.append(verdict(est, truth, "the sum of the input, forward/backward pass and parameter sizes", "memory", ok=ok))
    return out


def summary_findings(lines: list[tuple[int, str]]) -> list[tuple[int, str, Judgement]]:
    """``(line, cell text, judgement)`` for every checked cell of every model summary among ``lines``."""
    summaries = find_summaries(lines)
    if not summaries:
        return []
    calls = layer_calls(lines)
    sizes = input_size_calls(lines)
    out = []
    for s in summaries:
        rows = _leaves(s)
        if not rows:
            continue
        before = [c for c in calls if c.line < s.header_line]
        windows = _windows(rows, before)
        bound = None
        if windows:
            found = _bound_rows(s, rows, windows, sizes, before)
            start = _input_shape(windows[-1], s, sizes, before)
            effects = _expected(windows[-1], rows, start)
            trainable_known = all(e is not None for e in effects) and not any(
                _FREEZE.search(t) for _, t in lines) and len(windows) == 1
            bound = effects if trainable_known else None
        else:
            found = _evidence_rows(s, rows)
        out += found
        out += _footer(s, rows, bound, sizes)
    return sorted(out, key=lambda t: t[0])
