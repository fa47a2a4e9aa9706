r"""``convproof shape | params | rf``: calculators for one layer or a whole network.

A *target* is one of

- a single operator given by flags — ``conv``, ``conv_transpose``, ``max_pool``,
  ``avg_pool`` (and for ``params``: ``linear``, ``batchnorm``, ``separable``);
  every numeric flag takes an integer or a symbol name::

      convproof shape conv --size H --kernel-size k --stride s --padding P --dilation d --derivation
      convproof params conv --in-channels C_in --out-channels C_out --kernel-size k
      convproof rf conv --kernel-size k --stride 1 --layers L     # a uniform stack of L layers

- a named network (``lenet5``, ``alexnet``, ``vgg16``, ``resnet18``, ``resnet50``)
  with an optional ``--input 3,H,W``::

      convproof params vgg16                  # prints 138,357,544
      convproof shape resnet18 --input 3,H,W  # every output size as a formula in H, W

- a TOML spec file (format in :mod:`derive.sizes.spec_file`).

``--format text`` (default) prints a rich table; ``json``, ``md`` and ``tex``
print machine-readable, Markdown and LaTeX versions. Exit status 0, or 2 on
bad input (the error names the rule and the numbers).

>>> main_args = ["shape", "conv", "--size", "32", "--kernel-size", "3", "--padding", "1"]
>>> from proofs.cli.main import main
>>> main(main_args + ["--format", "json"])  # doctest: +ELLIPSIS
{
  "op": "conv",
  ...
  "value": 32
}
0
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = ["register", "run_shape", "run_params", "run_rf", "OPERATORS"]

#: operators accepted by ``shape`` (and ``rf``)
OPERATORS = ("conv", "conv_transpose", "max_pool", "avg_pool")
#: single layers accepted by ``params``
PARAM_LAYERS = ("conv", "conv_transpose", "linear", "batchnorm", "separable")
FORMATS = ("text", "json", "md", "tex")
#: padding words that are not symbol names here (modes of other libraries), refused with a clear message
OTHER_PADDING_MODES = ("full", "half", "causal", "reflect", "circular", "replicate", "zeros")


# -- argument parsing ------------------------------------------------------------------------------
SHAPE_EXAMPLES = (
    ("convproof shape conv --size H --kernel-size k --stride s --padding P --dilation d --derivation",
     "the formula and its checked derivation"),
    ("convproof shape conv --size 224 --kernel-size 7 --stride 2 --padding 3", "112"),
    ("convproof shape max_pool --size 7 --kernel-size 2 --stride 2 --ceil-mode", "4"),
    ("convproof shape conv --size H --kernel-size 3 --stride 2 --padding SAME", "TensorFlow SAME: ceil(H/2)"),
    ("convproof shape resnet18 --input 3,H,W", "every output size as a formula in H, W"),
)
PARAMS_EXAMPLES = (
    ("convproof params vgg16", "138,357,544"),
    ("convproof params conv --in-channels 64 --out-channels 128 --kernel-size 3", "73,856"),
    ("convproof params separable --kernel-size k --no-bias --derivation", "and the ratio to a standard conv"),
    ("convproof params examples/specs/tiny_cnn.toml --format md", "a Markdown table of a TOML spec"),
)
RF_EXAMPLES = (
    ("convproof rf conv --kernel-size k --layers L", "closed form of a uniform stack"),
    ("convproof rf conv --kernel-size 3 --stride 2 --layers 4 --format json", "numbers"),
    ("convproof rf examples/specs/symbolic_stack.toml", "a network's trunk, from a TOML spec"),
    ("convproof rf resnet50", "a named network"),
)
_TARGETS = ("TARGET is an operator ({ops}),\n"
            "a network (lenet5, alexnet, vgg16, resnet18, resnet50) or a TOML spec file.\n"
            "Numeric options take an integer or a symbol name (kept general).")
_EXIT = "0  done\n2  bad input (the message names the option, the rule and the numbers)"


def _add_target(p, operators) -> None:
    p.add_argument("target", metavar="TARGET",
                   help=f"an operator ({', '.join(operators)}), a network name or a .toml spec")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("--input", metavar="C,H,W", help="network input shape, e.g. 3,224,224 or 3,H,W")


def _add_kernel(p) -> None:
    p.add_argument("--kernel-size", "-k", dest="kernel_size", default="k", metavar="N|SYM",
                   help="kernel size (default k)")
    # the spelling of earlier versions, kept as a quiet alias
    p.add_argument("--kernel", dest="kernel_size", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _add_geometry(p) -> None:
    p.add_argument("--stride", default=None, metavar="N|SYM", help="stride (default 1; pooling: the kernel size)")
    p.add_argument("--padding", default="0", metavar="P",
                   help="padding: int, symbol, 'l,r' per side, or SAME / VALID / SAME_LOWER (default 0)")
    p.add_argument("--dilation", default="1", metavar="N|SYM", help="dilation (default 1)")


def _add_derivation(p) -> None:
    p.add_argument("--derivation", action="store_true", help="also print the checked derivation")


def register(subparsers) -> None:
    """Add ``shape``, ``params`` and ``rf`` to the ``convproof`` parser, each with the options it uses."""
    from .help import add_verb

    shape = add_verb(subparsers, "shape", summary="output size of a layer, or the shapes through a network",
                     description="Output size of one operator (a formula when an option is a symbol) or the output\n"
                                 "shape of every layer of a network.\n" + _TARGETS.format(ops=", ".join(OPERATORS)),
                     examples=SHAPE_EXAMPLES, exit_status=_EXIT)
    _add_target(shape, OPERATORS)
    shape.add_argument("--size", default="H", metavar="N|SYM", help="input size along one dimension (default H)")
    _add_kernel(shape)
    _add_geometry(shape)
    shape.add_argument("--output-padding", default="0", metavar="N|SYM",
                       help="conv_transpose output padding (default 0)")
    shape.add_argument("--ceil-mode", action="store_true", help="pooling: PyTorch's ceil_mode")
    _add_derivation(shape)
    shape.set_defaults(func=run_shape)

    params = add_verb(subparsers, "params", summary="parameter count and MACs of a layer or a network",
                      description="Learnable parameters (and buffers, MACs, FLOPs = 2 MACs) of one layer or of a\n"
                                  "network.\n" + _TARGETS.format(ops=", ".join(PARAM_LAYERS)),
                      examples=PARAMS_EXAMPLES, exit_status=_EXIT)
    _add_target(params, PARAM_LAYERS)
    params.add_argument("--in-channels", default="C_in", metavar="N|SYM",
                        help="input channels / features (default C_in)")
    params.add_argument("--out-channels", default="C_out", metavar="N|SYM",
                        help="output channels / features (default C_out)")
    _add_kernel(params)
    params.add_argument("--groups", default="1", metavar="N|SYM", help="conv groups (default 1)")
    params.add_argument("--no-bias", action="store_true", help="layer without bias")
    _add_derivation(params)
    params.set_defaults(func=run_params)

    rf = add_verb(subparsers, "rf", summary="receptive field, jump and start of a stack",
                  description="Receptive field (size), jump (effective stride) and start (first input pixel seen by\n"
                              "output 0) of a network's convolutional trunk, or of a uniform stack of --layers\n"
                              "identical layers.\n" + _TARGETS.format(ops=", ".join(OPERATORS)),
                  examples=RF_EXAMPLES, exit_status=_EXIT)
    _add_target(rf, OPERATORS)
    _add_kernel(rf)
    _add_geometry(rf)
    rf.add_argument("--layers", default="1", metavar="N|SYM",
                    help="number of identical layers (e.g. 4, or L; default 1)")
    _add_derivation(rf)
    rf.set_defaults(func=run_rf)


def _value(text: str, role: str, what: str):
    from derive.sizes.symbols import as_size_expr

    text = str(text).strip()
    if text.lstrip("-").isdigit():
        return as_size_expr(int(text), role, what)
    return as_size_expr(text, role, what)  # an identifier becomes a symbol; anything else is refused


def _padding(text: str):
    text = str(text).strip()
    if text.upper() in ("SAME", "VALID", "SAME_LOWER"):
        return text.upper()
    if text.lower() in OTHER_PADDING_MODES:
        raise ValueError(f"--padding: {text!r} is a padding mode of other libraries; give an int, a symbol name, "
                         "'left,right', or one of SAME, VALID, SAME_LOWER")
    if "," in text:
        parts = [t for t in text.split(",")]
        if len(parts) != 2:
            raise ValueError(f"--padding: a per-side padding is 'left,right', got {text!r}")
        return tuple(_value(p, "padding", "padding") for p in parts)
    return _value(text, "padding", "padding")


def _input_shape(text):
    if text is None:
        return None
    return tuple(_value(t, "size", "--input") for t in text.split(","))


def _is_operator(target: str) -> bool:
    return target in OPERATORS or target in PARAM_LAYERS


def _network(args):
    """The network named or described by ``args.target`` (or None for a single operator)."""
    from derive.nets import NETWORKS, get_network, network_key
    from derive.sizes.spec_file import load_spec

    target = args.target
    shape = _input_shape(args.input)
    if target.endswith(".toml") or Path(target).is_file():
        net = load_spec(target)
        if shape is not None:
            net.input_shape = shape
        return net
    try:
        key = network_key(target)  # the names derive.nets knows, aliases included ("shufflenet_v2", "inception_v1")
    except (KeyError, ValueError, TypeError):
        key = target.lower().replace("-", "").replace("_", "")
    if key in NETWORKS:
        return get_network(target, **({"input_shape": shape} if shape is not None else {}))
    raise ValueError(f"unknown target {target!r}: expected an operator ({', '.join(OPERATORS)}), "
                     f"a network ({', '.join(sorted(NETWORKS))}) or a .toml spec file")


def _console():
    import sys

    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 160)


# -- rendering ----------------------------------------------------------------------------------------
def _u(expr) -> str:
    from derive.sizes.pretty import unicode_formula

    return unicode_formula(expr)


def _jsonable(expr):
    expr = sp.sympify(expr, strict=True)  # derive results only; strict refuses strings
    return int(expr) if expr.is_Integer else sp.sstr(expr)


def _print_derivation(der, fmt: str) -> None:
    der.verify()
    if fmt == "tex":
        print(der.to_align())
    elif fmt == "md":
        print(der.to_markdown())
    else:
        print(der.to_text())


def _print_kv(title: str, rows: list[tuple[str, str]], fmt: str) -> None:
    if fmt == "md":
        print(f"**{title}**\n\n| quantity | value |\n|---|---|")
        for k, v in rows:
            print(f"| {k} | {v} |")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title)
        table.add_column("quantity")
        table.add_column("value")
        for k, v in rows:
            table.add_row(k, v)
        _console().print(table)


def _network_report(net, args, verb: str) -> int:
    from derive.sizes.pretty import shape_text

    rows = net.table()
    totals = net.totals()
    trunk = net.receptive_field()
    if args.format == "json":
        out = {
            "network": net.name,
            "input_shape": [_jsonable(v) for v in net._input(None)],
            "layers": [{"name": r.name, "type": r.kind, "output_shape": [_jsonable(v) for v in r.output_shape],
                        "params": _jsonable(r.params), "macs": _jsonable(r.macs),
                        "rf": None if r.rf is None else [_jsonable(v) for v in r.rf]} for r in rows],
            "params": _jsonable(totals["params"]), "buffers": _jsonable(totals["buffers"]),
            "macs": _jsonable(totals["macs"]), "flops": _jsonable(totals["flops"]),
            "output_shape": [_jsonable(v) for v in totals["output_shape"]],
            "receptive_field": {"size": [_jsonable(v) for v in trunk.size], "jump": [_jsonable(v) for v in trunk.jump],
                                "start": [_jsonable(v) for v in trunk.start]},
        }
        print(json.dumps(out, indent=2))
        return 0
    summary = {
        "shape": [("output shape", shape_text(totals["output_shape"]))],
        "params": [("parameters", _u(totals["params"])), ("buffers", _u(totals["buffers"])),
                   ("MACs", _u(totals["macs"])), ("FLOPs (= 2 MACs)", _u(totals["flops"]))],
        "rf": [("receptive field", shape_text(trunk.size)), ("jump", shape_text(trunk.jump)),
               ("start", shape_text(trunk.start))],
    }[verb]
    if args.format == "tex":
        print(r"\begin{tabular}{llrrrl}")
        print(r"layer & type & output shape & params & MACs & RF \\ \hline")
        for r in rows:
            shape = "$(" + ", ".join(sp.latex(v) for v in r.output_shape) + ")$"
            rf = "" if r.rf is None else "$" + r"\times ".join(sp.latex(v) for v in r.rf) + "$"
            print(f"{r.name.replace('_', chr(92) + '_')} & {r.kind} & {shape} & ${sp.latex(r.params)}$ & "
                  f"${sp.latex(r.macs)}$ & {rf} \\\\")
        print(r"\hline")
        for k, v in summary:
            print(f"\\multicolumn{{6}}{{l}}{{{k}: {v.replace(',', '{,}')}}} \\\\")
        print(r"\end{tabular}")
        return 0
    if args.format == "md":
        print(f"**{net.name}**\n\n| layer | type | output shape | params | MACs | RF |\n|---|---|---|---:|---:|---|")
        for r in rows:
            rf = "" if r.rf is None else "×".join(_u(v) for v in r.rf)
            print(f"| {r.name} | {r.kind} | {shape_text(r.output_shape)} | {_u(r.params)} | {_u(r.macs)} | {rf} |")
        print()
        for k, v in summary:
            print(f"- **{k}**: {v}")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{net.name}, input {shape_text(net._input(None))}")
    for col, just in (("layer", "left"), ("type", "left"), ("output shape", "left"), ("params", "right"),
                      ("MACs", "right"), ("RF", "left")):
        table.add_column(col, justify=just)
    for r in rows:
        table.add_row(r.name, r.kind, shape_text(r.output_shape), _u(r.params), _u(r.macs),
                      "" if r.rf is None else "×".join(_u(v) for v in r.rf))
    console = _console()
    console.print(table)
    for k, v in summary:
        console.print(f"{k}: [bold]{v}[/bold]", highlight=False)
    return 0


# -- verbs ---------------------------------------------------------------------------------------------
def _op_arguments(args):
    op = args.target
    kernel = _value(args.kernel_size, "kernel", "--kernel-size")
    pooling = op in ("max_pool", "avg_pool")
    stride_text = args.stride if args.stride is not None else (args.kernel_size if pooling else "1")
    return dict(op=op, size=_value(getattr(args, "size", "H"), "size", "--size"), kernel_size=kernel,
                stride=_value(stride_text, "stride", "--stride"), padding=_padding(args.padding),
                dilation=_value(args.dilation, "dilation", "--dilation"),
                output_padding=_value(getattr(args, "output_padding", "0"), "output_padding", "--output-padding"),
                ceil_mode=getattr(args, "ceil_mode", False))


def run_shape(args) -> int:
    """``convproof shape``: output size of one operator, or shapes through a network."""
    if args.target not in OPERATORS:
        if _is_operator(args.target):
            raise ValueError(f"shape: {args.target!r} has no spatial size to compute; use one of {list(OPERATORS)}")
        return _network_report(_network(args), args, "shape")
    from derive import output_size, output_size_derivation

    kw = _op_arguments(args)
    value = output_size(**kw)
    if args.format == "json":
        out = {"op": kw["op"], "arguments": {k: (_jsonable(v) if not isinstance(v, (str, tuple, bool)) else
                                                 (list(map(_jsonable, v)) if isinstance(v, tuple) else v))
                                             for k, v in kw.items() if k != "op"},
               "formula": sp.sstr(value), "latex": sp.latex(value), "value": _jsonable(value)}
        if args.derivation:
            der = _derivation_for(kw, output_size_derivation)
            der.verify()
            out["derivation"] = [{"lhs": sp.sstr(s.lhs), "relation": s.relation, "rhs": sp.sstr(s.rhs),
                                  "why": s.why, "status": s.status} for s in der.steps]
        print(json.dumps(out, indent=2))
        return 0
    if args.format == "tex":
        print(r"\[ H_{\mathrm{out}} = " + sp.latex(value) + r" \]")
    elif args.format == "md":
        print(f"$$ H_{{\\mathrm{{out}}}} = {sp.latex(value)} $$")
    else:
        from rich.console import Console

        _console().print(f"{kw['op']}: H_out = [bold]{_u(value)}[/bold]", highlight=False)
    if args.derivation:
        _print_derivation(_derivation_for(kw, output_size_derivation), args.format)
    return 0


def _derivation_for(kw, output_size_derivation):
    from derive.sizes import symbols as S

    general = {"size": S.H, "kernel_size": S.k, "stride": S.s, "dilation": S.d, "output_padding": S.o_p}
    given = {k: (None if kw[k] == general[k] else kw[k]) for k in general}
    pad = kw["padding"]
    if pad == S.P:
        pad = None
    if kw["op"] != "conv_transpose":
        given["output_padding"] = None
    return output_size_derivation(kw["op"], given["size"], given["kernel_size"], given["stride"], pad,
                                  given["dilation"], output_padding=given["output_padding"], ceil_mode=kw["ceil_mode"])


def _single_layer(args):
    from derive import layers as L

    op = args.target
    cin = _value(args.in_channels, "channels", "--in-channels")
    cout = _value(args.out_channels, "channels", "--out-channels")
    kernel = _value(args.kernel_size, "kernel", "--kernel-size")
    bias = not args.no_bias
    if op == "conv":
        return L.Conv2d(cin, cout, kernel, groups=_value(args.groups, "channels", "--groups"), bias=bias)
    if op == "conv_transpose":
        return L.ConvTranspose2d(cin, cout, kernel, groups=_value(args.groups, "channels", "--groups"), bias=bias)
    if op == "linear":
        return L.Linear(cin, cout, bias=bias)
    if op == "batchnorm":
        return L.BatchNorm2d(cin)
    if op == "separable":
        return L.DepthwiseSeparableConv2d(cin, cout, kernel, bias=bias)
    raise ValueError(f"params: {op!r} has no parameters; single layers: {list(PARAM_LAYERS)}")


def run_params(args) -> int:
    """``convproof params``: parameters (and MACs) of one layer or of a network."""
    if not _is_operator(args.target):
        return _network_report(_network(args), args, "params")
    layer = _single_layer(args)
    rows = [("parameters", _u(layer.params)), ("buffers", _u(layer.buffers))]
    if args.format == "json":
        print(json.dumps({"layer": repr(layer), "params": _jsonable(layer.params), "buffers": _jsonable(layer.buffers),
                          "param_shapes": {k: [_jsonable(x) for x in v] for k, v in layer.param_shapes.items()},
                          "latex": sp.latex(layer.params)}, indent=2))
    elif args.format == "tex":
        print(r"\[ " + layer._latex(LatexPrinter()) + r":\quad n_{\mathrm{params}} = "
              + sp.latex(layer.params) + r" \]")
    else:
        _print_kv(repr(layer), rows + [(f"{k} shape", "(" + ", ".join(_u(x) for x in v) + ")")
                                       for k, v in layer.param_shapes.items()], args.format)
    if args.derivation:
        from derive import conv_params_derivation, separable_ratio_derivation

        der = separable_ratio_derivation() if args.target == "separable" else conv_params_derivation()
        _print_derivation(der, args.format)
    return 0


def run_rf(args) -> int:
    """``convproof rf``: receptive field of a network's trunk or of ``--layers`` identical layers."""
    if args.target not in OPERATORS:
        if _is_operator(args.target):
            raise ValueError(f"rf: {args.target!r} has no receptive field; use one of {list(OPERATORS)}")
        return _network_report(_network(args), args, "rf")
    from derive import receptive_field, receptive_field_derivation
    from derive.sizes import symbols as S

    kw = _op_arguments(args)
    if isinstance(kw["padding"], (str, tuple)):
        raise ValueError("rf: give a symmetric --padding (an int or a symbol)")
    depth = _value(args.layers, "size", "--layers")
    geo = (kw["kernel_size"], kw["stride"], kw["padding"], kw["dilation"])
    if depth.is_Integer:
        if depth > 64:
            raise ValueError(f"rf: --layers {depth} is too many to unroll; give a symbol (e.g. L) for the closed form")
        rf = receptive_field([geo] * int(depth))
        size, jump, start, der = rf.size, rf.jump, rf.start, rf.derivation
    else:
        der = receptive_field_derivation(uniform=True)
        values = {S.L: depth, S.k: kw["kernel_size"], S.s: kw["stride"], S.d: kw["dilation"], S.P: kw["padding"]}
        closed = der.steps[5].rhs  # the closed form r_L (regrouped)
        start_closed = der.steps[8].rhs
        size = sp.piecewise_fold(closed.xreplace(values))
        jump = kw["stride"] ** depth
        start = sp.piecewise_fold(start_closed.xreplace(values))
    if args.format == "json":
        out = {"layers": _jsonable(depth), "size": _jsonable(size), "jump": _jsonable(jump), "start": _jsonable(start)}
        print(json.dumps(out, indent=2))
        return 0
    if args.format == "tex":
        print(r"\[ r = " + sp.latex(size) + r",\quad j = " + sp.latex(jump) + r",\quad u = " + sp.latex(start) + r" \]")
    else:
        _print_kv(f"{_u(depth)} × {kw['op']}(k={_u(kw['kernel_size'])}, s={_u(kw['stride'])}, "
                  f"p={_u(kw['padding'])}, d={_u(kw['dilation'])})",
                  [("receptive field", _u(size)), ("jump", _u(jump)), ("start", _u(start))], args.format)
    if args.derivation:
        _print_derivation(der, args.format)
    return 0
