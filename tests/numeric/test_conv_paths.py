"""The engine's choice of algorithm and threads by shape (numeric._conv_engine's table), and every path's numbers.

The table is checked on the shapes users run (the benchmark's rows); then
each algorithm (im2col, batch last, pointwise, grouped, Winograd, depthwise) under each thread mode (serial,
threads, batch chunks) is forced on small random convolutions and compared
with the slow loops of numeric.reference and with PyTorch, in float64.
"""

from __future__ import annotations

import numpy as np
import numpy.testing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import numeric
import numeric.reference as ref
from numeric import _batch_split, _conv_engine, _threads
from numeric import _conv_batch_last as batch_last
from numeric import _conv_grouped as grouped
from numeric import _conv_rows as rows
from numeric import _conv_winograd as winograd
from numeric._conv_geometry import conv_geometry
from tests.helpers import requires_torch

TABLE = [
    # id, x shape, weight shape, stride, padding, groups, padding_mode, path, threads (2 threads)
    ("LeNet conv1", (64, 1, 28, 28), (6, 1, 5, 5), 1, 0, 1, "zeros", "im2col", "serial"),
    ("LeNet conv2", (64, 6, 14, 14), (16, 6, 5, 5), 1, 0, 1, "zeros", "batch last", "serial"),
    ("LeNet conv2 batch 4", (4, 6, 14, 14), (16, 6, 5, 5), 1, 0, 1, "zeros", "im2col", "serial"),
    ("LeNet conv1 batch 1", (1, 1, 28, 28), (6, 1, 5, 5), 1, 0, 1, "zeros", "im2col", "serial"),
    ("ResNet 3x3", (8, 64, 56, 56), (64, 64, 3, 3), 1, 1, 1, "zeros", "winograd", "batch chunks"),
    ("3x3 few channels", (8, 32, 56, 56), (32, 32, 3, 3), 1, 1, 1, "zeros", "im2col", "batch chunks"),
    ("batch-1 3x3 stride 2", (1, 64, 56, 56), (64, 64, 3, 3), 2, 1, 1, "zeros", "im2col", "threads"),
    ("3x3 circular", (2, 64, 8, 8), (64, 64, 3, 3), 1, 1, 1, "circular", "im2col", "serial"),
    ("batch-1 ResNet 3x3", (1, 64, 56, 56), (64, 64, 3, 3), 1, 1, 1, "zeros", "winograd", "threads"),
    ("depthwise", (8, 64, 56, 56), (64, 1, 3, 3), 1, 1, 64, "zeros", "depthwise", "serial"),
    ("depthwise large", (32, 64, 112, 112), (64, 1, 3, 3), 1, 1, 64, "zeros", "depthwise", "threads"),
    ("grouped g32", (8, 128, 56, 56), (128, 4, 3, 3), 1, 1, 32, "zeros", "grouped", "batch chunks"),
    ("grouped small images", (64, 8, 12, 12), (8, 4, 3, 3), 1, 1, 2, "zeros", "batch last", "serial"),
    ("small images circular", (64, 8, 14, 14), (8, 8, 3, 3), 1, 1, 1, "circular", "im2col", "serial"),
    ("1x1 bottleneck", (8, 256, 56, 56), (64, 256, 1, 1), 1, 0, 1, "zeros", "pointwise", "batch chunks"),
    ("1x1 stride 2", (8, 256, 56, 56), (512, 256, 1, 1), 2, 0, 1, "zeros", "im2col", "batch chunks"),
    ("1x1 grouped", (8, 256, 56, 56), (64, 64, 1, 1), 1, 0, 4, "zeros", "grouped", "batch chunks"),
    ("conv1d k9 as 2-D", (16, 64, 1, 16000), (64, 64, 1, 9), 1, (0, 4), 1, "zeros", "im2col", "batch chunks"),
    ("stem 7x7 s2", (8, 3, 224, 224), (64, 3, 7, 7), 2, 3, 1, "zeros", "im2col", "batch chunks"),
]


@pytest.mark.parametrize("shape, w_shape, s, p, g, mode, path, threads", [r[1:] for r in TABLE],
                         ids=[r[0] for r in TABLE])
def test_path_table(monkeypatch, shape, w_shape, s, p, g, mode, path, threads):
    monkeypatch.setattr(_batch_split, "_thread_count", lambda: 2)
    x, w = np.empty(shape, np.float32), np.empty(w_shape, np.float32)
    _, _, _, groups, geo = conv_geometry("conv2d", 2, x, w, None, s, p, 1, g, mode)
    assert _conv_engine.conv_path(geo, groups, w.shape, shape[0]) == path
    assert _conv_engine.thread_mode(shape[0], w.shape, groups, geo) == threads


FORWARD_TABLE = [  # id, x shape, weight shape, stride, padding, groups, forward path, rows layout
    ("LeNet conv1", (64, 1, 28, 28), (6, 1, 5, 5), 1, 0, 1, "rows", "nchw"),
    ("LeNet conv2", (64, 6, 14, 14), (16, 6, 5, 5), 1, 0, 1, "rows", "last rows"),
    ("LeNet conv2 batch 1", (1, 6, 14, 14), (16, 6, 5, 5), 1, 0, 1, "rows", "nchw"),
    ("few samples short rows", (8, 6, 9, 9), (16, 6, 5, 5), 1, 0, 1, "rows", "last wide"),
    ("17 output channels", (64, 6, 14, 14), (17, 6, 5, 5), 1, 0, 1, "batch last", None),
    ("stride 2", (8, 3, 224, 224), (16, 3, 7, 7), 2, 3, 1, "im2col", None),
    ("grouped", (8, 8, 14, 14), (8, 4, 3, 3), 1, 1, 2, "batch last", None),
    ("ResNet 3x3", (8, 64, 56, 56), (64, 64, 3, 3), 1, 1, 1, "winograd", None),
]


@pytest.mark.parametrize("shape, w_shape, s, p, g, path, lay", [r[1:] for r in FORWARD_TABLE],
                         ids=[r[0] for r in FORWARD_TABLE])
def test_forward_path_table(shape, w_shape, s, p, g, path, lay):
    x, w = np.empty(shape, np.float32), np.empty(w_shape, np.float32)
    _, _, _, groups, geo = conv_geometry("conv2d", 2, x, w, None, s, p, 1, g, "zeros")
    assert _conv_engine.forward_path(geo, groups, w.shape, shape[0]) == path
    if lay is not None:
        assert rows.layout(shape[0], geo.out_size[1]) == lay


@pytest.mark.parametrize("shape, w_shape, applies", [
    ((64, 1, 28, 28), (6, 1, 5, 5), True),  # LeNet conv1: a 25-long reduction
    ((64, 6, 14, 14), (16, 6, 5, 5), False),  # LeNet conv2: 150
    ((64, 1, 28, 28), (17, 1, 5, 5), False),  # too many output channels for the rows path at all
], ids=["LeNet conv1", "LeNet conv2", "17 output channels"])
def test_rows_weight_gradient_table(shape, w_shape, applies):
    x, w = np.empty(shape, np.float32), np.empty(w_shape, np.float32)
    _, _, _, groups, geo = conv_geometry("conv2d", 2, x, w, None, 1, 0, 1, 1, "zeros")
    assert rows.rows_grad_weight_applies(geo, groups, w.shape) is applies


def test_one_thread_never_splits(monkeypatch):
    monkeypatch.setattr(_batch_split, "_thread_count", lambda: 1)
    x, w = np.empty((8, 64, 56, 56), np.float32), np.empty((64, 64, 3, 3), np.float32)
    _, _, _, groups, geo = conv_geometry("conv2d", 2, x, w, None, 1, 1, 1, 1, "zeros")
    assert _conv_engine.thread_mode(8, w.shape, groups, geo) == "threads"


PATHS = {  # a small configuration of each path: C_in, C_out, groups, kernel, stride, padding, padding_mode
    "im2col": (3, 4, 1, 3, 2, 1, "zeros"),
    "im2col-circular": (2, 3, 1, 3, 1, 1, "circular"),
    "im2col-per-sample": (3, 4, 1, 3, 1, 1, "zeros"),
    "im2col-per-sample-tiles": (3, 4, 1, 3, 2, 1, "zeros"),  # tiles of whole rows and of parts of rows
    "im2col-per-sample-phases-tiles": (2, 3, 1, 5, 2, 2, "zeros"),  # k_w > 2·s_w: unfolded from column phases
    "im2col-per-sample-circular-tiles": (2, 3, 1, 3, 1, 1, "circular"),
    "im2col-grouped": (4, 6, 2, 3, 1, 1, "zeros"),
    "grouped": (4, 6, 2, 3, 2, 1, "zeros"),
    "grouped-circular": (6, 3, 3, 2, 1, 1, "circular"),
    "pointwise": (3, 4, 1, 1, 1, 0, "zeros"),
    "batch last": (3, 4, 1, 3, 2, 1, "zeros"),
    "batch last-grouped": (4, 6, 2, 2, 1, 0, "zeros"),
    "winograd": (3, 2, 1, 3, 1, 1, "zeros"),
    "depthwise": (3, 3, 3, 3, 1, 1, "zeros"),  # stride 1: the padded-plane passes
    "depthwise-strided": (3, 3, 3, 3, 2, 1, "zeros"),  # the general pass
    "depthwise-circular": (2, 2, 2, 3, 1, 1, "circular"),
    "depthwise-wide-padding": (2, 2, 2, 1, 1, 1, "zeros"),  # P > d(k−1): the general adjoint
    "rows": (3, 6, 1, 3, 1, 1, "zeros"),  # NCHW runs; C_out = 6 takes the 4- and the 2-channel blocks
    "rows-batch-last": (2, 7, 1, 2, 1, 0, "zeros"),  # short runs over whole padded rows (7 = 4 + 2 + 1)
    "rows-batch-last-per-row": (5, 1, 1, 3, 1, 2, "zeros"),  # one run per output row
}
MODES = {  # PARALLEL_MIN_WORK, SPLIT_MIN_WORK that force each thread mode on small inputs
    "serial": (1 << 62, 1 << 62),
    "threads": (0, 1 << 62),
    "batch chunks": (0, 0),
}


@pytest.fixture
def forced(monkeypatch):
    def use(name: str, mode: str):
        path = name.split("-")[0]
        monkeypatch.setattr(_conv_engine, "PER_SAMPLE_MIN_PIXELS", 1 if "per-sample" in name else 1 << 62)
        monkeypatch.setattr(_conv_engine, "TILE_NUMBERS", 40 if name.endswith("tiles") else 1 << 62)
        monkeypatch.setattr(winograd, "MIN_CHANNEL_PRODUCT", 1 if path == "winograd" else 1 << 62)
        monkeypatch.setattr(grouped, "MIN_BLOCK", 1 if path == "grouped" else 1 << 62)
        monkeypatch.setattr(batch_last, "MIN_BATCH", 1 if path == "batch last" else 1 << 62)
        monkeypatch.setattr(rows, "MAX_OUT_CHANNELS", 1 << 62 if path == "rows" else 0)
        monkeypatch.setattr(rows, "MAX_GRAD_WEIGHT_TAPS", 1 << 62)
        monkeypatch.setattr(rows, "MIN_BATCH", 1 if "batch-last" in name else 1 << 62)
        monkeypatch.setattr(rows, "MIN_RUN", 1 if name.endswith("per-row") else 1 << 62)
        monkeypatch.setattr(_threads, "PARALLEL_MIN_WORK", MODES[mode][0])
        monkeypatch.setattr(_batch_split, "SPLIT_MIN_WORK", MODES[mode][1])
        monkeypatch.setattr(_batch_split, "_thread_count", lambda: 2)
    return use


def _case(path, seed):
    c_in, c_out, g, k, s, p, mode = PATHS[path]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((3, c_in, int(rng.integers(k, 10)), int(rng.integers(k, 10))))
    w = rng.standard_normal((c_out, c_in // g, k, k))
    b = rng.standard_normal(c_out)
    return rng, x, w, b, dict(stride=s, padding=p, groups=g, padding_mode=mode)


def _ours(x, w, b, kw, rng):
    y = numeric.conv2d(x, w, b, **kw)
    go = rng.standard_normal(y.shape)
    return go, (y, *numeric.conv2d_backward(go, x, w, **kw))


def each_path_and_mode(examples: int):
    """Parametrise over every path and thread mode, with ``examples`` random seeds each."""
    def wrap(test):
        test = given(seed=st.integers(0, 2**32 - 1))(test)
        test = settings(max_examples=examples, deadline=None,
                        suppress_health_check=[HealthCheck.function_scoped_fixture])(test)
        return pytest.mark.parametrize("path", list(PATHS))(pytest.mark.parametrize("mode", list(MODES))(test))
    return wrap


@each_path_and_mode(examples=5)
def test_every_path_matches_the_reference(forced, path, mode, seed):
    forced(path, mode)
    rng, x, w, b, kw = _case(path, seed)
    _, _, _, groups, geo = conv_geometry("conv2d", 2, x, w, None, kw["stride"], kw["padding"], 1, kw["groups"],
                                         kw["padding_mode"])
    assert _conv_engine.forward_path(geo, groups, w.shape, x.shape[0]) == path.split("-")[0]
    if path.split("-")[0] != "rows":  # the rows path is the forward's only
        assert _conv_engine.conv_path(geo, groups, w.shape, x.shape[0]) == path.split("-")[0]
    assert _conv_engine.thread_mode(x.shape[0], w.shape, groups, geo) == (
        "threads" if mode == "batch chunks" and path.startswith("depthwise") else mode)  # depthwise is never chunked
    go, got = _ours(x, w, b, kw, rng)
    want = (ref.conv2d_ref(x, w, b, **kw), *ref.conv2d_backward_ref(go, x, w, **kw))
    for a, e in zip(got, want, strict=True):
        npt.assert_allclose(a, e, rtol=1e-10, atol=1e-10)


@requires_torch
@each_path_and_mode(examples=3)
def test_every_path_matches_pytorch(forced, path, mode, seed):
    import torch

    forced(path, mode)
    rng, x, w, b, kw = _case(path, seed)
    go, got = _ours(x, w, b, kw, rng)
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    conv = torch.nn.Conv2d(x.shape[1], w.shape[0], w.shape[2], stride=kw["stride"], padding=kw["padding"],
                           groups=kw["groups"], padding_mode=kw["padding_mode"]).double()
    yt = conv._conv_forward(xt, wt, bt)
    want = (yt, *torch.autograd.grad(yt, (xt, wt, bt), torch.from_numpy(go)))
    for a, e in zip(got, want, strict=True):
        npt.assert_allclose(a, e.detach().numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("shape, w_shape, g", [
    ((64, 1, 12, 20), (6, 1, 5, 5), 1),  # rows, NCHW runs, and the rows weight-gradient
    ((16, 6, 9, 9), (16, 6, 3, 3), 1),  # rows, batch-last runs
    ((2, 4, 9, 11), (4, 1, 3, 3), 4),  # depthwise, stride-1 padded-plane passes
], ids=["rows nchw", "rows batch last", "depthwise"])
@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_float32_paths_match_the_float64_reference(shape, w_shape, g, seed):
    """The fastmath kernels in float32 (their accumulators in the data's dtype) agree with float64 to float32 accuracy."""
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal(shape), rng.standard_normal(w_shape)
    y = numeric.conv2d(x.astype(np.float32), w.astype(np.float32), padding=1, groups=g)
    assert y.dtype == np.float32
    go = rng.standard_normal(y.shape)
    got = numeric.conv2d_backward(go.astype(np.float32), x.astype(np.float32), w.astype(np.float32), padding=1,
                                  groups=g)
    want = ref.conv2d_backward_ref(go, x, w, padding=1, groups=g)
    npt.assert_allclose(y, ref.conv2d_ref(x, w, None, padding=1, groups=g), rtol=1e-4, atol=1e-4)
    for a, e in zip(got, want, strict=True):
        npt.assert_allclose(a, e, rtol=1e-4, atol=1e-3 * np.abs(e).max())


@each_path_and_mode(examples=3)
def test_forward_and_grad_weight_share_one_unfolding(forced, path, mode, seed):
    """``forward_and_grad_weight`` (the transposed convolution's backward) equals the forward pass and the
    weight-gradient computed apart, on every path and thread mode (one unfolding where the im2col path runs)."""
    forced(path, mode)
    rng, x, w, b, kw = _case(path, seed)
    _, _, _, groups, geo = conv_geometry("conv2d", 2, x, w, None, kw["stride"], kw["padding"], 1, kw["groups"],
                                         kw["padding_mode"])
    go = rng.standard_normal((x.shape[0], w.shape[0], *geo.out_size))
    y, gw = _conv_engine.forward_and_grad_weight(x, w, go, groups, geo)
    npt.assert_allclose(y, ref.conv2d_ref(x, w, None, **kw), rtol=1e-10, atol=1e-10)
    npt.assert_allclose(gw, ref.conv2d_backward_ref(go, x, w, **kw)[1], rtol=1e-10, atol=1e-10)
    assert _conv_engine._shares_unfold(geo, groups, w.shape, x.shape[0]) == (
        path in ("im2col", "im2col-circular", "im2col-grouped"))
