r"""Formulas as MathML for the HTML pages, converted on our side (nothing fetched when the page is viewed).

LaTeX goes through ``latex2mathml`` (the optional extra ``convproof[html]``, imported lazily), and the
converter's output is *never* trusted: it is parsed as XML and written again from a whitelist of MathML
presentation elements and attributes, every text node and attribute value escaped. A formula the converter
cannot handle, output with anything outside the whitelist (``\text{<script>…}`` comes back from the
converter as a raw ``<script>`` element), or a missing converter: the escaped source in ``<code>``.

Examples
--------
>>> page = formula_html(r"$\frac{H - k}{s} + 1$")
>>> page.startswith("<math") or page.startswith("<code")   # <code> only without latex2mathml
True
>>> "<script>" in formula_html(r"\text{<script>alert(1)</script>} x")
False
>>> text_html("size $H$ & <b>")[-15:]
'&amp; &lt;b&gt;'
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

__all__ = ["latex_to_mathml", "formula_html", "text_html", "value_html", "available", "strip_delimiters"]

_NS = "{http://www.w3.org/1998/Math/MathML}"

#: MathML presentation elements we write back (nothing that can load, link or run anything).
ELEMENTS = frozenset(
    "math semantics annotation mrow mi mn mo mtext mspace ms mfrac msqrt mroot mstyle merror mpadded mphantom "
    "menclose msub msup msubsup munder mover munderover mmultiscripts mprescripts none mtable mtr mtd "
    "mlabeledtr".split())
#: attributes we keep (values are escaped and must look like plain tokens).
ATTRIBUTES = frozenset(
    "display mathvariant stretchy fence separator lspace rspace columnalign columnspacing columnlines rowalign "
    "rowspacing rowlines frame width height depth minsize maxsize accent accentunder movablelimits "
    "linethickness symmetric largeop form displaystyle scriptlevel notation encoding align "
    "columnspan rowspan".split())
#: elements whose children are positional (a fraction without its denominator is a conversion failure).
ARITY = {"mfrac": 2, "mroot": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2, "msubsup": 3, "munderover": 3}
_COMMAND = re.compile(r"\\[A-Za-z]+")
_VALUE = re.compile(r"[\w .%+\-#/]{0,64}")

_DELIMS = [("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$")]
_SPLIT = re.compile(r"(\$\$.+?\$\$|\\\[.+?\\\]|\\\(.+?\\\)|(?<!\\)\$[^$]+?(?<!\\)\$)", re.S)


def available() -> bool:
    """True when ``latex2mathml`` can be imported (``pip install convproof[html]``)."""
    try:
        import latex2mathml.converter  # noqa: F401
    except ImportError:
        return False
    return True


def strip_delimiters(source: str) -> tuple[str, bool]:
    r"""The LaTeX inside one pair of math delimiters, and whether it is display math.

    >>> strip_delimiters(r"$$ a^2 $$"), strip_delimiters(r"\(x\)"), strip_delimiters("x + 1")
    (('a^2', True), ('x', False), ('x + 1', False))
    """
    s = source.strip()
    for left, right in _DELIMS:
        inner = s[len(left):len(s) - len(right)]
        if len(s) > len(left) + len(right) and s.startswith(left) and s.endswith(right) and left not in inner:
            return inner.strip(), left in ("$$", "\\[")
    return s, False


def _clean(node: ET.Element) -> str:
    """``node`` written again from the whitelist; ValueError on anything else."""
    tag = node.tag[len(_NS):] if node.tag.startswith(_NS) else node.tag
    if tag not in ELEMENTS:
        raise ValueError(f"element {tag!r} is not a MathML presentation element we write")
    if tag in ARITY and len(node) != ARITY[tag]:
        raise ValueError(f"<{tag}> with {len(node)} children, not {ARITY[tag]}")
    for text in (node.text, node.tail):
        if text and _COMMAND.search(text) and tag != "annotation":
            raise ValueError(f"the converter left the command {_COMMAND.search(text).group()} unconverted")
    attrs = []
    for name, value in node.attrib.items():
        if name not in ATTRIBUTES or not _VALUE.fullmatch(value):
            raise ValueError(f"attribute {name}={value!r} is not one we write")
        attrs.append(f' {name}="{html.escape(value, quote=True)}"')
    if tag == "math":
        attrs.insert(0, ' xmlns="http://www.w3.org/1998/Math/MathML"')
    inner = html.escape(node.text or "", quote=False)
    for child in node:
        inner += _clean(child) + html.escape(child.tail or "", quote=False)
    return f"<{tag}{''.join(attrs)}>{inner}</{tag}>"


def latex_to_mathml(latex: str, *, display: bool = False) -> str | None:
    r"""``latex`` (no delimiters) as a sanitised ``<math>`` element, or None when it cannot be converted.

    The LaTeX source rides along in an ``<annotation>`` (escaped; browsers do not show it).

    >>> out = latex_to_mathml(r"\frac{a}{b}")
    >>> out is None or ("<mfrac>" in out and "annotation" in out)
    True
    >>> latex_to_mathml(r"\text{<img src=x onerror=alert(1)>}") is None
    True
    >>> latex_to_mathml(r"\frac{a"), latex_to_mathml(r"\nosuchcommand{x}")   # half a fraction, unknown command
    (None, None)
    """
    if not isinstance(latex, str):
        raise TypeError(f"latex must be a str, got {type(latex).__name__}")
    if not latex.strip():
        return None
    try:
        from latex2mathml.converter import convert
    except ImportError:
        return None
    try:
        raw = convert(latex, display="block" if display else "inline")
        root = ET.fromstring(raw)
        body = "".join(_clean(child) for child in root)
    except Exception:  # noqa: BLE001 - any converter or parser failure means "show the source"
        return None
    mode = "block" if display else "inline"
    note = f'<annotation encoding="application/x-tex">{html.escape(latex, quote=False)}</annotation>'
    return (f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="{mode}">'
            f"<semantics><mrow>{body}</mrow>{note}</semantics></math>")


def formula_html(source: str, *, display: bool | None = None) -> str:
    """One formula (with or without ``$…$`` delimiters) as MathML, or its escaped source in ``<code>``."""
    latex, is_display = strip_delimiters(source)
    out = latex_to_mathml(latex, display=is_display if display is None else display)
    return out if out is not None else f'<code class="tex">{html.escape(source.strip())}</code>'


def text_html(text: str) -> str:
    """Prose with ``$…$``/``\\(…\\)`` pieces: the prose escaped, each piece typeset by :func:`formula_html`."""
    parts = _SPLIT.split(str(text))
    return "".join(formula_html(p) if i % 2 else html.escape(p) for i, p in enumerate(parts))


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:/\d+)?")
_NAME = re.compile(r"([A-Za-z\u0370-\u03ff]+)(?:_\{?(\w+)\}?)?")
_MATH = '<math xmlns="http://www.w3.org/1998/Math/MathML">'


def _number(value) -> str | None:
    s = str(value)
    if not _NUMBER.fullmatch(s):
        return None
    sign, s = ("<mo>&#x2212;</mo>", s[1:]) if s.startswith("-") else ("", s)
    if "/" in s:
        num, den = s.split("/")
        return f"{sign}<mfrac><mn>{num}</mn><mn>{den}</mn></mfrac>"
    return f"{sign}<mn>{s}</mn>"


def _name(name: str) -> str | None:
    m = _NAME.fullmatch(str(name))
    if not m:
        return None
    base = f"<mi>{html.escape(m.group(1))}</mi>"
    return f"<msub>{base}<mi>{html.escape(m.group(2))}</mi></msub>" if m.group(2) else base


def value_html(value, name: str | None = None) -> str:
    """A number of a counterexample (``3``, ``-0.35``, ``3/2``), optionally as ``name = value``, in MathML.

    Anything that is not a plain number or name is escaped text in ``<code>``.

    >>> value_html("3/2")
    '<math xmlns="http://www.w3.org/1998/Math/MathML"><mrow><mfrac><mn>3</mn><mn>2</mn></mfrac></mrow></math>'
    >>> value_html(2, "H_out")[-69:]
    '<msub><mi>H</mi><mi>out</mi></msub><mo>=</mo><mn>2</mn></mrow></math>'
    >>> value_html([1, 2]), value_html(1, "<b>")
    ('<code>[1, 2]</code>', '<code>&lt;b&gt;=1</code>')
    """
    num = _number(value)
    lhs = _name(name) if name is not None else ""
    if num is None or lhs is None:
        text = str(value) if name is None else f"{name}={value}"
        return f"<code>{html.escape(text)}</code>"
    return f"{_MATH}<mrow>{lhs + '<mo>=</mo>' if lhs else ''}{num}</mrow></math>"
