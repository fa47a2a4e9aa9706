"""``convproof prove``: verdicts, JSON shape, plots, exit status and bad options."""

import json

import pytest

from proofs.cli.main import main


@pytest.fixture(autouse=True)
def serial_numba():
    """Tiny arrays: one Numba thread (parallel launches cost more than the work, on a loaded machine)."""
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(before)


def run_json(capsys, *argv):
    status = main(["prove", *argv, "--format", "json"])
    return status, json.loads(capsys.readouterr().out)


def test_equivariance_of_a_circular_conv_holds(capsys):
    status, out = run_json(capsys, "equivariance", "conv2d", "--size", "6", "--max-examples", "8")
    assert status == 0 and out["holds"] is True and out["verdict"] == "CORRECT" and out["counterexample"] is None
    assert {"holds", "condition", "counterexample", "measurements"} <= set(out)


def test_stride_two_is_conditional_with_a_small_counterexample(capsys):
    status, out = run_json(capsys, "equivariance", "conv2d", "--stride", "2", "--size", "4", "--max-examples", "8")
    assert status == 1 and out["holds"] is False and out["verdict"] == "CONDITIONAL"
    assert "mod S" in out["condition"]
    ce = out["counterexample"]
    assert any(d % 2 for d in ce["shift"]) and len(ce["input"][0][0]) == 4 and ce["where"]


def test_pooling_invariance_text_output_shows_the_arrays(capsys):
    status = main(["prove", "invariance", "max_pool2d", "--size", "4", "--max-examples", "8"])
    text = capsys.readouterr().out
    assert status == 1 and "fn(shift(x)) =" in text
    # a CONDITIONAL holds under a condition: it is worded so, never "does NOT hold"
    assert "holds only under a condition" in text and "[CONDITIONAL]" in text and "does NOT hold" not in text
    assert "holds when: only when the window covers the whole input" in text
    assert "counterexample (outside the condition):" in text


def test_a_measurement_is_labelled_measured(capsys):
    status = main(["prove", "erf", "conv2d", "--depths", "1,2"])
    text = capsys.readouterr().out
    assert status == 0 and "[MEASURED]" in text and "UNRECOGNIZED" not in text
    status, out = run_json(capsys, "erf", "conv2d", "--depths", "1,2")
    assert out["status"] == "MEASURED" and out["holds"] is None


def test_incorrect_is_worded_does_not_hold(capsys):
    status = main(["prove", "invariance", "conv2d", "--size", "5", "--max-examples", "10"])
    text = capsys.readouterr().out
    first = text.splitlines()[0]
    assert status == 1 and first.endswith("does NOT hold  [INCORRECT]"), first


def test_erf_json_has_the_exponent_and_null_holds(capsys, tmp_path):
    png = tmp_path / "erf.png"
    status, out = run_json(capsys, "erf", "conv2d", "--depths", "1,2,4,8", "--plot", str(png))
    assert status == 0 and out["holds"] is None
    assert abs(out["measurements"]["exponent"] - 0.5) < 0.01
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_receptive_field_matches_derive_and_plots(capsys, tmp_path):
    png = tmp_path / "rf.png"
    status, out = run_json(capsys, "receptive-field", "conv2d", "--layers", "2", "--stride", "2",
                           "--padding-mode", "zeros", "--plot", str(png))
    m = out["measurements"]
    assert status == 0 and out["holds"] is True and m["size_measured"] == m["size_derived"] == 7
    assert png.stat().st_size > 1000


def test_a_counterexample_plot_is_written(capsys, tmp_path):
    png = tmp_path / "ce.png"
    assert main(["prove", "invariance", "avg_pool2d", "--size", "4", "--max-examples", "8", "--plot", str(png)]) == 1
    assert png.stat().st_size > 1000


@pytest.mark.parametrize(
    "argv, message",
    [
        pytest.param(["equivariance", "global_avg_pool2d"], "use `prove invariance", id="gap-equivariance"),
        pytest.param(["erf", "max_pool2d"], "erf is measured on stacks", id="erf-op"),
        pytest.param(["erf", "conv2d", "--depths", "1,x"], "--depths", id="erf-depths"),
        pytest.param(["equivariance", "conv2d", "--stride", "0"], "--stride must be >= 1", id="stride"),
        pytest.param(["equivariance", "conv2d", "--padding", "-1"], "--padding must be >= 0", id="padding"),
        pytest.param(["equivariance", "conv2d", "--kernel-size", "2"], "same-size layer", id="even-kernel"),
        pytest.param(["receptive-field", "global_avg_pool2d"], "no finite receptive field", id="rf-gap"),
    ],
)
def test_bad_options_exit_2_with_a_message(capsys, argv, message):
    assert main(["prove", *argv]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--stride", "--size", "--max-examples"])
def test_a_non_integer_value_names_the_option(capsys, option):
    with pytest.raises(SystemExit) as exc:
        main(["prove", "equivariance", "conv2d", option, "x"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}" in err and "must be an integer, got 'x'" in err
