"""Hostile and arbitrary text: check_claims never raises, never executes, and bounds its work."""

import time

from hypothesis import given
from hypothesis import strategies as st

from proofs.claims import check_claims
from proofs.findings import Finding, Verdict

_WORDS = st.sampled_from([
    "receptive field", "RF", "=", "3×3", "3x3", "7×7", "three", "two", "layers of", "conv", "convs", "pooling",
    "stride", "2", "halves", "resolution", "fewer", "parameters", "28%", "1/9", "about", "depthwise-separable",
    "grows", "geometrically", "linearly", "exponentially", "dilated", "invariant", "equivariant", "shift", "input",
    "output", "δ/S", "O(", ")", "H", "·", "C_in", "k^2", "$", "\\times", "**", "-", ":", ".", "\n", "```", "$$", "#",
    "FC", "global", "effective", "√depth", "by", "per layer", "same", "as", "one", "99999999999", "0×0", "1/0",
])


@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text):
    findings = check_claims(text, verbose=True)
    assert all(isinstance(f, Finding) and f.kind == "claim" and f.line >= 1 for f in findings)


@given(st.lists(_WORDS, max_size=40).map(" ".join))
def test_claim_shaped_text_never_raises(text):
    for f in check_claims(text, verbose=True):
        assert isinstance(f.verdict, Verdict) and f.kind == "claim"


def test_hostile_strings_are_inert(tmp_path):
    marker = tmp_path / "pwned"
    hostile = [
        f"$__import__('os').system('touch {marker}')$ three 3×3 convs see a 7×7 region",
        f"RF = eval(\"open('{marker}','w')\") for 3 layers of 3×3 conv",
        "{{7*7}} receptive field of ${{3*3}}$ layers",
    ]
    for text in hostile:
        check_claims(text)
    assert not marker.exists()


def test_huge_numbers_are_bounded():
    start = time.perf_counter()
    texts = [
        "A 1000000000×1000000000 kernel has a receptive field of 10^9×10^9.",
        "Three 99999×99999 convs see a 99999×99999 region.",
        "64 layers of 511×511 conv with dilation 511: RF = 3×3.",
        "Stacking 9999×9999 convs grows the receptive field geometrically.",
        "Depthwise-separable 99999×99999 convs need about 1/99999 of the parameters.",
        "A 99999×99999 max pooling with stride 99999 halves the resolution.",
        "x" * 100_000 + " three 3×3 convs see a 9×9 region",
    ]
    findings = [f for t in texts for f in check_claims(t)]
    assert time.perf_counter() - start < 30
    assert all(f.verdict in (Verdict.UNRECOGNIZED, Verdict.INCORRECT, Verdict.CORRECT) for f in findings)
    assert any("bound" in f.explanation or "outside" in f.explanation for f in findings)


@given(st.sampled_from(["Max pooling makes the output invariant to small shifts.", "An FC layer gives global invariance."]))
def test_properties_run_inside_a_callers_hypothesis_test(text):
    from proofs.claims import evidence

    evidence.pool_invariance.cache_clear()  # force the property to run here, inside this @given
    [f] = check_claims(text)
    assert f.verdict in (Verdict.CONDITIONAL, Verdict.INCORRECT), f.explanation
