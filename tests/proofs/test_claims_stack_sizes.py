"""Output sizes of described stacks: per-layer strides, stated or conventional padding, checked against a loop of
the output-size formula written here."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from proofs.claims import check_claims

WORDS = ["One", "Two", "Three", "Four", "Five"]


def _out(h, k, s, p):
    return (h + 2 * p - k) // s + 1


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 5), st.sampled_from([3, 5]), st.integers(1, 2), st.integers(0, 2), st.integers(40, 160),
       st.booleans())
def test_stated_padding_and_stride(n, k, s, p, h, truthful):
    out = h
    for _ in range(n):
        assume(out + 2 * p >= k)  # every layer's window fits
        out = _out(out, k, s, p)
    claimed = out if truthful else out + 1
    noun = "conv layer" if n == 1 else "conv layers"
    text = f"{WORDS[n - 1]} {k}×{k} {noun} with stride {s} and padding {p} reduce a {h}×{h} input to {claimed}×{claimed}."
    found = [f for f in check_claims(text) if f.quantity == "output_size"]
    assert [f.verdict.value for f in found] == ["CORRECT" if truthful else "INCORRECT"]


def test_unstated_padding_tries_both_conventions_and_says_which():
    f, = check_claims("Three 3×3 conv layers with stride 2 reduce a 224×224 input to 28×28.")
    assert f.verdict.value == "CORRECT" and "'same' padding" in f.explanation and "does not state" in f.explanation
    f, = check_claims("Three 3×3 conv layers with stride 2 reduce a 224×224 input to 56×56.")
    assert f.verdict.value == "INCORRECT" and f.expected == "27×27 or 28×28"


def test_one_layer_that_differs_is_not_read_as_a_uniform_stack():
    f, = check_claims("Four 3×3 convs, the second and the fourth with stride 2, map a 64×64 image to 16×16.")
    assert f.verdict.value == "CORRECT"  # a uniform stride-2 stack would give 4×4


def _rf_conv_pool(n):
    r, j = 1, 1
    for _ in range(n):
        r, j = r + 2 * j, j  # 3×3 conv, stride 1
        r, j = r + 1 * j, 2 * j  # 2×2 max pool, stride 2
    return r


def test_each_followed_by_pooling_interleaves_the_layers():
    for n, word in ((2, "Two"), (3, "Three")):
        rf = _rf_conv_pool(n)
        ok = check_claims(f"{word} 3×3 convs, each followed by 2×2 max pooling, have a receptive field of {rf}×{rf}.")
        bad = check_claims(f"{word} 3×3 convs, each followed by 2×2 max pooling, have a receptive field of {rf - 2}×{rf - 2}.")
        assert [f.verdict.value for f in ok] == ["CORRECT"] and [f.verdict.value for f in bad] == ["INCORRECT"]
