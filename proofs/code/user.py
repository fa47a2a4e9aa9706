r"""Classes and functions the document defines, followed when used: an ``nn.Module``/``keras.Model`` subclass
is an :class:`Instance` whose ``__init__`` sets attributes (``self.conv1 = nn.Conv2d(…)``) and whose
``forward``/``call`` is followed on the input's shape; its child layers, in assignment order, are what
``children()``/``named_children()`` give (as PyTorch registers them).

>>> from proofs.code.interpret import Interpreter
>>> it = Interpreter()
>>> _ = it.run("import torch\nfrom torch import nn\nclass Net(nn.Module):\n    def __init__(self, c):\n"
...            "        super().__init__()\n        self.conv = nn.Conv2d(1, c, 3)\n        self.pool = nn.MaxPool2d(2)\n"
...            "    def forward(self, x):\n        return self.pool(self.conv(x))\nnet = Net(4)\n"
...            "y = net(torch.randn(1, 1, 10, 10))\n")
>>> it.env["y"].shape, [n for n, _ in it.env["net"].named_children()]
((1, 4, 4, 4), ['conv', 'pool'])
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .values import Layer, Undetermined

__all__ = ["ClassDef", "Instance"]


@dataclass
class ClassDef:
    """A class the document defines: its name and methods."""

    node: ast.ClassDef

    @property
    def name(self) -> str:
        return self.node.name

    def method(self, name: str):
        return next((s for s in self.node.body if isinstance(s, ast.FunctionDef) and s.name == name), None)


@dataclass(eq=False)
class Instance:
    """An object of a document's class: its attributes as the reader followed them."""

    cls: ClassDef
    attrs: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.cls.name

    def named_children(self) -> list:
        return [(k, v) for k, v in self.attrs.items() if isinstance(v, (Layer, Instance))]


def construct(interp, cls: ClassDef, pos: list, kw: dict) -> Instance:
    """``cls(*pos, **kw)``: a new :class:`Instance`, its ``__init__`` followed."""
    obj = Instance(cls)
    init = cls.method("__init__")
    if init is not None:
        interp.call_function(init, [obj] + list(pos), kw)
    return obj


def call(interp, obj: Instance, pos: list, kw: dict):
    """``obj(*pos, **kw)``: its ``forward`` (PyTorch) or ``call`` (Keras) followed."""
    fn = obj.cls.method("forward") or obj.cls.method("call") or obj.cls.method("__call__")
    if fn is None:
        raise Undetermined(f"{obj.name} has no forward/call method to follow")
    return interp.call_function(fn, [obj] + list(pos), kw)
