"""The 15 output-size relationships of Dumoulin & Visin, "A guide to convolution arithmetic for deep learning".

Each relationship is typed here as the paper states it (its conditions as
substitutions, its formula as a SymPy expression) and checked to be a special
case of the general formulas derived in :mod:`derive.sizes.output_size`:
symbolically when SymPy can decide the difference is zero, otherwise on a grid
of every admissible small configuration. The paper's convention: input ``i``,
kernel ``k``, stride ``s``, zero padding ``p``, dilation ``d``; a transposed
convolution has input ``i'`` and is described by the direct convolution
``k' = k, s' = 1, p' = k − p − 1`` over the input stretched by ``s − 1`` zeros.
"""

from __future__ import annotations

import itertools
import math

import pytest
import sympy as sp

from derive import output_size
from derive.sizes.symbols import padding_symbol, size_symbol

i, i_, k, s, d = (size_symbol(n) for n in ("i", "i'", "k", "s", "d"))
p, n, m, a = (padding_symbol(x) for x in ("p", "n", "m", "a"))

RANGES = {"i": range(1, 13), "i'": range(1, 10), "k": range(1, 6), "s": range(1, 5), "d": range(1, 4),
          "p": range(0, 4), "n": range(0, 4), "m": range(0, 5), "a": range(0, 4)}


def conv(size, kernel, stride=1, pad=0, dil=1):
    return output_size("conv", size, kernel, stride, pad, dil)


def tconv(size, kernel, stride=1, pad=0, out_pad=0):
    return output_size("conv_transpose", size, kernel, stride, pad, output_padding=out_pad)


def stretched(size, stride):
    """Size of the input with ``s − 1`` zeros inserted between its units."""
    return stride * (size - 1) + 1


# id, ours (general formula specialised to the relationship's conditions), the paper's formula, admissibility
RELATIONSHIPS = [
    ("R1-no-padding-unit-strides", lambda: conv(i, k), (i - k) + 1, lambda v: v["k"] <= v["i"]),
    ("R2-arbitrary-padding-unit-strides", lambda: conv(i, k, 1, p), (i - k) + 2 * p + 1,
     lambda v: v["k"] <= v["i"] + 2 * v["p"]),
    ("R3-half-same-padding", lambda: conv(i, 2 * n + 1, 1, n), i, lambda v: True),
    ("R4-full-padding", lambda: conv(i, k, 1, k - 1), i + (k - 1), lambda v: True),
    ("R5-no-padding-strides", lambda: conv(i, k, s), sp.floor((i - k) / s) + 1, lambda v: v["k"] <= v["i"]),
    ("R6-padding-strides", lambda: conv(i, k, s, p), sp.floor((i + 2 * p - k) / s) + 1,
     lambda v: v["k"] <= v["i"] + 2 * v["p"]),
    ("R7-pooling-max", lambda: output_size("max_pool", i, k, s), sp.floor((i - k) / s) + 1,
     lambda v: v["k"] <= v["i"]),
    ("R7-pooling-avg", lambda: output_size("avg_pool", i, k, s), sp.floor((i - k) / s) + 1,
     lambda v: v["k"] <= v["i"]),
    ("R8-transposed-no-padding-unit-strides", lambda: tconv(i_, k), i_ + (k - 1), lambda v: True),
    ("R8-equivalent-full-padding-conv", lambda: conv(i_, k, 1, k - 1), i_ + (k - 1), lambda v: True),
    ("R9-transposed-arbitrary-padding", lambda: tconv(i_, k, 1, p), i_ + (k - 1) - 2 * p,
     lambda v: v["i'"] + v["k"] - 1 - 2 * v["p"] >= 1 and v["p"] <= v["k"] - 1),
    ("R9-equivalent-conv-p'=k-p-1", lambda: conv(i_, k, 1, k - p - 1), i_ + (k - 1) - 2 * p,
     lambda v: v["i'"] + v["k"] - 1 - 2 * v["p"] >= 1 and v["p"] <= v["k"] - 1),
    ("R10-transposed-half-padding", lambda: tconv(i_, 2 * n + 1, 1, n), i_, lambda v: True),
    ("R11-transposed-full-padding", lambda: tconv(i_, k, 1, k - 1), i_ - (k - 1), lambda v: v["i'"] >= v["k"]),
    # R12/R13: the conv's input satisfies i − k + 2p = s·m, so its output is i' = m + 1
    ("R12-transposed-no-padding-strides", lambda: tconv(m + 1, k, s), s * ((m + 1) - 1) + k, lambda v: True),
    ("R12-round-trip-gives-i", lambda: tconv(conv(k + s * m, k, s), k, s), k + s * m, lambda v: True),
    ("R12-equivalent-stretched-conv", lambda: conv(stretched(m + 1, s), k, 1, k - 1), s * m + k, lambda v: True),
    ("R13-transposed-padding-strides", lambda: tconv(m + 1, k, s, p), s * ((m + 1) - 1) + k - 2 * p,
     lambda v: v["s"] * v["m"] + v["k"] - 2 * v["p"] >= 1 and v["p"] <= v["k"] - 1),
    ("R13-equivalent-stretched-conv", lambda: conv(stretched(m + 1, s), k, 1, k - p - 1), s * m + k - 2 * p,
     lambda v: v["s"] * v["m"] + v["k"] - 2 * v["p"] >= 1 and v["p"] <= v["k"] - 1),
    # R14: a = (i + 2p − k) mod s zeros added at the bottom/right: PyTorch's output_padding
    ("R14-transposed-odd-output-padding",
     lambda: tconv(conv(i, k, s, p), k, s, p, sp.Mod(i + 2 * p - k, s)),
     s * (conv(i, k, s, p) - 1) + sp.Mod(i + 2 * p - k, s) + k - 2 * p,
     lambda v: v["k"] <= v["i"] + 2 * v["p"] and v["p"] <= v["k"] - 1),
    ("R14-round-trip-gives-i", lambda: tconv(conv(i, k, s, p), k, s, p, sp.Mod(i + 2 * p - k, s)), i,
     lambda v: v["k"] <= v["i"] + 2 * v["p"] and v["p"] <= v["k"] - 1),
    ("R15-dilation", lambda: conv(i, k, s, p, d), sp.floor((i + 2 * p - k - (k - 1) * (d - 1)) / s) + 1,
     lambda v: v["d"] * (v["k"] - 1) + 1 <= v["i"] + 2 * v["p"]),
]


def _agree_on_grid(ours: sp.Expr, paper: sp.Expr, admissible) -> int:
    """Evaluate both at every admissible point of the small grid; return the number of points."""
    syms = sorted((ours - paper).free_symbols | paper.free_symbols, key=lambda x: x.name)
    f = sp.lambdify(syms, ours, modules=[{"floor": math.floor, "ceiling": math.ceil}, "math"])
    g = sp.lambdify(syms, paper, modules=[{"floor": math.floor, "ceiling": math.ceil}, "math"])
    checked = 0
    for values in itertools.product(*(RANGES[x.name] for x in syms)):
        env = {x.name: v for x, v in zip(syms, values)}
        if not admissible(env):
            continue
        assert f(*values) == g(*values), f"disagree at {env}: ours {f(*values)}, paper {g(*values)}"
        checked += 1
    return checked


@pytest.mark.parametrize("ours,paper,admissible", [r[1:] for r in RELATIONSHIPS], ids=[r[0] for r in RELATIONSHIPS])
def test_relationship_is_a_special_case(ours, paper, admissible):
    ours = ours()
    if sp.simplify(ours - paper) == 0:
        return  # decided symbolically
    assert _agree_on_grid(ours, paper, admissible) > 0


def test_all_fifteen_relationships_are_covered():
    numbers = {int(r[0].split("-")[0][1:]) for r in RELATIONSHIPS}
    assert numbers == set(range(1, 16))


SYMBOLIC = ["R1-no-padding-unit-strides", "R2-arbitrary-padding-unit-strides", "R3-half-same-padding",
            "R4-full-padding", "R5-no-padding-strides", "R6-padding-strides", "R8-transposed-no-padding-unit-strides",
            "R9-transposed-arbitrary-padding", "R10-transposed-half-padding", "R15-dilation"]


@pytest.mark.parametrize("rid", SYMBOLIC)
def test_these_are_decided_symbolically(rid):
    ours, paper = next((r[1], r[2]) for r in RELATIONSHIPS if r[0] == rid)
    assert sp.simplify(ours() - paper) == 0


def test_a_wrong_relationship_is_caught():
    """The paper's R6 without the padding term must fail: the checker can say no."""
    with pytest.raises(AssertionError, match="disagree"):
        _agree_on_grid(conv(i, k, s, p), sp.floor((i - k) / s) + 1, lambda v: v["k"] <= v["i"])
