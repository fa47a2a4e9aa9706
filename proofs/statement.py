r"""One statement model for everything a document asserts, and one procedure that decides it.

A :class:`Statement` is what a formula, a worked example, a table row or a sentence asserts about a
quantity of a configuration: *the layer with 128 filters of size 3×3 on a 64-channel input, each with
its bias, has 73,792 parameters*. :func:`decide` computes the truth from the configuration with
``derive`` (:mod:`derive.layers`) — never from a typed copy of the formula — and returns a
:class:`~proofs.judge.judgement.Judgement`:

* the configuration may leave parts open (bias, padding counted per side or in total, a kernel of one
  or two dimensions); every plausible completion is tried;
* CORRECT when the value is the truth under the completions the document states (or the only one that
  matches); CONDITIONAL "holds without bias" when it is the bias-free count of a layer that has a bias;
  INCORRECT when every plausible completion disagrees (the counterexample names the one used);
  UNRECOGNIZED when the configuration is not complete enough to decide.

Examples
--------
>>> s = Statement("param_count", {"channels_in": 64, "channels_out": 128, "kernel": (3, 3)}, 73792, bias=True)
>>> j = decide(s)
>>> j.verdict, j.expected
('INCORRECT', '73856')
>>> decide(Statement("param_count", {"channels_in": 64, "channels_out": 128, "kernel": (3, 3)}, 73728, bias=True)).condition
'holds without bias'
>>> decide(Statement("param_count", {"channels_in": 64, "channels_out": 128, "kernel": 3}, 73856)).verdict
'CORRECT'
>>> decide(Statement("output_size", {"input_size": 32, "kernel": 5, "padding": 2, "stride": 1}, 32)).verdict
'CORRECT'
>>> decide(Statement("output_size", {"input_size": 32, "kernel": 5}, 30)).verdict
'INCORRECT'
>>> decide(Statement("output_size", {"input_size": (224, 224), "kernel": 2, "stride": 2}, 12544)).explanation[-22:]
'with counted=positions'
>>> decide(Statement("param_count", {"channels_in": 64}, 5)).verdict
'UNRECOGNIZED'
>>> decide(Statement("memory", {"tensor_shape": (64, 56, 56), "bytes": 4}, 802816)).verdict
'CORRECT'
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

from .judge.judgement import Judgement

__all__ = ["QUANTITIES", "Statement", "decide"]

#: what each quantity needs from the configuration (the rest has defaults or is searched)
QUANTITIES = {
    "param_count": ("channels_in", "channels_out", "kernel"),
    "output_size": ("input_size", "kernel"),
    "macs": ("channels_in", "channels_out", "kernel", "input_size"),
    # activation memory: a tensor's entries times the bytes of one value (float32: 4)
    "memory": ("tensor_shape", "bytes"),
}


@dataclass(frozen=True)
class Statement:
    """A quantity of a configuration and what the document asserts about it.

    Attributes
    ----------
    quantity : one of :data:`QUANTITIES`.
    configuration : role -> value (``kernel``/``input_size`` an int or a per-dimension tuple).
    asserted : the value the document gives.
    bias : True/False when the document says whether the layer has a bias, None when it does not.
    padding : ``"per_side"``, ``"total"`` or None (both tried).
    conditions : conditions the document states with it.
    evidence : where the configuration was read (for the explanation).
    """

    quantity: str
    configuration: dict
    asserted: object
    bias: bool | None = None
    padding: str | None = None
    conditions: tuple = ()
    evidence: str = ""
    dims: tuple = field(default=(1, 2))

    def __post_init__(self):
        if self.quantity not in QUANTITIES:
            raise ValueError(f"Statement: quantity must be one of {', '.join(QUANTITIES)}, got {self.quantity!r}")


def _layer(conf: dict, ndim: int, bias: bool, padding_per_side):
    from derive import layers

    def per_dim(v):
        if isinstance(v, tuple):
            return v if len(v) == ndim else None
        return (v,) * ndim

    kernel = per_dim(conf["kernel"])
    if kernel is None:
        return None
    cls = layers.Conv1d if ndim == 1 else layers.Conv2d
    return cls(conf["channels_in"], conf["channels_out"], kernel if ndim > 1 else kernel[0],
               stride=conf.get("stride", 1), padding=padding_per_side, dilation=conf.get("dilation", 1), bias=bias)


def _output_size(conf: dict, padding_total: int) -> int | None:
    from derive.sizes.output_size import output_size

    size = conf["input_size"][0] if isinstance(conf["input_size"], tuple) else conf["input_size"]
    kernel = conf["kernel"][0] if isinstance(conf["kernel"], tuple) else conf["kernel"]
    if padding_total % 2:
        return None  # an odd total is not a symmetric padding: not a completion derive can take
    try:
        return int(output_size("conv", size, kernel, conf.get("stride", 1), padding_total // 2, conf.get("dilation", 1)))
    except (TypeError, ValueError):
        return None


def _candidates(st: Statement):
    """(label, truth) for every plausible completion of the configuration, the most likely first."""
    conf = st.configuration
    biases = [st.bias] if st.bias is not None else [True, False]
    pad = conf.get("padding", 0)
    pads = {"per_side": [2 * pad], "total": [pad]}.get(st.padding or "", [2 * pad, pad] if pad else [0])
    out = []
    if st.quantity == "memory":
        from derive.layers import Flatten

        entries = Flatten().output_shape((1, *conf["tensor_shape"]))[-1]  # the entries of the tensor (derive)
        return [({"bytes per value": conf["bytes"]}, int(entries) * conf["bytes"])]
    if st.quantity == "output_size":
        dims = len(conf["input_size"]) if isinstance(conf["input_size"], tuple) else 1
        for total in dict.fromkeys(pads):
            v = _output_size(conf, total)
            if v is not None:
                label = {"padding": "per side" if total == 2 * pad else "in total"} if pad else {}
                out.append((label, v))
                # an output "size" is also counted as positions (H_out·W_out) or values (·C_out)
                out.append((dict(label, counted="positions"), v ** dims))
                if "channels_out" in conf:
                    out.append((dict(label, counted="values"), v ** dims * conf["channels_out"]))
        return out
    for ndim, bias, total in itertools.product(st.dims, biases, dict.fromkeys(pads)):
        if total % 2:
            continue
        try:
            layer = _layer(conf, ndim, bias, total // 2)
            if layer is None:
                continue
            if st.quantity == "param_count":
                value = int(layer.params)
            else:
                size = conf["input_size"]
                size = size if isinstance(size, tuple) else (size,) * ndim
                if len(size) != ndim:
                    continue
                value = int(layer.macs((conf["channels_in"], *size)))
        except (TypeError, ValueError):
            continue
        label = {"dimensions": ndim, "bias": bias}
        out.append((label, value))
    return out


def _fmt(x) -> str:
    if isinstance(x, Fraction) and x.denominator == 1:
        x = x.numerator
    return f"{x:,}" if isinstance(x, int) else str(x)


def decide(st: Statement) -> Judgement:
    """The verdict on ``st``, computed by ``derive`` over the plausible completions of its configuration."""
    missing = [r for r in QUANTITIES[st.quantity] if r not in st.configuration]
    if missing:
        return Judgement("UNRECOGNIZED", st.quantity, f"the configuration does not give {', '.join(missing)}")
    cands = _candidates(st)
    if not cands:
        return Judgement("UNRECOGNIZED", st.quantity, "no completion of the configuration is a valid layer")
    asserted = st.asserted
    shown = {k: v for k, v in st.configuration.items()}
    src = f" ({st.evidence})" if st.evidence else ""
    matches = [(lab, v) for lab, v in cands if v == asserted]
    if st.quantity == "param_count" and st.bias is True and not matches:
        nobias = Statement(st.quantity, st.configuration, asserted, bias=False, padding=st.padding, dims=st.dims)
        if any(v == asserted for _, v in _candidates(nobias)):
            truth = cands[0][1]
            return Judgement("CONDITIONAL", st.quantity,
                             f"worked example as a parameter count of {shown}{src}: {_fmt(asserted)} is the count "
                             f"without bias; the layer has a bias, which makes it {_fmt(truth)}",
                             condition="holds without bias",
                             counterexample={"values": shown, "document": _fmt(asserted), "expected": truth},
                             expected=str(truth))
    what = st.quantity.replace("_", " ")
    if matches:
        values = {v for _, v in cands}
        lab = matches[0][0]
        how = ", ".join(f"{k}={v}" for k, v in lab.items() if v not in ("",)) if len(values) > 1 else ""
        return Judgement("CORRECT", st.quantity, f"worked example: {_fmt(asserted)} is the {what} of {shown}{src} "
                         f"(derive){'; with ' + how if how else ''}", expected=str(asserted))
    lab, truth = cands[0]
    others = sorted({v for _, v in cands[1:]} - {truth})
    tried = f"; no other reading of the configuration gives it either ({', '.join(map(_fmt, others))})" if others else ""
    values = dict(shown, **{k: v for k, v in lab.items()})
    return Judgement("INCORRECT", st.quantity, f"worked example: the {what} of {shown}{src} is {_fmt(truth)}, not "
                     f"{_fmt(asserted)}{tried}", counterexample={"values": values, "document": _fmt(asserted),
                                                                   "expected": truth}, expected=str(truth))
