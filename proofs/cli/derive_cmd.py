"""Verb module of the convproof CLI (placeholder until its verb is built)."""

__all__ = ["register"]


def register(subparsers) -> None:
    """Register this module's verbs (none yet)."""
