"""Loop nests in code blocks (proofs.judge.loop_nest): run by our interpreter and compared with numeric."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.checker import check_file
from proofs.judge.code_interp import Unsupported, call_function
from proofs.judge.loop_nest import judge_function, loop_nest_findings

DATA = Path(__file__).resolve().parents[1] / "data" / "index_formulas"

LOOP = """
def {name}(x, w, stride=1, pad=0):
    H, W = x.shape
    kh, kw = w.shape
    xp = np.pad(x, ((pad, pad), (pad, pad)))
    oh = (H + 2 * pad - kh) // stride + {plus}
    ow = (W + 2 * pad - kw) // stride + 1
    y = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            for u in range(kh):
                for v in range(kw):
                    y[i, j] += xp[{row}, j * stride + v] * w[{ku}, v]
    return y
"""


def _judge(src):
    return judge_function(ast.parse(src).body[0])


@pytest.mark.parametrize("row, ku, plus, name, verdict", [
    ("i * stride + u", "u", 1, "conv2d", "CORRECT"),
    ("i * stride + u", "u", 1, "corr2d", "CORRECT"),
    ("i * stride + u", "kh - 1 - u", 1, "corr2d", "INCORRECT"),   # a flipped kernel is not a cross-correlation
    ("i + u", "u", 1, "conv2d", "INCORRECT"),                     # stride missing in the row index
    ("i * stride + u", "u", 0, "conv2d", "INCORRECT"),            # output size one short
], ids=["conv", "corr", "corr-flipped", "no-stride", "short"])
def test_planted(row, ku, plus, name, verdict):
    j = _judge(LOOP.format(name=name, row=row, ku=ku, plus=plus))
    assert j is not None and j.verdict == verdict, j
    if verdict == "INCORRECT":
        assert "detail" in j.counterexample


@settings(max_examples=15, deadline=None)
@given(a=st.integers(0, 3), b=st.integers(-2, 2).filter(lambda v: v != 0))
def test_any_wrong_offset_is_incorrect(a, b):
    """A row index ``i*stride + u + b`` (b ≠ 0) never computes the convolution: the judge says so, never CORRECT."""
    src = LOOP.format(name="conv2d", row=f"i * stride + u + ({b})", ku="u", plus=1)
    j = _judge(src)
    assert j is None or j.verdict == "INCORRECT"


def test_square_only_is_conditional():
    src = ("def conv2d(X, K):\n    k = K.shape[0]\n    Y = np.zeros((X.shape[0] - k + 1, X.shape[1] - k + 1))\n"
           "    for i in range(Y.shape[0]):\n        for j in range(Y.shape[1]):\n"
           "            Y[i, j] = (X[i:i + k, j:j + k] * K).sum()\n    return Y\n")
    j = _judge(src)
    assert (j.verdict, j.condition) == ("CONDITIONAL", "square input and kernel")


def test_not_a_forward_operator_is_not_judged():
    assert _judge("def conv_backward(dout, cache):\n    for i in range(3):\n        pass\n    return dout\n") is None
    assert _judge("def conv2d(x, w):\n    return torch.conv2d(x, w)\n") is None   # no loop nest


def test_interpreter_refuses_what_it_does_not_know():
    fn = ast.parse("def f(x):\n    return open('/etc/passwd')\n").body[0]
    with pytest.raises(Unsupported, match="open"):
        call_function(fn, [1])
    fn = ast.parse("def f(x):\n    return x.__class__\n").body[0]
    with pytest.raises(Unsupported):
        call_function(fn, [1])
    fn = ast.parse("def f(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\n").body[0]
    with pytest.raises(Unsupported, match="steps"):
        call_function(fn, [10 ** 7])


def test_planted_document_lines():
    r = check_file(DATA / "loops_planted.md")
    got = {f.line: f.verdict.value for f in r.findings if f.explanation.startswith("loop nest")}
    assert got == {8: "CORRECT", 22: "INCORRECT", 35: "CORRECT", 58: "INCORRECT", 81: "CORRECT", 90: "INCORRECT"}


def test_findings_from_pairs_keep_lines():
    src = LOOP.format(name="conv2d", row="i * stride + u", ku="u", plus=1).split("\n")
    out = loop_nest_findings([(100 + k, t) for k, t in enumerate(src)])
    assert [(n, j.verdict) for n, _, j in out] == [(101, "CORRECT")]


def test_bare_loop_nests_are_read_as_index_formulas():
    r = check_file(DATA / "loop_nests_bare.md")
    got = {f.line: f.verdict.value for f in r.findings if f.explanation.startswith("loop nest read as")}
    assert got == {6: "CORRECT", 25: "INCORRECT", 41: "INCORRECT"}


@settings(max_examples=10, deadline=None)
@given(sign=st.sampled_from(["+", "-"]), row=st.sampled_from(["i * SH", "i"]))
def test_bare_nest_verdict_follows_the_index(sign, row):
    from proofs.judge.loop_formula import loop_formula_findings

    src = ("for n in range(N):\n for o in range(O):\n  for i in range(OH):\n   for j in range(OW):\n"
           "    for c in range(C):\n     for u in range(KH):\n      for v in range(KW):\n"
           f"       y[n, o, i, j] += x[n, c, {row} {sign} u - PH, j * SW + v - PW] * w[o, c, u, v]")
    found = loop_formula_findings(list(enumerate(src.split("\n"), 1)))
    verdicts = [j.verdict for _, _, j in found]
    if (sign, row) == ("+", "i * SH"):
        assert verdicts == ["CORRECT"]
    else:  # a flipped tap (−u) may stay unjudged; it is never called right
        assert verdicts in ([], ["INCORRECT"]) and (sign == "-" or verdicts == ["INCORRECT"])


def test_lone_accumulations_in_prose_and_code():
    r = check_file(DATA / "accumulations.md")
    got = {f.line: f.verdict.value for f in r.findings if f.explanation.startswith("accumulation read as")}
    assert got == {3: "CORRECT", 5: "INCORRECT", 8: "CORRECT"}


def test_accumulation_inside_a_function_is_not_judged_alone():
    from proofs.judge.loop_formula import loop_formula_findings

    src = ("def conv(x, w):\n    for i in range(3):\n"
           "        out[n][k][p][q] += x[n][c][p*u - P + r][q*v - Q + s] * w[k][c][r][s]\n    return out")
    assert loop_formula_findings(list(enumerate(src.split("\n"), 1))) == []


@pytest.mark.parametrize("row, verdicts", [("i*s + u", ["CORRECT"]), ("i + s*u", ["INCORRECT"]), ("i*s + u + 1", [])],
                         ids=["strided", "stride-on-tap", "shifted"])
def test_single_channel_loop_nests(row, verdicts):
    from proofs.judge.loop_formula import loop_formula_findings

    src = ("for i in range(OH):\n    for j in range(OW):\n        for u in range(K):\n            for v in range(K):\n"
           f"                out[i][j] += x[{row}][j*s + v] * w[u][v]")
    assert [j.verdict for _, _, j in loop_formula_findings(list(enumerate(src.split("\n"), 1)))] == verdicts


def test_c_loop_nests():
    r = check_file(DATA / "c_loops_planted.md")
    got = {f.line: f.verdict.value for f in r.findings if f.explanation.startswith("C loop nest read as")}
    assert got == {4: "CORRECT", 24: "INCORRECT"}


@pytest.mark.parametrize("code", ["while (i < n) { y[i] += x[i]; }", "for (i = 0; i < n; i += 2) y[i] += x[i] * w[i];",
                                  "for (int i = 0; i < n; ++i) y[i] += f(x[i]);"], ids=["while", "step-2", "call"])
def test_c_code_outside_the_subset_is_not_read(code):
    from proofs.judge.c_loops import c_to_python

    with pytest.raises(ValueError, match="not read"):
        c_to_python(code)


@pytest.mark.parametrize("body, verdict", [
    ("out[i * s + k] += x[i] * w[k]", "CORRECT"),
    ("if 0 <= i * s + k - p < O:\n            out[i * s + k - p] += x[i] * w[k]", "CORRECT"),
    ("out[i * s + k - p] += x[i] * w[k]", "INCORRECT"),       # padding without a bound check: wraps / overflows
    ("out[i + k * s] += x[i] * w[k]", "INCORRECT"),           # the stride on the kernel tap
], ids=["scatter", "padded-guarded", "padded-unguarded", "stride-on-tap"])
def test_transposed_scatter_loops(body, verdict):
    from proofs.judge.scatter_nest import scatter_findings

    src = f"for i in range(N):\n    for k in range(K):\n        {body}"
    assert [j.verdict for _, _, j in scatter_findings(list(enumerate(src.split("\n"), 1)))] == [verdict]
