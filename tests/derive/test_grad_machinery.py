"""The machinery of derived gradients: delta elimination keeps its conditions, the
evaluator runs the expression itself, a wrong step is caught, bad input is refused."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

import derive
from derive.gradients.index_sum import eliminate_deltas
from derive.iverson import Iverson
from derive.gradients.tensor_derivation import TensorDerivation
from derive.gradients.tensor_eval import evaluate
from tests.helpers import REPO


def test_derive_never_imports_numeric_or_proofs():
    code = "import sys, derive, derive.catalogue, derive.latex_pdf; " \
           "derive.conv_backward('input', stride=2).evaluate; " \
           "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numeric', 'proofs')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the divisibility condition survives, exactly when the stride is not 1 ---------------------------


@pytest.mark.parametrize(
    "stride, moduli",
    [
        pytest.param(1, set(), id="stride-1-no-condition"),
        pytest.param(2, {2}, id="stride-2"),
        pytest.param((3, 1), {3}, id="stride-3x1-only-rows"),
        pytest.param(None, {sp.Symbol("s_h", integer=True, positive=True),
                            sp.Symbol("s_w", integer=True, positive=True)}, id="symbolic"),
    ],
)
def test_conv_input_gradient_keeps_divisibility_condition(stride, moduli):
    expr = derive.conv_backward("input", stride=stride).expr
    found = {m.args[1] for m in expr.atoms(sp.Mod)}
    assert found == moduli


def test_sympy_deltasummation_would_drop_the_condition_and_we_do_not():
    i, p, a = sp.symbols("i p a", integer=True)
    H, K = sp.symbols("H K", integer=True, positive=True)
    X, W, G = sp.IndexedBase("X"), sp.IndexedBase("W"), sp.IndexedBase("G")
    L = sp.Sum(G[i] * sp.Sum(W[p] * X[2 * i + p], (p, 0, K - 1)), (i, 0, H - 1))
    ours = eliminate_deltas(sp.diff(L, X[a]), prefer=[i])
    assert ours.collapsed[0][2] == sp.Eq(sp.Mod(a - p, 2), 0)
    # evaluated: odd a - p contributes nothing
    g, w = np.arange(1.0, 4.0), np.array([10.0, 100.0])
    vals = evaluate(ours.expr, {"G": g, "W": w}, grid=[(a, 6)], values={H: 3, K: 2})
    np.testing.assert_array_equal(vals, [10.0, 100.0, 20.0, 200.0, 30.0, 300.0])


def test_evaluator_gives_nan_for_unguarded_reads_and_zero_under_iverson():
    a = sp.Symbol("a", integer=True)
    X = sp.IndexedBase("X")
    x = np.array([1.0, 2.0])
    assert np.isnan(evaluate(X[a + 1], {"X": x}, grid=[(a, 2)])[1])
    guarded = Iverson(sp.Le(a + 1, 1)) * X[a + 1]
    np.testing.assert_array_equal(evaluate(guarded, {"X": x}, grid=[(a, 2)]), [2.0, 0.0])


def test_a_step_without_the_divisibility_condition_fails_verification():
    r = derive.conv_backward("input", stride=2, dims=1)
    d = r.derivation
    wrong = r.expr.replace(lambda e: isinstance(e, sp.Eq) and e.has(sp.Mod), lambda e: sp.true)
    assert not wrong.has(sp.Mod)
    bad = TensorDerivation(d.title, tensors=d.tensors, indices=d.indices, sizes=d.sizes, derived=d.derived,
                           definitions=d.definitions, domain=d.domain)
    bad.steps = list(d.steps)
    bad.step(r.lhs, wrong, "forget the divisibility condition")
    assert d.verify() is True
    assert bad.verify() is False
    failure = bad.steps[-1].failure
    assert bad.steps[-1].status == "failed" and {"lhs", "rhs", "k", "P", "d"} <= set(failure)
    assert failure["lhs"] != failure["rhs"] or np.isnan(failure["rhs"])


@pytest.mark.parametrize(
    "op, wrt, x_shape, w_shape, options",
    [
        pytest.param("conv", "input", (1, 1, 5), (1, 1, 2), dict(stride=(2,), padding=(1,), dilation=(2,)), id="conv1d-dx"),
        pytest.param("conv", "input", (1, 2, 4, 3), (2, 1, 2, 2),
                     dict(stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2), id="conv2d-dx-groups"),
        pytest.param("conv", "weight", (2, 1, 4), (1, 1, 2), dict(stride=(3,), padding=(1,), dilation=(1,)), id="conv1d-dw"),
        pytest.param("conv", "bias", (1, 1, 3), (2, 1, 2), dict(stride=(1,), padding=(0,), dilation=(1,)), id="conv1d-db"),
        pytest.param("conv_transpose", "input", (1, 1, 3), (1, 2, 2), dict(stride=(2,), padding=(1,), dilation=(1,)),
                     id="convT1d-dx"),
        pytest.param("avg_pool", "input", (1, 1, 5), (3,), dict(stride=(2,), padding=(1,), ceil_mode=True,
                                                                  count_include_pad=True), id="avgpool-ceil"),
        pytest.param("dense", "weight", (2, 3), (2, 3), {}, id="dense-dw"),
    ],
)
def test_exact_check_against_sympy_diff_of_a_symbolic_forward(op, wrt, x_shape, w_shape, options):
    assert derive.exact_check(op, wrt, x_shape, w_shape, **options)


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, exc, message",
    [
        pytest.param(lambda: derive.conv_backward("weights"), ValueError, "wrt must be one of", id="wrt-typo"),
        pytest.param(lambda: derive.conv_backward(dims=3), ValueError, "dims must be 1 or 2", id="dims"),
        pytest.param(lambda: derive.conv_backward(stride=0), ValueError, "stride must be >= 1", id="stride-0"),
        pytest.param(lambda: derive.conv_backward(padding=-1), ValueError, "padding must be >= 0", id="padding-neg"),
        pytest.param(lambda: derive.conv_backward(stride=(1, 2, 3)), ValueError, "needs 2 values", id="stride-len"),
        pytest.param(lambda: derive.conv_backward(groups=0), ValueError, "groups must be >= 1", id="groups-0"),
        pytest.param(lambda: derive.conv_backward(stride=1.5), TypeError, "stride must be an int", id="stride-float"),
        pytest.param(lambda: derive.pool_backward("min", 2), ValueError, "kind must be one of", id="pool-kind"),
        pytest.param(lambda: derive.pool_backward("avg", 2, dilation=2), ValueError, "no dilation", id="avg-dilation"),
        pytest.param(lambda: derive.pool_backward("max", 2, padding=2), ValueError, "at most half", id="pool-pad"),
        pytest.param(lambda: derive.pool_backward("max", 2, ceil_mode="yes"), TypeError, "ceil_mode", id="ceil-str"),
        pytest.param(lambda: derive.dense_backward("x"), ValueError, "wrt must be one of", id="dense-wrt"),
        pytest.param(lambda: derive.batch_norm_backward(dims=3), ValueError, "dims must be 0", id="bn-dims"),
        pytest.param(lambda: derive.softmax_ce_backward("avg"), ValueError, "reduction must be one of", id="ce-red"),
        pytest.param(lambda: derive.conv_transpose_backward("grad"), ValueError, "wrt must be one of", id="convT-wrt"),
    ],
)
def test_bad_arguments_are_refused_with_the_rule(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


@pytest.mark.parametrize(
    "kwargs, exc, message",
    [
        pytest.param(dict(grad_output=np.ones((1, 4, 2, 2)), input=np.ones((1, 3, 4, 4)), weight=np.ones((4, 1, 3, 3)),
                          stride=1, padding=0, dilation=1), ValueError, "groups = 3 must divide", id="groups-not-dividing"),
        pytest.param(dict(grad_output=np.ones((1, 2, 2, 2)), input=np.ones((1, 2, 4, 4)), weight=np.ones((2, 2, 3, 3)),
                          padding=0, dilation=1), ValueError, "no value for", id="missing-stride"),
        pytest.param(dict(grad_output=np.ones((1, 2, 3, 2)), input=np.ones((1, 2, 4, 4)), weight=np.ones((2, 2, 3, 3)),
                          stride=1, padding=0, dilation=1), ValueError, "window fits 2 times", id="wrong-H_out"),
        pytest.param(dict(grad_output=np.ones((1, 2, 2, 2)), input=np.ones((1, 2, 4)), weight=np.ones((2, 2, 3, 3)),
                          stride=1, padding=0, dilation=1), ValueError, "must have 4 axes", id="rank"),
        pytest.param(dict(grad_output=np.ones((1, 2, 2, 2)), inputs=np.ones((1, 2, 4, 4))), TypeError, "unknown keywords",
                     id="unknown-keyword"),
    ],
)
def test_evaluate_refuses_inconsistent_arrays(kwargs, exc, message):
    r = derive.conv_backward("input", groups=None)
    with pytest.raises(exc, match=message):
        r.evaluate(**kwargs)


def test_evaluate_gives_the_shape_of_the_differentiated_tensor():
    r = derive.conv_backward("weight", stride=2, padding=1, dilation=1)
    out = r.evaluate(grad_output=np.ones((2, 3, 3, 2)), input=np.ones((2, 4, 5, 4)), weight=np.ones((3, 4, 3, 3)))
    assert out.shape == (3, 4, 3, 3)
