"""Worked examples judged as the quantity they compute: memory in bytes and MACs given per output position.

Truths are counted here from the definition (entries of the tensor times the bytes of one value; one
multiply-accumulate per output value per weight it meets), not from the judge's formulas.
"""

from hypothesis import given, strategies as st

from proofs import check_text

BYTES = {"float32": 4, "float16": 2, "float64": 8}


def _example(text):
    found = [f for f in check_text(text).findings if f.line == 1]
    return [(f.verdict.value, f.quantity) for f in found]


@given(st.integers(1, 256), st.integers(2, 64), st.sampled_from(sorted(BYTES)), st.booleans())
def test_activation_memory_in_bytes(c, hw, dtype, wrong_type):
    entries = sum(1 for _ in range(c) for _ in range(hw) for _ in range(hw))
    stated_bytes = BYTES[dtype] if not wrong_type else {4: 2, 2: 4, 8: 4}[BYTES[dtype]]
    value = entries * stated_bytes
    text = (f"A feature map of {hw}×{hw} with {c} channels in {dtype} takes "
            f"${hw} \\cdot {hw} \\cdot {c} \\cdot {stated_bytes} = {value}$ bytes.\n")
    got = _example(text)
    if len({hw, c, stated_bytes}) < 3:  # a number of the example that plays two parts: not bound
        return
    assert got == [("INCORRECT" if wrong_type else "CORRECT", "memory")], got


def test_memory_without_a_type_is_taken_as_float32_only_when_it_matches():
    assert _example("A 28×28×32 activation takes $28 \\cdot 28 \\cdot 32 \\cdot 4 = 100352$ bytes.\n") == [
        ("CORRECT", "memory")]
    # 2 bytes per value without a stated type: the worked example is not judged as float32 memory (only its
    # arithmetic is); the sentence's claim may read it as 2-byte values, which is right too — never INCORRECT
    got = _example("A 28×28×32 activation takes $28 \\cdot 28 \\cdot 32 \\cdot 2 = 50176$ bytes.\n")
    assert ("CORRECT", "arithmetic") in got and all(v == "CORRECT" for v, _ in got), got


@given(st.integers(1, 64), st.integers(1, 64), st.sampled_from([1, 3, 5]), st.integers(2, 40), st.booleans())
def test_macs_per_output_position(c_in, c_out, k, out, wrong):
    macs = sum(c_in * k * k for _ in range(out * out * c_out))
    factor = k * k if not wrong else k
    if len({c_in, c_out, k, out, factor}) < 5 or (wrong and k == 1):
        return
    stated = out * out * c_out * c_in * factor
    text = (f"A {k}×{k} convolution with {c_in} input channels and {c_out} output channels on a {out}×{out} output "
            f"needs ${out} \\cdot {out} \\cdot {c_out} \\cdot {c_in} \\cdot {factor} = {stated}$ MACs.\n")
    assert stated == macs or wrong
    assert _example(text) == [("INCORRECT" if wrong else "CORRECT", "macs")]
