"""The symbol table: definitions in any wording (by the role lexicon), scopes, conventions, and what is no definition."""

import pytest

from proofs.notation import build_symbol_table
from proofs.notation.definitions import definitions_in_line
from proofs.notation.table import conventions_in_line

# (line of prose, expected (symbol, role) pairs)
DEFINITIONS = [
    ("neighbouring windows start $u$ pixels apart", [("u", "stride")]),
    ("the border is filled with $q$ zeros on every side", [("q", "padding")]),
    ("$m$ and $m̃$ count the channels going in and coming out", [("m", "channels_in"), ("tilde(m)", "channels_out")]),
    ("$r$ and $t$ count the channels coming out and going in", [("r", "channels_out"), ("t", "channels_in")]),
    ("Let F denote the filter size.", [("F", "kernel")]),
    ("- $k$: kernel size", [("k", "kernel")]),
    ("where $d$ is the dilation rate", [("d", "dilation")]),
    ("the kernel is spread out with $v$ holes between its taps", [("v", "dilation")]),
    ("$g$ and $h$ are the kernel size and the stride, respectively", [("g", "kernel"), ("h", "stride")]),
    ("| layer | kernel size $w$ | stride $z$ |", [("w", "kernel"), ("z", "stride")]),
    ("# D_in: number of input channels", [("D_in", "channels_in")]),
    ("The filter size (F) and the stride (S) are fixed.", [("F", "kernel"), ("S", "stride")]),
]

# prose that mentions a symbol near a role word without defining it
NOT_DEFINITIONS = [
    "we slide the kernel over $x$",
    "For a 2D input $I$ and a 2D kernel $K$",
    "$\\eta$ is the learning rate",
    "if the input shifts by $\\Delta$ the output shifts too",
    "A) Stride and Padding B) Pooling Layers C) none",
    "Take $a = 32$ and $b = 5$",
]


@pytest.mark.parametrize("line, expected", DEFINITIONS, ids=[d[0][:40] for d in DEFINITIONS])
def test_definitions_in_any_wording(line, expected):
    assert [(d.symbol, d.role) for d in definitions_in_line(line)] == expected


@pytest.mark.parametrize("line", NOT_DEFINITIONS)
def test_mentions_that_are_no_definitions(line):
    assert definitions_in_line(line) == []


def test_nearest_definition_in_scope_wins():
    text = ("# Notes\n\nNeighbouring windows start $u$ pixels apart.\n\n## Pooling\n\nHere $u$ is the pool size.\n\n"
            "### Max\n\n$y = u$\n\n## Later\n\n$z = u$\n\n## Dilated\n\nNow $u$ is the dilation rate.\n\n$w = u$\n")
    t = build_symbol_table(text)
    assert t.roles_at(3)["u"] == "stride"
    assert t.roles_at(11)["u"] == "pool"          # a subsection sees its section's redefinition
    assert t.roles_at(15)["u"] == "stride"        # a sibling section does not
    assert t.roles_at(21)["u"] == "dilation"
    d = t.definition_at("u", 11)
    assert (d.line, d.section) == (7, "Pooling") and "pool size" in d.evidence


def test_a_definition_after_the_formula_applies_when_none_is_before():
    t = build_symbol_table("$y = (x - f)/t + 1$\n\nwhere $f$ is the filter size and $t$ the stride.\n")
    assert t.roles_at(1)["f"] == "kernel"


@pytest.mark.parametrize("line, expected", [
    ("P zeros are added on each side", ("padding", "per_side")),
    ("the padding p is the total over both borders, in total", ("padding", "total")),
    ("indices are 1-based", ("index", "1")),
    ("tensors are stored NHWC", ("layout", "NHWC")),
    ("strictly, the kernel is flipped", ("operation", "convolution")),
    ("what frameworks compute is a cross-correlation", ("operation", "cross-correlation")),
    ("a layer without bias", ("bias", "no")),
])
def test_conventions(line, expected):
    assert expected in [(n, v) for n, v, _ in conventions_in_line(line)]


def test_table_rows_show_line_and_evidence():
    t = build_symbol_table("Intro.\n\nThe filter covers $b$ cells.\n")
    row = next(r for r in t.rows() if r["symbol"] == "b")
    assert (row["line"], row["role"]) == (3, "kernel") and "filter covers" in row["evidence"]
