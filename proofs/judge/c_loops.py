r"""C-style loop nests (``for (int oh = 0; oh < OH; ++oh) { … }``) rewritten as the Python loops they mean.

Reference implementations in documents are often C or C++. The loop nest is rewritten — by our own small
reader, statement by statement — into Python that :mod:`ast` can parse (``for oh in range(0, OH):``), which
:mod:`proofs.judge.loop_formula` then reads as an index formula. Only counted loops (``i = a; i < b`` or
``i <= b``; ``++i``, ``i++``, ``i += 1``), blocks, ``if`` with a condition, ``continue`` and expression
statements are rewritten; anything else (``while``, pointers, casts, calls) leaves the nest unread.

>>> print(c_to_python("for (int i = 0; i < OH; ++i)\n  for (int k = 0; k < K; k++) {\n"
...                   "    if (i*S + k < 0 || i*S + k >= H) continue;\n    y[i] += x[i*S + k] * w[k];\n  }"))
for i in range(0, OH):
    for k in range(0, K):
        if i*S + k < 0 or i*S + k >= H:
            continue
        y[i] += x[i*S + k] * w[k]
"""

from __future__ import annotations

import re

__all__ = ["c_to_python", "c_nests"]

_FOR = re.compile(r"for\s*\(\s*(?:(?:const\s+)?[A-Za-z_][\w:]*\s+)?([A-Za-z_]\w*)\s*=\s*([^;]+?)\s*;\s*\1\s*(<=|<)\s*"
                  r"([^;]+?)\s*;\s*(?:\+\+\s*\1|\1\s*\+\+|\1\s*\+=\s*1)\s*\)")
_DECL = re.compile(r"^(?:const\s+)?(?:unsigned\s+|signed\s+|long\s+)*(?:int|float|double|size_t|auto|long|dim_t|"
                   r"int64_t|int32_t|index_t|float32_t|half|char|short)\s+(?=[A-Za-z_]\w*\s*(?:=|\+=))")
_KEYWORDS = {"in", "is", "from", "lambda", "def", "class", "pass", "with", "as", "not", "and", "or", "del", "global"}


class _NotC(Exception):
    pass


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def _expr(e: str) -> str:
    e = e.strip()
    if re.search(r"[?:]|->|&(?!&)|\(\s*(?:int|float|double)\s*\)|\w\s*\(", e.replace("&&", "")):
        raise _NotC(f"expression not read: {e}")
    e = e.replace("&&", " and ").replace("||", " or ")
    e = re.sub(r"!(?!=)", " not ", e)
    e = re.sub(r"\b(" + "|".join(sorted(_KEYWORDS)) + r")\b(?=\s*\[)", r"\1_", e)
    return re.sub(r"\s+", " ", e).strip()


def _parens(text: str, pos: int) -> int:
    """The index just after the parenthesis that closes the one at ``pos``."""
    depth = 0
    for k in range(pos, len(text)):
        if text[k] == "(":
            depth += 1
        elif text[k] == ")":
            depth -= 1
            if depth == 0:
                return k + 1
    raise _NotC("unbalanced parentheses")


def _stmt(text: str, pos: int, indent: int, out: list) -> int:
    m = re.compile(r"\s*").match(text, pos)
    pos = m.end()
    if pos >= len(text):
        raise _NotC("a statement is missing")
    pad = "    " * indent
    if text.startswith("{", pos):
        pos += 1
        start = len(out)
        while True:
            pos = re.compile(r"\s*").match(text, pos).end()
            if pos >= len(text):
                raise _NotC("unclosed block")
            if text.startswith("}", pos):
                if len(out) == start:
                    out.append(pad + "pass")
                return pos + 1
            pos = _stmt(text, pos, indent, out)
    if text.startswith("for", pos):
        m = _FOR.match(text, pos)
        if not m:
            raise _NotC("a for loop that is not counted")
        v, lo, op, hi = m.groups()
        hi = _expr(hi) + (" + 1" if op == "<=" else "")
        out.append(f"{pad}for {v} in range({_expr(lo)}, {hi}):")
        return _stmt(text, m.end(), indent + 1, out)
    if re.match(r"if\s*\(", text[pos:]):
        open_at = text.index("(", pos)
        end = _parens(text, open_at)
        out.append(f"{pad}if {_expr(text[open_at + 1:end - 1])}:")
        pos = _stmt(text, end, indent + 1, out)
        if re.match(r"\s*else\b", text[pos:]):
            raise _NotC("an else branch")
        return pos
    if text.startswith("continue", pos):
        end = text.index(";", pos)
        out.append(pad + "continue")
        return end + 1
    end = text.find(";", pos)
    if end < 0:
        raise _NotC("a statement without ';'")
    st = _DECL.sub("", text[pos:end].strip())
    m = re.fullmatch(r"([A-Za-z_][\w\[\]\s+\-*/%()]*?)\s*(\+=|=)\s*(.+)", st, flags=re.S)
    if not m:
        raise _NotC(f"statement not read: {st}")
    out.append(f"{pad}{_expr(m.group(1))} {m.group(2)} {_expr(m.group(3))}")
    return end + 1


def c_to_python(code: str) -> str:
    """The Python form of one C loop nest (the text from its first ``for``); raises ValueError when not read."""
    out: list[str] = []
    try:
        _stmt(_strip_comments(code), 0, 0, out)
    except (_NotC, ValueError) as exc:
        raise ValueError(f"C loop nest not read: {exc}") from None
    return "\n".join(out) + "\n"


def c_nests(lines) -> list[tuple[int, str, str]]:
    """(line, source, Python text) of every outermost C loop nest in the ``(line, text)`` pairs."""
    out = []
    k = 0
    lines = list(lines)
    while k < len(lines):
        line, text = lines[k]
        if not re.match(r"\s*for\s*\(", text):
            k += 1
            continue
        # the nest ends where its braces close, or after the first ';' when it has none
        buf, depth, j, opened = [], 0, k, False
        while j < len(lines):
            t = _strip_comments(lines[j][1])
            buf.append(lines[j][1])
            depth += t.count("{") - t.count("}")
            opened = opened or "{" in t
            j += 1
            if (opened and depth <= 0) or (not opened and ";" in t and not re.search(r"for\s*\(", t.split(";")[-1])
                                            and t.rstrip().endswith(";")):
                break
        try:
            out.append((line, text.strip(), c_to_python("\n".join(buf))))
        except ValueError:
            pass
        k = j
    return out
