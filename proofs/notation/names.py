r"""The role a symbol's *name* gives, read from its parts: words, camelCase, upper-case abbreviations.

Specifications and code name hyperparameters with several letters: oneDNN writes ``IH``, ``KH``,
``SH``, ``PH_L``/``PH_R``, ``DH``, ``IC``/``OC`` (a quantity letter, then the axis), code writes
``kernelSize``, ``padH``, ``stride_w``, prose writes ``Width``, ``Filter``. This module cuts a name into
its parts and reads the role from them; it holds the vocabulary as data and no sentence of any document.

* :func:`name_parts` — ``"kernelSize"`` → ``['kernel', 'size']``, ``"PH_L"`` → ``['PH', 'L']``;
* :func:`abbreviation_role` — ``IH`` input size, ``OH`` output size, ``KH`` kernel, ``SH`` stride,
  ``PH``/``PH_L`` padding (``_L``/``_R``: begin/end side), ``DH`` dilation, ``IC``/``OC`` channels;
* :func:`rejoin_runs` — the grammar reads an upper-case run ``IH`` as the product ``I·H`` and says so in
  a note; the run is re-read as one name when the caller decides the names explain the formula better.

Examples
--------
>>> name_parts("kernelSize"), name_parts("pad_h"), name_parts("PH_L"), name_parts("strides_spatial_shape")
(['kernel', 'size'], ['pad', 'h'], ['PH', 'L'], ['strides', 'spatial', 'shape'])
>>> [abbreviation_role(n) for n in ("IH", "OW", "KD", "SH", "PH_L", "PW_R", "DH", "IC", "OC", "ih", "DKH", "HI")]
['input_size', 'output_size', 'kernel', 'stride', 'padding', 'padding', 'dilation', 'channels_in', 'channels_out', None, None, None]
>>> side_of("PH_L"), side_of("pads_end"), side_of("P")
('begin', 'end', None)
"""

from __future__ import annotations

import re

import sympy as sp

__all__ = ["name_parts", "abbreviation_role", "side_of", "runs_in_notes", "rejoin_runs", "reread_runs", "AXIS_LETTERS"]

#: the axis letter closing an abbreviation: height, width, depth (3-D)
AXIS_LETTERS = "HWD"
#: the quantity letter opening an abbreviation
_QUANTITY = {"I": "input_size", "O": "output_size", "K": "kernel", "S": "stride", "P": "padding", "D": "dilation"}
#: subscripts naming the first (begin) and the second (end) side of an axis
_BEGIN = {"l", "left", "begin", "start", "t", "top", "front", "b0"}
_END = {"r", "right", "end", "stop", "bottom", "back", "b1"}


def name_parts(name: str) -> list[str]:
    """The parts of a name: snake_case, camelCase and subscripts cut; an upper-case run stays whole.

    >>> name_parts("outH"), name_parts("in_channels"), name_parts("IC_G"), name_parts("x")
    (['out', 'H'], ['in', 'channels'], ['IC', 'G'], ['x'])
    """
    clean = name.replace("{", "").replace("}", "").replace("\\", "")
    parts: list[str] = []
    for chunk in re.split(r"[_\s]+", clean):
        if not chunk:
            continue
        for m in re.finditer(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^A-Za-z\d]+", chunk):
            parts.append(m.group(0))
    return [p.lower() if re.fullmatch(r"[A-Z][a-z]+", p) else p for p in parts]


def _split_sub(name: str) -> tuple[str, str]:
    clean = name.replace("{", "").replace("}", "").replace("\\", "")
    base, _, sub = clean.partition("_")
    return base, sub


def abbreviation_role(name: str) -> str | None:
    """The role of an upper-case abbreviation (a quantity letter, then an axis letter), or None.

    Lower-case ``ih``, ``kh`` are the *indices* along those axes in the same notation, never sizes.

    >>> abbreviation_role("KW_L"), abbreviation_role("PD_R"), abbreviation_role("PH_C"), abbreviation_role("IC_G")
    (None, 'padding', 'padding', None)
    """
    base, sub = _split_sub(name)
    if not re.fullmatch(r"[A-Z]{2}", base):
        return None
    if base in ("IC", "OC"):
        return ("channels_in" if base == "IC" else "channels_out") if not sub else None
    first, axis = base
    if axis not in AXIS_LETTERS or first not in _QUANTITY:
        return None
    role = _QUANTITY[first]
    if sub:  # PH_L, PH_R: one side's padding (the letter naming the side is the document's choice)
        return role if role == "padding" and re.fullmatch(r"[A-Za-z0-9]", sub) else None
    return role


def side_of(name: str) -> str | None:
    """``"begin"`` or ``"end"`` when the name's last part says which side of the axis it is for, else None."""
    parts = name_parts(name)
    if len(parts) < 2:
        return None
    last = parts[-1].lower()
    return "begin" if last in _BEGIN else "end" if last in _END else None


_RUN_NOTE = re.compile(r"'([A-Za-z]{2,})' read as the product")


def runs_in_notes(notes) -> list[str]:
    """The letter runs the grammar read as products, from its notes.

    >>> runs_in_notes(["'OH' read as the product O·H", "'a' read as x"])
    ['OH']
    """
    out = []
    for n in notes or ():
        m = _RUN_NOTE.search(str(n))
        if m and m.group(1) not in out:
            out.append(m.group(1))
    return out


def _factors(term) -> list:
    """The factors of a product with powers spelled out (``K**2*H`` → K, K, H); None for a non-integer power."""
    out = []
    for f in sp.Mul.make_args(term):
        if f.is_Pow and f.exp.is_Integer and f.exp > 1 and f.base.is_Symbol:
            out += [f.base] * int(f.exp)
        else:
            out.append(f)
    return out


def _rejoin_product(term, runs: list[str]):
    """A product of letters with each whole run replaced by its name (``H*I*K`` with run ``IH`` → ``IH*K``)."""
    pool = _factors(term)
    names = []
    changed = True
    while changed:
        changed = False
        for run in sorted(runs, key=len, reverse=True):
            *head, last = run
            picked = []
            rest = list(pool)
            for letter in head:
                hit = next((f for f in rest if f.is_Symbol and f.name == letter), None)
                if hit is None:
                    break
                rest.remove(hit)
                picked.append(hit)
            else:  # the last letter may carry the run's subscript: PH_L is P·H_L
                hit = next((f for f in rest if f.is_Symbol and (f.name == last or f.name.startswith(last + "_"))), None)
                if hit is not None:
                    rest.remove(hit)
                    names.append(sp.Symbol(run + hit.name[len(last):]))
                    pool = rest
                    changed = True
                    break
    if not names:
        return term
    return sp.Mul(*names, *pool)


def rejoin_runs(expr, runs: list[str]):
    """``expr`` with every product that holds the letters of a run re-read as that run's name.

    >>> I, H, K, S, P, HL, HR = sp.symbols("I H K S P H_L H_R")
    >>> rejoin_runs(sp.floor((I*H - K*H + P*HL + P*HR) / (S*H)) + 1, ["IH", "KH", "PH", "SH"])
    floor((IH - KH + PH_L + PH_R)/SH) + 1
    >>> rejoin_runs(I*H*K*H, ["IH", "KH"])
    IH*KH
    """
    if not runs or not isinstance(expr, sp.Basic):
        return expr
    def visit(e):
        if e.is_Atom or isinstance(e, (sp.Indexed, sp.IndexedBase)):
            return e
        inner = e.func(*[visit(a) for a in e.args])
        if inner.is_Pow and inner.base.is_Symbol and inner.exp.is_Integer and inner.exp > 1:
            return _rejoin_product(inner, runs)  # D**2: the run DD
        if not inner.is_Mul:
            return inner
        num = [f for f in inner.args if not (f.is_Pow and f.exp.is_Integer and f.exp < 0)]
        den = [f.base ** -f.exp for f in inner.args if f.is_Pow and f.exp.is_Integer and f.exp < 0]
        out = _rejoin_product(sp.Mul(*num), runs)
        return out / _rejoin_product(sp.Mul(*den), runs) if den else out

    return visit(expr)


def reread_runs(sides, notes, known=()):
    """The sides with the grammar's letter runs re-read as names, when every new name has a role; else unchanged.

    A run is a name only when the evidence says so: each name it makes is an abbreviation of the lexicon
    (:func:`abbreviation_role`) or a name in ``known`` (the document's definitions, declared notation).
    Otherwise ``I·H`` stays a product, as the grammar read it.

    >>> O, H, I, K = sp.symbols("O H I K")
    >>> reread_runs([O*H, I*H - K*H + 1], ["'OH' read as the product O·H", "'IH' read as the product I·H",
    ...                                    "'KH' read as the product K·H"])
    [OH, IH - KH + 1]
    >>> reread_runs([O*H, I*H], ["'OH' read as the product O·H", "'IH' read as the product I·H"], known=())[0]
    OH
    >>> A, B = sp.symbols("A B")
    >>> reread_runs([A*B + 1], ["'AB' read as the product A·B"])  # no role for 'AB': the product stays
    [A*B + 1]
    """
    runs = runs_in_notes(notes)
    if not runs:
        return list(sides)
    out = [rejoin_runs(s, runs) for s in sides]
    before = set().union(*(getattr(s, "free_symbols", set()) for s in sides))
    after = set().union(*(getattr(s, "free_symbols", set()) for s in out))
    new = {str(x) for x in after - before}
    if not new or not all(abbreviation_role(n) or n in known for n in new):
        return list(sides)
    return out
