"""Simplest equal forms of one-variable size formulas (ceil-mode pooling): proved equal, never longer."""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from derive import output_size, output_size_derivation
from derive.sizes.floor_forms import period_growth, simplest_equal
from derive.sizes.pretty import unicode_formula
from derive.sizes.symbols import H

ROWS = [
    # id, (kernel, stride, padding), printed
    ("k2-s2", (2, 2, 0), "⌈H/2⌉"),
    ("k3-s2-p1-resnet-stem", (3, 2, 1), "⌊H/2⌋ + 1"),
    ("k3-s2", (3, 2, 0), "⌊H/2⌋"),
    ("k3-s3-p1", (3, 3, 1), "⌊H/3⌋ + 1"),
    ("k3-s1-p1-same", (3, 1, 1), "H"),
]


@pytest.mark.parametrize("geometry,printed", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_ceil_pool_prints_the_simplest_form(geometry, printed):
    kk, ss, pp = geometry
    formula = output_size("max_pool", H, kk, ss, pp, ceil_mode=True)
    assert unicode_formula(formula) == printed and not formula.has(sp.Min)
    for h in range(max(1, kk - 2 * pp), 80):
        assert formula.subs(H, h) == output_size("max_pool", h, kk, ss, pp, ceil_mode=True)


@settings(max_examples=30)  # a symbolic output_size costs about 0.2 s
@given(kk=st.integers(1, 7), ss=st.integers(1, 4), pp=st.integers(0, 3), dd=st.integers(1, 3),
       op=st.sampled_from(["max_pool", "avg_pool"]))
def test_simplified_form_equals_the_count_and_is_never_longer(kk, ss, pp, dd, op):
    assume(2 * pp <= kk and (op == "max_pool" or dd == 1))
    formula = output_size(op, H, kk, ss, pp, dd, ceil_mode=True)
    raw = output_size_derivation(op, ceil_mode=True).result.xreplace(
        {sp.Symbol(n, **a): v for n, a, v in (("k", {"integer": True, "positive": True}, kk),
                                              ("s", {"integer": True, "positive": True}, ss),
                                              ("P", {"integer": True, "nonnegative": True}, pp),
                                              ("d", {"integer": True, "positive": True}, dd))})
    assert len(unicode_formula(formula)) <= len(unicode_formula(raw))
    for h in range(max(1, dd * (kk - 1) + 1 - 2 * pp), 50):  # every size the window fits in
        assert formula.subs(H, h) == raw.subs(H, h)


def test_instantiated_derivation_shows_and_checks_the_simplification():
    der = output_size_derivation("max_pool", "H", 3, 2, 1, 1, ceil_mode=True)
    last = der.steps[-1]
    assert last.rhs == sp.floor(H / 2) + 1 and last.lhs.has(sp.Min)
    assert "equal for every integer H" in last.why and last.status in ("symbolic", "exhaustive")


def test_growth_is_read_off_the_tree_and_refused_when_it_differs():
    assert period_growth(sp.Min(sp.ceiling((H - 1) / 2), sp.floor(H / 2)) + 1, H) == (2, 1)
    assert period_growth(sp.floor(H / 2) + sp.floor(H / 3), H) == (6, 5)
    assert period_growth(sp.Max(sp.floor(H / 2), sp.floor(H / 3)), H) is None
    unchanged = sp.floor(H / 2) + sp.floor(H / 3)
    assert simplest_equal(unchanged, H) == (unchanged, None)
