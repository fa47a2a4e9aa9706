r"""JAX's ``lax`` convolutions: ``conv``, ``conv_with_general_padding`` and ``conv_general_dilated`` with
``window_strides``, ``padding`` (``'SAME'``/``'VALID'``/``'SAME_LOWER'`` or one ``(lo, hi)`` pair per spatial
axis), ``lhs_dilation`` (the input's samples spread apart: a transposed convolution), ``rhs_dilation``,
``dimension_numbers`` (``None`` = ``('NCHW', 'OIHW', 'NCHW')``; three layout strings; or
``ConvDimensionNumbers`` of axis tuples) and ``feature_group_count``.

The spatial axes are taken in the order of the kernel's layout string (as JAX does), and strides, padding
and dilations follow that order.

>>> from proofs.code.values import Tensor
>>> x, w = Tensor((1, 200, 198, 3), "jax"), Tensor((3, 3, 3, 64), "jax")
>>> conv_general_dilated([x, w, (1, 1), "VALID"], {"dimension_numbers": ("NHWC", "HWIO", "NHWC")}).shape
(1, 198, 196, 64)
>>> conv_general_dilated([Tensor((1, 3, 5, 5), "jax"), Tensor((2, 3, 3, 3), "jax"), (1, 1), ((2, 2), (2, 2))],
...                      {"lhs_dilation": (2, 2)}).shape
(1, 2, 11, 11)
"""

from __future__ import annotations

from .binding import bind, need
from .through import through
from .values import Tensor, Undetermined, int_tuple, is_int

__all__ = ["conv_general_dilated", "FUNCTIONS", "dimension_numbers"]


def _default_specs(rank: int) -> tuple:
    sp = "HWDXYZ"[: rank - 2] if rank != 4 else "HW"
    return "NC" + sp, "OI" + sp, "NC" + sp


def dimension_numbers(dn, rank: int) -> tuple:
    """``(lhs, rhs, out)`` layout strings (or axis tuples) → per-role axes:
    ``(lhs_batch, lhs_feature, lhs_spatial, rhs_out, rhs_in, rhs_spatial, out_batch, out_feature, out_spatial)``.

    >>> dimension_numbers(("NHWC", "HWIO", "NHWC"), 4)
    (0, 3, (1, 2), 3, 2, (0, 1), 0, 3, (1, 2))
    """
    if dn is None:
        dn = _default_specs(rank)
    if isinstance(dn, dict):
        dn = (dn.get("lhs_spec"), dn.get("rhs_spec"), dn.get("out_spec"))
    if not (isinstance(dn, (tuple, list)) and len(dn) == 3):
        raise Undetermined("dimension_numbers is not three layouts")
    lhs, rhs, out = dn
    if all(isinstance(v, str) for v in dn):
        if not (len(lhs) == len(rhs) == len(out) == rank):
            raise Undetermined(f"dimension_numbers {tuple(dn)} do not fit rank {rank}")
        chars = [c for c in rhs if c not in "OI"]
        try:
            return (lhs.index("N"), lhs.index("C"), tuple(lhs.index(c) for c in chars), rhs.index("O"), rhs.index("I"),
                    tuple(rhs.index(c) for c in chars), out.index("N"), out.index("C"), tuple(out.index(c) for c in chars))
        except ValueError:
            raise Undetermined(f"dimension_numbers {tuple(dn)}: the spatial letters do not match") from None
    if all(isinstance(v, (tuple, list)) and all(is_int(i) for i in v) and len(v) == rank for v in dn):
        return (lhs[0], lhs[1], tuple(lhs[2:]), rhs[0], rhs[1], tuple(rhs[2:]), out[0], out[1], tuple(out[2:]))
    raise Undetermined("dimension_numbers not understood")


def conv_general_dilated(pos: list, kw: dict, name: str = "lax.conv_general_dilated") -> Tensor:
    """The output of ``lax.conv_general_dilated(*pos, **kw)``."""
    a = bind(name, pos, kw, ("lhs", "rhs", "window_strides", "padding", "lhs_dilation", "rhs_dilation",
                             "dimension_numbers", "feature_group_count", "batch_group_count"),
             {"lhs_dilation": None, "rhs_dilation": None, "dimension_numbers": None, "feature_group_count": 1,
              "batch_group_count": 1})
    x, w = need(a, "lhs", name), need(a, "rhs", name)
    if not (isinstance(x, Tensor) and isinstance(w, Tensor)) or x.rank != w.rank or not all(is_int(v) for v in w.shape):
        raise Undetermined(f"{name}: the input's or the kernel's shape is not known")
    lb, lf, ls, ro, ri, rs, ob, of, os_ = dimension_numbers(a["dimension_numbers"], x.rank)
    n = len(ls)
    groups, bgroups = a["feature_group_count"], a["batch_group_count"]
    if not (is_int(groups) and bgroups == 1):
        raise Undetermined(f"{name}: feature_group_count/batch_group_count not modelled")
    if is_int(x.shape[lf]) and x.shape[lf] != w.shape[ri] * groups:
        raise Undetermined(f"{name}: input features {x.shape[lf]} ≠ kernel's {w.shape[ri]} × groups {groups} "
                           "(the call would fail)")
    s = int_tuple(need(a, "window_strides", name), n, f"{name} window_strides")
    ld = (1,) * n if a["lhs_dilation"] is None else int_tuple(a["lhs_dilation"], n, "lhs_dilation")
    rd = (1,) * n if a["rhs_dilation"] is None else int_tuple(a["rhs_dilation"], n, "rhs_dilation")
    p = need(a, "padding", name)
    if isinstance(p, str):
        if p.upper() not in ("SAME", "VALID", "SAME_LOWER"):
            raise Undetermined(f"{name}: padding {p!r}")
        pads = [p.upper()] * n
    elif isinstance(p, (tuple, list)) and len(p) == n:
        pads = [tuple(int_tuple(q, 2, f"{name} padding")) for q in p]
    else:
        raise Undetermined(f"{name}: padding {p!r} is not a string or one pair per spatial axis")
    # the output's axes: reorder the input's shape into the output's layout first
    shape = [None] * x.rank
    shape[ob], shape[of] = x.shape[lb], w.shape[ro]
    for i in range(n):
        shape[os_[i]] = x.shape[ls[i]]
    moved = Tensor(tuple(shape), x.lib, x.steps, x.spatial)
    return through(moved, "conv", channel=None, spatial=os_, kernel=tuple(w.shape[r] for r in rs), stride=s,
                   padding=pads, dilation=rd, lhs_dilation=ld, name=name,
                   kind="conv_transpose" if set(ld) != {1} else None)


def _conv(pos, kw):
    a = bind("lax.conv", pos, kw, ("lhs", "rhs", "window_strides", "padding"), {})
    return conv_general_dilated([a.get("lhs"), a.get("rhs"), a.get("window_strides"), a.get("padding")], {}, "lax.conv")


def _general_padding(pos, kw):
    a = bind("lax.conv_with_general_padding", pos, kw, ("lhs", "rhs", "window_strides", "padding", "lhs_dilation",
                                                        "rhs_dilation"), {"lhs_dilation": None, "rhs_dilation": None})
    return conv_general_dilated([a.get("lhs"), a.get("rhs"), a.get("window_strides"), a.get("padding"),
                                 a["lhs_dilation"], a["rhs_dilation"]], {}, "lax.conv_with_general_padding")


#: ``jax.lax`` functions → handler(pos, kw)
FUNCTIONS = {"conv_general_dilated": conv_general_dilated, "conv": _conv, "conv_with_general_padding": _general_padding}
