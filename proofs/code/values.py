r"""The abstract values the code reader tracks: tensors with known shapes and layer objects.

Nothing is executed: a :class:`Tensor` is only a shape (its entries ``int`` or ``None`` for a size the
code leaves open, such as Keras's batch) with the library it came from and the size rules that produced it;
a :class:`Layer` is a constructor call's arguments, bound by name, ready to be applied to a shape.
Anything the reader cannot determine raises :class:`Undetermined` with the reason.

>>> t = Tensor((1, 3, 32, 32), "torch")
>>> t.rank, t.derived
(4, False)
>>> t.with_shape((1, 8, 30, 30), "conv", "Conv2d: 32 → 30").steps
(('conv', 'Conv2d: 32 → 30'),)
>>> Undetermined("x is not known").reason
'x is not known'
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Tensor", "Layer", "Undetermined", "UNKNOWN", "is_int", "int_tuple"]


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


#: a value the reader does not know (a variable never assigned, an unsupported call)
UNKNOWN = _Unknown()


class Undetermined(Exception):
    """A value the code does not determine; ``reason`` says why (it becomes an UNRECOGNIZED's explanation)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def is_int(v) -> bool:
    """An ``int`` that is not a ``bool``.

    >>> is_int(3), is_int(True), is_int(3.0)
    (True, False, False)
    """
    return isinstance(v, int) and not isinstance(v, bool)


def int_tuple(v, n: int | None = None, what: str = "value") -> tuple:
    """``v`` as a tuple of ints (an int repeated ``n`` times), or :class:`Undetermined`.

    >>> int_tuple(3, 2), int_tuple([1, 2], 2)
    ((3, 3), (1, 2))
    >>> int_tuple((1, 2), 3, "kernel_size")
    Traceback (most recent call last):
    ...
    proofs.code.values.Undetermined: kernel_size (1, 2) does not have 3 entries
    """
    if is_int(v):
        if n is None:
            return (v,)
        return (v,) * n
    if isinstance(v, (tuple, list)) and all(is_int(x) for x in v):
        if n is not None and len(v) != n:
            raise Undetermined(f"{what} {tuple(v)} does not have {n} entries")
        return tuple(v)
    raise Undetermined(f"{what} is not a known integer or tuple of integers")


@dataclass(frozen=True)
class Tensor:
    """A tensor's shape (ints, ``None`` where open), its library, and the size rules applied to get it."""

    shape: tuple
    lib: str
    steps: tuple = ()
    #: the spatial axes, when a layout is known (a comment may state only the spatial sizes)
    spatial: tuple | None = None

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def derived(self) -> bool:
        """Did a size rule (convolution, pooling, …) compute part of this shape?"""
        return any(kind != "reshape" for kind, _ in self.steps)

    def with_shape(self, shape: tuple, kind: str | None = None, note: str = "", spatial: tuple | None = None) -> Tensor:
        """The same tensor with a new shape, the rule ``kind`` (described by ``note``) appended to its steps."""
        steps = self.steps + ((kind, note),) if kind else self.steps
        keep = spatial if spatial is not None else (self.spatial if len(shape) == len(self.shape) else None)
        return Tensor(tuple(shape), self.lib, steps, keep)


@dataclass(frozen=True)
class Layer:
    """A layer object built by a library constructor (``nn.Conv2d(3, 8, 3)``), its arguments bound by name."""

    lib: str
    name: str
    args: dict = field(default_factory=dict)
    children: tuple = ()
