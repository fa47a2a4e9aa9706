"""Command line of convproof (``convproof VERB ...``); see :mod:`proofs.cli.main`."""

__all__: list[str] = []
