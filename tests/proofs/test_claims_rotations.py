"""Rotation and flip claims: the transformation named is the one tested, on the operator named."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.claims import check_claims
from proofs.claims.forms.rotations import TRANSFORMS, apply_op


def _one(text):
    found = check_claims(text)
    assert len(found) == 1, [(f.quantity, f.verdict.value) for f in found]
    return found[0]


def _grid(text: str) -> np.ndarray:
    return np.array([[float(v) for v in row.split()] for row in text.split(" / ")])


@pytest.mark.parametrize("text,verdict,quantity", [
    ("Convolutional layers are rotation equivariant.", "INCORRECT", "rotation_equivariance"),
    ("Convolution is not equivariant to rotations.", "CORRECT", "rotation_equivariance"),
    ("Max pooling is invariant to 90 degree rotations.", "INCORRECT", "rotation_invariance"),
    ("2x2 max pooling is equivariant to rotations by 90 degrees.", "CORRECT", "rotation_equivariance"),
    ("Global average pooling is invariant to horizontal flips.", "CORRECT", "flip_invariance"),
    ("A fully connected layer is invariant to vertical flips.", "INCORRECT", "flip_invariance"),
    ("A conv layer with stride 2 is equivariant to horizontal flips.", "INCORRECT", "flip_equivariance"),
])
def test_verdicts_follow_the_computation(text, verdict, quantity):
    f = _one(text)
    assert (f.verdict.value, f.quantity) == (verdict, quantity)


def test_a_rotation_claim_is_not_decided_by_a_translation_test():
    assert all(not f.quantity.startswith("translation") for f in check_claims("CNNs are equivariant to rotations."))


@pytest.mark.parametrize("text", [
    "A group convolution is equivariant to 90° rotations.",
    "With data augmentation the network becomes robust to rotations and invariant to small rotations.",
    "Steerable filters make the layer rotation equivariant.",
])
def test_other_operators_and_learned_robustness_are_not_read(text):
    assert check_claims(text) == []


@settings(max_examples=10, deadline=None)
@given(st.sampled_from(["Convolution is equivariant to {t}.", "A dense layer is invariant to {t}.",
                        "Max pooling is invariant to {t}."]),
       st.sampled_from(["90° rotations", "horizontal flips", "vertical flips"]))
def test_counterexamples_really_fail(template, t):
    f = _one(template.format(t=t))
    assert f.verdict.value == "INCORRECT"
    ce = f.counterexample
    name = {v[0]: k for k, v in TRANSFORMS.items()}[ce["transformation"]]
    op = {"a 3": "conv", "2×2": "max_pool", "a de": "dense"}[next(k for k in ("a 3", "2×2", "a de")
                                                              if ce["operator"].startswith(k))]
    x, tr = _grid(ce["input x (6×6)"]), TRANSFORMS[name][1]
    lhs = apply_op(op, tr(x))
    rhs = tr(apply_op(op, x)) if "equivariant" in template else apply_op(op, x)
    assert np.array_equal(lhs, _grid(ce["op(T x)"])) and not np.array_equal(lhs, rhs)


def test_pooling_over_the_whole_map_is_global():
    f = _one("Max pooling over the whole feature map makes the output invariant to rotations by 90 degrees.")
    assert (f.verdict.value, f.quantity) == ("CORRECT", "rotation_invariance") and "global max pooling" in f.explanation
