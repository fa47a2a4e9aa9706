"""Shape labels of a named network on an input other than its own are not judged against its own tensors; every
INCORRECT label finding carries a counterexample."""

from proofs import check_text

LARGER = """## Running AlexNet on larger images

A 224x224 image gives a volume of size [6x6x256]. Forwarding an image of size 384x384 through the converted
network gives a volume of size [12x12x256] instead.
"""

STATED = """## VGG-16, with its input

```
224x224x3 -> 224x224x64 -> 112x112x128 -> 56x56x256 -> 28x28x512 -> 14x14x512 -> {last}
```
"""


def test_a_label_of_a_larger_input_is_not_flagged():
    assert not [f for f in check_text(LARGER).findings if f.verdict.value == "INCORRECT"]


def test_a_wrong_label_under_the_stated_input_is_flagged_with_a_counterexample():
    bad = [f for f in check_text(STATED.format(last="7x7x1024")).findings if f.verdict.value == "INCORRECT"]
    assert bad and all(f.counterexample for f in bad), [(f.line, f.explanation) for f in bad]
    assert not [f for f in check_text(STATED.format(last="7x7x512")).findings if f.verdict.value == "INCORRECT"]
