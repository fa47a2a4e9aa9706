"""Evidence for openvino-convolution-spec.md (index sets and window counts; no proofs/derive/numeric)."""

import numpy as np
from _brute import window_count, window_starts

rng = np.random.default_rng(5)


def output_size():
    assert (6 + 0 - 3) / 2 + 1 == 2.5 and window_count(6, 3, 2, 0, 0) == 2
    for n in range(1, 30):
        for k in range(1, 6):
            for p in range(3):
                for s in range(1, 4):
                    if n + 2 * p >= k and (n + 2 * p - k) % s == 0:
                        assert (n + 2 * p - k) / s + 1 == window_count(n, k, s, p, p)


def _reads(layers, i):
    """Input indices (0-based, padding counted as negative/overflow positions) read by output i of a stack."""
    idx = {i}
    for k, s, p in reversed(layers):
        idx = {o * s - p + j for o in idx for j in range(k)}
    return idx


def receptive_fields():
    for _ in range(200):
        L = rng.integers(1, 5)
        layers = [(int(rng.integers(1, 6)), int(rng.integers(1, 4)), int(rng.integers(0, 3))) for _ in range(L)]
        j, r, start = 1, 1, 0.0       # input: jump 1, RF 1, centre of pixel 0 at 0
        for k, s, p in layers:
            j, r, start = j * s, r + (k - 1) * j, start + ((k - 1) / 2 - p) * j
        a, b = _reads(layers, 0), _reads(layers, 1)
        assert max(a) - min(a) + 1 == r
        assert min(b) - min(a) == j
        assert (min(a) + max(a)) / 2 == start


def zero_stride():
    starts = []
    t = 0
    for _ in range(5):                # a window that advances by 0 never leaves position 0
        starts.append(t); t += 0
    assert set(starts) == {0}
    try:
        (10 + 0 - 3) / 0 + 1
    except ZeroDivisionError:
        pass
    else:
        raise AssertionError("expected a division by zero")


def zero_dilation():
    k, d = 3, 0
    taps = {0 + d * j for j in range(k)}
    assert taps == {0} and d * (k - 1) + 1 == 1


def examples():
    assert window_count(128, 4, 2, 0, 0) == 63
    assert window_count(224, 5, 1, 2, 2) == 224
    assert window_count(320, 3, 3, 0, 0, d=2) == 106 and len(window_starts(320, 3, 3, 0, 0, 2)) == 106


if __name__ == "__main__":
    output_size(); receptive_fields(); zero_stride(); zero_dilation(); examples()
    print("openvino-convolution-spec: all verdicts reproduced")
