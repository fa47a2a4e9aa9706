"""Receptive field: derived size/jump/start vs the field *measured* by backpropagating a one-hot gradient."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

import numeric
from derive import Network, output_size, receptive_field, receptive_field_derivation
from derive.layers import Conv2d, Flatten, Linear, MaxPool2d, ReLU
from derive.sizes.symbols import L, P, d, k, s, size_symbol

# -- worked rows -------------------------------------------------------------------------------------------------
ROWS = [
    # id, layers (k, s, p, d), (size, jump, start)
    ("single-3x3", [(3, 1, 1)], (3, 1, -1)),
    ("two-3x3-equal-one-5x5", [(3, 1, 1), (3, 1, 1)], (5, 1, -2)),
    ("three-3x3-equal-one-7x7", [(3, 1)] * 3, (7, 1, 0)),
    ("stem-conv-then-pool", [(7, 2, 3), (3, 2, 1)], (11, 4, -5)),
    ("dilated-wavenet-1-2-4", [(2, 1, 0, 1), (2, 1, 0, 2), (2, 1, 0, 4)], (8, 1, 0)),
    ("strided-2x2-pools", [(2, 2), (2, 2), (2, 2)], (8, 8, 0)),
    ("1x1-is-neutral", [(1, 1), (5, 2, 2), (1, 1)], (5, 2, -2)),
]


@pytest.mark.parametrize("layers,expected", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_worked_rows(layers, expected):
    rf = receptive_field(layers)
    assert (rf.size, rf.jump, rf.start) == expected
    assert rf.derivation.verify()


def test_2d_layers_give_tuples_per_dimension():
    rf = receptive_field([Conv2d(1, 1, (3, 5), stride=(1, 2), padding=(1, 2)), ReLU(), MaxPool2d(2)])
    assert rf.size == (4, 7) and rf.jump == (2, 4) and rf.start == (-1, -2)
    assert rf.effective_padding == (1, 2)


def test_network_trunk_stops_at_flatten():
    net = Network([Conv2d(1, 2, 3), MaxPool2d(2), Flatten(), Linear(2 * 13 * 13, 4)])
    assert net.receptive_field().size == (4, 4)
    with pytest.raises(ValueError, match="Flatten"):
        receptive_field([Conv2d(1, 2, 3), Flatten()])


def test_symbolic_stack():
    k1, k2, s1 = (size_symbol(n) for n in ("k_1", "k_2", "s_1"))
    rf = receptive_field([(k1, s1), (k2, 1)])
    assert sp.expand(rf.size - (k1 + (k2 - 1) * s1)) == 0 and rf.jump == s1


# -- closed forms ---------------------------------------------------------------------------------------------------
def test_uniform_closed_form_is_solved_and_verified():
    der = receptive_field_derivation(uniform=True)
    assert der.verify(), der.to_text()
    assert der.result == L * (k - 1) + 1
    closed = next(st.rhs for st in der.steps if st.why == "regroup")
    for depth, kernel, stride, dil in [(1, 3, 1, 1), (4, 3, 1, 1), (3, 3, 2, 1), (5, 2, 2, 1), (3, 3, 2, 2), (2, 5, 3, 1)]:
        unrolled = receptive_field([(kernel, stride, 0, dil)] * depth).size
        assert closed.xreplace({L: depth, k: kernel, s: stride, d: dil}) == unrolled


def test_uniform_start_closed_form():
    der = receptive_field_derivation(uniform=True)
    start = next(st.rhs for st in der.steps if "sum the start" in st.why)
    for depth, stride, pad in [(3, 1, 1), (3, 2, 1), (4, 3, 2)]:
        assert start.xreplace({L: depth, s: stride, P: pad}) == receptive_field([(3, stride, pad)] * depth).start


def test_general_derivation_verifies():
    der = receptive_field_derivation(uniform=False, depth=3)
    assert der.verify()
    assert all(st.status == "symbolic" for st in der.steps)


def test_bad_layer_tuple():
    with pytest.raises(ValueError, match="got 5 values"):
        receptive_field([(3, 1, 0, 1, 9)])
    with pytest.raises(ValueError, match="stride must be a positive integer, got 0"):
        receptive_field([(3, 0)])


# -- measured through the numeric engine's backward pass ----------------------------------------------------------
layer_st = st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2))


def _measured_support(size: int, layers, position: int) -> tuple[int, int]:
    """Rows of the input whose gradient is nonzero for a one-hot gradient at output row ``position``."""
    x = np.ones((1, 1, size, 1))
    inputs, weights = [], []
    for kk, ss, pp, dd in layers:
        w = np.full((1, 1, kk, 1), 1.0)  # positive weights: no cancellation
        inputs.append(x)
        weights.append(w)
        x = numeric.conv2d(x, w, stride=(ss, 1), padding=(pp, 0), dilation=(dd, 1))
    grad = np.zeros_like(x)
    grad[0, 0, position, 0] = 1.0
    for (kk, ss, pp, dd), xin, w in zip(reversed(layers), reversed(inputs), reversed(weights)):
        grad, _, _ = numeric.conv2d_backward(grad, xin, w, stride=(ss, 1), padding=(pp, 0), dilation=(dd, 1))
    rows = np.nonzero(grad[0, 0, :, 0])[0]
    return int(rows.min()), int(rows.max())


@given(layers=st.lists(layer_st, min_size=1, max_size=3), size=st.integers(16, 48), data=st.data())
def test_rf_matches_gradient_support(layers, size, data):
    layers = [(kk, ss, min(pp, kk - 1), dd) for kk, ss, pp, dd in layers]
    h = size
    try:
        for kk, ss, pp, dd in layers:
            h = int(output_size("conv", h, kk, ss, pp, dd))
    except ValueError:
        assume(False)
    position = data.draw(st.integers(0, h - 1), label="output position")
    rf = receptive_field(layers)
    first, last = rf.span(position)
    measured = _measured_support(size, layers, position)
    # the padding is not part of the input: the support is the derived window clipped to [0, size - 1]
    assert measured == (max(int(first), 0), min(int(last), size - 1))


def test_rf_measured_with_dilation_and_stride():
    layers = [(3, 2, 1, 1), (3, 1, 2, 2), (2, 2, 0, 1)]
    rf = receptive_field(layers)
    assert _measured_support(40, layers, 3) == tuple(int(v) for v in rf.span(3))
    assert rf.size == 1 + 2 * 1 + 4 * 2 + 1 * 2


def test_rf_measured_in_2d_with_layer_specs():
    """Different kernels, strides and dilations along H and W: the support is a rectangle of the derived spans."""
    specs = [Conv2d(1, 1, (3, 5), stride=(2, 1), padding=(1, 2)), Conv2d(1, 1, 3, dilation=(1, 2), padding=(0, 1))]
    rf = receptive_field(specs)
    x = np.ones((1, 1, 30, 30))
    inputs = []
    for spec in specs:
        inputs.append(x)
        x = numeric.conv2d(x, np.ones((1, 1, *map(int, spec.kernel_size))), stride=tuple(map(int, spec.stride)),
                           padding=tuple(map(int, spec.padding)), dilation=tuple(map(int, spec.dilation)))
    grad = np.zeros_like(x)
    grad[0, 0, 4, 6] = 1.0
    for spec, xin in zip(reversed(specs), reversed(inputs)):
        grad, _, _ = numeric.conv2d_backward(grad, xin, np.ones((1, 1, *map(int, spec.kernel_size))),
                                             stride=tuple(map(int, spec.stride)), padding=tuple(map(int, spec.padding)),
                                             dilation=tuple(map(int, spec.dilation)))
    rows, cols = np.nonzero(grad[0, 0])
    assert (rows.min(), rows.max()) == tuple(int(v) for v in rf.span(4, dim=0))
    assert (cols.min(), cols.max()) == tuple(int(v) for v in rf.span(6, dim=1))
    assert rf.size == (7, 9) and rf.jump == (2, 1)
