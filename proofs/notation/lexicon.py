"""The role lexicon: which words of prose name which role of a CNN quantity.

A definition in prose ties a symbol to a role through a *word*, whatever the
sentence around it: "windows start $u$ pixels **apart**", "the border is filled
with $q$ **zeros**", "let $F$ denote the **filter** size". This module holds
those words as data, one entry per role, and finds them in a piece of text.
The sentences are free; only the vocabulary is fixed.

Examples
--------
>>> [h.role for h in role_words("neighbouring windows start u pixels apart")]
['stride']
>>> [h.role for h in role_words("the border is filled with q zeros on every side")]
['padding', 'padding']
>>> role_of_word("filter size"), role_of_word("dilation rate"), role_of_word("zeros")
('kernel', 'dilation', 'padding')
>>> role_of_word("banana") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["WEAK", "WINDOW_WORDS", "LEXICON", "ROLE_ALIASES", "RoleWord", "role_words", "role_of_word", "canonical_role", "direction"]

#: role -> word patterns (regular-expression pieces, matched on word boundaries, case-insensitive).
#: Order matters only for overlapping words: the longest match at a position wins.
LEXICON: dict[str, tuple[str, ...]] = {
    "stride": (r"strides?", r"strided", r"steps?", r"step sizes?", r"apart", r"shift(?:s|ed)?", r"hops?", r"jumps? between windows",
               r"subsampl\w* factor", r"downsampl\w* factor", r"spacing"),
    "padding": (r"padd?ing", r"padded", r"pads?", r"(?:zeros|zeroes) (?:added|appended|inserted|placed)", r"zeros", r"zeroes", r"zero[- ]padding", r"borders?", r"margins?",
                r"halo"),
    "kernel": (r"filters? (?:size|width|height|length|extent)", r"(?:filter|kernel|window)s? (?:covers?|spans?)",
               r"kernel size", r"window (?:size|width|length)", r"receptive field size", r"spatial extent", r"taps",
               r"(?:spatial )?(?:size|width|height|length|extent|side) of (?:the |a |an |each |every |one |our )?"
               r"(?:convolution(?:al)? )?(?:filters?|kernels?|windows?)",
               r"(?:filters?|kernels?|windows?) (?:of|with) (?:a )?(?:size|width|length|side|extent)",
               r"(?:filters?|kernels?|windows?) (?:has|have) (?:a )?(?:size|width|length|side|extent)"),
    "dilation": (r"dilat\w*", r"atrous rate", r"holes", r"gaps? between (?:kernel |filter )?taps"),
    "channels_in": (r"input channels", r"channels (?:going |coming )?in(?:to)?\b", r"in[- ]channels", r"input depth",
                    r"depth of the input", r"input feature maps", r"channels of the input"),
    "channels_out": (r"output channels", r"channels (?:going |coming )?out\b", r"out[- ]channels", r"number of filters",
                     r"filters", r"output feature maps", r"feature maps", r"output depth", r"channels of the output"),
    "channels": (r"channels",),
    "input_size": (r"input (?:size|width|height|length|side|resolution|row|image|map)", r"image (?:size|width|height)",
                   r"row of the input", r"(?:width|height|length|size|side) of (?:the|an|each) input",
                   r"(?:input|image)s? (?:image |map |volume )?(?:of|with) (?:a )?(?:size|width|height|length|side)"),
    "output_size": (r"output (?:size|width|height|length|side|resolution|row|map)", r"(?:width|height|length|size) of the output",
                    r"number of (?:windows|window positions|positions|outputs)", r"how many windows"),
    "pool": (r"pool(?:ing)? (?:size|window|extent)", r"size of the pooling window"),
    "output_padding": (r"output[_ ]padding",),
    "layers": (r"number of layers", r"layers", r"depth of the (?:network|stack)"),
}

#: role words that name the role only next to a word of windows ("the input shifts by Δ" is no stride)
WEAK: dict[str, str] = {"shift": "stride", "shifts": "stride", "shifted": "stride", "step": "stride", "steps": "stride",
                        "apart": "stride", "hop": "stride", "hops": "stride", "spacing": "stride", "holes": "dilation",
                        "zeros": "padding", "zeroes": "padding", "border": "padding", "borders": "padding",
                        "margin": "padding", "margins": "padding", "taps": "kernel"}
#: the words of windows that make a weak role word count
WINDOW_WORDS = r"(?i)\b(?:windows?|filters?|kernels?|patch(?:es)?|positions?|slid\w*|receptive|taps?|convol\w*|pool\w*|border|pad\w*|zeros|edges?|sides?)\b"

#: spellings of role names accepted in declared notation (``u=stride``, ``F=filter_size``)
ROLE_ALIASES: dict[str, str] = {
    "stride": "stride", "step": "stride", "s": "stride",
    "padding": "padding", "pad": "padding", "zeros": "padding",
    "kernel": "kernel", "kernel_size": "kernel", "filter": "kernel", "filter_size": "kernel", "window": "kernel",
    "dilation": "dilation", "rate": "dilation", "dilation_rate": "dilation",
    "channels_in": "channels_in", "in_channels": "channels_in", "c_in": "channels_in", "input_channels": "channels_in",
    "channels_out": "channels_out", "out_channels": "channels_out", "c_out": "channels_out", "filters": "channels_out",
    "output_channels": "channels_out",
    "channels": "channels",
    "input_size": "input_size", "input": "input_size", "size": "input_size", "width": "input_size", "height": "input_size",
    "output_size": "output_size", "output": "output_size",
    "pool": "pool", "pool_size": "pool",
    "output_padding": "output_padding",
    "layers": "layers",
    "receptive_field": "receptive_field", "jump": "jump",
}


@dataclass(frozen=True)
class RoleWord:
    """One role word found in a text: the role, the words as written and their character span."""

    role: str
    words: str
    start: int
    end: int


_COMPILED = [(role, re.compile(rf"(?i)(?<![A-Za-z])(?:{p})(?![A-Za-z])")) for role, pats in LEXICON.items() for p in pats]


def role_words(text: str) -> list[RoleWord]:
    """Every role word of ``text``, in order; overlapping matches keep the longest (then the first listed).

    >>> [(h.role, h.words) for h in role_words("m and m̃ count the channels going in and coming out")]
    [('channels_in', 'channels going in')]
    >>> [(h.role, h.words) for h in role_words("the number of filters K and the filter size F")]
    [('channels_out', 'number of filters'), ('kernel', 'filter size')]
    """
    found = []
    for order, (role, rx) in enumerate(_COMPILED):
        for m in rx.finditer(text):
            found.append((m.start(), -(m.end() - m.start()), order, RoleWord(role, m.group(0), m.start(), m.end())))
    found.sort(key=lambda t: t[:3])
    out: list[RoleWord] = []
    for _, _, _, hit in found:
        if out and hit.start < out[-1].end:
            continue
        out.append(hit)
    return out


def role_of_word(words: str) -> str | None:
    """The role that ``words`` name as a whole (or that their first role word names), or None."""
    key = words.strip().lower().replace(" ", "_").replace("-", "_")
    if key in ROLE_ALIASES:
        return ROLE_ALIASES[key]
    hits = role_words(words)
    return hits[0].role if hits else None


def canonical_role(name: str) -> str:
    """A declared role name in canonical form; ValueError names the accepted spellings.

    >>> canonical_role("filter_size"), canonical_role("Stride")
    ('kernel', 'stride')
    >>> canonical_role("colour")
    Traceback (most recent call last):
    ...
    ValueError: unknown role 'colour'; expected one of: channels, channels_in, channels_out, dilation, input_size, jump, kernel, layers, output_padding, output_size, padding, pool, receptive_field, stride
    """
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    if key in ROLE_ALIASES:
        return ROLE_ALIASES[key]
    raise ValueError(f"unknown role {name!r}; expected one of: {', '.join(sorted(set(ROLE_ALIASES.values())))}")


_IN = re.compile(r"(?i)\b(?:in|into|going in|coming in|incoming|input|entering|consumed|read)\b")
_OUT = re.compile(r"(?i)\b(?:out|going out|coming out|outgoing|output|leaving|produced|written)\b")


def direction(text: str) -> list[str]:
    """The in/out directions named in ``text``, in order ("going in and coming out" → ['in', 'out']).

    >>> direction("the channels going in and coming out"), direction("output and input channels")
    (['in', 'out'], ['out', 'in'])
    """
    marks = [(m.start(), "in") for m in _IN.finditer(text)] + [(m.start(), "out") for m in _OUT.finditer(text)]
    marks.sort()
    out: list[str] = []
    for _, d in marks:
        if not out or out[-1] != d:
            out.append(d)
    return out
