"""(under construction) derive == numeric == finite differences."""

__all__: list[str] = []
