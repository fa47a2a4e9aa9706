"""Linear-time reading finds what the (quadratic) regular expressions it replaced found, on random text.

The oracles below are the lazy regular expressions the reader used before (``open.*?close``): correct
on small text, quadratic on text with many openers and no closer. The linear scanners
(:mod:`proofs.document.pairs`) must give the same regions on any text.
"""

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from proofs.document.extract import MATH_ENVIRONMENTS, _inline_code, delimited_math, fences
from proofs.document.pairs import closed_pairs

_ENV_NAMES = "|".join(MATH_ENVIRONMENTS)
OLD_DELIMITED = re.compile(
    r"(?P<dd>(?<!\\)\$\$(?P<dd_in>.+?)(?<!\\)\$\$)"
    r"|(?P<ebr>\\\\\[(?P<ebr_in>.+?)\\\\\])"
    r"|(?P<epa>\\\\\((?P<epa_in>.+?)\\\\\))"
    r"|(?P<br>(?<!\\)\\\[(?P<br_in>.+?)(?<!\\)\\\])"
    r"|(?P<pa>(?<!\\)\\\((?P<pa_in>.+?)(?<!\\)\\\))"
    rf"|(?P<env>\\begin\{{(?P<env_name>(?:{_ENV_NAMES})\*?)\}}(?:\{{\d+\}})?(?P<env_in>.*?)\\end\{{(?P=env_name)\}})"
    r"|(?P<script><script\b[^>]*math/tex[^>]*>(?P<script_in>.*?)</script\s*>)"
    r"|(?P<d>(?<![\\$])\$(?![\s$])(?P<d_in>(?:\\\$|[^$\n]|\n(?!\s*\n))+?)(?<![\s\\])\$(?![\d$]))",
    re.S,
)
OLD_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
OLD_COMMENT = re.compile(r"<!--.*?-->", re.S)
OLD_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})([^\n]*)\n(.*?)^[ \t]{0,3}\1[`~]*[ \t]*$", re.M | re.S)
KINDS = ("dd", "ebr", "epa", "br", "pa", "env", "script", "d")

PIECES = ["$", "$$", "\\", "\\\\", "[", "]", "(", ")", "x", "1", " ", "\n", "\n\n", "=", "\\begin{align}",
          "\\end{align}", "\\begin{align*}", "\\end{align*}", "\\begin{equation}", "\\end{equation}", "{2}",
          '<script type="math/tex">', "</script>", "<!--", "-->", "`", "``", "```", "~~~", "python"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_delimited_math_equals_the_regex(text):
    old = []
    for m in OLD_DELIMITED.finditer(text):
        kind = next(k for k in KINDS if m.group(k) is not None)
        old.append((kind, m.start(), m.end(), m.start(f"{kind}_in"), m.end(f"{kind}_in")))
    new = [t[:5] for t in delimited_math(text)]
    assert new == old


@settings(max_examples=300, deadline=None)
@given(texts)
def test_inline_code_and_comments_equal_the_regex(text):
    assert [(a, b) for a, b, _ in _inline_code(text)] == [m.span() for m in OLD_INLINE_CODE.finditer(text)]
    comments = [(o.start(), c.end()) for o, c in closed_pairs(text, re.compile("<!--"), lambda o: re.compile("-->"))]
    assert comments == [m.span() for m in OLD_COMMENT.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["```", "````", "~~~", "```python", "x = 1", "", "  ```", "``", "` `"]),
                max_size=12).map("\n".join))
def test_fences_equal_the_regex_on_well_formed_runs(text):
    """Where the regex read a fence's own back-quotes as its info string ("````" as "```" + "`"), it was
    wrong (CommonMark: the run is the whole run); elsewhere the two agree."""
    old = [(m.start(), m.start(3), m.end(3), m.group(2).strip()) for m in OLD_FENCE.finditer(text)]
    assume(all("`" not in info and "~" not in info for *_, info in old))
    new = [(s, bs, be, info) for s, _, bs, be, info in fences(text)]
    assert new == old


def old_top_level_split(tex):
    out, start, depth, env, k = [], 0, 0, 0, 0
    while k < len(tex):
        if tex.startswith("\\begin{", k):
            env += 1
            k += 7
            continue
        if tex.startswith("\\end{", k):
            env -= 1
            k += 5
            continue
        ch = tex[k]
        if ch == "\\" and k + 1 < len(tex):
            if tex[k + 1] == "\\" and depth == 0 and env <= 0:
                out.append((start, k))
                k += 2
                start = k
                continue
            k += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        k += 1
    out.append((start, len(tex)))
    return out


def old_clean_row(row):
    row = re.sub(r"\\(?:label|tag)\*?\{[^{}]*\}|\\nonumber|\\notag", "", row)
    out, env, k = [], 0, 0
    while k < len(row):
        if row.startswith("\\begin{", k):
            env += 1
        elif row.startswith("\\end{", k):
            env -= 1
        ch = row[k]
        if ch == "\\" and k + 1 < len(row):
            out.append(row[k:k + 2])
            k += 2
            continue
        out.append(" " if ch == "&" and env <= 0 else ch)
        k += 1
    return " ".join("".join(out).split())


ROW_PIECES = ["\\", "\\\\", "{", "}", "&", "a", " ", "\n", "=", "\\begin{", "\\end{", "cases}", "\\label{x}",
              "\\&", "\\nonumber"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ROW_PIECES), max_size=30).map("".join))
def test_row_splitting_and_cleaning_equal_the_character_loops(tex):
    from proofs.document.extract import _clean_row, _top_level_split

    assert _top_level_split(tex) == old_top_level_split(tex)
    assert _clean_row(tex) == old_clean_row(tex)
