"""``convproof check PATH...``: judge every formula, worked example and claim of documents.

The examples and exit statuses are in :data:`EXAMPLES` and ``convproof check --help``.

>>> from proofs.cli.main import main
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "n.md"
>>> _ = p.write_text("Worked example: $64 \\\\times 64 \\\\times 3 \\\\times 3 = 36,864$.\\n")
>>> main(["check", str(p), "--format", "json"])  # doctest: +ELLIPSIS
{
  "document": ...
  "findings": [
    {
      "line": 1,
...
0
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path

from ..findings import without_surrogates

__all__ = ["register", "run_check"]

FORMAT_CHOICES = ("text", "json", "md", "tex", "html")


EXAMPLES = (
    ("convproof check examples/notes.md", "a table; exit 1: the example notes hold planted mistakes"),
    ("convproof check examples/notes.md --format json -o report.json", "the stable JSON shape; exit 1"),
    ("convproof check examples/notes.md --format md -o report.md", "also tex, html; exit 1"),
    ("convproof check examples/notes.md --verbose", "also list what was not judged, and why; exit 1"),
    ("convproof check examples/ --jobs 2 --strict", "every document of a directory; exit 1"),
    ("convproof check examples/ --write-baseline baseline.json", "accept today's findings (exit 0)"),
    ("convproof check examples/ --baseline baseline.json", "then fail only on new ones (exit 0)"),
    ('convproof check examples/notes.md --notation "S=stride,P=padding"', "declare notation; exit 1"),
    ("convproof check examples/notes.md --notation-table", "what each letter was bound to, and why (exit 0)"),
)


def register(subparsers) -> None:
    """Add the ``check`` verb."""
    from .help import add_verb

    p = add_verb(
        subparsers, "check",
        summary="check the formulas, worked examples and claims of documents",
        description="Judge every formula, worked example and claim of the documents: CORRECT, INCORRECT\n"
                    "(with a counterexample), CONDITIONAL (with the condition) or UNRECOGNIZED (with why).\n"
                    "The summary counts every finding; --verbose also lists the UNRECOGNIZED ones.",
        examples=EXAMPLES,
        exit_status="0  nothing wrong (or --write-baseline: the findings are accepted)\n"
                    "1  a finding is INCORRECT (or CONDITIONAL with --strict)\n"
                    "2  bad usage, a path that cannot be read, or an internal error (the message says why)",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="documents (.md .txt .tex .rst .html) or directories")
    p.add_argument("--format", choices=FORMAT_CHOICES, default="text", help="report format (default: text)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (- for standard output)")
    p.add_argument("--strict", action="store_true", help="also fail (exit 1) on CONDITIONAL findings")
    p.add_argument("--verbose", action="store_true",
                   help="also list the UNRECOGNIZED findings (the summary always counts them)")
    p.add_argument("--baseline", metavar="FILE", help="report only findings not accepted in this baseline file")
    p.add_argument("--write-baseline", metavar="FILE", help="accept the current findings: write them to FILE")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes for several documents")
    p.add_argument("--dask", metavar="ADDRESS", default=None,
                   help='check on Dask: "local" or a scheduler such as tcp://host:8786 (pip install "convproof[dask]")')
    p.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                   help="time budget per document (default: 60; 0 for no limit)")
    p.add_argument("--max-statements", type=int, default=None, metavar="N",
                   help="work budget per document: formulas and claims judged (default: 20000; 0 for no limit)")
    p.add_argument("--notation", metavar="DECL", default=None,
                   help='declared notation that wins over the documents\' ("u=stride,q=padding,padding=total")')
    p.add_argument("--notation-table", action="store_true",
                   help="print the symbol table of each document (each letter's role, the line and the evidence) and stop")
    p.set_defaults(func=run_check)


def _budget(args):
    """The per-document budget of the options (defaults of :class:`proofs.budget.Budget`)."""
    from ..budget import Budget

    default = Budget()
    seconds, statements = getattr(args, "budget", None), getattr(args, "max_statements", None)
    if seconds is not None and not seconds >= 0:
        raise ValueError(f"--budget must be a number of seconds >= 0 (0: no limit), got {seconds}")
    if statements is not None and statements < 0:
        raise ValueError(f"--max-statements must be an integer >= 0 (0: no limit), got {statements}")
    return Budget(default.seconds if seconds is None else seconds or None,
                  default.statements if statements is None else statements or None)


def _files(paths) -> list[Path]:
    from ..document.formats import EXTENSIONS

    files: list[Path] = []
    for p in paths:
        files += sorted(x for x in p.rglob("*") if x.is_file() and x.suffix.lower() in EXTENSIONS) if p.is_dir() else [p]
    return files


def _print_notation_tables(args) -> int:
    """``--notation-table``: every definition, convention and declaration, one line each."""
    from ..notation import build_symbol_table

    for f in _files([Path(p) for p in args.paths]):
        table = build_symbol_table(str(f), declared=getattr(args, "notation", None))
        print(f"{f}:")
        rows = table.rows()
        if not rows:
            print("  (no definitions found)")
        for r in rows:
            where = f" [{r['section']}]" if r["section"] else ""
            print(f"  line {r['line']:>4}  {r['symbol']:<12} -> {r['role']:<16} {r['source']}{where}: {r['evidence']}")
    return 0


def _reports(args) -> list:
    """Every finding of every document (UNRECOGNIZED included, so the summary counts them all; the
    renderers list them with ``--verbose``)."""
    from .. import course
    from ..checker import check_file

    paths = [Path(p) for p in args.paths]
    for p in paths:
        if not os.path.lexists(p):
            raise FileNotFoundError(f"{p}: no such file or directory")
    budget = _budget(args)
    notation = getattr(args, "notation", None)
    if notation is not None:
        from ..notation import parse_declared

        parse_declared(notation)  # a bad declaration fails before any document is read
    if len(paths) == 1 and paths[0].is_file():
        return [check_file(paths[0], verbose=True, budget=budget, notation=notation)]
    if getattr(args, "dask", None) and notation is None:
        from ..integrations.dask_run import check_paths_dask

        return check_paths_dask([str(p) for p in paths], args.dask, verbose=True, strict=args.strict, budget=budget)
    # declared notation rides on the checker (a partial of a module-level function: picklable for the pool)
    check = None if notation is None else functools.partial(check_file, budget=budget, notation=notation)
    progress = sys.stderr.isatty() and args.output is None
    return course.check_paths([str(p) for p in paths], jobs=args.jobs, progress=progress, verbose=True,
                              strict=args.strict, budget=budget, check=check)


def _tell_problems(reports) -> int:
    """Name on stderr every document that could not be checked, and every budget that ran out; 2 if any
    document could not be checked, else 0."""
    from ..course import INTERNAL_ERROR, problems

    found = problems(reports)
    for document, quantity, message in found:
        what = "internal error while checking" if quantity == INTERNAL_ERROR else "cannot read"
        print(f"convproof check: {what} {without_surrogates(document)}: {without_surrogates(message)}",
              file=sys.stderr)
    for r in reports:
        c = getattr(r, "coverage", None)
        if c:
            left = [f"{what} from line {c[key]}" for what, key in (("formulas", "formulas_unjudged_from_line"),
                                                                   ("claims", "claims_unjudged_from_line")) if c[key]]
            print(f"convproof check: {without_surrogates(r.document)}: budget exhausted after {c['seconds']:.1f} s "
                  f"({c['reason']}): judged {c['formulas_judged']} of {c['formulas']} formulas; not judged "
                  f"(UNRECOGNIZED): {', '.join(left)}", file=sys.stderr)
    if found:
        print(f"convproof check: {len(found)} document(s) could not be checked", file=sys.stderr)
    return 2 if found else 0


def run_check(args: argparse.Namespace) -> int:
    """Run the verb; return the exit status (0 clean, 1 findings, 2 unreadable input or internal error)."""
    try:
        return _run(args)
    except (ValueError, TypeError, OSError):
        raise  # usage and input errors: one line and exit 2 (proofs.cli.main)
    except Exception as exc:  # noqa: BLE001 - an internal error must not read as "a finding" (exit 1)
        print(f"convproof check: internal error: {type(exc).__name__}: {exc} (please report it)", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from ..report import print_text, render

    if args.jobs is not None and args.jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {args.jobs}")
    if getattr(args, "notation_table", False):
        for p in args.paths:
            if not Path(p).exists():
                raise FileNotFoundError(f"{p}: no such file or directory")
        return _print_notation_tables(args)
    reports = _reports(args)
    for r in reports:
        r.document = without_surrogates(str(r.document))
    unreadable = _tell_problems(reports)
    if args.write_baseline:
        from ..course import write_baseline

        path = write_baseline(reports, args.write_baseline)
        print(f"convproof check: baseline of {sum(1 for r in reports for f in r.findings if f.verdict.value != 'CORRECT')} "
              f"finding(s) written to {path}", file=sys.stderr)
    if args.baseline:
        from ..course import filter_new, load_baseline

        reports = filter_new(reports, load_baseline(args.baseline))
    if args.output:
        from .output import write_output

        write_output(args.output, render(reports, args.format, verbose=args.verbose), force=True)
    elif args.format == "text":
        print_text(reports, verbose=args.verbose)
    else:
        sys.stdout.write(render(reports, args.format, verbose=args.verbose))
    if args.write_baseline:
        return unreadable  # writing a baseline accepts the findings it holds
    return unreadable or int(any(r.has_errors(strict=args.strict) for r in reports))
