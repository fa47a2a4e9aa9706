r"""The findings on a document's code: run its cells through the interpreter in order (one environment, as a
notebook runs), line up each print and displayed value with the output lines shown after the cell, and judge
the shapes those lines, the comments and the asserts state (:mod:`proofs.code.judge`).

Output lines are matched in order: a print must match the next ``stdout`` line — unless a call the reader
cannot predict ran before it (it may have printed), in which case the first later line that matches the
print's pattern is taken. Prints in loops over known sequences are unrolled, so each iteration has its line.

>>> text = ("```python\nimport torch\nfrom torch import nn\nx = torch.randn(1, 1, 28, 28)\n"
...         "conv = nn.Conv2d(1, 6, kernel_size=5, padding=2)\npool = nn.MaxPool2d(2)\n"
...         "print(conv(x).shape)\nprint(pool(conv(x)).shape)\ny = pool(x)  # (1, 1, 13, 13)\n```\n\n"
...         "```\ntorch.Size([1, 6, 28, 28])\ntorch.Size([1, 6, 14, 14])\n```\n")
>>> [(f.line, f.verdict.value, f.quantity) for f in code_findings_in(text.splitlines(), "markdown")]
[(9, 'INCORRECT', 'pooling'), (13, 'CORRECT', 'output_size'), (14, 'CORRECT', 'pooling')]
"""

from __future__ import annotations

import io
import re
import tokenize

from ..findings import Finding, Verdict
from .blocks import Cell, document_cells, notebook_cells, source_text
from .interpret import Interpreter
from .values import Tensor
from .judge import compare, judged_value
from .printed import read_line, shapes_in_comment

__all__ = ["code_findings", "code_findings_in", "cell_findings"]


def _comments(src: str) -> dict:
    out = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(src).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out


def _finding(line: int, source: str, j) -> Finding:
    return Finding(line=line, source=source.strip(), kind="example", verdict=Verdict(j.verdict), quantity=j.quantity,
                   counterexample=j.counterexample, expected=j.expected, explanation=j.explanation)


def _bind_outputs(events, outputs) -> list[Finding]:
    found: list[Finding] = []
    stream = [(n, t) for n, t, k in outputs if k in ("stream", "any")]  # a doctest's lines are both
    results = [(n, t) for n, t, k in outputs if k in ("result", "any")]
    sp, free, lost = 0, False, False
    for ev in events:
        if ev.kind == "opaque":
            free = True
            continue
        if ev.kind not in ("print", "result"):
            continue
        # a tensor itself is judged only where its printed form shows its shape (TensorFlow's eager repr)
        judged = [p for p in ev.parts if judged_value(p) is not None and (not isinstance(p, Tensor) or p.lib == "tf")]
        pool = stream if ev.kind == "print" else results
        start = sp if ev.kind == "print" else 0
        if ev.kind == "print" and (lost or not judged):
            free = True  # a print with nothing to judge may print several lines: later prints search forward
            continue
        parts = [p if isinstance(p, Tensor) else (judged_value(p) or p) for p in ev.parts]
        hit = None
        span = sum(p.count("\n") for p in parts if isinstance(p, str))  # a print of several lines
        for k in range(start, len(pool) - span):
            got = read_line(parts, "\n".join(t for _, t in pool[k: k + span + 1]))
            if got is not None:
                hit = (k + span, got)
                break
            if ev.kind == "print" and not free:
                break
        if hit is None:
            if ev.kind == "print":
                lost = True
            continue
        k, got = hit
        if ev.kind == "print":
            sp, free = k + 1, False
        line = pool[k][0]
        for v, claimed, shown in got:
            if judged_value(v) is None:
                continue
            j = compare(v, claimed)
            if j is not None:
                found.append(_finding(line, shown, j))
    return found


#: a comment that speaks of another tensor or of the layer's own sizes is not a statement of the result
_OTHER = re.compile(r"(?i)\b(?:input|inputs|in_?channels|from|kernel|filters?|window|stride|weights?|before|was)\b|\bin\s*:")
#: words that say a size is the result (needed when only the spatial sizes are written)
_OUTPUT = re.compile(r"(?i)->|→|=>|\bout(?:put)?\b|\bshape\b|\bsize\b|\bbecomes?\b|\bgives?\b|=")


def _comment_findings(events) -> list[Finding]:
    found = []
    for ev in events:
        if ev.kind == "comment":
            values = ev.value if isinstance(ev.value, list) else [ev.value]
            judged = [judged_value(v) for v in values if judged_value(v) is not None]
            claims = shapes_in_comment(ev.text)
            if len(judged) == 1 and len(claims) == 1 and not _OTHER.search(ev.text):
                bare = re.fullmatch(r"#+\s*(?:[:=]\s*)?" + re.escape(claims[0][1]) + r"\s*\W*", ev.text.strip())
                j = compare(judged[0], claims[0][0], partial=not ev.after and bool(bare or _OUTPUT.search(ev.text)))
                if j is not None:
                    found.append(_finding(ev.line, claims[0][1], j))
        elif ev.kind == "assert":
            v, claim = judged_value(ev.value), ev.parts[0]
            if v is not None and isinstance(claim, (tuple, list)):
                j = compare(v, tuple(claim))
            elif v is not None and isinstance(claim, int):
                j = compare(v, (claim,))
            else:
                j = None
            if j is not None:
                found.append(_finding(ev.line, ev.text, j))
    return found


def _node_findings(src: str, lines: list) -> list[Finding]:
    """Operator nodes applied to literal arrays, their expected arrays compared entry by entry (node_examples)."""
    from .node_examples import node_judgements

    text = src.splitlines()
    return [_finding(n, text[lines.index(n)] if n in lines else "", j)
            for n, j in node_judgements(src, lambda k: lines[min(max(k, 1), len(lines)) - 1])]


def _printed_array_findings(cells: list[Cell], lines: list | None) -> list[Finding]:
    """Arrays printed after a cell against what its code computes from literal arrays (printed_arrays)."""
    from .printed_arrays import printed_judgements

    return [_finding(n, "", j) for n, j in printed_judgements(cells, lines)]


def _ran_in_order(cells: list[Cell]) -> bool:
    """Did the notebook's cells run top to bottom (their execution counts increasing)?"""
    counts = [c.executed for c in cells if c.executed is not None]
    return all(a < b for a, b in zip(counts, counts[1:]))


def cell_findings(cells: list[Cell], lines: list | None = None) -> list[Finding]:
    """Findings on the cells, run in order in one interpreter. In a notebook whose cells ran out of order the
    state the outputs came from is not the one read top to bottom: a mismatch there is reported UNRECOGNIZED."""
    found = _cell_findings(cells) + _printed_array_findings(cells, lines)
    if not _ran_in_order(cells):
        for f in found:
            if f.verdict == Verdict.INCORRECT:
                f.verdict, f.counterexample = Verdict.UNRECOGNIZED, None
                f.explanation = ("the notebook's cells ran out of order (execution counts not increasing), so the "
                                 f"printed value may come from another state: {f.explanation}")
    return found


def _cell_findings(cells: list[Cell]) -> list[Finding]:
    it = Interpreter()
    found: list[Finding] = []
    for cell in cells:
        if not cell.source:
            continue
        src = source_text(cell.source)
        lines = [n for n, _ in cell.source]
        try:
            events = it.run(src, display_last=cell.display_last, comments=_comments(src),
                            line_of=lambda n, lines=lines: lines[min(max(n, 1), len(lines)) - 1])
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        found += _bind_outputs(events, cell.outputs) + _comment_findings(events)
        found += _node_findings(src, lines)
    return sorted(found, key=lambda f: f.line)


def code_findings_in(lines: list[str], fmt: str = "markdown") -> list[Finding]:
    """Findings on the code of a document given as its lines."""
    return cell_findings(document_cells(lines, fmt), lines)


def code_findings(doc) -> list[Finding]:
    """Findings on the code of a read document (a notebook's cells read from its file, at the file's lines)."""
    try:
        if getattr(doc, "origins", None) and getattr(doc, "path", None):
            with open(doc.path, encoding="utf-8-sig") as fh:
                cells = notebook_cells(fh.read())
        else:
            cells = document_cells(list(doc.lines), getattr(doc, "fmt", "markdown"))
        found = cell_findings(cells, None if getattr(doc, "origins", None) else list(doc.lines))
    except (OSError, UnicodeDecodeError):
        return []
    except Exception as exc:  # noqa: BLE001 - code the reader cannot take must not lose the report
        return [Finding(line=1, source="", kind="example", verdict=Verdict.UNRECOGNIZED,
                        explanation=f"code examples could not be checked ({type(exc).__name__}: {exc})")]
    for f in found:
        if not getattr(doc, "origins", None):
            f.section = doc.section_at(f.line)
    return found
