"""Model summaries (Keras ``model.summary()``, torchsummary) judged cell by cell.

The truth of every generated row comes from running the layers in PyTorch (shapes from a forward pass,
counts from ``numel`` of the parameters), not from the formulas the judge uses; documents with planted
mistakes check that exactly the planted cells are flagged.
"""

import math

import pytest
from hypothesis import given, settings, strategies as st

from proofs import check_text
from proofs.judge.summary_check import summary_findings

KERAS_DOC = """# A small convnet

```python
model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation='softmax'))
model.summary()
```

```
_________________________________________________________________
Layer (type)                 Output Shape              Param #
=================================================================
conv2d_1 (Conv2D)            (None, 26, 26, 32)        320
_________________________________________________________________
max_pooling2d_1 (MaxPooling2 (None, 13, 13, 32)        0
_________________________________________________________________
conv2d_2 (Conv2D)            (None, 12, 12, 64)        18496
_________________________________________________________________
flatten_1 (Flatten)          (None, 7744)              0
_________________________________________________________________
dense_1 (Dense)              (None, 10)                77440
=================================================================
Total params: 96,226
Trainable params: 96,226
Non-trainable params: 0
_________________________________________________________________
```
"""


def _by_line(report):
    out = {}
    for f in report.findings:
        if f.explanation.startswith("summary"):
            out.setdefault(f.line, []).append((f.source, f.verdict.value))
    return out


def test_planted_wrong_shape_count_and_total_are_found_and_nothing_else():
    found = _by_line(check_text(KERAS_DOC))
    lines = KERAS_DOC.splitlines()
    at = {name: n for n, t in enumerate(lines, 1) for name in ("conv2d_1", "max_pooling2d_1", "conv2d_2", "flatten_1",
                                                                 "dense_1", "Total params", "Trainable params")
          if t.startswith(name)}
    assert found[at["conv2d_1"]] == [("(None, 26, 26, 32)", "CORRECT"), ("320", "CORRECT")]
    assert found[at["max_pooling2d_1"]] == [("(None, 13, 13, 32)", "CORRECT"), ("0", "CORRECT")]
    # planted: a 3×3 valid conv of 13×13 gives 11×11, not 12×12
    assert found[at["conv2d_2"]] == [("(None, 12, 12, 64)", "INCORRECT"), ("18496", "CORRECT")]
    # the flatten row follows the true shape (11·11·64 = 7744): correct
    assert found[at["flatten_1"]] == [("(None, 7744)", "CORRECT"), ("0", "CORRECT")]
    # planted: the dense count forgot the bias (7744·10 + 10 = 77,450)
    assert found[at["dense_1"]] == [("(None, 10)", "CORRECT"), ("77440", "CONDITIONAL")]
    # the rows sum to 96,256, not 96,226
    assert found[at["Total params"]] == [("Total params: 96,226", "INCORRECT")]
    assert found[at["Trainable params"]][0][1] == "INCORRECT"


def test_a_summary_without_code_is_bound_by_evidence():
    doc = KERAS_DOC.split("```python")[0] + "```" + KERAS_DOC.split("model.summary()\n```")[1]
    found = _by_line(check_text(doc))
    verdicts = {src: v for fs in found.values() for src, v in fs}
    assert verdicts["18496"] == "CORRECT"  # 32→64 channels: 3×3 kernel with bias, the only square reading
    assert verdicts["(None, 7744)"] == "INCORRECT"  # flatten of the stated 12×12×64 is 9216 in a sequential model
    assert verdicts["Total params: 96,226"] == "INCORRECT"
    assert "(None, 12, 12, 64)" not in verdicts  # a conv's shape without its configuration is not judged


def test_a_zero_parameter_layer_with_parameters_is_incorrect_without_code():
    text = ("Layer (type)   Output Shape   Param #\n"
            "max_pooling2d (MaxPooling2D)   (None, 13, 13, 32)   10\n")
    (_, _, j), = summary_findings(list(enumerate(text.splitlines(), 1)))
    assert j.verdict == "INCORRECT" and j.expected == "0"


def test_keras3_sizes_in_bytes_are_checked():
    text = ("┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
            "│ dense (Dense)                   │ (None, 10)             │         7,850 │\n"
            " Total params: 7,850 (30.66 KB)\n"
            " Trainable params: 7,850 (30.66 KB)\n"
            " Non-trainable params: 0 (0.00 B)\n")
    found = summary_findings(list(enumerate(text.splitlines(), 1)))
    memory = [j.verdict for _, _, j in found if j.quantity == "memory"]
    assert memory == ["CORRECT", "CORRECT", "CORRECT"]
    wrong = text.replace("(30.66 KB)\n Trainable", "(31.40 KB)\n Trainable")
    memory = [j.verdict for _, _, j in summary_findings(list(enumerate(wrong.splitlines(), 1))) if j.quantity == "memory"]
    assert memory == ["INCORRECT", "CORRECT", "CORRECT"]


# -- generated PyTorch models: the truth from torch itself (the test is skipped without torch) ------------


@st.composite
def torch_stacks(draw):
    """``(channels in, input size, constructor texts)``: a random nn.Sequential of conv / pool / ReLU layers
    ending in Flatten + Linear (``FEATURES`` stands for the flattened size, filled in when built)."""
    c0 = c = draw(st.integers(1, 4))
    size = draw(st.integers(12, 24))
    specs = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["conv", "pool", "relu"]))
        if kind == "conv":
            k, s, p = draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(0, 1))
            out = draw(st.integers(1, 8))
            bias = draw(st.booleans())
            specs.append(f"nn.Conv2d({c}, {out}, {k}, stride={s}, padding={p}" + (", bias=False)" if not bias else ")"))
            c = out
        elif kind == "pool":
            specs.append(f"nn.MaxPool2d({draw(st.integers(2, 3))}, {draw(st.integers(1, 2))})")
        else:
            specs.append("nn.ReLU()")
    specs += ["nn.Flatten()", f"nn.Linear(FEATURES, {draw(st.integers(1, 10))})"]
    return c0, size, specs


def _build(specs, c_in, size):
    """The resolved constructor texts and ``(type, output shape, parameter count)`` per layer, from torch."""
    torch = pytest.importorskip("torch")
    nn = torch.nn
    mods, resolved, x = [], [], torch.zeros(1, c_in, size, size)
    for spec in specs:
        spec = spec.replace("FEATURES", str(math.prod(x.shape[1:])))
        m = eval(spec, {"nn": nn})  # our own generated constructor text, never document text
        x = m(x)
        mods.append((type(m).__name__, tuple(x.shape[1:]), sum(p.numel() for p in m.parameters())))
        resolved.append(spec)
    return resolved, mods


def _row(i, name, shape, n):
    return f"{name + '-' + str(i):>20}  {str([-1, *shape]):>25}  {n:>15,}"


@settings(max_examples=25, deadline=None)
@given(torch_stacks(), st.data())
def test_generated_torchsummary_rows_are_correct_and_a_planted_count_is_found(stack, data):
    c0, size, specs = stack
    try:
        resolved, mods = _build(specs, c0, size)
    except RuntimeError:  # the stack shrank the map below a window: not a valid model
        return
    code = ["model = nn.Sequential("] + [f"    {s}," for s in resolved] + [")", f"summary(model, ({c0}, {size}, {size}))"]
    rows = ["        Layer (type)               Output Shape         Param #",
            "================================================================"]
    rows += [_row(i, *m) for i, m in enumerate(mods, 1)]
    total = sum(n for _, _, n in mods)
    rows += ["================================================================", f"Total params: {total:,}",
             f"Trainable params: {total:,}", "Non-trainable params: 0"]
    found = summary_findings(list(enumerate(code + rows, 1)))
    assert all(j.verdict == "CORRECT" for _, _, j in found), [(s, j.explanation) for _, s, j in found
                                                              if j.verdict != "CORRECT"]
    assert len([1 for _, _, j in found if j.quantity == "param_count"]) == len(mods)
    assert len([1 for _, _, j in found if j.quantity == "output_shape"]) == len(mods)
    # plant one wrong count: that row and the total (no longer the sum of the stated rows... it still is the
    # stated total) — the row is INCORRECT and nothing but that row and the footer changes
    i = data.draw(st.integers(0, len(mods) - 1))
    name, shape, n = mods[i]
    bumped = list(rows)
    bumped[2 + i] = _row(i + 1, name, shape, n + 1)
    found2 = summary_findings(list(enumerate(code + bumped, 1)))
    row_line = len(code) + 3 + i
    flagged = {(line, j.verdict) for line, _, j in found2 if j.verdict != "CORRECT"}
    assert (row_line, "INCORRECT") in flagged
    total_line = len(code) + len(rows) - 2
    assert (total_line, "INCORRECT") in flagged
    assert {line for line, _ in flagged} <= {row_line, total_line, total_line + 1, total_line + 2}


def test_shapes_stated_in_prose_around_layer_calls():
    doc = ("For an input of (3,32,32), `nn.Conv2d(in_channels, out_channels, kernel_size)` is the signature.\n"
           "Applying `nn.Conv2d(3, 16, 5, padding=2)` keeps the size: (16,32,32).\n"
           "Then `nn.MaxPool2d(2)` halves it to (16,15,15).\n"
           "A tuple with other channels, (3,9,9), is not bound to the pooling.\n")
    found = [(f.line, f.source, f.verdict.value) for f in check_text(doc).findings if f.quantity == "output_shape"]
    assert found == [(2, "(16,32,32)", "CORRECT"), (3, "(16,15,15)", "INCORRECT")]


FUNCTIONAL = """```python
inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(16, 3, padding="same")(inputs)
y = layers.BatchNormalization()(x)
y = layers.Activation("relu")(y)
z = layers.add([y, x])
z = layers.GlobalAveragePooling2D()(z)
outputs = layers.Dense(10)(z)
```

```
__________________________________________________________________________________________________
 Layer (type)                   Output Shape         Param #     Connected to
==================================================================================================
 input_1 (InputLayer)           [(None, 32, 32, 3)]  0           []
 conv2d (Conv2D)                (None, 32, 32, 16)   448         ['input_1[0][0]']
 batch_normalization (BatchNorm  (None, 32, 32, 16)  64          ['conv2d[0][0]']
 alization)
 activation (Activation)        (None, 32, 32, 16)   0           ['batch_normalization[0][0]']
 add (Add)                      (None, 32, 32, 16)   0           ['activation[0][0]', 'conv2d[0][0]']
 global_average_pooling2d (Glob  (None, 16)          0           ['add[0][0]']
 alAveragePooling2D)
 dense (Dense)                  (None, 10)           170         ['global_average_pooling2d[0][0]']
==================================================================================================
Total params: 682
Trainable params: 650
Non-trainable params: 32
__________________________________________________________________________________________________
```
"""


def test_a_functional_keras_summary_with_wrapped_types_has_no_false_alarm():
    found = [(f.source, f.verdict.value) for f in check_text(FUNCTIONAL).findings if f.explanation.startswith("summary")]
    assert found and all(v == "CORRECT" for _, v in found), found
    assert ("64", "CORRECT") in found and ("170", "CORRECT") in found  # batch norm 4·16; dense 16·10 + 10
    wrong = FUNCTIONAL.replace("Total params: 682", "Total params: 692")
    found = [(f.source, f.verdict.value) for f in check_text(wrong).findings if f.explanation.startswith("summary")]
    assert ("Total params: 692", "INCORRECT") in found


TORCHSUMMARY = """```
summary(model, (3, 224, 224))
```

```
        Layer (type)               Output Shape         Param #
================================================================
            Conv2d-1         [-1, 64, 224, 224]           1,792
              ReLU-2         [-1, 64, 224, 224]               0
================================================================
Total params: 1,792
Trainable params: 1,792
Non-trainable params: 0
----------------------------------------------------------------
Input size (MB): 0.57
Forward/backward pass size (MB): 49.00
Params size (MB): 0.01
Estimated Total Size (MB): 49.58
----------------------------------------------------------------
```

| Layer (type) | Output Shape | Param # |
|---|---|---|
| dense_1 (Dense) | (None, 64) | 50240 |
| dense_2 (Dense) | (None, 10) | 650 |
| Total params: 50,890 | | |
"""


def test_torchsummary_sizes_in_mb_and_a_summary_pasted_as_a_markdown_table():
    found = {f.source: f.verdict.value for f in check_text(TORCHSUMMARY).findings if f.explanation.startswith("summary")}
    # 3·224·224·4 B = 0.574 MB; 2 rows · 64·224·224 values, twice (outputs and gradients) · 4 B = 49.0 MB
    for key in ("Input size (MB): 0.57", "Forward/backward pass size (MB): 49.00", "Params size (MB): 0.01",
                "Estimated Total Size (MB): 49.58", "650", "Total params: 50,890"):
        assert found[key] == "CORRECT", key
    wrong = TORCHSUMMARY.replace("pass size (MB): 49.00", "pass size (MB): 24.50")
    found = {f.source: f.verdict.value for f in check_text(wrong).findings if f.explanation.startswith("summary")}
    assert found["Forward/backward pass size (MB): 24.50"] == "INCORRECT"


KERAS_INPUTS = """```python
model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3, strides=2, padding="same"), layers.Flatten(), layers.Dense(10)])
model.summary()
```

```
Layer (type)                 Output Shape              Param #
=================================================================
conv2d (Conv2D)              (None, 14, 14, 8)         80
flatten (Flatten)            (None, 1568)              0
dense (Dense)                (None, 10)                15690
=================================================================
Total params: 15,770
```

```python
model2 = keras.Sequential([layers.Conv2D(4, 5), layers.MaxPooling2D(3)])
model2.build((None, 20, 20, 3))
```

```
Layer (type)                 Output Shape              Param #
=================================================================
conv2d_1 (Conv2D)            (None, 16, 16, 4)         304
max_pooling2d (MaxPooling2D) (None, 6, 6, 4)           0
=================================================================
Total params: 304
```
"""


def test_keras_input_from_an_input_call_or_model_build():
    found = {(f.line, f.source): f.verdict.value for f in check_text(KERAS_INPUTS).findings
             if f.explanation.startswith("summary")}
    assert found[(9, "(None, 14, 14, 8)")] == "CORRECT"  # SAME, stride 2: ⌈28/2⌉ = 14 (Input(shape=…) declares 28)
    assert found[(9, "80")] == "CORRECT"
    assert found[(24, "(None, 16, 16, 4)")] == "CORRECT"  # model.build((None, 20, 20, 3)): 20 − 5 + 1
    assert found[(25, "(None, 6, 6, 4)")] == "INCORRECT"  # MaxPooling2D(3): stride 3, ⌊(16 − 3)/3⌋ + 1 = 5


TORCHINFO = """```python
model = nn.Sequential(nn.Conv2d(1, 10, kernel_size=5), nn.MaxPool2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(1440, 10))
summary(model, input_size=(1, 1, 28, 28))
```

```
==========================================================================================
Layer (type:depth-idx)                   Output Shape              Param #
==========================================================================================
Sequential                               [1, 10]                   --
├─Conv2d: 1-1                            [1, 10, 24, 24]           260
├─MaxPool2d: 1-2                         [1, 10, 12, 12]           --
├─ReLU: 1-3                              [1, 10, 12, 12]           --
├─Flatten: 1-4                           [1, 1440]                 --
├─Linear: 1-5                            [1, 10]                   14,410
==========================================================================================
Total params: 14,670
Trainable params: 14,670
Non-trainable params: 0
Total mult-adds (M): 0.16
==========================================================================================
Input size (MB): 0.00
Forward/backward pass size (MB): 0.05
Params size (MB): 0.06
Estimated Total Size (MB): 0.11
==========================================================================================
```
"""


def test_torchinfo_rows_bound_to_the_sequential_code():
    found = [(f.line, f.source, f.verdict.value) for f in check_text(TORCHINFO).findings
             if f.explanation.startswith("summary")]
    assert all(v == "CORRECT" for _, _, v in found), found
    assert (11, "260", "CORRECT") in found and (15, "14,410", "CORRECT") in found  # 10·1·25 + 10; 1440·10 + 10
    assert (12, "--", "CORRECT") in found  # max pooling: no parameters
    wrong = TORCHINFO.replace("[1, 10, 12, 12]           --", "[1, 10, 11, 11]           --", 1)
    found = [(f.line, f.verdict.value) for f in check_text(wrong).findings if f.explanation.startswith("summary")]
    assert (12, "INCORRECT") in found
