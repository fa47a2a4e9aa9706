r"""Hyperparameters a layer's name gives as letters of the document's notation: ``CONV1 (f=5, s=1)``.

A cell names its layer and assigns letters (``f=5, s=1``, ``k = 3``, ``p=1``, ``n_c=16``). Each letter is bound
through the document's symbol table (``roles``: letter -> role, as :meth:`proofs.notation.SymbolTable.roles_at`
gives it from prose such as "f = filter size"); a letter the document does not define falls back to the usual
conventions of layer descriptions: ``k`` the kernel, ``s`` the stride, ``p`` the padding, and ``f`` the filter
(kernel) size only when its value is a plausible kernel side (at most 11) and no other letter is the kernel.
A letter bound to a role that is not a hyperparameter of one layer, or not bound at all, is ignored.

Examples
--------
>>> lettered("CONV1 (f=5, s=1)", {})
{'kernel': 5, 'stride': 1}
>>> lettered("CONV1 (f=5, s=1)", {"f": "dilation", "s": "stride"})  # f is not the kernel here
{'stride': 1}
>>> lettered("conv (F = 3, S = 1, P = 1, K = 64)", {"F": "kernel", "S": "stride", "P": "padding", "K": "channels_out"})
{'kernel': 3, 'stride': 1, 'padding': 1, 'channels': 64}
>>> lettered("conv1", {})
{}
>>> spelled_header(["Layer", "$f$", "s", "p", "$n_C$", "Output"], {"f": "kernel", "n_C": "channels_out"})
['Layer', 'kernel', 'stride', 'padding', 'filters', 'Output']
"""

from __future__ import annotations

import re

__all__ = ["lettered", "spelled_header"]

#: roles of the symbol table -> the field of a layer row they set
_FIELDS = {"kernel": "kernel", "stride": "stride", "padding": "padding", "channels_out": "channels",
           "filters": "channels", "num_filters": "channels"}
#: letters of the usual conventions, used only when the document does not define them
_USUAL = {"k": "kernel", "s": "stride", "p": "padding"}
_ASSIGN = re.compile(r"(?<![\w\\])([A-Za-z](?:_\{?[A-Za-z]+\}?)?)\s*=\s*(\d+)\b(?!\s*[.,]\d)")


def lettered(name: str, roles: dict | None) -> dict[str, int]:
    """``{field: value}`` (``kernel``, ``stride``, ``padding``, ``channels``) of the letters assigned in ``name``;
    a field assigned twice with different values is dropped."""
    roles = roles or {}
    text = name.replace("$", "").replace("{", "").replace("}", "")
    found: dict[str, set] = {}
    pairs = [(m.group(1), int(m.group(2))) for m in _ASSIGN.finditer(text)]
    kernel_named = any(roles.get(letter) == "kernel" for letter, _ in pairs) or any(
        letter.lower() == "k" and letter not in roles for letter, _ in pairs)
    for letter, value in pairs:
        role = roles.get(letter)
        if role is None and letter.lower() in _USUAL and letter.lower() not in roles:
            role = _USUAL[letter.lower()]
        if role is None and letter.lower() == "f" and not kernel_named and 0 < value <= 11:
            role = "kernel"
        field = _FIELDS.get(role or "")
        if field is not None:
            found.setdefault(field, set()).add(value)
    return {f: next(iter(v)) for f, v in found.items() if len(v) == 1}


_WORDS = {"kernel": "kernel", "stride": "stride", "padding": "padding", "channels": "filters"}


def spelled_header(header: list[str], roles: dict | None) -> list[str]:
    """A table's header with each one-letter column (``f``, ``$s$``, ``n_C``) spelled as the hyperparameter the
    document's notation (else the usual ``k``/``s``/``p``) makes it, so that its column is read by its role."""
    out = []
    for h in header:
        t = re.sub(r"\\mathrm|\\text|[$`*{}\\]|\s", "", h) if len(h) <= 14 else ""
        found = lettered(f"{t}=1", roles) if re.fullmatch(r"[A-Za-z](?:_[A-Za-z]{1,3})?", t or "-") and (
            t in (roles or {}) or t.lower() in _USUAL) else {}
        out.append(_WORDS[next(iter(found))] if len(found) == 1 else h)
    return out
