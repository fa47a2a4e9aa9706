r"""Arrays created with a known shape, and the shape-changing methods the reader follows.

Creators: ``torch.randn(1, 3, 32, 32)``/``zeros``/``ones``/``rand``/``empty``/``randint(lo, hi, size)``/``tensor``,
``np.zeros((28, 28))``/``ones``/``empty``/``full``/``array``/``random.rand``/``randn``/``random``/``normal``/``uniform``/
``randint``, ``jnp`` the same, ``jax.random.normal(key, shape)``, ``tf.zeros``/``ones``/``random.normal``/``uniform``/
``constant``, ``keras.Input(shape=…)`` (batch ``None``). Methods: ``reshape``/``view`` (one ``-1`` inferred),
``unsqueeze``, ``permute``, ``flatten``, ``size()``, and the no-ops (``float``, ``to``, ``cpu``, ``detach``…).

>>> create("torch", "randn", [1, 3, 32, 32], {}).shape, create("numpy", "zeros", [(28, 28, 3)], {}).shape
((1, 3, 32, 32), (28, 28, 3))
>>> create("jax", "random.normal", ["key", (4, 5)], {}).shape, create("numpy", "array", [[[1, 2], [3, 4]]], {}).shape
((4, 5), (2, 2))
>>> method(create("torch", "zeros", [2, 3, 4], {}), "view", [2, -1], {}).shape
(2, 12)
"""

from __future__ import annotations

import math

from .binding import bind
from .values import Tensor, Undetermined, int_tuple, is_int

__all__ = ["create", "method", "nested_shape", "reshape", "concatenate", "pad", "broadcast", "KEEP_METHODS"]

_SIZE_VARARGS = {"randn", "rand", "zeros", "ones", "empty"}
#: methods that return a tensor of the same shape
KEEP_METHODS = {"float", "double", "half", "int", "long", "to", "cpu", "cuda", "detach", "contiguous", "clone", "numpy",
                "requires_grad_", "relu", "sigmoid", "tanh", "abs", "copy", "astype", "type", "zero_", "normal_",
                "uniform_", "block_until_ready", "exp", "sqrt"}


def nested_shape(v) -> tuple:
    """The shape of a nested list literal; :class:`Undetermined` when ragged."""
    if isinstance(v, (list, tuple)):
        if not v:
            return (0,)
        inner = {nested_shape(i) for i in v}
        if len(inner) != 1:
            raise Undetermined("a ragged nested list")
        return (len(v),) + inner.pop()
    if isinstance(v, (int, float, bool)):
        return ()
    raise Undetermined("an array literal with unknown entries")


def _dims(pos: list, name: str) -> tuple:
    if len(pos) == 1 and isinstance(pos[0], (tuple, list)):
        return int_tuple(pos[0], None, f"{name} size")
    return int_tuple(list(pos), None, f"{name} size")


def create(lib: str, name: str, pos: list, kw: dict) -> Tensor:
    """The array ``<lib>.<name>(*pos, **kw)`` (``lib``: ``torch``, ``numpy``, ``jax``, ``tf``)."""
    short = name.split(".")[-1]
    if short in ("Variable", "Parameter", "asarray", "convert_to_tensor", "as_tensor", "from_numpy", "array") and pos \
            and isinstance(pos[0], Tensor):  # wrapping an array keeps its shape
        return Tensor(pos[0].shape, lib, pos[0].steps, pos[0].spatial)
    if short.endswith("_like") and pos and isinstance(pos[0], Tensor):
        return Tensor(pos[0].shape, lib)
    if short in ("array", "asarray", "tensor", "constant", "convert_to_tensor", "Tensor") and pos:
        if short == "Tensor" and all(is_int(p) for p in pos):
            return Tensor(tuple(pos), lib)
        return Tensor(nested_shape(pos[0]), lib)
    if short in ("arange", "range") and len(pos) == 1 and is_int(pos[0]) and set(kw) <= {"dtype"}:
        return Tensor((pos[0],), lib)
    if lib == "torch" or (lib == "numpy" and name in ("random.rand", "random.randn")):
        if short in _SIZE_VARARGS:
            size = kw.get("size", None)
            return Tensor(int_tuple(size, None, "size") if size is not None else _dims(pos, name), lib)
        if short == "randint":
            size = kw.get("size", pos[-1] if pos else None)
            return Tensor(int_tuple(size, None, "size"), lib)
        if short == "full":
            return Tensor(int_tuple(pos[0] if pos else kw.get("size"), None, "size"), lib)
    if name.startswith("random.") and lib == "jax":
        a = bind(name, pos, kw, ("key", "shape"), {"shape": ()})
        return Tensor(int_tuple(a["shape"], None, "shape"), lib)
    if lib in ("numpy", "jax", "tf"):
        if short in ("zeros", "ones", "empty", "full", "random", "random_sample", "fill"):
            shape = kw.get("shape", kw.get("dims", kw.get("size", pos[0] if pos else None)))
            return Tensor(int_tuple(shape, None, "shape"), lib)
        if name in ("random.normal", "random.uniform", "random.randint", "random.binomial") and lib == "numpy":
            size = kw.get("size", pos[2] if len(pos) > 2 else None)
            if size is None:
                raise Undetermined(f"np.{name} without a size")
            return Tensor(int_tuple(size, None, "size"), lib)
        if name in ("random.normal", "random.uniform", "random.truncated_normal") and lib == "tf":
            return Tensor(int_tuple(kw.get("shape", pos[0] if pos else None), None, "shape"), lib)
    raise Undetermined(f"{lib}.{name} is not a creator this reader models")


def reshape(x: Tensor, dims) -> Tensor:
    """``x`` reshaped to ``dims`` (one entry may be ``-1``); the sizes must multiply to the same count."""
    dims = int_tuple(dims, None, "reshape")
    if not all(is_int(v) for v in x.shape):
        raise Undetermined("reshape of a shape with unknown sizes")
    total = math.prod(x.shape)
    if dims.count(-1) == 1:
        rest = math.prod(d for d in dims if d != -1)
        if rest == 0 or total % rest:
            raise Undetermined(f"cannot reshape {x.shape} into {dims}")
        dims = tuple(total // rest if d == -1 else d for d in dims)
    if math.prod(dims) != total:
        raise Undetermined(f"cannot reshape {x.shape} into {dims} (the call would fail)")
    return x.with_shape(dims, "reshape", "reshape")


def method(x: Tensor, name: str, pos: list, kw: dict):
    """``x.<name>(*pos, **kw)`` for the shape-changing methods; a ``tuple`` for ``size()``."""
    if name in KEEP_METHODS:
        return x
    if name in ("reshape", "view"):
        return reshape(x, pos[0] if len(pos) == 1 and isinstance(pos[0], (tuple, list)) else list(pos))
    if name == "unsqueeze" or name == "expand_dims":
        d = pos[0] if pos else kw.get("dim", kw.get("axis"))
        if not is_int(d):
            raise Undetermined("unsqueeze without a known axis")
        d = d % (x.rank + 1)
        return x.with_shape(x.shape[:d] + (1,) + x.shape[d:], "reshape", "unsqueeze")
    if name in ("transpose", "permute_dims") and (x.lib != "torch" or not pos or len(pos) != 2):
        axes = pos[0] if len(pos) == 1 and isinstance(pos[0], (tuple, list)) else (list(pos) or kw.get("axes"))
        order = tuple(reversed(range(x.rank))) if not axes else int_tuple(axes, x.rank, "transpose axes")
        return x.with_shape(tuple(x.shape[i] for i in order), "reshape", "transpose")
    if name == "transpose" and len(pos) == 2 and all(is_int(p) for p in pos):  # torch: swap two axes
        a, b = pos[0] % x.rank, pos[1] % x.rank
        shape = list(x.shape)
        shape[a], shape[b] = shape[b], shape[a]
        return x.with_shape(tuple(shape), "reshape", "transpose")
    if name == "squeeze":
        axis = pos[0] if pos else kw.get("axis", kw.get("dim"))
        if axis is None:
            return x.with_shape(tuple(v for v in x.shape if v != 1), "reshape", "squeeze")
        ax = axis % x.rank if is_int(axis) else None
        if ax is None:
            raise Undetermined("squeeze of an axis not known")
        return x.with_shape(x.shape[:ax] + x.shape[ax + 1:], "reshape", "squeeze") if x.shape[ax] == 1 else x
    if name == "permute":
        order = int_tuple(pos[0] if len(pos) == 1 and isinstance(pos[0], (tuple, list)) else list(pos), x.rank, "permute")
        return x.with_shape(tuple(x.shape[i] for i in order), "reshape", "permute")
    if name == "flatten":
        from .torch_lib import flatten

        if x.lib == "torch":
            return flatten(x, pos[0] if pos else kw.get("start_dim", 0), pos[1] if len(pos) > 1 else kw.get("end_dim", -1))
        return flatten(x, 0, -1)
    if name == "size" and not pos and not kw:
        return x.shape
    if name == "dim" and not pos:
        return x.rank
    raise Undetermined(f"the method .{name}() is not modelled")


def concatenate(items, axis) -> Tensor:
    """``torch.cat``/``np.concatenate``: the sizes along ``axis`` added, every other axis equal.

    >>> concatenate([Tensor((4, 3, 8, 8), "torch"), Tensor((4, 10, 8, 8), "torch")], 1).shape
    (4, 13, 8, 8)
    """
    if not isinstance(items, (list, tuple)) or not items or not all(isinstance(t, Tensor) for t in items) or not is_int(axis):
        raise Undetermined("concatenation of unknown tensors")
    rank = items[0].rank
    if any(t.rank != rank for t in items):
        raise Undetermined("concatenation of tensors of different ranks (the call would fail)")
    ax = axis % rank
    others = {tuple(v for i, v in enumerate(t.shape) if i != ax) for t in items}
    sizes = [t.shape[ax] for t in items]
    if len(others) != 1 or not all(is_int(v) for v in sizes):
        raise Undetermined("concatenation of tensors whose other sizes differ or are unknown")
    shape = list(items[0].shape)
    shape[ax] = sum(sizes)
    steps = tuple(dict.fromkeys(st for t in items for st in t.steps))
    return Tensor(tuple(shape), items[0].lib, steps, items[0].spatial)


def pad(x: Tensor, widths, style: str) -> Tensor:
    """``np.pad``/``tf.pad`` (``style`` ``"axes"``: one ``(before, after)`` per axis, or one pair/int for all) and
    ``F.pad`` (``style`` ``"torch"``: pairs from the last axis backwards): each axis grows by its two widths.

    >>> pad(Tensor((1, 4, 4, 1), "tf"), [[0, 0], [1, 0], [1, 0], [0, 0]], "axes").shape
    (1, 5, 5, 1)
    >>> pad(Tensor((1, 3, 8, 8), "torch"), (1, 2), "torch").shape
    (1, 3, 8, 11)
    """
    if not isinstance(x, Tensor) or not all(is_int(v) for v in x.shape):
        raise Undetermined("padding a tensor of unknown shape")
    if style == "torch":
        flat = int_tuple(widths, None, "pad")
        if len(flat) % 2 or len(flat) // 2 > x.rank:
            raise Undetermined(f"F.pad widths {flat} do not fit a rank-{x.rank} tensor")
        pairs = [(0, 0)] * (x.rank - len(flat) // 2) + [flat[i:i + 2] for i in range(len(flat) - 2, -1, -2)]
    elif is_int(widths):
        pairs = [(widths, widths)] * x.rank
    else:
        w = list(widths) if isinstance(widths, (list, tuple)) else None
        if w is not None and len(w) == 2 and all(is_int(v) for v in w):
            pairs = [tuple(w)] * x.rank
        elif w is not None and len(w) == x.rank:
            pairs = [int_tuple(p, 2, "pad width") for p in w]
        else:
            raise Undetermined("pad widths not understood")
    return x.with_shape(tuple(n + a + b for n, (a, b) in zip(x.shape, pairs)), "reshape", "pad")


def broadcast(a: Tensor, b: Tensor) -> Tensor:
    """``a + b`` (``*``, ``-``, ``/``) by NumPy's broadcasting: shapes aligned on the right, a size 1 stretches.

    >>> broadcast(Tensor((3, 3, 3, 3), "jax"), Tensor((3, 3, 1, 1), "jax")).shape
    (3, 3, 3, 3)
    """
    sa, sb = a.shape, b.shape
    n = max(len(sa), len(sb))
    sa, sb = (1,) * (n - len(sa)) + sa, (1,) * (n - len(sb)) + sb
    out = []
    for x, y in zip(sa, sb):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            raise Undetermined(f"shapes {a.shape} and {b.shape} do not broadcast (the code would fail)")
    steps = a.steps + tuple(st for st in b.steps if st not in a.steps)
    return Tensor(tuple(out), a.lib, steps, a.spatial if len(out) == a.rank else None)
