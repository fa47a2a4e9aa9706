"""A verdict needs a certain quantity: forms that real documents use and that were once judged as something else.

* a transposed convolution's size in primed notation, announced by the prose, is judged as a transposed
  size (and a planted mistake in it is still found), never as a forward output size;
* a symbol the document defines itself ("define $B_l = …$") is true by definition, and a later statement
  about it is not judged as the quantity a heading names;
* a padding convention stated for one letter ("a total of $p_h$ rows of padding") binds that letter,
  even when a later sentence describes padding per side.
"""

from proofs import check_text


def _verdicts(text: str) -> dict[int, str]:
    return {f.line: f.verdict.value for f in check_text(text, verbose=True).findings if f.kind == "formula"}


TRANSPOSED = """# Transposed convolution arithmetic

A convolution described by $s = 1$, $p = 0$ and $k$ has an associated transposed convolution, and its
output size is

$$o' = i' + (k - 1).$$

For a transposed convolution with stride $s$, padding $p$ and kernel size $k$ its output size is

$$o' = s (i' - 1) + k - 2p.$$

With the extra rows $a$ added on the bottom and right edges, the transposed convolution gives

$$o' = s (i' - 1) + a + k - 2p.$$

A wrong version for the transposed convolution with stride $s$, padding $p$ and kernel size $k$:

$$o' = s (i' - 1) + k + 2p.$$
"""


def test_primed_transposed_sizes_are_judged_as_transposed():
    v = _verdicts(TRANSPOSED)
    assert v[6] == "CORRECT" and v[10] == "CORRECT" and v[14] == "CORRECT"
    assert v[18] == "INCORRECT"


def test_announced_transposed_is_decided_as_transposed():
    text = "# Transposed convolutions\n\nThe transposed convolution output size is $o' = q' + (k - 1)^2$.\n"
    [f] = [f for f in check_text(text, verbose=True).findings if f.line == 3]
    assert f.verdict.value == "INCORRECT" and f.explanation.startswith("transposed convolution output size")


OWN_SYMBOL = r"""# Receptive field size

Let $r_l$ be the receptive field size of the final output with respect to feature map $l$,
with $k_l$ the kernel size and $s_l$ the stride of layer $l$.

Then, define \(B_l = r_l\prod_{i=1}^{l}s_i\), and note that \(\prod_{i=1}^{0}s_i = 1\), so \(B_0 = r_0\).
"""


def test_a_symbol_the_document_defines_is_not_judged_as_a_cnn_quantity():
    findings = check_text(OWN_SYMBOL, verbose=True).findings
    wrong = [f for f in findings if f.verdict.value in ("INCORRECT", "CONDITIONAL")]
    assert wrong == []
    assert any("definition of a new symbol B_l" in f.explanation for f in findings)
    assert any("B_0 is the document's own symbol" in f.explanation for f in findings)


def test_a_known_quantity_introduced_with_let_is_still_judged():
    text = "For input size $H$, kernel size $k$ and stride $S$, let $H_{out} = \\lfloor (H - k)/S \\rfloor + 2$.\n"
    assert _verdicts(text)[1] == "INCORRECT"


LETTER_CONVENTION = r"""# Padding

For an input of height $n_h$ and a kernel of height $k_h$: if we add a total of $p_h$ rows of padding
(roughly half on top and half on bottom), the output height is $(n_h - k_h + p_h + 1)$.

```python
# 1 row is padded on either side
```

Some more text about strides.

Filler paragraph 0 about something else entirely.

Filler paragraph 1 about something else entirely.

Filler paragraph 2 about something else entirely.

Filler paragraph 3 about something else entirely.

Filler paragraph 4 about something else entirely.

Filler paragraph 5 about something else entirely.

Filler paragraph 6 about something else entirely.

Filler paragraph 7 about something else entirely.

Filler paragraph 8 about something else entirely.

Filler paragraph 9 about something else entirely.

When the stride for the height is $s_h$, the output height is

$$\lfloor(n_h - k_h + p_h + s_h)/s_h\rfloor.$$
"""


def test_a_convention_stated_for_a_letter_binds_that_letter():
    line = LETTER_CONVENTION.splitlines().index(r"$$\lfloor(n_h - k_h + p_h + s_h)/s_h\rfloor.$$") + 1
    assert _verdicts(LETTER_CONVENTION)[line] == "CORRECT"
    mutated = LETTER_CONVENTION.replace("+ p_h + s_h)/s_h", "+ 2p_h + s_h)/s_h")
    assert _verdicts(mutated)[line] == "INCORRECT"
