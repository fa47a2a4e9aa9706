r"""Layer listings written as labelled fields, one layer a line, with TOTAL lines:
``CONV3-64: [224x224x64]  memory: 224*224*64=3.2M  weights: (3*3*3)*64 = 1,728`` … ``TOTAL memory: 24M``.

Each line gives a layer's output shape in brackets and fields named by a word (``memory``, ``weights``,
``params``). Checked, with the line named:

* a ``memory`` field counts the values of the layer's output: it is the product of the shape (derive's
  flatten), within the rounding of the number as written (``3.2M``, ``800K``: trailing zeros are not
  taken as significant);
* a dense layer's (``FC``) ``weights`` are the values of the row before it times its units (with or
  without bias); a pooling layer's are 0;
* a ``TOTAL`` line is the sum of its field over the listing, from the exact products and counts of the
  rows, within the rounding of the total as written.

>>> rows = ["INPUT: [8x8x3]   memory: 8*8*3=192   weights: 0", "CONV: [8x8x4]  memory: 8*8*4=256  weights: (3*3*3)*4 = 108",
...         "POOL: [4x4x4]  memory: 4*4*4=64  weights: 0", "FC: [1x1x10]  memory: 10  weights: 4*4*4*10 = 640",
...         "TOTAL memory: 0.5K", "TOTAL params: 800 parameters"]
>>> [(n, j.quantity, j.verdict) for n, _, j in listing_findings(list(enumerate(rows, 1)))]  # doctest: +NORMALIZE_WHITESPACE
[(1, 'activations', 'CORRECT'), (2, 'activations', 'CORRECT'), (3, 'activations', 'CORRECT'), (3, 'param_count', 'CORRECT'),
 (4, 'activations', 'CORRECT'), (4, 'param_count', 'CORRECT'), (5, 'table_total', 'CORRECT'), (6, 'table_total', 'INCORRECT')]
>>> listing_findings(list(enumerate(rows, 1)))[-1][2].explanation
'listing: the weights of the rows sum to 748, not 800'
"""

from __future__ import annotations

import re
from fractions import Fraction

from .judgement import Judgement

__all__ = ["listing_findings"]

_ROW = re.compile(r"^\s*([A-Za-z][\w\-]*)\s*:\s*\[\s*(\d+)\s*[x×]\s*(\d+)\s*[x×]\s*(\d+)\s*\](.*)$")
_FIELD = re.compile(r"(?i)\b(memory|weights|params|parameters)\s*:\s*(.*?)(?=\s+[A-Za-z]+\s*:|$)")
_TOTAL = re.compile(r"(?i)^\s*total\s+(memory|weights|params|parameters)\s*:\s*([\d.,]+\s*[KMGB]?)\b")
_NUM = re.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([KMG])?\s*$")
_SCALE = {None: 1, "K": 10 ** 3, "M": 10 ** 6, "G": 10 ** 9, "B": 10 ** 9}


def _value(text: str) -> tuple[Fraction, Fraction] | None:
    """``(value, half of the last significant place)`` of ``3.2M`` / ``800K``; ``(1728, 0)`` for ``1,728`` (exact)."""
    m = _NUM.match(text)
    if not m:
        return None
    digits, scale = m.group(1).replace(",", ""), _SCALE[m.group(2)]
    value = Fraction(digits) * scale
    if "." in digits:
        place = Fraction(1, 10 ** len(digits.split(".")[1]))
    else:
        stripped = digits.rstrip("0")
        place = Fraction(10 ** (len(digits) - len(stripped))) if stripped else Fraction(1)
    return value, place * scale / 2 if m.group(2) else Fraction(0)  # a plain integer is an exact count


def _stated(field: str) -> str:
    """The value a field states: after its last ``=``, else the whole field."""
    return field.rsplit("=", 1)[-1].strip()


def _fmt(x) -> str:
    return f"{int(x):,}" if Fraction(x).denominator == 1 else str(float(x))


def listing_findings(lines: list[tuple[int, str]]) -> list[tuple[int, str, Judgement]]:
    """``(line, field text, judgement)`` for the fields and totals of every listing of three or more layers."""
    from derive import layers

    rows = []
    for n, t in lines:
        m = _ROW.match(t)
        if m:
            shape = tuple(int(g) for g in m.group(2, 3, 4))
            fields = {f.group(1).lower().replace("parameters", "params").replace("weights", "params"): f.group(2).strip()
                      for f in _FIELD.finditer(m.group(5))}
            rows.append((n, m.group(1), shape, fields))
            continue
        tm = _TOTAL.match(t)
        if tm and len(rows) >= 3:
            yield_total = (n, tm.group(1).lower().replace("parameters", "params").replace("weights", "params"),
                           tm.group(2).strip(), t.strip())
            rows.append(yield_total)
    out = []
    sums: dict[str, Fraction] = {}
    exact: dict[str, bool] = {"memory": True, "params": True}
    prev = None
    layer_rows = [r for r in rows if len(r) == 4 and isinstance(r[2], tuple)]
    if len(layer_rows) < 3:
        return []
    for r in rows:
        if len(r) == 4 and isinstance(r[2], tuple):
            n, name, shape, fields = r
            entries = int(layers.Flatten().output_shape((1, *shape))[-1])
            sums["memory"] = sums.get("memory", Fraction(0)) + entries
            mem = fields.get("memory")
            if mem is not None:
                v = _value(_stated(mem))
                if v is not None:
                    ok = abs(v[0] - entries) <= v[1]
                    out.append((n, mem, Judgement(
                        "CORRECT" if ok else "INCORRECT", "activations",
                        f"listing row {name!r}: the output {'×'.join(map(str, shape))} holds {entries:,} values"
                        + ("" if ok else f", not {_stated(mem)}"), expected=str(entries),
                        counterexample=None if ok else {"values": {"shape": shape}, "document": _stated(mem),
                                                        "expected": entries})))
            par = fields.get("params")
            pv = _value(_stated(par)) if par is not None else None
            if pv is None:
                exact["params"] = False  # a row without a count: its total is not the sum of what is written
            if pv is not None:
                sums["params"] = sums.get("params", Fraction(0)) + pv[0]
                exact["params"] &= pv[1] == 0
                kind = name.lower()
                want = None
                if re.match(r"pool", kind):
                    want = {0: "a pooling layer has no weights"}
                elif re.match(r"fc|dense|linear", kind) and prev is not None and shape[0] == shape[1] == 1:
                    n_in = int(layers.Flatten().output_shape((1, *prev))[-1])
                    lin, nob = layers.Linear(n_in, shape[2]), layers.Linear(n_in, shape[2], bias=False)
                    want = {int(nob.params): f"{n_in}→{shape[2]} features without bias",
                            int(lin.params): f"{n_in}→{shape[2]} features with bias"}
                if want is not None:
                    ok = pv[0] in want and pv[1] == 0
                    shown = " or ".join(f"{v:,} ({w})" for v, w in want.items())
                    out.append((n, par, Judgement(
                        "CORRECT" if ok else "INCORRECT", "param_count",
                        f"listing row {name!r}: " + (want[int(pv[0])] if ok else f"{shown}, not {_stated(par)}")
                        + " (derive)", expected=str(int(pv[0])) if ok else str(min(want)),
                        counterexample=None if ok else {"values": {"layer": name}, "document": _stated(par),
                                                        "expected": min(want)})))
            prev = shape
        else:
            n, field, text, src = r
            v = _value(text.replace(" ", ""))
            total = sums.get(field)
            if v is None or total is None or (field == "params" and not exact["params"]):
                continue
            ok = abs(v[0] - total) <= v[1]
            what = "values of the layers' outputs" if field == "memory" else "weights of the rows"
            out.append((n, src, Judgement(
                "CORRECT" if ok else "INCORRECT", "table_total",
                f"listing: the {what} sum to {_fmt(total)}" + ("" if ok else f", not {text}"), expected=_fmt(total),
                counterexample=None if ok else {"values": {"rows": len(layer_rows)}, "document": text,
                                                "expected": _fmt(total)})))
    return out
