r"""The catalogue of named derivations (``convproof derive --list``).

Each entry names a :class:`~derive.derivation.Derivation` builder, says what
it derives and which options (``stride``, ``padding`` …) it accepts. Builders
import their module when called, so the catalogue itself is cheap to load.

Examples
--------
>>> "conv2d.grad_input" in names()
True
>>> d = get_derivation("dense.grad_input")
>>> d.verify()
True
>>> get_derivation("conv2d.grad_inptu")
Traceback (most recent call last):
...
ValueError: unknown derivation 'conv2d.grad_inptu'; did you mean conv2d.grad_input? Known: ...
>>> get_derivation("dense.grad_input", stride=2)
Traceback (most recent call last):
...
ValueError: dense.grad_input takes no option stride; it accepts none
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Entry", "CATALOGUE", "names", "get_derivation", "entry"]

GRAD_OPTIONS = ("stride", "padding", "dilation", "groups")


@dataclass(frozen=True)
class Entry:
    """A named derivation: what it shows, its builder, the options it accepts, their defaults."""

    name: str
    summary: str
    build: Callable[..., object]
    options: tuple = ()
    defaults: dict = field(default_factory=dict)


def _sizes_value(v):
    """Options for the size derivations: ints stay, symbol names mean 'keep it general'."""
    return v if isinstance(v, int) else None


def _output_size(op, **fixed):
    def build(**opts):
        from . import output_size_derivation

        kwargs = {k: _sizes_value(v) for k, v in opts.items()}
        return output_size_derivation(op, **fixed, **kwargs)

    return build


def _from_derive(fn_name, **kwargs):
    def build():
        import derive

        return getattr(derive, fn_name)(**kwargs)

    return build


def _gradient(fn_name, *args, **fixed):
    def build(**opts):
        from . import gradients

        return getattr(gradients, fn_name)(*args, **{**fixed, **opts}).derivation

    return build


def _equivariance():
    from .gradients.equivariance import equivariance_derivation

    return equivariance_derivation()


_ENTRIES = [
    Entry("conv.output_size", "output size of a convolution: floor((H + 2P - d(k-1) - 1)/s) + 1, from counting windows",
          _output_size("conv"), ("stride", "padding", "dilation", "kernel_size")),
    Entry("pool.output_size.ceil", "output size of pooling with ceil_mode (last window starts inside input or left pad)",
          _output_size("max_pool", ceil_mode=True), ("stride", "padding", "dilation", "kernel_size")),
    Entry("conv_transpose.output_size", "output size of a transposed convolution, with output_padding",
          _output_size("conv_transpose"), ("stride", "padding", "dilation", "kernel_size")),
    Entry("receptive_field.stack", "receptive field of a stack: the recursion r_l = r_(l-1) + (k_l - 1) j_(l-1)",
          _from_derive("receptive_field_derivation", uniform=False)),
    Entry("receptive_field.uniform", "receptive field of a uniform stack in closed form, solved from the recursion",
          _from_derive("receptive_field_derivation", uniform=True)),
    Entry("params.conv", "parameters of a convolution: C_out (C_in k^2 + 1)", _from_derive("conv_params_derivation")),
    Entry("params.separable_vs_standard", "depthwise-separable vs standard conv: ratio exactly 1/k^2 + 1/C_out",
          _from_derive("separable_ratio_derivation")),
    Entry("params.two_3x3_vs_5x5", "two stacked 3x3 convs vs one 5x5: same receptive field, 18C^2 vs 25C^2 weights",
          _from_derive("stacked_convs_vs_single_derivation")),
    Entry("conv.macs", "multiply-accumulates of a convolution, from its index sum", _from_derive("conv_macs_derivation")),
    Entry("conv2d.grad_input", "dL/dX of a 2-D convolution: strided sums keep (a + P - d p) mod s = 0 and the range",
          _gradient("conv_backward", "input"), GRAD_OPTIONS),
    Entry("conv2d.grad_input.stride1", "dL/dX of a 2-D convolution with stride 1: a full correlation with the kernel",
          _gradient("conv_backward", "input", stride=1), ("padding", "dilation", "groups")),
    Entry("conv2d.grad_weight", "dL/dW of a 2-D convolution: correlate the input with G",
          _gradient("conv_backward", "weight"), GRAD_OPTIONS),
    Entry("conv2d.grad_bias", "dL/db of a 2-D convolution: sum G over batch and positions",
          _gradient("conv_backward", "bias"), GRAD_OPTIONS),
    Entry("conv1d.grad_input", "dL/dX of a 1-D convolution with stride, padding, dilation and groups",
          _gradient("conv_backward", "input", dims=1, groups=None), GRAD_OPTIONS),
    Entry("conv_transpose2d.grad_input", "dL/dX of a transposed convolution: an ordinary strided convolution of G",
          _gradient("conv_transpose_backward", "input"), GRAD_OPTIONS),
    Entry("conv_transpose2d.grad_weight", "dL/dW of a transposed convolution",
          _gradient("conv_transpose_backward", "weight"), GRAD_OPTIONS),
    Entry("max_pool2d.grad_input", "dL/dX of max pooling: G routed to the first arg-max of each window",
          _gradient("pool_backward", "max"), ("kernel_size", "stride", "padding", "dilation", "ceil_mode")),
    Entry("avg_pool2d.grad_input", "dL/dX of average pooling: overlapping windows, padding, ceil_mode, the divisor",
          _gradient("pool_backward", "avg"), ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")),
    Entry("dense.grad_input", "dL/dX of a dense layer: G W", _gradient("dense_backward", "input")),
    Entry("dense.grad_weight", "dL/dW of a dense layer: G^T X", _gradient("dense_backward", "weight")),
    Entry("dense.grad_bias", "dL/db of a dense layer: sum of G over the batch", _gradient("dense_backward", "bias")),
    Entry("batch_norm.grad_input", "dL/dX of batch norm (training): through X and the channel statistics",
          _gradient("batch_norm_backward", "input")),
    Entry("batch_norm.grad_weight", "dL/dgamma of batch norm: sum of G times the normalised input",
          _gradient("batch_norm_backward", "weight")),
    Entry("softmax_ce.grad_input", "dL/dZ of softmax cross-entropy: (softmax(Z) - T)/N",
          _gradient("softmax_ce_backward")),
    Entry("conv.equivariance", "translation equivariance of convolution, and why shifts must be multiples of the stride",
          _equivariance),
]

CATALOGUE: dict[str, Entry] = {e.name: e for e in _ENTRIES}


def names() -> list[str]:
    """The catalogued names, in catalogue order."""
    return list(CATALOGUE)


def entry(name: str) -> Entry:
    """The entry called ``name``; ``ValueError`` listing the known names otherwise."""
    if name not in CATALOGUE:
        close = difflib.get_close_matches(name, CATALOGUE, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise ValueError(f"unknown derivation {name!r}; {hint}Known: {', '.join(CATALOGUE)}")
    return CATALOGUE[name]


def get_derivation(name: str, **options):
    """Build the derivation ``name`` with the given options (``None`` values are ignored).

    Raises
    ------
    ValueError
        An unknown name (the known ones are listed), or an option the entry does not take.
    """
    e = entry(name)
    options = {k: v for k, v in options.items() if v is not None}
    extra = sorted(set(options) - set(e.options))
    if extra:
        accepted = ", ".join(e.options) or "none"
        raise ValueError(f"{name} takes no option {', '.join(extra)}; it accepts {accepted}")
    return e.build(**options)
