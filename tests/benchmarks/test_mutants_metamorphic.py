"""checker_mutants and metamorphic: operators, value equivalence, and small end-to-end runs (mechanics only)."""

import doctest
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import checker_mutants
import metamorphic
import metamorphic_ops
import mutant_values
import mutation_ops

TINY = (
    "# Sizes\n"
    "Let $i$ be the input size, $k$ the kernel size, $p$ the padding on each side and $s$ the stride.\n"
    "\n"
    "$$o = \\left\\lfloor \\frac{i + 2p - k}{s} \\right\\rfloor + 1$$\n"
    "\n"
    "A $3 \\times 3$ convolution from 64 to 128 channels has $3 \\times 3 \\times 64 \\times 128 + 128 = 73856$ parameters.\n"
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    p = tmp_path_factory.mktemp("docs") / "tiny-sizes.md"
    p.write_text(TINY, encoding="utf-8")
    return p


@pytest.mark.parametrize("module", [mutation_ops, mutant_values, metamorphic_ops, metamorphic])
def test_doctests(module):
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0


@pytest.mark.parametrize("name", sorted(mutation_ops.OPERATORS))
def test_every_operator_changes_the_text_or_returns_nothing(name):
    texts = [r"$o = \lfloor (i + 2p - d(k - 1) - 1)/s \rfloor + 1$", "H_out = (H + 2*P - K)/S + 1",
             r"$$y_i = \sum_{u=0}^{k-1} w_u x_{i+u}$$", "3 × 3 × 64 × 128 + 128 = 73856",
             r"$j = \prod_{i=1}^{l-1} s_i$", "no math here"]
    for t in texts:
        for m in mutation_ops.OPERATORS[name](t):
            assert m != t and isinstance(m, str)


@settings(max_examples=30)
@given(st.integers(1, 9), st.integers(1, 9))
def test_value_comparison_separates_a_changed_constant(a, b):
    assert mutant_values.compare(f"x = {a} + y", f"x = {b} + y") == ("equivalent" if a == b else "different")


def test_an_equivalent_rewrite_is_recognised_as_such():
    assert mutant_values.compare(r"o = \lfloor (i - k)/s \rfloor + 1", r"o = \lfloor (i - k + s)/s \rfloor") == "equivalent"
    assert mutant_values.compare("o = 2(p + 1)", "o = 2p + 2") == "equivalent"


def test_mutants_edit_only_the_formula_line(tiny):
    made = checker_mutants.mutants_of_document(tiny)
    assert made, "the tiny document has CORRECT formulas to mutate"
    original = TINY.splitlines()
    for m, text in made:
        lines = text.splitlines()
        assert len(lines) == len(original)
        diff = [i + 1 for i, (a, b) in enumerate(zip(original, lines)) if a != b]
        assert diff == [m.line] and m.mutated in lines[m.line - 1]


def test_small_mutant_run_prints_a_consistent_table(tiny, capsys):
    res = checker_mutants.run([tiny], per_operator=1, max_mutants=6)
    for op, r in res["operators"].items():
        assert r["made"] == r["equivalent"] + r["unparseable"] + r["kept"] + r["not sampled"], op
        assert 0 <= r["detected"] <= r["kept"] and r["undecided"] <= r["kept"]
        assert r["share"] is None or r["share"] == pytest.approx(r["detected"] / r["kept"])
    t = res["total"]
    assert t["kept"] == sum(r["kept"] for r in res["operators"].values()) <= 6
    assert t["made"] == len(res["mutants"]) > 0
    for m in res["mutants"]:
        assert (m["verdict"] != "") == (m["status"] == "kept")
    out = checker_mutants.render(res, verbose=True)
    assert "operator" in out and "total" in out and "Missed" in out
    json.dumps(res)


def test_mutant_options_are_validated():
    with pytest.raises(ValueError, match="--per-operator"):
        checker_mutants.main(["--sources", "seeds", "--per-operator", "0"])


def test_rewrites_keep_the_line_structure(tiny):
    for name, f in metamorphic_ops.TRANSFORMS.items():
        new = f(TINY, "markdown") if name == "unicode" else f(TINY)
        assert new is not None and new != TINY, name
        assert new.count("\n") == TINY.count("\n"), name
    assert "$" not in metamorphic_ops.latex_to_unicode(TINY, "markdown")
    assert "2p" not in metamorphic_ops.per_side_to_total_padding(TINY)
    assert metamorphic_ops.latex_to_unicode(TINY, "latex") is None


def test_small_metamorphic_run_counts_consistently(tiny):
    res = metamorphic.run([tiny])
    for name, p in res["transforms"].items():
        assert p["documents"] == 1, name
        assert p["judged_unchanged"] <= p["judged"] <= p["all"] and p["all_unchanged"] <= p["all"]
    assert "rewrite" in metamorphic.render(res, verbose=True)


def test_compare_reports_pairs_by_kind_within_two_lines():
    before = [{"line": 4, "kind": "formula", "verdict": "CORRECT"}, {"line": 9, "kind": "claim", "verdict": "INCORRECT"}]
    after = [{"line": 5, "kind": "formula", "verdict": "CORRECT"}, {"line": 12, "kind": "claim", "verdict": "INCORRECT"}]
    c = metamorphic.compare_reports(before, after)
    assert (c["judged"], c["judged_unchanged"], c["all"], c["all_unchanged"]) == (2, 1, 3, 1)
