"""Public names of a package imported on first use (PEP 562), so that importing the package is cheap.

A package's ``__init__`` lists the submodules whose names it offers; ``module.name`` (or ``from
package import name``) imports the first of them that has ``name`` — never all of them — and a
submodule is imported on its own (``from proofs import course`` does not load the judge).
``__all__`` (``from package import *``, ``dir()``) imports them all.

>>> import sys, types
>>> pkg = sys.modules["demo"] = types.ModuleType("demo")
>>> pkg.__path__ = []
>>> pkg.__getattr__, pkg.__dir__ = lazy_exports("demo", [("json", ("dumps",)), ("textwrap", None)])
>>> pkg.__getattr__("dumps")({"a": 1})
'{"a": 1}'
>>> "dedent" in pkg.__getattr__("__all__")
True
>>> pkg.__getattr__("nothing")
Traceback (most recent call last):
...
AttributeError: module 'demo' has no attribute 'nothing'
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Callable, Sequence

__all__ = ["lazy_exports"]


def lazy_exports(package: str, public: Sequence[tuple[str, Sequence[str] | None]],
                 submodules: Sequence[str] = ()) -> tuple[Callable, Callable]:
    """``(__getattr__, __dir__)`` for ``package``.

    ``public`` is ``[(module name, names or None for its __all__), …]`` in the order names are looked up
    (a name offered by two modules is taken from the first); ``submodules`` are listed in ``__all__`` too.
    """

    def exports(upto: str | None = None) -> dict:
        names: dict = {}
        for mod_name, wanted in public:
            module = importlib.import_module(mod_name)
            names.update({n: getattr(module, n) for n in (wanted if wanted is not None else module.__all__)})
            if upto is not None and upto in names:
                break
        return names

    def getattr_(name: str):
        namespace = sys.modules[package].__dict__
        if name.startswith("__") and name != "__all__":
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        if name != "__all__" and importlib.util.find_spec(f"{package}.{name}") is not None:
            return importlib.import_module(f"{package}.{name}")  # a submodule, on its own
        found = exports(None if name == "__all__" else name)
        for key, value in found.items():
            namespace.setdefault(key, value)  # a submodule already bound under that name stays
        if name == "__all__":
            namespace["__all__"] = list(dict.fromkeys([*found, *submodules]))
            return namespace["__all__"]
        if name in found:
            return found[name]
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def dir_() -> list[str]:
        return sorted(set(sys.modules[package].__dict__) | set(getattr_("__all__")))

    return getattr_, dir_
