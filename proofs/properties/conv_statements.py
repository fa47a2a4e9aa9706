"""The exact equivariance statements about convolution, as runnable properties.

Each function builds the map on the numeric engine (weights from a seed),
runs :func:`~proofs.properties.equivariance.check_equivariance` or
:func:`~proofs.properties.invariance.check_invariance` and returns the
:class:`~proofs.properties.result.PropertyResult` with the derivation it rests
on in ``reference``.

Derivation (index substitution). With ``Y[j] = Σ_p w[p]·X[S·j + d·p − P]``
and ``X′[i] = X[i − δ]``:

.. math:: Y'[j] = \\sum_p w[p]\\,X[S j + d p - P - \\delta]
               = \\sum_p w[p]\\,X[S (j - \\delta/S) + d p - P] = Y[j - \\delta/S]

which needs ``S | δ`` (else ``j − δ/S`` is not an index) and that the padding
never enters: always for circular padding (indices mod H, with the output side
exactly ``H/S``), on the interior for zero padding. A composition of such maps
is equivariant with the composed stride ``S₁·S₂···`` (apply the identity layer
by layer: ``δ/S₁`` is the shift of the second layer's input). Global average
pooling sums over all positions, and a circular shift permutes them: after a
circular stack the result is exactly invariant for every shift.

Examples
--------
>>> from proofs.strategies import Conv2dConfig
>>> cfg = Conv2dConfig(1, 1, 1, 4, 4, kernel_size=3, stride=2, padding=1, padding_mode="circular")
>>> r = conv_equivariance(cfg, max_examples=10)
>>> r.verdict.value, r.condition
('CONDITIONAL', 'δ ≡ 0 (mod S) on every axis, S = (2, 2)')
>>> r.counterexample.shift                          # a shift S does not divide
(0, -1)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import numeric

from ..configs import Conv2dConfig
from .equivariance import check_equivariance
from .invariance import check_invariance
from .networks import conv_fn, conv_stack_fn
from .result import PropertyResult

__all__ = ["conv_equivariance", "stack_equivariance", "global_pool_invariance", "require_same_size"]

CIRCULAR_REF = ("index substitution with indices mod H: Y'[j] = Σ_p w[p] X[(S·j + d·p − P − δ) mod H] = Y[(j − δ/S) mod H/S] "
                "when S | δ, S | H and 2P = d(k−1)")
ZERO_REF = ("index substitution on the interior: padding enters no output whose receptive field "
            "[u₀ + J·j, u₀ + J·j + r − 1] lies inside the input (r, J, u₀ from derive.receptive_field)")
STACK_REF = "layer by layer: T_δ ↦ T_{δ/S₁} ↦ T_{δ/(S₁S₂)} …; the composed stride is the jump of derive.receptive_field"
GAP_REF = "Σ_i X[(i − δ) mod H] = Σ_i X[i]: a circular shift permutes the positions a global average sums over"


def require_same_size(config: Conv2dConfig) -> None:
    """Raise ``ValueError`` unless ``config`` is a same-size layer (what circular equivariance needs).

    >>> require_same_size(Conv2dConfig(1, 1, 1, 5, 5, kernel_size=2, padding=0))
    Traceback (most recent call last):
    ValueError: circular equivariance needs a same-size layer: d(k−1) = 1·(2−1) = 1 must be even with padding d(k−1)/2
    """
    k, s, p, d = config.kernel_size, config.stride, config.padding, config.dilation
    if (d * (k - 1)) % 2 or 2 * p != d * (k - 1):
        raise ValueError(f"circular equivariance needs a same-size layer: d(k−1) = {d}·({k}−1) = {d * (k - 1)} "
                         f"must be even with padding d(k−1)/2" + ("" if (d * (k - 1)) % 2 else f", got padding {p}"))
    if config.height % s or config.width % s:
        raise ValueError(f"circular equivariance needs the input side divisible by the stride: "
                         f"H×W = {config.height}×{config.width}, stride {s}")


def conv_equivariance(config: Conv2dConfig, *, boundary: str | None = None, max_shift: int | None = None,
                      seed: int = 0, max_examples: int = 25) -> PropertyResult:
    """"Convolution is translation equivariant": ``conv(T_δ x) = T_{δ/S} conv(x)``.

    Parameters
    ----------
    config : the layer; ``padding_mode="circular"`` checks every shift on the
        whole output (a same-size layer is required), ``"zeros"`` checks the
        interior given by ``derive.receptive_field``.
    boundary : ``"circular"`` or ``"zero"``; default from the padding mode.
    max_shift : shifts ``|δ| <= max_shift`` per axis (default: twice the input
        side for circular, half of it for zero padding).
    seed : seed of the weights.

    Returns
    -------
    PropertyResult
        CORRECT for stride 1; CONDITIONAL (``δ ≡ 0 (mod S)``) with the
        counterexample for a shift ``S`` does not divide, for stride ``S > 1``.
    """
    boundary = boundary or ("circular" if config.padding_mode == "circular" else "zero")
    side = max(config.height, config.width)
    if boundary == "circular":
        require_same_size(config)
        max_shift = 2 * side if max_shift is None else max_shift
        layers = None
        stride = config.stride
    else:
        max_shift = max(1, side // 2) if max_shift is None else max_shift
        layers = [config.layer()]
        stride = None
    result = check_equivariance(conv_fn(config, seed=seed), input_shape=config.input_shape,
                                shift=range(-max_shift, max_shift + 1), boundary=boundary, stride=stride,
                                layers=layers, max_examples=max_examples,
                                name=f"conv2d equivariance ({boundary} boundary, stride {config.stride})")
    result.reference = CIRCULAR_REF if boundary == "circular" else ZERO_REF
    return result


def stack_equivariance(configs: Sequence[Conv2dConfig], *, boundary: str = "circular", seed: int = 0,
                       max_shift: int | None = None, max_examples: int = 25) -> PropertyResult:
    """"A stack of equivariant layers is equivariant", with the composed stride from ``derive``.

    The stack is ``conv → ReLU → conv …``; the stride compared against is the
    jump of ``derive.receptive_field`` of the layers; shifts are multiples of
    it, so the property must hold exactly (circular) or on the interior (zero).
    """
    if not configs:
        raise ValueError("stack_equivariance needs at least one layer")
    if boundary == "circular":
        for c in configs:
            require_same_size(c)
    layers = [c.layer() for c in configs]
    import derive

    jump = derive.receptive_field(layers).jump
    jump = tuple(int(j) for j in (jump if isinstance(jump, (tuple, list)) else (jump, jump)))
    side = max(configs[0].height, configs[0].width)
    reach = (2 * side if max_shift is None else max_shift) // jump[0]
    shifts = range(-reach * jump[0], reach * jump[0] + 1, jump[0])
    result = check_equivariance(conv_stack_fn(configs, seed=seed), input_shape=configs[0].input_shape,
                                shift=shifts, boundary=boundary, stride=jump,
                                layers=None if boundary == "circular" else layers, max_examples=max_examples,
                                name=f"equivariance of a stack of {len(configs)} layers (composed stride {jump})")
    result.reference = STACK_REF
    result.measurements["composed_stride"] = int(np.prod([c.stride for c in configs]))
    return result


def global_pool_invariance(configs: Sequence[Conv2dConfig], *, seed: int = 0,
                           max_examples: int = 25) -> PropertyResult:
    """"Global average pooling after a circular conv stack is invariant to every shift".

    Exact for stride-1 stacks. With strides, the stack is only equivariant for
    shifts that are multiples of the composed stride ``S = S₁S₂…``; when the
    property fails it is re-checked on those shifts and the result is
    CONDITIONAL (``δ ≡ 0 (mod S)``) if it holds there.
    """
    for c in configs:
        require_same_size(c)
    stack = conv_stack_fn(configs, seed=seed)

    def net(x: np.ndarray) -> np.ndarray:
        return numeric.global_avg_pool2d(stack(x))

    net.__qualname__ = f"global_avg_pool2d ∘ {stack.__qualname__}"
    side = max(configs[0].height, configs[0].width)
    name = f"global average pooling after {len(configs)} circular convs is invariant"
    result = check_invariance(net, input_shape=configs[0].input_shape, shift=range(-2 * side, 2 * side + 1),
                              boundary="circular", max_examples=max_examples, name=name)
    result.reference = GAP_REF
    composed = int(np.prod([c.stride for c in configs]))
    result.measurements["composed_stride"] = composed
    if not result.holds and result.error is None and composed > 1:
        again = check_invariance(net, input_shape=configs[0].input_shape,
                                 shift=range(-2 * side, 2 * side + 1, composed), boundary="circular",
                                 max_examples=max_examples)
        result.details["multiples_of_stride"] = again
        if again.holds:
            result.condition = f"δ ≡ 0 (mod {composed}) on every axis (the composed stride)"
            result.evidence += f"; on shifts that are multiples of the composed stride it holds ({again.examples} evaluations)"
    return result
