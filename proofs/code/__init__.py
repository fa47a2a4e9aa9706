"""Worked examples written as code — library calls with their shapes — judged by computation.

Python code in a document (Markdown fences, reST code blocks, LaTeX listings, doctest sessions, notebook code
cells with their outputs) is parsed with :mod:`ast` (never run); an abstract interpreter follows tensors' shapes
through PyTorch, Keras/TensorFlow, JAX ``lax``, NumPy and SciPy calls, each library's conventions as data
(:mod:`.torch_lib`, :mod:`.keras_lib`, :mod:`.jax_lib`, :mod:`.numpy_lib`), every size from ``derive``
(:mod:`.rules`). The shapes the document prints, displays, states in comments or asserts are judged
(:mod:`.judge`, :mod:`.findings`).
"""

from .findings import code_findings, code_findings_in

__all__ = ["code_findings", "code_findings_in"]
