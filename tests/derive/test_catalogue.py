"""The catalogue: every named derivation verifies and its LaTeX compiles; names and options are checked."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.catalogue import CATALOGUE, get_derivation, names
from derive.latex_pdf import LatexError, compile_pdf, print_document
from tests.helpers import requires_pdflatex

REQUIRED = [
    "conv.output_size", "pool.output_size.ceil", "conv_transpose.output_size", "receptive_field.stack",
    "receptive_field.uniform", "params.conv", "params.separable_vs_standard", "params.two_3x3_vs_5x5",
    "conv2d.grad_input", "conv2d.grad_input.stride1", "conv2d.grad_weight", "conv2d.grad_bias",
    "max_pool2d.grad_input", "avg_pool2d.grad_input", "dense.grad_input", "batch_norm.grad_input",
    "softmax_ce.grad_input", "conv.equivariance",
]


def test_catalogue_covers_the_required_derivations():
    assert set(REQUIRED) <= set(names())


@requires_pdflatex
def test_every_catalogued_derivation_verifies_and_compiles():
    """One loop (pdflatex is slow to start): verify, then compile both LaTeX layouts."""
    problems = []
    for name in names():
        d = get_derivation(name)
        if not d.verify():
            problems.append(f"{name}: " + "; ".join(f"step {i}: {s.status} {s.failure}"
                                                    for i, s in enumerate(d.steps, 1) if s.status == "failed"))
            continue
        assert all(s.status in ("definition", "symbolic", "exhaustive", "numeric") for s in d.steps), name
        for layout, tex in (("document", d.to_tex_document()), ("print", print_document(d))):
            try:
                pdf = compile_pdf(tex)
            except LatexError as exc:
                problems.append(f"{name} ({layout}): {exc}")
                continue
            assert pdf.startswith(b"%PDF"), name
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "name, options, message",
    [
        pytest.param("conv2d.grad_inptu", {}, "did you mean conv2d.grad_input", id="typo"),
        pytest.param("nothing", {}, "Known: conv.output_size", id="unknown-lists-known"),
        pytest.param("dense.grad_input", {"stride": 2}, "takes no option stride; it accepts none", id="no-options"),
        pytest.param("conv2d.grad_input.stride1", {"stride": 2}, "accepts padding, dilation, groups", id="fixed-stride"),
        pytest.param("conv2d.grad_input", {"stride": 0}, "stride must be >= 1", id="bad-value"),
    ],
)
def test_bad_names_and_options(name, options, message):
    with pytest.raises(ValueError, match=message):
        get_derivation(name, **options)


@pytest.mark.parametrize(
    "options, moduli",
    [
        pytest.param({"stride": 2}, {2}, id="stride-2"),
        pytest.param({"stride": 1}, set(), id="stride-1"),
        pytest.param({}, {"s_h", "s_w"}, id="general"),
    ],
)
def test_options_reach_the_derivation(options, moduli):
    d = get_derivation("conv2d.grad_input", **options)
    found = {str(m.args[1]) if m.args[1].is_Symbol else int(m.args[1]) for m in d.result.atoms(sp.Mod)}
    assert found == moduli


def test_entries_have_summaries_and_known_options():
    allowed = {"stride", "padding", "dilation", "groups", "kernel_size", "ceil_mode", "count_include_pad"}
    for e in CATALOGUE.values():
        assert e.summary and set(e.options) <= allowed, e.name
