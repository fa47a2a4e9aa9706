"""HTML page of derivations: every step typeset as MathML, its justification and how it was checked.

``convproof derive --list --format html`` writes the whole catalogue on one page; ``convproof derive NAME
--format html`` one derivation. Same page frame and MathML path as the check report
(:mod:`proofs.report.html_page`, :mod:`proofs.report.mathml`).

Examples
--------
>>> import sympy as sp
>>> from derive.derivation import Derivation
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> d = Derivation("a <sum>")
>>> d.step(2 * n - n, n, "collect $n$ terms")
>>> d.verify()
True
>>> page = render_derivations_html([("demo", "a demo", d)])
>>> "a &lt;sum&gt;" in page, "<sum>" in page, page.count('class="step"')
(True, False, 1)
"""

from __future__ import annotations

import html

from .html_page import html_page
from .mathml import formula_html, text_html

__all__ = ["render_derivations_html", "derivation_html"]


def _step_latex(step) -> str:
    import sympy as sp

    from derive.derivation import RELATIONS

    return f"{sp.latex(step.lhs)} {RELATIONS[step.relation][0]} {sp.latex(step.rhs)}"


def derivation_html(name: str, summary: str, derivation) -> str:
    """One derivation as a section: title, assumptions, numbered steps (typeset) and the result."""
    import sympy as sp

    e = html.escape
    out = [f'<section class="card" id="{e(name, quote=True)}"><h2>{e(derivation.title)}</h2>',
           f'<div class="head"><code>{e(name)}</code><span>{text_html(summary)}</span></div>']
    if derivation.assumptions:
        out.append("<ul>" + "".join(f"<li>{text_html(a)}</li>" for a in derivation.assumptions) + "</ul>")
    out.append("<ol>")
    for s in derivation.steps:
        out.append(f'<li class="step"><div class="formula">{formula_html(_step_latex(s), display=True)}</div>'
                   f'<div>{text_html(s.reason)} <span class="label">({e(s.status)})</span></div></li>')
    out.append("</ol>")
    if derivation.result is not None and derivation.steps:
        result = f"{sp.latex(derivation.steps[-1].lhs)} = {sp.latex(derivation.result)}"
        out.append(f'<div><span class="label">result</span><div class="formula">'
                   f"{formula_html(result, display=True)}</div></div>")
    out.append("</section>")
    return "".join(out)


def render_derivations_html(items, title: str = "convproof derivations") -> str:
    """A page of ``(name, summary, derivation)`` items, with a table of contents."""
    items = list(items)
    e = html.escape
    toc = "<ul>" + "".join(f'<li><a href="#{e(n, quote=True)}">{e(n)}</a> {text_html(s)}</li>'
                           for n, s, _ in items) + "</ul>"
    return html_page(title, toc + "\n" + "\n".join(derivation_html(n, s, d) for n, s, d in items))
