"""np.convolve/np.correlate and scipy.signal.convolve2d/correlate2d evaluated with numeric (proofs.code.signal_calls)
agree with the libraries themselves on random small arrays in every mode; printed results are judged."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.code.signal_calls import convolve_call

_ints = st.integers(-3, 3)


@settings(max_examples=60, deadline=None)
@given(st.lists(_ints, min_size=1, max_size=7), st.lists(_ints, min_size=1, max_size=7),
       st.sampled_from(["full", "same", "valid"]), st.sampled_from(["convolve", "correlate"]))
def test_numpy_1d(a, v, mode, name):
    try:
        got = convolve_call(name, [a, v], {"mode": mode})
    except ValueError:
        assert name == "correlate" and len(v) > len(a)
        return
    want = getattr(np, name)(np.array(a, float), np.array(v, float), mode)
    assert got.shape == want.shape and np.allclose(got, want)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 3), st.integers(1, 3),
       st.sampled_from(["full", "same", "valid"]), st.sampled_from(["convolve2d", "correlate2d"]), st.data())
def test_scipy_2d(h, w, kh, kw, mode, name, data):
    signal = pytest.importorskip("scipy.signal")
    a = np.array(data.draw(st.lists(_ints, min_size=h * w, max_size=h * w)), float).reshape(h, w)
    k = np.array(data.draw(st.lists(_ints, min_size=kh * kw, max_size=kh * kw)), float).reshape(kh, kw)
    try:
        got = convolve_call(name, [a, k], {"mode": mode})
    except ValueError:
        assert mode == "valid" and (kh > h or kw > w)
        return
    want = getattr(signal, name)(a, k, mode)
    assert got.shape == want.shape and np.allclose(got, want)


def test_printed_np_convolve_judged():
    from proofs.code.blocks import document_cells
    from proofs.code.printed_arrays import printed_judgements

    src = ["```python", "import numpy as np", "np.convolve([1, 2, 3], [0, 1, 0.5])", "```", "", "```",
           "array([0. , 1. , 2.5, 4. , 1.5])", "```"]
    assert [(n, j.verdict) for n, j in printed_judgements(document_cells(src))] == [(7, "CORRECT")]
    src[6] = "array([0. , 1. , 2.5, 3. , 1.5])"
    assert [(n, j.verdict) for n, j in printed_judgements(document_cells(src))] == [(7, "INCORRECT")]
