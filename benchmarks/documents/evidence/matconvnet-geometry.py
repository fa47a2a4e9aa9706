"""Evidence for matconvnet-geometry.tex (MatConvNet manual, chapter 'Geometry'): receptive fields as index sets,
1-based as in the manual; no checker code."""

import math
from fractions import Fraction as Fr

from _brute import window_count


def deps_filter(io, Hp, S, Pm):
    """Input indices (1-based) read by output io of a filter: [1, H'] + S(io-1) - P^-."""
    return list(range(1 + S * (io - 1) - Pm, Hp + S * (io - 1) - Pm + 1))


def rf_of(deps, io):
    lo, hi = min(deps(io)), max(deps(io))
    return Fr(lo + hi, 2), hi - lo + 1          # centre, size


def simple_filters():
    for Hp in range(1, 7):
        for S in range(1, 4):
            for Pm in range(0, 3):
                for io in range(1, 6):
                    c, size = rf_of(lambda k: deps_filter(k, Hp, S, Pm), io)
                    alpha, beta, delta = S, Fr(Hp + 1, 2) - Pm, Hp
                    assert c == alpha * (io - 1) + beta and size == delta
                    assert min(deps_filter(io, Hp, S, Pm)) == -Fr(Hp - 1, 2) + S * (io - 1) - Pm + Fr(Hp + 1, 2)
    assert (1, Fr(1 + 1, 2) - 0, 1) == (1, 1, 1)        # ReLU as a 1x1 filter
    for H in range(1, 15):
        for Hp in range(1, 6):
            for S in range(1, 4):
                for Pm in range(0, 3):
                    for Pp in range(0, 3):
                        if H + Pm + Pp < Hp:
                            continue
                        Ho = (H - Hp + Pm + Pp) // S + 1
                        assert Ho == window_count(H, Hp, S, Pm, Pp)
                        assert Hp + S * (Ho - 1) - Pm <= H + Pp < Hp + S * Ho - Pm


def caffe_pooling():
    for a in range(-10, 30):
        for b in range(1, 7):
            assert math.ceil(a / b) == math.floor((a + b - 1) / b)
            assert math.floor(a / b) == math.ceil((a - b + 1) / b)
    worst = 0
    for H in range(1, 25):
        for Hp in range(1, 6):
            for S in range(1, 5):
                for P in range(0, Hp):             # Caffe: P <= H' - 1, symmetric
                    if H + 2 * P < Hp:
                        continue
                    Ho = math.ceil((H - Hp + 2 * P) / S) + 1
                    # smallest H'' whose last window reaches the last (padded) sample
                    assert Ho == min(n for n in range(1, 60) if S * (n - 1) + Hp >= H + 2 * P)
                    bound = Fr(H - 1 + P, S) + 1
                    worst = max(worst, Ho - bound)
                    if P + S <= Hp:
                        assert Ho <= bound
    assert worst <= 1 and worst > 0                # violated, by less than one unit


def matconvnet_equivalent():
    # right padding P+ >= P- + S - 1 makes MatConvNet (floor) reach the Caffe-padded end H + 2P-
    for H in range(1, 25):
        for Hp in range(1, 6):
            for S in range(1, 4):
                for Pm in range(0, Hp):
                    Pp = Pm + S - 1
                    if H + Pm + Pp < Hp:
                        continue
                    last = S * ((H - Hp + Pm + Pp) // S + 1 - 1) + Hp
                    assert last >= H + 2 * Pm
    # the example: H' = 3, S = 1, P- = 0 gives min{0 + 1 - 1, 3 - 1} = 0, not 1
    assert min(0 + 1 - 1, 3 - 1) == 0
    for H in range(3, 20):                           # and with P+ = 0 the outputs already match Caffe
        assert window_count(H, 3, 1, 0, 0) == math.ceil((H - 3) / 1) + 1


def deps_convt(io, Hp, U, Cm):
    """Inputs i interacting with output io of a convolution transpose: 1 + U(i-1) - C- <= io <= H' + U(i-1) - C-."""
    return [i for i in range(-20, 40) if 1 + U * (i - 1) - Cm <= io <= Hp + U * (i - 1) - Cm]


def convt():
    for Hp in range(1, 7):
        for U in range(1, 4):
            for Cm in range(0, 3):
                for io in range(1, 12):
                    d = deps_convt(io, Hp, U, Cm)
                    lo = math.ceil(Fr(io + Cm - Hp, U)) + 1
                    hi = math.floor(Fr(io + Cm - 1, U)) + 1
                    assert d == list(range(lo, hi + 1))
                    # relaxed window alpha = 1/U, beta = (2C- - H' + 1)/(2U) + 1, Delta = (H'-1)/U + 1 encloses it
                    c = Fr(1, U) * (io - 1) + Fr(2 * Cm - Hp + 1, 2 * U) + 1
                    half = (Fr(Hp - 1, U) + 1 - 1) / 2
                    assert c - half <= lo and hi <= c + half
    for H in range(1, 8):
        for Hp in range(1, 6):
            for U in range(1, 4):
                for Cm in range(0, 2):
                    for Cp in range(0, 2):
                        ok = [n for n in range(1, 60) if n - Hp + Cm + Cp >= 0 and 1 + (n - Hp + Cm + Cp) // U == H]
                        lo = U * (H - 1) + Hp - Cm - Cp
                        if ok and lo >= 1:
                            assert ok == list(range(lo, U * H + Hp - Cm - Cp))


def transposing():
    # forward RF (alpha, beta, Delta) -> reverse (1/alpha, (1+alpha-beta)/alpha, (Delta+alpha-1)/alpha)
    for S in range(1, 4):
        for Hp in range(1, 7):
            for Pm in range(0, 3):
                a, b, D = Fr(S), Fr(Hp + 1, 2) - Pm, Fr(Hp)
                ah, bh, Dh = 1 / a, (1 + a - b) / a, (D + a - 1) / a
                # the convolution-transpose formulas of the previous section, with U = S, C- = P-
                assert ah == Fr(1, S) and bh == Fr(2 * Pm - Hp + 1, 2 * S) + 1 and Dh == Fr(Hp - 1, S) + 1
                # the example's last step drops the factor 2: (2P- - H' + 1)/S + 1
                if 2 * Pm - Hp + 1 != 0:
                    assert bh != Fr(2 * Pm - Hp + 1, S) + 1
                # half-width of the reversed window is (Delta - 1)/(2 alpha) on both sides
                half = (Dh - 1) / 2
                assert half == (D - 1) / (2 * a)
                if S > 1 and Hp > 1:
                    assert ((D + a - 1) / a - 1) / (2 * a) != half      # the right-hand bound of line 216
    assert Fr(2 * 0 - 3 + 1, 2 * 2) + 1 == Fr(1, 2) and Fr(2 * 0 - 3 + 1, 2) + 1 == 0


def composing():
    def window(alpha, beta, delta, i):
        return (alpha * (i - 1) + beta - Fr(delta - 1, 2), alpha * (i - 1) + beta + Fr(delta - 1, 2))
    for (af, bf, df) in ((1, 2, 3), (2, Fr(3, 2), 2), (2, 0, 5)):
        for (ag, bg, dg) in ((1, 1, 1), (2, Fr(5, 2), 4), (3, 1, 3)):
            for ih in range(1, 6):
                glo, ghi = window(ag, bg, dg, ih)
                lo = window(af, bf, df, glo)[0]
                hi = window(af, bf, df, ghi)[1]
                ah, bh, dh = af * ag, af * (bg - 1) + bf, af * (dg - 1) + df
                assert (lo, hi) == window(ah, bh, dh, ih)
    # overlay: min of the lower ends is the smallest index (i_min), max of the upper ends the largest (i_max)
    a_ = min(Fr(2) - 1, Fr(3) - 2)
    b_ = max(Fr(2) + 1, Fr(3) + 2)
    assert a_ == 1 and b_ == 5 and (a_ + b_) / 2 == 3 and b_ - a_ + 1 == 5   # [1, 5] = [i_min, i_max]


if __name__ == "__main__":
    for fn in (simple_filters, caffe_pooling, matconvnet_equivalent, convt, transposing, composing):
        fn()
    print("matconvnet-geometry: all evidence checks pass")
