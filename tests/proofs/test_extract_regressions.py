"""Regressions of reading formulas out of code: a prose word before a formula on a code line, and a scale word
("Mil") inside the code span after the last number."""

from proofs import check_text


def _findings(text):
    return [f for f in check_text(text, verbose=True).findings if f.kind in ("formula", "example")]


NOTES = """# Layer sizes

Notation used below:

    f[l] = filter size
    Output: n[l] x n[l] x nc[l]
    Then n[l] = (n[l-1] + 2p[l] - f[l] / s[l]) + 1
"""


def test_a_prose_word_on_a_code_line_is_not_part_of_the_formula():
    [f] = [f for f in _findings(NOTES) if f.line == 7]
    assert "Then" not in f.source
    assert f.verdict.value == "INCORRECT"  # f[l] / s[l] alone is divided: the per-layer recurrence is wrong


def test_a_scale_word_after_the_last_number_in_code_is_not_dropped():
    text = "The cost is:\n\n- Which equals: `14 * 14 * 64 * 3 * 3 * 32 = 3.6 Mil`\n"
    assert all(f.verdict.value != "INCORRECT" for f in _findings(text))
    wrong = "The cost is:\n\n- Which equals: `14 * 14 * 64 * 3 * 3 * 32 = 3613`\n"
    assert any(f.verdict.value == "INCORRECT" for f in _findings(wrong))
