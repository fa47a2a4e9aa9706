"""Receptive field: derived size/jump/start vs the field *measured* by backpropagating a one-hot gradient."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

import numeric
from derive import Network, output_size, receptive_field, receptive_field_derivation
from derive.layers import Conv2d, ConvTranspose2d, Flatten, Linear, MaxPool2d, ReLU
from derive.sizes.rf_exact import Transposed
from derive.sizes.rf_exact import support as rf_support
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
# What is true (and tested): the receptive field is the *span* first … last of the input pixels an output
# sees; the *support* (the pixels themselves) lies inside it, with gaps where dilation or a stride larger
# than the next kernel skips pixels. The padding is not input: where a path runs through padding, the
# gradient support is only part of the derived support, so equality is claimed only where no path does.
layer_st = st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2))


def _forward_sizes(size: int, layers) -> list[int] | None:
    """Sizes of the maps after each layer (None when a layer does not fit); layers are (kind, k, s, p, d)."""
    sizes = [size]
    for kind, kk, ss, pp, dd in layers:
        op = "conv_transpose" if kind == "t" else "conv"
        try:
            sizes.append(int(output_size(op, sizes[-1], kk, ss, pp, dd)))
        except ValueError:
            return None
    return sizes


def _measured(size: int, layers, position: int) -> set[int]:
    """Input rows whose gradient is nonzero for a one-hot output gradient at ``position`` (positive weights)."""
    x = np.ones((1, 1, size, 1))
    inputs = []
    for kind, kk, ss, pp, dd in layers:
        inputs.append(x)
        w = np.ones((1, 1, kk, 1))
        fn = numeric.conv_transpose2d if kind == "t" else numeric.conv2d
        x = fn(x, w, stride=(ss, 1), padding=(pp, 0), dilation=(dd, 1))
    grad = np.zeros_like(x)
    grad[0, 0, position, 0] = 1.0
    for (kind, kk, ss, pp, dd), xin in zip(reversed(layers), reversed(inputs)):
        fn = numeric.conv_transpose2d_backward if kind == "t" else numeric.conv2d_backward
        grad = fn(grad, xin, np.ones((1, 1, kk, 1)), stride=(ss, 1), padding=(pp, 0), dilation=(dd, 1))[0]
    return {int(i) for i in np.nonzero(grad[0, 0, :, 0])[0]}


def _geometry(layers) -> list:
    return [Transposed(kk, ss, pp, dd) if kind == "t" else (kk, ss, pp, dd) for kind, kk, ss, pp, dd in layers]


def _paths_stay_inside(layers, sizes, position) -> bool:
    """Every map position on every path from ``position`` back to the input exists (none is padding)."""
    geo = _geometry(layers)
    return all(set(rf_support(geo[l:], position)) <= set(range(sizes[l])) for l in range(len(layers)))


@given(layers=st.lists(layer_st, min_size=1, max_size=3), size=st.integers(16, 48), data=st.data())
def test_rf_span_and_support_match_gradient_support(layers, size, data):
    layers = [("c", kk, ss, min(pp, kk - 1), dd) for kk, ss, pp, dd in layers]
    sizes = _forward_sizes(size, layers)
    assume(sizes is not None)
    position = data.draw(st.integers(0, sizes[-1] - 1), label="output position")
    rf = receptive_field([g[1:] for g in layers])
    first, last = rf.span(position)
    assert (first, last) == (rf.start + position * rf.jump, rf.start + position * rf.jump + rf.size - 1)
    derived = set(rf.support(position))
    measured = _measured(size, layers, position)
    assert measured <= derived <= set(range(first, last + 1))  # (empty when every path hits padding)
    assert min(derived) == first and max(derived) == last  # the span is attained at both ends
    if first >= 0 and last <= size - 1:  # the span lies in the input: no path crosses padding
        assert (min(measured), max(measured)) == (first, last)
        assert measured == derived


tlayer_st = st.tuples(st.sampled_from("ct"), st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2))


@given(layers=st.lists(tlayer_st, min_size=1, max_size=3), size=st.integers(8, 24), data=st.data())
def test_transposed_receptive_field_matches_gradient_support(layers, size, data):
    """Through transposed convolutions: exact spans and supports per output, size = the largest span."""
    layers = [(kind, kk, ss, min(pp, kk - 1) if kind == "c" else min(pp, dd * (kk - 1)), dd)
              for kind, kk, ss, pp, dd in layers]
    sizes = _forward_sizes(size, layers)
    assume(sizes is not None and sizes[-1] <= 400)
    position = data.draw(st.integers(0, sizes[-1] - 1), label="output position")
    geo = _geometry(layers)
    measured = _measured(size, layers, position)
    try:
        rf = receptive_field(geo)
    except ValueError as exc:  # e.g. a 1x1 stride-2 transposed conv, then a conv reading only the zeros it inserted
        assert "no output of this stack sees any input pixel" in str(exc)
        assert not measured and not rf_support(geo, position)
        return
    derived = set(rf.support(position))
    assert measured <= derived
    if derived:
        first, last = rf.span(position)
        assert (first, last) == (min(derived), max(derived))
        assert last - first + 1 <= rf.size
        assert first >= rf.start + position * rf.jump
    if _paths_stay_inside(layers, sizes, position):
        assert measured == derived
    assert rf.jump == sp.Mul(*[sp.Rational(1, ss) if kind == "t" else ss for kind, _, ss, _, _ in layers])


def test_transposed_size_is_attained_and_agrees_with_network():
    """DCGAN's upsampling layer: each output sees ⌈4/2⌉ = 2 inputs; Network and receptive_field agree."""
    layers = [Conv2d(1, 1, 3, stride=2, padding=1), ReLU(), ConvTranspose2d(1, 1, 4, stride=2, padding=1)]
    rf = receptive_field(layers)
    assert rf.size == (5, 5) and rf.jump == (1, 1) and rf.start == (-3, -3)
    net = Network(layers + [Flatten(), Linear(32 * 32, 2)], input_shape=(1, 32, 32))
    assert net.receptive_field().size == rf.size  # not the trunk before the transposed conv (3, 3)
    assert [r.rf for r in net.table()][:3] == [(3, 3), (3, 3), (5, 5)]
    assert isinstance(rf.size[0], int) and json.dumps(rf.size) == "[5, 5]"
    up = receptive_field([ConvTranspose2d(1, 1, 4, stride=2, padding=1)])
    assert up.size == (2, 2) and up.jump == (sp.Rational(1, 2),) * 2 and up.start == (-1, -1)
    assert [up.span(o) for o in range(4)] == [(-1, 0), (0, 1), (0, 1), (1, 2)]


def test_symbolic_transposed_is_refused_clearly():
    with pytest.raises(ValueError, match="needs numeric kernel, stride, padding and dilation"):
        receptive_field([ConvTranspose2d(1, 1, "k", stride=2)])
    with pytest.raises(ValueError, match="needs numeric"):
        Network([ConvTranspose2d(1, 1, 3, stride="s")]).receptive_field()


def test_support_has_gaps_with_dilation():
    """Kernel 2, dilation 2: the span is 3 pixels, the support 2; stacked dilations 1, 2, 4 fill the span."""
    rf = receptive_field([(2, 1, 1, 2)])
    assert rf.span(0) == (-1, 1) and rf.support(0) == [-1, 1] and rf.size == 3
    wavenet = receptive_field([(2, 1, 0, 1), (2, 1, 0, 2), (2, 1, 0, 4)])
    assert wavenet.support(5) == list(range(5, 13))
    gapped = receptive_field([(2, 1, 0, 2), (2, 1, 0, 2)])  # taps {0, 2} + {0, 2}: {0, 2, 4}
    assert gapped.size == 5 and gapped.support(0) == [0, 2, 4]


def test_rf_measured_with_dilation_and_stride():
    layers = [(3, 2, 1, 1), (3, 1, 2, 2), (2, 2, 0, 1)]
    rf = receptive_field(layers)
    measured = _measured(40, [("c", *g) for g in layers], 3)
    assert (min(measured), max(measured)) == rf.span(3)
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
