"""Recognise which quantity a formula states, from its left side, its symbols and its context.

Quantities: ``output_size``, ``same_padding``, ``param_count``, ``macs``, ``receptive_field``, ``effective_kernel``,
``jump``, ``index`` (an index formula: convolution definition, forward pass,
gradient, pooling — judged by evaluation), or None.

Examples
--------
>>> import sympy as sp
>>> from proofs.judge.roles import bind_roles
>>> H, P, k, S = sp.symbols("H P k S")
>>> rhs = sp.floor((H + 2*P - k)/S) + 1
>>> b = bind_roles(["H", "P", "k", "S"], "For input size H×W, kernel size k×k, padding P, stride S:")
>>> recognize(sp.Symbol("H_out"), rhs, b, "Output Dimensions")
'output_size'
>>> recognize(sp.Symbol("Parameters"), k**2*sp.Symbol("C_in")*sp.Symbol("C_out"),
...           bind_roles(["k", "C_in", "C_out"]), "Parameter Count")
'param_count'
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef

from .cost import is_macs_name
from .dilation import is_effective_kernel
from .evaluate import is_access
from .roles import Binding, split_name

__all__ = ["recognize", "has_tensor_reads", "OPERATION_FUNCS"]

#: applied functions of the parser that are operations, never tensors
OPERATION_FUNCS = {"max_over", "min_over", "conv", "at"}


def has_tensor_reads(e) -> bool:
    """True when ``e`` reads a tensor entry (``X[i]``, ``I(i, j)``, ``∂L/∂X[i]``)."""
    for n in sp.preorder_traversal(e):
        if isinstance(n, sp.Indexed):
            return True
        if isinstance(n, AppliedUndef) and is_access(n):
            return True
        if isinstance(n, sp.Derivative) and any(isinstance(v, sp.Indexed) for v in n.variables):
            return True
    return False


def _lhs_name(lhs) -> str:
    if lhs.is_Symbol:
        return lhs.name
    if isinstance(lhs, sp.Indexed):
        return str(lhs.base.label)
    if isinstance(lhs, sp.Mul):  # "Total params" read as a product of words
        syms = [a for a in lhs.args if a.is_Symbol]
        if len(syms) == len(lhs.args):
            return " ".join(s.name for s in syms)
    return ""


def _names_output(text: str) -> bool:
    """Does the last sentence of ``text`` name an output size in any wording of the lexicon ("length of the output row")?"""
    from ..notation.lexicon import role_words

    last = re.split(r"(?<=[.!?])\s+|\n\s*\n", text.strip())[-1] if text.strip() else ""
    return any(w.role == "output_size" for w in role_words(last))


def _size_of_windows(rhs, binding: Binding, rhs_roles: set) -> bool:
    """A new letter set to a function of exactly an input size, a kernel and a stride (padding, dilation): an output size.

    A hyperparameter must divide (sit in a denominator, or the count be rounded by a floor or a ceiling):
    that is what a count of window positions looks like, even a wrong one (``(i − s)/k``, the roles
    swapped); ``(i − 1)·s + k`` (a transposed size, no division) is left to the words around it.
    """
    unbound = [s for s in rhs.free_symbols if binding.role(s.name) is None]
    if len(unbound) == 1:  # o = (i + 2p − k)/s + 1: the one free letter plays a missing role; the search decides which
        rhs_roles = (rhs_roles - {None}) | ({"input_size"} if "input_size" not in rhs_roles else {"padding"})
    if not ({"input_size", "kernel", "stride"} <= rhs_roles <= {"input_size", "kernel", "stride", "padding", "dilation"}):
        return False
    if rhs.has(sp.floor, sp.ceiling):
        return True
    for node in sp.preorder_traversal(rhs):
        if isinstance(node, sp.Pow) and node.exp.is_negative and node.base.free_symbols:
            return True
    return False


def recognize(lhs, rhs, binding: Binding, context: str = "") -> str | None:
    """Which quantity ``lhs = rhs`` states (None when it is none we judge).

    Parameters
    ----------
    lhs, rhs : SymPy objects (rhs the defining side).
    binding : roles of the symbols (from :func:`proofs.judge.roles.bind_roles`).
    context : the section heading and the prose just before the formula.
    """
    low = context.lower()
    name = _lhs_name(lhs)
    base, sub = split_name(name) if name else ("", "")
    rhs_syms = {s.name for s in rhs.free_symbols}
    rhs_roles = {binding.role(n) for n in rhs_syms}
    lname = name.lower()
    # receptive field and jump first: their recursions read RF[ℓ-1] like a tensor
    if base.lower() in ("rf", "r", "rf_size") or "receptive" in lname:
        if "receptive" in low or base.lower() == "rf":
            return "receptive_field"
    if base in ("J", "j", "jump") and re.search(r"jump|effective stride|distance between", low):
        return "jump"
    if has_tensor_reads(lhs) or has_tensor_reads(rhs):
        return "index"
    if not rhs_syms:
        return None
    if is_macs_name(name):
        return "macs"
    if is_effective_kernel(rhs_roles) and binding.role(name) in (None, "kernel") and lhs.is_Symbol:
        return "effective_kernel"  # DKH = 1 + (KH − 1)·(DH + 1): the span of a dilated kernel
    if binding.role(name) == "output_size" or re.fullmatch(r"(h|w|n|o|d)_?(out|o|2|')", lname) or (
            "output" in lname and re.search(r"size|dim|height|width", lname)):
        return "output_size"
    if binding.role(name) == "padding" and re.search(r"\bsame(?:_upper|_lower)?\b", low):
        return "same_padding"
    if "param" in lname or lname in ("#params", "n_params", "total"):
        return "param_count"
    if name == "" or binding.role(name) is None:
        if (re.search(r"output (size|dimension|height|width|shape|spatial)|spatial size of the output", low)
                or _names_output(low)) and "input_size" in rhs_roles and ({"kernel", "pool"} & rhs_roles):
            return "output_size"
        if _size_of_windows(rhs, binding, rhs_roles):
            return "output_size"
        if re.search(r"parameter", low) and rhs_roles and rhs_roles <= {"kernel", "channels_in", "channels_out", "channels"} \
                and not rhs.has(sp.floor):
            return "param_count"
        if "receptive field" in low and "kernel" in rhs_roles:
            return "receptive_field"
    return None
