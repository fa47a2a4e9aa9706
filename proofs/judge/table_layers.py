r"""Tables of layers with one column per hyperparameter: each row's output size and parameter count recomputed.

The columns are named by the header's words (:data:`COLUMNS`: "kernel"/"filter size", "stride",
"padding", "filters"/"channels"/"depth"/"feature maps", "output size"/"shape"/"size", "params"/"weights");
the row's layer kind comes from its name ("conv", "pool", "fc"/"dense"). A row's output size is
recomputed with ``derive`` from the size the row before it states (or the row's own "input" column) and the row's kernel, stride and
padding: exactly when the padding is given, else over every padding a layer of that kernel can have
(``0…k−1`` per side for a convolution, ``0…⌊k/2⌋`` with floor or ceiling for a pooling) — CORRECT when
the stated size is among them (the reading named), INCORRECT when no padding gives it. A convolution's
parameter count is recomputed from the channels of the row before it, its filters and its kernel (with
or without bias: :func:`proofs.statement.decide`), a dense layer's from the sizes of the two rows.

Examples
--------
>>> rows = [(1, ["Layer", "Maps", "Size", "Kernel", "Stride", "Params"]), (3, ["Input", "1", "32×32", "-", "-", "-"]),
...         (4, ["Conv 1", "6", "28×28", "5×5", "1", "156"]), (5, ["Avg pool", "6", "14×14", "2×2", "2", "0"]),
...         (6, ["Conv 2", "16", "11×11", "5×5", "1", "2,416"])]
>>> [(n, j.quantity, j.verdict) for n, _, j in layer_table_findings(rows)]
[(4, 'output_size', 'CORRECT'), (4, 'param_count', 'CORRECT'), (5, 'output_size', 'CORRECT'), (6, 'output_size', 'INCORRECT'), (6, 'param_count', 'CORRECT')]
"""

from __future__ import annotations

import math
import re

from ..statement import Statement, decide
from .judgement import Judgement

__all__ = ["COLUMNS", "layer_table_findings", "chain_rows"]

#: header words -> the role of the column (first match wins)
COLUMNS = (
    ("params", r"param|#\s*weights|\bweights\b"),
    ("memory", r"memory|activations|\bmem\b|activation\s*(?:size|count)|#\s*(?:of\s*)?activation"),
    ("flops", r"flops|\bmacs?\b|mult-?adds|\bops\b|operations|compute"),
    ("kernel", r"kernel(?!s\b)|filter\s*(?:size|shape|dim)|^\W*filter\W*$|\bksize|window|patch|\bf\s*(?:×|x)\s*f\b|receptive"),
    ("stride", r"stride"),
    ("padding", r"pad"),
    ("channels", r"filters|channels|depth|feature\s*maps|\bmaps\b|#\s*kernels|kernels"),
    ("input", r"\binput\b"),
    ("size", r"output\s*(?:size|shape|dim)|\bshape\b|\bsize\b|\boutput\b|dimension|feature\s*map\s*size|\btensors?\b"),
    ("layer", r"layer|type|name|operation|block|stage"),
)
_EMPTY = {"", "-", "—", "–", "n/a", "none", "·"}


def _roles(header: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c, h in enumerate(header):
        h = re.sub(r"[*_$`]", "", h).lower()
        for role, rx in COLUMNS:
            if re.search(rx, h):
                if role in out:
                    return {}  # two columns claim one role: the table is not read
                out[role] = c
                break
    return out


def _ints(cell: str) -> tuple | None:
    from .tables import _cell_text

    t = re.sub(r"[*_$`\\]|\{,\}|times|\s", lambda m: "×" if m.group(0) == "times" else "", _cell_text(cell))
    t = t.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", t) else t
    parts = re.split(r"[×x*,]", t.strip("()[]"))
    if not parts or not all(re.fullmatch(r"\d+", p) for p in parts):
        return None
    return tuple(int(p) for p in parts)


def _kind(name: str) -> str | None:
    n = name.lower()
    if re.search(r"pool", n) and re.search(r"conv", n):
        return None  # two layers in one row
    if re.search(r"pool", n):
        return "avg_pool" if re.search(r"avg|average|mean", n) else "max_pool"
    if re.search(r"conv", n):
        return "conv"
    if re.search(r"\bfc\b|fully|dense|linear|\bf\d|\bfc\d", n):
        return "dense"
    return None


def _spatial(size: tuple, channels: int | None) -> tuple | None:
    """The spatial part of a stated size (``28×28``; ``28×28×6`` / ``6×28×28`` with 6 the channels)."""
    if len(size) == 2 or len(size) == 1:
        return size
    if len(size) == 3 and channels is not None:
        if size[-1] == channels and size[0] != channels:
            return size[:2]
        if size[0] == channels and size[-1] != channels:
            return size[1:]
    return None


def _sizes(op: str, size: int, k: int, s: int, pad) -> dict:
    """Output size -> the first reading that gives it (derive), over the paddings allowed."""
    from derive.sizes.output_size import output_size

    pads = [pad] if pad is not None else (range(k) if op == "conv" else range(k // 2 + 1))
    ceils = [False] if op == "conv" or pad is not None else [False, True]
    out: dict = {}
    for p in pads:
        for ceil in ceils:
            try:
                v = int(output_size(op, size, k, s, p, ceil_mode=ceil))
            except (ValueError, TypeError):
                continue
            out.setdefault(v, f"padding {p}" + (", ceiling" if ceil else ""))
    return out


def layer_table_findings(rows: list[tuple[int, list[str]]], letters: dict | None = None) -> list[tuple[int, str, Judgement]]:
    """``(line, cell, judgement)`` for the output sizes and parameter counts of a table of layers; ``letters`` (the
    document's notation, letter -> role) reads one-letter headers (``f``, ``s``, ``p``)."""
    from .layer_letters import spelled_header

    roles = _roles(spelled_header(rows[0][1], letters))
    if "layer" not in roles or not ({"size", "params"} & set(roles)) or not ({"kernel", "channels"} & set(roles)):
        return []

    def cell(cells, role):
        c = roles.get(role)
        return cells[c].strip() if c is not None and c < len(cells) else ""

    out = []
    before, prev_flat, prev_ch = None, None, None  # the spatial size, number of values and channels of the row above
    for line, cells in rows[1:]:
        from .layer_chain import repeated

        name = cell(cells, "layer")
        kind = _kind(name) if not repeated(name) else None
        ch = _ints(cell(cells, "channels"))
        ch = ch[0] if ch and len(ch) == 1 else None
        size = _ints(cell(cells, "size"))
        k = _ints(cell(cells, "kernel"))
        s = _ints(cell(cells, "stride"))
        ptxt = cell(cells, "padding").lower()
        pad = (_ints(ptxt) or (None,))[0] if ptxt not in _EMPTY and ptxt not in ("same", "valid") else (0 if ptxt == "valid" else None)
        if ptxt == "same":
            pad = "SAME"
        here = _spatial(size, ch) if size else None
        if "input" in roles:  # each row states its own input: rows are not a chain
            given = _ints(cell(cells, "input"))
            before = _spatial(given, None) if given and len(given) in (1, 2) else (
                given[:2] if given and len(given) == 3 and given[0] == given[1] else (
                    given[1:] if given and len(given) == 3 and given[1] == given[2] else None))
        if kind in ("conv", "max_pool", "avg_pool") and here and before and k and s and len(s) == 1 and len(k) in (1, 2) \
                and len(here) == len(before) == 2 and (len(k) == 1 or k[0] == k[1]):
            readings = _sizes("conv" if kind == "conv" else kind, before[0], k[0], s[0], pad)
            got = here[0]
            if readings and len({*here}) == 1 and len({*before}) == 1:
                conf = f"{'×'.join(map(str, before))} input, kernel {k[0]}, stride {s[0]}"
                if got in readings:
                    out.append((line, cell(cells, "size"), Judgement(
                        "CORRECT", "output_size", f"table row {name!r}: {conf} gives {got} "
                        f"({readings[got]}; derive)", expected=str(got))))
                else:
                    shown = ", ".join(f"{v} ({r})" for v, r in sorted(readings.items())[:4])
                    out.append((line, cell(cells, "size"), Judgement(
                        "INCORRECT", "output_size", f"table row {name!r}: {conf} gives "
                        f"{shown}{' …' if len(readings) > 4 else ''} — no padding gives {got}",
                        counterexample={"values": {"input": before[0], "kernel": k[0], "stride": s[0],
                                                   "padding": pad if pad is not None else "any"},
                                        "document": got, "expected": min(readings, key=lambda v: abs(v - got))},
                        expected=str(min(readings, key=lambda v: abs(v - got))))))
        ptxt_p = cell(cells, "params")
        from .layer_chain import composite

        value = _ints(ptxt_p) if not composite(name) else None
        if value and len(value) == 1 and kind == "conv" and k and ch and prev_ch:
            kernel = (k[0], k[0]) if len(k) == 1 else k
            j = decide(Statement("param_count", {"channels_in": prev_ch, "channels_out": ch, "kernel": kernel},
                                 value[0], evidence=f"row {name!r}, channels in from the row before"))
            from .layer_chain import sparse_reading

            if j.verdict != "UNRECOGNIZED" and not (j.verdict == "INCORRECT" and sparse_reading(value[0], kernel[0], prev_ch, ch)
                                                    and kernel[0] == kernel[1]):
                j.explanation = f"table row {name!r}: {j.explanation}"
                out.append((line, ptxt_p, j))
        elif value and len(value) == 1 and kind == "dense" and prev_flat and (ch or size):
            from derive import layers

            n_in, n_out = prev_flat, (ch or math.prod(size))
            full, nob = int(layers.Linear(n_in, n_out).params), int(layers.Linear(n_in, n_out, bias=False).params)
            if value[0] in (full, nob):
                out.append((line, ptxt_p, Judgement("CORRECT", "param_count", f"table row {name!r}: {n_in}→{n_out} "
                            f"features, {'with' if value[0] == full else 'without'} bias (derive)", expected=str(value[0]))))
            else:
                out.append((line, ptxt_p, Judgement(
                    "INCORRECT", "param_count", f"table row {name!r}: {n_in}→{n_out} features hold {full:,} "
                    f"parameters ({nob:,} without bias), not {ptxt_p}",
                    counterexample={"values": {"in": n_in, "out": n_out}, "document": ptxt_p, "expected": full},
                    expected=str(full))))
        if size:
            before = here
            with_channels = len(size) == 3 or (len(size) == 1 and ch is None)
            prev_flat = math.prod(size) * (1 if with_channels or ch is None else ch) if (with_channels or ch) else None
            if len(size) == 1 and ch is not None and kind != "dense":
                prev_flat = size[0] * size[0] * ch  # one side beside a channel column: a square map
            elif len(size) == 1 and ch == size[0] and kind == "dense":
                prev_flat = size[0]  # a dense layer's units, written in both columns
            prev_ch = ch if ch is not None else (size[-1] if len(size) == 3 else None)
            if any(n == line and j.quantity == "output_size" and j.verdict == "INCORRECT" for n, _, j in out[-3:]):
                before = None  # a wrong size is not the next row's input: the chain stops
        else:
            before, prev_flat = None, None
            prev_ch = ch if ch is not None else prev_ch
    return out


def chain_rows(rows: list[tuple[int, list[str]]], letters: dict | None = None) -> list:
    """The table as a described network (:class:`proofs.judge.layer_chain.LayerRow` per row), read by its header's
    words; ``[]`` when the header names no layer column and no shape, parameter or memory column.

    >>> rows = [(1, ["Layer", "Output shape", "Params"]), (2, ["input", "8×8×3", "0"]), (3, ["conv3-4", "8×8×4", "112"])]
    >>> [(r.line, r.name, r.shape, r.params) for r in chain_rows(rows)]
    [(2, 'input', ('?', (8, 8, 3)), '0'), (3, 'conv3-4', ('?', (8, 8, 4)), '112')]
    """
    from .layer_chain import LayerRow, kind_of, memory_unit, parse_shape
    from .layer_letters import spelled_header

    header = spelled_header(rows[0][1], letters)
    layer_rx = dict(COLUMNS)["layer"]
    named = [c for c, h in enumerate(header) if re.search(layer_rx, re.sub(r"[*_$`]", "", h).lower())
             and not any(re.search(rx, re.sub(r"[*_$`]", "", h).lower()) for role, rx in COLUMNS[:-1])]
    roles = _roles(header)
    if not roles and len(named) > 1 and not all(all(c < len(cells) and re.fullmatch(r"\W*\d+\W*", cells[c])
                                                    for _, cells in rows[1:]) for c in named[1:2]):
        # "Layer" and "Type" both name the layer: the first is the name, the others describe it
        roles = _roles([("" if c in named[1:] else h) for c, h in enumerate(header)])
    if not roles:  # two columns claim a role: an index column ("Layer": 1, 2, 3 beside "Name") is set aside
        index = {c for c in range(len(header)) if all(c < len(cells) and re.fullmatch(r"\W*\d+\W*", cells[c])
                                                      for _, cells in rows[1:])}
        roles = _roles([("" if c in index else h) for c, h in enumerate(header)])
    if not roles or not ({"size", "params", "memory"} & set(roles)):
        return []
    if "memory" in roles and "size" not in roles and sum(
            1 for _, cells in rows[1:] if roles["memory"] < len(cells) and (parse_shape(cells[roles["memory"]]) or ("",))[0]
            not in ("", "flat")) * 2 > len(rows) - 1:
        roles["size"] = roles.pop("memory")  # an "activation size" column of shapes ((28,28,6)) states the shapes
    if "layer" not in roles:
        if 0 in roles.values():
            return []
        roles["layer"] = 0
    unit = header[roles["memory"]].lower() if "memory" in roles and roles["memory"] < len(header) else ""
    ops_head = header[roles["flops"]] if "flops" in roles and roles["flops"] < len(header) else ""
    # a column without a role whose cells name layers ("Conv2d k=7 p=3 s=2") describes the row's layer too
    free = [c for c in range(len(header)) if c not in roles.values()]
    described = [c for c in free if sum(1 for _, cells in rows[1:] if c < len(cells) and kind_of(cells[c]))
                 * 2 > len(rows) - 1 or (c in named and c != roles.get("layer"))]
    out = []
    for line, cells in rows[1:]:
        def cell(role):
            c = roles.get(role)
            return cells[c].strip() if c is not None and c < len(cells) else ""

        name = re.sub(r"\*\*|__|[*`]|\\textbf|\\texttt|\\text", "", cell("layer")).strip()
        desc = " ".join(cells[c].strip() for c in described if c < len(cells) and cells[c].strip() not in _EMPTY)
        label = f"{name} ({desc})" if desc and name else ""
        name = desc or name
        if re.match(r"(?i)\W*(?:total|sum|overall)\b", name):
            continue
        size = cell("size")
        k, s = _ints(cell("kernel")), _ints(cell("stride"))
        ptxt = cell("padding").lower().strip("$` ")
        pad = 0 if ptxt == "valid" else "SAME" if ptxt == "same" else (_ints(ptxt) or (None,))[0]
        ch = _ints(cell("channels"))
        given = cell("input")
        out.append(LayerRow(line, name, shape=parse_shape(size) if size and size not in _EMPTY else None,
                            input=parse_shape(given) if given and given not in _EMPTY else None,
                            kernel=k[0] if k and (len(set(k)) == 1 or (len(k) in (3, 4) and k[0] == k[1])) else None, stride=s[0] if s and len(set(s)) == 1 else None,
                            padding=pad, channels=ch[0] if ch and len(ch) == 1 else None,
                            params=cell("params") or None, memory=cell("memory") or None, shape_text=size, label=label,
                            ops=cell("flops") or None, ops_unit="macs" if re.search(r"(?i)mac|mult", ops_head) else "flops",
                            memory_unit=memory_unit(unit),
                            notes={"described": " ".join(cells[c] for c in free if c < len(cells))}))
    return out
