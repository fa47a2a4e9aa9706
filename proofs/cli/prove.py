"""``convproof prove``: run a property or a measurement, print the verdict and the evidence.

The examples and exit statuses are in :data:`EXAMPLES` and ``convproof prove --help``.
``--format json`` prints one object: ``{"property", "op", "holds" (bool, or null for a
measurement), "verdict", "status" (CORRECT, INCORRECT, CONDITIONAL, MEASURED or ERROR),
"condition", "counterexample", "measurements", "evidence", "reference", "error"}``.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["register", "run", "PROPERTIES", "OPS"]

PROPERTIES = ("equivariance", "invariance", "receptive-field", "erf", "shift-consistency")
OPS = ("conv2d", "max_pool2d", "avg_pool2d", "global_avg_pool2d", "global_max_pool2d")


EXAMPLES = (
    ("convproof prove equivariance conv2d", "a circular stride-1 conv: holds"),
    ("convproof prove equivariance conv2d --stride 2", "holds only for shifts that are multiples of 2; exit 1"),
    ("convproof prove invariance max_pool2d --kernel-size 2 --stride 2", "not invariant: a counterexample; exit 1"),
    ("convproof prove invariance global_avg_pool2d --layers 3", "circular conv stack + global pooling: holds"),
    ("convproof prove receptive-field conv2d --layers 3 --stride 2 --plot rf.png", "gradient support = derive"),
    ("convproof prove erf conv2d --depths 1,2,4,8,16 --format json --plot erf.png", "measured: exponent about 0.5"),
    ("convproof prove shift-consistency conv2d", "measured: how far from equivariant a strided conv is"),
)

#: the properties that draw examples with Hypothesis (the others are measurements)
NEEDS_HYPOTHESIS = ("equivariance", "invariance")


def _integer(text: str) -> int:
    """An integer option (argparse prints ``argument --size: must be an integer, got 'x'``).

    >>> _integer("3")
    3
    >>> _integer("x")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be an integer, got 'x'
    """
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None


def register(subparsers) -> None:
    """Add the ``prove`` verb."""
    from .help import add_verb

    p = add_verb(
        subparsers, "prove",
        summary="check an equivariance/invariance property or measure RF/ERF",
        description="Run a property with Hypothesis (equivariance, invariance: CORRECT, INCORRECT with the\n"
                    "smallest counterexample, or CONDITIONAL with the condition under which it holds) or a\n"
                    "measurement (receptive-field, erf, shift-consistency: MEASURED, with the numbers).\n"
                    "Property checks need Hypothesis (pip install hypothesis).",
        examples=EXAMPLES,
        exit_status="0  the property holds, or a measurement was made\n"
                    "1  the property does not hold, or holds only under a condition (a counterexample\n"
                    "   is printed), or the function under test failed\n"
                    "2  bad options (the message names the option and the allowed values)",
    )
    p.add_argument("property", choices=PROPERTIES, metavar="PROPERTY", help=f"one of: {', '.join(PROPERTIES)}")
    p.add_argument("op", choices=OPS, metavar="OP", help=f"one of: {', '.join(OPS)}")
    p.add_argument("--kernel-size", "-k", type=_integer, metavar="N", default=None,
                   help="kernel / window side (default 3 conv, 2 pool)")
    p.add_argument("--stride", "-s", type=_integer, metavar="N", default=None,
                   help="stride (default 1 conv, kernel size for pooling)")
    p.add_argument("--padding", "-p", type=_integer, metavar="N", default=None,
                   help="padding (default d(k-1)/2 for conv, 0 for pooling)")
    p.add_argument("--dilation", "-d", type=_integer, metavar="N", default=1, help="dilation (default 1)")
    p.add_argument("--padding-mode", choices=("zeros", "circular"), default="circular",
                   help="conv2d padding mode (default circular)")
    p.add_argument("--size", type=_integer, metavar="N", default=8, help="input height = width (default 8)")
    p.add_argument("--channels", type=_integer, metavar="N", default=1, help="channels (default 1)")
    p.add_argument("--layers", type=_integer, metavar="N", default=1,
                   help="number of stacked layers (receptive-field, invariance)")
    p.add_argument("--max-shift", type=_integer, metavar="N", default=None,
                   help="largest |shift| tried (default: depends on the property)")
    p.add_argument("--max-examples", type=_integer, metavar="N", default=25, help="Hypothesis examples (default 25)")
    p.add_argument("--seed", type=_integer, metavar="N", default=0, help="seed of the weights and measurements (default 0)")
    p.add_argument("--depths", default="1,2,4,8,16,32", metavar="N,N,...",
                   help="erf: comma-separated depths (default 1,2,4,8,16,32)")
    p.add_argument("--weights", choices=("uniform", "random"), default="uniform",
                   help="erf: weights of the stack (default uniform)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--plot", metavar="FILE.png", default=None,
                   help="write a figure (PNG, or any format matplotlib knows)")
    p.set_defaults(func=run)


def _positive(name: str, value: int | None, minimum: int = 1) -> None:
    if value is not None and value < minimum:
        raise ValueError(f"--{name} must be >= {minimum}, got {value}")


def _conv_config(args, size=None, channels=None):
    from proofs.configs import Conv2dConfig

    k = 3 if args.kernel_size is None else args.kernel_size
    s = 1 if args.stride is None else args.stride
    p = args.dilation * (k - 1) // 2 if args.padding is None else args.padding
    size = args.size if size is None else size
    c = args.channels if channels is None else channels
    return Conv2dConfig(1, c, c, size, size, k, s, p, args.dilation, 1, args.padding_mode)


def _pool_config(args):
    from proofs.configs import Pool2dConfig

    kind = "max" if args.op.startswith("max") else "avg"
    k = 2 if args.kernel_size is None else args.kernel_size
    s = k if args.stride is None else args.stride
    return Pool2dConfig(kind, 1, args.channels, args.size, args.size, k, s, 0 if args.padding is None else args.padding)


def _stack(args):
    """``--layers`` same-size layers; the input shrinks by the stride at each one."""
    configs, size = [], args.size
    for _ in range(args.layers):
        c = _conv_config(args, size=size)
        configs.append(c)
        size = c.output_shape[2]
        if size < 1:
            raise ValueError(f"--layers {args.layers} with stride {c.stride} leaves no output of a {args.size} input")
    return configs


def _compute(args):
    from proofs import properties as P

    prop, op = args.property, args.op
    if prop == "erf":
        if op != "conv2d":
            raise ValueError("erf is measured on stacks of 3x3 conv2d layers: use `prove erf conv2d`")
        try:
            depths = [int(v) for v in args.depths.split(",") if v.strip()]
        except ValueError:
            raise ValueError(f"--depths must be comma-separated integers, got {args.depths!r}") from None
        return P.effective_receptive_field(depths=depths, weights=args.weights, seed=args.seed)
    if prop == "shift-consistency":
        return P.shift_consistency(seed=args.seed)
    if prop == "receptive-field":
        if op == "conv2d":
            layers = _stack(args)
        elif op in ("max_pool2d", "avg_pool2d"):
            layers = [_pool_config(args)] * args.layers
        else:
            raise ValueError(f"{op} has no finite receptive field (it sees the whole input)")
        return P.measure_receptive_field(layers, seed=args.seed)
    if prop == "equivariance":
        if op == "conv2d":
            return P.conv_equivariance(_conv_config(args), max_shift=args.max_shift, seed=args.seed,
                                       max_examples=args.max_examples)
        if op in ("max_pool2d", "avg_pool2d"):
            return P.pool_equivariance(_pool_config(args), max_shift=args.max_shift, max_examples=args.max_examples)
        raise ValueError(f"{op} removes the spatial axes: use `prove invariance {op}`")
    # invariance
    if op in ("max_pool2d", "avg_pool2d"):
        return P.pool_window_invariance(_pool_config(args), max_examples=args.max_examples)
    if op == "global_avg_pool2d":
        if args.padding_mode != "circular":
            raise ValueError("global_avg_pool2d invariance is stated after a circular conv stack: "
                             "use --padding-mode circular")
        return P.global_pool_invariance(_stack(args), seed=args.seed, max_examples=args.max_examples)
    if op == "global_max_pool2d":
        return P.global_max_zero_shift((1, args.channels, args.size, args.size),
                                       max_shift=args.max_shift or 2, max_examples=args.max_examples)
    cfg = _conv_config(args)
    from proofs.properties.networks import conv_fn

    return P.check_invariance(conv_fn(cfg, seed=args.seed), input_shape=cfg.input_shape,
                              shift=range(-(args.max_shift or 2), (args.max_shift or 2) + 1),
                              max_examples=args.max_examples, name="conv2d invariance")


def run(args) -> int:
    """Compute, print (text or JSON), plot; return 0 (holds / measured) or 1 (does not hold)."""
    for name in ("kernel_size", "stride", "dilation", "size", "channels", "layers", "max_examples"):
        _positive(name.replace("_", "-"), getattr(args, name))
    _positive("padding", args.padding, 0)
    _positive("max-shift", args.max_shift, 0)
    if args.property in NEEDS_HYPOTHESIS:
        from proofs.properties.hypothesis_import import require_hypothesis

        require_hypothesis(f"convproof prove {args.property}")
    result = _compute(args)
    if args.plot:
        from proofs.properties.plots import plot_result

        if result.counterexample is None and "maps" not in result.details and "support" not in result.details:
            print(f"convproof prove: nothing to plot ({result.name} has no counterexample)", file=sys.stderr)
        else:
            plot_result(result, args.plot)
    if args.format == "json":
        out = {"property": args.property, "op": args.op, **result.to_dict()}
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(result.summary())
        if args.plot:
            print(f"figure: {args.plot}")
    return 1 if result.holds is False else 0
