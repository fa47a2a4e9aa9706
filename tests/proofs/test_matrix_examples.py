"""2-D examples written as LaTeX matrices (proofs.judge.matrix_examples): random inputs and kernels with the true
cross-correlation or convolution are CORRECT; one changed entry is INCORRECT at that entry."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.judge.matrix_examples import matrix_findings

torch = pytest.importorskip("torch")


def _tex(a: np.ndarray, env: str) -> str:
    return rf"\begin{{{env}}}" + r" \\ ".join(" & ".join(str(int(v)) for v in r) for r in a) + rf"\end{{{env}}}"


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5), st.integers(2, 5), st.integers(1, 3), st.integers(1, 3), st.booleans(),
       st.sampled_from(["bmatrix", "pmatrix"]), st.sampled_from(["*", r"\ast", r"\star"]), st.data())
def test_random_matrix_examples(h, w, kh, kw, flipped, env, op, data):
    kh, kw = min(kh, h), min(kw, w)
    x = np.array(data.draw(st.lists(st.integers(-5, 9), min_size=h * w, max_size=h * w))).reshape(h, w)
    k = np.array(data.draw(st.lists(st.integers(-3, 3), min_size=kh * kw, max_size=kh * kw))).reshape(kh, kw)
    ker = torch.tensor(k, dtype=torch.float64)
    y = torch.nn.functional.conv2d(torch.tensor(x, dtype=torch.float64)[None, None],
                                   (ker.flip(0, 1) if flipped else ker)[None, None])[0, 0].numpy()
    intro = "The kernel is flipped before sliding:" if flipped else "Sliding the kernel gives:"
    lines = [intro, "", "$$" + _tex(x, env) + f" {op} " + _tex(k, env) + " = " + _tex(y, env) + "$$"]
    (line, _, j), = matrix_findings(lines)
    assert (line, j.verdict) == (3, "CORRECT")
    flat = data.draw(st.integers(0, y.size - 1))
    bad = y.copy()
    bad.flat[flat] += data.draw(st.sampled_from([1, -1, 5]))
    lines[2] = "$$" + _tex(x, env) + f" {op} " + _tex(k, env) + " = " + _tex(bad, env) + "$$"
    found = matrix_findings(lines)
    # a changed entry may happen to equal the other reading (a symmetric kernel): then it is that reading, CORRECT
    other = torch.nn.functional.conv2d(torch.tensor(x, dtype=torch.float64)[None, None],
                                       (ker if flipped else ker.flip(0, 1))[None, None])[0, 0].numpy()
    if np.array_equal(bad, other):
        assert [f[2].verdict for f in found] == ["CORRECT"]
    else:
        (_, _, j), = found
        assert j.verdict == "INCORRECT"
        assert j.counterexample["index"] == str(tuple(int(i) for i in np.unravel_index(flat, y.shape)))


def test_sizes_that_fit_no_reading_and_other_operators_are_not_judged():
    a, k = np.arange(9).reshape(3, 3), np.ones((2, 2), dtype=int)
    assert matrix_findings(["$$" + _tex(a, "bmatrix") + r" * " + _tex(k, "bmatrix") + " = " + _tex(a, "bmatrix") + "$$"]) == []
    assert matrix_findings(["$$" + _tex(a, "bmatrix") + r" \odot " + _tex(k, "bmatrix") + " = " + _tex(k, "bmatrix") + "$$"]) == []


def test_document_with_one_planted_entry():
    lines = (Path(__file__).resolve().parents[1] / "data" / "value_examples" / "matrices.md").read_text().splitlines()
    assert [(n, j.verdict) for n, _, j in matrix_findings(lines)] == [(12, "CORRECT"), (17, "INCORRECT")]
