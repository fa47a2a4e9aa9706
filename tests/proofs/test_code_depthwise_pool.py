"""``tf.nn.max_pool`` with a window over the channel axis (depthwise pooling) is not read as a spatial pooling."""

from proofs import check_text

DOC = """Pooling in TensorFlow:

```python
x = tf.random.normal((2, 70, 120, 60))
y = tf.nn.max_pool(x, ksize=(1, {kh}, {kw}, {kc}), strides=(1, {kh}, {kw}, {kc}), padding="VALID")
print(y.shape)
```

```
{printed}
```
"""


def _code_verdicts(text):
    return [f.verdict.value for f in check_text(text).findings if f.verdict.value != "UNRECOGNIZED"]


def test_a_window_over_the_channels_is_never_flagged():
    # depthwise pooling: 60 channels in windows of 3 → 20; right, so it must not be INCORRECT
    assert "INCORRECT" not in _code_verdicts(DOC.format(kh=1, kw=1, kc=3, printed="(2, 70, 120, 20)"))


def test_a_spatial_window_written_over_four_axes_is_still_judged():
    assert _code_verdicts(DOC.format(kh=2, kw=2, kc=1, printed="(2, 35, 60, 60)")) == ["CORRECT"]
    assert _code_verdicts(DOC.format(kh=2, kw=2, kc=1, printed="(2, 35, 61, 60)")) == ["INCORRECT"]
