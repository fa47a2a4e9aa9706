"""Whole courses at once: check many documents in parallel, and keep a baseline of accepted findings.

``check_paths`` expands directories to their documents (``.md``,
``.markdown``, ``.txt``, ``.tex``, ``.rst``, ``.html``/``.htm``; sorted,
recursive, hidden folders skipped), checks each with
:func:`proofs.checker.check_file` in a pool of processes (one per core by
default), shows a progress bar on a terminal, and returns one
:class:`~proofs.findings.Report` per document, in path order. Work is submitted
in bounded batches, so memory stays bounded for thousands of files; each
result keeps only its findings.

A file that cannot be checked (unreadable, a FIFO or device, empty, not UTF-8,
binary, the checker raising) does not abort the run, nor does a folder that
cannot be listed: each becomes a report with a single finding
(``quantity="unreadable_document"`` or ``"internal_error"``, line 1) that says
why — UNRECOGNIZED, or INCORRECT with ``strict=True``. :func:`problems` lists
them and :func:`exit_status` is then 2 (as ruff: 0 clean, 1 findings, 2 could
not check).

Baselines let a course repository's CI fail only on *new* mistakes:
``write_baseline(reports, path)`` records the findings that are not CORRECT;
``filter_new(reports, load_baseline(path))`` keeps only the findings not
recorded. A finding is identified by document path, kind, normalised source
text and verdict — not by line number, so editing text above it does not
break the baseline; a sentence written twice counts twice.

Examples
--------
>>> from proofs.findings import Finding, Report, Verdict
>>> r = Report("notes.md", [Finding(line=3, source="RF  =  9", kind="claim", verdict=Verdict.INCORRECT)])
>>> moved = Report("notes.md", [Finding(line=40, source="RF = 9", kind="claim", verdict=Verdict.INCORRECT)])
>>> base = Baseline.from_reports([r])
>>> filter_new([moved], base)[0].findings
[]
>>> exit_status([moved]), exit_status(filter_new([moved], base))
(1, 0)
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding, Report, Verdict

__all__ = [
    "DOCUMENT_SUFFIXES",
    "expand_paths",
    "walk_paths",
    "check_paths",
    "problems",
    "exit_status",
    "Baseline",
    "load_baseline",
    "write_baseline",
    "filter_new",
    "finding_key",
]

#: the file suffixes a directory is searched for
DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt", ".tex", ".rst", ".html", ".htm", ".ipynb")
#: futures in flight per worker (bounded memory for thousands of files)
BATCH_PER_WORKER = 4
BASELINE_VERSION = 1


def _walk(root: Path, problems: list[tuple[Path, str]]) -> list[Path]:
    """Document paths under ``root`` (hidden entries skipped, symlinked folders not followed); entries
    that cannot be listed are added to ``problems`` and skipped — the walk never stops at one."""
    found: list[Path] = []

    def onerror(exc: OSError) -> None:
        problems.append((Path(exc.filename) if exc.filename else root, f"cannot list it ({exc.strerror or exc})"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath) / name for name in filenames
                     if not name.startswith(".") and Path(name).suffix.lower() in DOCUMENT_SUFFIXES)
    return found


def walk_paths(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The documents named and found under directories named, and the entries that could not be listed.

    Every entry with a document suffix is returned, whatever its type (a FIFO or a device named ``x.md``
    is returned so that the checker reports it as unreadable, without opening it for reading).

    Raises
    ------
    TypeError
        if ``paths`` is a single string (pass a list).
    FileNotFoundError
        if a path does not exist.
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise TypeError("expand_paths: pass a list of paths, not a single path")
    out: list[Path] = []
    problems: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(_walk(path, problems))
        elif os.path.lexists(path):
            found = [path]
        else:
            raise FileNotFoundError(f"{path}: no such file or directory")
        for f in found:
            if f not in seen:
                seen.add(f)
                out.append(f)
    return out, problems


def expand_paths(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files named, and the documents inside directories named (sorted, recursive); raises as
    :func:`walk_paths`, whose second result (entries that cannot be listed) it drops.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.md", "a.txt", "sub/c.tex", "sub/skip.py", ".git/x.md"):
    ...     (d / name).parent.mkdir(parents=True, exist_ok=True); _ = (d / name).write_text("x")
    >>> [p.relative_to(d).as_posix() for p in expand_paths([d])]
    ['a.txt', 'b.md', 'sub/c.tex']
    """
    return walk_paths(paths)[0]


def _default_check(path: str, *, verbose: bool = False, budget=None) -> Report:
    from .checker import check_file

    return check_file(path, verbose=verbose) if budget is None else check_file(path, verbose=verbose, budget=budget)


#: ``Finding.quantity`` of the one finding of a document that could not be read / made the checker fail
UNREADABLE = "unreadable_document"
INTERNAL_ERROR = "internal_error"


def _error_report(path: str, message: str, strict: bool, quantity: str = UNREADABLE) -> Report:
    verdict = Verdict.INCORRECT if strict else Verdict.UNRECOGNIZED
    return Report(path, [Finding(line=1, source=path, kind="claim", verdict=verdict, quantity=quantity,
                                 explanation=f"cannot check this document: {message}")])


def _check_one(path: str, verbose: bool, strict: bool, check: Callable | None, budget=None) -> Report:
    """Worker: check one document; every failure becomes an error report."""
    try:
        report = check(path, verbose=verbose) if check else _default_check(path, verbose=verbose, budget=budget)
    except UnicodeDecodeError as exc:
        return _error_report(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", strict)
    except (OSError, ValueError, TypeError) as exc:
        return _error_report(path, f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc),
                             strict)
    except Exception as exc:  # noqa: BLE001 - a checker bug (RecursionError, MemoryError…) must not abort a course
        return _error_report(path, f"the checker failed ({type(exc).__name__}: {exc})", strict, INTERNAL_ERROR)
    if not isinstance(report, Report):
        return _error_report(path, f"the checker returned {type(report).__name__}, not a Report", strict,
                             INTERNAL_ERROR)
    return Report(str(report.document), list(report.findings), getattr(report, "coverage", None))


def problems(reports: Iterable[Report]) -> list[tuple[str, str, str]]:
    """``(document, quantity, message)`` of every document that could not be read or made the checker fail.

    >>> problems([_error_report("a.md", "a.md is empty: nothing to read", False)])
    [('a.md', 'unreadable_document', 'a.md is empty: nothing to read')]
    """
    out = []
    for r in reports:
        for f in r.findings:
            if f.quantity in (UNREADABLE, INTERNAL_ERROR) and f.explanation.startswith("cannot check this document: "):
                out.append((r.document, f.quantity, f.explanation[len("cannot check this document: "):]))
    return out


def _progress(enabled: bool, total: int):
    if not enabled or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("{task.fields[name]}"), console=Console(stderr=True), transient=True)
    bar.start()
    bar.add_task("check", total=total, name="")
    return bar


def check_paths(paths: Iterable[str | os.PathLike], *, jobs: int | None = None, progress: bool = True,
                verbose: bool = False, strict: bool = False, check: Callable | None = None,
                budget=None) -> list[Report]:
    """Check every document under ``paths`` in parallel; one report per document, in path order.

    Parameters
    ----------
    paths : files and directories (directories are searched recursively for
        :data:`DOCUMENT_SUFFIXES`).
    jobs : worker processes (default: the number of cores; 1 checks in this process).
    progress : show a progress bar on stderr (only when stderr is a terminal).
    verbose : passed to the checker (also report UNRECOGNIZED sentences).
    strict : a document that cannot be checked is INCORRECT (fails the run) instead of UNRECOGNIZED.
    check : the function ``check(path, verbose=...) -> Report`` (default
        :func:`proofs.checker.check_file`); must be picklable (a module-level function) when ``jobs > 1``.
    budget : the per-document :class:`~proofs.budget.Budget` of the default checker (default: ``Budget()``).

    Returns
    -------
    list of :class:`~proofs.findings.Report`.

    Raises
    ------
    FileNotFoundError
        if a path does not exist. (An unreadable *file* is an error report, not an exception; so is a folder
        that cannot be listed — the walk goes on. See :func:`problems`.)
    ValueError
        if ``jobs < 1``.
    """
    files, unlisted = walk_paths(paths)
    if jobs is None:
        jobs = os.cpu_count() or 1
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"check_paths: jobs must be an integer >= 1, got {jobs!r}")
    jobs = min(jobs, max(1, len(files)))
    results: dict[int, Report] = {}
    bar = _progress(progress, len(files))
    try:
        if jobs == 1:
            for i, f in enumerate(files):
                results[i] = _check_one(str(f), verbose, strict, check, budget)
                if bar:
                    bar.update(0, advance=1, name=f.name)
        else:
            _run_pool(files, jobs, verbose, strict, check, results, bar, budget)
    finally:
        if bar:
            bar.stop()
    out = [results[i] for i in range(len(files))]
    out += [_error_report(str(d), f"{d}: {why}", strict) for d, why in unlisted]
    return out


def _run_pool(files, jobs, verbose, strict, check, results, bar, budget=None) -> None:
    limit = jobs * BATCH_PER_WORKER
    pending: dict = {}
    queue = iter(enumerate(files))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < limit:
                try:
                    i, f = next(queue)
                except StopIteration:
                    exhausted = True
                    break
                pending[pool.submit(_check_one, str(f), verbose, strict, check, budget)] = (i, f)
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                i, f = pending.pop(fut)
                try:
                    results[i] = fut.result()
                except BrokenProcessPool as exc:
                    results[i] = _error_report(str(f), f"the worker process died ({exc})", strict, INTERNAL_ERROR)
                except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
                    results[i] = _error_report(str(f), f"{type(exc).__name__}: {exc}", strict, INTERNAL_ERROR)
                if bar:
                    bar.update(0, advance=1, name=f.name)


def exit_status(reports: Iterable[Report], *, strict: bool = False) -> int:
    """The exit status of a check, as ruff's: 2 when a document could not be read or made the checker fail
    (:func:`problems`), else 1 when a finding is INCORRECT (or CONDITIONAL, with ``strict``), else 0."""
    reports = list(reports)
    if problems(reports):
        return 2
    return int(any(r.has_errors(strict=strict) for r in reports))


def _norm_document(document: str) -> str:
    return Path(os.path.normpath(str(document))).as_posix()


def finding_key(document: str, finding: Finding) -> tuple[str, str, str, str]:
    """What identifies a finding across edits: (document, kind, source with whitespace collapsed, verdict).

    Examples
    --------
    >>> from proofs.findings import Finding
    >>> finding_key("./a/../notes.md", Finding(line=9, source=" RF =\\n 9 ", kind="claim", verdict="INCORRECT"))
    ('notes.md', 'claim', 'RF = 9', 'INCORRECT')
    """
    return (_norm_document(document), finding.kind, " ".join(finding.source.split()), finding.verdict.value)


@dataclass
class Baseline:
    """Accepted findings (a multiset of :func:`finding_key`)."""

    keys: Counter = field(default_factory=Counter)

    @classmethod
    def from_reports(cls, reports: Iterable[Report]) -> "Baseline":
        """The findings of ``reports`` that are not CORRECT."""
        keys: Counter = Counter()
        for r in reports:
            for f in r.findings:
                if f.verdict is not Verdict.CORRECT:
                    keys[finding_key(r.document, f)] += 1
        return cls(keys)

    def __len__(self) -> int:
        return sum(self.keys.values())


def write_baseline(reports: Iterable[Report], path: str | os.PathLike) -> Path | str:
    """Record the findings that are not CORRECT as accepted (JSON; overwrites).

    Written by :func:`derive.files.write_output`: a regular file atomically, a symlink's target, a FIFO or
    device in place, ``-`` to standard output; a directory is refused ("is a directory").

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from proofs.findings import Finding, Report
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "baseline.json"
    >>> r = Report("a.md", [Finding(line=2, source="x", kind="claim", verdict="INCORRECT")])
    >>> _ = write_baseline([r], p)
    >>> len(load_baseline(p))
    1
    """
    from derive.files import write_output

    base = Baseline.from_reports(list(reports))
    entries = [{"document": d, "kind": k, "source": s, "verdict": v, "count": n}
               for (d, k, s, v), n in sorted(base.keys.items())]
    data = {"convproof_baseline": BASELINE_VERSION, "findings": entries}
    return write_output(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", force=True)


def load_baseline(path: str | os.PathLike) -> Baseline:
    """Read a baseline written by :func:`write_baseline`.

    Raises
    ------
    FileNotFoundError
        if the file does not exist.
    ValueError
        if it is not a convproof baseline (with the file and the problem).
    """
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{p}: not a convproof baseline (invalid JSON at line {exc.lineno}: {exc.msg})") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{p}: not a convproof baseline (not UTF-8)") from exc
    if not isinstance(data, dict) or data.get("convproof_baseline") != BASELINE_VERSION or not isinstance(data.get("findings"), list):
        raise ValueError(f"{p}: not a convproof baseline (expected {{'convproof_baseline': {BASELINE_VERSION}, 'findings': [...]}})")
    keys: Counter = Counter()
    for i, e in enumerate(data["findings"]):
        try:
            key = (_norm_document(e["document"]), str(e["kind"]), " ".join(str(e["source"]).split()), Verdict(e["verdict"]).value)
            count = int(e.get("count", 1))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{p}: baseline entry {i} is malformed ({type(exc).__name__}: {exc})") from exc
        keys[key] += max(count, 0)
    return Baseline(keys)


def filter_new(reports: Iterable[Report], baseline: Baseline) -> list[Report]:
    """The reports with only the findings the baseline does not accept (CORRECT findings are kept)."""
    budget = Counter(baseline.keys)
    out = []
    for r in reports:
        kept = []
        for f in r.findings:
            key = finding_key(r.document, f)
            if f.verdict is not Verdict.CORRECT and budget[key] > 0:
                budget[key] -= 1
                continue
            kept.append(f)
        out.append(Report(r.document, kept))
    return out
