"""Code-style notation: floor()/ceil() written as function names are rounding, '*' is a product."""

import pytest
import sympy as sp

from proofs.document import parse_math

n_in, p, k, s = sp.symbols("n_in p k s")


@pytest.mark.parametrize("text, expected", [
    pytest.param("n_out = floor((n_in + 2*p - k)/s) + 1", sp.floor((n_in + 2 * p - k) / s) + 1, id="floor"),
    pytest.param("n_out = ceil((n_in - k)/s) + 1", sp.ceiling((n_in - k) / s) + 1, id="ceil"),
    pytest.param("n_out = ceiling(n_in/s)", sp.ceiling(n_in / s), id="ceiling"),
])
def test_rounding_function_names(text, expected):
    parsed = parse_math(text)
    assert sp.simplify(parsed.sides[1] - expected) == 0
    assert not parsed.sides[1].atoms(sp.core.function.AppliedUndef)


def test_other_function_names_stay_functions():
    parsed = parse_math("y = f(x)")
    assert parsed.sides[1].atoms(sp.core.function.AppliedUndef)
