r"""A tensor through one windowed operation: each spatial axis by :func:`proofs.code.rules.size`, the channel
axis set to the operation's output channels — the step every library's convolution and pooling share.

>>> from proofs.code.values import Tensor
>>> y = through(Tensor((1, 3, 32, 32), "torch"), "conv", channel=1, spatial=(2, 3), kernel=(5, 5), stride=(1, 1),
...             padding=[(0, 0)] * 2, dilation=(1, 1), channels_out=6, name="Conv2d")
>>> y.shape, y.steps[-1][0], y.spatial
((1, 6, 28, 28), 'conv', (2, 3))
"""

from __future__ import annotations

from .rules import size
from .values import Tensor, Undetermined, is_int

__all__ = ["through"]


def through(x: Tensor, op: str, *, channel: int | None, spatial: tuple, kernel: tuple, stride: tuple, padding: list,
            dilation: tuple | None = None, output_padding: tuple | None = None, ceil_mode: bool = False,
            lhs_dilation: tuple | None = None, channels_out=None, name: str = "", kind: str | None = None) -> Tensor:
    """``x`` after ``op`` (see :mod:`proofs.code.rules`); ``padding`` holds, per spatial axis, a ``(before, after)``
    pair or a ``SAME``/``VALID`` string; ``channels_out`` ``None`` keeps the channels."""
    n = len(spatial)
    dilation = dilation or (1,) * n
    output_padding = output_padding or (0,) * n
    lhs_dilation = lhs_dilation or (1,) * n
    if not all(len(t) == n for t in (kernel, stride, padding, dilation, output_padding, lhs_dilation)):
        raise Undetermined(f"{name}: {n} spatial axes but the window, stride or padding has another length")
    shape = list(x.shape)
    notes = []
    for i, ax in enumerate(spatial):
        h = shape[ax]
        if not is_int(h):
            raise Undetermined(f"{name}: the input's spatial size on axis {ax} is not known")
        shape[ax], note = size(op, h, kernel[i], stride[i], padding[i], dilation[i], output_padding=output_padding[i],
                               ceil_mode=ceil_mode, lhs_dilation=lhs_dilation[i])
        notes.append(note)
    if channels_out is not None and channel is not None:
        shape[channel] = channels_out
    same = any(isinstance(p, str) and p.upper().startswith("SAME") for p in padding)
    return x.with_shape(tuple(shape), kind or ("same" if same and op == "conv" else op),
                        f"{name} on {tuple(x.shape)}: " + "; ".join(dict.fromkeys(notes)), spatial=tuple(spatial))
