"""The test/tune split of the benchmark documents, by a fixed hash of the file name.

``NAME.EXT`` belongs to ``test/`` iff ``int(hashlib.sha256("NAME.EXT".encode()).hexdigest(), 16) % 2 == 0``,
else to ``tune/``; its key ``NAME.EXT.key.toml`` goes with it. The rule depends on the name only, so a
document never changes side when others are added.

Usage::

    python benchmarks/documents/split.py NAME.EXT ...   # print where each name belongs
    python benchmarks/documents/split.py --check        # exit 1 if a file sits on the wrong side
    python benchmarks/documents/split.py --place FILE   # move FILE (and its key) to its side

Examples
--------
>>> from doc_keys import split_of
>>> misplaced(Path("/nonexistent"))
[]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from doc_keys import DOCS_ROOT, KEY_SUFFIX, SPLITS, split_of  # noqa: E402

__all__ = ["misplaced", "place", "main"]


def _doc_name(p: Path) -> str:
    return p.name[: -len(KEY_SUFFIX)] if p.name.endswith(KEY_SUFFIX) else p.name


def misplaced(root: Path = DOCS_ROOT) -> list[str]:
    """One line per file (document or key) in the wrong folder, a document without a key, or a stem used twice."""
    out, stems = [], {}
    for sp in SPLITS:
        folder = Path(root) / sp
        if not folder.is_dir():
            continue
        for p in sorted(folder.iterdir()):
            if p.name.startswith("."):
                continue
            want = split_of(_doc_name(p))
            if want != sp:
                out.append(f"{sp}/{p.name} belongs in {want}/")
            if not p.name.endswith(KEY_SUFFIX):
                if not Path(str(p) + KEY_SUFFIX).is_file():
                    out.append(f"{sp}/{p.name} has no key {p.name}{KEY_SUFFIX}")
                stem = p.name.rsplit(".", 1)[0]
                if stem in stems:
                    out.append(f"{sp}/{p.name} and {stems[stem]} share the stem {stem!r} (evidence/{stem}.py)")
                stems[stem] = f"{sp}/{p.name}"
            elif not (folder / _doc_name(p)).is_file():
                out.append(f"{sp}/{p.name} is a key without its document")
    return out


def place(path: Path, root: Path = DOCS_ROOT) -> Path:
    """Move a document and its key (if present) into the folder the rule names; return the new path."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: not a file")
    dest = Path(root) / split_of(path.name)
    dest.mkdir(parents=True, exist_ok=True)
    key = Path(str(path) + KEY_SUFFIX)
    new = dest / path.name
    if new.resolve() != path.resolve():
        shutil.move(str(path), new)
        if key.is_file():
            shutil.move(str(key), dest / key.name)
    return new


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="file names to classify")
    ap.add_argument("--check", action="store_true", help="verify every file sits where the rule says")
    ap.add_argument("--place", nargs="+", metavar="FILE", help="move files (with keys) to their side")
    ap.add_argument("--root", default=str(DOCS_ROOT), help="documents folder (default: %(default)s)")
    a = ap.parse_args(argv)
    for f in a.place or []:
        print(f"{f} -> {place(Path(f), Path(a.root))}")
    for n in a.names:
        print(f"{n}: {split_of(Path(n).name)}")
    if a.check:
        bad = misplaced(Path(a.root))
        for line in bad:
            print(line, file=sys.stderr)
        counts = {sp: sum(1 for p in (Path(a.root) / sp).glob("*") if not p.name.endswith(KEY_SUFFIX))
                  for sp in SPLITS if (Path(a.root) / sp).is_dir()}
        print(f"split check: {'FAILED' if bad else 'ok'} ({', '.join(f'{k}: {v}' for k, v in counts.items())})")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
