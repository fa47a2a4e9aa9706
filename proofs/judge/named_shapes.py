r"""Shape labels of a figure compared with the named architecture the document is talking about.

Figures of well-known networks give the tensor leaving each stage (``224×224×64``, ``112x112x128``,
``64@56×56``) and rarely the kernels and strides that would let :mod:`proofs.judge.layer_chain` recompute them.
When the figure, its caption or the text around it names a network that :mod:`derive.nets` builds (VGG-16,
ResNet-50, MobileNetV2, …), each label is compared with that network's own chain of tensors — ``derive.nets``
is the truth, no shape is typed here:

* a label equal to a tensor the network produces between its layers or blocks is CORRECT, naming the layer;
* a label whose size and channels appear nowhere in the network — neither between its blocks nor inside
  them — is INCORRECT, with the channels the network has at that size (or, when the figure states the network's
  own input, the sizes it has with those channels);
* a label found only inside a block (a bottleneck's reduction), a label that could be a kernel, a network
  built at an input size other than its own (the figure's 227×227 AlexNet, 32×32 LeNet), or names that
  disagree (two networks, "ResNet" for 18…152 where their answers differ) give no verdict.

A family name without its depth ("VGG", "ResNet") stands for every network of the family ``derive.nets`` knows;
a verdict is given only when all of them agree.

Examples
--------
>>> nets = named_networks("The figure shows VGG-16 on a 224×224 image.")
>>> nets
['vgg16']
>>> [(j.verdict, j.explanation) for _, _, j in judge_labels([(1, "112×112×128"), (2, "28×28×128")], nets)]
... # doctest: +NORMALIZE_WHITESPACE
[('CORRECT', "derive.nets: VGG-16 gives 112×112×128 after layer 'features.5' (Conv2d)"),
 ('INCORRECT', 'derive.nets: at 28×28 VGG-16 has 256 or 512 channels, not 128')]
>>> named_networks("ResNet and VGG"), named_networks("a LeNet-style net"), named_networks("LeNet")
(['vgg11', 'vgg13', 'vgg16', 'vgg19', 'resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'], [], ['lenet5'])
"""

from __future__ import annotations

import re
from functools import lru_cache

from .judgement import Judgement
from .layer_chain import parse_shape

__all__ = ["named_networks", "judge_labels", "net_tensors", "label_chw", "named_figure_findings"]

#: families whose bare name ("VGG", "ResNet") stands for all their depths in derive.nets
_FAMILIES = ("vgg", "resnet")
#: networks whose channel widths differ between the paper and the torchvision model derive.nets builds
#: (torchvision's AlexNet is the one-GPU variant of Krizhevsky 2014: 64/192/384/256/256 filters, the 2012 paper
#: 96/256/384/384/256): their labels' sizes are compared, their channels never called wrong
_WIDTHS_VARY = ("alexnet",)
_DISPLAY = {"vgg11": "VGG-11", "vgg13": "VGG-13", "vgg16": "VGG-16", "vgg19": "VGG-19", "resnet18": "ResNet-18",
            "resnet34": "ResNet-34", "resnet50": "ResNet-50", "resnet101": "ResNet-101", "resnet152": "ResNet-152",
            "alexnet": "AlexNet", "lenet5": "LeNet-5", "googlenet": "GoogLeNet", "densenet121": "DenseNet-121",
            "mobilenetv2": "MobileNetV2", "efficientnetb0": "EfficientNet-B0", "shufflenetv2x10": "ShuffleNetV2 ×1.0"}


#: "VGG-like", "ResNet-style", "LeNet-based": a network resembling the named one, not it
_LOOSE = r"(?![\s\-]?(?:like|style|type|based|ish|inspired|esque)\b)"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, tuple[str, ...]]]:
    """A pattern per spelling of every network of :data:`derive.nets.NETWORKS` (and its aliases): the letters of the
    key with an optional space, ``-`` or ``_`` between any two of them, not inside a longer word or number."""
    from derive.nets import ALIASES, NETWORKS

    def pat(key: str) -> str:
        return r"(?<![A-Za-z0-9])" + r"[\s\-_]?".join(re.escape(c) for c in key) + r"(?![A-Za-z0-9]|\.\d)" + _LOOSE

    out = [(re.compile(pat(k), re.I), (k,)) for k in NETWORKS]
    out += [(re.compile(pat(a), re.I), (k,)) for a, k in ALIASES.items() if not a.replace(".", "").isdigit()]
    for fam in _FAMILIES:
        members = tuple(k for k in NETWORKS if re.fullmatch(fam + r"\d+", k))
        out.append((re.compile(r"(?<![A-Za-z0-9])" + fam + r"(?![\s\-_]?\d)(?![A-Za-z])" + _LOOSE, re.I), members))
    return out


def named_networks(text: str) -> list[str]:
    """Keys of :data:`derive.nets.NETWORKS` that ``text`` names, in the order of that dict (a bare family name
    stands for all its members).

    >>> named_networks("MobileNet V2 and ShuffleNet-V2 x1.0"), named_networks("resnet-50 (v1.5)")
    (['mobilenetv2', 'shufflenetv2x10'], ['resnet50'])
    >>> named_networks("a VGG-like network, Inception-v3, DenseNet-169, VGG")
    ['vgg11', 'vgg13', 'vgg16', 'vgg19']
    >>> named_networks("a VGG-like network, a ResNet-50-style stem, a network inspired by AlexNet")
    []
    """
    from derive.nets import NETWORKS

    text = text.replace("×", "x").replace("1.0", "10")
    text = re.sub(r"(?i)(?<![\w-])(?:inspired by|similar to|based on|variant of|modelled on|modeled on|like|unlike|compared (?:to|with)|than|instead of|rather than|versus|vs\.?)\s+(?:the\s+|an?\s+)?\S+", " ", text)
    found: set[str] = set()
    for rx, keys in _patterns():
        if rx.search(text):
            found.update(keys)
    return [k for k in NETWORKS if k in found]


def _walk(layer, shape, out: list) -> tuple:
    """Append every tensor (C, H, W) inside ``layer`` on ``shape`` to ``out``; return its output shape."""
    from derive.blocks import Concat
    from derive.sizes.network import Network, Residual

    if isinstance(layer, Network):
        for _, sub in layer.layers:
            shape = _walk(sub, shape, out)
        return shape
    if isinstance(layer, Residual):
        _walk(layer.main, shape, out)
        if layer.shortcut is not None:
            _walk(layer.shortcut, shape, out)
    elif isinstance(layer, Concat):
        for b in layer.branches:
            _walk(b, shape, out)
    result = tuple(layer.output_shape(shape))
    out.append(result)
    return result


@lru_cache(maxsize=64)
def net_tensors(key: str, input_chw: tuple | None = None) -> tuple[list, set] | None:
    """``(rows, inside)`` of a network of :data:`derive.nets.NETWORKS` on ``input_chw`` (its own input when None):
    ``rows`` = ``[(name, kind, (C, H, W))]`` for the input and every row of :meth:`Network.table` (blocks one row
    each), ``inside`` = every 3-D tensor anywhere, inside blocks and branches too. None when the network cannot
    take that input.

    >>> rows, inside = net_tensors("resnet50")
    >>> rows[-1][2], (512, 14, 14) in {r[2] for r in rows}, (512, 14, 14) in inside
    ((1000,), False, True)
    """
    from derive.nets import NETWORKS

    net = NETWORKS[key]()
    shape = tuple(input_chw) if input_chw else tuple(net.input_shape)
    try:
        rows = [("input", "input", shape)] + [(r.name, r.kind, tuple(int(v) for v in r.output_shape))
                                              for r in net.table(shape)]
        inside: list = [shape]
        _walk(net, shape, inside)
    except (ValueError, TypeError):
        return None
    return rows, {tuple(int(v) for v in s) for s in inside if len(s) == 3}


def label_chw(text: str) -> tuple[int, int, int] | None:
    """``(C, H, W)`` of a label stating a 3-D shape with a square map (``112×112×64`` or ``64×112×112``,
    ``64@112×112``); None when the layout is not clear (``7×7×7``, ``3×5×7``) or the shape is not 3-D.

    >>> label_chw("112x112x64"), label_chw("(256, 56, 56)"), label_chw("6@28×28"), label_chw("7×7×7")
    ((64, 112, 112), (256, 56, 56), (6, 28, 28), None)
    """
    parsed = parse_shape(text)
    if parsed is None or len(parsed[1]) != 3:
        return None
    layout, (a, b, c) = parsed
    if layout == "chw":
        return (a, b, c) if b == c else None
    if layout == "hwc":
        return (c, a, b) if a == b else None
    if a == b != c:
        return (c, a, b)
    if b == c != a:
        return (a, b, c)
    return None


def _or(values) -> str:
    values = [str(v) for v in values]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def _one(key: str, chw: tuple, input_chw: tuple | None) -> tuple[str, str] | None:
    """``(verdict, explanation)`` of one label against one network, None when undetermined."""
    from derive.nets import NETWORKS

    own = tuple(NETWORKS[key]().input_shape)
    got = net_tensors(key, None if input_chw in (None, own) else input_chw)
    if got is None:
        return None
    rows, inside = got
    name = _DISPLAY.get(key, key)
    c, h, w = chw
    between = [r for r in rows if len(r[2]) == 3]
    at = next((r for r in between if r[2] == chw), None)
    label = f"{h}×{w}×{c}"
    if at is not None:
        where = "is its input" if at[0] == "input" else f"after layer {at[0]!r} ({at[1]})"
        return "CORRECT", f"derive.nets: {name} gives {label} {where}"
    if chw in inside:
        return None  # inside a block (a bottleneck's reduction, an expansion): the figure may show it
    if input_chw not in (None, own):
        return None  # the network built at another input than its own: the figure may draw another variant
    sizes = {r[2][1:] for r in between}
    channels_here = sorted({r[2][0] for r in between if r[2][1:] == (h, w)})
    if key in _WIDTHS_VARY:
        if channels_here:
            return None
        if h <= 11 or input_chw != own:  # without the figure's input, it may run the network on larger images
            return None  # (cs231n: "forwarding an image of size 384x384 … would give [12x12x512]")
        return ("INCORRECT", f"derive.nets: {name} has no {h}×{w} maps (its sizes are "
                f"{_or(sorted({s[0] for s in sizes}, reverse=True))})")
    if channels_here:
        return "INCORRECT", f"derive.nets: at {h}×{w} {name} has {_or(channels_here)} channels, not {c}"
    if h <= 11 or (h, w) in {s[1:] for s in inside}:
        return None  # a small square could be a kernel, not a map
    with_c = sorted({r[2][1] for r in between if r[2][0] == c}, reverse=True)
    if with_c and input_chw == own:  # a size the network never has: only when the figure states its input
        # (without it, the figure may run the network on other images: a CIFAR ResNet's 16×16×128)
        return "INCORRECT", (f"derive.nets: {name}'s {c}-channel maps are {_or(f'{s}×{s}' for s in with_c)}, "
                             f"not {h}×{w}")
    return None


def judge_labels(labels: list[tuple[int, str]], nets: list[str]) -> list[tuple[int, str, Judgement]]:
    """``(line, text, judgement)`` per label ``(line, text)`` that every network of ``nets`` decides alike (same
    verdict). The first label, when it states a 1- or 3-channel map no smaller than the others, is the input: the
    networks are built on it.

    >>> [j.verdict for _, _, j in judge_labels([(1, "224x224x3"), (2, "56×56×256"), (3, "7×7×2048")], ["resnet"+d
    ...     for d in ("18", "50")])]
    []
    """
    if not nets:
        return []
    shapes = [(n, t, label_chw(t)) for n, t in labels]
    shapes = [s for s in shapes if s[2] is not None]
    input_chw = next((s[2] for s in shapes[:1] if s[2][0] in (1, 3) and len(shapes) > 1
                      and s[2][1] >= max(o[2][1] for o in shapes)), None)  # the first and largest map: the input
    out = []
    for line, text, chw in shapes:
        if chw == input_chw:
            continue
        answers = [_one(k, chw, input_chw) for k in nets]
        if any(a is None for a in answers) or len({a[0] for a in answers}) != 1:
            continue
        verdict, why = answers[0]
        if len(nets) > 1:
            why = why.replace(_DISPLAY.get(nets[0], nets[0]), "every " + "/".join(_DISPLAY.get(k, k) for k in nets), 1)
        cex = None
        if verdict == "INCORRECT":  # the network, the input it was built on, and the label it never produces
            cex = {"network": "/".join(_DISPLAY.get(k, k) for k in nets), "document": text,
                   "values": {"input": "×".join(map(str, input_chw)) if input_chw else "its own"}}
        out.append((line, text, Judgement(verdict, "output_size", why, counterexample=cex)))
    return out


_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\\(?:sub)*section\*?\{|\\chapter\{|<h[1-6]\b|[=\-~^]{4,}\s*$)", re.I)


def _context(lines: list[str], start: int, end: int, whole: bool = True) -> list[str]:
    """The networks a figure drawn between ``start`` and ``end`` talks about: those named in the figure or the
    lines just around it (its caption), else in its section up to it, else (``whole``) anywhere in the document."""
    near = "\n".join(lines[max(0, start - 3):min(len(lines), end + 4)])
    if nets := named_networks(near):
        return nets
    top = start - 1
    while top > 1 and start - top < 40 and not _HEADING.match(lines[top - 1]):
        top -= 1
    if nets := named_networks("\n".join(lines[top - 1:start])):
        return nets
    return named_networks("\n".join(lines)) if whole else []


def _kernel_like(label: str, line: str) -> bool:
    """Whether ``7x7x64`` on a line speaking of convolutions, kernels or filters could be a kernel (a 7×7 stem with
    64 filters) rather than a map: a small square written H×W×C (``64@7×7`` and framework printouts cannot be).

    >>> _kernel_like("7x7x64", "conv1: 7x7x64, stride 2"), _kernel_like("7×7×512", "pool5 output 7×7×512")
    (True, False)
    """
    chw = label_chw(label)
    return (chw is not None and chw[1] <= 11 and "@" not in label
            and bool(re.search(r"(?i)\bconv(?:olution)?s?\b|kernel|filter|weight|stride", line)))


def named_figure_findings(lines: list[str]) -> list[tuple[int, str, Judgement]]:
    """``(line, label, judgement)`` for the labels of every figure (:func:`proofs.document.figure_labels.figure_labels`)
    of a document that names a network of :mod:`derive.nets`, the explanation starting with "figure".

    >>> doc = ["# AlexNet and its maps", "", "```", "227x227x3 -> 55x55x96 -> 27x27x96 -> 13x13x256", "```"]
    >>> [(t, j.verdict) for _, t, j in named_figure_findings(doc)]  # torchvision's AlexNet has 64 filters, not 96
    [('13x13x256', 'CORRECT')]
    >>> doc = ["VGG-19 layers:", "", "```", "224x224x3", "112x112x128", "56x56x512", "```"]
    >>> [(n, j.verdict) for n, _, j in named_figure_findings(doc)]
    [(5, 'CORRECT'), (6, 'INCORRECT')]
    """
    from ..document.figure_labels import figure_labels

    out = []
    for g in figure_labels(lines):
        nets = _context(lines, g.start, g.end, whole=g.kind != "shape list")  # loose labels: their section
        labels = [(n, t) for n, t in g.labels if not _kernel_like(t, lines[n - 1] if n <= len(lines) else "")]
        for line, text, j in judge_labels(labels, nets):
            j.explanation = f"figure ({g.kind}): {j.explanation}"
            out.append((line, text, j))
    return out
