"""``convproof check PATH...``: judge every formula, worked example and claim of documents.

::

    convproof check notes.md                         # rich table; exit 1 if anything is wrong
    convproof check notes.md --format json -o r.json # the stable JSON shape
    convproof check course/ --jobs 4 --strict        # a directory: every document in it
    convproof check course/ --write-baseline base.json   # accept today's findings
    convproof check course/ --baseline base.json         # then fail only on new ones
    convproof check notes.md --notation "u=stride,q=padding,padding=total"   # declare notation
    convproof check notes.md --notation-table            # what each letter was bound to, and why

Exit status: 1 when a finding is INCORRECT (or CONDITIONAL with ``--strict``),
0 otherwise; 2 for a path that cannot be read (the message says why).

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
import sys
from pathlib import Path

__all__ = ["register", "run_check"]

FORMAT_CHOICES = ("text", "json", "md", "tex", "html")


def register(subparsers) -> None:
    """Add the ``check`` verb."""
    p = subparsers.add_parser(
        "check",
        help="check the formulas, worked examples and claims of documents",
        description="Judge every formula, worked example and claim of the documents: CORRECT, INCORRECT "
                    "(with a counterexample), CONDITIONAL (with the condition) or UNRECOGNIZED (with why).",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="documents (.md .txt .tex .rst .html) or directories")
    p.add_argument("--format", choices=FORMAT_CHOICES, default="text", help="report format (default: text)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--strict", action="store_true", help="also fail (exit 1) on CONDITIONAL findings")
    p.add_argument("--verbose", action="store_true", help="show UNRECOGNIZED findings in text/md/tex/html too")
    p.add_argument("--baseline", metavar="FILE", help="report only findings not accepted in this baseline file")
    p.add_argument("--write-baseline", metavar="FILE", help="accept the current findings: write them to FILE")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes for several documents")
    p.add_argument("--notation", metavar="DECL", default=None,
                   help='declared notation that wins over the documents\' ("u=stride,q=padding,padding=total")')
    p.add_argument("--notation-table", action="store_true",
                   help="print the symbol table of each document (each letter's role, the line and the evidence) and stop")
    p.set_defaults(func=run_check)


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
    from ..checker import check_document

    paths = [Path(p) for p in args.paths]
    for p in paths:
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file or directory")
    notation = getattr(args, "notation", None)
    if notation is not None:
        from ..notation import parse_declared

        parse_declared(notation)  # a bad declaration fails before any document is read
    if len(paths) == 1 and paths[0].is_file():
        return [check_document(str(paths[0]), verbose=args.verbose, notation=notation)]
    if notation is not None:
        return [check_document(str(f), verbose=args.verbose, notation=notation) for f in _files(paths)]
    try:
        from .. import course

        check_paths = course.check_paths
    except (ImportError, AttributeError):  # pragma: no cover - multi-file helper not built
        check_paths = None
    if check_paths is None:  # pragma: no cover
        files = []
        for p in paths:
            files += sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        return [check_document(str(f), verbose=args.verbose) for f in files]
    progress = sys.stderr.isatty() and args.output is None
    return check_paths([str(p) for p in paths], jobs=args.jobs, progress=progress, verbose=args.verbose,
                       strict=args.strict)


def run_check(args: argparse.Namespace) -> int:
    """Run the verb; return the exit status."""
    from ..report import print_text, render

    if args.jobs is not None and args.jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {args.jobs}")
    if getattr(args, "notation_table", False):
        for p in args.paths:
            if not Path(p).exists():
                raise FileNotFoundError(f"{p}: no such file or directory")
        return _print_notation_tables(args)
    reports = _reports(args)
    if args.write_baseline:
        from ..course import write_baseline

        path = write_baseline(reports, args.write_baseline)
        print(f"convproof check: baseline of {sum(1 for r in reports for f in r.findings if f.verdict.value != 'CORRECT')} "
              f"finding(s) written to {path}", file=sys.stderr)
    if args.baseline:
        from ..course import filter_new, load_baseline

        reports = filter_new(reports, load_baseline(args.baseline))
    if args.output:
        from derive.derivation import write_atomically

        write_atomically(args.output, render(reports, args.format, verbose=args.verbose), force=True)
    elif args.format == "text":
        print_text(reports, verbose=args.verbose)
    else:
        sys.stdout.write(render(reports, args.format, verbose=args.verbose))
    return int(any(r.has_errors(strict=args.strict) for r in reports))
