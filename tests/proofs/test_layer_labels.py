"""Letters labelled by their layer (``n_H^{[l]}``, ``H^{(l-1)}``) and the remainder operator in its spellings.

The deeplearning.ai notation marks every letter with its layer; a letter at two adjacent layers is the
size going in and coming out. These formulas were UNRECOGNIZED (the labels hid the roles), and
``x^{[l]}`` was read as a power ``x**l``.
"""

import pytest
import sympy as sp
from hypothesis import given, strategies as st

from proofs.checker import check_formula
from proofs.document import parse_math
from proofs.judge.layer_labels import combine, layer_label, layer_label_readings
from proofs.judge.judgement import Judgement

DLAI = r"n_H^{[l]} = \left\lfloor \frac{n_H^{[l-1]} + 2p^{[l]} - f^{[l]}}{s^{[l]}} + 1 \right\rfloor"


@pytest.mark.parametrize("tex, names", [
    (r"W^{[l]}", ["W^(l)"]),
    (r"n_H^{[l-1]}", ["n^(l-1)_H"]),
    (r"x_i^{(l)}", ["x^(l)_i"]),          # the label after the subscript: still a label, not a power
    (r"a^{[2]}", ["a^(2)"]),
])
def test_bracket_and_late_labels_are_names_not_powers(tex, names):
    (side,) = parse_math(tex).sides
    assert side.is_Symbol and [side.name] == names


def test_a_plain_superscript_after_a_subscript_stays_a_power():
    (side,) = parse_math(r"x_i^{2}").sides
    assert side == sp.Symbol("x_i") ** 2


@pytest.mark.parametrize("tex", [r"a \bmod b", r"a \operatorname{mod} b", r"a \mathrm{mod} b", r"a \text{ mod } b",
                                 "a mod b", "a % b"])
def test_every_spelling_of_mod_is_the_remainder(tex):
    a, b = sp.symbols("a b")
    assert parse_math(tex).sides == [sp.Mod(a, b)]


@pytest.mark.parametrize("tex, value", [("28%", sp.Rational(7, 25)), (r"28\%", sp.Rational(7, 25))])
def test_a_percentage_after_a_number_is_not_a_remainder(tex, value):
    assert parse_math(tex).sides == [value]


def test_label_parts():
    assert layer_label("n^(l+1)_C") == ("n", "C", "l", 1)
    assert layer_label("x_i") is None and layer_label("k^(a, b)") is None


def test_no_reading_for_one_layer_or_layers_far_apart():
    one = [sp.Symbol("a^(l)"), sp.Symbol("z^(l)")]
    far = [sp.Symbol("a^(l)"), sp.Symbol("z^(l-2)")]
    assert layer_label_readings(one) == [] and layer_label_readings(far) == []


def test_no_reading_when_a_rewritten_name_collides():
    sides = [sp.Symbol("H^(l)"), sp.Symbol("H^(l-1)") - sp.Symbol("H_in")]
    assert [n for n, _ in layer_label_readings(sides)] == ["sequence"]


def test_readings_that_disagree_give_no_verdict():
    j = combine([("in/out", Judgement("CORRECT", "output_size", "a")),
                 ("sequence", Judgement("INCORRECT", "output_size", "b"))])
    assert j.verdict == "UNRECOGNIZED" and "disagree" in j.explanation
    assert combine([("in/out", Judgement("UNRECOGNIZED", None, "x"))]) is None


def test_the_course_formula_is_correct():
    f = check_formula(DLAI)
    assert (f.verdict.value, f.quantity) == ("CORRECT", "output_size"), f.explanation


def test_the_border_counted_once_is_found():
    f = check_formula(DLAI.replace("2p^{[l]}", "p^{[l]}"), "where p is the padding on each side")
    assert (f.verdict.value, f.quantity) == ("INCORRECT", "output_size"), f.explanation


def test_a_jump_recursion_in_labels():
    ok = check_formula(r"j^{(l)} = j^{(l-1)} s^{(l)}", "the jump j and the stride s")
    bad = check_formula(r"j^{(l)} = j^{(l-1)} + s^{(l)}", "the jump j and the stride s")
    assert (ok.verdict.value, bad.verdict.value) == ("CORRECT", "INCORRECT"), (ok.explanation, bad.explanation)


@given(letter=st.sampled_from("HWNhwmuvqx"), sub=st.sampled_from(["", "H", "w", "1"]),
       lab=st.sampled_from(["[l]", "(l)", "[k]", "(t)"]))
def test_any_letters_and_labels_give_the_same_verdicts(letter, sub, lab):
    """Renaming the size letter, its subscript and the layer variable keeps both verdicts (D and d are left out:
    they are depth and dilation by convention, and the judge rightly does not bind them as a size by name)."""
    var = lab[1]
    prev = lab[0] + f"{var}-1" + lab[-1]
    s = f"_{{{sub}}}" if sub else ""
    size_now, size_prev = f"{letter}{s}^{{{lab}}}", f"{letter}{s}^{{{prev}}}"
    hyper = [c for c in "pfsgkrb" if c not in (letter.lower(), var)][:3]
    p, k, st_ = (f"{c}^{{{lab}}}" for c in hyper)
    good = rf"{size_now} = \left\lfloor \frac{{{size_prev} + 2{p} - {k}}}{{{st_}}} \right\rfloor + 1"
    ctx = f"where {hyper[0]} is the padding on each side, {hyper[1]} the filter size and {hyper[2]} the stride"
    f = check_formula(good, ctx)
    assert f.verdict.value == "CORRECT", (good, f.explanation)
    bad = check_formula(good.replace(f"2{p}", p), ctx)
    assert bad.verdict.value == "INCORRECT", (good, bad.explanation)
