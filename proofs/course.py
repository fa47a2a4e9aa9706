"""(under construction) checking many documents at once, with a baseline."""

__all__: list[str] = []
