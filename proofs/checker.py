"""Check a document or one formula: :func:`check_document` and :func:`check_formula`.

``check_document`` reads the document (:mod:`proofs.document`), parses every
math span with our grammar, judges each formula or worked example
(:mod:`proofs.judge`) and merges the findings on claims made in words
(:mod:`proofs.claims`), in line order. Every verdict is computed.

Examples
--------
>>> f = check_formula("H_out = ⌊(H + 2P - k)/S⌋ + 1", context="input size H, kernel size k, padding P, stride S")
>>> f.verdict.value, f.quantity
('CORRECT', 'output_size')
>>> check_formula("64 × 64 × 3 × 3 + 64 = 36,927").verdict.value
'INCORRECT'
>>> check_formula("__import__('os').system('echo hi')").verdict.value
'UNRECOGNIZED'
>>> r = check_document("Output: $H_{out} = (H + 2P - k)/S + 1$ with padding P on each side, stride S, kernel size k.\\n")
>>> [(f.line, f.verdict.value, f.condition) for f in r.findings]
[(1, 'CONDITIONAL', 'S divides (H + 2·P − k)')]
"""

from __future__ import annotations

import re

from .budget import EXHAUSTED, Budget
from .findings import Finding, Report, Verdict
from .judge import FormulaContext, judge_sides
from .judge.instantiation import Record, judge_instances
from .judge.operation_names import soften_unpaired_names
from .judge.readings import judge_readings
from .judge.roles import definitions_in

__all__ = ["check_text", "check_file", "check_document", "check_formula", "Budget"]

_DEFAULT = Budget()

_EXAMPLE_KIND = {"arithmetic"}


def _finding(line, source, judgement, section=None) -> Finding:
    kind = "example" if judgement.quantity in _EXAMPLE_KIND or (
        judgement.quantity and judgement.explanation.startswith("worked example")) else "formula"
    return Finding(line=line, source=source, kind=kind, verdict=Verdict(judgement.verdict),
                   quantity=judgement.quantity, condition=judgement.condition,
                   counterexample=judgement.counterexample, expected=judgement.expected,
                   explanation=judgement.explanation, section=section, expected_latex=judgement.expected_latex)


def _judge_tex(tex: str, ctx: FormulaContext):
    """Parse and judge one formula; never raises (a failure is an UNRECOGNIZED judgement)."""
    from .document import MathParseError, parse_math
    from .judge.judgement import Judgement

    try:
        parsed = parse_math(tex)
    except MathParseError as exc:
        return None, Judgement("UNRECOGNIZED", None, f"could not read the formula: {getattr(exc, 'reason', exc)}")
    except (ValueError, TypeError, RecursionError) as exc:  # the parser's own contract is MathParseError
        return None, Judgement("UNRECOGNIZED", None, f"could not read the formula: {type(exc).__name__}")
    try:
        # bounded work: the judge's searches and evaluations carry their own time budgets (proofs.judge.TIME_LIMIT)
        j = judge_sides(list(parsed.sides), list(parsed.relations), ctx, notes=tuple(parsed.notes))
        if j.verdict == "UNRECOGNIZED" and parsed.relations:  # n_H^{[l]}, p^{[l]}: letters labelled by their layer
            from .judge.layer_labels import combine, layer_label_readings

            readings = layer_label_readings(list(parsed.sides))
            j = combine([(name, judge_sides(sides, list(parsed.relations), ctx, notes=tuple(parsed.notes)))
                         for name, sides in readings]) or j
        return parsed, j
    except RecursionError:
        return parsed, Judgement("UNRECOGNIZED", None, "formula nested too deeply to judge")
    except Exception as exc:  # noqa: BLE001 - a bug on one formula must not lose the whole report
        return parsed, Judgement("UNRECOGNIZED", None, f"internal error while judging ({type(exc).__name__}: {exc})")


def check_formula(text: str, context: str | None = None) -> Finding:
    """Judge one formula given as text (LaTeX or Unicode), with optional prose as context.

    Parameters
    ----------
    text : the formula (``$…$`` delimiters are optional).
    context : prose that defines its symbols ("P is the padding on each side").

    Returns
    -------
    Finding
        Line 1; never raises on hostile input (UNRECOGNIZED with the reason instead).
    """
    if not isinstance(text, str):
        raise TypeError(f"check_formula expects the formula as str, got {type(text).__name__}")
    tex = text.strip()
    m = re.fullmatch(r"\$\$?(.*?)\$?\$", tex, flags=re.S)
    if m:
        tex = m.group(1)
    ctx = FormulaContext(context=context or "", definitions=definitions_in(context or ""))
    _, j = _judge_tex(tex, ctx)
    return _finding(1, text, j)


def _is_trivial(parsed) -> bool:
    """A bare symbol or number, or an expression with no relation: notation, not a statement."""
    return not parsed.relations


_RELATION = re.compile(r"[=<>≈≤≥≠≡]|\\(?:approx|le|ge|leq|geq|neq|equiv|sim|propto|to)(?![A-Za-z])")


def _unjudged(span, reason: str) -> Finding:
    return Finding(line=span.line, source=span.source, kind="formula", verdict=Verdict.UNRECOGNIZED,
                   explanation=f"{EXHAUSTED}: not judged ({reason})", section=span.section)


def _table_findings(doc, table) -> list[Finding]:
    """Totals and per-row counts of the document's tables (:mod:`proofs.judge.tables`) and its 1-D examples given as
    vectors (:mod:`proofs.judge.vectors`)."""
    from .judge.tables import table_findings

    from .judge.vectors import vector_findings

    try:
        found = table_findings(doc.lines, table.roles_at(len(doc.lines)))
        sections = [doc.section_at(n) for n in range(1, len(doc.lines) + 1)]
        found += vector_findings(doc.lines, sections=sections, operation=table.declared.conventions.get("operation"))
        from .judge.matrix_examples import matrix_findings  # 2-D examples as matrices: A * K = Y in one paragraph
        found += matrix_findings(doc.lines)
    except (ValueError, TypeError, ArithmeticError) as exc:  # a table the reader cannot take must not lose the report
        return [Finding(line=1, source="", kind="example", verdict=Verdict.UNRECOGNIZED,
                        explanation=f"tables could not be checked: {exc}")]
    out = []
    for line, source, j in found:
        j.explanation = j.explanation if j.explanation.startswith(("table", "worked", "1-D", "2-D", "figure")) else f"table: {j.explanation}"
        f = _finding(line, source, j, doc.section_at(line))
        f.kind = "example"
        out.append(f)
    return out


def _activation_findings(doc) -> list[Finding]:
    """Activation claims in sentences and table rows (:mod:`proofs.judge.activation_claims`)."""
    from .judge.activation_claims import activation_claims

    out = []
    for line, source, j in activation_claims(doc.lines):
        f = _finding(line, source, j, doc.section_at(line))
        f.kind = "claim" if source.strip()[:1] not in ("$", "\\") and "|" not in source else f.kind
        out.append(f)
    return out


def _ignored(findings: list[Finding], markers: list[int]) -> list[Finding]:
    """Drop the findings an ``ignore-next`` marker accepts: those on the first line after it that has findings."""
    drop: set[int] = set()
    lines = sorted({f.line for f in findings})
    for m in markers:
        nxt = next((n for n in lines if n > m), None)
        if nxt is not None:
            drop.add(nxt)
    return [f for f in findings if f.line not in drop]


def _check(read, *, verbose: bool, budget, notation=None) -> Report:
    """Read a document (``read()``) and judge it within ``budget`` (see :mod:`proofs.budget`): the budget's
    clock starts before reading, so it bounds the whole document."""
    from .claims import check_claims
    from .claims.supersede import supersede as _supersede
    from .notation import build_symbol_table

    meter = Budget.of(budget).meter()
    doc = read()
    table = build_symbol_table(doc, declared=notation)
    name = str(doc.path) if getattr(doc, "path", None) else "<text>"
    definitions = definitions_in(doc.text)
    aliases: dict = {}
    defined: dict = {}  # the document's own symbols ("define A_l = …"), shared by every formula
    findings: list[Finding] = []
    lines = doc.lines
    stopped_line: int | None = None
    formulas_judged = 0
    records: list[Record] = []  # the judged relations, for the worked examples that instantiate them
    for span in doc.spans:
        why = meter.spend()
        if why is not None:
            stopped_line = span.line if stopped_line is None else stopped_line
            if verbose or _RELATION.search(span.tex):
                findings.append(_unjudged(span, why))
            continue
        formulas_judged += 1
        nearby = "\n".join(lines[max(0, span.line - 15): min(len(lines), span.end_line + 15)])
        scoped = dict(definitions)
        scoped.update(table.roles_at(span.line))
        conventions = {c: v for c in ("padding", "index", "layout", "operation", "bias", "dilation", "rounding")
                       if (v := table.convention_at(c, span.line)) is not None}
        ctx = FormulaContext(context=span.context or "", after=span.after or "", section=span.section or "",
                             definitions=scoped, aliases=aliases, nearby=nearby, declared=dict(table.declared.roles),
                             before="\n".join(lines[max(0, span.line - 8): span.line - 1]),
                             conventions=conventions, declared_conventions=dict(table.declared.conventions), defined=defined,
                             symbol_conventions=table.symbol_conventions_at("padding", span.line), doubled=table.doubled)
        parsed, j = judge_readings(span.tex, span.readings, lambda t, ctx=ctx: _judge_tex(t, ctx))
        if parsed is not None and _is_trivial(parsed) and j.verdict == Verdict.UNRECOGNIZED.value and not verbose:
            continue
        findings.append(_finding(span.line, span.source, j, span.section))
        if parsed is not None and parsed.relations:
            records.append(Record(len(findings) - 1, span.line, list(parsed.sides), list(parsed.relations), j, scoped,
                                  {"per_side": "per_side", "total": "total"}.get(str(conventions.get("padding")))))
    try:
        instances = judge_instances(records, lines)  # "with W = 32, F = 5 … we get O = 28"
    except Exception:  # noqa: BLE001 - a bug in one reading pass must not lose the whole report
        instances = {}
    for index, judged in instances.items():
        old = findings[index]
        findings[index] = _finding(old.line, old.source, judged, old.section)
    claims_from: list[int] = []

    def stop(line: int) -> bool:
        if meter.spend() is None:
            return False
        claims_from.append(line)
        return True

    try:
        claims = check_claims(doc.text, verbose=verbose, stop=stop, roles_at=table.roles_at)
    except (ValueError, TypeError) as exc:
        claims = []
        findings.append(Finding(line=1, source="", kind="claim", verdict=Verdict.UNRECOGNIZED,
                                explanation=f"claims could not be checked: {exc}"))
    findings.extend(claims)
    if claims_from:
        findings.append(Finding(line=claims_from[0], source="", kind="claim", verdict=Verdict.UNRECOGNIZED,
                                explanation=f"{EXHAUSTED}: the claims from line {claims_from[0]} on were not "
                                            f"judged ({meter.reason})"))
    findings.extend(_table_findings(doc, table))
    from .judge.spec_block import merge_spec_findings  # library/specification assignments, one computation

    findings = merge_spec_findings(findings, lines, spans=doc.spans)
    findings.extend(_activation_findings(doc))
    for line, message in table.problems:
        findings.append(Finding(line=line, source="convproof:", kind="formula", verdict=Verdict.UNRECOGNIZED,
                                explanation=f"declared notation not understood: {message}"))
    findings = _ignored(findings, table.declared.ignore_lines)
    findings = soften_unpaired_names(findings)  # "convolution" for a cross-correlation: wrong only if names are swapped
    findings = _supersede(findings)  # a wrong claim outranks the right arithmetic of its sentence
    if getattr(doc, "origins", None):  # a notebook: lines of its Markdown -> lines of the .ipynb file, cells
        from .document.notebook import relocate

        relocate(findings, doc.origins)
    from .judge.summary_document import summary_document_findings  # model summaries, at the file's lines

    findings.extend(summary_document_findings(doc, table.declared.ignore_lines))
    from .judge.loop_nest import loop_nest_document_findings  # code computing a convolution, run and compared

    findings.extend(loop_nest_document_findings(doc))
    from .code import code_findings  # worked examples written as code: printed/commented shapes, at the file's lines

    findings.extend(code_findings(doc))
    findings.sort(key=lambda f: (f.line, f.kind))
    coverage = None
    if meter.reason is not None:
        unjudged = [x for x in (stopped_line, claims_from[0] if claims_from else None) if x is not None]
        coverage = {"budget_exhausted": True, "reason": meter.reason, "statements_judged": meter.judged,
                    "formulas": len(doc.spans), "formulas_judged": formulas_judged,
                    "formulas_unjudged_from_line": stopped_line,
                    "claims_unjudged_from_line": claims_from[0] if claims_from else None,
                    "first_unjudged_line": min(unjudged) if unjudged else None, "lines": len(lines),
                    "seconds": round(meter.elapsed(), 3)}
    return Report(name, findings, coverage)


def check_text(text: str, *, format: str | None = None, verbose: bool = False,  # noqa: A002 - the natural name
               budget: Budget | float | None = _DEFAULT, notation=None) -> Report:
    """Check a document given as text. The text is never read as a path: safe for untrusted input.

    Parameters
    ----------
    text : the document (Markdown, LaTeX, reST, HTML or plain text).
    format : ``"markdown"``, ``"latex"``, ``"rst"``, ``"html"`` or ``"text"``; detected by default.
    verbose : keep findings for bare expressions (notation without a relation) too.
    budget : a :class:`~proofs.budget.Budget`, a number of seconds, or ``None`` for no limit
        (default: ``Budget()``: 60 s and 20,000 statements per document). What is left when it
        runs out is UNRECOGNIZED "budget exhausted", and :attr:`Report.coverage` says how much was judged.
    notation : declared notation that wins over the document's (``"u=stride,q=padding,padding=total"``).

    Returns
    -------
    Report
        Findings sorted by line; ``document`` is ``"<text>"``.

    Raises
    ------
    TypeError
        ``text`` is not a ``str``.
    ValueError
        Empty text (or only a BOM), NUL characters, an unknown ``format``, a bad ``budget``.

    Examples
    --------
    >>> check_text("/etc/passwd").findings
    []
    >>> r = check_text("$1 + 1 = 3$ and $2 + 2 = 4$\\n", budget=Budget(statements=1))
    >>> [(f.source, f.verdict.value, f.explanation[:16]) for f in r.findings if f.source]
    [('$1 + 1 = 3$', 'INCORRECT', 'link 1: 2 = 3 is'), ('$2 + 2 = 4$', 'UNRECOGNIZED', 'budget exhausted')]
    >>> r.coverage["formulas_judged"], r.coverage["formulas"]
    (1, 2)
    """
    from .document import read_text

    budget = Budget.of(budget)
    return _check(lambda: read_text(text, fmt=format), verbose=verbose, budget=budget, notation=notation)


def check_file(path, *, format: str | None = None, verbose: bool = False,  # noqa: A002
               budget: Budget | float | None = _DEFAULT, notation=None) -> Report:
    """Check a document file (``str`` or ``Path``); see :func:`check_text` for the parameters.

    Raises
    ------
    TypeError
        ``path`` is not a ``str`` or ``Path``.
    ValueError
        The file is missing, a directory, not a regular file (FIFO, device), unreadable, too large, binary,
        not UTF-8 (or UTF-16/32 with a BOM), or empty (or only a BOM).

    Examples
    --------
    >>> check_file("/dev/zero")
    Traceback (most recent call last):
    ...
    ValueError: /dev/zero is a device: pass a regular document file
    """
    from .document import read_file

    budget = Budget.of(budget)
    return _check(lambda: read_file(path, fmt=format), verbose=verbose, budget=budget, notation=notation)


def check_document(path_or_text, *, verbose: bool = False, budget: Budget | float | None = _DEFAULT,
                   notation=None) -> Report:
    """Check a document given as a path or as text — a convenience over :func:`check_file` / :func:`check_text`.

    A ``Path`` is a file; a ``str`` is read as a path only when it is one line that looks like one
    (see :func:`proofs.document.read_document`); text holding a line break is always text. A service
    checking text it did not write must call :func:`check_text`, which never opens a file.

    Parameters
    ----------
    path_or_text : path of a ``.md``/``.txt``/``.tex``/``.rst``/``.html`` file, or the text itself.
    verbose : keep findings for bare expressions (notation without a relation) too.
    budget : time and work allowed for the document (see :func:`check_text`).
    notation : declared notation that wins over the document's (see :func:`check_text`).

    Returns
    -------
    Report
        Findings sorted by line.

    Raises
    ------
    ValueError
        For a binary, non-UTF-8 or empty file, or a directory (from :func:`proofs.document.read_document`).
    """
    from .document import read_document

    budget = Budget.of(budget)
    return _check(lambda: read_document(path_or_text), verbose=verbose, budget=budget, notation=notation)
