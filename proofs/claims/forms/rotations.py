"""Claims about rotations and flips: "convolution is rotation equivariant", "global pooling makes the output
invariant to 90° rotations", "max pooling is not invariant to horizontal flips".

The transformation the sentence names is the one tested — a rotation by 90°
(the rotation a pixel grid has exactly; a claim about rotations in general
includes it) or a horizontal/vertical flip — on the operator it names: a 3×3
convolution (a fixed kernel without symmetry, circular padding so that the
border plays no part, its stride), 2×2 max/average pooling with stride 2,
global average/max pooling, or a dense layer. The property is computed on
small integer grids: equivariance ``op(T x) = T op(x)``, invariance
``op(T x) = op(x)``. A counterexample prints the input grid and the two
outputs that differ.

Sentences about group convolutions, steerable or symmetric filters, learned or
approximate robustness (data augmentation) are not read: their operator is not
one of these.

Verdicts: a property that fails on a grid is INCORRECT (CORRECT when the
sentence denies it); a property that holds on every grid tried is CORRECT
when the sentence names 90° rotations or flips, else UNRECOGNIZED (a rotation
by another angle is not exact on a pixel grid).

Examples
--------
>>> from proofs.claims.numbers_words import normalise
>>> s, = find(normalise("Convolutional layers are rotation equivariant."), None)
>>> s.op, s.transform, s.decide().verdict.value
('conv', 'rot90', 'INCORRECT')
>>> s, = find(normalise("Global average pooling is invariant to horizontal flips."), None)
>>> s.decide().verdict.value
'CORRECT'
>>> find(normalise("A group convolution is equivariant to 90° rotations."), None)
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ...findings import Verdict
from ..decide import Outcome

__all__ = ["find", "TransformProperty", "apply_op", "TRANSFORMS"]

_ROT = re.compile(r"\brotat\w*|\b90 ?(?:°|degrees?|deg)\b|quarter[- ]turns?")
_FLIP = re.compile(r"\b(?:horizontal|vertical)?\s?(?:flip\w*|reflect\w*|mirror\w*)")
_EQUI = re.compile(r"\bequivarian(?:t|ce)\b")
_INV = re.compile(r"\binvarian(?:t|ce)\b")
_SKIP = re.compile(r"\bgroups?\b|\bg-?cnns?\b|\blifting\b|\bsteerable\b|\bharmonic\b|\bp4m?\b|\bc4\b|\bd4\b|\bso\(2\)|\be\(2\)|"
                   r"\bsymmetric\b|\bisotropic\b|\baugment\w*|\blearn\w*|\bapproximate\w*|\brobust\w*|\bsmall\b|\bslight\w*|"
                   r"\bpartial\w*|\bsome\b|\bsomewhat\b|\bdegree of\b|\bmore\b|\bless\b|\bhelps?\b|\bencourag\w*|\bif\b|"
                   r"\bwhen\b|\bunless\b|\bpolar\b|\blog-polar\b|\bcapsule\w*|\bscal\w*|\btranslat\w*|\bshift\w*")
_NEG = re.compile(r"\b(?:not|never|no|isn't|aren't|lacks?|cannot|can't|fails? to|breaks?|destroys?)\b")
_OPS = [
    ("global_avg_pool", re.compile(r"\bglobal (?:average |avg |mean )?pool\w*|\bgap\b")),
    ("global_max_pool", re.compile(r"\bglobal max[- ]?pool\w*")),
    ("dense", re.compile(r"\bfc\b|\bfully[- ]connected\b|\bdense layers?\b|\blinear layers?\b")),
    ("avg_pool", re.compile(r"\b(?:average|avg|mean)[- ]?pool\w*")),
    ("max_pool", re.compile(r"\b(?:max[- ]?)?pool\w*")),
    ("conv", re.compile(r"\bconv\w*|\bcnns?\b|\bconvnets?\b|\bconvolution\w*")),
]
_WHOLE = re.compile(r"\b(?:over|across) (?:the )?(?:whole|entire|full|all|every)\b|\bglobal\b|\bover (?:all )?(?:spatial|space|positions)\b")
_STRIDE = re.compile(r"\bstride (?:of )?(\d)\b|\b(\d)-strided\b|\bstrided\b")

#: name -> (description, function on a 2-D grid)
TRANSFORMS = {
    "rot90": ("rotation by 90°", lambda a: np.rot90(a, 1, axes=(-2, -1))),
    "hflip": ("horizontal flip", lambda a: a[..., :, ::-1]),
    "vflip": ("vertical flip", lambda a: a[..., ::-1, :]),
}
_KERNEL = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [1.0, 0.0, 0.0]])  # no rotation or mirror symmetry
_DENSE = np.random.default_rng(7).integers(-2, 3, size=(4, 36)).astype(float)


def apply_op(op: str, x: np.ndarray, stride: int = 1) -> np.ndarray:
    """``op`` on a 2-D grid (a 3×3 circular conv with :data:`_KERNEL`, 2×2/2 pooling, global pooling, a dense layer).

    >>> apply_op("max_pool", np.arange(16.0).reshape(4, 4)).tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """
    import numeric

    if op == "conv":
        y = numeric.conv2d(x[None, None], _KERNEL[None, None], stride=stride, padding=1, padding_mode="circular")
        return y[0, 0]
    if op in ("max_pool", "avg_pool"):
        pool = numeric.max_pool2d if op == "max_pool" else numeric.avg_pool2d
        return pool(x[None, None], 2, 2)[0, 0]
    if op == "global_avg_pool":
        return np.array([[x.mean()]])
    if op == "global_max_pool":
        return np.array([[x.max()]])
    if op == "dense":
        return (_DENSE @ x.reshape(-1)).reshape(2, 2)
    raise ValueError(f"apply_op: unknown op {op!r}")


def _grid(a: np.ndarray) -> str:
    return " / ".join(" ".join(f"{v:g}" for v in row) for row in np.asarray(a))


@dataclass
class TransformProperty:
    """"``op`` is (not) ``prop`` to ``transform``" (prop: equivariant or invariant)."""

    op: str
    transform: str
    prop: str
    negated: bool = False
    exact_named: bool = False
    stride: int = 1
    quantity: str = "rotation_equivariance"

    def _search(self):
        name, t = TRANSFORMS[self.transform]
        rng = np.random.default_rng(0)
        for _ in range(40):
            x = rng.integers(0, 4, size=(6, 6)).astype(float)
            y_t = apply_op(self.op, t(x), self.stride)
            want = t(apply_op(self.op, x, self.stride)) if self.prop == "equivariant" else apply_op(self.op, x, self.stride)
            if y_t.shape != want.shape or not np.allclose(y_t, want):
                return x, y_t, want
        return None

    def _subject(self) -> str:
        what = {"conv": f"a 3×3 convolution (stride {self.stride}, circular padding, kernel {_grid(_KERNEL)})",
                "max_pool": "2×2 max pooling with stride 2", "avg_pool": "2×2 average pooling with stride 2",
                "global_avg_pool": "global average pooling", "global_max_pool": "global max pooling",
                "dense": "a dense layer (fixed integer weights)"}[self.op]
        return what

    def decide(self) -> Outcome:
        name, _ = TRANSFORMS[self.transform]
        found = self._search()
        subject = self._subject()
        relation = "op(T x) = T op(x)" if self.prop == "equivariant" else "op(T x) = op(x)"
        if found is not None:
            x, y_t, want = found
            cex = {"transformation": name, "operator": subject, "input x (6×6)": _grid(x),
                   "op(T x)": _grid(y_t), ("T op(x)" if self.prop == "equivariant" else "op(x)"): _grid(want),
                   "lhs": y_t.tolist(), "rhs": want.tolist()}
            text = f"{relation} tested on 6×6 integer grids with T = {name} for {subject}: it fails"
            if self.negated:
                return Outcome(Verdict.CORRECT, f"{text}, so it is indeed not {self.prop} to this transformation.",
                               expected=f"not {self.prop}")
            return Outcome(Verdict.INCORRECT, f"{text} (the two outputs below differ).", counterexample=cex,
                           expected=f"not {self.prop}")
        text = f"{relation} holds on 40 random 6×6 integer grids with T = {name} for {subject}"
        if self.negated:
            return Outcome(Verdict.INCORRECT, f"{text}, so the operator is {self.prop} to this transformation.",
                           expected=self.prop)
        if self.exact_named:
            return Outcome(Verdict.CORRECT, f"{text}.", expected=self.prop)
        return Outcome(Verdict.UNRECOGNIZED, f"{text}; rotations by other angles are not exact on a pixel grid, "
                       "so the general claim is not decided.")


def find(norm: str, section: str | None = None) -> list:
    """Rotation/flip property statements of a normalised sentence (empty when none)."""
    out = []
    for clause in re.split(r"\s*(?:;|→|->|, (?:but|while|whereas) )\s*", norm):
        rot, flip = _ROT.search(clause), _FLIP.search(clause)
        prop_m = _EQUI.search(clause) or _INV.search(clause)
        if not prop_m or not (rot or flip) or (rot and flip) or _SKIP.search(clause):
            continue
        if re.search(r"^\s*(?:prove|show|derive|explain|verify|why|what|how|does|is|are|can)\b|\?\s*$", clause):
            continue
        ops = [name for name, rx in _OPS if rx.search(clause)]
        if not ops:
            continue
        op = ops[0]
        if op in ("max_pool", "avg_pool") and _WHOLE.search(clause):
            op = "global_max_pool" if op == "max_pool" else "global_avg_pool"
        elif op in ("max_pool", "avg_pool") and re.search(r"\b(?:over|across)\b", clause):
            continue  # pooling over some named extent: not the 2×2 window tested here
        if op == "max_pool" and "conv" in ops and not re.search(r"\bmax[- ]?pool", clause):
            continue  # "a convolutional network with pooling": which operator is meant is not clear
        prop = "equivariant" if _EQUI.search(clause) else "invariant"
        if _EQUI.search(clause) and _INV.search(clause):
            continue
        negated = bool(_NEG.search(clause[max(0, prop_m.start() - 30):prop_m.start()]))
        if rot:
            transform, exact = "rot90", bool(re.search(r"\b90\b|quarter", clause))
        else:
            transform = "vflip" if "vertical" in clause else "hflip"
            exact = True
        stride = 1
        s = _STRIDE.search(clause)
        if s:
            stride = int(s.group(1) or s.group(2) or 2)
        if stride not in (1, 2):
            continue
        quantity = ("rotation_" if rot else "flip_") + ("equivariance" if prop == "equivariant" else "invariance")
        out.append(TransformProperty(op, transform, prop, negated, exact, stride, quantity))
    return out[:2]
