r"""Backward pass of batch normalisation in training mode, derived.

Per channel ``c`` over the ``M = N·H·W`` positions ``m = (n, h, w)``:

.. math::

    \mu_c = \tfrac1M \sum_m X[m,c],\quad
    \sigma^2_c = \tfrac1M \sum_m (X[m,c]-\mu_c)^2,\quad
    Y[m,c] = \gamma_c \frac{X[m,c]-\mu_c}{\sqrt{\sigma^2_c+\epsilon}} + \beta_c .

``X[e]`` (``e`` in channel ``c'``) enters ``L = Σ G·Y`` in two ways: as the
entry ``x = X[e]`` itself (only the term ``m = e``: the delta collapses the
sum), and through the channel statistics ``S_1 = Σ_m X[m,c']``
(``∂S_1/∂X[e] = 1``) and ``S_2 = Σ_m X[m,c']²`` (``∂S_2/∂X[e] = 2X[e]``),
since ``μ = S_1/M`` and ``σ² = S_2/M − μ²``. SymPy differentiates
``f(x, S_1, S_2) = γ(x − S_1/M)/√(S_2/M − S_1²/M² + ε) + β`` in each
argument; collecting terms (checked symbolically) gives the familiar

.. math:: \frac{\partial L}{\partial X[e]} = \frac{\gamma_{c'}}{M\sqrt{\sigma^2_{c'}+\epsilon}}
    \Big(M\,G[e] - \sum_m G[m,c'] - \hat x[e] \sum_m G[m,c']\,\hat x[m,c']\Big).

Examples
--------
>>> import numpy as np
>>> r = batch_norm_backward("bias", dims=0)
>>> r.evaluate(grad_output=np.ones((3, 2)), input=np.zeros((3, 2)))
array([3., 3.])
"""

from __future__ import annotations

import sympy as sp

from ..derivation import checked_once
from .backward import derive_by_elimination
from .hyper import check_wrt, index_symbol, size_symbol
from .result import GradientResult, Role
from .tensor_derivation import TensorDerivation

__all__ = ["batch_norm_backward"]


def _layout(dims: int):
    if dims not in (0, 1, 2):
        raise ValueError(f"dims must be 0 (N, C), 1 (N, C, L) or 2 (N, C, H, W), got {dims!r}")
    N, C = size_symbol("N"), size_symbol("C")
    spatial = (size_symbol("H"), size_symbol("W"))[:dims] if dims == 2 else ((size_symbol("H"),) if dims else ())
    return N, C, spatial


def _collect_check(M, gamma, eps):
    """The scalar identity behind the last step, decided by SymPy.

    With ``A = Σ G``, ``B = Σ G·X`` over the channel: ``G_e f_x + A·f_S1 + 2 X_e·B'`` …
    returns the SymPy-simplified difference between the chain-rule form and
    the collected form (0 when they agree).
    """
    x, S1, S2, Ge, Xe, A, B = sp.symbols("x S_1 S_2 G_e X_e A B", real=True)
    f = gamma * (x - S1 / M) / sp.sqrt(S2 / M - (S1 / M) ** 2 + eps)
    fx, f1, f2 = (sp.diff(f, v) for v in (x, S1, S2))
    # Σ_m G_m·f_S1(X_m) is affine in X_m: Σ_m G_m (α + β X_m) = α A + β B
    def summed(expr):
        alpha, beta = expr.subs(x, 0), sp.diff(expr, x)
        return alpha * A + beta * B
    chain = Ge * fx.subs(x, Xe) + summed(f1) + 2 * Xe * summed(f2)
    mu = S1 / M
    sig = sp.sqrt(S2 / M - mu**2 + eps)
    xhat_e = (Xe - mu) / sig
    sum_g_xhat = (B - mu * A) / sig
    collected = gamma / (M * sig) * (M * Ge - A - xhat_e * sum_g_xhat)
    return sp.simplify(chain - collected)


@checked_once
def batch_norm_backward(wrt: str = "input", *, dims: int = 2, eps: float = 1e-5):
    r"""Derive ``∂L/∂X``, ``∂L/∂γ`` (``wrt="weight"``) or ``∂L/∂β`` (``"bias"``) of training-mode batch norm.

    Parameters
    ----------
    wrt : {"input", "weight", "bias"}
    dims : {0, 1, 2}
        Spatial dimensions of the input: ``(N, C)``, ``(N, C, L)`` or ``(N, C, H, W)``.
    eps : float
        The default ``ε`` used by :meth:`~GradientResult.evaluate` (``eps=`` overrides it).

    Returns
    -------
    GradientResult
        ``.evaluate(grad_output=, input=, weight=)`` (``weight`` is ``γ``).

    Raises
    ------
    ValueError
        ``wrt`` not one of the three, ``dims`` not 0, 1 or 2.
    """
    check_wrt(wrt, ("input", "weight", "bias"), "batch_norm_backward")
    N, C, spatial = _layout(dims)
    M = sp.Symbol("M", integer=True, positive=True)
    eps_sym = sp.Symbol("epsilon", positive=True)
    n, c = index_symbol("n"), index_symbol("c")
    pos = tuple(index_symbol(x) for x in "hw"[: len(spatial)])
    n2 = index_symbol("m_n")
    pos2 = tuple(index_symbol(f"m_{x}") for x in "hw"[: len(spatial)])
    X, G, Y = sp.IndexedBase("X"), sp.IndexedBase("G"), sp.IndexedBase("Y")
    gamma, beta = sp.IndexedBase("gamma"), sp.IndexedBase("beta")
    mu, var = sp.IndexedBase("mu"), sp.IndexedBase("sigma^2")
    M_value = N * sp.Mul(*spatial)
    limits = [(n, 0, N - 1)] + [(pos[t], 0, spatial[t] - 1) for t in range(len(spatial))]
    limits2 = [(n2, 0, N - 1)] + [(pos2[t], 0, spatial[t] - 1) for t in range(len(spatial))]
    mu_def = sp.Sum(X[(n2, c) + pos2], *limits2) / M_value
    var_def = sp.Sum((X[(n2, c) + pos2] - mu[c]) ** 2, *limits2) / M_value
    xhat = (X[(n, c) + pos] - mu[c]) / sp.sqrt(var[c] + eps_sym)
    y_def = gamma[c] * xhat + beta[c]
    y_entry = Y[(n, c) + pos]
    loss_sum = sp.Sum(G[(n, c) + pos] * y_entry, (c, 0, C - 1), *limits)
    shape = (N, C) + spatial
    roles = (Role("grad_output", G, shape), Role("input", X, shape), Role("weight", gamma, (C,)),
             Role("bias", beta, (C,)))
    computed = [(mu, (c,), (C,), mu_def), (var, (c,), (C,), var_def)]
    extra = [(M, M_value, "definition: M positions per channel"),
             (mu[c], mu_def.subs(M_value, M), "definition: the batch mean of channel c (training mode)"),
             (var[c], var_def.subs(M_value, M), "definition: the biased batch variance of channel c")]
    sizes = [N, C, *spatial, eps_sym]
    domain = {"N": (2, 3), "C": (1, 2), "H": (1, 3), "W": (1, 3), "epsilon": (1, 1)}
    assumptions = ["training mode: the statistics are those of the batch (biased variance, divisor M)",
                   "the input has shape " + "(" + ", ".join(map(str, shape)) + "), M = " + sp.sstr(M_value)]
    if wrt in ("weight", "bias"):
        entry_sym = index_symbol("c'")
        entry = (gamma if wrt == "weight" else beta)[entry_sym]
        return derive_by_elimination(
            name=f"batch_norm.grad_{wrt}",
            title=f"Gradient of batch normalisation (training) with respect to {'gamma' if wrt == 'weight' else 'beta'}",
            y_entry=y_entry, y_def=y_def,
            y_why="definition: normalise with the channel statistics, then scale by gamma and shift by beta",
            loss=sp.Symbol("L"), loss_sum=loss_sum, entry=entry, prefer=[c], free=((entry_sym, C),),
            roles=roles, sizes=sizes, assumptions=assumptions, domain=domain, computed=computed,
            extra_definitions=extra, params={"eps": (eps_sym,)}, defaults={"eps": eps},
            fd_step=1e-5, rtol=1e-6,
        )
    return _input_gradient(N, C, spatial, M, M_value, eps_sym, eps, n, c, pos, n2, pos2, limits2, X, G, Y, gamma, beta,
                           mu, var, y_entry, y_def, loss_sum, roles, computed, extra, sizes, domain, assumptions)


def _input_gradient(N, C, spatial, M, M_value, eps_sym, eps, n, c, pos, n2, pos2, limits2, X, G, Y, gamma, beta,
                    mu, var, y_entry, y_def, loss_sum, roles, computed, extra, sizes, domain, assumptions):
    L = sp.Symbol("L")
    c1 = index_symbol("c'")
    e_pos = tuple(index_symbol(x) for x in "ab"[: len(spatial)])
    n1 = index_symbol("n'")
    entry = X[(n1, c1) + e_pos]
    free = tuple(zip((n1, c1) + e_pos, (N, C) + spatial))
    d = TensorDerivation(
        "Gradient of batch normalisation (training) with respect to the input",
        tensors={r.base: r.shape for r in roles}, indices={**dict(free), c: C}, sizes=sizes,
        definitions={L: loss_sum.xreplace({y_entry: y_def})}, computed=computed,
        derived={M: lambda v: int(sp.sympify(M_value).subs({sym: v[sym.name] for sym in M_value.free_symbols}))},
        assumptions=assumptions, domain=domain, fd_step=1e-5, rtol=1e-6,
    )
    for lhs, rhs, why in extra:
        d.define(lhs, rhs, why)
    d.define(y_entry, y_def, "definition: normalise with the channel statistics, then scale by gamma and shift by beta")
    d.define(L, loss_sum, "definition of G = dL/dY: near the point of evaluation L changes as sum G*Y")
    # σ² through the power sums: a checked step
    S1 = sp.Sum(X[(n2, c) + pos2], *limits2)
    S2 = sp.Sum(X[(n2, c) + pos2] ** 2, *limits2)
    d.step(var[c], S2 / M_value - mu[c] ** 2, "expand the square: the variance is S2/M - mu^2 with S2 = sum of X^2")
    # chain rule through x = X[e], S1, S2 (SymPy's diff of the scalar f)
    x, s1, s2 = sp.symbols("x S_1 S_2", real=True)
    f = gamma[c1] * (x - s1 / M_value) / sp.sqrt(s2 / M_value - (s1 / M_value) ** 2 + eps_sym) + beta[c1]
    fx, f1, f2 = (sp.diff(f, v) for v in (x, s1, s2))
    stats = {s1: S1.xreplace({c: c1}), s2: S2.xreplace({c: c1})}
    Xm = X[(n2, c1) + pos2]
    Gm = G[(n2, c1) + pos2]
    chain = (G[(n1, c1) + e_pos] * fx.xreplace({x: entry, **stats})
             + sp.Sum(Gm * (f1.xreplace({x: Xm, **stats}) + 2 * entry * f2.xreplace({x: Xm, **stats})), *limits2))
    dloss = sp.Derivative(L, entry)
    d.step(dloss, chain, "chain rule through X[e] itself (only m = e survives the delta), S1 (dS1/dX[e] = 1) "
                         "and S2 (dS2/dX[e] = 2 X[e]); the partial derivatives of f by SymPy")
    if _collect_check(M, sp.Symbol("gamma", positive=True), eps_sym) != 0:  # pragma: no cover - a SymPy regression
        raise AssertionError("batch_norm: collecting terms failed symbolically")
    sig = sp.sqrt(var[c1] + eps_sym)
    xhat_e = (entry - mu[c1]) / sig
    xhat_m = (Xm - mu[c1]) / sig
    collected = gamma[c1] / (M * sig) * (M * G[(n1, c1) + e_pos] - sp.Sum(Gm, *limits2)
                                        - xhat_e * sp.Sum(Gm * xhat_m, *limits2))
    d.step(dloss, collected.subs(M, M_value), "collect terms with mu = S1/M, sigma^2 = S2/M - mu^2 "
                                              "(an identity SymPy proves in the scalars A = sum G, B = sum G*X)")
    d.step(dloss, collected, "write M for the number of positions per channel")
    return GradientResult(
        name="batch_norm.grad_input", lhs=dloss, expr=collected.subs(M, M_value), derivation=d, roles=tuple(roles),
        free=free, params={"eps": (eps_sym,)}, computed=computed, defaults={"eps": eps},
    )
