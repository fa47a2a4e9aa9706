"""Every backward-pass derivation is checked when it is built (once, cached), and a wrong step is caught
there: a public builder never hands out a derivation whose steps have not been verified."""

from __future__ import annotations

import pytest
import sympy as sp

import derive
from derive.derivation import DerivationError
from derive.gradients import backward

CHECKED = {"definition", "symbolic", "numeric", "exhaustive"}

BUILDERS = [
    pytest.param(lambda: derive.conv_backward("input", stride=2, dims=1), id="conv1d-dx-stride2"),
    pytest.param(lambda: derive.conv_backward("weight", dims=1, groups=None), id="conv1d-dw-groups"),
    pytest.param(lambda: derive.conv_backward("bias"), id="conv2d-db"),
    pytest.param(lambda: derive.conv_transpose_backward("input", dims=1), id="convT1d-dx"),
    pytest.param(lambda: derive.pool_backward("max", 2, dims=1), id="maxpool1d"),
    pytest.param(lambda: derive.pool_backward("avg", 3, stride=2, padding=1, ceil_mode=True, dims=1), id="avgpool1d"),
    pytest.param(lambda: derive.dense_backward("weight"), id="dense-dw"),
    pytest.param(lambda: derive.batch_norm_backward("weight", dims=1), id="bn-dgamma"),
    pytest.param(lambda: derive.softmax_ce_backward("sum"), id="softmax-ce"),
    pytest.param(lambda: derive.equivariance_derivation(), id="equivariance"),
]


@pytest.mark.parametrize("build", BUILDERS)
def test_every_step_is_checked_when_built_without_calling_verify(build):
    result = build()
    der = getattr(result, "derivation", result)
    statuses = [s.status for s in der.steps]
    assert set(statuses) <= CHECKED, statuses
    assert any(s != "definition" for s in statuses)


def _drop_divisibility(monkeypatch):
    """Make the delta elimination forget the stride's divisibility condition in every step it writes."""
    real = backward.eliminate_deltas

    def wrong(*args, **kwargs):
        elim = real(*args, **kwargs)

        def forget(e):
            return e.replace(lambda x: isinstance(x, sp.Eq) and x.has(sp.Mod), lambda x: sp.true)

        elim.terms = [(forget(expr), why) for expr, why in elim.terms]
        elim.expr = forget(elim.expr)
        return elim

    monkeypatch.setattr(backward, "eliminate_deltas", wrong)


def test_a_wrong_elimination_step_raises_when_the_gradient_is_built(monkeypatch):
    _drop_divisibility(monkeypatch)
    # arguments no other test builds, so that nothing comes from the cache
    with pytest.raises(DerivationError, match="Gradient of a 1-D convolution.*failed"):
        derive.conv_backward("input", stride=3, padding=2, dilation=1, dims=1)


def test_a_wrong_step_is_not_cached_and_a_right_build_afterwards_succeeds(monkeypatch):
    args = dict(stride=2, padding=2, dilation=2, dims=1)
    with monkeypatch.context() as m:
        _drop_divisibility(m)
        with pytest.raises(DerivationError):
            derive.conv_backward("input", **args)
    r = derive.conv_backward("input", **args)
    assert r.expr.has(sp.Mod)
    assert {s.status for s in r.derivation.steps} <= CHECKED


def test_built_once_then_copies_that_do_not_share_steps():
    a = derive.dense_backward("bias")
    b = derive.dense_backward("bias")
    assert a is not b and a.derivation is not b.derivation
    assert a.expr == b.expr
    a.derivation.steps.clear()
    assert len(derive.dense_backward("bias").derivation.steps) == len(b.derivation.steps) > 0


def test_unhashable_arguments_are_built_and_checked_every_time():
    r = derive.conv_backward("input", stride=[2], padding=[1], dilation=[1], dims=1)
    assert {s.status for s in r.derivation.steps} <= CHECKED
    assert r.expr == derive.conv_backward("input", stride=(2,), padding=(1,), dilation=(1,), dims=1).expr


@pytest.mark.parametrize("stride", [True, 2.0, (True,)])
def test_an_equal_but_wrongly_typed_argument_is_not_served_from_the_cache(stride):
    derive.conv_backward("input", stride=1, dims=1)
    derive.conv_backward("input", stride=(2,), dims=1)
    with pytest.raises(TypeError, match="stride must be an int"):
        derive.conv_backward("input", stride=stride, dims=1)
