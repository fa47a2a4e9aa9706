"""Index formulas evaluated as written and compared with numeric (conv, gradients, pooling)."""

import numpy as np
import pytest
import sympy as sp

from proofs.judge.evaluate import EvalLimit, compile_expr
from proofs.judge.index_eval import judge_index_formula
from tests.helpers import requires_torch

i, j, c, d, u, v, m, n, s, k, p = sp.symbols("i j c d u v m n s k p")
C_in, C_out, L = sp.symbols("C_in C_out L")
X, Wt, Y, b, K, I, dl = (sp.IndexedBase(x) for x in ("X", "W", "Y", "b", "K", "I", "delta"))
G = sp.Derivative(L, sp.Symbol("Y"))
oo = sp.oo


def gread(*idx):
    """(∂L/∂Y)[idx] as the parser builds it."""
    return sp.Function("at")(G, *idx)


CASES = [
    ("forward-hwc", Y[i, j, c], sp.Sum(X[i + u, j + v, d] * Wt[u, v, d, c], (u, 0, k - 1), (v, 0, k - 1),
                                       (d, 0, C_in - 1)) + b[c], {"k": "kernel", "C_in": "channels_in"}, "",
     "CORRECT", None),
    ("forward-chw-1-based-channels", Y[c, i, j], b[c] + sp.Sum(X[d, i + u, j + v] * K[c, d, u, v], (d, 1, C_in),
                                                              (u, -oo, oo), (v, -oo, oo)),
     {"C_in": "channels_in"}, "", "CORRECT", None),
    ("forward-missing-channel-index", Y[i, j, c], sp.Sum(X[i + u, j + v, d] * Wt[u, v, c], (u, 0, k - 1),
                                                         (v, 0, k - 1), (d, 0, C_in - 1)),
     {"k": "kernel", "C_in": "channels_in"}, "", "UNRECOGNIZED", None),
    ("grad-input-stride1", sp.Derivative(L, X[i, j, c]),
     sp.Sum(dl[i - m, j - n, d] * K[m, n, c, d], (d, -oo, oo), (m, -oo, oo), (n, -oo, oo)), {}, "", "CORRECT", None),
    ("grad-input-floor-stride", sp.Derivative(L, X[i, j, d]),
     sp.Sum(gread(sp.floor((i - u) / s), sp.floor((j - v) / s), c) * Wt[u, v, d, c], (u, -oo, oo), (v, -oo, oo),
            (c, 0, C_out - 1)), {"s": "stride", "C_out": "channels_out"}, "", "INCORRECT", None),
    ("grad-weight-stride", sp.Derivative(L, Wt[u, v, d, c]),
     sp.Sum(gread(i, j, c) * X[i * s + u, j * s + v, d], (i, -oo, oo), (j, -oo, oo)), {"s": "stride"}, "",
     "CORRECT", None),
    ("grad-weight-flipped", sp.Derivative(L, Wt[u, v, d, c]),
     sp.Sum(gread(i, j, c) * X[i - u, j - v, d], (i, -oo, oo), (j, -oo, oo)), {}, "", "INCORRECT", None),
    ("grad-bias", sp.Derivative(L, b[c]), sp.Sum(gread(i, j, c), (i, -oo, oo), (j, -oo, oo)), {}, "", "CORRECT", None),
    ("avg-pool", Y[i, j], sp.Sum(X[i * s + u, j * s + v], (u, 0, p - 1), (v, 0, p - 1)) / p**2,
     {"p": "pool", "s": "stride"}, "Average pooling", "CORRECT", None),
    ("avg-pool-wrong-divisor", Y[i, j], sp.Sum(X[i * s + u, j * s + v], (u, 0, p - 1), (v, 0, p - 1)) / p,
     {"p": "pool", "s": "stride"}, "Average pooling", "INCORRECT", None),
    ("max-pool", Y[i, j], sp.Function("max_over")(X[i * s + u, j * s + v], sp.Tuple(u, 0, p - 1), sp.Tuple(v, 0, p - 1)),
     {"p": "pool", "s": "stride"}, "Max pooling", "CORRECT", None),
    ("avg-pool-backward-floor", sp.Derivative(L, X[i, j]), sp.Derivative(L, Y[sp.floor(i / s), sp.floor(j / s)]) / p**2,
     {"p": "pool", "s": "stride"}, "Average pooling backward", "CONDITIONAL", "pool size p = stride s (non-overlapping windows)"),
]


@pytest.mark.parametrize("name, lhs, rhs, roles, context, verdict, condition", CASES, ids=[c[0] for c in CASES])
def test_index_formulas(name, lhs, rhs, roles, context, verdict, condition):
    r = judge_index_formula(lhs, rhs, roles=roles, context=context)
    if name == "forward-missing-channel-index":
        assert r.verdict in ("UNRECOGNIZED", "INCORRECT")  # never CORRECT
        return
    assert r.verdict == verdict, r.explanation
    assert r.condition == condition
    if verdict in ("INCORRECT", "CONDITIONAL"):
        cx = r.counterexample
        assert cx is not None and not np.isclose(cx["document"], cx["expected"])


@pytest.mark.parametrize("rhs, label, strict, verdict", [
    pytest.param(sp.Sum(I[i + m, j + n] * K[m, n], (m, -oo, oo), (n, -oo, oo)), "cross-correlation", True, "CORRECT",
                 id="xcorr-named-xcorr"),
    pytest.param(sp.Sum(I[i - m, j - n] * K[m, n], (m, -oo, oo), (n, -oo, oo)), "cross-correlation", True, "INCORRECT",
                 id="conv-named-xcorr"),
    pytest.param(sp.Sum(I[i + m, j + n] * K[m, n], (m, -oo, oo), (n, -oo, oo)), "convolution", True, "INCORRECT",
                 id="xcorr-named-true-conv"),
    pytest.param(sp.Sum(I[i + m, j + n] * K[m, n], (m, -oo, oo), (n, -oo, oo)), "convolution", False, "CORRECT",
                 id="xcorr-named-conv-dl-usage"),
    pytest.param(sp.Sum(I[i + u, j + v] * K[k - 1 - u, k - 1 - v], (u, 0, k - 1), (v, 0, k - 1)), "convolution", True,
                 "CORRECT", id="flipped-kernel-is-conv"),
    pytest.param(sp.Sum(I[i + m, j] * K[m, n], (m, -oo, oo), (n, -oo, oo)), "convolution", False, "not CORRECT",
                 id="missing-offset"),
    pytest.param(sp.Sum(I[i + m] * K[m, n], (m, -oo, oo), (n, -oo, oo)), "convolution", False, "not CORRECT",
                 id="missing-index"),
])
def test_convolution_definitions(rhs, label, strict, verdict):
    r = judge_index_formula(Y[i, j], rhs, roles={"k": "kernel"}, label=label, strict_names=strict)
    if verdict == "not CORRECT":
        assert r.verdict != "CORRECT", r.explanation
        return
    assert r.verdict == verdict, r.explanation


def _doc_grad_input_floor(g, w, H, stride):
    """The stride-s floor formula written directly in NumPy (HWC layout)."""
    k = w.shape[0]
    out = np.zeros((H, H, w.shape[2]))
    for a in range(H):
        for bb in range(H):
            for dd in range(w.shape[2]):
                acc = 0.0
                for uu in range(k):
                    for vv in range(k):
                        r, q = (a - uu) // stride, (bb - vv) // stride
                        if 0 <= r < g.shape[0] and 0 <= q < g.shape[1]:
                            acc += (g[r, q, :] * w[uu, vv, dd, :]).sum()
                out[a, bb, dd] = acc
    return out


@requires_torch
def test_floor_gradient_really_differs_from_torch():
    """The counterexample behind 'grad-input-floor-stride' is real: PyTorch's gradient differs."""
    import torch

    rng = np.random.default_rng(3)
    H, k, stride = 6, 2, 2
    x = torch.tensor(rng.standard_normal((1, 1, H, H)), requires_grad=True)
    w = torch.tensor(rng.standard_normal((1, 1, k, k)))
    y = torch.nn.functional.conv2d(x, w, stride=stride)
    g = torch.tensor(rng.standard_normal(y.shape))
    (y * g).sum().backward()
    doc = _doc_grad_input_floor(g[0].permute(1, 2, 0).numpy(), w.permute(2, 3, 1, 0).numpy(), H, stride)
    assert not np.allclose(doc[:, :, 0], x.grad[0, 0].numpy())


def test_compile_expr_bounds_work():
    f = compile_expr(sp.Sum(X[u], (u, 0, 10**9)), time_limit=0.2)
    with pytest.raises(EvalLimit):
        f({}, {"X": np.ones(3)})


def test_dl_naming_noted_makes_conv_name_conditional():
    rhs = sp.Sum(I[i + m, j + n] * K[m, n], (m, -oo, oo), (n, -oo, oo))
    r = judge_index_formula(Y[i, j], rhs, label="convolution", strict_names=True, dl_usage_noted=True)
    assert r.verdict == "CONDITIONAL" and "deep-learning sense" in r.condition
