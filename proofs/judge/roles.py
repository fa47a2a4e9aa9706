"""Binding the symbols of a formula to roles (kernel size, stride, padding, ...).

A symbol's role comes from its name (``k``, ``K_h``, ``F`` are kernel sizes;
``s``, ``S`` strides; ``C_in``, ``c_i``, ``D1`` input channels), from the
document's own definitions near the formula ("stride $S$", "where P is the
padding", "Where:" lists) and from the section: ``p`` is the padding under a
"Padding" heading and the pool size under "Pooling".

Examples
--------
>>> b = bind_roles(["H_in", "P_h", "K_h", "S_h"], "Padding and stride")
>>> b.role("K_h"), b.role("S_h"), b.role("P_h"), b.role("H_in")
('kernel', 'stride', 'padding', 'input_size')
>>> bind_roles(["p", "s"], "Max pooling: for pool size p and stride s").role("p")
'pool'
>>> bind_roles(["W", "F", "P", "S", "K"], "the number of filters K, spatial extent F").role("K")
'channels_out'
>>> padding_convention("add a total of p_h rows of padding")
'total'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..notation.names import abbreviation_role, name_parts

__all__ = [
    "ROLES",
    "Binding",
    "bind_roles",
    "split_name",
    "definitions_in",
    "padding_convention",
    "context_values",
    "role_from_identifier",
]

#: every role a scalar symbol of a size/count formula can play
ROLES = (
    "input_size",
    "output_size",
    "kernel",
    "stride",
    "padding",
    "dilation",
    "pool",
    "channels_in",
    "channels_out",
    "channels",
    "layers",
    "layer_index",
    "receptive_field",
    "jump",
    "output_padding",
)

_GREEK = {"σ": "sigma", "δ": "delta", "ℓ": "ell"}

#: words of prose that name a role ("stride $S$", "S is the stride")
_ROLE_WORDS = (
    ("channels_out", r"number of (?:filters|kernels|output channels|output feature maps)|output channels|filters"),
    ("channels_in", r"number of input channels|input channels|input depth|depth of the input|channels"),
    ("pool", r"pool(?:ing)? (?:size|window(?: size)?)|window size|size of the pooling window"),
    ("kernel", r"kernel size|filter size|kernel width|kernel height|spatial extent|size of the (?:kernel|filter)|receptive field size of the neurons"),
    ("stride", r"strides?"),
    ("dilation", r"dilation(?: rate| factor)?"),
    ("padding", r"(?:amount of )?(?:zero[- ])?padding"),
    ("input_size", r"input (?:size|width|height|volume size|shape)|image size|(?:width|height) of the input"),
    ("output_size", r"output (?:size|width|height|dimensions?)"),
    ("layers", r"number of layers|layers"),
)


def split_name(name: str) -> tuple[str, str]:
    """Split a normalised symbol name into base and subscript.

    >>> split_name("C_in"), split_name("K_h"), split_name("H'"), split_name("D1")
    (('C', 'in'), ('K', 'h'), ("H'", ''), ('D', '1'))
    """
    name = name.replace("{", "").replace("}", "").replace("\\", "")
    for g, word in _GREEK.items():
        name = name.replace(g, word)
    if "_" in name:
        base, sub = name.split("_", 1)
        return base, sub.replace("text", "").replace("mathrm", "").strip("_ ")
    m = re.fullmatch(r"([A-Za-z]+?)(\d+)", name)
    if m:
        return m.group(1), m.group(2)
    return name, ""


#: multi-letter word names of code and framework docs (``kernel_size``, ``output_padding``)
_WORD_NAMES = {
    "kernel_size": "kernel", "kernel": "kernel", "filter_size": "kernel", "ksize": "kernel",
    "stride": "stride", "strides": "stride",
    "padding": "padding", "pad": "padding",
    "dilation": "dilation", "dilation_rate": "dilation",
    "output_padding": "output_padding",
    "in_channels": "channels_in", "out_channels": "channels_out",
    "input_size": "input_size", "output_size": "output_size",
}


def _role_from_word(name: str) -> str | None:
    """The role of a word name written out in full (``kernel_size``, ``padding``, ``output_padding``).

    >>> _role_from_word("kernel_size"), _role_from_word("output_padding"), _role_from_word("kern")
    ('kernel', 'output_padding', None)
    """
    clean = name.replace("{", "").replace("}", "").replace("\\", "")
    return _WORD_NAMES.get(clean.lower()) or role_from_identifier(clean)  # camelCase needs the original case


def role_from_identifier(name: str) -> str | None:
    """The role a compound identifier names by its words (``pad_shape``, ``strides_spatial_shape``, ``kernel_h``).

    Only whole words of three letters or more count, so ``C_in`` or ``h_o`` are left to the letter rules.

    >>> [role_from_identifier(n) for n in ("output_spatial_shape", "input_spatial_shape", "pad_shape", "dilations",
    ...                                     "strides_spatial_shape", "kernel_h", "output_padding", "C_in", "total_padding", "out_channels", "out_dims", "C_out")]
    ['output_size', 'input_size', 'padding', 'dilation', 'stride', 'kernel', 'output_padding', None, 'padding', 'channels_out', 'output_size', None]
    """
    words = [w.lower() for w in name_parts(name) if re.fullmatch(r"[A-Za-z]+", w)]  # snake_case and camelCase
    if not words or not any(len(w) >= 3 and w not in ("out", "in") for w in words):
        return None  # C_in, C_out, h_o: letters with a subscript, left to the letter rules
    has = lambda *stems: any(w.startswith(stems) for w in words if len(w) >= 3)  # noqa: E731
    if has("output", "out") and has("pad"):
        return "output_padding"
    for role, stems in (("padding", ("pad",)), ("stride", ("stride",)), ("dilation", ("dilation", "dilate")),
                        ("kernel", ("kernel", "filter", "ksize", "window"))):
        if has(*stems):
            return role
    if any(w.startswith("channel") for w in words):
        if any(w in ("out", "output", "outputs") for w in words):
            return "channels_out"
        return "channels_in" if any(w in ("in", "input", "inputs") for w in words) else None
    if any(w in ("out", "output", "outputs") for w in words):
        return "output_size"
    if any(w in ("in", "input", "inputs") for w in words):
        return "input_size"
    if len(words) == 1 and words[0] in ("width", "height", "length", "size"):
        return "input_size"  # a bare dimension word is the size being transformed
    return None


def _role_from_name(name: str, section: str) -> str | None:
    if name.endswith("'") and "_" in name and name.count("'") == 1:  # H_out', H'_out: the primed size of H_out
        return _role_from_name(name[:-1], section)
    abbrev = abbreviation_role(name)  # IH, KH, SH, PH_L, DH, IC, OC
    if abbrev is not None:
        return abbrev
    word = _role_from_word(name)
    if word is not None:
        return word
    base, sub = split_name(name)
    sub_l = sub.lower()
    sec = section.lower()
    pooling = "pool" in sec
    if base in ("C", "c", "D", "N_c", "n_c") or base.lower() in ("channels", "ch"):
        if sub_l in ("in", "i", "input", "1", "prev", "l-1", "ell-1"):
            return "channels_in"
        if sub_l in ("out", "o", "output", "2", "ell", "l"):
            return "channels_out"
        if base in ("C", "c") and sub_l == "":
            return "channels"
    if base in ("H", "W", "n", "N", "h", "w", "I", "X", "x"):
        if base in ("I", "X", "x") and sub_l not in ("in", "out"):
            return None
        if sub_l in ("out", "o", "output", "2") or base.endswith("'"):
            return "output_size"
        if sub_l in ("", "in", "i", "input", "1", "h", "w", "x", "y"):
            return "input_size"
    if base in ("H'", "W'", "n'"):
        return "output_size"
    if base in ("k", "K", "F", "f", "kernel", "ks") and sub_l in ("", "h", "w", "x", "y", "ell", "l", "i", "1", "2"):
        if base in ("k", "K") and pooling and sub_l in ("", "h", "w"):
            return "pool"
        return "kernel"
    if base in ("s", "S", "stride") and sub_l in ("", "h", "w", "x", "y", "ell", "l", "i", "1", "2"):
        return "stride"
    if base in ("P", "p", "pad") and sub_l in ("", "h", "w", "x", "y", "l", "r", "1", "2"):
        if pooling and base == "p" and "padding" not in sec:
            return "pool"
        return "padding"
    if base in ("d", "D", "dilation", "delta") and sub_l in ("", "h", "w"):
        return "dilation"
    if base in ("L",) and sub_l == "":
        return "layers"
    if base.lower() in ("rf", "r", "R") and sub_l not in ("in", "out"):
        return "receptive_field"
    if base in ("J", "j") and sub_l not in ("",):
        return "jump"
    return None


def definitions_in(text: str) -> dict[str, str]:
    """Roles that the prose assigns to symbols: "stride $S$", "P is the padding", "- $k$: kernel size".

    >>> definitions_in("the number of filters K, their spatial extent F, the stride S, the amount of zero padding P")
    {'K': 'channels_out', 'F': 'kernel', 'S': 'stride', 'P': 'padding'}
    >>> definitions_in("- $k$: Kernel size (e.g., 3×3)")
    {'k': 'kernel'}
    >>> definitions_in("fractionally strided convolutions, unit strides (i.e., i = 4)")  # not "stride d", "stride i"
    {}
    """
    out: dict[str, str] = {}
    sym = r"\$?\\?([A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?'?)\$?"
    low = re.sub(r"(?i)\b(?:i\.\s?e|e\.\s?g)\.,?", " ", text)  # "i.e.", "e.g." hold no symbol names
    for role, words in _ROLE_WORDS:
        # "<words> <sym>"  (e.g. "stride S", "kernel size $k$")
        for m in re.finditer(rf"(?i)\b(?:{words})(?![A-Za-z])\s*(?:\(|of\s+)?{sym}(?=[\s,.;:)]|$)(?!\.\w)", low):
            name = _clean(m.group(1))
            delimited = m.group(0).rstrip().endswith("$")  # "input size $i$": the dollar signs make it a symbol
            if name and (name not in ("of", "a", "is", "in", "s", "A", "e", "i") or role == "stride" or delimited):
                out.setdefault(name, role)
        # "<sym> is the <words>" / "<sym>: <words>" / "<sym> — <words>" / "<sym> = <words>"
        for m in re.finditer(rf"(?i){sym}\s*(?:is|denotes|:|—|-|=|represents)\s*(?:the\s+|a\s+|our\s+)?(?:{words})\b", low):
            name = _clean(m.group(1))
            if name:
                out.setdefault(name, role)
    return out


def _clean(name: str) -> str:
    return name.replace("{", "").replace("}", "").strip()


def padding_convention(text: str) -> str | None:
    """``"total"``, ``"per_side"`` or None, from what the prose says about padding.

    >>> padding_convention("P is the amount of zero padding on each side")
    'per_side'
    >>> padding_convention("nothing about it") is None
    True
    """
    low = text.lower()
    if re.search(r"\btotal\b[^.\n]{0,60}\bpadd|\bpadd[^.\n]{0,60}\b(in )?total\b", low):
        return "total"
    if re.search(r"each side|per side|both sides|on the border|each border|on each|either side|every side|each edge", low):
        return "per_side"
    return None


@dataclass
class Binding:
    """Roles of the symbols of one formula (symbol name -> role)."""

    roles: dict[str, str] = field(default_factory=dict)
    padding_convention: str | None = None
    notes: list[str] = field(default_factory=list)

    def role(self, name: str) -> str | None:
        """The role of ``name``, or None when it could not be bound."""
        return self.roles.get(name)

    def names(self, role: str) -> list[str]:
        """Every symbol bound to ``role``."""
        return [n for n, r in self.roles.items() if r == role]

    def unbound(self, names) -> list[str]:
        """The names among ``names`` without a role."""
        return [n for n in names if n not in self.roles]


def bind_roles(names, context: str = "", section: str = "", definitions: dict[str, str] | None = None) -> Binding:
    """Bind each symbol name to a role from the document's definitions, its section and its name.

    Parameters
    ----------
    names : iterable of normalised symbol names (``"C_in"``, ``"K_h"``...).
    context : the prose around the formula (definitions are read from it).
    section : the heading of the formula's section ("Pooling", "Padding and Stride").
    definitions : roles already known from the whole document (a "Where:" list, earlier prose).

    Returns
    -------
    Binding
    """
    local = definitions_in(context)
    roles: dict[str, str] = {}
    scope = f"{section}\n{context}"
    for name in names:
        role = local.get(name) or (definitions or {}).get(name) or _role_from_name(name, scope)
        if role is None and name in local:
            role = local[name]
        if role is None:  # "i_j: input size along axis j", then "o = (i − k) + 1" for every axis
            role = _axis_generic_role(name, local) or _axis_generic_role(name, definitions or {})
        if role is not None:
            roles[name] = role
    # "p" under pooling when a separate padding symbol exists
    return Binding(roles, padding_convention(context))


def _axis_generic_role(name: str, defs: dict[str, str]) -> str | None:
    """The one role the definitions give to ``name_j`` (any one-letter subscript), or None.

    >>> _axis_generic_role("i", {"i_j": "input_size"}), _axis_generic_role("k", {"k_l": "kernel", "k_j": "pool"})
    ('input_size', None)
    """
    if len(name) != 1:
        return None
    found = {r for n, r in defs.items() if len(n) == 3 and n[:2] == f"{name}_" and n[2].isalpha()}
    return found.pop() if len(found) == 1 else None


_NUM = r"(\d+)"


#: (role, patterns whose first group is its value) read by :func:`context_values`, first match wins
_VALUE_PATTERNS = (
    ("input_size", (rf"(?i)input(?: image)?(?: is| of| size| shape)?[^0-9.]{{0,20}}{_NUM}\s*[×x]\s*{_NUM}",)),
    ("channels_in", (rf"(?i){_NUM}\s*(?:input\s+)?channels",)),
    ("channels_out", (rf"(?i){_NUM}\s*(?:filters|kernels|output channels)",)),
    ("kernel", (rf"(?i)(?:size|kernel|filter)\s*(?:of\s*)?(?:size\s*)?{_NUM}\s*[×x]\s*{_NUM}",
                rf"(?i){_NUM}\s*[×x]\s*{_NUM}\s*(?:kernel|conv|filter)")),
    ("stride", (rf"(?i)stride[\s=:-]*(?:of\s*)?{_NUM}",)),
    ("padding", (rf"(?i)padding[\s=:-]*(?:of\s*)?{_NUM}",)),
)


def context_values(text: str) -> dict[str, int]:
    """Numbers the prose gives to roles: "64 filters of size 7×7, stride 2, padding 3".

    >>> v = context_values("Input is 224×224 with 3 channels. We apply a conv layer with 64 filters of size 7×7, stride 2, padding 3.")
    >>> v["input_size"], v["channels_in"], v["channels_out"], v["kernel"], v["stride"], v["padding"]
    (224, 3, 64, 7, 2, 3)
    """
    out: dict[str, int] = {}
    t = text.replace("\\times", "×").replace("$", "")
    for key, patterns in _VALUE_PATTERNS:
        m = next((m for p in patterns if (m := re.search(p, t))), None)
        if m:
            out[key] = int(m.group(1))
    return out
