"""pytest (``--doctest-modules``): the MkDocs plugin's doctests need MkDocs; pass the module over without it."""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("mkdocs") else ["mkdocs_plugin.py"]
