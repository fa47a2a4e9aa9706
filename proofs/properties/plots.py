"""Figures of property results with matplotlib (Agg backend, written to PNG).

* :func:`plot_erf` — the ERF heat-map of the deepest stack and its radius vs
  depth on log-log axes, with the fitted slope and the theoretical RF;
* :func:`plot_support` — the input pixels one output depends on (receptive field);
* :func:`plot_counterexample` — the input, ``fn(shift(x))`` and the other
  side, first batch entry and channel.

Each returns the path written.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .result import Counterexample, PropertyResult

__all__ = ["plot_result", "plot_erf", "plot_support", "plot_counterexample"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _plane(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    while a.ndim > 2:
        a = a[0]
    return a.reshape(1, -1) if a.ndim < 2 else a


def plot_erf(result: PropertyResult, path: str | Path) -> Path:
    """Heat-map of the deepest ERF and log-log radius vs depth."""
    plt = _pyplot()
    depths = result.details["depths"]
    radii = [result.details["radii"][d] for d in depths]
    deepest = result.details["maps"][depths[-1]]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4.2))
    im = a.imshow(deepest / deepest.max(), cmap="magma")
    a.set_title(f"ERF |∂y_centre/∂x|, {depths[-1]} layers of 3x3")
    fig.colorbar(im, ax=a, fraction=0.046)
    slope = result.measurements["exponent"]
    # the measured radii are markers and the √n reference a dashed line drawn over them in another colour:
    # where the growth is √n the two coincide, and both must stay visible
    b.loglog(depths, radii, "o", color="tab:blue", markersize=8, zorder=2,
             label=f"measured ERF radius (slope {slope:.3f})")
    b.loglog(depths, [1 + 2 * d for d in depths], "s-", color="tab:gray", zorder=1,
             label="theoretical RF 1 + 2n (slope 1)")
    ref = radii[0] * (np.asarray(depths) / depths[0]) ** 0.5
    b.loglog(depths, ref, "--", color="tab:red", linewidth=2, zorder=3, label="√n reference (slope 0.5)")
    b.set_xlabel("depth n")
    b.set_ylabel("pixels")
    b.legend()
    b.set_title("growth with depth")
    return _save(fig, plt, path)


def plot_support(result: PropertyResult, path: str | Path) -> Path:
    """The gradient support of one output (its receptive field) on the input grid."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.imshow(result.details["support"], cmap="Blues")
    m = result.measurements
    ax.set_title(f"support of ∂y{result.details['output_position']}/∂x: size {m['size_measured']} "
                 f"(derive {m['size_derived']}), jump {m['jump_measured']}")
    return _save(fig, plt, path)


def plot_counterexample(result: PropertyResult, path: str | Path) -> Path:
    """Input, ``fn(shift(x))`` and the other side of a counterexample."""
    plt = _pyplot()
    ce = result.counterexample
    if not isinstance(ce, Counterexample):
        raise ValueError(f"{result.name}: no counterexample to plot (holds = {result.holds})")
    panels = [("x", ce.input), ("fn(shift(x))", ce.lhs),
              ("shift′(fn(x))" if ce.output_shift is not None else "fn(x)", ce.rhs)]
    fig, axes = plt.subplots(1, 3, figsize=(12, 4))
    for ax, (title, arr) in zip(axes, panels):
        im = ax.imshow(_plane(arr), cmap="coolwarm")
        ax.set_title(title + (f", δ = {ce.shift}" if title == "x" else ""))
        fig.colorbar(im, ax=ax, fraction=0.046)
    return _save(fig, plt, path)


def plot_result(result: PropertyResult, path: str | Path) -> Path:
    """The figure that fits ``result`` (ERF, support or counterexample).

    Raises
    ------
    ValueError
        When the result has nothing to draw.
    """
    if "maps" in result.details:
        return plot_erf(result, path)
    if "support" in result.details:
        return plot_support(result, path)
    return plot_counterexample(result, path)


def _save(fig, plt, path) -> Path:
    path = Path(path)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
