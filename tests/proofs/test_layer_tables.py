"""Tables of layers (Markdown, HTML, LaTeX) with one column per hyperparameter: output sizes and counts.

The truths are counted here from definitions (window positions one by one; weights C_out·C_in·k² plus
one bias per filter), not taken from the judge's formulas.
"""

from hypothesis import given, strategies as st

from proofs import check_text
from proofs.judge.table_layers import layer_table_findings
from proofs.judge.tables import table_findings


def windows(size, k, s, pad):
    return sum(1 for start in range(0, size + 2 * pad) if start % s == 0 and start + k <= size + 2 * pad)


MD = """# LeNet-5, layer by layer

| Layer | Feature maps | Size | Kernel size | Stride | Params |
|---|---|---|---|---|---|
| Input | 1 | 32×32 | - | - | - |
| Conv 1 | 6 | 28×28 | 5×5 | 1 | 156 |
| Avg pooling 1 | 6 | 14×14 | 2×2 | 2 | 0 |
| Conv 2 | 16 | 11×11 | 5×5 | 1 | 2,416 |
| Avg pooling 2 | 16 | 5×5 | 2×2 | 2 | 0 |
| FC 1 | - | 120 | - | - | 48,120 |
| FC 2 | - | 84 | - | - | 10,080 |
"""


def _verdicts(report):
    return {(f.line, f.source): f.verdict.value for f in report.findings if f.explanation.startswith("table")}


def test_markdown_layer_table_planted_size_and_count():
    v = _verdicts(check_text(MD))
    assert v[(6, "28×28")] == "CORRECT" and v[(6, "156")] == "CORRECT"
    assert v[(7, "14×14")] == "CORRECT"
    assert v[(8, "11×11")] == "INCORRECT"  # 14 − 5 + 1 = 10; no padding 0…4 gives 11
    assert v[(8, "2,416")] == "CORRECT"
    # the chain stops after a wrong size: the stated 11×11 is not the next row's input (its pooling is not judged)
    assert (9, "5×5") not in v
    assert v[(10, "48,120")] == "CORRECT"  # 5·5·16 = 400 → 120, with bias
    assert v[(11, "10,080")] == "CORRECT"  # 120 → 84 without bias: both readings are accepted
    assert not any(val == "INCORRECT" for key, val in v.items() if key[0] != 8)


def test_html_and_latex_tables_are_read_the_same_way():
    html = ("<table>\n<tr><th>Layer</th><th>Filters</th><th>Output size</th><th>Kernel</th><th>Stride</th>"
            "<th>Padding</th></tr>\n<tr><td>input</td><td>3</td><td>32x32</td><td></td><td></td><td></td></tr>\n"
            "<tr><td>conv1</td><td>16</td><td>32x32</td><td>3</td><td>1</td><td>1</td></tr>\n"
            "<tr><td>maxpool</td><td>16</td><td>15x15</td><td>2</td><td>2</td><td>0</td></tr>\n</table>\n")
    v = _verdicts(check_text(html, format="html"))
    assert v[(4, "32x32")] == "CORRECT" and v[(5, "15x15")] == "INCORRECT"
    tex = ("\\begin{tabular}{llll}\nLayer & Channels & Output size & Kernel & Stride & Padding \\\\\n\\hline\n"
           "input & 3 & $32\\times32$ & & & \\\\\nconv1 & 16 & $30\\times30$ & 3 & 1 & 1 \\\\\n\\end{tabular}\n")
    found = table_findings(tex.splitlines())
    assert [(n, j.verdict) for n, _, j in found] == [(5, "INCORRECT")]


@given(st.integers(8, 64), st.integers(1, 7), st.integers(1, 3), st.integers(0, 3), st.integers(1, 32),
       st.integers(1, 32))
def test_the_counted_size_is_correct_and_any_other_is_not(size, k, s, pad, c_in, c_out):
    if k > size + 2 * pad or pad >= k:
        return
    true = windows(size, k, s, pad)
    count = c_out * c_in * k * k + c_out
    rows = [(1, ["Layer", "Channels", "Output size", "Kernel", "Stride", "Padding", "Params"]),
            (2, ["input", str(c_in), f"{size}x{size}", "", "", "", ""])]
    ok = layer_table_findings(rows + [(3, ["conv", str(c_out), f"{true}x{true}", str(k), str(s), str(pad), f"{count:,}"])])
    assert [j.verdict for _, _, j in ok] == ["CORRECT", "CORRECT"]
    bad = layer_table_findings(rows + [(3, ["conv", str(c_out), f"{true + 1}x{true + 1}", str(k), str(s), str(pad),
                                            str(count + 1)])])
    assert [j.verdict for _, _, j in bad][0] == "INCORRECT"
    if count + 1 != c_out * c_in * k * k:  # the bias-free count is a reading the table does not exclude
        assert [j.verdict for _, _, j in bad][1] == "INCORRECT"


def test_a_layer_listing_with_a_wrong_total_memory_and_a_wrong_dense_count():
    listing = ("```\n"
               "INPUT: [32x32x3]   memory: 32*32*3=3K   weights: 0\n"
               "CONV3-16: [32x32x16]  memory: 32*32*16=16K   weights: (3*3*3)*16 = 432\n"
               "POOL2: [16x16x16]  memory: 16*16*16=4K   weights: 0\n"
               "FC: [1x1x10]  memory: 10  weights: 16*16*16*10 = 40,690\n"
               "\n"
               "TOTAL memory: 30K\n"
               "TOTAL params: 41,122 parameters\n"
               "```\n")
    found = [(f.line, f.verdict.value, f.quantity) for f in check_text(listing).findings
             if f.explanation.startswith("listing")]
    assert (5, "INCORRECT", "param_count") in found  # 4096·10 = 40,960 (+10 with bias), not 40,690
    assert (7, "INCORRECT", "table_total") in found  # 3,072 + 16,384 + 4,096 + 10 = 23,562 values, not 30K
    assert (8, "CORRECT", "table_total") in found  # the stated rows do sum to 41,122
    assert [v for line, v, q in found if q == "activations"] == ["CORRECT"] * 4


def test_rows_with_their_own_input_column_are_not_chained():
    rows = [(1, ["Layer", "Input", "Kernel", "Stride", "Padding", "Output"]),
            (2, ["conv a", "32x32", "3", "1", "1", "32x32"]), (3, ["conv b", "64x64", "5", "2", "0", "30x30"]),
            (4, ["pool c", "28x28", "2", "2", "0", "15x15"])]
    assert [(n, j.verdict) for n, _, j in layer_table_findings(rows)] == [(2, "CORRECT"), (3, "CORRECT"), (4, "INCORRECT")]
