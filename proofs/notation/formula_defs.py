r"""Letters the prose next to a formula defines *by a formula*: "…, where $DKH = 1 + (KH - 1)(DH + 1)$".

A formula often uses a helper letter and defines it right after ("where", "with") or just before. Such
a letter has no role of its own: it stands for its defining expression. :func:`defined_nearby` reads the
math of a piece of text with proofs' own grammar (never ``eval``) and returns the definitions of the
letters asked for; the judge substitutes them and judges the formula in the letters that have roles
(the definition itself is judged where it stands, as the quantity it states).

Examples
--------
>>> d = defined_nearby(r", where $DKH = 1 + (KH - 1) \cdot (DH + 1)$, and", ["DKH", "IH"])
>>> d["DKH"]
(DH + 1)*(KH - 1) + 1
>>> defined_nearby("with $a = 3$ and $b = c$", ["b"])
{'b': c}
>>> defined_nearby("where $x$ is the input", ["x"])
{}
"""

from __future__ import annotations

import re

__all__ = ["defined_nearby"]

_MATH = re.compile(r"\\f\$(.+?)\\f\$|\$\$?([^$]+?)\$\$?|\\\((.+?)\\\)|`([^`]+)`")


def defined_nearby(text: str, names) -> dict:
    """``{name: expression}`` for each of ``names`` that a formula in ``text`` defines as ``name = expression``."""
    from ..document import parse_math
    from .names import reread_runs

    wanted = set(names)
    out: dict = {}
    if not wanted or not text:
        return out
    for m in _MATH.finditer(text):
        tex = next(g for g in m.groups() if g is not None).strip().rstrip(",.;")
        if "=" not in tex or len(tex) > 200:
            continue
        try:
            parsed = parse_math(tex)
        except Exception:  # noqa: BLE001 - what the grammar cannot read defines nothing
            continue
        if parsed.relations != ["="] or len(parsed.sides) != 2:
            continue
        lhs, rhs = reread_runs(parsed.sides, parsed.notes)
        name = str(lhs) if getattr(lhs, "is_Symbol", False) else None
        if name in wanted and name not in out and getattr(rhs, "free_symbols", None) and lhs not in rhs.free_symbols:
            out[name] = rhs
    return out
