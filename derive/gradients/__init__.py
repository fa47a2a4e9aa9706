"""Backward passes derived from index sums (see :mod:`derive.gradients.backward`)."""

from .batch_norm import *  # noqa: F401,F403
from .batch_norm import __all__ as _bn
from .conv import *  # noqa: F401,F403
from .conv import __all__ as _conv
from .conv_transpose import *  # noqa: F401,F403
from .conv_transpose import __all__ as _convt
from .dense import *  # noqa: F401,F403
from .dense import __all__ as _dense
from .equivariance import *  # noqa: F401,F403
from .equivariance import __all__ as _equi
from .exact_check import exact_check
from ..iverson import Iverson
from .pooling import *  # noqa: F401,F403
from .pooling import __all__ as _pool
from .result import GradientResult
from .softmax_ce import *  # noqa: F401,F403
from .softmax_ce import __all__ as _sce
from .tensor_derivation import TensorDerivation

__all__ = [*_bn, *_conv, *_convt, *_dense, *_equi, *_pool, *_sce, "GradientResult", "exact_check", "TensorDerivation", "Iverson"]
