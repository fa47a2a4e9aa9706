r"""The dimensions of a convolution computed as one matrix product (im2col / implicit GEMM), judged by building
the matrices.

Library guides state the sizes of the GEMM a convolution becomes: ``GEMM_M = N*P*Q``, ``GEMM_N = K``,
``GEMM_K = C*R*S`` (forward), with the letters defined in prose (:mod:`proofs.notation.dim_letters`) or in
abbreviations (``OH``, ``IC``, ``KW``). This module builds the lowered matrices for concrete sizes — the
im2col matrix of the input (one row per output position, one column per weight of a filter), the filters as
a matrix, and the lowered output gradient of the backward passes — checks that the forward product *is* the
convolution of :mod:`numeric`, and takes ``M``, ``N``, ``K`` from the matrices' shapes:

* forward: ``M × K`` columns times ``K × N`` filters, with either factor first (``M``/``N`` may be swapped:
  Caffe multiplies the filters from the left) and per image or over the batch;
* data gradient (``dgrad``): the output gradient lowered over input positions times the filters;
* weight gradient (``wgrad``): the output gradient (transposed) times the input columns.

The pass is read from the words of the section (``dgrad``/``data gradient``/``wgrad``/``weight gradient``;
otherwise the forward pass). CORRECT when, on every sample of sizes, the document's expression is the same
dimension of the pass; INCORRECT when on some sample it is none of the pass's dimensions (with that sample as
counterexample); UNRECOGNIZED when a name has no dimension, or more than one pass is named.

Examples
--------
>>> import sympy as sp
>>> N, P, Q, K, C, R, S, H, W = sp.symbols("N P Q K C R S H W")
>>> roles = {"N": "batch", "P": "out_h", "Q": "out_w", "K": "channels_out", "C": "channels_in", "R": "k_h",
...          "S": "k_w", "H": "in_h", "W": "in_w"}
>>> judge_gemm("GEMM_M", N * P * Q, roles, "").verdict, judge_gemm("GEMM_K", C * R * S, roles, "").verdict
('CORRECT', 'CORRECT')
>>> j = judge_gemm("GEMM_M", N * H * W, roles, "")
>>> j.verdict, j.expected
('INCORRECT', 'N·P·Q (batch × output positions)')
>>> judge_gemm("GEMM_K", K * R * S, roles, "the dgrad GEMM").verdict
'CORRECT'
>>> gemm_letter("GEMM_N"), gemm_letter("gemm_k"), gemm_letter("M_gemm"), gemm_letter("GemmM"), gemm_letter("M")
('N', 'K', 'M', 'M', None)
"""

from __future__ import annotations

import re
from functools import lru_cache

import sympy as sp

from .judgement import Judgement

__all__ = ["gemm_letter", "dimension_role", "lowered_shapes", "judge_gemm"]

_PASS_WORDS = {"dgrad": r"(?i)\bdgrad\b|data[- ]gradient|gradient (?:of|w\.r\.t\.?|with respect to) the (?:input|data)|"
                        r"backward[- ]data|backprop\w* (?:to|of) the (?:input|data)",
               "wgrad": r"(?i)\bwgrad\b|weight[- ]gradient|gradient (?:of|w\.r\.t\.?|with respect to) the (?:weights?|filters?)|"
                        r"backward[- ](?:weights?|filters?)"}
#: the roles of multi-letter names (abbreviations, words)
_WORD_ROLES = {"mb": "batch", "batch": "batch", "batch_size": "batch", "n_batch": "batch"}
_SAMPLES = ({"batch": 2, "channels_in": 3, "channels_out": 5, "in_h": 9, "in_w": 11, "k_h": 3, "k_w": 2, "s": 2, "p": 1},
            {"batch": 3, "channels_in": 7, "channels_out": 4, "in_h": 13, "in_w": 8, "k_h": 5, "k_w": 3, "s": 1, "p": 2},
            {"batch": 5, "channels_in": 2, "channels_out": 11, "in_h": 6, "in_w": 10, "k_h": 2, "k_w": 4, "s": 3, "p": 0})


def gemm_letter(name: str) -> str | None:
    """``"M"``, ``"N"`` or ``"K"`` for a name of a GEMM dimension (``GEMM_M``, ``gemm_k``, ``M_gemm``, ``GemmN``)."""
    m = re.fullmatch(r"(?i)gemm[_\-\s]?([MNK])|([MNK])[_\-\s]?gemm", name.strip())
    return (m.group(1) or m.group(2)).upper() if m else None


def dimension_role(name: str, letters: dict) -> str | None:
    """The dimension a name of the expression stands for: the document's letters first, then abbreviations."""
    from ..notation.names import abbreviation_role
    from ..notation.spec_names import axis_of, spec_role

    if name in letters:
        return letters[name]
    if len(name) == 1:
        return None
    if name.lower() in _WORD_ROLES:
        return _WORD_ROLES[name.lower()]
    if (m := re.fullmatch(r"(?i)(?:c|k|ch|channels?|n?f(?:eature)?m(?:aps?)?)_?(in|out)", name)):
        return f"channels_{m.group(1).lower()}"  # C_in, K_out, Cout
    role = abbreviation_role(name) or spec_role(name)[0]
    if role in ("channels_in", "channels_out"):
        return role
    axis = axis_of(name)
    prefix = {"input_size": "in", "output_size": "out", "kernel": "k"}.get(role or "")
    if prefix and axis in ("h", "w"):
        return f"{prefix}_{axis}"
    return None


def _im2col(x, kh: int, kw: int, s: int):
    """Rows: (image, output row, output column); columns: (channel, filter row, filter column)."""
    import numpy as np

    n, c, h, w = x.shape
    oh, ow = (h - kh) // s + 1, (w - kw) // s + 1
    cols = np.empty((n, oh, ow, c, kh, kw))
    for i in range(oh):
        for j in range(ow):
            cols[:, i, j] = x[:, :, i * s: i * s + kh, j * s: j * s + kw]
    return cols.reshape(n * oh * ow, c * kh * kw)


@lru_cache(maxsize=16)
def lowered_shapes(batch, channels_in, channels_out, in_h, in_w, k_h, k_w, s, p) -> dict:
    """``{pass: {dimension: value}}`` read off the lowered matrices of one convolution, and its output size.

    The forward product is checked against :func:`numeric.conv2d` (it must be the convolution).
    """
    import numpy as np

    import derive

    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, channels_in, in_h, in_w))
    w = rng.standard_normal((channels_out, channels_in, k_h, k_w))
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    cols = _im2col(xp, k_h, k_w, s)  # (N·P·Q, C·R·S)
    filt = w.reshape(channels_out, -1).T  # (C·R·S, K)
    out_h, out_w = int(derive.output_size("conv", in_h, k_h, s, p)), int(derive.output_size("conv", in_w, k_w, s, p))
    y = (cols @ filt).reshape(batch, out_h, out_w, channels_out).transpose(0, 3, 1, 2)
    direct = np.zeros_like(y)
    for i in range(out_h):
        for j in range(out_w):
            direct[:, :, i, j] = np.einsum("ncij,kcij->nk", xp[:, :, i * s: i * s + k_h, j * s: j * s + k_w], w)
    if not np.allclose(y, direct):
        raise ArithmeticError("the lowered product is not the convolution")
    # data gradient: the output gradient dilated by the stride, padded by the filter, lowered over input positions
    dy = rng.standard_normal(y.shape)
    dil = np.zeros((batch, channels_out, (out_h - 1) * s + 1, (out_w - 1) * s + 1))
    dil[:, :, ::s, ::s] = dy
    full = np.pad(dil, ((0, 0), (0, 0), (k_h - 1, k_h - 1 + (in_h + 2 * p - k_h) % s), (k_w - 1, k_w - 1 + (in_w + 2 * p - k_w) % s)))
    dcols = _im2col(full, k_h, k_w, 1)  # (N·(H+2p)·(W+2p), K·R·S)
    dfilt = w.transpose(1, 0, 2, 3).reshape(channels_in, -1).T  # (K·R·S, C)
    fwd = {"rows": cols.shape[0], "per_image": cols.shape[0] // batch, "filters": filt.shape[1], "reduce": cols.shape[1],
           "per_tap": cols.shape[1] // (k_h * k_w)}
    dgrad = {"rows": dcols.shape[0] - batch * ((in_h + 2 * p) * (in_w + 2 * p) - in_h * in_w),
             "per_image": dcols.shape[0] // batch - ((in_h + 2 * p) * (in_w + 2 * p) - in_h * in_w),
             "filters": dfilt.shape[1], "reduce": dfilt.shape[0], "per_tap": dfilt.shape[0] // (k_h * k_w)}
    # weight gradient: dW (K × C·R·S) = dy (K × N·P·Q) · cols (N·P·Q × C·R·S)
    dyk = dy.transpose(1, 0, 2, 3).reshape(channels_out, -1)
    wgrad = {"rows": dyk.shape[0], "filters": cols.shape[1], "reduce": dyk.shape[1]}
    return {"forward": fwd, "dgrad": dgrad, "wgrad": wgrad, "out_h": out_h, "out_w": out_w}


_WHAT = {"forward": {"rows": "N·P·Q (batch × output positions)", "per_image": "P·Q (output positions of one image)",
                     "filters": "K (filters)", "reduce": "C·R·S (weights of one filter)",
                     "per_tap": "C (one filter tap)"},
         "dgrad": {"rows": "N·H·W (batch × input positions)", "per_image": "H·W (input positions of one image)",
                   "filters": "C (input channels)", "reduce": "K·R·S (filters × filter positions)",
                   "per_tap": "K (one filter tap)"},
         "wgrad": {"rows": "K (filters)", "filters": "C·R·S (weights of one filter)",
                   "reduce": "N·P·Q (batch × output positions)"}}
#: which dimensions each GEMM letter may be, per pass (M and N may be swapped: filters on the left)
_ALLOWED = {"forward": {"M": ("rows", "per_image", "filters"), "N": ("filters", "rows", "per_image"),
                        "K": ("reduce", "per_tap")},
            "dgrad": {"M": ("rows", "per_image", "filters"), "N": ("filters", "rows", "per_image"), "K": ("reduce", "per_tap")},
            "wgrad": {"M": ("rows", "filters"), "N": ("filters", "rows"), "K": ("reduce",)}}


def gemm_context(prefix: str, around: str) -> bool:
    """Is a bare ``M``/``N``/``K`` a GEMM dimension here: ``GEMM`` written just before it, a matrix product named
    on its line, or the line opening with the assignment right after a line (of two) that names one?
    (``around`` ends with the line.)"""
    if re.search(r"(?i)\bgemm[\s_-]*$", prefix):
        return True
    words = r"(?i)\bgemm\b|implicit[- ]gemm|\bim2col\b|matrix multipl|\bmatmul\b|matrix product"
    lines = around.splitlines() or [""]
    if re.search(words, lines[-1]):
        return True
    return not prefix.strip(" `,;") and bool(re.search(words, "\n".join(lines[-3:-1])))


def judge_gemm(name: str, expr, letters: dict, around: str, *, letter: str | None = None,
               weak: dict | None = None) -> Judgement:
    """Judge ``name = expr`` (a GEMM dimension) with the document's letter roles ``letters``; ``letter``: the
    GEMM dimension when the name is a bare ``M``/``N``/``K``; ``weak``: letter roles by an unconfirmed
    convention, used when ``letters`` leave a name without a role — then agreement gives CORRECT and
    disagreement nothing (an unconfirmed binding never makes a statement wrong)."""
    if weak and any(dimension_role(str(x), letters) is None for x in expr.free_symbols):
        j = judge_gemm(name, expr, {**weak, **letters}, around, letter=letter)
        if j.verdict != "CORRECT":
            return Judgement("UNRECOGNIZED", "gemm_dimension",
                             f"{name}: the letters' roles are the common convention only, not stated by the text "
                             f"(as that convention it would be {j.verdict})")
        j.explanation += " (letters read by the common N C H W K R S P Q convention)"
        return j
    from .exact import EvalError, exact_value

    letter = letter or gemm_letter(name)
    if letter is None:
        raise ValueError(f"{name!r} is not the name of a GEMM dimension (GEMM_M, GEMM_N or GEMM_K)")
    passes = [p for p, rx in _PASS_WORDS.items() if re.search(rx, around)]
    if len(passes) > 1:
        return Judgement("UNRECOGNIZED", "gemm_dimension", f"{name}: the text names more than one pass ({', '.join(passes)})")
    kind = passes[0] if passes else "forward"
    roles = {}
    for sym in expr.free_symbols:
        role = dimension_role(str(sym), letters)
        if role is None:
            return Judgement("UNRECOGNIZED", "gemm_dimension", f"{name}: no dimension for {sym}")
        roles[str(sym)] = role
    matched: set = set()
    bad = None
    for sample in _SAMPLES:
        shapes = lowered_shapes(*(sample[k] for k in ("batch", "channels_in", "channels_out", "in_h", "in_w",
                                                      "k_h", "k_w", "s", "p")))
        values = dict(sample, out_h=shapes["out_h"], out_w=shapes["out_w"])
        try:
            got = exact_value(expr, {s: values[r] for s, r in roles.items()})
        except (EvalError, ZeroDivisionError) as exc:
            return Judgement("UNRECOGNIZED", "gemm_dimension", f"{name}: {exc}")
        dims = shapes[kind]
        hits = {d for d in _ALLOWED[kind][letter] if dims[d] == got}
        if not hits:
            bad = (values, got, dims[_ALLOWED[kind][letter][0]])
            break
        matched = hits if not matched else matched & hits
    what = _WHAT[kind]
    if bad is not None:
        values, got, want = bad
        shown = {s: values[r] for s, r in sorted(roles.items())}
        return Judgement("INCORRECT", "gemm_dimension",
                         f"{name} of the {kind} GEMM is {what[_ALLOWED[kind][letter][0]]}; with "
                         f"{', '.join(f'{k} = {v}' for k, v in shown.items())} the lowered matrices give {want}, "
                         f"the formula {got}", counterexample=dict(shown, document=int(got), expected=int(want)),
                         expected=what[_ALLOWED[kind][letter][0]])
    if len(matched) != 1:
        return Judgement("UNRECOGNIZED", "gemm_dimension", f"{name}: equals more than one dimension on the samples")
    dim = matched.pop()
    if dim == "per_tap":  # one GEMM per filter tap (the taps an outer loop): a decomposition the text must say
        return Judgement("UNRECOGNIZED", "gemm_dimension",
                         f"{name}: the reduction of one filter tap only (a GEMM per tap); the whole reduction is "
                         f"{what['reduce']}")
    return Judgement("CORRECT", "gemm_dimension",
                     f"{name} of the {kind} GEMM: {what[dim]}, read off the lowered matrices (the forward product "
                     "checked against the convolution)", expected=what[dim])
