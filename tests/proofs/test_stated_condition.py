"""A condition the prose states makes a formula CORRECT only when it is stated beside that formula."""

from proofs import check_text

DOC = """## Convolution

The output width of a convolution of an input of width $w$ is

$$ o = \\frac{w - f + 2p}{s} + 1 $$

The number of steps must be an integer: the padding is chosen to make it one.

## Pooling

Pooling layers use no padding. A window of extent $f$ moves with stride $s$.

The pooled width is

$$ w_2 = \\frac{w_1 - f}{s} + 1 $$

and the depth stays the same.
"""


def _formula_verdicts(text):
    return {f.line: f.verdict.value for f in check_text(text).findings if f.kind == "formula"}


def test_the_condition_counts_for_its_own_formula_only():
    v = _formula_verdicts(DOC)
    assert v[5] == "CORRECT"  # "must be an integer" follows it
    assert v[15] == "CONDITIONAL"  # nothing beside it says s divides w_1 - f


def test_stating_it_beside_the_second_formula_makes_both_correct():
    v = _formula_verdicts(DOC.replace("and the depth stays the same.", "a whole number when s divides w_1 - f."))
    assert v[5] == "CORRECT" and v[15] == "CORRECT"
