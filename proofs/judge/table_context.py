r"""What the text around a table of layers says that its rows leave out: the input, and the hyperparameters every
convolution or pooling shares.

Tables of layers often give each row's name, filters and output but not the network's input ("The network takes a
32×32 RGB image") nor the kernel every convolution shares ("all convolutions are 3×3 with padding 1, stride 1").
:func:`stated_input` and :func:`stated_defaults` read those sentences from the table's section and caption;
:func:`with_context` puts the input before the first row (when no row states it) and gives each row the
hyperparameters it does not state itself, noting where they came from. A clause with an exception ("except the
first", "but the last") states no default.

>>> stated_input("The network takes a 32×32 RGB image."), stated_input("Input images are 28x28 grayscale digits")
((3, 32, 32), (1, 28, 28))
>>> stated_input("The input is 3×227×227."), stated_input("The images are 96×96 pixels."), stated_input("a 3×3 kernel")
((3, 227, 227), (None, 96, 96), None)
>>> d = stated_defaults("Every convolution has 3×3 kernels with a bias and padding 1; the pooling layers are 2×2 max "
...                     "pooling with stride 2.")
>>> d["conv"], d["pool"]
({'kernel': 3, 'padding': 1}, {'kernel': 2, 'stride': 2})
>>> stated_defaults("The convolutions below are all 5×5 with no padding and stride 1.")["conv"]
{'kernel': 5, 'padding': 0, 'stride': 1}
>>> stated_defaults("All convolutions are 3×3 except the first, which is 7×7.")
{}
"""

from __future__ import annotations

import html
import re

__all__ = ["stated_input", "stated_defaults", "stated_storage", "with_context", "table_context"]

_TIMES = r"\s*(?:×|x|X|\\times|\*)\s*"
_ONE = re.compile(r"(?i)\b(?:gr[ae]y(?:scale)?|monochrome|single[- ]channel|one[- ]channel|binary|black[- ]and[- ]white)\b")
_THREE = re.compile(r"(?i)\b(?:rgb|bgr|colou?r(?:ed)?|three[- ]channel|3[- ]channel)\b")
_INPUT_WORD = re.compile(r"(?i)\b(?:input|inputs|image|images|picture|pictures|photos?|takes?|fed|feeds?)\b")
_EXCEPT = re.compile(r"(?i)\b(?:except|but|apart from|other than|unless|save for|besides|whereas)\b")
_CONV = re.compile(r"(?i)\bconv(?:olution(?:al)?)?s?\b|\bconv\d|\bconv(?:olution)?\s*layers?\b")
_POOL = re.compile(r"(?i)\bpool(?:ing|s)?\b|\bmax[- ]?pool|\bsubsampling\b")
_ALL = re.compile(r"(?i)\b(?:all|every|each|both|throughout|always|the (?:conv\w*|pool\w*) (?:layers )?(?:below|above|in (?:the|this) table))\b")


def _clean(text: str) -> str:
    text = html.unescape(text)
    text = re.sub(r"\\(?:times|cdot)(?![A-Za-z])", "×", text)
    return re.sub(r"[$]|\\[,;!: ]", " ", text)


def stated_input(text: str) -> tuple | None:
    """``(C, H, W)`` of the input a sentence of ``text`` states (C None when it does not say); the first such
    sentence wins."""
    for sentence in re.split(r"(?<=[.;:!?])\s+|\n\s*\n", _clean(text)):
        if not _INPUT_WORD.search(sentence) or re.search(r"(?i)\b(?:kernel|filter|window|patch)s?\b", sentence):
            continue
        m = re.search(r"(?<![\d×])(\d+)" + _TIMES + r"(\d+)(?:" + _TIMES + r"(\d+))?(?![\d×])", sentence)
        if not m:
            continue
        a, b, c = (int(g) if g else None for g in m.groups())
        if c is None:
            if a != b or a < 8:
                continue
            ch = 1 if _ONE.search(sentence) else 3 if _THREE.search(sentence) else None
            return ch, a, b
        if a == b and c in (1, 3, 4):
            return c, a, b
        if b == c and a in (1, 3, 4):
            return a, b, c
    return None


def _values(clause: str) -> dict:
    out: dict = {}
    if m := re.search(r"(?<![\d×])(\d{1,2})" + _TIMES + r"\1(?![\d×])", clause):
        out["kernel"] = int(m.group(1))
    if re.search(r"(?i)\b(?:no|without|zero)\s+(?:zero[- ])?padding\b|\bunpadded\b|\bvalid\b", clause):
        out["padding"] = 0
    elif re.search(r"(?i)['\"‘“]?same['\"’”]?\s+padding|padding\s*=?\s*['\"‘“]same", clause):
        out["padding"] = "SAME"
    elif m := re.search(r"(?i)\b(?:zero[- ])?pad(?:ding|ded)?\s*(?:of\s*|=\s*|by\s*)?(\d)\b", clause):
        out["padding"] = int(m.group(1))
    if m := re.search(r"(?i)\bstride\s*(?:of\s*|=\s*)?(\d)\b|\bstride[- ](\d)\b|\b(\d)[- ]strided?\b", clause):
        out["stride"] = int(next(g for g in m.groups() if g))
    return out


def stated_defaults(text: str) -> dict:
    """``{"conv": {...}, "pool": {...}}``: the kernel, padding and stride that a clause of ``text`` gives every
    convolution (or pooling) — a clause naming one of the two, with "all", "every", "each", "both" or "the
    convolutions below" and no exception."""
    out: dict = {}
    for clause in re.split(r"(?<=[.;!?])\s+|;\s*|\n\s*\n", _clean(text)):
        if _EXCEPT.search(clause):
            continue
        conv, pool = bool(_CONV.search(clause)), bool(_POOL.search(clause))
        if conv == pool:
            continue
        if not _ALL.search(clause) and not re.search(r"(?i)\b(?:the|our) (?:conv\w*|pool\w*)(?: layers)? (?:are|use)\b", clause):
            continue
        values = _values(clause)
        if values:
            out.setdefault("conv" if conv else "pool", {}).update(values)
    return out


_PRECISION = ((r"float32|fp32|single[- ]precision|32-bit float|\bf32\b", 4), (r"float16|fp16|bfloat16|bf16|half[- ]precision|16-bit float", 2),
              (r"float64|fp64|double[- ]precision|\bdouble\b", 8), (r"\bint8\b|8-bit integer", 1))


def stated_storage(text: str) -> tuple[int | None, int]:
    """``(bytes per value, batch size)`` the text states for activations: a precision ("float32", "fp16") or a
    number of bytes per value ("4 bytes each"), None when it states none or several; the batch 1 unless stated.

    >>> stated_storage("every activation is stored in float32 (4 bytes)"), stated_storage("in fp16, batch size 8")
    ((4, 1), (2, 8))
    >>> stated_storage("float32 weights, fp16 activations"), stated_storage("no word of it")
    ((None, 1), (None, 1))
    """
    text = _clean(text)
    found = {b for rx, b in _PRECISION if re.search(r"(?i)" + rx, text)}
    found |= {int(m.group(1)) for m in re.finditer(r"(?i)\b([1248])[- ]bytes?\b(?:\s*(?:per|each|for each|a)\b)?", text)}
    m = re.search(r"(?i)\bbatch(?:[- ]size)?\s*(?:of|=|:)?\s*(\d+)\b|\b(\d+)\s+images? (?:at once|per batch)", text)
    batch = int(next(g for g in m.groups() if g)) if m else 1
    return (found.pop() if len(found) == 1 else None), batch


def table_context(lines: list[str], first: int, last: int) -> str:
    """The text a table at lines ``first``…``last`` is read with: its section up to it (40 lines at most) and the
    lines just after it (its caption)."""
    from .named_shapes import _HEADING

    top = first - 1
    while top > 1 and first - top < 40 and not _HEADING.match(lines[top - 1]):
        top -= 1
    return "\n".join(lines[top - 1:first - 1] + lines[last:min(len(lines), last + 4)])


def with_context(rows: list, context: str, line: int) -> list:
    """``rows`` (:class:`~proofs.judge.layer_chain.LayerRow`) with the input ``context`` states put before them when
    no row states it (at ``line``, the table's header), and each convolution's or pooling's unstated kernel, stride
    and padding taken from the defaults ``context`` states (``row.notes["defaults"]`` says which)."""
    from .layer_chain import LayerRow, kind_of

    if not rows:
        return rows
    defaults = stated_defaults(context)
    per_value, batch = stated_storage(context)
    for row in rows:
        row.notes.update({"bytes": per_value, "batch": batch} if per_value else {})
        kind = kind_of(row.name)
        group = defaults.get("conv" if kind == "conv" else "pool" if kind in ("max_pool", "avg_pool") else "", {})
        used = {}
        for attr, value in group.items():
            if getattr(row, attr) is None:
                from .layer_chain import describe, padding_in

                stated = {"kernel": describe(row.name)[1], "stride": describe(row.name)[2],
                          "padding": padding_in(row.name)}[attr]
                if stated is None:
                    setattr(row, attr, value)
                    used[attr] = value
        if used:
            row.notes["defaults"] = used
    first = rows[0]
    if kind_of(first.name) not in (None, "input") or first.shape is None:
        given = stated_input(context)
        if given is not None and given[0] is not None:
            rows = [LayerRow(line, "input", shape=("chw", given), shape_text="×".join(map(str, given[1:] + given[:1])))] + rows
    return rows
