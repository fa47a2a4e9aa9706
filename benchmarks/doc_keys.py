"""Benchmark documents and their answer keys: the split rule, reading and validating ``*.key.toml``.

A document ``NAME.EXT`` lives in ``benchmarks/documents/test/`` when the SHA-256 of its file name is
even, else in ``tune/``; beside it ``NAME.EXT.key.toml`` keys every checkable statement (format in
``benchmarks/documents/README.md``). Everything here is stdlib only (``tomllib``, ``hashlib``).

Examples
--------
>>> split_of("cs231n-notes.md") in ("test", "tune")
True
>>> split_of("a.md") == ("test" if int(hashlib.sha256(b"a.md").hexdigest(), 16) % 2 == 0 else "tune")
True
>>> statement_errors({"line": 1, "quote": "x", "kind": "formula", "quantity": "output_size",
...                   "verdict": "CORRECT", "condition": "", "counterexample": "", "evidence": "count"}, ["x = 1"])
[]
>>> statement_errors({"line": 2, "quote": "y", "kind": "formula", "quantity": "size",
...                   "verdict": "WRONG"}, ["x = 1"])[:2]
["quantity 'size' not one of output_size, transposed_output_size, same_padding, params, macs, memory, receptive_field, jump, forward_index, backward_index, pooling, activation, normalization, loss, optimizer, equivariance, invariance, other", "verdict 'WRONG' not one of CORRECT, INCORRECT, CONDITIONAL, NOT-CHECKABLE"]
"""

from __future__ import annotations

import hashlib
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DOCS_ROOT", "SPLITS", "KINDS", "QUANTITIES", "VERDICTS", "FORMATS", "KeyedStatement", "KeyedDocument",
           "split_of", "documents", "load_key", "key_errors", "statement_errors", "evidence_path", "doc_lines"]

DOCS_ROOT = Path(__file__).resolve().parent / "documents"
SPLITS = ("test", "tune")
KINDS = ("formula", "example", "table", "claim")
QUANTITIES = ("output_size", "transposed_output_size", "same_padding", "params", "macs", "memory",
              "receptive_field", "jump", "forward_index", "backward_index", "pooling", "activation",
              "normalization", "loss", "optimizer", "equivariance", "invariance", "other")
VERDICTS = ("CORRECT", "INCORRECT", "CONDITIONAL", "NOT-CHECKABLE")
FORMATS = ("markdown", "latex", "html", "rst", "ipynb", "text")
SOURCE_FIELDS = ("url", "repo", "commit", "path", "licence", "format", "cut", "conventions")
STATEMENT_FIELDS = ("line", "quote", "kind", "quantity", "verdict", "condition", "counterexample", "evidence")
KEY_SUFFIX = ".key.toml"


def split_of(name: str) -> str:
    """``"test"`` when ``int(sha256(name), 16)`` is even, else ``"tune"`` (``name`` = file name with extension)."""
    if not isinstance(name, str) or not name or "/" in name:
        raise ValueError(f"split_of expects a bare file name like 'notes.md', got {name!r}")
    return "test" if int(hashlib.sha256(name.encode()).hexdigest(), 16) % 2 == 0 else "tune"


@dataclass(frozen=True)
class KeyedStatement:
    """One keyed statement: where it is, what it states, and its independently computed verdict."""

    line: int
    quote: str
    kind: str
    quantity: str
    verdict: str
    condition: str = ""
    counterexample: str = ""
    evidence: str = ""

    @property
    def wrong(self) -> bool:
        """INCORRECT or CONDITIONAL in the key: a statement the checker should flag."""
        return self.verdict in ("INCORRECT", "CONDITIONAL")

    @property
    def checkable(self) -> bool:
        return self.verdict != "NOT-CHECKABLE"


@dataclass
class KeyedDocument:
    """A benchmark document, its split and its key."""

    path: Path
    split: str
    source: dict
    statements: list[KeyedStatement] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


def doc_lines(path: Path) -> list[str]:
    """The document's lines (1-based line ``n`` is ``doc_lines(p)[n - 1]``), newline characters dropped."""
    return Path(path).read_text(encoding="utf-8").splitlines()


def evidence_path(doc: Path, root: Path = DOCS_ROOT) -> Path:
    """``evidence/NAME.py`` for the document ``NAME.EXT`` (the stem before the last dot)."""
    return Path(root) / "evidence" / (Path(doc).name.rsplit(".", 1)[0] + ".py")


def load_key(doc: Path) -> tuple[dict, list[KeyedStatement]]:
    """Read ``doc + '.key.toml'``; raise ValueError naming the file if it is missing or not TOML."""
    key = Path(str(doc) + KEY_SUFFIX)
    if not key.is_file():
        raise ValueError(f"{doc}: no answer key {key.name} beside it")
    try:
        data = tomllib.loads(key.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{key}: not valid TOML ({exc})") from exc
    stmts = []
    for i, s in enumerate(data.get("statement", [])):
        if not isinstance(s.get("line"), int):
            raise ValueError(f"{key}: statement {i + 1} has no integer line")
        stmts.append(KeyedStatement(**{k: s.get(k, "") for k in STATEMENT_FIELDS}))
    return data.get("source", {}), stmts


def documents(split: str = "all", root: Path = DOCS_ROOT, *, strict: bool = True) -> list[KeyedDocument]:
    """Every keyed document of ``split`` (``"test"``, ``"tune"`` or ``"all"``), sorted by split and name.

    A document whose key is missing or unreadable raises ValueError, or with ``strict=False`` is skipped
    with a warning on stderr (work in progress in another checkout)."""
    if split not in (*SPLITS, "all"):
        raise ValueError(f"split must be one of test, tune, all, got {split!r}")
    out = []
    for sp in SPLITS if split == "all" else (split,):
        folder = Path(root) / sp
        if not folder.is_dir():
            continue
        for doc in sorted(folder.iterdir()):
            if doc.is_file() and not doc.name.endswith(KEY_SUFFIX) and not doc.name.startswith("."):
                try:
                    source, stmts = load_key(doc)
                except (ValueError, TypeError) as exc:
                    if strict:
                        raise
                    print(f"skipped {sp}/{doc.name}: {exc}", file=sys.stderr)
                    continue
                out.append(KeyedDocument(doc, sp, source, stmts))
    return out


def _one_of(what: str, value, allowed) -> list[str]:
    return [] if value in allowed else [f"{what} {value!r} not one of {', '.join(allowed)}"]


def statement_errors(s: dict, lines: list[str]) -> list[str]:
    """What is wrong with one ``[[statement]]`` table (empty list: nothing)."""
    errs = _one_of("quantity", s.get("quantity"), QUANTITIES) + _one_of("verdict", s.get("verdict"), VERDICTS)
    errs += _one_of("kind", s.get("kind"), KINDS)
    line = s.get("line")
    if not isinstance(line, int) or not 1 <= line <= len(lines):
        errs.append(f"line {line!r} outside 1..{len(lines)}")
    elif not s.get("quote") or str(s.get("quote")) not in lines[line - 1]:
        errs.append(f"quote {s.get('quote')!r} is not a substring of line {line}: {lines[line - 1][:120]!r}")
    if s.get("verdict") == "CONDITIONAL" and not s.get("condition"):
        errs.append("CONDITIONAL without a condition")
    if s.get("verdict") in ("INCORRECT", "CONDITIONAL") and not s.get("counterexample"):
        errs.append(f"{s.get('verdict')} without a counterexample")
    if s.get("verdict") in ("CORRECT", "INCORRECT", "CONDITIONAL") and not s.get("evidence"):
        errs.append("no evidence (how the verdict was computed)")
    return errs


def key_errors(doc: Path, root: Path = DOCS_ROOT) -> list[str]:
    """Every problem of the key of ``doc``: missing fields, bad enums, quotes not on their lines, no evidence file."""
    doc = Path(doc)
    key = Path(str(doc) + KEY_SUFFIX)
    if not key.is_file():
        return [f"{doc.name}: no answer key {key.name}"]
    try:
        data = tomllib.loads(key.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        return [f"{key.name}: not valid TOML ({exc})"]
    src = data.get("source", {})
    errs = [f"[source] has no {f}" for f in SOURCE_FIELDS if not src.get(f)]
    if src.get("commit") and not re.fullmatch(r"[0-9a-f]{40}", str(src["commit"])):
        errs.append(f"[source] commit {src['commit']!r} is not 40 lower-case hex digits")
    if src.get("repo") and not re.fullmatch(r"[\w.-]+/[\w.-]+", str(src["repo"])):
        errs.append(f"[source] repo {src['repo']!r} is not owner/name")
    if src.get("format"):
        errs += _one_of("[source] format", src["format"], FORMATS)
    lines = doc_lines(doc)
    stmts = data.get("statement", [])
    if not stmts:
        errs.append("no [[statement]]")
    for i, s in enumerate(stmts):
        missing = [f for f in ("line", "quote", "kind", "quantity", "verdict") if f not in s]
        unknown = sorted(set(s) - set(STATEMENT_FIELDS))
        errs += [f"statement {i + 1} (line {s.get('line')}): {e}" for e in
                 ([f"missing {', '.join(missing)}"] if missing else []) +
                 ([f"unknown field(s) {', '.join(unknown)}"] if unknown else []) + statement_errors(s, lines)]
    if any(s.get("verdict") in ("CORRECT", "INCORRECT", "CONDITIONAL") for s in stmts) and \
            not evidence_path(doc, root).is_file():
        errs.append(f"no evidence script {evidence_path(doc, root).relative_to(root)}")
    return [f"{doc.name}: {e}" for e in errs]
