"""Claims of a quantity of ONE described layer: parameters, multiply-accumulates, FLOPs, bytes, values.

The layer is described by the sentence and, where the sentence continues an earlier one ("It costs …",
"the layer therefore has …"), by the sentences before it (:mod:`proofs.claims.layer_reading`); the amount is
what the sentence asserts about the quantity (:mod:`proofs.claims.claimed_amount`), not the arithmetic it
shows. The quantity is computed by :mod:`derive.layers` (``Conv2d``, ``ConvTranspose2d``,
``DepthwiseSeparableConv2d``, ``Linear``) and compared with the claim's rounding.

What the description leaves open is not guessed: an unstated bias, padding or number format is tried both
ways (with and without bias; padding 0 and 'same'; float16/32/64; MB as 10⁶ or 2²⁰ bytes), and the claim is
INCORRECT only when it matches none of them. The finding says which reading matched, and which
attributes came from the sentences before.

Not read: sentences comparing two counts ("9,216 instead of 36,864"), per-unit counts ("each neuron has
364 parameters"), stacks and blocks (several layers), and layers whose description is incomplete.

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s = find(normalise("It costs 56 × 56 × 64 × 9 ≈ 1.8 million multiply-adds."), None,
...          [normalise("Consider a padded 3×3 convolution from 64 to 64 channels on a 56×56 feature map.")])[0]
>>> o = s.decide(); o.verdict.value, o.expected
('INCORRECT', '115,605,504')
>>> find(normalise("A fully connected layer from 4096 to 1000 units has 4,097,000 parameters."))[0].decide().verdict.value
'CORRECT'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction

from ...findings import Verdict
from ..claimed_amount import Amount, claimed_amounts
from ..decide import Outcome
from ..layer_reading import DTYPE_BYTES, LayerReading, prepare, read_layer
from ..truth import TruthUnavailable

__all__ = ["find", "LayerQuantity", "MAX_ELEMENTS"]

#: a layer larger than this (weights or activations) is not computed
MAX_ELEMENTS = 10**12

#: two counts compared, a ratio, a hypothetical, a whole network: not a claim of one layer's total
_NOT_ONE_TOTAL = re.compile(
    r"\bthan\b|\binstead of\b|\bagainst\b|\bversus\b|\bvs\b|\bcompared\b|\btimes (?:more|fewer|less|as)\b|\bfactor\b|%|\bpercent"
    r"|\bratio\b|\bsav(?:es|ing)\b|\breduc|\bcuts?\b|\bwithout (?:parameter |weight )?sharing\b"
    r"|\bwould\b|\bif\b|\bunless\b|\btotal of the\b|\brest\b|\bnetwork\b|\bmodel\b")
#: a count per unit ("per output neuron", "each filter has", "its own 364"), looked for in the amount's own clause
_PER_UNIT = re.compile(
    r"\bper (?:output |input )?(?:neuron|unit|pixel|position|location|filter|channel|image|sample|kernel)\b"
    r"|\b(?:each|every) (?:output |input )?(?:neuron|unit|filter|position|location|channel|kernel)\b|\bits own\b"
    r"|\b(?:each|every) (?:one )?of (?:the|its|these|those|our) (?:\d{1,5} )?(?:[\w×-]+ ){0,2}?(?:neurons|units|filters|kernels|channels)\b")
#: the unit counted is one filter ("each filter has", "each of the 6 filters has", "per kernel")
_PER_FILTER = re.compile(r"\b(?:each|every|per) (?:(?:one )?of (?:the|its|these|those|our) (?:\d{1,5} )?(?:[\w×-]+ ){0,2}?)?(?:filter|kernel)s?\b")
#: two layers compared (a context sentence of this kind describes no single layer)
_COMPARISON = re.compile(r"\bthan\b|\binstead of\b|\bagainst\b|\bversus\b|\bvs\b|\bcompared\b")
_CLAUSE_START = re.compile(r".*(?:[,;:]|\bsince\b|\bbecause\b|\bas\b|\bso\b)", re.S)
#: a sentence that introduces a layer of its own ("A 3×3 conv …", "Applying a 5×5 filter …") does not take one from context
_NEW_LAYER = re.compile(r"\b(?:an?|one)\s+(?:[\w'×-]+\s+){0,4}?(?:conv\w*|layer|kernel|filter|dense|max[- ]?pool\w*|avg[- ]?pool\w*)\b")
#: "the output (tensor) of the layer": the tensor whose size is claimed is the layer's output
_OUTPUT = re.compile(r"\boutputs?\b|\bproduces\b|\bactivations? of\b|\bfeature maps? of\b|\bresult(?:ing)?\b")
#: "a 3×3 kernel has N weights": one 2-D kernel, no channels
_ONE_KERNEL = re.compile(r"\b(?:an?|one|1|each|every|single) (?:(?:\d{1,3})×(?:\d{1,3}) )?(?:[\w-]+ )?(?:kernel|filter)\b(?! (?:over|on|across|with \d))")
#: global pooling names the layer; "turns/reduces … into/to …" makes the amount its output
_GLOBAL_POOL = re.compile(r"\bglobal (?:average |avg |mean |max(?:imum)? )?[- ]?pool\w*|\bgap\b")
_INTO = re.compile(r"\b(?:into|to|gives?|yields?|produces?|outputs?|leaves?|returns?|collapses?)\b")
#: the tensor claimed is the input or a batch of images (no layer is applied to it)
_INPUT_TENSOR = re.compile(r"\b(?:batch|images?|pictures?|inputs?)\b")
#: "N values, which take / occupy / need X MB": the bytes of a count just stated
_TAKE = re.compile(r"\b(?:take|takes|taking|occupy|occupies|need|needs|require|requires|use|uses|fill|fills|come to|amounts? to)\b")
#: a count per pair of channels: one 2-D kernel
_PER_PAIR = re.compile(r"\b(?:per|for each|for every|each) (?:input[- ]output )?(?:channel pair|pair of (?:input and output )?channels)\b")
_LEARNED = re.compile(r"\b(?:learn\w*|trainable|train\w*)\b")
_QUANTITY_WORDS = {"params": "parameters", "macs": "multiply-accumulates", "flops": "FLOPs", "bytes": "bytes", "values": "values"}
_UNIT_BYTES = {"bytes": (1,), "kb": (10**3, 2**10), "kib": (2**10,), "mb": (10**6, 2**20), "mib": (2**20,), "gb": (10**9, 2**30), "gib": (2**30,)}


def _derive_layers():
    try:
        from derive import layers
    except Exception as exc:  # pragma: no cover - derive is part of the package
        raise TruthUnavailable(f"derive.layers cannot be imported: {exc}") from exc
    return layers


@dataclass
class LayerQuantity:
    """"the layer ``reading`` describes has ``amount`` of a quantity"."""

    reading: LayerReading
    amount: Amount
    tensor: tuple | None = None  # explicit (side, depth) of the tensor whose size is claimed
    of_output: bool = False
    one_kernel: bool = False
    per_filter: str = ""  # "each of the 6 filters has 75 weights": one filter's count ("bias named" / "bias unnamed")
    global_pool: bool = False  # "global pooling turns H×H×C into N values": the output has one value per channel
    count: Amount | None = None  # "25 million parameters take 100 MB": the bytes of a count the sentence states
    learned: bool = False  # the sentence says "learns" / "learnable" / "trainable": buffers are not parameters
    quantity: str = "layer_quantity"

    def __post_init__(self):
        self.quantity = {"params": "params", "macs": "macs", "flops": "macs", "bytes": "memory", "values": "memory"}[self.amount.quantity]

    # -- the layer, as derive objects --------------------------------------------------------------------------
    def _layer(self, r: LayerReading, bias: bool, padding):
        L = _derive_layers()
        kind = r.kind or "conv"
        if kind == "dense":
            if r.c_in is None or r.c_out is None:
                raise ValueError("the dense layer's input and output sizes are not both stated")
            return L.Linear(r.c_in, r.c_out, bias=bias), f"Linear({r.c_in}, {r.c_out}, bias={bias})"
        if kind == "batchnorm":
            c = r.c_in if r.c_in is not None else r.c_out
            if c is None:
                raise ValueError("the number of channels of the batch normalization is not stated")
            return L.BatchNorm2d(c), f"BatchNorm2d({c})"
        if r.kernel is None:
            raise ValueError("the kernel size is not stated")
        if kind in ("max_pool", "avg_pool") and self.amount.quantity == "params":
            pool = L.MaxPool2d(r.kernel) if kind == "max_pool" else L.AvgPool2d(r.kernel)
            return pool, f"{type(pool).__name__}({r.kernel})"
        c_in = r.c_in
        c_out = r.c_out
        groups = r.groups or 1
        if kind == "depthwise":
            c_in = c_in if c_in is not None else c_out
            c_out = c_out if c_out is not None else c_in
            groups = c_in
        if c_in is None or c_out is None:
            raise ValueError("the input and output channels are not both stated")
        stride, dilation = r.stride or 1, r.dilation or 1
        if kind == "separable":
            layer = L.DepthwiseSeparableConv2d(c_in, c_out, r.kernel, stride=stride, padding=padding, dilation=dilation, bias=bias)
            return layer, f"DepthwiseSeparableConv2d({c_in}, {c_out}, {r.kernel}, stride={stride}, padding={padding!r}, bias={bias})"
        if kind == "transposed":
            layer = L.ConvTranspose2d(c_in, c_out, r.kernel, stride=stride, padding=padding, output_padding=r.output_padding or 0,
                                      bias=bias, dilation=dilation)
            return layer, f"ConvTranspose2d({c_in}, {c_out}, {r.kernel}, stride={stride}, padding={padding!r}, bias={bias})"
        if kind != "conv" and kind != "depthwise":
            raise ValueError(f"a {kind.replace('_', ' ')} layer has no {self.quantity} of this kind to compare")
        layer = L.Conv2d(c_in, c_out, r.kernel, stride=stride, padding=padding, dilation=dilation, groups=groups, bias=bias)
        return layer, (f"Conv2d({c_in}, {c_out}, {r.kernel}, stride={stride}, padding={padding!r}, dilation={dilation}, "
                       f"groups={groups}, bias={bias})")

    def _paddings(self, r: LayerReading):
        if r.padding is not None:
            if r.padding == "same" and (r.kernel or 1) % 2 == 0:
                raise ValueError(f"'same' padding of an even kernel {r.kernel} is asymmetric; not computed")
            return [r.padding if r.padding != "same" else ((r.dilation or 1) * ((r.kernel or 1) - 1)) // 2]
        if (r.kind or "conv") == "dense":
            return [0]
        return [0, ((r.dilation or 1) * ((r.kernel or 1) - 1)) // 2]

    def _candidates(self) -> list[tuple[int, str]]:
        """(truth, reading) for every reading the description leaves open."""
        r, q = self.reading, self.amount.quantity
        if q == "bytes" and self.count is not None:
            c = self.count
            counts = [c.value] + sorted({c.value - c.half, c.value + c.half} - {c.value, Fraction(0)})
            out = []
            for n in counts:
                out.extend(self._as_bytes(n, f"{_fmt(n)} {c.unit} (as written: {c.written})"))
            return out
        if q in ("bytes", "values") and self.tensor is not None and self.global_pool:
            depth = self.tensor[1]
            return self._as_bytes(depth * (r.batch or 1), f"global pooling of {self.tensor[0]}×{self.tensor[0]}×{depth}: "
                                                          f"one value per channel, {depth}" + (f" × batch {r.batch}" if r.batch else ""))
        if q in ("bytes", "values") and self.tensor is not None and not self.of_output:
            side, depth = self.tensor
            elements = side * side * depth * (r.batch or 1)
            return self._as_bytes(elements, f"{side}×{side}×{depth}" + (f" × batch {r.batch}" if r.batch else ""))
        if q == "params" and self.per_filter:
            L = _derive_layers()
            if self.amount.unit == "weights":  # weights only — unless the bias goes unmentioned (some authors count it)
                biases = [False] if self.per_filter == "bias named" else [False, True]
            else:
                biases = [r.bias] if r.bias is not None else [True, False]
            return [(int(L.Conv2d(r.c_in, 1, r.kernel, bias=b).params),
                     f"one filter of a {r.kernel}×{r.kernel} conv on {r.c_in} channels (derive.layers.Conv2d({r.c_in}, 1, {r.kernel}, bias={b}))")
                    for b in biases]
        if q == "params" and self.one_kernel and r.c_in is None and r.c_out is None and self.amount.unit == "weights":
            if r.kernel is None:
                raise ValueError("the kernel size is not stated")
            return [(r.kernel * r.kernel, f"one {r.kernel}×{r.kernel} kernel has {r.kernel}·{r.kernel} weights "
                                          "(dilation spreads them, it adds none)")]
        if (r.kind or "conv") == "batchnorm" and q == "params":
            layer, name = self._layer(r, True, 0)
            out = [(int(layer.params), f"{name}: a scale and a shift per channel")]
            if not self.learned:
                # "parameters" without "learnable": Keras also counts the running mean and variance
                out.append((int(layer.params) + 2 * int(layer.num_features), f"{name} with its running mean and variance"))
            return out
        out = []
        biases = [r.bias] if r.bias is not None else [True, False]
        for bias in biases:
            for padding in (self._paddings(r) if q != "params" else [0]):
                layer, name = self._layer(r, bias, padding)
                if q == "params":
                    out.append((int(layer.params), name))
                    continue
                if (r.kind or "conv") == "dense":
                    shape = (1, r.c_in)
                    where = ""
                else:
                    if r.size is None:
                        raise ValueError("the input size is not stated")
                    shape = (1, r.c_in if r.kind != "depthwise" else (r.c_in or r.c_out), r.size, r.size)
                    where = f" on {r.size}×{r.size}"
                if q in ("macs", "flops"):
                    macs = int(layer.macs(shape))
                    out.append((macs, f"{name}{where}: MACs"))
                    if q == "flops":
                        out.append((2 * macs, f"{name}{where}: 2 FLOPs per MAC"))
                    continue
                if not self.of_output:
                    raise ValueError("which tensor's size is claimed is not clear")
                dims = layer.output_shape(shape)
                elements = 1
                for d in dims:
                    elements *= int(d)
                elements *= r.batch or 1
                out.extend(self._as_bytes(elements, f"output of {name}{where} ({'×'.join(str(int(d)) for d in dims[1:])})"))
        if not out:
            raise ValueError("nothing to compute")
        return out

    def _as_bytes(self, elements, what: str) -> list[tuple[int, str]]:
        if elements > MAX_ELEMENTS:
            raise ValueError(f"{elements} elements exceed the bound {MAX_ELEMENTS}")
        if self.amount.quantity == "values":
            return [(elements, f"{what}: {elements:,} values")]
        sizes = [self.reading.dtype_bytes] if self.reading.dtype_bytes else sorted(set(DTYPE_BYTES.values()) - {1})
        out = []
        for size in sizes:
            for unit in _UNIT_BYTES[self.amount.unit]:
                out.append((Fraction(elements * size, unit), f"{what} × {size} bytes" + ("" if unit == 1 else f" / {unit:,}")))
        return out

    def decide(self) -> Outcome:
        candidates = self._candidates()
        agreements = [(self.amount.agrees(t), t, why) for t, why in candidates]
        word = _QUANTITY_WORDS[self.amount.quantity] if self.amount.quantity != "bytes" else self.amount.unit.upper().replace("BYTES", "bytes")
        came = sorted(k for k, v in self.reading.origin.items() if v == "context")
        note = f" ({', '.join(came)} from the sentences before)" if came else ""
        shown = "; ".join(f"{why} = {_fmt(t)}" for t, why in candidates[:6])
        evidence = {"claimed": self.amount.written, "computed": {why: _fmt(t) for t, why in candidates[:6]}}
        if came:
            evidence["from_context"] = came
        hits = [(t, why) for ok, t, why in agreements if ok]
        if hits:
            t, why = hits[0]
            return Outcome(Verdict.CORRECT, f"derive.layers: {why} = {_fmt(t)} {word}, as stated ({self.amount.written}){note}.",
                           expected=_fmt(t))
        if all(ok is False for ok, _, _ in agreements):
            return Outcome(Verdict.INCORRECT,
                           f"derive.layers: {shown} {word}, not {self.amount.written}{note}.",
                           expected=_fmt(candidates[0][0]), counterexample=evidence)
        return Outcome(Verdict.UNRECOGNIZED, f"recognised as {word} but too close to call for the claim's rounding: {shown}")


def _fmt(value) -> str:
    value = Fraction(value)
    if value.denominator == 1:
        return f"{int(value):,}"
    return f"{float(value):,.2f}"


#: an explicit tensor shape, H×H×C (channels last) or C×H×H (channels first), not a kernel's
_SHAPE = re.compile(r"(?<![\d×])(?:(\d{1,5})×\1×(\d{1,5})|(\d{1,5})×(\d{1,5})×\4)(?![\d×])(?!\s+(?:kernels?|filters?|conv\w*|windows?))")


def _tensor(text: str, amount: Amount) -> tuple | None:
    """The explicit H×H×C or C×H×H tensor nearest before the claimed amount, as (side, depth).

    >>> text = "a 128×56×56 activation tensor occupies 802816 bytes"
    >>> _tensor(text, claimed_amounts(text)[0])
    (56, 128)
    """
    best = None
    for m in _SHAPE.finditer(text):
        if m.start() < amount.start:
            best = (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(4)), int(m.group(3)))
    return best


def find(norm: str, section: str | None = None, context: list[str] | None = None) -> list:
    """Quantity claims of one layer in a normalised sentence; ``context`` = the sentences before (nearest last)."""
    text = prepare(norm)
    amounts = claimed_amounts(text)
    if not amounts or _NOT_ONE_TOTAL.search(text):
        return []
    by_quantity: dict[str, list[Amount]] = {}
    for a in amounts:
        by_quantity.setdefault(a.quantity, []).append(a)
    reading = read_layer(text)
    if reading.layers_named:
        return []
    if context and not _NEW_LAYER.search(text):
        for before in reversed(context):
            ctx_text = prepare(before)
            ctx = read_layer(ctx_text)
            if ctx.layers_named or _COMPARISON.search(ctx_text):
                break
            reading = reading.merged(ctx)
            if ctx.kernel is not None or ctx.kind == "dense":
                break  # the layer the context introduces: earlier sentences may describe another one
    described = (reading.kernel is not None or (reading.kind == "dense" and reading.c_in is not None)
                 or (reading.kind == "batchnorm" and (reading.c_in or reading.c_out) is not None))
    out = []
    for quantity, found in by_quantity.items():
        if len(found) != 1 and quantity not in ("bytes", "values"):
            continue  # two counts of the same quantity: which is the layer's would be a guess
        for amount in found[:2]:
            head = text[:amount.start]
            clause = head[_CLAUSE_START.match(head).end():] if _CLAUSE_START.match(head) else head
            if quantity == "params" and _PER_PAIR.search(text[amount.start:amount.start + 60] + " " + clause) and reading.kernel is not None:
                # "25 weights per channel pair": one 2-D kernel, whatever the channels and the dilation
                out.append(LayerQuantity(replace(reading, c_in=None, c_out=None), amount, one_kernel=True))
                continue
            if _PER_UNIT.search(clause):
                if (quantity == "params" and _PER_FILTER.search(clause) and reading.kernel is not None and reading.c_in is not None
                        and (reading.kind or "conv") == "conv" and reading.groups in (None, 1)):
                    out.append(LayerQuantity(reading, amount, per_filter="bias named" if re.search(r"\bbias", text) else "bias unnamed"))
                continue
            of_output = bool(_OUTPUT.search(text[:amount.start])) and (reading.kernel is not None or reading.kind == "dense")
            tensor = _tensor(text, amount)
            if tensor is None and not described and reading.size is not None and reading.c_in is not None and _INPUT_TENSOR.search(text):
                tensor = (reading.size, reading.c_in)  # "a batch of 32 rgb images of 224×224": the input itself
            counted = [a for a in amounts if a.quantity in ("values", "params") and a.start < amount.start]
            if quantity == "bytes" and tensor is None and not described and counted and _TAKE.search(text, counted[-1].start, amount.start):
                out.append(LayerQuantity(reading, amount, count=counted[-1]))
                continue
            if quantity in ("bytes", "values") and tensor is None and not of_output:
                continue
            if not described and (quantity not in ("bytes", "values") or tensor is None):
                continue  # no layer is described: nothing to compute the claim from
            one_kernel = bool(_ONE_KERNEL.search(text))
            pooled = (quantity in ("bytes", "values") and tensor is not None and _GLOBAL_POOL.search(text) is not None
                      and _INTO.search(text, _tensor_end(text, amount), amount.start) is not None)
            out.append(LayerQuantity(reading, amount, tensor, of_output and tensor is None or of_output and _explicit_is_input(text, amount),
                                     one_kernel, global_pool=pooled, learned=bool(_LEARNED.search(text))))
    return out[:3]


def _tensor_end(text: str, amount: Amount) -> int:
    """Where the explicit H×H×C tensor nearest before the amount ends (0 when there is none)."""
    ends = [m.end() for m in _SHAPE.finditer(text) if m.start() < amount.start]
    return ends[-1] if ends else 0


def _explicit_is_input(text: str, amount: Amount) -> bool:
    """"the output of a conv applied to a 28×28×64 tensor": the explicit tensor is the layer's input."""
    return re.search(r"\b(?:applied to|on|over|from|takes?)\s+(?:an?|the)\s+(?:\d{1,5})×(?:\d{1,5})×", text[:amount.start]) is not None
