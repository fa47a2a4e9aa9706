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
import sys
from pathlib import Path

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
                    "2  bad usage, or a path that cannot be read (the message says why)",
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
    p.set_defaults(func=run_check)


def _reports(args) -> list:
    """Every finding of every document (UNRECOGNIZED included, so the summary counts them all; the
    renderers list them with ``--verbose``)."""
    from ..checker import check_document

    paths = [Path(p) for p in args.paths]
    for p in paths:
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file or directory")
    if len(paths) == 1 and paths[0].is_file():
        return [check_document(str(paths[0]), verbose=True)]
    try:
        from .. import course

        check_paths = course.check_paths
    except (ImportError, AttributeError):  # pragma: no cover - multi-file helper not built
        check_paths = None
    if check_paths is None:  # pragma: no cover
        files = []
        for p in paths:
            files += sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        return [check_document(str(f), verbose=True) for f in files]
    progress = sys.stderr.isatty() and args.output is None
    return check_paths([str(p) for p in paths], jobs=args.jobs, progress=progress, verbose=True,
                       strict=args.strict)


def run_check(args: argparse.Namespace) -> int:
    """Run the verb; return the exit status."""
    from ..report import print_text, render

    if args.jobs is not None and args.jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {args.jobs}")
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
        from .output import write_output

        write_output(args.output, render(reports, args.format, verbose=args.verbose))
    elif args.format == "text":
        print_text(reports, verbose=args.verbose)
    else:
        sys.stdout.write(render(reports, args.format, verbose=args.verbose))
    if args.write_baseline:
        return 0  # writing a baseline accepts the findings it holds
    return int(any(r.has_errors(strict=args.strict) for r in reports))
