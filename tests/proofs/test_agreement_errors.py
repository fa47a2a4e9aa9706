"""proofs.agreement: a disagreement is reported with the operator, the parties and the place."""

import numpy as np
import pytest

from proofs import agreement
from proofs.strategies import Conv2dConfig, Pool2dConfig


def test_assert_close_names_the_index_and_the_values():
    with pytest.raises(agreement.AgreementError, match=r"differ at index \(0, 1\) \(0.0 vs 2.0\)"):
        agreement.assert_close("x", np.zeros((1, 2)), np.array([[0.0, 2.0]]), rtol=1e-9)
    with pytest.raises(agreement.AgreementError, match="shapes"):
        agreement.assert_close("x", np.zeros(2), np.zeros(3), rtol=1e-9)
    assert issubclass(agreement.AgreementError, AssertionError)


def test_a_wrong_numeric_backward_is_caught_against_derive(monkeypatch):
    cfg = Conv2dConfig(1, 1, 1, 4, 4, kernel_size=3, stride=2, padding=1)
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal(cfg.input_shape), rng.standard_normal(cfg.weight_shape)
    g = rng.standard_normal(cfg.output_shape)
    agreement.conv2d_gradients_agree(cfg, x, w, None, g)  # the real engine agrees
    right = agreement.numeric.conv2d_backward

    def off_by_one_row(*args, **kwargs):
        gi, gw, gb = right(*args, **kwargs)
        return np.roll(gi, 1, axis=2), gw, gb

    monkeypatch.setattr(agreement.numeric, "conv2d_backward", off_by_one_row)
    with pytest.raises(agreement.AgreementError, match="∂L/∂input: derive vs numeric: differ at index"):
        agreement.conv2d_gradients_agree(cfg, x, w, None, g)


def test_pool_agreement_on_one_config():
    cfg = Pool2dConfig("avg", 1, 1, 5, 5, kernel_size=3, stride=2, padding=1)
    assert agreement.pool2d_shapes_agree(cfg) == (1, 1, 3, 3)
    agreement.pool2d_forward_agrees(cfg)
