"""Stochastic gradient descent with momentum, as ``torch.optim.SGD``.

For each parameter ``p`` with gradient ``g`` (``dampening = 0``):

.. math:: g' = g + \\lambda p, \\qquad v_t = \\mu v_{t-1} + g' \\;(v_1 = g'), \\qquad
          p \\leftarrow p - \\eta \\,(g' + \\mu v_t \\text{ if Nesterov else } v_t)

with learning rate ``η``, momentum ``μ`` and weight decay ``λ``. The parameters
are NumPy arrays updated in place, so a model that holds them sees the step.

Examples
--------
>>> import numpy as np
>>> p = {"w": np.array([1.0, -2.0])}
>>> opt = SGD(p, lr=0.1, momentum=0.9)
>>> opt.step({"w": np.array([1.0, 1.0])})      # v = g
>>> p["w"]
array([ 0.9, -2.1])
>>> opt.step({"w": np.array([1.0, 1.0])})      # v = 0.9·g + g = 1.9·g
>>> p["w"]
array([ 0.71, -2.29])
>>> SGD(p, lr=-1.0)
Traceback (most recent call last):
...
ValueError: SGD: lr must be >= 0, got -1.0
>>> opt.step({"v": np.zeros(2)})
Traceback (most recent call last):
...
ValueError: SGD.step: gradients for ['v'] but parameters ['w']
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

__all__ = ["SGD"]


def _non_negative(name: str, value) -> float:
    value = float(value)
    if not value >= 0.0:  # also refuses NaN
        raise ValueError(f"SGD: {name} must be >= 0, got {value}")
    return value


class SGD:
    """SGD with (optionally Nesterov) momentum and weight decay over a dict of parameter arrays.

    Parameters
    ----------
    params : mapping of name → float ndarray
        The parameters, updated in place by :meth:`step`.
    lr : float >= 0
    momentum : float >= 0
    weight_decay : float >= 0
    nesterov : bool
        Requires ``momentum > 0``, as in PyTorch.

    Raises
    ------
    ValueError
        A negative hyper-parameter, Nesterov without momentum.
    TypeError
        A parameter that is not a float ndarray.
    """

    def __init__(self, params: Mapping[str, np.ndarray], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False):
        self.lr = _non_negative("lr", lr)
        self.momentum = _non_negative("momentum", momentum)
        self.weight_decay = _non_negative("weight_decay", weight_decay)
        if nesterov and self.momentum == 0.0:
            raise ValueError("SGD: nesterov=True needs momentum > 0, got momentum = 0")
        for name, p in params.items():
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                raise TypeError(f"SGD: parameter {name!r} must be a float NumPy array, got {type(p).__name__}"
                                + (f" of dtype {p.dtype}" if isinstance(p, np.ndarray) else ""))
        self.params = params
        self.nesterov = bool(nesterov)
        self._velocity: dict[str, np.ndarray] = {}

    def step(self, grads: Mapping[str, np.ndarray]) -> None:
        """One update of every parameter from ``grads`` (same names and shapes)."""
        if set(grads) != set(self.params):
            raise ValueError(f"SGD.step: gradients for {sorted(grads)} but parameters {sorted(self.params)}")
        for name, p in self.params.items():
            g = np.asarray(grads[name])
            if g.shape != p.shape:
                raise ValueError(f"SGD.step: gradient {name!r} has shape {g.shape}, parameter has {p.shape}")
            g = g.astype(p.dtype, copy=False)
            if self.weight_decay:
                g = g + p.dtype.type(self.weight_decay) * p
            if self.momentum:
                v = self._velocity.get(name)
                if v is None:
                    v = self._velocity[name] = g.copy()
                else:
                    v *= p.dtype.type(self.momentum)
                    v += g
                g = g + p.dtype.type(self.momentum) * v if self.nesterov else v
            p -= p.dtype.type(self.lr) * g
