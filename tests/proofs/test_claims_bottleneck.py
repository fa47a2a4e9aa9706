"""Bottleneck savings: the factor against k²·C·C_out / (C·C' + k²·C'·C_out) and the k×k conv alone (C/C')."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.claims import check_claims


@settings(max_examples=20, deadline=None)
@given(st.sampled_from([64, 128, 192, 256, 512]), st.sampled_from([2, 4, 8, 16]), st.sampled_from([3, 5]),
       st.sampled_from([16, 32, 64, 128]))
def test_the_whole_path_factor_is_correct_and_a_far_one_is_not(c, shrink, k, c_out):
    m = c // shrink
    whole = Fraction(k * k * c * c_out, c * m + k * k * m * c_out)
    base = f"Reducing {c} channels to {m} with a 1×1 conv before a {k}×{k} conv with {c_out} filters reduces the multiplications by "
    right = [f.verdict.value for f in check_claims(base + f"{round(float(whole), 1)}x.") if f.quantity == "macs"]
    assert right == ["CORRECT"]
    far = 3 * max(whole, Fraction(c, m))
    wrong = [f for f in check_claims(base + f"{round(float(far))}x.") if f.quantity == "macs"]
    assert [f.verdict.value for f in wrong] == ["INCORRECT"]
    assert wrong[0].counterexample["factors"][-1] == round(float(whole), 3)


def test_the_kxk_conv_alone_is_one_reading():
    f, = check_claims("A 1×1 conv that reduces 256 channels to 64 before the 3×3 conv cuts its cost by 4×.")
    assert f.verdict.value == "CORRECT" and "3×3 conv alone" in f.explanation
