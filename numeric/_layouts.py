"""Names of the spatial dimensions and array layouts, for error messages (private).

Shared by the convolution and pooling validators so that both speak of the
same ``(N, C, H, W)``.

>>> LAYOUTS[2], SPATIAL_NAMES[1]
('(N, C, H, W)', ('L',))
"""

from __future__ import annotations

__all__ = ["SPATIAL_NAMES", "LAYOUTS"]

#: Spatial dimension names by number of spatial dimensions.
SPATIAL_NAMES = {1: ("L",), 2: ("H", "W")}
#: Input layout by number of spatial dimensions.
LAYOUTS = {1: "(N, C, L)", 2: "(N, C, H, W)"}
