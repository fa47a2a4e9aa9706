"""The one error type of math parsing: :class:`MathParseError` (a ``ValueError``) with a ``reason``."""

from __future__ import annotations

__all__ = ["MathParseError"]


class MathParseError(ValueError):
    """A formula could not be read; ``reason`` says why in one short phrase.

    Reasons start with one of ``"unsupported: "`` (a construct we do not read,
    e.g. ``\\begin{bmatrix}``), ``"bound exceeded: "`` (a safety limit, see
    :mod:`proofs.document.bounds`), ``"syntax: "`` (not well formed) or
    ``"internal: "`` (a bug: please report).

    >>> err = MathParseError("unsupported: \\\\begin{bmatrix}", "x = \\\\begin{bmatrix}1\\\\end{bmatrix}")
    >>> err.reason
    'unsupported: \\\\begin{bmatrix}'
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, reason: str, text: str | None = None) -> None:
        self.reason = reason
        self.text = text
        super().__init__(reason)
