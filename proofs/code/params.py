r"""Parameters of PyTorch layer objects, asked of :mod:`derive.layers`: the shapes of ``conv.weight``/``conv.bias``
and the count ``sum(p.numel() for p in model.parameters())`` of a layer, a ``Sequential`` or a document's module.

>>> from proofs.code.torch_lib import construct
>>> conv = construct("Conv2d", [3, 10, 5], {})
>>> param_shapes(conv)
{'weight': (10, 3, 5, 5), 'bias': (10,)}
>>> count(construct("Sequential", [conv, construct("ReLU", [], {}), construct("Linear", [40, 2], {})], {}))
842
"""

from __future__ import annotations

from .values import Layer, Undetermined, is_int

__all__ = ["param_shapes", "count", "keras_count"]


def _derived(layer: Layer):
    from derive import layers

    a = layer.args
    name = layer.name
    try:
        if name in ("Conv1d", "Conv2d"):
            cls = layers.Conv2d if name == "Conv2d" else layers.Conv1d
            return cls(a["in_channels"], a["out_channels"], a["kernel_size"], groups=a.get("groups", 1),
                       bias=a.get("bias", True))
        if name == "ConvTranspose2d":
            return layers.ConvTranspose2d(a["in_channels"], a["out_channels"], a["kernel_size"], groups=a.get("groups", 1),
                                          bias=a.get("bias", True))
        if name == "Linear":
            return layers.Linear(a["in_features"], a["out_features"], bias=a.get("bias", True))
        if name in ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d"):
            return layers.BatchNorm2d(a["num_features"], affine=a.get("affine", True))
    except (KeyError, ValueError, TypeError) as exc:
        raise Undetermined(f"{name}: its parameters are not determined ({exc})") from None
    return None


def param_shapes(layer: Layer) -> dict:
    """Learnable tensors of a ``torch.nn`` layer by name → shape (derive's definition of the layer's tensors)."""
    if layer.lib != "torch":
        raise Undetermined(f"parameters of a {layer.lib} layer are not modelled")
    d = _derived(layer)
    if d is None:
        from .torch_lib import CLASSES

        if layer.name in CLASSES and CLASSES[layer.name][0] in ("max_pool", "avg_pool", "adaptive", "flatten"):
            return {}
        if layer.name in ("ReLU", "ReLU6", "Sigmoid", "Tanh", "Dropout", "Dropout2d", "Identity", "Softmax", "GELU",
                          "LeakyReLU", "ELU", "SiLU"):
            return {}
        raise Undetermined(f"nn.{layer.name}: its parameters are not modelled")
    shapes = {k: tuple(int(v) for v in s) for k, s in d.param_shapes.items()}
    if not all(is_int(v) for s in shapes.values() for v in s):
        raise Undetermined(f"nn.{layer.name}: parameter shapes not numeric")
    return shapes


def count(obj) -> int:
    """The number of learnable values of a layer, a ``Sequential`` or a document's module (its child layers)."""
    import math

    from .user import Instance

    if isinstance(obj, Layer) and obj.name == "Sequential":
        return sum(count(c) for c in obj.children)
    if isinstance(obj, Layer):
        return sum(math.prod(s) for s in param_shapes(obj).values())
    if isinstance(obj, Instance):
        total = 0
        for key, v in obj.attrs.items():
            if isinstance(v, (Layer, Instance)):
                total += count(v)
            elif not isinstance(v, (int, float, str, bool, type(None), tuple)):
                raise Undetermined(f"{obj.name}.{key} may hold parameters the reader does not know")
        return total
    raise Undetermined("parameters of a value that is not a known layer")


def keras_count(seq: Layer, apply, x) -> int:
    """``model.count_params()`` of a Keras ``Sequential`` on its input ``x``: each layer's tensors from derive, with
    the channels the forward pass (``apply``) brings to it; batch normalisation counts its moving mean and variance
    (Keras keeps them as non-trainable weights)."""
    from derive import layers

    from .layouts import axes
    from .values import Tensor

    total = 0
    for child in seq.children:
        if isinstance(child, Tensor):
            x = child
            continue
        if not isinstance(child, Layer) or not isinstance(x, Tensor):
            raise Undetermined("a layer of the model is not known")
        a, name = child.args, child.name
        fmt = a.get("data_format") or "channels_last"
        ch = axes(fmt, x.rank)[1] if x.rank >= 3 else x.rank - 1
        c_in = x.shape[ch]
        try:
            if name in ("Conv1D", "Conv2D", "Conv2DTranspose"):
                k = a.get("kernel_size")
                nd = 1 if name == "Conv1D" else 2
                cls = {"Conv1D": layers.Conv1d, "Conv2D": layers.Conv2d, "Conv2DTranspose": layers.ConvTranspose2d}[name]
                kk = (k if is_int(k) else k[0]) if nd == 1 else k
                total += int(cls(c_in, a["filters"], kk, groups=a.get("groups", 1) if name != "Conv2DTranspose" else 1,
                                 bias=a.get("use_bias", True)).params)
            elif name == "Dense":
                total += int(layers.Linear(x.shape[-1], a["units"], bias=a.get("use_bias", True)).params)
            elif name == "BatchNormalization":
                total += 4 * int(x.shape[-1])
            elif name in ("DepthwiseConv2D", "SeparableConv2D"):
                raise Undetermined(f"{name}: parameters not modelled")
        except (KeyError, ValueError, TypeError) as exc:
            raise Undetermined(f"{name}: its parameters are not determined ({exc})") from None
        x = apply(child, x)
    return total
