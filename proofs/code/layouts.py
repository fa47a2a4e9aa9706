r"""Where the batch, channel and spatial axes of a tensor are, from a layout string (``NCHW``, ``NHWC``,
``channels_last``, ``NWC``…): the libraries' conventions as data.

>>> axes("NCHW", 4), axes("NHWC", 4), axes("channels_last", 5)
((0, 1, (2, 3)), (0, 3, (1, 2)), (0, 4, (1, 2, 3)))
>>> axes("channels_first", 3, batched=False)
(None, 0, (1, 2))
"""

from __future__ import annotations

from .values import Undetermined

__all__ = ["axes", "FIRST", "LAST"]

FIRST, LAST = "channels_first", "channels_last"


def axes(layout: str | None, rank: int, batched: bool = True) -> tuple:
    """``(batch axis or None, channel axis, spatial axes)`` of a tensor of ``rank`` in ``layout``."""
    lay = (layout or LAST).strip()
    if lay.lower() in (FIRST, LAST):
        first = lay.lower() == FIRST
    elif lay.upper().startswith("NC") and len(lay) == rank:
        first = True
    elif lay.upper().startswith("N") and lay.upper().endswith("C") and len(lay) == rank:
        first = False
    else:
        raise Undetermined(f"layout {layout!r} does not describe a rank-{rank} tensor")
    b = 0 if batched else None
    start = 1 if batched else 0
    if first:
        return b, start, tuple(range(start + 1, rank))
    return b, rank - 1, tuple(range(start, rank - 1))
