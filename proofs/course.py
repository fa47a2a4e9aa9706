"""Whole courses at once: check many documents in parallel, and keep a baseline of accepted findings.

``check_paths`` expands directories to their documents (``.md``,
``.markdown``, ``.txt``, ``.tex``, ``.rst``, ``.html``/``.htm``; sorted,
recursive, hidden folders skipped), checks each with
:func:`proofs.checker.check_document` in a pool of processes (one per core by
default), shows a progress bar on a terminal, and returns one
:class:`~proofs.findings.Report` per document, in path order. Work is submitted
in bounded batches, so memory stays bounded for thousands of files; each
result keeps only its findings.

A file that cannot be checked (unreadable, not UTF-8, binary, the checker
raising) does not abort the run: it becomes a report with a single finding
(``quantity="unreadable_document"``, line 1) that says why — UNRECOGNIZED,
or INCORRECT with ``strict=True`` so that a strict CI run fails on it.

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
    "check_paths",
    "exit_status",
    "Baseline",
    "load_baseline",
    "write_baseline",
    "filter_new",
    "finding_key",
]

#: the file suffixes a directory is searched for
DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt", ".tex", ".rst", ".html", ".htm")
#: futures in flight per worker (bounded memory for thousands of files)
BATCH_PER_WORKER = 4
BASELINE_VERSION = 1


def expand_paths(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files named, and the documents inside directories named (sorted, recursive).

    Raises
    ------
    TypeError
        if ``paths`` is a single string (pass a list).
    FileNotFoundError
        if a path does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.md", "a.txt", "sub/c.tex", "sub/skip.py", ".git/x.md"):
    ...     (d / name).parent.mkdir(parents=True, exist_ok=True); _ = (d / name).write_text("x")
    >>> [p.relative_to(d).as_posix() for p in expand_paths([d])]
    ['a.txt', 'b.md', 'sub/c.tex']
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise TypeError("expand_paths: pass a list of paths, not a single path")
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                f for f in path.rglob("*")
                if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
        elif path.exists():
            found = [path]
        else:
            raise FileNotFoundError(f"{path}: no such file or directory")
        for f in found:
            if f not in seen:
                seen.add(f)
                out.append(f)
    return out


def _default_check(path: str, *, verbose: bool = False) -> Report:
    from .checker import check_document

    return check_document(path, verbose=verbose)


def _error_report(path: str, message: str, strict: bool) -> Report:
    verdict = Verdict.INCORRECT if strict else Verdict.UNRECOGNIZED
    return Report(path, [Finding(line=1, source=path, kind="claim", verdict=verdict, quantity="unreadable_document",
                                 explanation=f"cannot check this document: {message}")])


def _check_one(path: str, verbose: bool, strict: bool, check: Callable | None) -> Report:
    """Worker: check one document; every failure becomes an error report."""
    fn = check or _default_check
    try:
        report = fn(path, verbose=verbose)
    except UnicodeDecodeError as exc:
        return _error_report(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", strict)
    except (OSError, ValueError, TypeError, RecursionError, MemoryError) as exc:
        return _error_report(path, f"{type(exc).__name__}: {exc}", strict)
    except Exception as exc:  # noqa: BLE001 - a checker bug must not abort a whole course
        return _error_report(path, f"the checker failed ({type(exc).__name__}: {exc})", strict)
    if not isinstance(report, Report):
        return _error_report(path, f"the checker returned {type(report).__name__}, not a Report", strict)
    return Report(str(report.document), list(report.findings))


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
                verbose: bool = False, strict: bool = False, check: Callable | None = None) -> list[Report]:
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
        :func:`proofs.checker.check_document`); must be picklable (a module-level function) when ``jobs > 1``.

    Returns
    -------
    list of :class:`~proofs.findings.Report`.

    Raises
    ------
    FileNotFoundError
        if a path does not exist. (An unreadable *file* is an error report, not an exception.)
    ValueError
        if ``jobs < 1``.
    """
    files = expand_paths(paths)
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
                results[i] = _check_one(str(f), verbose, strict, check)
                if bar:
                    bar.update(0, advance=1, name=f.name)
        else:
            _run_pool(files, jobs, verbose, strict, check, results, bar)
    finally:
        if bar:
            bar.stop()
    return [results[i] for i in range(len(files))]


def _run_pool(files, jobs, verbose, strict, check, results, bar) -> None:
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
                pending[pool.submit(_check_one, str(f), verbose, strict, check)] = (i, f)
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                i, f = pending.pop(fut)
                try:
                    results[i] = fut.result()
                except BrokenProcessPool as exc:
                    results[i] = _error_report(str(f), f"the worker process died ({exc})", strict)
                except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
                    results[i] = _error_report(str(f), f"{type(exc).__name__}: {exc}", strict)
                if bar:
                    bar.update(0, advance=1, name=f.name)


def exit_status(reports: Iterable[Report], *, strict: bool = False) -> int:
    """1 when any report has an INCORRECT finding (or CONDITIONAL, with ``strict``), else 0."""
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


def write_baseline(reports: Iterable[Report], path: str | os.PathLike) -> Path:
    """Record the findings that are not CORRECT as accepted (JSON, written atomically; overwrites).

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
    from derive.derivation import write_atomically

    base = Baseline.from_reports(list(reports))
    entries = [{"document": d, "kind": k, "source": s, "verdict": v, "count": n}
               for (d, k, s, v), n in sorted(base.keys.items())]
    data = {"convproof_baseline": BASELINE_VERSION, "findings": entries}
    return write_atomically(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", force=True)


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
