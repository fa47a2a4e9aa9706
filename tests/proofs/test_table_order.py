"""A table of layers written from the output down to its input row is judged in the order data flows."""

import pytest

from proofs import check_text

TOP_DOWN = """A small network, drawn from the output down:

| Layer | Type        | Maps | Size    | Kernel | Stride |
|-------|-------------|------|---------|--------|--------|
| P2    | Max pooling | 8    | {p2}    | 2 × 2  | 2      |
| K2    | Convolution | 8    | 12 × 12 | 3 × 3  | 1      |
| P1    | Max pooling | 4    | 14 × 14 | 2 × 2  | 2      |
| K1    | Convolution | 4    | 28 × 28 | 5 × 5  | 1      |
| In    | Input       | 1    | 32 × 32 | –      | –      |
"""


def test_every_row_of_a_top_down_table_is_correct():
    found = check_text(TOP_DOWN.format(p2="6 × 6")).findings
    judged = [f for f in found if f.verdict.value != "UNRECOGNIZED"]
    assert len(judged) >= 4, [(f.line, f.verdict, f.explanation) for f in found]
    assert all(f.verdict.value == "CORRECT" for f in judged), [(f.line, f.explanation) for f in judged]


@pytest.mark.parametrize("wrong", ["7 × 7", "5 × 5"])
def test_a_wrong_row_of_a_top_down_table_is_flagged_on_its_line(wrong):
    found = check_text(TOP_DOWN.format(p2=wrong)).findings
    bad = [f for f in found if f.verdict.value in ("INCORRECT", "CONDITIONAL")]  # 7 × 7: only with padding 1
    assert [f.line for f in bad] == [5], [(f.line, f.explanation) for f in found]
