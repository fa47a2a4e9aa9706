"""(under construction) Hypothesis strategies for conv/pool configurations."""

__all__: list[str] = []
