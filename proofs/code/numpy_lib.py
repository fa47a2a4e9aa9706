r"""NumPy's and SciPy's convolutions of whole arrays: ``np.convolve``/``np.correlate`` (1-D, modes
``full``/``same``/``valid``) and ``scipy.signal.convolve``/``correlate``/``convolve2d``/``correlate2d``.

Per axis, with the input of ``n`` and the kernel of ``m`` samples, each mode is a stride-1 convolution
asked of ``derive``: ``full`` pads ``m − 1`` on each side; ``valid`` pads nothing (NumPy's 1-D functions and
SciPy's ``valid`` slide the smaller array over the larger); ``same`` pads ``m − 1`` in total (the output
keeps the first argument's size; ``np.convolve`` keeps the larger one's).

>>> from proofs.code.values import Tensor
>>> np_convolve("convolve", [Tensor((5,), "numpy"), Tensor((3,), "numpy")], {}).shape
(7,)
>>> np_convolve("convolve", [Tensor((3,), "numpy"), Tensor((5,), "numpy"), "valid"], {}).shape
(3,)
>>> scipy_convolve("convolve2d", [Tensor((6, 6), "numpy"), Tensor((3, 3), "numpy")], {"mode": "same"}).shape
(6, 6)
"""

from __future__ import annotations

from .binding import bind
from .through import through
from .values import Tensor, Undetermined, is_int

__all__ = ["np_convolve", "scipy_convolve"]


def _mode(x: Tensor, w: Tensor, mode, name: str, swap_same: bool) -> Tensor:
    if not (isinstance(x, Tensor) and isinstance(w, Tensor)) or x.rank != w.rank:
        raise Undetermined(f"{name}: the arrays' shapes are not known")
    if not all(is_int(v) for v in x.shape + w.shape):
        raise Undetermined(f"{name}: the arrays' sizes are not known")
    if not isinstance(mode, str) or mode not in ("full", "same", "valid"):
        raise Undetermined(f"{name}: mode {mode!r}")
    big, small = x, w
    if mode == "valid" or (mode == "same" and swap_same):
        if all(a >= b for a, b in zip(w.shape, x.shape)) and w.shape != x.shape:
            big, small = w, x
        elif not all(a >= b for a, b in zip(x.shape, w.shape)):
            raise Undetermined(f"{name}: in 'valid' mode one array must be at least as large as the other on every axis")
    m = small.shape
    if mode == "full":
        pads = [(k - 1, k - 1) for k in m]
    elif mode == "valid":
        pads = [(0, 0)] * len(m)
    else:
        pads = [((k - 1) // 2, k - 1 - (k - 1) // 2) for k in m]
    return through(big, "conv", channel=None, spatial=tuple(range(big.rank)), kernel=tuple(m), stride=(1,) * len(m),
                   padding=pads, name=f"{name} mode={mode!r}", kind="numpy")


def np_convolve(name: str, pos: list, kw: dict) -> Tensor:
    """``np.convolve(a, v, mode='full')`` / ``np.correlate(a, v, mode='valid')`` (1-D)."""
    a = bind(f"np.{name}", pos, kw, ("a", "v", "mode"), {"mode": "full" if name == "convolve" else "valid"})
    x, w = a.get("a"), a.get("v")
    if isinstance(x, Tensor) and x.rank != 1:
        raise Undetermined(f"np.{name} takes 1-D arrays")
    return _mode(x, w, a["mode"], f"np.{name}", swap_same=True)


def scipy_convolve(name: str, pos: list, kw: dict) -> Tensor:
    """``scipy.signal.convolve2d(in1, in2, mode='full')`` and its relatives (``boundary`` must be ``'fill'``)."""
    a = bind(f"scipy.signal.{name}", pos, kw, ("in1", "in2", "mode", "boundary", "fillvalue"),
             {"mode": "full", "boundary": "fill"})
    if a["boundary"] != "fill":
        raise Undetermined(f"scipy.signal.{name}: boundary {a['boundary']!r} is not modelled")
    return _mode(a.get("in1"), a.get("in2"), a["mode"], f"scipy.signal.{name}", swap_same=False)
