"""Measurements: ERF growth exponent, shift-consistency with/without blur, RF from gradient support."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.properties import effective_receptive_field, measure_receptive_field, shift_consistency
from proofs.strategies import Conv2dConfig, Pool2dConfig


@pytest.fixture(autouse=True)
def serial_numba():
    """Tiny arrays: one Numba thread (parallel launches cost more than the work, on a loaded machine)."""
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(before)


def test_erf_of_uniform_3x3_stacks_grows_like_the_square_root_of_depth():
    r = effective_receptive_field(depths=(1, 2, 4, 8, 16), weights="uniform")
    assert r.holds is None
    assert abs(r.measurements["exponent"] - 0.5) < 0.01
    # the radius is the RMS of a sum of n independent uniform {-1, 0, 1} steps: sqrt(2n/3)
    for n in (1, 4, 16):
        assert r.measurements[f"radius_at_{n}"] == pytest.approx(np.sqrt(2 * n / 3), rel=1e-9)
    # while the theoretical receptive field grows linearly: the ERF fills a shrinking fraction of it
    assert r.measurements["ratio_at_16"] < r.measurements["ratio_at_4"] < r.measurements["ratio_at_1"]


def test_erf_with_random_weights_grows_sublinearly():
    r = effective_receptive_field(depths=(2, 4, 8, 16), weights="random", trials=30, seed=1)
    assert 0.35 < r.measurements["exponent"] < 0.75
    assert set(r.details["maps"]) == {2, 4, 8, 16}


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param(dict(depths=(4,)), "at least two depths", id="one-depth"),
        pytest.param(dict(depths=(0, 2)), "at least two depths", id="zero-depth"),
        pytest.param(dict(weights="ones"), "weights", id="weights"),
    ],
)
def test_erf_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        effective_receptive_field(**kwargs)


def test_blur_before_subsampling_improves_shift_consistency():
    r = shift_consistency(size=16, channels=(3, 8, 8), images=120, max_shift=4, seed=0)
    m = r.measurements
    assert 0.0 <= m["consistency_without_blur"] <= 1.0 and 0.0 <= m["consistency_with_blur"] <= 1.0
    assert m["consistency_with_blur"] > m["consistency_without_blur"]
    assert m["feature_change_with_blur"] < m["feature_change_without_blur"]


def test_shift_consistency_bad_size():
    with pytest.raises(ValueError, match="divisible by 2\\*\\*2"):
        shift_consistency(size=10, channels=(1, 2, 2))


layer = st.one_of(
    st.builds(lambda k, s, p, d: Conv2dConfig(1, 1, 1, 8, 8, k, s, min(p, (d * (k - 1)) // 2), d),
              st.integers(1, 3), st.integers(1, 2), st.integers(0, 1), st.integers(1, 2)),
    st.builds(lambda kind, k, s: Pool2dConfig(kind, 1, 1, 8, 8, k, s), st.sampled_from(["max", "avg"]),
              st.integers(1, 3), st.integers(1, 2)),
)


@settings(max_examples=12)
@given(st.lists(layer, min_size=1, max_size=3))
def test_receptive_field_from_gradient_support_equals_derive(layers):
    r = measure_receptive_field(layers)
    assert r.holds, r.summary()
    m = r.measurements
    assert (m["size_measured"], m["jump_measured"], m["start_measured"]) == (
        m["size_derived"], m["jump_derived"], m["start_derived"])


def test_erf_plot_keeps_the_sqrt_reference_visible_over_the_measured_radii(tmp_path, monkeypatch):
    """Where the ERF grows like √n the two curves coincide: the reference is drawn on top, dashed, in its
    own colour, and both are in the legend."""
    from matplotlib.colors import to_rgba

    from proofs.properties import effective_receptive_field, plots

    kept = {}
    monkeypatch.setattr(plots, "_save", lambda fig, plt, path: kept.setdefault("fig", fig))
    plots.plot_erf(effective_receptive_field(depths=[1, 2, 4]), tmp_path / "erf.png")
    ax = kept["fig"].axes[1]
    lines = {line.get_label(): line for line in ax.get_lines()}
    ref = next(v for k, v in lines.items() if k.startswith("√n reference"))
    measured = next(v for k, v in lines.items() if k.startswith("measured ERF radius"))
    assert ref.get_zorder() > measured.get_zorder() and ref.get_linestyle() == "--"
    assert to_rgba(ref.get_color()) != to_rgba(measured.get_color())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("√n reference") for t in legend) and any(t.startswith("measured") for t in legend)
