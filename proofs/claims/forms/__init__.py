"""Claim forms: one module per family of sentences (receptive field, parameters, resolution, growth,
equivariance, complexity). Each exposes ``find(sentence, norm) -> list[statement]``."""

__all__: list[str] = []
