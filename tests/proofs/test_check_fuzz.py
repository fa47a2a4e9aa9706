"""check_formula on random and hostile strings: it never raises and never runs anything."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import check_formula
from proofs.findings import Finding

HOSTILE = [
    "__import__('os').system('touch /tmp/convproof_pwned')",
    "$__import__('os').system('touch /tmp/convproof_pwned')$",
    "10^{10^{10}} = 1",
    "\\sum_{i=0}^{10^{12}} x_i = 0",
    "Y[i] = \\sum_{u=0}^{99999999} X[i+u] K[u]",
    "Y[i,j,c] = ∑_{u=0}^{999999} ∑_{v=0}^{999999} ∑_{d=0}^{999} X[i+u, j+v, d] · W[u,v,d,c]",
    "(" * 500 + "1" + ")" * 500,
    "H_out = ⌊(H + 2P − k)/0⌋ + 1",
    "\\frac{1}{0} = 3",
    "x" * 5000,
    "lambda: 0 = 1",
    "∂L/∂X[i,j] = ∑_{u,v} ∂L/∂Y[⌊(i-u)/0⌋, j] · W[u,v]",
]

ALPHABET = st.sampled_from(list("HWkPSsCinout_{}^()[]⌊⌋⌈⌉+-−·×*/=≈<>0123456789 ,.\\∑∏∂ℓδσ$") +
                           ["\\frac", "\\lfloor", "\\rfloor", "\\sum", "\\cdot", "\\times", "\\text{", "_{in}"])


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_strings(text, tmp_path):
    from proofs.clock import now  # the judge's limits are CPU seconds: measured so, the bound holds under any load

    start = now()
    f = check_formula(text)
    assert isinstance(f, Finding)
    assert now() - start < 10.0, "work per formula is bounded"
    import os

    assert not os.path.exists("/tmp/convproof_pwned")


@settings(max_examples=40)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_fuzz_never_raises(text):
    f = check_formula(text)
    assert isinstance(f, Finding) and f.explanation is not None


@given(st.text(max_size=60))
def test_fuzz_any_text(text):
    assert isinstance(check_formula(text), Finding)
