"""The page around both HTML reports: one self-contained file, no script, no fetched asset, phone-sized.

>>> page = html_page("a <title>", "<p>body</p>")
>>> page.count("<script"), "a &lt;title&gt;" in page, 'name="viewport"' in page
(0, True, True)
"""

from __future__ import annotations

import html

from .mathml import available

__all__ = ["html_page", "CSS"]

CSS = """*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;line-height:1.45;max-width:60em;margin:0 auto;padding:1em;overflow-wrap:anywhere}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
.card{border:1px solid #ddd;border-radius:.5em;padding:.6em .8em;margin:.8em 0;max-width:100%}
.head{display:flex;flex-wrap:wrap;gap:.2em 1em;font-size:.9em;color:#555}
.formula,.evidence div{overflow-x:auto;overflow-y:hidden;max-width:100%;padding:.25em 0}
math[display=block]{margin:.3em 0}math{font-size:1.15em}
code{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;padding:0 .2em}
.label{color:#555;font-size:.9em;margin-right:.4em}
.CORRECT{color:#176b2c}.INCORRECT{color:#b00020;font-weight:bold}.CONDITIONAL{color:#b26a00}.UNRECOGNIZED{color:#777}
.card.INCORRECT,.card.CONDITIONAL,.card.CORRECT,.card.UNRECOGNIZED{color:inherit;font-weight:normal}
.card.INCORRECT{border-left:.35em solid #b00020}.card.CONDITIONAL{border-left:.35em solid #b26a00}
.card.CORRECT{border-left:.35em solid #176b2c}.side{display:flex;flex-wrap:wrap;gap:.3em 2em}
.side>div{min-width:0;max-width:100%}.card h2{margin-top:.2em}.note{color:#555;font-style:italic}"""


def html_page(title: str, body: str) -> str:
    """A complete page: ``title`` (escaped) and ``body`` (already HTML) with the shared stylesheet."""
    note = "" if available() else (
        '<p class="note">Formulas are shown as their source: install <code>convproof[html]</code> '
        "(latex2mathml) to typeset them.</p>")
    return ("<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head>\n"
            f"<body>\n<h1>{html.escape(title)}</h1>\n{note}{body}\n</body></html>\n")
