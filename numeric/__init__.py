"""numeric — the witness: CNN operators forward and backward, fast (Numba).

PyTorch conventions: NCHW (NCL in 1-D), weights ``(C_out, C_in/groups, kH, kW)``,
"convolution" is cross-correlation, float32 and float64 in, same dtype out.
Public functions validate their input, allocate and call ``@njit`` kernels;
:mod:`numeric.reference` holds slow, obviously correct NumPy loops used as the
oracle of the tests.

A function named as one of ``torch.nn.functional`` takes PyTorch's parameters
in PyTorch's order with PyTorch's defaults (``batch_norm(input, running_mean,
running_var, weight, bias, training=False, momentum, eps)``, ``conv2d(input,
weight, bias, stride, padding, dilation, groups)``, …), and may add keyword
parameters after them (``padding_mode``; ``needs_input_grad=(input, weight,
bias)`` on the backward functions, which skips and returns ``None`` for the
gradients not needed). Inputs are NumPy arrays or array-likes (lists, CPU
tensors without grad); an empty batch (``N = 0``) gives an empty result, as
in PyTorch. Bad input raises ``TypeError``/``ValueError`` naming the
operator, the constraint and the numbers.
"""

from .activations import *  # noqa: F401,F403
from .activations import __all__ as _act
from .batch_norm import *  # noqa: F401,F403
from .batch_norm import __all__ as _bn
from .conv import *  # noqa: F401,F403
from .conv import __all__ as _conv
from .conv_transpose import *  # noqa: F401,F403
from .conv_transpose import __all__ as _convt
from .dense import *  # noqa: F401,F403
from .dense import __all__ as _dense
from .losses import *  # noqa: F401,F403
from .losses import __all__ as _loss
from .lrn import *  # noqa: F401,F403
from .lrn import __all__ as _lrn
from .pooling import *  # noqa: F401,F403
from .pooling import __all__ as _pool

__all__ = [*_conv, *_convt, *_pool, *_dense, *_act, *_bn, *_loss, *_lrn]
