r"""NumPy's and SciPy's own convolution calls evaluated with :mod:`numeric`: ``np.convolve``/``np.correlate``
(1-D, ``mode`` 'full', 'same' or 'valid') and ``scipy.signal.convolve2d``/``correlate2d`` (zero fill). The
"full" result is :func:`numeric.conv1d`/:func:`numeric.conv2d` with padding k − 1 (the kernel flipped for a
convolution, and for ``np.correlate`` the arguments in its order); "same" is the centred slice of "full" as these
libraries take it (starting at ⌊(k − 1)/2⌋), "valid" the unpadded result.

>>> convolve_call("convolve", [[1, 2, 3], [0, 1, 0.5]], {}).tolist()
[0.0, 1.0, 2.5, 4.0, 1.5]
>>> convolve_call("convolve", [[1, 2, 3], [0, 1, 0.5]], {"mode": "same"}).tolist()
[1.0, 2.5, 4.0]
>>> convolve_call("correlate2d", [[[1, 2], [3, 4]], [[1, 0], [0, 1]]], {"mode": "valid"}).tolist()
[[5.0]]
"""

from __future__ import annotations

import numpy as np

__all__ = ["convolve_call", "SIGNAL_CALLS"]

#: the calls evaluated here (the last part of the called name)
SIGNAL_CALLS = ("convolve", "correlate", "convolve2d", "correlate2d")


def convolve_call(name: str, args: list, kwargs: dict) -> np.ndarray:
    """The result of ``name(*args, **kwargs)``; ValueError for a mode or option not evaluated."""
    import numeric

    mode = kwargs.get("mode", args[2] if len(args) > 2 else ("valid" if name == "correlate" else "full"))
    if set(kwargs) - {"mode", "boundary", "fillvalue"} or kwargs.get("boundary", "fill") != "fill" \
            or kwargs.get("fillvalue", 0) != 0 or mode not in ("full", "same", "valid"):
        raise ValueError(f"{name} with {kwargs} is not evaluated (zero fill, mode full/same/valid only)")
    a, v = (np.asarray(args[0], dtype=float), np.asarray(args[1], dtype=float))
    nd = 2 if name.endswith("2d") else 1
    if a.ndim != nd or v.ndim != nd:
        raise ValueError(f"{name} of arrays of rank {a.ndim} and {v.ndim}")
    if nd == 1 and len(v) > len(a):
        a, v = (v, a) if name == "convolve" else (v, a)
        if name == "correlate":
            raise ValueError("np.correlate with the second array longer is not evaluated")
    if nd == 2 and mode == "valid" and any(k > n for k, n in zip(v.shape, a.shape)):
        raise ValueError(f"{name} valid with the kernel larger than the input")
    ker = v[(slice(None, None, -1),) * nd] if name.startswith("convolve") else v
    pad = tuple(k - 1 for k in v.shape)
    conv = numeric.conv1d if nd == 1 else numeric.conv2d
    full = np.asarray(conv(a[None, None], np.ascontiguousarray(ker)[None, None], padding=pad[0] if nd == 1 else pad),
                      dtype=float)[0, 0]
    if mode == "full":
        return full
    if mode == "valid":
        return full[tuple(slice(k - 1, f - (k - 1)) for k, f in zip(v.shape, full.shape))]
    # "same": the centred part; a correlation is a convolution with the kernel reversed, so its centre is k // 2
    start = [(k - 1) // 2 if name.startswith("convolve") or nd == 1 else k // 2 for k in v.shape]
    return full[tuple(slice(s0, s0 + n) for s0, n in zip(start, a.shape))]
