"""(under construction) claims made in words."""

__all__ = ["check_claims"]


def check_claims(text, *, verbose=False):
    """Placeholder: no claim forms yet, so no findings."""
    return []
