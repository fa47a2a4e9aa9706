r"""A described network — the rows of a table or the labels of a figure — checked layer by layer with ``derive``.

Each :class:`LayerRow` is what a document says about one layer: its name (``conv3-64``, ``max pool 2×2 /2``,
``fc 4096``), the hyperparameters it gives (kernel, stride, padding, filters), the output shape it states
(``224×224×64``, ``64@112×112``, ``(64, 112, 112)``) and, as written, its parameter count and its memory.
:func:`chain_findings` walks the rows in order and checks every value the rows *determine*:

* the **output size** of a convolution or pooling from the shape the row before states: exactly when the
  stride and padding are given; when the padding is not, over the paddings such a layer can have
  (``0…k−1`` per side for a convolution, ``0…⌊k/2⌋`` with floor or ceiling for a pooling) — CORRECT naming the
  reading that gives it, INCORRECT only when none does. A convolution without a stated stride is read with
  stride 1 only for CORRECT (no stride gives INCORRECT); a pooling's stride is its window; a pooling with
  no window halving the size is CORRECT as "2×2, stride 2" and UNRECOGNIZED otherwise;
* the **channels**: a pooling, an activation or a normalisation keeps them; a convolution has its filters;
* the **parameter count** of a convolution (``k²·C_in·C_out``, with or without bias, by
  :func:`proofs.statement.decide`), of a dense layer (from the two shapes), of a pooling (0);
* the **memory** (values held by the output): the product of the stated shape, within the rounding of
  the number as written (``3.2M``; ×4 bytes accepted when the header speaks of bytes).

Transitions whose layer is not determined (no kernel for a convolution, no layer between two shapes)
are not judged, or UNRECOGNIZED naming what is missing.

Examples
--------
>>> rows = [LayerRow(1, "input", shape=parse_shape("32×32×3")), LayerRow(2, "conv3-16", shape=parse_shape("32×32×16"),
...         params="448"), LayerRow(3, "max pool 2×2", shape=parse_shape("16×16×16"), memory="4K"),
...         LayerRow(4, "fc 10", shape=parse_shape("10"), params="40,970")]
>>> [(n, j.quantity, j.verdict) for n, _, j in chain_findings(rows)]  # doctest: +NORMALIZE_WHITESPACE
[(2, 'output_size', 'CORRECT'), (2, 'param_count', 'CORRECT'), (3, 'output_size', 'CORRECT'), (3, 'activations', 'CORRECT'),
 (4, 'param_count', 'CORRECT')]
>>> rows[2] = LayerRow(3, "max pool 2×2", shape=parse_shape("15×15×16"))
>>> [(n, j.verdict) for n, _, j in chain_findings(rows) if j.quantity == "output_size"]
[(2, 'CORRECT'), (3, 'INCORRECT')]
>>> describe("CONV3-64"), describe("3x3 conv, 128, /2"), describe("Max-Pool 3×3 stride 2")
(('conv', 3, None, 64), ('conv', 3, 2, 128), ('max_pool', 3, 2, None))
>>> parse_shape("64@112×112"), parse_shape("$224 \\times 224 \\times 3$"), parse_shape("(None, 26, 26, 32)")
(('chw', (64, 112, 112)), ('?', (224, 224, 3)), ('hwc', (26, 26, 32)))
>>> parse_shape("$56^2 \\times 128$"), parse_shape("28² × 6")
(('?', (56, 56, 128)), ('?', (28, 28, 6)))
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction

from .judgement import Judgement

__all__ = [
    "forward_order", "LayerRow", "chain_findings", "describe", "padding_in", "parse_shape", "kind_of", "sparse_reading",
           "memory_unit", "kernel_from_count", "composite", "repeated"]


@dataclass
class LayerRow:
    """One layer as a document describes it (every field optional but the line)."""

    line: int
    name: str = ""
    shape: tuple | None = None  # (layout, dims) from :func:`parse_shape`
    kernel: int | None = None
    stride: int | None = None
    padding: int | str | None = None  # per side, "SAME", or None (not given)
    channels: int | None = None  # filters / units the row gives apart from its shape
    params: str | None = None
    memory: str | None = None
    shape_text: str = ""
    input: tuple | None = None  # the row's own input shape (a table with an input column): rows are not a chain
    ops: str | None = None  # multiply-accumulates or FLOPs, as written
    ops_unit: str = "macs"  # "macs" (a MACs / mult-adds column) or "flops" (FLOPs, ops: 2·MACs conventions too)
    label: str = ""  # how the finding names the row, when not by ``name`` (the name column beside a description)
    memory_unit: tuple = ([1], False)  # scales and "in bytes" of the memory column (:func:`memory_unit`)
    notes: dict = field(default_factory=dict)


def composite(name: str) -> bool:
    """Whether a row's name describes more than one layer (``conv 3×3 ×2``, ``2 × conv``, ``conv + BN``, a block):
    its parameter count is then not a single layer's.

    >>> composite("conv 3x3 ×2"), composite("2 x conv3-64"), composite("Conv + BN + ReLU"), composite("conv 3x3")
    (True, True, True, False)
    """
    return repeated(name) or bool(re.search(r"batch.?norm|\bbn\b|\+", name.lower()))


def repeated(name: str) -> bool:
    """Whether a row stands for several layers in a row (``conv 3×3 ×2``, ``2 × conv``, a block or stage): its
    output size is then not one layer's either.

    >>> repeated("[3x3, 64] x 2"), repeated("Conv + BN"), repeated("conv 3 x 3")
    (True, False, False)
    """
    n = re.sub(r"\d+\s*[×x*]\s*\d+", "K", name.lower())  # kernels and shapes (3x3, 5×5) set aside
    return bool(re.search(r"(?:^|[\s\])])[×x*]\s*\d+\b|\b\d+\s*[×x*]\s*(?=conv|\[|\(|fc|dense)|\b(?:blocks?|stages?|"
                          r"layers|repeated|times|residual|bottleneck|inception|module)\b", n))


def kind_of(name: str) -> str | None:
    """The kind of layer a name says: conv, max_pool, avg_pool, dense, input, keep (activation/dropout), norm, flatten."""
    n = name.lower()
    if re.search(r"transpos|deconv|up-?conv|upsampl|unpool", n):
        return None
    if re.search(r"pool|subsampl", n) and re.search(r"conv", n):
        return None  # "conv 5×5 + max pool": two layers in one row
    if re.search(r"pool|subsampl|\bs\d\b", n):
        if re.search(r"global|adaptive", n):
            return None
        return "avg_pool" if re.search(r"avg|average|mean|subsampl", n) else "max_pool"
    if re.search(r"conv|\bc\d\b", n):
        return None if re.search(r"separable|depthwise|dilat|atrous|group", n) else "conv"
    if re.search(r"\bfc|fully|dense|linear|\bf\d\b|inner.?product|\bip\d?\b|full connection", n):
        return "dense"
    if re.search(r"\binput|\bimage\b|\bdata\b", n):
        return "input"
    if re.search(r"flatten", n):
        return "flatten"
    if re.search(r"batch.?norm|\bbn\b", n):
        return "norm"
    if re.search(r"relu|sigmoid|tanh|dropout|activation|softmax", n):
        return "keep"
    return None


_TIMES = r"\s*(?:×|x|X|\*|\\times|\\cdot|by)\s*"


def describe(name: str) -> tuple[str | None, int | None, int | None, int | None]:
    """``(kind, kernel, stride, filters/units)`` a layer's name gives (``None`` where it says nothing).

    ``conv1`` names the first convolution (no kernel); ``conv3-64`` is VGG's "3×3, 64 filters".
    """
    t = name.replace("$", "").replace("{", "").replace("}", "")
    kind = kind_of(t)
    k = s = c = None
    m = re.search(r"(?i)(\d+)" + _TIMES + r"(\d+)", t)
    if m and m.group(1) == m.group(2) and kind in ("conv", "max_pool", "avg_pool"):
        k = int(m.group(1))
    mk = re.search(r"(?i)\b(?:k|kernel(?:_size)?|ksize)\s*[:=]\s*\(?(\d+)(?:\s*,\s*(\d+))?\)?", t)
    if k is None and mk and (mk.group(2) is None or mk.group(1) == mk.group(2)):
        k = int(mk.group(1))
    vgg = re.search(r"(?i)\bconv(\d+)-(\d+)\b", t)
    if vgg and kind == "conv":
        k, c = int(vgg.group(1)), int(vgg.group(2))
    ms = re.search(r"(?i)stride\s*[:=]?\s*\(?(\d+)\b(?!\s*,\s*(?!\1\b)\d)|\bs\s*=\s*(\d+)\b|/\s*(\d+)\b", t)
    if ms:
        s = int(next(g for g in ms.groups() if g))
    if c is None and kind in ("conv", "dense"):
        rest = t[m.end():] if m else re.sub(r"(?i)^\W*\w*?(conv|fc|dense|linear|fully[- ]connected)\w*", "", t)
        rest = re.sub(r"(?i)stride\s*[:=]?\s*\d+|\bs\s*=\s*\d+|/\s*\d+|\bpad\w*\s*[:=]?\s*\d+", "", rest)
        # a count, not an index ("Conv 1"): after - , : or before "filters"/"units", or 16 and more
        nums = [int(g.group(2)) for g in re.finditer(r"(^|[-,:(]\s*|\s)(\d+)(?![\w.])(\s*(?:filters|units|channels|"
                                                        r"maps|neurons|kernels|outputs))?", rest)
                if g.group(1).strip() or g.group(3) or int(g.group(2)) >= 16]
        if len(nums) == 1:
            c = nums[0]
    return kind, k, s, c


def padding_in(name: str) -> int | str | None:
    """The padding a layer's name gives: ``pad 1`` / ``padding=2`` per side, ``same``/``valid``; ``None`` if none.

    >>> padding_in("conv 3x3, pad 1"), padding_in("Conv (same)"), padding_in("conv1")
    (1, 'SAME', None)
    """
    m = re.search(r"(?i)\bp(?:ad(?:ding)?)?\s*[:=]?\s*\(?(\d+)\b(?!\s*,\s*(?!\1\b)\d)", name)
    if m and not re.match(r"(?i)p\d", m.group(0)):
        return int(m.group(1))
    if re.search(r"(?i)\bsame\b", name):
        return "SAME"
    if re.search(r"(?i)\bvalid\b", name):
        return 0
    return None


def parse_shape(text: str) -> tuple[str, tuple] | None:
    """``(layout, dims)`` of a stated shape: ``'chw'`` for ``64@112×112``, ``'hwc'`` for a Keras ``(None, h, w, c)``,
    ``'?'`` for ``a×b×c`` (decided by the table); ``None`` when the text is not a shape."""
    t = re.sub(r"\\(?:,|;|!|quad|mathrm|text|textrm)|[$`*_{}\[\]]", " ", text).strip()
    t = t.replace("\\times", "×").replace("\\cdot", "×")
    t = re.sub(r"(\d+)\s*(?:²|\^\s*\{?\s*2\s*\}?)", r"\1×\1", t)  # 224² × 64
    m = re.fullmatch(r"(\d+)\s*@\s*(\d+)\s*[×xX*]\s*(\d+)", t)
    if m:
        return "chw", tuple(int(g) for g in m.groups())
    m = re.fullmatch(r"\(\s*(?:None|N|B|\?|-1)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,?\s*\)", t)
    if m:
        return "hwc", tuple(int(g) for g in m.groups())
    m = re.fullmatch(r"\(?\s*(?:(?:None|N|B|\?|-1)\s*,\s*)?(\d+)\s*,?\s*\)?", t)
    if m:
        return "flat", (int(m.group(1)),)
    t = t.strip("() ")
    parts = re.split(r"\s*(?:×|x|X|\*|,)\s*", t)
    if 2 <= len(parts) <= 3 and all(re.fullmatch(r"\d+", p) for p in parts):
        return "?", tuple(int(p) for p in parts)
    return None


def _layout(rows: list[LayerRow]) -> str | None:
    """The table's layout of ``a×b×c`` shapes: ``'hwc'`` when some row is ``h×h×c`` (c ≠ h) and none ``c×h×h``."""
    votes = set()
    for r in rows:
        if r.shape and r.shape[0] == "?" and len(r.shape[1]) == 3:
            a, b, c = r.shape[1]
            if a == b != c:
                votes.add("hwc")
            elif b == c != a:
                votes.add("chw")
    return votes.pop() if len(votes) == 1 else None


def _split(shape: tuple | None, layout: str | None) -> tuple[tuple | None, int | None, int | None]:
    """``(spatial (h, w), channels, values)`` of a parsed shape."""
    if shape is None:
        return None, None, None
    lay, dims = shape
    if lay == "flat":
        return None, None, dims[0]
    if lay == "?" and len(dims) == 2:
        return dims, None, None
    if lay == "?" and layout is None and len(dims) == 3:  # the table does not say: a square reading of the row
        a, b, c = dims
        lay = "hwc" if a == b else "chw" if b == c else None
    lay = layout if lay == "?" else lay
    if lay == "hwc":
        return dims[:2], dims[2], math.prod(dims)
    if lay == "chw":
        return dims[1:], dims[0], math.prod(dims)
    return None, None, math.prod(dims)


def _value(text: str) -> tuple[Fraction, Fraction] | None:
    from .summary_listing import _value as listing_value
    from .tables import _cell_text

    t = re.sub(r"[$\s~]|\\,|\{,\}", "", _cell_text(text)).replace("{", "").replace("}", "")
    for side in reversed(t.split("=")):  # "(5·5·3 + 1)·6 = 456", "208 = 5*5*8 + 8": the side that is a number
        side = side.strip("`'\"")
        v = listing_value(re.sub(r"(?<=\d)k$", "K", side))
        if v is not None and re.fullmatch(r"[\d.,]+[KkMGB]?", side):
            return v
    return None


def _a(kind: str) -> str:
    words = {"keep": "an activation or dropout", "norm": "a normalisation", "input": "an input"}
    return words.get(kind, ("an " if kind[0] in "aeiou" else "a ") + kind.replace("_", " "))


def _who(row: LayerRow) -> str:
    return row.label.strip() or row.name.strip() or f"line {row.line}"


def _output(row: LayerRow, kind: str, before: tuple, here: tuple) -> Judgement | None:
    from .table_layers import _sizes

    name = _who(row)
    k, s, pad = row.kernel, row.stride, row.padding
    if len({*before}) != 1 or len({*here}) != 1:
        return None  # non-square: the rows do not say which side a kernel's size is
    h, got = before[0], here[0]
    if kind == "conv" and k is None:
        return Judgement("UNRECOGNIZED", "output_size", f"row {name!r}: no square kernel size of the convolution is given")
    if kind != "conv" and k is None:
        if s is None and got in (h // 2, -(-h // 2)):
            return Judgement("CORRECT", "output_size", f"row {name!r}: {h} → {got} is a 2×2 pooling with stride 2 "
                             "(window and stride not given)", expected=str(got))
        for kk, ss in ((3, 2), (2, 1), (3, 1)) if s is None else ():  # overlapping (AlexNet) and stride-1 windows
            other = _sizes(kind, h, kk, ss, None)
            if got in other:
                half = h // 2
                return Judgement("CONDITIONAL", "output_size", f"row {name!r}: {h} → {got} is not the usual 2×2 "
                                 f"pooling with stride 2 ({half}); a {kk}×{kk} window with stride {ss} gives it "
                                 f"({other[got]}; derive) — the window and stride are not given",
                                 condition=f"a {kk}×{kk} pooling window with stride {ss}",
                                 counterexample={"values": {"input": h, "kernel": 2, "stride": 2, "padding": 0},
                                                 "document": got, "expected": half}, expected=str(got))
        return Judgement("UNRECOGNIZED", "output_size", f"row {name!r}: the pooling window is not given")
    stride_known = s is not None
    s = s if s is not None else (1 if kind == "conv" else k)
    readings = _sizes(kind, h, k, s, pad)
    conf = f"{h}×{h} input, kernel {k}, stride {s}" + ("" if stride_known or kind == "conv" else " (the window)")
    valid = _sizes(kind, h, k, s, 0)
    same = _sizes(kind, h, k, s, "SAME")
    usual = readings if pad is not None else {**valid, **{v: "'same' padding" for v in same if v not in valid}}
    if got in usual and kind != "conv" and pad is None and got not in valid:
        floor = min(valid) if valid else None  # a pooling that rounds up: PyTorch's default rounds down
        return Judgement("CONDITIONAL", "output_size", f"row {name!r}: {conf} gives {got} only with 'same' padding or "
                         f"ceil_mode (without padding it gives {floor}; derive)",
                         condition="the pooling pads 'same' (TensorFlow) or rounds up (ceil_mode=True)",
                         counterexample={"values": {"input": h, "kernel": k, "stride": s, "padding": 0},
                                         "document": got, "expected": floor}, expected=str(got))
    if got in usual:
        return Judgement("CORRECT", "output_size", f"row {name!r}: {conf} gives {got} ({usual[got]}; derive)",
                         expected=str(got))
    if got in readings:  # only an unusual padding gives it: say which
        shown = " and ".join(f"{' or '.join(map(str, sorted(d)))} with {w}" for d, w in ((valid, "no padding"),
                                                                                       (same, "'same' padding")) if d)
        return Judgement("CONDITIONAL", "output_size", f"row {name!r}: {conf} gives {got} only with "
                         f"{readings[got]} per side ({shown}; derive)", condition=f"{readings[got]} per side",
                         counterexample={"values": {"input": h, "kernel": k, "stride": s, "padding": 0},
                                         "document": got, "expected": min(valid) if valid else None},
                         expected=str(got))
    if kind == "conv" and not stride_known:
        limit = (h + k - 2) // (got - 1) if got > 1 else 0
        if got <= 1 or limit > 64 or any(got in _sizes(kind, h, k, st, pad) for st in range(2, limit + 1)):
            return Judgement("UNRECOGNIZED", "output_size", f"row {name!r}: the stride is not given and stride 1 "
                             f"does not give {got}")
        shown = ", ".join(f"{v} ({r})" for v, r in sorted(readings.items())[:4])
        near = min(readings, key=lambda v: abs(v - got))
        return Judgement("INCORRECT", "output_size", f"row {name!r}: {h}×{h} input, kernel {k}: no stride and no "
                         f"padding gives {got} (stride 1 gives {shown}; derive)",
                         counterexample={"values": {"input": h, "kernel": k, "stride": 1,
                                                    "padding": pad if pad is not None else "any"},
                                         "document": got, "expected": near}, expected=str(near))
    if not readings:
        return None
    near = min(readings, key=lambda v: abs(v - got))
    shown = ", ".join(f"{v} ({r})" for v, r in sorted(readings.items())[:4])
    return Judgement("INCORRECT", "output_size", f"row {name!r}: {conf} gives {shown}"
                     f"{' …' if len(readings) > 4 else ''} — no padding gives {got}",
                     counterexample={"values": {"input": h, "kernel": k, "stride": s,
                                                "padding": pad if pad is not None else "any"},
                                     "document": got, "expected": near}, expected=str(near))


def _params(row: LayerRow, kind: str, c_in, c_out, flat_in, flat_out) -> Judgement | None:
    from derive import layers

    from ..statement import Statement, decide

    v = _value(row.params or "")
    if v is None:
        return None
    value, tol = v
    name = _who(row)
    if re.search(r"(?i)subsampl", row.name) and c_out:
        # LeNet's subsampling maps have a trainable coefficient and bias each: 0 (plain pooling) or 2 per map
        if value in (0, c_out, 2 * c_out):
            return Judgement("CORRECT", "param_count", f"row {name!r}: {value} parameters for {c_out} subsampled "
                             f"maps ({'none' if not value else 'a coefficient and a bias' if value == 2 * c_out else 'one'}"
                             " per map)", expected=str(value))
        return None
    if kind in ("max_pool", "avg_pool", "keep", "flatten", "input"):
        ok = value == 0
        return Judgement("CORRECT" if ok else "INCORRECT", "param_count",
                         f"row {name!r}: {_a(kind)} layer has no parameters" + ("" if ok else
                                                                                                 f", not {row.params}"),
                         counterexample=None if ok else {"values": {"layer": name}, "document": row.params,
                                                         "expected": 0}, expected="0")
    if kind == "conv" and row.kernel and c_in and c_out and tol > 0:  # "1.7K": within the rounding as written
        conv = [int(layers.Conv2d(c_in, c_out, row.kernel, bias=b).params) for b in (True, False)]
        hit = [w for w in conv if abs(value - w) <= tol]
        shown = f"{row.kernel}×{row.kernel} kernel, {c_in}→{c_out} channels"
        if hit:
            return Judgement("CORRECT", "param_count", f"row {name!r}: {shown} hold {hit[0]:,} parameters "
                             f"({'with' if hit[0] == conv[0] else 'without'} bias; derive)", expected=str(hit[0]))
        return Judgement("INCORRECT", "param_count", f"row {name!r}: {shown} hold {conv[0]:,} parameters "
                         f"({conv[1]:,} without bias), not {row.params}",
                         counterexample={"values": {"layer": name}, "document": row.params, "expected": conv[0]},
                         expected=str(conv[0]))
    if kind == "conv" and row.kernel and c_in and c_out and tol == 0:
        j = decide(Statement("param_count", {"channels_in": c_in, "channels_out": c_out,
                                             "kernel": (row.kernel, row.kernel)}, int(value),
                             evidence=f"row {name!r}, channels in from the row before"))
        plain = not re.search(r"(?i)\bdw\b|depth|group|separable|\bsparse", row.name)
        if j.verdict == "UNRECOGNIZED" or (j.verdict == "INCORRECT" and sparse_reading(int(value), row.kernel, c_in, c_out,
                                                                                        depthwise=not plain)):
            return None
        j.explanation = f"row {name!r}: {j.explanation}"
        return j
    if kind == "dense" and flat_in and flat_out:
        full, nob = int(layers.Linear(flat_in, flat_out).params), int(layers.Linear(flat_in, flat_out, bias=False).params)
        hit = [w for w in (full, nob) if abs(value - w) <= tol]
        if hit:
            return Judgement("CORRECT", "param_count", f"row {name!r}: {flat_in}→{flat_out} features, "
                             f"{'with' if hit[0] == full else 'without'} bias (derive)", expected=str(hit[0]))
        return Judgement("INCORRECT", "param_count", f"row {name!r}: {flat_in}→{flat_out} features hold {full:,} "
                         f"parameters ({nob:,} without bias), not {row.params}",
                         counterexample={"values": {"in": flat_in, "out": flat_out}, "document": row.params,
                                         "expected": full}, expected=str(full))
    return None


_PREFIX = {"": [1], "k": [10**3, 2**10], "m": [10**6, 2**20], "g": [10**9, 2**30]}


def memory_unit(header: str) -> tuple[list[int], bool]:
    """``(scales, in bytes)`` a memory column's header gives: ``Memory (MB)`` → ``([10⁶, 2²⁰], True)``.

    >>> memory_unit("Memory (MB)"), memory_unit("Activations"), memory_unit("memory [K values]")
    (([1000000, 1048576], True), ([1], False), ([1000, 1024], False))
    """
    h = header.lower()
    m = re.search(r"\b([kmg])i?b\b|\(([kmg])\)|\[([kmg])\b|\b([kmg])\s+(?:values|floats|activations)", h)
    prefix = next((g for g in m.groups() if g), "") if m else ""
    in_bytes = bool(re.search(r"byte|\b[kmg]i?b\b|\(b\)", h))
    return _PREFIX[prefix], in_bytes


_CELL_UNIT = re.compile(r"(?i)^\s*([\d.,\s]*\d)\s*(?:([kmg])(i)?b|(bytes?|b))\s*$")


def _cell_unit(text: str) -> tuple[str, tuple] | None:
    """``(number, (scales, True))`` of a memory cell that carries its own unit in bytes (``256 KB``, ``1.5 MiB``,
    ``3,136 bytes``).

    >>> _cell_unit("256 KB"), _cell_unit("1.5 MiB"), _cell_unit("3,136 bytes"), _cell_unit("3.2M")
    (('256', ([1000, 1024], True)), ('1.5', ([1048576], True)), ('3,136', ([1], True)), None)
    """
    from .tables import _cell_text

    m = _CELL_UNIT.match(_cell_text(text))
    if m is None:
        return None
    number, prefix, binary, plain_bytes = m.groups()
    if plain_bytes:
        return number, ([1], True)
    scales = _PREFIX[prefix.lower()]
    return number, ([scales[-1]] if binary else scales, True)


def _memory(row: LayerRow, values: int) -> Judgement | None:
    text = row.memory or ""
    own = _cell_unit(text)
    v = _value(own[0] if own else text)
    if v is None:
        return None
    value, tol = v
    scales, in_bytes = own[1] if own else row.memory_unit
    stated = row.notes.get("bytes")  # bytes per value the text states (float32: 4), and the batch it states
    batch = row.notes.get("batch", 1)
    if scales != [1] and tol == 0:  # the header's unit: the cell's decimals are its rounding
        written = re.sub(r"[^\d.]", "", text.rsplit("=", 1)[-1])
        d = re.search(r"\.(\d+)", written)
        zeros = len(written) - len(written.rstrip("0")) if not d and written.strip("0") else 0
        tol = Fraction(1, 2 * 10 ** len(d.group(1))) if d else Fraction(10 ** zeros, 2)  # 800 (K): ±50
    name = _who(row)
    readings = {}
    pers = ((stated, f"bytes at {stated} per value, as the text states"),) if in_bytes and stated else (
        ((4, "bytes at 4 per value (float32)"), (1, "values")) if in_bytes else ((1, "values"),))
    for scale in scales:
        for per, what in pers:
            readings.setdefault(Fraction(per * values * batch, scale), what + ("" if batch == 1 else f", batch {batch}")
                                + ("" if scale == 1 else f"; in units of {scale:,}"))
    hit = [w for w in readings if abs(value - w) <= tol]
    if hit:
        return Judgement("CORRECT", "activations", f"row {name!r}: the output holds {values:,} values "
                         f"({readings[hit[0]]})", expected=str(float(hit[0]) if hit[0].denominator > 1 else int(hit[0])))
    if in_bytes and stated:
        near = min(readings, key=lambda w: abs(value - w))
        shown = ", ".join(f"{float(w):g} ({readings[w]})" for w in sorted(readings))
        return Judgement("INCORRECT", "activations", f"row {name!r}: the output {row.shape_text or ''} holds "
                         f"{values:,} values{'' if batch == 1 else f' per image, batch {batch}'}: {shown}, not {text}",
                         counterexample={"values": {"shape": row.shape_text, "bytes per value": stated, "batch": batch},
                                         "document": text, "expected": float(near)}, expected=f"{float(near):g}")
    if in_bytes:
        return None  # bytes: conventions (precision, batch, gradients kept) the table does not state
    shown = float(min(readings)) if scales != [1] else values
    return Judgement("INCORRECT", "activations", f"row {name!r}: the output {row.shape_text or ''} holds {values:,} "
                     f"values, not {text}", counterexample={"values": {"shape": row.shape_text},
                                                           "document": text, "expected": shown},
                     expected=str(shown))


def kernel_from_count(text: str, c_in: int, c_out: int) -> int | None:
    """The one square kernel ``k`` whose convolution ``C_in → C_out`` has the written count (``k²·C_in·C_out``, with
    or without ``+ C_out``); ``None`` when none or two readings do.

    >>> kernel_from_count("18,496", 32, 64), kernel_from_count("18,432", 32, 64), kernel_from_count("1,000", 3, 8)
    (3, 3, None)
    """
    from math import isqrt

    v = _value(text)
    if v is None or v[1] != 0:
        return None
    ks = set()
    for bias in (c_out, 0):
        area, r = divmod(int(v[0]) - bias, c_in * c_out)
        if not r and area > 0 and isqrt(area) ** 2 == area:
            ks.add(isqrt(area))
    return ks.pop() if len(ks) == 1 else None


def sparse_reading(value: int, k: int, c_in: int, c_out: int, depthwise: bool = True) -> str | None:
    """How a convolution's parameter count short of the full ``k²·C_in·C_out (+C_out)`` can still be right: a
    connection table (LeNet-5's C3: each map reads some of the input maps, 60 connections in all) — ``m`` kernels
    of ``k²`` weights, ``m < C_in·C_out`` and not a whole number of input channels per filter — or groups, when
    that number divides ``C_in`` into a number of groups that divides ``C_out``.

    >>> sparse_reading(1516, 5, 6, 16)
    '60 kernels of 5×5 (a connection table) with a bias per map'
    >>> sparse_reading(5 * 5 * 48 * 256 + 256, 5, 96, 256)  # AlexNet's conv2 on two GPUs
    '2 groups of 48 input channels'
    >>> sparse_reading(3 * 3 * 12 * 32 + 32, 3, 16, 32) is None  # 12 channels per filter: no groups give it
    True
    >>> sparse_reading(416, 5, 8, 16), sparse_reading(416, 5, 8, 16, depthwise=False)  # 16 filters of one channel each
    ('8 groups of 1 input channels', None)
    """
    for bias in (c_out, 0):
        m, r = divmod(value - bias, k * k)
        if r or not 0 < m < c_in * c_out:
            continue
        if m % c_out == 0:  # a whole number of channels per filter: groups (AlexNet's two halves), or miscounted
            per = m // c_out
            if per == 1 and not depthwise:
                return None  # one input channel per filter is a depthwise layer, which a plain "conv" row is not
            g = c_in // per if c_in % per == 0 else 0
            return f"{g} groups of {per} input channels" if g > 1 and c_out % g == 0 else None
        return f"{m} kernels of {k}×{k} (a connection table)" + (" with a bias per map" if bias else "")
    return None


def _ops(row: LayerRow, kind: str, c_in, c_out, spatial, flat_in, flat_out) -> Judgement | None:
    """A row's multiply-accumulates (or FLOPs) from its kernel, the channels and its stated output (derive)."""
    from derive import layers

    v = _value(row.ops or "")
    if v is None:
        return None
    value, tol = v
    if kind == "conv" and row.kernel and c_in and c_out and spatial:
        k = row.kernel
        per = int(layers.Conv2d(c_in, c_out, k).macs((c_in, k, k)))  # one output position
        macs, outputs = per * spatial[0] * spatial[1], c_out * spatial[0] * spatial[1]
        shown = f"{k}×{k} kernel, {c_in}→{c_out} channels, {spatial[0]}×{spatial[1]} outputs"
    elif kind == "dense" and flat_in and flat_out:
        macs, outputs = int(layers.Linear(flat_in, flat_out).macs((flat_in,))), flat_out
        shown = f"{flat_in}→{flat_out} features"
    else:
        return None
    readings = {macs: "multiply-accumulates", macs + outputs: "multiply-accumulates and bias additions"}
    if row.ops_unit == "flops":
        readings.update({2 * macs: "FLOPs at 2 per multiply-accumulate", 2 * macs + outputs: "FLOPs with bias additions",
                         2 * macs - outputs: "FLOPs without the first addition"})
    hit = [w for w in readings if abs(value - w) <= tol]
    name = _who(row)
    if hit:
        return Judgement("CORRECT", "macs", f"row {name!r}: {shown} make {hit[0]:,} ({readings[hit[0]]}; derive)",
                         expected=str(hit[0]))
    return Judgement("INCORRECT", "macs", f"row {name!r}: {shown} make {macs:,} multiply-accumulates "
                     f"({2 * macs:,} FLOPs), not {row.ops}", counterexample={"values": {"layer": name},
                                                                            "document": row.ops, "expected": macs},
                     expected=str(macs))


def forward_order(rows: list[LayerRow]) -> list[LayerRow]:
    """The rows in the order data flows: a table written from the output down to its input row (LeNet-5 drawn
    top-down, "Out … C1, In") is read bottom-up; any other table as written.

    >>> names = [r.name for r in forward_order([LayerRow(1, "Out (dense)"), LayerRow(2, "C1 (conv)"),
    ...                                         LayerRow(3, "In (Input)")])]
    >>> names
    ['In (Input)', 'C1 (conv)', 'Out (dense)']
    >>> [r.name for r in forward_order([LayerRow(1, "input"), LayerRow(2, "conv")])]
    ['input', 'conv']
    """
    if len(rows) > 2 and kind_of(rows[-1].name) == "input" and not any(kind_of(r.name) == "input" for r in rows[:-1]):
        return rows[::-1]
    return rows


def chain_findings(rows: list[LayerRow], roles: dict | None = None) -> list[tuple[int, str, Judgement]]:
    """``(line, cell, judgement)`` for every determined output size, channel count, parameter count and memory;
    ``roles`` (letter -> role, the document's symbol table) reads letters in names (``CONV1 (f=5, s=1)``)."""
    from .layer_letters import lettered

    rows = forward_order(rows)
    layout = _layout(rows)
    out: list[tuple[int, str, Judgement]] = []
    counted: list[tuple[int, str, bool]] = []  # (index in out, kind, with bias) of the CORRECT parameter counts
    before = prev_ch = prev_flat = None
    for i, row in enumerate(rows):
        kind, k, s, c = describe(row.name)
        wrong_size = False
        letters = lettered(f"{row.name} {row.notes.get('described', '')}", roles)
        k = letters.get("kernel", k) if k is None or k == letters.get("kernel", k) else None
        s = letters.get("stride", s) if s is None or s == letters.get("stride", s) else None
        c = c if c is not None else letters.get("channels")
        row.kernel = row.kernel if row.kernel is not None else k
        row.stride = row.stride if row.stride is not None else s
        row.padding = row.padding if row.padding is not None else (
            padding_in(row.name) if "padding" not in letters else letters["padding"])
        shape = row.shape
        if shape and shape[0] == "?" and len(shape[1]) == 2 and 1 in shape[1] and max(shape[1]) > 1 \
                and kind in ("dense", "keep", "flatten"):
            shape = ("flat", (max(shape[1]),))  # a column vector (120, 1) of a dense layer: 120 values
        if kind == "keep" and shape and prev_flat and _split(shape, layout)[2] not in (None, prev_flat):
            # an activation row whose number of values changes: the classifier before its softmax, or not one layer
            kind = "dense" if re.search(r"(?i)softmax", row.name) and shape[0] == "flat" else None
        if shape and shape[0] == "flat" and row.channels is not None and kind not in ("dense", "flatten", None):
            shape = ("hwc", (shape[1][0], shape[1][0], row.channels))  # a side beside a channel column: 28 → 28×28
        spatial, ch, values = _split(shape, layout)
        c_out = row.channels if row.channels is not None else c
        ch = ch if ch is not None else (row.channels if row.channels is not None else
                                        c if kind in ("conv",) or (kind == "dense" and spatial is None) else None)
        if values is None and spatial is not None and ch is not None:
            values = spatial[0] * spatial[1] * ch
        if kind == "dense" and values is None and c_out is not None and spatial is None:
            values = c_out
        cell = row.shape_text or row.name
        if row.input is not None:
            before, prev_ch, prev_flat = _split(row.input, layout)
        if repeated(row.name):
            kind = None if kind in ("conv", "max_pool", "avg_pool") else kind  # several layers: no one transition
        if i and kind == "conv" and row.kernel is None and before and spatial and prev_ch and ch:
            k = kernel_from_count(row.params or "", prev_ch, ch)
            if k is not None:  # the kernel only the count gives: CORRECT sizes only (a wrong count must not convict)
                row.kernel = k
                j = _output(row, kind, before, spatial)
                row.kernel = None
                if j is not None and j.verdict == "CORRECT":
                    j.explanation += f"; the {k}×{k} kernel is the one the row's parameter count gives"
                    out.append((row.line, cell, j))
        elif i and kind in ("conv", "max_pool", "avg_pool") and before and spatial:
            j = _output(row, kind, before, spatial)
            if j is not None:
                out.append((row.line, cell, j))
                if j.verdict in ("INCORRECT", "CONDITIONAL"):
                    spatial = None  # a wrong size is not the next row's input: its transition is not judged
                    wrong_size = True
        if i and kind in ("max_pool", "avg_pool", "keep", "norm") and prev_ch and ch and ch != prev_ch:
            out.append((row.line, cell, Judgement(
                "INCORRECT", "output_size", f"row {_who(row)!r}: {_a(kind)} layer keeps the "
                f"{prev_ch} channels of its input, not {ch}", counterexample={"values": {"channels_in": prev_ch},
                                                                             "document": ch, "expected": prev_ch},
                expected=str(prev_ch))))
        elif kind == "conv" and c is not None and ch is not None and c != ch and row.shape and (row.shape[0] != "?" or layout):
            out.append((row.line, cell, Judgement(
                "INCORRECT", "output_size", f"row {_who(row)!r}: {c} filters give {c} channels, not {ch}",
                counterexample={"values": {"filters": c}, "document": ch, "expected": c}, expected=str(c))))
        if kind == "keep" and re.search(r"(?i)softmax", row.name) and row.params:
            kind = None  # a softmax row with a count is the classifier's dense layer, whose input is not determined here
        if kind is not None and row.params and not composite(row.name):
            flat_out = values if kind == "dense" else None
            j = _params(row, kind, prev_ch, ch, prev_flat, flat_out)
            if j is not None:
                out.append((row.line, row.params, j))
                if j.verdict == "CORRECT":
                    counted.append((len(out) - 1, kind, not re.search(r"bias=False|without bias", j.explanation)))
        if kind is not None and row.ops:
            j = _ops(row, kind, prev_ch, ch, spatial, prev_flat, values if kind == "dense" else None)
            if j is not None:
                out.append((row.line, row.ops, j))
        if values and row.memory:
            j = _memory(row, values)
            if j is not None:
                out.append((row.line, row.memory, j))
        if row.shape is not None:
            before, prev_ch, prev_flat = spatial, ch, (None if wrong_size else values)
        elif kind is not None:
            before = prev_ch = prev_flat = None  # a layer with no stated shape: the chain is broken
    _bias_convention(out, counted)
    return out


def _bias_convention(out: list, counted: list) -> None:
    """Layers of one kind counted both with and without their biases: the bias-free counts hold only without bias
    (CONDITIONAL), since the description counts the biases of the other layers of that kind."""
    for kind in {k for _, k, _ in counted}:
        both = {b for _, k, b in counted if k == kind}
        if both != {True, False}:
            continue
        for i, k, bias in counted:
            if k == kind and not bias:
                line, src, j = out[i]
                out[i] = (line, src, Judgement(
                    "CONDITIONAL", j.quantity, f"{j.explanation} — holds without bias, while the other "
                    f"{kind.replace('_', ' ')} layers here count their biases", condition="without bias",
                    expected=j.expected))
