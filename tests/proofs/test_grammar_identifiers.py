"""Identifiers of program code (``in_shape``, ``a_b_c[i]``) read as one name; ``*`` there is a product."""

from __future__ import annotations

import sympy as sp
from hypothesis import given, strategies as st

from proofs.document.parser import parse_math


def test_two_underscores_is_one_indexed_name():
    (side,) = parse_math("a_b_c[i]").sides
    assert side == sp.Indexed(sp.IndexedBase("a_b_c"), sp.Symbol("i"))


def test_two_letter_head_is_not_a_product():
    (side,) = parse_math("in_shape + 1").sides
    assert side == sp.Symbol("in_shape") + 1


def test_star_between_code_arrays_is_a_product():
    pm = parse_math("output_shape[i] = input_shape[i] * strides[i]")
    i = sp.Symbol("i")
    assert pm.sides[1] == sp.Indexed(sp.IndexedBase("input_shape"), i) * sp.Indexed(sp.IndexedBase("strides"), i)
    assert not any("convolution" in n for n in pm.notes)


def test_latex_subscripts_and_convolution_star_kept():
    assert parse_math("H_out = H_in + 1").sides[0] == sp.Symbol("H_out")
    assert parse_math("Y = X * W").sides[1] == sp.Function("conv")(sp.Symbol("X"), sp.Symbol("W"))
    assert parse_math(r"x_{i,j}").sides[0] == sp.Indexed(sp.IndexedBase("x"), sp.Symbol("i"), sp.Symbol("j"))


def test_escaped_underscore_is_an_underscore():
    assert parse_math(r"\frac{kernel\_size}{2}").sides[0] == sp.Symbol("kernel_size") / 2


_WORD = st.from_regex(r"[a-z]{2,6}", fullmatch=True).filter(lambda w: w not in {"ln", "lg", "id", "dx"})


@given(_WORD, _WORD, _WORD)
def test_code_identifiers_are_one_symbol(a, b, c):
    name = f"{a}_{b}_{c}"
    (side,) = parse_math(f"{name} + 1").sides
    assert side == sp.Symbol(name) + 1


def test_document_macro_applied_is_a_function():
    pm = parse_math(r"\src(n, c) = 0")
    n, c = sp.symbols("n c")
    assert pm.sides[0] == sp.Function("src")(n, c)


def test_known_commands_are_not_macros():
    assert "macro" not in " ".join(parse_math(r"\exp(x) + \max(a, b) = y").notes)


def test_declared_two_letter_variables_are_names():
    pm = parse_math(r"y(n, oc) = \sum_{kh=0}^{KH-1} x(n, oc + kh)")
    oc, kh = sp.Symbol("oc"), sp.Symbol("kh")
    assert pm.sides[0] == sp.Function("y")(sp.Symbol("n"), oc)
    body, (index, low, _high) = pm.sides[1].args
    assert (index, low) == (kh, 0)
    assert body == sp.Function("x")(sp.Symbol("n"), oc + kh)


def test_undeclared_letter_pair_stays_a_product():
    assert parse_math("HW = 4").sides[0] == sp.Symbol("H") * sp.Symbol("W")
