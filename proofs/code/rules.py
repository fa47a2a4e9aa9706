r"""One spatial size through one operation, asked of ``derive`` (never typed here), with a note saying how.

Every library's call is brought to the arguments of :func:`derive.sizes.output_size.output_size`:
an operation (``conv``, ``conv_transpose``, ``max_pool``, ``avg_pool``), the input size, window, stride,
padding (``(before, after)`` or a TF/JAX string ``SAME``/``VALID``), dilation, ``output_padding`` and
``ceil_mode``. An input dilated by ``lhs_dilation`` (JAX; a transposed convolution written as a
convolution) has ``(H − 1)·l + 1`` positions: its samples ``l`` apart.

>>> size("conv", 28, 3)
(26, 'conv 28 → 26 (kernel 3, stride 1, padding 0)')
>>> size("conv", 7, 3, 2, "SAME")[0], size("conv_transpose", 7, 3, 2, 1, output_padding=1)[0]
(4, 14)
>>> size("conv", 5, 3, 1, (2, 2), lhs_dilation=2)[0]
11
>>> size("conv", 2, 5)
Traceback (most recent call last):
...
proofs.code.values.Undetermined: conv: H_out = ⌊(2 + 0 + 0 − 1·(5 − 1) − 1)/1⌋ + 1 = -2 < 1 (kernel larger than padded input)
"""

from __future__ import annotations

from .values import Undetermined, is_int

__all__ = ["size", "QUANTITY"]

#: the quantity a finding on each operation's result states
QUANTITY = {"conv": "output_size", "conv_transpose": "transposed_output_size", "max_pool": "pooling",
            "avg_pool": "pooling", "same": "same_padding", "adaptive": "pooling", "numpy": "output_size", "params": "params"}


def _pad_text(padding) -> str:
    if isinstance(padding, str):
        return padding
    if isinstance(padding, tuple):
        return str(padding[0]) if padding[0] == padding[1] else f"({padding[0]}, {padding[1]})"
    return str(padding)


def size(op: str, h: int, kernel: int, stride: int = 1, padding=0, dilation: int = 1, *, output_padding: int = 0,
         ceil_mode: bool = False, lhs_dilation: int = 1) -> tuple[int, str]:
    """The output size (``int``) of ``op`` along one dimension and a note with the configuration used."""
    from derive.sizes.output_size import output_size

    if not all(is_int(v) for v in (h, kernel, stride, dilation, output_padding, lhs_dilation)):
        raise Undetermined(f"{op}: a size, window, stride or dilation is not a known integer")
    if isinstance(padding, tuple) and not all(is_int(p) and p >= 0 for p in padding):
        raise Undetermined(f"{op}: padding {padding} is not a pair of non-negative integers")
    size_in = (h - 1) * lhs_dilation + 1 if lhs_dilation != 1 else h
    try:
        out = output_size(op, size_in, kernel, stride, padding, dilation, output_padding=output_padding,
                          ceil_mode=ceil_mode)
    except (ValueError, TypeError) as exc:
        raise Undetermined(str(exc)) from None
    if not getattr(out, "is_Integer", False):
        raise Undetermined(f"{op}: the size {out} is not a number")
    out = int(out)
    parts = [f"kernel {kernel}", f"stride {stride}", f"padding {_pad_text(padding)}"]
    if dilation != 1:
        parts.append(f"dilation {dilation}")
    if output_padding:
        parts.append(f"output_padding {output_padding}")
    if ceil_mode:
        parts.append("ceil_mode")
    start = f"{h} dilated by {lhs_dilation} = {size_in}" if lhs_dilation != 1 else str(h)
    return out, f"{op} {start} → {out} ({', '.join(parts)})"
