r"""The split of a SAME padding stated in prose: "the extra padding is added at the end for SAME_UPPER and at the
beginning for SAME_LOWER", "TensorFlow puts the extra row at the bottom".

A sentence that names the *extra* unit of padding (extra, excess, surplus, leftover… followed by padding, row,
column, pixel…) and a side (end/right/bottom or beginning/left/top) states which side of an odd total padding
takes the odd pixel. The mode comes from the clause, else its sentence or bullet line (one mode only), else
the section when it names TensorFlow/Keras/``SAME`` and no ONNX mode. The statement is judged against
``derive``'s before/after padding for a configuration whose total padding is odd; without a mode, no verdict.

Examples
--------
>>> [f.verdict.value for f in prose_split_findings(["With SAME_UPPER the extra padding is added at the end."])]
['CORRECT']
>>> [f.verdict.value for f in prose_split_findings(["For SAME_LOWER, the extra pixel of padding goes to the right."])]
['INCORRECT']
"""

from __future__ import annotations

import re

from .spec_block import _modes, _same_pads, _section_start

__all__ = ["prose_split_findings"]


_EXTRA = re.compile(r"(?i)\b(?:extra|excess|surplus|remaining|additional|leftover|larger half|bigger half|one more)\b"
                    r"(?=[^.;]{0,30}\b(?:pad\w*|rows?|columns?|pixels?|elements?|zeros?|units?|values?|cells?)\b)")
_SIDE = re.compile(r"(?i)\b(?:at|on|to|towards?|in)\s+(?:the\s+)?(end|right|bottom|trailing|beginning|begin|start|left|top|"
                   r"front|leading)\b")
_FIRST_SIDE = {"beginning", "begin", "start", "left", "top", "front", "leading"}


def _odd_split(lower: bool) -> tuple[dict, int, int]:
    """A configuration whose SAME total padding is odd, and derive's (before, after) for it."""
    for H in range(1, 12):
        for k in range(2, 6):
            v = {"H": H, "k": k, "s": 1, "d": 1}
            b, e = _same_pads(v, lower)
            if (b + e) % 2:
                return v, b, e
    raise ValueError("no odd total padding found")


def prose_split_findings(lines) -> list:
    """Findings for the sentences of ``lines`` that say which side of a SAME padding takes the odd pixel."""
    from ..findings import Finding, Verdict

    out = []
    fence = False
    for n, line in enumerate(lines, start=1):
        if line.strip().startswith("```"):
            fence = not fence
            continue
        if fence or not _EXTRA.search(line) or not re.search(r"(?i)pad", line + " ".join(lines[max(0, n - 3): n])):
            continue
        section = "\n".join(lines[_section_start(lines, n): n + 1])
        verdicts = []
        for sentence, clause in ((t, c) for t in re.split(r"(?<=[.!?])\s+", line)
                                 for c in re.split(r"(?i);|,?\s+\b(?:and|while|whereas|but)\b\s+", t)):
            modes_in_line = _modes(sentence) or (_modes(line) if len(_modes(line)) == 1 else set())
            if not _EXTRA.search(clause) and not (verdicts and _SIDE.search(clause)):
                continue
            side = _SIDE.search(clause[(_EXTRA.search(clause).start() if _EXTRA.search(clause) else 0):])
            if not side:
                continue
            modes = _modes(clause)
            if not modes and len(modes_in_line) == 1:
                modes = modes_in_line
            if not modes and not modes_in_line and not _modes(section) and \
                    re.search(r"(?i:\btensorflow\b|\bkeras\b|\bsame[ -]padd|['\"]same['\"])|\bSAME\b", section):
                modes = {"SAME"}
            if len(modes) != 1:
                continue
            mode = modes.pop()
            lower = mode == "SAME_LOWER"
            v, b, e = _odd_split(lower)
            first = side.group(1).lower() in _FIRST_SIDE
            right = (b > e) == first
            verdicts.append((mode, side.group(1), right, v, b, e))
        if not verdicts:
            continue
        bad = [t for t in verdicts if not t[2]]
        mode, word, _, v, b, e = bad[0] if bad else verdicts[0]
        what = f"{mode}: the odd padding pixel goes to the {'beginning' if b > e else 'end'}"
        if bad:
            out.append(Finding(line=n, source=line.strip(), kind="claim", verdict=Verdict.INCORRECT, quantity="same_padding",
                               counterexample={"values": v, "document": f"extra at the {word}",
                                               "expected": f"before {b}, after {e}"},
                               explanation=f"{what} (derive: input {v['H']}, kernel {v['k']}, stride 1 pads {b} before "
                                           f"and {e} after), not at the {word}"))
        else:
            out.append(Finding(line=n, source=line.strip(), kind="claim", verdict=Verdict.CORRECT, quantity="same_padding",
                               explanation=f"{what}, as stated (derive: input {v['H']}, kernel {v['k']}, stride 1 pads "
                                           f"{b} before and {e} after)"))
    return out
