"""parse_math: tables of (formula -> expected SymPy structure), LaTeX and Unicode spellings."""

from __future__ import annotations

import pytest
import sympy as sp

from proofs.document import MathParseError, ParsedMath, parse_math

S = sp.Symbol


def F(name):
    return sp.Function(name)


def IB(name, *idx):
    return sp.Indexed(sp.IndexedBase(name), *idx)


H, P, k, s, S_, W, i, j, m, n, p, u, v, c, d, x, L = (S(t) for t in "H P k s S W i j m n p u v c d x L".split())
H_out, C_in, C_out = S("H_out"), S("C_in"), S("C_out")
OUT = sp.floor((H + 2 * P - k) / S_) + 1

# (id, formula, expected sides, expected relations)
CASES = [
    # output size, LaTeX and Unicode
    ("size-latex-frac", r"H_{out} = \left\lfloor \frac{H + 2P - k}{S} \right\rfloor + 1", [H_out, OUT], ["="]),
    ("size-latex-dfrac", r"H_{out} = \lfloor \dfrac{H + 2P - k}{S} \rfloor + 1", [H_out, OUT], ["="]),
    ("size-unicode", "H_out = ⌊(H + 2P − k)/S⌋ + 1", [H_out, OUT], ["="]),
    ("size-ceil", r"o = \lceil i / s \rceil", [S("o"), sp.ceiling(S("i") / s)], ["="]),
    ("size-ceil-unicode", "o = ⌈i/s⌉", [S("o"), sp.ceiling(S("i") / s)], ["="]),
    ("text-subscript", r"C_{\text{in}} + C_\textrm{out}", [C_in + C_out], []),
    ("d2l-textrm", r"n_\textrm{h}-k_\textrm{h}+1", [S("n_h") - S("k_h") + 1], []),
    ("mathrm-subscript", r"W_{\mathrm{out}}", [S("W_out")], []),
    # chains and relations
    ("chain-arith", "⌊(224 − 7 + 2·3)/2⌋ + 1 = ⌊223/2⌋ + 1 = 112", [112, 112, 112], ["=", "="]),
    ("approx", r"x \approx 0.5", [x, sp.Rational(1, 2)], ["≈"]),
    ("approx-unicode", "x ≈ 0.25", [x, sp.Rational(1, 4)], ["≈"]),
    ("leq-chain", r"0 \leq m < k", [0, m, k], ["≤", "<"]),
    ("in-realspace", r"X \in \mathbb{R}^{H \times W}", [S("X"), F("RealSpace")(H, W)], ["∈"]),
    ("in-realspace-unicode", "K ∈ ℝ^{k×k}", [S("K"), F("RealSpace")(k, k)], ["∈"]),
    ("neq", r"a \neq b", [S("a"), S("b")], ["≠"]),
    ("to", r"n \to \infty", [n, sp.oo], ["→"]),
    ("propto", r"y \propto x", [S("y"), x], ["∝"]),
    ("equiv-mod", r"a \equiv b \bmod s", [S("a"), sp.Mod(S("b"), s)], ["≡"]),
    # numbers
    ("thousands", "55*55*96 = 290,400", [290400, 290400], ["="]),
    ("thousands-latex", r"64 \times 64 \times 5 \times 5 + 64 = 102{,}464", [102464, 102464], ["="]),
    ("tuple-not-thousands", "(3, 500)", [sp.Tuple(3, 500)], []),
    ("index-not-thousands", "X[1,100]", [IB("X", 1, 100)], []),
    ("pmod", r"a \equiv b \pmod{s}", [S("a"), sp.Mod(S("b"), s)], ["≡"]),
    ("comma-list-before-relation", r"a, b \in (0, 10)", [sp.Tuple(S("a"), S("b")), sp.Tuple(0, 10)], ["∈"]),
    ("unit-word", "53 billion", [53 * 10**9], []),
    ("decimal", "1.5 + 0.25", [sp.Rational(7, 4)], []),
    ("percent", r"28\%", [sp.Rational(7, 25)], []),
    ("million", r"196\,\text{million}", [196000000], []),
    ("power", "2^{10}", [1024], []),
    ("unicode-superscript", "k² + r₁", [k**2 + S("r_1")], []),
    # implicit multiplication and letter runs
    ("implicit-2P", "2P", [2 * P], []),
    ("implicit-dk", "d(k-1)+1", [d * (k - 1) + 1], []),
    ("letter-run-HW", "1/HW", [1 / (H * W)], []),
    ("word-name", "Parameters", [S("Parameters")], []),
    ("known-name-RF", "RF_ℓ", [S("RF_ell")], []),
    # names
    ("greek-latex", r"\delta + \sigma + \alpha", [S("delta") + S("sigma") + S("alpha")], []),
    ("greek-unicode", "δ + σ + α", [S("delta") + S("sigma") + S("alpha")], []),
    ("ell-subscript", r"k_\ell + k_ℓ", [2 * S("k_ell")], []),
    ("prime", "i' + k'", [S("i'") + S("k'")], []),
    ("layer-label", r"K^{(l)}", [S("K^(l)")], []),
    ("layer-label-sub", r"Z^{(l)}_{j}", [S("Z^(l)_j")], []),
    ("layer-label-indexed", r"K^{(l)}_{i,j}", [IB("K^(l)", i, j)], []),
    ("two-letter-subscript", r"a_{ij}", [S("a_ij")], []),
    ("subscript-number", "k_1 + s_i", [S("k_1") + S("s_i")], []),
    ("hat", r"\hat{y}_i", [S("hat(y)_i")], []),
    ("mathcal", r"\mathcal{L}", [L], []),
    ("mathbf", r"\mathbf{x}", [x], []),
    ("power-after-subscript", "σ²_B", [S("sigma_B") ** 2], []),
    # indexing
    ("subscript-index", r"X_{i+m, j+n}", [IB("X", i + m, j + n)], []),
    ("bracket-index", "X[i+u, j+v, d]", [IB("X", i + u, j + v, d)], []),
    ("d2l-bracket-tensor", r"[\mathbf{X}]_{i,j}", [IB("X", i, j)], []),
    # sums and products
    ("sum-range", r"\sum_{m=0}^{k-1} x_m", [sp.Sum(S("x_m"), (m, 0, k - 1))], []),
    ("sum-unicode", "∑_{m=0}^{k-1} x_m", [sp.Sum(S("x_m"), (m, 0, k - 1))], []),
    ("sum-bare", r"\sum_{m} a_m", [sp.Sum(S("a_m"), (m, -sp.oo, sp.oo))], []),
    ("sum-pair", r"\sum_{i,j} X_{i,j}", [sp.Sum(IB("X", i, j), (i, -sp.oo, sp.oo), (j, -sp.oo, sp.oo))], []),
    ("sum-interval", r"\sum_{m,n \in [0,p)} X_{m,n}", [sp.Sum(IB("X", m, n), (m, 0, p - 1), (n, 0, p - 1))], []),
    ("sum-inequalities", r"\sum_{0 \le m < k} x_m", [sp.Sum(S("x_m"), (m, 0, k - 1))], []),
    ("sum-set-ellipsis", "∑_{u ∈ {0,…,k-1}} x_u", [sp.Sum(S("x_u"), (u, 0, k - 1))], []),
    ("greek-sum", "Σ_{p=0}^{k-1} x_p", [sp.Sum(S("x_p"), (p, 0, k - 1))], []),
    ("prod", r"\prod_{i=1}^{l-1} s_i", [sp.Product(S("s_i"), (i, 1, S("l") - 1))], []),
    ("prod-unicode-bare-body", "(k - 1) · ∏_{i=1}^{L} s_i", [(k - 1) * sp.Product(S("s_i"), (i, 1, L))], []),
    ("max-over", r"\max_{0 \leq m < k} x_m",
     [F("max_over")(S("x_m"), sp.Tuple(m, 0, k - 1))], []),
    ("max-call", r"\max(0, x)", [sp.Max(0, x)], []),
    ("max-word", "max(0, x)", [sp.Max(0, x)], []),
    # functions and application
    ("apply-two-args", "I(i+m, j+n)", [F("I")(i + m, j + n)], []),
    ("apply-f", "f(x)", [F("f")(x)], []),
    ("apply-sigma", r"\sigma(x)", [F("sigma")(x)], []),
    ("apply-word", "conv(X, W)", [F("conv")(S("X"), W)], []),
    ("big-O", r"O(n^2)", [F("O")(n**2)], []),
    ("exp", r"\exp(-x)", [sp.exp(-x)], []),
    ("e-power", r"\frac{1}{1 + e^{-x}}", [1 / (1 + sp.exp(-x))], []),
    ("log", r"\log(x)", [sp.log(x)], []),
    ("sqrt", r"\sqrt{x}", [sp.sqrt(x)], []),
    ("sqrt-unicode", "√(x + 1)", [sp.sqrt(x + 1)], []),
    ("abs", r"\lvert x \rvert + |y|", [sp.Abs(x) + sp.Abs(S("y"))], []),
    ("norm", r"\|W\|_2", [F("norm")(W, 2)], []),
    ("transpose", r"(a)^T", [F("transpose")(S("a"))], []),
    ("nabla", r"\nabla L", [F("nabla")(L)], []),
    # derivatives
    ("partial-frac", r"\frac{\partial L}{\partial W_{i,j}}", [sp.Derivative(L, IB("W", i, j))], []),
    ("partial-slash", "∂L/∂X[i,j,d]", [sp.Derivative(L, IB("X", i, j, d))], []),
    ("partial-times", "(1/p²) · ∂L/∂Y[i, j]", [sp.Derivative(L, IB("Y", i, j)) / p**2], []),
    ("partial-subscript", r"\partial_{b} L", [sp.Derivative(L, S("b"))], []),
    # convolution operators
    ("conv-definition", r"(I * K)(i, j)", [F("at")(F("conv")(S("I"), S("K")), i, j)], []),
    ("conv-tensors", r"X * K + b", [F("conv")(S("X"), S("K")) + S("b")], []),
    ("star-numbers", "3 * 4", [12], []),
    ("star-lowercase-scalars", "k * k", [k**2], []),
    ("corr", "I ⋆ K", [F("corr")(S("I"), S("K"))], []),
    ("dilated", "I *_d K", [F("dilated_conv")(S("I"), S("K"), d)], []),
    ("hadamard", r"r \odot a", [F("hadamard")(S("r"), S("a"))], []),
    # cases, tuples, conditions
    ("cases", r"\begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}",
     [sp.Piecewise((x, x > 0), (0, True))], []),
    ("tuple-relation", "k=3, P=1, s=1", [sp.Tuple(k, P, s), sp.Tuple(3, 1, 1)], ["="]),
    ("set-after-relation", r"l = 1, \dots, L", [S("l"), sp.Tuple(1, S("ldots"), L)], ["="]),
    ("interval", "[0, p)", [sp.Interval(0, p, False, True)], []),
    ("mod", r"(a + P) \bmod s", [sp.Mod(S("a") + P, s)], []),
    ("matrix", r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", [sp.ImmutableMatrix([[1, 2], [3, 4]])], []),
    ("matrix-conv", r"\begin{bmatrix} a \end{bmatrix} * \begin{bmatrix} b \end{bmatrix}",
     [F("conv")(sp.ImmutableMatrix([[S("a")]]), sp.ImmutableMatrix([[S("b")]]))], []),
    ("star-sizes", "F * F * D", [S("F") ** 2 * S("D")], []),
    ("star-signal", "W * x + b", [F("conv")(W, x) + S("b")], []),
    ("number-bracket", r"2\left[a + b\right]", [2 * S("a") + 2 * S("b")], []),
    ("word-mod", "a mod s", [sp.Mod(S("a"), s)], []),
    ("words-name", r"output size = \lfloor (H - k)/s \rfloor + 1",
     [S("output_size"), sp.floor((H - k) / s) + 1], ["="]),
    ("spacing-commands", r"a\,\cdot\;b\quad", [S("a") * S("b")], []),
]


@pytest.mark.parametrize("tex, sides, relations", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_parse_table(tex, sides, relations):
    pm = parse_math(tex)
    assert isinstance(pm, ParsedMath)
    assert pm.relations == relations
    assert len(pm.sides) == len(sides)
    for got, want in zip(pm.sides, sides):
        want = sp.Integer(want) if isinstance(want, int) else want
        assert got == want, (tex, got, want)
    assert pm.text == tex


def test_symbols_have_no_assumptions():
    pm = parse_math(r"H_{out} = \lfloor (H + 2P - k)/S \rfloor + 1")
    for sym in pm.sides[1].free_symbols | pm.sides[0].free_symbols:
        assert sym.assumptions0 == {"commutative": True}, sym


def test_side_condition_is_split_off():
    pm = parse_math(r"h_l = \sigma(z_l), \quad l = 1, \dots, L-1")
    assert pm.sides == [S("h_l"), F("sigma")(S("z_l"))]
    assert pm.conditions == [r"l = 1, \dots, L-1"]


NOTED = [
    ("dk-multiplication", "d(k-1)", "d(…) read as multiplication"),
    ("conv-star", "X * K", "'*' between tensors read as convolution conv(a, b)"),
    ("letter-run", "HW", "'HW' read as the product H·W"),
    ("thousands", "102,464", "'102,464' read as the number 102464 (thousands separators)"),
    ("ij-label", "a_{ij}", "subscript 'ij' read as one label"),
]


@pytest.mark.parametrize("tex, note", [c[1:] for c in NOTED], ids=[c[0] for c in NOTED])
def test_ambiguities_are_noted(tex, note):
    assert note in parse_math(tex).notes


ERRORS = [
    ("unsupported-env", r"\begin{tabular}{cc} 1 & 2 \end{tabular}", "unsupported: \\begin{tabular}"),
    ("unsupported-command", r"\int_0^1 x", "unsupported: \\int"),
    ("huge-exponent", r"10^{10^{10}}", "bound exceeded: exponent 10^10 > 10^4"),
    ("huge-power-digits", r"99^{9999}", "bound exceeded: power with about"),
    ("too-long", "x+" * 1500 + "x", "bound exceeded: length 3001 > 2000 characters"),
    ("too-deep", "(" * 60 + "x" + ")" * 60, "bound exceeded: nesting depth 60 > 40"),
    ("factorial", "100000!", "bound exceeded: factorial of 100000 > 1000"),
    ("syntax-token", "a + * b", "syntax: unexpected token"),
    ("syntax-end", "a +", "syntax: unexpected end of formula"),
    ("syntax-char", "a ☃ b", "syntax: unexpected character"),
    ("empty", "   ", "syntax: empty formula"),
    ("unpaired-bar", "|x", "unsupported: unpaired |"),
    ("python-code", "__import__('os').system('ls')", "syntax:"),
]


@pytest.mark.parametrize("tex, reason", [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors_have_reasons(tex, reason):
    with pytest.raises(MathParseError) as info:
        parse_math(tex)
    assert info.value.reason.startswith(reason), info.value.reason
    assert isinstance(info.value, ValueError)


def test_non_string_is_a_parse_error():
    with pytest.raises(MathParseError, match="expected a str"):
        parse_math(3)  # type: ignore[arg-type]
