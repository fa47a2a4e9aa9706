"""Coordinate maps and linear offsets (proofs.judge.index_mapping), strided single-channel definitions and
cuDNN-letter index formulas (index_eval, library_index)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.checker import check_file, check_text
from proofs.judge.index_mapping import judge_index_mapping

DATA = Path(__file__).resolve().parents[1] / "data" / "index_formulas"
ROLES = {"stride_h": "stride", "pad_h": "padding", "dilation_h": "dilation"}
h, p, r, S, P, D = sp.symbols("h p r stride_h pad_h dilation_h")


@pytest.mark.parametrize("rhs, verdict", [
    (p * S - P + r * D, "CORRECT"),
    (p * S - P + r * (D + 1), "CORRECT"),          # the dilation counted from 0 (oneDNN)
    (p * S - P + r, "CORRECT"),                    # no dilation
    (p * S + P + r * D, "INCORRECT"),              # padding added
    (p * S * D - P + r, None),                     # the stride times the dilation: not read as this map
    (p * S - 2 * P + r * D, "INCORRECT"),
    (p * S + r * D, None),                         # no padding: a padded-frame coordinate, not judged
    (p * S + r * S - P, None),                     # the stride on both: not told apart
], ids=["plain", "dil+1", "nodil", "plus-pad", "s*d", "2pad", "nopad", "both"])
def test_coordinate_map(rhs, verdict):
    j = judge_index_mapping(h, rhs, ROLES)
    assert (j.verdict if j else None) == verdict


@settings(max_examples=25, deadline=None)
@given(order=st.permutations("nchw"))
def test_row_major_offset_of_any_layout(order):
    """The row-major offset of any axis order is one to one, and judged as that layout, not as another."""
    idx = [sp.Symbol(c) for c in order]
    ext = [sp.Symbol(c.upper()) for c in order]
    off = idx[0]
    for v, e in zip(idx[1:], ext[1:]):
        off = off * e + v
    name = "".join(order).upper()
    assert judge_index_mapping(sp.Symbol("offset"), off, {}, f"a {name} tensor").verdict == "CORRECT"
    other = next("".join(o).upper() for o in itertools.permutations("nchw") if "".join(o).upper() != name)
    j = judge_index_mapping(sp.Symbol("offset"), off, {}, f"a {other} tensor")
    assert j.verdict == "INCORRECT" and name in j.explanation


@settings(max_examples=20, deadline=None)
@given(wrong=st.sampled_from(["R", "C"]))
def test_offset_with_a_wrong_extent_collides(wrong):
    c, rr, s_, R, S_ = sp.symbols("c r s R S")
    off = c * R * S_ + rr * sp.Symbol(wrong) + s_
    j = judge_index_mapping(sp.Symbol("crs"), off, {})
    assert j.verdict == "INCORRECT" and j.counterexample["detail"]


def test_maps_document():
    got = {}
    for f in check_file(DATA / "maps_planted.md").findings:
        if f.quantity in ("forward_index", "layout_offset"):
            got.setdefault(f.line, set()).add(f.verdict.value)
    assert got == {3: {"CORRECT"}, 5: {"INCORRECT"}, 7: {"CORRECT"}, 9: {"CORRECT"}, 11: {"INCORRECT"},
                   13: {"CORRECT"}, 15: {"INCORRECT"}, 17: {"CORRECT"}}  # 7: oneDNN's ih, oh, kh read as names


@pytest.mark.parametrize("index, verdict", [("i s + m, j s + n", "CORRECT"), ("i + s m, j + s n", "INCORRECT")],
                         ids=["stride", "dilation-as-stride"])
def test_single_channel_stride_is_evaluated_at_stride_two(index, verdict):
    doc = f"Stride $s$, kernel size $k$.\n\n$$O(i, j) = \\sum_{{m=0}}^{{k-1}} \\sum_{{n=0}}^{{k-1}} I({index}) K(m, n)$$\n"
    (f,) = [f for f in check_text(doc).findings if f.line == 3]
    assert f.verdict.value == verdict


@pytest.mark.parametrize("src, verdict", [
    ("X[n, c, p u + r - P, q v + s - Q]", "CORRECT"),
    ("X[n, c, p u + r + P, q v + s - Q]", "INCORRECT"),
], ids=["cudnn-letters", "pad-sign"])
def test_indexed_library_form(src, verdict):
    doc = ("Strides $u$, $v$; paddings $P$, $Q$.\n\n$$Y[n, k, p, q] = \\sum_{c=0}^{C-1}\\sum_{r=0}^{R-1}\\sum_{s=0}^{S-1} "
           + src + " \\cdot W[k, c, r, s]$$\n")
    (f,) = [f for f in check_text(doc).findings if f.line == 3]
    assert f.verdict.value == verdict


@settings(max_examples=20, deadline=None)
@given(extra=st.integers(-2, 2))
def test_transposed_relation_solved_for_the_padding(extra):
    """``total = s(i−1) + op + d(k−1) + 1 − o`` is the derived relation solved for the total padding; any other
    constant is not."""
    from proofs.judge.solved_size import judge_solved_size

    s, i, q, k, d, o, P = sp.symbols("stride input_size output_padding kernel_shape dilations output_shape total_padding")
    roles = {"stride": "stride", "input_size": "input_size", "output_padding": "output_padding", "kernel_shape": "kernel",
             "dilations": "dilation", "output_shape": "output_size", "total_padding": "padding"}
    j = judge_solved_size(P, s * (i - 1) + q + (k - 1) * d + 1 + extra - o, roles, "ConvTranspose")
    assert j.verdict == ("CORRECT" if extra == 0 else "INCORRECT")
    assert judge_solved_size(P, s * (i - 1) + q + (k - 1) * d + 1 - o, roles, "a convolution") is None


@pytest.mark.parametrize("tex, verdict", [
    (r"\sum_{u=-\infty}^{\infty} f[u] g[n-u] = \sum_{u=-\infty}^{\infty} f[n-u] g[u]", "CORRECT"),
    (r"\sum_{u=-\infty}^{\infty} f[u] g[n-u] = \sum_{u=-\infty}^{\infty} f[n+u] g[u]", "INCORRECT"),
    (r"o[m,n] = f[m,n]*g[m,n] = \sum_{u=-\infty}^{\infty} \sum_{v=-\infty}^{\infty} f[u,v] g[m-u,n-v]", "CORRECT"),
], ids=["commutative", "not-commutative", "operator-notation"])
def test_identities_and_operator_notation(tex, verdict):
    (f,) = [f for f in check_text(f"Convolution of signals.\n\n$${tex}$$\n").findings if f.line == 3]
    assert f.verdict.value == verdict


def test_reindexing_into_another_tensor_is_not_an_identity():
    tex = (r"[H]_{i, j} = [U]_{i, j} + \sum_k \sum_l [W]_{i, j, k, l} [X]_{k, l} = "
           r"[U]_{i, j} + \sum_a \sum_b [V]_{i, j, a, b} [X]_{i+a, j+b}")
    for f in check_text(f"A layer.\n\n$${tex}$$\n").findings:
        assert f.verdict.value != "INCORRECT"


def test_a_constant_bias_name_is_set_aside():
    doc = "The layer, with a constant $u$.\n\n$$[H]_{i, j} = u + \\sum_{a=0}^{k-1}\\sum_{b=0}^{k-1} [V]_{a, b} [X]_{i+a, j+b}$$\n"
    (f,) = [f for f in check_text(doc).findings if f.line == 3]
    assert f.verdict.value == "CORRECT"
    bad = doc.replace("[X]_{i+a, j+b}", "[X]_{i+a, j+a}")
    (f,) = [f for f in check_text(bad).findings if f.line == 3]
    assert f.verdict.value in ("INCORRECT", "UNRECOGNIZED")
