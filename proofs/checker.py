"""(under construction) check_document / check_formula."""

__all__: list[str] = []
