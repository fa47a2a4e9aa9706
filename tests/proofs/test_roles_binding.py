"""Binding a found formula's symbols to roles: name parts, definitions, conventions, binding by evidence.

Documents in notations of their own (oneDNN abbreviations, Dumoulin & Visin's letters, invented letters
defined in prose, code-style camelCase), each with correct formulas and planted mistakes: every mistake
must be flagged and nothing correct flagged. Truth always comes from derive; no expected formula is typed
here, only verdicts.
"""

from __future__ import annotations

import string

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofs.checker import check_text
from proofs.notation.names import abbreviation_role, name_parts, reread_runs, rejoin_runs, side_of

FLAGGED = ("INCORRECT", "CONDITIONAL")


def _verdicts(text: str, **kw) -> dict[int, str]:
    """line -> verdict of the formula findings of ``text``."""
    rep = check_text(text, **kw)
    return {f.line: str(getattr(f.verdict, "value", f.verdict)) for f in rep.findings if f.kind == "formula"}


def _explanations(text: str) -> dict[int, str]:
    return {f.line: f.explanation for f in check_text(text).findings if f.kind == "formula"}


# --------------------------------------------------------------------------- name parts


def test_name_parts_cut_snake_camel_and_keep_abbreviations():
    assert name_parts("kernelSize") == ["kernel", "size"]
    assert name_parts("pad_h") == ["pad", "h"]
    assert name_parts("PH_L") == ["PH", "L"]
    assert name_parts("outputHeight") == ["output", "height"]


@pytest.mark.parametrize("name,role", [("IH", "input_size"), ("OW", "output_size"), ("KD", "kernel"), ("SH", "stride"),
                                       ("PH_L", "padding"), ("PW_R", "padding"), ("DW", "dilation"),
                                       ("IC", "channels_in"), ("OC", "channels_out")])
def test_abbreviations(name, role):
    assert abbreviation_role(name) == role


@pytest.mark.parametrize("name", ["ih", "kh", "DKH", "HI", "KW_X", "XH", "IC_G"])
def test_not_abbreviations(name):
    assert abbreviation_role(name) is None  # lower case: an index; others: not a quantity letter + axis


def test_sides():
    assert [side_of(n) for n in ("PH_L", "PH_R", "pad_top", "pad_bottom", "pads_begin", "P")] == \
        ["begin", "end", "begin", "end", "begin", None]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from("IOKSPD"), min_size=1, max_size=4, unique=True), st.sampled_from("HWD"))
def test_rejoin_runs_restores_every_run(quantities, axis):
    """A sum of products of run letters (how the grammar reads ``IH − KH``) comes back as the sum of the names."""
    runs = [q + axis for q in quantities]
    product = sum(sp.Symbol(q) * sp.Symbol(axis) * (n + 1) for n, q in enumerate(quantities))
    names = sum(sp.Symbol(r) * (n + 1) for n, r in enumerate(runs))
    assert sp.expand(rejoin_runs(product, runs) - names) == 0


def test_runs_without_roles_stay_products():
    A, B = sp.symbols("A B")
    assert reread_runs([A * B], ["'AB' read as the product A·B"]) == [A * B]
    assert reread_runs([A * B], ["'AB' read as the product A·B"], known={"AB"}) == [sp.Symbol("AB")]


# --------------------------------------------------------------------------- oneDNN abbreviations

ONEDNN = r"""# Convolution

| Parameter | Height | Width | Comment |
| Dilation | $DH$ | $DW$ | Non-dilated convolution is defined by setting the dilation parameters to 0 |

Here:

- $OH = \left\lfloor{\frac{IH - KH + PH_L + PH_R}{SH}} \right\rfloor + 1$

- $OW = \left\lfloor{\frac{IW - KW + PW_L}{SW}} \right\rfloor + 1$

- $OW = \left\lfloor{\frac{IW - SW + PW_L + PW_R}{KW}} \right\rfloor + 1$

- $DKH = 1 + (KH - 1) \cdot (DH + 1)$

- $DKW = 1 + KW \cdot (DW + 1)$

- $OH = \left\lfloor{\frac{IH - DKH + PH_L + PH_R}{SH}} \right\rfloor + 1$, where $DKH = 1 + (KH - 1) \cdot (DH + 1)$
"""


def test_onednn_abbreviations():
    v = _verdicts(ONEDNN)
    assert v[8] == "CORRECT"
    assert v[10] in FLAGGED  # one side's padding forgotten
    assert v[12] in FLAGGED  # kernel and stride swapped
    assert v[14] == "CORRECT"  # dilation counted from 0, as the table says
    assert v[16] in FLAGGED
    assert v[18] == "CORRECT"


def test_dilation_count_not_stated_is_not_a_verdict():
    text = "Dilated kernel:\n\n$DKH = 1 + (KH - 1) \\cdot (DH + 1)$\n"
    v = _verdicts(text)
    assert v[3] == "UNRECOGNIZED"
    assert "counted from 0" in _explanations(text)[3]


def test_dilation_wrong_under_both_counts():
    assert _verdicts("Dilated kernel:\n\n$DKH = KH \\cdot (DH + 1)$\n")[3] == "INCORRECT"


# --------------------------------------------------------------------------- Dumoulin & Visin, invented letters

DUMOULIN = r"""# Arithmetic

$o = \left\lfloor \frac{i + 2p - k}{s} \right\rfloor + 1$

$o = \left\lfloor \frac{i + p - k}{s} \right\rfloor + 1$

$o = \left\lfloor \frac{i - k}{s} \right\rfloor$

$o = \left\lfloor \frac{i + 2p - s}{k} \right\rfloor + 1$
"""


def test_dumoulin_letters():
    v = _verdicts(DUMOULIN)
    assert v[3] == "CORRECT"
    assert "i=input_size" in _explanations(DUMOULIN)[3]
    # no convention stated, but the document's own formula writes the same p doubled (2p): p is a padding per
    # side, and counting it once is the padding-once mistake (before the evidence of 2p, it was CORRECT as total)
    assert v[5] in FLAGGED
    assert v[7] in FLAGGED
    assert v[9] in FLAGGED  # stride and kernel swapped


INVENTED = r"""# Notes

Windows start $u$ cells apart, the border holds $q$ zeros on every side, the filter covers $b$ cells and the row of the input has $a$ cells.

$z = \lfloor (a + 2q - b)/u \rfloor + 1$

$z = \lfloor (a + q - b)/u \rfloor + 1$

$z = \lfloor (u - b + 2q)/a \rfloor + 1$

## Total padding

Here $g$ counts the zeros added in total, split between the two sides.

$m = \lfloor (a + g - b)/u \rfloor + 1$

$m = \lfloor (a + 2g - b)/u \rfloor + 1$
"""


def test_invented_letters_per_side_and_total_padding():
    v = _verdicts(INVENTED)
    assert v[5] == "CORRECT"
    assert v[7] in FLAGGED  # q is per side here
    assert v[9] in FLAGGED
    assert v[15] == "CORRECT"  # g is the total padding in this section
    assert v[17] in FLAGGED


CODE = r"""# Code

$outLen = \lfloor (inLen + 2 padSize - kernelSize) / strideLen \rfloor + 1$

$outLen = \lfloor (inLen + 2 padSize - kernelSize) / (strideLen + 1) \rfloor + 1$

$h_o = \lfloor (h_i + 2 \cdot pad_h - kernel_h) / stride_h \rfloor + 1$

$h_o = \lfloor (h_i + pad_h - kernel_h) / stride_h \rfloor + 1$
"""


def test_code_style_names():
    v = _verdicts(CODE + "\nPadding is added on each side.\n")
    assert v[3] == "CORRECT"
    assert v[5] in FLAGGED
    assert v[7] == "CORRECT"
    assert v[9] in FLAGGED


# --------------------------------------------------------------------------- a stated round-down convention

NO_FLOOR = "The output size is\n\n$H_{out} = \\frac{W - F + 2P}{S} + 1$\n"


def test_no_floor_is_conditional_without_a_convention():
    assert _verdicts(NO_FLOOR)[3] == "CONDITIONAL"


@pytest.mark.parametrize("said", ["If the formula yields a result with decimals, the number will be rounded down.",
                                  "All divisions are floor division.", "Here / is integer division."])
def test_no_floor_is_correct_under_a_stated_round_down(said):
    text = NO_FLOOR + f"\n{said}\n"
    assert _verdicts(text)[3] == "CORRECT"
    assert "rounded down" in _explanations(text)[3]


def test_round_down_does_not_excuse_a_wrong_formula():
    text = "The output size is\n\n$H_{out} = \\frac{W - F + P}{S}$\n\nResults are rounded down.\n"
    assert _verdicts(text)[3] == "INCORRECT"


# --------------------------------------------------------------------------- renaming never changes a verdict

_LETTERS = [c for c in string.ascii_lowercase if c not in "eiloxsdfkpwhncz"]  # z is the left side
_FORMS = {  # (input, kernel, stride, padding) -> formula, with a verdict class
    "right": r"\lfloor ({a} + 2{q} - {b})/{u} \rfloor + 1",
    "no_floor": r"({a} + 2{q} - {b})/{u} + 1",
    "once": r"\lfloor ({a} + {q} - {b})/{u} \rfloor + 1",
    "swapped": r"\lfloor ({a} + 2{q} - {u})/{b} \rfloor + 1",
    "no_plus_one": r"\lfloor ({a} + 2{q} - {b})/{u} \rfloor",
}
_PROSE = ("Windows start ${u}$ cells apart, the border holds ${q}$ zeros on every side, the filter covers ${b}$ "
          "cells and the row of the input has ${a}$ cells.")


def _doc(names: dict, form: str) -> str:
    return f"# Sizes\n\n{_PROSE.format(**names)}\n\n$z = {_FORMS[form].format(**names)}$\n"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(_LETTERS).map(lambda p: p[:4]), st.sampled_from(sorted(_FORMS)))
def test_renamed_letters_keep_the_verdict(letters, form):
    names = dict(zip("aqbu", letters))
    base = _verdicts(_doc({"a": "a", "q": "q", "b": "b", "u": "u"}, form))[5]
    assert base != "UNRECOGNIZED"
    assert _verdicts(_doc(names, form))[5] == base
    assert (base == "CORRECT") == (form == "right")


# --------------------------------------------------------------------------- a padding the formula's own sentence defines

def test_padding_left_out_is_conditional():
    text = ("The output size is $H_{out} = \\lfloor (W - F)/S \\rfloor + 1$ where W is the input size, F the filter "
            "size, S the stride and P the padding.\n")
    rep = [f for f in check_text(text).findings if f.kind == "formula"]
    assert [str(getattr(f.verdict, "value", f.verdict)) for f in rep] == ["CONDITIONAL"]
    assert "P = 0" in (rep[0].condition or rep[0].explanation)


@pytest.mark.parametrize("said", ["With no padding, the output size is", "For valid convolution, the output size is",
                                  "The padding could be zero, which simplifies the output size to"])
def test_padding_left_out_when_the_prose_says_there_is_none(said):
    text = f"{said} $H_{{out}} = \\lfloor (W - F)/S \\rfloor + 1$ where P is the padding and F the filter size.\n"
    assert list(_verdicts(text).values()) == ["CORRECT"]


def test_a_stated_dilation_count_decides():
    text = ("# Dilation\n\nNon-dilated convolution is defined by setting the dilation parameters to 0.\n\n"
            "$DKH = 1 + (KH - 1) \\cdot DH$\n\n$DKH = 1 + (KH - 1) \\cdot (DH + 1)$\n")
    v = _verdicts(text)
    assert v[5] == "INCORRECT"  # right only when counted from 1, which the document ruled out before it
    assert v[7] == "CORRECT"


def test_a_dilation_count_stated_later_does_not_decide_earlier_formulas():
    text = ("# Dilation\n\n$DKH = 1 + (KH - 1) \\cdot (DH + 1)$\n\n"
            "Non-dilated convolution is defined by setting the dilation parameters to 0.\n")
    assert _verdicts(text)[3] == "UNRECOGNIZED"
