"""LaTeX output of derived gradients: golden strings, and the PDF compiler's failure modes."""

from __future__ import annotations

import pytest

import derive
from derive.catalogue import get_derivation
from derive.latex_pdf import LatexError, PdflatexMissing, compile_pdf, print_document, text_escape
from tests.helpers import requires_pdflatex

GOLDEN = {
    "conv1d-dx-stride2-pad1": (
        lambda: derive.conv_backward("input", stride=2, padding=1, dilation=1, dims=1),
        r"\frac{\partial L}{\partial {X}_{n',c',a}} = \sum_{\substack{0 \leq o \leq C_{out} - 1\\0 \leq p \leq k - 1}} "
        r"\begin{cases} {G}_{n',o,\frac{a - p + 1}{2}} {W}_{o,c',p} & \text{for}\: \left(a - p + 1\right) \bmod 2 = 0 "
        r"\wedge H_{out} \geq \frac{a - p + 1}{2} + 1 \wedge a - p \geq -1 \\0 & \text{otherwise} \end{cases}",
    ),
    "dense-dw": (
        lambda: derive.dense_backward("weight"),
        r"\frac{\partial L}{\partial {W}_{o',i'}} = \sum_{n=0}^{N - 1} {G}_{n,o'} {X}_{n,i'}",
    ),
    "softmax-ce": (
        lambda: derive.softmax_ce_backward(),
        r"\frac{\partial L}{\partial {Z}_{n',k'}} = \frac{\frac{e^{{Z}_{n',k'}}}{\sum_{j=0}^{K - 1} e^{{Z}_{n',j}}} "
        r"- {T}_{n',k'}}{N}",
    ),
}


@pytest.mark.parametrize("name", list(GOLDEN))
def test_golden_latex_of_results(name):
    build, expected = GOLDEN[name]
    assert build().latex() == expected


def test_golden_align_block_of_a_derivation():
    d = derive.dense_backward("bias").derivation
    rows = d.to_align().splitlines()
    assert rows[0] == r"\begin{align*}" and rows[-1] == r"\end{align*}"
    assert rows[-2] == (r"\frac{d}{d {b}_{o'}} L &= \sum_{n=0}^{N - 1} {G}_{n,o'} && "
                        r"\text{conditions that hold for every 0 <= o' <= F\_out - 1 are dropped}")
    assert r"\delta_{o o'}" in rows[3]


def test_print_document_puts_the_result_first_with_the_index_set():
    tex = print_document(get_derivation("conv2d.grad_input", stride=2))
    result = tex.index(r"\section*{Result}")
    assert result < tex.index(r"\section*{Assumptions}") < tex.index(r"\section*{Derivation}")
    assert r"\left(P_{h} + a - d_{h} p\right) \bmod 2 = 0" in tex[result:tex.index(r"\section*{Assumptions}")]


@pytest.mark.parametrize(
    "text, expected",
    [("a_b & 50%", r"a\_b \& 50\%"), ("x <= y", r"x $<$= y"), ("{\\}", r"\{\textbackslash{}\}")],
    ids=["specials", "less-than", "braces-backslash"],
)
def test_text_escape(text, expected):
    assert text_escape(text) == expected


def test_compile_without_pdflatex_says_so(tmp_path):
    with pytest.raises(PdflatexMissing, match="pdflatex not found"):
        compile_pdf(r"\documentclass{article}\begin{document}x\end{document}", pdflatex=str(tmp_path / "none"))


@requires_pdflatex
def test_compile_reports_latex_errors_and_halts():
    with pytest.raises(LatexError, match="Undefined control sequence"):
        compile_pdf(r"\documentclass{article}\begin{document}\nosuchcommand\end{document}", timeout=30)
