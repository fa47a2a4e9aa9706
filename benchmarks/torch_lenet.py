"""The LeNet-5 of ``examples/train_lenet_digits.py`` written with PyTorch, for cross-checks and timing.

Same layers, same parameter names and layouts (``conv1.weight`` …), same loss
(mean cross-entropy), and ``torch.optim.SGD`` with momentum: fed the same
initial weights and batches, it must give the same loss curve as numeric.
PyTorch is imported by the caller and passed in (it is optional everywhere).
"""

from __future__ import annotations

import numpy as np


def forward(torch, p: dict, x):
    """Logits of ``x`` (N, 1, 32, 32) under the parameters ``p`` (name → tensor)."""
    F = torch.nn.functional
    h = F.max_pool2d(F.relu(F.conv2d(x, p["conv1.weight"], p["conv1.bias"])), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, p["conv2.weight"], p["conv2.bias"])), 2)
    h = F.relu(F.linear(h.flatten(1), p["fc1.weight"], p["fc1.bias"]))
    h = F.relu(F.linear(h, p["fc2.weight"], p["fc2.bias"]))
    return F.linear(h, p["fc3.weight"], p["fc3.bias"])


class TorchTrainer:
    """Parameters copied from NumPy arrays, trained one batch at a time with ``torch.optim.SGD``."""

    def __init__(self, torch, params: dict[str, np.ndarray], lr: float, momentum: float):
        self.torch = torch
        self.params = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
        self.opt = torch.optim.SGD(list(self.params.values()), lr=lr, momentum=momentum)

    def set_lr(self, lr: float) -> None:
        for group in self.opt.param_groups:
            group["lr"] = lr

    def train_steps(self, x: np.ndarray, y: np.ndarray, batches: list[np.ndarray]) -> list[float]:
        """One step per batch (indices into ``x``, ``y``); the loss of each step before its update."""
        torch = self.torch
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)
        losses = []
        for idx in batches:
            it = torch.from_numpy(np.asarray(idx))
            self.opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(forward(torch, self.params, xt[it]), yt[it])
            loss.backward()
            self.opt.step()
            losses.append(loss.item())
        return losses
